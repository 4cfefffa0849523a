"""Keyboard and screen-reader use of quiz controls inside JupyterLab.

Keyboard: JupyterLab binds keys such as the arrow keys, Enter and single letters to notebook commands while a
notebook is in command mode, and only leaves them alone in editable text fields. Inside a quiz that means: arrow keys
would jump to the next cell instead of moving between radio buttons, and typing "d d" on a focused dropdown would
delete a cell. Lumino (JupyterLab's toolkit) skips its shortcuts for an element carrying
``data-lm-suppress-shortcuts``. This small anywidget marks every control inside the surrounding ``.kommfit-keyboard``
container with that attribute, also those added later, so radio buttons, checkboxes, dropdowns, sliders and buttons
work with the keyboard as everywhere else.

Screen readers: where ipywidgets gives a control a real ``<label for=…>`` (a dropdown's or text field's
``description``, a checkbox's or radio button's own text) kommfit uses it, and its own sliders and charts
(``access.py``) carry their labels and text alternatives themselves. What ipywidgets 8 cannot express at all — a
group of options named by its question, a text area named by the question above it, a status line that is read out
when it changes, the pressed state of a toggle button — the same anywidget sets as ARIA attributes, driven only by
kommfit's own CSS classes on the widgets' outer elements (``widget.add_class``, ipywidgets' public way to reach the
DOM); the markers are set by the helpers in ``access.py``:

* ``kommfit-name-KEY`` on a widget: the name of whatever is marked with KEY (it gets an id if it has none);
* ``kommfit-named-by-KEY``: the widget itself gets ``aria-labelledby`` that id (a group);
* ``kommfit-field-named-by-KEY``: the text field, select or input inside the widget gets it;
* ``kommfit-role-ROLE``: ``role=ROLE`` (``group``, ``radiogroup``, ``status``);
* ``kommfit-live``: ``aria-live=polite`` (read out when its text changes);
* ``kommfit-pressed``: every button inside gets ``aria-pressed`` from ipywidgets' ``mod-active`` class.

A name is looked up in the same ``.kommfit-keyboard`` container only, so two questions never share one.

Back to the top: when a run of the whole notebook has ended (``runall.py``), the kernel sends every scope a message;
the first that still sits in a notebook scrolls it to the top and focuses the module's heading — the participant
starts reading there, and the next Tab reaches the module's first control. Scopes remember their notebook, because a
windowed notebook takes the cells far from the viewport out of the page.
"""

from __future__ import annotations

import uuid
import weakref

import anywidget

from ..core.headless import quiet_when_grading

CONTAINER_CLASS = "kommfit-keyboard"

