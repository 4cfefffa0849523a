"""nbgrader's collect, made safe for an exchange that every participant can write to.

nbgrader's default ``ExchangeCollect`` trusts ``inbound/``: it copies hand-in folders with ``shutil.copytree``, which
follows links (a link to the cohort's secret or gradebook lands in ``submitted/`` as a file); it takes the newest
folder per id by the time in its *name*, which anyone can choose (a forged ``anna+MODUL+2099-…`` hides anna's real
hand-in); one folder with a broken time fails the whole module without naming it; and it collects ids that are not on
the roster. ``SafeCollect`` keeps nbgrader's flow (``--update``, ``--before-duedate``, ``--student``, ignore list,
size limits) and changes two steps:

* ``init_src`` reads each folder name strictly (``<id>+<modul>+<zeitpunkt>[+<zufall>]``) and keeps a folder only if
  its time is well-formed and not in the future, its id is on the roster (in a cohort; a plain nbgrader course has
  none), it is a real folder (not a link) and — where the exchange has owners — it belongs to the account of that
  id (or to the grading account itself, as on a laptop). Everything else is set aside with one German line naming
  the folder; only then is the newest hand-in per person chosen.
* ``do_copy`` copies only regular files and folders, never following a link, and writes them 0600/0700, so
  participant-chosen mode bits (setuid …) never reach ``submitted/``.

``course.configure`` installs it as ``ExchangeFactory.collect``, for ``kommfit collect`` and a plain
``nbgrader collect`` alike. The lines are in ``notices`` and in nbgrader's log.
"""

from __future__ import annotations

import fnmatch
import os
import re
import shutil
import stat
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.exchange.default.collect import ExchangeCollect
from nbgrader.utils import check_mode, parse_utc, temp_attrs

from ..core.ids import ID_PATTERN
from ..core.safe_files import DIR_FLAGS, account_name, kind_of, walk_regular_files
from ..core.safe_text import terminal_safe
from .cohort import ROSTER_FILE, ensure_submission_secret
from .roster import RosterError, read_roster

# What nbgrader's default Exchange.timestamp_format ("%Y-%m-%d %H:%M:%S.%f %Z") writes:
# "2026-11-27 09:30:00.123456 UTC".
TIMESTAMP_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})? [A-Za-z][A-Za-z0-9_:-]{0,31}")
RANDOM_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,64}")  # nbgrader's urlsafe base64 suffix
# Servers of one hub may disagree by a little; a folder a few minutes "ahead" is still a real hand-in.
CLOCK_TOLERANCE = timedelta(minutes=5)
SHOWN_SKIPPED = 5


