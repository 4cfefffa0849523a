"""The channel map of module 02: which content belongs on which of the company's own external channels.

Every company has other channels, so the map cannot carry a fixed key. Instead each example message names a topic
from a fixed vocabulary (``profile.CHANNEL_TOPICS``) and each channel in ``kurs.toml`` lists the topics it is for
(``themen``). A message fits every channel that lists its topic; if none does, the right answer is "gehört zu keinem
unserer Kanäle – intern klären", which is also the answer for content that never goes outside (topic ``intern``).
That is why the map is an Übung and never graded: its key depends on the company.

Participants get feedback for each message as soon as they pick a channel. For the facilitator's item analysis the
first choice per message counts: the answer is saved once every message has a channel, and the first entry in the
answer file holds the first choices (later changes are saved as further attempts). The logic is pure functions, so
tests need no browser; the widget only draws it.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import ipywidgets as widgets
from traitlets import TraitError

from ..core.answers import AnswerStore, AnswerStoreError, Snapshot
from ..core.headless import in_grading
from ..core.profile import CHANNEL_TOPICS, Profile, default_profile_path, load_profile
from ..quiz.access import labelled, live, named_group
from ..quiz.display import STYLE, ActiveProfile, Panel, active_profile, profile_notice, render_inline
from ..quiz.question import (
    PLACEHOLDER_CHOICE,
    PROMPT_NAME,
    UNASSIGNED,
    Question,
    QuizDefinitionError,
    local_time,
    verdict_html,
)

INTERNAL = "intern"  # target id and message topic: nothing for our external channels
INTERNAL_LABEL = "gehört zu keinem unserer Kanäle – intern klären"
NO_TOPICS_PROBLEM = (
    "Im Firmenprofil steht bei keinem Kanal, welche Themen dorthin gehören (Schlüssel 'themen' bei [[kanaele]])."
)


@dataclass(frozen=True)
class Message:
    """An example content to place: its text, its topic (a CHANNEL_TOPICS key or ``intern``) and why."""

    id: str
    text: str
    topic: str
    explanation: str


@dataclass(frozen=True)
class Target:
    """One choice of the map: an external channel of the company (from the profile) with its topics."""

    id: str
    name: str
    topics: tuple[str, ...] = ()


# ------------------------------------------------------------------------------------------------ pure logic
def _slug(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name.lower().replace("ß", "ss")).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-") or "kanal"


def channel_targets(profile: Profile) -> tuple[Target, ...]:
    """The company's channels as map targets with stable ids derived from their names (unique, never ``intern``)."""
    targets: list[Target] = []
    used = {INTERNAL}
    for channel in profile.kanaele:
        base = _slug(channel.name)
        slug, n = base, 1
        while slug in used:
            n += 1
            slug = f"{base}-{n}"
        used.add(slug)
        targets.append(Target(slug, channel.name, channel.themen))
    return tuple(targets)


def declares_topics(profile: Profile) -> bool:
    """Does any channel of the profile say which topics belong on it? Without that the map cannot judge."""
    return any(channel.themen for channel in profile.kanaele)


def fitting(message: Message, targets: Sequence[Target]) -> tuple[Target, ...]:
    """The channels whose topics include the message's topic (none for internal content)."""
    return tuple(t for t in targets if message.topic in t.topics)


def best_choices(message: Message, targets: Sequence[Target]) -> set[str]:
    """Ids that count as right: every fitting channel, or ``intern`` if no channel of ours fits."""
    return {t.id for t in fitting(message, targets)} or {INTERNAL}


def share_right(answer: Mapping[str, str], messages: Sequence[Message], targets: Sequence[Target]) -> float:
    """The share of messages placed on a fitting channel (or on ``intern`` where none fits)."""
    if not messages:
        return 0.0
    right = sum(1 for m in messages if answer.get(m.id) in best_choices(m, targets))
    return right / len(messages)


def _list(words: Sequence[str], joiner: str) -> str:
    words = list(words)
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + f" {joiner} " + words[-1]


def explain(message: Message, choice: str, targets: Sequence[Target]) -> tuple[bool, str]:
    """Whether ``choice`` fits ``message``, and German feedback (with profile placeholders) that says why."""
    by_id = {t.id: t for t in targets}
    good = fitting(message, targets)
    right = choice in best_choices(message, targets)
    if good:
        where = f"Passend bei {{firma_kurz}}: {_list([t.name for t in good], 'oder')}."
    elif message.topic == INTERNAL:
        where = "Das gehört auf keinen Kanal nach außen, es bleibt intern."
    else:
        where = (
            "Dafür hat {firma_kurz} keinen eigenen Kanal – ob und wo so etwas erscheint, wird intern geklärt. "
            "Ansprechpartner: {social_media}."
        )
    if right:
        return True, f"✓ Gut gewählt. {message.explanation} {where}"
    if choice == INTERNAL:
        return False, f"✗ Dafür hat {{firma_kurz}} einen eigenen Kanal. {message.explanation} {where}"
    chosen = by_id.get(choice)
    if chosen is None:
        raise ValueError(f"{choice!r} is no channel of this map")
    if chosen.topics:
        topics = _list([CHANNEL_TOPICS[t] for t in chosen.topics], "und")
        purpose = f"{chosen.name} ist bei {{firma_kurz}} für {topics} da."
    else:
        purpose = f"Für {chosen.name} legt das Firmenprofil keine Themen fest."
    return False, f"✗ {purpose} {message.explanation} {where}"


