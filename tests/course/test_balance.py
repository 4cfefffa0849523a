"""The Abschluss-Check measures understanding: no naive guessing strategy beats (or trails) blind guessing by much."""

from __future__ import annotations

from collections import Counter

import pytest

from kommfit.core.profile import default_profile_path, load_profile
from kommfit.course.balance import (
    MAX_ADVANTAGE,
    POSITION_SHARE,
    STRATEGIES,
    GradedItem,
    course_balance,
    key_positions,
    module_scores,
)

from ..conftest import REPO_ROOT

BALANCE = course_balance(REPO_ROOT / "source", load_profile(default_profile_path()))


@pytest.mark.parametrize("module", BALANCE, ids=[m.module_id for m in BALANCE])
def test_no_guessing_strategy_is_far_from_blind_guessing(module):
    """Longest, shortest, first, last option, and ticking all or none: each within 10 points of blind guessing?"""
    blind = module.scores["blind"]
    off = {s: round(100 * (v - blind)) for s, v in module.scores.items() if abs(v - blind) > MAX_ADVANTAGE}
    assert not off, f"{module.module_id}: blind {round(100 * blind)} %, off by (percentage points) {off}"


def test_key_positions_are_balanced_across_the_course():
    """Does every position (a–d) hold 20–35 % of the keys, in single and in multiple choice (graded and practice)?"""
    low, high = POSITION_SHARE
    items = [item for module in BALANCE for item in module.items + module.practice]
    for kind, shares in key_positions(items).items():
        assert all(low <= share <= high for share in shares.values()), f"{kind}: {shares}"


def test_multiple_choice_items_differ_in_their_number_of_keys():
    """Is "exactly two right" not a rule a participant could learn from the graded multiple-choice items?"""
    counts = Counter(len(item.key) for module in BALANCE for item in module.items if item.kind == "multiple")
    assert len(counts) >= 2 and max(counts.values()) <= 0.6 * sum(counts.values()), counts


def test_the_good_choice_of_a_scene_is_not_always_in_the_same_place():
    """In every branching scene, does the good choice move between the buttons (author's order)?"""
    for module in BALANCE:
        for scene_id, positions in module.scenes.items():
            assert Counter(positions).most_common(1)[0][1] <= len(positions) / 2, (scene_id, positions)


def _single(key: str, lengths: tuple[int, ...]) -> GradedItem:
    return GradedItem("x", "single", 1.0, ("a", "b", "c"), lengths, key)


def test_the_measure_catches_a_check_whose_key_is_always_longest_and_first():
    """Self-test: a check written the old way (key first and longest) fails, a balanced one passes."""
    biased = module_scores([_single("a", (90, 60, 60)) for _ in range(6)])
    assert biased["longest"] == 1.0 and biased["first"] == 1.0 and biased["shortest"] == 0.0
    assert biased["blind"] == pytest.approx(1 / 3)
    balanced = module_scores(
        [_single(key, lengths) for key, lengths in [("a", (9, 6, 3)), ("b", (9, 6, 3)), ("c", (9, 6, 3))]]
    )
    assert all(abs(balanced[s] - balanced["blind"]) <= MAX_ADVANTAGE for s in STRATEGIES if s not in ("all", "none"))


def test_multiple_choice_strategies_follow_the_scoring_rule():
    """Ticking everything earns nothing when half the options are wrong; ticking nothing earns nothing."""
    item = GradedItem("y", "multiple", 2.0, ("a", "b", "c", "d"), (5, 5, 5, 5), frozenset({"a", "c"}))
    scores = module_scores([item])
    assert scores["all"] == 0.0 and scores["none"] == 0.0
    assert scores["first"] == 0.5 and scores["last"] == 0.0
