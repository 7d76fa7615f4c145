"""SIGTERM and SIGHUP as Ctrl-C, so every way of stopping a command ends what it started.

Python turns SIGINT into :class:`KeyboardInterrupt`; a cancelled CI job or
``timeout`` sends SIGTERM and a closed terminal or dropped ssh session
SIGHUP, whose default action ends the process on the spot, leaving a
cluster running (``emr run``) or worker processes and semaphores behind
(``top``).  :func:`catch`, installed by ``hashtag-count`` for every
command, makes both raise :class:`Stopped`, a ``KeyboardInterrupt``, so
one ``except`` handles all three.  The exit code is then
``128 + signal number``, as a shell reports it: 130, 143, 129.
"""

import contextlib
import signal
from typing import Any, Dict, Iterator, List

CAUGHT = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))
STOPS = (signal.SIGINT,) + CAUGHT  # every signal that stops a command the way Ctrl-C does
_NAMES = {signal.SIGINT: "interrupted (Ctrl-C)"}
_NAMES.update({number: "stopped by {}".format(signal.Signals(number).name) for number in CAUGHT})


class Stopped(KeyboardInterrupt):
    """The process received ``signum`` (SIGTERM or SIGHUP)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _raise(signum: int, frame: Any) -> None:
    raise Stopped(signum)


def catch() -> Dict[int, Any]:
    """Make SIGTERM and SIGHUP raise :class:`Stopped`; return the handlers they had."""
    return {number: signal.signal(number, _raise) for number in CAUGHT}


def ignore() -> None:
    """Let no further signal interrupt the clean-up that one started (SIGKILL still can)."""
    for number in STOPS:
        signal.signal(number, signal.SIG_IGN)


def restore(previous: Dict[int, Any]) -> None:
    """Put back the handlers :func:`catch` replaced (and Python's own for Ctrl-C)."""
    signal.signal(signal.SIGINT, signal.default_int_handler)
    for number, handler in previous.items():
        signal.signal(number, handler)


@contextlib.contextmanager
def deferred() -> Iterator[None]:
    """Hold Ctrl-C, SIGTERM and SIGHUP back until the block ends, then raise the first one.

    Around "create the cluster, then remember its id", so that no stop can
    fall between the two and leave a cluster nobody knows to terminate.
    """
    held = []  # type: List[int]
    previous = {number: signal.signal(number, lambda signum, frame: held.append(signum)) for number in STOPS}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
    if held:
        raise Stopped(held[0]) if held[0] != signal.SIGINT else KeyboardInterrupt()


def signal_of(stop: KeyboardInterrupt) -> int:
    """The signal behind ``stop``: its own for :class:`Stopped`, SIGINT for Ctrl-C."""
    return getattr(stop, "signum", signal.SIGINT)


def exit_status(signum: int) -> int:
    """A stopped command's exit status, as a shell reports one killed by ``signum``."""
    return 128 + signum


def name(signum: int) -> str:
    """``interrupted (Ctrl-C)``, ``stopped by SIGTERM``, ``stopped by SIGHUP``."""
    return _NAMES.get(signum, "stopped by signal {}".format(signum))
