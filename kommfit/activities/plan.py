"""A personal action plan: a checklist of next steps and feedback on "Mein erster Schritt" (module 10).

A plan is not a quiz. Every step a participant picks is a good step, so the checklist has no key, no score and no
verdict: after "Plan speichern" it shows a short how-to for each chosen step. It is a practice question like any
Übung (saved on request, pre-filled when the module is opened again, never written on display or while nbgrader
executes), so it reuses ``Question``'s behaviour and only changes what "feedback" means.

The feedback on the first step is a pure function: it checks only whether the step says *what* and *when*, the two
things that turn an intention into a step. It never judges which step someone chose.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import Any

import ipywidgets as widgets
from traitlets import TraitError

from ..core.answers import AnswerStore
from ..quiz.access import named_group
from ..quiz.question import PROMPT_NAME, Option, Question, QuizDefinitionError, local_time

MANY_STEPS = 3  # more than this at once: suggest starting with one

_WHEN = re.compile(
    r"\b(heute|morgen|übermorgen|sofort|gleich|nachher|woche|wochenende|monat|montag|dienstag|mittwoch|donnerstag|"
    r"freitag|samstag|sonntag|uhr|pause|frühstück\w*|mittag\w*|feierabend|schicht\w*|bis|ab|nächste[nmrs]?|"
    r"kommende[nmrs]?|beim nächsten|januar|februar|märz|april|mai|juni|juli|august|september|oktober|november|"
    r"dezember|teamrunde|besprechung)\b|\d{1,2}\.\s?\d{1,2}\.|\b\d{1,2}(:\d{2})?\s?uhr\b",
    re.IGNORECASE,
)
_MIN_WORDS = 4


def first_step_feedback(text: str) -> tuple[float, str]:
    """Feedback on a first step: does it say what and when? Returns (share of the two, German HTML).

    The share only feeds the facilitator's item analysis ("how concrete were the plans?"); the text itself is
    encouragement, never a grade, and says nothing about which step was chosen.
    """
    words = re.findall(r"\w+", text)
    has_what = len(words) >= _MIN_WORDS
    has_when = bool(_WHEN.search(text))
    rows = []
    if has_what:
        rows.append("<p><span class='kommfit-good'>✓</span> <b>Was?</b> Ihr Schritt ist konkret beschrieben.</p>")
    else:
        rows.append(
            "<p><span class='kommfit-hint'>◐</span> <b>Was genau?</b> Beschreiben Sie den Schritt so, dass jemand "
            "anderes ihn nachmachen könnte – z. B. „speichere die drei Ansprechpersonen in meinem Handy“.</p>"
        )
    if has_when:
        rows.append("<p><span class='kommfit-good'>✓</span> <b>Wann?</b> Sie haben einen Zeitpunkt.</p>")
    else:
        rows.append(
            "<p><span class='kommfit-hint'>◐</span> <b>Wann?</b> Ein fester Zeitpunkt („Donnerstag in der "
            "Frühstückspause“) macht es viel wahrscheinlicher, dass aus dem Vorsatz ein Schritt wird.</p>"
        )
    head = (
        "<p class='kommfit-good'><b>So wird aus einem Vorsatz ein Schritt.</b></p>"
        if has_what and has_when
        else "<p class='kommfit-hint'><b>Fast geschafft – eine Kleinigkeit macht den Schritt leichter:</b></p>"
    )
    tail = "<p>Ihr Schritt ist Ihre Sache und wird nicht bewertet. Klein ist gut – Hauptsache, Sie gehen ihn.</p>"
    return (has_what + has_when) / 2, head + "".join(rows) + tail


class Checklist(Question):
    """Tick the next steps you want to take; "Plan speichern" keeps them and shows a how-to for each.

    Steps are ``Option``s whose ``feedback`` is that how-to; none is "correct", and no score is recorded.
    """

    kind = "checklist"
    kind_label = "Checkliste"

    def __init__(self, question_id: str, prompt: str, steps: Sequence[Option], *, store: AnswerStore | None = None):
        self.steps = tuple(steps)
        ids = [s.id for s in self.steps]
        if not 3 <= len(self.steps) <= 10 or len(set(ids)) != len(ids) or not all(ids):
            raise QuizDefinitionError(f"{question_id}: a checklist needs 3 to 10 steps with unique ids")
        for step in self.steps:
            if not step.text.strip() or not step.feedback.strip():
                raise QuizDefinitionError(f"{question_id}: step {step.id!r} needs a text and a how-to")
            if step.correct:
                raise QuizDefinitionError(f"{question_id}: a plan has no right steps, so no step is 'correct'")
        super().__init__(question_id, prompt, practice=True, store=store)
        self._button.description = "Plan speichern"
        self._button.tooltip = "Plan speichern"

    def count(self) -> int:
        return len(self.steps)

    def _hash_material(self) -> Any:
        return [[s.id, s.text] for s in self.steps]

    def _build_inputs(self) -> widgets.Widget:
        self._boxes = [
            widgets.Checkbox(value=False, description=self.plain(s.text), indent=False,
                             layout=widgets.Layout(width="100%"))
            for s in self.steps
        ]
        for box in self._boxes:
            box.observe(self._inputs_changed, names="value")
        hint = widgets.HTML("<i>Kreuzen Sie an, was zu Ihnen passt – einen Schritt oder mehrere.</i>")
        return named_group(widgets.VBox([hint, *self._boxes]), PROMPT_NAME)

    def _read_inputs(self) -> Any:
        chosen = [s.id for s, box in zip(self.steps, self._boxes, strict=True) if box.value]
        return chosen if chosen or self.store.get(self.question_id) else None

    def _write_inputs(self, answer: Any) -> None:
        chosen = set(answer or [])
        for step, box in zip(self.steps, self._boxes, strict=True):
            box.value = step.id in chosen

    def _normalise(self, answer: Any) -> Any:
        ids = [s.id for s in self.steps]
        if not isinstance(answer, list | tuple | set) or not all(isinstance(a, str) and a in ids for a in answer):
            raise TraitError(f"Ungültige Auswahl: {answer!r} passt nicht zu den Schritten von {self.question_id}.")
        return [i for i in ids if i in set(answer)]

    def _is_complete(self, answer: Any) -> bool:
        return isinstance(answer, list) and len(answer) > 0

    def _incomplete_message(self) -> str:
        return "Wenn Sie einen Plan festhalten möchten, kreuzen Sie mindestens einen Schritt an."

    def _practice_fraction(self, answer: Any) -> float | None:
        """A plan has no score: None keeps it out of the item analysis of right and wrong."""
        return None

    def _practice_feedback(self, answer: Any) -> str:
        chosen = [s for s in self.steps if s.id in set(answer)]
        count = "ein Schritt" if len(chosen) == 1 else f"{len(chosen)} Schritte"
        rows = [
            f"<p>☑ <b>{self.fill(s.text)}</b><br><small>So geht's: {self.fill(s.feedback)}</small></p>"
            for s in chosen
        ]
        advice = ""
        if len(chosen) > MANY_STEPS:
            advice = (
                "<p class='kommfit-hint'>Das ist ein sportlicher Plan. Fangen Sie mit dem Schritt an, den Sie diese "
                "Woche schaffen – unten können Sie ihn aufschreiben.</p>"
            )
        return f"<p class='kommfit-good'><b>Ihr Plan steht: {html.escape(count)}.</b></p>" + "".join(rows) + advice

    def submit(self) -> bool:
        """Save the plan like an Übung, with a status that speaks of a plan rather than of attempts."""
        saved = super().submit()
        entry = self.store.get(self.question_id) if saved else None
        if entry is not None:
            when = local_time(entry["time"])
            self._set_status(f"✓ Ihr Plan ist gespeichert ({when}). Er wird nicht bewertet.", "good")
        return saved

    def describe(self) -> dict[str, Any]:
        data = super().describe()
        data["options"] = [{"id": s.id, "text": s.text, "feedback": s.feedback, "correct": False} for s in self.steps]
        return data

    def __repr__(self) -> str:
        return f"<{self.kind_label} {self.question_id!r}: {self.count()} Schritte, Übung – nicht bewertet>"

