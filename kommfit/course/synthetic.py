"""Synthetic participants for the demo and the benchmark: realistic answers, given through the quiz widgets.

A synthetic participant has an ability (chance of choosing the best option) and, when wrong, leans towards the
*first* distractor of a question — the option authors place as the typical misconception — so item analysis shows
the patterns a real workshop would. Answer files are produced the way clicks produce them: the module's question
cells are run in this process and each widget's selection is set, which saves through the widget's own code.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat

from ..core.answers import AnswerStore
from .catalog import ModuleInfo, keys_of, load_questions, read_module

DEPARTMENTS = ("Kundendienst", "Vertrieb", "Verwaltung", "Produktion")
FIRST_NAMES = (
    "Anna", "Ben", "Clara", "David", "Ela", "Felix", "Greta", "Hakan", "Ida", "Jan", "Katja", "Leon", "Mara",
    "Nils", "Olga", "Piet", "Rosa", "Sami", "Tina", "Ugur", "Vera", "Willi", "Xenia", "Yara", "Zoe",
)
LAST_NAMES = ("Adler", "Bauer", "Claßen", "Dietz", "Eggers", "Fuchs", "Gerdes", "Haas", "Iwanow", "Janßen")


@dataclass(frozen=True)
class SyntheticPerson:
    id: str
    name: str
    abteilung: str
    ability: float


def synthetic_people(count: int, seed: int = 7) -> list[SyntheticPerson]:
    """``count`` people in four departments; the field service knows the topics a little better than others."""
    rng = random.Random(seed)
    base = {"Kundendienst": 0.72, "Vertrieb": 0.66, "Verwaltung": 0.58, "Produktion": 0.5}
    people = []
    for number in range(1, count + 1):
        department = DEPARTMENTS[(number - 1) % len(DEPARTMENTS)]
        name = f"{FIRST_NAMES[(number * 7) % len(FIRST_NAMES)]} {LAST_NAMES[(number * 3) % len(LAST_NAMES)]}"
        ability = min(0.97, max(0.1, rng.gauss(base[department], 0.15)))
        people.append(SyntheticPerson(f"tn{number:03d}", name, department, round(ability, 3)))
    return people


def plausible_answers(info: ModuleInfo, ability: float, rng: random.Random) -> dict[str, Any]:
    """Answers of a person with this ability to the single, multiple-choice and matching questions of a module."""
    keys = keys_of(info)
    answers: dict[str, Any] = {}
    for question in info.questions:
        key = keys.get(question["id"])
        if key is None or question["kind"] not in ("single", "multiple", "matching"):
            continue
        if rng.random() < 0.06:
            continue  # now and then a question is skipped
        if question["kind"] == "single":
            wrong = [o["id"] for o in question["options"] if o["id"] != key]
            misconception = wrong[0] if rng.random() < 0.6 else rng.choice(wrong)
            answers[question["id"]] = key if rng.random() < ability else misconception
        elif question["kind"] == "multiple":
            answers[question["id"]] = [
                o["id"] for o in question["options"] if (o["id"] in key) == (rng.random() < ability + 0.1)
            ]
        else:
            categories = [c["id"] for c in question["categories"]]
            answers[question["id"]] = {
                item: category if rng.random() < ability + 0.1 else rng.choice(categories)
                for item, category in key.items()
            }
    return answers


def answer_through_widgets(notebook: Path, folder: Path, answers: dict[str, Any]) -> None:
    """Write ``folder``'s answer file by setting each widget's selection, as clicks would."""
    questions = {q.question_id: q for q in load_questions(nbformat.read(notebook, as_version=4)).values()}
    store = AnswerStore.in_folder(folder)
    for question_id, value in answers.items():
        question = questions[question_id]
        question.store = store
        question.answer = value
        if question.practice and question.needs_check_button:
            question.submit()


def module_info(notebook: Path) -> ModuleInfo:
    return read_module(notebook)
