"""Laptop mode: "Abgabe exportieren" writes one zip; `kommfit collect --zip` takes good zips in and refuses bad ones."""

from __future__ import annotations

import csv
import json
import shutil
import stat
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kommfit.activities.handin import HandIn, HandInError, archive_name, write_handin
from kommfit.app.cli import main as kommfit
from kommfit.core import handincode
from kommfit.core.answers import AnswerStore
from kommfit.core.profile import default_profile_path
from kommfit.course.reference import load_cases
from kommfit.course.synthetic import answer_through_widgets
from kommfit.workshop.cohort import Cohort
from kommfit.workshop.ledger import LEDGER_FILE, Ledger
from kommfit.workshop.roster import Person, write_roster

from ..conftest import REPO_ROOT

MODULE = "01-jede-stimme-zaehlt"
CODE = handincode.derive(b"ein Geheimnis nur fuer Tests", "tn017")  # tn017's code in some cohort


def module_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "laptop" / MODULE
    shutil.copytree(REPO_ROOT / "release" / MODULE, folder)
    return folder


def test_export_writes_one_clearly_named_zip_with_notebook_and_answers(tmp_path):
    """Does the export hold exactly the notebook, the answer file and the seal, under <zeit>/<kennung>/<modul>/ —
    and never the hand-in code itself?"""
    folder = module_folder(tmp_path)
    (folder / ".antworten.json").write_text('{"schema": 1, "answers": {}}', encoding="utf-8")
    archive = write_handin(folder, "tn017", CODE.lower().replace("-", " "),
                           clock=lambda: datetime(2026, 11, 27, 9, 30, tzinfo=UTC))
    assert archive == folder.parent / archive_name(MODULE, "tn017") == folder.parent / f"Abgabe_{MODULE}_tn017.zip"
    with zipfile.ZipFile(archive) as bundle:
        assert sorted(bundle.namelist()) == [f"20261127T093000Z/tn017/{MODULE}/.antworten.json",
                                             f"20261127T093000Z/tn017/{MODULE}/{MODULE}.ipynb",
                                             f"20261127T093000Z/tn017/{MODULE}/abgabe.json"]
        seal = json.loads(bundle.read(f"20261127T093000Z/tn017/{MODULE}/abgabe.json"))
        assert all(info.external_attr >> 16 == 0o100600 for info in bundle.infolist())
    assert (seal["kennung"], seal["modul"], seal["zeitpunkt"]) == ("tn017", MODULE, "20261127T093000Z")
    assert sorted(seal["dateien"]) == [".antworten.json", f"{MODULE}.ipynb"]
    assert handincode.normalize(CODE).encode() not in archive.read_bytes()


def test_export_widget_explains_a_bad_id_and_writes_nothing_during_grading(tmp_path, monkeypatch):
    """Are an invalid id and a missing, mistyped or foreign hand-in code explained in German (writing nothing), and
    does the button write nothing while nbgrader grades?"""
    folder = module_folder(tmp_path)
    widget = HandIn(folder)
    assert widget.code.description == "Ihr Abgabecode"
    widget.person.value = "tn 017"
    widget.code.value = CODE
    widget.button.click()
    assert "Kennung" in widget.status.value and not list(folder.parent.glob("*.zip"))
    widget.person.value = "tn017"
    widget.code.value = ""
    widget.button.click()
    assert "Bitte geben Sie auch Ihren Abgabecode ein" in widget.status.value
    typo = CODE[:5] + ("A" if CODE[5] != "A" else "B") + CODE[6:]
    for wrong in (typo, handincode.derive(b"ein Geheimnis nur fuer Tests", "tn018"), "ABC"):
        widget.code.value = wrong
        widget.button.click()
        assert "Abgabecode" in widget.status.value and "kommfit-bad" in widget.status.value, wrong
        assert not list(folder.parent.glob("*.zip"))
    widget.code.value = CODE
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    assert widget.export() is None and not list(folder.parent.glob("*.zip"))
    monkeypatch.delenv("NBGRADER_EXECUTION")
    widget.button.click()
    assert "Gespeichert als" in widget.status.value
    with pytest.raises(HandInError):
        write_handin(tmp_path, "tn017", CODE)  # a folder without the module's notebook


