"""A voluntary self-assessment of digital-communication strengths, with an explicit opt-in (module 10).

The course should help the company find people with a gift for digital communication and let those who want to
contribute it. Asking for that is only fair if saying nothing costs nothing, so the widget is private by design:

* Without the opt-in ("Ich möchte vom Social-Media-Team angesprochen werden") nothing leaves the screen: the widget
  writes nothing, and nothing is graded or reported.
* With the opt-in the self-assessment is saved in the module's answer file with mode ``"voluntary"`` (never
  ``"graded"``, so no grade cell can ever score it) and travels with the submission to the social-media team.
* Removing the tick deletes the saved entry at once (``AnswerStore.remove``), not merely hides it.
* Like every quiz it never writes on display and never while nbgrader executes the notebook.

What is stored and how it reads back are pure functions (``build_value``, ``parse_value``, ``describe_value``), so
the rules are tested without a browser; the widget only wires them to buttons and the tick box.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ipywidgets as widgets
from traitlets import Bool, Dict, TraitError, Unicode, observe, validate

from ..core.answers import AnswerStore, AnswerStoreError
from ..core.headless import in_grading
from ..quiz.access import labelled, live, name_source, pressed_state
from ..quiz.display import STYLE, active_profile, profile_notice
from ..quiz.keyboard import CONTAINER_CLASS, KeyboardScope
from ..quiz.question import local_time, options_hash, status_markup

MODE = "voluntary"
OPT_IN_LABEL = "Ich möchte vom Social-Media-Team angesprochen werden"
CONSENT_KEY = "ansprechen"  # stored as "ja": the entry says by itself that its owner asked to be contacted
NOTE_KEY = "hinweis"
NOTE_MAX_LENGTH = 300
NO_STATEMENT = ""  # the level of a strength the participant says nothing about; never stored
LEVELS: tuple[tuple[str, str], ...] = ((NO_STATEMENT, "keine Angabe"), ("etwas", "ein wenig"), ("gern", "gern und gut"))

TALENT_STYLE = """<style>
.kommfit-talent .kommfit-talent-row { align-items: center; border-bottom: 1px solid #d5e0e4; padding: 0.2em 0; }
.kommfit-talent .kommfit-talent-name { line-height: 1.3; }
.kommfit-talent .widget-toggle-buttons .widget-toggle-button { width: auto; min-width: 7.5em; }
.kommfit-talent .kommfit-opt-in { margin-top: 0.7em; font-weight: bold; }
.kommfit-talent .kommfit-opt-in label { white-space: normal !important; }
.kommfit-talent .kommfit-privacy { font-size: 0.95em; color: #33454d; }
</style>"""


@dataclass(frozen=True)
class Strength:
    """One area of digital communication a participant can rate themselves in."""

    id: str
    name: str
    example: str


STRENGTHS: tuple[Strength, ...] = (
    Strength("schreiben", "Schreiben", "kurze, klare Texte – etwa für das Intranet, einen Aushang oder einen Beitrag"),
    Strength("fotos", "Fotografieren", "Bilder von Baustelle, Werkstatt oder Team, die man gern ansieht"),
    Strength("video", "Video", "kurze Clips drehen oder schneiden"),
    Strength("fachwissen", "Fachwissen erklären", "Technik so erklären, dass auch Laien sie verstehen"),
    Strength("werkzeuge", "Bei digitalen Werkzeugen helfen", "Kolleginnen und Kollegen zeigen, wie ein Tool geht"),
    Strength("netzwerken", "Netzwerken", "Kontakte knüpfen und pflegen, im Betrieb, auf Messen und im Netz"),
)

_LEVEL_NAMES = dict(LEVELS)


def check_strengths(strengths: Sequence[Strength]) -> tuple[Strength, ...]:
    """Refuse a list of strengths the stored value could not tell apart (raised while a module is written)."""
    strengths = tuple(strengths)
    ids = [s.id for s in strengths]
    if not 1 <= len(strengths) <= 10 or len(set(ids)) != len(ids):
        raise ValueError("a self-assessment needs 1 to 10 strengths with unique ids")
    if any(not s.id or s.id in (CONSENT_KEY, NOTE_KEY) or not s.name.strip() for s in strengths):
        raise ValueError(f"strength ids must be non-empty, other than {CONSENT_KEY!r}/{NOTE_KEY!r}, and named")
    return strengths


def talent_hash(question_id: str, strengths: Sequence[Strength]) -> str:
    """Fingerprint of what was offered (ids and names of the strengths, the levels), like a quiz's options hash."""
    material = {"strengths": [[s.id, s.name] for s in strengths], "levels": [list(level) for level in LEVELS]}
    return options_hash("talent", question_id, material)


def clean_ratings(ratings: Mapping[str, str], strengths: Sequence[Strength]) -> dict[str, str]:
    """Ratings in the order of the strengths, without "keine Angabe"; unknown ids or levels raise ValueError."""
    known = {s.id for s in strengths}
    for strength_id, level in ratings.items():
        if strength_id not in known:
            raise ValueError(f"Ungültige Angabe: {strength_id!r} ist kein Bereich dieser Selbsteinschätzung.")
        if level not in _LEVEL_NAMES:
            raise ValueError(f"Ungültige Angabe: {level!r} ist keine Stufe (erlaubt: ein wenig, gern und gut).")
    return {s.id: ratings[s.id] for s in strengths if ratings.get(s.id, NO_STATEMENT) != NO_STATEMENT}


def build_value(
    ratings: Mapping[str, str],
    note: str,
    strengths: Sequence[Strength] = STRENGTHS,
    max_length: int = NOTE_MAX_LENGTH,
) -> dict[str, str]:
    """What is stored with the opt-in: the consent, the rated strengths and the note if there is one — nothing else.

    Strengths without a statement are left out, so the file holds only what the participant chose to say.
    Raises ValueError (German) for unknown strengths or levels and for a note that is too long.
    """
    value = {CONSENT_KEY: "ja", **clean_ratings(ratings, strengths)}
    note = note.strip()
    if len(note) > max_length:
        raise ValueError(
            f"Ihr Hinweis ist {len(note)} Zeichen lang; gespeichert wird er erst, wenn er höchstens "
            f"{max_length} Zeichen hat."
        )
    if note:
        value[NOTE_KEY] = note
    return value


def parse_value(value: Any, strengths: Sequence[Strength] = STRENGTHS) -> tuple[dict[str, str], str]:
    """Ratings and note of a stored value; raises ValueError if it does not fit these strengths."""
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        raise ValueError("Die gespeicherte Selbsteinschätzung hat eine unbekannte Form.")
    rest = {k: v for k, v in value.items() if k not in (CONSENT_KEY, NOTE_KEY)}
    return clean_ratings(rest, strengths), value.get(NOTE_KEY, "")


def describe_value(ratings: Mapping[str, str], note: str, strengths: Sequence[Strength] = STRENGTHS) -> str:
    """A plain German line of exactly what would be stored, so nobody has to guess."""
    names = {s.id: s.name for s in strengths}
    parts = [f"{names[sid]}: {_LEVEL_NAMES[level]}" for sid, level in clean_ratings(ratings, strengths).items()]
    if not parts:
        parts = ["noch keine Stärken angegeben"]
    if note.strip():
        parts.append(f"Ihr Hinweis ({len(note.strip())} Zeichen)")
    return ", ".join(parts) + "; dazu, dass Sie angesprochen werden möchten, mit Datum und Uhrzeit"


class TalentCheck(widgets.VBox):
    """Rate your strengths privately; only the explicit opt-in saves them, and removing it deletes them.

    ``opted_in`` is the tick box; ``ratings`` and ``note`` mirror the inputs. Setting a trait takes the same path
    as a click, so tests drive exactly what a participant does.
    """

    question_id = Unicode(help="Stable id; the key of the entry in the answer file, which exists only with the opt-in.")
    ratings = Dict(help="Strength id → level id ('etwas', 'gern'); strengths without a statement are left out.")
    note = Unicode("", help="Optional short note in the participant's own words, e.g. what they would like to do.")
    opted_in = Bool(False, help="The explicit opt-in. Only while it is True is anything stored.")
    status = Unicode("", help="The German status line: what is stored right now.")

    def __init__(
        self,
        question_id: str,
        *,
        strengths: Sequence[Strength] = STRENGTHS,
        store: AnswerStore | None = None,
        max_length: int = NOTE_MAX_LENGTH,
    ) -> None:
        if not question_id or not all(c.isalnum() or c in "-_" for c in question_id):
            raise ValueError(f"question id {question_id!r} must be letters, digits, '-' or '_'")
        self.strengths = check_strengths(strengths)
        self.max_length = max_length
        self.store = store or AnswerStore.in_folder(Path.cwd())
        self._active = active_profile()
        self._syncing = False
        self._loading = True  # nothing is written while the widget is built and pre-filled
        self._toggles: dict[str, widgets.ToggleButtons] = {}
        rows = []
        for strength in self.strengths:
            toggle = widgets.ToggleButtons(
                options=[(label, level) for level, label in LEVELS],
                value=NO_STATEMENT,
                tooltips=[f"{strength.name}: {label}" for _level, label in LEVELS],
                style={"button_width": "auto"},
            )
            toggle.add_class(f"kommfit-strength-{strength.id}")
            pressed_state(toggle, f"strength-{strength.id}")  # a group named by the strength, buttons say "pressed"
            toggle.observe(self._inputs_changed, names="value")
            self._toggles[strength.id] = toggle
            label = widgets.HTML(
                f"<b>{html.escape(strength.name)}</b><br><small>{html.escape(strength.example)}</small>",
                layout=widgets.Layout(width="22em"),
            )
            label.add_class("kommfit-talent-name")
            name_source(label, f"strength-{strength.id}")
            row = widgets.HBox([label, toggle])
            row.add_class("kommfit-talent-row")
            rows.append(row)
        self._note = widgets.Textarea(
            value="",
            description="Freiwillig: Wobei würden Sie gern mitmachen?",  # its visible label (<label for=…>)
            placeholder="z. B. „Fotos von Baustellen“",
            rows=2,
            layout=widgets.Layout(width="100%"),
        )
        self._note.add_class("kommfit-talent-note")
        labelled(self._note, above=True)
        self._note.observe(self._inputs_changed, names="value")
        self._counter = widgets.HTML()
        self._preview = widgets.HTML()
        self._preview.add_class("kommfit-privacy")
        self._opt_in = widgets.Checkbox(value=False, description=OPT_IN_LABEL, indent=False,
                                        layout=widgets.Layout(width="100%"))
        self._opt_in.add_class("kommfit-opt-in")
        self._opt_in.observe(self._inputs_changed, names="value")
        self._status_html = widgets.HTML()
        self._status_html.add_class("kommfit-status")
        live(self._status_html)
        intro = widgets.HTML(
            "<p><b>Wie schätzen Sie sich ein?</b> Wählen Sie je Bereich, was zutrifft – oder lassen Sie ihn bei "
            "„keine Angabe“. Ohne Häkchen unten sehen das nur Sie.</p>"
        )
        intro.add_class("kommfit-prompt")
        super().__init__(
            children=[
                widgets.HTML(STYLE + TALENT_STYLE + profile_notice(self._active)),
                intro,
                *rows,
                self._note,
                self._counter,
                self._opt_in,
                self._preview,
                self._status_html,
                KeyboardScope(),
            ]
        )
        self.add_class("kommfit-quiz")
        self.add_class("kommfit-talent")
        self.add_class(CONTAINER_CLASS)
        self.add_class(f"kommfit-q-{question_id}")
        self.question_id = question_id
        try:
            self._load_saved()
        finally:
            self._loading = False
        self._refresh()

    # ------------------------------------------------------------------ state
    @property
    def options_hash(self) -> str:
        return talent_hash(self.question_id, self.strengths)

    @validate("ratings")
    def _validate_ratings(self, proposal: dict[str, Any]) -> dict[str, str]:
        try:
            return clean_ratings(proposal["value"], self.strengths)
        except ValueError as error:
            raise TraitError(str(error)) from error

    def _inputs_changed(self, _change: Any = None) -> None:
        """A click or keystroke: copy the inputs into the traits (whose observers decide what is stored)."""
        if self._syncing:
            return
        self.ratings = {sid: toggle.value for sid, toggle in self._toggles.items()}
        self.note = self._note.value
        self.opted_in = self._opt_in.value

    def _write_inputs(self) -> None:
        self._syncing = True
        try:
            for sid, toggle in self._toggles.items():
                toggle.value = self.ratings.get(sid, NO_STATEMENT)
            self._note.value = self.note
            self._opt_in.value = self.opted_in
        finally:
            self._syncing = False

    @observe("ratings", "note")
    def _content_changed(self, _change: dict[str, Any]) -> None:
        self._write_inputs()
        self._refresh()
        if self.opted_in and not self._loading:
            self._save()

    @observe("opted_in")
    def _opt_in_changed(self, change: dict[str, Any]) -> None:
        self._write_inputs()
        self._refresh()
        if self._loading:
            return
        if change["new"]:
            self._save()
        else:
            self._withdraw()

    # ------------------------------------------------------------------ storing and deleting
    def _save(self) -> bool:
        """Store the self-assessment (only ever called with the opt-in set)."""
        if in_grading():
            self._set_status("Bewertungslauf: Es wird nichts gespeichert.")
            return False
        try:
            value = build_value(self.ratings, self.note, self.strengths, self.max_length)
        except ValueError as error:
            self._set_status(str(error), "bad")
            return False
        try:
            entry = self.store.record(self.question_id, value, self.options_hash, MODE)
        except AnswerStoreError as error:
            self._set_status(str(error), "bad")
            return False
        self._set_status(self._saved_message(entry["time"]), "good")
        return True

    def _withdraw(self) -> bool:
        """Delete the stored self-assessment at once (the opt-in was taken back)."""
        if in_grading():
            self._set_status("Bewertungslauf: Es wird nichts gespeichert und nichts gelöscht.")
            return False
        try:
            removed = self.store.remove(self.question_id)
        except AnswerStoreError as error:
            self._set_status(str(error), "bad")
            return False
        if removed:
            self._set_status("Häkchen entfernt: Ihre Angaben sind gelöscht. Es ist nichts mehr gespeichert.", "good")
        else:
            self._set_status(self._nothing_stored())
        return removed

    def _load_saved(self) -> None:
        """Pre-fill from the answer file (reading only). An entry exists only with the opt-in, so it ticks the box."""
        snapshot = self.store.read()
        if snapshot.problem:
            self._set_status(snapshot.problem + " Bitte sagen Sie Ihrer Kursleitung Bescheid.", "bad")
            return
        entry = snapshot.answers.get(self.question_id)
        if entry is None:
            self._set_status(self._nothing_stored())
            return
        self.opted_in = True
        try:
            ratings, note = parse_value(entry.get("value") if isinstance(entry, dict) else None, self.strengths)
        except ValueError:
            self._set_status(
                "Von Ihnen ist noch eine Selbsteinschätzung aus einer älteren Fassung gespeichert. Ändern Sie eine "
                "Angabe, um sie zu erneuern, oder nehmen Sie das Häkchen heraus, um sie zu löschen.",
                "hint",
            )
            return
        self.ratings = ratings
        self.note = note
        self._set_status(self._saved_message(entry.get("time")), "good")

    # ------------------------------------------------------------------ display
    def _fill(self, text: str) -> str:
        return self._active.profile.fill(text)

    def _saved_message(self, stamp: Any) -> str:
        when = local_time(stamp) if isinstance(stamp, str) else "früher"
        return (
            f"✓ Gespeichert ({when}). Ansprechen darf Sie jetzt: {self._fill('{social_media}')}. "
            "Nehmen Sie das Häkchen heraus, wird alles sofort gelöscht."
        )

    def _nothing_stored(self) -> str:
        return "Nichts gespeichert. Ihre Einschätzung sehen nur Sie; beim nächsten Öffnen ist sie wieder leer."

    def _refresh(self) -> None:
        length = len(self.note.strip())
        tone = "kommfit-bad" if length > self.max_length else ""
        self._counter.value = f"<small class='{tone}'>{length} / {self.max_length} Zeichen</small>"
        what = html.escape(describe_value(self.ratings, self.note, self.strengths))
        who = html.escape(self._fill("{social_media}"))
        if self.opted_in:
            self._preview.value = f"<p>Gespeichert ist: {what}. Bestimmt nur für: {who}. Nicht bewertet.</p>"
        else:
            self._preview.value = (
                f"<p>Ohne Häkchen wird nichts gespeichert. Mit Häkchen würde gespeichert: {what}. "
                f"Bestimmt nur für: {who}. Nicht bewertet.</p>"
            )

    def _set_status(self, text: str, tone: str = "") -> None:
        self.status = text
        self._status_html.value = status_markup(text, tone)

    def __repr__(self) -> str:
        return f"<Freiwillige Selbsteinschätzung {self.question_id!r}: {len(self.strengths)} Bereiche, nicht bewertet>"
