"""Answer-file durability under SIGKILL: the file is always valid and no acknowledged answer is ever lost."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time

import pytest

from kommfit.core.answers import AnswerStore

pytestmark = pytest.mark.slow

WRITER = """
import sys
from kommfit.core.answers import AnswerStore
store = AnswerStore(sys.argv[1])
prefix, start = sys.argv[2], int(sys.argv[3])
for n in range(start, start + 100000):
    store.record(f"{prefix}{n}", ["a", "c"], "hash", "graded")
    print(n, flush=True)  # acknowledged only after record() returned
"""


def start_writer(path, prefix: str, start: int) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", WRITER, str(path), prefix, str(start)], stdout=subprocess.PIPE,
                            text=True)


def collect_acks(process: subprocess.Popen, seconds: float, acks: set[str], prefix: str) -> None:
    """Wait for the writer's first acknowledgement, read more for ``seconds``, then kill it with SIGKILL wherever it
    is. The clock starts at the first answer, not at the start of Python: on a busy machine the start alone can
    take longer than ``seconds``, and the writer would be killed before it ever wrote."""
    assert process.stdout is not None
    first = process.stdout.readline()
    if first:
        acks.add(f"{prefix}{first.strip()}")
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        acks.add(f"{prefix}{line.strip()}")
    process.send_signal(signal.SIGKILL)
    for line in process.stdout:  # acknowledgements already written before the kill
        acks.add(f"{prefix}{line.strip()}")
    process.wait()


def test_sigkill_at_random_moments_never_corrupts_or_loses(tmp_path):
    """Killed 100 times at random moments, is the file always valid with every acknowledged answer in it?"""
    path = tmp_path / ".antworten.json"
    rng = random.Random(20261127)
    acks: set[str] = set()
    for round_no in range(100):
        collect_acks(start_writer(path, "k", round_no * 100000), rng.uniform(0.0, 0.25), acks, "k")
        snapshot = AnswerStore(path).read()
        assert snapshot.problem is None, f"round {round_no}: {snapshot.problem}"
        assert acks <= set(snapshot.answers), f"round {round_no}: lost {sorted(acks - set(snapshot.answers))[:5]}"
    assert len(acks) >= 100  # at least one acknowledged answer per round


def test_two_writers_killed_together_keep_the_union(tmp_path):
    """Two kernels writing at once and killed at random: are both sets of acknowledged answers kept?"""
    path = tmp_path / ".antworten.json"
    rng = random.Random(7)
    acks: set[str] = set()
    for round_no in range(15):
        first = start_writer(path, "x", round_no * 100000)
        second = start_writer(path, "y", round_no * 100000)
        seconds = rng.uniform(0.2, 0.6)
        collect_acks(first, seconds, acks, "x")
        collect_acks(second, 0.0, acks, "y")
        snapshot = AnswerStore(path).read()
        assert snapshot.problem is None
        assert acks <= set(snapshot.answers)
    assert any(a.startswith("x") for a in acks) and any(a.startswith("y") for a in acks)
