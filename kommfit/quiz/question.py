"""The base of every quiz widget: an answer that is pre-filled from the answer file, checked, and saved on a click.

Why saving happens on the click itself and not on a separate save button: ipywidgets holds back a widget's state
update while the kernel is busy, but sends button clicks at once, so "choose, then click save" could save the
previous choice. A save triggered by the selection itself always sees the selection. It also means nobody can forget
to press a button.

A widget reads the answer file when it is built (pre-fill, which never writes) and writes only after a participant's
click, never while nbgrader executes the notebook (``NBGRADER_EXECUTION``). ``submit()`` is the click's own code path,
so tests and reference submissions drive exactly what a click does. The kinds of question live in ``kinds.py``.
"""

from __future__ import annotations

import hashlib
import html
import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import ipywidgets as widgets
from traitlets import Any as AnyTrait
from traitlets import Bool, TraitError, Unicode, observe, validate

from ..core.answers import AnswerStore, AnswerStoreError, Snapshot, entry_problem
from ..core.headless import in_grading, quiet_when_grading
from .access import live, name_source
from .display import STYLE, active_profile, profile_notice, render_inline, render_text
from .keyboard import CONTAINER_CLASS, KeyboardScope

PLACEHOLDER_CHOICE = "— bitte wählen —"
PROMPT_NAME = "prompt"  # the key under which the prompt names a question's controls (``access.name_source``)
UNASSIGNED = ""  # the dropdown value of the placeholder; None would leave the dropdown blank in the browser
STATUS_TONES = {"good": "kommfit-good", "bad": "kommfit-bad", "hint": "kommfit-hint"}
KEPT_ASIDE_ON_NEXT_SAVE = (  # follows AnswerStore's report of an unreadable answer file, wherever it is shown
    " Beim nächsten Speichern wird sie beiseitegelegt, damit nichts verloren geht. "
    "Bitte sagen Sie Ihrer Kursleitung Bescheid."
)


def shown_order(entries: tuple[Any, ...], seed: str | None, question_id: str) -> tuple[Any, ...]:
    """``entries`` (options, categories, choices) in the order one person sees them: a shuffle that depends only on
    the seed and the question, so a reload, another device and the grading kernel all show the same order.

    Why: in the author's order the key stood at the same place for everyone (and often first or longest); a
    participant could score by position instead of by reading.
    """
    if not seed:
        return tuple(entries)
    order = list(entries)
    random.Random(hashlib.sha256(f"{seed}\0{question_id}".encode()).digest()).shuffle(order)
    return tuple(order)


class QuizDefinitionError(ValueError):
    """A module author defined a question that breaks the quiz rules (raised while the module is written)."""


@dataclass(frozen=True)
class Option:
    """One answer option. ``feedback`` and ``correct`` are for practice questions only."""

    id: str
    text: str
    feedback: str = ""
    correct: bool = False


@dataclass(frozen=True)
class Item:
    """One thing to be sorted in a matching question. ``category`` and ``feedback`` are for practice only."""

    id: str
    text: str
    category: str = ""
    feedback: str = ""


