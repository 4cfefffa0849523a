"""A participant in a real browser: JupyterLab as in `make lab`, driven in Debian's chromium with Playwright.

Open the released module 01, run all cells, answer one practice and one graded question by clicking (and one by
keyboard), see the feedback, and find the answers in the answer file on disk.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import socket
import subprocess
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

from kommfit.core import handincode
from kommfit.core.answers import ANSWER_FILE_NAME, account_order_seed
from kommfit.course.catalog import read_module
from kommfit.course.lab import lab_arguments, lab_environment
from kommfit.quiz.question import shown_order

from ..conftest import REPO_ROOT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
MODULE = "01-jede-stimme-zaehlt"
ACCOUNT = "anna-browsertest"  # the hub account the lab's kernels see

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


@contextlib.contextmanager
def running_lab(root: Path, home: Path, account: str = ""):
    """JupyterLab in the participant view (as `make lab` starts it) serving ``root``; yields (base url, token).
    ``account``: the hub account name the kernels see (it fixes the person's order of options)."""
    port, token = _free_port(), secrets.token_hex(16)
    env = lab_environment("teilnehmende", dict(os.environ, HOME=str(home), JUPYTER_CONFIG_DIR=str(home / ".jupyter")))
    env.pop("JUPYTERHUB_USER", None)
    if account:
        env["JUPYTERHUB_USER"] = account
    command = lab_arguments("teilnehmende", root) + [
        "--no-browser", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}", "--LabApp.expose_app_in_browser=True",
    ]
    log_path = home / "lab.log"
    with log_path.open("w") as log:
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


@pytest.fixture
def lab(tmp_path_factory):
    """JupyterLab serving a fresh copy of the released module 01."""
    root = tmp_path_factory.mktemp("lab")
    shutil.copytree(REPO_ROOT / "release" / MODULE, root / MODULE)
    with running_lab(root, tmp_path_factory.mktemp("home"), ACCOUNT) as (base, token):
        yield base, token, root


def person_order(question_id: str, account: str = "") -> list[str]:
    """The option ids of a module-01 question in the order ``account`` (default: the test's participant) sees them."""
    questions = read_module(REPO_ROOT / "release" / MODULE / f"{MODULE}.ipynb").questions
    ids = tuple(o["id"] for o in next(q for q in questions if q["id"] == question_id)["options"])
    return list(shown_order(ids, account_order_seed(account or ACCOUNT), question_id))


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


def test_participant_answers_module_01_in_the_browser(lab, page, output_path):
    """Can a participant run module 01, click answers, see feedback, and are the answers saved next to the notebook?"""
    base, token, root = lab
    open_notebook(page, base, token, MODULE)

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
    assert keyboard.locator("input[type=radio]").nth(1).is_checked()  # the person's second option (see below)
    keyboard.locator(".kommfit-status").get_by_text("Antwort gespeichert").wait_for()
    # A multiple choice with Tab and Space; the check button of a practice question with Tab and Enter.
    multiple = page.locator(".kommfit-q-m01-u4-grillabend")
    multiple.scroll_into_view_if_needed()
    boxes = multiple.locator("input[type=checkbox]")
    first, second = sorted(person_order("m01-u4-grillabend").index(option) for option in ("a", "c"))
    boxes.nth(first).focus()
    page.keyboard.press("Space")
    for _ in range(second - first):
        page.keyboard.press("Tab")
    page.keyboard.press("Space")
    for _ in range(8):
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
    # what was chosen by position is the person's own order: the second option of a5, not the author's "b"
    assert saved["m01-a5-arbeitgeber-loeschen"]["value"] == person_order("m01-a5-arbeitgeber-loeschen")[1]
    assert saved["m01-u4-grillabend"]["value"] == ["a", "c"]
    assert json.loads((root / MODULE / ANSWER_FILE_NAME).read_text(encoding="utf-8"))["order_seed"] == \
        account_order_seed(ACCOUNT)


def test_two_participants_see_the_options_of_module_01_in_different_orders():
    """Do two accounts get different orders for module 01's questions (the order the browser test relies on)?"""
    questions = [q["id"] for q in read_module(REPO_ROOT / "release" / MODULE / f"{MODULE}.ipynb").questions
                 if q.get("options")]
    assert questions
    anna = [person_order(q, "anna") for q in questions]
    assert anna != [person_order(q, "ben") for q in questions]
    assert anna == [person_order(q, "anna") for q in questions]


