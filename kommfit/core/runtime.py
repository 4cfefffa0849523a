"""Where this kernel runs: the one place that asks whether it is the browser edition (Pyodide, ``emscripten``).

Why one place: Pyodide lacks what a desktop kernel takes for granted (working file locks, threads, subprocesses), so
a few parts of kommfit behave differently there. They all ask ``in_browser()``, and the tests simulate the browser by
replacing this one function.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Where JupyterLite's Pyodide kernel mounts the browser's storage (the files of the site's file browser). A kernel
# that came up without it (a private window without service worker) works in memory: nothing there outlives the page.
BROWSER_STORAGE = Path("/drive")


def in_browser() -> bool:
    """Does this kernel run in a browser tab (JupyterLite's Pyodide kernel)?"""
    return sys.platform == "emscripten"


def lost_with_the_page(path: Path) -> bool:
    """Would a file written at ``path`` be gone when the page closes? Only in the browser, outside its storage."""
    return in_browser() and not Path(path).resolve().is_relative_to(BROWSER_STORAGE)
