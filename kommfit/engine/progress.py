"""A one-line progress bar with an estimate of the remaining time, in German."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

WIDTH = 24


def format_duration(seconds: float) -> str:
    """75 → '1 min 15 s', 3 → '3 s'."""
    seconds = max(0, round(seconds))
    minutes, rest = divmod(seconds, 60)
    return f"{minutes} min {rest} s" if minutes else f"{rest} s"


def progress_line(done: int, total: int, elapsed: float) -> str:
    """'[██████░░░░] 57/200 · 0,8 s je Abgabe · noch ca. 1 min 54 s'."""
    share = done / total if total else 1.0
    filled = round(share * WIDTH)
    bar = "█" * filled + "░" * (WIDTH - filled)
    text = f"[{bar}] {done}/{total}"
    if done:
        per_item = elapsed / done
        text += f" · {per_item:.1f} s je Abgabe".replace(".", ",")
        if done < total:
            text += f" · noch ca. {format_duration(per_item * (total - done))}"
    return text


class Progress:
    """Redraws one line on a terminal; writes a plain line now and then when output goes to a file (CI logs)."""

    def __init__(self, total: int, stream: TextIO = sys.stderr, clock: Callable[[], float] = time.monotonic) -> None:
        self.total = total
        self.stream = stream
        self.clock = clock
        self.started = clock()
        self.interactive = stream.isatty()
        self._last_logged = -1

    def update(self, done: int) -> None:
        line = progress_line(done, self.total, self.clock() - self.started)
        if self.interactive:
            self.stream.write("\r" + line)
            if done >= self.total:
                self.stream.write("\n")
        else:
            step = max(1, self.total // 10)
            if done >= self.total or done // step != self._last_logged // step:
                self.stream.write(line + "\n")
                self._last_logged = done
        self.stream.flush()
