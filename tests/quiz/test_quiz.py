"""Quiz widgets in pure Python: the same code paths as clicks, no browser needed."""

from __future__ import annotations

import json

import pytest
from traitlets import TraitError

from kommfit.quiz.kinds import FreeText, Item, Matching, MultipleChoice, Option, QuizDefinitionError, SingleChoice

from ..conftest import default_profile_text
from ..factories import (
    graded_matching,
    graded_multiple,
    graded_single,
    practice_matching,
    practice_multiple,
    practice_single,
)

ALL_FACTORIES = [practice_single, graded_single, graded_multiple, practice_multiple, graded_matching, practice_matching]


@pytest.mark.parametrize("factory", ALL_FACTORIES)
def test_nothing_is_preselected(store, factory):
    """Does every kind of question start without any option chosen?"""
    question = factory(store)
    assert question.answer is None
    if isinstance(question, SingleChoice):
        assert question._radio.value is None and question._radio.index is None
    elif isinstance(question, MultipleChoice):
        assert not any(box.value for box in question._boxes)
    else:
        assert all(d.value == "" and d.label == "— bitte wählen —" for d in question._dropdowns.values())


@pytest.mark.parametrize("factory", ALL_FACTORIES)
def test_building_and_displaying_writes_nothing(store, factory):
    """Is nothing written to disk when a question is built and displayed?"""
    question = factory(store)
    question._repr_mimebundle_()
    assert not store.path.exists()


def test_clicking_a_graded_option_saves_it_at_once(store):
    """Does a click on an option of a graded question save it immediately, without any extra button?"""
    question = graded_single(store)
    assert question._button.layout.display == "none"
    question._radio.value = "b"
    assert question.answer == "b"
    assert store.get("a1")["value"] == "b"
    assert question.status.startswith("✓ Antwort gespeichert")


def test_graded_question_shows_saved_but_no_feedback_and_can_be_changed(store):
    """Does a graded question say 'Antwort gespeichert', show no feedback and accept a changed answer?"""
    question = graded_single(store)
    question.answer = "a"
    assert question._feedback_html.value == ""
    question.answer = "c"
    assert question.submit()  # an explicit submit of the same answer records nothing new
    entry = store.get("a1")
    assert entry["value"] == "c" and entry["attempts"] == 2 and entry["mode"] == "graded"


def test_graded_multiple_choice_saves_every_tick_including_none(store):
    """Is each tick of a graded multiple choice saved, so the file always matches what is shown?"""
    question = graded_multiple(store)
    question.checkbox("b").value = True
    assert store.get("a2")["value"] == ["b"]
    question.checkbox("b").value = False
    assert store.get("a2")["value"] == []
    assert question.status.startswith("✓ Antwort gespeichert")


def test_graded_matching_saves_once_every_item_is_placed(store):
    """Does a graded matching say how many items are open and save as soon as all are placed?"""
    question = graded_matching(store)
    question._dropdowns["i1"].value = "k1"
    assert question.status.startswith("Noch 2 offen")
    assert not store.path.exists()
    question._dropdowns["i2"].value = "k2"
    question._dropdowns["i3"].value = "k3"
    assert store.get("a3")["value"] == {"i1": "k1", "i2": "k2", "i3": "k3"}


def test_practice_question_gives_feedback_for_the_chosen_option_and_explains_all(store):
    """Does a single-choice practice question explain the clicked option at once and offer all explanations?"""
    question = practice_single(store)
    assert question._button.layout.display == "none"
    question._radio.value = "a"
    feedback = question._feedback_html.value
    assert "nicht die beste Wahl" in feedback
    assert "Erklärung zu a" in feedback
    assert all(f"Erklärung zu {o}" in feedback for o in "abc")
    assert "<details>" in feedback
    entry = store.get("u1")
    assert entry["first_attempt"]["value"] == "a" and entry["first_attempt"]["score"] == 0.0
    question._radio.value = "b"
    assert "Gut gewählt" in question._feedback_html.value
    assert store.get("u1")["attempts"] == 2 and store.get("u1")["first_attempt"]["value"] == "a"


def test_practice_with_several_parts_is_checked_on_request(store):
    """Does a multiple-choice practice question wait for 'Antwort prüfen' and clear old feedback on a new tick?"""
    question = practice_multiple(store)
    assert question._button.layout.display != "none"
    question.checkbox("a").value = True
    assert question._feedback_html.value == "" and not store.path.exists()
    question._button.click()
    assert "Teilweise richtig" in question._feedback_html.value
    question.checkbox("b").value = True
    assert question._feedback_html.value == ""


def test_practice_multiple_choice_gives_partial_feedback(store):
    """Does a practice multiple choice say how much was right and comment on each option?"""
    question = practice_multiple(store)
    question.checkbox("a").value = True
    question.submit()
    feedback = question._feedback_html.value
    assert "Teilweise richtig (50 %)" in feedback
    assert "steht im Profil" in feedback and "Logo verbindet" in feedback and "verrät nichts" in feedback


