"""A one-line progress display on stderr: bytes done / total, rate, ETA.

Shown only when stderr is a terminal, so logs and pipes stay clean.
"""

import sys
import time
from typing import Callable, Optional, TextIO

from .sources import human_size


def _duration(seconds: float) -> str:
    seconds = int(seconds + 0.5)
    if seconds >= 3600:
        return "{}h{:02d}m".format(seconds // 3600, seconds % 3600 // 60)
    if seconds >= 60:
        return "{}m{:02d}s".format(seconds // 60, seconds % 60)
    return "{}s".format(seconds)


def progress_line(done: int, total: int, elapsed: float) -> str:
    """``412.0 MiB / 1.2 GiB (34%)  205.3 MiB/s  ETA 4s``; total 0 means unknown."""
    rate = done / elapsed if elapsed > 0 else 0.0
    text = human_size(done)
    if total:
        text += " / {} ({:.0f}%)".format(human_size(total), 100.0 * min(done, total) / total)
    text += "  {}/s".format(human_size(rate))
    if total and rate > 0 and done < total:
        text += "  ETA {}".format(_duration((total - done) / rate))
    return text


class ProgressLine:
    """A callable ``(done, total)`` that redraws one line; :meth:`close` clears it."""

    def __init__(self, stream: Optional[TextIO] = None, clock: Callable[[], float] = time.monotonic) -> None:
        self.stream = sys.stderr if stream is None else stream
        self.clock = clock
        self.started = clock()
        self.width = 0

    def __call__(self, done: int, total: int) -> None:
        line = "counting: " + progress_line(done, total, self.clock() - self.started)
        self.stream.write("\r" + line.ljust(self.width))
        self.stream.flush()
        self.width = len(line)

    def close(self) -> None:
        if self.width:
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()


def wanted(disabled: bool, stream: Optional[TextIO] = None) -> bool:
    """Show progress unless ``--no-progress`` or stderr is not a terminal."""
    stream = sys.stderr if stream is None else stream
    return not disabled and stream.isatty()