# ------------------------------------------------------------------------------------------ the whole curriculum
MODULES = sorted(path.name for path in (REPO_ROOT / "release").iterdir() if (path / f"{path.name}.ipynb").is_file())
SAMPLE_TEXT = "Am Donnerstag ist Infoabend bei uns im Betrieb. Ich arbeite dort und freue mich auf Sie!"


@pytest.fixture(scope="module")
def course_lab(tmp_path_factory):
    """JupyterLab serving fresh copies of all released modules, as on a participant's laptop."""
    root = tmp_path_factory.mktemp("kurs")
    for module in MODULES:
        shutil.copytree(REPO_ROOT / "release" / module, root / module)
    with running_lab(root, tmp_path_factory.mktemp("home")) as (base, token):
        yield base, token, root


def answer_by_clicking(page, question_id: str, kind: str) -> None:
    """Answer one Abschluss-Check question the way a participant does, and wait for "Antwort gespeichert"."""
    widget = page.locator(f".kommfit-q-{question_id}")
    widget.scroll_into_view_if_needed()
    if kind == "single":
        widget.locator(".widget-radio-box label").first.click()
    elif kind == "multiple":
        widget.locator("input[type=checkbox]").first.click()
    elif kind == "matching":
        for dropdown in widget.locator("select").all():
            dropdown.select_option(index=1)
    elif kind == "text":
        widget.locator("textarea").fill(SAMPLE_TEXT)
    else:
        raise AssertionError(f"{question_id}: no way to answer a question of kind {kind!r} in the browser test")
    widget.locator(".kommfit-status").get_by_text("Antwort gespeichert").wait_for()


def play_scene_to_the_end(scene) -> None:
    """Click the first offered choice of every step until the debrief appears.

    After each click the test waits for the progress line ("Entscheidung 2", … "Ende") to move on and then for the
    kernel to be idle: only then has the next step been rendered completely, so a quick test never clicks a button of
    the step it has just left.
    """
    scene.scroll_into_view_if_needed()
    progress = scene.locator(".kommfit-progress")
    for _ in range(12):
        step = progress.inner_text()
        if step.endswith("Ende"):
            scene.locator(".kommfit-debrief").wait_for()
            return
        scene.locator("button.kommfit-choice:visible").first.click()
        scene.page.wait_for_function(
            "([line, before]) => line.innerText !== before", arg=[progress.element_handle(), step]
        )
        scene.page.wait_for_function(KERNEL_IDLE)
    raise AssertionError("Die Szene hat nach 12 Entscheidungen keine Nachbesprechung gezeigt.")


@pytest.mark.parametrize("module", MODULES)
def test_every_module_can_be_done_by_clicking(course_lab, page, module):
    """Can a participant run the module, answer every Abschluss-Check question by clicking (typing only where a text
    is asked for), play its scenes to the end and export the hand-in — with every answer in the answer file?"""
    base, token, root = course_lab
    graded = [(q["id"], q["kind"]) for q in read_module(REPO_ROOT / "source" / module / f"{module}.ipynb").graded]
    open_notebook(page, base, token, module)
    page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
    handin = page.locator(".kommfit-handin")
    handin.wait_for()  # the last cell: everything above has run
    assert page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").count() == 0

    for question_id, kind in graded:
        answer_by_clicking(page, question_id, kind)
    for scene in page.locator(".kommfit-scenario").all():
        play_scene_to_the_end(scene)

    handin.scroll_into_view_if_needed()
    handin.get_by_placeholder("z. B. tn017").fill("tn017")
    handin.get_by_placeholder(f"z. B. {handincode.EXAMPLE_CODE}").fill(handincode.derive(b"Browsertest", "tn017"))
    handin.get_by_role("button", name="Abgabe exportieren").click()
    handin.locator(".kommfit-status").get_by_text("Gespeichert als").wait_for()

    saved = json.loads((root / module / ANSWER_FILE_NAME).read_text(encoding="utf-8"))["answers"]
    assert {qid for qid, entry in saved.items() if entry["mode"] == "graded"} >= {qid for qid, _kind in graded}
    with zipfile.ZipFile(root / f"Abgabe_{module}_tn017.zip") as bundle:
        assert any(name.endswith(f"/tn017/{module}/{ANSWER_FILE_NAME}") for name in bundle.namelist())
