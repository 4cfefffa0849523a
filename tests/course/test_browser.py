"""A participant in a real browser: JupyterLab as in `make lab`, driven in Debian's chromium with Playwright.

Open the released module 01, run all cells, answer one practice and one graded question by clicking (and one by
keyboard), see the feedback, and find the answers in the answer file on disk.
"""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest

from kommfit.core import handincode
from kommfit.core.answers import ANSWER_FILE_NAME, account_order_seed
from kommfit.core.profile import default_profile_path, load_profile
from kommfit.course.catalog import read_module
from kommfit.course.lab import START_NOTEBOOK
from kommfit.quiz.question import shown_order

from ..conftest import REPO_ROOT
from .lab_harness import (  # noqa: F401  (browser_type_launch_args: a fixture for pytest-playwright)
    KERNEL_IDLE,
    browser_type_launch_args,
    module_lab,
    open_notebook,
    require_chromium,
    run_all,
    running_lab,
)

MODULE = "01-jede-stimme-zaehlt"
ACCOUNT = "anna-browsertest"  # the hub account the lab's kernels see
SECOND_ACCOUNT = "ben-browsertest"  # a second participant: his own order of options

require_chromium()

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def lab(tmp_path_factory):
    """JupyterLab serving a fresh copy of the released module 01."""
    with module_lab(tmp_path_factory, MODULE, ACCOUNT) as lab:
        yield lab


def module_questions() -> list[dict]:
    """Module 01's questions as data (texts with the company profile filled in, as the labels show them)."""
    profile = load_profile(default_profile_path())
    questions = read_module(REPO_ROOT / "release" / MODULE / f"{MODULE}.ipynb").questions
    for question in questions:
        for option in question.get("options", []):
            option["label"] = profile.fill(option["text"])
            option["explanation"] = profile.fill(option.get("feedback", ""))
    return questions


def question(kind: str, practice: bool, last: bool = False) -> dict:
    """The first (or last) question of module 01 of that kind and mode."""
    matching = [q for q in module_questions() if q["kind"] == kind and q["practice"] == practice]
    return matching[-1 if last else 0]


def person_order(question_id: str, account: str = "") -> list[str]:
    """The option ids of a module-01 question in the order ``account`` (default: the test's participant) sees them."""
    ids = tuple(o["id"] for o in next(q for q in module_questions() if q["id"] == question_id)["options"])
    return list(shown_order(ids, account_order_seed(account or ACCOUNT), question_id))


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
    page.locator(".kommfit-handin").wait_for()
    shown = orders_on_the_page(page)  # Anna sees her own order (Ben's: the test after this one)
    assert shown == {qid: person_order(qid) for qid in shown}

    exercise = question("single", practice=True)
    key = next(o for o in exercise["options"] if o["correct"])
    practice = page.locator(f".kommfit-q-{exercise['id']}")
    practice.scroll_into_view_if_needed()
    practice.locator(".widget-radio-box label", has_text=key["label"][:40]).click()
    feedback = practice.locator(".kommfit-feedback")
    feedback.get_by_text("Gut gewählt").wait_for()
    assert key["explanation"][:40] in feedback.inner_text()

    check = question("single", practice=False)
    chosen = check["options"][1]
    graded = page.locator(f".kommfit-q-{check['id']}")
    graded.scroll_into_view_if_needed()
    graded.locator(".widget-radio-box label", has_text=chosen["label"][:40]).click()
    graded.locator(".kommfit-status").get_by_text("Antwort gespeichert").wait_for()
    assert graded.locator(".kommfit-feedback").inner_text().strip() == ""

    # Keyboard only: Space chooses, arrow keys move within the options (not to the next notebook cell).
    by_keyboard = question("single", practice=False, last=True)
    keyboard = page.locator(f".kommfit-q-{by_keyboard['id']}")
    keyboard.scroll_into_view_if_needed()
    keyboard.locator("input[type=radio]").first.focus()
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")
    assert keyboard.locator("input[type=radio]").nth(1).is_checked()  # the person's second option (see below)
    keyboard.locator(".kommfit-status").get_by_text("Antwort gespeichert").wait_for()
    # A multiple choice with Tab and Space; the check button of a practice question with Tab and Enter.
    ticks = question("multiple", practice=True)
    keys = [o["id"] for o in ticks["options"] if o["correct"]]
    wrong = next(o["id"] for o in ticks["options"] if not o["correct"])
    multiple = page.locator(f".kommfit-q-{ticks['id']}")
    multiple.scroll_into_view_if_needed()
    boxes = multiple.locator("input[type=checkbox]")
    first, second = sorted(person_order(ticks["id"]).index(option) for option in (keys[0], wrong))
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
    multiple.locator(".kommfit-feedback").get_by_text("nicht die beste Wahl").wait_for()  # one right, one wrong: 0

    graded.scroll_into_view_if_needed()
    screenshots = Path(output_path)
    screenshots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(screenshots / "modul-01-antworten.png"))

    saved = json.loads((root / MODULE / ANSWER_FILE_NAME).read_text(encoding="utf-8"))["answers"]
    practice_entry = saved[exercise["id"]]
    assert practice_entry["value"] == key["id"] and practice_entry["first_attempt"]["value"] == key["id"]
    assert saved[check["id"]]["value"] == chosen["id"] and saved[check["id"]]["mode"] == "graded"
    # what was chosen by position is the person's own order: the second option shown, not the author's second
    assert saved[by_keyboard["id"]]["value"] == person_order(by_keyboard["id"])[1]
    assert sorted(saved[ticks["id"]]["value"]) == sorted([keys[0], wrong])
    assert json.loads((root / MODULE / ANSWER_FILE_NAME).read_text(encoding="utf-8"))["order_seed"] == \
        account_order_seed(ACCOUNT)


