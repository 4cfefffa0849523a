"""The kommfit command line: German help with an example for every command, German errors, nothing half-done."""

from __future__ import annotations

import socket

import pytest

from kommfit.app.cli import COMMANDS, build_parser, main
from kommfit.core.profile import default_profile_path
from kommfit.course.catalog import read_module
from kommfit.course.timing import estimated_minutes
from kommfit.workshop.cohort import gradebook_url

from ..conftest import REPO_ROOT

ROSTER = "id,name,abteilung\np01,Anna Adler,Kundendienst\np02,Ben Bauer,Vertrieb\n"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_has_german_help_with_an_example(capsys, command):
    """Does `kommfit BEFEHL --hilfe` explain the command in German and show a 'Beispiel'?"""
    with pytest.raises(SystemExit) as exit_info:
        main([command, "--hilfe"])
    out = capsys.readouterr().out
    assert exit_info.value.code == 0
    assert out.startswith(f"Aufruf: kommfit {command}")
    assert "Beispiel: kommfit " in out and "Optionen:" in out


def test_top_level_help_lists_all_commands(capsys):
    """Does `kommfit --hilfe` list every command?"""
    with pytest.raises(SystemExit):
        main(["--hilfe"])
    out = capsys.readouterr().out
    assert all(name in out for name in COMMANDS)


def test_usage_errors_are_german(capsys):
    """Is a missing argument reported in German, without a traceback?"""
    with pytest.raises(SystemExit) as exit_info:
        build_parser().parse_args(["init", "ordner"])
    err = capsys.readouterr().err
    assert exit_info.value.code == 2
    assert "Fehler: diese Angaben fehlen: --profile, --roster" in err


def test_init_with_a_broken_roster_creates_nothing(tmp_path, capsys):
    """Does a roster with errors stop `init` with every problem listed, and leave no folder behind?"""
    roster = tmp_path / "liste.csv"
    roster.write_text("id,name,abteilung\np01,A,X\np01,B,Y\n", encoding="utf-8")
    code, _out, err = run(capsys, "init", str(tmp_path / "kohorte"), "--profile", str(default_profile_path()),
                          "--roster", str(roster))
    assert code == 1
    assert err.splitlines() == [
        "Die Teilnehmendenliste kann nicht übernommen werden – es wurde nichts angelegt:",
        "  liste.csv, Zeile 3: Die ID 'p01' steht schon in Zeile 2.",
    ]
    assert not (tmp_path / "kohorte").exists()


def test_init_with_a_broken_profile_names_the_key(tmp_path, capsys):
    """Does a broken profile stop `init` with the German message naming the key?"""
    profile = tmp_path / "kurs.toml"
    profile.write_text(default_profile_path().read_text(encoding="utf-8").replace("kurzname", "kurz_name"))
    roster = tmp_path / "liste.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    code, _out, err = run(capsys, "init", str(tmp_path / "k"), "--profile", str(profile), "--roster", str(roster))
    assert code == 1 and "'firma.kurz_name' ist unbekannt" in err
    assert not (tmp_path / "k").exists()


def test_init_with_an_unreachable_gradebook_creates_nothing_and_hides_the_password(tmp_path, capsys):
    """Does a wrong --db-url stop `init` before anything is written, without printing the password?"""
    roster = tmp_path / "liste.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    with socket.socket() as s:  # a port on which nobody listens
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    code, _out, err = run(capsys, "init", str(tmp_path / "k"), "--profile", str(default_profile_path()),
                          "--roster", str(roster), "--db-url", f"postgresql://kurs:geheim123@127.0.0.1:{port}/kommfit")
    assert code == 1
    assert f"Die Gradebook-Datenbank 127.0.0.1:{port}/kommfit ist nicht erreichbar" in err
    assert "--db-url prüfen" in err and "geheim123" not in err
    assert not (tmp_path / "k").exists()


def test_a_plain_postgresql_url_uses_the_shipped_driver():
    """Does `postgresql://` reach psycopg 3 (installed), not psycopg2 (not installed)?"""
    assert gradebook_url("postgresql://a:b@h/db") == "postgresql+psycopg://a:b@h/db"
    assert gradebook_url("postgres://h/db") == "postgresql+psycopg://h/db"
    assert gradebook_url("postgresql+psycopg2://h/db") == "postgresql+psycopg2://h/db"
    assert gradebook_url("sqlite:////tmp/g.db") == "sqlite:////tmp/g.db"


