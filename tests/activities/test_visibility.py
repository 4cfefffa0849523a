"""The visibility explorer of module 04: a pure model of who can see a post, and a widget that shows it."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from kommfit.activities.visibility import (
    BADGE_FILL,
    PERSONAL_CIRCLE,
    PUBLIC_COLOUR,
    SETTINGS,
    VisibilityError,
    VisibilityExplorer,
    VisibilityInputs,
    details_html,
    explore_visibility,
    german_count,
    visibility_chart,
)
from kommfit.core.answers import ANSWER_FILE_NAME

from .svg_reading import NS, contrast, parse, shapes, text_of, words


@pytest.mark.parametrize("key", list(SETTINGS))
def test_every_setting_ends_in_a_circle_without_limit(key):
    """However small the circle, is the outermost ring always 'no limit' (one screenshot is enough)?"""
    result = explore_visibility(VisibilityInputs(setting=key, passers_on=0))
    assert result.rings[-1].people is None
    assert any("Screenshot" in carrier for carrier in result.carriers)


def test_a_public_post_is_one_circle_without_limit():
    """Is a public post a single circle without limit, whatever the size control says?"""
    result = explore_visibility(VisibilityInputs(setting="oeffentlich", size=20, passers_on=5))
    assert [r.people for r in result.rings] == [None]
    assert result.verdict == "öffentlich"
    assert "ohne Grenze" in result.summary


def test_a_closed_group_counts_its_members_and_is_called_large():
    """Does a closed group of 2,000 count 2,000 direct viewers, call that a large circle and say it is not private?"""
    result = explore_visibility(VisibilityInputs(setting="gruppe", size=2000, passers_on=0))
    assert result.rings[0].people == 2000
    assert result.verdict == "ein großer Kreis"
    assert "2.000 Menschen" in result.summary and "Vertraulich ist das trotzdem nicht" in result.summary
    assert "Vertraulich heißt es nicht" in result.setting.note


def test_passing_on_adds_a_ring_of_personal_circles():
    """Do three people passing a chat message on add a ring of three personal circles?"""
    result = explore_visibility(VisibilityInputs(setting="messenger", size=8, passers_on=3))
    assert [r.people for r in result.rings] == [8, 3 * PERSONAL_CIRCLE, None]
    assert f"rund {german_count(3 * PERSONAL_CIRCLE)} mehr" in result.summary


def test_nobody_passing_it_on_leaves_out_the_middle_ring():
    """With nobody passing it on, are there only the direct circle and the ring without limit?"""
    result = explore_visibility(VisibilityInputs(setting="story", size=20, passers_on=0))
    assert [r.people for r in result.rings] == [20, None]
    assert "Weitergegeben" not in result.summary


def test_more_people_passing_it_on_never_reach_fewer():
    """Does a larger number of people passing it on never shrink the estimate?"""
    reached = [
        explore_visibility(VisibilityInputs(setting="kontakte", passers_on=n)).rings[1].people for n in range(1, 11)
    ]
    assert reached == sorted(reached)


def test_a_direct_message_is_one_person_and_at_most_one_passes_it_on():
    """Is a direct message seen by exactly one person, who alone can pass it on, whatever the size control says?"""
    result = explore_visibility(VisibilityInputs(setting="direkt", size=500, passers_on=7))
    assert [r.people for r in result.rings] == [1, PERSONAL_CIRCLE, None]
    assert "1 Person" in result.summary


def test_without_a_size_the_setting_uses_its_typical_size():
    """Without a size, does each adjustable setting use its own typical circle size?"""
    for key, setting in SETTINGS.items():
        if setting.size_adjustable:
            assert explore_visibility(VisibilityInputs(setting=key)).rings[0].people == setting.default_size


def test_employer_in_profile_names_the_company():
    """Does the employer note name the company only when the employer is in the profile?"""
    named = explore_visibility(VisibilityInputs(employer_in_profile=True, company="Nordlicht"))
    unnamed = explore_visibility(VisibilityInputs(employer_in_profile=False, company="Nordlicht"))
    assert "Nordlicht" in named.employer_note
    assert "Nordlicht" not in unnamed.employer_note and "keinen Arbeitgeber" in unnamed.employer_note


@pytest.mark.parametrize(
    "inputs",
    [VisibilityInputs(setting="geheim"), VisibilityInputs(passers_on=-1), VisibilityInputs(size=0)],
    ids=["unknown-setting", "negative-passers", "empty-circle"],
)
def test_impossible_inputs_are_refused_in_german(inputs):
    """Are an unknown setting, negative numbers and an empty circle refused with a German message?"""
    with pytest.raises(VisibilityError, match=r"Unbekannte Einstellung|Anzahlen"):
        explore_visibility(inputs)


def test_chart_draws_one_circle_per_ring_from_the_inside_out():
    """Does the SVG draw a circle per ring, bigger outwards, the ring without limit dashed, each in the legend with
    its number?"""
    result = explore_visibility(VisibilityInputs(setting="messenger", size=8, passers_on=3))
    root = parse(visibility_chart(result))
    circles = shapes(root, "circle")
    assert len(circles) == len(result.rings) == 3
    radii = [float(c.get("r")) for c in circles]  # drawn outer first, so the inner ones lie on top
    assert radii == sorted(radii, reverse=True)
    assert [c.get("stroke-dasharray") is not None for c in circles] == [True, False, False]
    assert len({(c.get("cx"), c.get("cy")) for c in circles}) == 1
    text = words(root)
    assert "Wer kann das sehen? – Nachricht in einer Messenger-Gruppe" in text
    assert "sehen es direkt: Mitglieder der Chatgruppe (8)" in text
    assert "bekommen es weitergereicht, geschätzt (450)" in text
    assert "möglich: alle – ein Screenshot genügt (ohne Grenze)" in text
    assert not any("Arbeitgeber" in line for line in text)


def test_a_public_post_is_one_warm_dashed_circle():
    """Is a public post drawn as a single dashed circle in the warm colour, with a legend entry 'ohne Grenze'?"""
    root = parse(visibility_chart(explore_visibility(VisibilityInputs(setting="oeffentlich"))))
    [circle] = shapes(root, "circle")
    assert circle.get("fill") == PUBLIC_COLOUR and circle.get("stroke-dasharray")
    assert "sehen es direkt: alle im Netz (ohne Grenze)" in words(root)


def test_chart_badge_names_the_employer_escaped_and_readable():
    """Does the badge name even a hostile company name as text, and is all text at least 4.5:1 on its ground?"""
    result = explore_visibility(VisibilityInputs(setting="gruppe", size=12000, passers_on=10))
    root = parse(visibility_chart(result, "Müller & <Söhne>"))
    assert "Arbeitgeber im Profil: Müller & <Söhne>" in words(root)
    assert "(12.000)" in " ".join(words(root))
    for text in root.iter(f"{NS}text"):
        ground = BADGE_FILL if "Arbeitgeber" in text_of(text) else "#ffffff"
        assert contrast(text.get("fill"), ground) >= 4.5, text_of(text)
    assert all(contrast(c.get("stroke"), "#ffffff") >= 3 for c in shapes(root, "circle"))  # every edge visible
    long_name = "Sanitär- und Heizungsbau " * 20
    long_chart = parse(visibility_chart(result, long_name))
    [badge] = [t for t in long_chart.iter(f"{NS}text") if "Arbeitgeber" in text_of(t)]
    lines = badge.findall(f"{NS}tspan")
    assert len(lines) == 3 and lines[-1].text.endswith("…")  # a long name stays inside the picture


def test_details_are_escaped_german_html():
    """Do the details list the circles and carriers as HTML, with company names escaped?"""
    result = explore_visibility(VisibilityInputs(setting="gruppe", company="Müller & <Söhne>"))
    text = details_html(result)
    assert "<table>" in text and "Was es weitertragen kann" in text
    table = ET.fromstring(text[text.index("<table>"):text.index("</table>") + len("</table>")])
    assert table.find("caption").text == "Die Kreise von innen nach außen:"
    assert [(th.get("scope"), th.text) for th in table.findall("thead/tr/th")] == [
        ("col", "Kreis"), ("col", "Menschen"), ("col", "Wie es dorthin")]
    assert [(r.find("th").get("scope"), r.find("td/b").text) for r in table.findall("tbody/tr")] == [
        ("row", "2.000"), ("row", "150"), ("row", "ohne Grenze")]
    assert "Müller &amp; &lt;Söhne&gt;" in text and "<Söhne>" not in text


def test_widget_follows_its_controls_and_writes_nothing(tmp_path):
    """Do the controls update summary, details and chart, and does using the widget write no answer file?"""
    explorer = VisibilityExplorer()
    assert explorer.company == "Nordlicht"
    assert explorer.summary.startswith("Beitrag nur für Kontakte oder Freunde")
    explorer.setting.value = "messenger"
    assert explorer.size.description == "Mitglieder" and explorer.size.value == 8
    explorer.passers_on.value = 3
    assert f"rund {german_count(3 * PERSONAL_CIRCLE)} mehr" in explorer.summary
    explorer.employer.value = False
    assert "keinen Arbeitgeber" in explorer.details.value
    assert explorer.chart.value == visibility_chart(explore_visibility(explorer.inputs()))
    assert "Mitglieder der Chatgruppe (8)" in " ".join(words(parse(explorer.chart.value)))
    assert not list(tmp_path.rglob(ANSWER_FILE_NAME + "*"))
    assert repr(explorer) == "<Sichtbarkeits-Explorer: Wer kann einen Beitrag sehen?>"


def test_widget_hides_the_size_where_it_is_fixed():
    """For a public post and a direct message, is the size control hidden, and one person passing on the maximum?"""
    explorer = VisibilityExplorer()
    explorer.setting.value = "oeffentlich"
    assert explorer.size.layout.display == "none"
    explorer.setting.value = "direkt"
    assert explorer.size.layout.display == "none" and explorer.passers_on.max == 1
    explorer.setting.value = "gruppe"
    assert explorer.size.layout.display is None and explorer.passers_on.max == 10
