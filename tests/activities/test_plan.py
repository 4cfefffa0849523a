"""The personal action plan: a checklist without a key, and encouraging feedback on the first step."""

from __future__ import annotations

import pytest
from traitlets import TraitError

from kommfit.activities.plan import Checklist, first_step_feedback
from kommfit.quiz.kinds import Option, QuizDefinitionError

STEPS = [
    Option("a", "Im {forum} eine Frage stellen", feedback="Eine Frage, die Sie ohnehin haben."),
    Option("b", "Ansprechpersonen speichern", feedback="Zwei Minuten, die sich lohnen."),
    Option("c", "Eigenes Profil von außen ansehen", feedback="Was Sie ändern, entscheiden Sie."),
    Option("d", "Im Team über den Kurs sprechen", feedback="Zehn Minuten in der Teamrunde."),
    Option("e", "Leitlinien im {intranet} lesen", feedback="Einmal in Ruhe lesen."),
]


def plan(store) -> Checklist:
    return Checklist("u4", "Was nehmen Sie sich vor?", STEPS, store=store)


def test_first_step_with_what_and_when_gets_full_encouragement():
    """Does a concrete step with a time count as complete, with German encouragement and no grade?"""
    share, text = first_step_feedback("Am Donnerstag in der Frühstückspause speichere ich die drei Kontakte.")
    assert share == 1.0
    assert "So wird aus einem Vorsatz ein Schritt" in text and "nicht bewertet" in text


@pytest.mark.parametrize(
    ("text", "share", "missing"),
    [
        ("Ich speichere die drei Kontakte im Handy.", 0.5, "Wann?"),
        ("Forum morgen", 0.5, "Was genau?"),
        ("mal sehen", 0.0, "Was genau?"),
        ("Ich stelle nächste Woche eine Frage im Forum.", 1.0, None),
        ("Bis 12.3. lese ich die Leitlinien im Intranet.", 1.0, None),
    ],
)
def test_first_step_feedback_names_what_is_missing(text, share, missing):
    """Does the feedback say whether the step lacks a 'what' or a 'when' — and only that?"""
    got_share, html = first_step_feedback(text)
    assert got_share == share
    if missing:
        assert missing in html and "◐" in html
    else:
        assert "◐" not in html


def test_a_plan_is_saved_only_on_request_without_a_score(store):
    """Is the plan saved when 'Plan speichern' is clicked, as an Übung without any score?"""
    checklist = plan(store)
    assert checklist._button.description == "Plan speichern"
    checklist._boxes[0].value = True
    checklist._boxes[3].value = True
    assert not store.path.exists()
    checklist._button.click()
    entry = store.get("u4")
    assert entry["value"] == ["a", "d"] and entry["mode"] == "practice"
    assert "score" not in entry and entry["first_attempt"]["score"] is None
    assert checklist.status.startswith("✓ Ihr Plan ist gespeichert") and "nicht bewertet" in checklist.status


def test_feedback_shows_a_how_to_for_each_chosen_step_and_no_verdict(store):
    """After saving, is there a how-to for every chosen step, filled with the company's tools, and no ✗?"""
    checklist = plan(store)
    checklist.answer = ["a", "b"]
    checklist.submit()
    feedback = checklist._feedback_html.value
    assert "Ihr Plan steht: 2 Schritte" in feedback
    assert "Treffpunkt" in feedback and "{forum}" not in feedback
    assert "Eine Frage, die Sie ohnehin haben." in feedback and "Einmal in Ruhe lesen." not in feedback
    assert "✗" not in feedback and "nicht die beste Wahl" not in feedback


def test_a_long_plan_gets_the_hint_to_start_small(store):
    """Does a plan with many steps suggest starting with one?"""
    checklist = plan(store)
    checklist.answer = ["a", "b", "c", "d"]
    checklist.submit()
    assert "sportlicher Plan" in checklist._feedback_html.value


def test_an_empty_plan_is_not_saved(store):
    """Is a plan without any step kept out of the file, with a friendly German hint?"""
    checklist = plan(store)
    checklist._button.click()
    assert not store.path.exists()
    assert "mindestens einen Schritt" in checklist.status


def test_a_saved_plan_is_prefilled_without_writing(store):
    """Reopened later, does the checklist show the saved plan without writing anything?"""
    first = plan(store)
    first.answer = ["c"]
    first.submit()
    before = store.path.read_text(encoding="utf-8")
    again = plan(store)
    assert [box.value for box in again._boxes] == [False, False, True, False, False]
    assert store.path.read_text(encoding="utf-8") == before


def test_nothing_is_written_during_grading(store, monkeypatch):
    """While nbgrader executes the notebook, is the plan left unsaved?"""
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    checklist = plan(store)
    checklist.answer = ["a"]
    assert not checklist.submit()
    assert not store.path.exists()


def test_a_plan_has_no_right_steps(store):
    """Can a checklist be defined with a 'correct' step, too few steps or a step without a how-to? (No.)"""
    with pytest.raises(QuizDefinitionError, match="no right steps"):
        Checklist("u4", "?", [*STEPS[:2], Option("x", "X", feedback="y", correct=True)], store=store)
    with pytest.raises(QuizDefinitionError):
        Checklist("u4", "?", STEPS[:2], store=store)
    with pytest.raises(QuizDefinitionError):
        Checklist("u4", "?", [*STEPS[:2], Option("x", "X")], store=store)


def test_invalid_selections_are_rejected_in_german(store):
    """Is a selection of unknown steps rejected ("Ungültige …")?"""
    with pytest.raises(TraitError, match="Ungültige"):
        plan(store).answer = ["z"]


def test_describe_and_repr(store):
    """Does the checklist describe its steps for the catalog and have a stable German text form?"""
    checklist = plan(store)
    data = checklist.describe()
    assert data["kind"] == "checklist" and data["practice"] is True
    assert [o["id"] for o in data["options"]] == ["a", "b", "c", "d", "e"]
    assert not any(o["correct"] for o in data["options"])
    assert repr(checklist) == "<Checkliste 'u4': 5 Schritte, Übung – nicht bewertet>"
