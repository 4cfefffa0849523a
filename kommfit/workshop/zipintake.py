"""``kommfit collect --zip ORDNER``: take in hand-in zips from laptops, then let nbgrader's zip_collect file them.

Every zip is checked before anything is copied. Only regular files named ``*.zip`` are opened (a link, FIFO or device
so named is refused unopened, so nothing can hang or redirect the scan). Then, from the zip's directory and local
headers alone — before one byte is decompressed: only regular file entries (no links, devices), declared sizes within
the limits, no duplicate or overlapping entries. Then the content: one person's copy of one released module of this
cohort (``<zeitpunkt>/<kennung>/<modul>/…``, no absolute paths or ``..``, a real date not in the future), a person of
the roster, the module's notebook, and the seal made with that person's hand-in code (``abgabe.json``, see
``kommfit.core.handincode``) over exactly these files — so nobody can hand in, or block a hand-in, under someone
else's id.
Reading each entry (bounded) checks its CRC.

Of several zips for the same person and module the newest counts; the others are reported as duplicates, as is a zip
that was taken in before. Each refused zip gets a German reason; nothing else is affected by it.

kommfit extracts the accepted files itself, as plain files with mode 0600 (nbgrader's unzip would keep the modes
stored in the zip, setuid bits included), without ``abgabe.json``; nbgrader's zip_collect then files them into
``submitted/``.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import shutil
import stat
import struct
import subprocess
import sys
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from ..activities.handin import STAMP_FORMAT
from ..core import handincode
from ..core.answers import ANSWER_FILE_NAME
from ..core.safe_files import kind_of
from ..course.settings import ensure_tools_on_path
from .cohort import Cohort, ensure_submission_secret, make_private, write_private

ACCEPTED = "übernommen"
REFUSED = "abgelehnt"
MAX_MEMBER_BYTES = 20 * 2**20
MAX_TOTAL_BYTES = 2 * MAX_MEMBER_BYTES
MAX_MANIFEST_BYTES = 64 * 2**10
MAX_ARCHIVE_BYTES = MAX_TOTAL_BYTES + 2**20
MAX_ENTRIES = 16
MAX_CLOCK_AHEAD = timedelta(days=1)  # a laptop clock may be off; a hand-in dated further ahead could block later ones
STAMP = re.compile(r"^\d{8}T\d{6}Z$")
FILE_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
LOCAL_HEADER = struct.Struct("<4s5H3L2H")
NOT_REGULAR = "ist keine gewöhnliche Datei ({kind}) und wird nicht geöffnet."
DAMAGED = "Die Datei ist keine gültige ZIP-Datei oder beschädigt."
BAD_STAMP = "Die ZIP-Datei hat keinen gültigen Zeitstempel. Bitte mit „Abgabe exportieren“ erzeugen."
REEXPORT = "Bitte am Laptop mit Kennung und Abgabecode neu exportieren."
# What reading a hostile zip can raise besides our own refusals; each means "this zip is broken", nothing more.
ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, struct.error, NotImplementedError,
              RuntimeError, KeyError, OverflowError)


@dataclass
class ZipResult:
    archive: str
    status: str
    message: str
    person: str = ""
    module: str = ""
    stamp: str = ""
    digests: dict[str, str] = field(default_factory=dict)  # file name → SHA-256 of what was checked


class _Refused(Exception):
    """A zip is refused; the message is German."""


def _open_regular(path: Path) -> BinaryIO:
    """Open a regular file for reading without following a link or blocking on a FIFO; refuse anything else."""
    try:
        fd = os.open(path, FILE_FLAGS)
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise _Refused("Die Datei " + NOT_REGULAR.format(kind="Verknüpfung")) from error
        raise
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise _Refused("Die Datei " + NOT_REGULAR.format(kind=kind_of(info.st_mode)))
        if info.st_size > MAX_ARCHIVE_BYTES:
            raise _Refused(f"Die ZIP-Datei ist zu groß (höchstens {MAX_ARCHIVE_BYTES // 2**20} MB).")
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _check_entries(bundle: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> list[zipfile.ZipInfo]:
    """Everything that can be checked from the zip's directory and local headers, before one byte is decompressed:
    kinds (regular files only), declared sizes, methods, duplicates and overlapping entries. Returns the files."""
    if len(infos) > MAX_ENTRIES:
        raise _Refused(f"Die ZIP-Datei enthält {len(infos)} Einträge; eine Abgabe hat höchstens drei Dateien.")
    names, files, total = set(), [], 0
    for info in infos:
        shown = repr(info.filename)
        if info.filename in names:
            raise _Refused(f"Der Eintrag {shown} steht zweimal in der ZIP-Datei. {REEXPORT}")
        names.add(info.filename)
        kind = stat.S_IFMT(info.external_attr >> 16)
        if info.is_dir():
            if kind not in (0, stat.S_IFDIR) or info.file_size:
                raise _Refused(f"Der Eintrag {shown} ist kein gewöhnlicher Ordner. {REEXPORT}")
            continue
        if kind not in (0, stat.S_IFREG):
            raise _Refused(f"Der Eintrag {shown} " + NOT_REGULAR.format(kind=kind_of(kind)))
        if info.flag_bits & 0x1:
            raise _Refused(f"Der Eintrag {shown} ist verschlüsselt. {REEXPORT}")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _Refused(f"Der Eintrag {shown} ist mit einem unbekannten Verfahren gepackt. {REEXPORT}")
        if info.file_size > MAX_MEMBER_BYTES:
            raise _Refused(f"{PurePosixPath(info.filename).name} ist zu groß ({info.file_size:,} Bytes laut "
                           f"ZIP-Verzeichnis; höchstens {MAX_MEMBER_BYTES // 2**20} MB).".replace(",", "."))
        total += info.file_size
        files.append(info)
    if total > MAX_TOTAL_BYTES:
        raise _Refused(f"Die Dateien der ZIP-Datei sind zusammen zu groß (höchstens {MAX_TOTAL_BYTES // 2**20} MB).")
    spans = []
    for info in infos:  # where each entry's bytes lie: local header, name, extra field, compressed data
        bundle.fp.seek(info.header_offset)
        header = bundle.fp.read(LOCAL_HEADER.size)
        if len(header) != LOCAL_HEADER.size or header[:4] != b"PK\x03\x04":
            raise zipfile.BadZipFile("local header missing")
        fields = LOCAL_HEADER.unpack(header)
        spans.append((info.header_offset, info.header_offset + LOCAL_HEADER.size + fields[-2] + fields[-1]
                      + info.compress_size))
    spans.sort()
    limits = [start for start, _end in spans[1:]] + [bundle.start_dir]  # each entry ends before the next begins
    if any(end > limit for (_start, end), limit in zip(spans, limits, strict=True)):
        raise _Refused(f"Die Einträge der ZIP-Datei überlappen sich (so sehen ZIP-Bomben aus). {REEXPORT}")
    return files


def _read(bundle: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    """One entry's bytes, never more than ``limit`` (and its CRC checked: reading to the end verifies it)."""
    with bundle.open(info) as member:
        data = member.read(limit + 1)
        if len(data) > limit or member.read(1):
            raise _Refused(f"{PurePosixPath(info.filename).name} ist zu groß.")
    return data


