"""JupyterHub for a kommfit course: one account per participant, nbgrader's exchange, the course as a Hub service.

Follows nbgrader's "JupyterHub with multiple courses" setup for one course:

* every participant and facilitator has a system account and a single-user JupyterLab (LocalProcessSpawner) in the
  German participant view of kommfit, with the company profile from one place (``KOMMFIT_PROFIL``);
* the course itself runs as a Hub service ``<kurs>`` — a JupyterLab with nbgrader's tools, started by the Hub as the
  course's grader account in the cohort folder; facilitators (group ``formgrade-<kurs>``) may open it;
* participants are in group ``nbgrader-<kurs>``; nbgrader's ``JupyterHubAuthPlugin`` shows each person only the
  courses of their groups, and ``Exchange.path_includes_course`` keeps fetched modules in ``~/<kurs>/``;
* the gradebook lives where the cohort's ``nbgrader_config.py`` says — PostgreSQL for a workshop with several
  facilitators (``kommfit init … --db-url postgresql://…``).

Everything site-specific comes from environment variables (see ``deploy/jupyterhub/start.sh`` for the defaults).

Only the Hub (root) reads this file. Everything the participants' servers and the course service read comes from the
Hub's environment (``KOMMFIT_HUB_VENV``, set up by ``install.sh``), never from the repository: the repository may sit
in a home folder other accounts cannot enter.
"""

import importlib.util
import os
import sys
from pathlib import Path

VENV_BIN = Path(sys.executable).parent
SHARE = Path(sys.prefix) / "share" / "kommfit-hub"  # proxy and participants' nbgrader settings, from install.sh
KOMMFIT_JUPYTER = Path(importlib.util.find_spec("kommfit").origin).parent / "data" / "jupyter"  # the installed kommfit
if not (SHARE / "teilnehmende").is_dir():
    sys.exit(f"Die Hub-Umgebung {sys.prefix} ist nicht vollständig eingerichtet: Bitte deploy/jupyterhub/install.sh "
             "als root ausführen (start.sh tut das von selbst).")

COURSE = os.environ.get("KOMMFIT_KURS", "kommfit")
GRADER = os.environ.get("KOMMFIT_BEWERTER", f"grader-{COURSE}")
COHORT = os.environ["KOMMFIT_KOHORTE"]  # the cohort folder, owned by GRADER
FACILITATORS = [u for u in os.environ.get("KOMMFIT_KURSLEITUNG", "").split(",") if u]
PARTICIPANTS = [u for u in os.environ.get("KOMMFIT_TEILNEHMENDE", "").split(",") if u]
STATE = Path(os.environ.get("KOMMFIT_HUB_ZUSTAND", "/srv/kommfit/hub"))
PROFILE = os.environ.get("KOMMFIT_PROFIL", "/etc/kommfit/kurs.toml")
SERVICE_PORT = int(os.environ.get("KOMMFIT_KURS_PORT", "9999"))

c = get_config()  # noqa: F821 - provided by JupyterHub

# --- the Hub and its proxy ---------------------------------------------------------------------------------------
c.JupyterHub.ip = os.environ.get("KOMMFIT_HUB_IP", "0.0.0.0")
c.JupyterHub.port = int(os.environ.get("KOMMFIT_HUB_PORT", "8000"))
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(os.environ.get("KOMMFIT_HUB_INTERN_PORT", "8081"))
c.JupyterHub.db_url = os.environ.get("KOMMFIT_HUB_DB", f"sqlite:///{STATE / 'jupyterhub.sqlite'}")
c.JupyterHub.cookie_secret_file = str(STATE / "cookie_secret")
c.JupyterHub.pid_file = str(STATE / "jupyterhub.pid")
c.ConfigurableHTTPProxy.command = [str(SHARE / "proxy" / "node_modules" / ".bin" / "configurable-http-proxy")]
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{os.environ.get('KOMMFIT_PROXY_API_PORT', '8001')}"
c.ConfigurableHTTPProxy.pid_file = str(STATE / "proxy.pid")

