"""What the hidden grade cells call during ``nbgrader autograde``.

nbgrader scores a grade cell from its output: an error or ANY text on stderr gives 0 points, a number as the cell's
last expression gives that many points (``nbgrader.utils.determine_grade``). So every function here

* returns the points as a float (partial credit for multiple choice and matching),
* prints German feedback for the participant's choice to stdout — it appears in nbgrader's feedback,
* never raises and never writes to stderr, not even a library warning.

The key and the feedback of a graded question are arguments of these calls, written only inside
``### BEGIN HIDDEN TESTS`` of its grade cell, so they never reach the participants' notebooks.
"""

from __future__ import annotations

import contextlib
import functools
import sys
import textwrap
import warnings
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from traitlets import TraitError

from ..core import scoring
from ..core.answers import entry_problem
from ..quiz.display import soft_wrap
from ..quiz.kinds import Matching, MultipleChoice, Question, SingleChoice

WIDTH = 100
# Phrases of the feedback below → how ``kommfit status`` summarises them for the facilitator.
OUTCOME_MARKERS = {
    "keine Antwort gespeichert": "ohne gespeicherte Antwort",
    "Deshalb konnte Ihre Antwort nicht gelesen werden": "Antwortdatei unlesbar",
    "anderen Fassung dieser Frage": "Antwort zu einer anderen Fassung der Frage",
    "passt nicht zu den Optionen": "gespeicherte Antwort passt nicht",
    "unvollständig oder beschädigt": "Eintrag beschädigt",
    "fehlt im Notizbuch": "Frage fehlt im Notizbuch",
    "konnte nicht ausgewertet werden": "Auswertungsfehler",
}


def say(text: str = "") -> None:
    """Print German feedback: soft-wrapped paragraphs, at most WIDTH characters a line."""
    paragraphs = soft_wrap(text).split("\n\n") if text.strip() else [""]
    print("\n\n".join(textwrap.fill(p, WIDTH) for p in paragraphs))


def german_number(value: float) -> str:
    """1.0 → '1', 1.33 → '1,33'."""
    return f"{value:g}".replace(".", ",")


def never_fails(grader: Callable[..., float]) -> Callable[..., float]:
    """Turn any problem into 0 points with a German message on stdout; silence stderr and warnings."""

    @functools.wraps(grader)
    def wrapper(*args: Any, **kwargs: Any) -> float:
        with warnings.catch_warnings(), contextlib.redirect_stderr(sys.stdout):
            warnings.simplefilter("ignore")
            try:
                return float(grader(*args, **kwargs))
            except Exception as error:  # noqa: BLE001 - the grade cell must never fail
                say(
                    "Diese Frage konnte nicht ausgewertet werden "
                    f"({type(error).__name__}). Sie erhält vorläufig 0 Punkte; "
                    "Ihre Kursleitung sieht sich das an."
                )
                return 0.0

    return wrapper


def stored_answer(question: Any, expected: type[Question]) -> Any | None:
    """The participant's usable answer to ``question``, or None after printing why there is none."""
    if not isinstance(question, expected):
        say("Diese Frage fehlt im Notizbuch oder wurde verändert. Dafür gibt es 0 Punkte.")
        return None
    say(question.plain(question.prompt))
    say()
    snapshot = question.store.read()
    if snapshot.problem:
        say(snapshot.problem + " Deshalb konnte Ihre Antwort nicht gelesen werden: 0 Punkte.")
        return None
    entry = snapshot.answers.get(question.question_id)
    if entry is None:
        say(
            "Zu dieser Frage wurde keine Antwort gespeichert – dafür gibt es 0 Punkte. "
            "Beim nächsten Mal einfach eine Antwort anklicken – sie wird sofort gespeichert."
        )
        return None
    if entry_problem(entry):
        say("Die gespeicherte Antwort ist unvollständig oder beschädigt. Dafür gibt es 0 Punkte.")
        return None
    if entry["options_hash"] != question.options_hash or entry["mode"] != "graded":
        say(
            "Ihre Antwort wurde zu einer anderen Fassung dieser Frage gegeben, als jetzt im Kurs steht. "
            "Sie kann deshalb nicht gewertet werden: 0 Punkte."
        )
        return None
    try:
        value = question._normalise(entry["value"])
    except TraitError:
        say("Die gespeicherte Antwort passt nicht zu den Optionen dieser Frage. Dafür gibt es 0 Punkte.")
        return None
    if not question._is_complete(value):
        say("Die gespeicherte Antwort ist unvollständig. Dafür gibt es 0 Punkte.")
        return None
    return value


