"""Authentic, harmless laptop hand-ins: a personal hand-in code per id, zips that cannot smuggle modes, links or bombs
into submitted/, dates that cannot block anybody, talent opt-ins only where they are offered, private cohort files."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import stat
import struct
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kommfit.activities.handin import STAMP_FORMAT, write_handin
from kommfit.activities.talent import TalentCheck
from kommfit.app.cli import main as kommfit
from kommfit.core import handincode
from kommfit.core.answers import AnswerStore
from kommfit.core.profile import default_profile_path
from kommfit.reports.records import volunteers
from kommfit.workshop.cohort import Cohort
from kommfit.workshop.roster import Person, write_roster
from kommfit.workshop.zipintake import ACCEPTED, DAMAGED, REFUSED, collect_zips

from ..conftest import REPO_ROOT

MODULE = "01-jede-stimme-zaehlt"
TALENT_MODULE = "10-mein-fitnessplan"
TALENT_ID = "m10-freiwillig-staerken"
PEOPLE = ("anna", "ben", "cem", "dora", "emil", "finn", "greta", "hugo", "ida", "jan", "otto")
NOW = datetime.now(UTC).replace(microsecond=0)
EARLIER = NOW - timedelta(hours=3)
# Offsets in a zip's central directory record
CD_FILE_SIZE, CD_HEADER_OFFSET = 24, 42


# ------------------------------------------------------------------------------------------------- the codes
def test_codes_are_short_unambiguous_and_forgiving_to_type():
    """Is a code three groups of four from an alphabet without look-alikes, the same for the same secret and id,
    accepted in any case and spacing, and is every single mistyped character and a code for another id caught?"""
    code = handincode.derive(b"geheim", "tn017")
    assert code == handincode.derive(b"geheim", "tn017") != handincode.derive(b"anders", "tn017")
    groups = code.split("-")
    assert [len(g) for g in groups] == [4, 4, 4] and all(c in handincode.ALPHABET for c in "".join(groups))
    assert not set("IO01") & set(handincode.ALPHABET)
    assert handincode.problem(code, "tn017") is None
    assert handincode.problem(f"  {code.lower().replace('-', ' ')} ", "tn017") is None
    assert handincode.matches(code, code.lower().replace("-", "")) and not handincode.matches(code, code[:-1] + "X")
    plain = handincode.normalize(code)
    for position in range(len(plain)):
        for other in handincode.ALPHABET.replace(plain[position], ""):
            typo = plain[:position] + other + plain[position + 1:]
            assert handincode.problem(typo, "tn017"), typo
    foreign = [handincode.derive(b"geheim", f"p{n}") for n in range(200)]
    assert sum(handincode.problem(c, "tn017") is None for c in foreign) < 20  # about 1 in 32 passes by chance
    assert "Abgabecode" in handincode.problem("", "tn017") and "12 Zeichen" in handincode.problem("AB12", "tn017")


# ------------------------------------------------------------------------------------------------- a cohort
@pytest.fixture(scope="module")
def cohort(tmp_path_factory) -> Cohort:
    """A cohort with modules 01 and 10, module 01 released, created under the common umask 022."""
    base = tmp_path_factory.mktemp("abgabecodes")
    roster = base / "liste.csv"
    write_roster(roster, [Person(p, f"{p.title()} Muster", "Test") for p in PEOPLE])
    source = base / "curriculum"
    for module in (MODULE, TALENT_MODULE):
        shutil.copytree(REPO_ROOT / "source" / module, source / module)
    old = os.umask(0o022)
    try:
        assert kommfit(["init", str(base / "kohorte"), "--profile", str(default_profile_path()), "--roster",
                        str(roster), "--module", str(source)]) == 0
    finally:
        os.umask(old)
    assert kommfit(["release", MODULE, "--kohorte", str(base / "kohorte")]) == 0
    return Cohort.open(base / "kohorte")


def laptop_zip(cohort: Cohort, tmp_path: Path, person: str, when: datetime = EARLIER, code: str | None = None,
               as_person: str | None = None) -> Path:
    """What "Abgabe exportieren" writes on ``person``'s laptop (with their code unless another is given)."""
    folder = tmp_path / "laptop" / person / MODULE
    shutil.rmtree(folder.parent, ignore_errors=True)
    shutil.copytree(cohort.root / "release" / MODULE, folder)
    AnswerStore.in_folder(folder).record("m01-probe", f"antwort-von-{person}", "h", "graded")
    return write_handin(folder, as_person or person, code or cohort.handin_code(as_person or person),
                        clock=lambda: when)


