"""The CRM note checker of module 09: useful parts in, sensitive and needless data out, short — and a grader that
never fails."""

from __future__ import annotations

import pytest

from kommfit.activities.crmnote import (
    AVOID,
    MAX_NOTE_LENGTH,
    RULES,
    USEFUL,
    check_note,
    grade_crm_note,
    length_hint,
    note_feedback,
    note_hints,
    note_score,
)
from kommfit.quiz.kinds import FreeText

GOOD_NOTE = (
    "Kundin begeistert von der schnellen Reparatur der Wärmepumpe, lobt die gute Erklärung. Karte mit QR-Code zu "
    "Kanälen und Newsletter mitgegeben, meldet sich selbst an. Einverstanden, dass das Social-Media-Team anruft."
)
CHATTY_NOTE = (
    "Frau Krüger, nett aber etwas verwirrt, kam gerade nach ihrer Hüft-OP aus dem Krankenhaus. Ihr Sohn meldet "
    "sich nie. Handy 0171 2345678. Habe sie für den Newsletter eingetragen."
)
REQUIRED = ["begeistert", "gefallen", "einwilligung"]


def found(text: str) -> set[str]:
    """Ids of the rules to avoid that a text breaks."""
    return {f.rule for f in check_note(text) if f.kind == "avoid" and not f.ok}


def present(text: str) -> set[str]:
    """Ids of the useful parts a text contains."""
    return {f.rule for f in check_note(text) if f.kind == "useful" and f.ok}


def graded_note(store, question_id: str = "a5") -> FreeText:
    return FreeText(question_id, "Ihre CRM-Notiz zu Herrn Obermaier", max_length=600, store=store)


def test_a_sparse_useful_note_is_complete_and_clean():
    """Does a short note with enthusiasm, what was liked and the consent meet every rule and score 1?"""
    findings = check_note(GOOD_NOTE)
    assert present(GOOD_NOTE) == set(USEFUL)
    assert not found(GOOD_NOTE)
    assert note_score(findings) == 1.0
    assert [f.rule for f in findings] == [*USEFUL, *AVOID, "laenge"]


@pytest.mark.parametrize(
    ("rule", "text"),
    [
        ("gesundheit", "Kommt gerade aus der Reha nach dem Schlaganfall."),
        ("familie", "Ihr Mann ist letztes Jahr verstorben, die Tochter wohnt in Kiel."),
        ("religion", "Geht jeden Sonntag in die Kirche, sehr gläubig."),
        ("politik", "Sitzt für eine Partei im Stadtrat und schimpft auf das Heizungsgesetz."),
        ("klatsch", "Der Nachbar ist angeblich pleite."),
        ("kontaktdaten", "Privat erreichbar unter ingrid.k@example.org"),
        ("kontaktdaten", "Rückruf bitte unter 0451 98 76-54."),
        ("urteil", "Etwas anstrengend, redet viel und ist pingelig."),
        ("gegenleistung", "10 % Rabatt auf die nächste Wartung für 5 Sterne bei Google versprochen."),
        ("fremdanmeldung", "Habe ihre E-Mail für den Newsletter eingetragen."),
        ("fremdanmeldung", "E-Mail-Adresse für den Newsletter notiert, trage sie morgen ein."),
    ],
)
def test_each_kind_of_needless_or_sensitive_data_is_found(rule, text):
    """Is each kind of data that has no place in the note recognised in a typical sentence?"""
    assert rule in found(text)


@pytest.mark.parametrize(
    "text",
    [
        GOOD_NOTE,
        "Familie Obermaier ist von Herzen dankbar für die leise Wärmepumpe; möchte keinen Anruf.",
        "Sehr freundlicher Empfang, Kunde lobt den pünktlichen Termin. Will dem YouTube-Kanal folgen.",
        "Hat sich gleich selbst für den Newsletter angemeldet.",
        "Heizkörper im Kinderzimmer getauscht, Kundin zufrieden. Ich glaube, sie folgt uns auf Instagram.",
        "10 % Rabatt auf die nächste Wartung laut Wartungsvertrag eingetragen.",
    ],
)
def test_ordinary_service_notes_raise_no_false_alarm(text):
    """Do everyday words of a service note (Familie X, von Herzen, freundlich, Kinderzimmer, Rabatt laut Vertrag)
    stay clear of the rules for sensitive data?"""
    assert not found(text)


