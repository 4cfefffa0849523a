"""Participant values in kommfit's output: escaped for the terminal, the spreadsheet and the feedback HTML, and a
hostile answer file never stops the report for everyone else."""

from __future__ import annotations

import csv
import json
import shutil

import nbformat
import pytest

from kommfit.app.cli import main as kommfit
from kommfit.core.answers import ANSWER_FILE_NAME, AnswerStore
from kommfit.core.profile import default_profile_path
from kommfit.core.safe_text import csv_safe, terminal_safe
from kommfit.workshop.cohort import Cohort
from kommfit.workshop.ledger import FAILED, LEDGER_FILE, Ledger, LedgerEntry, fingerprint
from kommfit.workshop.roster import Person, write_roster

from ..course_harness import REPO_ROOT, CourseHarness

MODULE = "01-jede-stimme-zaehlt"
TALENT_MODULE, TALENT_QUESTION = "10-mein-fitnessplan", "m10-freiwillig-staerken"  # the module with the opt-in
ESC, BEL, CR, RLO = "\x1b", "\x07", "\r", "\u202e"


def test_terminal_safe_removes_escape_bell_carriage_return_and_bidi():
    """Are ESC, BEL, CR and a bidi override gone from what is printed, while the readable text stays?"""
    shown = terminal_safe(f"tn01{ESC}[2J{ESC}]0;gehackt{BEL}{CR}Müller{RLO}txt.exe")
    assert not any(c in shown for c in (ESC, BEL, CR, RLO))
    assert shown == "tn01?[2J?]0;gehackt??Müller?txt.exe"
    assert terminal_safe(17) == "17"


@pytest.mark.parametrize("cell", ["=HYPERLINK(\"http://x\")", "+49 170", "-2+3", "@SUMME(A1)", "\t=1", "\r=1"])
def test_csv_safe_neutralises_formula_prefixes(cell):
    """Does every cell starting with =, +, -, @, tab or CR get a leading apostrophe (OWASP)?"""
    assert csv_safe(cell) == "'" + cell


@pytest.mark.parametrize("cell", [-0.25, 3, "-0,150", "0,733", "< 5", "Anna Adler", ""])
def test_csv_safe_leaves_numbers_and_plain_text_alone(cell):
    """Are numbers (also negative ones written as German text) and ordinary text left as they are?"""
    assert csv_safe(cell) == cell


def new_cohort(base, people: list[Person], module: str = MODULE) -> Cohort:
    """A real cohort with one module (``kommfit init`` through the library)."""
    roster = base / "liste.csv"
    write_roster(roster, people)
    shutil.copytree(REPO_ROOT / "source" / module, base / "curriculum" / module)
    return Cohort.create(base / "kohorte", default_profile_path(), roster, curriculum=base / "curriculum")


@pytest.mark.slow
def test_status_prints_no_escape_codes_from_folder_names_or_messages(tmp_path, capsys):
    """Does `kommfit status` show a hand-in folder and ledger message with escape codes without a single ESC?"""
    cohort = new_cohort(tmp_path, [Person("p01", "Anna Adler", "Kundendienst")])
    person = f"p01{ESC}[2J{ESC}]0;gehackt{BEL}"
    folder = cohort.folder("submitted", person, MODULE)
    folder.mkdir(parents=True)
    (folder / f"{MODULE}.ipynb").write_text("{}", encoding="utf-8")
    Ledger(cohort.state / LEDGER_FILE).record(LedgerEntry(
        module=MODULE, person=person, status=FAILED, score=None, max_score=None,
        message=f"kaputt{ESC}[31m{CR}alles gut{RLO}",
        fingerprint=fingerprint(folder), sandboxed=True, seconds=1.0, time="2026-11-27T09:00:00+00:00",
    ))
    capsys.readouterr()
    assert kommfit(["status", "--kohorte", str(cohort.root)]) == 0
    out = capsys.readouterr().out
    assert f"{MODULE} / p01?[2J?]0;gehackt?: fehlerhaft – kaputt?[31m?alles gut?" in out
    assert not any(c in out for c in (ESC, BEL, CR, RLO))


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")  # nbgrader's own add_submission
def test_report_skips_a_deeply_nested_answer_file_and_reports_everyone_else(tmp_path, capsys):
    """Does `kommfit report` finish when one answer file is JSON nested 100000 deep, name that person on the
    terminal (not in the report), and still report the five others — with roster values that look like
    formulas neutralised in every CSV file?"""
    people = [Person(f"p0{i}", f"Person {i}", "@Kundendienst") for i in range(1, 6)]
    people[1] = Person("p02", "=HYPERLINK(\"http://böse.example\")", "@Kundendienst")
    people.append(Person("mallory", "Mallory Meier", "@Kundendienst"))
    cohort = new_cohort(tmp_path, people, TALENT_MODULE)
    cohort.api().generate_assignment(TALENT_MODULE, force=True, create=True)
    from nbgrader.api import Gradebook

    with Gradebook(cohort.db_url, course_id=cohort.course_id) as gradebook:
        for person in people:
            gradebook.add_submission(TALENT_MODULE, person.id)
    for person in people:  # everyone opts in to be contacted about their talents
        folder = cohort.folder("autograded", person.id, TALENT_MODULE)
        folder.mkdir(parents=True)
        AnswerStore.in_folder(folder).record(TALENT_QUESTION, {"ansprechen": "ja"}, "h", "voluntary")
    broken = cohort.folder("autograded", "mallory", TALENT_MODULE) / ANSWER_FILE_NAME
    broken.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    odd = cohort.folder("autograded", "p03", TALENT_MODULE) / ANSWER_FILE_NAME  # wrong types inside a readable file
    data = json.loads(odd.read_text(encoding="utf-8"))
    data["answers"]["01-uebung"] = {"value": "a", "options_hash": "h", "time": "t", "attempts": 1, "mode": "practice",
                                    "first_attempt": {"value": [{}], "score": "viel"}}
    data["answers"]["01-check"] = {"value": 5, "options_hash": [], "time": 1, "attempts": True, "mode": "graded"}
    odd.write_text(json.dumps(data), encoding="utf-8")

    assert kommfit(["report", "--kohorte", str(cohort.root)]) == 0
    out = capsys.readouterr().out
    assert f"  mallory / {TALENT_MODULE}: Die Antwortdatei ist zu tief verschachtelt und wird nicht gelesen." in out
    folder = cohort.root / "bericht"
    report = (folder / "bericht.html").read_text(encoding="utf-8")
    assert "1 Antwortdatei(en) konnten nicht gelesen werden" in report and "mallory" not in report.lower()
    modules = list(csv.DictReader((folder / "bericht-module.csv").open(encoding="utf-8-sig"), delimiter=";"))
    assert modules[0]["abgegeben"] == "6"
    talents = list(csv.DictReader((folder / "talente.csv").open(encoding="utf-8-sig"), delimiter=";"))
    assert [row["id"] for row in talents] == ["p01", "p02", "p03", "p04", "p05"]
    assert talents[1]["name"] == "'=HYPERLINK(\"http://böse.example\")"
    assert {row["abteilung"] for row in talents} == {"'@Kundendienst"}
    departments = list(csv.DictReader((folder / "bericht-bereiche.csv").open(encoding="utf-8-sig"), delimiter=";"))
    assert [row["bereich"] for row in departments] == ["'@Kundendienst"]


