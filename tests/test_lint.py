"""The code stays ruff-clean (DESIGN.md: "Type hints; ruff clean")."""

from __future__ import annotations

import subprocess
import sys

from .conftest import REPO_ROOT


def test_ruff_finds_nothing():
    """Does `ruff check` pass on the package, the tests and the nbgrader config?"""
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "kommfit", "tests", "bench", "nbgrader_config.py"],
        cwd=REPO_ROOT, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
