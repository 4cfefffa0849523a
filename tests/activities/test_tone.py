"""The writing hints of modules 07 and 08: invitation or pressure, first person, dialogue."""

from __future__ import annotations

import pytest

from kommfit.activities.tone import (
    RULES,
    ToneCoach,
    check_text,
    find_pressure,
    invites_dialogue,
    offers_help,
    says_voluntary,
    sentences,
    writes_first_person,
)
from kommfit.core.answers import AnswerStore
from kommfit.quiz.kinds import FreeText

PUSHY = (
    "Liebe Kolleginnen und Kollegen, bitte teilt alle bis Freitag den Beitrag zur Aktion. "
    "Ich schaue nach, wer noch nicht geteilt hat. Die Aktivsten bekommen eine Prämie."
)
INVITING = (
    "Wer mag, kann den Beitrag zur Aktion teilen – ganz freiwillig, es gibt keine Rangliste. "
    "Bei Fragen hilft Ihnen das Social-Media-Team gern."
)
MANAGER_POST = (
    "Ich leite seit drei Jahren den Kundendienst und bin ab heute auch hier. Mich beeindruckt jeden Tag, wie unsere "
    "Technikerinnen und Techniker im Winter Heizungen retten. Was möchten Sie über unsere Arbeit wissen?"
)


def test_pushy_message_names_every_kind_of_pressure():
    """Does a message with a call to everyone, a deadline, control and a prize show each of them, in reading order?"""
    assert [kind for kind, _phrase in find_pressure(PUSHY)] == [
        "Aufforderung an alle",
        "Frist",
        "Kontrolle",
        "Belohnung",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Niemand muss mitmachen, und es gibt keine Pflicht.",
        "Es gibt keine Rangliste und keine Kontrolle.",
        "Sie müssen nicht mitmachen.",
        "Ich freue mich, wenn Sie alle mir auf LinkedIn folgen.",
        "Ich werde hier alle zwei Wochen posten.",
        "Ich muss gestehen: Ich bin neu auf LinkedIn.",
        "Ich sehe jeden Tag, wer bei Frost um sechs Uhr zur Kundschaft fährt.",
        "Teilen Sie ihn gern mit eigenen Worten, nicht wortgleich.",
    ],
)
def test_negations_and_invitations_are_not_pressure(text):
    """Are negated duties, a soft invitation to everyone and the writer's own 'muss' left alone?"""
    assert find_pressure(text) == []


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Ich erwarte, dass mein Team meine Beiträge teilt.", "Erwartung"),
        ("Die Teilnahme ist verbindlich.", "Pflicht"),
        ("Alle müssen den Beitrag liken.", "Muss"),
        ("Ich sehe mir an, wer noch nicht kommentiert hat.", "Kontrolle"),
        ("Für jeden geteilten Beitrag gibt es Punkte für die Rangliste.", "Rangliste"),
        ("Unter allen, die teilen, verlosen wir ein Tablet.", "Belohnung"),
        ("Social Media kommt in die Zielvereinbarung.", "Zielvereinbarung"),
        ("Die drei Aktivsten bekommen einen Tankgutschein.", "Belohnung"),
        ("Bitte postet den Text unverändert.", "Vorgeschriebener Wortlaut"),
        ("Ich schaue mir am Montag an, wer dabei war.", "Kontrolle"),
    ],
)
def test_each_kind_of_pressure_is_found(text, kind):
    """Is each kind of pressure — expectation, duty, must, control, ranking, prize, target, set wording — recognised?"""
    assert kind in [k for k, _phrase in find_pressure(text)]


def test_control_stays_control_despite_its_own_negation():
    """Does 'wer noch nicht geteilt hat' count as control although it contains 'nicht'?"""
    assert find_pressure("Ich schaue nach, wer noch nicht geteilt hat.") == [("Kontrolle", "wer noch nicht geteilt")]


def test_a_phrase_is_reported_once():
    """Is the same phrase, written twice, reported only once?"""
    assert len(find_pressure("Bis Freitag bitte. Wirklich: bis Freitag.")) == 1


def test_positive_signals():
    """Are voluntariness, help, dialogue and the first person recognised — and their absence too?"""
    assert says_voluntary(INVITING) and offers_help(INVITING)
    assert not says_voluntary(PUSHY) and not offers_help(PUSHY)
    assert invites_dialogue(MANAGER_POST) and writes_first_person(MANAGER_POST)
    assert not invites_dialogue("Unser Unternehmen ist Marktführer.")
    assert not writes_first_person("Unser Unternehmen ist Marktführer.")
    assert says_voluntary("Sie müssen aber nicht.") and says_voluntary("Das ist ganz Ihre Entscheidung.")