@pytest.mark.slow
def test_collect_zip_takes_good_ones_refuses_bad_ones_and_grades(tmp_path, capsys):
    """Are valid zips collected and graded exactly, while wrong-module, duplicate, damaged and unknown ones get a
    German reason and affect nothing else? Do the collected files carry none of the zip's modes or its seal, and does
    a talent opt-in smuggled into a module-01 answer file stay out of talente.csv?"""
    cases = {case.name: case for case in load_cases(REPO_ROOT / "autograde" / MODULE)}
    roster = tmp_path / "liste.csv"
    write_roster(roster, [Person(p, p, "Test") for p in ("anna", "ben", "cem")])
    source = tmp_path / "curriculum"
    shutil.copytree(REPO_ROOT / "source" / MODULE, source / MODULE)
    root = tmp_path / "kohorte"
    assert kommfit(["init", str(root), "--profile", str(default_profile_path()), "--roster", str(roster),
                    "--module", str(source)]) == 0
    assert kommfit(["release", "--alle", "--kohorte", str(root)]) == 0
    inbox = tmp_path / "posteingang"
    inbox.mkdir()
    cohort = Cohort.open(root)

    def export(person: str, case: str, when: datetime, name: str | None = None, smuggle: bool = False) -> Path:
        folder = tmp_path / "laptops" / person / MODULE
        if folder.exists():
            shutil.rmtree(folder)
        shutil.copytree(root / "release" / MODULE, folder)
        answer_through_widgets(folder / f"{MODULE}.ipynb", folder, cases[case].answers)
        if smuggle:  # what module 10's talent widget stores, typed into module 01's answer file by hand
            AnswerStore.in_folder(folder).record("m10-freiwillig-staerken", {"ansprechen": "ja", "video": "gern"},
                                                 "x", "voluntary")
        archive = write_handin(folder, person, cohort.handin_code(person), clock=lambda: when)
        return Path(shutil.copy(archive, inbox / (name or archive.name)))

    morning = datetime.now(UTC).replace(hour=9, minute=0, second=0, microsecond=0) - timedelta(days=1)
    stamp = morning.strftime("%Y%m%dT%H%M%SZ")  # hand-ins are from yesterday: collect refuses dates in the future
    export("anna", "perfekt", morning, smuggle=True)
    export("ben", "leer", morning, name="ben-alt.zip")
    export("ben", "teilweise", morning + timedelta(hours=1), name="ben-neu.zip")
    damaged = export("cem", "perfekt", morning, name="cem-kaputt.zip")
    damaged.write_bytes(damaged.read_bytes()[: len(damaged.read_bytes()) // 2])
    with zipfile.ZipFile(inbox / "falsches-modul.zip", "w") as bundle:
        bundle.writestr(f"{stamp}/cem/99-gibt-es-nicht/99-gibt-es-nicht.ipynb", "{}")
    with zipfile.ZipFile(inbox / "fremde-person.zip", "w") as bundle:
        bundle.writestr(f"{stamp}/mallory/{MODULE}/{MODULE}.ipynb", "{}")
    with zipfile.ZipFile(inbox / "ausbruch.zip", "w") as bundle:
        bundle.writestr(f"../../{MODULE}.ipynb", "{}")

    capsys.readouterr()
    assert kommfit(["collect", "--zip", str(inbox), "--kohorte", str(root)]) == 0
    lines = capsys.readouterr().out.splitlines()
    status = {line.split(": ", 1)[1].split(" – ")[0]: line.split(": ", 1)[0] for line in lines if " – " in line}
    assert status == {
        "Abgabe_01-jede-stimme-zaehlt_anna.zip": "übernommen",
        "ben-alt.zip": "abgelehnt",
        "ben-neu.zip": "übernommen",
        "cem-kaputt.zip": "abgelehnt",
        "falsches-modul.zip": "abgelehnt",
        "fremde-person.zip": "abgelehnt",
        "ausbruch.zip": "abgelehnt",
    }
    text = "\n".join(lines)
    assert "Doppelt: ben-neu.zip ist neuer" in text and "beschädigt" in text
    assert "gehört nicht zu dieser Kohorte" in text and "steht nicht in der Teilnehmendenliste" in text
    assert "Unerwarteter Pfad" in text
    assert lines[-1].startswith("2 von 7 ZIP-Dateien übernommen")
    assert not (root / "downloaded").exists()
    for person in ("anna", "ben"):
        submission = root / "submitted" / person / MODULE
        assert sorted(p.name for p in submission.iterdir()) == [
            ".antworten.json", f"{MODULE}.ipynb", "submission_secret.txt", "timestamp.txt"]  # no abgabe.json
        assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in submission.iterdir())

    assert kommfit(["grade", "--kohorte", str(root)]) == 0
    entries = Ledger(Cohort.open(root).state / LEDGER_FILE).entries()
    assert {person: e.score for (_m, person), e in entries.items()} == {
        "anna": cases["perfekt"].expected_score, "ben": cases["teilweise"].expected_score}
    assert kommfit(["feedback", "--kohorte", str(root)]) == 0  # the files a facilitator hands back to each person
    for person in ("anna", "ben"):
        page = (root / "feedback" / person / MODULE / f"{MODULE}.html").read_text(encoding="utf-8")
        assert "Ihr Ergebnis:" in page

    capsys.readouterr()
    assert kommfit(["collect", "--zip", str(inbox), "--kohorte", str(root)]) == 0
    again = capsys.readouterr().out
    assert "schon übernommen" in again and again.splitlines()[-1].startswith("0 von 7")

    assert "m10-freiwillig-staerken" in (root / "autograded" / "anna" / MODULE / ".antworten.json").read_text()
    assert kommfit(["report", "--kohorte", str(root)]) == 0
    with (root / "bericht" / "talente.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    assert rows == [["id", "name", "abteilung", "email", "angaben"]]  # the smuggled opt-in counts for nothing