def _parse_stamp(stamp: str, now: datetime) -> datetime:
    if not STAMP.match(stamp):
        raise _Refused(BAD_STAMP)
    try:
        when = datetime.strptime(stamp, STAMP_FORMAT).replace(tzinfo=UTC)
    except ValueError as error:
        raise _Refused(BAD_STAMP) from error
    if when > now + MAX_CLOCK_AHEAD:
        raise _Refused(f"Der Zeitstempel der ZIP-Datei ({when:%d.%m.%Y %H:%M} UTC) liegt in der Zukunft. Bitte die "
                       "Uhrzeit des Laptops prüfen und neu exportieren.")
    return when


def _check(bundle: zipfile.ZipFile, result: ZipResult, cohort: Cohort, people: set[str], modules: set[str],
           now: datetime) -> None:
    files = _check_entries(bundle, bundle.infolist())
    parts, names = set(), set()
    for info in files:
        path = PurePosixPath(info.filename)
        if path.is_absolute() or ".." in path.parts or len(path.parts) != 4 or "\\" in info.filename:
            raise _Refused(f"Unerwarteter Pfad in der ZIP-Datei: {info.filename!r}. Bitte neu exportieren.")
        parts.add(path.parts[:3])
        names.add(path.name)
    if len(parts) != 1:
        raise _Refused("Die ZIP-Datei enthält nicht genau eine Abgabe (eine Person, ein Modul).")
    stamp, person, module = next(iter(parts))
    result.person, result.module, result.stamp = person, module, stamp
    _parse_stamp(stamp, now)
    notebook = f"{module}.ipynb"
    if module not in modules:
        raise _Refused(f"Das Modul {module} gehört nicht zu dieser Kohorte oder ist nicht freigegeben.")
    if person not in people:
        raise _Refused(f"Die Kennung {person} steht nicht in der Teilnehmendenliste.")
    if notebook not in names:
        raise _Refused(f"In der ZIP-Datei fehlt das Notizbuch {notebook}.")
    if not names <= {notebook, ANSWER_FILE_NAME, handincode.MANIFEST_NAME}:
        raise _Refused(f"Unerwartete Dateien in der ZIP-Datei: {', '.join(sorted(names))}.")
    if handincode.MANIFEST_NAME not in names:
        raise _Refused(f"Die ZIP-Datei trägt keinen Abgabecode (sie wurde nicht mit „Abgabe exportieren“ und dem "
                       f"Abgabecode von {person} erzeugt). {REEXPORT}")
    digests, manifest = {}, b""
    for info in files:
        name = PurePosixPath(info.filename).name
        if name == handincode.MANIFEST_NAME:
            manifest = _read(bundle, info, MAX_MANIFEST_BYTES)
        else:
            digests[name] = hashlib.sha256(_read(bundle, info, MAX_MEMBER_BYTES)).hexdigest()
    _check_seal(manifest, cohort, person, module, stamp, digests)
    result.digests = digests


