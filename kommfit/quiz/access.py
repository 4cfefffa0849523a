"""Accessible names, roles and text alternatives for kommfit's widgets (WCAG 2.1 AA, checked with axe-core).

Real labels first: a dropdown or text field takes its visible label as ipywidgets' ``description`` (rendered as
``<label for=…>``). Sliders and charts are small anywidgets of their own, because ipywidgets 8 renders a slider as a
``div role=slider`` that no label reaches and an ``Image`` without ``alt``: ``Slider`` is a native
``<input type=range>`` with its ``<label>``, ``Chart`` an ``<img>`` of an SVG with a German ``alt``.

The rest — a group of options named by its question, a text area named by the prompt above it, a status line read
out when it changes, a toggle's pressed state — has no ipywidgets equivalent; the functions below put kommfit's
markers on the widgets, and ``KeyboardScope`` (``keyboard.py``) turns them into ARIA attributes in the browser.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import anywidget
import ipywidgets as widgets
from traitlets import Any as AnyTrait
from traitlets import Bool, Float, Int, List, Unicode, observe, validate

from ..core.headless import quiet_when_grading

_KEY = re.compile(r"[A-Za-z0-9_-]+")

# Focus visible on every control (JupyterLab's own focus style for inputs is a faint border colour) and labels that
# wrap like text instead of being cut off; part of display.STYLE.
ACCESS_CSS = """
.kommfit-keyboard :is(input, select, textarea, button):focus-visible {
  outline: 2px solid #1f6f8b !important; outline-offset: 2px; }
.kommfit-keyboard .kommfit-labelled > label.widget-label { white-space: normal; overflow: visible; height: auto;
  line-height: 1.35; text-align: left; padding-right: 0.8em; flex-shrink: 0; }
.kommfit-keyboard .kommfit-labelled { align-items: center; height: auto; }
.kommfit-keyboard .kommfit-labelled-above { flex-direction: column; align-items: stretch; }
.kommfit-keyboard .kommfit-labelled-above > label.widget-label { width: auto; text-align: left; white-space: normal;
  height: auto; }
"""


def _key(key: str) -> str:
    if not _KEY.fullmatch(key):
        raise ValueError(f"name key {key!r} must be letters, digits, '-' or '_'")
    return key


def name_source(widget: widgets.DOMWidget, key: str) -> widgets.DOMWidget:
    """Mark ``widget`` (e.g. a question's prompt) as the accessible name of what is marked with the same ``key``."""
    widget.add_class(f"kommfit-name-{_key(key)}")
    return widget


def named_group(widget: widgets.DOMWidget, key: str, role: str = "group") -> widgets.DOMWidget:
    """A group of options (``role`` ``group`` or ``radiogroup``) whose accessible name is the ``key`` source."""
    if role not in ("group", "radiogroup"):
        raise ValueError(f"role {role!r}: group or radiogroup")
    widget.add_class(f"kommfit-role-{role}")
    widget.add_class(f"kommfit-named-by-{_key(key)}")
    return widget


def named_field(widget: widgets.DOMWidget, key: str) -> widgets.DOMWidget:
    """A text area (or other field) whose accessible name is the ``key`` source, e.g. the question above it."""
    widget.add_class(f"kommfit-field-named-by-{_key(key)}")
    return widget


def live(widget: widgets.DOMWidget, *, status: bool = True) -> widgets.DOMWidget:
    """A line that screen readers read out when it changes (``aria-live=polite``); ``status``: also ``role=status``
    (a short status line such as "Antwort gespeichert"; longer feedback is live without it)."""
    widget.add_class("kommfit-live")
    if status:
        widget.add_class("kommfit-role-status")
    return widget


def pressed_state(widget: widgets.ToggleButtons, key: str) -> widgets.ToggleButtons:
    """Toggle buttons as a group named by ``key`` whose buttons tell whether they are pressed."""
    named_group(widget, key)
    widget.add_class("kommfit-pressed")
    return widget


def labelled(widget: widgets.DOMWidget, *, above: bool = False) -> widgets.DOMWidget:
    """A widget whose ``description`` is its visible label (``<label for=…>``): wrap long labels; ``above``: the
    label stands above the field (a text area)."""
    widget.add_class("kommfit-labelled-above" if above else "kommfit-labelled")
    return widget


# ---------------------------------------------------------------------------------------------------- sliders
_SLIDER_ESM = """
function render({ model, el }) {
  const id = "kommfit-slider-" + Math.random().toString(36).slice(2, 10);
  el.classList.add("kommfit-slider");
  const label = document.createElement("label");
  label.htmlFor = id;
  const input = document.createElement("input");
  input.type = "range";
  input.id = id;
  input.min = "0";
  input.step = "1";
  const output = document.createElement("output");
  output.htmlFor = id;
  output.setAttribute("aria-hidden", "true");  // the slider itself says its value (aria-valuetext)
  el.append(label, input, output);
  const draw = () => {
    label.textContent = model.get("description");
    label.style.width = model.get("label_width");
    input.max = String(Math.max(model.get("count") - 1, 0));
    input.value = String(model.get("index"));
    input.disabled = model.get("disabled");
    input.setAttribute("aria-valuetext", model.get("readout"));
    output.textContent = model.get("readout");
  };
  input.addEventListener("input", () => {
    model.set("index", Number(input.value));
    model.save_changes();
  });
  model.on("change", draw);
  draw();
  return () => model.off("change", draw);
}
export default { render };
"""

_SLIDER_CSS = """
.kommfit-slider { display: flex; align-items: center; gap: 0.6em; box-sizing: border-box;
  min-height: var(--jp-widgets-inline-height, 28px); margin: var(--jp-widgets-margin, 2px);
  font-size: var(--jp-widgets-font-size, 13px); color: var(--jp-widgets-label-color, rgba(0, 0, 0, 0.87)); }
.kommfit-slider label { flex: 0 0 auto; text-align: right; line-height: 1.3; }
.kommfit-slider input[type=range] { flex: 1 1 auto; min-width: 6em; margin: 0 0.4em;
  accent-color: var(--jp-brand-color1, #1976d2); }
.kommfit-slider output { flex: 0 0 4.5em; }
"""


class Slider(anywidget.AnyWidget):
    """A slider with a real ``<label>``: a native ``<input type=range>`` over ``positions()``, keyboard-operable
    (arrow keys, Home, End) and read out with its label and value. ``value``, ``description`` and ``layout`` work as
    with ipywidgets' sliders; the subclasses say what the positions are."""

    _esm = _SLIDER_ESM
    _css = _SLIDER_CSS

    value = AnyTrait()
    description = Unicode("").tag(sync=True)
    label_width = Unicode("14em", help="Width of the label (ipywidgets: style description_width).").tag(sync=True)
    disabled = Bool(False).tag(sync=True)
    index = Int(0).tag(sync=True)
    count = Int(1).tag(sync=True)
    readout = Unicode("", help="The value as shown and read out.").tag(sync=True)

    def __init__(self, *, readout_format: str = "d", **kwargs: Any) -> None:
        quiet_when_grading()
        self._readout_format = readout_format
        self._placing = False
        super().__init__(**kwargs)
        self._place()

    # the positions of the slider (values), and how one is shown
    def positions(self) -> Sequence[Any]:
        raise NotImplementedError

    def show(self, value: Any) -> str:
        text = format(value, self._readout_format)
        return text.replace(".", ",") if isinstance(value, float) else text

    def _nearest(self, value: Any) -> int:
        positions = list(self.positions())
        if value in positions:
            return positions.index(value)
        return min(range(len(positions)), key=lambda i: abs(positions[i] - value))

    def _place(self) -> None:
        """Bring index, count and readout in line with value (after a change of value or of the positions)."""
        positions = list(self.positions())
        self._placing = True
        try:
            self.count = len(positions)
            index = self._nearest(self.value)
            if positions[index] != self.value:
                self.value = positions[index]
            self.index = index
            self.readout = self.show(self.value)
        finally:
            self._placing = False

    @observe("value")
    def _value_changed(self, _change: Any) -> None:
        if not self._placing:
            self._place()

    @observe("index")
    def _index_moved(self, change: Any) -> None:
        """The participant moved the slider (or a test set the index)."""
        if self._placing:
            return
        positions = list(self.positions())
        self.value = positions[max(0, min(change["new"], len(positions) - 1))]

    def __repr__(self) -> str:
        return f"<Schieberegler {self.description!r}: {self.readout}>"


class IntSlider(Slider):
    """Whole numbers from ``min`` to ``max`` in steps of ``step``."""

    value = Int(0)
    min = Int(0)
    max = Int(100)
    step = Int(1)

    def positions(self) -> Sequence[int]:
        return range(self.min, max(self.max, self.min) + 1, max(self.step, 1))

    @observe("min", "max", "step")
    def _range_changed(self, _change: Any) -> None:
        if getattr(self, "_readout_format", None) is not None:
            self._place()


class FloatSlider(Slider):
    """Decimal numbers from ``min`` to ``max`` in steps of ``step`` (shown with a decimal comma)."""

    value = Float(0.0)
    min = Float(0.0)
    max = Float(10.0)
    step = Float(0.1)

    def __init__(self, *, readout_format: str = ".2f", **kwargs: Any) -> None:
        super().__init__(readout_format=readout_format, **kwargs)

    def positions(self) -> Sequence[float]:
        count = int(round((self.max - self.min) / self.step)) + 1 if self.step > 0 else 1
        return [round(self.min + i * self.step, 10) for i in range(max(count, 1))]

    @observe("min", "max", "step")
    def _range_changed(self, _change: Any) -> None:
        if getattr(self, "_readout_format", None) is not None:
            self._place()


class SelectionSlider(Slider):
    """One of ``options`` (numbers, in order)."""

    options = List()

    def __init__(self, *, options: Sequence[Any], **kwargs: Any) -> None:
        super().__init__(options=list(options), **kwargs)

    def positions(self) -> Sequence[Any]:
        return self.options

    def show(self, value: Any) -> str:
        return f"{value:,}".replace(",", ".") if isinstance(value, int) else str(value)

    @validate("options")
    def _validate_options(self, proposal: Any) -> list[Any]:
        if not proposal["value"]:
            raise ValueError("a selection slider needs options")
        return list(proposal["value"])


# ---------------------------------------------------------------------------------------------------- charts
_CHART_ESM = """
function render({ model, el }) {
  const img = document.createElement("img");
  img.className = "kommfit-chart-image";
  el.append(img);
  const draw = () => {
    const svg = model.get("value");
    // a data URL, not inline markup: an SVG shown as an image runs no script and loads nothing, whatever it holds
    if (svg) img.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(svg); else img.removeAttribute("src");
    img.alt = model.get("alt");
  };
  model.on("change:value change:alt", draw);
  draw();
  return () => model.off("change:value change:alt", draw);
}
export default { render };
"""


class Chart(anywidget.AnyWidget):
    """A chart image with a German text alternative (``alt``) that says what it shows; ``value`` holds the chart as
    SVG markup (drawn in plain Python by ``activities/svgchart.py``, so the kernel needs no matplotlib), shown as an
    ``<img>`` — unlike ipywidgets' ``Image``, which renders no ``alt``."""

    _esm = _CHART_ESM
    _css = ".kommfit-chart-image { max-width: 100%; height: auto; display: block; }"

    value = Unicode("", help="The chart as an SVG document.").tag(sync=True)
    alt = Unicode("", help="What the chart shows, in German, for people who cannot see it.").tag(sync=True)

    def __init__(self, **kwargs: Any) -> None:
        quiet_when_grading()
        super().__init__(**kwargs)

    @validate("value")
    def _validate_value(self, proposal: Any) -> str:
        if proposal["value"] and not proposal["value"].lstrip().startswith("<svg"):
            raise ValueError("a chart's value is an SVG document (<svg …>)")
        return proposal["value"]

    def __repr__(self) -> str:
        return f"<Diagramm: {self.alt}>"
