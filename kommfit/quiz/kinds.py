"""Scenario quiz widgets: single choice, multiple choice and matching.

Two modes:

* **Übung** (``practice=True``): every option carries its feedback and the key. A single choice explains the chosen
  option as soon as it is clicked; multiple choice and matching have an "Antwort prüfen" button. The first attempt
  is kept for the facilitator's item analysis.
* **Abschluss-Check** (``practice=False``): the notebook holds no key and no feedback at all — they live only in the
  hidden grade cell. Every click saves the answer at once ("Antwort gespeichert"); it can be changed until submission.
The behaviour all of them share (pre-fill, save on click, status line) is in ``question.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import ipywidgets as widgets
from traitlets import TraitError

from ..core import scoring
from ..core.answers import AnswerStore
from ..core.headless import GRADING_ENV, in_grading
from .access import labelled, named_field, named_group
from .display import STYLE, notice_html
from .question import (
    PLACEHOLDER_CHOICE,
    PROMPT_NAME,
    UNASSIGNED,
    Item,
    Option,
    Question,
    QuizDefinitionError,
    local_time,
    options_hash,
    verdict_html,
)

__all__ = [  # what module notebooks and the course library import from here
    "FreeText", "GRADING_ENV", "Item", "Matching", "MultipleChoice", "Option", "PLACEHOLDER_CHOICE", "Question",
    "QuizDefinitionError", "SingleChoice", "UNASSIGNED", "in_grading", "local_time", "notice", "options_hash",
    "verdict_html",
]


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
        shuffle: bool = True,
    ):
        self.options = _check_options(question_id, options, practice)
        self.shuffle = shuffle  # False for ordered scales ("nie / manchmal / oft")
        self._check_key(question_id, practice)
        super().__init__(question_id, prompt, practice=practice, store=store)

    def _check_key(self, question_id: str, practice: bool) -> None:
        raise NotImplementedError

    def count(self) -> int:
        return len(self.options)

    def _hash_material(self) -> Any:
        return [[o.id, o.text] for o in self.options]

    @property
    def shown_options(self) -> tuple[Option, ...]:
        """The options in the order this person sees them (``self.options`` keeps the author's order)."""
        return self.shown(self.options)

    def _option(self, option_id: str) -> Option:
        return next(o for o in self.options if o.id == option_id)

    def _all_feedback(self, chosen: set[str]) -> str:
        rows = []
        for option in self.shown_options:
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
            options=[(self.plain(o.text), o.id) for o in self.shown_options],
            value=None,
            layout=widgets.Layout(width="100%"),
        )
        self._radio.observe(self._inputs_changed, names="value")
        return named_group(self._radio, PROMPT_NAME, "radiogroup")

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
            verdict_html(self._practice_fraction(answer))
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
            for o in self.shown_options
        ]
        for box in self._boxes:
            box.observe(self._inputs_changed, names="value")
        hint = widgets.HTML("<i>Mehrere Antworten können richtig sein.</i>")
        return named_group(widgets.VBox([hint, *self._boxes]), PROMPT_NAME)

    def checkbox(self, option_id: str) -> widgets.Checkbox:
        """The checkbox of one option, wherever this person's order put it."""
        return self._boxes[[o.id for o in self.shown_options].index(option_id)]

    def _read_inputs(self) -> Any:
        chosen = [o.id for o, box in zip(self.shown_options, self._boxes, strict=True) if box.value]
        return chosen if chosen or self.store.get(self.question_id) else None

    def _write_inputs(self, answer: Any) -> None:
        chosen = set(answer or [])
        for option, box in zip(self.shown_options, self._boxes, strict=True):
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
        for option in self.shown_options:
            right = (option.id in chosen) == option.correct
            icon = "✓" if right else "✗"
            tone = "kommfit-good" if right else "kommfit-bad"
            action = "angekreuzt" if option.id in chosen else "nicht angekreuzt"
            rows.append(
                f"<p><span class='{tone}'>{icon}</span> <i>{self.fill(option.text)}</i> ({action}): "
                f"{self.fill(option.feedback)}</p>"
            )
        return verdict_html(self._practice_fraction(answer)) + "".join(rows)


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
        shuffle: bool = True,
    ):
        self.items = tuple(items)
        self.categories = tuple(categories)
        self.shuffle = shuffle  # shuffles the category list; False for ordered categories
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
        choices = [(PLACEHOLDER_CHOICE, UNASSIGNED)] + [(self.plain(c.text), c.id) for c in self.shown(self.categories)]
        self._dropdowns: dict[str, widgets.Dropdown] = {}
        for item in self.items:
            # the item's text is the dropdown's own label (<label for=…>), so a screen reader names it
            dropdown = widgets.Dropdown(
                options=choices,
                value=UNASSIGNED,
                description=self.fill(item.text),
                description_allow_html=True,
                style={"description_width": "30em"},
                layout=widgets.Layout(width="46em", max_width="100%"),
            )
            dropdown.add_class(f"kommfit-item-{item.id}")
            dropdown.add_class("kommfit-item")
            labelled(dropdown)
            dropdown.observe(self._inputs_changed, names="value")
            self._dropdowns[item.id] = dropdown
        return named_group(widgets.VBox(list(self._dropdowns.values())), PROMPT_NAME)

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
        return verdict_html(self._practice_fraction(answer)) + "".join(rows)

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
        named_field(self._text, PROMPT_NAME)  # the question above is the text area's name
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
