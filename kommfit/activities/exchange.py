"""Hub mode: fetch modules, hand in and fetch feedback through nbgrader's own exchange, from the participant's kernel.

This is what nbgrader's English "Assignments" panel does (``nbgrader.server_extensions.assignment_list``), called the
same way — the course's nbgrader config, a ``CourseDirectory``, the configured ``Authenticator`` and the classes of
``ExchangeFactory`` — but with German answers: every problem a participant can meet (no exchange, course not found,
module not released, no permission, folder missing) becomes an ``ExchangeProblem`` with a German message, and nbgrader's
English log never reaches the notebook.

Which course and exchange: the nbgrader config is read like the panel reads it (``nbgrader_config.py`` in the
module's folder and in every Jupyter config folder: ``~/.jupyter``, ``JUPYTER_CONFIG_PATH`` — on the Hub that is
where ``deploy/jupyterhub/teilnehmende/nbgrader_config.py`` lies). The course id is the configured
``CourseDirectory.course_id``, else the folder name above the module when ``Exchange.path_includes_course`` is set
(``~/<kurs>/<modul>/``), else the one course in the exchange that released the module. Modules are fetched to
``Exchange.assignment_dir`` if it is an absolute path, else to the home folder (on the Hub the server's root).

``course_for`` returns None when no exchange with a course is there: then the participant is in laptop mode
(``kommfit.activities.handin``) and the widgets show the zip export instead.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PROBLEM_CONTACT = "Bitte sagen Sie Ihrer Kursleitung Bescheid."


class ExchangeProblem(Exception):
    """The exchange cannot do what the participant asked; the message is German and says what to do."""


@dataclass
class Course:
    """A course in an nbgrader exchange, as the participant's kernel sees it."""

    config: Any  # traitlets Config
    course_id: str
    exchange: Path
    home: Path  # where fetched modules land (nbgrader's Exchange.assignment_dir)
    includes_course: bool  # fetched modules land in home/<course>/<module>/
    notes: list[str] = field(default_factory=list)

    def module_folder(self, module: str) -> Path:
        return self.home / self.course_id / module if self.includes_course else self.home / module


def _quiet_log() -> logging.Logger:
    """nbgrader's log lines (English, some ``fatal``) go nowhere visible: the German messages say what matters."""
    log = logging.getLogger("kommfit.exchange")
    log.propagate = False
    if not log.handlers:
        log.addHandler(logging.NullHandler())
    return log


def load_config(folder: Path) -> Any:
    """The nbgrader config the Assignments panel would use for ``folder``: its ``nbgrader_config.py`` and those in
    the Jupyter config folders (``~/.jupyter``, ``JUPYTER_CONFIG_PATH``)."""
    from jupyter_core.paths import jupyter_config_path
    from traitlets.config import Config
    from traitlets.config.loader import ConfigFileNotFound, PyFileConfigLoader

    config = Config()
    # the first folder wins, as in Jupyter: the module's own folder, then ~/.jupyter, then JUPYTER_CONFIG_PATH …
    for path in reversed([str(folder), *jupyter_config_path()]):
        try:
            config.merge(PyFileConfigLoader("nbgrader_config.py", path=path, log=_quiet_log()).load_config())
        except ConfigFileNotFound:
            continue
        except Exception as error:  # a broken config file: the facilitator must fix it, the participant is told
            raise ExchangeProblem(f"Die Kurs-Einstellungen in {path} sind fehlerhaft. {PROBLEM_CONTACT}") from error
    return config


def _exchange_root(config: Any) -> Path:
    from nbgrader.exchange.default import Exchange

    return Path(Exchange(config=config, log=_quiet_log()).root)


def _courses_with(exchange: Path, module: str | None) -> list[str]:
    """Courses in the exchange that released ``module`` (any module if None)."""
    try:
        courses = sorted(p.name for p in exchange.iterdir() if (p / "outbound").is_dir())
    except OSError:
        return []
    if module is None:
        return courses
    return [c for c in courses if (exchange / c / "outbound" / module).is_dir()]