def options_hash(kind: str, question_id: str, material: Any) -> str:
    """A short fingerprint of what the participant was shown: kind, id and the (unfilled) texts with their ids.

    Texts are hashed before company placeholders are filled, so a changed profile never invalidates answers.
    """
    payload = json.dumps([kind, question_id, material], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


def status_markup(text: str, tone: str = "") -> str:
    """The status line under a widget: escaped German text, coloured by tone ("good", "bad", "hint")."""
    return f'<span class="{STATUS_TONES.get(tone, "")}">{html.escape(text)}</span>' if text else ""


def saved_entry(snapshot: Snapshot, key: str, set_status: Callable[[str, str], None]) -> dict[str, Any] | None:
    """The saved entry a widget pre-fills from, or None; ``snapshot`` is the answer file as the widget read it while
    being drawn. An unreadable answer file is reported in the widget's status line and left alone: displaying a widget
    never writes, the next save keeps the damaged file aside."""
    if snapshot.problem:
        set_status(snapshot.problem + KEPT_ASIDE_ON_NEXT_SAVE, "bad")
        return None
    entry = snapshot.answers.get(key)
    return entry if entry_problem(entry) is None else None


def local_time(stamp: str) -> str:
    """A stored ISO timestamp as German local time ("27.11.2026, 09:30 Uhr"); odd stamps stay as they are."""
    try:
        return datetime.fromisoformat(stamp).astimezone().strftime("%d.%m.%Y, %H:%M Uhr")
    except ValueError:
        return stamp


class Question(widgets.VBox):
    """Common behaviour of all quiz widgets: layout, pre-fill, submit, status and feedback."""

    kind = "question"
    kind_label = "Frage"
    needs_check_button = True  # practice questions whose answer has several parts are checked on request
    shuffle = False  # kinds with options set this per question (see ``shown``)

    question_id = Unicode(help="Stable id of the question; the key of its entry in the answer file.")
    prompt = Unicode(help="The question as plain German text; **bold** and {placeholders} of the profile allowed.")
    practice = Bool(False, help="True for an Übung with instant feedback, False for a graded Abschluss-Check item.")
    answer = AnyTrait(None, allow_none=True, help="The current selection, in the shape stored in the answer file.")
    status = Unicode("", help="The German status line under the question (saved, not saved, problems).")

    def __init__(self, question_id: str, prompt: str, *, practice: bool = False, store: AnswerStore | None = None):
        if not question_id or not all(c.isalnum() or c in "-_" for c in question_id):
            raise QuizDefinitionError(f"question id {question_id!r} must be letters, digits, '-' or '_'")
        quiet_when_grading()
        self._syncing = True
        self._active = active_profile()
        self.store = store or AnswerStore.in_folder(Path.cwd())
        # One read for the order and the pre-fill: in the browser each read is a round trip through the busy page.
        drawn_from = self.store.read()
        self._order_seed = drawn_from.shown_order_seed(in_grading())
        self._order_key = question_id
        self._prompt_html = widgets.HTML()
        self._prompt_html.add_class("kommfit-prompt")
        name_source(self._prompt_html, PROMPT_NAME)  # names the options' group or the text field (``access.py``)
        self._inputs = self._build_inputs()
        self._button = widgets.Button(
            description="Antwort prüfen",
            button_style="primary",
            tooltip="Antwort prüfen",
            layout=widgets.Layout(width="auto", margin="0.6em 0 0 0"),
        )
        self._button.add_class("kommfit-submit")
        self._button.on_click(lambda _button: self.submit())
        if not (practice and self.needs_check_button):
            self._button.layout.display = "none"
        self._status_html = widgets.HTML()
        self._status_html.add_class("kommfit-status")
        live(self._status_html)  # "Antwort gespeichert" is read out
        self._feedback_html = widgets.HTML()
        self._feedback_html.add_class("kommfit-feedback")
        live(self._feedback_html, status=False)
        header = widgets.HTML(STYLE + profile_notice(self._active))
        super().__init__(
            children=[
                header,
                self._prompt_html,
                self._inputs,
                self._button,
                self._status_html,
                self._feedback_html,
                KeyboardScope(),
            ]
        )
        self.add_class("kommfit-quiz")
        self.add_class(CONTAINER_CLASS)
        self.add_class(f"kommfit-q-{question_id}")
        self.question_id = question_id
        self.practice = practice
        self.prompt = prompt
        self._prompt_html.value = render_text(prompt, self._active.profile)
        self._syncing = False
        self._load_saved(drawn_from)

    def shown(self, entries: tuple[Any, ...]) -> tuple[Any, ...]:
        """``entries`` in this person's order (see ``shown_order``); the author's order where ``shuffle`` is off."""
        return shown_order(entries, self._order_seed if self.shuffle else None, self._order_key)

    # ------------------------------------------------------------------ to be provided by each kind of question
    def _build_inputs(self) -> widgets.Widget:
        raise NotImplementedError

    def _read_inputs(self) -> Any:
        raise NotImplementedError

    def _write_inputs(self, answer: Any) -> None:
        raise NotImplementedError

    def _normalise(self, answer: Any) -> Any:
        """Check an answer's shape and ids; return it in canonical form or raise TraitError (German)."""
        raise NotImplementedError

    def _is_complete(self, answer: Any) -> bool:
        raise NotImplementedError

    def _hash_material(self) -> Any:
        raise NotImplementedError

    def _practice_fraction(self, answer: Any) -> float:
        raise NotImplementedError

    def _practice_feedback(self, answer: Any) -> str:
        raise NotImplementedError

    def count(self) -> int:
        """Number of options (or items) shown, for the overview and the repr."""
        raise NotImplementedError

    # ------------------------------------------------------------------ shared behaviour
    @property
    def options_hash(self) -> str:
        return options_hash(self.kind, self.question_id, self._hash_material())

    def fill(self, text: str) -> str:
        """Text as inline HTML with the company's placeholders filled (for feedback)."""
        return render_inline(text, self._active.profile)

    def plain(self, text: str) -> str:
        """Text with placeholders filled, for widget labels (the widgets escape it themselves)."""
        return self._active.profile.fill(text)

    @validate("answer")
    def _validate_answer(self, proposal: Any) -> Any:
        value = proposal["value"]
        return None if value is None else self._normalise(value)

    @observe("answer")
    def _answer_changed(self, change: dict[str, Any]) -> None:
        if self._syncing:
            return
        self._syncing = True
        try:
            self._write_inputs(change["new"])
        finally:
            self._syncing = False
        self._selection_changed()

    def _inputs_changed(self, _change: Any = None) -> None:
        """Called by the input widgets on every click; keeps ``answer`` in step without saving anything."""
        if self._syncing:
            return
        self._syncing = True
        try:
            self.answer = self._read_inputs()
        finally:
            self._syncing = False
        self._selection_changed()

    def _selection_changed(self) -> None:
        """A participant changed the selection: save it (Abschluss-Check), explain it (single-choice Übung), or
        clear feedback that no longer fits (Übung with a check button)."""
        if self.practice and self.needs_check_button:
            self._feedback_html.value = ""
            self._set_status("")
            return
        self.submit()

    def _set_status(self, text: str, tone: str = "") -> None:
        self.status = text
        self._status_html.value = status_markup(text, tone)

    def _load_saved(self, drawn_from: Snapshot) -> None:
        """Pre-fill from the answer file. Reads only: displaying a question never writes anything."""
        entry = saved_entry(drawn_from, self.question_id, self._set_status)
        if entry is None:
            return
        if entry["options_hash"] != self.options_hash:
            self._set_status(
                "Diese Frage wurde seit Ihrer letzten Antwort geändert. Bitte beantworten Sie sie neu.", "hint"
            )
            return
        try:
            normalised = self._normalise(entry["value"])
        except TraitError:
            self._set_status(
                "Die gespeicherte Antwort passt nicht zu dieser Frage. Bitte beantworten Sie sie neu.", "hint"
            )
            return
        self._syncing = True
        try:
            self.answer = normalised
            self._write_inputs(normalised)
        finally:
            self._syncing = False
        when = local_time(entry["time"])
        if self.practice:
            self._feedback_html.value = self._practice_feedback(normalised)
            self._set_status(f"Ihre Antwort vom {when} ist wieder geladen.")
        else:
            self._set_status(f"✓ Antwort gespeichert ({when}). Sie können sie bis zur Abgabe ändern.", "good")

    def submit(self) -> bool:
        """What a click does: check the selection, then give feedback (Übung) or save it (Abschluss-Check).

        Returns True if the answer is saved (also when it was saved unchanged before).
        """
        answer = self.answer
        if answer is None or not self._is_complete(answer):
            self._set_status(self._incomplete_message(), "hint")
            return False
        fraction = self._practice_fraction(answer) if self.practice else None
        if self.practice:
            self._feedback_html.value = self._practice_feedback(answer)
        if in_grading():
            self._set_status("Bewertungslauf: Es wird nichts gespeichert.")
            return False
        saved = self.store.get(self.question_id)
        if not self.practice and saved and saved["value"] == answer and saved["options_hash"] == self.options_hash:
            return True  # the same answer again (e.g. a repeated click): nothing new to record
        try:
            entry = self.store.record(
                self.question_id,
                answer,
                self.options_hash,
                "practice" if self.practice else "graded",
                score=fraction,
            )
        except AnswerStoreError as error:
            self._set_status(str(error), "bad")
            return False
        when = local_time(entry["time"])
        if self.practice:
            self._set_status(f"Versuch {entry['attempts']} – gespeichert ({when}).")
        else:
            self._set_status(f"✓ Antwort gespeichert ({when}). Sie können sie bis zur Abgabe ändern.", "good")
        return True

    def _incomplete_message(self) -> str:
        return "Bitte wählen Sie zuerst eine Antwort."

    def describe(self) -> dict[str, Any]:
        """The question as data (for the course overview, spell check and item analysis)."""
        return {"kind": self.kind, "id": self.question_id, "prompt": self.prompt, "practice": self.practice}

    def __repr__(self) -> str:
        mode = "Übung" if self.practice else "Abschluss-Check"
        return f"<{self.kind_label} {self.question_id!r}: {self.count()} Optionen, {mode}>"


def verdict_html(fraction: float) -> str:
    """The one-line verdict above an exercise's explanation, from the share of points reached."""
    if fraction >= 1.0:
        return '<p class="kommfit-good"><b>✓ Gut gewählt.</b></p>'
    if fraction > 0:
        return f'<p class="kommfit-hint"><b>◐ Teilweise richtig ({round(fraction * 100)} %).</b></p>'
    return '<p class="kommfit-bad"><b>✗ Das ist nicht die beste Wahl.</b></p>'
