"""The Kanal-Wegweiser of module 03: pure rules against the company profile, and a widget that saves nothing."""

from __future__ import annotations

import itertools
import tomllib

import pytest
from traitlets import TraitError

from kommfit.activities.wegweiser import AUDIENCES, ChannelGuide, Message, recommend, recommendation_html
from kommfit.core.profile import default_profile_path, load_profile, parse_profile
from kommfit.quiz.keyboard import CONTAINER_CLASS, KeyboardScope

DEFAULT = load_profile(default_profile_path())
FLAGS = ("urgent", "personal_data", "binding", "order_record")
ALL_MESSAGES = [
    Message(audience, **dict(zip(FLAGS, values, strict=True)))
    for audience in AUDIENCES
    for values in itertools.product([False, True], repeat=len(FLAGS))
]


def profile_with_tools(*tools: tuple[str, str]):
    """The default company, but with exactly the given internal tools as (name, kind)."""
    data = tomllib.loads(default_profile_path().read_text(encoding="utf-8"))
    data["werkzeuge"] = [{"name": name, "art": kind, "zweck": f"Zweck von {name}"} for name, kind in tools]
    return parse_profile(data)


def test_damage_photos_with_an_address_go_to_the_project_channel():
    """Do damage photos with a customer address for the project team go to the collaboration tool, with data hints?"""
    result = recommend(Message("team", personal_data=True), DEFAULT)
    assert (result.kind, result.tool.name) == ("kollaboration", "Teams")
    assert any("WhatsApp" in c for c in result.cautions)
    assert any(c.startswith("Nur so viel wie nötig") for c in result.cautions)


@pytest.mark.parametrize(
    ("message", "kind", "name"),
    [
        (Message("alle"), "intranet", "Nordlicht-Netz"),
        (Message("offen"), "forum", "Treffpunkt"),
        (Message("extern", binding=True), "email", "E-Mail (Outlook)"),
        (Message("person", order_record=True), "fachanwendung", "Service-App"),
        (Message("team"), "kollaboration", "Teams"),
        (Message("person", binding=True), "email", "E-Mail (Outlook)"),
    ],
)
def test_typical_messages_get_the_company_tool_meant_for_them(message, kind, name):
    """Does each typical message get the tool of the right kind, named as in the company profile?"""
    result = recommend(message, DEFAULT)
    assert (result.kind, result.tool.name) == (kind, name)


@pytest.mark.parametrize("message", [m for m in ALL_MESSAGES if m.personal_data and m.audience != "extern"])
def test_personal_data_never_goes_to_a_channel_for_everyone(message):
    """Do customer or personal data inside the company only ever go to the collaboration tool or the order system?"""
    result = recommend(message, DEFAULT)
    assert result.kind in ("kollaboration", "fachanwendung")
    assert len(result.cautions) >= 2


@pytest.mark.parametrize("message", ALL_MESSAGES, ids=repr)
def test_every_description_gets_a_tool_of_the_profile_and_a_reason(message):
    """Does every possible description get one of the company's tools and at least one German reason?"""
    result = recommend(message, DEFAULT)
    assert result.tool in DEFAULT.werkzeuge
    assert result.reasons and all(len(r) >= 40 for r in result.reasons)


def test_a_company_with_its_own_messenger_gets_it_for_a_quick_question():
    """Is the company's own messenger recommended for an urgent question to one person, without a fallback note?"""
    profile = profile_with_tools(("Nordchat", "chat"), ("Teams", "kollaboration"))
    result = recommend(Message("person", urgent=True), profile)
    assert (result.kind, result.tool.name) == ("chat", "Nordchat")
    assert not any("Im Firmenprofil steht kein" in r for r in result.reasons)


def test_a_missing_kind_falls_back_and_says_so():
    """Without a messenger in the profile, does the guide pick the collaboration tool and say why?"""
    result = recommend(Message("person", urgent=True), DEFAULT)
    assert result.tool.name == "Teams"
    assert "Im Firmenprofil steht kein Werkzeug der Art „Messenger“; diese Aufgabe übernimmt bei Nordlicht Teams." in (
        result.reasons
    )


def test_no_fitting_tool_points_to_people_who_know():
    """If no tool fits, is there no recommendation but a pointer to the manager and data protection?"""
    profile = profile_with_tools(("Nordlicht-Netz", "intranet"))
    result = recommend(Message("team", personal_data=True), profile)
    assert result.kind is None and result.tool is None
    assert "Datenschutzbeauftragter" in result.reasons[-1]
    assert "Kein passendes Werkzeug" in recommendation_html(result)


def test_html_escapes_what_the_profile_says():
    """Are tool names and purposes from the profile escaped in the shown HTML?"""
    profile = profile_with_tools(("<b>Intra</b>", "intranet"))
    text = recommendation_html(recommend(Message("alle"), profile))
    assert "&lt;b&gt;Intra&lt;/b&gt;" in text and "<b>Intra</b>" not in text


def test_an_unknown_audience_is_refused_in_german():
    """Is an audience outside the list refused with a German message, in the rules and in the widget?"""
    with pytest.raises(ValueError, match="Unbekannter Leserkreis"):
        Message("chef")
    with pytest.raises(TraitError, match="Ungültiger Leserkreis"):
        ChannelGuide().audience = "chef"


def test_guide_starts_empty_and_follows_clicks():
    """Does the guide start without a selection and show the recommendation as soon as the controls are clicked?"""
    guide = ChannelGuide()
    assert guide.audience is None and guide.recommendation is None
    assert "Wählen Sie oben" in guide._result.value
    guide._audience.value = "team"
    guide._boxes["personal_data"].value = True
    assert guide.message == Message("team", personal_data=True)
    assert "Empfehlung: Teams" in guide._result.value and "WhatsApp" in guide._result.value


def test_traits_and_controls_stay_in_step():
    """Does setting the traits (as tests and demos do) move the controls and the result the same way?"""
    guide = ChannelGuide()
    guide.audience = "offen"
    guide.binding = True
    assert guide._audience.value == "offen" and guide._boxes["binding"].value is True
    assert "Empfehlung: Treffpunkt" in guide._result.value
    guide.audience = None
    assert "Wählen Sie oben" in guide._result.value


@pytest.mark.parametrize("grading", [False, True])
def test_guide_writes_nothing(tmp_path, monkeypatch, grading):
    """Does building, showing and using the guide leave the module folder empty, also during grading?"""
    if grading:
        monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    guide = ChannelGuide()
    guide._repr_mimebundle_()
    guide._audience.value = "extern"
    guide._boxes["urgent"].value = True
    assert list(tmp_path.iterdir()) == []


def test_guide_is_keyboard_usable_and_has_a_stable_german_repr():
    """Does the guide carry the keyboard container class and scope, and a stable German repr?"""
    guide = ChannelGuide()
    assert CONTAINER_CLASS in guide._dom_classes
    assert any(isinstance(child, KeyboardScope) for child in guide.children)
    assert repr(guide) == "<Kanal-Wegweiser: interne Werkzeuge aus dem Firmenprofil>"


def test_a_broken_company_profile_shows_a_notice_and_the_guide_still_works(company_profile):
    """With a broken kurs.toml, does the guide show the German notice and recommend the default company's tools?"""
    company_profile("[firma]\nname = 1\n")
    guide = ChannelGuide()
    assert "Beispielunternehmen" in guide.children[0].value
    guide.audience = "alle"
    assert guide.recommendation.tool.name == "Nordlicht-Netz"
