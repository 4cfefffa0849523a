"""The reach estimate of module 01: a pure model, an HTML table and an SVG chart, and the widget that shows them."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET

import pytest

from kommfit.activities.reach import (
    ONLINE_COLOUR,
    TABLE_COLOUR,
    ReachExplorer,
    ReachInputs,
    axis_number,
    estimate_reach,
    reach_chart,
    summary_text,
    table_html,
)

from .svg_reading import NS, contrast, parse, shapes, text_of, words


def test_default_estimate_matches_the_model_by_hand():
    """Does the default estimate equal the numbers worked out by hand (15 at the table, 90 → 1,068 online)?"""
    rounds = estimate_reach(ReachInputs())
    assert [r.round_no for r in rounds] == [0, 1, 2, 3]
    assert [r.table_total for r in rounds] == [15, 24, 29, 33]
    # 300 contacts, 30 % see it = 90; each round: 90 * 2 % share * 300 contacts * 30 % see = 1.8x
    assert [r.online_new for r in rounds] == [90, 162, 292, 525]
    assert rounds[-1].online_total == 1068


def test_more_sharing_never_reaches_fewer_people():
    """Does a higher share rate or more contacts never lower the online reach?"""
    low = estimate_reach(ReachInputs(share_rate=0.01))[-1].online_total
    high = estimate_reach(ReachInputs(share_rate=0.05))[-1].online_total
    assert high > low
    assert estimate_reach(ReachInputs(contacts=1000))[0].online_total == 300


def test_nobody_sharing_keeps_the_reach_at_the_first_circle():
    """With nobody sharing, does the post reach only the contacts who see it?"""
    rounds = estimate_reach(ReachInputs(share_rate=0.0, rounds=4))
    assert {r.online_total for r in rounds} == {90}


def test_summary_is_german_with_thousands_separators():
    """Is the summary a German sentence with German number formatting?"""
    text = summary_text(estimate_reach(ReachInputs(contacts=3000, see_share=1.0, share_rate=0.05, rounds=3)))
    assert text.startswith("Nach 3 Runden: Stammtisch etwa 33 Menschen, online etwa ")
    assert "." in text.split("online etwa ")[1].split(" ")[0]


def test_table_is_accessible_html_with_german_numbers():
    """Does the table have a caption, column and row headers and the numbers of each round in German format?"""
    table = ET.fromstring(table_html(estimate_reach(ReachInputs())))
    assert table.find("caption").text == "Erreichte Menschen je Runde (geschätzt)"
    columns = table.findall("thead/tr/th")
    assert [th.text for th in columns] == ["Runde", "Stammtisch neu", "Stammtisch gesamt", "Online neu",
                                          "Online gesamt"]
    assert {th.get("scope") for th in columns} == {"col"}
    rows = table.findall("tbody/tr")
    assert [(r.find("th").get("scope"), r.find("th").text) for r in rows] == [("row", str(n)) for n in range(4)]
    assert [td.text for td in rows[-1].findall("td")] == ["3", "33", "525", "1.068"]


def test_chart_is_svg_with_title_axes_legend_and_log_scale():
    """Does the SVG show the title, both axis labels, the legend and German tick labels of a log scale?"""
    root = parse(reach_chart(estimate_reach(ReachInputs())))
    text = words(root)
    assert root.find(f"{NS}title").text == "Wie weit trägt eine Äußerung?"
    for label in ("Wie weit trägt eine Äußerung?", "Stammtisch", "Beitrag online",
                  "Runde des Weitererzählens bzw. Teilens", "erreichte Menschen (gesamt)", "0", "1", "2", "3"):
        assert label in text
    assert "100" in text and "1.000" in text  # powers of ten: a log scale, German thousands


def test_chart_points_follow_the_numbers_on_a_log_scale():
    """Is each line's point higher the more people it stands for, with equal ratios at equal distances?"""
    rounds = estimate_reach(ReachInputs(share_rate=0.0, contacts=1000, see_share=1.0, rounds=2))  # online: 1000 flat
    root = parse(reach_chart(rounds))
    lines = {line.get("stroke"): line.get("points") for line in shapes(root, "polyline")}
    assert set(lines) == {TABLE_COLOUR, ONLINE_COLOUR}
    table_y = [float(p.split(",")[1]) for p in lines[TABLE_COLOUR].split()]
    online_y = [float(p.split(",")[1]) for p in lines[ONLINE_COLOUR].split()]
    assert len(table_y) == len(online_y) == 3
    assert table_y[0] > table_y[1] > table_y[2]  # 15 → 24 → 29: rising (SVG's y grows downwards)
    assert len(set(online_y)) == 1 and online_y[0] < table_y[-1]  # 1,000 flat, above the table
    y_of = {text_of(t): float(t.get("y")) for t in root.iter(f"{NS}text") if t.get("text-anchor") == "end"}
    assert y_of["1.000"] - 4 == pytest.approx(online_y[0], abs=0.02)  # 1,000 sits on its tick (label baseline +4)
    decade = y_of["100"] - y_of["1.000"]  # pixels from 100 to 1,000
    assert table_y[0] - (y_of["100"] - 4) == pytest.approx(decade * math.log10(100 / 15), abs=0.05)  # 15 people


