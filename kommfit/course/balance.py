"""Can the Abschluss-Check be passed without reading? Naive guessing strategies played against every module.

Why: a check whose key is usually the longest option, or usually option a, measures test-wiseness instead of
understanding, and the facilitator's report and item analysis stand on it. This module computes, from the module
notebook alone (questions as participants see them, keys from the hidden grade code), the *expected* score of each
strategy — exactly, no sampling — so a test can hold every module to "no strategy beats blind guessing by more than
10 percentage points" and a maintainer can print the table.

What a strategy does, per kind of graded item (items it says nothing about are answered blindly):

- ``blind``: single choice uniformly at random; multiple choice a uniformly random set of ticks; matching each item
  in a uniformly random category.
- ``longest`` / ``shortest``: the option (or category) with the most / fewest characters after the company profile
  is filled in; ties are shared. In multiple choice only that one option is ticked.
- ``first`` / ``last``: the option (or category) in that position of the *author's* order. Participants see a
  per-person shuffle, but an author may opt out (ordered scales) and answer files from before the shuffle keep the
  author's order — so the author's order must be balanced too.
- ``all`` / ``none``: multiple choice only — tick every option, or none.

Free texts and post checks cannot be guessed by clicking and are left out of every score alike.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat

from ..activities.scenario import Scenario
from ..core.profile import Profile, default_profile_path, load_profile
from ..core.scoring import score_matching, score_multiple
from .catalog import ModuleInfo, keys_of, load_objects, module_notebooks, read_module

STRATEGIES = ("blind", "longest", "shortest", "first", "last", "all", "none")
GUESSABLE = ("single", "multiple", "matching")
MAX_ADVANTAGE = 0.10  # a strategy may differ from blind guessing by at most this share of the points
POSITION_SHARE = (0.20, 0.35)  # each key position's share across the course
POSITION_LETTERS = "abcd"


@dataclass(frozen=True)
class GradedItem:
    """A graded, guessable item: what the participant sees (filled texts, author's order) and its key."""

    question_id: str
    kind: str
    points: float
    options: tuple[str, ...]  # option ids (single, multiple) or category ids (matching), author's order
    lengths: tuple[int, ...]  # characters of each option / category label after filling the profile
    key: Any  # str (single), frozenset (multiple), dict item → category (matching)


def graded_items(info: ModuleInfo, profile: Profile, *, practice: bool = False) -> list[GradedItem]:
    """The module's graded single, multiple and matching items with their points and keys (``practice=True``: its
    Übungen instead, worth 0 points — they count for the key positions, not for the score)."""
    keys = keys_of(info)
    points = {call.question_variable: call.points for call in info.grade_calls}
    items = []
    for question in info.practice if practice else info.graded:
        if question["kind"] not in GUESSABLE:
            continue
        entries = question["categories"] if question["kind"] == "matching" else question["options"]
        key = keys[question["id"]]
        items.append(
            GradedItem(
                question_id=question["id"],
                kind=question["kind"],
                points=0.0 if practice else points[question["variable"]],
                options=tuple(e["id"] for e in entries),
                lengths=tuple(len(profile.fill(e["text"])) for e in entries),
                key=frozenset(key) if question["kind"] == "multiple" else key,
            )
        )
    return items


def _extreme(item: GradedItem, pick: Callable[[Sequence[int]], int]) -> list[str]:
    """The option ids of the longest (pick=max) or shortest (pick=min) option; several if tied."""
    target = pick(item.lengths)
    return [option for option, length in zip(item.options, item.lengths, strict=True) if length == target]


def _chosen(item: GradedItem, strategy: str) -> list[str] | None:
    """The option(s) a positional or length strategy lands on — ties listed together — or None (answer blindly)."""
    if strategy == "longest":
        return _extreme(item, max)
    if strategy == "shortest":
        return _extreme(item, min)
    if strategy == "first":
        return [item.options[0]]
    if strategy == "last":
        return [item.options[-1]]
    return None


def _blind(item: GradedItem) -> float:
    if item.kind == "single":
        return 1 / len(item.options)
    if item.kind == "multiple":
        subsets = [
            set(combo) for size in range(len(item.options) + 1) for combo in itertools.combinations(item.options, size)
        ]
        return sum(score_multiple(s, item.key) for s in subsets) / len(subsets)
    return 1 / len(item.options)  # matching: each item lands in its category with chance 1/categories


def expected_fraction(item: GradedItem, strategy: str) -> float:
    """The expected share of the item's points under ``strategy`` (ties between options shared equally)."""
    if strategy in ("all", "none"):
        if item.kind != "multiple":
            return _blind(item)
        return score_multiple(item.options if strategy == "all" else (), item.key)
    chosen = _chosen(item, strategy)
    if chosen is None:
        return _blind(item)
    if item.kind == "single":
        return sum(option == item.key for option in chosen) / len(chosen)
    if item.kind == "multiple":
        return sum(score_multiple({option}, item.key) for option in chosen) / len(chosen)
    return sum(score_matching(dict.fromkeys(item.key, category), item.key) for category in chosen) / len(chosen)


def module_scores(items: list[GradedItem]) -> dict[str, float]:
    """Each strategy's expected share of the module's guessable points."""
    total = sum(item.points for item in items)
    return {
        strategy: sum(item.points * expected_fraction(item, strategy) for item in items) / total
        for strategy in STRATEGIES
    }


def longest_is_key(items: list[GradedItem]) -> tuple[int, int]:
    """(single-choice items whose key is the longest option alone, single-choice items)."""
    singles = [item for item in items if item.kind == "single"]
    return sum(_extreme(item, max) == [item.key] for item in singles), len(singles)


def key_positions(all_items: list[GradedItem]) -> dict[str, dict[str, float]]:
    """Per kind (single, multiple), the share of keys at each position of the author's order.

    A position's share counts only items that have that position, so a balanced course scores 1/3 on a–c of
    three-option items and 1/4 on all four positions of four-option items — never an artefact of the option count.
    """
    shares: dict[str, dict[str, float]] = {}
    for kind in ("single", "multiple"):
        at, slots = Counter(), Counter()
        for item in (i for i in all_items if i.kind == kind):
            keys = {item.key} if kind == "single" else item.key
            for position, option in enumerate(item.options):
                at[position] += option in keys
                slots[position] += len(keys)
        shares[kind] = {POSITION_LETTERS[p]: at[p] / slots[p] for p in sorted(slots)}
    return shares


def scene_good_positions(scene: Scenario) -> list[int]:
    """For every decision of a branching scene, the position (author's order) of its first good choice."""
    return [
        next(i for i, choice in enumerate(node.choices) if choice.rating == "good")
        for node in scene.nodes.values()
        if any(choice.rating == "good" for choice in node.choices)
    ]


@dataclass(frozen=True)
class ModuleBalance:
    module_id: str
    items: list[GradedItem]
    practice: list[GradedItem]
    scores: dict[str, float]
    longest_key: tuple[int, int]
    scenes: dict[str, list[int]]  # scene id → position of the good choice in each decision


def course_balance(source: Path, profile: Profile | None = None) -> list[ModuleBalance]:
    """The balance of every module below ``source`` (source/ or release/)."""
    profile = profile or load_profile(default_profile_path())
    result = []
    for notebook in module_notebooks(source):
        info = read_module(notebook)
        items = graded_items(info, profile)
        practice = graded_items(info, profile, practice=True)
        scenes = {
            scene.id: scene_good_positions(scene)
            for scene in load_objects(nbformat.read(notebook, as_version=4), Scenario).values()
        }
        result.append(
            ModuleBalance(notebook.stem, items, practice, module_scores(items), longest_is_key(items), scenes)
        )
    return result


def render_balance(modules: list[ModuleBalance]) -> str:
    """A table for maintainers and closing notes: key-is-longest share and each strategy's expected score."""
    head = f"{'Modul':<32} {'längste=Schlüssel':>17} " + " ".join(f"{s:>8}" for s in STRATEGIES)
    lines = [head]
    for module in modules:
        hits, count = module.longest_key
        lines.append(
            f"{module.module_id:<32} {f'{hits}/{count}':>17} "
            + " ".join(f"{round(100 * module.scores[s]):>7}%" for s in STRATEGIES)
        )
    hits = sum(m.longest_key[0] for m in modules)
    count = sum(m.longest_key[1] for m in modules)
    lines.append(f"\nSchlüssel ist die längste Option: {hits} von {count} Einfachauswahl-Fragen im Abschluss-Check.")
    hits = sum(longest_is_key(m.practice)[0] for m in modules)
    count = sum(longest_is_key(m.practice)[1] for m in modules)
    lines.append(f"Schlüssel ist die längste Option: {hits} von {count} Einfachauswahl-Übungen.")
    for kind, shares in key_positions([i for m in modules for i in m.items + m.practice]).items():
        lines.append(f"Schlüsselpositionen {kind}: " + ", ".join(f"{p} {round(100 * s)} %" for p, s in shares.items()))
    for module in modules:
        for scene_id, positions in module.scenes.items():
            shown = ", ".join(POSITION_LETTERS[p] for p in positions)
            lines.append(f"Entscheidungsszene {scene_id}: gute Wahl an Position {shown}")
    return "\n".join(lines)


def render_items(module: ModuleBalance) -> str:
    """Per item, for an author rewriting a module: option lengths, where the key is, what each strategy earns."""
    lines = [module.module_id]
    for item in module.items + module.practice:
        keys = {item.key} if item.kind == "single" else set(item.key) if item.kind == "multiple" else set()
        options = " ".join(
            f"{option}{'*' if option in keys else ''}={length}"
            for option, length in zip(item.options, item.lengths, strict=True)
        )
        earned = " ".join(f"{s} {round(100 * expected_fraction(item, s))}%" for s in STRATEGIES[:5])
        mode = "Übung" if not item.points else f"{item.points:g} P."
        lines.append(f"  {item.question_id} ({item.kind}, {mode}): {options} | {earned}")
    return "\n".join(lines)


if __name__ == "__main__":
    import argparse

    from .settings import CURRICULUM_SOURCE

    parser = argparse.ArgumentParser(description="Ratestrategien gegen den Abschluss-Check jedes Moduls.")
    parser.add_argument("ordner", nargs="?", type=Path, default=CURRICULUM_SOURCE)
    parser.add_argument("--fragen", action="store_true", help="jede Frage einzeln (Längen, Schlüssel *, Strategien)")
    arguments = parser.parse_args()
    balance = course_balance(arguments.ordner)
    print(render_balance(balance))
    if arguments.fragen:
        print("\n" + "\n\n".join(render_items(module) for module in balance))
