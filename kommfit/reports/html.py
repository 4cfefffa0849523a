"""Render a CohortReport as one self-contained German HTML file (charts embedded) plus CSV tables."""

from __future__ import annotations

import base64
import csv
import html
import io
from datetime import datetime
from pathlib import Path

from matplotlib.figure import Figure

from ..core.safe_text import csv_safe
from .aggregate import CohortReport, ItemStats, ModuleReport

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


def _item_rows(items: list[ItemStats], k: int) -> str:
    rows = []
    for item in items:
        options = "<br>".join(
            f"{'✓' if o.correct else '·'} {html.escape(o.text[:70])}: "
            f"{percent(o.share) if o.count is not None else f'< {k} Pers.'}"
            for o in item.options
        )
        flags = "<br>".join(f"<span class='flag'>{html.escape(f)}</span>" for f in item.flags)
        kind = "Übung (1. Versuch)" if item.practice else "Abschluss-Check"
        rows.append(
            f"<tr><td>{html.escape(item.question_id)}<br><small>{kind}</small></td>"
            f"<td>{html.escape(item.prompt[:160])}</td><td class='num'>{item.n}</td>"
            f"<td class='num'>{percent(item.difficulty)}</td><td class='num'>{number(item.discrimination)}</td>"
            f"<td>{options}</td><td>{flags}</td></tr>"
        )
    return (
        "<table><thead><tr><th>Frage</th><th>Text</th><th>n</th><th>Schwierigkeit</th><th>Trennschärfe</th>"
        "<th>Gewählte Antworten</th><th>Hinweis</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
    )


def module_section(module: ModuleReport, k: int) -> str:
    parts = [f"<h2>{html.escape(module.title)} <small>({html.escape(module.module)})</small></h2>"]
    parts.append(
        "<table><tbody>"
        f"<tr><th>Angemeldet</th><td class='num'>{module.enrolled}</td></tr>"
        f"<tr><th>Abgegeben</th><td class='num'>{count(module.submitted, k)}</td></tr>"
        f"<tr><th>Abschluss-Check vollständig</th><td class='num'>{count(module.completed, k)}</td></tr>"
        f"<tr><th>Mittelwert / Median</th><td class='num'>{percent(module.mean)} / {percent(module.median)}</td></tr>"
        "</tbody></table>"
    )
    for note in module.notes:
        parts.append(f"<p class='note'>{html.escape(note)}</p>")
    if module.bins:
        parts.append(f"<img alt='Punkteverteilung' src='{distribution_chart(module)}'>")
    if module.departments:
        rows = "".join(
            f"<tr><td>{html.escape(g.label)}</td><td class='num'>{g.enrolled}</td>"
            f"<td class='num'>{count(g.submitted, k)}</td><td class='num'>{percent(g.mean)}</td></tr>"
            for g in module.departments
        )
        parts.append(
            "<h3>Nach Bereichen</h3><table><thead><tr><th>Bereich</th><th>Angemeldet</th><th>Abgegeben</th>"
            f"<th>Mittelwert</th></tr></thead><tbody>{rows}</tbody></table>"
        )
    if module.items:
        parts.append("<h3>Itemanalyse: Wie haben die Fragen funktioniert?</h3>")
        if any(i.difficulty is not None and not i.practice for i in module.items):
            parts.append(f"<img alt='Schwierigkeit je Frage' src='{difficulty_chart(module.items)}'>")
        parts.append(_item_rows(module.items, k))
    return "".join(parts)


def render(report: CohortReport, cohort_name: str, grading: dict[str, int]) -> str:
    """The whole report as HTML."""
    volunteers = count(report.volunteers, report.k)
    grading_rows = "".join(
        f"<tr><td>{html.escape(label)}</td><td class='num'>{value}</td></tr>" for label, value in grading.items()
    )
    body = [
        f"<h1>Fitnessprogramm Digitale Kommunikation – Bericht</h1><p>Kohorte <b>{html.escape(cohort_name)}</b>, "
        f"erstellt am {datetime.now().strftime('%d.%m.%Y, %H:%M Uhr')}.</p>",
        "<div class='privacy'><b>Datenschutz:</b> Dieser Bericht zeigt nur Gruppen mit mindestens "
        f"<b>{report.k}</b> Personen. Kleinere Bereiche sind zu „Weitere Bereiche“ zusammengefasst oder weggelassen; "
        f"Zahlen unter {report.k} erscheinen als „&lt; {report.k}“. Die Itemanalyse beschreibt Fragen, nicht Personen. "
        "Das Fitnessprogramm ist eine Übung, keine Leistungsbeurteilung.</div>",
        f"<p>Freiwillige, die vom Social-Media-Team angesprochen werden möchten: <b>{volunteers}</b> "
        "(die Liste steht nur in <code>talente.csv</code> und enthält nur Personen mit Einwilligung).</p>",
        f"<h3>Bewertung</h3><table><tbody>{grading_rows}</tbody></table>",
    ]
    body += [f"<p class='note'>{html.escape(note)}</p>" for note in report.notes]
    body += [module_section(m, report.k) for m in report.modules]
    return (
        "<!DOCTYPE html><html lang='de'><head><meta charset='utf-8'><title>Bericht Fitnessprogramm</title>"
        f"<style>{CSS}</style></head><body><main>{''.join(body)}</main></body></html>"
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
