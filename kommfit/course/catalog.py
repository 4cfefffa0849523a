"""Reads a module notebook as data: its metadata, its questions and its grade cells.

The source notebook is the single source of truth of a module; the course overview, the quality gates (item rules,
spell check, statement coverage) and the reports all read it through this module instead of keeping lists by hand.
Questions are obtained by running the notebook's own question cells in this process (the widgets work without a
kernel), so what is checked is exactly what participants are shown. Keys are read from the hidden grade code with
``ast``, never executed.
"""

from __future__ import annotations

import ast
import contextlib
import io
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat

from ..core.answers import AnswerStore
from ..quiz.question import Question

HIDDEN_BEGIN = "### BEGIN HIDDEN TESTS"
HIDDEN_END = "### END HIDDEN TESTS"
GRADE_PREFIX = "grade_"  # every grading helper is named grade_*: grade_single, grade_multiple, grade_post …


@dataclass(frozen=True)
class GradeCall:
    """One ``grade_*`` call of a hidden grade cell, with its literal arguments."""

    grade_id: str
    points: float
    function: str
    question_variable: str
    arguments: dict[str, Any]


@dataclass
class ModuleInfo:
    """What a module notebook declares and contains."""

    module_id: str
    path: Path
    title: str
    minutes: int
    objectives: list[str]
    statements: list[str]
    questions: list[dict[str, Any]] = field(default_factory=list)
    grade_calls: list[GradeCall] = field(default_factory=list)

    @property
    def practice(self) -> list[dict[str, Any]]:
        return [q for q in self.questions if q["practice"]]

    @property
    def graded(self) -> list[dict[str, Any]]:
        return [q for q in self.questions if not q["practice"]]

    @property
    def total_points(self) -> float:
        return sum(call.points for call in self.grade_calls)


def hidden_region(source: str) -> str:
    """The code between the hidden-test markers of a cell (empty if there is none)."""
    match = re.search(re.escape(HIDDEN_BEGIN) + r"\n(.*?)" + re.escape(HIDDEN_END), source, re.S)
    return match.group(1) if match else ""


def without_hidden(source: str) -> str:
    """A cell's source as participants get it: the hidden-test region removed."""
    return re.sub(re.escape(HIDDEN_BEGIN) + r".*?" + re.escape(HIDDEN_END) + r"\n?", "", source, flags=re.S)


def nbgrader_meta(cell: Any) -> dict[str, Any]:
    return cell.get("metadata", {}).get("nbgrader", {})


def grade_calls(nb: Any) -> list[GradeCall]:
    """Every grading call in the notebook's hidden regions, with its literal arguments."""
    calls = []
    for cell in nb.cells:
        meta = nbgrader_meta(cell)
        region = hidden_region(cell.source)
        if not region:
            continue
        for node in ast.walk(ast.parse(region)):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "").startswith(GRADE_PREFIX):
                arguments = {kw.arg: ast.literal_eval(kw.value) for kw in node.keywords if kw.arg}
                calls.append(
                    GradeCall(
                        grade_id=meta.get("grade_id", ""),
                        points=float(meta.get("points", 0)),
                        function=node.func.id,
                        question_variable=node.args[0].id if node.args else "",
                        arguments=arguments,
                    )
                )
    return calls


def load_objects(nb: Any, kind: type) -> dict[str, Any]:
    """Run the notebook's code (without hidden regions) in a scratch folder; return its ``kind`` objects (questions,
    scenes) by the variable name they were first bound to."""
    namespace: dict[str, Any] = {"display": lambda *args, **kwargs: None}
    found: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as scratch, _working_directory(Path(scratch)):
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            with contextlib.redirect_stdout(io.StringIO()):
                exec(compile(without_hidden(cell.source), "<module cell>", "exec"), namespace)  # noqa: S102
            for name, value in namespace.items():
                if isinstance(value, kind) and name not in found:
                    found[name] = value
        # Widgets built in the scratch folder point their store there; detach them from it.
        for value in found.values():
            if isinstance(value, Question):
                value.store = AnswerStore(Path(os.devnull))
    return found


def load_questions(nb: Any) -> dict[str, Question]:
    """The notebook's questions by variable name, exactly as participants are shown them."""
    return load_objects(nb, Question)


@contextlib.contextmanager
def _working_directory(folder: Path):
    previous = Path.cwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(previous)


def read_module(path: Path | str) -> ModuleInfo:
    """Read a module notebook (source or release) into a ModuleInfo."""
    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    meta = nb.metadata.get("kommfit", {})
    return ModuleInfo(
        module_id=path.stem,
        path=path,
        title=meta.get("title", ""),
        minutes=int(meta.get("minutes", 0)),
        objectives=list(meta.get("objectives", [])),
        statements=list(meta.get("statements", [])),
        questions=[q.describe() | {"variable": name} for name, q in load_questions(nb).items()],
        grade_calls=grade_calls(nb),
    )


def keys_of(info: ModuleInfo) -> dict[str, Any]:
    """The best answer of every question id: from the practice options or the hidden grade calls."""
    keys: dict[str, Any] = {}
    for question in info.questions:
        if question["practice"] and question["kind"] == "single":
            keys[question["id"]] = next(o["id"] for o in question["options"] if o["correct"])
        elif question["practice"] and question["kind"] == "multiple":
            keys[question["id"]] = [o["id"] for o in question["options"] if o["correct"]]
        elif question["practice"] and question["kind"] == "matching":
            keys[question["id"]] = {i["id"]: i["category"] for i in question["items"]}
    for call in info.grade_calls:
        question = next((q for q in info.questions if q.get("variable") == call.question_variable), None)
        if question is None:
            continue
        if "correct" in call.arguments:
            correct = call.arguments["correct"]
            keys[question["id"]] = sorted(correct) if isinstance(correct, set | list | tuple) else correct
        elif "key" in call.arguments:
            keys[question["id"]] = dict(call.arguments["key"])
    return keys


def talent_question_ids(notebook: Path | str) -> list[str]:
    """The ids of the voluntary talent self-assessments a module notebook offers (its ``TalentCheck("…")`` calls),
    read with ``ast``, never executed: only these ids may carry a voluntary opt-in of that module."""
    ids = []
    for cell in nbformat.read(notebook, as_version=4).cells:
        if cell.cell_type != "code" or "TalentCheck" not in cell.source:
            continue
        for node in ast.walk(ast.parse(without_hidden(cell.source))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "TalentCheck" and node.args:
                value = node.args[0]
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    ids.append(value.value)
    return ids


def module_notebooks(folder: Path) -> list[Path]:
    """The module notebooks below ``source/`` or ``release/``: NN-slug/NN-slug.ipynb, in course order."""
    return sorted(p for p in folder.glob("*/*.ipynb") if p.stem == p.parent.name)
