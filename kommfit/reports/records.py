"""Read what a cohort has stored into plain records for the report: scores from the gradebook, choices from the
answer files that were graded, and the course's questions and keys from the source notebooks."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.answers import AnswerStore, entry_problem, is_valid_value
from ..course.catalog import ModuleInfo, keys_of, read_module, talent_question_ids
from ..workshop.cohort import Cohort
from .aggregate import Record


@dataclass(frozen=True)
class ModuleFacts:
    info: ModuleInfo
    keys: dict[str, Any]
    question_of_grade: dict[str, str]  # nbgrader grade cell id → question id


def module_facts(cohort: Cohort, module: str) -> ModuleFacts:
    info = read_module(cohort.root / "source" / module / f"{module}.ipynb")
    by_variable = {q["variable"]: q["id"] for q in info.questions}
    question_of_grade = {
        call.grade_id: by_variable[call.question_variable]
        for call in info.grade_calls
        if call.question_variable in by_variable
    }
    return ModuleFacts(info, keys_of(info), question_of_grade)


def answer_file(folder: Path) -> tuple[dict[str, dict[str, Any]], str | None]:
    """The well-formed entries of an answer file and, if the file could not be read, why (German).

    The file comes from a participant: it may be cut off, huge (AnswerStore refuses those), nested so deeply that
    ``json`` gives up with a RecursionError, or hold a number too long for ``int`` (ValueError). One such file must
    not stop the report for the whole cohort.
    """
    try:
        snapshot = AnswerStore.in_folder(folder).read()
    except RecursionError:
        return {}, "Die Antwortdatei ist zu tief verschachtelt und wird nicht gelesen."
    except ValueError:
        return {}, "Die Antwortdatei enthält eine unplausibel lange Zahl und wird nicht gelesen."
    answers = {qid: entry for qid, entry in snapshot.answers.items() if entry_problem(entry) is None}
    return answers, snapshot.problem


def read_answers(folder: Path) -> dict[str, dict[str, Any]]:
    """The well-formed entries of an answer file (an unreadable file counts as no answers)."""
    return answer_file(folder)[0]


def _first_attempt(entry: dict[str, Any]) -> tuple[Any, float | None] | None:
    """(value, score) of a practice question's first attempt, or None if it has a shape no quiz writes."""
    first = entry.get("first_attempt")
    if not isinstance(first, dict) or not is_valid_value(first.get("value")):
        return None
    score = first.get("score")
    if isinstance(score, bool) or not isinstance(score, int | float) or not 0 <= score <= 1:
        score = None  # practice scores are shares from 0 to 1; anything else (text, NaN, 10**400) is not one
    return first["value"], None if score is None else float(score)


def module_records(cohort: Cohort, module: str, facts: ModuleFacts, departments: dict[str, str],
                   unreadable: dict[tuple[str, str], str] | None = None) -> list[Record]:
    """One record per graded submission of ``module``; answer files that cannot be read go into ``unreadable``
    ((person, module) → German reason) and that submission counts with its points but without its choices."""
    from nbgrader.api import Gradebook, MissingEntry

    graded_ids = {q["id"] for q in facts.info.graded}
    records = []
    with Gradebook(cohort.db_url, course_id=cohort.course_id) as gradebook:
        for person in sorted(departments):
            try:
                submission = gradebook.find_submission(module, person)
            except MissingEntry:
                continue
            items: dict[str, tuple[float, float]] = {}
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    qid = facts.question_of_grade.get(grade.name)
                    if qid and grade.max_score:
                        items[qid] = (float(grade.score or 0.0), float(grade.max_score))
            answers, problem = answer_file(cohort.folder("autograded", person, module))
            if problem and unreadable is not None:
                unreadable[(person, module)] = problem
            choices = {qid: e["value"] for qid, e in answers.items() if e["mode"] == "graded" and qid in graded_ids}
            attempts = {qid: _first_attempt(e) for qid, e in answers.items() if e["mode"] == "practice"}
            first = {qid: attempt for qid, attempt in attempts.items() if attempt is not None}
            records.append(
                Record(
                    person=person,
                    department=departments[person],
                    module=module,
                    score=float(submission.score),
                    max_score=float(submission.max_score),
                    items=items,
                    choices=choices,
                    first_attempts=first,
                    complete=graded_ids <= set(choices),
                )
            )
    return records


def volunteers(cohort: Cohort, unreadable: dict[tuple[str, str], str] | None = None) -> dict[str, dict[str, Any]]:
    """People who opted in to be contacted about their talents: person → their voluntary entries, counted only
    under the module and question ids that offer the opt-in (``talent_offers``).

    Answer files that cannot be read go into ``unreadable`` ((person, module) → German reason)."""
    found: dict[str, dict[str, Any]] = {}
    offers: dict[str, set[str]] = {}
    autograded = cohort.root / "autograded"
    if not autograded.is_dir():
        return found
    for person_folder in sorted(p for p in autograded.iterdir() if p.is_dir()):
        for module_folder in sorted(p for p in person_folder.iterdir() if p.is_dir()):
            answers, problem = answer_file(module_folder)
            if problem and unreadable is not None:
                unreadable[(person_folder.name, module_folder.name)] = problem
            offered = talent_offers(cohort, module_folder.name, offers)
            for qid, entry in answers.items():
                if entry["mode"] == "voluntary" and qid in offered and _asks_to_be_contacted(entry["value"]):
                    found.setdefault(person_folder.name, {})[qid] = entry["value"]
    return found


def talent_offers(cohort: Cohort, module: str, cache: dict[str, set[str]] | None = None) -> set[str]:
    """The question ids under which ``module`` asks for a voluntary opt-in (its talent self-assessments).

    An answer file is written by its participant: a ``voluntary`` entry under any other module or id (say, typed
    into module 01's file) was never offered, so it must not put anybody on the talent list.
    """
    if cache is not None and module in cache:
        return cache[module]
    ids: set[str] = set()
    if module in cohort.modules():
        ids = set(talent_question_ids(cohort.root / "source" / module / f"{module}.ipynb"))
    if cache is not None:
        cache[module] = ids
    return ids


def _asks_to_be_contacted(value: Any) -> bool:
    """The talent widget stores the opt-in itself in the value (``"ansprechen": "ja"``); nothing else counts."""
    from ..activities.talent import CONSENT_KEY

    return isinstance(value, dict) and value.get(CONSENT_KEY) == "ja"
