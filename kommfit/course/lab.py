"""Start JupyterLab the way participants (``make lab``) or maintainers (``make author``) need it.

Participants see a German JupyterLab with the Assignments panel (File → Assignment List) and nothing of nbgrader's
grading and authoring tools, no "Nbgrader" menu, no news pop-up, and a stylesheet that keeps one quiet line of the
hidden code cells' placeholders (``teilnehmende/custom/custom.css``, switched on by ``teilnehmende/
jupyter_server_config.py``). Maintainers get the same German Lab with nbgrader's create-assignment and formgrader tools.
Both views are plain Jupyter configuration shipped in ``kommfit/data/jupyter/<view>/`` and selected with
``JUPYTER_CONFIG_PATH`` and ``LabApp.app_settings_dir``, so nothing is written into the user's own Jupyter settings.

Usage: ``python -m kommfit.course.lab teilnehmende|autorenschaft [extra jupyter lab arguments]``
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib import resources
from pathlib import Path

VIEWS = ("teilnehmende", "autorenschaft")
REQUIRED_LAB_EXTENSIONS = ("@jupyter/nbgrader", "@jupyter-widgets/jupyterlab-manager")
START_NOTEBOOK = "notebooks/00-start.ipynb"
ASSIGNMENT_LIST_PLUGIN = "@jupyter/nbgrader:assignment-list"


class LabSetupError(Exception):
    """JupyterLab is not ready for the course; the message says in German what to do."""


def view_folder(view: str) -> Path:
    """The shipped Jupyter configuration of a view."""
    if view not in VIEWS:
        raise LabSetupError(f"Unbekannte Ansicht {view!r}; möglich sind: {', '.join(VIEWS)}.")
    return Path(str(resources.files("kommfit") / "data" / "jupyter" / view))


def lab_environment(view: str, base: dict[str, str] | None = None) -> dict[str, str]:
    """Environment for a JupyterLab process showing ``view``."""
    env = dict(os.environ if base is None else base)
    folder = str(view_folder(view))
    env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(p for p in (folder, env.get("JUPYTER_CONFIG_PATH", "")) if p)
    return env


def lab_arguments(view: str, root_dir: Path, open_path: str | None = None) -> list[str]:
    """``jupyter lab`` arguments for ``view`` serving ``root_dir`` and opening ``open_path`` (relative to it).

    ``open_path`` is also the server's default URL: the address JupyterLab prints (and ``/``) then opens the start
    page, not the file browser — participants copy that address when no browser window opens by itself.
    """
    args = [
        sys.executable,
        "-m",
        "jupyterlab",
        f"--ServerApp.root_dir={root_dir}",
        f"--LabApp.app_settings_dir={view_folder(view) / 'settings'}",
        "--LabApp.news_url=",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--allow-root")  # containers and CI run as root; a normal machine never gets this flag
    if open_path:
        args += [f"--LabApp.default_url=/lab/tree/{Path(open_path).as_posix()}", open_path]
    return args


def lab_extension_problems() -> list[str]:
    """German descriptions of what is missing for the course in this Python environment's JupyterLab."""
    from jupyter_core.paths import jupyter_path
    from jupyterlab_server.config import get_federated_extensions

    installed = get_federated_extensions(jupyter_path("labextensions"))
    problems = [
        f"Die JupyterLab-Erweiterung {name} fehlt. Bitte `make lab` erneut ausführen."
        for name in REQUIRED_LAB_EXTENSIONS
        if name not in installed
    ]
    try:
        import jupyterlab_language_pack_de_DE  # noqa: F401
    except ImportError:
        problems.append("Das deutsche Sprachpaket für JupyterLab fehlt. Bitte `make lab` erneut ausführen.")
    for view in VIEWS:
        if ASSIGNMENT_LIST_PLUGIN in disabled_plugins(view):
            problems.append(f"In der Ansicht {view} ist der Bereich „Assignments“ abgeschaltet.")
    return problems


def disabled_plugins(view: str) -> set[str]:
    """The JupyterLab plugins a view switches off."""
    page_config = json.loads((view_folder(view) / "labconfig" / "page_config.json").read_text(encoding="utf-8"))
    return {name for name, off in page_config.get("disabledExtensions", {}).items() if off}


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] not in VIEWS:
        print(f"Aufruf: python -m kommfit.course.lab {'|'.join(VIEWS)} [weitere Argumente für jupyter lab]",
              file=sys.stderr)
        return 2
    view, extra = args[0], args[1:]
    problems = lab_extension_problems()
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    command = lab_arguments(view, Path.cwd(), START_NOTEBOOK if Path(START_NOTEBOOK).exists() else None) + extra
    print(f"JupyterLab startet ({view}): Deutsch, {'ohne' if view == 'teilnehmende' else 'mit'} nbgrader-Werkzeugen.")
    return subprocess.call(command, env=lab_environment(view))


if __name__ == "__main__":
    raise SystemExit(main())
