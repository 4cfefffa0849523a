"""``kommfit``: the facilitator's one tool for a whole workshop, in German.

Thin wiring only: each command calls the library (cohort, grader, reports, dsgvo …), and turns its exceptions into a
German message and exit code 1 — never a traceback in front of a facilitator.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ..core.profile import ProfileError
from ..core.safe_text import terminal_safe
from ..engine.batch import GradingError
from ..engine.sandbox import SandboxUnavailable, separate_user_note
from ..workshop.cohort import Cohort, CohortError
from ..workshop.dsgvo import PersonNotFound
from ..workshop.roster import RosterError

EXIT_OK, EXIT_ERROR, EXIT_INTERRUPTED = 0, 1, 130


class UsageError(Exception):
    """The command was called in a way that cannot work; the message says how to call it."""


class GermanHelpFormatter(argparse.RawDescriptionHelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):  # noqa: ANN001 - argparse's signature
        return super().add_usage(usage, actions, groups, prefix or "Aufruf: ")


class GermanParser(argparse.ArgumentParser):
    """argparse with German headings and error messages."""

    TRANSLATIONS = (
        ("the following arguments are required", "diese Angaben fehlen"),
        ("unrecognized arguments", "unbekannte Angaben"),
        ("invalid choice", "ungültige Auswahl"),
        ("expected one argument", "hier fehlt ein Wert"),
        ("invalid int value", "keine ganze Zahl"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", GermanHelpFormatter)
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)
        self._positionals.title = "Angaben"
        self._optionals.title = "Optionen"
        self.add_argument("-h", "--hilfe", "--help", action="help", help="diese Hilfe zeigen")

    def error(self, message: str) -> None:  # noqa: D401 - argparse API
        for english, german in self.TRANSLATIONS:
            message = message.replace(english, german)
        self.print_usage(sys.stderr)
        self.exit(2, f"Fehler: {message}\n")


def _cohort(args: argparse.Namespace) -> Cohort:
    return Cohort.open(args.kohorte)


def _modules(cohort: Cohort, requested: Sequence[str] | None, all_modules: bool = True) -> list[str]:
    available = cohort.modules()
    if not requested:
        if all_modules:
            return available
        raise UsageError("Bitte ein Modul angeben oder --alle.")
    unknown = [m for m in requested if m not in available]
    if unknown:
        raise UsageError(f"Unbekanntes Modul: {', '.join(unknown)}. Vorhanden: {', '.join(available)}.")
    return list(requested)


def _check(result: dict[str, Any], what: str) -> None:
    if not result.get("success"):
        detail = (result.get("error") or result.get("log") or "").strip().splitlines()
        raise CohortError(f"{what} ist fehlgeschlagen: {detail[-1] if detail else 'unbekannter Fehler'}")


# ------------------------------------------------------------------------------------------------------- commands
def cmd_init(args: argparse.Namespace) -> int:
    from ..course.settings import CURRICULUM_SOURCE

    cohort = Cohort.create(
        Path(args.ordner), Path(args.profile), Path(args.roster),
        curriculum=Path(args.module) if args.module else CURRICULUM_SOURCE,
        exchange=Path(args.austausch) if args.austausch else None,
        db_url=args.db_url,
    )
    people = cohort.people()
    print(f"Kohorte angelegt: {cohort.root}")
    print(f"  {len(people)} Teilnehmende, {len(cohort.modules())} Module, Austauschordner {cohort.exchange}")
    print(f"  Abgabecodes für den Laptop-Modus (zum Ausdrucken, nur für Sie lesbar): {cohort.code_list}")
    print("  Jede Person bekommt ihre Kennung und ihren Abgabecode; `kommfit codes` zeigt die Liste an.")
    print("Nächster Schritt: kommfit release --alle")
    return EXIT_OK


def cmd_codes(args: argparse.Namespace) -> int:
    cohort = _cohort(args)
    people = cohort.people()
    if args.person:
        unknown = sorted(set(args.person) - {p.id for p in people})
        if unknown:
            raise UsageError(f"Nicht in der Teilnehmendenliste: {', '.join(unknown)}.")
        people = [p for p in people if p.id in args.person]
    path = cohort.write_code_list()
    width = max((len(p.id) for p in people), default=0)
    for person in people:
        print(f"{person.id.ljust(width)}  {cohort.handin_code(person.id)}  {person.name}")
    print(f"Liste zum Ausdrucken (nur für Sie lesbar): {path}")
    return EXIT_OK


def cmd_release(args: argparse.Namespace) -> int:
    from traitlets.config import Config

    cohort = _cohort(args)
    modules = _modules(cohort, args.modul, all_modules=args.alle)
    extra = Config()
    extra.ExchangeReleaseAssignment.force = True
    api = cohort.api(extra)
    for module in modules:
        _check(api.generate_assignment(module, force=True, create=True), f"Erzeugen von {module}")
        _check(api.release_assignment(module), f"Freigabe von {module}")
        print(f"freigegeben: {terminal_safe(module)}")
    return EXIT_OK


def collect_module(api: Any, module: str) -> tuple[dict[str, Any], list[str]]:
    """nbgrader's collect (with --update) of one module, and the German lines about folders it set aside or entries
    it left out (NbGraderAPI.collect would return only the log)."""
    from nbgrader.apps.api import capture_log
    from nbgrader.utils import temp_attrs

    with temp_attrs(api.coursedir, assignment_id=module):
        app = api.exchange.Collect(coursedir=api.coursedir, authenticator=api.authenticator, parent=api)
        app.update = True
        return capture_log(app), list(getattr(app, "notices", []))


def cmd_collect(args: argparse.Namespace) -> int:
    cohort = _cohort(args)
    if args.zip:
        from ..workshop.zipintake import ACCEPTED, collect_zips

        folder = Path(args.zip)
        if not folder.is_dir():
            raise UsageError(f"Der Ordner {folder} existiert nicht.")
        results = collect_zips(cohort, folder)
        for result in results:
            print(f"{result.status}: {terminal_safe(result.archive)} – {terminal_safe(result.message)}")
        accepted = sum(1 for r in results if r.status == ACCEPTED)
        print(f"{accepted} von {len(results)} ZIP-Dateien übernommen. Nächster Schritt: kommfit grade")
        return EXIT_OK
    api = cohort.api()
    for module in _modules(cohort, args.modul):
        result, notices = collect_module(api, module)
        for line in notices:
            print(line)
        _check(result, f"Einsammeln von {module}")
    from ..engine.batch import submitted_pairs

    print(f"Eingesammelt: {len(submitted_pairs(cohort))} Abgaben. Nächster Schritt: kommfit grade")
    return EXIT_OK


def cmd_grade(args: argparse.Namespace) -> int:
    from ..engine.batch import grade

    cohort = _cohort(args)
    modules = _modules(cohort, args.modul)
    note = None if args.ohne_sandbox else separate_user_note(args.parallel)
    if note:
        print(note, file=sys.stderr)
    summary = grade(
        cohort, modules=modules, workers=args.parallel, cell_seconds=args.zelle_sekunden,
        submission_seconds=args.abgabe_sekunden, prefork=not args.ohne_vorstart, force=args.neu,
        sandbox=not args.ohne_sandbox, people=args.person,
    )
    if summary.interrupted:
        print(f"Abgebrochen. Bewertet: {summary.graded}. `kommfit grade` setzt an dieser Stelle fort.")
        return EXIT_INTERRUPTED
    if not summary.total:
        print(f"Nichts zu tun: keine neuen oder geänderten Abgaben ({summary.skipped} schon bewertet).")
        return EXIT_OK
    print(f"Bewertet: {summary.graded} von {summary.total} Abgaben ({summary.skipped} waren schon bewertet).")
    for entry in summary.failed:
        print(f"  {terminal_safe(entry.status)}: {terminal_safe(entry.person)} / {terminal_safe(entry.module)} – "
              f"{terminal_safe(entry.message)}")
    return EXIT_OK


def generate_feedback(api: Any, module: str) -> dict[str, Any]:
    """nbgrader's GenerateFeedback with the course's German template (NbGraderAPI would force its own)."""
    from nbgrader.apps.api import capture_log
    from nbgrader.converters import GenerateFeedback
    from nbgrader.utils import temp_attrs

    with temp_attrs(api.coursedir, assignment_id=module):
        app = GenerateFeedback(coursedir=api.coursedir, parent=api)
        app.force = True
        return capture_log(app)


def cmd_feedback(args: argparse.Namespace) -> int:
    cohort = _cohort(args)
    graded = {p.name for p in (cohort.root / "autograded").glob("*/*") if p.is_dir()}
    modules = [m for m in _modules(cohort, args.modul) if m in graded or args.modul]
    if not modules or not graded:
        raise CohortError("Es gibt noch keine bewerteten Abgaben. Zuerst: kommfit grade")
    api = cohort.api()
    for module in modules:
        if module not in graded:
            raise CohortError(f"Für {module} gibt es noch keine bewerteten Abgaben.")
        _check(generate_feedback(api, module), f"Rückmeldung für {module}")
        _check(api.release_feedback(module), f"Freigabe der Rückmeldung für {module}")
        print(f"Rückmeldung freigegeben: {terminal_safe(module)}")
    return EXIT_OK


def cmd_status(args: argparse.Namespace) -> int:
    from .status import cohort_status, render_status

    print(render_status(cohort_status(_cohort(args))))
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    from ..reports.writer import write_report

    cohort = _cohort(args)
    unreadable: dict[tuple[str, str], str] = {}
    paths = write_report(cohort, Path(args.ausgabe) if args.ausgabe else cohort.root / "bericht", k=args.k,
                         person_level=args.personenbezogen, unreadable=unreadable)
    print("Bericht geschrieben:")
    for path in paths:
        print(f"  {terminal_safe(path)}")
    if unreadable:
        print("Diese Antwortdateien wurden übersprungen (die Punkte zählen, die Antworten fehlen in der Itemanalyse):")
        for (person, module), problem in sorted(unreadable.items()):
            print(f"  {terminal_safe(person)} / {terminal_safe(module)}: {terminal_safe(problem)}")
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from ..workshop.dsgvo import export_person

    cohort = _cohort(args)
    archive = export_person(cohort, args.person, Path(args.ausgabe) if args.ausgabe else Path.cwd())
    print(f"Auskunft (Art. 15 DSGVO) für {terminal_safe(args.person)}: {terminal_safe(archive)}")
    return EXIT_OK


def cmd_forget(args: argparse.Namespace) -> int:
    from ..workshop.dsgvo import forget_person

    cohort = _cohort(args)
    if not args.ja:
        raise UsageError(
            f"Das löscht alle Daten von {args.person} unwiderruflich. Zum Bestätigen: kommfit forget {args.person} --ja"
        )
    removed = forget_person(cohort, args.person)
    print(f"Gelöscht (Art. 17 DSGVO): {terminal_safe(args.person)} – {removed['ordner']} Ordner, "
          f"{removed['austausch']} Dateien im Austausch, Bewertungen, Listeneintrag, "
          f"{removed['protokollzeilen']} Protokollzeilen.")
    return EXIT_OK


def cmd_overview(args: argparse.Namespace) -> int:
    from ..course.overview import course_overview, render_overview

    source = Path(args.quelle) if args.quelle else None
    print(render_overview(course_overview(source)))
    return EXIT_OK


def cmd_lite(args: argparse.Namespace) -> int:
    from ..core.profile import load_profile
    from ..course import lite

    profile = Path(args.profile) if args.profile else None
    if profile is not None:
        load_profile(profile)  # a broken profile is reported in German before anything is built
    site = Path(args.ausgabe) if args.ausgabe else lite.SITE
    try:
        lite.fetch()
        summary = lite.build(profile, site)
    except lite.LiteBuildError as error:
        print(f"Fehler: {_safe_lines(error)}", file=sys.stderr)
        return EXIT_ERROR
    print(lite.summary_line(site, summary))
    return EXIT_OK


# ------------------------------------------------------------------------------------------------------- parser
COMMANDS: dict[str, tuple[Callable[[argparse.Namespace], int], str, str]] = {
    "init": (cmd_init, "eine neue Kohorte anlegen",
             "kommfit init ~/kurs-2026 --profile kurs.toml --roster teilnehmende.csv"),
    "release": (cmd_release, "Module für die Teilnehmenden freigeben", "kommfit release --alle"),
    "codes": (cmd_codes, "Abgabecodes für den Laptop-Modus zeigen (je Person)", "kommfit codes tn017"),
    "collect": (cmd_collect, "abgegebene Module einsammeln", "kommfit collect"),
    "grade": (cmd_grade, "alle neuen Abgaben parallel bewerten (fortsetzbar)", "kommfit grade --parallel 4"),
    "feedback": (cmd_feedback, "Rückmeldungen erzeugen und freigeben", "kommfit feedback 01-jede-stimme-zaehlt"),
    "status": (cmd_status, "Stand der Kohorte: Abgaben, Bewertungen, Probleme", "kommfit status"),
    "report": (cmd_report, "datenschutzfreundlichen Bericht schreiben (HTML und CSV)", "kommfit report"),
    "export": (cmd_export, "alle Daten einer Person ausgeben (Art. 15 DSGVO)", "kommfit export tn017"),
    "forget": (cmd_forget, "alle Daten einer Person löschen (Art. 17 DSGVO)", "kommfit forget tn017 --ja"),
    "overview": (cmd_overview, "Kursübersicht: Module, Minuten, Lernziele, Fragen, Punkte", "kommfit overview"),
    "lite": (cmd_lite, "den Kurs als Website für den Browser bauen, mit Ihrem Firmenprofil",
             "kommfit lite --profile kurs.toml"),
}


def build_parser() -> GermanParser:
    parser = GermanParser(
        prog="kommfit",
        description="Fitnessprogramm Digitale Kommunikation – das Werkzeug für Kursleitungen.",
        epilog="Beispiel: kommfit init ~/kurs-2026 --profile kurs.toml --roster teilnehmende.csv",
    )
    sub = parser.add_subparsers(dest="befehl", title="Befehle", metavar="BEFEHL", parser_class=GermanParser)
    for name, (_, summary, example) in COMMANDS.items():
        command = sub.add_parser(
            name, prog=f"kommfit {name}", help=summary, description=summary[0].upper() + summary[1:] + ".",
            epilog=f"Beispiel: {example}",
        )
        if name not in ("init", "overview", "lite"):
            command.add_argument("--kohorte", default=os.environ.get("KOMMFIT_KOHORTE", "."),
                                 help="Kohortenordner (Standard: aktueller Ordner oder $KOMMFIT_KOHORTE)")
        _add_arguments(name, command)
    return parser


def _add_arguments(name: str, command: argparse.ArgumentParser) -> None:
    if name == "init":
        command.add_argument("ordner", help="neuer, leerer Ordner für die Kohorte")
        command.add_argument("--profile", required=True, help="Firmenprofil (kurs.toml)")
        command.add_argument("--roster", required=True, help="Teilnehmendenliste (CSV: id,name,abteilung[,email])")
        command.add_argument("--austausch", help="nbgrader-Austauschordner (Standard: ORDNER/austausch)")
        command.add_argument("--db-url", help="Gradebook-Datenbank, z. B. postgresql://kurs@localhost/kommfit")
        command.add_argument("--module", help="Ordner mit den Modulen (Standard: source/ des Curriculums)")
    elif name == "release":
        command.add_argument("modul", nargs="*", help="Modul(e), z. B. 01-jede-stimme-zaehlt")
        command.add_argument("--alle", action="store_true", help="alle Module freigeben")
    elif name == "codes":
        command.add_argument("person", nargs="*", help="nur diese Personen (Standard: alle)")
    elif name in ("collect", "feedback", "grade"):
        command.add_argument("modul", nargs="*", help="nur diese Module (Standard: alle)")
    if name == "collect":
        command.add_argument("--zip", metavar="ORDNER", help="Abgaben als ZIP-Dateien (Laptop-Modus) übernehmen")
    if name == "grade":
        command.add_argument("--parallel", type=int, default=max(1, min(4, os.cpu_count() or 1)),
                             help="Zahl der Bewerter-Prozesse (Standard: Zahl der Kerne, höchstens 4)")
        command.add_argument("--zelle-sekunden", type=int, default=60, help="Zeitlimit je Zelle (Standard: 60)")
        command.add_argument("--abgabe-sekunden", type=int, default=600, help="Zeitlimit je Abgabe (Standard: 600)")
        command.add_argument("--neu", action="store_true", help="auch schon bewertete Abgaben neu bewerten")
        command.add_argument("--person", action="append", metavar="KENNUNG",
                             help="nur die Abgaben dieser Person (mehrfach möglich)")
        command.add_argument("--ohne-vorstart", action="store_true",
                             help="Kernel wie nbgrader einzeln starten (langsamer; nur mit --ohne-sandbox)")
        command.add_argument("--ohne-sandbox", action="store_true",
                             help="ohne Sandbox bewerten: Notizbücher laufen dann mit Ihren Rechten (nicht empfohlen)")
    elif name == "report":
        command.add_argument("--ausgabe", help="Zielordner (Standard: KOHORTE/bericht)")
        command.add_argument("--k", type=int, default=None,
                             help="Mindestgröße jeder Gruppe (Standard: aus dem Firmenprofil, mindestens 5)")
        command.add_argument("--personenbezogen", action="store_true",
                             help="auch Ergebnisse je Person (nur wenn das Firmenprofil es erlaubt)")
    elif name in ("export", "forget"):
        command.add_argument("person", help="ID der Person aus der Teilnehmendenliste")
        if name == "export":
            command.add_argument("--ausgabe", help="Zielordner für die ZIP-Datei (Standard: aktueller Ordner)")
        else:
            command.add_argument("--ja", action="store_true", help="Löschen bestätigen")
    elif name == "overview":
        command.add_argument("--quelle", help="Ordner mit den Modulen (Standard: source/ des Curriculums)")
    elif name == "lite":
        command.add_argument("--profile", help="Firmenprofil (kurs.toml), das in die Website kommt")
        command.add_argument("--ausgabe", help="Zielordner (Standard: build/lite im Curriculum)")


def _safe_lines(text: object) -> str:
    """An error message for the terminal: it may quote ids, file names or roster cells, so every line goes through
    ``terminal_safe`` (which would otherwise also turn the message's own line breaks into ``?``)."""
    return "\n".join(terminal_safe(line) for line in str(text).splitlines())


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.befehl:
        parser.print_help()
        return EXIT_ERROR
    handler = COMMANDS[args.befehl][0]
    try:
        return handler(args)
    except (CohortError, ProfileError, UsageError, PersonNotFound, SandboxUnavailable, GradingError) as error:
        print(f"Fehler: {_safe_lines(error)}", file=sys.stderr)
        return EXIT_ERROR
    except RosterError as error:
        print("Die Teilnehmendenliste kann nicht übernommen werden – es wurde nichts angelegt:", file=sys.stderr)
        for problem in error.problems:
            print(f"  {_safe_lines(problem)}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("\nAbgebrochen.", file=sys.stderr)
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    raise SystemExit(main())
