"""The whole loop: widget answers → submit → collect → autograde → feedback, with exact reference scores.

Two ways through it:

* Module 01 with the real nbgrader command line for every step; each reference submission is answered through the
  quiz widgets in a real kernel in the folder the participant fetched.
* All ten modules in one cohort with the ``kommfit`` commands (nbgrader's Python API, parallel grading in the
  sandbox); answers are given through the widgets in this process and handed in through nbgrader's exchange.

Either way nbgrader must award every reference submission exactly the score written next to it in ``autograde/``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook

from kommfit.app.cli import main as kommfit
from kommfit.app.demo import fetch_as, submit_as
from kommfit.core.answers import ANSWER_FILE_NAME
from kommfit.core.profile import default_profile_path
from kommfit.course.catalog import hidden_region
from kommfit.course.reference import answer_notebook, load_cases
from kommfit.course.synthetic import answer_through_widgets
from kommfit.workshop.cohort import Cohort
from kommfit.workshop.roster import Person, write_roster

from ..course_harness import REPO_ROOT, CourseHarness

pytestmark = pytest.mark.slow

MODULES_WITH_CASES = sorted(p.parent.name for p in (REPO_ROOT / "autograde").glob("*/abgaben.toml"))
CLI_MODULE = "01-jede-stimme-zaehlt"


@pytest.fixture(scope="module", params=[CLI_MODULE])
def graded_course(request, tmp_path_factory):
    """Module 01 taken through release, fetch, widget answers, submit, collect, autograde and feedback (CLI)."""
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


@pytest.fixture(scope="module")
def whole_course(tmp_path_factory):
    """All modules in one cohort: released, answered per reference case, handed in, collected, graded, fed back."""
    base = tmp_path_factory.mktemp("alle-module")
    cases = {module: load_cases(REPO_ROOT / "autograde" / module) for module in MODULES_WITH_CASES}
    people = sorted({case.name for module_cases in cases.values() for case in module_cases})
    roster = base / "liste.csv"
    write_roster(roster, [Person(p, p.capitalize(), "Test") for p in people])
    root = base / "kohorte"
    profile = base / "kurs.toml"  # a company of its own: graded in the sandbox, feedback must still name it
    profile.write_text(default_profile_path().read_text(encoding="utf-8").replace(
        "Nordlicht Haustechnik GmbH", "Beispiel & Söhne Wärmetechnik KG"), encoding="utf-8")
    assert kommfit(["init", str(root), "--profile", str(profile), "--roster", str(roster)]) == 0
    assert kommfit(["release", "--alle", "--kohorte", str(root)]) == 0
    cohort = Cohort.open(root)
    for module, module_cases in cases.items():
        for case in module_cases:
            home = base / "konten" / case.name
            home.mkdir(parents=True, exist_ok=True)
            folder = fetch_as(cohort, case.name, module, home)
            answer_through_widgets(folder / f"{module}.ipynb", folder, case.answers)
            submit_as(cohort, case.name, module, home)
    assert kommfit(["collect", "--kohorte", str(root)]) == 0
    assert kommfit(["grade", "--kohorte", str(root)]) == 0
    assert kommfit(["feedback", "--kohorte", str(root)]) == 0
    return cohort, cases


def test_every_module_awards_every_reference_submission_its_exact_score(whole_course):
    """Across all ten modules, does each reference submission get exactly its written-down score?"""
    cohort, cases = whole_course
    with Gradebook(cohort.db_url, course_id=cohort.course_id) as gradebook:
        got = {(s.assignment.name, s.student.id): round(s.score, 2)
               for module in cases for s in gradebook.assignment_submissions(module)}
    expected = {(module, case.name): case.expected_score for module, module_cases in cases.items()
                for case in module_cases}
    assert got == expected
    assert set(cases) == set(cohort.modules())


def test_every_module_gives_german_feedback(whole_course):
    """Does every module produce German feedback for every reference submission?"""
    cohort, cases = whole_course
    for module, module_cases in cases.items():
        for case in module_cases:
            html = (cohort.root / "feedback" / case.name / module / f"{module}.html").read_text(encoding="utf-8")
            assert "Rückmeldung" in html and "BEGIN HIDDEN TESTS" not in html
    first = (cohort.root / "feedback" / "perfekt" / CLI_MODULE / f"{CLI_MODULE}.html").read_text(encoding="utf-8")
    assert "Beispiel &amp; Söhne Wärmetechnik KG" in first and "Nordlicht Haustechnik GmbH" not in first