def rezip(source: Path, target: Path, change: Callable[[zipfile.ZipInfo, bytes], tuple | None]) -> Path:
    """A copy of ``source`` with every entry passed through ``change`` (returns (info, data), or None to drop it)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            changed = change(info, old.read(info))
            if changed is not None:
                new.writestr(*changed)
    return target


def set_mode(mode: int, only: str = "") -> Callable[[zipfile.ZipInfo, bytes], tuple]:
    def change(info: zipfile.ZipInfo, data: bytes) -> tuple:
        if info.filename.endswith(only):
            info.external_attr = mode << 16
        return info, data

    return change


def patch_central_directory(archive: Path, name_end: str, field: int, value: int) -> None:
    """Overwrite one 4-byte field of the central directory record of the entry whose name ends with ``name_end``."""
    data = bytearray(archive.read_bytes())
    with zipfile.ZipFile(archive) as bundle:
        offset = bundle.start_dir
    while data[offset:offset + 4] == b"PK\x01\x02":
        name_length, extra_length, comment_length = struct.unpack_from("<3H", data, offset + 28)
        if data[offset + 46:offset + 46 + name_length].decode().endswith(name_end):
            struct.pack_into("<L", data, offset + field, value)
        offset += 46 + name_length + extra_length + comment_length
    archive.write_bytes(bytes(data))


def local_header_offset(archive: Path, name_end: str) -> int:
    with zipfile.ZipFile(archive) as bundle:
        return next(i.header_offset for i in bundle.infolist() if i.filename.endswith(name_end))


def inbox(tmp_path: Path, *archives: Path) -> Path:
    folder = tmp_path / "eingang"
    folder.mkdir(exist_ok=True)
    for archive in archives:
        if archive.parent != folder:
            shutil.copy(archive, folder / archive.name)
    return folder


def collect(cohort: Cohort, folder: Path) -> dict[str, tuple[str, str]]:
    return {r.archive: (r.status, r.message) for r in collect_zips(cohort, folder, now=NOW)}


def submission(cohort: Cohort, person: str) -> Path:
    return cohort.folder("submitted", person, MODULE)


# ------------------------------------------------------------------------------------------------- tests
@pytest.mark.slow
def test_modes_stored_in_a_zip_never_reach_submitted(cohort, tmp_path):
    """Does a hand-in whose entries say setuid and 0777 land in submitted/ as 0600 files in a 0700 folder, without
    the seal?"""
    genuine = laptop_zip(cohort, tmp_path, "dora")
    hostile = rezip(genuine, inbox(tmp_path) / "dora.zip", set_mode(stat.S_IFREG | 0o4777))
    assert collect(cohort, hostile.parent)["dora.zip"][0] == ACCEPTED
    files = sorted(submission(cohort, "dora").iterdir())
    assert [p.name for p in files] == [".antworten.json", f"{MODULE}.ipynb", "submission_secret.txt", "timestamp.txt"]
    assert {stat.S_IMODE(p.stat().st_mode) for p in files} == {0o600}
    assert stat.S_IMODE(submission(cohort, "dora").stat().st_mode) == 0o700
    with zipfile.ZipFile(genuine) as bundle:
        notebook = bundle.read(next(n for n in bundle.namelist() if n.endswith(".ipynb")))
    assert (submission(cohort, "dora") / f"{MODULE}.ipynb").read_bytes() == notebook


@pytest.mark.slow
def test_links_and_devices_inside_a_zip_are_refused(cohort, tmp_path):
    """Is a zip refused, in German and naming the kind, when an entry is a symbolic link or a device?"""
    genuine = laptop_zip(cohort, tmp_path, "emil")
    folder = inbox(tmp_path)
    rezip(genuine, folder / "link.zip", set_mode(stat.S_IFLNK | 0o777, ".antworten.json"))
    rezip(genuine, folder / "geraet.zip", set_mode(stat.S_IFCHR | 0o666, ".antworten.json"))
    results = collect(cohort, folder)
    assert results["link.zip"] == (REFUSED, "Der Eintrag '" + f"{EARLIER:{STAMP_FORMAT}}/emil/{MODULE}/.antworten.json"
                                   "' ist keine gewöhnliche Datei (Verknüpfung) und wird nicht geöffnet.")
    assert results["geraet.zip"][0] == REFUSED and "(Gerätedatei)" in results["geraet.zip"][1]
    assert not submission(cohort, "emil").exists()


@pytest.mark.slow
def test_a_hand_in_under_someone_elses_id_is_refused_and_blocks_nothing(cohort, tmp_path):
    """Is a later zip under finn's id refused when it was not sealed with finn's code — made with a code of another
    cohort, with greta's own code, or re-dated from finn's genuine zip — while finn's real, earlier zip counts?"""
    folder = inbox(tmp_path)
    real = laptop_zip(cohort, tmp_path, "finn")
    shutil.copy(real, folder / "finn-echt.zip")
    later = NOW - timedelta(minutes=5)
    other_cohort = handincode.derive(b"eine andere Kohorte", "finn")  # passes the widget's check for finn
    shutil.copy(laptop_zip(cohort, tmp_path, "greta", when=later, as_person="finn", code=other_cohort),
                folder / "finn-fremder-code.zip")
    stamp = f"{later:{STAMP_FORMAT}}"

    def with_gretas_code(info: zipfile.ZipInfo, data: bytes) -> tuple | None:
        parts = info.filename.split("/")
        name = "/".join([stamp, *parts[1:]])
        if parts[-1] == handincode.MANIFEST_NAME:
            files = json.loads(data)["dateien"]
            data = handincode.manifest(cohort.handin_code("greta"), "finn", MODULE, stamp, files)
        return name, data

    rezip(real, folder / "finn-gretas-code.zip", with_gretas_code)
    rezip(real, folder / "finn-umdatiert.zip", lambda info, data: ("/".join([stamp, *info.filename.split("/")[1:]]),
                                                                    data))
    results = collect(cohort, folder)
    assert results["finn-echt.zip"][0] == ACCEPTED
    for forged in ("finn-fremder-code.zip", "finn-gretas-code.zip"):
        assert results[forged] == (REFUSED, "Der Abgabecode passt nicht zur Kennung finn: Diese Abgabe wurde nicht "
                                   "mit dem Abgabecode von finn exportiert und wird nicht übernommen. Bitte am Laptop "
                                   "mit Kennung und Abgabecode neu exportieren.")
    status, message = results["finn-umdatiert.zip"]
    assert status == REFUSED and "nach dem Export geändert" in message
    answers = json.loads((submission(cohort, "finn") / ".antworten.json").read_text(encoding="utf-8"))
    assert answers["answers"]["m01-probe"]["value"] == "antwort-von-finn"


