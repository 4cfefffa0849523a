"""Render a CohortReport as one self-contained German HTML file (charts embedded, Jinja2 templates in
``kommfit/templates/bericht/``) plus CSV tables."""

from __future__ import annotations

import base64
import csv
import functools
import io
from datetime import datetime
from pathlib import Path

import jinja2
from matplotlib.figure import Figure

from ..core.safe_text import csv_safe
from .aggregate import CohortReport, ItemStats, ModuleReport

TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "bericht"
CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d2a30; margin: 0; }
main { max-width: 64em; margin: 1.5em auto; padding: 0 1.2em; line-height: 1.45; }
h1 { font-size: 1.7em; } h2 { border-top: 2px solid #1f6f8b; padding-top: 0.6em; margin-top: 2em; }
table { border-collapse: collapse; margin: 0.6em 0 1em 0; font-size: 0.95em; }
th, td { border-bottom: 1px solid #d5e0e4; padding: 0.25em 0.7em; text-align: left; vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.flag { color: #a3261b; } .note { background: #fff8e1; border-left: 4px solid #d9a400; padding: 0.4em 0.8em; }
.privacy { background: #eef6f8; border-left: 4px solid #1f6f8b; padding: 0.6em 0.9em; }
img { max-width: 100%; }
"""


def percent(value: float | None) -> str:
    return "–" if value is None else f"{round(value * 100)} %"


def count(value: int | None, k: int) -> str:
    return f"< {k}" if value is None else str(value)


def number(value: float | None, digits: int = 2) -> str:
    return "–" if value is None else f"{value:.{digits}f}".replace(".", ",")


def _png(fig: Figure) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def distribution_chart(module: ModuleReport) -> str:
    fig = Figure(figsize=(5.6, 2.6))
    ax = fig.subplots()
    labels = [label for label, _ in module.bins]
    ax.bar(labels, [n for _, n in module.bins], color="#1f6f8b")
    ax.set_ylabel("Personen")
    ax.set_xlabel("Anteil der Punkte im Abschluss-Check")
    ax.set_title("Punkteverteilung (jeder Balken ≥ k Personen)")
    fig.tight_layout()
    return _png(fig)


def difficulty_chart(items: list[ItemStats]) -> str:
    graded = [i for i in items if not i.practice and i.difficulty is not None]
    fig = Figure(figsize=(5.6, 0.45 * len(graded) + 1.0))
    ax = fig.subplots()
    ax.barh([i.question_id.split("-", 2)[-1] for i in graded], [i.difficulty for i in graded], color="#4f9a6a")
    ax.set_xlim(0, 1)
    ax.axvline(0.3, color="#a3261b", linestyle=":")
    ax.axvline(0.9, color="#a3261b", linestyle=":")
    ax.set_xlabel("Schwierigkeit (Anteil richtig; gepunktet: zu schwer / zu leicht)")
    ax.invert_yaxis()
    fig.tight_layout()
    return _png(fig)


@functools.cache
def _templates() -> jinja2.Environment:
    """The report's Jinja2 templates (``kommfit/templates/bericht/``). Autoescape: titles, department names, option
    texts and notes come from people, so every value is escaped unless a template says otherwise."""
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True, undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True,
    )
    environment.globals.update(percent=percent, count=count, number=number, distribution_chart=distribution_chart,
                               difficulty_chart=difficulty_chart)
    return environment


def module_section(module: ModuleReport, k: int) -> str:
    """One module of the report as HTML (also shown by the report explorer in a notebook)."""
    return str(_templates().get_template("modul.html.j2").module.module_section(module, k))


def render(report: CohortReport, cohort_name: str, grading: dict[str, int]) -> str:
    """The whole report as HTML."""
    return _templates().get_template("bericht.html.j2").render(
        report=report, cohort_name=cohort_name, grading=grading, css=CSS,
        created=datetime.now().strftime("%d.%m.%Y, %H:%M Uhr"),
    )


def safe_row(cells: list[object]) -> list[object]:
    """A CSV row whose text cells a spreadsheet cannot run as formulas: titles, department names and roster values
    come from people (OWASP "CSV Injection"); numbers stay numbers."""
    return [csv_safe(cell) for cell in cells]


def write_csv(report: CohortReport, folder: Path) -> list[Path]:
    """Module figures, department figures and item analysis as CSV (semicolon, for German Excel)."""
    modules_csv, departments_csv, items_csv = (folder / name for name in
                                               ("bericht-module.csv", "bericht-bereiche.csv", "bericht-fragen.csv"))
    k = report.k
    with modules_csv.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["modul", "titel", "angemeldet", "abgegeben", "vollstaendig", "mittelwert", "median"])
        for m in report.modules:
            writer.writerow(safe_row([m.module, m.title, m.enrolled, count(m.submitted, k), count(m.completed, k),
                                      number(m.mean, 3), number(m.median, 3)]))
    with departments_csv.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["modul", "bereich", "angemeldet", "abgegeben", "mittelwert"])
        for m in report.modules:
            for g in m.departments:
                writer.writerow(safe_row([m.module, g.label, g.enrolled, count(g.submitted, k), number(g.mean, 3)]))
    with items_csv.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["modul", "frage", "uebung", "n", "schwierigkeit", "trennschaerfe", "hinweise"])
        for m in report.modules:
            for i in m.items:
                writer.writerow(safe_row([m.module, i.question_id, "ja" if i.practice else "nein", i.n,
                                          number(i.difficulty, 3), number(i.discrimination, 3), " | ".join(i.flags)]))
    return [modules_csv, departments_csv, items_csv]
