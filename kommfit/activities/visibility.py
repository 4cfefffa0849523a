"""Who can see a post: the visibility explorer of module 04.

Participants choose where a post appears (public profile, contacts only, a closed group, a close-friends story, a
messenger group, a direct message), how many people are in that circle, how many of them pass it on, and whether
their employer is named in their profile. The explorer answers in German with the circles of people who can see the
post and with what can carry it beyond them, and draws the circles as a small chart.

Why circles and not a verdict "privat/öffentlich": "geschlossen" feels like "vertraulich". Seeing the first circle,
the ring the post reaches when a few people pass it on, and an outermost ring without a border — one screenshot is
enough — makes the difference tangible. The numbers are a rough estimate (overlaps ignored, every person who passes it
on reaches a typical personal circle of ``PERSONAL_CIRCLE`` people); the shape matters, not the count.

The logic is pure functions (``explore_visibility``, ``visibility_chart``) so tests need no browser; the widget only
shows their result, the chart as SVG drawn in plain Python (``svgchart``: no matplotlib in the kernel, so module 04
also runs in the browser alone). It is an exploration element: it never writes anything, neither on display nor on a
click.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass

import ipywidgets as widgets
from traitlets import Unicode

from ..quiz.access import Chart, IntSlider, SelectionSlider, name_source, named_group
from ..quiz.display import STYLE, active_profile, profile_notice
from ..quiz.keyboard import CONTAINER_CLASS, KeyboardScope
from .svgchart import Svg, wrap

PERSONAL_CIRCLE = 150  # people one person typically passes something on to (rough assumption, said in the module)
SIZE_STEPS = (2, 3, 5, 8, 12, 20, 30, 50, 80, 120, 200, 300, 500, 800, 1200, 2000, 3000, 5000, 8000, 12000)
MAX_PASSERS = 10


@dataclass(frozen=True)
class Setting:
    """One place a post can appear, described in German for participants."""

    key: str
    label: str
    circle: str
    size_label: str
    default_size: int | None  # None: no limit (public); a fixed 1 for a direct message
    carriers: tuple[str, ...]
    note: str

    @property
    def size_adjustable(self) -> bool:
        """Can the participant set how many people are in the first circle?"""
        return self.default_size is not None and self.default_size > 1


SCREENSHOT = "Screenshots und Fotos vom Bildschirm – sie landen überall, auch öffentlich"

SETTINGS: dict[str, Setting] = {
    s.key: s
    for s in (
        Setting(
            key="oeffentlich",
            label="Öffentlicher Beitrag im eigenen Profil",
            circle="alle im Netz",
            size_label="",
            default_size=None,
            carriers=(
                "Teilen mit einem Klick – auch durch Menschen, die Sie nicht kennen",
                "Links und Suche: Öffentliche Beiträge lassen sich finden, auch Jahre später",
                SCREENSHOT,
            ),
            note="Öffentlich heißt: Jede und jeder kann ihn lesen – Kundschaft, Führungskräfte und künftige "
            "Arbeitgeber eingeschlossen.",
        ),
        Setting(
            key="kontakte",
            label="Beitrag nur für Kontakte oder Freunde",
            circle="Ihre Kontakte",
            size_label="Kontakte",
            default_size=300,
            carriers=(
                SCREENSHOT,
                "Weitererzählen und „Guck mal“ auf dem Handy",
                "Markierungen: Je nach Einstellung sehen auch Kontakte der markierten Person mit",
            ),
            note="Unter den Kontakten sind oft mehr Kolleginnen, Kollegen, Kundschaft und Bekannte von Bekannten, "
            "als man denkt.",
        ),
        Setting(
            key="gruppe",
            label="Beitrag in einer geschlossenen Gruppe",
            circle="Mitglieder der Gruppe",
            size_label="Mitglieder",
            default_size=2000,
            carriers=(
                SCREENSHOT,
                "Mitglieder, die Sie nicht kennen – auch aus anderen Firmen",
                "Neue Mitglieder: In vielen Gruppen lesen sie auch ältere Beiträge",
                "Wer dazukommt, entscheiden die Verwalter der Gruppe – nicht Sie",
            ),
            note="Geschlossen heißt: Nur Mitglieder lesen mit. Vertraulich heißt es nicht.",
        ),
        Setting(
            key="story",
            label="Story nur für enge Freunde",
            circle="Ihre Liste enger Freunde",
            size_label="Personen auf der Liste",
            default_size=20,
            carriers=(
                SCREENSHOT,
                "Weitererzählen",
                "Die Story verschwindet nach einem Tag – ein Screenshot nicht",
            ),
            note="Die Liste enger Freunde legt man einmal an – und vergisst dann leicht, wer darauf steht.",
        ),
        Setting(
            key="messenger",
            label="Nachricht in einer Messenger-Gruppe",
            circle="Mitglieder der Chatgruppe",
            size_label="Mitglieder",
            default_size=8,
            carriers=(
                "Weiterleiten mit zwei Fingertipps – in jeden anderen Chat",
                SCREENSHOT,
                "Gespeichert auf jedem Handy der Gruppe – auch bei denen, die den Betrieb später im Streit verlassen",
            ),
            note="Auch eine kleine private Chatgruppe ist kein geschützter Raum: Auf Vertraulichkeit kann man "
            "sich dort nur ausnahmsweise verlassen.",
        ),
        Setting(
            key="direkt",
            label="Direktnachricht an eine Person",
            circle="die Person, der Sie schreiben",
            size_label="",
            default_size=1,
            carriers=(
                "Weiterleiten mit zwei Fingertipps",
                SCREENSHOT,
                "Gespeichert auf dem Handy der anderen Person",
            ),
            note="Selbst eine Nachricht an eine einzige Person kann weitergegeben werden.",
        ),
    )
}


@dataclass(frozen=True)
class VisibilityInputs:
    """What the explorer's controls set."""

    setting: str = "kontakte"
    size: int | None = None  # people in the first circle; None: the setting's default
    passers_on: int = 1  # how many of them pass it on (share, forward, screenshot)
    employer_in_profile: bool = True
    company: str = "Ihr Arbeitgeber"


