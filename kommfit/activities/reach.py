"""How far a remark travels: the regulars' table against a post online (module 01).

A deliberately simple model that participants can play with: at the table, a few listeners retell the story to a
few others; online, a share of one's contacts sees the post, a few of them share it, and their contacts see it in
turn. Overlaps between networks are ignored, so the online figures are an upper estimate — the module says so.
The model is a pure function so it can be tested; the widget only draws it.

pandas and matplotlib are imported where they are used: while nbgrader grades a notebook nothing is drawn, and
grading should not pay seconds of imports for a chart nobody sees.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

import ipywidgets as widgets

from ..core.headless import quiet_when_grading
from ..quiz.access import Chart, FloatSlider, IntSlider, live
from ..quiz.display import STYLE
from ..quiz.keyboard import CONTAINER_CLASS, KeyboardScope

if TYPE_CHECKING:
    import pandas as pd


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


def estimate_reach(inputs: ReachInputs) -> pd.DataFrame:
    """People reached per round of passing on, at the regulars' table and online (round 0 = the original remark)."""
    import pandas as pd

    rows = []
    table_new = float(inputs.table_listeners)
    online_new = inputs.contacts * inputs.see_share
    table_total = online_total = 0.0
    for round_no in range(inputs.rounds + 1):
        table_total += table_new
        online_total += online_new
        rows.append(
            {
                "Runde": round_no,
                "Stammtisch neu": round(table_new),
                "Stammtisch gesamt": round(table_total),
                "Online neu": round(online_new),
                "Online gesamt": round(online_total),
            }
        )
        table_new = table_new * inputs.retell_share * inputs.retell_to
        online_new = online_new * inputs.share_rate * inputs.contacts_per_sharer * inputs.see_share
    return pd.DataFrame(rows).set_index("Runde")


def reach_chart(table: pd.DataFrame) -> bytes:
    """A PNG line chart of the cumulative reach, on a log scale so the regulars' table stays visible."""
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter, NullFormatter

    fig = Figure(figsize=(6.4, 3.4), dpi=100)  # no pyplot: leaves the notebook's own plotting backend alone
    ax = fig.subplots()
    ax.plot(table.index, table["Stammtisch gesamt"].clip(lower=1), marker="o", label="Stammtisch")
    ax.plot(table.index, table["Online gesamt"].clip(lower=1), marker="s", label="Beitrag online")
    ax.set_yscale("log")
    ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _pos: _german(int(value))))
    ax.yaxis.set_minor_formatter(NullFormatter())
    ax.set_xticks(list(table.index))
    ax.set_xlabel("Runde des Weitererzählens bzw. Teilens")
    ax.set_ylabel("erreichte Menschen (gesamt)")
    ax.set_title("Wie weit trägt eine Äußerung?")
    ax.grid(True, which="major", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


def summary_text(table: pd.DataFrame) -> str:
    """One German sentence comparing the two totals."""
    table_total = int(table["Stammtisch gesamt"].iloc[-1])
    online_total = int(table["Online gesamt"].iloc[-1])
    factor = round(online_total / max(table_total, 1))
    return (
        f"Nach {len(table) - 1} Runden: Stammtisch etwa {_german(table_total)} Menschen, "
        f"online etwa {_german(online_total)} – rund {_german(factor)}-mal so viele."
    )


def chart_description(table: pd.DataFrame) -> str:
    """The chart's German text alternative: what it shows and where it ends (the numbers are in the table)."""
    return (
        "Liniendiagramm „Wie weit trägt eine Äußerung?“: erreichte Menschen insgesamt nach jeder Runde des "
        "Weitererzählens bzw. Teilens, Stammtisch gegenüber Beitrag online, auf logarithmischer Skala. "
        f"{summary_text(table)} Die Zahlen je Runde stehen in der Tabelle darüber."
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
        if os.environ.get("NBGRADER_EXECUTION"):
            return  # nobody looks at the chart while nbgrader grades: skip the drawing
        table = estimate_reach(self.inputs())
        self.summary.value = f"<p><b>{summary_text(table)}</b></p>"
        self.table.value = table.reset_index().to_html(classes="kommfit-reach-table", border=0, index=False)
        self.chart.value = reach_chart(table)
        self.chart.alt = chart_description(table)

    def __repr__(self) -> str:
        return "<Reichweiten-Schätzer: Stammtisch und online>"
