"""release/ is exactly what nbgrader generates from source/, and carries no key."""

from __future__ import annotations

import json
import shutil

import nbformat
import pytest

from kommfit.course.catalog import grade_calls, hidden_region, module_notebooks, read_module
from kommfit.course.release import generate_release
from kommfit.course.settings import module_ids

from ..conftest import REPO_ROOT

MODULES = module_ids(REPO_ROOT / "source")
RELEASED = module_notebooks(REPO_ROOT / "release")


@pytest.fixture(scope="module")
def fresh_release(tmp_path_factory):
    """A fresh `nbgrader generate_assignment` of every module, in a copy of the repository's course."""
    course = tmp_path_factory.mktemp("frisch")
    shutil.copytree(REPO_ROOT / "source", course / "source")
    shutil.copy(REPO_ROOT / "nbgrader_config.py", course / "nbgrader_config.py")
    for module in MODULES:
        generate_release(course, module)
    return course / "release"


def test_release_lists_the_same_modules_as_source():
    """Does release/ hold exactly one folder per module of source/?"""
    assert sorted(p.name for p in (REPO_ROOT / "release").iterdir() if p.is_dir()) == MODULES


@pytest.mark.slow
@pytest.mark.parametrize("module", MODULES)
def test_committed_release_equals_a_fresh_generate_assignment(fresh_release, module):
    """Is the committed release/ identical to what nbgrader generates from source/ now? (Run `make release`.)"""
    committed = REPO_ROOT / "release" / module
    fresh = fresh_release / module
    assert sorted(p.name for p in committed.rglob("*")) == sorted(p.name for p in fresh.rglob("*"))
    for path in fresh.rglob("*.ipynb"):
        assert json.loads(path.read_text()) == json.loads((committed / path.name).read_text()), (
            f"release/{module} is out of date: run `make release` and commit it"
        )


@pytest.mark.parametrize("path", RELEASED, ids=lambda p: p.parent.name)
def test_release_has_no_solution_or_hidden_test_markers(path):
    """Does no released notebook contain a solution or hidden-test region?"""
    text = path.read_text(encoding="utf-8")
    for marker in ("BEGIN HIDDEN TESTS", "END HIDDEN TESTS", "BEGIN SOLUTION", "END SOLUTION"):
        assert marker not in text


@pytest.mark.parametrize("module", MODULES)
def test_release_carries_no_key_and_no_graded_feedback(module):
    """Is none of the key or explanation text of the hidden grade cells in the released notebook?"""
    source = nbformat.read(REPO_ROOT / "source" / module / f"{module}.ipynb", as_version=4)
    released = (REPO_ROOT / "release" / module / f"{module}.ipynb").read_text(encoding="utf-8")
    calls = grade_calls(source)
    assert calls, "module has no graded questions"
    for call in calls:
        for text in call.arguments.get("feedback", {}).values():
            assert text[:60] not in released
    hidden = [hidden_region(c.source) for c in source.cells if hidden_region(c.source)]
    assert all(block.strip() not in released for block in hidden)
    for function in ("grade_single(", "grade_multiple(", "grade_matching("):
        assert function not in released


@pytest.mark.parametrize("path", RELEASED, ids=lambda p: p.parent.name)
def test_released_graded_questions_have_no_key(path):
    """Do the graded questions in release/ carry no correct flags and no feedback (checked on the real widgets)?"""
    info = read_module(path)
    assert info.graded
    for question in info.graded:
        for option in question.get("options", []) + question.get("items", []):
            assert not option.get("correct") and not option.get("feedback") and not option.get("category")