@dataclass(frozen=True)
class Ring:
    """One circle of people: who they are, how many (None: no limit), and how the post gets there."""

    label: str
    people: int | None
    how: str


@dataclass(frozen=True)
class Visibility:
    """The explorer's answer: the circles from the inside out, what carries the post further, and notes."""

    setting: Setting
    rings: tuple[Ring, ...]
    carriers: tuple[str, ...]
    employer_note: str
    verdict: str
    summary: str


class VisibilityError(ValueError):
    """The inputs do not describe a possible situation (unknown setting, negative numbers)."""


def german_count(number: int) -> str:
    """12000 → '12.000' (German thousands separator)."""
    return f"{number:,}".replace(",", ".")


def _verdict(people: int | None) -> str:
    if people is None:
        return "öffentlich"
    if people == 1:
        return "der kleinste Kreis"
    if people <= 25:
        return "ein kleiner Kreis"
    if people <= 300:
        return "ein mittlerer Kreis"
    return "ein großer Kreis"


def explore_visibility(inputs: VisibilityInputs) -> Visibility:
    """Who can see a post with these settings, and what can carry it further (pure; raises VisibilityError)."""
    setting = SETTINGS.get(inputs.setting)
    if setting is None:
        raise VisibilityError(f"Unbekannte Einstellung {inputs.setting!r}; möglich sind: {', '.join(SETTINGS)}.")
    if inputs.passers_on < 0 or (inputs.size is not None and inputs.size < 1):
        raise VisibilityError("Anzahlen können nicht negativ sein, und ein Kreis hat mindestens eine Person.")
    if setting.default_size is None:
        size = None
    elif setting.size_adjustable:
        size = inputs.size if inputs.size is not None else setting.default_size
    else:
        size = setting.default_size
    passers = inputs.passers_on if size is None else min(inputs.passers_on, size)

    rings = [Ring(f"sehen es direkt: {setting.circle}", size, "durch Ihre Einstellung")]
    if size is not None and passers > 0:
        rings.append(
            Ring(
                "bekommen es weitergereicht, geschätzt",
                passers * PERSONAL_CIRCLE,
                f"{passers} {'Person gibt' if passers == 1 else 'Personen geben'} es an je etwa "
                f"{PERSONAL_CIRCLE} Menschen weiter",
            )
        )
    if size is not None:
        rings.append(Ring("möglich: alle – ein Screenshot genügt", None, "kein Kreis lässt sich abschließen"))

    if inputs.employer_in_profile:
        employer_note = (
            f"Ihr Profil nennt {inputs.company}. Wer den Beitrag sieht, kann ihn mit {inputs.company} verbinden – "
            "auch Kundschaft, Kolleginnen, Kollegen und Führungskräfte."
        )
    else:
        employer_note = (
            "Ihr Profil nennt keinen Arbeitgeber. Wer Sie kennt, weiß oft trotzdem, wo Sie arbeiten – "
            "der Beitrag wird dann genauso verbunden, nur von weniger Menschen."
        )

    verdict = _verdict(size)
    if size is None:
        summary = f"{setting.label}: Erreicht sind {setting.circle} – ein Kreis ohne Grenze."
    else:
        people = "1 Person" if size == 1 else f"{german_count(size)} Menschen"
        summary = f"{setting.label}: Direkt erreicht: {people} – {verdict}."
        if passers:
            who = "1 Person" if passers == 1 else f"{passers} Personen"
            summary += f" Weitergegeben von {who}: rund {german_count(passers * PERSONAL_CIRCLE)} mehr."
        summary += " Vertraulich ist das trotzdem nicht: Ein Screenshot genügt."
    return Visibility(
        setting=setting,
        rings=tuple(rings),
        carriers=setting.carriers,
        employer_note=employer_note,
        verdict=verdict,
        summary=summary,
    )


