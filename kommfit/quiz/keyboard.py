"""Keyboard use of quiz controls inside JupyterLab.

JupyterLab binds keys such as the arrow keys, Enter and single letters to notebook commands while a notebook is in
command mode, and only leaves them alone in editable text fields. Inside a quiz that means: arrow keys would jump to
the next cell instead of moving between radio buttons, and typing "d d" on a focused dropdown would delete a cell.
Lumino (JupyterLab's toolkit) skips its shortcuts for an element carrying ``data-lm-suppress-shortcuts``. This small
anywidget marks every control inside the surrounding ``.kommfit-keyboard`` container with that attribute, also those
added later, so radio buttons, checkboxes, dropdowns, sliders and buttons work with the keyboard as everywhere else.
"""

from __future__ import annotations

import anywidget

from ..core.headless import quiet_when_grading

CONTAINER_CLASS = "kommfit-keyboard"

_ESM = """
const CONTROLS = "input, select, button, textarea, [role=slider], [tabindex]";
function mark(root) {
  for (const node of root.querySelectorAll(CONTROLS)) {
    node.setAttribute("data-lm-suppress-shortcuts", "true");
  }
}
export default {
  render({ el }) {
    let observer = null;
    let tries = 0;
    const attach = () => {
      const root = el.closest(".kommfit-keyboard");
      if (!root) {
        if (tries++ < 300) requestAnimationFrame(attach);
        return;
      }
      mark(root);
      observer = new MutationObserver(() => mark(root));
      observer.observe(root, { subtree: true, childList: true });
    };
    attach();
    return () => observer && observer.disconnect();
  },
};
"""


class KeyboardScope(anywidget.AnyWidget):
    """An invisible child that makes the controls of its container keyboard-usable inside a notebook."""

    _esm = _ESM

    def __init__(self, **kwargs) -> None:
        quiet_when_grading()
        super().__init__(**kwargs)

    def __repr__(self) -> str:
        return "<Tastaturbedienung>"
