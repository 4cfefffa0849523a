"""Participant view: JupyterLab loads kommfit's stylesheet ``custom/custom.css`` next to this file.

A Python file (not JSON) because the stylesheet's folder is wherever kommfit is installed: ``make lab`` and the
participants' servers on the hub both put this folder on ``JUPYTER_CONFIG_PATH`` (``kommfit.course.lab``,
``deploy/jupyterhub/jupyterhub_config.py``), so both get the same look; the authors' view has no such file.
"""

from pathlib import Path

c = get_config()  # noqa: F821 - provided by Jupyter's config loader

c.LabApp.custom_css = True
# where /custom/custom.css is looked up: ServerApp.static_custom_path itself is not configurable, the web app's
# settings are. A plain dict, not ``tornado_settings.update(…)``: jupyterhub-singleuser tests ``"log_function" in``
# the configured value, which a lazy (update) value of traitlets cannot answer.
c.ServerApp.tornado_settings = {"static_custom_path": [str(Path(__file__).resolve().parent / "custom")]}