@pytest.mark.slow
def test_a_missing_seal_or_changed_files_are_refused_in_german(cohort, tmp_path):
    """Is a zip without the seal (not made with the hand-in code) refused, and one whose notebook was changed after
    the export?"""
    genuine = laptop_zip(cohort, tmp_path, "hugo")
    folder = inbox(tmp_path)
    rezip(genuine, folder / "ohne-code.zip",
          lambda info, data: None if info.filename.endswith(handincode.MANIFEST_NAME) else (info, data))
    rezip(genuine, folder / "veraendert.zip",
          lambda info, data: (info, data.replace(b"antwort-von-hugo", b"antwort-von-HUGO")))
    results = collect(cohort, folder)
    assert results["ohne-code.zip"][0] == REFUSED and "trägt keinen Abgabecode" in results["ohne-code.zip"][1]
    assert results["veraendert.zip"] == (REFUSED, "Die Dateien in der ZIP-Datei wurden nach dem Export verändert. "
                                         "Bitte am Laptop mit Kennung und Abgabecode neu exportieren.")
    assert not submission(cohort, "hugo").exists()


@pytest.mark.slow
def test_an_impossible_or_future_date_refuses_only_that_zip(cohort, tmp_path):
    """Does a sealed zip dated 20261399T999999Z, or a month ahead, get refused alone — while another zip of the same
    module is taken in, over a submission whose timestamp.txt cannot be read?"""
    folder = inbox(tmp_path)
    shutil.copy(laptop_zip(cohort, tmp_path, "ida"), folder / "ida.zip")
    genuine = laptop_zip(cohort, tmp_path, "jan")
    bad = "20261399T999999Z"

    def redate(info: zipfile.ZipInfo, data: bytes) -> tuple:
        parts = info.filename.split("/")
        if parts[-1] == handincode.MANIFEST_NAME:
            data = handincode.manifest(cohort.handin_code("jan"), "jan", MODULE, bad, json.loads(data)["dateien"])
        return "/".join([bad, *parts[1:]]), data

    rezip(genuine, folder / "jan-unmoeglich.zip", redate)
    shutil.copy(laptop_zip(cohort, tmp_path, "jan", when=NOW + timedelta(days=30)), folder / "jan-zukunft.zip")
    submission(cohort, "ida").mkdir(parents=True)
    (submission(cohort, "ida") / "timestamp.txt").write_text("irgendwann \x00 vielleicht", encoding="utf-8")
    results = collect(cohort, folder)
    assert results["ida.zip"][0] == ACCEPTED
    assert results["jan-unmoeglich.zip"] == (REFUSED, "Die ZIP-Datei hat keinen gültigen Zeitstempel. Bitte mit "
                                             "„Abgabe exportieren“ erzeugen.")
    assert results["jan-zukunft.zip"][0] == REFUSED and "liegt in der Zukunft" in results["jan-zukunft.zip"][1]
    assert not submission(cohort, "jan").exists()
    assert (submission(cohort, "ida") / f"{MODULE}.ipynb").is_file()