_ESM = """
const CONTROLS = "input, select, button, textarea, [role=slider], [tabindex]";
const NAME = "kommfit-name-", NAMED = "kommfit-named-by-", FIELD = "kommfit-field-named-by-", ROLE = "kommfit-role-";
const unique = () => Math.random().toString(36).slice(2, 10);

function set(node, attribute, value) {
  if (node.getAttribute(attribute) !== value) node.setAttribute(attribute, value);
}
function marker(node, prefix) {
  for (const name of node.classList) if (name.startsWith(prefix)) return name.slice(prefix.length);
  return null;
}
function nameId(root, key) {
  const source = root.querySelector("." + CSS.escape(NAME + key));
  if (!source) return null;
  if (!source.id) source.id = NAME + key + "-" + unique();
  return source.id;
}
function mark(root) {
  for (const node of root.querySelectorAll(CONTROLS)) set(node, "data-lm-suppress-shortcuts", "true");
  for (const node of root.querySelectorAll(`[class*="${ROLE}"]`)) set(node, "role", marker(node, ROLE));
  for (const node of root.querySelectorAll(`[class*="${NAMED}"]`)) {
    const id = nameId(root, marker(node, NAMED));
    if (id) set(node, "aria-labelledby", id);
  }
  for (const node of root.querySelectorAll(`[class*="${FIELD}"]`)) {
    const id = nameId(root, marker(node, FIELD));
    const field = node.querySelector("textarea, select, input");
    if (id && field) set(field, "aria-labelledby", id);
  }
  for (const node of root.querySelectorAll(".kommfit-live")) set(node, "aria-live", "polite");
  for (const node of root.querySelectorAll(".kommfit-pressed button")) {
    set(node, "aria-pressed", node.classList.contains("mod-active") ? "true" : "false");
  }
}
// Scroll the notebook to its top and focus its first heading (or first cell); once per message of the kernel.
function firstCell(notebook) {
  if (!notebook.querySelector(".jp-Cell[data-windowed-list-index]")) return notebook.querySelector(".jp-Cell");
  return notebook.querySelector(".jp-Cell[data-windowed-list-index='0']");  // windowed: only the real first one
}
function backToTop(notebook, id) {
  if (!notebook || !notebook.isConnected || window.kommfitBackToTopAsked === id) return;
  window.kommfitBackToTopAsked = id;
  const scroller = notebook.querySelector(".jp-WindowedPanel-outer") || notebook;
  scroller.scrollTop = 0;
  const started = performance.now();
  let held = 0;
  let target = null;
  let participant = false;  // a click, key, wheel or touch of the participant ends it: nothing is taken from them
  const stop = () => { participant = true; };
  const options = { capture: true };
  const events = ["pointerdown", "keydown", "wheel", "touchstart"];
  for (const type of events) document.addEventListener(type, stop, options);
  const focus = () => {
    // JupyterLab's windowed list may still be following run-all to the last cell: back up again until it rests
    const moved = !participant && scroller.scrollTop !== 0;
    if (moved) scroller.scrollTop = 0;
    const first = firstCell(notebook);
    const wanted = !participant && first && (first.querySelector("h1, h2, h3") || first);
    if (wanted && wanted.isConnected) {
      const now = document.activeElement;
      held = now === wanted && !moved ? held + 1 : 0;
      // JupyterLab may still move the focus back to its active cell (a cell or the notebook itself, never a control
      // the participant has tabbed to) while it draws the cells of the top: focus the heading again then
      if (target === null || (now !== wanted && (now === document.body || now.matches(".jp-Cell, .jp-Notebook")))) {
        if (!wanted.hasAttribute("tabindex")) wanted.setAttribute("tabindex", "-1");
        wanted.focus({ preventScroll: true });
        scroller.scrollTop = 0;
        target = wanted;
      }
    }
    // until the heading has kept the focus at the top for 15 frames in a row; at most ten seconds (a busy machine
    // draws slowly)
    if (!participant && held < 15 && performance.now() - started < 10000) {
      requestAnimationFrame(focus);
    } else {
      for (const type of events) document.removeEventListener(type, stop, options);
      window.kommfitBackToTop = id;  // settled (the browser tests wait for it)
    }
  };
  requestAnimationFrame(focus);
}
export default {
  render({ model, el }) {
    let observer = null;
    let notebook = null;
    let tries = 0;
    const onMessage = message => {
      if (message && message.kommfit === "back-to-top") backToTop(el.closest(".jp-Notebook") || notebook, message.id);
    };
    model.on("msg:custom", onMessage);
    const attach = () => {
      const root = el.closest(".kommfit-keyboard");
      if (!root) {
        if (tries++ < 300) requestAnimationFrame(attach);
        return;
      }
      notebook = el.closest(".jp-Notebook");
      mark(root);
      // classes (a widget's markers, a toggle's mod-active) and new nodes; the attributes set here are not watched
      observer = new MutationObserver(() => mark(root));
      observer.observe(root, { subtree: true, childList: true, attributes: true, attributeFilter: ["class"] });
    };
    attach();
    return () => {
      model.off("msg:custom", onMessage);
      if (observer) observer.disconnect();
    };
  },
};
"""


class KeyboardScope(anywidget.AnyWidget):
    """An invisible child that makes the controls of its container keyboard-usable inside a notebook and gives them
    the ARIA roles and names that ipywidgets cannot (see the module's docstring)."""

    _esm = _ESM
    _alive: weakref.WeakSet[KeyboardScope] = weakref.WeakSet()

    def __init__(self, **kwargs) -> None:
        quiet_when_grading()
        super().__init__(**kwargs)
        KeyboardScope._alive.add(self)

    @classmethod
    def back_to_top(cls) -> int:
        """Ask the page to show the notebook from its top (see the module's docstring); returns how many scopes were
        asked. One id for all of them: the page acts on the first that arrives."""
        message = {"kommfit": "back-to-top", "id": uuid.uuid4().hex}
        scopes = [scope for scope in list(cls._alive) if scope.comm is not None]
        for scope in scopes:
            scope.send(message)
        return len(scopes)

    def __repr__(self) -> str:
        return "<Tastaturbedienung>"