def course_for(folder: Path, module: str | None = None) -> Course | None:
    """The course the notebook in ``folder`` belongs to (for ``module``, if given), or None in laptop mode: no
    exchange folder, or none of its courses fits. A course that is configured but missing is a problem, not laptop
    mode."""
    try:
        import nbgrader.exchange  # noqa: F401
    except ImportError:  # e.g. JupyterLite in the browser: no exchange there, the zip export is the hand-in
        return None
    config = load_config(folder)
    exchange = _exchange_root(config)
    if not exchange.is_dir():
        if "root" in config.get("Exchange", {}):
            raise ExchangeProblem(f"Der Abgabeordner des Kurses ({exchange}) ist nicht erreichbar. {PROBLEM_CONTACT}")
        return None
    from nbgrader.exchange.default import Exchange

    includes_course = bool(Exchange(config=config, log=_quiet_log()).path_includes_course)
    course_id = str(config.get("CourseDirectory", {}).get("course_id", "") or "")
    if not course_id and includes_course and module is not None:
        course_id = folder.parent.name
    if course_id:
        if not (exchange / course_id).is_dir():
            raise ExchangeProblem(f"Den Kurs „{course_id}“ gibt es im Abgabeordner nicht. {PROBLEM_CONTACT}")
    else:
        found = _courses_with(exchange, module)
        if not found:
            return None
        if len(found) > 1:
            raise ExchangeProblem(f"Im Abgabeordner gibt es mehrere Kurse ({', '.join(found)}); welcher Ihrer ist, "
                                  f"ist nicht eingestellt. {PROBLEM_CONTACT}")
        course_id = found[0]
    assignment_dir = str(config.get("Exchange", {}).get("assignment_dir", "") or "")
    home = Path(assignment_dir) if os.path.isabs(assignment_dir) else Path.home()
    return Course(config=config, course_id=course_id, exchange=exchange, home=home, includes_course=includes_course)


def _parts(course: Course, module: str, assignment_dir: Path | None = None,
           includes_course: bool | None = None) -> dict[str, Any]:
    """Config, coursedir and authenticator for one nbgrader exchange call, as the Assignments panel makes them."""
    from nbgrader.auth import Authenticator
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config import Config

    config = Config(course.config)
    config.CourseDirectory.course_id = course.course_id
    config.CourseDirectory.assignment_id = module
    config.Exchange.assignment_dir = str(assignment_dir or course.home)
    config.Exchange.path_includes_course = course.includes_course if includes_course is None else includes_course
    log = _quiet_log()
    return {"coursedir": CourseDirectory(config=config, log=log),
            "authenticator": Authenticator(config=config, log=log), "config": config, "log": log}


def _factory(course: Course) -> Any:
    from nbgrader.exchange import ExchangeFactory

    return ExchangeFactory(config=course.config, log=_quiet_log())


def _run(step: Any, what: str) -> Any:
    """Run one nbgrader exchange step; its English failures become one German sentence."""
    from nbgrader.exchange import ExchangeError

    try:
        return step.start()
    except PermissionError as error:
        raise ExchangeProblem(f"{what}: Ihnen fehlt die Berechtigung für {error.filename or 'den Abgabeordner'}. "
                              f"{PROBLEM_CONTACT}") from error
    except ExchangeError as error:
        text = str(error)
        if "permission" in text.lower() or "Unwritable" in text or "own the directory" in text:
            raise ExchangeProblem(f"{what}: Ihnen fehlt die Berechtigung im Abgabeordner. {PROBLEM_CONTACT}") from error
        if "access to this course" in text:
            raise ExchangeProblem(f"{what}: Ihr Konto ist für diesen Kurs nicht freigeschaltet. "
                                  f"{PROBLEM_CONTACT}") from error
        raise ExchangeProblem(f"{what} hat nicht geklappt. {PROBLEM_CONTACT}") from error
    except (OSError, RuntimeError) as error:
        raise ExchangeProblem(f"{what} hat nicht geklappt ({type(error).__name__}). {PROBLEM_CONTACT}") from error


