"""Privacy-first figures for facilitators: participation, scores and item analysis — never about fewer than k people.

German works councils co-determine systems that record employees' results (§ 87 Abs. 1 Nr. 6 BetrVG). The report is
built so that it can be shown to them: people appear only as members of groups of at least ``k`` (5 by default, never
lower), departments smaller than that are merged or left out, no bar of a chart and no count stands for fewer than
``k`` people (such counts read "< 5"), and the item analysis says how *questions* worked, not how *people* did.
Person-level tables exist only on explicit request and only if the company profile allows them (which presupposes a
works agreement).

This module is pure: ``build_report`` turns records into figures and is what the property tests exercise;
``collect_records`` (reading gradebook and answer files) and ``report_html`` (rendering) are separate.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

MIN_K = 5
OTHER_GROUP = "Weitere Bereiche"
BIN_EDGES = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0000001)


@dataclass(frozen=True)
class Record:
    """One person's graded submission of one module (facts, before any aggregation)."""

    person: str
    department: str
    module: str
    score: float
    max_score: float
    items: dict[str, tuple[float, float]]  # graded question id → (points, max points)
    choices: dict[str, Any]  # question id → value saved in the answer file (graded questions)
    first_attempts: dict[str, tuple[Any, float | None]]  # practice question id → (value, score)
    complete: bool


@dataclass
class OptionShare:
    option_id: str
    text: str
    correct: bool
    count: int | None  # None: fewer than k people, shown as "< k"
    share: float | None


@dataclass
class ItemStats:
    question_id: str
    prompt: str
    kind: str
    practice: bool
    n: int
    difficulty: float | None
    discrimination: float | None
    options: list[OptionShare] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)


@dataclass
class GroupStats:
    label: str
    n: int
    mean: float | None
    submitted: int | None = None
    enrolled: int | None = None


@dataclass
class ModuleReport:
    module: str
    title: str
    enrolled: int
    submitted: int | None
    completed: int | None
    mean: float | None
    median: float | None
    bins: list[tuple[str, int]]
    departments: list[GroupStats]
    items: list[ItemStats]
    notes: list[str] = field(default_factory=list)


@dataclass
class CohortReport:
    k: int
    modules: list[ModuleReport]
    volunteers: int | None
    notes: list[str] = field(default_factory=list)


def check_k(k: int) -> int:
    if k < MIN_K:
        raise ValueError(f"k muss mindestens {MIN_K} sein (sonst werden Einzelne erkennbar).")
    return k


def safe_count(count: int, k: int) -> int | None:
    """A count that may be shown: zero or at least k; anything in between is suppressed (None → "< k")."""
    return count if count == 0 or count >= k else None


def merge_groups(members: dict[str, list[Any]], k: int) -> tuple[list[tuple[str, list[Any]]], int]:
    """Groups of at least k; smaller ones are pooled as 'Weitere Bereiche', left out if the pool is still too small.

    Returns (groups, number of people left out of the breakdown).
    """
    big = [(label, people) for label, people in sorted(members.items()) if len(people) >= k]
    small = [person for label, people in sorted(members.items()) if len(people) < k for person in people]
    if len(small) >= k:
        big.append((OTHER_GROUP, small))
        return big, 0
    return big, len(small)


def score_bins(fractions: list[float], k: int) -> list[tuple[str, int]]:
    """Score distribution in bins of 20 %, adjacent bins merged until every bar shows at least k people."""
    if len(fractions) < k:
        return []
    bins = []
    for low, high in zip(BIN_EDGES, BIN_EDGES[1:], strict=False):
        bins.append([low, min(high, 1.0), sum(1 for f in fractions if low <= f < high)])
    while len(bins) > 1 and any(b[2] < k for b in bins):
        index = min(range(len(bins)), key=lambda i: (bins[i][2] >= k, bins[i][2]))
        neighbour = index + 1 if index == 0 or (index + 1 < len(bins) and bins[index + 1][2] <= bins[index - 1][2]) \
            else index - 1
        low, high = min(bins[index][0], bins[neighbour][0]), max(bins[index][1], bins[neighbour][1])
        merged = [low, high, bins[index][2] + bins[neighbour][2]]
        for i in sorted((index, neighbour), reverse=True):
            bins.pop(i)
        bins.insert(min(index, neighbour), merged)
    return [(f"{round(low * 100)}–{round(high * 100)} %", count) for low, high, count in bins]


def pearson(xs: list[float], ys: list[float]) -> float | None:
    if len(xs) < 3:
        return None
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    sx = math.sqrt(sum((x - mx) ** 2 for x in xs))
    sy = math.sqrt(sum((y - my) ** 2 for y in ys))
    if sx == 0 or sy == 0:
        return None
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / (sx * sy)


def _chosen(value: Any) -> set[str]:
    if isinstance(value, str):
        return {value}
    if isinstance(value, list):
        return set(value)
    return set()


