"""nbval runs every notebook of source/, release/ and notebooks/ — each on a clean copy, in a real kernel."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from kommfit.course.catalog import module_notebooks

from ..conftest import REPO_ROOT

NOTEBOOKS = (
    module_notebooks(REPO_ROOT / "source")
    + module_notebooks(REPO_ROOT / "release")
    + sorted((REPO_ROOT / "notebooks").glob("*.ipynb"))
)

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: str(p.relative_to(REPO_ROOT)))
def test_notebook_executes_under_nbval(notebook, tmp_path):
    """Does the notebook run top to bottom without errors under nbval (in a clean copy of its folder)?"""
    copy = tmp_path / notebook.parent.name
    shutil.copytree(notebook.parent, copy, ignore=shutil.ignore_patterns(".antworten.json*", ".ipynb_checkpoints"))
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval-lax", "--nbval-current-env", "-p", "no:cacheprovider", "-q",
         "-o", "addopts=", "-o", "testpaths=", str(copy / notebook.name)],
        cwd=copy, env=env, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert " passed" in result.stdout
    assert not (copy / ".antworten.json").exists(), "running a notebook must not write answers"