def submit(folder: Path, course: Course | None = None) -> Course:
    """Hand in the module in ``folder`` (named like its module) with nbgrader's submit, as the account running this
    kernel; returns the course. The whole folder goes, as with the Submit button: notebook and answer file."""
    folder = Path(folder).resolve()
    module = folder.name
    if not (folder / f"{module}.ipynb").is_file():
        raise ExchangeProblem(f"Im Ordner {module} fehlt das Notizbuch {module}.ipynb. Öffnen Sie das Modul aus "
                              "dem Ordner, in den Sie es abgeholt haben.")
    if course is None:
        course = course_for(folder, module)
    if course is None:
        raise ExchangeProblem("Hier ist kein Abgabeordner eingerichtet. Geben Sie das Modul mit „Abgabe "
                              "exportieren“ ab oder fragen Sie Ihre Kursleitung.")
    if not (course.exchange / course.course_id / "outbound" / module).is_dir():
        raise ExchangeProblem(f"Das Modul {module} ist im Kurs „{course.course_id}“ nicht freigegeben. "
                              f"{PROBLEM_CONTACT}")
    inbound = course.exchange / course.course_id / "inbound"
    if not inbound.is_dir() or not os.access(inbound, os.W_OK | os.X_OK):
        raise ExchangeProblem(f"Abgeben geht gerade nicht: Ihnen fehlt die Berechtigung im Abgabeordner des Kurses. "
                              f"{PROBLEM_CONTACT}")
    parts = _parts(course, module, assignment_dir=folder.parent, includes_course=False)
    _run(_factory(course).Submit(**parts), "Die Abgabe")
    return course


@dataclass
class Fetched:
    """What ``fetch_modules`` did: module ids newly fetched and those the participant already had, with folders."""

    new: list[tuple[str, Path]]
    present: list[tuple[str, Path]]


def released_modules(course: Course) -> list[str]:
    """The modules the course has released, as nbgrader's list sees them (for this participant's courses)."""
    parts = _parts(course, "")
    listing = _run(_factory(course).List(**parts), "Die Liste der Module")
    return sorted({a["assignment_id"] for a in listing if a.get("course_id") == course.course_id})


def fetch_modules(course: Course) -> Fetched:
    """Fetch every released module the participant does not yet have (nbgrader's fetch_assignment)."""
    new, present = [], []
    for module in released_modules(course):
        target = course.module_folder(module)
        if target.exists():
            present.append((module, target))
            continue
        _run(_factory(course).FetchAssignment(**_parts(course, module)), f"Das Abholen von {module}")
        new.append((module, target))
    return Fetched(new, present)


@dataclass
class Feedback:
    """One handed-in module: the newest feedback file, if there is one yet."""

    module: str
    html: Path | None


def _submissions(course: Course) -> list[dict[str, Any]]:
    """The participant's hand-ins as nbgrader's ``list --cached`` sees them, with the local feedback of each."""
    parts = _parts(course, "")
    parts["config"].ExchangeList.cached = True
    lister = _factory(course).List(**parts)
    lister.cached = True
    return [e for e in _run(lister, "Die Liste Ihrer Abgaben") if e.get("course_id") == course.course_id]


def fetch_feedback(course: Course) -> list[Feedback]:
    """Fetch all feedback released for the participant's hand-ins (nbgrader's fetch_feedback, module by module, as
    the panel does it), then list per handed-in module the newest feedback file."""
    modules = sorted({entry["assignment_id"] for entry in _submissions(course)})
    if (course.exchange / course.course_id / "feedback").is_dir():  # made by the first release_feedback
        for module in modules:
            _run(_factory(course).FetchFeedback(**_parts(course, module)), "Das Abholen der Rückmeldung")
    newest: dict[str, Feedback] = {}
    for entry in _submissions(course):
        for sub in sorted(entry.get("submissions", []), key=lambda s: s.get("timestamp", "")):
            module = sub["assignment_id"]
            files = [Path(nb["local_feedback_path"]) for nb in sub.get("notebooks", [])
                     if nb.get("local_feedback_path") and Path(nb["local_feedback_path"]).is_file()]
            previous = newest.get(module)
            newest[module] = Feedback(module, files[0] if files else (previous.html if previous else None))
    return [newest[m] for m in sorted(newest)]
