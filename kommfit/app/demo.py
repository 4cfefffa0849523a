"""``make demo``: the facilitator's side of the Fitnessprogramm, end to end, with synthetic participants.

Creates a temporary cohort of ~30 synthetic participants in four departments, then runs the whole workshop:
release → each participant fetches, answers through the quiz widgets (with typical misconceptions) and submits
through nbgrader's exchange → collect → grade → feedback → report, and prints where the report is.

Participants' steps use nbgrader's exchange classes in this process (one "account" per participant folder); the
facilitator's steps are the ``kommfit`` commands.

Usage: ``python -m kommfit.app.demo [ORDNER] [--teilnehmende 30]``
"""

from __future__ import annotations

import argparse
import random
import tempfile
from collections.abc import Callable
from pathlib import Path
from shutil import copytree

from traitlets.config import Config

from ..core.profile import default_profile_path
from ..course.catalog import talent_question_ids
from ..course.settings import CURRICULUM_SOURCE, ensure_tools_on_path
from ..course.synthetic import answer_through_widgets, module_info, plausible_answers, synthetic_people
from ..workshop.cohort import Cohort
from ..workshop.roster import Person, write_roster
from .cli import main as kommfit

DEMO_MODULES = ("01-jede-stimme-zaehlt", "04-privat-beruflich-dazwischen", "10-mein-fitnessplan")


def _exchange_config(cohort: Cohort, person: str, module: str, home: Path) -> tuple[Config, object]:
    from nbgrader.coursedir import CourseDirectory

    config = Config()
    config.Exchange.root = str(cohort.exchange)
    config.Exchange.assignment_dir = str(home)
    config.CourseDirectory.course_id = cohort.course_id
    coursedir = CourseDirectory(config=config)
    coursedir.assignment_id = module
    coursedir.student_id = person
    return config, coursedir


def fetch_as(cohort: Cohort, person: str, module: str, home: Path) -> Path:
    """What the participant's "Fetch" button does, for ``person`` with home folder ``home``."""
    from nbgrader.auth import Authenticator
    from nbgrader.exchange.default import ExchangeFetchAssignment

    config, coursedir = _exchange_config(cohort, person, module, home)
    ExchangeFetchAssignment(coursedir=coursedir, authenticator=Authenticator(config=config), config=config).start()
    return home / module


def submit_as(cohort: Cohort, person: str, module: str, home: Path) -> None:
    """What the participant's "Submit" button does."""
    from nbgrader.auth import Authenticator
    from nbgrader.exchange.default import ExchangeSubmit

    config, coursedir = _exchange_config(cohort, person, module, home)
    ExchangeSubmit(coursedir=coursedir, authenticator=Authenticator(config=config), config=config).start()


def run_demo(
    base: Path,
    people: int = 30,
    modules: tuple[str, ...] = DEMO_MODULES,
    workers: int = 2,
    say: Callable[[str], None] = print,
) -> Path:
    """Run the whole workshop in ``base``; returns the path of the HTML report."""
    ensure_tools_on_path()
    base.mkdir(parents=True, exist_ok=True)
    synthetic = synthetic_people(people)
    roster = base / "teilnehmende.csv"
    write_roster(roster, [Person(p.id, p.name, p.abteilung, f"{p.id}@beispiel.example") for p in synthetic])
    source = base / "curriculum"
    available = [m for m in modules if (CURRICULUM_SOURCE / m).is_dir()]
    for module in available:
        copytree(CURRICULUM_SOURCE / module, source / module)
    cohort_root = base / "kohorte"
    say(f"1. Kohorte anlegen ({people} Teilnehmende, Module: {', '.join(available)})")
    _run(["init", str(cohort_root), "--profile", str(default_profile_path()), "--roster", str(roster),
          "--module", str(source)])
    cohort = Cohort.open(cohort_root)
    say("2. Module freigeben")
    _run(["release", "--alle", "--kohorte", str(cohort_root)])
    say("3. Teilnehmende holen die Module, antworten über die Fragen-Widgets und geben ab")
    rng = random.Random(2026)
    for module in available:
        info = module_info(cohort_root / "source" / module / f"{module}.ipynb")
        for person in synthetic:
            if rng.random() < 0.08:
                continue  # a few people do not hand in this module
            home = base / "teilnehmende" / person.id
            home.mkdir(parents=True, exist_ok=True)
            folder = fetch_as(cohort, person.id, module, home)
            answer_through_widgets(folder / f"{module}.ipynb", folder, plausible_answers(info, person.ability, rng))
            _volunteer(folder / f"{module}.ipynb", folder, person.ability, rng)
            submit_as(cohort, person.id, module, home)
    say("4. Einsammeln, bewerten, Rückmeldung freigeben")
    _run(["collect", "--kohorte", str(cohort_root)])
    _run(["grade", "--kohorte", str(cohort_root), "--parallel", str(workers)])
    _run(["feedback", "--kohorte", str(cohort_root)])
    say("5. Bericht schreiben")
    _run(["report", "--kohorte", str(cohort_root)])
    _run(["status", "--kohorte", str(cohort_root)])
    return cohort_root / "bericht" / "bericht.html"


def _volunteer(notebook: Path, folder: Path, ability: float, rng: random.Random) -> None:
    """About a third offer their talents — through the talent widget and its explicit opt-in, like a click."""
    from ..activities.talent import STRENGTHS, TalentCheck
    from ..core.answers import AnswerStore

    for question_id in talent_question_ids(notebook):
        if rng.random() > 0.35:
            continue
        check = TalentCheck(question_id, store=AnswerStore.in_folder(folder))
        check.ratings = {s.id: rng.choice(["etwas", "gern"]) for s in STRENGTHS if rng.random() < 0.5 + ability / 3}
        check.opted_in = True


def _run(arguments: list[str]) -> None:
    code = kommfit(arguments)
    if code != 0:
        raise SystemExit(f"kommfit {' '.join(arguments)} ist fehlgeschlagen (Code {code}).")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kommfit.app.demo", description="Workshop-Demo mit Testpersonen.")
    parser.add_argument("ordner", nargs="?", help="Zielordner (Standard: ein neuer temporärer Ordner)")
    parser.add_argument("--teilnehmende", type=int, default=30)
    args = parser.parse_args(argv)
    base = Path(args.ordner) if args.ordner else Path(tempfile.mkdtemp(prefix="kommfit-demo-"))
    report = run_demo(base, people=args.teilnehmende)
    print(f"\nFertig. Der Bericht liegt hier:\n  {report}\nDie Kohorte liegt in {base / 'kohorte'}.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
