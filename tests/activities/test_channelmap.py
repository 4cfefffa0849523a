"""The channel map of module 02: the pure logic per company, and the widget driven without a browser."""

from __future__ import annotations

import json

import pytest

from kommfit.activities.channelmap import (
    INTERNAL,
    ChannelMap,
    Message,
    Target,
    best_choices,
    channel_targets,
    check_messages,
    explain,
    share_right,
    show_voices,
    voices_html,
)
from kommfit.core.answers import AnswerStore
from kommfit.core.profile import default_profile_path, load_profile
from kommfit.quiz.kinds import QuizDefinitionError

from ..conftest import default_profile_text

DEFAULT = default_profile_text()

VIDEO = Message("n1", "Video: So entlüften Sie Ihre Heizkörper", "erklaervideos", "Anleitungen sind Erklärvideos.")
PORTRAIT = Message("n2", "Porträt einer Kollegin nach 25 Jahren", "mitarbeitende", "Menschen, die hier arbeiten.")
FIGURES = Message("n3", "Die Quartalszahlen vor der Veröffentlichung", INTERNAL, "Zahlen bleiben im Haus.")
MESSAGES = (VIDEO, PORTRAIT, FIGURES)

TARGETS = (
    Target("linkedin", "LinkedIn", ("fachthemen", "mitarbeitende")),
    Target("instagram", "Instagram", ("einblicke", "mitarbeitende")),
    Target("blog", "Blog", ()),
)


def without_youtube(text: str) -> str:
    start = text.index('[[kanaele]]\nname = "YouTube"')
    end = text.index("[[kanaele]]", start + 1)
    return text[:start] + text[end:]


def channel_map(store: AnswerStore) -> ChannelMap:
    return ChannelMap("m02-test-kanalkarte", "Wohin gehört was bei {firma_kurz}?", MESSAGES, store=store)


# ------------------------------------------------------------------------------------------------ pure logic
def test_targets_are_the_companys_channels_with_stable_ids():
    """Are the map's targets the profile's channels, in order, with ids made from their names?"""
    targets = channel_targets(load_profile(default_profile_path()))
    assert [t.id for t in targets] == ["linkedin", "instagram", "facebook", "youtube", "newsletter"]
    assert targets[3].topics == ("erklaervideos",)


def test_target_ids_stay_unique_and_never_collide_with_internal(tmp_path):
    """Do two channels with the same name, or one called 'Intern', still get distinct ids other than 'intern'?"""
    text = DEFAULT.replace('name = "Facebook"', 'name = "Instagram"', 1).replace('name = "YouTube"', 'name = "Intern"')
    path = tmp_path / "kurs.toml"
    path.write_text(text, encoding="utf-8")
    ids = [t.id for t in channel_targets(load_profile(path))]
    assert ids == ["linkedin", "instagram", "instagram-2", "intern-2", "newsletter"]


def test_a_topic_on_several_channels_fits_each_of_them():
    """Does a message fit every channel that lists its topic?"""
    assert best_choices(PORTRAIT, TARGETS) == {"linkedin", "instagram"}
    assert share_right({"n2": "instagram"}, [PORTRAIT], TARGETS) == 1.0


def test_a_topic_no_channel_covers_belongs_to_no_channel():
    """Is 'intern klären' right for a topic none of the company's channels covers, and for internal content?"""
    assert best_choices(VIDEO, TARGETS) == {INTERNAL}
    assert best_choices(FIGURES, TARGETS) == {INTERNAL}
    right, text = explain(VIDEO, INTERNAL, TARGETS)
    assert right and "keinen eigenen Kanal" in text and "{social_media}" in text


def test_feedback_names_what_the_chosen_channel_is_for_and_where_it_fits():
    """Does a wrong pick say what that channel is for and which channel fits instead?"""
    right, text = explain(PORTRAIT, "blog", TARGETS)
    assert not right
    assert "Für Blog legt das Firmenprofil keine Themen fest." in text
    assert "Passend bei {firma_kurz}: LinkedIn oder Instagram." in text
    right, text = explain(PORTRAIT, INTERNAL, TARGETS)
    assert not right and text.startswith("✗ Dafür hat {firma_kurz} einen eigenen Kanal.")
    right, text = explain(FIGURES, "linkedin", TARGETS)
    assert not right and "Fachbeiträge und Porträts von Mitarbeitenden" in text and "bleibt intern" in text


def test_share_right_counts_each_message_once():
    """Is the score the share of messages placed right, with missing messages counting as wrong?"""
    assert share_right({"n1": INTERNAL, "n2": "linkedin", "n3": "instagram"}, MESSAGES, TARGETS) == pytest.approx(2 / 3)
    assert share_right({}, MESSAGES, TARGETS) == 0.0


@pytest.mark.parametrize(
    "messages",
    [
        [VIDEO],
        [VIDEO, VIDEO],
        [VIDEO, Message("n9", "Text", "tiktok", "Erklärung")],
        [VIDEO, Message("n9", "Text", "tipps", " ")],
        [VIDEO, Message("n 9", "Text", "tipps", "Erklärung")],
    ],
)
def test_a_badly_written_map_is_refused_while_authoring(messages):
    """Are too few messages, duplicate ids, unknown topics, missing explanations and bad ids refused?"""
    with pytest.raises(QuizDefinitionError):
        check_messages("m02-test", messages)


