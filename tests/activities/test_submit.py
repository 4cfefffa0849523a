"""The German hand-in path against nbgrader's real exchange in a temporary course: "Module abholen", "Jetzt abgeben",
"Rückmeldung abholen", their German errors, and the laptop fallback — as the participant's kernel runs them."""

from __future__ import annotations

import json
import os
import shutil
from datetime import datetime
from pathlib import Path

import ipywidgets as widgets
import pytest

from kommfit.activities import exchange
from kommfit.activities.handin import HandIn
from kommfit.activities.submit import (
    CoursePickup,
    HubSubmit,
    LocalModules,
    german_time,
    hand_in,
    module_title,
    pickup,
)
from kommfit.core.answers import ANSWER_FILE_NAME
from kommfit.course.settings import COURSE_ID

from ..conftest import REPO_ROOT
from ..course_harness import CourseHarness

MODULE = "01-jede-stimme-zaehlt"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def released(tmp_path_factory) -> Path:
    """A course with module 01 generated and released into its exchange — made once, copied for each test."""
    harness = CourseHarness(tmp_path_factory.mktemp("vorlage"), [MODULE])
    harness.nbgrader("generate_assignment", MODULE, "--force")
    harness.nbgrader("release_assignment", MODULE, "--force")
    return harness.base


@pytest.fixture
def course(released, tmp_path, monkeypatch) -> CourseHarness:
    """The released course copied to this test, and a participant whose Jupyter config names its exchange — as
    ``deploy/jupyterhub/teilnehmende/nbgrader_config.py`` does on the Hub."""
    base = tmp_path / "kurs-kopie"
    shutil.copytree(released, base, symlinks=True)
    harness = CourseHarness.__new__(CourseHarness)
    harness.base, harness.course, harness.exchange, harness.people = (base, base / "kurs", base / "exchange",
                                                                      base / "teilnehmende")
    config = harness.course / "nbgrader_config.py"
    config.write_text(config.read_text(encoding="utf-8").replace(str(released), str(base)), encoding="utf-8")
    participant_config(tmp_path, monkeypatch, f"c.Exchange.root = {str(harness.exchange)!r}\n"
                       f"c.CourseDirectory.course_id = {COURSE_ID!r}\n")
    return harness


def participant_config(tmp_path: Path, monkeypatch, text: str) -> Path:
    """The participant's home with ``~/.jupyter/nbgrader_config.py``; modules land in ``~/kurs``."""
    home = tmp_path / "home"
    (home / ".jupyter").mkdir(parents=True, exist_ok=True)
    (home / "kurs").mkdir(exist_ok=True)
    (home / ".jupyter" / "nbgrader_config.py").write_text(
        f"c = get_config()\n{text}c.Exchange.assignment_dir = {str(home / 'kurs')!r}\n", encoding="utf-8")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("JUPYTER_CONFIG_DIR", str(home / ".jupyter"))
    monkeypatch.setenv("JUPYTER_DATA_DIR", str(home / ".local" / "share" / "jupyter"))
    monkeypatch.delenv("JUPYTER_CONFIG_PATH", raising=False)
    return home


def start_page(home: Path) -> Path:
    folder = home / "kurs" / "notebooks"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def listed(panel: CoursePickup) -> str:
    """The HTML the panel shows below its buttons."""
    return json.dumps(panel.listing.outputs, ensure_ascii=False)


def inbound(harness: CourseHarness) -> list[Path]:
    return sorted((harness.exchange / COURSE_ID / "inbound").iterdir())


def test_module_abholen_fetches_what_is_released_and_lists_what_is_there(course):
    """Does "Module abholen" fetch the released module with nbgrader's fetch, list it with a link that opens the
    notebook, and say "schon da" the second time instead of failing like nbgrader's fetch would?"""
    start = start_page(Path(os.environ["HOME"]))
    panel = pickup(start)
    assert isinstance(panel, CoursePickup)
    fetched = panel.fetch_modules()
    folder = Path(os.environ["HOME"]) / "kurs" / MODULE
    assert [m for m, _ in fetched.new] == [MODULE] and (folder / f"{MODULE}.ipynb").is_file()
    listing = listed(panel)
    assert f"neu abgeholt: <a href='../{MODULE}/{MODULE}.ipynb'>" in listing
    assert "1 Modul abgeholt" in panel.status.value
    again = panel.fetch_modules()
    assert again.new == [] and [m for m, _ in again.present] == [MODULE]
    assert "schon da" in listed(panel) and "alle freigegebenen Module" in panel.status.value


