"""Laptop mode: "Abgabe exportieren" writes one zip; `kommfit collect --zip` takes good zips in and refuses bad ones."""

from __future__ import annotations

import shutil
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kommfit.cli import main as kommfit
from kommfit.cohort import Cohort
from kommfit.handin import HandIn, HandInError, archive_name, write_handin
from kommfit.ledger import LEDGER_FILE, Ledger
from kommfit.profile import default_profile_path
from kommfit.reference import load_cases
from kommfit.roster import Person, write_roster
from kommfit.synthetic import answer_through_widgets

from .conftest import REPO_ROOT

MODULE = "01-jede-stimme-zaehlt"


def module_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "laptop" / MODULE
    shutil.copytree(REPO_ROOT / "release" / MODULE, folder)
    return folder


def test_export_writes_one_clearly_named_zip_with_notebook_and_answers(tmp_path):
    """Does the export hold exactly the notebook and the answer file, under <zeit>/<kennung>/<modul>/?"""
    folder = module_folder(tmp_path)
    (folder / ".antworten.json").write_text('{"schema": 1, "answers": {}}', encoding="utf-8")
    archive = write_handin(folder, "tn017", clock=lambda: datetime(2026, 11, 27, 9, 30, tzinfo=UTC))
    assert archive == folder.parent / archive_name(MODULE, "tn017") == folder.parent / f"Abgabe_{MODULE}_tn017.zip"
    with zipfile.ZipFile(archive) as bundle:
        assert sorted(bundle.namelist()) == [f"20261127T093000Z/tn017/{MODULE}/.antworten.json",
                                             f"20261127T093000Z/tn017/{MODULE}/{MODULE}.ipynb"]


def test_export_widget_explains_a_bad_id_and_writes_nothing_during_grading(tmp_path, monkeypatch):
    """Is an invalid id explained in German, and does the button write nothing while nbgrader grades?"""
    folder = module_folder(tmp_path)
    widget = HandIn(folder)
    widget.person.value = "tn 017"
    widget.button.click()
    assert "Kennung" in widget.status.value and not list(folder.parent.glob("*.zip"))
    widget.person.value = "tn017"
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    assert widget.export() is None and not list(folder.parent.glob("*.zip"))
    monkeypatch.delenv("NBGRADER_EXECUTION")
    widget.button.click()
    assert "Gespeichert als" in widget.status.value
    with pytest.raises(HandInError):
        write_handin(tmp_path, "tn017")  # a folder without the module's notebook


@pytest.mark.slow
def test_collect_zip_takes_good_ones_refuses_bad_ones_and_grades(tmp_path, capsys):
    """Are valid zips collected and graded exactly, while wrong-module, duplicate, damaged and unknown ones get a
    German reason and affect nothing else?"""
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

    def export(person: str, case: str, when: datetime, name: str | None = None) -> Path:
        folder = tmp_path / "laptops" / person / MODULE
        if folder.exists():
            shutil.rmtree(folder)
        shutil.copytree(root / "release" / MODULE, folder)
        answer_through_widgets(folder / f"{MODULE}.ipynb", folder, cases[case].answers)
        archive = write_handin(folder, person, clock=lambda: when)
        return Path(shutil.copy(archive, inbox / (name or archive.name)))

    export("anna", "perfekt", datetime(2026, 11, 27, 9, 0, tzinfo=UTC))
    export("ben", "leer", datetime(2026, 11, 27, 9, 0, tzinfo=UTC), name="ben-alt.zip")
    export("ben", "teilweise", datetime(2026, 11, 27, 10, 0, tzinfo=UTC), name="ben-neu.zip")
    damaged = export("cem", "perfekt", datetime(2026, 11, 27, 9, 0, tzinfo=UTC), name="cem-kaputt.zip")
    damaged.write_bytes(damaged.read_bytes()[: len(damaged.read_bytes()) // 2])
    with zipfile.ZipFile(inbox / "falsches-modul.zip", "w") as bundle:
        bundle.writestr("20261127T090000Z/cem/99-gibt-es-nicht/99-gibt-es-nicht.ipynb", "{}")
    with zipfile.ZipFile(inbox / "fremde-person.zip", "w") as bundle:
        bundle.writestr(f"20261127T090000Z/mallory/{MODULE}/{MODULE}.ipynb", "{}")
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
