"""Keyboard only: a participant completes module 05's whole Abschluss-Check without a mouse.

Module 05 asks all four kinds — single choice, multiple choice, matching and a free text. After the menu action "Alle
Zellen ausführen" (the harness's run_all) the test uses nothing but ``page.keyboard``: Tab and Shift+Tab from control
to control, arrow keys in the option groups and dropdowns, Space to tick, typing into the text field — no clicks, no
``focus()``, no ``fill()``. Every control it operates must show a clear focus ring, every place Tab stops must be
visible, and in the end the answer file must hold exactly the reference answers "perfekt" (autograde/05-…/abgaben.toml,
which the reference test grades with full points through nbgrader).
"""

from __future__ import annotations

import json

import pytest

from kommfit.core.answers import ANSWER_FILE_NAME, account_order_seed
from kommfit.course.catalog import read_module
from kommfit.course.reference import load_cases
from kommfit.quiz.question import shown_order

from ..conftest import REPO_ROOT
from .lab_harness import (  # noqa: F401  (browser_type_launch_args: a fixture for pytest-playwright)
    browser_type_launch_args,
    module_lab,
    require_chromium,
    run_all,
    running_lab,
)

MODULE = "05-recht-ohne-angst"
ACCOUNT = "karla-tastatur"  # the hub account the kernels see: it fixes this person's order of options
MAX_TABS = 400  # a whole module has far fewer stops; more means Tab is stuck

require_chromium()

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# What has the focus: where it is, whether it can be seen, and its focus ring.
FOCUSED = """() => {
  const node = document.activeElement;
  const quiz = node && node.closest("[class*='kommfit-q-']");
  const style = getComputedStyle(node);
  const box = node.getBoundingClientRect();
  return {
    question: quiz ? [...quiz.classList].find(c => c.startsWith("kommfit-q-")).slice("kommfit-q-".length) : null,
    tag: node.tagName.toLowerCase(), type: node.type || "", checked: !!node.checked, value: node.value ?? "",
    visible: node.getClientRects().length > 0 && style.visibility !== "hidden" && box.width > 0 && box.height > 0,
    ring: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2 && node.matches(":focus-visible"),
    where: node.outerHTML.slice(0, 160),
  };
}"""


def focused(page) -> dict:
    return page.evaluate(FOCUSED)


def tab_to(page, question_id: str, tag: str, key: str = "Tab") -> dict:
    """Press Tab (or Shift+Tab) until a ``tag`` control of the question has the focus; every stop on the way must be
    something the participant can see."""
    for _ in range(MAX_TABS):
        page.keyboard.press(key)
        now = focused(page)
        assert now["visible"], f"Tab hält an einem unsichtbaren Element: {now['where']}"
        if now["question"] == question_id and now["tag"] == tag:
            assert now["ring"], f"{question_id}: kein sichtbarer Fokusrahmen an {now['where']}"
            return now
    raise AssertionError(f"{question_id}: nach {MAX_TABS}× {key} kein {tag} erreicht")


def saved(page, question_id: str) -> None:
    page.locator(f".kommfit-q-{question_id} .kommfit-status").get_by_text("Antwort gespeichert").wait_for()


def choose_radio(page, question_id: str, index: int) -> None:
    """Tab into the option group (the first option gets the focus), then Space or arrow keys to the option."""
    tab_to(page, question_id, "input")
    if index == 0:
        page.keyboard.press("Space")
    for _ in range(index):
        page.keyboard.press("ArrowDown")
    now = focused(page)
    assert now["checked"] and now["ring"], now["where"]
    saved(page, question_id)


def tick_boxes(page, question_id: str, ticks: list[bool]) -> None:
    """Tab from box to box, Space on those to tick; then Shift+Tab back once and Tab forward again."""
    tab_to(page, question_id, "input")
    for position, tick in enumerate(ticks):
        if position:
            page.keyboard.press("Tab")
        now = focused(page)
        assert now["question"] == question_id and now["type"] == "checkbox" and now["ring"], now["where"]
        if tick:
            page.keyboard.press("Space")
            assert focused(page)["checked"]
    page.keyboard.press("Shift+Tab")
    back = focused(page)
    assert back["type"] == "checkbox" and back["checked"] == ticks[-2] and back["ring"], back["where"]
    page.keyboard.press("Tab")
    saved(page, question_id)


def choose_categories(page, question_id: str, positions: list[int]) -> None:
    """Each dropdown in turn: Tab to it, ArrowDown to the category (position 1 is the first after "bitte wählen")."""
    for number, position in enumerate(positions):
        if number == 0:
            tab_to(page, question_id, "select")
        else:
            page.keyboard.press("Tab")
        now = focused(page)
        assert now["question"] == question_id and now["tag"] == "select" and now["ring"], now["where"]
        for _ in range(position):
            page.keyboard.press("ArrowDown")
    saved(page, question_id)


def write_text(page, question_id: str, text: str) -> None:
    tab_to(page, question_id, "textarea")
    page.keyboard.type(text)
    page.locator(f".kommfit-q-{question_id} .kommfit-status").get_by_text("Antwort gespeichert").wait_for()
    page.wait_for_function(
        "([id, text]) => document.querySelector(`.kommfit-q-${id} textarea`).value === text", arg=[question_id, text]
    )


@pytest.fixture
def lab(tmp_path_factory):
    with module_lab(tmp_path_factory, MODULE, ACCOUNT) as lab:
        yield lab


def test_the_abschluss_check_of_module_05_can_be_done_with_the_keyboard_alone(lab, page):
    """Tab, Shift+Tab, arrow keys, Space and typing — no mouse: are all of module 05's graded answers (single,
    multiple, matching, free text) in the answer file, exactly as intended?"""
    base, token, root = lab
    intended = next(case for case in load_cases(REPO_ROOT / "autograde" / MODULE) if case.name == "perfekt").answers
    graded = {q["id"]: q for q in read_module(REPO_ROOT / "source" / MODULE / f"{MODULE}.ipynb").graded}
    assert set(intended) == set(graded) and {q["kind"] for q in graded.values()} == {
        "single", "multiple", "matching", "text"}
    seed = account_order_seed(ACCOUNT)

    def order(question_id: str, entries: list[str]) -> list[str]:
        return list(shown_order(tuple(entries), seed, question_id))

    run_all(page, base, token, MODULE)  # the menu action; from here on only the keyboard
    page.keyboard.press("Shift")  # the participant's own keyboard from now on (focus rings show as for Tab)
    for question_id, question in graded.items():  # top to bottom, as Tab goes
        answer = intended[question_id]
        if question["kind"] == "single":
            choose_radio(page, question_id, order(question_id, [o["id"] for o in question["options"]]).index(answer))
        elif question["kind"] == "multiple":
            shown = order(question_id, [o["id"] for o in question["options"]])
            tick_boxes(page, question_id, [option in answer for option in shown])
        elif question["kind"] == "matching":
            categories = order(question_id, [c["id"] for c in question["categories"]])
            choose_categories(page, question_id, [categories.index(answer[i["id"]]) + 1 for i in question["items"]])
        else:
            write_text(page, question_id, answer)

    given: dict = {}
    for _ in range(240):  # the last keystrokes of the text reach the kernel a moment after the page shows them
        answers = json.loads((root / MODULE / ANSWER_FILE_NAME).read_text(encoding="utf-8"))["answers"]
        given = {qid: entry["value"] for qid, entry in answers.items() if entry["mode"] == "graded"}
        if given == intended:
            break
        page.wait_for_timeout(250)
    assert given == intended
