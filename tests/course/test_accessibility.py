"""Barrierefreiheit im Browser: axe-core (WCAG 2.1 A und AA) über jedes freigegebene Modul, nach „Alle ausführen“.

Some participants use a screen reader or only the keyboard. axe-core (pinned in tests/tools/package.json, installed
by `make test` through scripts/install-test-tools.sh) checks what the course itself puts into the notebook: every
quiz, scenario, explorer and the hand-in widget (the containers carrying ``.kommfit-keyboard``) and the company
panels (``.kommfit-panel``) — not JupyterLab's own interface, which kommfit does not build.

Each module's findings are written to ``test-results/…/axe-<module>.json`` (pytest-playwright's output folder), so a
failure can be read rule by rule.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import nbformat
import pytest

from ..conftest import REPO_ROOT
from .lab_harness import (  # noqa: F401  (browser_type_launch_args: a fixture for pytest-playwright)
    KERNEL_IDLE,
    PLACEHOLDERS,
    browser_type_launch_args,
    require_chromium,
    run_all,
    running_lab,
)

AXE = REPO_ROOT / "tests" / "tools" / "node_modules" / "axe-core" / "axe.min.js"
MODULES = sorted(path.name for path in (REPO_ROOT / "release").iterdir() if (path / f"{path.name}.ipynb").is_file())
KOMMFIT_AREAS = (".kommfit-keyboard", ".kommfit-panel")  # what kommfit draws into a notebook's output areas
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = ("critical", "serious")

require_chromium()
if not AXE.is_file():
    if os.environ.get("CI") == "true":
        raise RuntimeError("CI=true, aber axe-core fehlt (scripts/install-test-tools.sh).")
    pytest.skip("axe-core ist nicht installiert (scripts/install-test-tools.sh); Barrierefreiheitstest übersprungen.",
                allow_module_level=True)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

RUN_AXE = """async ([areas, tags]) => {
  const include = areas.filter(selector => document.querySelector(selector)).map(selector => [selector]);
  const result = await axe.run({ include }, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] });
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({ target: n.target.join(" "), html: n.html.slice(0, 300), summary: n.failureSummary })),
  }));
}"""


# What axe-core does not check: a group of options named by its question, a named text area, a status line that is
# read out, a chart's alternative text that says something (axe accepts alt="" as decorative).
STRUCTURE = """(areas) => {
  const problems = [];
  const where = node => (node.closest("[class*='kommfit-q-'], [class*='kommfit-s-']") || node).className
    .split(" ").filter(c => c.startsWith("kommfit-")).join(" ");
  const text = node => (node.textContent || "").replace(/\\s+/g, " ").trim();
  const labelledBy = node => (node.getAttribute("aria-labelledby") || "").split(" ").filter(Boolean)
    .map(id => document.getElementById(id)).filter(Boolean).map(text).join(" ");
  const nameOf = node => node.getAttribute("aria-label") || labelledBy(node)
    || [...(node.labels || [])].map(text).join(" ");
  for (const area of document.querySelectorAll(areas.join(", "))) {
    for (const box of area.querySelectorAll(".widget-radio-box")) {
      const group = box.closest("[role=radiogroup]");
      if (!group || !labelledBy(group)) problems.push(`${where(box)}: Optionen ohne benannte radiogroup`);
    }
    for (const box of area.querySelectorAll(".widget-checkbox")) {  // several tick boxes side by side: a group
      if (box.parentElement.querySelectorAll(":scope > .widget-checkbox").length < 2) continue;
      const group = box.closest("[role=group]");
      if (!group || !labelledBy(group)) problems.push(`${where(box)}: Kästchen ohne benannte group`);
    }
    for (const field of area.querySelectorAll("textarea, select, input:not([type=radio]):not([type=checkbox])")) {
      if (!nameOf(field)) problems.push(`${where(field)}: ${field.tagName.toLowerCase()} ohne Namen`);
    }
    for (const status of area.querySelectorAll(".kommfit-status")) {
      if (status.getAttribute("aria-live") !== "polite") problems.push(`${where(status)}: Statuszeile nicht live`);
    }
    for (const image of area.querySelectorAll("img")) {
      if (text({ textContent: image.alt }).length < 20) problems.push(`${where(image)}: Bild ohne Beschreibung`);
    }
  }
  return problems;
}"""


@pytest.fixture(scope="module")
def course_lab(tmp_path_factory):
    """JupyterLab serving fresh copies of all released modules, every cell attached to the page.

    The lab's own setting ``windowingMode: none`` keeps cells outside the viewport fully rendered, so axe sees each
    widget as drawn (and can measure its colours) without the test scrolling through the notebook.
    """
    root = tmp_path_factory.mktemp("kurs")
    for module in MODULES:
        shutil.copytree(REPO_ROOT / "release" / module, root / module)
    home = tmp_path_factory.mktemp("home")
    settings = home / ".jupyter" / "lab" / "user-settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    (settings / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}), encoding="utf-8")
    with running_lab(root, home) as (base, token):
        yield base, token


def settle(page) -> None:
    """Wait until the kernel is idle and the page has stopped changing (widgets draw their parts one by one)."""
    page.wait_for_function(KERNEL_IDLE)
    page.wait_for_function("""() => new Promise(done => {
      let quiet = 0;
      const observer = new MutationObserver(() => { quiet = 0; });
      observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
      const tick = setInterval(() => {
        if (++quiet >= 8) { clearInterval(tick); observer.disconnect(); done(true); }
      }, 100);
    })""")


def axe_violations(page) -> list[dict]:
    """axe-core's WCAG 2.1 A/AA violations inside kommfit's own areas of the open notebook."""
    page.add_script_tag(path=str(AXE))
    return page.evaluate(RUN_AXE, [list(KOMMFIT_AREAS), WCAG_21_AA])


def summary(violations: list[dict]) -> dict[str, int]:
    """Rule → number of failing elements, e.g. {"select-name (critical)": 7}."""
    return {f"{v['id']} ({v['impact']})": len(v["nodes"]) for v in violations}


@pytest.mark.parametrize("module", MODULES)
def test_kommfit_areas_of_every_module_pass_axe(course_lab, page, module, output_path):
    """Does axe-core find no critical or serious WCAG 2.1 A/AA violation in what kommfit shows in the module? And of
    the placeholder lines of its hidden code cells, is at most one drawn?"""
    base, token = course_lab
    run_all(page, base, token, module)
    settle(page)
    assert page.locator(", ".join(KOMMFIT_AREAS)).count() > 0
    violations = axe_violations(page)

    report = Path(output_path)
    report.mkdir(parents=True, exist_ok=True)
    (report / f"axe-{module}.json").write_text(json.dumps(violations, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"axe {module}: {json.dumps(summary(violations), ensure_ascii=False)}")
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    assert not blocking, "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} – {len(v['nodes'])}×, z. B. {v['nodes'][0]['html']}" for v in blocking
    )
    assert page.evaluate(STRUCTURE, list(KOMMFIT_AREAS)) == []

    # of the grey "# Technik … •••" lines only one is drawn (participant view's custom.css), none can be reached
    placeholders = page.evaluate(PLACEHOLDERS)
    assert placeholders["all"] == hidden_code_cells(module) > 1, placeholders  # every cell is attached here
    assert placeholders["drawn"] <= 1 and placeholders["hiddenFocusable"] == 0, placeholders


def hidden_code_cells(module: str) -> int:
    nb = nbformat.read(REPO_ROOT / "release" / module / f"{module}.ipynb", as_version=4)
    return sum(1 for c in nb.cells if c.cell_type == "code" and c.metadata.get("jupyter", {}).get("source_hidden"))


FOCUS_RING = """(selector) => {
  const node = [...document.querySelectorAll(selector)].find(n => n.offsetParent !== null);  // a visible one
  node.scrollIntoView();
  node.focus();
  const style = getComputedStyle(node);
  return [document.activeElement === node, node.matches(":focus-visible"), style.outlineStyle,
          parseFloat(style.outlineWidth)];
}"""


def test_answers_feedback_and_focus_of_module_01_stay_accessible(course_lab, page, output_path):
    """After answering — practice feedback shown, "Antwort gespeichert" in the status line — does axe still find no
    critical or serious violation (the coloured verdicts included), are the lines that changed live regions, and
    does every kind of control show a clear focus ring when reached by keyboard?"""
    base, token = course_lab
    module = MODULES[0]
    run_all(page, base, token, module)
    settle(page)
    practice = page.locator(".kommfit-quiz:has(.widget-radio-box):has(.kommfit-feedback)").first
    for quiz in page.locator(".kommfit-quiz:has(.widget-radio-box)").all():
        quiz.scroll_into_view_if_needed()
        quiz.locator(".widget-radio-box label").first.click()
        quiz.locator(".kommfit-status").get_by_text("gespeichert").wait_for()
    settle(page)
    assert page.locator(".kommfit-feedback:has(.kommfit-good), .kommfit-feedback:has(.kommfit-bad)").count() > 0
    assert practice.locator(".kommfit-status").get_attribute("aria-live") == "polite"
    assert practice.locator(".kommfit-status").get_attribute("role") == "status"
    assert practice.locator(".kommfit-feedback").get_attribute("aria-live") == "polite"

    violations = axe_violations(page)
    report = Path(output_path)
    report.mkdir(parents=True, exist_ok=True)
    (report / f"axe-{module}-beantwortet.json").write_text(json.dumps(violations, ensure_ascii=False, indent=1),
                                                           encoding="utf-8")
    assert [v for v in violations if v["impact"] in BLOCKING] == []

    page.keyboard.press("Shift")  # the last input came from the keyboard: focus shows as it does for Tab
    for control in ("input[type=radio]", "input[type=checkbox]", "select", "input[type=range]", "button"):
        focused, visible, outline, width = page.evaluate(FOCUS_RING, f".kommfit-keyboard {control}")
        assert focused and visible and outline != "none" and width >= 2, f"{control}: kein deutlicher Fokusrahmen"
