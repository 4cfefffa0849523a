"""nbgrader settings of every participant's single-user server under JupyterHub (see jupyterhub_config.py)."""

import os

c = get_config()  # noqa: F821 - provided by nbgrader
c.Exchange.root = os.environ.get("KOMMFIT_AUSTAUSCH", "/srv/nbgrader/exchange")
c.Exchange.path_includes_course = True  # fetched modules land in ~/<kurs>/<modul>/
c.Authenticator.plugin_class = "nbgrader.auth.JupyterHubAuthPlugin"  # courses = the person's nbgrader-<kurs> groups
