"""The German hand-in path: "Jetzt abgeben" at the end of a module, "Module abholen" and "Rückmeldung abholen" on
the start page — nbgrader's exchange (``exchange.py``) behind German buttons, so nobody needs the English
"Assignments" panel (it stays available).

One widget decides by the environment: with an exchange and a course (JupyterHub) it shows the buttons; without one
(a laptop, ``make lab``) the module shows the zip export of ``handin.py`` and the start page says where the modules
are. While nbgrader grades, nothing looks at the exchange and nothing is sent.

Saving first: the answer file is what counts and is already on disk, but the handed-in notebook should be the saved
one. The button asks the browser to save (a small anywidget presses JupyterLab's own Ctrl+S in the notebook) and
hands in when the browser answers, so the saved notebook goes along.
"""

from __future__ import annotations

import html
import json
import os
import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

import anywidget
import ipywidgets as widgets

from ..core.headless import in_grading, quiet_when_grading
from ..quiz.access import live
from ..quiz.display import STYLE
from ..quiz.keyboard import CONTAINER_CLASS, KeyboardScope
from . import exchange
from .handin import HandIn

WEEKDAYS = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")

_SAVE_ESM = """
export default {
  render({ model, el }) {
    model.on("msg:custom", (msg) => {
      if (!msg || msg.kommfit !== "save") return;
      let asked = false;
      try {
        const target = el.closest(".jp-Notebook") || document.body;
        const press = new KeyboardEvent("keydown", { key: "s", code: "KeyS", ctrlKey: true, bubbles: true,
                                                     cancelable: true });
        Object.defineProperty(press, "keyCode", { get: () => 83 });
        Object.defineProperty(press, "which", { get: () => 83 });
        target.dispatchEvent(press);
        asked = true;
      } catch (error) { asked = false; }
      // JupyterLab saves asynchronously; give it a moment, then let the kernel hand in.
      setTimeout(() => model.send({ kommfit: "saved", asked }), 1500);
    });
  }
};
"""


class _Saver(anywidget.AnyWidget):
    """Invisible: saves the notebook it is shown in when the kernel asks, then answers."""

    _esm = _SAVE_ESM

    def __init__(self, **kwargs) -> None:
        quiet_when_grading()
        super().__init__(**kwargs)

    def __repr__(self) -> str:
        return "<Speichern>"


def german_time(moment: datetime) -> str:
    """e.g. "Mittwoch, 02.12.2026, um 08:05 Uhr" (local time)."""
    return f"{WEEKDAYS[moment.weekday()]}, {moment:%d.%m.%Y}, um {moment:%H:%M} Uhr"


def _good(text: str) -> str:
    return f"<span class='kommfit-good'>✓ {text}</span>"


def _bad(text: str) -> str:
    return f"<span class='kommfit-bad'>{html.escape(text)}</span>"


def _frame(children: list[widgets.Widget]) -> list[widgets.Widget]:
    return [widgets.HTML(STYLE), *children, KeyboardScope()]


def _mark(box: widgets.Box, *classes: str) -> None:
    for name in ("kommfit-quiz", CONTAINER_CLASS, *classes):
        box.add_class(name)


class HubSubmit(widgets.VBox):
    """ "Jetzt abgeben": saves the notebook, hands in the module folder with nbgrader's submit, confirms in German."""

    def __init__(self, folder: Path, course: exchange.Course | None = None, problem: str = "",
                 clock: Callable[[], datetime] = lambda: datetime.now().astimezone()) -> None:
        self.folder = Path(folder)
        self.course = course
        self.clock = clock
        self.button = widgets.Button(description="Jetzt abgeben", button_style="primary", icon="paper-plane")
        self.button.add_class("kommfit-submit")
        self.status = live(widgets.HTML(_bad(problem) if problem else ""))
        self.status.add_class("kommfit-status")
        self.saver = _Saver()
        self.saver.on_msg(self._saved)
        self.button.on_click(lambda _b: self.save_then_submit())
        super().__init__(_frame([self.button, self.status, self.saver]))
        _mark(self, "kommfit-handin", "kommfit-hub-submit")

    def save_then_submit(self) -> None:
        """What the button does: ask the browser to save, hand in when it answers (``_saved``)."""
        if in_grading():
            return
        self.button.disabled = True
        self.status.value = "Das Notizbuch wird gespeichert und abgegeben …"
        self.saver.send({"kommfit": "save"})

    def _saved(self, _widget: object, content: object, _buffers: object) -> None:
        if isinstance(content, dict) and content.get("kommfit") == "saved":
            self.submit(saved=bool(content.get("asked")))

    def submit(self, saved: bool = True) -> bool:
        """Hand in now; the status line says in German what happened. True if it worked."""
        if in_grading():
            return False
        self.button.disabled = True
        try:
            self.course = exchange.submit(self.folder, self.course)
        except exchange.ExchangeProblem as problem:
            self.status.value = _bad(str(problem))
            return False
        finally:
            self.button.disabled = False
        when = german_time(self.clock())
        unsaved = "" if saved else (
            " Das Notizbuch ließ sich nicht speichern; Ihre Antworten zählen trotzdem, sie stehen in der Antwortdatei.")
        self.status.value = (
            _good(f"Abgegeben am {html.escape(when)}.")
            + f"{unsaved}<br>Wie es weitergeht: Ihre Kursleitung sammelt die Abgaben ein und wertet sie aus. "
            "Danach holen Sie Ihre Rückmeldung auf der Startseite mit <b>Rückmeldung abholen</b> ab. "
            "Sie können jederzeit noch einmal abgeben; es zählt die letzte Abgabe."
        )
        return True

    def __repr__(self) -> str:
        return "<Jetzt abgeben>"