@pytest.mark.slow
def test_zip_bombs_are_refused_from_the_headers(cohort, tmp_path):
    """Are a zip whose directory declares a 4-GB entry, one with a real 30-MB entry and one with overlapping entries
    refused from the headers — before anything is decompressed (decompressing would report a damaged file)?"""
    genuine = laptop_zip(cohort, tmp_path, "ben")
    folder = inbox(tmp_path)
    declared = Path(shutil.copy(genuine, folder / "riesig-angegeben.zip"))
    patch_central_directory(declared, ".ipynb", CD_FILE_SIZE, 0xFFFFFFF0)
    stamp = f"{EARLIER:{STAMP_FORMAT}}"
    with zipfile.ZipFile(folder / "riesig.zip", "w", zipfile.ZIP_DEFLATED) as bundle:
        bundle.writestr(f"{stamp}/ben/{MODULE}/{MODULE}.ipynb", b" " * (30 * 2**20))
    overlapping = Path(shutil.copy(genuine, folder / "ueberlappend.zip"))
    patch_central_directory(overlapping, ".antworten.json", CD_HEADER_OFFSET,
                            local_header_offset(overlapping, ".ipynb"))
    results = collect(cohort, folder)
    assert results["riesig-angegeben.zip"] == (REFUSED, f"{MODULE}.ipynb ist zu groß (4.294.967.280 Bytes laut "
                                               "ZIP-Verzeichnis; höchstens 20 MB).")
    assert results["riesig.zip"][0] == REFUSED and "ist zu groß" in results["riesig.zip"][1]
    assert results["ueberlappend.zip"][0] == REFUSED and "überlappen sich" in results["ueberlappend.zip"][1]
    assert DAMAGED not in {message for _status, message in results.values()}
    assert not submission(cohort, "ben").exists()


@pytest.mark.slow
@pytest.mark.timeout(120)
def test_fifos_and_links_named_zip_are_never_opened(cohort, tmp_path):
    """Does collect pass over a FIFO, a link to a genuine zip and a link to a device, all named *.zip, with a German
    reason each — without hanging on the FIFO or reading through a link?"""
    folder = inbox(tmp_path)
    os.mkfifo(folder / "rohr.zip")
    elsewhere = laptop_zip(cohort, tmp_path, "cem")
    (folder / "verknuepfung.zip").symlink_to(elsewhere)
    (folder / "geraet.zip").symlink_to("/dev/zero")
    results = collect(cohort, folder)
    assert results == {
        "geraet.zip": (REFUSED, "Die Datei ist keine gewöhnliche Datei (Verknüpfung) und wird nicht geöffnet."),
        "rohr.zip": (REFUSED, "Die Datei ist keine gewöhnliche Datei (FIFO) und wird nicht geöffnet."),
        "verknuepfung.zip": (REFUSED, "Die Datei ist keine gewöhnliche Datei (Verknüpfung) und wird nicht geöffnet."),
    }
    assert not submission(cohort, "cem").exists()


