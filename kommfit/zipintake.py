"""``kommfit collect --zip ORDNER``: take in hand-in zips from laptops, then let nbgrader's zip_collect file them.

Every zip is checked before anything is copied: it must open and pass its CRC check, contain one person's copy of one
released module of this cohort (``<zeitpunkt>/<kennung>/<modul>/…``, no absolute paths or ``..``), name a person of
the roster, and hold the module's notebook. Of several zips for the same person and module the newest counts; the
others are reported as duplicates, as is a zip that was taken in before. Each refused zip gets a German reason;
nothing else is affected by it.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .answers import ANSWER_FILE_NAME
from .cohort import Cohort
from .course import ensure_tools_on_path
from .handin import STAMP_FORMAT

ACCEPTED = "übernommen"
REFUSED = "abgelehnt"
MAX_MEMBER_BYTES = 20 * 2**20
STAMP = re.compile(r"^\d{8}T\d{6}Z$")


@dataclass
class ZipResult:
    archive: str
    status: str
    message: str
    person: str = ""
    module: str = ""
    stamp: str = ""


def inspect(archive: Path, cohort: Cohort, people: set[str], modules: set[str]) -> ZipResult:
    """Check one hand-in zip; never raises."""
    result = ZipResult(archive.name, REFUSED, "")
    try:
        with zipfile.ZipFile(archive) as bundle:
            broken = bundle.testzip()
            infos = bundle.infolist()
    except (zipfile.BadZipFile, OSError, EOFError):
        result.message = "Die Datei ist keine gültige ZIP-Datei oder beschädigt."
        return result
    if broken:
        result.message = f"Die ZIP-Datei ist beschädigt ({broken})."
        return result
    parts = set()
    names = set()
    for info in infos:
        if info.is_dir():
            continue
        path = PurePosixPath(info.filename)
        if path.is_absolute() or ".." in path.parts or len(path.parts) != 4 or "\\" in info.filename:
            result.message = f"Unerwarteter Pfad in der ZIP-Datei: {info.filename!r}. Bitte neu exportieren."
            return result
        if info.file_size > MAX_MEMBER_BYTES:
            result.message = f"{path.name} ist zu groß."
            return result
        parts.add(path.parts[:3])
        names.add(path.name)
    if len(parts) != 1:
        result.message = "Die ZIP-Datei enthält nicht genau eine Abgabe (eine Person, ein Modul)."
        return result
    stamp, person, module = parts.pop()
    result.person, result.module, result.stamp = person, module, stamp
    if not STAMP.match(stamp):
        result.message = "Die ZIP-Datei hat keinen gültigen Zeitstempel. Bitte mit „Abgabe exportieren“ erzeugen."
    elif module not in modules:
        result.message = f"Das Modul {module} gehört nicht zu dieser Kohorte oder ist nicht freigegeben."
    elif person not in people:
        result.message = f"Die Kennung {person} steht nicht in der Teilnehmendenliste."
    elif f"{module}.ipynb" not in names:
        result.message = f"In der ZIP-Datei fehlt das Notizbuch {module}.ipynb."
    elif not names <= {f"{module}.ipynb", ANSWER_FILE_NAME}:
        result.message = f"Unerwartete Dateien in der ZIP-Datei: {', '.join(sorted(names))}."
    else:
        result.status = ACCEPTED
    return result


def _already_collected(cohort: Cohort, result: ZipResult) -> bool:
    stamp_file = cohort.folder("submitted", result.person, result.module) / "timestamp.txt"
    if not stamp_file.exists():
        return False
    from datetime import datetime

    from dateutil.parser import parse

    previous = parse(stamp_file.read_text(encoding="utf-8").strip())
    current = datetime.strptime(result.stamp, STAMP_FORMAT)
    return previous.replace(tzinfo=None) >= current.replace(tzinfo=None)


def collect_zips(cohort: Cohort, folder: Path) -> list[ZipResult]:
    """Check all zips in ``folder``, then run nbgrader zip_collect for the accepted ones, module by module."""
    people = {p.id for p in cohort.people()}
    outbound = cohort.exchange / cohort.course_id / "outbound"
    released = {m for m in cohort.modules() if (outbound / m).is_dir() or (cohort.root / "release" / m).is_dir()}
    results = [inspect(path, cohort, people, released) for path in sorted(folder.glob("*.zip"))]
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


def _zip_collect(cohort: Cohort, folder: Path, module: str, accepted: list[ZipResult]) -> None:
    downloaded = cohort.root / "downloaded" / module
    shutil.rmtree(downloaded, ignore_errors=True)
    archive_dir = downloaded / "archive"
    archive_dir.mkdir(parents=True)
    for result in accepted:
        shutil.copy(folder / result.archive, archive_dir / result.archive)
    ensure_tools_on_path()
    run = subprocess.run([sys.executable, "-m", "nbgrader", "zip_collect", module, "--force"], cwd=cohort.root,
                         capture_output=True, text=True, env=dict(os.environ))
    for result in accepted:
        if run.returncode != 0 or not (cohort.folder("submitted", result.person, module) / f"{module}.ipynb").exists():
            result.status = REFUSED
            result.message = "nbgrader zip_collect konnte die Abgabe nicht übernehmen."
        else:
            _write_submission_secret(cohort.folder("submitted", result.person, module))
            result.message = f"als Abgabe von {result.person} für {module} übernommen"
    shutil.rmtree(downloaded, ignore_errors=True)  # the archives are personal data; the submission is in submitted/
    if not any(downloaded.parent.iterdir()):
        downloaded.parent.rmdir()


def _write_submission_secret(submission: Path) -> None:
    """Give a zip submission the secret that ``nbgrader submit`` gives every exchange submission.

    ``nbgrader release_feedback`` needs it for every graded submission of a module and stops the whole module
    without it — so one laptop hand-in would block the feedback of everybody who handed in through JupyterHub.
    """
    (submission / "submission_secret.txt").write_text(secrets.token_hex(64), encoding="ascii")