def _radius(people: int) -> float:
    """Circle radius on a log scale: 1 person → 1, 10 → 2, 100 → 3 … so a chat group and a big group both show."""
    return 1.0 + math.log10(max(people, 1))


COLOURS = ("#1f6f8b", "#7fb7c9")
UNLIMITED_COLOUR = "#eef3f5"
PUBLIC_COLOUR = "#f2b8a0"
EDGE_COLOUR = "#5a6b70"  # every circle's border: 5.6:1 on white, so even the pale rings have a visible edge
BADGE_INK, BADGE_FILL, BADGE_EDGE = "#8a5a00", "#fff8e1", "#d9a400"  # the employer badge's text: 5.6:1 on its fill
MIN_RING = 0.3


def _count(ring: Ring) -> str:
    return "ohne Grenze" if ring.people is None else german_count(ring.people)


def _colour(index: int, ring: Ring, rings: int) -> str:
    """Inner circles dark to light; a ring without limit pale – or warm when it is the only one (public)."""
    if ring.people is None:
        return PUBLIC_COLOUR if rings == 1 else UNLIMITED_COLOUR
    return COLOURS[min(index, len(COLOURS) - 1)]


def _radii(rings: tuple[Ring, ...]) -> list[float]:
    """Radius of each circle: people reached so far on a log scale, each ring at least ``MIN_RING`` wide so it stays
    visible; a ring without limit lies 1.5 beyond the rest."""
    radii: list[float] = []
    total = 0
    for ring in rings:
        if ring.people is None:
            radii.append(radii[-1] + 1.5 if radii else 6.0)
        else:
            total += ring.people
            radii.append(max(_radius(total), radii[-1] + MIN_RING) if radii else _radius(total))
    return radii


def chart_description(result: Visibility, employer: str | None = None) -> str:
    """The chart's German text alternative: the circles it draws, from the inside out, with their numbers."""
    circles = "; ".join(f"{ring.label} ({_count(ring)})" for ring in result.rings)
    badge = f" Hinweis im Bild: Arbeitgeber im Profil: {employer}." if employer else ""
    return (
        f"Kreisdiagramm „Wer kann das sehen? – {result.setting.label}“, die Kreise von innen nach außen: "
        f"{circles}.{badge} Die Einzelheiten stehen im Text darüber."
    )


