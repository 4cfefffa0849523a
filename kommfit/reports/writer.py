"""``kommfit report``: gather the cohort's records, apply the privacy rules, write HTML and CSV files."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from ..workshop.cohort import Cohort, CohortError
from ..workshop.ledger import FAILED, GRADED, LEDGER_FILE, TIMED_OUT, Ledger
from .aggregate import MIN_K, build_report
from .html import render, safe_row, write_csv
from .records import module_facts, module_records, volunteers

REPORT_FILE = "bericht.html"
TALENT_FILE = "talente.csv"
PERSON_FILE = "personen.csv"


def grading_overview(cohort: Cohort) -> dict[str, int]:
    entries = list(Ledger(cohort.state / LEDGER_FILE).entries().values())
    return {
        "bewertet in der Sandbox": sum(1 for e in entries if e.status == GRADED and e.sandboxed),
        "bewertet ohne Sandbox": sum(1 for e in entries if e.status == GRADED and not e.sandboxed),
        "nicht bewertbar (fehlerhaft)": sum(1 for e in entries if e.status == FAILED),
        "abgebrochen (Zeitlimit)": sum(1 for e in entries if e.status == TIMED_OUT),
    }


def write_report(cohort: Cohort, folder: Path, k: int | None = None, person_level: bool = False,
                 unreadable: dict[tuple[str, str], str] | None = None) -> list[Path]:
    """Write the report files and return their paths.

    Answer files that cannot be read are skipped, never fatal: they go into ``unreadable`` ((person, module) →
    German reason) for the facilitator's terminal; the HTML report only counts them, it names nobody.
    """
    unreadable = {} if unreadable is None else unreadable
    profile = cohort.profile()
    k = profile.mindestgruppe if k is None else k
    if k < MIN_K:
        raise CohortError(f"k = {k} ist zu klein: Gruppen unter {MIN_K} Personen machen Einzelne erkennbar.")
    if person_level and not profile.personenbezogene_berichte:
        raise CohortError(
            "Auswertungen je Person sind im Firmenprofil abgeschaltet (datenschutz.personenbezogene_berichte = "
            "false). Sie setzen eine Betriebsvereinbarung voraus; erst dann im Profil auf true setzen."
        )
    people = cohort.people()
    departments = {p.id: p.abteilung for p in people}
    modules, all_records = [], []
    for module in cohort.modules():
        facts = module_facts(cohort, module)
        records = module_records(cohort, module, facts, departments, unreadable)
        all_records += records
        modules.append({"module": module, "title": facts.info.title or module, "records": records,
                        "questions": [_filled(q, profile) for q in facts.info.questions], "keys": facts.keys})
    opted_in = volunteers(cohort, unreadable)
    report = build_report(modules, departments, len(opted_in), k)
    if unreadable:
        report.notes.append(
            f"{len(unreadable)} Antwortdatei(en) konnten nicht gelesen werden: Ihre Punkte zählen, ihre Antworten "
            "fehlen in der Itemanalyse und in talente.csv. Welche es sind, zeigt `kommfit report` im Terminal."
        )
    folder.mkdir(parents=True, exist_ok=True)
    html_path = folder / REPORT_FILE
    html_path.write_text(render(report, cohort.root.name, grading_overview(cohort)), encoding="utf-8")
    paths = [html_path, *write_csv(report, folder)]
    talent_path = folder / TALENT_FILE
    with talent_path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["id", "name", "abteilung", "email", "angaben"])
        by_id = {p.id: p for p in people}
        for person, entries in sorted(opted_in.items()):
            if person in by_id:
                p = by_id[person]
                writer.writerow(safe_row([p.id, p.name, p.abteilung, p.email, json.dumps(entries, ensure_ascii=False)]))
    paths.append(talent_path)
    if person_level:
        person_path = folder / PERSON_FILE
        with person_path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle, delimiter=";")
            writer.writerow(["pseudonym", "id", "name", "abteilung", "modul", "punkte", "max_punkte"])
            by_id = {p.id: p for p in people}
            for record in all_records:
                p = by_id[record.person]
                writer.writerow(safe_row([cohort.pseudonym(p.id), p.id, p.name, p.abteilung, record.module,
                                          record.score, record.max_score]))
        paths.append(person_path)
    return paths


def _filled(question: dict, profile) -> dict:
    """A question with the company's placeholders filled, as participants saw it."""
    filled = dict(question, prompt=" ".join(profile.fill(question["prompt"]).split()))
    filled["options"] = [dict(o, text=profile.fill(o["text"])) for o in question.get("options", [])]
    return filled