def test_practice_matching_feedback_per_item(store):
    """Does a practice matching question mark each item right or wrong with its explanation?"""
    question = practice_matching(store)
    question._dropdowns["i1"].value = "k1"
    question._dropdowns["i2"].value = "k1"
    question.submit()
    feedback = question._feedback_html.value
    assert "Teilweise richtig (50 %)" in feedback
    assert "nur wer dabei ist" in feedback and "alle" in feedback


@pytest.mark.parametrize(
    ("factory", "partial", "message"),
    [
        (graded_single, None, "Bitte wählen Sie zuerst eine Antwort."),
        (practice_multiple, [], "Bitte kreuzen Sie mindestens eine Antwort an."),
        (practice_matching, {"i1": "k1"}, "Bitte ordnen Sie jeden Punkt einer Kategorie zu."),
        (graded_matching, {"i1": "k1"}, "Noch 2 offen – gespeichert wird, sobald jeder Punkt eine Kategorie hat."),
    ],
)
def test_incomplete_answers_are_not_saved(store, factory, partial, message):
    """Is an incomplete answer refused with a German hint and nothing saved?"""
    question = factory(store)
    question.answer = partial
    assert not question.submit()
    assert question.status == message
    assert not store.path.exists()


def test_saved_answers_are_prefilled(store):
    """Does a question show the answer saved earlier when the notebook is opened again?"""
    first = graded_multiple(store)
    first.answer = ["b", "d"]
    again = graded_multiple(store)
    assert again.answer == ["b", "d"]
    assert {o.id for o in again.shown_options if again.checkbox(o.id).value} == {"b", "d"}
    assert again.status.startswith("✓ Antwort gespeichert")
    matching = graded_matching(store)
    matching.answer = {"i1": "k1", "i2": "k2", "i3": "k3"}
    assert graded_matching(store)._dropdowns["i3"].value == "k3"


def test_changed_question_is_not_prefilled(store):
    """If the options changed since the answer was saved, is the participant asked to answer again?"""
    store.record("a1", "b", "stale-hash", "graded")
    question = graded_single(store)
    assert question.answer is None
    assert "geändert" in question.status


def test_corrupt_answer_file_is_announced_and_not_touched_on_display(store):
    """Does a question show a German notice for a corrupt answer file without moving it on display?"""
    store.path.write_text("{kaputt", encoding="utf-8")
    question = graded_single(store)
    assert "beschädigt" in question.status and "beiseitegelegt" in question.status
    assert store.path.read_text() == "{kaputt"
    question.answer = "a"
    assert len(store.set_aside_files()) == 1
    assert store.get("a1")["value"] == "a"


def test_nothing_is_written_during_grading(store, monkeypatch):
    """While nbgrader executes the notebook (NBGRADER_EXECUTION), does submit write nothing?"""
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    question = graded_single(store)
    question.answer = "a"
    assert not question.submit()
    assert not store.path.exists()


@pytest.mark.parametrize(
    ("factory", "bad"),
    [(graded_single, "z"), (graded_single, ["a"]), (graded_multiple, ["a", "x"]), (graded_matching, {"i9": "k1"})],
)
def test_invalid_selections_are_rejected_with_a_german_message(store, factory, bad):
    """Is a selection that does not fit the question rejected ("Ungültige …")?"""
    question = factory(store)
    with pytest.raises(TraitError, match="Ungültige"):
        question.answer = bad


def test_graded_questions_cannot_carry_the_key(store):
    """Can a graded question be defined with a key or feedback? (It must not: the key belongs in hidden tests.)"""
    with pytest.raises(QuizDefinitionError, match="hidden grade cell"):
        SingleChoice("a1", "?", [Option("a", "A", correct=True), Option("b", "B")], store=store)
    with pytest.raises(QuizDefinitionError):
        Matching("a2", "?", [Item("i1", "x", category="k1"), Item("i2", "y")],
                 [Option("k1", "K1"), Option("k2", "K2")], store=store)


@pytest.mark.parametrize(
    "options",
    [
        [Option("a", "A", feedback="x", correct=True)],
        [Option("a", "A", feedback="x", correct=True), Option("a", "B", feedback="y")],
        [Option("a", "A", feedback="x", correct=True), Option("b", "B")],
        [Option("a", "A", feedback="x"), Option("b", "B", feedback="y")],
    ],
)
def test_practice_definitions_are_checked(store, options):
    """Are practice questions without feedback, with duplicate ids or without a key rejected while authoring?"""
    with pytest.raises(QuizDefinitionError):
        SingleChoice("u1", "?", options, practice=True, store=store)