def hand_in(folder: Path | None = None) -> widgets.Widget:
    """The hand-in at the end of a module: "Jetzt abgeben" with a course exchange, the zip export without one."""
    folder = Path(folder or Path.cwd())
    if in_grading():
        return HandIn(folder)  # grading: no look at any exchange, and the widget does nothing
    try:
        course = exchange.course_for(folder, folder.name)
    except exchange.ExchangeProblem as problem:
        return HubSubmit(folder, problem=str(problem))
    if course is None:
        return HandIn(folder)
    return HubSubmit(folder, course)


def _plain(line: str) -> str:
    """A list line without its HTML, for frontends that show text only."""
    return html.unescape(re.sub(r"<[^>]+>", "", line))


def _link(target: Path, start: Path, text: str) -> str:
    """A link that JupyterLab opens in a new tab (relative to the notebook, resolved by JupyterLab itself)."""
    href = quote(Path(os.path.relpath(target, start)).as_posix())
    return f"<a href='{html.escape(href, quote=True)}'>{html.escape(text)}</a>"


def _list_output(lines: list[str]) -> tuple[dict, ...]:
    """A list of links as one output: shown through JupyterLab's renderer, whose links open files in JupyterLab."""
    if not lines:
        return ()
    items = "".join(f"<li>{line}</li>" for line in lines)
    return ({"output_type": "display_data", "metadata": {},
             "data": {"text/html": f"<ul class='kommfit-pickup-items'>{items}</ul>",
                      "text/plain": "\n".join(_plain(line) for line in lines)}},)


def module_title(notebook: Path) -> str:
    """The module's heading ("Modul 1: Jede Stimme zählt"), else its folder name."""
    try:
        first = "".join(json.loads(notebook.read_text(encoding="utf-8"))["cells"][0]["source"]).lstrip()
    except (OSError, ValueError, KeyError, IndexError, TypeError):
        return notebook.stem
    heading = first.splitlines()[0][2:].strip() if first.startswith("# ") else ""
    return heading or notebook.stem


def local_modules(start: Path) -> list[tuple[str, Path]]:
    """The modules a participant opens without a course server, with their headings: in the folders beside the
    start page (the browser edition) or in the repository's ``release/`` (a laptop; the start page is in
    ``notebooks/``)."""
    found = []
    for base in (start, start.parent / "release"):
        found += [(module_title(notebook), notebook) for notebook in sorted(base.glob("[0-9][0-9]-*/*.ipynb"))
                  if notebook.stem == notebook.parent.name]
    return found


class LocalModules(widgets.VBox):
    """The start page without a course server (laptop, browser edition): links to the modules, and how to hand in."""

    def __init__(self, start: Path) -> None:
        self.modules = local_modules(start)
        lead = ("Ihre Module – ein Klick auf den Namen öffnet das Modul:" if self.modules else
                "Die Module sind hier nicht zu finden. Ihre Kursleitung sagt Ihnen, wo sie liegen.")
        self.listing = widgets.Output()
        self.listing.add_class("kommfit-pickup-list")
        self.listing.outputs = _list_output([_link(notebook, start, title) for title, notebook in self.modules])
        super().__init__(_frame([
            widgets.HTML(f"<p>Hier ist kein Kursserver eingerichtet, deshalb gibt es nichts abzuholen. {lead}</p>"),
            self.listing,
            widgets.HTML("<p>Sie geben jedes Modul an seinem Ende mit <b>Abgabe exportieren</b> ab. Ihre Rückmeldung "
                         "bekommen Sie von Ihrer Kursleitung.</p>"),
        ]))
        _mark(self, "kommfit-pickup-laptop")

    def __repr__(self) -> str:
        return f"<Ihre Module: {len(self.modules)}>"


