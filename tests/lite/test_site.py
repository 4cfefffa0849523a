"""The browser edition, built for real and run in Debian's chromium from a loopback server with every other host
blocked: the site holds nothing a participant must not see, modules run, answers survive a reload, and the zip
downloaded from "Abgabe exportieren" is taken by `kommfit collect --zip` and graded to the reference score.

The session fixture runs the repo's own fetch script (pinned registry files, a no-op once cached) and a clean build.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import threading
import zipfile

import pytest
from playwright.sync_api import expect

from kommfit.app.cli import main as kommfit
from kommfit.core.answers import ANSWER_FILE_NAME
from kommfit.core.profile import default_profile_path, load_profile
from kommfit.course.catalog import read_module
from kommfit.course.lite import LEFT_OUT, PLUGIN
from kommfit.course.reference import load_cases
from kommfit.course.texts import words
from kommfit.workshop.cohort import Cohort
from kommfit.workshop.ledger import LEDGER_FILE, Ledger
from kommfit.workshop.roster import Person, write_roster

from ..conftest import REPO_ROOT
from ..course.lab_harness import browser_type_launch_args, require_chromium  # noqa: F401  (a pytest-playwright fixture)
from ..course.test_texts import require_hunspell, unknown_words
from ..course.test_translations import INTERFACE_WORDS
from .lite_harness import KERNEL_IDLE, QuietHandler, block_other_hosts, open_notebook, run_all, serving

MODULE = "01-jede-stimme-zaehlt"
OTHER_MODULE = "04-privat-beruflich-dazwischen"

require_chromium()

pytestmark = [pytest.mark.browser, pytest.mark.slow]


COMPANY = "Brückner Wärmetechnik GmbH"  # the company of the profile baked into the test site


@pytest.fixture(scope="session")
def profile(tmp_path_factory):
    """A company profile of its own, so the test sees that the one given to `kommfit lite` is the one shown."""
    path = tmp_path_factory.mktemp("profil") / "kurs.toml"
    text = default_profile_path().read_text(encoding="utf-8")
    path.write_text(text.replace('name = "Nordlicht Haustechnik GmbH"', f'name = "{COMPANY}"'), encoding="utf-8")
    assert load_profile(path).fill("{firma}") == COMPANY
    return path


@pytest.fixture(scope="session")
def site(tmp_path_factory, profile):
    """The site as a facilitator builds it: `kommfit lite --profile` (the repo's fetch script, then a clean build)."""
    folder = tmp_path_factory.mktemp("lite") / "site"
    assert kommfit(["lite", "--profile", str(profile), "--ausgabe", str(folder)]) == 0
    return folder


@pytest.fixture(scope="session")
def base(site):
    with serving(site) as url:
        yield url


@pytest.fixture
def offline_page(browser, base):
    """A page that may talk only to the loopback server; yields (page, list of blocked requests)."""
    context = browser.new_context(accept_downloads=True)
    blocked = block_other_hosts(context)
    page = context.new_page()
    yield page, blocked
    context.close()


def test_the_site_holds_no_solutions_and_only_what_it_needs(site):
    """No hidden test, no solution, no grade_ call, no source notebook, no autograde data in the site; Pyodide from
    the site itself, with PyPI switched off, and every shipped package listed with the sha256 of its file."""
    notebooks = sorted(p.relative_to(site / "files").as_posix() for p in (site / "files").rglob("*.ipynb"))
    assert notebooks == ["00-start.ipynb", *sorted(p.relative_to(REPO_ROOT / "release").as_posix()
                                                   for p in (REPO_ROOT / "release").glob("*/*.ipynb"))]
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in {".ipynb", ".json", ".toml", ".py", ".html"}:
            text = path.read_text(encoding="utf-8", errors="replace")
            assert "BEGIN HIDDEN TESTS" not in text and "BEGIN SOLUTION" not in text, path
    for notebook in (site / "files").rglob("*.ipynb"):
        code = [c["source"] for c in json.loads(notebook.read_text(encoding="utf-8"))["cells"]
                if c["cell_type"] == "code"]
        assert not any("grade_" in "".join(source) for source in code), notebook
    assert not [p for p in site.rglob("*") if p.name in {"autograde", ANSWER_FILE_NAME, "abgaben.toml", "source"}]
    assert (site / "files" / "kurs.toml").is_file()

    config = json.loads((site / "jupyter-lite.json").read_text(encoding="utf-8"))["jupyter-config-data"]
    kernel = config["litePluginSettings"][PLUGIN]
    assert kernel["pyodideUrl"] == "./static/pyodide/pyodide.mjs" and kernel["disablePyPIFallback"] is True
    assert config["settingsOverrides"]["@jupyterlab/translation-extension:plugin"]["locale"] == "de_DE"
    assert "nbgrader" not in json.dumps(config["settingsOverrides"])  # no menu entry for a panel the site lacks
    assert (site / "api" / "translations" / "de_DE.json").is_file()
    assert "@jupyter/nbgrader:formgrader" in config["disabledExtensions"]
    assert {e["name"] for e in config["federated_extensions"]} >= {"@jupyter-widgets/jupyterlab-manager", "anywidget"}
    assert not [e for e in config["federated_extensions"] if "nbgrader" in e["name"]]

    pyodide = site / "static" / "pyodide"
    lock = json.loads((pyodide / "pyodide-lock.json").read_text(encoding="utf-8"))["packages"]
    wheels = sorted(p.name for p in pyodide.glob("*.whl"))
    assert sorted(e["file_name"] for e in lock.values()) == wheels
    for entry in lock.values():
        assert hashlib.sha256((pyodide / entry["file_name"]).read_bytes()).hexdigest() == entry["sha256"]
        assert set(entry["depends"]) <= set(lock), entry["name"]
    assert set(lock["kommfit"]["depends"]) == {"ipywidgets", "anywidget", "traitlets", "comm", "filelock"}
    assert not {"pandas", "numpy", "matplotlib", "jupyterlab", "nbgrader"} & set(lock)

    # The site's Python is bytecode of one Python version, with no source left for the browser to compile, and every
    # package is loaded at the kernel's start (see kommfit/course/bytecode.py).
    assert kernel["loadPyodideOptions"]["packages"] == sorted(lock)
    magic_numbers = set()
    for archive in [pyodide / "python_stdlib.zip", *pyodide.glob("*.whl")]:
        with zipfile.ZipFile(archive) as opened:
            names = opened.namelist()
            assert not [n for n in names if n.endswith(".py")], archive.name
            magic_numbers |= {opened.read(n)[:4] for n in names if n.endswith(".pyc")}
    assert len(magic_numbers) == 1
    for name, folders in LEFT_OUT.items():  # what no kernel reads is not unpacked at each start
        with zipfile.ZipFile(pyodide / lock[name]["file_name"]) as opened:
            assert sorted(n for n in opened.namelist() if n.startswith(folders)) == sorted(folders), name


def questions_with_labels(profile_path) -> list[dict]:
    profile = load_profile(profile_path)
    questions = read_module(REPO_ROOT / "release" / MODULE / f"{MODULE}.ipynb").graded
    for question in questions:
        for key in ("options", "items", "categories"):
            for part in question.get(key, []):
                part["label"] = profile.fill(part["text"])
    return questions


def click_answer(page, question: dict, value) -> None:
    """Give ``value`` (as a reference case stores it) to one question by clicking, as a participant does."""
    widget = page.locator(f".kommfit-q-{question['id']}")
    widget.scroll_into_view_if_needed()
    label = {part["id"]: part["label"] for part in question.get("options", []) + question.get("categories", [])}
    if question["kind"] == "single":
        widget.locator(".widget-radio-box label", has_text=label[value][:40]).click()
    elif question["kind"] == "multiple":
        for option in value:
            widget.locator("label", has_text=label[option][:40]).click()
    elif question["kind"] == "matching":
        items = {item["id"]: item["label"] for item in question["items"]}
        for item, category in value.items():
            widget.get_by_label(items[item][:30]).select_option(label=label[category])
    else:
        raise AssertionError(f"{question['id']}: kind {question['kind']!r} not clicked in this test")
    widget.locator(".kommfit-status").get_by_text("Antwort gespeichert").wait_for()
    page.wait_for_function(KERNEL_IDLE, polling=500)


def no_stderr(page) -> None:
    assert page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").count() == 0
    assert page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.error']").count() == 0


def test_module_01_answers_survive_a_reload_and_the_downloaded_zip_grades(offline_page, base, profile, tmp_path):
    """Module 01 in the browser with no network beyond the loopback: run every cell, answer the whole Abschluss-Check
    by clicking (the reference case "perfekt"), reload the page and find the answers again, export the hand-in —
    downloaded straight from the widget — and have `kommfit collect --zip` take it and `kommfit grade` give the
    reference score."""
    page, blocked = offline_page
    perfect = {case.name: case for case in load_cases(REPO_ROOT / "autograde" / MODULE)}["perfekt"]
    run_all(page, base, MODULE)
    no_stderr(page)
    assert page.locator(".kommfit-browser-note").count() == 1  # where answers live, said only in the browser
    questions = questions_with_labels(profile)
    for question in questions:
        click_answer(page, question, perfect.answers[question["id"]])

    page.reload()
    run_all(page, base, MODULE)
    stored = page.evaluate(  # the answer file as the browser keeps it (its storage, not the page)
        "async (path) => (await window.jupyterapp.serviceManager.contents.get(path, "
        "{content: true, type: 'file', format: 'text'})).content", f"{MODULE}/{ANSWER_FILE_NAME}")
    answers = json.loads(stored)["answers"]
    assert {qid: entry["value"] for qid, entry in answers.items()} == perfect.answers
    first = questions[0]
    chosen = page.locator(f".kommfit-q-{first['id']} input[type=radio]:checked")
    assert chosen.count() == 1  # the widget shows the stored choice again

    roster = tmp_path / "liste.csv"
    write_roster(roster, [Person("anna", "Anna", "Test")])
    source = tmp_path / "curriculum"
    shutil.copytree(REPO_ROOT / "source" / MODULE, source / MODULE)  # the facilitator's side of the course
    root = tmp_path / "kohorte"
    assert kommfit(["init", str(root), "--profile", str(default_profile_path()), "--roster", str(roster),
                    "--module", str(source)]) == 0
    assert kommfit(["release", "--alle", "--kohorte", str(root)]) == 0
    code = Cohort.open(root).handin_code("anna")

    handin = page.locator(".kommfit-handin")
    handin.scroll_into_view_if_needed()
    handin.get_by_placeholder("z. B. tn017").fill("anna")
    handin.locator(".kommfit-handin-code input").fill(code)
    with page.expect_download() as download_info:
        handin.get_by_role("button", name="Abgabe exportieren").click()
    download = download_info.value
    assert download.suggested_filename == f"Abgabe_{MODULE}_anna.zip"
    inbox = tmp_path / "posteingang"
    inbox.mkdir()
    download.save_as(inbox / download.suggested_filename)
    handin.locator(".kommfit-status").get_by_text("Gespeichert als").wait_for()
    assert handin.locator(".kommfit-download-link").is_visible()

    assert kommfit(["collect", "--zip", str(inbox), "--kohorte", str(root)]) == 0
    assert (root / "submitted" / "anna" / MODULE / ANSWER_FILE_NAME).is_file()
    assert kommfit(["grade", "--kohorte", str(root)]) == 0
    entries = Ledger(Cohort.open(root).state / LEDGER_FILE).entries()
    assert {person: e.score for (_m, person), e in entries.items()} == {"anna": perfect.expected_score}
    assert blocked == []  # not one request left the loopback


def test_another_module_runs_offline_and_its_answer_survives_a_browser_restart(
        browser_type, browser_type_launch_args, base, tmp_path):  # noqa: F811  (the fixture imported above)
    """Module 04 (charts as SVG, no pandas) runs every cell with nothing on stderr; a click saves an answer, and after
    the browser was closed and started again with the same profile — as a participant does the next morning — the
    module shows that answer again."""
    profile_folder = tmp_path / "browserprofil"
    graded = read_module(REPO_ROOT / "release" / OTHER_MODULE / f"{OTHER_MODULE}.ipynb").graded
    single = next(q for q in graded if q["kind"] == "single")
    blocked: list[str] = []
    for day in ("heute", "morgen"):
        context = browser_type.launch_persistent_context(profile_folder, **browser_type_launch_args)
        try:
            blocked += block_other_hosts(context)
            page = context.new_page()
            run_all(page, base, OTHER_MODULE)
            no_stderr(page)
            widget = page.locator(f".kommfit-q-{single['id']}")
            widget.scroll_into_view_if_needed()
            if day == "heute":
                assert widget.locator("input[type=radio]:checked").count() == 0
                chosen = widget.locator(".widget-radio-box label").first
                chosen_text = " ".join(chosen.text_content().split())  # as to_have_text compares below
                chosen.click()
                widget.locator(".kommfit-status").get_by_text("Antwort gespeichert").wait_for()
                assert page.locator("img.kommfit-chart-image").count() >= 1
                assert page.get_by_text(COMPANY).count() >= 1  # the profile given to `kommfit lite`
            else:
                # Retried, and by textContent, as the label's text was read above: "Alle Zellen ausführen" ends by
                # scrolling back to the top, and JupyterLab skips drawing cells out of view (innerText is empty).
                checked = widget.locator(".widget-radio-box label:has(input:checked)")
                expect(checked).to_have_count(1)
                expect(checked).to_have_text(chosen_text)
        finally:
            context.close()  # the whole browser ends: the answer must be in the profile's storage, not in memory
    assert blocked == []


# Runs code in the open notebook's kernel, as a cell would, and returns what it printed.
EXECUTE = """async (code) => {
  const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
  const future = kernel.requestExecute({code, store_history: false});
  let printed = '';
  future.onIOPub = (msg) => { if (msg.header.msg_type === 'stream') { printed += msg.content.text; } };
  await future.done;
  return printed;
}"""


def test_imports_in_the_browser_ask_nothing_of_the_browser_storage(offline_page, base, site):
    """Every question to the browser's storage is a round trip through the service worker and the busy page, and
    Python's import system used to ask the notebook's folder there at every import (sitecustomize.py says why it no
    longer does), and so did the search for package metadata (prompt_toolkit asks it as the kernel starts). Starting
    the kernel lists no folder of the storage now; importing modules the kernel has not loaded yet — from the standard
    library and from kommfit — and reading package metadata ask the storage nothing, while a file next to the
    notebook is still looked up there."""
    page, _ = offline_page
    asked: list[tuple[str, str]] = []

    def record(request) -> None:
        if "/api/drive" in request.url and request.post_data:
            data = json.loads(request.post_data).get("data", {})
            asked.append((data.get("method"), data.get("path")))

    page.context.on("request", record)
    open_notebook(page, base, MODULE)
    assert [question for question in asked if question[0] == "readdir"] == []
    modules = ["graphlib", "wave", "kommfit.activities.svgchart"]
    loaded = page.evaluate(EXECUTE, f"import sys; print([m for m in {modules!r} if m in sys.modules])")
    assert loaded.strip() == "[]"  # else importing them would ask nothing anyway
    before = len(asked)
    printed = page.evaluate(EXECUTE, f"import {', '.join(modules)}, os\n"
                                     "from importlib.metadata import distributions, version\n"
                                     "print(version('ipywidgets'), len(list(distributions())) > 20,"
                                     " os.path.exists('nicht-da.txt'))")
    shipped = json.loads((site / "static" / "pyodide" / "pyodide-lock.json").read_text(encoding="utf-8"))["packages"]
    assert printed.split() == [shipped["ipywidgets"]["version"], "True", "False"]
    marker = ("lookup", f"/{MODULE}/nicht-da.txt")  # the last request of the cell: once it is seen, all are
    for _ in range(100):  # the request events reach this process a moment after the cell has ended
        if marker in asked[before:]:
            break
        page.wait_for_timeout(100)
    assert marker in asked[before:], asked[before:]
    assert asked[before:asked.index(marker, before)] == []


COMPLETE = """async (code) => {
  const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
  const reply = await kernel.requestComplete({code, cursor_pos: code.length});
  return reply.content.matches;
}"""


def test_completion_works_without_the_stubs_the_build_leaves_out(offline_page, base):
    """The tab key's completion (IPython with jedi) still works though the site carries no stubs for other
    libraries (lite.LEFT_OUT): jedi lists the folders those stubs were in, and without them it completes nothing."""
    page, blocked = offline_page
    open_notebook(page, base, MODULE)
    matches = page.evaluate(COMPLETE, "import os\nos.pat")
    assert "path" in [match.rsplit(".", 1)[-1] for match in matches], matches
    assert page.evaluate(EXECUTE, "import jedi; print(len(jedi.Interpreter('import json; json.lo', [{}]).complete()))"
                         ).strip() == "2"  # load, loads
    no_stderr(page)
    assert blocked == []


class LateServiceWorker(QuietHandler):
    """A server that hands out JupyterLite's service worker only after the page has asked for the kernel's worker
    (or after HOLD seconds): the order a slow connection or device, or a later visit, can bring about."""

    kernel_requested = threading.Event()
    HOLD = 15

    def do_GET(self) -> None:
        if "comlink.worker" in self.path:
            self.kernel_requested.set()
        elif self.path.startswith("/service-worker.js"):
            self.kernel_requested.wait(self.HOLD)
        super().do_GET()


def test_no_kernel_starts_before_the_browser_storage_is_reachable(browser, site):
    """When the service worker comes late, the kernel waits for it — without kommfit's extension it started without
    the browser's storage, and every answer went to its memory and was lost with the page. The answer clicked here
    is in the storage."""
    question = next(q for q in read_module(REPO_ROOT / "release" / MODULE / f"{MODULE}.ipynb").graded
                    if q["kind"] == "single")
    with serving(site, LateServiceWorker) as late_base:
        context = browser.new_context()
        blocked = block_other_hosts(context)
        try:
            page = context.new_page()
            messages: list[str] = []
            page.on("console", lambda message: messages.append(message.text))
            workers: list[str] = []
            page.on("worker", lambda worker: workers.append(worker.url))
            run_all(page, late_base, MODULE)
            widget = page.locator(f".kommfit-q-{question['id']}")
            widget.scroll_into_view_if_needed()
            widget.locator(".widget-radio-box label").first.click()
            widget.locator(".kommfit-status").get_by_text("Antwort gespeichert").wait_for()
            page.wait_for_function(KERNEL_IDLE, polling=500)
            stored = page.evaluate(
                "async (path) => (await window.jupyterapp.serviceManager.contents.get(path, "
                "{content: true, type: 'file', format: 'text'})).content", f"{MODULE}/{ANSWER_FILE_NAME}")
        finally:
            context.close()
    assert question["id"] in json.loads(stored)["answers"]
    assert not [text for text in messages if "will NOT be synced" in text]
    assert len([url for url in workers if "comlink.worker" in url]) == 1  # the early start waited and gave way
    assert blocked == []


# The open notebook's session and all sessions the page's in-browser server lists: [name, kernel id, session id].
SESSIONS_OF_THE_PAGE = """async () => {
  const sessions = window.jupyterapp.serviceManager.sessions;
  await sessions.refreshRunning();
  const own = window.jupyterapp.shell.currentWidget.sessionContext.session;
  return {own: [own.name, own.kernel.id, own.id],
          all: Array.from(sessions.running()).map((s) => [s.name, s.kernel.id, s.id])};
}"""


def test_a_first_visit_keeps_its_service_worker_for_the_storage_only_and_each_page_starts_one_kernel_early(
        offline_page, base):
    """The start page, then a module, in a new browser: each page's kernel is started as the page loads (the
    session kommfit's extension starts for the notebook named in the address), the notebook takes that kernel, and
    there is never a second one. The module's page finds the service worker the start page registered and keeps it:
    JupyterLite would otherwise unregister and register it again there, for seconds, under every open tab. That
    service worker answers nothing but the storage: the page's files come from the browser itself."""
    page, blocked = offline_page
    messages: list[str] = []
    workers: list[str] = []
    handed_on: list[str] = []  # files the service worker answered
    for name in ("00-start", MODULE):
        tab = page if name == "00-start" else page.context.new_page()
        tab.on("console", lambda message: messages.append(message.text))
        tab.on("worker", lambda worker: workers.append(worker.url))
        tab.on("response", lambda response: handed_on.append(response.url) if response.from_service_worker else None)
        open_notebook(tab, base, name)
        # Taken by the notebook, the early session gets the notebook's name (the restart question shows it).
        tab.wait_for_function("(name) => window.jupyterapp.shell.currentWidget.sessionContext.session.name === name",
                              arg=f"{name}.ipynb", polling=100)
        sessions = tab.evaluate(SESSIONS_OF_THE_PAGE)
        early = [text.rsplit(" ", 1)[-1] for text in messages if "kernel started early, session" in text]
        assert early and sessions["own"][2] == early[-1], (early, sessions)
        assert sessions["all"] == [sessions["own"]], sessions  # this page's server knows one session: its own
        assert len([url for url in workers if "comlink.worker" in url]) == 1
        workers.clear()
    tab.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")  # in the kernel it took
    tab.locator(".kommfit-handin").wait_for()
    tab.wait_for_function(KERNEL_IDLE, polling=500)
    no_stderr(tab)
    assert not [text for text in messages if "unregistering" in text], messages
    assert tab.evaluate("navigator.serviceWorker.controller !== null")  # the module's page has the service worker
    assert [url for url in handed_on if "/api/" not in url] == []
    assert blocked == []


NO_SERVICE_WORKERS = "Object.defineProperty(Navigator.prototype, 'serviceWorker', {get: () => undefined});"


def test_without_service_workers_the_module_runs_and_says_that_answers_cannot_be_kept(browser, base):
    """A browser without service workers, as some private windows are: the kernel starts all the same (it does not
    wait for a service worker that never comes), and a click does not claim "Antwort gespeichert" — it says in
    German that this window cannot keep answers and what to do."""
    question = next(q for q in read_module(REPO_ROOT / "release" / MODULE / f"{MODULE}.ipynb").graded
                    if q["kind"] == "single")
    context = browser.new_context()
    context.add_init_script(NO_SERVICE_WORKERS)
    blocked = block_other_hosts(context)
    try:
        page = context.new_page()
        run_all(page, base, MODULE)
        widget = page.locator(f".kommfit-q-{question['id']}")
        widget.scroll_into_view_if_needed()
        widget.locator(".widget-radio-box label").first.click()
        status = widget.locator(".kommfit-status")
        status.get_by_text("privaten Fenster", exact=False).wait_for()
        assert "Antwort gespeichert" not in status.text_content()
    finally:
        context.close()
    assert blocked == []


INTERFACE_TEXTS = """() => {
  const found = new Set();
  // What is drawn (a screen reader skips the rest), and not the module's own cells.
  const outside = (node) => node.checkVisibility() && !node.closest('.jp-Cell, .jp-OutputArea, script, style');
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (outside(node.parentElement) && node.textContent.trim()) found.add(node.textContent.trim());
  }
  for (const element of document.querySelectorAll('[title], [aria-label], [placeholder]')) {
    if (!outside(element)) continue;
    for (const name of ['title', 'aria-label', 'placeholder']) {
      if (element.getAttribute(name)) found.add(element.getAttribute(name));
    }
  }
  return [...found];
}"""


def interface_texts(page) -> set[str]:
    """Every text of the interface around the cells a participant can meet: the page with its labels and tooltips
    (a screen reader reads them), each menu of the menu bar, a cell's context menu and the restart question."""
    page.keyboard.press("Control+s")
    page.get_by_text("Letzter Kontrollpunkt").wait_for()
    page.evaluate("document.querySelector('.skip-link').focus()")
    texts = set(page.evaluate(INTERFACE_TEXTS))
    menu_items = ".lm-Menu-content .lm-Menu-itemLabel"
    for index in range(page.locator(".lm-MenuBar-item").count()):
        page.locator(".lm-MenuBar-item").nth(index).click()
        page.locator(".lm-Menu").wait_for()
        texts |= set(page.locator(menu_items).all_inner_texts())
        page.keyboard.press("Escape")
        page.locator(".lm-Menu").wait_for(state="detached")
    page.locator(".jp-Cell").first.click(button="right")
    page.locator(".lm-Menu").wait_for()
    texts |= set(page.locator(menu_items).all_inner_texts())
    page.keyboard.press("Escape")
    page.evaluate("() => { window.jupyterapp.commands.execute('kernelmenu:restart'); }")  # resolves when answered
    page.locator(".jp-Dialog").wait_for()
    texts |= set(page.locator(".jp-Dialog").inner_text().splitlines())
    page.keyboard.press("Escape")
    return texts


def test_the_interface_around_the_module_speaks_german(offline_page, base):
    """Loading screen, title, toolbar, labels, menus and the restart question are German (hunspell de_DE): the
    language pack's gaps are filled by kommfit's supplement, not left in English."""
    require_hunspell()
    page, blocked = offline_page
    page.set_default_timeout(240_000)
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.goto(f"{base}/notebooks/index.html?path={MODULE}/{MODULE}.ipynb")
    assert page.evaluate("document.documentElement.lang") == "de"
    assert page.title() == "Fitnessprogramm Digitale Kommunikation"
    page.wait_for_function(KERNEL_IDLE, polling=500)
    page.set_default_timeout(20_000)
    loading = page.evaluate("document.querySelector('.jupyterlite-loading-indicator-text').textContent")
    assert loading == "Der Kurs wird geladen …"
    texts = {text.replace(f"{MODULE}.ipynb", "").replace(MODULE, "") for text in interface_texts(page)}
    # The syntax-highlighting submenu's entries are the names of programming languages: the menus are read one level.
    where: dict[str, list[str]] = {}
    for text in texts:
        for word in words(text):
            where.setdefault(word, []).append(text)
    unknown = sorted(set(unknown_words(where)) - INTERFACE_WORDS)
    assert not unknown, "\n".join(f"{word}: {sorted(set(where[word]))[:3]}" for word in unknown)
    assert "Browserdaten löschen" not in texts, "the menu entry that wipes every answer is gone"
    assert blocked == []