def test_sentences_split_at_ends_and_line_breaks():
    """Is a text split at sentence ends and line breaks, without empty pieces?"""
    assert sentences("Hallo Team!\nWer mag? Gern.\n\n") == ["Hallo Team!", "Wer mag?", "Gern."]


def test_check_text_keeps_the_rule_order_and_carries_evidence():
    """Does check_text report the rules in the order given, with the pressure phrases as evidence?"""
    findings = check_text(PUSHY, ["freiwillig", "ohne_druck", "hilfe"])
    assert [f.rule for f in findings] == ["freiwillig", "ohne_druck", "hilfe"]
    assert [f.passed for f in findings] == [False, False, False]
    assert "„bis Freitag“ (Frist)" in findings[1].evidence


def test_length_rule_uses_the_minimum():
    """Does the length rule pass from the given number of words on?"""
    assert check_text("eins zwei drei", ["laenge"], min_words=3)[0].passed
    assert not check_text("eins zwei", ["laenge"], min_words=3)[0].passed


def test_coach_scores_the_share_of_rules_met():
    """Is the feedback share the share of rules met: 1 for a good invitation, 0 for a pushy or empty text?"""
    coach = ToneCoach(["freiwillig", "hilfe", "ohne_druck"])
    assert coach.share(INVITING) == 1.0
    assert coach.share(PUSHY) == 0.0
    assert coach.share("   ") == 0.0
    assert coach.share("Wer mag, macht mit. Bis Freitag bitte.") == pytest.approx(1 / 3)


def test_coach_hints_explain_what_they_look_for_before_anything_is_typed():
    """Does an empty field show what the tips look for, and a draft show ✓ or a suggestion per rule?"""
    coach = ToneCoach(["ich_form", "dialog"])
    assert "Die Tipps achten darauf" in coach.hints("") and RULES["dialog"].label in coach.hints("")
    hints = coach.hints("Ich bin neu hier.")
    assert "✓" in hints and RULES["dialog"].advice.split(":")[0] in hints


def test_coach_escapes_what_participants_type():
    """Is typed HTML shown as text, never run as markup?"""
    hints = ToneCoach(["ohne_druck"]).hints("<script>x</script> Das ist Pflicht.")
    assert "<script>" not in hints and "Pflicht" in hints


def test_coach_feedback_shows_the_example_with_company_placeholders_filled():
    """Does the feedback carry a verdict, the example text with the company's contact filled in, and a caution?"""
    coach = ToneCoach(["freiwillig"], example="Fragen? {social_media} hilft gern.")
    share, feedback = coach.feedback("Ganz freiwillig.")
    assert share == 1.0
    assert "Ihr Text lädt ein" in feedback and "Social-Media-Team (Lea Hoffmann) hilft gern." in feedback
    assert "achten nur auf Wörter" in feedback
    assert "✗" in coach.feedback("Das ist Pflicht.")[1]


def test_unknown_rules_are_an_author_error():
    """Does a coach with an unknown or no rule refuse to be built?"""
    with pytest.raises(ValueError, match="unknown"):
        ToneCoach(["hoeflich"])
    with pytest.raises(ValueError):
        ToneCoach([])


def test_repr_is_stable_and_german():
    """Is the coach's text form short and stable (notebook outputs compare equal)?"""
    assert repr(ToneCoach(["ich_form", "dialog"])) == "<Schreibtipps: ich_form, dialog>"


def test_coach_drives_a_practice_free_text(tmp_path):
    """Do the hints appear while typing and the feedback on 'Antwort prüfen', with the share recorded?"""
    store = AnswerStore.in_folder(tmp_path)
    coach = ToneCoach(["freiwillig", "hilfe", "ohne_druck"])
    question = FreeText("t1", "Ihre Einladung", hints=coach.hints, feedback=coach.feedback, practice=True, store=store)
    question._text.value = PUSHY
    assert "Frist" in question._hints_html.value and question._feedback_html.value == ""
    question._button.click()
    assert "✗" in question._feedback_html.value
    assert store.get("t1")["first_attempt"]["score"] == 0.0
