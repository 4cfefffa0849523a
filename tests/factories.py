"""Small factories for quiz widgets used across tests."""

from __future__ import annotations

from kommfit.core.answers import AnswerStore
from kommfit.quiz.kinds import Item, Matching, MultipleChoice, Option, SingleChoice


def practice_single(store: AnswerStore, question_id: str = "u1") -> SingleChoice:
    return SingleChoice(
        question_id,
        "Was tun Sie bei {firma}?",
        [
            Option("a", "Erste Möglichkeit", feedback="Erklärung zu a"),
            Option("b", "Zweite Möglichkeit", correct=True, feedback="Erklärung zu b"),
            Option("c", "Dritte Möglichkeit", feedback="Erklärung zu c"),
        ],
        practice=True,
        store=store,
    )


def graded_single(store: AnswerStore, question_id: str = "a1") -> SingleChoice:
    return SingleChoice(
        question_id,
        "Welche Reaktion ist die beste?",
        [Option("a", "Reaktion A"), Option("b", "Reaktion B"), Option("c", "Reaktion C")],
        store=store,
    )


def graded_multiple(store: AnswerStore, question_id: str = "a2") -> MultipleChoice:
    return MultipleChoice(
        question_id,
        "Welche Angaben verraten den Arbeitgeber?",
        [Option("a", "Profiltext"), Option("b", "Logo im Bild"), Option("c", "Hundefoto"), Option("d", "Kommentar")],
        store=store,
    )


def practice_multiple(store: AnswerStore, question_id: str = "u2") -> MultipleChoice:
    return MultipleChoice(
        question_id,
        "Welche Angaben verraten den Arbeitgeber?",
        [
            Option("a", "Profiltext", correct=True, feedback="steht im Profil"),
            Option("b", "Logo im Bild", correct=True, feedback="Logo verbindet"),
            Option("c", "Hundefoto", feedback="verrät nichts"),
        ],
        practice=True,
        store=store,
    )


def graded_matching(store: AnswerStore, question_id: str = "a3") -> Matching:
    return Matching(
        question_id,
        "Wie weit reicht das?",
        [Item("i1", "Stammtisch"), Item("i2", "Gruppenchat"), Item("i3", "öffentlicher Beitrag")],
        [Option("k1", "nur Anwesende"), Option("k2", "begrenzt"), Option("k3", "öffentlich")],
        store=store,
    )


def practice_matching(store: AnswerStore, question_id: str = "u3") -> Matching:
    return Matching(
        question_id,
        "Wie weit reicht das?",
        [
            Item("i1", "Stammtisch", category="k1", feedback="nur wer dabei ist"),
            Item("i2", "öffentlicher Beitrag", category="k2", feedback="alle"),
        ],
        [Option("k1", "nur Anwesende"), Option("k2", "öffentlich")],
        practice=True,
        store=store,
    )
