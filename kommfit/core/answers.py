"""The answer file next to a module notebook.

nbgrader re-executes a submitted notebook headless, so clicks made in the browser are never replayed. The quiz widgets
therefore write every answer into one hidden JSON file in the module folder; nbgrader's exchange carries that file with
``submit`` and ``collect``, and the hidden grade cells read it during ``autograde``.

The file is the participant's only record of their work, so this module is careful with it:

* every write is atomic (temporary file, ``fsync``, ``os.replace``): a crash leaves the old or the new file;
* writers take a file lock and merge with what is on disk, so two kernels on the same folder keep both answers;
  in the browser edition there is no working file lock (Pyodide's filelock falls back to a soft lock whose lock file
  never goes away, so every later click would report "blockiert") and only one kernel per notebook, so writers there
  merge without a lock, and filelock is not even imported (its import warns on stderr there);
* a file that cannot be read is never silently dropped: reading reports it, the next write moves it aside with a
  timestamp and only then starts a new file.

The file also keeps the seed of the order in which this person's questions show their options (``order_seed``),
written with the first answer and never changed, so a reload, another device and the grading kernel (which lists
the options in its feedback) all use the order the person saw.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from . import runtime

SCHEMA_VERSION = 1
ANSWER_FILE_NAME = ".antworten.json"
LOCK_SUFFIX = ".lock"
CORRUPT_MARKER = ".beschaedigt-"
LOCK_TIMEOUT_SECONDS = 10.0
MAX_FILE_BYTES = 5 * 2**20  # a real answer file has a few KB; anything huge is not read at all

ENTRY_KEYS = {"value", "options_hash", "time", "attempts", "mode"}
# practice: Übung (first attempt kept for item analysis); graded: Abschluss-Check;
# voluntary: given only with an explicit opt-in, never graded, reported only to those it was offered to.
MODES = ("practice", "graded", "voluntary")


_process_order_seed: list[str] = []  # drawn once per kernel where no account name is known


def account_order_seed(account: str) -> str:
    """The order seed of a hub account: the same on every device and in every new answer file of that person."""
    return hashlib.sha256(f"kommfit-reihenfolge\0{account}".encode()).hexdigest()[:16]


def new_order_seed() -> str:
    """The order seed for a person whose answer file has none yet: from the hub's account name where there is one
    (the same order on every device), else drawn once for this kernel."""
    account = os.environ.get("JUPYTERHUB_USER", "")
    if account:
        return account_order_seed(account)
    if not _process_order_seed:
        _process_order_seed.append(secrets.token_hex(8))
    return _process_order_seed[0]


class AnswerStoreError(Exception):
    """An answer could not be saved; the message is German and tells the participant what to do."""


NOT_IN_BROWSER_STORAGE = (
    "Ihre Antwort kann in diesem Fenster nicht gespeichert werden: Der Kurs erreicht den Speicher Ihres Browsers "
    "nicht – so ist es etwa in einem privaten Fenster. Bitte öffnen Sie den Kurs in einem normalen Fenster und laden "
    "Sie die Seite neu."
)


class LockBusy(Exception):
    """Another kernel held the answer file's lock longer than ``LOCK_TIMEOUT_SECONDS``."""


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold the lock of the answer file at ``path``; in the browser edition, where one kernel owns the notebook and
    file locks do not work, hold nothing."""
    if runtime.in_browser():
        yield
        return
    from filelock import FileLock, Timeout

    try:
        lock = FileLock(str(path) + LOCK_SUFFIX, timeout=LOCK_TIMEOUT_SECONDS)
        lock.acquire()
    except Timeout as error:
        raise LockBusy from error
    try:
        yield
    finally:
        lock.release()


def utc_now() -> str:
    """Current time as ISO 8601 in UTC, to the second (answer files are read by people, too)."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def is_valid_value(value: Any) -> bool:
    """Is ``value`` one of the shapes a quiz stores: an option id, a list of ids, or a mapping item → category?"""
    if isinstance(value, str):
        return True
    if isinstance(value, list):
        return all(isinstance(v, str) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and isinstance(v, str) for k, v in value.items())
    return False


