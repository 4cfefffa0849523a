"""How far a remark travels: the regulars' table against a post online (module 01).

A deliberately simple model that participants can play with: at the table, a few listeners retell the story to a
few others; online, a share of one's contacts sees the post, a few of them share it, and their contacts see it in
turn. Overlaps between networks are ignored, so the online figures are an upper estimate — the module says so.
The model is a pure function so it can be tested; the widget only shows it, as an HTML table and an SVG chart drawn
in plain Python (``svgchart``): the kernel needs neither pandas nor matplotlib, so module 01 also runs in the browser
alone (JupyterLite).
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import ipywidgets as widgets

from ..core.headless import in_grading, quiet_when_grading
from ..quiz.access import Chart, FloatSlider, IntSlider, live
from ..quiz.display import STYLE
from ..quiz.keyboard import CONTAINER_CLASS, KeyboardScope
from .svgchart import GRID, MUTED_INK, LogScale, Svg

TITLE = "Wie weit trägt eine Äußerung?"
TABLE_COLOUR = "#1f6f8b"  # line and markers of the regulars' table: 5.7:1 on white
ONLINE_COLOUR = "#b34700"  # the post online: 5.5:1 on white; the markers (circle, square) tell them apart too
COLUMNS = ("Runde", "Stammtisch neu", "Stammtisch gesamt", "Online neu", "Online gesamt")


@dataclass(frozen=True)
class ReachInputs:
    """What the sliders set. Shares are fractions between 0 and 1."""

    contacts: int = 300
    see_share: float = 0.3
    share_rate: float = 0.02
    contacts_per_sharer: int = 300
    rounds: int = 3
    table_listeners: int = 15
    retell_share: float = 0.2
    retell_to: int = 3


@dataclass(frozen=True)
class ReachRound:
    """People reached in one round of passing on (``round_no`` 0 = the original remark), new and so far."""

    round_no: int
    table_new: int
    table_total: int
    online_new: int
    online_total: int

    def cells(self) -> tuple[int, ...]:
        """The row in the order of ``COLUMNS``."""
        return (self.round_no, self.table_new, self.table_total, self.online_new, self.online_total)


def estimate_reach(inputs: ReachInputs) -> tuple[ReachRound, ...]:
    """People reached per round of passing on, at the regulars' table and online (round 0 = the original remark)."""
    rounds = []
    table_new = float(inputs.table_listeners)
    online_new = inputs.contacts * inputs.see_share
    table_total = online_total = 0.0
    for round_no in range(inputs.rounds + 1):
        table_total += table_new
        online_total += online_new
        rounds.append(ReachRound(round_no, round(table_new), round(table_total), round(online_new),
                                 round(online_total)))
        table_new = table_new * inputs.retell_share * inputs.retell_to
        online_new = online_new * inputs.share_rate * inputs.contacts_per_sharer * inputs.see_share
    return tuple(rounds)


