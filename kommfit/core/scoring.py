"""How an answer becomes a share of the points — the one rule used by practice feedback and by the grader alike.

All functions are pure and return a fraction between 0 and 1.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping


def score_single(choice: str, correct: str) -> float:
    """Single choice: all or nothing."""
    return 1.0 if choice == correct else 0.0


def score_multiple(chosen: Iterable[str], correct: Iterable[str]) -> float:
    """Multiple choice with partial credit: (right ticks − wrong ticks) / number of right options, never below 0.

    Ticking everything therefore earns nothing, and one wrong tick cancels one right tick.
    """
    chosen_set, correct_set = set(chosen), set(correct)
    if not correct_set:
        return 1.0 if not chosen_set else 0.0
    hits = len(chosen_set & correct_set)
    false_picks = len(chosen_set - correct_set)
    return max(0.0, (hits - false_picks) / len(correct_set))


def score_matching(assignment: Mapping[str, str], key: Mapping[str, str]) -> float:
    """Matching: the share of items placed in their right category."""
    if not key:
        return 0.0
    right = sum(1 for item, category in key.items() if assignment.get(item) == category)
    return right / len(key)


def points(fraction: float, max_points: float) -> float:
    """Points for a fraction, rounded to hundredths so gradebook sums stay exact and readable."""
    return round(max(0.0, min(1.0, fraction)) * max_points, 2)
