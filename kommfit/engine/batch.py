"""``kommfit grade``: autograde every new or changed submission in parallel, resumably, without stopping for one.

The main process decides *what* to grade (from the collected submissions and the ledger) and keeps the ledger; grading
workers (``gradeworker``) do the grading with nbgrader's own code. The main process enforces the per-submission time
limit: a worker that takes too long is killed with its whole process tree, the submission is marked
"zeitueberschreitung", and a fresh worker takes over. Ctrl-C stops everything cleanly; every result recorded so far
stays recorded, and the next ``kommfit grade`` continues where this one stopped.

SQLite: all workers write to one gradebook. ``course.configure`` gives SQLite a long busy timeout and the cohort puts
it in WAL mode, so writers wait for each other instead of failing; a "database is locked" that still slips through is
retried, never reported as a result. A PostgreSQL ``db_url`` needs none of this.
"""

from __future__ import annotations

import json
import os
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import psutil

from ..workshop.cohort import Cohort
from ..workshop.ledger import FAILED, FINAL_STATUSES, GRADED, LEDGER_FILE, TIMED_OUT, Ledger, LedgerEntry, fingerprint
from .intake import check_submission
from .progress import Progress
from .sandbox import SandboxUnavailable, unavailable_reason

MAX_RETRIES = 3
MAX_START_FAILURES = 3


class GradingError(Exception):
    """Grading cannot proceed at all (e.g. the workers cannot start); the message is German."""


@dataclass(frozen=True)
class Task:
    module: str
    person: str
    fingerprint: str
    notes: tuple[str, ...] = ()  # what the intake check set aside, in German


@dataclass
class Summary:
    """What one grading run did."""

    total: int = 0
    graded: int = 0
    failed: list[LedgerEntry] = field(default_factory=list)
    skipped: int = 0
    interrupted: bool = False


def submitted_pairs(cohort: Cohort, modules: list[str] | None = None) -> list[tuple[str, str]]:
    """(module, person) for every collected submission, in a stable order."""
    pairs = []
    submitted = cohort.root / "submitted"
    if not submitted.is_dir():
        return []
    for person_folder in sorted(p for p in submitted.iterdir() if p.is_dir()):
        for module_folder in sorted(p for p in person_folder.iterdir() if p.is_dir()):
            if modules is None or module_folder.name in modules:
                pairs.append((module_folder.name, person_folder.name))
    return pairs


def pending_tasks(cohort: Cohort, modules: list[str] | None = None, force: bool = False,
                  people: list[str] | None = None) -> tuple[list[Task], int]:
    """Submissions not yet graded, or changed since they were; returns (tasks, number skipped as up to date)."""
    done = Ledger(cohort.state / LEDGER_FILE).entries()
    tasks, skipped = [], 0
    for module, person in submitted_pairs(cohort, modules):
        if people is not None and person not in people:
            continue
        current = fingerprint(cohort.folder("submitted", person, module))
        previous = done.get((module, person))
        if not force and previous and previous.fingerprint == current and previous.status in FINAL_STATUSES:
            skipped += 1
            continue
        tasks.append(Task(module, person, current))
    return tasks, skipped


