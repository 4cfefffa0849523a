"""The hostile corpus (autograde/feindlich/faelle.toml) graded in the sandbox, in one batch with ordinary submissions.

For every case: the batch completes, the case gets its expected status, score and message, nothing it must not see
shows up in its graded notebook, and everybody else keeps exactly their score. Afterwards the gradebook is intact,
no network connection reached the host, and no sandboxed process is left behind.

The batch runs with two workers while two CPU burners keep the machine busy and the grader's environment holds
secrets; afterwards every submission is graded once more on its own, and must get the same status and score.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import sqlite3
import subprocess
import threading
import tomllib

import nbformat
import psutil
import pytest
from nbgrader.api import Gradebook

from kommfit.app.cli import main as kommfit
from kommfit.core.profile import default_profile_path
from kommfit.course.reference import load_cases
from kommfit.course.synthetic import answer_through_widgets
from kommfit.engine.sandbox import FIRST_UID, unavailable_reason
from kommfit.workshop.cohort import Cohort
from kommfit.workshop.ledger import LEDGER_FILE, Ledger
from kommfit.workshop.roster import Person, write_roster

from ..conftest import REPO_ROOT

CORPUS = tomllib.loads((REPO_ROOT / "autograde" / "feindlich" / "faelle.toml").read_text(encoding="utf-8"))
MODULE = CORPUS["modul"]
CASES = {case["name"]: case for case in CORPUS["fall"]}

pytestmark = pytest.mark.slow

if unavailable_reason():
    if os.environ.get("CI") == "true":
        raise RuntimeError(f"CI=true, aber die Sandbox fehlt: {unavailable_reason()}")
    pytest.skip(f"Sandbox nicht verfügbar: {unavailable_reason()}", allow_module_level=True)


class Listener:
    """A TCP server on the host's loopback that records every connection (there must be none)."""

    def __init__(self) -> None:
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen()
        self.server.settimeout(0.5)
        self.port = self.server.getsockname()[1]
        self.connections = 0
        self.running = True
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while self.running:
            try:
                connection, _ = self.server.accept()
                self.connections += 1
                connection.close()
            except OSError:
                pass

    def stop(self) -> None:
        self.running = False
        self.thread.join(5)
        self.server.close()


def _modify_notebook(path, how: str) -> None:
    if how == "ungueltiges-json":
        path.write_text('{"cells": [ kaputt', encoding="utf-8")
        return
    if how == "kein-notizbuch":
        path.write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(2048))
        return
    nb = nbformat.read(path, as_version=4)
    if how == "bewertungszellen-geloescht":
        nb.cells = [c for c in nb.cells if not c.get("metadata", {}).get("nbgrader", {}).get("grade")]
    elif how == "gesperrte-zellen-geaendert":
        for cell in nb.cells:
            if cell.get("metadata", {}).get("nbgrader", {}).get("grade"):
                cell.source = "10.0"  # claim full points instead of being graded
            elif "SingleChoice(" in cell.source:
                cell.source = cell.source.replace('Option("a", "', 'Option("a", "VERÄNDERT ')
    nbformat.write(nb, path)


def _modify_answers(path, how: str) -> None:
    if how == "kaputt":
        path.write_text('{"schema": 1, "answers": {"m01-a1', encoding="utf-8")
        return
    if how == "riesig":
        with path.open("w", encoding="utf-8") as handle:
            handle.write('{"schema": 1, "answers": {}, "fuell": "' + "x" * (6 * 2**20) + '"}')
        return
    data = json.loads(path.read_text(encoding="utf-8"))
    answers = data["answers"]
    graded = next(qid for qid, entry in answers.items() if entry.get("mode") == "graded")
    if how == "falsche-typen":
        answers[graded]["value"] = 2
    elif how == "unbekannte-ids":
        answers["m99-erfunden"] = {"value": "a", "options_hash": "x", "time": "t", "attempts": 1, "mode": "graded"}
    elif how == "hash-abweichung":
        answers[graded]["options_hash"] = "0000000000000000"
    path.write_text(json.dumps(data), encoding="utf-8")