def _check_seal(manifest: bytes, cohort: Cohort, person: str, module: str, stamp: str,
                digests: dict[str, str]) -> None:
    """The hand-in code of ``person`` must have sealed exactly this id, module, time and these files."""
    wrong_code = (f"Der Abgabecode passt nicht zur Kennung {person}: Diese Abgabe wurde nicht mit dem Abgabecode "
                  f"von {person} exportiert und wird nicht übernommen. {REEXPORT}")
    try:
        data = json.loads(manifest.decode("utf-8"))
    except ValueError as error:
        raise _Refused(wrong_code) from error
    files = data.get("dateien") if isinstance(data, dict) else None
    if (not isinstance(files, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in files.items())
            or data.get("schema") != handincode.MANIFEST_SCHEMA or not isinstance(data.get("siegel"), str)):
        raise _Refused(wrong_code)
    if (data.get("kennung"), data.get("modul"), data.get("zeitpunkt")) != (person, module, stamp):
        raise _Refused(f"Kennung, Modul oder Zeitpunkt der ZIP-Datei wurden nach dem Export geändert. {REEXPORT}")
    if not handincode.seal_is_valid(cohort.handin_code(person), person, module, stamp, files, data["siegel"]):
        raise _Refused(wrong_code)
    if files != digests:
        raise _Refused(f"Die Dateien in der ZIP-Datei wurden nach dem Export verändert. {REEXPORT}")


def inspect(archive: Path, cohort: Cohort, people: set[str], modules: set[str],
            now: datetime | None = None) -> ZipResult:
    """Check one hand-in zip; never raises."""
    result = ZipResult(archive.name, REFUSED, "")
    try:
        with _open_regular(archive) as handle, zipfile.ZipFile(handle) as bundle:
            _check(bundle, result, cohort, people, modules, now or datetime.now(UTC))
    except _Refused as refusal:
        result.message = str(refusal)
        return result
    except ZIP_ERRORS:
        result.message = DAMAGED
        return result
    result.status = ACCEPTED
    return result


def _candidates(folder: Path, cohort: Cohort, people: set[str], modules: set[str],
                now: datetime) -> list[ZipResult]:
    """Every ``*.zip`` in ``folder``, checked; links, FIFOs and devices so named are refused without being opened."""
    results = []
    with os.scandir(folder) as entries:
        found = sorted((e for e in entries if e.name.lower().endswith(".zip")), key=lambda e: e.name)
    for entry in found:
        try:
            mode = entry.stat(follow_symlinks=False).st_mode
        except OSError:
            results.append(ZipResult(entry.name, REFUSED, DAMAGED))
            continue
        if not stat.S_ISREG(mode):
            results.append(ZipResult(entry.name, REFUSED, "Die Datei " + NOT_REGULAR.format(kind=kind_of(mode))))
            continue
        results.append(inspect(Path(entry.path), cohort, people, modules, now))
    return results


def _already_collected(cohort: Cohort, result: ZipResult) -> bool:
    """Is there a submission of this person and module at least as new? An unreadable timestamp counts as older."""
    from dateutil.parser import parse

    stamp_file = cohort.folder("submitted", result.person, result.module) / "timestamp.txt"
    try:
        with _open_regular(stamp_file) as handle:
            text = handle.read(200).decode("utf-8").strip()
        previous = parse(text)
        if previous.tzinfo is None:
            previous = previous.replace(tzinfo=UTC)
        current = datetime.strptime(result.stamp, STAMP_FORMAT).replace(tzinfo=UTC)
        return previous >= current
    except (_Refused, OSError, ValueError, OverflowError, TypeError):
        return False


