"""A status line on stderr while long work runs — only for a person at a terminal.

Shown when stderr is a terminal, the report format is for people, and the run is not in CI
(``CI`` set, or ``TERM=dumb``): machine-readable output and CI logs never carry it. The line is
redrawn in place (``\\r`` + erase) and erased when the work ends, so the report that follows starts
on a clean line.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import TextIO

from sdkreg.i18n import Translator
from sdkreg.progress import Progress, no_progress

_FRAMES = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"
_ERASE = "\r\033[K"
_TICK = 0.1  # seconds between redraws of the spinner and the elapsed time


def wanted(human_format: bool, stream: TextIO | None = None) -> bool:
    stream = stream or sys.stderr
    if not human_format or os.environ.get("CI") or os.environ.get("TERM") == "dumb":
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class StatusLine:
    def __init__(self, stream: TextIO, tr: Translator) -> None:
        self._stream = stream
        self._tr = tr
        self._label = ""
        self._started = time.monotonic()
        self._frame = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._tick, name="sdkreg-progress", daemon=True)

    def __call__(self, template: str, params: Mapping[str, object]) -> None:
        with self._lock:
            self._label = self._tr.gettext(template).format(**params)
            self._draw()

    def _draw(self) -> None:
        elapsed = time.monotonic() - self._started
        frame = _FRAMES[self._frame % len(_FRAMES)]
        self._stream.write(f"{_ERASE}{frame} {self._label} {elapsed:.0f}s")
        self._stream.flush()

    def _tick(self) -> None:
        while not self._stop.wait(_TICK):
            with self._lock:
                self._frame += 1
                if self._label:
                    self._draw()

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
        with self._lock:
            self._stream.write(_ERASE)
            self._stream.flush()


@contextmanager
def progress_for(human_format: bool, tr: Translator, stream: TextIO | None = None) -> Iterator[Progress]:
    """A ``Progress`` for the core: a status line when ``wanted``, else one that shows nothing."""
    stream = stream or sys.stderr
    if not wanted(human_format, stream):
        yield no_progress
        return
    line = StatusLine(stream, tr)
    line.start()
    try:
        yield line
    finally:
        line.stop()