def test_jetzt_abgeben_hands_in_the_module_folder_and_confirms_in_german(course):
    """Does "Jetzt abgeben" put the module folder with the answer file into the exchange's inbound as this account,
    and confirm with a German date and what happens next — and may the participant hand in again?"""
    panel = pickup(start_page(Path(os.environ["HOME"])))
    panel.fetch_modules()
    folder = Path(os.environ["HOME"]) / "kurs" / MODULE
    (folder / ANSWER_FILE_NAME).write_text('{"antworten": {}}', encoding="utf-8")
    widget = hand_in(folder)
    assert isinstance(widget, HubSubmit)
    widget.clock = lambda: datetime(2026, 12, 2, 8, 5)
    assert widget.submit()
    (handed_in,) = inbound(course)
    assert handed_in.name.split("+")[1] == MODULE
    assert (handed_in / ANSWER_FILE_NAME).read_text(encoding="utf-8") == '{"antworten": {}}'
    assert "Abgegeben am Mittwoch, 02.12.2026, um 08:05 Uhr" in widget.status.value
    assert "Rückmeldung abholen" in widget.status.value and "es zählt die letzte Abgabe" in widget.status.value
    assert widget.submit() and len(inbound(course)) == 2


def test_the_whole_way_to_the_feedback(course):
    """After the facilitator collects, grades and releases feedback with nbgrader, does "Rückmeldung abholen" bring
    the feedback HTML into the module folder and link it; and before that, say that it is not there yet?"""
    home = Path(os.environ["HOME"])
    panel = pickup(start_page(home))
    assert panel.fetch_feedback() == []
    assert "noch kein Modul abgegeben" in panel.status.value
    panel.fetch_modules()
    assert hand_in(home / "kurs" / MODULE).submit()
    panel.fetch_feedback()
    assert "noch keine Rückmeldung" in panel.status.value
    assert "die Rückmeldung ist noch nicht da" in listed(panel)
    for step in ("collect", "autograde", "generate_feedback", "release_feedback"):
        course.nbgrader(step, MODULE)
    (found,) = panel.fetch_feedback()
    assert found.module == MODULE and found.html.is_file()
    assert found.html.is_relative_to(home / "kurs" / MODULE / "feedback")
    assert "Rückmeldung" in found.html.read_text(encoding="utf-8")
    assert "Rückmeldung für 1 Modul da" in panel.status.value
    link = Path(os.path.relpath(found.html, start_page(home))).as_posix()
    assert link.startswith(f"../{MODULE}/feedback/") and "Rückmeldung öffnen</a>" in listed(panel)


def test_without_an_exchange_the_module_shows_the_export_and_the_start_page_says_so(tmp_path, monkeypatch):
    """Laptop mode: no exchange folder at all — the module's widget is the zip export, the start page explains."""
    participant_config(tmp_path, monkeypatch, "")  # no Exchange.root: nbgrader's default folder
    folder = tmp_path / MODULE
    folder.mkdir()
    (folder / f"{MODULE}.ipynb").write_text("{}", encoding="utf-8")
    # nbgrader's default exchange folder may exist on this machine; here it is a folder that does not
    monkeypatch.setattr(exchange, "_exchange_root", lambda config: tmp_path / "nirgends")
    assert exchange.course_for(folder, MODULE) is None
    assert isinstance(hand_in(folder), HandIn)
    start = pickup(tmp_path)
    assert isinstance(start, LocalModules)
    assert start.modules == [(MODULE, folder / f"{MODULE}.ipynb")]  # no heading in the notebook: its folder name
    assert "Abgabe exportieren" in " ".join(w.value for w in start.children if isinstance(w, widgets.HTML))


@pytest.mark.parametrize("layout", ["laptop", "browser"])
def test_without_a_course_server_the_start_page_links_the_modules(tmp_path, monkeypatch, layout):
    """A laptop (start page in notebooks/, modules in release/) and the browser edition (modules beside the start
    page): the start page lists every module by its heading, linked relative to the start page."""
    participant_config(tmp_path, monkeypatch, "")
    monkeypatch.setattr(exchange, "_exchange_root", lambda config: tmp_path / "nirgends")
    start = tmp_path / "notebooks" if layout == "laptop" else tmp_path / "site"
    modules = tmp_path / "release" if layout == "laptop" else start
    start.mkdir()
    for module in (REPO_ROOT / "release").iterdir():
        if (module / f"{module.name}.ipynb").is_file():
            (modules / module.name).mkdir(parents=True)
            shutil.copy(module / f"{module.name}.ipynb", modules / module.name)
    (modules / "99-fremd").mkdir()  # a folder whose name is not its notebook's: not a module
    (modules / "99-fremd" / "x.ipynb").write_text("{}", encoding="utf-8")
    page = pickup(start)
    assert isinstance(page, LocalModules)
    assert [title for title, _nb in page.modules][:2] == ["Modul 1: Jede Stimme zählt",
                                                         "Modul 2: Unsere Kommunikation kennen"]
    assert len(page.modules) == 10
    (shown,) = page.listing.outputs
    prefix = "../release/" if layout == "laptop" else ""
    assert f"<a href='{prefix}01-jede-stimme-zaehlt/01-jede-stimme-zaehlt.ipynb'>Modul 1: Jede Stimme zählt</a>" in \
        shown["data"]["text/html"]
    assert "fremd" not in shown["data"]["text/html"]


