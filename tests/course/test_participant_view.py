"""The participant view in the browser (as `make lab` and the hub's participant servers show it) against the authors'.

* After "Ausführen → Alle Zellen ausführen" the participant is back at the module's top, the heading focused
  (``kommfit.quiz.runall``); running only the last cell again leaves the page where it is.
* No "Nbgrader" menu for participants; the Assignments panel stays, opened with Datei → Assignment List (the
  participant view's settings/overrides.json); authors keep the menu.
* Of the grey "# Technik … •••" lines of the hidden code cells, participants see one (custom.css of the participant
  view); authors see all. test_accessibility.py counts them in all ten modules.
"""

from __future__ import annotations

import json
import shutil

import pytest

from ..conftest import REPO_ROOT
from .lab_harness import (  # noqa: F401  (browser_type_launch_args: a fixture for pytest-playwright)
    KERNEL_IDLE,
    PLACEHOLDERS,
    browser_type_launch_args,
    open_notebook,
    require_chromium,
    run_all,
    running_lab,
)

MODULES = ["01-jede-stimme-zaehlt", "10-mein-fitnessplan"]

require_chromium()

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WHERE_AM_I = """() => {
  const notebook = window.jupyterapp.shell.currentWidget.content;
  const scroller = notebook.node.querySelector(".jp-WindowedPanel-outer");
  const first = notebook.widgets[0].node.getBoundingClientRect();
  const view = scroller.getBoundingClientRect();
  const focused = document.activeElement;
  return {
    scrollTop: scroller.scrollTop, active: notebook.activeCellIndex, cells: notebook.widgets.length,
    firstCellShown: first.top >= view.top - 1 && first.top < view.bottom,
    focusInFirstCell: notebook.widgets[0].node.contains(focused), focused: focused.tagName.toLowerCase(),
    text: focused.textContent.trim(),
  };
}"""

MENUS = "() => [...document.querySelectorAll('#jp-menu-panel .lm-MenuBar-itemLabel')].map(n => n.textContent)"

def course(tmp_path_factory, view: str = "teilnehmende"):
    root = tmp_path_factory.mktemp("kurs")
    for module in MODULES:
        shutil.copytree(REPO_ROOT / "release" / module, root / module)
    return running_lab(root, tmp_path_factory.mktemp("home"), "lea-ansicht", view=view)


@pytest.fixture(scope="module")
def participant_lab(tmp_path_factory):
    with course(tmp_path_factory) as lab:
        yield lab


@pytest.mark.parametrize("module", MODULES)
def test_run_all_leaves_the_participant_at_the_top_of_the_module(participant_lab, page, module):
    """After "Alle Zellen ausführen": is the module's first cell in view, the active cell, and its heading focused
    (where a screen reader starts reading and Tab goes on to the first control)?"""
    base, token = participant_lab
    run_all(page, base, token, module)
    place = page.evaluate(WHERE_AM_I)
    assert place["scrollTop"] == 0 and place["firstCellShown"], place
    assert place["active"] == 0 and place["focusInFirstCell"], place
    assert place["focused"] == "h1" and place["text"].startswith("Modul "), place


def test_running_only_the_last_cell_again_stays_at_the_end(participant_lab, page):
    """Does only a run of the whole notebook send the page up — not the participant running the last cell again?"""
    base, token = participant_lab
    run_all(page, base, token, MODULES[0])
    before = page.evaluate("window.kommfitBackToTop")
    page.evaluate("""() => {
      const notebook = window.jupyterapp.shell.currentWidget.content;
      notebook.activeCellIndex = notebook.widgets.length - 1;
      return window.jupyterapp.commands.execute('notebook:run-cell');
    }""")
    page.wait_for_function(KERNEL_IDLE)
    page.wait_for_timeout(1500)  # a message to go up would have arrived before the kernel went idle
    place = page.evaluate(WHERE_AM_I)
    assert page.evaluate("window.kommfitBackToTop") == before
    assert place["active"] == place["cells"] - 1 and place["scrollTop"] > 0, place