def test_options_hash_ignores_the_company_but_not_the_texts(store, company_profile):
    """Does the options hash stay the same under another company profile, and change when a text changes?"""
    original = graded_single(store).options_hash
    company_profile(default_profile_text().replace("Nordlicht Haustechnik GmbH", "Andere AG"))
    assert graded_single(store).options_hash == original
    changed = SingleChoice("a1", "Welche Reaktion ist die beste?",
                           [Option("a", "Reaktion A!"), Option("b", "Reaktion B"), Option("c", "Reaktion C")],
                           store=store)
    assert changed.options_hash != original


def test_profile_placeholders_are_filled_in_what_participants_see(store, company_profile):
    """Do prompts and options show the facilitator's company instead of placeholders?"""
    company_profile(default_profile_text().replace("Nordlicht Haustechnik GmbH", "Muster & Söhne KG"))
    question = practice_single(store)
    assert "Muster &amp; Söhne KG" in question._prompt_html.value
    assert "{firma}" not in question._prompt_html.value


def test_broken_profile_shows_a_notice_and_the_module_still_works(store, company_profile):
    """Does a broken company profile show a German notice naming the key, while the quiz keeps working?"""
    company_profile("[firma]\nnmae = 'X'\n")
    question = practice_single(store)
    header = question.children[0].value
    assert "firma.nmae" in header and "Kursleitung" in header
    assert "Nordlicht" in question._prompt_html.value
    question.answer = "b"
    assert question.submit()


def test_repr_is_stable_and_german(store):
    """Is the text form of a question short and deterministic (nbval compares it)?"""
    assert repr(practice_single(store)) == "<Einfachauswahl 'u1': 3 Optionen, Übung>"
    assert repr(graded_matching(store)) == "<Zuordnung 'a3': 3 Optionen, Abschluss-Check>"
    bundle = graded_single(store)._repr_mimebundle_()
    assert bundle["text/plain"] == "<Einfachauswahl 'a1': 3 Optionen, Abschluss-Check>"


def test_widgets_are_labelled_for_keyboard_and_screen_use(store):
    """Do the controls carry clear German labels and stable classes for styling and browser tests?"""
    question = practice_single(store)
    assert practice_multiple(store)._button.description == "Antwort prüfen"
    assert [label for label, _ in question._radio.options] == [o.text for o in question.shown_options]
    assert sorted(label for label, _ in question._radio.options) == [
        "Dritte Möglichkeit", "Erste Möglichkeit", "Zweite Möglichkeit"]
    assert "kommfit-quiz" in question._dom_classes and "kommfit-q-u1" in question._dom_classes
    assert graded_matching(store)._dropdowns["i1"].options[0][0] == "— bitte wählen —"


def test_saved_file_is_what_the_describe_promises(store):
    """Does the answer file hold exactly the ids of the options, as the grader expects?"""
    question = graded_multiple(store)
    question.checkbox("d").value = True
    question.checkbox("a").value = True
    assert json.loads(store.path.read_text())["answers"]["a2"]["value"] == ["a", "d"]
    assert [o["id"] for o in question.describe()["options"]] == ["a", "b", "c", "d"]


def test_graded_free_text_is_saved_while_typing_with_live_hints(store):
    """Is a graded text saved as it is typed, with a character counter and live hints?"""
    question = FreeText("t1", "Ihr Entwurf", max_length=20, hints=lambda text: f"<p>{len(text.split())} Wörter</p>",
                        store=store)
    question._text.value = "Hallo Team"
    assert store.get("t1")["value"] == "Hallo Team"
    assert "10 / 20 Zeichen" in question._counter.value and "2 Wörter" in question._hints_html.value
    with pytest.raises(TraitError, match="mehr als 20 Zeichen"):
        question.answer = "x" * 21


def test_practice_free_text_is_checked_on_request(store):
    """Does a practice text get its feedback only when 'Antwort prüfen' is clicked?"""
    question = FreeText("t2", "Ihr Plan", practice=True, feedback=lambda text: (0.5, "<p>halb</p>"), store=store)
    question._text.value = "Mein Plan"
    assert question._feedback_html.value == ""
    question._button.click()
    assert question._feedback_html.value == "<p>halb</p>"
    assert store.get("t2")["first_attempt"]["score"] == 0.5


def test_graded_free_text_cannot_carry_feedback(store):
    """Can a graded text carry its own checker? (No: it is checked by the hidden grade cell.)"""
    with pytest.raises(QuizDefinitionError):
        FreeText("t3", "?", feedback=lambda text: (1.0, ""), store=store)


def test_widgets_send_nothing_while_nbgrader_grades(store, monkeypatch):
    """While nbgrader grades (NBGRADER_EXECUTION), do new widgets use the silent dummy comm?"""
    import comm

    monkeypatch.setattr(comm, "create_comm", lambda *args, **kwargs: pytest.fail("a real comm was opened"))
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    question = graded_single(store)
    assert comm.create_comm is comm._create_comm
    assert question.answer is None
