"""Answer a module the way a participant does — through the quiz widgets — without a browser.

Reference submissions (``autograde/NN-slug/abgaben.toml``), the demo cohort and the benchmarks all need answer files
that are exactly what clicks produce. Writing JSON by hand would test nothing, so this module runs the module
notebook in a real kernel in its own folder and then, in that kernel, sets each widget's selection and calls its
``submit()`` — the same code path as the button.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from ..quiz.question import Question

CASES_FILE = "abgaben.toml"


class ReferenceError(Exception):
    """A reference submission does not fit its module."""


@dataclass(frozen=True)
class Case:
    """One reference submission: the answers to give and the exact score nbgrader must award."""

    name: str
    description: str
    expected_score: float
    answers: dict[str, Any]


def load_cases(module_dir: Path) -> list[Case]:
    """The reference submissions of one module folder in ``autograde/``."""
    data = tomllib.loads((module_dir / CASES_FILE).read_text(encoding="utf-8"))
    return [
        Case(
            name=entry["name"],
            description=entry.get("beschreibung", ""),
            expected_score=float(entry["punkte"]),
            answers=dict(entry.get("antworten", {})),
        )
        for entry in data["abgabe"]
    ]


def answer_in_namespace(namespace: dict[str, Any], answers: dict[str, Any]) -> list[str]:
    """Inside a kernel: give each answer through its widget and click submit. Returns the ids answered."""
    questions = {v.question_id: v for v in namespace.values() if isinstance(v, Question)}
    unknown = sorted(set(answers) - set(questions))
    if unknown:
        raise ReferenceError(f"no such questions in this notebook: {unknown}")
    for question_id, value in answers.items():
        question = questions[question_id]
        question.answer = value
        if not question.submit():
            raise ReferenceError(f"{question_id}: submit did not save ({question.status})")
    return sorted(answers)


def answer_notebook(notebook: Path, answers: dict[str, Any], timeout: int = 120) -> None:
    """Run ``notebook`` in a real kernel in its folder, then answer through the widgets; the notebook is unchanged."""
    nb = nbformat.read(notebook, as_version=4)
    driver = (
        "from kommfit.course.reference import answer_in_namespace\n"
        f"answer_in_namespace(globals(), {json.dumps(answers, ensure_ascii=False)})"
    )
    nb.cells.append(nbformat.v4.new_code_cell(driver))
    client = NotebookClient(
        nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(notebook.parent)}}
    )
    try:
        client.execute()
    except CellExecutionError as error:
        raise ReferenceError(f"{notebook.name}: {error}") from error
