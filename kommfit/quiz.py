"""Scenario quiz widgets: single choice, multiple choice and matching.

Two modes:

* **Übung** (``practice=True``): every option carries its feedback and the key. A single choice explains the chosen
  option as soon as it is clicked; multiple choice and matching have an "Antwort prüfen" button. The first attempt
  is kept for the facilitator's item analysis.
* **Abschluss-Check** (``practice=False``): the notebook holds no key and no feedback at all — they live only in the
  hidden grade cell. Every click saves the answer at once ("Antwort gespeichert"); it can be changed until submission.

Why saving happens on the click itself and not on a separate save button: ipywidgets holds back a widget's state
update while the kernel is busy, but sends button clicks at once, so "choose, then click save" could save the
previous choice. A save triggered by the selection itself always sees the selection. It also means nobody can forget
to press a button.

A widget reads the answer file when it is built (pre-fill, which never writes) and writes only after a participant's
click, never while nbgrader executes the notebook (``NBGRADER_EXECUTION``). ``submit()`` is the click's own code path,
so tests and reference submissions drive exactly what a click does.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import ipywidgets as widgets
from traitlets import Any as AnyTrait
from traitlets import Bool, TraitError, Unicode, observe, validate

from . import scoring
from .answers import AnswerStore, AnswerStoreError
from .display import STYLE, active_profile, notice_html, profile_notice, render_inline, render_text
from .headless import quiet_when_grading
from .keyboard import CONTAINER_CLASS, KeyboardScope

PLACEHOLDER_CHOICE = "— bitte wählen —"
UNASSIGNED = ""  # the dropdown value of the placeholder; None would leave the dropdown blank in the browser
GRADING_ENV = "NBGRADER_EXECUTION"


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


def _in_grading() -> bool:
    return bool(os.environ.get(GRADING_ENV))


def _local_time(stamp: str) -> str:
    try:
        return datetime.fromisoformat(stamp).astimezone().strftime("%d.%m.%Y, %H:%M Uhr")
    except ValueError:
        return stamp


class Question(widgets.VBox):
    """Common behaviour of all quiz widgets: layout, pre-fill, submit, status and feedback."""

    kind = "question"
    kind_label = "Frage"
    needs_check_button = True  # practice questions whose answer has several parts are checked on request

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
        self._prompt_html = widgets.HTML()
        self._prompt_html.add_class("kommfit-prompt")
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
        self._feedback_html = widgets.HTML()
        self._feedback_html.add_class("kommfit-feedback")
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
        self._load_saved()

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
        css = {"good": "kommfit-good", "bad": "kommfit-bad", "hint": "kommfit-hint"}.get(tone, "")
        self._status_html.value = f'<span class="{css}">{html.escape(text)}</span>' if text else ""

    def _load_saved(self) -> None:
        """Pre-fill from the answer file. Reads only: displaying a question never writes anything."""
        snapshot = self.store.read()
        if snapshot.problem:
            self._set_status(
                snapshot.problem + " Beim nächsten Speichern wird sie beiseitegelegt, damit nichts verloren geht. "
                "Bitte sagen Sie Ihrer Kursleitung Bescheid.",
                "bad",
            )
            return
        entry = self.store.get(self.question_id)
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
        when = _local_time(entry["time"])
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
        if _in_grading():
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
        when = _local_time(entry["time"])
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


def _verdict(fraction: float) -> str:
    if fraction >= 1.0:
        return '<p class="kommfit-good"><b>✓ Gut gewählt.</b></p>'
    if fraction > 0:
        return f'<p class="kommfit-hint"><b>◐ Teilweise richtig ({round(fraction * 100)} %).</b></p>'
    return '<p class="kommfit-bad"><b>✗ Das ist nicht die beste Wahl.</b></p>'


def _check_options(question_id: str, options: Sequence[Option], practice: bool) -> tuple[Option, ...]:
    options = tuple(options)
    ids = [o.id for o in options]
    if not 2 <= len(options) <= 6:
        raise QuizDefinitionError(f"{question_id}: needs 2 to 6 options, got {len(options)}")
    if len(set(ids)) != len(ids) or not all(ids):
        raise QuizDefinitionError(f"{question_id}: option ids must be unique and non-empty")
    for option in options:
        if not option.text.strip():
            raise QuizDefinitionError(f"{question_id}: option {option.id!r} has no text")
        if practice and not option.feedback.strip():
            raise QuizDefinitionError(f"{question_id}: practice option {option.id!r} needs feedback")
        if not practice and (option.feedback or option.correct):
            raise QuizDefinitionError(
                f"{question_id}: graded option {option.id!r} must not carry feedback or the key "
                "(they belong in the hidden grade cell)"
            )
    return options


class _ChoiceQuestion(Question):
    """Shared parts of single and multiple choice."""

    def __init__(
        self,
        question_id: str,
        prompt: str,
        options: Sequence[Option],
        *,
        practice: bool = False,
        store: AnswerStore | None = None,
    ):
        self.options = _check_options(question_id, options, practice)
        self._check_key(question_id, practice)
        super().__init__(question_id, prompt, practice=practice, store=store)

    def _check_key(self, question_id: str, practice: bool) -> None:
        raise NotImplementedError

    def count(self) -> int:
        return len(self.options)

    def _hash_material(self) -> Any:
        return [[o.id, o.text] for o in self.options]

    def _option(self, option_id: str) -> Option:
        return next(o for o in self.options if o.id == option_id)

    def _all_feedback(self, chosen: set[str]) -> str:
        rows = []
        for option in self.options:
            mark = "☑" if option.id in chosen else "☐"
            tone = "kommfit-good" if option.correct else "kommfit-bad"
            verdict = "gute Wahl" if option.correct else "keine gute Wahl"
            rows.append(
                f"<p>{mark} <i>{self.fill(option.text)}</i> – <span class='{tone}'>{verdict}</span>: "
                f"{self.fill(option.feedback)}</p>"
            )
        return "<details><summary>Erklärungen zu allen Antworten</summary>" + "".join(rows) + "</details>"

    def describe(self) -> dict[str, Any]:
        data = super().describe()
        data["options"] = [
            {"id": o.id, "text": o.text, "feedback": o.feedback, "correct": o.correct} for o in self.options
        ]
        return data


class SingleChoice(_ChoiceQuestion):
    """One best answer out of three or four, chosen with radio buttons (keyboard: arrow keys)."""

    kind = "single"
    kind_label = "Einfachauswahl"
    needs_check_button = False  # one click is the whole answer: explain it at once

    def _check_key(self, question_id: str, practice: bool) -> None:
        if practice and sum(o.correct for o in self.options) != 1:
            raise QuizDefinitionError(f"{question_id}: a practice single choice needs exactly one correct option")

    def _build_inputs(self) -> widgets.Widget:
        self._radio = widgets.RadioButtons(
            options=[(self.plain(o.text), o.id) for o in self.options],
            value=None,
            layout=widgets.Layout(width="100%"),
        )
        self._radio.observe(self._inputs_changed, names="value")
        return self._radio

    def _read_inputs(self) -> Any:
        return self._radio.value

    def _write_inputs(self, answer: Any) -> None:
        self._radio.value = answer

    def _normalise(self, answer: Any) -> Any:
        if not isinstance(answer, str) or answer not in {o.id for o in self.options}:
            raise TraitError(f"Ungültige Auswahl: {answer!r} ist keine Option der Frage {self.question_id}.")
        return answer

    def _is_complete(self, answer: Any) -> bool:
        return isinstance(answer, str)

    def _practice_fraction(self, answer: Any) -> float:
        correct = next(o.id for o in self.options if o.correct)
        return scoring.score_single(answer, correct)

    def _practice_feedback(self, answer: Any) -> str:
        chosen = self._option(answer)
        return (
            _verdict(self._practice_fraction(answer))
            + f"<p>{self.fill(chosen.feedback)}</p>"
            + self._all_feedback({answer})
        )


class MultipleChoice(_ChoiceQuestion):
    """Several right answers, ticked with checkboxes; partial credit (see ``scoring.score_multiple``)."""

    kind = "multiple"
    kind_label = "Mehrfachauswahl"

    def _check_key(self, question_id: str, practice: bool) -> None:
        if practice and not any(o.correct for o in self.options):
            raise QuizDefinitionError(f"{question_id}: a practice multiple choice needs at least one correct option")

    def _build_inputs(self) -> widgets.Widget:
        self._boxes = [
            widgets.Checkbox(
                value=False,
                description=self.plain(o.text),
                indent=False,
                layout=widgets.Layout(width="100%"),
            )
            for o in self.options
        ]
        for box in self._boxes:
            box.observe(self._inputs_changed, names="value")
        hint = widgets.HTML("<i>Mehrere Antworten können richtig sein.</i>")
        return widgets.VBox([hint, *self._boxes])

    def _read_inputs(self) -> Any:
        chosen = [o.id for o, box in zip(self.options, self._boxes, strict=True) if box.value]
        return chosen if chosen or self.store.get(self.question_id) else None

    def _write_inputs(self, answer: Any) -> None:
        chosen = set(answer or [])
        for option, box in zip(self.options, self._boxes, strict=True):
            box.value = option.id in chosen

    def _normalise(self, answer: Any) -> Any:
        ids = [o.id for o in self.options]
        if not isinstance(answer, list | tuple | set) or not all(isinstance(a, str) and a in ids for a in answer):
            raise TraitError(f"Ungültige Auswahl: {answer!r} passt nicht zu den Optionen der Frage {self.question_id}.")
        return [i for i in ids if i in set(answer)]

    def _is_complete(self, answer: Any) -> bool:
        """Nothing ticked is a valid (if pointless) graded answer, so what is saved always matches what is shown."""
        return isinstance(answer, list) and (len(answer) > 0 or not self.practice)

    def _incomplete_message(self) -> str:
        return "Bitte kreuzen Sie mindestens eine Antwort an."

    def _practice_fraction(self, answer: Any) -> float:
        return scoring.score_multiple(answer, [o.id for o in self.options if o.correct])

    def _practice_feedback(self, answer: Any) -> str:
        chosen = set(answer)
        rows = []
        for option in self.options:
            right = (option.id in chosen) == option.correct
            icon = "✓" if right else "✗"
            tone = "kommfit-good" if right else "kommfit-bad"
            action = "angekreuzt" if option.id in chosen else "nicht angekreuzt"
            rows.append(
                f"<p><span class='{tone}'>{icon}</span> <i>{self.fill(option.text)}</i> ({action}): "
                f"{self.fill(option.feedback)}</p>"
            )
        return _verdict(self._practice_fraction(answer)) + "".join(rows)


class Matching(Question):
    """Sort each item into one category with a dropdown; credit is the share of items placed right."""

    kind = "matching"
    kind_label = "Zuordnung"

    def __init__(
        self,
        question_id: str,
        prompt: str,
        items: Sequence[Item],
        categories: Sequence[Option],
        *,
        practice: bool = False,
        store: AnswerStore | None = None,
    ):
        self.items = tuple(items)
        self.categories = tuple(categories)
        self._check_definition(question_id, practice)
        super().__init__(question_id, prompt, practice=practice, store=store)

    def _check_definition(self, question_id: str, practice: bool) -> None:
        category_ids = [c.id for c in self.categories]
        item_ids = [i.id for i in self.items]
        if not 2 <= len(self.categories) <= 5 or len(set(category_ids)) != len(category_ids):
            raise QuizDefinitionError(f"{question_id}: needs 2 to 5 categories with unique ids")
        if not 2 <= len(self.items) <= 8 or len(set(item_ids)) != len(item_ids):
            raise QuizDefinitionError(f"{question_id}: needs 2 to 8 items with unique ids")
        for category in self.categories:
            if category.feedback or category.correct:
                raise QuizDefinitionError(f"{question_id}: categories carry no feedback or key")
        for item in self.items:
            if practice and (item.category not in category_ids or not item.feedback.strip()):
                raise QuizDefinitionError(f"{question_id}: practice item {item.id!r} needs a category and feedback")
            if not practice and (item.category or item.feedback):
                raise QuizDefinitionError(
                    f"{question_id}: graded item {item.id!r} must not carry the key (it belongs in hidden tests)"
                )

    def count(self) -> int:
        return len(self.items)

    def _hash_material(self) -> Any:
        return {"items": [[i.id, i.text] for i in self.items], "categories": [[c.id, c.text] for c in self.categories]}

    def _build_inputs(self) -> widgets.Widget:
        choices = [(PLACEHOLDER_CHOICE, UNASSIGNED)] + [(self.plain(c.text), c.id) for c in self.categories]
        self._dropdowns: dict[str, widgets.Dropdown] = {}
        rows = []
        for item in self.items:
            dropdown = widgets.Dropdown(options=choices, value=UNASSIGNED, layout=widgets.Layout(width="16em"))
            dropdown.add_class(f"kommfit-item-{item.id}")
            dropdown.observe(self._inputs_changed, names="value")
            self._dropdowns[item.id] = dropdown
            text = widgets.HTML(self.fill(item.text), layout=widgets.Layout(width="30em"))
            text.add_class("kommfit-item")
            rows.append(widgets.HBox([text, dropdown], layout=widgets.Layout(align_items="center")))
        return widgets.VBox(rows)

    def _read_inputs(self) -> Any:
        chosen = {item_id: d.value for item_id, d in self._dropdowns.items() if d.value != UNASSIGNED}
        return chosen or None

    def _write_inputs(self, answer: Any) -> None:
        answer = answer or {}
        for item_id, dropdown in self._dropdowns.items():
            dropdown.value = answer.get(item_id, UNASSIGNED)

    def _normalise(self, answer: Any) -> Any:
        categories = {c.id for c in self.categories}
        items = {i.id for i in self.items}
        if not isinstance(answer, dict) or not all(
            k in items and isinstance(v, str) and v in categories for k, v in answer.items()
        ):
            raise TraitError(f"Ungültige Zuordnung: {answer!r} passt nicht zur Frage {self.question_id}.")
        return {i.id: answer[i.id] for i in self.items if i.id in answer}

    def _is_complete(self, answer: Any) -> bool:
        return isinstance(answer, dict) and set(answer) == {i.id for i in self.items}

    def _incomplete_message(self) -> str:
        missing = len(self.items) - len(self.answer or {})
        if self.practice:
            return "Bitte ordnen Sie jeden Punkt einer Kategorie zu."
        return f"Noch {missing} offen – gespeichert wird, sobald jeder Punkt eine Kategorie hat."

    def _practice_fraction(self, answer: Any) -> float:
        return scoring.score_matching(answer, {i.id: i.category for i in self.items})

    def _practice_feedback(self, answer: Any) -> str:
        names = {c.id: c.text for c in self.categories}
        rows = []
        for item in self.items:
            right = answer.get(item.id) == item.category
            icon, tone = ("✓", "kommfit-good") if right else ("✗", "kommfit-bad")
            rows.append(
                f"<p><span class='{tone}'>{icon}</span> <i>{self.fill(item.text)}</i> → "
                f"<b>{self.fill(names[item.category])}</b>: {self.fill(item.feedback)}</p>"
            )
        return _verdict(self._practice_fraction(answer)) + "".join(rows)

    def describe(self) -> dict[str, Any]:
        data = super().describe()
        data["items"] = [
            {"id": i.id, "text": i.text, "category": i.category, "feedback": i.feedback} for i in self.items
        ]
        data["categories"] = [{"id": c.id, "text": c.text} for c in self.categories]
        return data


class FreeText(Question):
    """A text the participant writes, e.g. a draft post or a personal plan.

    ``hints`` (text → HTML) is shown live while typing, in both modes. A practice text is checked on request with
    ``feedback`` (text → (share 0–1, HTML)); a graded text is saved as it is typed and checked by rules in the hidden
    grade cell.
    """

    kind = "text"
    kind_label = "Freitext"

    def __init__(
        self,
        question_id: str,
        prompt: str,
        *,
        placeholder: str = "",
        rows: int = 6,
        max_length: int = 3000,
        hints: Callable[[str], str] | None = None,
        feedback: Callable[[str], tuple[float, str]] | None = None,
        practice: bool = False,
        store: AnswerStore | None = None,
    ):
        if not practice and feedback is not None:
            raise QuizDefinitionError(f"{question_id}: graded texts are checked in the hidden grade cell, not here")
        self.placeholder = placeholder
        self.rows = rows
        self.max_length = max_length
        self._hints = hints
        self._feedback = feedback
        super().__init__(question_id, prompt, practice=practice, store=store)

    def count(self) -> int:
        return 1

    def __repr__(self) -> str:
        mode = "Übung" if self.practice else "Abschluss-Check"
        return f"<{self.kind_label} {self.question_id!r}: höchstens {self.max_length} Zeichen, {mode}>"

    def _hash_material(self) -> Any:
        return {"prompt": self.prompt, "max_length": self.max_length}

    def _build_inputs(self) -> widgets.Widget:
        self._text = widgets.Textarea(
            value="",
            placeholder=self.placeholder,
            rows=self.rows,
            continuous_update=True,
            layout=widgets.Layout(width="100%"),
        )
        self._text.add_class("kommfit-text")
        self._text.observe(self._inputs_changed, names="value")
        self._counter = widgets.HTML()
        self._hints_html = widgets.HTML()
        self._hints_html.add_class("kommfit-hints")
        self._show_live(self._text.value)
        return widgets.VBox([self._text, self._counter, self._hints_html])

    def _show_live(self, text: str) -> None:
        over = len(text) > self.max_length
        tone = "kommfit-bad" if over else ""
        self._counter.value = f"<small class='{tone}'>{len(text)} / {self.max_length} Zeichen</small>"
        self._hints_html.value = self._hints(text) if self._hints else ""

    def _read_inputs(self) -> Any:
        self._show_live(self._text.value)
        return self._text.value if self._text.value or self.store.get(self.question_id) else None

    def _write_inputs(self, answer: Any) -> None:
        self._text.value = answer or ""
        self._show_live(self._text.value)

    def _normalise(self, answer: Any) -> Any:
        if not isinstance(answer, str):
            raise TraitError(f"Ungültiger Text für die Frage {self.question_id}.")
        if len(answer) > self.max_length:
            raise TraitError(f"Ungültiger Text: mehr als {self.max_length} Zeichen.")
        return answer

    def _is_complete(self, answer: Any) -> bool:
        return isinstance(answer, str) and (bool(answer.strip()) or not self.practice)

    def _incomplete_message(self) -> str:
        return "Bitte schreiben Sie zuerst etwas in das Feld."

    def _practice_fraction(self, answer: Any) -> float:
        return self._feedback(answer)[0] if self._feedback else 1.0

    def _practice_feedback(self, answer: Any) -> str:
        return self._feedback(answer)[1] if self._feedback else "<p>Ihr Text ist gespeichert.</p>"

    def describe(self) -> dict[str, Any]:
        data = super().describe()
        data["max_length"] = self.max_length
        return data


def notice(message: str) -> widgets.HTML:
    """A German notice box (used by modules for hints that are not quiz feedback)."""
    return widgets.HTML(STYLE + notice_html(message))