def test_chart_colours_are_readable():
    """Is all text at least 4.5:1 on the white ground, and are the two lines at least 3:1 (and different)?"""
    root = parse(reach_chart(estimate_reach(ReachInputs())))
    assert shapes(root, "rect")[0].get("fill") == "#ffffff"
    for text in root.iter(f"{NS}text"):
        assert contrast(text.get("fill"), "#ffffff") >= 4.5, text_of(text)
    for line in shapes(root, "polyline"):
        assert contrast(line.get("stroke"), "#ffffff") >= 3
    assert TABLE_COLOUR != ONLINE_COLOUR


def test_huge_estimates_get_short_german_axis_labels():
    """Do the sliders' extremes give readable axis labels (millions in words) and a well-formed chart?"""
    extreme = ReachInputs(contacts=3000, see_share=1.0, share_rate=0.1, contacts_per_sharer=3000, rounds=5)
    text = words(parse(reach_chart(estimate_reach(extreme))))
    assert any(label.endswith(("Mio.", "Mrd.", "Bio.", "Billiarde", "Billiarden")) for label in text)
    assert [axis_number(v) for v in (100, 1000, 10**6, 10**7, 10**9, 2 * 10**12, 10**15, 10**16)] == [
        "100", "1.000", "1.000.000", "10 Mio.", "1 Mrd.", "2 Bio.", "1 Billiarde", "10 Billiarden"]


def test_sliders_update_table_and_chart():
    """Do slider changes update the summary, table and chart?"""
    explorer = ReachExplorer()
    before = (explorer.summary.value, explorer.table.value, explorer.chart.value)
    explorer.share_rate.value = 8.0
    after = (explorer.summary.value, explorer.table.value, explorer.chart.value)
    assert all(b != a for b, a in zip(before, after, strict=True))
    assert "<caption" in explorer.table.value and parse(explorer.chart.value) is not None
    assert explorer.chart.value == reach_chart(estimate_reach(explorer.inputs()))
    assert repr(explorer) == "<Reichweiten-Schätzer: Stammtisch und online>"


@pytest.mark.parametrize("rounds", [1, 5])
def test_rounds_set_the_table_length(rounds):
    """Does the number of rounds decide how many rows the table and points the chart has?"""
    result = estimate_reach(ReachInputs(rounds=rounds))
    assert len(result) == rounds + 1
    assert len(ET.fromstring(table_html(result)).findall("tbody/tr")) == rounds + 1
    assert all(len(p.get("points").split()) == rounds + 1 for p in shapes(parse(reach_chart(result)), "polyline"))
