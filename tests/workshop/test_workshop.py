"""A whole workshop with the kommfit CLI in a temporary cohort: real nbgrader, real exchange, real kernels.

One cohort is taken through init → release → participants fetch, answer through the widgets and submit → collect.
A copy is graded by plain `nbgrader autograde` (serial) and the original by `kommfit grade` (parallel); both must
agree exactly. Then broken and hanging submissions, Ctrl-C and resuming, feedback, report, export and forget.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook

from kommfit.app.cli import main as kommfit
from kommfit.app.demo import fetch_as, submit_as
from kommfit.core.profile import default_profile_path
from kommfit.course.synthetic import answer_through_widgets, module_info, plausible_answers, synthetic_people
from kommfit.workshop.cohort import Cohort
from kommfit.workshop.ledger import LEDGER_FILE, Ledger
from kommfit.workshop.roster import Person, write_roster

from ..conftest import REPO_ROOT

pytestmark = pytest.mark.slow
MODULE = "01-jede-stimme-zaehlt"
PEOPLE = 12


def cli(*argv: str) -> None:
    assert kommfit(list(argv)) == 0, argv


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    """A cohort of 12 synthetic participants who all handed in module 01, collected by the facilitator."""
    base = tmp_path_factory.mktemp("workshop")
    people = synthetic_people(PEOPLE, seed=11)
    roster = base / "liste.csv"
    write_roster(roster, [Person(p.id, p.name, p.abteilung, f"{p.id}@beispiel.example") for p in people])
    source = base / "curriculum"
    shutil.copytree(REPO_ROOT / "source" / MODULE, source / MODULE)
    root = base / "kohorte"
    cli("init", str(root), "--profile", str(default_profile_path()), "--roster", str(roster), "--module", str(source))
    cli("release", "--alle", "--kohorte", str(root))
    cohort = Cohort.open(root)
    info = module_info(root / "source" / MODULE / f"{MODULE}.ipynb")
    rng = random.Random(5)
    for person in people:
        home = base / "konten" / person.id
        home.mkdir(parents=True)
        folder = fetch_as(cohort, person.id, MODULE, home)
        answer_through_widgets(folder / f"{MODULE}.ipynb", folder, plausible_answers(info, person.ability, rng))
        submit_as(cohort, person.id, MODULE, home)
    cli("collect", "--kohorte", str(root))
    return cohort, people


def copy_cohort(cohort: Cohort, target: Path) -> Cohort:
    shutil.copytree(cohort.root, target, symlinks=True)
    return Cohort.open(target)


def grades(cohort: Cohort) -> dict[tuple[str, str], float]:
    """Every score in the gradebook, per submission and per grade cell."""
    with Gradebook(cohort.db_url, course_id=cohort.course_id) as gradebook:
        found = {}
        for submission in gradebook.assignment_submissions(MODULE):
            found[(submission.student.id, "gesamt")] = round(submission.score, 6)
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    found[(submission.student.id, grade.name)] = round(grade.score, 6)
        return found


@pytest.fixture(scope="module")
def graded(collected, tmp_path_factory):
    """The collected cohort graded by `kommfit grade`, and a copy graded by `nbgrader autograde`."""
    cohort = copy_cohort(collected[0], tmp_path_factory.mktemp("parallel") / "kohorte")
    people = collected[1]
    serial = copy_cohort(collected[0], tmp_path_factory.mktemp("seriell") / "kohorte")
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    subprocess.run([sys.executable, "-m", "nbgrader", "autograde", MODULE, "--create"], cwd=serial.root, env=env,
                   check=True, capture_output=True)
    cli("grade", "--kohorte", str(cohort.root), "--parallel", "3")
    return cohort, serial, people


def test_parallel_grading_equals_nbgrader_autograde(graded):
    """Are all scores — per submission and per grade cell — identical to a serial `nbgrader autograde`?"""
    cohort, serial, _people = graded
    ours, theirs = grades(cohort), grades(serial)
    assert len(ours) == PEOPLE * 8  # total + 7 graded questions per submission
    assert ours == theirs


def test_no_database_lock_and_every_submission_graded(graded):
    """Did three workers writing one SQLite gradebook grade all submissions without a single failure?"""
    cohort, _serial, _people = graded
    entries = Ledger(cohort.state / LEDGER_FILE).entries()
    assert len(entries) == PEOPLE
    assert {e.status for e in entries.values()} == {"bewertet"}
    logs = "".join(p.read_text(errors="replace") for p in (cohort.state / "protokolle").glob("*.log"))
    assert "database is locked" not in logs


def test_grading_again_does_nothing_until_a_resubmission(graded, capsys):
    """Is an unchanged submission skipped, and a changed one graded again?"""
    cohort, _serial, people = graded
    assert kommfit(["grade", "--kohorte", str(cohort.root)]) == 0
    assert capsys.readouterr().out.startswith(f"Nichts zu tun: keine neuen oder geänderten Abgaben ({PEOPLE}")
    stamp = cohort.folder("submitted", people[0].id, MODULE) / "timestamp.txt"
    stamp.write_text("2026-11-28 09:00:00.000000 UTC\n", encoding="utf-8")
    assert kommfit(["grade", "--kohorte", str(cohort.root)]) == 0
    assert "Bewertet: 1 von 1 Abgaben" in capsys.readouterr().out


def test_feedback_and_privacy_first_report(graded):
    """Do feedback and report work, and does the report name nobody?"""
    cohort, _serial, people = graded
    cli("feedback", "--kohorte", str(cohort.root))
    assert len(list((cohort.exchange / "kommfit" / "feedback").glob("*.html"))) == PEOPLE
    cli("report", "--kohorte", str(cohort.root))
    report = (cohort.root / "bericht" / "bericht.html").read_text(encoding="utf-8")
    assert "Itemanalyse" in report and "Punkteverteilung" in report
    for person in people:
        assert person.id not in report and person.name not in report
    for name in ("bericht-module.csv", "bericht-fragen.csv", "bericht-bereiche.csv"):
        text = (cohort.root / "bericht" / name).read_text(encoding="utf-8-sig")
        assert not any(p.id in text or p.name in text for p in people)


def test_broken_and_hanging_submissions_never_stop_the_batch(collected, tmp_path, capsys):
    """Does a batch with an invalid notebook, an endless cell and a submission over its time limit still grade
    everyone else, with a clear status for the three?"""
    cohort = copy_cohort(collected[0], tmp_path / "kohorte")
    people = [p.id for p in collected[1]]
    broken, endless, slow = people[:3]
    (cohort.folder("submitted", broken, MODULE) / f"{MODULE}.ipynb").write_text("{ kein json", encoding="utf-8")
    for person, code in ((endless, "while True:\n    pass"), (slow, "import time\ntime.sleep(600)")):
        path = cohort.folder("submitted", person, MODULE) / f"{MODULE}.ipynb"
        nb = nbformat.read(path, as_version=4)
        nb.cells.insert(3, nbformat.v4.new_code_cell(code))
        nbformat.write(nb, path)
    assert kommfit(["grade", "--kohorte", str(cohort.root), "--zelle-sekunden", "4", "--parallel", "2"]) == 0
    entries = Ledger(cohort.state / LEDGER_FILE).entries()
    assert entries[(MODULE, broken)].status == "fehlerhaft"
    assert "beschädigt" in entries[(MODULE, broken)].message
    assert entries[(MODULE, endless)].status == "bewertet" and "Zeitlimit" in entries[(MODULE, endless)].message
    others = [entries[(MODULE, p)] for p in people if p not in (broken, endless, slow)]
    assert all(e.status == "bewertet" for e in others)
    capsys.readouterr()
    assert kommfit(["status", "--kohorte", str(cohort.root)]) == 0
    status = capsys.readouterr().out
    assert f"{MODULE} / {broken}: fehlerhaft – Das abgegebene Notizbuch ist beschädigt" in status


def test_submission_over_its_time_limit_is_stopped(collected, tmp_path):
    """Is a submission that takes longer than the per-submission limit killed and marked, and the rest graded?"""
    cohort = copy_cohort(collected[0], tmp_path / "kohorte")
    slow = collected[1][0].id
    path = cohort.folder("submitted", slow, MODULE) / f"{MODULE}.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells.insert(3, nbformat.v4.new_code_cell("import time\ntime.sleep(50)"))
    nbformat.write(nb, path)
    assert kommfit(["grade", "--kohorte", str(cohort.root), "--abgabe-sekunden", "20", "--parallel", "2"]) == 0
    entries = Ledger(cohort.state / LEDGER_FILE).entries()
    assert entries[(MODULE, slow)].status == "zeitueberschreitung"
    assert sum(1 for e in entries.values() if e.status == "bewertet") == PEOPLE - 1


def test_interrupted_grading_resumes(collected, tmp_path):
    """After Ctrl-C, is everything graded so far kept, and does the next run grade only the rest?"""
    cohort = copy_cohort(collected[0], tmp_path / "kohorte")
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    process = subprocess.Popen([sys.executable, "-m", "kommfit.app.cli", "grade", "--parallel", "2"], cwd=cohort.root,
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)
    ledger = Ledger(cohort.state / LEDGER_FILE)
    deadline = time.monotonic() + 300
    while len(ledger.entries()) < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    os.killpg(process.pid, signal.SIGINT)
    out, _err = process.communicate(timeout=60)
    assert process.returncode == 130 and "setzt an dieser Stelle fort" in out, _err[-2000:]
    done = len(ledger.entries())
    assert 2 <= done < PEOPLE
    assert kommfit(["grade", "--kohorte", str(cohort.root)]) == 0
    assert len(ledger.entries()) == PEOPLE
    assert not [p for p in psutil_children() if "kommfit.engine.worker" in " ".join(p.cmdline())]


def psutil_children():
    import psutil

    return psutil.Process().children(recursive=True)


def test_export_contains_the_person_and_nobody_else(graded, tmp_path):
    """Does `kommfit export` contain every stored item of one person — and nothing of anyone else?"""
    cohort, _serial, people = graded
    person, others = people[3], people[:3] + people[4:]
    assert kommfit(["export", person.id, "--kohorte", str(cohort.root), "--ausgabe", str(tmp_path)]) == 0
    (archive,) = tmp_path.glob(f"auskunft-{person.id}-*.zip")
    with zipfile.ZipFile(archive) as bundle:
        names = bundle.namelist()
        summary = json.loads(bundle.read("auskunft.json"))
        contents = b"".join(bundle.read(n) for n in names)
    assert summary["teilnehmendenliste"]["name"] == person.name
    assert summary["bewertungen"][0]["modul"] == MODULE and summary["bewertungen"][0]["zellen"]
    for kind in ("submitted", "autograded", "feedback"):
        assert any(n.startswith(f"dateien/{kind}/{person.id}/") for n in names)
    assert any(n.startswith("austausch/eingereicht/") for n in names)
    assert any(n.startswith("austausch/rueckmeldung/") for n in names)
    assert any(n.endswith(".antworten.json") for n in names)
    for other in others:
        assert other.id.encode() not in contents and other.name.encode() not in contents


def test_forget_leaves_no_trace(graded):
    """After `kommfit forget`, is the person gone from every file of the cohort and from the gradebook?"""
    cohort, _serial, people = graded
    person = people[5]
    markers = [person.id, person.name, f"{person.id}@beispiel.example", cohort.pseudonym(person.id)]
    assert kommfit(["forget", person.id, "--ja", "--kohorte", str(cohort.root)]) == 0
    for path in cohort.root.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert not any(m.encode() in data for m in markers), path
    db = cohort.sqlite_path
    dump = "\n".join(sqlite3.connect(db).iterdump())
    assert not any(m in dump for m in markers)
    remaining = {p.id for p in cohort.people()}
    assert person.id not in remaining and len(remaining) == PEOPLE - 1


def test_report_notebook_widget_keeps_the_privacy_rules(graded):
    """Does the facilitators' report widget offer only departments of at least k people and show no names?"""
    from kommfit.reports.explorer import ALL, ReportExplorer

    cohort, _serial, people = graded
    explorer = ReportExplorer(str(cohort.root))
    assert explorer.module.value == MODULE and "Itemanalyse" in explorer.view.value
    counts = {p.abteilung: 0 for p in people}
    for person in people:
        counts[person.abteilung] += 1
    offered = [d for d in explorer.department.options if d != ALL]
    assert all(counts.get(d, 5) >= 5 for d in offered)
    for department in explorer.department.options:
        explorer.department.value = department
        assert not any(p.id in explorer.view.value or p.name in explorer.view.value for p in people)