@pytest.mark.slow
def test_init_then_guard_rails(tmp_path, capsys):
    """After `init`: is a second init refused, and are k < 5 and unapproved person-level reports refused?"""
    roster = tmp_path / "liste.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    cohort = tmp_path / "kohorte"
    code, out, _err = run(capsys, "init", str(cohort), "--profile", str(default_profile_path()),
                          "--roster", str(roster))
    assert code == 0 and out.startswith(f"Kohorte angelegt: {cohort}")
    assert (cohort / "teilnehmende.csv").stat().st_mode & 0o077 == 0  # personal data: owner only
    code, _out, err = run(capsys, "init", str(cohort), "--profile", str(default_profile_path()),
                          "--roster", str(roster))
    assert code == 1 and "gibt es schon eine Kohorte" in err
    code, _out, err = run(capsys, "report", "--kohorte", str(cohort), "--k", "3")
    assert code == 1 and "k = 3 ist zu klein" in err
    code, _out, err = run(capsys, "report", "--kohorte", str(cohort), "--personenbezogen")
    assert code == 1 and "Betriebsvereinbarung" in err
    code, out, _err = run(capsys, "grade", "--kohorte", str(cohort))
    assert code == 0 and out.startswith("Nichts zu tun")
    code, _out, err = run(capsys, "forget", "p01", "--kohorte", str(cohort))
    assert code == 1 and "--ja" in err
    code, _out, err = run(capsys, "export", "niemand", "--kohorte", str(cohort))
    assert code == 1 and "steht nicht in der Teilnehmendenliste" in err


def test_commands_outside_a_cohort_say_what_to_do(tmp_path, capsys):
    """Does a command run outside a cohort folder explain how to create or find one?"""
    code, _out, err = run(capsys, "status", "--kohorte", str(tmp_path))
    assert code == 1 and "ist kein Kohortenordner" in err and "kommfit init" in err


def test_overview_is_generated_from_the_notebooks(capsys):
    """Does `kommfit overview` list every module of source/ with minutes (declared and estimated), objectives, items
    and points?"""
    code, out, _err = run(capsys, "overview")
    assert code == 0
    modules = sorted(p.name for p in (REPO_ROOT / "source").iterdir() if p.is_dir())
    assert all(module in out for module in modules)
    estimate = round(estimated_minutes(read_module(REPO_ROOT / "source" / "01-jede-stimme-zaehlt"
                                                   / "01-jede-stimme-zaehlt.ipynb")))
    assert f"01-jede-stimme-zaehlt  Jede Stimme zählt  (25 Min., geschätzt {estimate} Min.; 5 Übungen, 7 Fragen im " \
        "Abschluss-Check, 10 Punkte" in out
    assert out.rstrip().endswith("Szenario-Fragen.")


def test_hostile_roster_and_profile_are_german_errors_not_tracebacks(tmp_path, capsys):
    """Do a roster field of 200000 characters and a kurs.toml nested 5000 deep or with a 5000-digit number stop
    `init` with a German message (line or key named, control characters of the file never echoed)?"""
    roster = tmp_path / "liste.csv"
    roster.write_text(ROSTER + "p03,\x1b[2J" + "C" * 200_000 + ",Lager\n", encoding="utf-8")
    code, _out, err = run(capsys, "init", str(tmp_path / "k"), "--profile", str(default_profile_path()),
                          "--roster", str(roster))
    assert code == 1 and "  liste.csv, Zeile 4: Ein Feld ist länger als 200 Zeichen." in err
    assert "Traceback" not in err
    roster.write_text(ROSTER + "p\x1b[2J,C,Lager\n", encoding="utf-8")
    code, _out, err = run(capsys, "init", str(tmp_path / "k"), "--profile", str(default_profile_path()),
                          "--roster", str(roster))
    assert code == 1 and "  liste.csv, Zeile 4: Die ID 'p?[2J' ist ungültig" in err and "\x1b" not in err
    default = default_profile_path().read_text(encoding="utf-8")
    for text, expected in ((default + "\ntief = " + "[" * 5000 + "]" * 5000 + "\n", "ist zu tief verschachtelt"),
                           (default.replace("mitarbeitende = 600", "mitarbeitende = " + "7" * 5000),
                            "Der Schlüssel 'firma.mitarbeitende' (Zeile ")):
        profile = tmp_path / "kurs.toml"
        profile.write_text(text, encoding="utf-8")
        roster.write_text(ROSTER, encoding="utf-8")
        code, _out, err = run(capsys, "init", str(tmp_path / "k"), "--profile", str(profile), "--roster", str(roster))
        assert code == 1 and err.startswith("Fehler: ") and expected in err
    assert not (tmp_path / "k").exists()
