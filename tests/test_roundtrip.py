"""The whole loop with the real nbgrader CLI: widget answers → submit → collect → autograde → feedback.

Every module that has reference submissions in ``autograde/`` is run: each submission is answered through the quiz
widgets in a real kernel in the fetched folder, then nbgrader grades it, and the score must be exactly the one
written down next to the submission.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest

from kommfit.answers import ANSWER_FILE_NAME
from kommfit.catalog import hidden_region
from kommfit.reference import answer_notebook, load_cases

from .course_harness import REPO_ROOT, CourseHarness

pytestmark = pytest.mark.slow

MODULES_WITH_CASES = sorted(p.parent.name for p in (REPO_ROOT / "autograde").glob("*/abgaben.toml"))


@pytest.fixture(scope="module", params=MODULES_WITH_CASES)
def graded_course(request, tmp_path_factory):
    """One module taken through release, fetch, widget answers, submit, collect, autograde and feedback."""
    module = request.param
    harness = CourseHarness(tmp_path_factory.mktemp(f"kurs-{module}"), [module])
    harness.nbgrader("generate_assignment", module, "--force")
    harness.nbgrader("release_assignment", module, "--force")
    cases = load_cases(REPO_ROOT / "autograde" / module)
    for case in cases:
        fetched = harness.fetch(module, case.name)
        answer_notebook(fetched / f"{module}.ipynb", case.answers)
        harness.submit(module, case.name)
    harness.nbgrader("collect", module)
    harness.nbgrader("autograde", module)
    harness.nbgrader("generate_feedback", module)
    return module, harness, cases


def test_every_reference_submission_gets_its_exact_score(graded_course):
    """Does nbgrader award each reference submission exactly the score written next to it?"""
    module, harness, cases = graded_course
    scores = {case.name: round(harness.score(module, case.name), 2) for case in cases}
    assert scores == {case.name: case.expected_score for case in cases}


def test_the_answer_file_travels_with_the_submission(graded_course):
    """Do submit, collect and autograde carry the participant's own answer file (never one from source/)?"""
    module, harness, cases = graded_course
    for case in cases:
        graded_answers = harness.course / "autograded" / case.name / module / ANSWER_FILE_NAME
        if not case.answers:
            assert not graded_answers.exists()
            continue
        stored = json.loads(graded_answers.read_text(encoding="utf-8"))["answers"]
        assert {qid: entry["value"] for qid, entry in stored.items()} == case.answers


def test_grade_cells_never_write_to_stderr_or_fail(graded_course):
    """Is every grade cell free of errors and stderr output, even for the empty submission?"""
    module, harness, cases = graded_course
    for case in cases:
        nb = nbformat.read(harness.autograded_notebook(module, case.name), as_version=4)
        for cell in nb.cells:
            if cell.get("metadata", {}).get("nbgrader", {}).get("grade"):
                kinds = [(o.output_type, o.get("name")) for o in cell.outputs]
                assert ("error", None) not in kinds, cell.metadata.nbgrader.grade_id
                assert ("stream", "stderr") not in kinds, cell.metadata.nbgrader.grade_id


def test_feedback_explains_the_chosen_option_in_german_without_the_key_code(graded_course):
    """Does the feedback HTML explain the participant's choice, in German, without showing the hidden grade code?"""
    module, harness, cases = graded_course
    perfect = next(c for c in cases if c.name == "perfekt")
    html = harness.feedback_html(module, perfect.name)
    assert "Rückmeldung" in html and "Ihr Ergebnis" in html
    assert f"{perfect.expected_score:g} von" in html.replace(".0 von", " von")
    source = nbformat.read(REPO_ROOT / "source" / module / f"{module}.ipynb", as_version=4)
    hidden = "\n".join(hidden_region(c.source) for c in source.cells)
    explanations = re.findall(r'"(?:[a-z]|i\d)": "([^"]{25,})', hidden)
    assert explanations, "the module's hidden grade cells carry no explanations"
    assert any(text[:40] in html for text in explanations)
    assert "BEGIN HIDDEN TESTS" not in html and "grade_single(" not in html


def test_empty_submission_is_told_why_it_got_no_points(graded_course):
    """Does a participant who saved nothing get 0 points and a friendly hint instead of an error?"""
    module, harness, cases = graded_course
    if not any(c.name == "leer" for c in cases):
        pytest.skip("module has no empty reference submission")
    html = harness.feedback_html(module, "leer")
    assert "keine Antwort gespeichert" in html
    assert "technischer Fehler" not in html


def test_release_contains_no_answer_file(graded_course):
    """Is no answer file released to participants (it would overwrite theirs at grading)?"""
    module, harness, _cases = graded_course
    released = harness.exchange / "kommfit" / "outbound" / module
    assert released.is_dir()
    assert not list(Path(released).rglob(ANSWER_FILE_NAME + "*"))
