"""A whole company on one machine, for real: JupyterHub + nbgrader + PostgreSQL with system accounts.

The test sets up a facilitator, two participants and the course's grader account as system users, a private
PostgreSQL cluster and the kommfit JupyterHub (deploy/jupyterhub/start.sh) on 127.0.0.1. Then, only through the Hub's
REST API and the users' own servers: the facilitator releases module 01 in the course service, each participant
fetches it, answers through the quiz widgets in a real kernel and submits; the facilitator collects, grades with
`kommfit grade` and releases feedback; each participant fetches their feedback. Everything is torn down afterwards.
"""

from __future__ import annotations

import json
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest

from kommfit.core.profile import default_profile_path
from kommfit.course.reference import load_cases
from kommfit.workshop.cohort import Cohort
from kommfit.workshop.roster import Person, write_roster

from ..conftest import REPO_ROOT
from ..hub_client import HttpError, Hub, JupyterServer

# The first test also sets up the Hub's environment in /opt (several minutes on a new machine) and runs the workshop.
pytestmark = [pytest.mark.slow, pytest.mark.hub, pytest.mark.timeout(1800)]

MODULE = "01-jede-stimme-zaehlt"
COURSE = "kommfit"
PG_BIN = sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1] if Path("/usr/lib/postgresql").is_dir() else None
# a cell in each submission: the grading kernel's user id and how its user namespace maps ids to the host's
WHO_GRADES = 'import os; print("KERNEL", os.getuid(), open("/proc/self/uid_map").read().split())'
# what the German buttons call ("Module abholen", "Jetzt abgeben", "Rückmeldung abholen"), in a participant's kernel
PICKUP = "from pathlib import Path\nfrom kommfit.activities.submit import CoursePickup, HubSubmit, hand_in\n"
START_PAGE = "00-start.ipynb"
# the Hub's Python environment, where every account can read it (deploy/jupyterhub/install.sh has the same default)
HUB_VENV = Path(os.environ.get("KOMMFIT_HUB_VENV") or "/opt/kommfit-hub")


def _requirements() -> str | None:
    if os.geteuid() != 0:
        return "braucht root (legt Systemkonten an)"
    if PG_BIN is None or not (PG_BIN / "initdb").exists():
        return "PostgreSQL ist nicht installiert (apt-get install postgresql)"
    if not shutil.which("npm") or not shutil.which("useradd"):
        return "npm oder useradd fehlen"
    return None


