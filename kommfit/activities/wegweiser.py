"""The Kanal-Wegweiser of module 03: which internal tool fits a message, and why.

Internal communication changes every few weeks, and many people do not know which tool is meant for what. The guide
asks what a participant should ask before sending — who must read it, does it hurry, does it hold customer or personal
data, must it be binding, does it belong to a customer order — and answers with a tool from the company profile, so
every company sees its own tools. The rules live in one pure function (``recommend``) that tests can read and check;
the widget only asks and shows.

The guide records nothing: it is a tool to explore, not a check, and what someone describes about their messages is
nobody's business. So it never touches the answer file — not on display, not on a click, not while grading.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import ipywidgets as widgets
from traitlets import Bool, TraitError, Unicode, link, observe, validate

from ..core.profile import Profile, Tool
from ..quiz.access import live, name_source, named_group
from ..quiz.display import STYLE, active_profile, profile_notice
from ..quiz.keyboard import CONTAINER_CLASS, KeyboardScope

AUDIENCES = {
    "person": "eine bestimmte Kollegin oder ein bestimmter Kollege",
    "team": "mein Team oder Projektteam",
    "alle": "alle Mitarbeitenden (offizielle Information)",
    "offen": "alle, die etwas beitragen können (offene Frage oder Idee)",
    "extern": "jemand außerhalb: Kundschaft, Lieferanten oder Behörden",
}
# Neutral nouns for the kinds, used in "no tool of this kind" notes (the profile's names carry German articles).
KIND_NOUNS = {
    "intranet": "Intranet",
    "kollaboration": "Kollaborationswerkzeug",
    "chat": "Messenger",
    "forum": "offene Austauschgruppe",
    "email": "E-Mail",
    "fachanwendung": "Fachanwendung",
}

PRIVATE_CHANNELS = (
    "Nicht über private Messenger wie WhatsApp oder private E-Mail-Adressen: Dort hat das Unternehmen weder Schutz "
    "noch Überblick, und die Daten bleiben auf privaten Geräten liegen."
)
MINIMUM_DATA = (
    "Nur so viel wie nötig: Auftragsnummer statt voller Adresse, ein Foto vom Schaden statt vom ganzen Raum."
)


@dataclass(frozen=True)
class Message:
    """What the participant tells the guide about a message they are about to send."""

    audience: str
    urgent: bool = False
    personal_data: bool = False
    binding: bool = False
    order_record: bool = False

    def __post_init__(self) -> None:
        if self.audience not in AUDIENCES:
            raise ValueError(f"Unbekannter Leserkreis {self.audience!r}; möglich sind: {', '.join(AUDIENCES)}.")


@dataclass(frozen=True)
class Recommendation:
    """The tool to use (or None if the profile has none that fits), why, what to watch out for, and tips."""

    kind: str | None
    tool: Tool | None
    reasons: tuple[str, ...]
    cautions: tuple[str, ...] = ()
    tips: tuple[str, ...] = ()


def _rule(message: Message) -> tuple[tuple[str, ...], list[str], list[str], list[str]]:
    """The decision itself: preferred tool kinds (best first), reasons, cautions and tips, all in German."""
    m = message
    reasons: list[str] = []
    cautions: list[str] = [PRIVATE_CHANNELS, MINIMUM_DATA] if m.personal_data else []
    tips: list[str] = []
    if m.order_record:
        kinds: tuple[str, ...] = ("fachanwendung", "kollaboration")
        reasons.append(
            "Berichte und Notizen zu einem Kundenauftrag gehören zum Auftrag selbst: Dort findet sie jede Person, "
            "die den Auftrag später bearbeitet – und nur sie."
        )
        if m.urgent:
            tips.append(
                "Eilt es, geben Sie der zuständigen Person zusätzlich kurz per Direktnachricht Bescheid – ohne "
                "Kundendaten, nur mit dem Hinweis auf den Auftrag."
            )
    elif m.audience == "extern":
        kinds = ("email",)
        reasons.append(
            "Absprachen mit Kundschaft, Lieferanten oder Behörden laufen über die dienstliche E-Mail: Sie sind "
            "verbindlich und bleiben nachvollziehbar."
        )
        if m.urgent:
            tips.append("Eilt es, rufen Sie an – und bestätigen Sie das Ergebnis danach schriftlich per E-Mail.")
        if m.binding:
            tips.append("Was Ihr Team davon wissen muss, halten Sie zusätzlich im Projektkanal fest.")
    elif m.personal_data:
        kinds = ("kollaboration", "fachanwendung")
        reasons.append(
            "Kunden- und Personendaten teilen Sie nur über einen freigegebenen Kanal und nur mit denen, die sie für "
            "die Arbeit brauchen – zum Beispiel im Projektkanal des Kollaborationswerkzeugs."
        )
        if m.audience in ("alle", "offen"):
            cautions.insert(
                0,
                "Eine Nachricht an alle oder eine offene Frage verträgt keine Personendaten. Lassen Sie Namen, "
                "Adressen und erkennbare Fotos weg – oder wählen Sie einen kleineren Kreis.",
            )
        if m.urgent:
            tips.append(
                "Eilt es, sagen Sie der Person, die handeln muss, kurz Bescheid, dass etwas im Kanal liegt – "
                "die Daten selbst bleiben dort."
            )
    elif m.audience == "alle":
        kinds = ("intranet", "email")
        reasons.append(
            "Offizielle Informationen für alle gehören ins Intranet: Dort finden sie alle – auch wer in keinem "
            "Teamkanal ist –, und sie bleiben an einer festen Stelle nachlesbar."
        )
        tips.append(
            "Wenn Sie dort nicht selbst veröffentlichen, geben Sie die Nachricht an die Stelle, die das Intranet "
            "pflegt – oder an Ihre Führungskraft."
        )
        if m.urgent:
            tips.append(
                "Eilt es, sagen Führungskräfte es ihren Teams zusätzlich direkt; verbindlich bleibt die Fassung im "
                "Intranet."
            )
    elif m.audience == "offen":
        kinds = ("forum", "intranet", "kollaboration")
        reasons.append(
            "Eine offene Frage oder Idee gehört in die offene Austauschgruppe: Dort antworten die, die es wissen – "
            "quer durch alle Abteilungen –, und die Antwort hilft später auch anderen."
        )
        if m.urgent:
            tips.append("Eilt es, fragen Sie zusätzlich direkt eine Person, die es wissen könnte.")
        if m.binding:
            tips.append(
                "Eine Diskussion ersetzt keine Absprache: Halten Sie das Ergebnis danach verbindlich fest, zum "
                "Beispiel im Projektkanal."
            )
    elif m.audience == "team":
        if m.binding:
            kinds = ("kollaboration", "email")
            reasons.append(
                "Was das ganze Team verbindlich wissen muss, halten Sie im Team- oder Projektkanal fest: Alle sehen "
                "denselben Stand, und die Absprache bleibt nachlesbar."
            )
        elif m.urgent:
            kinds = ("chat", "kollaboration")
            reasons.append(
                "Eine eilige Abstimmung im Team: Eine kurze Nachricht im Teamchat erreicht alle schnell. Erwähnen Sie "
                "die Person, die handeln muss, mit @."
            )
        else:
            kinds = ("kollaboration", "email")
            reasons.append(
                "Was das Team für die Arbeit braucht, gehört in den Team- oder Projektkanal: Dateien, Termine und "
                "Fragen liegen an einem Ort statt in vielen E-Mails."
            )
    else:  # one person
        if m.binding:
            kinds = ("email", "kollaboration")
            reasons.append(
                "Eine verbindliche Absprache mit einer Person halten Sie schriftlich fest, zum Beispiel per E-Mail: "
                "So ist später klar, was vereinbart wurde."
            )
        else:
            kinds = ("chat", "kollaboration", "email")
            reasons.append(
                "Eine kurze, eilige Frage an eine Person: Eine Direktnachricht erreicht sie am schnellsten – ohne "
                "Rundmail und ohne Umweg."
                if m.urgent
                else "Eine kurze Frage an eine Person: Eine Direktnachricht ist schnell geschrieben und beantwortet – "
                "eine Antwort in Minuten erwartet dabei niemand."
            )
        if m.urgent:
            tips.append("Wenn es wirklich brennt, ist ein kurzer Anruf oft der schnellste Weg.")
    return kinds, reasons, cautions, tips


def recommend(message: Message, profile: Profile) -> Recommendation:
    """The internal tool of ``profile`` that fits ``message`` best, with German reasons.

    If the company has no tool of the preferred kind, the next kind on the rule's list is used and the reasons say so;
    if none fits, the recommendation has no tool and points to the people who can say which way is meant.
    """
    kinds, reasons, cautions, tips = _rule(message)
    kind = next((k for k in kinds if profile.tool_of_kind(k)), None)
    if kind is None:
        reasons.append(
            "Im Firmenprofil steht dafür kein passendes Werkzeug. Fragen Sie Ihre Führungskraft, welcher Weg bei "
            f"Ihnen vorgesehen ist – bei Kunden- und Personendaten auch {profile.kontakte['datenschutz'].name}."
        )
        return Recommendation(None, None, tuple(reasons), tuple(cautions), tuple(tips))
    tool = profile.tool_of_kind(kind)
    if kind != kinds[0]:
        reasons.append(
            f"Im Firmenprofil steht kein Werkzeug der Art „{KIND_NOUNS[kinds[0]]}“; diese Aufgabe übernimmt bei "
            f"{profile.kurzname} {tool.name}."
        )
    return Recommendation(kind, tool, tuple(reasons), tuple(cautions), tuple(tips))


def recommendation_html(recommendation: Recommendation) -> str:
    """The recommendation as safe HTML: the tool and its purpose from the profile, then why, cautions and tips."""
    esc = html.escape
    tool = recommendation.tool
    if tool:
        head = (
            f"<p>👉 <b>Empfehlung: {esc(tool.name)}</b><br>"
            f"<small>Laut Firmenprofil gedacht für: {esc(tool.zweck)}</small></p>"
        )
    else:
        head = "<p>👉 <b>Kein passendes Werkzeug im Firmenprofil</b></p>"
    parts = [head, "<p><b>Warum:</b> " + " ".join(esc(r) for r in recommendation.reasons) + "</p>"]
    if recommendation.cautions:
        items = "".join(f"<li>{esc(c)}</li>" for c in recommendation.cautions)
        parts.append(f"<p class='kommfit-bad'><b>⚠️ Achtung, Daten:</b></p><ul>{items}</ul>")
    if recommendation.tips:
        items = "".join(f"<li>{esc(t)}</li>" for t in recommendation.tips)
        parts.append(f"<p><b>💡 Außerdem:</b></p><ul>{items}</ul>")
    return "<div class='kommfit-wegweiser-result'>" + "".join(parts) + "</div>"


PROMPT_HTML = (
    "<p><i>Wählen Sie oben, wer die Nachricht lesen muss – dann zeigt der Wegweiser den passenden Weg.</i></p>"
)


class ChannelGuide(widgets.VBox):
    """Describe a message with a few clicks; the guide shows the company's tool for it and why. Saves nothing."""

    audience = Unicode(None, allow_none=True, help="Wer die Nachricht lesen muss (ein Schlüssel von AUDIENCES).")
    urgent = Bool(False, help="Es eilt: Eine Antwort wird in Minuten gebraucht.")
    personal_data = Bool(False, help="Die Nachricht enthält Kunden- oder Personendaten (Name, Adresse, Fotos).")
    binding = Bool(False, help="Die Absprache muss verbindlich und nachvollziehbar festgehalten werden.")
    order_record = Bool(False, help="Die Nachricht ist ein Bericht oder eine Notiz zu einem Kundenauftrag.")

    def __init__(self, profile: Profile | None = None) -> None:
        active = active_profile()
        self.profile = profile or active.profile
        notice = "" if profile else profile_notice(active)
        self._audience = widgets.RadioButtons(
            options=[(label, key) for key, label in AUDIENCES.items()], value=None, layout=widgets.Layout(width="100%")
        )
        boxes = {
            "urgent": "Es eilt: Ich brauche in wenigen Minuten eine Reaktion.",
            "personal_data": "Sie enthält Kunden- oder Personendaten (Name, Adresse, Fotos von Haus oder Personen).",
            "binding": "Sie ist eine verbindliche Absprache, die später nachvollziehbar sein muss.",
            "order_record": "Sie ist ein Bericht oder eine Notiz zu einem Kundenauftrag.",
        }
        self._boxes = {
            name: widgets.Checkbox(value=False, description=text, indent=False, layout=widgets.Layout(width="100%"))
            for name, text in boxes.items()
        }
        self._result = widgets.HTML(PROMPT_HTML)
        self._result.add_class("kommfit-feedback")
        live(self._result, status=False)  # the recommendation is read out when it changes
        who = name_source(widgets.HTML("<p><b>1. Wer muss die Nachricht lesen?</b></p>"), "audience")
        what = name_source(
            widgets.HTML("<p><b>2. Was trifft auf die Nachricht zu?</b> <i>(mehrere möglich)</i></p>"), "traits"
        )
        super().__init__(
            [
                widgets.HTML(STYLE + notice + "<p class='kommfit-prompt'><b>🧭 Kanal-Wegweiser</b></p>"),
                who,
                named_group(self._audience, "audience", "radiogroup"),
                what,
                named_group(widgets.VBox(list(self._boxes.values())), "traits"),
                self._result,
                KeyboardScope(),
            ]
        )
        self.add_class("kommfit-quiz")
        self.add_class("kommfit-wegweiser")
        self.add_class(CONTAINER_CLASS)
        link((self._audience, "value"), (self, "audience"))
        for name, box in self._boxes.items():
            link((box, "value"), (self, name))

    @validate("audience")
    def _validate_audience(self, proposal: dict) -> str | None:
        value = proposal["value"]
        if value is not None and value not in AUDIENCES:
            raise TraitError(f"Ungültiger Leserkreis: {value!r}. Möglich sind: {', '.join(AUDIENCES)}.")
        return value

    @observe("audience", "urgent", "personal_data", "binding", "order_record")
    def _described(self, _change: dict) -> None:
        recommendation = self.recommendation
        self._result.value = recommendation_html(recommendation) if recommendation else PROMPT_HTML

    @property
    def message(self) -> Message | None:
        """The message as described so far, or None while nobody has said who must read it."""
        if self.audience is None:
            return None
        return Message(self.audience, self.urgent, self.personal_data, self.binding, self.order_record)

    @property
    def recommendation(self) -> Recommendation | None:
        message = self.message
        return recommend(message, self.profile) if message else None

    def __repr__(self) -> str:
        return "<Kanal-Wegweiser: interne Werkzeuge aus dem Firmenprofil>"
