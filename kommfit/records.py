"""Read what a cohort has stored into plain records for the report: scores from the gradebook, choices from the
answer files that were graded, and the course's questions and keys from the source notebooks."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .answers import ANSWER_FILE_NAME, entry_problem
from .catalog import ModuleInfo, keys_of, read_module
from .cohort import Cohort
from .reports import Record


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


def read_answers(folder: Path) -> dict[str, dict[str, Any]]:
    """The well-formed entries of an answer file (an unreadable file counts as no answers)."""
    try:
        data = json.loads((folder / ANSWER_FILE_NAME).read_text(encoding="utf-8"))
        answers = data["answers"]
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    if not isinstance(answers, dict):
        return {}
    return {qid: entry for qid, entry in answers.items() if entry_problem(entry) is None}


def module_records(cohort: Cohort, module: str, facts: ModuleFacts, departments: dict[str, str]) -> list[Record]:
    """One record per graded submission of ``module``."""
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
            answers = read_answers(cohort.folder("autograded", person, module))
            choices = {qid: e["value"] for qid, e in answers.items() if e["mode"] == "graded" and qid in graded_ids}
            first = {
                qid: (e["first_attempt"].get("value"), e["first_attempt"].get("score"))
                for qid, e in answers.items()
                if e["mode"] == "practice" and isinstance(e.get("first_attempt"), dict)
            }
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


def volunteers(cohort: Cohort) -> dict[str, dict[str, Any]]:
    """People who opted in to be contacted about their talents: person → their voluntary entries (any module)."""
    found: dict[str, dict[str, Any]] = {}
    autograded = cohort.root / "autograded"
    if not autograded.is_dir():
        return found
    for person_folder in sorted(p for p in autograded.iterdir() if p.is_dir()):
        for module_folder in sorted(p for p in person_folder.iterdir() if p.is_dir()):
            for qid, entry in read_answers(module_folder).items():
                if entry["mode"] == "voluntary":
                    found.setdefault(person_folder.name, {})[qid] = entry["value"]
    return found
