"""The import rule of docs/ARCHITECTURE.md, checked over the source (ast), so the picture stays true.

Packages form layers; a module may import from its own package and from lower layers, never from a higher one (and
never through the public façade ``kommfit/__init__.py``, which sits above everything). ``core`` imports nothing of
kommfit. What a participant's kernel loads is checked for real in a fresh interpreter.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys

import nbformat
import pytest

from .conftest import REPO_ROOT

PACKAGE = REPO_ROOT / "kommfit"
# lowest first; the same order as the picture in docs/ARCHITECTURE.md
LAYERS = ["core", "quiz", "grading", "activities", "course", "workshop", "engine", "reports", "app"]
KERNEL_SIDE = {"core", "quiz", "grading", "activities"}  # what may run in a participant's kernel


def kommfit_imports(path, root=REPO_ROOT) -> list[tuple[int, str]]:
    """(line, dotted module below kommfit) for every import of kommfit in the file, also inside functions."""
    package = path.relative_to(root).with_suffix("").parts[:-1]  # e.g. ("kommfit", "engine")
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = list(package[: len(package) - node.level + 1])
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            targets = [module] if node.module else [f"{module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        else:
            continue
        found += [(node.lineno, t.removeprefix("kommfit.")) for t in targets
                  if t == "kommfit" or t.startswith("kommfit.")]
    return found


def violations(path, root=REPO_ROOT) -> list[str]:
    """What in this module breaks the import rule, in German, with the line."""
    own = LAYERS.index(path.relative_to(root / "kommfit").parts[0])
    wrong = []
    for line, target in kommfit_imports(path, root):
        layer = target.split(".")[0]
        if target == "kommfit" or layer not in LAYERS:
            wrong.append(f"Zeile {line}: {target} (die öffentliche Schnittstelle ist nur für Notizbücher)")
        elif LAYERS.index(layer) > own:
            wrong.append(f"Zeile {line}: {target} liegt über {LAYERS[own]}")
        elif LAYERS[own] == "core" and layer != "core":
            wrong.append(f"Zeile {line}: core importiert nichts anderes von kommfit ({target})")
    return wrong


def modules():
    """kommfit's modules; not the Jupyter configuration it ships in ``data/`` (e.g. the participant view's
    ``jupyter_server_config.py``, which Jupyter's config loader runs and nothing imports)."""
    return sorted(p for p in PACKAGE.rglob("*.py") if p.parent != PACKAGE and p.relative_to(PACKAGE).parts[0] != "data")


def test_every_module_sits_in_a_layer():
    """Is every module of kommfit in one of the layer packages (nothing loose beside ``__init__.py``)?"""
    loose = [p.name for p in PACKAGE.glob("*.py") if p.name != "__init__.py"]
    assert not loose
    packages = {p.relative_to(PACKAGE).parts[0] for p in modules()}
    assert packages == set(LAYERS)


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_point_down(path):
    """Does this module import only from its own package and lower layers, and never the public façade?"""
    assert not violations(path)


@pytest.mark.parametrize("line", ["    from ..workshop.roster import read_roster", "    from kommfit import HandIn",
                                  "    import kommfit.engine.sandbox"])
def test_the_rule_catches_an_upward_import(tmp_path, line):
    """Would the check see a widget that reaches up (the old ``handin`` importing the facilitator's roster), even
    inside a function, and a module that goes through the façade?"""
    probe = tmp_path / "kommfit" / "activities" / "probe.py"
    probe.parent.mkdir(parents=True)
    probe.write_text(f"def later():\n{line}\n", encoding="utf-8")
    assert violations(probe, tmp_path)


def test_module_notebooks_import_only_the_public_api():
    """Do the notebooks participants and facilitators open import kommfit only through ``from kommfit import …``,
    with names the API really has?"""
    import kommfit

    notebooks = [*REPO_ROOT.glob("source/*/*.ipynb"), *REPO_ROOT.glob("notebooks/*.ipynb")]
    assert notebooks
    wrong = []
    for notebook in notebooks:
        for cell in nbformat.read(notebook, as_version=4).cells:
            if cell.cell_type != "code":
                continue
            try:
                tree = ast.parse(cell.source)
            except SyntaxError:
                continue  # IPython syntax (magics) imports nothing of kommfit here
            for node in ast.walk(tree):
                if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("kommfit"):
                    if node.module != "kommfit":
                        wrong.append(f"{notebook.name}: from {node.module} import …")
                    wrong += [f"{notebook.name}: {a.name} fehlt in kommfit.__all__" for a in node.names
                              if a.name not in kommfit.__all__]
                elif isinstance(node, ast.Import) and any(a.name.startswith("kommfit") for a in node.names):
                    wrong.append(f"{notebook.name}: import {', '.join(a.name for a in node.names)}")
    assert not wrong


def test_a_participant_kernel_loads_no_facilitator_code():
    """Using every name of the public API a module notebook may use loads only the kernel-side packages: no
    cohort, roster, ledger, grading engine or command line in a participant's kernel."""
    import kommfit

    names = [n for n in kommfit.__all__ if kommfit._PUBLIC[n].split(".")[0] in KERNEL_SIDE]
    code = ("import json, sys\n"
            f"from kommfit import {', '.join(names)}\n"
            "print(json.dumps(sorted(m for m in sys.modules if m.startswith('kommfit.'))))")
    loaded = json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                                       cwd=REPO_ROOT).stdout)
    assert loaded and {m.split(".")[1] for m in loaded} <= KERNEL_SIDE, loaded


def test_the_public_api_names_only_what_exists():
    """Does every public name resolve, and does an unknown name fail as Python users expect?"""
    import kommfit

    for name in kommfit.__all__:
        assert getattr(kommfit, name) is not None
    with pytest.raises(AttributeError):
        kommfit.NichtDa  # noqa: B018