FEEDBACK_MODULE = "99-feedback-test"
ATTACK = """from IPython.display import HTML, display
antwort = "<script>alert('stdout')</script>"
display(HTML("<script>alert('html')</script>"))
get_ipython().events.register("post_run_cell", lambda result: display(HTML("<script>alert('hook')</script>")))
"""


def feedback_source() -> nbformat.NotebookNode:
    """A one-question module: the grade cell prints a value the participant's own cell sets."""
    nb = nbformat.v4.new_notebook(metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "kommfit": {"title": "Rückmeldungstest"},
    })
    grade = {"grade": True, "grade_id": "frage-1", "points": 1, "solution": False, "locked": True,
             "schema_version": 3, "task": False}
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Test"),
        nbformat.v4.new_code_cell('antwort = "keine"'),
        nbformat.v4.new_code_cell("print(antwort)", metadata={"nbgrader": grade}),
    ]
    return nb


@pytest.mark.slow
def test_feedback_runs_no_script_from_the_participants_notebook(tmp_path):
    """Does nbgrader's GenerateFeedback with the kommfit template escape a `<script>` title in the notebook
    metadata and `<script>` printed by the grade cell, and leave out text/html the participant's code displays?"""
    harness = CourseHarness(tmp_path, [])
    source = harness.course / "source" / FEEDBACK_MODULE
    source.mkdir(parents=True)
    nbformat.write(feedback_source(), source / f"{FEEDBACK_MODULE}.ipynb")
    harness.nbgrader("generate_assignment", FEEDBACK_MODULE, "--force")
    released = harness.course / "release" / FEEDBACK_MODULE / f"{FEEDBACK_MODULE}.ipynb"
    nb = nbformat.read(released, as_version=4)
    nb.metadata["kommfit"] = {"title": "<script>alert('titel')</script>"}
    nb.cells[1].source = ATTACK
    submitted = harness.course / "submitted" / "mallory" / FEEDBACK_MODULE
    submitted.mkdir(parents=True)
    nbformat.write(nb, submitted / f"{FEEDBACK_MODULE}.ipynb")
    harness.nbgrader("autograde", FEEDBACK_MODULE, "--create")
    graded = nbformat.read(harness.autograded_notebook(FEEDBACK_MODULE, "mallory"), as_version=4)
    assert any("text/html" in o.get("data", {}) for o in graded.cells[2].outputs)  # the hook did display HTML
    harness.nbgrader("generate_feedback", FEEDBACK_MODULE)
    html = harness.feedback_html(FEEDBACK_MODULE, "mallory")
    assert "<script" not in html.lower()
    assert "Rückmeldung: &lt;script&gt;alert(" in html  # the title, shown as text
    assert "&lt;script&gt;alert(" in html.split("<pre>", 1)[1]  # what the grade cell printed, shown as text
    assert "alert('html')" not in html and "alert('hook')" not in html