def collect_zips(cohort: Cohort, folder: Path, now: datetime | None = None) -> list[ZipResult]:
    """Check all zips in ``folder``, then run nbgrader zip_collect for the accepted ones, module by module."""
    people = {p.id for p in cohort.people()}
    outbound = cohort.exchange / cohort.course_id / "outbound"
    released = {m for m in cohort.modules() if (outbound / m).is_dir() or (cohort.root / "release" / m).is_dir()}
    results = _candidates(folder, cohort, people, released, now or datetime.now(UTC))
    newest: dict[tuple[str, str], ZipResult] = {}
    for result in results:
        if result.status != ACCEPTED:
            continue
        key = (result.person, result.module)
        if key in newest:
            older, newer = sorted((newest[key], result), key=lambda r: r.stamp)
            older.status, older.message = REFUSED, f"Doppelt: {newer.archive} ist neuer und wird verwendet."
            newest[key] = newer
        else:
            newest[key] = result
    for result in newest.values():
        if _already_collected(cohort, result):
            result.status, result.message = REFUSED, "Diese Abgabe (oder eine neuere) wurde schon übernommen."
    by_module: dict[str, list[ZipResult]] = {}
    for result in newest.values():
        if result.status == ACCEPTED:
            by_module.setdefault(result.module, []).append(result)
    for module, accepted in by_module.items():
        _zip_collect(cohort, folder, module, accepted)
    return results


def _extract(archive: Path, target: Path, result: ZipResult) -> None:
    """Write the checked files of one zip below ``target`` as ``<zeitpunkt>/<kennung>/<modul>/<datei>``, each 0600,
    without the seal; the bytes must still be those that were checked."""
    folder = target / result.stamp / result.person / result.module
    written = set()
    with _open_regular(archive) as handle, zipfile.ZipFile(handle) as bundle:
        for info in _check_entries(bundle, bundle.infolist()):
            name = PurePosixPath(info.filename).name
            if name == handincode.MANIFEST_NAME:
                continue
            data = _read(bundle, info, MAX_MEMBER_BYTES)
            if name not in result.digests or hashlib.sha256(data).hexdigest() != result.digests[name]:
                raise _Refused("Die ZIP-Datei wurde während des Einsammelns verändert.")
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            write_private(folder / name, data)
            written.add(name)
    if written != set(result.digests):
        raise _Refused("Die ZIP-Datei wurde während des Einsammelns verändert.")


def _zip_collect(cohort: Cohort, folder: Path, module: str, accepted: list[ZipResult]) -> None:
    downloaded = cohort.root / "downloaded" / module
    shutil.rmtree(downloaded, ignore_errors=True)
    archive_dir = downloaded / "archive"
    archive_dir.mkdir(parents=True, mode=0o700)
    make_private(downloaded.parent)
    make_private(downloaded)
    staged = []
    for index, result in enumerate(accepted):
        try:
            _extract(folder / result.archive, archive_dir / f"abgabe-{index:04d}", result)
        except _Refused as refusal:
            result.status, result.message = REFUSED, str(refusal)
            continue
        except ZIP_ERRORS:
            result.status, result.message = REFUSED, DAMAGED
            continue
        staged.append(result)
    run = None
    if staged:
        ensure_tools_on_path()
        run = subprocess.run([sys.executable, "-m", "nbgrader", "zip_collect", module, "--force"], cwd=cohort.root,
                             capture_output=True, text=True, env=dict(os.environ))
    for result in staged:
        submission = cohort.folder("submitted", result.person, module)
        if run is None or run.returncode != 0 or not (submission / f"{module}.ipynb").exists():
            result.status = REFUSED
            result.message = "nbgrader zip_collect konnte die Abgabe nicht übernehmen."
        else:
            ensure_submission_secret(submission)
            _make_submission_private(submission)
            result.message = f"als Abgabe von {result.person} für {module} übernommen"
    shutil.rmtree(downloaded, ignore_errors=True)  # the archives are personal data; the submission is in submitted/
    if not any(downloaded.parent.iterdir()):
        downloaded.parent.rmdir()


def _make_submission_private(submission: Path) -> None:
    """Owner-only modes for a zip submission: files 0600, its folders 0700 (whatever the umask made of them)."""
    for path in submission.iterdir():
        make_private(path)
    make_private(submission)
    make_private(submission.parent)
