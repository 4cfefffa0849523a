"""Check a collected submission before anything grades it: links, odd names and oversized files are set aside.

nbgrader copies a submission into ``autograded/`` and executes it; a symbolic link there would be followed on the
facilitator's side (a link named ``.antworten.json`` pointing at the gradebook would copy the gradebook into the
participant's folder), a file name with ``..`` or control characters can confuse tools, and a huge file costs time and
memory. Such entries are moved into the cohort's quarantine (never deleted: a participant may ask what happened to
their file) and the grading status says so in German.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
from pathlib import Path

from ..core.safe_text import terminal_safe

MAX_FILE_BYTES = 20 * 2**20
UNSAFE_NAME = re.compile(r"(^\.\.)|[\x00-\x1f\x7f\\]")


def check_submission(folder: Path, quarantine: Path) -> list[str]:
    """Move unsafe entries of ``folder`` to ``quarantine``; return German notes about what was moved."""
    notes: list[str] = []
    if not folder.is_dir():
        return notes
    entries = []
    for root, dirs, files in os.walk(folder, followlinks=False):  # never follow a link out of the submission
        entries += [Path(root) / name for name in dirs + files]
    for entry in sorted(entries, key=lambda p: len(p.parts), reverse=True):
        if not os.path.lexists(entry):
            continue  # inside a folder that was already set aside
        relative = entry.relative_to(folder)
        reason = _problem(entry)
        if reason is None:
            continue
        target = quarantine / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if entry.is_symlink():
            target.with_name(target.name + ".link").write_text(os.readlink(entry), encoding="utf-8",
                                                                errors="surrogateescape")
            entry.unlink()
        else:
            shutil.move(str(entry), str(target))
        notes.append(f"„{terminal_safe(relative)}“ wurde nicht bewertet ({reason}).")
    return notes


def _problem(entry: Path) -> str | None:
    if entry.is_symlink():
        return "eine Verknüpfung auf eine andere Datei"
    if UNSAFE_NAME.search(entry.name):
        return "ein unzulässiger Dateiname"
    mode = entry.lstat().st_mode
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        return "keine gewöhnliche Datei"
    if stat.S_ISREG(mode) and entry.stat().st_size > MAX_FILE_BYTES:
        return f"größer als {MAX_FILE_BYTES // 2**20} MB"
    return None