def visibility_chart(result: Visibility, employer: str | None = None) -> str:
    """An SVG of the circles from the inside out, with a legend; a ring without limit is dashed. ``employer`` adds a
    badge "Arbeitgeber im Profil: …"."""
    title = f"Wer kann das sehen? – {result.setting.label}"
    width, height = 640, 360
    svg = Svg(width, height, title)
    svg.text(width / 2, 24, title, size=14, anchor="middle")
    radii = _radii(result.rings)
    centre_x, centre_y, biggest = 172, 196, 150
    scale = biggest / radii[-1]
    styles = []
    for index, ring in enumerate(result.rings):
        styles.append({
            "fill": _colour(index, ring, len(result.rings)),
            "stroke": EDGE_COLOUR,
            "stroke_width": 1.2,
            "stroke_dasharray": "6 4" if ring.people is None else None,
        })
    # outer circles first, so the inner ones are drawn on top of them
    for index in reversed(range(len(result.rings))):
        svg.circle(centre_x, centre_y, radii[index] * scale, **styles[index])
    legend_x, line_height, size = 350, 15, 12
    entries = [wrap(f"{ring.label} ({_count(ring)})", 36) for ring in result.rings]
    badge = wrap(f"Arbeitgeber im Profil: {employer}", 40) if employer else []
    if len(badge) > 3:  # a very long company name must not run out of the picture (the full name is in the text)
        badge = [*badge[:2], badge[2][:39] + "…"]
    block = sum(len(lines) * line_height for lines in entries) + 18 * (len(entries) - 1)
    y = centre_y - block / 2 - (len(badge) * line_height + 24) / 2 * bool(badge)
    for lines, style in zip(entries, styles, strict=True):
        svg.rect(legend_x, y - 10, 22, 13, **style)
        svg.text(legend_x + 32, y, lines, size=size, line_height=line_height / size)
        y += len(lines) * line_height + 18
    if badge:
        top = y + 4
        box_width = 16 + 6.6 * max(len(line) for line in badge)
        svg.rect(legend_x, top, box_width, len(badge) * line_height + 10, rx=5, fill=BADGE_FILL, stroke=BADGE_EDGE)
        svg.text(legend_x + 8, top + 17, badge, size=11, fill=BADGE_INK, line_height=line_height / 11)
    return svg.render()


def details_html(result: Visibility) -> str:
    """The circles, what carries the post further, and the notes as German HTML."""
    cell = "padding:0.2em 0.9em 0.2em 0;vertical-align:top;border-bottom:1px solid #d5e0e4"
    head = "".join(
        f"<th scope='col' style='{cell};text-align:left'>{h}</th>" for h in ("Kreis", "Menschen", "Wie es dorthin")
    )
    rows = "".join(
        f"<tr><th scope='row' style='{cell};text-align:left;font-weight:normal'>{html.escape(r.label)}</th>"
        f"<td style='{cell};text-align:right'><b>{_count(r)}</b></td>"
        f"<td style='{cell}'>{html.escape(r.how)}</td></tr>"
        for r in result.rings
    )
    carriers = "".join(f"<li>{html.escape(c)}</li>" for c in result.carriers)
    return (
        f"<p><b>{html.escape(result.summary)}</b></p>"
        "<table><caption style='text-align:left;padding:0.3em 0'>Die Kreise von innen nach außen:</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
        f"<p>Was es weitertragen kann:</p><ul>{carriers}</ul>"
        f"<p><b>Oft übersehen:</b> {html.escape(result.setting.note)}</p>"
        f"<p><b>Ihr Arbeitgeber:</b> {html.escape(result.employer_note)}</p>"
    )


def _nearest_step(value: int) -> int:
    return min(SIZE_STEPS, key=lambda step: abs(step - value))