class CoursePickup(widgets.VBox):
    """The start page's "Module abholen" and "Rückmeldung abholen" (nbgrader's fetch_assignment, fetch_feedback)."""

    def __init__(self, start: Path | None = None, course: exchange.Course | None = None, problem: str = "") -> None:
        self.start = Path(start or Path.cwd())
        self.course = course
        self.modules = widgets.Button(description="Module abholen", button_style="primary", icon="download")
        self.feedback = widgets.Button(description="Rückmeldung abholen", icon="envelope-open")
        for button in (self.modules, self.feedback):
            button.add_class("kommfit-submit")
            button.layout.width = "auto"
        self.status = live(widgets.HTML(_bad(problem) if problem else ""))
        self.status.add_class("kommfit-status")
        self.listing = widgets.Output()
        self.listing.add_class("kommfit-pickup-list")
        self.modules.on_click(lambda _b: self.fetch_modules())
        self.feedback.on_click(lambda _b: self.fetch_feedback())
        super().__init__(_frame([widgets.HBox([self.modules, self.feedback]), self.status, self.listing]))
        _mark(self, "kommfit-pickup")

    def _course(self) -> exchange.Course:
        if self.course is None:
            self.course = exchange.course_for(self.start)
        if self.course is None:
            raise exchange.ExchangeProblem("Hier ist kein Abgabeordner eingerichtet: Es gibt nichts abzuholen. "
                                           "Ihre Kursleitung sagt Ihnen, wo Sie die Module finden.")
        return self.course

    def _show(self, status: str, lines: list[str]) -> None:
        self.status.value = status
        # the outputs are set in one go: clear_output() from a button's callback travels as a separate message and
        # can arrive after the new list, wiping it
        self.listing.outputs = _list_output(lines)

    def fetch_modules(self) -> exchange.Fetched | None:
        """What "Module abholen" does."""
        if in_grading():
            return None
        self.status.value = "Die Module werden abgeholt …"
        try:
            fetched = exchange.fetch_modules(self._course())
        except exchange.ExchangeProblem as problem:
            self._show(_bad(str(problem)), [])
            return None
        lines = [f"neu abgeholt: {self._open(m, f)}" for m, f in fetched.new]
        lines += [f"schon da: {self._open(m, f)}" for m, f in fetched.present]
        if not lines:
            summary = "Ihre Kursleitung hat noch kein Modul freigegeben. Versuchen Sie es später noch einmal."
        elif fetched.new:
            summary = _good(f"{len(fetched.new)} {'Modul' if len(fetched.new) == 1 else 'Module'} abgeholt.") + \
                " Klicken Sie auf ein Modul, um es zu öffnen."
        else:
            summary = _good("Sie haben schon alle freigegebenen Module.") + \
                " Klicken Sie auf ein Modul, um es zu öffnen."
        self._show(summary, lines)
        return fetched

    def _open(self, module: str, folder: Path) -> str:
        return _link(folder / f"{module}.ipynb", self.start, module)

    def fetch_feedback(self) -> list[exchange.Feedback] | None:
        """What "Rückmeldung abholen" does."""
        if in_grading():
            return None
        self.status.value = "Die Rückmeldungen werden abgeholt …"
        try:
            found = exchange.fetch_feedback(self._course())
        except exchange.ExchangeProblem as problem:
            self._show(_bad(str(problem)), [])
            return None
        ready = [f for f in found if f.html]
        lines = [f"{html.escape(f.module)}: {_link(f.html, self.start, 'Rückmeldung öffnen')} "
                 f"<span class='kommfit-hint'>(Datei {html.escape(str(f.html))})</span>" for f in ready]
        lines += [f"{html.escape(f.module)}: abgegeben, die Rückmeldung ist noch nicht da." for f in found
                  if not f.html]
        if not found:
            summary = "Sie haben noch kein Modul abgegeben. Rückmeldung gibt es nach der Abgabe."
        elif ready:
            summary = _good(f"Rückmeldung für {len(ready)} {'Modul' if len(ready) == 1 else 'Module'} da.") + \
                " Klicken Sie auf „Rückmeldung öffnen“."
        else:
            summary = "Ihre Kursleitung hat noch keine Rückmeldung freigegeben. Versuchen Sie es später noch einmal."
        self._show(summary, lines)
        return found

    def __repr__(self) -> str:
        return "<Module und Rückmeldung abholen>"


def pickup(start: Path | None = None) -> widgets.Widget:
    """The start page's buttons with a course exchange; without one, where the modules are."""
    start = Path(start or Path.cwd())
    if in_grading():
        return widgets.HTML("")
    try:
        course = exchange.course_for(start)
    except exchange.ExchangeProblem as problem:
        return CoursePickup(start, problem=str(problem))
    if course is None:
        return LocalModules(start)
    return CoursePickup(start, course)