def entry_problem(entry: Any) -> str | None:
    """Why a stored entry cannot be used, in German, or None if it is well-formed."""
    if not isinstance(entry, dict):
        return "Der Eintrag ist kein Objekt."
    missing = ENTRY_KEYS - entry.keys()
    if missing:
        return f"Dem Eintrag fehlen die Felder {', '.join(sorted(missing))}."
    if not is_valid_value(entry["value"]):
        return "Der gespeicherte Wert hat eine unbekannte Form."
    if not isinstance(entry["options_hash"], str) or not isinstance(entry["time"], str):
        return "Prüfsumme oder Zeitpunkt haben den falschen Typ."
    if not isinstance(entry["attempts"], int) or isinstance(entry["attempts"], bool) or entry["attempts"] < 1:
        return "Die Zahl der Versuche ist ungültig."
    if entry["mode"] not in MODES:
        return "Die Art der Frage ist unbekannt."
    return None


@dataclass(frozen=True)
class Snapshot:
    """What was read from disk: the answers, and a German problem description if the file was unusable."""

    answers: dict[str, Any]
    problem: str | None = None
    order_seed: str | None = None  # None: a new file, or one written before options were shuffled

    def shown_order_seed(self, grading: bool) -> str | None:
        """The seed of this person's option order: the file's own, else the one the first write will store. A
        grading run never invents one: a file without a seed keeps the author's order there."""
        return self.order_seed or (None if grading else new_order_seed())