# the question "Wo erscheint es?" beside its options, where ipywidgets put a RadioButtons' description
VISIBILITY_STYLE = """<style>
.kommfit-visibility .kommfit-setting-label { text-align: right; padding: 0.15em 0.8em 0 0; box-sizing: border-box;
  margin-right: 0.75em; font-size: var(--jp-widgets-font-size); flex-shrink: 0; }
</style>"""


class VisibilityExplorer(widgets.VBox):
    """Controls → the circles of people who can see a post, what carries it further, and a chart. Writes nothing."""

    summary = Unicode(help="The German one-sentence answer currently shown (also what tests and screen readers read).")
    company = Unicode(help="Short company name used when the employer is in the profile; from the active profile.")

    def __init__(self) -> None:
        active = active_profile()
        self._adjusting = False  # True while a new setting resets the controls: redraw once, not per control
        label_width = "14em"
        layout = widgets.Layout(width="38em", max_width="100%")
        self.setting = widgets.RadioButtons(
            options=[(s.label, s.key) for s in SETTINGS.values()],
            value="kontakte",
            layout=widgets.Layout(width="24em"),
        )
        # the question beside the options names their group (a RadioButtons' description is no label of it)
        question = name_source(widgets.HTML("Wo erscheint es?", layout=widgets.Layout(width=label_width)),
                               "setting")
        question.add_class("kommfit-setting-label")
        named_group(self.setting, "setting", "radiogroup")
        self.size = SelectionSlider(
            options=list(SIZE_STEPS), value=300, description="Kontakte", label_width=label_width, layout=layout
        )
        self.passers_on = IntSlider(
            value=1, min=0, max=MAX_PASSERS, description="davon geben es weiter", label_width=label_width,
            layout=layout,
        )
        self.employer = widgets.Checkbox(
            value=True, description="Mein Arbeitgeber steht in meinem Profil", indent=False,
            layout=widgets.Layout(width="38em"),
        )
        self.details = widgets.HTML()
        self.chart = Chart()
        super().__init__(
            [
                widgets.HTML(STYLE + VISIBILITY_STYLE + profile_notice(active)),
                widgets.HBox([question, self.setting]),
                self.size,
                self.passers_on,
                self.employer,
                self.details,
                self.chart,
                KeyboardScope(),
            ]
        )
        self.company = active.profile.kurzname
        self.add_class("kommfit-visibility")
        self.add_class(CONTAINER_CLASS)
        self.setting.observe(self._setting_changed, names="value")
        for control in (self.size, self.passers_on, self.employer):
            control.observe(lambda _change: self.update(), names="value")
        self._setting_changed()

    def _setting_changed(self, _change: object = None) -> None:
        """A new place: show the size control only where it matters, with that place's typical size."""
        setting = SETTINGS[self.setting.value]
        self._adjusting = True
        try:
            if setting.size_adjustable:
                self.size.description = setting.size_label
                self.size.value = _nearest_step(setting.default_size or SIZE_STEPS[0])
                self.size.layout.display = None
            else:
                self.size.layout.display = "none"
            self.passers_on.max = 1 if setting.default_size == 1 else MAX_PASSERS
        finally:
            self._adjusting = False
        self.update()

    def inputs(self) -> VisibilityInputs:
        """The current settings as the pure function's inputs."""
        return VisibilityInputs(
            setting=self.setting.value,
            size=self.size.value,
            passers_on=self.passers_on.value,
            employer_in_profile=self.employer.value,
            company=self.company,
        )

    def update(self) -> None:
        """Recompute and redraw (nothing is saved)."""
        if self._adjusting:
            return
        result = explore_visibility(self.inputs())
        self.summary = result.summary
        self.details.value = details_html(result)
        employer = self.company if self.employer.value else None
        self.chart.value = visibility_chart(result, employer)
        self.chart.alt = chart_description(result, employer)

    def __repr__(self) -> str:
        return "<Sichtbarkeits-Explorer: Wer kann einen Beitrag sehen?>"
