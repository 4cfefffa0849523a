"""A branching scene: every decision changes what happens next, and a debrief reviews the path at the end.

Why a scene and not more single questions: in a crisis, decisions build on each other — a rushed answer on Saturday
shapes what lands on your desk on Monday. Mini-scenarios are enough until decisions affect later options (Cathy
Moore); once they do, a branching scene with a debrief afterwards teaches better (Clark Quinn).

The scene is data: situations (``Node``) with decisions (``Choice``), checked when the ``Scenario`` is built, so an
author's mistake (a dangling reference, a loop, a dead end) fails while the module is written, never in front of
participants. The logic is pure functions (``walk``, ``all_paths``, ``review``) that tests call without a browser;
``ScenarioPlayer`` only draws a walk and turns button clicks into ``choose()``.

A completed run is recorded in the answer file as a practice entry whose value is the list of choice ids — only after
a click, never on display and never while nbgrader executes the notebook. The answer file keeps the first complete
run (for the facilitator's item analysis) and the latest one (shown again when the notebook is reopened).
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ipywidgets as widgets
from traitlets import Bool, List, TraitError, Unicode, observe, validate

from ..core.answers import AnswerStore, AnswerStoreError, Snapshot
from ..core.headless import in_grading
from ..quiz.access import live, name_source, named_group
from ..quiz.display import STYLE, active_profile, profile_notice, render_inline, render_text
from ..quiz.keyboard import CONTAINER_CLASS, KeyboardScope
from ..quiz.question import (
    local_time,
    options_hash,
    saved_entry,
    shown_order,
    status_markup,
)

RATINGS = {"good": 1.0, "mixed": 0.5, "poor": 0.0}  # a decision's share for the practice score
RATING_MARKS = {"good": "✓", "mixed": "◐", "poor": "✗"}
MAX_CHOICES = 4
KIND = "scenario"

SCENARIO_STYLE = """<style>
.kommfit-scenario { border-left: 4px solid #8a5a00; padding: 0.4em 0.9em 0.7em 0.9em; margin: 0.6em 0 1.2em 0;
  background: #fbf8f1; max-width: 52em; }
.kommfit-scenario .widget-html-content { line-height: 1.45; }
.kommfit-scenario .kommfit-situation h4 { margin: 0.5em 0 0.2em 0; }
.kommfit-scenario .kommfit-consequence { border: 1px solid #e3d6bd; background: #fff; padding: 0.2em 0.8em;
  margin: 0.3em 0; }
.kommfit-scenario button.kommfit-choice { height: auto !important; min-height: 2.2em; white-space: normal !important;
  text-align: left; line-height: 1.35; padding: 0.45em 0.8em; margin: 0.2em 0; overflow: visible !important; }
.kommfit-scenario .kommfit-debrief { border-top: 1px solid #e3d6bd; margin-top: 0.5em; }
.kommfit-scenario .kommfit-debrief li { margin: 0.3em 0; }
</style>"""


class ScenarioDefinitionError(ValueError):
    """A module author built a scene that could trap or confuse participants (raised while the module is written)."""


class ScenarioPathError(ValueError):
    """A sequence of choices the scene does not allow. The message is German: it can reach participants."""


@dataclass(frozen=True)
class Choice:
    """One decision in a situation: its button label, where it leads, what happens, and the debrief's view of it.

    ``rating`` is "good", "mixed" or "poor"; ``lesson`` says why — for a poor choice, what would have been better.
    """

    id: str
    label: str
    next: str
    consequence: str
    rating: str
    lesson: str


@dataclass(frozen=True)
class Node:
    """A situation of the scene. A node without choices is an ending."""

    id: str
    title: str
    text: str
    choices: tuple[Choice, ...] = field(default=())

    def __post_init__(self) -> None:
        object.__setattr__(self, "choices", tuple(self.choices))

    @property
    def is_ending(self) -> bool:
        return not self.choices


def _valid_id(value: str) -> bool:
    return bool(value) and all(c.isalnum() or c in "-_" for c in value)


class Scenario:
    """A checked scene: unique ids, every reference resolves, every node is reachable, and every path ends."""

    def __init__(self, scenario_id: str, title: str, nodes: list[Node], *, start: str = "", closing: str = ""):
        self.id = scenario_id
        self.title = title
        self.closing = closing
        self.start = start or (nodes[0].id if nodes else "")
        self.nodes = {node.id: node for node in nodes}
        self._choices = {c.id: c for node in nodes for c in node.choices}
        _check(self, list(nodes))

    def node(self, node_id: str) -> Node:
        return self.nodes[node_id]

    @property
    def endings(self) -> list[Node]:
        return [node for node in self.nodes.values() if node.is_ending]

    @property
    def fingerprint(self) -> str:
        """A hash of what participants choose from (unfilled texts, ids, links); consequences may be reworded."""
        material = [
            [n.id, n.title, n.text, [[c.id, c.label, c.next] for c in n.choices]] for n in self.nodes.values()
        ]
        return options_hash(KIND, self.id, [self.start, material])

    def __repr__(self) -> str:
        return f"<Entscheidungsszene {self.id!r}: {len(self.nodes)} Situationen, {len(self.endings)} Enden>"


def _check(scenario: Scenario, nodes: list[Node]) -> None:
    """Raise ScenarioDefinitionError for the first problem that would break a participant's run."""
    name = scenario.id
    if not _valid_id(name) or not scenario.title.strip():
        raise ScenarioDefinitionError(f"scenario {name!r}: needs an id (letters, digits, '-', '_') and a title")
    node_ids = [n.id for n in nodes]
    choice_ids = [c.id for n in nodes for c in n.choices]
    for ids, what in ((node_ids, "node"), (choice_ids, "choice")):
        bad = sorted({i for i in ids if ids.count(i) > 1 or not _valid_id(i)})
        if bad:
            raise ScenarioDefinitionError(f"{name}: {what} ids must be unique letters, digits, '-' or '_': {bad}")
    for node in nodes:
        if not node.title.strip() or not node.text.strip():
            raise ScenarioDefinitionError(f"{name}: node {node.id!r} needs a title and a text")
        if node.choices and not 2 <= len(node.choices) <= MAX_CHOICES:
            raise ScenarioDefinitionError(f"{name}: node {node.id!r} needs 2 to {MAX_CHOICES} choices or none")
        if node.choices and not any(c.rating == "good" for c in node.choices):
            raise ScenarioDefinitionError(f"{name}: node {node.id!r} needs a good choice the debrief can point to")
        for choice in node.choices:
            if choice.rating not in RATINGS:
                raise ScenarioDefinitionError(f"{name}: choice {choice.id!r} has rating {choice.rating!r}")
            if not all(text.strip() for text in (choice.label, choice.consequence, choice.lesson)):
                raise ScenarioDefinitionError(f"{name}: choice {choice.id!r} needs a label, a consequence and a lesson")
            if choice.next not in scenario.nodes:
                raise ScenarioDefinitionError(f"{name}: choice {choice.id!r} leads to unknown node {choice.next!r}")
    if scenario.start not in scenario.nodes or scenario.node(scenario.start).is_ending:
        raise ScenarioDefinitionError(f"{name}: the start {scenario.start!r} must be a node with choices")
    reached: set[str] = set()
    _follow(scenario, scenario.start, (), reached)
    unreachable = sorted(set(node_ids) - reached)
    if unreachable:
        raise ScenarioDefinitionError(f"{name}: no path leads to {unreachable}")


def _follow(scenario: Scenario, node_id: str, trail: tuple[str, ...], reached: set[str]) -> None:
    """Depth-first from ``node_id``; a node met again on its own trail is a loop, and a loop never ends."""
    if node_id in trail:
        loop = " → ".join((*trail[trail.index(node_id):], node_id))
        raise ScenarioDefinitionError(f"{scenario.id}: the path {loop} is a loop; every path must end")
    if node_id in reached:
        return  # already explored from here without meeting a loop
    for choice in scenario.node(node_id).choices:
        _follow(scenario, choice.next, (*trail, node_id), reached)
    reached.add(node_id)


@dataclass(frozen=True)
class Step:
    """One decision taken: the situation and the choice made there."""

    node: Node
    choice: Choice


@dataclass(frozen=True)
class Walk:
    """Where a sequence of choices leads: the steps taken and the current situation."""

    steps: tuple[Step, ...]
    current: Node

    @property
    def finished(self) -> bool:
        return self.current.is_ending

    @property
    def path(self) -> list[str]:
        return [step.choice.id for step in self.steps]

    @property
    def score(self) -> float:
        """Share of the best possible decisions (good 1, mixed ½, poor 0), for the facilitator's item analysis."""
        return sum(RATINGS[s.choice.rating] for s in self.steps) / len(self.steps) if self.steps else 0.0


def walk(scenario: Scenario, path: list[str] | tuple[str, ...]) -> Walk:
    """Follow ``path`` (choice ids) from the start; raise ScenarioPathError (German) at the first impossible step."""
    node = scenario.node(scenario.start)
    steps = []
    for choice_id in path:
        choice = next((c for c in node.choices if c.id == choice_id), None)
        if choice is None:
            where = "ist schon zu Ende" if node.is_ending else f"bietet die Wahl {choice_id!r} nicht an"
            raise ScenarioPathError(f"Ungültiger Weg: Die Situation »{node.title}« {where}.")
        steps.append(Step(node, choice))
        node = scenario.node(choice.next)
    return Walk(tuple(steps), node)


def all_paths(scenario: Scenario) -> list[list[str]]:
    """Every complete path from the start to an ending, as lists of choice ids (finite: the scene has no loops)."""
    paths: list[list[str]] = []

    def extend(node: Node, path: list[str]) -> None:
        if node.is_ending:
            paths.append(path)
        for choice in node.choices:
            extend(scenario.node(choice.next), [*path, choice.id])

    extend(scenario.node(scenario.start), [])
    return paths


@dataclass(frozen=True)
class Review:
    """The debrief of a finished walk: what went well, what would have been better (with the better choices)."""

    went_well: tuple[Step, ...]
    could_be_better: tuple[tuple[Step, tuple[Choice, ...]], ...]
    ending: Node
    score: float


def review(finished: Walk) -> Review:
    """Sort the steps of a finished walk into the two halves of the debrief."""
    if not finished.finished:
        raise ScenarioPathError("Die Szene ist noch nicht zu Ende – die Nachbesprechung folgt am Schluss.")
    better = tuple(
        (step, tuple(c for c in step.node.choices if c.rating == "good"))
        for step in finished.steps
        if step.choice.rating != "good"
    )
    well = tuple(step for step in finished.steps if step.choice.rating == "good")
    return Review(well, better, finished.current, finished.score)


class ScenarioPlayer(widgets.VBox):
    """Plays a scene: situation, one button per choice, the consequence of each decision, and a debrief at the end.

    ``choose()`` is exactly what a choice button does and ``restart()`` what "Von vorn beginnen" does, so tests drive
    the click's own code path. Two sets of choice buttons take turns from one situation to the next: a double click
    then lands on a button that is no longer offered and is ignored, instead of deciding the next situation too.
    """

    scenario_id = Unicode(help="Stable id of the scene; the key of its entry in the answer file.")
    path = List(Unicode(), help="Choice ids taken in the current run, from the start (set by choose and restart).")
    finished = Bool(False, help="True once the current run has reached an ending and the debrief is shown.")
    status = Unicode("", help="The German status line under the scene (saved, not saved, problems).")

    def __init__(self, scenario: Scenario, *, store: AnswerStore | None = None):
        self.scenario = scenario
        self.store = store or AnswerStore.in_folder(Path.cwd())
        # each node's buttons in this person's order (see shown_order); one read for the order and the pre-fill
        drawn_from = self.store.read()
        self._order_seed = drawn_from.shown_order_seed(in_grading())
        self._active = active_profile()
        self._progress_html = widgets.HTML()
        self._progress_html.add_class("kommfit-progress")
        self._consequence_html = widgets.HTML()
        self._situation_html = widgets.HTML()
        self._situation_html.add_class("kommfit-situation")
        self._button_sets = [[self._choice_button() for _ in range(MAX_CHOICES)] for _ in range(2)]
        self._debrief_html = widgets.HTML()
        self._restart_button = widgets.Button(
            description="Von vorn beginnen", icon="undo", tooltip="Die Szene von vorn beginnen",
            layout=widgets.Layout(width="auto", margin="0.6em 0 0 0"),
        )
        self._restart_button.add_class("kommfit-restart")
        self._restart_button.on_click(lambda _button: self.restart())
        self._status_html = widgets.HTML()
        self._status_html.add_class("kommfit-status")
        live(self._status_html)
        # After a click the focus moves to the next choices: their group is named by the situation, so a screen
        # reader reads it on arrival, and what the decision led to is read out as it appears.
        live(self._consequence_html, status=False)
        name_source(self._situation_html, "situation")
        header = widgets.HTML(STYLE + SCENARIO_STYLE + profile_notice(self._active))
        buttons = named_group(widgets.VBox([b for button_set in self._button_sets for b in button_set]), "situation")
        super().__init__([
            header, self._progress_html, self._consequence_html, self._situation_html, buttons,
            self._debrief_html, self._restart_button, self._status_html, KeyboardScope(),
        ])
        self.add_class("kommfit-scenario")
        self.add_class(CONTAINER_CLASS)
        self.add_class(f"kommfit-s-{scenario.id}")
        self.scenario_id = scenario.id
        self._render()
        self._load_saved(drawn_from)

    def _choice_button(self) -> widgets.Button:
        button = widgets.Button(layout=widgets.Layout(width="100%", display="none"))
        button.add_class("kommfit-choice")
        button.choice_id = None  # the choice it offers right now; None while its set is resting
        button.on_click(self._clicked)
        return button

    def _clicked(self, button: widgets.Button) -> None:
        if button.choice_id is not None:
            self.choose(button.choice_id)

    @property
    def buttons(self) -> dict[str, widgets.Button]:
        """The choice buttons offered right now, by choice id (tests click them like a participant)."""
        return {b.choice_id: b for s in self._button_sets for b in s if b.choice_id is not None}

    @validate("path")
    def _validate_path(self, proposal: Any) -> Any:
        try:
            walk(self.scenario, proposal["value"])
        except ScenarioPathError as error:
            raise TraitError(str(error)) from error
        return proposal["value"]

    @observe("path")
    def _path_changed(self, _change: Any) -> None:
        self._render()

    def choose(self, choice_id: str) -> bool:
        """What a click on a choice does: go on; at an ending, save the run. True if a finished run was saved."""
        walk(self.scenario, [*self.path, choice_id])  # raises ScenarioPathError (German) for an impossible step
        self.path = [*self.path, choice_id]
        self._set_status("")
        self._focus_next()
        return self._record() if self.finished else False

    def restart(self) -> None:
        """What "Von vorn beginnen" does: back to the first situation. Saved runs stay in the answer file."""
        self.path = []
        self._set_status("")
        self._focus_next()

    def _render(self) -> None:
        current = walk(self.scenario, self.path)
        self.finished = current.finished
        fill = self._active.profile.fill
        step_text = "Ende" if current.finished else f"Entscheidung {len(current.steps) + 1}"
        self._progress_html.value = f"<p><b>{html.escape(self.scenario.title)}</b> · {step_text}</p>"
        if current.steps:
            last = current.steps[-1].choice
            self._consequence_html.value = (
                f"<div class='kommfit-consequence'><p><b>Ihre Entscheidung:</b> {self._inline(last.label)}</p>"
                f"<p><b>Was daraufhin passiert:</b> {self._inline(last.consequence)}</p></div>"
            )
        else:
            self._consequence_html.value = ""
        node = current.current
        situation = render_text(node.text, self._active.profile)
        self._situation_html.value = f"<h4>{self._inline(node.title)}</h4>{situation}"
        active_set = len(current.steps) % 2
        for index, button_set in enumerate(self._button_sets):
            for slot, button in enumerate(button_set):
                choices = shown_order(node.choices, self._order_seed, f"{self.scenario.id}-{node.id}")
                choice = choices[slot] if index == active_set and slot < len(choices) else None
                button.choice_id = choice.id if choice else None
                if choice:
                    button.description = button.tooltip = fill(choice.label)
                button.layout.display = "" if choice else "none"
        self._debrief_html.value = self._debrief(review(current)) if current.finished else ""
        self._restart_button.layout.display = "" if current.steps else "none"

    def _inline(self, text: str) -> str:
        return render_inline(text, self._active.profile)

    def _debrief(self, result: Review) -> str:
        good, total = len(result.went_well), len(result.went_well) + len(result.could_be_better)
        parts = [
            "<div class='kommfit-debrief'><h4>Nachbesprechung</h4>",
            f"<p><b>{good} von {total} Entscheidungen {'war' if good == 1 else 'waren'} die beste Wahl.</b></p>",
            "<p><b>Das ist gut gelaufen:</b></p>",
        ]
        well = [
            f"<li>{RATING_MARKS['good']} <i>{self._inline(s.node.title)}:</i> {self._inline(s.choice.lesson)}</li>"
            for s in result.went_well
        ]
        parts.append("<ul>" + "".join(well) + "</ul>" if well else "<p>Diesmal noch nichts – der nächste Durchgang "
                     "zeigt, wie es anders laufen kann.</p>")
        parts.append("<p><b>Das wäre besser gewesen:</b></p>")
        better = [
            f"<li>{RATING_MARKS[s.choice.rating]} <i>{self._inline(s.node.title)}:</i> "
            f"{self._inline(s.choice.lesson)} <b>Besser:</b> "
            + " oder ".join(f"»{self._inline(c.label)}«" for c in choices) + "</li>"
            for s, choices in result.could_be_better
        ]
        parts.append("<ul>" + "".join(better) + "</ul>" if better else "<p>Nichts – Sie haben in jeder Situation "
                     "die beste Wahl getroffen.</p>")
        if self.scenario.closing:
            parts.append(render_text(self.scenario.closing, self._active.profile))
        parts.append("<p>Probieren Sie ruhig andere Wege aus: <b>Von vorn beginnen</b>.</p></div>")
        return "".join(parts)

    def _focus_next(self) -> None:
        """Keep keyboard users in the scene: focus the first choice, or "Von vorn beginnen" at the end."""
        offered = list(self.buttons.values())
        (offered[0] if offered else self._restart_button).focus()

    def _set_status(self, text: str, tone: str = "") -> None:
        self.status = text
        self._status_html.value = status_markup(text, tone)

    def _record(self) -> bool:
        """Save the finished run as a practice entry — only after a click, never in nbgrader's grading run."""
        if in_grading():
            self._set_status("Bewertungslauf: Es wird nichts gespeichert.")
            return False
        current = walk(self.scenario, self.path)
        try:
            entry = self.store.record(
                self.scenario_id, list(self.path), self.scenario.fingerprint, "practice", score=current.score
            )
        except AnswerStoreError as error:
            self._set_status(str(error), "bad")
            return False
        self._set_status(f"Durchgang {entry['attempts']} – gespeichert ({local_time(entry['time'])}).", "good")
        return True

    def _load_saved(self, drawn_from: Snapshot) -> None:
        """Show the last saved run again, with its debrief. Reads only: displaying the scene never writes anything."""
        entry = saved_entry(drawn_from, self.scenario_id, self._set_status)
        if entry is None:
            return
        value = entry["value"]
        if not self._is_finished_run(value) or entry["options_hash"] != self.scenario.fingerprint:
            self._set_status("Diese Szene hat sich seit Ihrem letzten Durchgang geändert. Spielen Sie sie gern neu.",
                             "hint")
            return
        self.path = list(value)
        self._set_status(
            f"Ihr Durchgang vom {local_time(entry['time'])} ist wieder geladen. "
            "Mit „Von vorn beginnen“ spielen Sie die Szene neu."
        )

    def _is_finished_run(self, value: Any) -> bool:
        if not isinstance(value, list):
            return False
        try:
            return walk(self.scenario, value).finished
        except ScenarioPathError:
            return False

    def __repr__(self) -> str:
        return (
            f"<Entscheidungsszene {self.scenario_id!r}: {len(self.scenario.nodes)} Situationen, "
            f"{len(self.scenario.endings)} Enden>"
        )