class SafeCollect(ExchangeCollect):
    """nbgrader's ExchangeCollect that sets aside forged, foreign and broken hand-in folders and never follows links."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.notices: list[str] = []

    # ------------------------------------------------------------------------------------------- choosing folders
    def init_src(self) -> None:
        if self.coursedir.course_id == "":
            self.fail("No course id specified. Re-run with --course flag.")
        self.course_path = os.path.join(self.root, self.coursedir.course_id)
        self.inbound_path = os.path.join(self.course_path, "inbound")
        if not os.path.isdir(self.inbound_path):
            self.fail(f"Course not found: {self.inbound_path}")
        if not check_mode(self.inbound_path, read=True, execute=True):
            self.fail(f"You don't have read permissions for the directory: {self.inbound_path}")
        with Gradebook(self.coursedir.db_url, self.coursedir.course_id) as gradebook:
            try:
                self.duedate = gradebook.find_assignment(self.coursedir.assignment_id).duedate
            except MissingEntry:
                self.duedate = None
        roster = self._roster()
        by_person: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for name in sorted(os.listdir(self.inbound_path)):
            if not self._concerns(name):
                continue
            record, problem = self._check(name, roster)
            if problem:
                self._tell(f"Abgabeordner „{terminal_safe(name)}“ beiseitegelegt: {problem}")
            else:
                by_person[record["username"]].append(record)
        self.src_records = [self._choose(records) for records in by_person.values()]

    def _concerns(self, name: str) -> bool:
        """The folders nbgrader's own pattern ``<id>+<modul>+*`` would take for this module (``--student`` may be a
        glob, as in nbgrader; its default is ``*``)."""
        module = self.coursedir.assignment_id
        student = self.coursedir.student_id
        if student and student != "*":
            return fnmatch.fnmatchcase(name, f"{student}+{module}+*")
        return f"+{module}+" in name

    def _roster(self) -> set[str] | None:
        """The ids of the cohort's roster; None in a course folder without one (a plain nbgrader course such as
        the curriculum repository's, where nbgrader itself registers students at autograde)."""
        path = Path(self.coursedir.root) / ROSTER_FILE
        if not path.exists():
            return None
        try:
            return {person.id for person in read_roster(path)}
        except RosterError as error:
            self.fail(f"Die Teilnehmendenliste {path} ist fehlerhaft, darum wird nichts eingesammelt:\n{error}")

    def _check(self, name: str, roster: set[str] | None) -> tuple[dict[str, Any], str]:
        """The nbgrader record of one folder, or why it is set aside (German)."""
        parts = name.split("+")
        if len(parts) not in (3, 4) or parts[1] != self.coursedir.assignment_id or \
                (len(parts) == 4 and not RANDOM_PATTERN.fullmatch(parts[3])):
            return {}, "Der Name hat nicht die Form Kennung+Modul+Zeitpunkt."
        person, _module, stamp = parts[:3]
        timestamp = _parse_timestamp(stamp)
        if timestamp is None:
            return {}, f"Der Zeitpunkt „{terminal_safe(stamp)}“ ist ungültig."
        if timestamp > datetime.now(UTC).replace(tzinfo=None) + CLOCK_TOLERANCE:
            return {}, f"Der Zeitpunkt {stamp} liegt in der Zukunft."
        if not ID_PATTERN.match(person) or (roster is not None and person not in roster):
            return {}, f"Die Kennung „{terminal_safe(person)}“ steht nicht in der Teilnehmendenliste."
        path = os.path.join(self.inbound_path, name)
        try:
            info = os.lstat(path)
        except OSError as error:  # removed or renamed while collect was running
            return {}, f"Der Ordner ist nicht lesbar ({error.strerror})."
        if not stat.S_ISDIR(info.st_mode):
            return {}, f"Das ist kein Ordner ({kind_of(info.st_mode)})."
        if self.check_owner and info.st_uid != os.geteuid():
            owner = account_name(info.st_uid)
            if owner != person:
                return {}, f"Der Ordner gehört dem Konto „{terminal_safe(owner)}“, nicht „{person}“."
        try:
            os.close(os.open(path, DIR_FLAGS))
        except OSError as error:
            return {}, f"Der Ordner ist nicht lesbar ({error.strerror})."
        size, limit = _tree_size(path), 1000 * self.coursedir.max_dir_size
        if size > limit:
            return {}, f"Die Abgabe ist mit {size // 1000} kB größer als erlaubt ({limit // 1000} kB)."
        return {"username": person, "filename": name, "timestamp": timestamp}, ""

    def _choose(self, records: list[dict[str, Any]]) -> dict[str, Any]:
        """nbgrader's choice among one person's valid folders: the newest, or with --before-duedate the newest one
        before the due date if there is one."""
        records = self._sort_by_timestamp(records)
        if self.duedate is not None and self.before_duedate:
            on_time = [r for r in records if r["timestamp"] <= self.duedate]
            if on_time:
                return on_time[0]
        return records[0]

    def _tell(self, line: str) -> None:
        self.notices.append(line)
        self.log.warning(line)

    # ------------------------------------------------------------------------------------------- copying
    def copy_files(self) -> None:
        with temp_attrs(self, check_owner=False):  # checked strictly in init_src; nbgrader's check only warns
            super().copy_files()

    def do_copy(self, src: str, dest: str, log: Any = None) -> None:
        """Copy regular files and folders only, reading without following links; write them 0600/0700 (group
        read/write kept in nbgrader's groupshared mode), with the time the folder name gave as ``timestamp.txt``."""
        file_mode, dir_mode = (0o660, 0o2770) if self.coursedir.groupshared else (0o600, 0o700)
        exclude, include = self.coursedir.ignore, self.coursedir.include
        max_bytes = 1000 * self.coursedir.max_file_size if self.coursedir.max_file_size else None
        target = Path(dest)
        target.mkdir(mode=dir_mode)
        os.chmod(target, dir_mode)
        if not self.coursedir.groupshared:
            os.chmod(target.parent, dir_mode)
        skipped: list[str] = []
        walk = walk_regular_files(Path(src), skipped, prune=lambda n: any(fnmatch.fnmatch(n, g) for g in exclude),
                                  same_owner=True)
        for relative, fd in walk:
            path = target / relative
            if fd is None:
                path.mkdir(mode=dir_mode)
                os.chmod(path, dir_mode)
                continue
            if include and not any(fnmatch.fnmatch(path.name, g) for g in include):
                continue
            if max_bytes and os.fstat(fd).st_size > max_bytes:
                skipped.append(f"{relative} (zu groß)")
                continue
            with open(fd, "rb", closefd=False) as source, \
                    open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, file_mode), "wb") as out:
                shutil.copyfileobj(source, out)
            os.chmod(path, file_mode)
        ensure_submission_secret(target)
        stamp = target / "timestamp.txt"  # the participant's own file could hold any time; the folder's is checked
        stamp.unlink(missing_ok=True)
        stamp.write_text(Path(src).name.split("+")[2], encoding="utf-8")
        os.chmod(stamp, file_mode)
        if skipped:
            shown = ", ".join(terminal_safe(s) for s in skipped[:SHOWN_SKIPPED])
            more = f" und {len(skipped) - SHOWN_SKIPPED} weitere" if len(skipped) > SHOWN_SKIPPED else ""
            self._tell(f"Abgabeordner „{terminal_safe(Path(src).name)}“: nicht übernommen: {shown}{more}.")


def _parse_timestamp(text: str) -> datetime | None:
    """nbgrader's own reading of a folder time (naive UTC), but only of the shape nbgrader writes, and None instead of
    an exception: dateutil alone would read "1" as a date and fail the whole module on "kaputt"."""
    if not TIMESTAMP_PATTERN.fullmatch(text):
        return None
    try:
        return parse_utc(text)
    except (ValueError, OverflowError, TypeError):
        return None



def _tree_size(top: str) -> int:
    """Bytes in the regular files below ``top``, not following links (as nbgrader's own size check)."""
    total = 0
    for folder, _dirs, files in os.walk(top):
        for name in files:
            try:
                info = os.lstat(os.path.join(folder, name))
            except OSError:
                continue
            if stat.S_ISREG(info.st_mode):
                total += info.st_size
    return total