def _option_shares(question: dict[str, Any], values: list[Any], key: set[str], k: int) -> list[OptionShare]:
    n = len(values)
    shares = []
    for option in question.get("options", []):
        count = sum(1 for value in values if option["id"] in _chosen(value))
        shown = safe_count(count, k)
        shares.append(
            OptionShare(option["id"], option["text"], option["id"] in key, shown,
                        None if shown is None or not n else count / n)
        )
    return shares


def _flags(difficulty: float | None, discrimination: float | None, options: list[OptionShare]) -> list[str]:
    flags = []
    if difficulty is not None and difficulty > 0.9:
        flags.append("sehr leicht")
    if difficulty is not None and difficulty < 0.3:
        flags.append("sehr schwer")
    if discrimination is not None and discrimination < 0:
        flags.append("irreführend? (Besserer Gesamtwert, schlechtere Antwort)")
    elif discrimination is not None and discrimination < 0.2:
        flags.append("trennt schwach")
    key_share = max((o.share or 0 for o in options if o.correct), default=None)
    if key_share is not None and any((o.share or 0) > key_share for o in options if not o.correct):
        flags.append("Ablenker häufiger gewählt als die beste Antwort")
    return flags


def item_analysis(
    records: list[Record], questions: list[dict[str, Any]], keys: dict[str, Any], k: int
) -> list[ItemStats]:
    """Difficulty, item–rest discrimination and distractor shares of every question, over ≥ k records."""
    if len(records) < k:
        return []
    stats = []
    for question in questions:
        qid = question["id"]
        key = _chosen(keys.get(qid)) if question["kind"] in ("single", "multiple") else set()
        if question["practice"]:
            attempts = [r.first_attempts[qid] for r in records if qid in r.first_attempts]
            scores = [s for _, s in attempts if s is not None]
            n = len(attempts)
            difficulty = statistics.fmean(scores) if len(scores) >= k else None
            options = _option_shares(question, [v for v, _ in attempts], key, k) if n >= k else []
            stats.append(ItemStats(qid, question["prompt"], question["kind"], True, n, difficulty, None, options,
                                   _flags(difficulty, None, options)))
            continue
        scored = [r for r in records if qid in r.items and r.items[qid][1]]
        item = [r.items[qid][0] / r.items[qid][1] for r in scored]
        rest = [r.score - r.items[qid][0] for r in scored]  # total without this item (item–rest correlation)
        difficulty = statistics.fmean(item) if len(item) >= k else None
        discrimination = pearson(item, rest) if len(item) >= k else None
        values = [r.choices[qid] for r in scored if qid in r.choices]
        options = _option_shares(question, values, key, k) if len(values) >= k else []
        stats.append(ItemStats(qid, question["prompt"], question["kind"], False, len(item), difficulty,
                               discrimination, options, _flags(difficulty, discrimination, options)))
    return stats


def build_module(module: str, title: str, records: list[Record], departments: dict[str, str],
                 questions: list[dict[str, Any]], keys: dict[str, Any], k: int) -> ModuleReport:
    """All figures of one module; every group and every shown count covers at least k people."""
    enrolled = len(departments)
    notes = []
    fractions = [r.score / r.max_score for r in records if r.max_score]
    submitted = safe_count(len(records), k)
    completed = safe_count(sum(1 for r in records if r.complete), k)
    big_enough = len(records) >= k
    if not big_enough and records:
        notes.append(f"Weniger als {k} Abgaben: Punkte und Itemanalyse werden nicht gezeigt.")
    by_department: dict[str, list[Record]] = defaultdict(list)
    for record in records:
        by_department[departments.get(record.person, OTHER_GROUP)].append(record)
    enrolled_by_department: dict[str, list[str]] = defaultdict(list)
    for person, department in departments.items():
        enrolled_by_department[department].append(person)
    groups, left_out = merge_groups(enrolled_by_department, k)
    department_stats = []
    for label, people in groups:
        members = set(people)
        group_records = [r for r in records if r.person in members]
        group_fractions = [r.score / r.max_score for r in group_records if r.max_score]
        mean = statistics.fmean(group_fractions) if len(group_records) >= k and group_fractions else None
        department_stats.append(GroupStats(label, len(people), mean, safe_count(len(group_records), k), len(people)))
    if left_out:
        notes.append(f"{left_out} Personen aus sehr kleinen Bereichen sind nur im Gesamtergebnis enthalten.")
    return ModuleReport(
        module=module,
        title=title,
        enrolled=enrolled,
        submitted=submitted,
        completed=completed,
        mean=statistics.fmean(fractions) if big_enough and fractions else None,  # no fractions: no points to give
        median=statistics.median(fractions) if big_enough and fractions else None,
        bins=score_bins(fractions, k),
        departments=department_stats,
        items=item_analysis(records, questions, keys, k),
        notes=notes,
    )


def build_report(modules: list[dict[str, Any]], departments: dict[str, str], volunteers: int, k: int = MIN_K
                 ) -> CohortReport:
    """The whole report. ``modules``: dicts with module, title, records, questions, keys."""
    k = check_k(k)
    reports = [
        build_module(m["module"], m["title"], m["records"], departments, m["questions"], m["keys"], k) for m in modules
    ]
    return CohortReport(k=k, modules=reports, volunteers=safe_count(volunteers, k))
