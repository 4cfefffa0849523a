"""Hub-mode collect and export against a hostile exchange: real nbgrader exchange, real `kommfit` CLI, temp cohort.

Every participant can write to ``inbound/``. What they put there must never bring the cohort's secret, roster,
gradebook or keys into ``submitted/`` or an export, never hang or fail a module's collect, and never hide someone
else's real hand-in (DESIGN.md, "Private").
"""

from __future__ import annotations

import json
import os
import pwd
import shutil
import stat
import subprocess
import sys
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kommfit.app.cli import main as kommfit
from kommfit.app.demo import fetch_as, submit_as
from kommfit.core.profile import default_profile_path
from kommfit.workshop.cohort import Cohort
from kommfit.workshop.roster import Person, write_roster

from ..conftest import REPO_ROOT

pytestmark = pytest.mark.slow
MODULE = "01-jede-stimme-zaehlt"
PEOPLE = {"anna": "Anna Albrecht", "bert": "Bert Brandt", "cem": "Cem Çelik"}
NOBODY = 65534


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """A cohort with three people and the module released — made once, copied for each test."""
    base = tmp_path_factory.mktemp("vorlage")
    roster = base / "liste.csv"
    write_roster(roster, [Person(i, name, "Kundendienst") for i, name in PEOPLE.items()])
    source = base / "curriculum"
    shutil.copytree(REPO_ROOT / "source" / MODULE, source / MODULE)
    root = base / "kohorte"
    assert kommfit(["init", str(root), "--profile", str(default_profile_path()), "--roster", str(roster),
                    "--module", str(source)]) == 0
    assert kommfit(["release", MODULE, "--kohorte", str(root)]) == 0
    return root


@pytest.fixture
def cohort(template, tmp_path) -> Cohort:
    root = tmp_path / "kohorte"
    shutil.copytree(template, root, symlinks=True)
    config = root / "nbgrader_config.py"
    config.write_text(config.read_text(encoding="utf-8").replace(str(template), str(root)), encoding="utf-8")
    cohort = Cohort.open(root)
    assert cohort.exchange == root / "austausch"
    return cohort


def inbound(cohort: Cohort) -> Path:
    return cohort.exchange / cohort.course_id / "inbound"


def hand_in(cohort: Cohort, person: str, note: str = "") -> Path:
    """What the participant's Fetch and Submit buttons do; ``note`` goes into an extra file to tell hand-ins apart."""
    home = cohort.root.parent / "konten" / person
    folder = home / MODULE
    if not folder.exists():
        fetch_as(cohort, person, MODULE, home)
    (folder / "notiz.txt").write_text(note, encoding="utf-8")
    before = set(inbound(cohort).iterdir())
    submit_as(cohort, person, MODULE, home)
    (new,) = set(inbound(cohort).iterdir()) - before
    return new


def forge(cohort: Cohort, name: str, note: str = "gefälscht") -> Path:
    """A hand-in folder made by hand in the exchange, as anyone with a shell on the hub can."""
    folder = inbound(cohort) / name
    shutil.copytree(cohort.root / "release" / MODULE, folder)
    (folder / "notiz.txt").write_text(note, encoding="utf-8")
    (folder / "timestamp.txt").write_text(name.split("+")[2] if name.count("+") >= 2 else "", encoding="utf-8")
    return folder


def stamp(when: datetime) -> str:
    return when.strftime("%Y-%m-%d %H:%M:%S.%f UTC")


def collect(cohort: Cohort, capsys) -> str:
    capsys.readouterr()
    assert kommfit(["collect", MODULE, "--kohorte", str(cohort.root)]) == 0
    return capsys.readouterr().out


def submitted(cohort: Cohort, person: str) -> Path:
    return cohort.folder("submitted", person, MODULE)


def all_entries(folder: Path) -> list[Path]:
    return [Path(d) / n for d, dirs, files in os.walk(folder) for n in dirs + files]