class AnswerStore:
    """Reads and writes one module's answer file.

    The path is injected so that tests, the grader and the widgets can each point at the folder they mean; nothing
    here depends on the current directory or on global state.
    """

    def __init__(self, path: Path | str, clock: Callable[[], str] = utc_now) -> None:
        self.path = Path(path)
        self.clock = clock

    @classmethod
    def in_folder(cls, folder: Path | str) -> AnswerStore:
        """The store of the module whose notebook lives in ``folder``."""
        return cls(Path(folder) / ANSWER_FILE_NAME)

    # ---------------------------------------------------------------- reading
    def read(self) -> Snapshot:
        """Read the file without changing anything on disk (safe during display and grading)."""
        try:
            # One open and one read, no stat before: in the browser each look at a file is a round trip, and each
            # question reads this file as it is drawn. Reading one byte past the limit tells a huge file.
            with self.path.open("rb") as handle:
                data = handle.read(MAX_FILE_BYTES + 1)
            if len(data) > MAX_FILE_BYTES:
                return Snapshot({}, f"Die Antwortdatei {self.path.name} ist unplausibel groß und wird nicht gelesen.")
            raw = data.decode("utf-8")
        except FileNotFoundError:
            return Snapshot({})
        except (OSError, UnicodeDecodeError) as error:
            return Snapshot({}, f"Die Antwortdatei {self.path.name} ist nicht lesbar ({type(error).__name__}).")
        try:
            data = json.loads(raw)
        except json.JSONDecodeError:
            return Snapshot({}, f"Die Antwortdatei {self.path.name} ist beschädigt (kein gültiges JSON).")
        problem = self._document_problem(data)
        if problem:
            return Snapshot({}, f"Die Antwortdatei {self.path.name} ist beschädigt: {problem}")
        seed = data.get("order_seed")
        return Snapshot(data["answers"], order_seed=seed if isinstance(seed, str) and seed else None)

    def get(self, question_id: str) -> dict[str, Any] | None:
        """The stored entry of one question if it is present and well-formed, else None."""
        entry = self.read().answers.get(question_id)
        return entry if entry_problem(entry) is None else None

    @staticmethod
    def _document_problem(data: Any) -> str | None:
        if not isinstance(data, dict):
            return "Die oberste Ebene ist kein Objekt."
        version = data.get("schema")
        if not isinstance(version, int) or isinstance(version, bool):
            return "Die Schema-Version fehlt."
        if version > SCHEMA_VERSION:
            return f"Schema-Version {version} ist neuer als diese kommfit-Version ({SCHEMA_VERSION})."
        if not isinstance(data.get("answers"), dict):
            return "Der Abschnitt 'answers' fehlt."
        return None

    # ---------------------------------------------------------------- writing
    def record(
        self,
        question_id: str,
        value: Any,
        options_hash: str,
        mode: str,
        score: float | None = None,
    ) -> dict[str, Any]:
        """Save one answer and return its entry; merges with the file on disk under a lock.

        ``score`` (0–1) is kept only for practice questions, whose first attempt feeds the facilitator's item analysis.
        Raises AnswerStoreError with a German message if the answer cannot be saved.
        """
        if not question_id or not isinstance(question_id, str):
            raise AnswerStoreError("Die Frage hat keine gültige Kennung.")
        if not is_valid_value(value):
            raise AnswerStoreError("Diese Antwort kann nicht gespeichert werden (unbekannte Form).")
        if mode not in MODES:
            raise AnswerStoreError(f"Unbekannte Art der Frage: {mode!r}.")
        if runtime.lost_with_the_page(self.path):
            raise AnswerStoreError(NOT_IN_BROWSER_STORAGE)
        try:
            with locked(self.path):
                return self._record_locked(question_id, value, options_hash, mode, score)
        except LockBusy as error:
            raise AnswerStoreError(
                "Die Antwortdatei ist gerade blockiert. Bitte klicken Sie in ein paar Sekunden noch einmal."
            ) from error
        except OSError as error:
            raise AnswerStoreError(
                f"Die Antwort konnte nicht gespeichert werden ({error.strerror or error}). "
                "Bitte wenden Sie sich an Ihre Kursleitung."
            ) from error

    def _record_locked(
        self, question_id: str, value: Any, options_hash: str, mode: str, score: float | None
    ) -> dict[str, Any]:
        snapshot = self.read()
        if snapshot.problem and self.path.exists():
            self.set_aside()
        answers = dict(snapshot.answers)
        previous = answers.get(question_id)
        now = self.clock()
        attempts = previous["attempts"] + 1 if entry_problem(previous) is None else 1
        entry: dict[str, Any] = {
            "value": value,
            "options_hash": options_hash,
            "time": now,
            "attempts": attempts,
            "mode": mode,
        }
        if mode == "practice":
            if score is not None:
                entry["score"] = score
            first = previous.get("first_attempt") if entry_problem(previous) is None else None
            entry["first_attempt"] = first or {"value": value, "time": now, "score": score}
        answers[question_id] = entry
        self._write_atomically(self._document(answers, snapshot.order_seed or new_order_seed()))
        return entry

    def remove(self, question_id: str) -> bool:
        """Delete one stored answer at once and return whether there was one to delete.

        Why: a voluntary answer (mode "voluntary") is kept only while its opt-in stands; withdrawing the opt-in must
        erase it from the file that travels with the submission, not merely hide it. Takes the same lock as
        ``record`` and rewrites the file atomically, keeping every other answer. Nothing is written when there is
        nothing to delete. An unreadable file cannot be searched for the entry, so it is left exactly as it is and
        the failure is reported: raises AnswerStoreError with a German message, as ``record`` does.
        """
        if not question_id or not isinstance(question_id, str):
            raise AnswerStoreError("Die Frage hat keine gültige Kennung.")
        if runtime.lost_with_the_page(self.path):
            raise AnswerStoreError(NOT_IN_BROWSER_STORAGE)
        try:
            with locked(self.path):
                return self._remove_locked(question_id)
        except LockBusy as error:
            raise AnswerStoreError(
                "Die Antwortdatei ist gerade blockiert. Bitte versuchen Sie es in ein paar Sekunden noch einmal."
            ) from error
        except OSError as error:
            raise AnswerStoreError(
                f"Die Angabe konnte nicht gelöscht werden ({error.strerror or error}). "
                "Bitte wenden Sie sich an Ihre Kursleitung."
            ) from error

    def _remove_locked(self, question_id: str) -> bool:
        snapshot = self.read()
        if snapshot.problem:
            raise AnswerStoreError(
                snapshot.problem + " Die Angabe konnte deshalb nicht gelöscht werden. "
                "Bitte wenden Sie sich an Ihre Kursleitung."
            )
        if question_id not in snapshot.answers:
            return False
        answers = {key: entry for key, entry in snapshot.answers.items() if key != question_id}
        self._write_atomically(self._document(answers, snapshot.order_seed or new_order_seed()))
        return True

    @staticmethod
    def _document(answers: dict[str, Any], order_seed: str) -> dict[str, Any]:
        return {"schema": SCHEMA_VERSION, "answers": answers, "order_seed": order_seed}

    def set_aside(self) -> Path:
        """Move an unreadable file out of the way under a timestamped name and return that name."""
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        target = self.path.with_name(self.path.name + CORRUPT_MARKER + stamp)
        os.replace(self.path, target)
        return target

    def _write_atomically(self, document: dict[str, Any]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=self.path.name + ".", suffix=".tmp", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(document, handle, ensure_ascii=False, indent=1, sort_keys=True)
                handle.write("\n")
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp_name, self.path)
        except BaseException:
            Path(tmp_name).unlink(missing_ok=True)
            raise
        _fsync_folder(self.path.parent)

    def set_aside_files(self) -> list[Path]:
        """Files that earlier writes moved aside because they were unreadable (for reports and support)."""
        return sorted(self.path.parent.glob(self.path.name + CORRUPT_MARKER + "*"))


def _fsync_folder(folder: Path) -> None:
    """Make the rename durable; folders cannot be opened on Windows, where this is skipped."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