def test_consent_counts_only_together_with_its_topic():
    """Does 'möchte' count as consent only in a sentence about channels, newsletter or contact?"""
    assert "einwilligung" not in present("Möchte einen Kaffee. Newsletter erwähnt.")
    assert "einwilligung" in present("Möchte den Newsletter.")
    assert "einwilligung" in present("Kein Anruf vom Team erwünscht.")


def test_a_note_that_signs_up_for_herself_is_no_sign_up_for_others():
    """Is a customer who signs up herself told apart from a technician who signs her up?"""
    assert "fremdanmeldung" not in found("Meldet sich selbst für den Newsletter an.")
    assert "fremdanmeldung" in found("Ich habe sie für den Newsletter angemeldet.")


def test_evidence_quotes_whole_words():
    """Does a finding quote the whole word it found (»Hüft-OP«, the full address), so participants see what to cut?"""
    by_rule = {f.rule: f for f in check_note(CHATTY_NOTE)}
    assert "Hüft-OP" in by_rule["gesundheit"].evidence
    assert "0171 2345678" in by_rule["kontaktdaten"].evidence
    assert "»Sohn«" in by_rule["familie"].message


def test_too_long_is_a_problem_like_any_other():
    """Does a note over the length limit lose one share, and say by how much it is too long?"""
    long_note = GOOD_NOTE + " Alles weitere besprochen." * 10
    findings = check_note(long_note)
    length = next(f for f in findings if f.kind == "length")
    assert not length.ok and f"{len(long_note) - MAX_NOTE_LENGTH} zu viel" in length.message
    assert note_score(findings) == pytest.approx(2 / 3)


def test_score_counts_like_multiple_choice_and_never_goes_below_zero():
    """Is the share (useful parts − problems) / useful parts, never below 0?"""
    assert note_score(check_note("Kundin zufrieden. Ihr Sohn wohnt in Kiel.")) == 0.0
    assert note_score(check_note(GOOD_NOTE + " Sohn wohnt in Kiel.")) == pytest.approx(2 / 3)
    assert note_score(check_note(CHATTY_NOTE)) == 0.0
    assert note_score(check_note("")) == 0.0


def test_unknown_rule_is_an_authors_mistake():
    """Is a rule id that does not exist refused (instead of being silently ignored)?"""
    with pytest.raises(ValueError, match="unknown"):
        check_note(GOOD_NOTE, useful=["begeistert", "gibtsnicht"])


def test_every_rule_speaks_german_and_explains_itself():
    """Does every rule carry a German label and an explanation long enough to say why?"""
    for rule in RULES.values():
        assert rule.label and len(rule.advice) >= 40, rule.id
    assert set(USEFUL) == {"begeistert", "gefallen", "einwilligung"}


def test_live_hints_show_what_is_in_missing_and_out_and_escape_the_text():
    """Do the live hints mark present (✓), still missing (○) and problems (⚠), with the participant's text escaped?"""
    assert "Beim Schreiben" in note_hints("")
    hints = note_hints("Kundin <b>begeistert</b>, Handy 0171 2345678")
    assert "✓" in hints and "○" in hints and "⚠" in hints
    assert "<b>begeistert</b>" not in hints
    assert "✓</span> Nichts Sensibles" in note_hints(GOOD_NOTE)


def test_practice_feedback_gives_a_share_and_a_verdict():
    """Does 'Antwort prüfen' get the same share as the grader and a German verdict?"""
    assert note_feedback(GOOD_NOTE)[0] == 1.0 and "Sparsam und hilfreich" in note_feedback(GOOD_NOTE)[1]
    share, text = note_feedback("Kundin zufrieden mit der Reparatur.")
    assert share == pytest.approx(2 / 3) and "◐" in text and "✗" in text


def test_length_hint_warns_only_when_too_long():
    """Does the graded note's length guide turn red only above the limit?"""
    assert "kommfit-bad" not in length_hint("kurz")
    assert "kommfit-bad" in length_hint("x" * (MAX_NOTE_LENGTH + 1))


