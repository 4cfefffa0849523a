"""Kernel user ids under root: each running worker holds its own, also across gradings that run at the same time."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from kommfit.engine.sandbox import FIRST_UID

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="nur als root: ohne root hat jeder Bewerter einen eigenen "
                                                        "Benutzer-Namensraum, dort wird nichts reserviert")

HOLD = """
import sys
from kommfit.engine.sandbox import reserve_kernel_uid
print(reserve_kernel_uid(int(sys.argv[1])), flush=True)
sys.stdin.read()  # hold it until the test lets go
"""


def hold(preferred: int) -> tuple[subprocess.Popen, int]:
    process = subprocess.Popen([sys.executable, "-c", HOLD, str(preferred)], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, text=True)
    return process, int(process.stdout.readline())


def test_two_gradings_at_once_get_different_kernel_uids():
    """Do worker 0 of one grading and worker 0 of another (started while the first runs) get different uids, and
    is a uid free again once its worker has ended?"""
    first, uid_first = hold(FIRST_UID + 3000)
    second, uid_second = hold(FIRST_UID + 3000)
    try:
        assert uid_first == FIRST_UID + 3000 and uid_second != uid_first and uid_second >= FIRST_UID
    finally:
        for process in (first, second):
            process.communicate("")
    again, uid_again = hold(FIRST_UID + 3000)
    again.communicate("")
    assert uid_again == FIRST_UID + 3000