class _Worker:
    """One grading worker process, the task it is working on, and its unread protocol bytes."""

    def __init__(self, cohort: Cohort, number: int, cell_seconds: int, prefork: bool, sandbox: bool) -> None:
        command = [sys.executable, "-m", "kommfit.engine.worker", str(cohort.root),
                   "--zelle-sekunden", str(cell_seconds)]
        if not prefork:
            command.append("--ohne-vorstart")
        if sandbox:
            command.append("--sandbox")
        # a private runtime folder outside the cohort (sockets, the scratch copy of the submission being graded):
        # short Unix socket paths, and removed with the worker so no copy of a submission lingers
        self.runtime = tempfile.mkdtemp(prefix="kommfit-bewerter-")
        command += ["--laufzeit", self.runtime, "--nummer", str(number)]
        logs = cohort.state / "protokolle"
        logs.mkdir(exist_ok=True)
        self.log = (logs / f"bewerter-{number}.log").open("ab")
        self.process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.log, start_new_session=True, bufsize=0
        )
        assert self.process.stdout is not None and self.process.stdin is not None
        self.stdout = self.process.stdout
        self.task: Task | None = None
        self.started_at: float | None = None
        self._unread = b""

    def give(self, task: Task) -> None:
        self.task = task
        self.started_at = None
        assert self.process.stdin is not None
        self.process.stdin.write((json.dumps({"module": task.module, "person": task.person}) + "\n").encode())

    def messages(self) -> list[dict[str, Any]] | None:
        """The complete protocol lines now available (unbuffered, so none hides in a buffer); None if it died."""
        data = os.read(self.stdout.fileno(), 65536)
        if not data:
            return None
        *lines, self._unread = (self._unread + data).split(b"\n")
        return [json.loads(line) for line in lines if line.strip()]

    def overdue(self, limit: float, now: float) -> bool:
        return self.task is not None and self.started_at is not None and now - self.started_at > limit

    def kill(self) -> None:
        """Kill the worker with everything it started (fork server, kernels, their children)."""
        try:
            tree = psutil.Process(self.process.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            tree = []
        for process in tree:
            try:
                process.kill()
            except psutil.NoSuchProcess:
                pass
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.process.wait()
        self.log.close()
        shutil.rmtree(self.runtime, ignore_errors=True)


class _Batch:
    """The grading loop: hands tasks to workers, records results, enforces the per-submission time limit."""

    def __init__(self, cohort: Cohort, tasks: list[Task], summary: Summary, workers: int, cell_seconds: int,
                 submission_seconds: int, prefork: bool, sandbox: bool, progress_stream: IO[str] | None) -> None:
        self.cohort = cohort
        self.sandbox = sandbox
        self.queue = deque(tasks)
        self.summary = summary
        self.cell_seconds = cell_seconds
        self.submission_seconds = submission_seconds
        self.prefork = prefork
        self.ledger = Ledger(cohort.state / LEDGER_FILE)
        self.progress = Progress(len(tasks), stream=progress_stream or sys.stderr)
        self.retries: dict[Task, int] = {}
        self.start_failures = 0
        self.selector = selectors.DefaultSelector()
        self.pool = [self._start(number) for number in range(min(workers, len(tasks)))]
        for index in range(len(self.pool)):
            self._next(index)

    def _start(self, number: int) -> _Worker:
        worker = _Worker(self.cohort, number, self.cell_seconds, self.prefork, self.sandbox)
        self.selector.register(worker.stdout, selectors.EVENT_READ, worker)
        return worker

    def _replace(self, index: int) -> None:
        """Kill worker ``index`` and start a fresh one in its place (which takes the next task)."""
        worker = self.pool[index]
        self.selector.unregister(worker.stdout)
        worker.kill()
        self.pool[index] = self._start(index)
        self._next(index)

    def _next(self, index: int) -> None:
        if self.queue:
            self.pool[index].give(self.queue.popleft())

    def _finish(self, task: Task, status: str, message: str, seconds: float, score=None, max_score=None) -> None:
        message = " ".join(part for part in (message, *task.notes) if part)
        entry = LedgerEntry(
            module=task.module, person=task.person, status=status, score=score, max_score=max_score,
            message=message, fingerprint=task.fingerprint, sandboxed=self.sandbox, seconds=seconds,
            time=datetime.now(UTC).replace(microsecond=0).isoformat(),
        )
        self.ledger.record(entry)
        if status == GRADED:
            self.summary.graded += 1
        else:
            self.summary.failed.append(entry)
        self.progress.update(self.summary.graded + len(self.summary.failed))

    def _handle(self, index: int, message: dict[str, Any]) -> None:
        worker = self.pool[index]
        if "ready" in message:
            return
        if "started" in message:
            worker.started_at = time.monotonic()
            return
        task, worker.task = worker.task, None
        assert task is not None
        if message["status"] == "retry" and self.retries.get(task, 0) < MAX_RETRIES:
            self.retries[task] = self.retries.get(task, 0) + 1
            self.queue.append(task)  # the gradebook was briefly locked: grade it again later
        else:
            status = FAILED if message["status"] == "retry" else message["status"]
            self._finish(task, status, message["message"], message["seconds"], message["score"], message["max_score"])
        self._next(index)

    def _worker_died(self, index: int) -> None:
        """A worker that dies while grading fails that submission; one that dies before starting it is a broken
        set-up: its task goes back to the queue, and after a few such deaths grading stops with the reason."""
        worker = self.pool[index]
        task = worker.task
        if task is not None and worker.started_at is not None:
            self._finish(task, FAILED, "Der Bewerter ist bei dieser Abgabe abgestürzt.", 0.0)
        else:
            self.start_failures += 1
            if task is not None:
                self.queue.appendleft(task)
            if self.start_failures >= MAX_START_FAILURES:
                log = Path(worker.log.name).read_text(encoding="utf-8", errors="replace").strip().splitlines()
                raise GradingError(
                    "Die Bewerter-Prozesse können nicht starten. Letzte Meldung: " + (log[-1] if log else "keine")
                )
        worker.task = None
        self._replace(index)

    def run(self, stop_requested: list[int]) -> None:
        while any(w.task for w in self.pool):
            if stop_requested:
                raise KeyboardInterrupt
            started = [w.started_at for w in self.pool if w.task and w.started_at is not None]
            wait = max(0.0, min(started) + self.submission_seconds - time.monotonic()) if started else 1.0
            for key, _ in self.selector.select(timeout=min(wait, 1.0)):
                index = self.pool.index(key.data)
                messages = key.data.messages()
                if messages is None:
                    self._worker_died(index)
                    continue
                for message in messages:
                    self._handle(index, message)
            now = time.monotonic()
            for index, worker in enumerate(self.pool):
                if worker.overdue(self.submission_seconds, now):
                    task = worker.task
                    assert task is not None
                    self._finish(task, TIMED_OUT, f"Die Bewertung dauerte länger als {self.submission_seconds} s "
                                 "und wurde abgebrochen.", float(self.submission_seconds))
                    self._replace(index)

    def close(self) -> None:
        for worker in self.pool:
            try:
                self.selector.unregister(worker.stdout)
            except (KeyError, ValueError):
                pass
            if worker.process.poll() is None:
                worker.kill()


def grade(
    cohort: Cohort,
    *,
    modules: list[str] | None = None,
    workers: int = 2,
    cell_seconds: int = 60,
    submission_seconds: int = 600,
    prefork: bool = True,
    sandbox: bool = True,
    force: bool = False,
    people: list[str] | None = None,
    progress_stream: IO[str] | None = None,
) -> Summary:
    """Grade pending submissions with ``workers`` processes; see the module docstring.

    Raises SandboxUnavailable (German) if the sandbox is asked for but bubblewrap cannot run here.
    """
    if sandbox:
        if not prefork:
            raise SandboxUnavailable(
                "Die Sandbox braucht vorgestartete Kernel: --ohne-vorstart nur mit --ohne-sandbox.")
        reason = unavailable_reason()
        if reason:
            raise SandboxUnavailable(
                f"{reason} Ohne Sandbox laufen die Notizbücher der Teilnehmenden mit Ihren Rechten. Wenn Sie das "
                "bewusst wollen: kommfit grade --ohne-sandbox"
            )
    tasks, skipped = pending_tasks(cohort, modules, force, people)
    summary = Summary(total=len(tasks), skipped=skipped)
    if not tasks:
        return summary
    tasks = [_checked(cohort, task) for task in tasks]
    stop_requested: list[int] = []
    # Ctrl-C only sets a flag; the loop stops at a safe point (never half-way through recording a result).
    previous_handler = signal.signal(signal.SIGINT, lambda signum, _frame: stop_requested.append(signum))
    batch = None
    try:
        batch = _Batch(cohort, tasks, summary, workers, cell_seconds, submission_seconds, prefork, sandbox,
                       progress_stream)
        batch.run(stop_requested)
    except KeyboardInterrupt:
        summary.interrupted = True
    finally:
        signal.signal(signal.SIGINT, previous_handler)
        if batch is not None:
            batch.close()
    return summary


def _checked(cohort: Cohort, task: Task) -> Task:
    """Run the intake check; the fingerprint recorded is the one of what is actually graded."""
    folder = cohort.folder("submitted", task.person, task.module)
    notes = check_submission(folder, cohort.state / "quarantaene" / task.person / task.module)
    if not notes:
        return task
    return Task(task.module, task.person, fingerprint(folder), tuple(notes))


def remaining(cohort: Cohort) -> int:
    """How many submissions a new ``kommfit grade`` would grade."""
    return len(pending_tasks(cohort)[0])

