"""After "Ausführen → Alle Zellen ausführen" the participant starts at the top of the module, not at its end.

JupyterLab moves to a notebook's last cell as soon as "run all" starts, so a participant who runs a module first sees
its closing lines ("Geschafft! …") and has to find the way back up. A module cannot start itself when it is opened:
JupyterLab runs nothing on opening a notebook, and changing that would need a JupyterLab extension of our own. So the
kernel notices that a run of the whole notebook has ended and asks the page to go back to the top (``KeyboardScope``
in ``keyboard.py`` scrolls up and puts the focus on the module's heading, which makes the first cell the active one).

How the kernel knows, without guessing from timing on the server: JupyterLab sends each cell's request with the cell's
id (``metadata.cellId``) and the moment the page created it (``header.date``, the browser's clock). "Run all" creates
the requests of all cells at once. So when the notebook's last code cell has run right after the code cell before it,
and its request was created within a few seconds of the latest requests of that cell and of the notebook's first code
cell, the whole notebook ran in one go. Running the last cell again, going through with Shift+Enter or "run this cell
and all below" never qualify, and the times compared all come from the browser, so a browser clock that differs from
the server's does no harm. While nbgrader grades
(no page at all) nothing is registered.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from ..core.headless import in_grading
from .keyboard import KeyboardScope

ONE_RUN = timedelta(seconds=5)  # "run all" creates every request within milliseconds; a person takes longer
START_OF_TIME = datetime.min.replace(tzinfo=UTC)
_watch: RunAllWatch | None = None


def request_time(value: Any) -> datetime | None:
    """A request header's ``date`` (jupyter_client gives a datetime, a raw header a string) — or None."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return None
    return value if isinstance(value, datetime) and value.tzinfo else None


class RunAllWatch:
    """Remembers when each cell was last requested and tells ``on_run_all`` when a whole notebook has run."""

    def __init__(self, folder: Path, on_run_all, shell: Any = None) -> None:
        self.folder = folder
        self.shell = shell
        self.on_run_all = on_run_all
        self.requested: dict[str, datetime] = {}
        self.previous: str | None = None  # the cell that ran before
        self._cells: dict[Path, tuple[int, list[str]]] = {}

    def code_cells(self, cell_id: str) -> list[str]:
        """The ids of the code cells (with code) of the notebook next to the kernel that holds ``cell_id``."""
        session = os.environ.get("JPY_SESSION_NAME", "")
        candidates = [Path(session)] if session.endswith(".ipynb") else []
        candidates += sorted(self.folder.glob("*.ipynb"))
        for path in candidates:
            try:
                stamp = path.stat().st_mtime_ns
                if self._cells.get(path, (None,))[0] != stamp:
                    cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
                    self._cells[path] = (stamp, [
                        c.get("id") for c in cells
                        if c.get("cell_type") == "code" and "".join(c.get("source", "")).strip()
                    ])
            except (OSError, ValueError, AttributeError):
                continue
            ids = self._cells[path][1]
            if cell_id in ids:
                return ids
        return []

    def cell_ran(self, cell_id: Any, date: Any) -> bool:
        """Record one finished cell; True (and ``on_run_all`` called) if it ended a run of the whole notebook."""
        when = request_time(date)
        if not isinstance(cell_id, str) or not cell_id or when is None:
            return False
        previous, self.previous = self.previous, cell_id
        self.requested[cell_id] = when
        ids = self.code_cells(cell_id)
        if len(ids) < 2 or cell_id != ids[-1] or previous != ids[-2]:
            return False  # not the last cell, or not right after the one before it (the last cell run again)
        if any(abs(when - self.requested.get(other, START_OF_TIME)) > ONE_RUN for other in (ids[0], ids[-2])):
            return False
        self.on_run_all()
        return True

    def after_cell(self, _result: Any = None) -> None:
        """IPython's ``post_run_cell``: the request being answered is the cell that has just run."""
        try:
            parent = self.shell.kernel.get_parent("shell")
            self.cell_ran(parent.get("metadata", {}).get("cellId"), parent.get("header", {}).get("date"))
        except Exception:  # noqa: BLE001 - never disturb a participant's cell over a convenience
            return


def follow_run_all() -> None:
    """In a participant's kernel: go back to the top after every run of the whole notebook (once per kernel)."""
    global _watch
    if _watch is not None or in_grading():
        return
    ipython_module = sys.modules.get("IPython")
    shell = ipython_module.get_ipython() if ipython_module else None
    if shell is None or not hasattr(shell, "kernel"):
        return  # plain Python or a terminal IPython: no page to go back up in
    _watch = RunAllWatch(Path.cwd(), KeyboardScope.back_to_top, shell)
    shell.events.register("post_run_cell", _watch.after_cell)
