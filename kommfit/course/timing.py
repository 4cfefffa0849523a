"""How long a module takes a participant, estimated from what it shows — not from what its author hopes.

Why: a module's declared minutes (notebook metadata) were written once and drifted as scenes and items were added;
module 06 grew to about 35 minutes while it still said 30. Workshops are planned in minutes, so ``kommfit overview``
prints this estimate next to the declared time and the tests hold both to the 20–30 minute frame.

The model is deliberately simple and explicit, so an author can see what a change costs:
reading at ``WORDS_PER_MINUTE`` (careful reading of new material on screen, by people who do not read for a living)
everything a participant reads — markdown, every question with its options, for each exercise the explanation they
get back (one option's for a single choice, all for the others), and in a branching scene an average path with its
consequences and debrief — plus a fixed time per interaction.
"""

from __future__ import annotations

import ast
import re
from typing import Any

import nbformat

from ..activities.scenario import Scenario, all_paths, walk
from .catalog import ModuleInfo, load_objects, without_hidden

WORDS_PER_MINUTE = 150
SECONDS_PER_ANSWER = {"single": 20, "multiple": 40, "text": 180}
SECONDS_PER_MATCHED_ITEM = 10
SECONDS_OTHER_QUESTION = 120  # channel map, checklist: several small decisions
SECONDS_PER_ACTIVITY = 120  # explorers, tone coach, talent check: trying sliders and examples
SECONDS_PER_SCENE_DECISION = 15
SCENE_RUNS = 2  # modules invite participants to play a scene again and try another way
ACTIVITIES = {"ReachExplorer", "VisibilityExplorer", "ToneCoach", "TalentCheck", "ChannelGuide", "show_voices"}


def words(text: str) -> int:
    return len(re.findall(r"\w+", text))


def _question_words(question: dict[str, Any]) -> float:
    entries = question.get("options", []) + question.get("items", []) + question.get("categories", [])
    shown = words(question["prompt"]) + sum(words(e["text"]) for e in entries)
    if not question["practice"]:
        return shown  # graded items are explained only in the feedback after grading
    explanations = [words(e.get("feedback", "")) for e in question.get("options", []) + question.get("items", [])]
    if not explanations:
        return shown
    return shown + (sum(explanations) / len(explanations) if question["kind"] == "single" else sum(explanations))


def _question_seconds(question: dict[str, Any]) -> float:
    if question["kind"] == "matching":
        return SECONDS_PER_MATCHED_ITEM * len(question["items"])
    return SECONDS_PER_ANSWER.get(question["kind"], SECONDS_OTHER_QUESTION)


def _scene_minutes(scene: Scenario) -> float:
    """An average path through the scene: situations, buttons, consequences, then the debrief of each decision."""
    paths = all_paths(scene)
    total = 0.0
    for path in paths:
        run = walk(scene, path)
        read = sum(
            words(step.node.text) + sum(words(c.label) for c in step.node.choices)
            + words(step.choice.consequence) + words(step.choice.lesson)
            for step in run.steps
        )
        total += read / WORDS_PER_MINUTE + len(run.steps) * SECONDS_PER_SCENE_DECISION / 60
    return SCENE_RUNS * total / len(paths)


def _activity_calls(nb: Any) -> int:
    calls = 0
    for cell in nb.cells:
        if cell.cell_type == "code":
            tree = ast.parse(without_hidden(cell.source))
            calls += sum(
                isinstance(n, ast.Call) and getattr(n.func, "id", "") in ACTIVITIES for n in ast.walk(tree)
            )
    return calls


def estimated_minutes(info: ModuleInfo) -> float:
    """The estimated working time of a module in minutes (see the module docstring for the model)."""
    nb = nbformat.read(info.path, as_version=4)
    markdown = sum(words(cell.source) for cell in nb.cells if cell.cell_type == "markdown")
    reading = (markdown + sum(_question_words(q) for q in info.questions)) / WORDS_PER_MINUTE
    answering = sum(_question_seconds(q) for q in info.questions) / 60
    activities = _activity_calls(nb) * SECONDS_PER_ACTIVITY / 60
    scenes = sum(_scene_minutes(scene) for scene in load_objects(nb, Scenario).values())
    return reading + answering + activities + scenes
