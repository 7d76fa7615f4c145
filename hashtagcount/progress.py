"""Progress: bytes read, counted across worker processes, and shown as one line on stderr.

Workers add what they read to one shared counter (:func:`add_progress`);
a :class:`Reporter` thread in the main process hands it about twice a
second to :class:`ProgressLine`, which shows done / total, rate and ETA,
only when stderr is a terminal, so logs and pipes stay clean.  The bytes
read can pass the total (a byte range reads on to the end of its last
line), so what is shown is capped at the total.
"""

import sys
import threading
import time
from typing import Any, Callable, Optional, TextIO

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
    if total:
        done = min(done, total)
    rate = done / elapsed if elapsed > 0 else 0.0
    text = human_size(done)
    if total:
        text += " / {} ({:.0f}%)".format(human_size(total), 100.0 * done / total)
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


# --- the shared byte counter ---------------------------------------------------

_COUNTER = None  # type: Any  # a multiprocessing.Value in workers, a LocalCounter in this process
_STOP = None  # type: Any  # in workers, a shared flag the parent sets when the run is stopped


class Stopping(Exception):
    """The run this worker counts for was stopped: its unit is dropped at the next read."""


def init_worker(counter: Any, stop: Any = None) -> None:
    """Pool initializer: the counter this worker adds its bytes to, and the run's stop flag."""
    global _COUNTER, _STOP
    _COUNTER, _STOP = counter, stop


def add_progress(n: int) -> None:
    """Add ``n`` bytes read to the run's counter (nothing when no run is counting).

    Called at every read, so it is also where a worker learns the run was
    stopped: it raises :class:`Stopping`, which ends the unit being counted.
    """
    if _STOP is not None and _STOP.value:
        raise Stopping("the run was stopped")
    counter = _COUNTER
    if counter is not None and n:
        with counter.get_lock():
            counter.value += n


class LocalCounter:
    """The counter when every unit is counted in this process (``jobs=1``, standard input)."""

    def __init__(self) -> None:
        self.value = 0
        self.lock = threading.Lock()

    def get_lock(self) -> Any:
        return self.lock


class Reporter:
    """Call ``on_progress(done, total)`` from a thread until the run ends, then once more."""

    def __init__(self, counter: Any, total: int, on_progress: Callable[[int, int], None]) -> None:
        self.counter = counter
        self.total = total
        self.on_progress = on_progress
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._loop, daemon=True)
        self.thread.start()

    def _loop(self) -> None:
        while not self.stopped.wait(0.5):
            self.on_progress(self._done(), self.total)

    def _done(self) -> int:
        return min(self.counter.value, self.total) if self.total else self.counter.value

    def finish(self) -> None:
        self.stopped.set()
        self.thread.join()
        self.on_progress(self._done(), self.total)
