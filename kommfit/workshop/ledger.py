"""The grading ledger: what ``kommfit grade`` has done with each submission, so it can resume and report.

nbgrader's gradebook holds the scores; the ledger adds what a facilitator needs around them: whether a submission
could be graded at all (and why not, in German), whether it was graded in the sandbox, and a fingerprint of the
submitted files so that a re-submission is graded again and an unchanged one is not. Only the main ``kommfit``
process writes it, atomically, after every single result — an interrupted run loses nothing already graded.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

GRADED = "bewertet"
FAILED = "fehlerhaft"
TIMED_OUT = "zeitueberschreitung"
FINAL_STATUSES = (GRADED, FAILED, TIMED_OUT)
LEDGER_FILE = "bewertungen.json"


@dataclass(frozen=True)
class LedgerEntry:
    module: str
    person: str
    status: str
    score: float | None
    max_score: float | None
    message: str
    fingerprint: str
    sandboxed: bool
    seconds: float
    time: str


def fingerprint(folder: Path) -> str:
    """A hash over the names and contents of all files of a submission (a re-submission changes it)."""
    digest = hashlib.sha256()
    if not folder.is_dir():
        return ""
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()):
        digest.update(str(path.relative_to(folder)).encode("utf-8", "surrogateescape") + b"\0")
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        digest.update(b"\0")
    return digest.hexdigest()[:24]


class Ledger:
    """One JSON file in the cohort's state folder."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def entries(self) -> dict[tuple[str, str], LedgerEntry]:
        if not self.path.exists():
            return {}
        data = json.loads(self.path.read_text(encoding="utf-8"))
        return {(e["module"], e["person"]): LedgerEntry(**e) for e in data["entries"]}

    def record(self, entry: LedgerEntry) -> None:
        entries = self.entries()
        entries[(entry.module, entry.person)] = entry
        self._write(entries)

    def forget_person(self, person: str) -> int:
        entries = self.entries()
        kept = {key: e for key, e in entries.items() if e.person != person}
        self._write(kept)
        return len(entries) - len(kept)

    def _write(self, entries: dict[tuple[str, str], LedgerEntry]) -> None:
        document = {"entries": [asdict(e) for _, e in sorted(entries.items())]}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=self.path.name, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(document, handle, ensure_ascii=False, indent=1)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, self.path)
