"""The voluntary self-assessment: nothing stored without the opt-in, deleted at once when it is withdrawn."""

from __future__ import annotations

import json

import pytest
from traitlets import TraitError

from kommfit.activities.talent import (
    CONSENT_KEY,
    MODE,
    NOTE_KEY,
    OPT_IN_LABEL,
    STRENGTHS,
    Strength,
    TalentCheck,
    build_value,
    check_strengths,
    describe_value,
    parse_value,
    talent_hash,
)

from ..conftest import default_profile_text

QID = "m10-freiwillig-staerken"


def talent(store) -> TalentCheck:
    return TalentCheck(QID, store=store)


# ---------------------------------------------------------------- pure logic
def test_build_value_keeps_only_what_was_said():
    """Does the stored value hold the consent, the rated strengths in order and the note — and nothing else?"""
    value = build_value({"video": "etwas", "schreiben": "gern", "fotos": ""}, "  Baustellenfotos  ")
    assert value == {CONSENT_KEY: "ja", "schreiben": "gern", "video": "etwas", NOTE_KEY: "Baustellenfotos"}
    assert list(value) == [CONSENT_KEY, "schreiben", "video", NOTE_KEY]
    assert build_value({}, "   ") == {CONSENT_KEY: "ja"}


@pytest.mark.parametrize(
    ("ratings", "note", "message"),
    [({"tanzen": "gern"}, "", "kein Bereich"), ({"fotos": "sehr"}, "", "keine Stufe"), ({}, "x" * 301, "301 Zeichen")],
)
def test_build_value_refuses_unknown_strengths_levels_and_long_notes_in_german(ratings, note, message):
    """Are unknown strengths, unknown levels and an over-long note refused with a German message?"""
    with pytest.raises(ValueError, match=message):
        build_value(ratings, note)


def test_parse_value_reads_back_what_build_value_stored():
    """Does a stored value read back as the same ratings and note?"""
    ratings, note = parse_value(build_value({"netzwerken": "gern", "fachwissen": "etwas"}, "Messen"))
    assert ratings == {"fachwissen": "etwas", "netzwerken": "gern"} and note == "Messen"


@pytest.mark.parametrize("value", ["gern", ["fotos"], {"fotos": 1}, {"tanzen": "gern"}, None])
def test_parse_value_refuses_values_that_do_not_fit(value):
    """Is a stored value of another shape or with unknown strengths refused instead of shown wrongly?"""
    with pytest.raises(ValueError):
        parse_value(value)


def test_describe_value_says_in_german_exactly_what_would_be_stored():
    """Does the preview name each rated strength with its level, the note's length and the consent?"""
    text = describe_value({"fotos": "gern", "video": "etwas"}, "Gern draußen")
    assert text.startswith("Fotografieren: gern und gut, Video: ein wenig, Ihr Hinweis (12 Zeichen)")
    assert "angesprochen werden möchten" in text
    assert describe_value({}, "").startswith("noch keine Stärken angegeben")


def test_strength_lists_that_the_stored_value_could_not_tell_apart_are_refused():
    """Are duplicate ids and ids that clash with the consent or note key refused while a module is written?"""
    with pytest.raises(ValueError):
        check_strengths([Strength("a", "A", ""), Strength("a", "B", "")])
    with pytest.raises(ValueError):
        check_strengths([Strength(NOTE_KEY, "Hinweis", "")])
    assert len(check_strengths(STRENGTHS)) == 6


def test_hash_changes_with_the_offer_but_not_with_the_examples():
    """Does the fingerprint change when a strength is renamed, and stay when only an example text changes?"""
    base = talent_hash(QID, STRENGTHS)
    renamed = (Strength("schreiben", "Texte", "x"), *STRENGTHS[1:])
    reworded = (Strength("schreiben", "Schreiben", "anderes Beispiel"), *STRENGTHS[1:])
    assert talent_hash(QID, renamed) != base
    assert talent_hash(QID, reworded) == base


# ---------------------------------------------------------------- the widget: privacy by design
def test_without_the_opt_in_nothing_is_written(store):
    """Can a participant rate every strength and write a note without anything being stored?"""
    widget = talent(store)
    widget._repr_mimebundle_()
    for toggle in widget._toggles.values():
        toggle.value = "gern"
    widget._note.value = "Ich helfe gern bei Teams."
    assert widget.ratings == {s.id: "gern" for s in STRENGTHS}
    assert not store.path.exists()
    assert widget.status.startswith("Nichts gespeichert")
    assert "Ohne Häkchen wird nichts gespeichert" in widget._preview.value


def test_the_opt_in_box_is_labelled_exactly_and_starts_unticked(store):
    """Is the opt-in a separate, unticked box with exactly the agreed label, and is nothing preselected?"""
    widget = talent(store)
    assert OPT_IN_LABEL == "Ich möchte vom Social-Media-Team angesprochen werden"
    assert widget._opt_in.description == OPT_IN_LABEL and widget._opt_in.value is False
    assert all(t.value == "" for t in widget._toggles.values()) and widget._note.value == ""
    assert "kommfit-keyboard" in widget._dom_classes and f"kommfit-q-{QID}" in widget._dom_classes


def test_opting_in_stores_the_assessment_as_voluntary(store):
    """Does ticking the box store exactly the assessment, with mode 'voluntary', and say who it is for?"""
    widget = talent(store)
    widget._toggles["fotos"].value = "gern"
    widget._toggles["werkzeuge"].value = "etwas"
    widget._opt_in.value = True
    entry = store.get(QID)
    assert entry["mode"] == MODE == "voluntary"
    assert entry["value"] == {CONSENT_KEY: "ja", "fotos": "gern", "werkzeuge": "etwas"}
    assert entry["options_hash"] == widget.options_hash
    assert "first_attempt" not in entry and "score" not in entry
    assert widget.status.startswith("✓ Gespeichert") and "Social-Media-Team (Lea Hoffmann)" in widget.status


