"""JupyterLab in Debian's chromium, for the browser tests: the lab as `make lab` starts it, a notebook opened in it.

Shared by test_browser.py (a participant answers by clicking) and test_accessibility.py (axe-core over every module).
A test module that uses it imports ``browser_type_launch_args`` too, so pytest-playwright starts Debian's chromium.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from kommfit.course.lab import lab_arguments, lab_environment

from ..conftest import REPO_ROOT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def require_chromium() -> None:
    """Skip the calling test module without Debian's chromium; under CI=true that is an error instead."""
    if Path(CHROMIUM).exists():
        return
    if os.environ.get("CI") == "true":
        raise RuntimeError("CI=true, aber Debian-Chromium fehlt (scripts/install-system-packages.sh).")
    pytest.skip("Debian-Chromium ist nicht installiert (apt-get install chromium); Browsertest übersprungen.",
                allow_module_level=True)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's chromium instead of a downloaded browser; no sandbox (CI runs as root), no network chatter."""
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync"],
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def module_lab(tmp_path_factory, module: str, account: str = ""):
    """JupyterLab serving a fresh copy of one released module; yields (base url, token, root)."""
    root = tmp_path_factory.mktemp("lab")
    shutil.copytree(REPO_ROOT / "release" / module, root / module)
    with running_lab(root, tmp_path_factory.mktemp("home"), account) as (base, token):
        yield base, token, root


@contextlib.contextmanager
def running_lab(root: Path, home: Path, account: str = "", open_path: str | None = None, view: str = "teilnehmende"):
    """JupyterLab in the participant view (as `make lab` starts it) serving ``root``; yields (base url, token).
    ``account``: the hub account name the kernels see (it fixes the person's order of options); ``open_path``: the
    notebook `make lab` opens (the start page); ``view``: "autorenschaft" for the authors' view (`make author`)."""
    port, token = _free_port(), secrets.token_hex(16)
    env = lab_environment(view, dict(os.environ, HOME=str(home), JUPYTER_CONFIG_DIR=str(home / ".jupyter")))
    env.pop("JUPYTERHUB_USER", None)
    if account:
        env["JUPYTERHUB_USER"] = account
    command = lab_arguments(view, root, open_path) + [
        "--no-browser", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}", "--LabApp.expose_app_in_browser=True",
    ]
    log_path = home / "lab.log"
    with log_path.open("w") as log:
        server = subprocess.Popen(command, env=env, cwd=root, stdout=log, stderr=subprocess.STDOUT)  # as make lab
        base = f"http://127.0.0.1:{port}"
        deadline = time.time() + 90
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
                break
            except OSError as error:
                if time.time() > deadline or server.poll() is not None:
                    server.kill()
                    raise RuntimeError("JupyterLab did not start:\n" + log_path.read_text()) from error
                time.sleep(0.5)
        try:
            yield base, token
        finally:
            server.terminate()
            try:
                server.wait(20)
            except subprocess.TimeoutExpired:
                server.kill()


KERNEL_IDLE = """() => {
  const widget = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  const kernel = widget && widget.sessionContext && widget.sessionContext.session
    && widget.sessionContext.session.kernel;
  return kernel && kernel.status === 'idle';
}"""


def open_notebook(page, base: str, token: str, module: str) -> None:
    """Open a module's notebook in JupyterLab (fresh layout) and wait until its kernel is ready."""
    page.set_default_timeout(120_000)
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.goto(f"{base}/lab/tree/{module}/{module}.ipynb?token={token}&reset")
    page.wait_for_function(KERNEL_IDLE)


# The placeholder lines of hidden code cells: how many there are, how many are drawn, and focusable parts of the
# ones that are not drawn (nobody may land on something invisible).
PLACEHOLDERS = """() => {
  const all = [...document.querySelectorAll(".jp-Notebook .jp-InputPlaceholder")];
  const drawn = all.filter(node => node.getClientRects().length > 0);
  const hiddenFocusable = all.filter(node => !drawn.includes(node))
    .flatMap(node => [node, ...node.querySelectorAll("a, button, input, select, textarea, [tabindex]")])
    .filter(node => node.tabIndex >= 0);
  return { all: all.length, drawn: drawn.length, hiddenFocusable: hiddenFocusable.length };
}"""

BACK_AT_THE_TOP = "(before) => window.kommfitBackToTop !== undefined && window.kommfitBackToTop !== before"


def run_all(page, base: str, token: str, module: str) -> None:
    """Open a module, run all its cells and wait for the last one (the hand-in widget): everything above has run.
    Then wait until the page has gone back to the module's top (``kommfit.quiz.runall``), so that a test's next
    focus or key press is not taken away by it."""
    open_notebook(page, base, token, module)
    before = page.evaluate("window.kommfitBackToTop ?? null")
    page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
    page.locator(".kommfit-handin").wait_for()
    page.wait_for_function(BACK_AT_THE_TOP, arg=before)