def _check_feedback(ids: Iterable[str], feedback: Mapping[str, str], what: str) -> None:
    missing = [i for i in ids if not feedback.get(i, "").strip()]
    if missing:
        raise ValueError(f"feedback missing for {what} {missing}")


def report_points(awarded: float, max_points: float) -> float:
    """Print the points line of a grading cell's feedback and hand the points back to nbgrader."""
    say(f"Punkte: {german_number(awarded)} von {german_number(max_points)}")
    return awarded


@never_fails
def grade_single(question: Any, correct: str, feedback: Mapping[str, str], points: float = 1.0) -> float:
    """Score a single-choice item: all points for the best option, otherwise none; explain both choices."""
    if isinstance(question, SingleChoice):
        ids = [o.id for o in question.options]
        if correct not in ids:
            raise ValueError(f"key {correct!r} is not an option")
        _check_feedback(ids, feedback, "options")
    value = stored_answer(question, SingleChoice)
    if value is None:
        return report_points(0.0, points)
    chosen = question._option(value)
    best = question._option(correct)
    say(f"Ihre Antwort: »{question.plain(chosen.text)}«")
    if value == correct:
        say("✓ Das ist die beste Wahl. " + question.plain(feedback[value]))
    else:
        say("✗ Das ist nicht die beste Wahl. " + question.plain(feedback[value]))
        say(f"Besser wäre: »{question.plain(best.text)}« " + question.plain(feedback[correct]))
    return report_points(scoring.points(scoring.score_single(value, correct), points), points)


@never_fails
def grade_multiple(question: Any, correct: Iterable[str], feedback: Mapping[str, str], points: float = 1.0) -> float:
    """Score a multiple-choice item with partial credit and explain every option."""
    correct = set(correct)
    if isinstance(question, MultipleChoice):
        ids = [o.id for o in question.options]
        if not correct or not correct <= set(ids):
            raise ValueError(f"key {sorted(correct)} does not match the options")
        _check_feedback(ids, feedback, "options")
    value = stored_answer(question, MultipleChoice)
    if value is None:
        return report_points(0.0, points)
    chosen = set(value)
    for option in question.shown_options:  # in the order this person saw them
        right = (option.id in chosen) == (option.id in correct)
        action = "angekreuzt" if option.id in chosen else "nicht angekreuzt"
        mark = "✓" if right else "✗"
        say(f"{mark} »{question.plain(option.text)}« ({action}): {question.plain(feedback[option.id])}")
    return report_points(scoring.points(scoring.score_multiple(chosen, correct), points), points)


@never_fails
def grade_matching(question: Any, key: Mapping[str, str], feedback: Mapping[str, str], points: float = 1.0) -> float:
    """Score a matching item by the share of items in the right category and explain every item."""
    if isinstance(question, Matching):
        items = [i.id for i in question.items]
        categories = {c.id for c in question.categories}
        if set(key) != set(items) or not set(key.values()) <= categories:
            raise ValueError("key does not match items and categories")
        _check_feedback(items, feedback, "items")
    value = stored_answer(question, Matching)
    if value is None:
        return report_points(0.0, points)
    names = {c.id: question.plain(c.text) for c in question.categories}
    for item in question.items:
        right = value[item.id] == key[item.id]
        placed = names[value[item.id]]
        line = f"{'✓' if right else '✗'} »{question.plain(item.text)}« → {placed}"
        if not right:
            line += f" (besser: {names[key[item.id]]})"
        say(line + ": " + question.plain(feedback[item.id]))
    return report_points(scoring.points(scoring.score_matching(value, key), points), points)
