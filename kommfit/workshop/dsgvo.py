"""Data-subject rights for one participant: everything stored about them (Art. 15 DSGVO), and erasure (Art. 17).

Where a cohort keeps personal data of a person: the roster row; the gradebook (student, submissions, grades,
comments); ``submitted/``, ``autograded/`` and ``feedback/`` folders; the exchange (handed-in copies in
``inbound/``, released feedback in ``feedback/``, named by a checksum); the grading ledger; and log lines that name
them. ``export`` gathers all of it and nothing of anyone else; ``forget`` removes all of it, vacuums the SQLite
gradebook so deleted rows do not linger in free pages, and scrubs the logs.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from ..core.safe_files import account_name, walk_regular_files
from .cohort import ROSTER_FILE, Cohort
from .ledger import LEDGER_FILE, Ledger
from .roster import read_roster, write_roster

PERSONAL_FOLDERS = ("submitted", "autograded", "feedback")


class PersonNotFound(Exception):
    """No such person in this cohort (German message)."""


@dataclass
class PersonData:
    """Where one person's data lies."""

    person: str
    folders: list[Path] = field(default_factory=list)
    exchange_inbound: list[Path] = field(default_factory=list)
    exchange_feedback: list[Path] = field(default_factory=list)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def locate(cohort: Cohort, person: str) -> PersonData:
    """Find the person's folders and exchange files."""
    data = PersonData(person)
    data.folders = [cohort.root / kind / person for kind in PERSONAL_FOLDERS if (cohort.root / kind / person).exists()]
    course_exchange = cohort.exchange / cohort.course_id
    inbound = course_exchange / "inbound"
    if inbound.is_dir():
        data.exchange_inbound = sorted(p for p in inbound.iterdir() if p.name.split("+", 1)[0] == person)
    own_feedback = {
        _digest(p) for p in (cohort.root / "feedback" / person).rglob("*.html")
    } if (cohort.root / "feedback" / person).is_dir() else set()
    released = course_exchange / "feedback"
    if released.is_dir() and own_feedback:
        data.exchange_feedback = sorted(
            p for p in released.glob("*.html") if p.is_file() and not p.is_symlink() and _digest(p) in own_feedback
        )
    return data


def _roster_entry(cohort: Cohort, person: str) -> dict[str, str]:
    for entry in read_roster(cohort.root / ROSTER_FILE):
        if entry.id == person:
            return {"id": entry.id, "name": entry.name, "abteilung": entry.abteilung, "email": entry.email}
    raise PersonNotFound(f"Die Person '{person}' steht nicht in der Teilnehmendenliste dieser Kohorte.")


def _gradebook_rows(cohort: Cohort, person: str) -> list[dict[str, Any]]:
    from nbgrader.api import Gradebook, MissingEntry

    rows = []
    with Gradebook(cohort.db_url, course_id=cohort.course_id) as gradebook:
        try:
            student = gradebook.find_student(person)
        except MissingEntry:
            return rows
        for submission in student.submissions:
            entry = {
                "modul": submission.assignment.name,
                "abgegeben": str(submission.timestamp),
                "punkte": submission.score,
                "max_punkte": submission.max_score,
                "zellen": [],
            }
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    entry["zellen"].append({"zelle": grade.name, "punkte": grade.score, "max_punkte": grade.max_score})
                for comment in notebook.comments:
                    if comment.comment:
                        entry["zellen"].append({"zelle": comment.name, "kommentar": comment.comment})
            rows.append(entry)
    return rows


def export_person(cohort: Cohort, person: str, target_folder: Path) -> Path:
    """Write ``auskunft-<person>-<date>.zip`` with a JSON summary and copies of all the person's files."""
    summary = {
        "erstellt": datetime.now().isoformat(timespec="seconds"),
        "hinweis": "Auskunft nach Art. 15 DSGVO: alle Daten, die diese Kohorte über Sie gespeichert hat.",
        "teilnehmendenliste": _roster_entry(cohort, person),
        "pseudonym_in_berichten": cohort.pseudonym(person),
        "bewertungen": _gradebook_rows(cohort, person),
        "bewertungsprotokoll": [
            entry.__dict__ for (_, who), entry in Ledger(cohort.state / LEDGER_FILE).entries().items() if who == person
        ],
    }
    data = locate(cohort, person)
    target_folder.mkdir(parents=True, exist_ok=True)
    archive = target_folder / f"auskunft-{person}-{datetime.now():%Y%m%d}.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bundle:
        files: list[str] = []
        skipped: list[str] = []
        for folder in data.folders:
            _add_tree(bundle, folder, f"dateien/{folder.relative_to(cohort.root)}", files, skipped)
        for folder in data.exchange_inbound:
            if not _owned_by(folder, person):  # named like this person's hand-in, but made by another account
                skipped.append(f"austausch/eingereicht/{folder.name} (gehört einem anderen Konto)")
                continue
            _add_tree(bundle, folder, f"austausch/eingereicht/{folder.name}", files, skipped, same_owner=True)
        for path in data.exchange_feedback:
            name = f"austausch/rueckmeldung/{path.name}"
            bundle.write(path, name)
            files.append(name)
        summary["dateien"] = files
        if skipped:
            summary["nicht_aufgenommen"] = {
                "hinweis": "Diese Einträge sind keine Dateien mit Ihren Daten und wurden darum nicht aufgenommen: "
                "Eine Verknüpfung zeigt nur auf eine andere Datei, FIFOs und Gerätedateien enthalten nichts, und "
                "eine Datei eines anderen Kontos im Austauschordner gehört nicht Ihnen.",
                "eintraege": skipped,
            }
        bundle.writestr("auskunft.json", json.dumps(summary, ensure_ascii=False, indent=2, default=str))
    return archive


