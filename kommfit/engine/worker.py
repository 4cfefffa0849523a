"""A grading worker: a long-lived process that runs nbgrader's own autograde for one submission at a time.

``kommfit grade`` starts several of these and hands them submissions over stdin (one JSON object per line); each
answers on its protocol channel with ``{"started": …}`` and then the result. Grading itself is nbgrader's
``NbGraderAPI.autograde`` — the same preprocessors, the same gradebook rows as ``nbgrader autograde`` — so scores
are identical. What the worker adds: it imports nbgrader once instead of once per submission, starts kernels through
the fork server (see ``forkkernel``), and turns failures into a German status instead of stopping the batch.

Usage (internal): ``python -m kommfit.engine.worker COHORT --zelle-sekunden N [--sandbox | --ohne-vorstart]``
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any, TextIO

import nbformat

from ..core.profile import PROFILE_FILE_NAME
from ..course.settings import ensure_tools_on_path
from ..grading.checks import OUTCOME_MARKERS
from ..workshop.cohort import Cohort
from ..workshop.ledger import FAILED, GRADED
from .forkkernel import PROVISIONER_NAME, SANDBOX_FAILED, SANDBOX_ROOT_ENV, SOCKET_ENV, start_server
from .sandbox import FIRST_UID, SANDBOX_ENV, SERVER, SOCKETS, SandboxSpec, reserve_kernel_uid

LOCKED_MARKERS = ("database is locked", "database table is locked")


EXCEPTION_LINE = re.compile(r"^\s*(?:[\w]+\.)*(\w+(?:Error|Exception|Exit|Interrupt)): ?(.*)$")
# What nbgrader wraps every failure in: it says nothing about the cause.
WRAPPERS = ("NbGraderException",)
REASONS = {  # exception class -> German reason
    "CellTimeoutError": "Eine Zelle hat das Zeitlimit überschritten und ließ sich nicht unterbrechen; "
                        "das Notizbuch konnte nicht zu Ende ausgeführt werden.",
    "DeadKernelError": "Der Kernel ist während der Bewertung abgestürzt (zum Beispiel an einer Speicher- oder "
                       "Prozessgrenze der Sandbox).",
    "NotJSONError": "Das abgegebene Notizbuch ist beschädigt oder kein Notizbuch (kein gültiges JSON).",
    "JSONDecodeError": "Das abgegebene Notizbuch ist beschädigt oder kein Notizbuch (kein gültiges JSON).",
    "UnicodeDecodeError": "Das abgegebene Notizbuch ist beschädigt oder kein Notizbuch (kein gültiges JSON).",
    "ValidationError": "Das abgegebene Notizbuch hat kein gültiges Format.",
}


def explain_failure(text: str) -> str:
    """A German reason for a failed autograde: from the exception that actually ended it, never from a warning
    that every run prints (nbgrader logs a checksum warning for every hidden-test cell)."""
    exceptions = [(m.group(1), m.group(2).strip()) for m in map(EXCEPTION_LINE.match, text.splitlines()) if m]
    causes = [(name, detail) for name, detail in exceptions if name not in WRAPPERS]
    if SANDBOX_FAILED in text:
        detail = text.split(SANDBOX_FAILED, 1)[1].split("\n", 1)[0].strip(" ().")
        return f"{SANDBOX_FAILED} ({detail[:160]})."
    if "kernel died" in text.lower():
        return REASONS["DeadKernelError"]
    if "no notebooks were matched" in text.lower():
        return "In der Abgabe fehlt das Notizbuch des Moduls."
    if not causes:
        last = next((line.strip() for line in reversed(text.splitlines()) if line.strip()), "unbekannter Fehler")
        return f"Die Bewertung ist fehlgeschlagen ({last[:160]})."
    name, detail = causes[-1]
    if name in REASONS:
        return REASONS[name]
    return f"Die Bewertung ist fehlgeschlagen ({name}: {detail[:160]})."


def describe_outcome(notebook: Path) -> str:
    """A German summary of what the grade cells said (missing answers, unreadable answer file, timeouts)."""
    try:
        nb = nbformat.read(notebook, as_version=4)
    except (OSError, ValueError):
        return ""
    counts: Counter[str] = Counter()
    for cell in nb.cells:
        outputs = cell.get("outputs", [])
        if any(o.get("ename") == "CellTimeoutError" for o in outputs):
            counts["Zelle(n) über dem Zeitlimit (0 Punkte, falls Fragen darin)"] += 1
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade"):
            text = " ".join("".join(o.get("text", "") for o in outputs if o.get("output_type") == "stream").split())
            for marker, summary in OUTCOME_MARKERS.items():
                if marker in text:
                    counts[summary] += 1
    return "; ".join(f"{n}× {summary}" for summary, n in counts.items())


def grade_one(api: Any, cohort: Cohort, module: str, person: str) -> dict[str, Any]:
    """Autograde one submission with nbgrader and describe the outcome."""
    started = time.monotonic()
    result = api.autograde(module, person, force=True, create=True)
    outcome: dict[str, Any] = {"module": module, "person": person, "score": None, "max_score": None}
    details = (result.get("error") or "") + "\n" + (result.get("log") or "")
    if not result.get("success"):
        if any(marker in details.lower() for marker in LOCKED_MARKERS):
            outcome.update(status="retry", message="Gradebook kurz gesperrt")
        else:
            outcome.update(status=FAILED, message=explain_failure(details))
            # the whole of nbgrader's report goes to this worker's log, for whoever has to look closer
            print(f"--- {module} / {person}: fehlerhaft\n{details}", file=sys.stderr, flush=True)
    else:
        gradebook = api.gradebook
        try:
            submission = gradebook.find_submission(module, person)
            outcome.update(score=float(submission.score), max_score=float(submission.max_score))
        finally:
            gradebook.close()
        message = describe_outcome(cohort.folder("autograded", person, module) / f"{module}.ipynb")
        outcome.update(status=GRADED, message=message)
    outcome["seconds"] = round(time.monotonic() - started, 3)
    return outcome


def _protocol_channel() -> TextIO:
    """Keep the real stdout for protocol lines and send everything else anyone prints to stderr."""
    channel = os.fdopen(os.dup(sys.stdout.fileno()), "w", buffering=1, encoding="utf-8")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    return channel


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kommfit.engine.worker")
    parser.add_argument("cohort")
    parser.add_argument("--zelle-sekunden", type=int, default=60)
    parser.add_argument("--ohne-vorstart", action="store_true")
    parser.add_argument("--sandbox", action="store_true")
    parser.add_argument("--nummer", type=int, default=0, help="worker number (its kernels' user id in the sandbox)")
    parser.add_argument("--laufzeit", required=True, help="private runtime folder, created and removed by the caller")
    args = parser.parse_args(argv)
    channel = _protocol_channel()
    ensure_tools_on_path()
    cohort = Cohort.open(args.cohort)
    from traitlets.config import Config

    extra = Config()
    extra.Execute.timeout = args.zelle_sekunden
    if not args.ohne_vorstart:
        runtime = Path(args.laufzeit)
        sandbox = None
        if args.sandbox:
            # the kernels get a private copy of the company profile: the cohort's path stays out of the sandbox
            profile = runtime / PROFILE_FILE_NAME
            shutil.copyfile(cohort.root / PROFILE_FILE_NAME, profile)
            os.chmod(profile, 0o644)
            uid = reserve_kernel_uid(FIRST_UID + args.nummer)
            sandbox = SandboxSpec(str(runtime / "abgabe"), uid=uid, profile=str(profile))
            os.environ[SANDBOX_ENV] = sandbox.to_env()
            connections = runtime / "verbindungen"  # the grader's copies of connection files, never seen inside
            connections.mkdir(mode=0o700, exist_ok=True)
            os.environ["JUPYTER_RUNTIME_DIR"] = str(connections)
        _server, socket_path = start_server(runtime, sandbox)
        if sandbox is not None:
            root = socket_path.removesuffix(f"{SERVER}/fork.sock")
            os.environ[SANDBOX_ROOT_ENV] = root
            extra.KernelManager.transport = "ipc"  # a new network namespace cuts TCP, even on loopback
            extra.KernelManager.ip = f"{root}{SOCKETS}/k"
        extra.AsyncKernelManager.client_class = "kommfit.engine.forkkernel.FastKernelClient"
        extra.Execute.shutdown_kernel = "immediate"  # all cells have run; nothing to wait for
        os.environ[SOCKET_ENV] = socket_path
        os.environ["JUPYTER_DEFAULT_PROVISIONER_NAME"] = PROVISIONER_NAME
    api = cohort.api(extra)
    channel.write(json.dumps({"ready": True}) + "\n")
    for line in sys.stdin:
        task = json.loads(line)
        channel.write(json.dumps({"started": [task["module"], task["person"]]}) + "\n")
        try:
            outcome = grade_one(api, cohort, task["module"], task["person"])
        except Exception as error:  # noqa: BLE001 - one broken submission must never stop the batch
            outcome = {
                "module": task["module"], "person": task["person"], "status": FAILED, "score": None,
                "max_score": None, "seconds": 0.0, "message": explain_failure(f"{type(error).__name__}: {error}"),
            }
        channel.write(json.dumps(outcome) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