def test_links_in_a_hand_in_reach_neither_submitted_nor_the_export(cohort, capsys, tmp_path):
    """Do links to the secret, the roster, the gradebook, a source notebook and the cohort folder stay links that
    are left out — in collect and in the DSGVO export — with a message naming them?"""
    folder = hand_in(cohort, "anna", "echt")
    targets = {
        "geheimnis.txt": cohort.state / "geheimnis",
        "liste.csv": cohort.root / "teilnehmende.csv",
        "gradebook.db": cohort.root / "gradebook.db",
        "loesung.ipynb": cohort.root / "source" / MODULE / f"{MODULE}.ipynb",
        "kohorte": cohort.root,
    }
    for name, target in targets.items():
        (folder / name).symlink_to(target)
    out = collect(cohort, capsys)

    secret = (cohort.state / "geheimnis").read_text(encoding="ascii")
    collected = submitted(cohort, "anna")
    assert (collected / f"{MODULE}.ipynb").is_file() and (collected / "notiz.txt").read_text() == "echt"
    entries = all_entries(collected)
    assert not any(p.is_symlink() for p in entries)
    assert not set(targets) & {p.name for p in entries}
    for path in entries:
        if path.is_file():
            data = path.read_bytes()
            assert secret.encode() not in data and b"Bert Brandt" not in data
            assert not data.startswith(b"SQLite format 3") and b"BEGIN HIDDEN TESTS" not in data
    line = next(line for line in out.splitlines() if "nicht übernommen" in line)
    assert folder.name in line and all(f"{name} (Verknüpfung)" in line for name in targets)

    assert kommfit(["export", "anna", "--kohorte", str(cohort.root), "--ausgabe", str(tmp_path / "auskunft")]) == 0
    (archive,) = (tmp_path / "auskunft").glob("*.zip")
    with zipfile.ZipFile(archive) as bundle:
        names = bundle.namelist()
        assert f"austausch/eingereicht/{folder.name}/{MODULE}.ipynb" in names
        assert not any(n.rsplit("/", 1)[-1] in targets for n in names)
        for name in names:
            data = bundle.read(name)
            assert secret.encode() not in data and b"Bert Brandt" not in data and b"BEGIN HIDDEN TESTS" not in data
        left_out = json.loads(bundle.read("auskunft.json"))["nicht_aufgenommen"]["eintraege"]
    assert f"austausch/eingereicht/{folder.name}/geheimnis.txt (Verknüpfung)" in left_out


def test_a_link_as_the_hand_in_folder_itself_is_set_aside(cohort, capsys):
    """Is an inbound entry that is itself a link to a folder (the cohort's source) set aside, naming it?"""
    name = f"anna+{MODULE}+{stamp(datetime.now(UTC) - timedelta(minutes=1))}+verweis"
    (inbound(cohort) / name).symlink_to(cohort.root / "source" / MODULE)
    out = collect(cohort, capsys)
    assert f"Abgabeordner „{name}“ beiseitegelegt: Das ist kein Ordner (Verknüpfung)." in out
    assert not submitted(cohort, "anna").exists()


@pytest.mark.timeout(120)
def test_a_fifo_in_a_hand_in_does_not_hang_collect(cohort, capsys):
    """Does collect finish, leave the FIFO out and take the rest of the hand-in?"""
    folder = hand_in(cohort, "anna", "echt")
    os.mkfifo(folder / "warteschlange.json")
    out = collect(cohort, capsys)
    assert "warteschlange.json (FIFO)" in out
    assert not (submitted(cohort, "anna") / "warteschlange.json").exists()
    assert (submitted(cohort, "anna") / "notiz.txt").read_text() == "echt"


def test_a_forged_future_folder_does_not_shadow_the_newest_real_hand_in(cohort, capsys):
    """Is anna's newest real hand-in collected although a folder in her name claims the year 2099?"""
    hand_in(cohort, "anna", "erste")
    hand_in(cohort, "anna", "zweite")
    forged = forge(cohort, f"anna+{MODULE}+2099-12-31 23:59:59.000000 UTC+x")
    out = collect(cohort, capsys)
    assert f"„{forged.name}“ beiseitegelegt: Der Zeitpunkt" in out and "in der Zukunft" in out
    collected = submitted(cohort, "anna")
    assert (collected / "notiz.txt").read_text() == "zweite"
    assert not (collected / "timestamp.txt").read_text().startswith("2099")


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a folder to another account")
def test_a_folder_owned_by_another_account_is_set_aside(cohort, capsys):
    """Is a newer folder in anna's name that belongs to the account nobody set aside, and anna's own collected?
    Is bert's only folder, owned by nobody, not collected at all? Is a file of another account inside a hand-in
    (what a hard link to someone else's file looks like) left out?"""
    own = hand_in(cohort, "anna", "echt")
    (own / "fremd.txt").write_text("nicht von anna", encoding="utf-8")
    os.lchown(own / "fremd.txt", NOBODY, NOBODY)
    for folder in (forge(cohort, f"anna+{MODULE}+{stamp(datetime.now(UTC))}+fremd"),
                   forge(cohort, f"bert+{MODULE}+{stamp(datetime.now(UTC))}+fremd")):
        for path in [folder, *all_entries(folder)]:
            os.lchown(path, NOBODY, NOBODY)
    out = collect(cohort, capsys)
    owner = _account_name(NOBODY)
    assert out.count(f"beiseitegelegt: Der Ordner gehört dem Konto „{owner}“") == 2
    assert (submitted(cohort, "anna") / "notiz.txt").read_text() == "echt"
    assert "fremd.txt (gehört einem anderen Konto)" in out and not (submitted(cohort, "anna") / "fremd.txt").exists()
    assert not submitted(cohort, "bert").exists()