def _add_tree(
    bundle: zipfile.ZipFile, folder: Path, prefix: str, files: list[str], skipped: list[str], same_owner: bool = False
) -> None:
    """Put the regular files below ``folder`` into the archive under ``prefix``, never following a link: an exchange
    folder belongs to the participant, and a link (or, with ``same_owner``, a hard link: a file of another account)
    in it could point at the cohort's secret or other people's data."""
    left_out: list[str] = []
    for relative, fd in walk_regular_files(folder, left_out, same_owner=same_owner):
        if fd is None:
            continue
        name = f"{prefix}/{relative}"
        with open(fd, "rb", closefd=False) as source, bundle.open(name, "w") as target:
            shutil.copyfileobj(source, target)
        files.append(name)
    skipped += [f"{prefix}/{entry}" for entry in left_out]


def _owned_by(folder: Path, person: str) -> bool:
    """Whether an exchange folder belongs to the person's account (or, on a single-account machine, to ours)."""
    try:
        uid = folder.lstat().st_uid
    except OSError:
        return False
    return uid == os.geteuid() or account_name(uid) == person


def forget_person(cohort: Cohort, person: str) -> dict[str, int]:
    """Erase everything stored about ``person``; returns what was removed, by kind."""
    from nbgrader.api import Gradebook, MissingEntry

    entry = _roster_entry(cohort, person)
    data = locate(cohort, person)
    removed = {"ordner": 0, "austausch": 0, "bewertungen": 0, "protokollzeilen": 0}
    for folder in data.folders + data.exchange_inbound:
        if folder.is_symlink() or not folder.is_dir():
            folder.unlink()  # a link (or file) named like the person's hand-in: remove it, never what it points at
        else:
            shutil.rmtree(folder)
        removed["ordner" if folder in data.folders else "austausch"] += 1
    for path in data.exchange_feedback:
        path.unlink()
        removed["austausch"] += 1
    with Gradebook(cohort.db_url, course_id=cohort.course_id) as gradebook:
        try:
            gradebook.remove_student(person)
            removed["bewertungen"] = 1
        except MissingEntry:
            pass
    _vacuum(cohort)
    Ledger(cohort.state / LEDGER_FILE).forget_person(person)
    people = [p for p in read_roster(cohort.root / ROSTER_FILE) if p.id != person]
    write_roster(cohort.root / ROSTER_FILE, people)
    if cohort.code_list.exists():
        cohort.write_code_list()  # the printable list of hand-in codes must not keep the person either
    markers = [m for m in (person, entry["name"], entry["email"], cohort.pseudonym(person)) if m]
    removed["protokollzeilen"] = _scrub_logs(cohort, markers)
    return removed


def _vacuum(cohort: Cohort) -> None:
    """Rewrite a SQLite gradebook so deleted rows are gone from the file, not just unlinked."""
    path = cohort.sqlite_path
    if path is None:
        return
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection = sqlite3.connect(path)
    try:
        connection.execute("VACUUM")
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the rewritten pages replace the old ones on disk
    finally:
        connection.close()


def _scrub_logs(cohort: Cohort, markers: list[str]) -> int:
    """Drop every log line that names the person (worker logs, nbgrader's log)."""
    candidates = list((cohort.state / "protokolle").glob("*.log")) + list(cohort.root.glob(".nbgrader.log"))
    dropped = 0
    for path in candidates:
        lines = path.read_bytes().splitlines(keepends=True)
        kept = [line for line in lines if not any(m.encode() in line for m in markers)]
        dropped += len(lines) - len(kept)
        path.write_bytes(b"".join(kept))
    return dropped
