"""``kommfit status``: where the cohort stands — released, handed in, graded (and how), and what needs a look."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..core.safe_text import terminal_safe
from ..engine.batch import pending_tasks, submitted_pairs
from ..workshop.cohort import Cohort
from ..workshop.ledger import GRADED, LEDGER_FILE, Ledger


@dataclass
class ModuleStatus:
    module: str
    released: bool
    submitted: int
    graded: int
    graded_in_sandbox: int
    pending: int
    problems: list[tuple[str, str, str]] = field(default_factory=list)  # person, status, German message


def cohort_status(cohort: Cohort) -> list[ModuleStatus]:
    entries = Ledger(cohort.state / LEDGER_FILE).entries()
    pending = {(t.module, t.person) for t in pending_tasks(cohort)[0]}
    pairs = submitted_pairs(cohort)
    outbound = cohort.exchange / cohort.course_id / "outbound"
    statuses = []
    for module in cohort.modules():
        mine = [(m, p) for m, p in pairs if m == module]
        current = [entries[pair] for pair in mine if pair in entries and pair not in pending]
        statuses.append(
            ModuleStatus(
                module=module,
                released=(outbound / module).is_dir(),
                submitted=len(mine),
                graded=sum(1 for e in current if e.status == GRADED),
                graded_in_sandbox=sum(1 for e in current if e.status == GRADED and e.sandboxed),
                pending=sum(1 for pair in mine if pair in pending),
                problems=[(e.person, e.status, e.message) for e in current if e.status != GRADED or e.message],
            )
        )
    return statuses


def render_status(statuses: list[ModuleStatus]) -> str:
    """The status table for the terminal; folder names, ids and ledger messages come from participants' hand-ins, so
    every one of them goes through ``terminal_safe``."""
    lines = [f"{'Modul':34} {'frei':>5} {'abgegeben':>10} {'bewertet':>9} {'Sandbox':>8} {'offen':>6}"]
    for s in statuses:
        lines.append(
            f"{terminal_safe(s.module):34} {'ja' if s.released else 'nein':>5} {s.submitted:>10} {s.graded:>9} "
            f"{s.graded_in_sandbox:>8} {s.pending:>6}"
        )
    problems = [(s.module, *p) for s in statuses for p in s.problems]
    if problems:
        lines.append("")
        lines.append("Bitte ansehen:")
        lines += [
            f"  {terminal_safe(module)} / {terminal_safe(person)}: {terminal_safe(status)} – {terminal_safe(message)}"
            for module, person, status, message in problems
        ]
    if any(s.pending for s in statuses):
        lines.append("")
        lines.append("Offene Abgaben bewerten: kommfit grade")
    return "\n".join(lines)