def _insert_cell(path, code: str) -> None:
    nb = nbformat.read(path, as_version=4)
    position = next(i for i, c in enumerate(nb.cells) if c.cell_type == "markdown" and "Abschluss-Check" in c.source)
    nb.cells.insert(position, nbformat.v4.new_code_cell(code))
    nbformat.write(nb, path)


@pytest.fixture(scope="module")
def hostile_batch(tmp_path_factory):
    base = tmp_path_factory.mktemp("feindlich")
    references = {case.name: case for case in load_cases(REPO_ROOT / "autograde" / MODULE)}
    normal = [f"ref-{name}" for name in references]
    hostile = [f"h-{name}" for name in CASES]
    roster = base / "liste.csv"
    write_roster(roster, [Person(p, p, "Test") for p in normal + hostile])
    source = base / "curriculum"
    shutil.copytree(REPO_ROOT / "source" / MODULE, source / MODULE)
    root = base / "kohorte"
    assert kommfit(["init", str(root), "--profile", str(default_profile_path()), "--roster", str(roster),
                    "--module", str(source)]) == 0
    cohort = Cohort.open(root)
    api = cohort.api()
    assert api.generate_assignment(MODULE, force=True, create=True)["success"]
    released = root / "release" / MODULE
    listener = Listener()

    def submit(person: str, answers: dict) -> object:
        folder = cohort.folder("submitted", person, MODULE)
        shutil.copytree(released, folder)
        answer_through_widgets(released / f"{MODULE}.ipynb", folder, answers)
        (folder / "timestamp.txt").write_text("2026-11-27 12:00:00.000000 UTC\n", encoding="utf-8")
        return folder

    for name, case in references.items():
        submit(f"ref-{name}", case.answers)
    other = cohort.folder("submitted", "ref-perfekt", MODULE)
    for name, case in CASES.items():
        folder = submit(f"h-{name}", references[CORPUS["grundlage"]].answers)
        notebook = folder / f"{MODULE}.ipynb"
        if "zelle" in case:
            code = case["zelle"].replace("{kohorte}", str(root)).replace("{anderer}", str(other))
            _insert_cell(notebook, code.replace("{port}", str(listener.port)))
        if "notizbuch" in case:
            _modify_notebook(notebook, case["notizbuch"])
        if "antwortdatei" in case:
            _modify_answers(folder / ".antworten.json", case["antwortdatei"])
        if "verknuepfung" in case:
            name_, target = case["verknuepfung"]
            link = folder / name_
            if link.exists():
                link.unlink()
            os.symlink(target.replace("{kohorte}", str(root)), link)
        if "dateiname" in case:
            (folder / case["dateiname"]).write_text("nichts", encoding="utf-8")
    definitions_before = _definitions(cohort)
    # Load for the grading run; each burner also ends by itself once this test process is gone (a run stopped with
    # SIGTERM skips the finally below, and plain `while :` loops then kept two cores busy with no one to end them).
    burners = [subprocess.Popen(["sh", "-c", f"while kill -0 {os.getpid()} 2>/dev/null; do :; done"]) for _ in range(2)]
    secrets = {"PGPASSWORD": "geheim-pg-passwort", "KOMMFIT_TEST_GEHEIMNIS": "KOMMFIT_TEST_GEHEIMNIS"}
    saved = {name: os.environ.get(name) for name in secrets}
    os.environ.update(secrets)
    try:
        code = kommfit(["grade", "--kohorte", str(root), "--zelle-sekunden", "5", "--abgabe-sekunden", "120",
                        "--parallel", "2"])
    finally:
        for burner in burners:
            burner.kill()
            burner.wait()
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    listener.stop()
    return cohort, references, code, listener, definitions_before


def _definitions(cohort: Cohort) -> list[tuple]:
    """The course's own rows (assignments, notebooks, cells with their checksums) — hostile code must not touch them."""
    path = cohort.sqlite_path
    with sqlite3.connect(path) as db:
        return sorted(db.execute("SELECT name, source, checksum FROM source_cell").fetchall()) + \
            sorted(db.execute("SELECT id, max_score FROM grade_cells").fetchall()) + \
            sorted(db.execute("SELECT name FROM assignment").fetchall())


