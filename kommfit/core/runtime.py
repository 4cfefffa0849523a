"""Where this kernel runs: the one place that asks whether it is the browser edition (Pyodide, ``emscripten``).

Why one place: Pyodide lacks what a desktop kernel takes for granted (working file locks, threads, subprocesses), so
a few parts of kommfit behave differently there. They all ask ``in_browser()``, and the tests simulate the browser by
replacing this one function.
"""

from __future__ import annotations

import sys


def in_browser() -> bool:
    """Does this kernel run in a browser tab (JupyterLite's Pyodide kernel)?"""
    return sys.platform == "emscripten"
