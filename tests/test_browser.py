"""A participant in a real browser: JupyterLab as in `make lab`, driven in Debian's chromium with Playwright.

Open the released module 01, run all cells, answer one practice and one graded question by clicking (and one by
keyboard), see the feedback, and find the answers in the answer file on disk.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from kommfit.answers import ANSWER_FILE_NAME
from kommfit.lab import lab_arguments, lab_environment

from .conftest import REPO_ROOT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
MODULE = "01-jede-stimme-zaehlt"

if not Path(CHROMIUM).exists():
    if os.environ.get("CI") == "true":
        raise RuntimeError("CI=true, aber Debian-Chromium fehlt (scripts/install-system-packages.sh).")
    pytest.skip("Debian-Chromium ist nicht installiert (apt-get install chromium); Browsertest übersprungen.",
                allow_module_level=True)

pytestmark = [pytest.mark.browser, pytest.mark.slow]


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


@pytest.fixture
def lab(tmp_path_factory):
    """JupyterLab in the participant view, serving a fresh copy of the released module 01."""
    root = tmp_path_factory.mktemp("lab")
    shutil.copytree(REPO_ROOT / "release" / MODULE, root / MODULE)
    port, token = _free_port(), secrets.token_hex(16)
    home = tmp_path_factory.mktemp("home")
    env = lab_environment("teilnehmende", dict(os.environ, HOME=str(home), JUPYTER_CONFIG_DIR=str(home / ".jupyter")))
    command = lab_arguments("teilnehmende", root) + [
        "--no-browser", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}", "--LabApp.expose_app_in_browser=True",
    ]
    log = (root.parent / "lab.log").open("w")
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 90
    while True:
        try:
            urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
            break
        except OSError as error:
            if time.time() > deadline or server.poll() is not None:
                server.kill()
                raise RuntimeError("JupyterLab did not start:\n" + (root.parent / "lab.log").read_text()) from error
            time.sleep(0.5)
    yield base, token, root
    server.terminate()
    try:
        server.wait(20)
    except subprocess.TimeoutExpired:
        server.kill()
    log.close()


KERNEL_IDLE = """() => {
  const widget = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  const kernel = widget && widget.sessionContext && widget.sessionContext.session
    && widget.sessionContext.session.kernel;
  return kernel && kernel.status === 'idle';
}"""


def test_participant_answers_module_01_in_the_browser(lab, page, output_path):
    """Can a participant run module 01, click answers, see feedback, and are the answers saved next to the notebook?"""
    base, token, root = lab
    page.set_default_timeout(120_000)
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.goto(f"{base}/lab/tree/{MODULE}/{MODULE}.ipynb?token={token}&reset")
    page.wait_for_function(KERNEL_IDLE)

    # The participant view: German, Assignments panel available, no grading or authoring tools.
    menu = page.locator("#jp-menu-panel, .lm-MenuBar").first.inner_text()
    assert "Datei" in menu and "Ausführen" in menu
    plugins = page.evaluate("""() => ['@jupyter/nbgrader:assignment-list', '@jupyter/nbgrader:formgrader',
        '@jupyter/nbgrader:create-assignment'].map(id => window.jupyterapp.hasPlugin(id))""")
    assert plugins == [True, False, False]

    page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")

    practice = page.locator(".kommfit-q-m01-u1-vereinsgruppe")
    practice.scroll_into_view_if_needed()
    practice.locator(".widget-radio-box label", has_text="Alle 8.400 Mitglieder der Gruppe").click()
    feedback = practice.locator(".kommfit-feedback")
    feedback.get_by_text("Gut gewählt").wait_for()
    assert "Ein Gruppenkommentar ist für alle Mitglieder sichtbar" in feedback.inner_text()

    graded = page.locator(".kommfit-q-m01-a1-linkedin-aerger")
    graded.scroll_into_view_if_needed()
    graded.locator(".widget-radio-box label", has_text="Der Beitrag kann weit über ihre Kontakte").click()
    graded.locator(".kommfit-status").get_by_text("Antwort gespeichert").wait_for()
    assert graded.locator(".kommfit-feedback").inner_text().strip() == ""

    # Keyboard only: Space chooses, arrow keys move within the options (not to the next notebook cell).
    keyboard = page.locator(".kommfit-q-m01-a5-arbeitgeber-loeschen")
    keyboard.scroll_into_view_if_needed()
    keyboard.locator("input[type=radio]").first.focus()
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")
    assert keyboard.locator("input[type=radio]").nth(1).is_checked()
    keyboard.locator(".kommfit-status").get_by_text("Antwort gespeichert").wait_for()
    # A multiple choice with Tab and Space; the check button of a practice question with Tab and Enter.
    multiple = page.locator(".kommfit-q-m01-u4-grillabend")
    multiple.scroll_into_view_if_needed()
    boxes = multiple.locator("input[type=checkbox]")
    boxes.first.focus()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    for _ in range(4):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('kommfit-submit')"):
            break
    page.keyboard.press("Enter")
    multiple.locator(".kommfit-feedback").get_by_text("Teilweise richtig").wait_for()

    graded.scroll_into_view_if_needed()
    screenshots = Path(output_path)
    screenshots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(screenshots / "modul-01-antworten.png"))

    saved = json.loads((root / MODULE / ANSWER_FILE_NAME).read_text(encoding="utf-8"))["answers"]
    practice_entry = saved["m01-u1-vereinsgruppe"]
    assert practice_entry["value"] == "b" and practice_entry["first_attempt"]["value"] == "b"
    assert saved["m01-a1-linkedin-aerger"]["value"] == "b" and saved["m01-a1-linkedin-aerger"]["mode"] == "graded"
    assert saved["m01-a5-arbeitgeber-loeschen"]["value"] == "b"
    assert saved["m01-u4-grillabend"]["value"] == ["a", "c"]
