"""The reach estimate of module 01: a pure model and a widget that draws it."""

from __future__ import annotations

import pytest

from kommfit.activities.reach import ReachExplorer, ReachInputs, estimate_reach, reach_chart, summary_text


def test_default_estimate_matches_the_model_by_hand():
    """Does the default estimate equal the numbers worked out by hand (15 at the table, 90 → 1,068 online)?"""
    table = estimate_reach(ReachInputs())
    assert list(table.index) == [0, 1, 2, 3]
    assert list(table["Stammtisch gesamt"]) == [15, 24, 29, 33]
    # 300 contacts, 30 % see it = 90; each round: 90 * 2 % share * 300 contacts * 30 % see = 1.8x
    assert list(table["Online neu"]) == [90, 162, 292, 525]
    assert table["Online gesamt"].iloc[-1] == 1068


def test_more_sharing_never_reaches_fewer_people():
    """Does a higher share rate or more contacts never lower the online reach?"""
    low = estimate_reach(ReachInputs(share_rate=0.01))["Online gesamt"].iloc[-1]
    high = estimate_reach(ReachInputs(share_rate=0.05))["Online gesamt"].iloc[-1]
    assert high > low
    assert estimate_reach(ReachInputs(contacts=1000))["Online gesamt"].iloc[0] == 300


def test_nobody_sharing_keeps_the_reach_at_the_first_circle():
    """With nobody sharing, does the post reach only the contacts who see it?"""
    table = estimate_reach(ReachInputs(share_rate=0.0, rounds=4))
    assert set(table["Online gesamt"]) == {90}


def test_summary_is_german_with_thousands_separators():
    """Is the summary a German sentence with German number formatting?"""
    text = summary_text(estimate_reach(ReachInputs(contacts=3000, see_share=1.0, share_rate=0.05, rounds=3)))
    assert text.startswith("Nach 3 Runden: Stammtisch etwa 33 Menschen, online etwa ")
    assert "." in text.split("online etwa ")[1].split(" ")[0]


def test_chart_is_a_png():
    """Is the chart rendered to PNG bytes without needing a display?"""
    assert reach_chart(estimate_reach(ReachInputs())).startswith(b"\x89PNG")


def test_sliders_update_table_and_chart():
    """Do slider changes update the summary, table and chart?"""
    explorer = ReachExplorer()
    before = explorer.summary.value
    explorer.share_rate.value = 8.0
    assert explorer.summary.value != before
    assert "<table" in explorer.table.value and bytes(explorer.chart.value).startswith(b"\x89PNG")
    assert repr(explorer) == "<Reichweiten-Schätzer: Stammtisch und online>"


@pytest.mark.parametrize("rounds", [1, 5])
def test_rounds_set_the_table_length(rounds):
    """Does the number of rounds decide how many rows the table has?"""
    assert len(estimate_reach(ReachInputs(rounds=rounds))) == rounds + 1