# --- accounts: system users, as nbgrader's exchange needs one uid per person ----------------------------------------
c.JupyterHub.authenticator_class = "jupyterhub.auth.PAMAuthenticator"
c.Authenticator.allowed_users = set(FACILITATORS + PARTICIPANTS)
c.Authenticator.admin_users = set(u for u in os.environ.get("KOMMFIT_HUB_ADMINS", "").split(",") if u)

# --- single-user servers: German JupyterLab, participant view, profile in one place ----------------------------------
c.JupyterHub.spawner_class = "jupyterhub.spawner.LocalProcessSpawner"
c.Spawner.cmd = [str(VENV_BIN / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab/tree/00-start.ipynb"  # kommfit.course.startpage puts it into the home
c.Spawner.notebook_dir = "~"
c.Spawner.args = [f"--LabApp.app_settings_dir={KOMMFIT_JUPYTER / 'teilnehmende' / 'settings'}"]
c.Spawner.environment = {
    "KOMMFIT_PROFIL": PROFILE,
    # participant view of kommfit + the participants' nbgrader settings (exchange, course, JupyterHub groups)
    "JUPYTER_CONFIG_PATH": os.pathsep.join([str(KOMMFIT_JUPYTER / "teilnehmende"), str(SHARE / "teilnehmende")]),
    "PATH": f"{VENV_BIN}:/usr/local/bin:/usr/bin:/bin",
    "KOMMFIT_AUSTAUSCH": os.environ.get("KOMMFIT_AUSTAUSCH", "/srv/nbgrader/exchange"),
    "KOMMFIT_STARTSEITE": str(SHARE / "teilnehmende" / "00-start.ipynb"),
}
c.Spawner.http_timeout = 120
c.Spawner.start_timeout = 120

# --- the course as a service, and who may do what ------------------------------------------------------------------
c.JupyterHub.load_groups = {
    f"formgrade-{COURSE}": {"users": FACILITATORS},
    f"nbgrader-{COURSE}": {"users": PARTICIPANTS},
}
c.JupyterHub.services = [
    {
        "name": COURSE,
        "url": f"http://127.0.0.1:{SERVICE_PORT}",
        "command": [str(VENV_BIN / "jupyterhub-singleuser"), f"--ServerApp.root_dir={COHORT}"],
        "user": GRADER,
        "cwd": COHORT,
        "oauth_no_confirm": True,
        "environment": {
            "JUPYTERHUB_DEFAULT_URL": "/lab",
            "KOMMFIT_PROFIL": str(Path(COHORT) / "kurs.toml"),
            # the facilitators' view: nbgrader's formgrader and create-assignment tools
            "JUPYTER_CONFIG_PATH": str(KOMMFIT_JUPYTER / "autorenschaft"),
            "PATH": f"{VENV_BIN}:/usr/local/bin:/usr/bin:/bin",
            "HOME": os.path.expanduser(f"~{GRADER}"),
        },
    },
]
admin_token = os.environ.get("KOMMFIT_HUB_VERWALTUNG_TOKEN")
if admin_token:  # an automation account (used by the integration test; optional in production)
    c.JupyterHub.services.append({"name": "verwaltung", "api_token": admin_token})
c.JupyterHub.load_roles = [
    {
        "name": f"formgrade-{COURSE}",
        "groups": [f"formgrade-{COURSE}"],
        "scopes": [f"access:services!service={COURSE}"],
    },
    {
        "name": f"nbgrader-{COURSE}",
        "groups": [f"nbgrader-{COURSE}"],
        "scopes": [],
    },
    {
        # nbgrader's JupyterHubAuthPlugin asks the Hub which courses (groups) a person belongs to
        "name": "user",
        "scopes": ["self", "read:groups", "read:users:groups!user"],
    },
    {
        "name": "server",
        "scopes": ["inherit"],
    },
]
if admin_token:
    c.JupyterHub.load_roles.append(
        {
            "name": "verwaltung",
            "services": ["verwaltung"],
            "scopes": ["admin:users", "admin:servers", "tokens", "admin:groups", "read:services", "access:servers",
                       f"access:services!service={COURSE}"],
        }
    )