def test_batch_completes_and_everybody_else_keeps_their_score(hostile_batch):
    """Does the batch finish with every ordinary submission graded exactly as its reference says?"""
    cohort, references, code, _listener, _before = hostile_batch
    assert code == 0
    entries = Ledger(cohort.state / LEDGER_FILE).entries()
    assert len(entries) == len(references) + len(CASES)
    for name, case in references.items():
        entry = entries[(MODULE, f"ref-{name}")]
        assert (entry.status, entry.score) == ("bewertet", case.expected_score), name


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_hostile_case_has_its_expected_outcome(hostile_batch, name):
    """Does each hostile submission get its expected status, score and a clear German message?"""
    cohort, _references, _code, _listener, _before = hostile_batch
    case = CASES[name]
    entry = Ledger(cohort.state / LEDGER_FILE).entries()[(MODULE, f"h-{name}")]
    assert entry.status == case["status"], entry.message
    if "punkte" in case:
        assert entry.score == case["punkte"], entry.message
    if "meldung" in case:
        assert case["meldung"] in entry.message
    assert entry.sandboxed
    graded = cohort.folder("autograded", f"h-{name}", MODULE) / f"{MODULE}.ipynb"
    if graded.exists():
        assert graded.stat().st_size < 5 * 2**20  # no 100 MB of output in the graded notebook
        outputs = json.dumps([c.get("outputs", []) for c in nbformat.read(graded, as_version=4).cells])
        for forbidden in case.get("nicht_in_ausgabe", []):
            assert forbidden.replace("{kohorte}", str(cohort.root)) not in outputs


def test_gradebook_is_intact_and_nothing_escaped(hostile_batch):
    """Is the gradebook intact, did no connection reach the host, and are no sandboxed processes left?"""
    cohort, references, _code, listener, before = hostile_batch
    assert _definitions(cohort) == before
    path = cohort.sqlite_path
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    with Gradebook(cohort.db_url, course_id=cohort.course_id) as gradebook:
        scores = {s.student.id: s.score for s in gradebook.assignment_submissions(MODULE)}
    assert all(scores[f"ref-{name}"] == case.expected_score for name, case in references.items())
    assert listener.connections == 0
    leftovers = [p for p in psutil.process_iter(["uids"]) if p.info["uids"] and p.info["uids"].real >= FIRST_UID
                 and p.info["uids"].real < FIRST_UID + 100]
    assert not leftovers


def test_status_names_every_problem(hostile_batch, capsys):
    """Does `kommfit status` list every submission that could not be graded normally, with its German reason?"""
    cohort, _references, _code, _listener, _before = hostile_batch
    capsys.readouterr()
    assert kommfit(["status", "--kohorte", str(cohort.root)]) == 0
    out = capsys.readouterr().out
    for name, case in CASES.items():
        if case["status"] != "bewertet" or "meldung" in case:
            assert f"/ h-{name}:" in out, name


def test_no_submission_reaches_another(hostile_batch):
    """Does nothing a submission planted (startup file, detached process) show up in anybody else's graded notebook?"""
    cohort, _references, _code, _listener, _before = hostile_batch
    for graded in (cohort.root / "autograded").glob(f"*/{MODULE}/{MODULE}.ipynb"):
        if graded.parts[-3] == "h-startdatei-fuer-spaetere":
            continue
        assert "ANGRIFF" not in graded.read_text(encoding="utf-8"), graded.parts[-3]


def test_every_result_equals_the_result_alone(hostile_batch):
    """Does every submission get the same status and score when graded on its own — one worker, one submission after
    the other in a quiet machine, each in a fresh sandbox — as it got in the loaded two-worker batch?"""
    cohort, _references, _code, _listener, _before = hostile_batch
    in_batch = Ledger(cohort.state / LEDGER_FILE).entries()
    people = [argument for _module, person in sorted(in_batch) for argument in ("--person", person)]
    assert kommfit(["grade", "--kohorte", str(cohort.root), "--zelle-sekunden", "5", "--abgabe-sekunden", "120",
                    "--parallel", "1", "--neu", *people]) == 0
    alone = Ledger(cohort.state / LEDGER_FILE).entries()
    differences = [(key, entry.status, entry.score, alone[key].status, alone[key].score, alone[key].message)
                   for key, entry in sorted(in_batch.items())
                   if (alone[key].status, alone[key].score) != (entry.status, entry.score)]
    assert not differences