def test_practice_widget_shows_the_checker_while_typing(store):
    """Does a practice FreeText with the checker update its hints on every keystroke and grade on request?"""
    question = FreeText("u4", "Ihre Notiz", practice=True, hints=note_hints, feedback=note_feedback, store=store)
    question._text.value = "Kundin begeistert"
    assert "✓" in question._hints_html.value and "○" in question._hints_html.value
    question._text.value = GOOD_NOTE
    question._button.click()
    assert "Sparsam und hilfreich" in question._feedback_html.value
    assert store.get("u4")["first_attempt"]["score"] == 1.0


def test_graded_note_gets_all_points_and_german_feedback(store, capsys):
    """Does a sparse, useful graded note earn all points and explain every useful part?"""
    question = graded_note(store)
    question._text.value = GOOD_NOTE
    assert grade_crm_note(question, required=REQUIRED, forbidden=list(AVOID), points=2) == 2.0
    out, err = capsys.readouterr()
    assert "Ihre CRM-Notiz zu Herrn Obermaier" in out and "Ihre Notiz: »Kundin begeistert" in out
    assert "✓ Begeisterung: steht drin" in out and "✓ Nichts Sensibles" in out and "Punkte: 2 von 2" in out
    assert err == ""


def test_graded_note_with_sensitive_data_loses_a_share_per_problem(store, capsys):
    """Does every sensitive or needless kind of data cost one share of the points, rounded to hundredths?"""
    question = graded_note(store)
    question._text.value = GOOD_NOTE + " Sohn wohnt in Kiel."
    result = grade_crm_note(question, required=REQUIRED, forbidden=list(AVOID), points=2)
    assert type(result) is float and result == 1.33
    assert "✗ Familie: »Sohn«" in capsys.readouterr().out


def test_graded_note_only_checks_the_rules_it_is_given(store):
    """Are rules left out of 'forbidden' ignored (the hidden grade cell decides what counts)?"""
    question = graded_note(store)
    question._text.value = GOOD_NOTE + " Sohn wohnt in Kiel."
    assert grade_crm_note(question, required=REQUIRED, forbidden=["gesundheit"], points=2) == 2.0


def test_missing_or_empty_note_is_zero_with_a_friendly_message(store, capsys):
    """Does an unsaved note, and one that was typed and deleted again, give 0 with a German reason?"""
    question = graded_note(store)
    assert grade_crm_note(question, required=REQUIRED, forbidden=list(AVOID), points=2) == 0.0
    assert "keine Antwort gespeichert" in capsys.readouterr().out
    question._text.value = "Kundin"
    question._text.value = ""
    assert store.get("a5")["value"] == ""
    assert grade_crm_note(question, required=REQUIRED, forbidden=list(AVOID), points=2) == 0.0
    assert "Ihre Notiz ist leer" in capsys.readouterr().out


def test_answers_that_cannot_count_are_zero(store, capsys):
    """Is a note saved in practice mode, for another version of the question, or in a broken file worth 0?"""
    question = graded_note(store)
    store.record("a5", GOOD_NOTE, question.options_hash, "practice")
    assert grade_crm_note(question, required=REQUIRED, forbidden=[], points=2) == 0.0
    store.record("a5", GOOD_NOTE, "0000000000000000", "graded")
    assert grade_crm_note(question, required=REQUIRED, forbidden=[], points=2) == 0.0
    assert "anderen Fassung dieser Frage" in capsys.readouterr().out
    store.path.write_text("{kaputt", encoding="utf-8")
    assert grade_crm_note(question, required=REQUIRED, forbidden=[], points=2) == 0.0
    assert "beschädigt" in capsys.readouterr().out


def test_grader_never_raises_or_writes_to_stderr(store, capsys):
    """Do a missing question cell, a wrong question type and an unknown rule give 0 and a message, never an error?"""
    assert grade_crm_note(None, required=REQUIRED, forbidden=[], points=2) == 0.0
    assert "fehlt im Notizbuch" in capsys.readouterr().out
    question = graded_note(store)
    question._text.value = GOOD_NOTE
    assert grade_crm_note(question, required=["begeistert", "tippfehler"], forbidden=[], points=2) == 0.0
    assert grade_crm_note(question, required=[], forbidden=[], points=2) == 0.0
    out, err = capsys.readouterr()
    assert "konnte nicht ausgewertet werden" in out
    assert err == ""
