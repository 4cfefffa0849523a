"""Accessible names, roles and text alternatives, on the Python side (the browser side: test_accessibility.py)."""

from __future__ import annotations

import pytest
from traitlets import TraitError

from kommfit.activities.reach import ReachExplorer
from kommfit.activities.svgchart import Svg
from kommfit.activities.visibility import VisibilityExplorer
from kommfit.quiz.access import Chart, FloatSlider, IntSlider, SelectionSlider, live, named_group, pressed_state

from ..factories import graded_matching, practice_multiple, practice_single


def test_an_int_slider_moves_in_steps_and_keeps_its_value_in_range():
    """Does the slider map the browser's position to the value (and back), snap to steps and follow a new max?"""
    slider = IntSlider(value=300, min=20, max=3000, step=10, description="Ihre Kontakte")
    assert (slider.count, slider.index, slider.readout) == (299, 28, "300")
    slider.index = 0  # what moving the native range input to the left end sends
    assert slider.value == 20 and slider.readout == "20"
    slider.value = 304
    assert slider.value == 300 and slider.index == 28
    passers = IntSlider(value=5, min=0, max=10)
    passers.max = 1
    assert passers.value == 1 and passers.count == 2


def test_float_and_selection_sliders_read_out_in_german():
    """Is a decimal read out with a comma and a selection with its option (thousands with a dot)?"""
    share = FloatSlider(value=2.0, min=0.0, max=10.0, step=0.5, readout_format=".1f")
    assert (share.count, share.index, share.readout) == (21, 4, "2,0")
    size = SelectionSlider(options=[2, 8, 300, 2000], value=300)
    size.index = 3
    assert size.value == 2000 and size.readout == "2.000"


def test_chart_carries_an_svg_and_its_text_alternative():
    """Does a chart hold SVG markup and its German description, and refuse anything that is not SVG (old PNG bytes,
    an HTML snippet)?"""
    svg = Svg(60, 30, "Liniendiagramm").render()
    chart = Chart(value=svg, alt="Liniendiagramm")
    assert chart.value == svg and chart.alt == "Liniendiagramm" and repr(chart) == "<Diagramm: Liniendiagramm>"
    assert "data:image/svg+xml" in Chart._esm and "img.alt" in Chart._esm
    for wrong in (b"\x89PNG", "<img src=x onerror=alert(1)>"):
        with pytest.raises((TraitError, ValueError)):
            Chart(value=wrong)


def test_markers_are_kommfit_classes():
    """Do the helpers put only kommfit's own classes on the widgets (turned into ARIA by KeyboardScope)?"""
    from ipywidgets import HTML, ToggleButtons, VBox

    assert set(named_group(VBox(), "prompt", "radiogroup")._dom_classes) == {
        "kommfit-role-radiogroup", "kommfit-named-by-prompt"}
    assert set(live(HTML())._dom_classes) == {"kommfit-live", "kommfit-role-status"}
    assert set(live(HTML(), status=False)._dom_classes) == {"kommfit-live"}
    assert "kommfit-pressed" in pressed_state(ToggleButtons(options=["a"]), "s")._dom_classes
    with pytest.raises(ValueError):
        named_group(VBox(), "prompt", "listbox")
    with pytest.raises(ValueError):
        named_group(VBox(), "two words")


@pytest.mark.parametrize("factory", [practice_single, practice_multiple, graded_matching])
def test_the_prompt_names_the_options_and_the_status_is_live(store, factory):
    """Is the question's prompt the name of its options' group, and are status and feedback live regions?"""
    question = factory(store)
    assert "kommfit-name-prompt" in question._prompt_html._dom_classes
    assert "kommfit-named-by-prompt" in question._inputs._dom_classes
    assert "kommfit-live" in question._status_html._dom_classes
    assert "kommfit-live" in question._feedback_html._dom_classes


def test_a_matching_dropdown_is_labelled_by_its_item(store):
    """Is each item's text the description (<label for>) of its own dropdown?"""
    question = graded_matching(store)
    for item in question.items:
        dropdown = question._dropdowns[item.id]
        assert dropdown.description == question.fill(item.text) and dropdown.description_allow_html


def test_explorer_charts_say_what_they_show():
    """Do the charts of modules 01 and 04 carry a German description that follows the controls?"""
    reach = ReachExplorer()
    assert reach.chart.alt.startswith("Liniendiagramm") and "Nach 3 Runden" in reach.chart.alt
    reach.rounds.value = 5
    assert "Nach 5 Runden" in reach.chart.alt
    assert reach.chart.value.startswith("<svg") and "Wie weit trägt eine Äußerung?" in reach.chart.value
    visibility = VisibilityExplorer()
    assert visibility.chart.alt.startswith("Kreisdiagramm") and visibility.chart.value.startswith("<svg")
    assert "Arbeitgeber im Profil: Nordlicht" in visibility.chart.alt
    visibility.employer.value = False
    assert "Arbeitgeber" not in visibility.chart.alt