def table_html(rounds: tuple[ReachRound, ...]) -> str:
    """The rounds as an accessible German HTML table: caption, column and row headers, German thousands."""
    head = "".join(f'<th scope="col">{html.escape(name)}</th>' for name in COLUMNS)
    body = "".join(
        f'<tr><th scope="row">{row.round_no}</th>'
        + "".join(f"<td>{_german(cell)}</td>" for cell in row.cells()[1:])
        + "</tr>"
        for row in rounds
    )
    return (
        '<table class="kommfit-reach-table"><caption style="text-align:left;font-weight:bold;padding:0.3em 0">'
        "Erreichte Menschen je Runde (geschätzt)</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


def reach_chart(rounds: tuple[ReachRound, ...]) -> str:
    """An SVG line chart of the cumulative reach, on a log scale so the regulars' table stays visible."""
    width, height = 640, 340
    left, right, top, bottom = 92, 620, 62, 282
    svg = Svg(width, height, TITLE)
    svg.text(width / 2, 24, TITLE, size=16, anchor="middle")
    series = (
        ("Stammtisch", TABLE_COLOUR, [max(r.table_total, 1) for r in rounds], "circle"),
        ("Beitrag online", ONLINE_COLOUR, [max(r.online_total, 1) for r in rounds], "square"),
    )
    values = [v for _label, _colour, points, _marker in series for v in points]
    scale = LogScale(min(values) / 1.4, max(values) * 1.4, bottom, top)
    last = max(len(rounds) - 1, 1)

    def x_of(index: int) -> float:
        return left + 16 + index * (right - left - 32) / last

    # legend above the plot, where no line can run through it
    x = left
    for label, colour, _points, marker in series:
        _marker(svg, marker, x + 14, 44, colour)
        svg.line(x, 44, x + 28, 44, stroke=colour, stroke_width=2)
        svg.text(x + 36, 48, label, size=12)
        x += 52 + 7.5 * len(label)
    svg.rect(left, top, right - left, bottom - top, fill="none", stroke=MUTED_INK, stroke_width=1)
    for tick in scale.ticks():
        y = scale(tick)
        svg.line(left, y, right, y, stroke=GRID, stroke_width=1)
        svg.line(left - 5, y, left, y, stroke=MUTED_INK, stroke_width=1)
        svg.text(left - 8, y + 4, axis_number(tick), size=11, fill=MUTED_INK, anchor="end")
    for index, row in enumerate(rounds):
        svg.line(x_of(index), bottom, x_of(index), bottom + 5, stroke=MUTED_INK, stroke_width=1)
        svg.text(x_of(index), bottom + 19, str(row.round_no), size=11, fill=MUTED_INK, anchor="middle")
    svg.text((left + right) / 2, height - 12, "Runde des Weitererzählens bzw. Teilens", size=12, fill=MUTED_INK,
             anchor="middle")
    svg.text(18, (top + bottom) / 2, "erreichte Menschen (gesamt)", size=12, fill=MUTED_INK, anchor="middle",
             transform=f"rotate(-90 18 {(top + bottom) / 2:.0f})")
    for _label, colour, points, marker in series:
        coordinates = [(x_of(i), scale(v)) for i, v in enumerate(points)]
        svg.polyline(coordinates, stroke=colour, stroke_width=2)
        for cx, cy in coordinates:
            _marker(svg, marker, cx, cy, colour)
    return svg.render()


def _marker(svg: Svg, kind: str, x: float, y: float, colour: str) -> None:
    if kind == "circle":
        svg.circle(x, y, 4.5, fill=colour)
    else:
        svg.rect(x - 4, y - 4, 8, 8, fill=colour)


def axis_number(value: float) -> str:
    """An axis label in German: „1.000“ up to a million, then „10 Mio.“, „1 Mrd.“, „1 Bio.“, „1 Billiarde“ (huge
    estimates stay short)."""
    if value < 1:
        return f"{value:g}".replace(".", ",")
    if value <= 10**6:
        return _german(round(value))
    for size, word in ((10**15, "Billiarden"), (10**12, "Bio."), (10**9, "Mrd."), (10**6, "Mio.")):
        if value >= size:
            count = f"{value / size:g}".replace(".", ",")
            return "1 Billiarde" if (count, size) == ("1", 10**15) else f"{count} {word}"
    raise AssertionError("unreachable")  # pragma: no cover


def summary_text(rounds: tuple[ReachRound, ...]) -> str:
    """One German sentence comparing the two totals."""
    table_total = rounds[-1].table_total
    online_total = rounds[-1].online_total
    factor = round(online_total / max(table_total, 1))
    return (
        f"Nach {len(rounds) - 1} Runden: Stammtisch etwa {_german(table_total)} Menschen, "
        f"online etwa {_german(online_total)} – rund {_german(factor)}-mal so viele."
    )


def chart_description(rounds: tuple[ReachRound, ...]) -> str:
    """The chart's German text alternative: what it shows and where it ends (the numbers are in the table)."""
    return (
        f"Liniendiagramm „{TITLE}“: erreichte Menschen insgesamt nach jeder Runde des "
        "Weitererzählens bzw. Teilens, Stammtisch gegenüber Beitrag online, auf logarithmischer Skala. "
        f"{summary_text(rounds)} Die Zahlen je Runde stehen in der Tabelle darüber."
    )


def _german(number: int) -> str:
    """12345 → '12.345' (German thousands separator)."""
    return f"{number:,}".replace(",", ".")


class ReachExplorer(widgets.VBox):
    """Sliders → a small table and a chart of how far a post travels compared with the regulars' table."""

    def __init__(self) -> None:
        quiet_when_grading()
        style = {"label_width": "19em"}  # sliders with a real label (``access.Slider``)
        layout = widgets.Layout(width="38em", max_width="100%")
        self.contacts = IntSlider(
            value=300, min=20, max=3000, step=10, description="Ihre Kontakte im Netzwerk", **style, layout=layout
        )
        self.see_share = IntSlider(
            value=30, min=5, max=100, step=5, description="davon sehen den Beitrag (%)", **style, layout=layout
        )
        self.share_rate = FloatSlider(
            value=2.0, min=0.0, max=10.0, step=0.5, description="davon teilen ihn weiter (%)", **style,
            layout=layout, readout_format=".1f",
        )
        self.contacts_per_sharer = IntSlider(
            value=300, min=20, max=3000, step=10, description="Kontakte je teilender Person", **style, layout=layout
        )
        self.rounds = IntSlider(value=3, min=1, max=5, description="Runden des Teilens", **style, layout=layout)
        self.summary = live(widgets.HTML())  # read out when a slider moves
        self.table = widgets.HTML()
        self.chart = Chart()
        for slider in self.sliders:
            slider.observe(lambda _change: self.update(), names="value")
        super().__init__([widgets.HTML(STYLE), *self.sliders, self.summary, self.table, self.chart, KeyboardScope()])
        self.add_class("kommfit-reach")
        self.add_class(CONTAINER_CLASS)
        self.update()

    @property
    def sliders(self) -> list[widgets.Widget]:
        return [self.contacts, self.see_share, self.share_rate, self.contacts_per_sharer, self.rounds]

    def inputs(self) -> ReachInputs:
        return ReachInputs(
            contacts=self.contacts.value,
            see_share=self.see_share.value / 100,
            share_rate=self.share_rate.value / 100,
            contacts_per_sharer=self.contacts_per_sharer.value,
            rounds=self.rounds.value,
        )

    def update(self) -> None:
        if in_grading():
            return  # nobody looks at the chart while nbgrader grades: skip the drawing
        rounds = estimate_reach(self.inputs())
        self.summary.value = f"<p><b>{summary_text(rounds)}</b></p>"
        self.table.value = table_html(rounds)
        self.chart.value = reach_chart(rounds)
        self.chart.alt = chart_description(rounds)

    def __repr__(self) -> str:
        return "<Reichweiten-Schätzer: Stammtisch und online>"
