"""A cohort folder: one run of the Fitnessprogramm for one group of people, outside the curriculum repository.

It is an ordinary nbgrader course folder (``source/``, ``release/``, ``submitted/``, ``autograded/``, ``feedback/``,
``gradebook.db``, by default a local exchange ``austausch/``) plus what kommfit adds: the company profile
(``kurs.toml``), the validated roster (``teilnehmende.csv``) and, in ``.kommfit/``, the per-course secret for
pseudonyms and hand-in codes, the facilitator's list of hand-in codes and the grading ledger. Everything in it is
personal data of the cohort, which is why it never lives in the curriculum repository.

The files with personal data or passwords (roster, profile, ``nbgrader_config.py`` with a PostgreSQL password,
``gradebook.db`` and its ``-wal``/``-shm`` files, everything in ``.kommfit/``) are made owner-only (0600, folders 0700)
by kommfit itself when it writes them, whatever the umask and the folder above. Only the exchange stays open: every
participant account must write to it.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import os
import secrets
import shutil
import sqlite3
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from traitlets.config.loader import Config, PyFileConfigLoader

from ..core import handincode
from ..core.profile import PROFILE_FILE_NAME, Profile, load_profile
from ..core.safe_text import csv_safe
from ..course.settings import COURSE_ID, CURRICULUM_SOURCE, ensure_tools_on_path, module_ids
from .roster import Person, read_roster, write_roster

STATE_FOLDER = ".kommfit"
SECRET_FILE = "geheimnis"
ROSTER_FILE = "teilnehmende.csv"
CONFIG_FILE = "nbgrader_config.py"
EXCHANGE_FOLDER = "austausch"
CODE_LIST_FILE = "abgabecodes.csv"
PRIVATE_FILE, PRIVATE_FOLDER = 0o600, 0o700

CONFIG_TEMPLATE = '''"""nbgrader-Einstellungen dieser Kohorte (erzeugt von `kommfit init`; Änderungen sind erlaubt)."""

from pathlib import Path

from kommfit.course.settings import configure

c = get_config()  # noqa: F821
configure(c, Path(__file__).resolve().parent, course_id={course_id!r})
c.Exchange.root = {exchange!r}
{db_line}'''


class CohortError(Exception):
    """The cohort folder cannot be used as asked; the message is German and says what to do."""


def write_private(path: Path, data: bytes | str) -> None:
    """Write a file that only its owner may read (0600 from the first byte on, never a symlink's target)."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW | os.O_CLOEXEC, PRIVATE_FILE)
    with os.fdopen(fd, "wb") as handle:
        os.fchmod(handle.fileno(), PRIVATE_FILE)
        handle.write(data)


def make_private(path: Path) -> None:
    """Owner-only mode for an existing file (0600) or folder (0700); a missing path or a symlink is left alone."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    if stat.S_ISDIR(mode):
        os.chmod(path, PRIVATE_FOLDER)
    elif stat.S_ISREG(mode):
        os.chmod(path, PRIVATE_FILE)


SUBMISSION_SECRET = "submission_secret.txt"


def ensure_submission_secret(submission: Path) -> None:
    """Give a collected submission the secret that ``nbgrader submit`` gives every exchange submission, if it lacks one.

    ``nbgrader release_feedback`` needs it for every graded submission of a module and stops the whole module
    without it — so one laptop hand-in, or one hand-made exchange folder without it, would block the feedback of
    everybody else.
    """
    path = submission / SUBMISSION_SECRET
    if not path.is_file() or path.is_symlink():
        write_private(path, secrets.token_hex(64))


def gradebook_url(db_url: str) -> str:
    """Name the PostgreSQL driver kommfit ships (psycopg 3): a plain ``postgresql://`` would make SQLAlchemy look for
    psycopg2, which is not installed, and the facilitator would get a ModuleNotFoundError instead of a gradebook."""
    for prefix in ("postgresql://", "postgres://"):
        if db_url.startswith(prefix):
            return "postgresql+psycopg://" + db_url[len(prefix):]
    return db_url


def check_gradebook_reachable(db_url: str) -> None:
    """Connect once before anything is written, so a wrong address or password leaves no half-made cohort behind."""
    from sqlalchemy import create_engine
    from sqlalchemy.exc import ArgumentError, SQLAlchemyError

    where = db_url.rsplit("@", 1)[-1]  # never print the password
    try:
        engine = create_engine(db_url)
        with engine.connect():
            pass
        engine.dispose()
    except (ArgumentError, SQLAlchemyError, ImportError) as error:
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        raise CohortError(
            f"Die Gradebook-Datenbank {where} ist nicht erreichbar: {reason}. "
            "Bitte Adresse, Benutzer und Passwort in --db-url prüfen."
        ) from error


@dataclass(frozen=True)
class Cohort:
    """Paths and settings of one cohort folder."""

    root: Path

    # ----------------------------------------------------------------------------------------------- creating
    @classmethod
    def create(
        cls,
        root: Path,
        profile: Path,
        roster: Path,
        *,
        curriculum: Path = CURRICULUM_SOURCE,
        exchange: Path | None = None,
        db_url: str | None = None,
        course_id: str = COURSE_ID,
    ) -> Cohort:
        """Validate profile and roster completely, then create the folder; nothing is written if anything is wrong."""
        root = Path(root).resolve()
        if (root / CONFIG_FILE).exists() or (root / STATE_FOLDER).exists():
            raise CohortError(f"In {root} gibt es schon eine Kohorte. Bitte einen neuen, leeren Ordner angeben.")
        if root.exists() and any(root.iterdir()):
            raise CohortError(f"Der Ordner {root} ist nicht leer. Bitte einen neuen, leeren Ordner angeben.")
        load_profile(profile)  # raises ProfileError (German, names the key)
        people = read_roster(roster)  # raises RosterError (German, every problem with its line)
        modules = module_ids(Path(curriculum))
        if not modules:
            raise CohortError(f"In {curriculum} wurden keine Module gefunden (erwartet: NN-name/NN-name.ipynb).")
        exchange = Path(exchange).resolve() if exchange else root / EXCHANGE_FOLDER
        if db_url:
            db_url = gradebook_url(db_url)
            check_gradebook_reachable(db_url)
        cohort = cls(root)
        root.mkdir(parents=True, exist_ok=True)
        (root / STATE_FOLDER).mkdir(mode=PRIVATE_FOLDER)
        make_private(root / STATE_FOLDER)
        shutil.copytree(curriculum, root / "source", ignore=shutil.ignore_patterns(".antworten.json*", ".ipynb_*"))
        write_private(root / PROFILE_FILE_NAME, Path(profile).read_bytes())
        write_private(root / ROSTER_FILE, b"")
        write_roster(root / ROSTER_FILE, people)  # keeps the mode of the file it overwrites
        write_private(root / STATE_FOLDER / SECRET_FILE, secrets.token_hex(32))
        if exchange == root / EXCHANGE_FOLDER:
            exchange.mkdir(exist_ok=True)
            os.chmod(exchange, 0o777)  # nbgrader's exchange must be writable for every participant account
        db_line = f"c.CourseDirectory.db_url = {db_url!r}\n" if db_url else ""
        write_private(root / CONFIG_FILE,
                      CONFIG_TEMPLATE.format(course_id=course_id, exchange=str(exchange), db_line=db_line))
        gradebook = cohort.sqlite_path
        if gradebook is not None and not gradebook.exists():
            write_private(gradebook, b"")  # SQLite takes an empty file as a new database and keeps its mode
        cohort.add_people_to_gradebook(people)
        cohort.write_code_list()
        return cohort

    @classmethod
    def open(cls, root: Path | str) -> Cohort:
        root = Path(root).resolve()
        if not (root / CONFIG_FILE).is_file() or not (root / STATE_FOLDER).is_dir():
            raise CohortError(
                f"{root} ist kein Kohortenordner. Legen Sie einen mit `kommfit init ORDNER --profile kurs.toml "
                "--roster teilnehmende.csv` an oder wechseln Sie in den richtigen Ordner."
            )
        return cls(root)

    # ----------------------------------------------------------------------------------------------- settings
    def config(self) -> Config:
        """The nbgrader configuration of this cohort, as nbgrader itself would load it."""
        return PyFileConfigLoader(CONFIG_FILE, path=str(self.root)).load_config()

    def api(self, extra: Config | None = None) -> Any:
        """nbgrader's Python API for this cohort (imported late: nbgrader takes seconds to import)."""
        from nbgrader.apps import NbGraderAPI
        from nbgrader.coursedir import CourseDirectory

        ensure_tools_on_path()
        config = self.config()
        if extra is not None:
            config.merge(extra)
        coursedir = CourseDirectory(config=config)
        return NbGraderAPI(coursedir=coursedir, config=config)

    @property
    def course_id(self) -> str:
        return self.config().CourseDirectory.course_id

    @property
    def db_url(self) -> str:
        return self.config().CourseDirectory.db_url

    @property
    def sqlite_path(self) -> Path | None:
        """The gradebook's file if it is SQLite (the default); None for a database server such as PostgreSQL."""
        url = self.db_url
        if not url.startswith("sqlite:///"):
            return None
        return Path(url.removeprefix("sqlite:///").split("?", 1)[0])

    @property
    def exchange(self) -> Path:
        return Path(self.config().Exchange.root)

    def profile(self) -> Profile:
        return load_profile(self.root / PROFILE_FILE_NAME)

    def people(self) -> list[Person]:
        return read_roster(self.root / ROSTER_FILE)

    def modules(self) -> list[str]:
        return module_ids(self.root / "source")

    @property
    def state(self) -> Path:
        return self.root / STATE_FOLDER

    def folder(self, kind: str, person: str, module: str) -> Path:
        """``submitted``, ``autograded`` or ``feedback`` folder of one person's module."""
        return self.root / kind / person / module

    # ----------------------------------------------------------------------------------------------- pseudonyms
    def pseudonym(self, person_id: str) -> str:
        """A stable pseudonym (keyed hash with the cohort's secret): the same person, always the same code, but
        nobody without the secret can tell who it is."""
        digest = hmac.new(self._secret(), person_id.encode("utf-8"), hashlib.sha256).hexdigest()
        return "TN-" + digest[:10].upper()

    # ----------------------------------------------------------------------------------------------- hand-in codes
    def handin_code(self, person_id: str) -> str:
        """The personal hand-in code of a participant for laptop hand-ins (see ``kommfit.core.handincode``)."""
        return handincode.derive(self._secret(), person_id)

    @property
    def code_list(self) -> Path:
        return self.state / CODE_LIST_FILE

    def write_code_list(self) -> Path:
        """(Re)write the facilitator's printable list of hand-in codes for everybody on the roster (0600)."""
        rows = [["id", "name", "abteilung", "abgabecode"]]
        rows += [[csv_safe(value) for value in (p.id, p.name, p.abteilung)] + [self.handin_code(p.id)]
                 for p in self.people()]
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=";").writerows(rows)
        write_private(self.code_list, "\ufeff" + buffer.getvalue())  # with BOM, like talente.csv: opens in Excel
        return self.code_list

    def _secret(self) -> bytes:
        return (self.state / SECRET_FILE).read_text(encoding="ascii").encode()

    # ----------------------------------------------------------------------------------------------- gradebook
    def add_people_to_gradebook(self, people: list[Person]) -> None:
        """Register participants in the gradebook by id only: names stay in the roster file (data minimisation)."""
        from nbgrader.api import Gradebook

        ensure_tools_on_path()
        with Gradebook(self.db_url, course_id=self.course_id) as gradebook:
            for person in people:
                gradebook.update_or_create_student(person.id)
        self.tune_sqlite()

    def tune_sqlite(self) -> None:
        """Put a SQLite gradebook into WAL mode so parallel grading workers never block each other's readers."""
        path = self.sqlite_path
        if path is None:
            return
        with sqlite3.connect(path) as connection:
            connection.execute("PRAGMA journal_mode=WAL")
        for suffix in ("", "-wal", "-shm", "-journal"):
            make_private(path.with_name(path.name + suffix))
