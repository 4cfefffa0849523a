"""The tiny SVG builder behind the explorers' charts: well-formed, escaped, readable on any theme, sound log scale."""

from __future__ import annotations

import pytest

from kommfit.activities.svgchart import LogScale, Svg, number, wrap

from .svg_reading import NS, parse, shapes, words


def test_text_and_title_are_escaped_so_hostile_words_stay_words():
    """Do '<', '&' and quotes in a label or the title end up as text, never as markup?"""
    svg = Svg(100, 50, 'Müller & <Söhne> "GmbH"')
    svg.text(10, 20, ['<script>alert(1)</script>', "a & b"])
    svg.rect(0, 0, 5, 5, fill='red" onload="x')
    root = parse(svg.render())
    assert root.find(f"{NS}title").text == 'Müller & <Söhne> "GmbH"'
    assert words(root) == ["<script>alert(1)</script> a & b"]
    assert not shapes(root, "script")
    assert shapes(root, "rect")[-1].get("fill") == 'red" onload="x' and shapes(root, "rect")[-1].get("onload") is None


def test_the_drawing_has_an_opaque_white_background_and_its_size():
    """Is the first shape a white rectangle over the whole drawing (dark text stays readable in a dark theme)?"""
    root = parse(Svg(640, 340, "Titel").render())
    background = shapes(root, "rect")[0]
    assert (background.get("width"), background.get("height"), background.get("fill")) == ("640", "340", "#ffffff")
    assert (root.get("viewBox"), root.get("role"), root.get("aria-label")) == ("0 0 640 340", "img", "Titel")


def test_lines_of_a_text_are_tspans_below_each_other():
    svg = Svg(100, 100, "t")
    svg.text(5, 10, ["eins", "zwei"], size=10, line_height=1.5)
    spans = shapes(parse(svg.render()), "tspan")
    assert [(s.get("x"), s.get("dy"), s.text) for s in spans] == [("5", "0", "eins"), ("5", "15", "zwei")]


@pytest.mark.parametrize(("value", "shown"), [(1.0, "1"), (2.5, "2.5"), (1 / 3, "0.33"), (-0.001, "0"), (120.0, "120")])
def test_coordinates_are_short_and_use_a_point(value, shown):
    assert number(value) == shown


def test_wrap_keeps_lines_short_even_for_one_long_word():
    assert all(len(line) <= 10 for line in wrap("Sanitärinstallationsfachbetrieb GmbH", 10))
    assert wrap("", 10) == [""]


def test_log_scale_maps_decades_to_equal_distances():
    """Is 10 → 100 as far as 100 → 1000, with the ends of the range at the ends of the axis (upwards)?"""
    scale = LogScale(10, 1000, 300, 100)
    assert scale(10) == pytest.approx(300) and scale(1000) == pytest.approx(100) and scale(100) == pytest.approx(200)
    assert scale.ticks() == [10, 100, 1000]


def test_log_scale_ticks_within_one_decade_and_over_many():
    """Does a narrow range still get 1-2-5 ticks, and a huge one at most six powers of ten?"""
    assert LogScale(12, 95, 0, 1).ticks() == [20, 50]
    many = LogScale(10, 1e16, 0, 1).ticks()
    assert 2 <= len(many) <= 6 and all(str(int(t)).rstrip("0") == "1" for t in many)
    assert LogScale(90, 90, 0, 1).ticks()  # a single value still gets numbers on its axis