if _requirements():
    if os.environ.get("CI") == "true":
        raise RuntimeError(f"CI=true, aber der JupyterHub-Test kann nicht laufen: {_requirements()}")
    pytest.skip(f"JupyterHub-Test übersprungen: {_requirements()}", allow_module_level=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def subordinate_range(user: str) -> range | None:
    """The user's subordinate user ids from /etc/subuid, if any."""
    for line in Path("/etc/subuid").read_text(encoding="utf-8").splitlines() if Path("/etc/subuid").exists() else []:
        name, first, count = line.split(":")
        if name == user:
            return range(int(first), int(first) + int(count))
    return None


def give_subordinate_ids(user: str) -> None:
    """What the README asks of an administrator whose ``useradd`` did not assign subordinate ids (/etc/subuid
    missing): 65536 ids above every range already given."""
    if subordinate_range(user):
        return
    taken = [int(f) + int(c) for path in ("/etc/subuid", "/etc/subgid") if Path(path).exists()
             for _n, f, c in (line.split(":") for line in Path(path).read_text(encoding="utf-8").splitlines())]
    first = max([100000, *taken])
    span = f"{first}-{first + 65535}"
    sh("usermod", "--add-subuids", span, "--add-subgids", span, user)


def sh(*command: str, user: str | None = None, **kwargs) -> subprocess.CompletedProcess:
    if user:
        command = ("runuser", "-u", user, "--", *command)
        # not the checkout, which the account may not be allowed to enter (alembic reads ./pyproject.toml)
        kwargs.setdefault("cwd", "/")
    result = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        raise AssertionError(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")
    return result


class Site:
    """Accounts, database, cohort and Hub of the test, and how to remove them again."""

    def __init__(self) -> None:
        suffix = secrets.token_hex(2)
        self.facilitator, self.grader = f"kfkl{suffix}", f"kfgr{suffix}"
        self.participants = [f"kfan{suffix}", f"kfbe{suffix}"]
        self.base = Path(tempfile.mkdtemp(prefix="kommfit-hub-"))
        self.base.chmod(0o755)
        self.users: list[str] = []
        self.postgres: Path | None = None
        self.hub: subprocess.Popen | None = None
        self.checkout: dict[str, set[bytes]] = {}  # kommfit's modules just before and after install.sh

    def read_checkout(self) -> None:
        package = REPO_ROOT / "kommfit"
        for module in package.rglob("*.py"):  # every module of every layer, by its path in the package
            self.checkout.setdefault(str(module.relative_to(package)), set()).add(module.read_bytes())

    # ------------------------------------------------------------------ set-up
    def accounts(self) -> None:
        (self.base / "home").mkdir(mode=0o755)
        for user in [self.grader, self.facilitator, *self.participants]:
            home = self.base / "home" / user
            sh("useradd", "--create-home", "--home-dir", str(home), "--shell", "/bin/bash", user)
            self.users.append(user)
            home.chmod(0o700)  # nobody looks into another person's home
        give_subordinate_ids(self.grader)  # as the README says: its kernels then get user ids of their own

    def database(self) -> str:
        self.postgres = self.base / "pg"
        self.postgres.mkdir()
        shutil.chown(self.postgres, "postgres", "postgres")
        port, password = free_port(), secrets.token_hex(12)
        sh(str(PG_BIN / "initdb"), "-D", str(self.postgres / "data"), "-U", "postgres", "--auth-local=trust",
           "--auth-host=scram-sha-256", user="postgres")
        sh(str(PG_BIN / "pg_ctl"), "-D", str(self.postgres / "data"), "-l", str(self.postgres / "log"), "-w",
           "-o", f"-p {port} -c listen_addresses=127.0.0.1 -k {self.postgres}", "start", user="postgres")
        psql = [str(PG_BIN / "psql"), "-h", str(self.postgres), "-p", str(port), "-U", "postgres", "-v",
                "ON_ERROR_STOP=1", "-c"]
        sh(*psql, f"CREATE ROLE kommfit LOGIN PASSWORD '{password}'", user="postgres")
        sh(*psql, "CREATE DATABASE kommfit OWNER kommfit", user="postgres")
        return f"postgresql://kommfit:{password}@127.0.0.1:{port}/kommfit"

    def cohort(self, db_url: str) -> Path:
        shared = self.base / "kurs"
        shared.mkdir(mode=0o755)
        profile = shared / "kurs.toml"
        profile.write_text(default_profile_path().read_text(encoding="utf-8").replace(
            "Nordlicht Haustechnik GmbH", "Hubtest Wärme GmbH"), encoding="utf-8")
        profile.chmod(0o644)
        roster = shared / "teilnehmende.csv"
        write_roster(roster, [Person(p, f"Person {p}", "Kundendienst") for p in self.participants])
        roster.chmod(0o644)
        self.exchange = self.base / "austausch"
        self.exchange.mkdir()
        self.exchange.chmod(0o777)
        root = self.base / "home" / self.grader / "kohorte"
        sh(str(HUB_VENV / "bin" / "kommfit"), "init", str(root), "--profile", str(profile), "--roster", str(roster),
           "--austausch", str(self.exchange), "--db-url", db_url, user=self.grader)
        self.profile = profile
        return root

    def start_hub(self, cohort: Path) -> tuple[str, str]:
        port, token = free_port(), secrets.token_hex(32)
        env = dict(
            os.environ,
            KOMMFIT_KOHORTE=str(cohort), KOMMFIT_BEWERTER=self.grader, KOMMFIT_KURSLEITUNG=self.facilitator,
            KOMMFIT_TEILNEHMENDE=",".join(self.participants), KOMMFIT_PROFIL=str(self.profile),
            KOMMFIT_AUSTAUSCH=str(self.exchange), KOMMFIT_HUB_ZUSTAND=str(self.base / "hub"),
            KOMMFIT_HUB_IP="127.0.0.1", KOMMFIT_HUB_PORT=str(port), KOMMFIT_HUB_INTERN_PORT=str(free_port()),
            KOMMFIT_PROXY_API_PORT=str(free_port()), KOMMFIT_KURS_PORT=str(free_port()),
            KOMMFIT_HUB_VERWALTUNG_TOKEN=token, KOMMFIT_HUB_EINSTELLUNGEN=str(self.base / "keine.env"),
            KOMMFIT_HUB_VENV=str(HUB_VENV),
        )
        log = (self.base / "hub.log").open("w")
        self.hub = subprocess.Popen([str(REPO_ROOT / "deploy" / "jupyterhub" / "start.sh")], env=env, stdout=log,
                                    stderr=subprocess.STDOUT, start_new_session=True)
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 600  # the first start installs the Hub's environment
        while time.monotonic() < deadline:
            if self.hub.poll() is not None:
                raise AssertionError("JupyterHub stopped:\n" + (self.base / "hub.log").read_text()[-4000:])
            try:
                urllib.request.urlopen(f"{base}/hub/api/", timeout=2)
                return base, token
            except OSError:
                time.sleep(1)
        raise AssertionError("JupyterHub did not start:\n" + (self.base / "hub.log").read_text()[-4000:])

    # ------------------------------------------------------------------ tear-down
    def remove(self) -> None:
        if self.hub is not None and self.hub.poll() is None:
            os.killpg(self.hub.pid, signal.SIGTERM)
            try:
                self.hub.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.hub.pid, signal.SIGKILL)
        for user in self.users:
            subprocess.run(["pkill", "-KILL", "-u", user], capture_output=True)
        if self.postgres is not None:
            subprocess.run(["runuser", "-u", "postgres", "--", str(PG_BIN / "pg_ctl"), "-D",
                            str(self.postgres / "data"), "-m", "immediate", "stop"], capture_output=True, cwd="/")
        time.sleep(0.5)
        for user in self.users:
            subprocess.run(["userdel", "--remove", user], capture_output=True)
        shutil.rmtree(self.base, ignore_errors=True)


@pytest.fixture(scope="module")
def company():
    """The whole set-up, with the workshop already run through; torn down at the end."""
    site = Site()
    try:
        site.read_checkout()
        install = subprocess.run([str(REPO_ROOT / "deploy" / "jupyterhub" / "install.sh")], capture_output=True,
                                 text=True, env=dict(os.environ, KOMMFIT_HUB_VENV=str(HUB_VENV)))
        assert install.returncode == 0, install.stdout + install.stderr
        site.read_checkout()  # a module edited while install.sh ran may be installed in either version
        site.accounts()
        db_url = site.database()
        cohort = site.cohort(db_url)
        base, token = site.start_hub(cohort)
        hub = Hub(base, token)
        cases = {case.name: case for case in load_cases(REPO_ROOT / "autograde" / MODULE)}
        answers = dict(zip(site.participants, ["perfekt", "teilweise"], strict=True))
        german = site.participants[1]  # goes the German way: the start page's and the module's buttons
        facilitator = JupyterServer(base, f"services/{COURSE}", hub.user_token(site.facilitator))

        def kommfit(*args: str) -> str:
            code = ("import subprocess\n"
                    f"r = subprocess.run(['kommfit', *{list(args)!r}], capture_output=True, text=True)\n"
                    "print(r.stdout, r.stderr)\nassert r.returncode == 0, r.returncode")
            return facilitator.run(code)

        kommfit("release", MODULE)
        servers = {}
        for person in site.participants:
            hub.start_server(person)
            server = JupyterServer(base, f"user/{person}", hub.user_token(person))
            servers[person] = server
            if person == german:  # "Module abholen" on the start page, as the button calls it
                fetched = server.run(PICKUP + "print('NEU', [m for m, _f in "
                                     "CoursePickup(Path.home()).fetch_modules().new])")
                assert f"NEU ['{MODULE}']" in fetched
            else:  # nbgrader's English Assignments panel
                server.api("POST", "assignments/fetch", form={"course_id": COURSE, "assignment_id": MODULE})
            notebook = f"{COURSE}/{MODULE}/{MODULE}.ipynb"
            server.run(
                "import nbformat\n"
                f"nb = nbformat.read({MODULE + '.ipynb'!r}, as_version=4)\n"
                "for cell in nb.cells:\n"
                "    if cell.cell_type == 'code':\n"
                "        get_ipython().run_cell(cell.source)\n"
                "from kommfit.course.reference import answer_in_namespace\n"
                f"answer_in_namespace(globals(), {json.dumps(cases[answers[person]].answers)})\n"
                # one more cell, harmless for the score: as whom does the grading kernel run?
                f"nb.cells.insert(-1, nbformat.v4.new_code_cell({WHO_GRADES!r}))\n"
                f"nbformat.write(nb, {MODULE + '.ipynb'!r})\n",
                path=notebook,
            )
            if person == german:  # "Jetzt abgeben" at the end of the module (saving is the browser's part)
                server.run(PICKUP + "button = hand_in(Path.cwd())\nassert isinstance(button, HubSubmit), button\n"
                           "assert button.submit(saved=False), button.status.value", path=notebook)
            else:
                server.api("POST", "assignments/submit", form={"course_id": COURSE, "assignment_id": MODULE})
        kommfit("collect")
        grading = kommfit("grade", "--parallel", "1")
        kommfit("feedback")
        for person, server in servers.items():
            if person == german:  # "Rückmeldung abholen" on the start page
                found = server.run(PICKUP + "print('DA', [(f.module, f.html.name) for f in "
                                   "CoursePickup(Path.home()).fetch_feedback() if f.html])")
                assert f"DA [('{MODULE}', '{MODULE}.html')]" in found
            else:
                server.api("POST", "assignments/fetch_feedback", form={"course_id": COURSE, "assignment_id": MODULE})
        yield site, cohort, db_url, servers, cases, answers, grading, facilitator
    finally:
        site.remove()


def test_scores_in_the_postgresql_gradebook_are_exact(company):
    """Are the scores in the PostgreSQL gradebook exactly those of the reference submissions?"""
    site, cohort, db_url, _servers, cases, answers, grading, _facilitator = company
    from nbgrader.api import Gradebook

    written = Cohort.open(cohort).db_url  # what `kommfit init --db-url postgresql://…` wrote into the cohort's config
    assert written == db_url.replace("postgresql://", "postgresql+psycopg://")
    with Gradebook(written, course_id=COURSE) as gradebook:
        scores = {s.student.id: round(s.score, 2) for s in gradebook.assignment_submissions(MODULE)}
    assert scores == {person: cases[case].expected_score for person, case in answers.items()}
    assert "Bewertet: 2 von 2 Abgaben" in grading


def test_each_participant_gets_only_their_own_feedback(company):
    """Does each participant find their own feedback, in German, with their own score and the company's name?"""
    site, _cohort, _db, servers, cases, answers, _grading, _facilitator = company
    for person, server in servers.items():
        listing = server.api("GET", f"api/contents/{COURSE}/{MODULE}/feedback")
        (stamp,) = [entry["name"] for entry in listing["content"]]
        html = server.api("GET", f"api/contents/{COURSE}/{MODULE}/feedback/{stamp}/{MODULE}.html")["content"]
        score = f"{cases[answers[person]].expected_score:g}".replace(".", ",")
        assert f"Ihr Ergebnis: <b>{score} von" in " ".join(html.split())
        assert "Hubtest Wärme GmbH" in html
        home = {entry["name"] for entry in server.api("GET", "api/contents")["content"]}
        assert home == {COURSE, START_PAGE}


def test_participants_open_on_the_start_page(company):
    """Does every participant's JupyterLab open on the course's start page, put into their home as the installed
    version (the page with "Module abholen" and "Rückmeldung abholen")?"""
    site, _cohort, _db, servers, _cases, _answers, _grading, _facilitator = company
    installed = json.loads((REPO_ROOT / "notebooks" / START_PAGE).read_text(encoding="utf-8"))
    for person, server in servers.items():
        page = server.api("GET", f"api/contents/{START_PAGE}")
        assert page["content"]["cells"][0]["source"] == "".join(installed["cells"][0]["source"])
        assert (site.base / "home" / person / START_PAGE).stat().st_uid == pwd.getpwnam(person).pw_uid
        opened = urllib.request.urlopen(urllib.request.Request(
            server.url(""), headers={"Authorization": f"token {server.token}"}), timeout=60)
        assert opened.geturl().endswith(f"/user/{person}/lab/tree/{START_PAGE}")


def test_participants_cannot_see_each_other(company):
    """Can a participant neither read the other's home nor list or find the other's submission or feedback in the
    exchange? (Submissions and feedback are named with random parts there; without a listing they cannot be found.)"""
    site, _cohort, _db, servers, _cases, _answers, _grading, _facilitator = company
    anna, ben = site.participants
    home = str(site.base / "home" / ben)
    inbound, feedback = (str(site.exchange / COURSE / folder) for folder in ("inbound", "feedback"))
    code = (
        "import glob, os\n"
        f"for folder in ({home!r}, {inbound!r}, {feedback!r}):\n"
        "    try:\n"
        "        os.listdir(folder); print('SICHTBAR')\n"
        "    except PermissionError:\n"
        "        print('verweigert')\n"
        f"print(glob.glob({inbound + '/' + ben + '*'!r}))\n"
    )
    assert servers[anna].run(code).split() == ["verweigert", "verweigert", "verweigert", "[]"]


def test_facilitator_service_runs_as_the_grader_account(company):
    """Does the course service run as the grader account in the cohort folder, and can participants not open it?"""
    site, cohort, _db, servers, _cases, _answers, _grading, facilitator = company
    assert facilitator.run("import getpass, os; print(getpass.getuser(), os.getcwd())").split() == [
        site.grader, str(cohort)]
    participant = JupyterServer(facilitator.base, f"services/{COURSE}", servers[site.participants[0]].token)
    with pytest.raises(HttpError) as refused:
        participant.api("GET", "api/kernels")
    assert refused.value.status == 403


def test_kernels_run_as_a_user_of_their_own_not_the_grader(company):
    """Does the grader account (not root) grade each notebook as a user id of its own on the host — one of its
    subordinate ids — and never as itself?"""
    import pwd

    site, cohort, _db, _servers, _cases, _answers, _grading, _facilitator = company
    grader_uid, subordinate = pwd.getpwnam(site.grader).pw_uid, subordinate_range(site.grader)
    for person in site.participants:
        graded = cohort / "autograded" / person / MODULE / f"{MODULE}.ipynb"
        outputs = [o.get("text", "") for c in nbformat.read(graded, as_version=4).cells for o in c.get("outputs", [])]
        words = next(text for text in outputs if text.startswith("KERNEL")).split()
        inside, mapping = int(words[1]), [int(w.strip("[]',")) for w in words[2:]]
        on_host = next(outer + inside - first for first, outer, count in zip(*[iter(mapping)] * 3, strict=True)
                       if first <= inside < first + count)
        assert inside >= 61000 and on_host != grader_uid and on_host in subordinate, (inside, mapping)


def test_servers_run_the_installed_kommfit_not_the_checkout(company):
    """Do the participants' servers and the course service run kommfit from the Hub's environment, not from the
    repository (which other accounts may not be able to read), and is it this checkout's code?"""
    site, _cohort, _db, servers, _cases, _answers, _grading, facilitator = company
    code = "import kommfit, sys; print(sys.prefix, kommfit.__file__)"
    for server in [facilitator, *servers.values()]:
        prefix, package = (Path(path).resolve() for path in server.run(code).split())
        assert prefix == HUB_VENV.resolve()
        assert package.is_relative_to(prefix) and not package.is_relative_to(REPO_ROOT.resolve())
    installed = package.parent
    for name, versions in site.checkout.items():  # as the checkout was when the test installed it
        assert (installed / name).read_bytes() in versions, f"{name} in {installed} ist veraltet"