def test_a_broken_notebook_is_listed_by_its_folder_name(tmp_path):
    (tmp_path / "03-kaputt").mkdir()
    (tmp_path / "03-kaputt" / "03-kaputt.ipynb").write_text("{nicht json", encoding="utf-8")
    assert module_title(tmp_path / "03-kaputt" / "03-kaputt.ipynb") == "03-kaputt"


def test_an_empty_exchange_is_laptop_mode_too(tmp_path, monkeypatch):
    """An exchange folder without any course (nbgrader's default folder exists on many machines) is no course."""
    empty = tmp_path / "austausch"
    empty.mkdir()
    participant_config(tmp_path, monkeypatch, f"c.Exchange.root = {str(empty)!r}\n")
    folder = tmp_path / MODULE
    folder.mkdir()
    (folder / f"{MODULE}.ipynb").write_text("{}", encoding="utf-8")
    assert exchange.course_for(folder, MODULE) is None
    assert isinstance(hand_in(folder), HandIn)


def german_error(widget: HubSubmit) -> str:
    assert not widget.submit()
    text = widget.status.value
    assert "kommfit-bad" in text and "Traceback" not in text and "Error" not in text
    return text


def test_a_configured_exchange_that_is_missing_is_a_german_message(tmp_path, monkeypatch):
    participant_config(tmp_path, monkeypatch, f"c.Exchange.root = {str(tmp_path / 'weg')!r}\n")
    folder = tmp_path / MODULE
    folder.mkdir()
    (folder / f"{MODULE}.ipynb").write_text("{}", encoding="utf-8")
    widget = hand_in(folder)
    assert isinstance(widget, HubSubmit) and "nicht erreichbar" in widget.status.value
    assert "nicht erreichbar" in german_error(widget)
    start = pickup(tmp_path)
    start.fetch_modules()
    assert "nicht erreichbar" in start.status.value


def test_a_course_that_is_not_in_the_exchange_is_a_german_message(course, monkeypatch):
    home = Path(os.environ["HOME"])
    pickup(start_page(home)).fetch_modules()
    config = home / ".jupyter" / "nbgrader_config.py"
    config.write_text(config.read_text(encoding="utf-8").replace(repr(COURSE_ID), "'anderer-kurs'"), encoding="utf-8")
    assert "Den Kurs „anderer-kurs“ gibt es im Abgabeordner nicht" in german_error(hand_in(home / "kurs" / MODULE))


def test_a_module_folder_without_its_notebook_is_a_german_message(course):
    home = Path(os.environ["HOME"])
    pickup(start_page(home)).fetch_modules()
    folder = home / "kurs" / MODULE
    widget = hand_in(folder)
    (folder / f"{MODULE}.ipynb").unlink()
    assert f"fehlt das Notizbuch {MODULE}.ipynb" in german_error(widget)
    other = home / "kurs" / "99-gibt-es-nicht"
    other.mkdir()
    (other / "99-gibt-es-nicht.ipynb").write_text("{}", encoding="utf-8")
    assert "nicht freigegeben" in german_error(HubSubmit(other, exchange.course_for(start_page(home))))
    assert not inbound(course)


def test_no_permission_in_the_exchange_is_a_german_message(course):
    """A closed inbound folder (a participant account without write access) is refused before anything is copied."""
    home = Path(os.environ["HOME"])
    pickup(start_page(home)).fetch_modules()
    widget = hand_in(home / "kurs" / MODULE)
    box = course.exchange / COURSE_ID / "inbound"
    box.chmod(0o555)
    try:
        if os.access(box, os.W_OK):  # root may write anyway: take the folder away instead
            box.chmod(0o755)
            shutil.rmtree(box)
        assert "Berechtigung" in german_error(widget)
    finally:
        if box.exists():
            box.chmod(0o777)


def test_nothing_happens_while_nbgrader_grades(course, monkeypatch):
    home = Path(os.environ["HOME"])
    pickup(start_page(home)).fetch_modules()
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    assert isinstance(hand_in(home / "kurs" / MODULE), HandIn)
    assert pickup(start_page(home)).value == ""
    assert not inbound(course)


def test_german_time():
    assert german_time(datetime(2026, 3, 1, 14, 7)) == "Sonntag, 01.03.2026, um 14:07 Uhr"