def shown_labels(page, question_id: str, kind: str, count: int) -> list[str]:
    """The ``count`` option labels of a question, top to bottom, as the browser shows them (waits until all are
    drawn: JupyterLab draws only the cells near the viewport, and a widget's labels arrive one by one)."""
    widget = page.locator(f".kommfit-q-{question_id}")
    selector = ".widget-radio-box label" if kind == "single" else ".widget-checkbox label.widget-label-basic"
    texts: list[str] = []
    for _ in range(120):
        widget.scroll_into_view_if_needed()
        texts = [t.strip("\u200b \n") for t in widget.locator(selector).all_inner_texts()]  # \u200b: empty label
        texts = [t for t in texts if t]
        if len(texts) == count:
            return texts
        page.wait_for_timeout(250)
    raise AssertionError(f"{question_id}: {len(texts)} von {count} Optionen sichtbar")


def run_module_01(page, base: str, token: str) -> None:
    run_all(page, base, token, MODULE)


def orders_on_the_page(page) -> dict[str, list[str]]:
    """Every choice question's option order (as option ids) as module 01 shows it after run-all."""
    orders = {}
    for q in module_questions():
        if q["kind"] not in ("single", "multiple"):
            continue
        by_label = {o["label"]: o["id"] for o in q["options"]}
        labels = shown_labels(page, q["id"], q["kind"], len(q["options"]))
        orders[q["id"]] = [by_label[label] for label in labels]
    return orders


def test_a_second_participant_sees_another_order_in_the_browser(page, tmp_path_factory):
    """Does another account (Ben) get the options in his own order — not Anna's, not the author's — and the same
    order again after reopening? (Anna's order is checked in the browser test above.)"""
    root = tmp_path_factory.mktemp("lab")
    shutil.copytree(REPO_ROOT / "release" / MODULE, root / MODULE)
    with running_lab(root, tmp_path_factory.mktemp("home"), SECOND_ACCOUNT) as (base, token):
        run_module_01(page, base, token)
        seen = orders_on_the_page(page)
        assert seen == {qid: person_order(qid, SECOND_ACCOUNT) for qid in seen}
        run_module_01(page, base, token)
        assert orders_on_the_page(page) == seen  # reopened: the same order
    assert seen != {qid: person_order(qid, ACCOUNT) for qid in seen}
    assert seen != {q["id"]: [o["id"] for o in q["options"]] for q in module_questions() if q["id"] in seen}


def test_the_address_make_lab_prints_opens_the_start_page(page, tmp_path_factory):
    """Does the address JupyterLab prints (the one participants copy into a browser) open the start page, not the
    file browser?"""
    root = tmp_path_factory.mktemp("laptop")
    (root / "notebooks").mkdir()
    shutil.copy(REPO_ROOT / START_NOTEBOOK, root / START_NOTEBOOK)
    home = tmp_path_factory.mktemp("home")
    with running_lab(root, home, open_path=START_NOTEBOOK) as (base, token):
        printed = [line for line in (home / "lab.log").read_text().split() if line.startswith(base)]
        assert printed and all(url.startswith(f"{base}/lab/tree/{START_NOTEBOOK}?token=") for url in printed)
        page.set_default_timeout(120_000)
        page.goto(printed[0].split("?")[0] + f"?token={token}")  # a token given by config is printed as "..."
        page.wait_for_function(KERNEL_IDLE)
        assert page.evaluate("window.jupyterapp.shell.currentWidget.context.path") == START_NOTEBOOK


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
