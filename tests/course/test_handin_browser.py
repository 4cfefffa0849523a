"""The German way from the start page to the feedback, in a real browser, by clicking only.

JupyterLab as `make lab` starts it (participant view), with a real nbgrader exchange and course configured in the
participant's ``~/.jupyter/nbgrader_config.py`` — as ``deploy/jupyterhub/teilnehmende/nbgrader_config.py`` does on
the Hub. The participant clicks "Module abholen", opens the module from the list, answers the Abschluss-Check, clicks
"Jetzt abgeben"; the facilitator collects, grades and releases feedback with nbgrader's command line; the participant
clicks "Rückmeldung abholen" and opens the feedback.
"""

from __future__ import annotations

import shutil

import nbformat
import pytest

from kommfit.course.catalog import read_module
from kommfit.course.lab import START_NOTEBOOK
from kommfit.course.settings import COURSE_ID

from ..conftest import REPO_ROOT
from ..course_harness import CourseHarness
from .lab_harness import (  # noqa: F401  (browser_type_launch_args: a fixture for pytest-playwright)
    KERNEL_IDLE,
    browser_type_launch_args,
    require_chromium,
    running_lab,
)
from .test_browser import answer_by_clicking

MODULE = "01-jede-stimme-zaehlt"
AXE = REPO_ROOT / "tests" / "tools" / "node_modules" / "axe-core" / "axe.min.js"  # scripts/install-test-tools.sh
AXE_BLOCKING = """async (area) => {
  const result = await axe.run({ include: [[area]] }, { runOnly: { type: "tag",
    values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] }, resultTypes: ["violations"] });
  return result.violations.filter(v => ["critical", "serious"].includes(v.impact))
    .map(v => `${v.id}: ${v.nodes.map(n => n.html.slice(0, 200)).join(" | ")}`);
}"""

require_chromium()

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def hub_lab(tmp_path_factory):
    """A course with module 01 released into its exchange, and the participant's JupyterLab pointed at it."""
    harness = CourseHarness(tmp_path_factory.mktemp("kursleitung"), [MODULE])
    harness.nbgrader("generate_assignment", MODULE, "--force")
    harness.nbgrader("release_assignment", MODULE, "--force")
    root, home = tmp_path_factory.mktemp("lab"), tmp_path_factory.mktemp("home")
    (root / "notebooks").mkdir()
    shutil.copy(REPO_ROOT / START_NOTEBOOK, root / START_NOTEBOOK)
    (home / ".jupyter").mkdir()
    (home / ".jupyter" / "nbgrader_config.py").write_text(
        "c = get_config()\n"
        f"c.Exchange.root = {str(harness.exchange)!r}\n"
        f"c.CourseDirectory.course_id = {COURSE_ID!r}\n"
        f"c.Exchange.assignment_dir = {str(root)!r}\n",
        encoding="utf-8",
    )
    with running_lab(root, home, open_path=START_NOTEBOOK) as (base, token):
        yield base, token, root, harness


def run_all_by_menu(page) -> None:
    """Ausführen → Alle Zellen ausführen, clicked in JupyterLab's German menu."""
    page.locator(".lm-MenuBar-itemLabel", has_text="Ausführen").first.click()
    page.locator(".lm-Menu-itemLabel", has_text="Alle Zellen ausführen").first.click()


def no_blocking_axe_violations(page, area: str) -> None:
    """axe-core (WCAG 2.1 A/AA) finds nothing critical or serious in the panel — where axe-core is installed
    (test_accessibility.py requires it under CI)."""
    if not AXE.is_file():
        return
    page.add_script_tag(path=str(AXE))
    assert page.evaluate(AXE_BLOCKING, area) == []


def test_from_the_start_page_to_the_feedback_by_clicking(hub_lab, page):
    base, token, root, harness = hub_lab
    page.set_default_timeout(180_000)
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.goto(f"{base}/lab/tree/{START_NOTEBOOK}?token={token}")  # the address `make lab` prints
    page.wait_for_function(KERNEL_IDLE)

    run_all_by_menu(page)
    start = page.locator(".kommfit-pickup")
    start.wait_for()
    start.scroll_into_view_if_needed()
    start.get_by_role("button", name="Module abholen").click()
    start.locator(".kommfit-status").get_by_text("1 Modul abgeholt").wait_for()
    assert (root / MODULE / f"{MODULE}.ipynb").is_file()
    start.locator(".kommfit-pickup-list a", has_text=MODULE).click()  # opens the module in a new tab

    page.locator(".jp-NotebookPanel:visible .jp-Notebook").first.wait_for()
    page.wait_for_function("() => window.jupyterapp.shell.currentWidget.context.path.endsWith('"
                           f"{MODULE}.ipynb')")
    page.wait_for_function(KERNEL_IDLE)
    run_all_by_menu(page)
    submit = page.locator(".kommfit-hub-submit:visible")
    submit.wait_for()
    assert page.locator(".kommfit-handin:visible").count() == 1  # no laptop export beside it
    for question in read_module(REPO_ROOT / "source" / MODULE / f"{MODULE}.ipynb").graded:
        answer_by_clicking(page, question["id"], question["kind"])

    submit.scroll_into_view_if_needed()
    submit.get_by_role("button", name="Jetzt abgeben").click()
    submit.locator(".kommfit-status").get_by_text("Abgegeben am").wait_for()
    assert "Rückmeldung abholen" in submit.locator(".kommfit-status").inner_text()
    (handed_in,) = (harness.exchange / COURSE_ID / "inbound").iterdir()
    assert (handed_in / ".antworten.json").is_file()
    # "Jetzt abgeben" saved the notebook first: the handed-in copy has the outputs of run-all, the tab is clean
    notebook = nbformat.read(handed_in / f"{MODULE}.ipynb", as_version=4)
    assert any(cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code")
    assert page.evaluate("window.jupyterapp.shell.currentWidget.context.model.dirty") is False
    no_blocking_axe_violations(page, ".kommfit-hub-submit")

    for step in ("collect", "autograde", "generate_feedback", "release_feedback"):  # the facilitator
        harness.nbgrader(step, MODULE)

    page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab", has_text="00-start").first.click()
    start = page.locator(".kommfit-pickup:visible")
    start.scroll_into_view_if_needed()
    start.get_by_role("button", name="Rückmeldung abholen").click()
    start.locator(".kommfit-status").get_by_text("Rückmeldung für 1 Modul da").wait_for()
    no_blocking_axe_violations(page, ".kommfit-pickup")
    feedback = list((root / MODULE / "feedback").rglob(f"{MODULE}.html"))
    assert len(feedback) == 1
    start.locator(".kommfit-pickup-list a", has_text="Rückmeldung öffnen").click()
    page.wait_for_function("() => window.jupyterapp.shell.currentWidget.context.path.endsWith('"
                           f"{MODULE}.html')")
    frame = page.frame_locator(".jp-HTMLViewer:visible iframe, iframe:visible").first
    frame.locator("body").get_by_text("Punkte", exact=False).first.wait_for()
