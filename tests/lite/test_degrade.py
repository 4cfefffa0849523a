"""The kernel in the browser edition (Pyodide, sys.platform "emscripten") does without what Pyodide lacks.

The browser is simulated by replacing ``kommfit.core.runtime.in_browser``, the one place that asks; the real browser
run is tests/lite/test_site.py.
"""

from __future__ import annotations

import ast
import subprocess
import sys

import pytest
from filelock import FileLock

from kommfit.core import answers, runtime
from kommfit.core.answers import AnswerStore, AnswerStoreError
from kommfit.core.profile import default_profile_path
from kommfit.quiz import display

from ..conftest import REPO_ROOT

KERNEL_SIDE = ("core", "quiz", "grading", "activities")


@pytest.fixture
def browser(monkeypatch, tmp_path):
    """The browser edition, its storage (JupyterLite's /drive) being the test's folder."""
    monkeypatch.setattr(runtime, "in_browser", lambda: True)
    monkeypatch.setattr(runtime, "BROWSER_STORAGE", tmp_path)
    display._profile_of_this_page.cache_clear()
    yield
    display._profile_of_this_page.cache_clear()


def test_in_browser_is_the_emscripten_platform(monkeypatch):
    """Does the one check say "browser" exactly when Python runs on emscripten?"""
    assert runtime.in_browser() is False
    monkeypatch.setattr(sys, "platform", "emscripten")
    assert runtime.in_browser() is True


def test_in_the_browser_a_lock_left_behind_blocks_nothing(tmp_path, browser, monkeypatch):
    """Pyodide's soft file lock never goes away: with its lock file on the drive (here: a lock someone holds), does
    every answer still save at once, with no lock file written?"""
    monkeypatch.setattr(answers, "LOCK_TIMEOUT_SECONDS", 0.2)
    store = AnswerStore.in_folder(tmp_path)
    with FileLock(str(store.path) + answers.LOCK_SUFFIX):
        store.record("q1", "a", "h", "graded")
        store.record("q1", "b", "h", "graded")
        assert store.remove("q1") is True
        store.record("q2", "c", "h", "practice", score=1.0)
    assert store.get("q2")["value"] == "c"
    assert sorted(p.name for p in tmp_path.iterdir()) == [answers.ANSWER_FILE_NAME, answers.ANSWER_FILE_NAME + ".lock"]


def test_in_the_browser_the_profile_is_read_once_per_page(tmp_path, browser, monkeypatch):
    """Each look at a file is a round trip in the browser: is kurs.toml read once for all the questions of a module,
    while a module in another folder still gets its own profile? Outside the browser a change shows at once."""
    def company(folder, name):
        folder.mkdir(exist_ok=True)
        text = default_profile_path().read_text(encoding="utf-8")
        (folder / "kurs.toml").write_text(text.replace('name = "Nordlicht Haustechnik GmbH"', f'name = "{name}"'),
                                          encoding="utf-8")

    def shown():
        return display.active_profile().profile.fill("{firma}")

    company(tmp_path / "modul", "Erste GmbH")
    company(tmp_path / "anderes", "Zweite GmbH")
    monkeypatch.chdir(tmp_path / "modul")
    assert shown() == "Erste GmbH"
    company(tmp_path / "modul", "Geänderte GmbH")
    assert shown() == "Erste GmbH"
    monkeypatch.chdir(tmp_path / "anderes")
    assert shown() == "Zweite GmbH"
    monkeypatch.setattr(runtime, "in_browser", lambda: False)
    monkeypatch.chdir(tmp_path / "modul")
    assert shown() == "Geänderte GmbH"


def test_outside_the_browser_the_same_lock_still_guards_the_file(tmp_path, monkeypatch):
    """The counter-check: on a desktop kernel a held lock still gives the calm "blockiert" message."""
    monkeypatch.setattr(answers, "LOCK_TIMEOUT_SECONDS", 0.2)
    store = AnswerStore.in_folder(tmp_path)
    with FileLock(str(store.path) + answers.LOCK_SUFFIX):
        with pytest.raises(AnswerStoreError, match="gerade blockiert"):
            store.record("q1", "a", "h", "graded")


def test_in_the_browser_an_answer_outside_its_storage_is_refused_in_german(tmp_path, monkeypatch):
    """A kernel without the browser's storage (a private window) works in memory, and what it writes is gone with
    the page: is the answer refused with a German message that says what to do, instead of "Antwort gespeichert"?
    And is a file inside the storage still saved?"""
    monkeypatch.setattr(runtime, "in_browser", lambda: True)
    monkeypatch.setattr(runtime, "BROWSER_STORAGE", tmp_path / "drive")
    in_memory = AnswerStore.in_folder(tmp_path / "home")
    with pytest.raises(AnswerStoreError, match="privaten Fenster") as refused:
        in_memory.record("q1", "a", "h", "graded")
    assert "neu" in str(refused.value)
    with pytest.raises(AnswerStoreError, match="privaten Fenster"):
        in_memory.remove("q1")
    assert not in_memory.path.exists()
    storage = tmp_path / "drive" / "01-modul"
    storage.mkdir(parents=True)
    assert AnswerStore.in_folder(storage).record("q1", "a", "h", "graded")["value"] == "a"
    monkeypatch.setattr(runtime, "in_browser", lambda: False)
    assert AnswerStore.in_folder(tmp_path / "home").record("q1", "a", "h", "graded")["value"] == "a"


SILENT_RUN = """
import sys, warnings
warnings.simplefilter("always")
import kommfit.core.runtime as runtime
runtime.in_browser = lambda: True
runtime.BROWSER_STORAGE = runtime.Path(sys.argv[1])
from kommfit.core.answers import AnswerStore
store = AnswerStore.in_folder(sys.argv[1])
store.record("q1", "a", "h", "graded")
store.record("q1", "b", "h", "graded")
print("filelock" in sys.modules, store.get("q1")["attempts"])
"""


def test_in_the_browser_answers_save_without_filelock_and_without_stderr(tmp_path):
    """filelock warns on stderr when imported in Pyodide ("only soft file lock is available"), and nbgrader and
    participants see stderr: in the browser, is filelock never imported and nothing written to stderr?"""
    run = subprocess.run([sys.executable, "-c", SILENT_RUN, str(tmp_path)], capture_output=True, text=True,
                         cwd=REPO_ROOT, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["False", "2"]
    assert run.stderr == ""


def imported_modules(path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize("package", KERNEL_SIDE)
def test_kernel_side_code_starts_no_threads_or_processes(package):
    """Pyodide cannot start threads, and subprocess raises OSError there: does the code that runs in a participant's
    kernel import none of threading, subprocess, multiprocessing, concurrent or signal?"""
    forbidden = {"threading", "_thread", "subprocess", "multiprocessing", "concurrent", "signal"}
    offenders = {path.name: sorted(imported_modules(path) & forbidden)
                 for path in (REPO_ROOT / "kommfit" / package).rglob("*.py")}
    assert {name: found for name, found in offenders.items() if found} == {}


def test_the_hand_in_area_says_where_answers_live_only_in_the_browser(tmp_path, monkeypatch):
    """The note "Ihre Antworten bleiben in diesem Browser" belongs to the browser edition only."""
    from kommfit.activities.handin import BROWSER_NOTE, HandIn

    def notes(widget) -> int:
        return sum(1 for child in widget.children if getattr(child, "value", None) == BROWSER_NOTE)

    assert notes(HandIn(tmp_path)) == 0
    monkeypatch.setattr(runtime, "in_browser", lambda: True)
    assert notes(HandIn(tmp_path)) == 1