# ------------------------------------------------------------------------------------------------ who speaks where
def test_voices_show_every_channel_as_the_companys_voice_and_own_profiles_as_ones_own():
    """Does the table name the social-media team for every official channel and the person for own profiles?"""
    profile = load_profile(default_profile_path())
    table = voices_html(profile)
    assert table.count("Social-Media-Team (Lea Hoffmann) – im Namen von Nordlicht") == len(profile.kanaele)
    assert all(c.adresse in table for c in profile.kanaele)
    assert "Sie selbst – als Privatperson" in table
    assert repr(show_voices()) == "<Wer spricht wo>"


# ------------------------------------------------------------------------------------------------ the widget
def test_each_pick_is_explained_at_once_but_saved_only_when_all_are_placed(store):
    """Does a pick show its feedback immediately, while nothing is written until every message has a place?"""
    widget = channel_map(store)
    widget._dropdowns["n1"].value = "linkedin"
    assert "kommfit-bad" in widget._row_feedback["n1"].value and "YouTube" in widget._row_feedback["n1"].value
    assert widget._row_feedback["n2"].value == ""
    assert widget.status.startswith("Noch 2 offen")
    assert not store.path.exists()


def test_the_first_save_keeps_the_first_choice_of_every_message(store):
    """If a participant corrects a pick before the map is complete, is the first choice still the first attempt?"""
    widget = channel_map(store)
    widget._dropdowns["n1"].value = "linkedin"
    widget._dropdowns["n1"].value = "youtube"
    widget._dropdowns["n2"].value = "instagram"
    widget._dropdowns["n3"].value = INTERNAL
    entry = json.loads(store.path.read_text(encoding="utf-8"))["answers"]["m02-test-kanalkarte"]
    assert entry["mode"] == "practice"
    assert entry["value"] == {"n1": "youtube", "n2": "instagram", "n3": INTERNAL} and entry["score"] == 1.0
    assert entry["first_attempt"]["value"]["n1"] == "linkedin"
    assert entry["first_attempt"]["score"] == pytest.approx(2 / 3)
    assert widget.status.startswith("Alle Nachrichten zugeordnet – gespeichert")
    assert "3 von 3 Nachrichten passen" in widget._feedback_html.value


def test_a_reopened_map_shows_the_saved_picks_and_keeps_the_first_attempt(store):
    """After a restart, are the picks and their feedback back, and does a later change leave the first attempt alone?"""
    first = channel_map(store)
    first.answer = {"n1": "facebook", "n2": "linkedin", "n3": INTERNAL}
    again = channel_map(store)
    assert again.answer == {"n1": "facebook", "n2": "linkedin", "n3": INTERNAL}
    assert "kommfit-bad" in again._row_feedback["n1"].value
    again._dropdowns["n1"].value = "youtube"
    entry = store.get("m02-test-kanalkarte")
    assert entry["value"]["n1"] == "youtube" and entry["first_attempt"]["value"]["n1"] == "facebook"
    assert entry["attempts"] == 2


def test_showing_the_map_and_grading_runs_write_nothing(store, monkeypatch):
    """Does building the map write nothing, and does a pick during nbgrader's run stay unsaved?"""
    widget = channel_map(store)
    assert not store.path.exists()
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    widget.answer = {"n1": "youtube", "n2": "linkedin", "n3": INTERNAL}
    assert not widget.submit() and not store.path.exists()


def test_a_company_without_videos_expects_intern_klaeren(store, company_profile):
    """For a company without a video channel, is the video message right under 'intern klären' – said gracefully?"""
    company_profile(without_youtube(DEFAULT))
    widget = channel_map(store)
    assert [t.id for t in widget.targets] == ["linkedin", "instagram", "facebook", "newsletter"]
    widget._dropdowns["n1"].value = INTERNAL
    assert "kommfit-good" in widget._row_feedback["n1"].value
    assert "keinen eigenen Kanal" in widget._row_feedback["n1"].value
    assert "Lea Hoffmann" in widget._row_feedback["n1"].value


def test_a_profile_without_any_topics_falls_back_to_the_example_company_with_a_notice(store, company_profile):
    """If no channel lists topics, does the map use the example company and ask to tell the facilitator?"""
    text = "\n".join(line for line in DEFAULT.splitlines() if not line.startswith("themen ="))
    company_profile(text.replace("Nordlicht Haustechnik GmbH", "Muster GmbH"))
    widget = channel_map(store)
    assert widget.targets[3].topics == ("erklaervideos",)
    header = widget.children[0].value
    assert "Schlüssel &#x27;themen&#x27;" in header and "Kursleitung" in header


def test_the_map_is_answered_like_every_question_and_describes_its_key(store):
    """Can reference submissions answer the map via answer + submit(), and does describe() carry the company's key?"""
    widget = channel_map(store)
    widget.answer = {"n1": "youtube", "n2": "instagram", "n3": INTERNAL}
    assert widget.submit()
    data = widget.describe()
    assert data["kind"] == "channelmap" and data["practice"] is True
    assert data["key"]["n2"] == ["instagram", "linkedin"] and data["key"]["n3"] == [INTERNAL]
    assert {c["id"] for c in data["categories"]} >= {"youtube", INTERNAL}
    assert repr(widget) == "<Kanalkarte 'm02-test-kanalkarte': 3 Nachrichten, Übung>"


def test_an_answer_with_an_unknown_channel_is_refused(store):
    """Is an answer naming a channel the company does not have refused with a German message?"""
    widget = channel_map(store)
    with pytest.raises(Exception, match="Ungültige Zuordnung"):
        widget.answer = {"n1": "tiktok"}
