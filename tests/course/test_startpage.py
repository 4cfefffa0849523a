"""The start page in every participant's home on the Hub (kommfit.course.startpage); the Hub test shows it live."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from types import SimpleNamespace

import pytest

from kommfit.course import startpage
from kommfit.course.lab import START_NOTEBOOK

from ..conftest import REPO_ROOT


@pytest.fixture
def installed(tmp_path: Path) -> Path:
    page = tmp_path / "share" / "00-start.ipynb"
    page.parent.mkdir()
    page.write_bytes((REPO_ROOT / START_NOTEBOOK).read_bytes())
    return page


@pytest.fixture
def home(tmp_path: Path) -> Path:
    folder = tmp_path / "home"
    folder.mkdir()
    return folder


def test_a_new_home_gets_the_start_page(installed, home):
    placed = startpage.place_start_page(installed, home)
    assert placed == home / "00-start.ipynb" and placed.read_bytes() == installed.read_bytes()
    assert [p.name for p in home.iterdir()] == ["00-start.ipynb"]  # no temporary file left


def test_an_old_copy_is_replaced_and_an_identical_one_left_alone(installed, home):
    (home / "00-start.ipynb").write_text("{}", encoding="utf-8")  # an older course version, or saved outputs
    startpage.place_start_page(installed, home)
    assert (home / "00-start.ipynb").read_bytes() == installed.read_bytes()
    os.utime(home / "00-start.ipynb", (1, 1))
    startpage.place_start_page(installed, home)
    assert (home / "00-start.ipynb").stat().st_mtime == 1


@pytest.mark.parametrize("kind", ["link", "folder"])
def test_something_else_under_the_name_is_left_alone(installed, home, tmp_path, kind):
    target = home / "00-start.ipynb"
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_text("nicht überschreiben", encoding="utf-8")
    if kind == "link":
        target.symlink_to(elsewhere)
    else:
        target.mkdir()
    with pytest.raises(OSError, match="keine gewöhnliche Datei"):
        startpage.place_start_page(installed, home)
    assert elsewhere.read_text(encoding="utf-8") == "nicht überschreiben"


def _server(root: Path) -> SimpleNamespace:
    """What the extension uses of Jupyter's ServerApp: where the server's files are, and its log."""
    return SimpleNamespace(root_dir=str(root), log=logging.getLogger("test-startpage"))


def test_the_server_extension_places_the_page_named_by_the_hub(installed, home, monkeypatch):
    monkeypatch.setenv(startpage.START_PAGE_VARIABLE, str(installed))
    startpage._load_jupyter_server_extension(_server(home))
    assert (home / "00-start.ipynb").read_bytes() == installed.read_bytes()


def test_without_the_hub_the_extension_does_nothing(home, monkeypatch):
    monkeypatch.delenv(startpage.START_PAGE_VARIABLE, raising=False)
    startpage._load_jupyter_server_extension(_server(home))
    assert not any(home.iterdir())


def test_a_missing_page_lets_the_server_start_with_a_warning(home, tmp_path, monkeypatch, caplog):
    monkeypatch.setenv(startpage.START_PAGE_VARIABLE, str(tmp_path / "fehlt.ipynb"))
    with caplog.at_level(logging.WARNING, logger="test-startpage"):
        startpage._load_jupyter_server_extension(_server(home))
    assert "Startseite nicht bereitgestellt" in caplog.text and not any(home.iterdir())


def test_the_hub_enables_the_extension_for_participants():
    enabled = json.loads((REPO_ROOT / "deploy/jupyterhub/teilnehmende/jupyter_server_config.d/"
                          "kommfit-startseite.json").read_text(encoding="utf-8"))
    assert enabled["ServerApp"]["jpserver_extensions"] == {"kommfit.course.startpage": True}
    assert startpage._jupyter_server_extension_points() == [{"module": "kommfit.course.startpage"}]