def check_messages(question_id: str, messages: Sequence[Message]) -> tuple[Message, ...]:
    """Refuse a map an author got wrong (raised while the module is written, never in front of participants)."""
    messages = tuple(messages)
    ids = [m.id for m in messages]
    if not 2 <= len(messages) <= 10 or len(set(ids)) != len(ids):
        raise QuizDefinitionError(f"{question_id}: needs 2 to 10 messages with unique ids")
    for m in messages:
        if not re.fullmatch(r"[A-Za-z0-9_-]+", m.id) or not m.text.strip() or not m.explanation.strip():
            raise QuizDefinitionError(f"{question_id}: message {m.id!r} needs an id, a text and an explanation")
        if m.topic != INTERNAL and m.topic not in CHANNEL_TOPICS:
            raise QuizDefinitionError(f"{question_id}: message {m.id!r} has the unknown topic {m.topic!r}")
    return messages


# ------------------------------------------------------------------------------------------------ who speaks where
def voices_html(profile: Profile) -> str:
    """Who speaks where: on official channels the social-media team speaks for the company; in own profiles, you."""
    cell = "style='padding:0.2em 0.8em 0.2em 0;vertical-align:top;text-align:left'"
    fill = profile.fill
    rows = [
        (
            f'<a href="{html.escape(c.adresse)}" target="_blank" rel="noopener">{html.escape(c.name)}</a>',
            html.escape(fill("{social_media} – im Namen von {firma_kurz}")),
            html.escape(c.zweck),
        )
        for c in profile.kanaele
    ]
    rows.append(
        (
            "<b>Ihre eigenen Profile und Kommentare</b>",
            "Sie selbst – als Privatperson",
            html.escape(fill("Freiwillig und in eigenen Worten. Wer über {firma_kurz} schreibt, sagt am besten "
                             "dazu, dass er oder sie dort arbeitet.")),
        )
    )
    head = "".join(f"<th {cell}>{h}</th>" for h in ("Wo", "Wer spricht dort", "Worum es geht"))
    body = "".join("<tr>" + "".join(f"<td {cell}>{v}</td>" for v in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def show_voices() -> Panel:
    """A panel for the notebook: who speaks for the active company on which channel."""
    active = active_profile()
    return Panel(STYLE + profile_notice(active) + voices_html(active.profile), "Wer spricht wo")


# ------------------------------------------------------------------------------------------------ the widget
class ChannelMap(Question):
    """Place example messages on the company's own channels; feedback per message at once (always an Übung)."""

    kind = "channelmap"
    kind_label = "Kanalkarte"
    needs_check_button = False  # every pick is explained at once

    def __init__(
        self, question_id: str, prompt: str, messages: Sequence[Message], *, store: AnswerStore | None = None
    ):
        self.messages = check_messages(question_id, messages)
        self._first_choices: dict[str, str] = {}
        super().__init__(question_id, prompt, practice=True, store=store)

    # ---------------------------------------------------------------- building
    def _build_inputs(self) -> widgets.Widget:
        if not declares_topics(self._active.profile):
            # Without topics nothing can be judged: show the example company, as for a broken profile.
            self._active = ActiveProfile(load_profile(default_profile_path()), NO_TOPICS_PROBLEM)
        self.targets = channel_targets(self._active.profile)
        choices = [(PLACEHOLDER_CHOICE, UNASSIGNED)] + [(t.name, t.id) for t in self.targets]
        choices.append((INTERNAL_LABEL, INTERNAL))
        self._dropdowns: dict[str, widgets.Dropdown] = {}
        self._row_feedback: dict[str, widgets.HTML] = {}
        rows = []
        for message in self.messages:
            # the message is the dropdown's own label (<label for=…>), so a screen reader names it
            dropdown = widgets.Dropdown(
                options=choices,
                value=UNASSIGNED,
                description=f"<b>{render_inline(message.text, self._active.profile)}</b>",
                description_allow_html=True,
                style={"description_width": "26em"},
                layout=widgets.Layout(width="48em", max_width="100%"),
            )
            dropdown.add_class(f"kommfit-item-{message.id}")
            dropdown.add_class("kommfit-item")
            labelled(dropdown)
            dropdown.observe(self._inputs_changed, names="value")
            feedback = widgets.HTML()
            feedback.add_class("kommfit-feedback")
            live(feedback, status=False)  # the explanation of a pick is read out
            self._dropdowns[message.id] = dropdown
            self._row_feedback[message.id] = feedback
            rows.append(widgets.VBox([dropdown, feedback], layout=widgets.Layout(margin="0 0 0.4em 0")))
        return named_group(widgets.VBox(rows), PROMPT_NAME)

    def count(self) -> int:
        return len(self.messages)

    def _hash_material(self) -> Any:
        return {
            "messages": [[m.id, m.text, m.topic] for m in self.messages],
            "targets": [[t.id, list(t.topics)] for t in self.targets],
        }

    # ---------------------------------------------------------------- answer shape
    def _read_inputs(self) -> Any:
        chosen = {mid: d.value for mid, d in self._dropdowns.items() if d.value != UNASSIGNED}
        return chosen or None

    def _write_inputs(self, answer: Any) -> None:
        answer = answer or {}
        for mid, dropdown in self._dropdowns.items():
            dropdown.value = answer.get(mid, UNASSIGNED)
        self._show_rows(answer)

    def _normalise(self, answer: Any) -> Any:
        allowed = {t.id for t in self.targets} | {INTERNAL}
        ids = {m.id for m in self.messages}
        if not isinstance(answer, dict) or not all(
            k in ids and isinstance(v, str) and v in allowed for k, v in answer.items()
        ):
            raise TraitError(f"Ungültige Zuordnung: {answer!r} passt nicht zur Kanalkarte {self.question_id}.")
        return {m.id: answer[m.id] for m in self.messages if m.id in answer}

    def _is_complete(self, answer: Any) -> bool:
        return isinstance(answer, dict) and set(answer) == {m.id for m in self.messages}

    def _incomplete_message(self) -> str:
        missing = len(self.messages) - len(self.answer or {})
        return f"Noch {missing} offen – gespeichert wird, sobald jede Nachricht einen Platz hat."

    # ---------------------------------------------------------------- feedback
    def _show_rows(self, answer: Mapping[str, str]) -> None:
        for message in self.messages:
            choice = answer.get(message.id)
            if choice is None:
                self._row_feedback[message.id].value = ""
                continue
            right, text = explain(message, choice, self.targets)
            tone = "kommfit-good" if right else "kommfit-bad"
            self._row_feedback[message.id].value = f"<p class='{tone}'>{self.fill(text)}</p>"

    def _practice_fraction(self, answer: Any) -> float:
        return share_right(answer, self.messages, self.targets)

    def _practice_feedback(self, answer: Any) -> str:
        fraction = self._practice_fraction(answer)
        summary = (
            f"{round(fraction * len(self.messages))} von {len(self.messages)} Nachrichten passen. "
            "Auf den Kanälen von {firma_kurz} spricht das Unternehmen selbst; zuständig ist: {social_media}. "
            "In Ihren eigenen Profilen sprechen Sie für sich."
        )
        return verdict_html(fraction) + f"<p>{self.fill(summary)}</p>"

    # ---------------------------------------------------------------- the click's path
    def _selection_changed(self) -> None:
        answer = self.answer or {}
        for mid, choice in answer.items():
            self._first_choices.setdefault(mid, choice)
        self._show_rows(answer)
        self.submit()

    def submit(self) -> bool:
        """Explain every placed message; once all are placed, save (the first save holds the first choices)."""
        answer = self.answer
        if answer is None or not self._is_complete(answer):
            self._set_status(self._incomplete_message(), "hint")
            return False
        self._show_rows(answer)
        self._feedback_html.value = self._practice_feedback(answer)
        if in_grading():
            self._set_status("Bewertungslauf: Es wird nichts gespeichert.")
            return False
        saved = self.store.get(self.question_id)
        try:
            if saved is None:
                first = {m.id: self._first_choices.get(m.id, answer[m.id]) for m in self.messages}
                entry = self._record(first)
                if first != answer:
                    entry = self._record(answer)
            else:
                entry = self._record(answer)
        except AnswerStoreError as error:
            self._set_status(str(error), "bad")
            return False
        self._set_status(f"Alle Nachrichten zugeordnet – gespeichert ({local_time(entry['time'])}).", "good")
        return True

    def _record(self, value: dict[str, str]) -> dict[str, Any]:
        return self.store.record(
            self.question_id, value, self.options_hash, "practice", score=self._practice_fraction(value)
        )

    def _load_saved(self, drawn_from: Snapshot) -> None:
        super()._load_saved(drawn_from)
        if self.answer is None:
            return
        entry = drawn_from.answers.get(self.question_id) or {}
        first = (entry.get("first_attempt") or {}).get("value")
        self._first_choices = dict(first) if isinstance(first, dict) else dict(self.answer)

    # ---------------------------------------------------------------- as data
    def describe(self) -> dict[str, Any]:
        data = super().describe()
        data["items"] = [
            {"id": m.id, "text": m.text, "topic": m.topic, "feedback": m.explanation} for m in self.messages
        ]
        data["categories"] = [{"id": t.id, "text": t.name} for t in self.targets] + [
            {"id": INTERNAL, "text": INTERNAL_LABEL}
        ]
        data["key"] = {m.id: sorted(best_choices(m, self.targets)) for m in self.messages}
        return data

    def __repr__(self) -> str:
        return f"<Kanalkarte {self.question_id!r}: {len(self.messages)} Nachrichten, Übung>"