def test_participants_see_no_nbgrader_menu_and_one_quiet_technik_line(participant_lab, page):
    base, token = participant_lab
    module = MODULES[0]
    open_notebook(page, base, token, module)
    menus = page.evaluate(MENUS)
    assert "Ausführen" in menus and "Nbgrader" not in menus, menus
    assert page.evaluate("""() => ['@jupyter/nbgrader:assignment-list', '@jupyter/nbgrader:menu']
        .map(id => window.jupyterapp.hasPlugin(id))""") == [True, False]
    page.locator("#jp-menu-panel .lm-MenuBar-item", has_text="Datei").click()  # the panel: Datei → Assignment List
    page.locator(".lm-Menu-item", has_text="Assignment List").click()
    page.locator("#nbgrader-assignment-list").wait_for()
    page.keyboard.press("Escape")
    open_notebook(page, base, token, module)
    page.locator(".jp-Notebook .jp-InputPlaceholder").nth(1).wait_for(state="attached")
    placeholders = page.evaluate(PLACEHOLDERS)
    assert placeholders["all"] > 1, placeholders  # the cells near the top are drawn (all of them: see the axe test)
    assert placeholders["drawn"] == 1 and placeholders["hiddenFocusable"] == 0, placeholders


def test_authors_keep_the_nbgrader_menu_and_every_technik_line(tmp_path_factory, page):
    with course(tmp_path_factory, view="autorenschaft") as (base, token):
        module = MODULES[0]
        open_notebook(page, base, token, module)
        assert "Nbgrader" in page.evaluate(MENUS)
        page.locator(".jp-Notebook .jp-InputPlaceholder").nth(1).wait_for(state="attached")
        placeholders = page.evaluate(PLACEHOLDERS)
        assert placeholders["all"] == placeholders["drawn"] > 1, placeholders


def test_back_to_the_top_also_when_jupyterlab_draws_only_the_cells_in_view(tmp_path_factory, page):
    """With JupyterLab's windowing mode "full" (only the cells in view are in the page, the module's top is not while
    run-all shows the end): is the participant still brought back to the top, heading focused?"""
    root = tmp_path_factory.mktemp("kurs")
    module = MODULES[0]
    shutil.copytree(REPO_ROOT / "release" / module, root / module)
    home = tmp_path_factory.mktemp("home")
    settings = home / ".jupyter" / "lab" / "user-settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    (settings / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "full"}), encoding="utf-8")
    with running_lab(root, home, "lea-ansicht") as (base, token):
        run_all(page, base, token, module)
        assert page.evaluate("window.jupyterapp.shell.currentWidget.content.notebookConfig.windowingMode") == "full"
        place = page.evaluate(WHERE_AM_I)
        assert place["scrollTop"] == 0 and place["firstCellShown"], place
        assert place["focused"] == "h1" and place["focusInFirstCell"], place
        assert place["active"] == 0, place


def test_the_toolbar_and_the_restart_question_are_german_in_jupyterlab_too(participant_lab, page):
    """The language pack lacks these; kommfit's server extension (kommfit.course.translations) fills the gaps, as
    the browser edition's build does (tests/lite/test_site.py reads its whole interface)."""
    base, token = participant_lab
    open_notebook(page, base, token, MODULES[0])
    toolbar = page.locator(".jp-NotebookPanel-toolbar")
    toolbar.locator("[title^='Darunter eine Zelle einfügen']").wait_for(state="attached", timeout=30_000)
    assert toolbar.locator("[title^='Insert a cell below']").count() == 0
    assert toolbar.locator("[title^='Kernel neu starten und alle Zellen ausführen']").count() == 1
    page.evaluate("() => { window.jupyterapp.commands.execute('kernelmenu:restart'); }")  # resolves when answered
    dialog = page.locator(".jp-Dialog")
    dialog.get_by_text("Alle Variablen gehen dabei verloren").wait_for()
    assert "Nicht mehr fragen" in dialog.inner_text()
    page.keyboard.press("Escape")
    translations = page.evaluate(f"fetch('{base}/lab/api/translations/de_DE?token={token}').then(r => r.json())")
    assert translations["data"]["notebook"]["Last Checkpoint: %1"] == ["Letzter Kontrollpunkt: %1"]
