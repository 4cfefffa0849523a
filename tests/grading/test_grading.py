"""Grading helpers: points as a float, German feedback on stdout, never stderr, never an exception."""

from __future__ import annotations

import sys
import warnings

import pytest

from kommfit.grading.checks import grade_matching, grade_multiple, grade_single, never_fails

from ..factories import graded_matching, graded_multiple, graded_single

SINGLE_FEEDBACK = {"a": "Warum A", "b": "Warum B", "c": "Warum C"}
MULTI_FEEDBACK = {"a": "fa", "b": "fb", "c": "fc", "d": "fd"}
MATCH_FEEDBACK = {"i1": "f1", "i2": "f2", "i3": "f3"}
MATCH_KEY = {"i1": "k1", "i2": "k2", "i3": "k3"}


def answer(question, value):
    """Answer as a participant does: the click itself saves a graded answer."""
    question.answer = value
    assert question.store.get(question.question_id)["value"] == value
    return question


def test_best_option_gets_all_points_and_its_explanation(store, capsys):
    """Does the best option earn all points and print why it is best?"""
    question = answer(graded_single(store), "b")
    assert grade_single(question, correct="b", feedback=SINGLE_FEEDBACK, points=2) == 2.0
    out, err = capsys.readouterr()
    assert "Welche Reaktion ist die beste?" in out
    assert "Ihre Antwort: »Reaktion B«" in out and "✓ Das ist die beste Wahl. Warum B" in out
    assert "Punkte: 2 von 2" in out
    assert err == ""


def test_other_option_gets_nothing_and_learns_what_is_better(store, capsys):
    """Does a weaker option earn 0 and explain both the choice and the better option?"""
    question = answer(graded_single(store), "a")
    assert grade_single(question, correct="c", feedback=SINGLE_FEEDBACK) == 0.0
    out = capsys.readouterr().out
    assert "✗ Das ist nicht die beste Wahl. Warum A" in out
    assert "Besser wäre: »Reaktion C« Warum C" in out


@pytest.mark.parametrize(
    ("chosen", "expected"),
    [
        (["a", "b", "d"], 2.0),  # all three right
        (["a", "b"], 1.33),  # two of three
        (["a", "c"], 0.0),  # one right, one wrong cancel out
        (["a", "b", "c", "d"], 1.33),  # everything ticked: 3 right - 1 wrong
        (["c"], 0.0),  # never below zero
    ],
)
def test_multiple_choice_gives_partial_credit(store, capsys, chosen, expected):
    """Is multiple choice scored (right − wrong) / number right, never below 0, rounded to hundredths?"""
    question = answer(graded_multiple(store), chosen)
    assert grade_multiple(question, correct={"a", "b", "d"}, feedback=MULTI_FEEDBACK, points=2) == expected
    out, err = capsys.readouterr()
    assert all(text in out for text in MULTI_FEEDBACK.values())
    assert err == ""


def test_matching_scores_the_share_of_items_placed_right(store, capsys):
    """Does matching earn the share of correctly placed items and name the better category?"""
    question = answer(graded_matching(store), {"i1": "k1", "i2": "k3", "i3": "k3"})
    assert grade_matching(question, key=MATCH_KEY, feedback=MATCH_FEEDBACK, points=3) == 2.0
    out = capsys.readouterr().out
    assert "✗ »Gruppenchat« → öffentlich (besser: begrenzt): f2" in out


def test_missing_answer_is_zero_with_a_friendly_message(store, capsys):
    """Does an unanswered question give 0.0 and tell the participant how to save next time?"""
    assert grade_single(graded_single(store), correct="a", feedback=SINGLE_FEEDBACK) == 0.0
    out, err = capsys.readouterr()
    assert "keine Antwort gespeichert" in out and "anklicken" in out
    assert err == ""


def test_answer_to_other_options_is_zero(store, capsys):
    """Is an answer given to a different version of the options (hash mismatch) worth 0 with a message?"""
    store.record("a1", "b", "0000000000000000", "graded")
    assert grade_single(graded_single(store), correct="b", feedback=SINGLE_FEEDBACK) == 0.0
    assert "anderen Fassung dieser Frage" in capsys.readouterr().out


def test_practice_entry_under_a_graded_id_is_not_counted(store, capsys):
    """Is an answer saved in practice mode never counted as a graded answer?"""
    question = graded_single(store)
    store.record("a1", "b", question.options_hash, "practice")
    assert grade_single(question, correct="b", feedback=SINGLE_FEEDBACK) == 0.0


def test_tampered_value_is_zero(store, capsys):
    """Is an answer file entry whose value does not fit the options worth 0 without an error?"""
    question = graded_multiple(store)
    store.record("a2", ["a", "zzz"], question.options_hash, "graded")
    assert grade_multiple(question, correct={"a"}, feedback=MULTI_FEEDBACK) == 0.0
    assert "passt nicht" in capsys.readouterr().out


def test_corrupt_file_is_zero_and_left_in_place(store, capsys):
    """Does a corrupt answer file give 0 with a message, and stay on disk for the facilitator?"""
    question = graded_single(store)
    store.path.write_text("{kaputt", encoding="utf-8")
    assert grade_single(question, correct="a", feedback=SINGLE_FEEDBACK) == 0.0
    assert "beschädigt" in capsys.readouterr().out
    assert store.path.read_text() == "{kaputt"


def test_missing_question_is_zero(capsys):
    """If the question cell is gone (the variable is not a question), is the result 0 with a message?"""
    assert grade_single(None, correct="a", feedback=SINGLE_FEEDBACK) == 0.0
    assert grade_matching("kaputt", key={}, feedback={}) == 0.0
    assert "fehlt im Notizbuch" in capsys.readouterr().out


def test_author_mistakes_never_raise(store, capsys):
    """Does a wrong key or missing feedback in a grade cell give 0 and a message instead of an exception?"""
    question = answer(graded_single(store), "a")
    assert grade_single(question, correct="x", feedback=SINGLE_FEEDBACK) == 0.0
    assert grade_single(question, correct="a", feedback={"a": "nur eine"}) == 0.0
    out, err = capsys.readouterr()
    assert "konnte nicht ausgewertet werden" in out
    assert err == ""


def test_warnings_and_stderr_inside_grading_never_reach_stderr(capsys):
    """Can a library warning or stray stderr output during grading reach stderr? (nbgrader would score 0.)"""

    @never_fails
    def noisy() -> float:
        warnings.warn("something deprecated", DeprecationWarning, stacklevel=1)
        print("unterwegs", file=sys.stderr)
        return 1.0

    assert noisy() == 1.0
    out, err = capsys.readouterr()
    assert err == ""
    assert "unterwegs" in out


def test_results_are_plain_floats(store):
    """Is the result a plain float, which nbgrader reads as partial credit?"""
    question = answer(graded_single(store), "b")
    result = grade_single(question, correct="b", feedback=SINGLE_FEEDBACK, points=1)
    assert type(result) is float and repr(result) == "1.0"