def _account_name(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"uid {uid}"


def test_broken_names_and_unknown_ids_are_set_aside_and_the_rest_is_collected(cohort, capsys):
    """Do a broken time, a non-time, a name with too many parts and an id not on the roster each get one line
    naming the folder, while anna and bert are collected — by `kommfit collect` and by a plain `nbgrader collect`?"""
    hand_in(cohort, "anna", "anna")
    hand_in(cohort, "bert", "bert")
    now = stamp(datetime.now(UTC) - timedelta(minutes=1))
    broken = {
        f"x+{MODULE}+kaputt": "Der Zeitpunkt „kaputt“ ist ungültig.",
        f"cem+{MODULE}+1+x": "Der Zeitpunkt „1“ ist ungültig.",
        f"anna+bert+{MODULE}+{now}": "Der Name hat nicht die Form Kennung+Modul+Zeitpunkt.",
        f"mallory+{MODULE}+{now}+abc": "Die Kennung „mallory“ steht nicht in der Teilnehmendenliste.",
    }
    for name in broken:
        forge(cohort, name)
    out = collect(cohort, capsys)
    for name, reason in broken.items():
        assert f"Abgabeordner „{name}“ beiseitegelegt: {reason}" in out.splitlines()
    assert sorted(p.name for p in (cohort.root / "submitted").iterdir()) == ["anna", "bert"]
    assert out.splitlines()[-1].startswith("Eingesammelt: 2 Abgaben")

    shutil.rmtree(cohort.root / "submitted")
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    plain = subprocess.run([sys.executable, "-m", "nbgrader", "collect", MODULE], cwd=cohort.root, env=env,
                           capture_output=True, text=True)
    assert plain.returncode == 0, plain.stderr
    assert f"Abgabeordner „x+{MODULE}+kaputt“ beiseitegelegt" in plain.stderr
    assert sorted(p.name for p in (cohort.root / "submitted").iterdir()) == ["anna", "bert"]


def test_escape_codes_in_folder_and_file_names_are_not_printed_raw(cohort, capsys):
    """Are terminal escape codes in a set-aside folder's name and in a left-out link's name shown as `?`?"""
    forge(cohort, f"x\x1b]0;übernommen\x07+{MODULE}+kaputt")
    forge(cohort, f"anna+{MODULE}+{stamp(datetime.now(UTC))}+\x1b[2J")
    folder = hand_in(cohort, "bert")
    (folder / "\x1b[31mrot").symlink_to(cohort.state / "geheimnis")
    out = collect(cohort, capsys)
    assert "\x1b" not in out and "\x07" not in out
    assert f"„x?]0;übernommen?+{MODULE}+kaputt“ beiseitegelegt" in out
    assert "?[2J“ beiseitegelegt: Der Name hat nicht die Form" in out
    assert "?[31mrot (Verknüpfung)" in out


def test_collected_files_are_private_whatever_modes_the_participant_chose(cohort, capsys):
    """Do files land 0600 and folders 0700, even when the participant made them setuid or world-writable?"""
    folder = hand_in(cohort, "anna")
    (folder / "unterordner").mkdir()
    (folder / "unterordner" / "skript.sh").write_text("#!/bin/sh\n", encoding="utf-8")
    os.chmod(folder / "unterordner" / "skript.sh", 0o4777)
    os.chmod(folder / "unterordner", 0o777)
    os.chmod(folder / f"{MODULE}.ipynb", 0o6755)
    collect(cohort, capsys)
    collected = submitted(cohort, "anna")
    modes = {p.relative_to(collected).as_posix(): stat.S_IMODE(p.lstat().st_mode) for p in all_entries(collected)}
    assert modes["unterordner/skript.sh"] == modes[f"{MODULE}.ipynb"] == modes["timestamp.txt"] == 0o600
    assert set(modes.values()) == {0o600, 0o700} and modes["unterordner"] == 0o700
    assert stat.S_IMODE(collected.stat().st_mode) == stat.S_IMODE(collected.parent.stat().st_mode) == 0o700


def test_a_hand_in_without_its_secret_gets_one_so_feedback_works_for_the_module(cohort, capsys):
    """Does a hand-made exchange folder without submission_secret.txt get one at collect, so that nbgrader's
    release_feedback (which needs it for every graded submission) cannot fail for the whole module?"""
    made = hand_in(cohort, "anna")
    (made / "submission_secret.txt").unlink()
    hand_in(cohort, "bert")
    collect(cohort, capsys)
    for person in ("anna", "bert"):
        secret = submitted(cohort, person) / "submission_secret.txt"
        assert secret.is_file() and len(secret.read_text(encoding="ascii").strip()) >= 64
        assert stat.S_IMODE(secret.stat().st_mode) == 0o600
