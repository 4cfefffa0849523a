"""``kommfit overview``: the course at a glance, generated from the module notebooks — never kept by hand."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .catalog import module_notebooks, read_module
from .settings import CURRICULUM_SOURCE
from .timing import estimated_minutes


@dataclass(frozen=True)
class ModuleLine:
    module: str
    title: str
    minutes: int
    estimate: float  # minutes, from what the module shows (timing.py)
    objectives: list[str]
    statements: list[str]
    practice: int
    graded: int
    points: float


def course_overview(source: Path | None = None) -> list[ModuleLine]:
    lines = []
    for notebook in module_notebooks(source or CURRICULUM_SOURCE):
        info = read_module(notebook)
        lines.append(
            ModuleLine(info.module_id, info.title, info.minutes, estimated_minutes(info), info.objectives,
                       info.statements, len(info.practice), len(info.graded), info.total_points)
        )
    return lines


def render_overview(lines: list[ModuleLine]) -> str:
    out = []
    for line in lines:
        points = f"{line.points:g}".replace(".", ",")
        out.append(
            f"{line.module}  {line.title}  ({line.minutes} Min., geschätzt {round(line.estimate)} Min.; "
            f"{line.practice} Übungen, {line.graded} Fragen im "
            f"Abschluss-Check, {points} Punkte; Aussagen {', '.join(line.statements)})"
        )
        out += [f"    – {objective}" for objective in line.objectives]
    total_minutes = sum(line.minutes for line in lines)
    total_items = sum(line.practice + line.graded for line in lines)
    out.append(f"\n{len(lines)} Module, {total_minutes} Minuten, {total_items} Szenario-Fragen.")
    return "\n".join(out)
