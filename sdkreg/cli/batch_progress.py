"""The progress bar of ``sdkreg batch``: done/total, rate and ETA, redrawn in place on one line.

Shown under the same rule as the scan's status line (``sdkreg.cli.progress.wanted``): only on a
terminal, never in CI.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TextIO


def progress_line(done: int, total: int, elapsed: float, width: int = 24) -> str:
    """``[#########---------------]  81/212  38%  4.6 APKs/s  ETA 0:28``"""
    total = max(total, done)
    fraction = done / total if total else 1.0
    filled = round(width * fraction)
    rate = done / elapsed if elapsed > 0 else 0.0
    if rate > 0:
        left = round((total - done) / rate)
        eta = f"ETA {left // 3600:d}:{left // 60 % 60:02d}:{left % 60:02d}" if left >= 3600 \
            else f"ETA {left // 60:d}:{left % 60:02d}"
    else:
        eta = "ETA -:--"
    digits = len(str(total))
    return (f"[{'#' * filled}{'-' * (width - filled)}] {done:>{digits}}/{total}  {fraction:>4.0%}  "
            f"{rate:.1f} APKs/s  {eta}")


class ProgressBar:
    def __init__(self, total: int, stream: TextIO, clock: Callable[[], float] = time.monotonic,
                 interval: float = 0.2) -> None:
        self.total = total
        self.stream = stream
        self.clock = clock
        self.interval = interval
        self.started = clock()
        self._shown = 0.0
        self._width = 0

    def update(self, done: int) -> None:
        now = self.clock()
        if done < self.total and now - self._shown < self.interval:
            return  # redraw a few times a second, not per item
        self._shown = now
        line = progress_line(done, self.total, now - self.started)
        self._width = max(self._width, len(line))
        self.stream.write("\r" + line.ljust(self._width))
        self.stream.flush()

    def close(self) -> None:
        if self._width:
            self.stream.write("\r" + " " * self._width + "\r")
            self.stream.flush()