def test_changes_after_opting_in_are_kept_up_to_date(store):
    """While the opt-in stands, does every change update the stored assessment?"""
    widget = talent(store)
    widget._opt_in.value = True
    assert store.get(QID)["value"] == {CONSENT_KEY: "ja"}
    widget._toggles["video"].value = "gern"
    widget._note.value = "Schnitt"
    assert store.get(QID)["value"] == {CONSENT_KEY: "ja", "video": "gern", NOTE_KEY: "Schnitt"}


def test_withdrawing_the_opt_in_deletes_the_entry_at_once_and_keeps_other_answers(store):
    """Does removing the tick delete the stored assessment immediately, leaving the quiz answers alone?"""
    store.record("m10-a1-frage", "b", "h", "graded")
    widget = talent(store)
    widget._toggles["netzwerken"].value = "gern"
    widget._opt_in.value = True
    assert store.get(QID) is not None
    widget._opt_in.value = False
    assert store.get(QID) is None
    assert "netzwerken" not in store.path.read_text(encoding="utf-8")
    assert store.get("m10-a1-frage")["value"] == "b"
    assert "gelöscht" in widget.status
    widget._toggles["netzwerken"].value = "etwas"
    assert QID not in json.loads(store.path.read_text(encoding="utf-8"))["answers"]


def test_a_saved_assessment_is_prefilled_with_the_box_ticked_without_writing(store):
    """Reopened later, does the widget show the stored assessment with the box ticked — writing nothing?"""
    first = talent(store)
    first._toggles["fachwissen"].value = "gern"
    first._note.value = "Erklärvideos"
    first._opt_in.value = True
    before = store.path.read_text(encoding="utf-8")
    again = talent(store)
    assert again.opted_in and again._opt_in.value is True
    assert again._toggles["fachwissen"].value == "gern" and again._note.value == "Erklärvideos"
    assert again.status.startswith("✓ Gespeichert")
    assert store.path.read_text(encoding="utf-8") == before


def test_an_entry_from_an_older_version_can_still_be_withdrawn(store):
    """If a stored assessment no longer fits, is the box ticked anyway so that it can be deleted?"""
    store.record(QID, {CONSENT_KEY: "ja", "tanzen": "gern"}, "alt", MODE)
    widget = talent(store)
    assert widget.opted_in and "älteren Fassung" in widget.status
    widget._opt_in.value = False
    assert store.get(QID) is None


def test_a_note_that_is_too_long_is_not_stored_and_the_participant_is_told(store):
    """Is an over-long note kept out of the file while the participant sees why?"""
    widget = TalentCheck(QID, store=store, max_length=10)
    widget._opt_in.value = True
    widget._note.value = "Das ist viel zu lang"
    assert NOTE_KEY not in store.get(QID)["value"]
    assert "höchstens 10 Zeichen" in widget.status
    assert "kommfit-bad" in widget._counter.value


def test_nothing_is_written_or_deleted_during_grading(store, monkeypatch):
    """While nbgrader executes the notebook, does the widget neither write nor delete anything?"""
    store.record(QID, {CONSENT_KEY: "ja"}, "h", MODE)
    before = store.path.read_text(encoding="utf-8")
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    widget = talent(store)
    widget._toggles["video"].value = "gern"
    widget._opt_in.value = False
    assert store.path.read_text(encoding="utf-8") == before
    assert widget.status.startswith("Bewertungslauf")
    other = TalentCheck(QID, store=type(store)(store.path.parent / "leer.json"))
    other._opt_in.value = True
    assert not other.store.path.exists()


def test_a_corrupt_answer_file_is_announced_and_left_alone(store):
    """Is a corrupt answer file reported in German, and does withdrawing refuse to touch it?"""
    store.path.write_text("{kaputt", encoding="utf-8")
    widget = talent(store)
    assert "beschädigt" in widget.status
    widget.opted_in = True  # with a corrupt file the opt-in saves into a fresh file, setting the old one aside
    widget.opted_in = False
    assert store.get(QID) is None


def test_setting_traits_takes_the_same_path_as_a_click(store):
    """Does setting ``ratings`` and ``opted_in`` in code update the buttons and store, as clicks do?"""
    widget = talent(store)
    widget.ratings = {"schreiben": "etwas"}
    assert widget._toggles["schreiben"].value == "etwas"
    widget.opted_in = True
    assert widget._opt_in.value is True and store.get(QID)["value"]["schreiben"] == "etwas"
    with pytest.raises(TraitError, match="Ungültige Angabe"):
        widget.ratings = {"schreiben": "super"}


def test_repr_is_stable_and_german(store):
    """Is the text form short and deterministic (nbval compares it) and says it is not graded?"""
    widget = talent(store)
    assert repr(widget) == f"<Freiwillige Selbsteinschätzung '{QID}': 6 Bereiche, nicht bewertet>"
    assert widget._repr_mimebundle_()["text/plain"] == repr(widget)


def test_the_company_contact_is_named(store, company_profile):
    """Does the widget name the facilitator's own social-media contact from the company profile?"""
    company_profile(default_profile_text().replace("Social-Media-Team (Lea Hoffmann)", "Team Digital"))
    widget = talent(store)
    assert "Team Digital" in widget._preview.value
