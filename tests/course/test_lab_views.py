"""The shipped Jupyter configuration of the two views (kommfit/data/jupyter/<view>/), without starting a lab.

The browser tests (test_participant_view.py, test_accessibility.py) show the result; these checks keep the
configuration true to the installed nbgrader and loadable by the hub's participant servers.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from traitlets.config.loader import PyFileConfigLoader

from kommfit.course.lab import ASSIGNMENT_LIST_PLUGIN, disabled_plugins, view_folder

NBGRADER_MENU_PLUGIN = "@jupyter/nbgrader:menu"
NBGRADER_EXTENSION = Path(sys.prefix) / "share" / "jupyter" / "labextensions" / "@jupyter" / "nbgrader" / "static"


def nbgrader_sources() -> str:
    return "".join(path.read_text(encoding="utf-8") for path in NBGRADER_EXTENSION.glob("*.js"))


def test_participants_lose_the_nbgrader_menu_but_keep_the_assignments_panel():
    """Is the menu plugin (as the installed nbgrader calls it) off for participants only, the panel on for both?"""
    assert f'id:"{NBGRADER_MENU_PLUGIN}"' in nbgrader_sources()
    assert NBGRADER_MENU_PLUGIN in disabled_plugins("teilnehmende")
    assert NBGRADER_MENU_PLUGIN not in disabled_plugins("autorenschaft")
    assert ASSIGNMENT_LIST_PLUGIN not in disabled_plugins("teilnehmende") | disabled_plugins("autorenschaft")


def test_the_assignments_panel_has_a_menu_entry_in_the_participant_view():
    """Without the Nbgrader menu, Datei → Assignment List opens the panel: a command the installed nbgrader has."""
    overrides = json.loads((view_folder("teilnehmende") / "settings" / "overrides.json").read_text(encoding="utf-8"))
    menus = overrides["@jupyterlab/mainmenu-extension:plugin"]["menus"]
    commands = [item.get("command") for menu in menus if menu["id"] == "jp-mainmenu-file" for item in menu["items"]]
    assert "nbgrader:open-assignment-list" in commands
    assert '"nbgrader:open-assignment-list"' in nbgrader_sources()


def test_the_participant_stylesheet_is_switched_on_in_a_way_the_hub_can_load():
    """Does the participant view's server configuration turn on custom.css from its own folder — as a plain
    dict, so that jupyterhub-singleuser's own look into ``tornado_settings`` works?"""
    folder = view_folder("teilnehmende")
    config = PyFileConfigLoader("jupyter_server_config.py", path=str(folder)).load_config()
    assert config.LabApp.custom_css is True
    settings = config.ServerApp.get("tornado_settings", {})
    assert "log_function" not in settings  # what jupyterhub/singleuser/extension.py asks; a lazy value would raise
    (custom,) = settings["static_custom_path"]
    assert (Path(custom) / "custom.css").read_text(encoding="utf-8").count(".jp-InputPlaceholder") >= 1
    assert not (view_folder("autorenschaft") / "jupyter_server_config.py").exists()