@pytest.mark.slow
def test_talent_opt_ins_count_only_under_the_module_and_id_that_offer_them(cohort):
    """Does talente.csv's source take anna's opt-in from module 10's talent widget — and ignore a voluntary entry
    under module 01, under another id of module 10, and one without the opt-in?"""
    def folder(person: str, module: str) -> Path:
        path = cohort.root / "autograded" / person / module
        path.mkdir(parents=True)
        return path

    check = TalentCheck(TALENT_ID, store=AnswerStore.in_folder(folder("anna", TALENT_MODULE)))
    check.ratings = {"video": "gern"}
    check.opted_in = True
    AnswerStore.in_folder(folder("ben", MODULE)).record(TALENT_ID, {"ansprechen": "ja", "video": "gern"}, "x",
                                                        "voluntary")
    AnswerStore.in_folder(folder("cem", TALENT_MODULE)).record("m10-anderes", {"ansprechen": "ja"}, "x", "voluntary")
    AnswerStore.in_folder(folder("dora", TALENT_MODULE)).record(TALENT_ID, {"video": "gern"}, "x", "voluntary")
    assert volunteers(cohort) == {"anna": {TALENT_ID: {"ansprechen": "ja", "video": "gern"}}}


@pytest.mark.slow
def test_cohort_files_with_personal_data_or_passwords_are_private_by_themselves(cohort, capsys):
    """After `init` under umask 022: are roster, profile, nbgrader_config.py, gradebook (with -wal/-shm), secret and
    the code list 0600 and .kommfit/ 0700 — while the exchange stays open for participants? Does the list hold each
    person's code, and does `kommfit codes` show it?"""
    root = cohort.root
    private = [root / "teilnehmende.csv", root / "kurs.toml", root / "nbgrader_config.py", root / "gradebook.db",
               root / ".kommfit" / "geheimnis", cohort.code_list]
    private += [p for p in (root / "gradebook.db-wal", root / "gradebook.db-shm") if p.exists()]
    assert {p.name: stat.S_IMODE(p.stat().st_mode) for p in private} == {p.name: 0o600 for p in private}
    assert stat.S_IMODE((root / ".kommfit").stat().st_mode) == 0o700
    assert stat.S_IMODE((root / "austausch").stat().st_mode) == 0o777
    assert cohort.code_list == root / ".kommfit" / "abgabecodes.csv"
    with cohort.code_list.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    assert rows[0] == ["id", "name", "abteilung", "abgabecode"]
    assert {row[0]: row[3] for row in rows[1:]} == {p: cohort.handin_code(p) for p in PEOPLE}
    capsys.readouterr()
    assert kommfit(["codes", "anna", "--kohorte", str(root)]) == 0
    out = capsys.readouterr().out
    assert f"anna  {cohort.handin_code('anna')}  Anna Muster" in out and "ben" not in out
    assert kommfit(["codes", "niemand", "--kohorte", str(root)]) == 1
    assert "Nicht in der Teilnehmendenliste: niemand" in capsys.readouterr().err


@pytest.mark.slow
def test_forget_removes_the_person_from_the_code_list(cohort):
    """After `kommfit forget otto`, is otto gone from the printable code list (which stays 0600)?"""
    assert "otto" in cohort.code_list.read_text(encoding="utf-8-sig")
    assert kommfit(["forget", "otto", "--ja", "--kohorte", str(cohort.root)]) == 0
    text = cohort.code_list.read_text(encoding="utf-8-sig")
    assert "otto" not in text and cohort.handin_code("otto") not in text and "anna" in text
    assert stat.S_IMODE(cohort.code_list.stat().st_mode) == 0o600


def test_the_seal_binds_id_module_time_and_files():
    """Does the seal change with every field it covers and with the code, and is the code itself not in it?"""
    code = handincode.derive(b"geheim", "tn017")
    files = {"a.ipynb": hashlib.sha256(b"x").hexdigest()}
    base = handincode.seal(code, "tn017", MODULE, "20261127T090000Z", files)
    assert base == handincode.seal(code.lower().replace("-", " "), "tn017", MODULE, "20261127T090000Z", files)
    variants = [
        handincode.seal(code, "tn018", MODULE, "20261127T090000Z", files),
        handincode.seal(code, "tn017", "02-x", "20261127T090000Z", files),
        handincode.seal(code, "tn017", MODULE, "20261127T090001Z", files),
        handincode.seal(code, "tn017", MODULE, "20261127T090000Z", {"a.ipynb": hashlib.sha256(b"y").hexdigest()}),
        handincode.seal(handincode.derive(b"geheim", "tn018"), "tn017", MODULE, "20261127T090000Z", files),
    ]
    assert base not in variants and len(set(variants)) == len(variants)
    manifest = handincode.manifest(code, "tn017", MODULE, "20261127T090000Z", files)
    assert handincode.normalize(code).encode() not in manifest and json.loads(manifest)["siegel"] == base
