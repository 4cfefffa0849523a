"""A participant's kernel needs no numpy, pandas, matplotlib or Pillow — so every module runs in the browser alone.

JupyterLite's Pyodide kernel installs pure-Python wheels; the explorers of modules 01 and 04 used to draw with pandas
and matplotlib. Here those packages are made unimportable from the first line of Python on (a ``sitecustomize`` on
PYTHONPATH puts a blocker at the front of ``sys.meta_path``, as if they were not installed), in a fresh interpreter
and in real kernels that execute every released module.
"""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
import textwrap

import nbformat
import pytest

from kommfit.course.catalog import module_notebooks

from ..conftest import REPO_ROOT

BLOCKED = ("numpy", "pandas", "matplotlib", "matplotlib_inline", "PIL")
RELEASED = module_notebooks(REPO_ROOT / "release")
KERNEL_SIDE = ("core", "quiz", "grading", "activities")  # as in tests/test_architecture.py

BLOCKER = f"""
import sys

class _NotInstalled:
    \"\"\"As in a browser kernel without these packages: importing them fails.\"\"\"
    blocked = {BLOCKED!r}

    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in self.blocked:
            raise ModuleNotFoundError(f"No module named {{name!r}} (blocked for this test)", name=name)
        return None

sys.meta_path.insert(0, _NotInstalled())
"""


@pytest.fixture
def blocked_env(tmp_path):
    """An environment whose Python processes (kernels included) cannot import the blocked packages."""
    folder = tmp_path / "blocker"
    folder.mkdir()
    (folder / "sitecustomize.py").write_text(BLOCKER, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "NBGRADER_EXECUTION"}
    env["PYTHONPATH"] = os.pathsep.join([str(folder), str(REPO_ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def run(code: str, env: dict[str, str], cwd) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], env=env, cwd=cwd, capture_output=True,
                          text=True, timeout=600)


def heavy_imports(source: str) -> list[str]:
    """The blocked packages a piece of Python imports anywhere (top level or inside a function)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
            [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else []
        found += [name for name in names if name.split(".")[0] in BLOCKED]
    return found


def test_no_kernel_side_module_or_module_notebook_imports_a_heavy_package():
    """Does no module a participant's kernel may load, and no code cell of a module notebook, import numpy, pandas,
    matplotlib or Pillow — not even inside a function the kernel runs rarely?"""
    wrong = [f"{path.relative_to(REPO_ROOT)}: {name}"
             for package in KERNEL_SIDE for path in sorted((REPO_ROOT / "kommfit" / package).rglob("*.py"))
             for name in heavy_imports(path.read_text(encoding="utf-8"))]
    for notebook in [*module_notebooks(REPO_ROOT / "source"), *RELEASED]:
        for cell in nbformat.read(notebook, as_version=4).cells:
            if cell.cell_type == "code":
                wrong += [f"{notebook.name}: {name}" for name in heavy_imports(cell.source)]
    assert sorted(heavy_imports("def later():\n    from matplotlib.figure import Figure\nimport numpy as np")) == [
        "matplotlib.figure", "numpy"]  # the check sees what it is for
    assert not wrong, wrong


def test_the_blocker_really_blocks(blocked_env, tmp_path):
    """Would the checks below notice a heavy import (the blocker is active in a fresh interpreter)?"""
    result = run("import numpy", blocked_env, tmp_path)
    assert result.returncode != 0 and "blocked for this test" in result.stderr


def test_every_kernel_side_module_and_both_explorers_work_without_heavy_packages(blocked_env, tmp_path):
    """Do ``import kommfit``, every name of the public API a module notebook uses, every module of the kernel-side
    packages and the two explorers (moved through their controls) work with numpy, pandas and matplotlib absent?"""
    code = """
        import importlib, json, pkgutil, sys
        import kommfit
        kernel_side = KERNEL_SIDE_PACKAGES
        for name in kommfit.__all__:
            if kommfit._PUBLIC[name].split(".")[0] in kernel_side:
                getattr(kommfit, name)
        for package in kernel_side:
            module = importlib.import_module(f"kommfit.{package}")
            for info in pkgutil.iter_modules(module.__path__):
                importlib.import_module(f"kommfit.{package}.{info.name}")
        reach = kommfit.ReachExplorer()
        for value in (3000, 20):
            reach.contacts.value = value
        reach.share_rate.value = 10.0
        reach.rounds.value = 5
        visibility = kommfit.VisibilityExplorer()
        for setting in ("oeffentlich", "gruppe", "messenger", "direkt", "story", "kontakte"):
            visibility.setting.value = setting
            visibility.passers_on.value = visibility.passers_on.max
        visibility.employer.value = False
        print(json.dumps({
            "charts": [reach.chart.value[:4], visibility.chart.value[:4]],
            "alts": [reach.chart.alt[:14], visibility.chart.alt[:13]],
            "table": "<caption" in reach.table.value,
            "loaded": sorted({m.split(".")[0] for m in sys.modules} & set(BLOCKED_NAMES)),
        }))
    """.replace("BLOCKED_NAMES", repr(BLOCKED)).replace("KERNEL_SIDE_PACKAGES", repr(KERNEL_SIDE))
    result = run(code, blocked_env, tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report == {"charts": ["<svg", "<svg"], "alts": ["Liniendiagramm", "Kreisdiagramm"], "table": True,
                      "loaded": []}


# what the last cell added to each notebook reports: the explorers' charts are drawn, no heavy package is loaded
PROBE = """
import json, sys
import ipywidgets
charts = [w.value[:4] for w in ipywidgets.Widget.widgets.values() if type(w).__name__ == "Chart"]
print(json.dumps({"charts": charts, "loaded": sorted({m.split(".")[0] for m in sys.modules} & set(BLOCKED_NAMES))}))
""".replace("BLOCKED_NAMES", repr(BLOCKED))

EXECUTE = """
import sys
from pathlib import Path
import nbformat
from nbclient import NotebookClient
path = Path(sys.argv[1])
nb = nbformat.read(path, as_version=4)
nb.cells.append(nbformat.v4.new_code_cell(sys.argv[2]))
NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
print(nb.cells[-1].outputs[0]["text"])
"""


@pytest.mark.slow
@pytest.mark.parametrize("notebook", RELEASED, ids=lambda p: p.parent.name)
def test_released_module_runs_in_a_kernel_without_heavy_packages(blocked_env, tmp_path, notebook):
    """Does the released module run top to bottom in a real kernel where numpy, pandas and matplotlib cannot be
    imported — with the explorers of modules 01 and 04 drawing their SVG charts?"""
    copy = tmp_path / notebook.parent.name
    shutil.copytree(notebook.parent, copy, ignore=shutil.ignore_patterns(".antworten.json*", ".ipynb_checkpoints"))
    result = subprocess.run([sys.executable, "-c", EXECUTE, str(copy / notebook.name), PROBE], env=blocked_env,
                            cwd=copy, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["loaded"] == []
    if notebook.parent.name.startswith(("01-", "04-")):
        assert report["charts"] == ["<svg"]


def test_the_grading_fork_server_preloads_only_what_a_kernel_without_heavy_packages_has(blocked_env, tmp_path):
    """Does every module the grading fork server preloads import with numpy, pandas and matplotlib absent (so its
    list names nothing that module notebooks no longer need)?"""
    code = """
        import importlib, json
        from kommfit.engine.forkkernel import PRELOAD
        failed = []
        for name in PRELOAD:
            try:
                importlib.import_module(name)
            except Exception as error:
                failed.append(f"{name}: {error}")
        print(json.dumps(failed))
    """
    result = run(code, blocked_env, tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []
