"""Scatter units of work over worker processes and merge what they count.

Data path: ... count (:func:`hashtagcount.engine.count_unit`, in workers)
-> **merge** (here, into a :class:`~hashtagcount.result.Tally`) -> rank
-> present.  Large uncompressed inputs are cut into byte ranges so one big
file keeps every core busy; this process counts too, so ``jobs`` processes
count in all.  With ``jobs=1``, or a single unit to count, no worker is
started, and concurrent.futures with multiprocessing (their imports were a
quarter of a small run's time) is never imported.
"""

import contextlib
import os
import signal
import sys
import threading
from collections import deque
from typing import TYPE_CHECKING, Any, Callable, Deque, List, Optional, Sequence, Set, Tuple

from . import progress, stops
from .engine import Options, Unit, count_unit, forget_clients
from .errors import UserError
from .options import cpu_count
from .result import Tally
from .sources import Source

if TYPE_CHECKING:
    from concurrent.futures import Future

MIN_SPLIT = 16 << 20
MAX_SPLIT = 128 << 20  # Hadoop's default block size

NO_MAIN_GUARD = (
    "worker processes could not start: {} must count under 'if __name__ == \"__main__\":' "
    "(spawned workers re-import it), or pass jobs=1"
)


def plan_units(sources: Sequence[Source], jobs: int) -> List[Unit]:
    """Cut sources into units: large uncompressed ones into byte ranges, biggest first.

    Ranges aim at eight units per process (so a slow unit does not leave the
    others idle), between MIN_SPLIT and MAX_SPLIT bytes.
    """
    total = sum(s.size or 0 for s in sources)
    split = max(MIN_SPLIT, min(MAX_SPLIT, total // max(1, jobs * 8) + 1))
    units = []  # type: List[Unit]
    for source in sources:
        size = source.size or 0
        if source.is_stdin or source.compression or size <= split * 1.5:
            units.append(Unit(source))
            continue
        pieces = max(2, round(size / split))
        bounds = [size * i // pieces for i in range(pieces + 1)]
        units.extend(Unit(source, a, b) for a, b in zip(bounds, bounds[1:]))
    units.sort(key=lambda u: u.size, reverse=True)
    return units


def run(
    sources: Sequence[Source],
    options: Options,
    jobs: Optional[int] = None,
    on_progress: Optional[Callable[[int, int], None]] = None,
) -> Tally:
    """Count every source with ``jobs`` worker processes (default: CPU count) and merge.

    ``on_progress(bytes_done, bytes_total)`` is called about twice a second
    from a helper thread.  Inputs that cannot be read are named in
    ``Tally.failed``; the caller decides whether that is fatal.
    """
    jobs = jobs or cpu_count()
    if jobs < 1:
        raise UserError("--jobs must be at least 1, not {}".format(jobs))
    _refuse_while_bootstrapping()
    forget_clients()
    tally = Tally()
    units = plan_units(sources, jobs)
    stdin_units = [u for u in units if u.source.is_stdin]
    other_units = [u for u in units if not u.source.is_stdin]
    workers = min(jobs, len(other_units)) - 1
    pool = None
    running = set()  # type: Set[Future]
    broken = ()  # type: Tuple[type, ...]  # what a pool raises when a worker dies; nothing without a pool
    if workers > 0:
        # concurrent.futures and multiprocessing cost their imports only when workers start.
        from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
        from concurrent.futures.process import BrokenProcessPool

        broken = (BrokenProcessPool,)
        context = worker_context()
        with _blocked():  # multiprocessing's resource tracker, started here, then ignores SIGHUP too
            counter = context.Value("q", 0)  # type: Any
        stop = context.RawValue("b", 0)  # type: Any
        pool = ProcessPoolExecutor(
            max_workers=workers, mp_context=context, initializer=_start_worker, initargs=(counter, stop),
        )
    else:
        counter = progress.LocalCounter()
        stop = None
    progress.init_worker(counter)
    total = sum(s.size or 0 for s in sources)
    reporter = None
    interrupted = False
    try:
        queue_ = deque(other_units)  # biggest first: workers take from the left, this process from the right
        _top_up(pool, queue_, running, workers, options)  # forked workers start here, before the progress thread
        reporter = progress.Reporter(counter, total, on_progress) if on_progress else None
        for unit in stdin_units:
            _top_up(pool, queue_, running, workers, options)
            tally.add(count_unit(unit, options))
        while queue_ or running:
            _top_up(pool, queue_, running, workers, options)
            if queue_:
                tally.add(count_unit(queue_.pop(), options))
                finished = {f for f in running if f.done()}
            else:  # only workers' units are left, so there is a pool
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                running.discard(future)
                tally.add(future.result())
    except broken:
        raise UserError(_why_workers_died()) from None
    except KeyboardInterrupt:  # Ctrl-C, SIGTERM, SIGHUP (see stops.py): workers ignore them
        interrupted = True
        raise
    finally:
        with _signals_held() if interrupted else contextlib.nullcontext():
            progress.init_worker(None)
            if pool is not None:
                if interrupted:
                    stop.value = 1  # each worker's next read raises progress.Stopping: its unit ends now
                for future in running:
                    future.cancel()
                pool.shutdown(wait=True)
            if reporter is not None:
                reporter.finish()
    tally.failed.sort()
    return tally


def worker_context() -> Any:
    """``fork`` on Linux while this process has one thread, else ``spawn``.

    A forked worker starts in milliseconds, with every module already
    imported; a spawned one starts a new interpreter and re-imports the
    package.  Forking a process that runs other threads can copy a lock
    one of them holds, so then (and on macOS, where system libraries are
    not fork-safe, and Windows, which cannot fork) workers are spawned.
    """
    import multiprocessing
    import threading

    if sys.platform.startswith("linux") and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _why_workers_died() -> str:
    script = getattr(sys.modules.get("__main__"), "__file__", None)
    if script and os.path.basename(script) != "__main__.py":
        return NO_MAIN_GUARD.format(script)
    return "a worker process died unexpectedly (killed, or out of memory?); try fewer --jobs"


def _refuse_while_bootstrapping() -> None:
    """In a worker still importing a script without the ``__main__`` guard, end quietly.

    multiprocessing would raise a RuntimeError traceback here; the parent
    then sees a broken pool and says in one line what to do.  A process
    that has not imported multiprocessing is no worker, and need not pay
    for importing it.
    """
    multiprocessing = sys.modules.get("multiprocessing")
    if multiprocessing is not None and getattr(multiprocessing.current_process(), "_inheriting", False):
        sys.exit(1)


def _top_up(pool: Any, units: Deque[Unit], running: "Set[Future]", workers: int, options: Options) -> None:
    """Keep two units queued per worker process, so none waits for the next."""
    while pool is not None and units and len(running) < 2 * workers:
        with _blocked():  # a worker started here sees no stop before it ignores them
            running.add(pool.submit(count_unit, units.popleft(), options))


# --- stopping: the parent alone handles Ctrl-C, SIGTERM and SIGHUP, and stops its workers --------


def _start_worker(counter: Any, stop: Any) -> None:
    """Pool initializer: ignore Ctrl-C, SIGTERM and SIGHUP, which reach the whole process group.

    Only the parent reports a stop, in one line, and it ends its workers
    through ``stop`` (see :func:`hashtagcount.progress.add_progress`): each
    drops its unit at its next read.  Not by killing them: a worker killed
    while it sends a result leaves the pool's reader waiting forever for
    the rest of the message.
    """
    for number in stops.STOPS:
        signal.signal(number, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, stops.STOPS)
    progress.init_worker(counter, stop)


@contextlib.contextmanager
def _blocked() -> Any:
    """Block the stop signals in this thread, so processes (and threads) started here inherit the block."""
    if not hasattr(signal, "pthread_sigmask"):  # Windows: no signal masks
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, stops.STOPS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _signals_held() -> Any:
    """While the workers are ended after a stop, hold a second stop back (stops.deferred)."""
    if threading.current_thread() is threading.main_thread():
        return stops.deferred()
    return contextlib.nullcontext()
