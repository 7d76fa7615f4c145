"""The local engine: scatter input units over worker processes, gather and merge the counts.

Data path: read bytes -> split records -> extract hashtags -> count ->
**merge** (here) -> rank -> present.  A unit of work is one file or S3
object, or a byte range of a large uncompressed one, cut on line
boundaries as Hadoop cuts input splits (a line belongs to the range its
first byte is in).  Each unit is read in chunks (S3 objects are streamed
by a download thread, never held whole), split into lines and fed to
:meth:`hashtagcount.extract.Extractor.hashtags_in_line`, the same function
``mapper.py`` calls, so every engine counts the same.

Memory per worker is the read buffers (a few MB), the unit's counter, and
the longest line up to :func:`~hashtagcount.lines.long_line_bytes`
(8 MiB): a longer one (Firehose without newlines writes a whole object as
one line of concatenated records) is streamed through
:meth:`~hashtagcount.extract.Extractor.hashtags_in_long_line` a chunk at a
time, with the same results.
"""

import bz2
import gzip
import os
import queue
import sys
import threading
import zlib
from collections import Counter, deque
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from typing import Any, Callable, Deque, Dict, List, NamedTuple, Optional, Sequence, Set, Tuple

from .errors import UserError
from .extract import Extractor, Stats
from .fastjson import best_splitter
from .lines import range_lines
from .sampling import LineSample
from .sources import Source

DOWNLOAD_CHUNK = 1 << 20  # bytes per read from an S3 response
MIN_SPLIT = 16 << 20
MAX_SPLIT = 128 << 20  # Hadoop's default block size
PREFETCH_CHUNKS = 8  # per S3 download: at most this many DOWNLOAD_CHUNKs waiting to be parsed


class Options(NamedTuple):
    """Everything a worker needs to count a unit the way the user asked (picklable)."""

    case_sensitive: bool = False
    exclude_retweets: bool = False
    sample: Optional[float] = None
    seed: int = 0
    fast_json: bool = True
    profile: Optional[str] = None
    region: Optional[str] = None
    endpoint_url: Optional[str] = None


class Unit(NamedTuple):
    """A source, or the lines starting in bytes ``[start, end)`` of it."""

    source: Source
    start: int = 0
    end: Optional[int] = None

    @property
    def size(self) -> int:
        if self.end is not None:
            return self.end - self.start
        return self.source.size or 0

    def describe(self) -> str:
        if self.end is None:
            return self.source.name
        return "{} (bytes {}-{})".format(self.source.name, self.start, self.end)


class UnitResult(NamedTuple):
    unit: Unit
    counts: Counter
    stats: Dict[str, int]
    error: Optional[str]


class Result:
    """Merged counts, what the extractors saw, and which inputs could not be read."""

    def __init__(self, sources: Sequence[Source], options: Options) -> None:
        self.counts = Counter()  # type: Counter
        self.stats = Stats()
        self.sources = list(sources)
        self.options = options
        self.failed = []  # type: List[str]
        self.empty_patterns = []  # type: List[str]
        self.decoder = "stdlib json"

    @property
    def total_bytes(self) -> int:
        return sum(s.size or 0 for s in self.sources)

    @property
    def is_sample(self) -> bool:
        return self.options.sample is not None

    @property
    def partial(self) -> bool:
        return bool(self.failed)


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


# --- reading ------------------------------------------------------------


class _Counted:
    """A raw stream that adds every byte it delivers to a progress counter."""

    def __init__(self, raw: Any, progress: Callable[[int], None]) -> None:
        self.raw = raw
        self.progress = progress

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        self.progress(len(data))
        return data

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        data = self.read(len(view))
        view[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self.raw.close()


class _Prefetched:
    """Read an HTTP body in a download thread, up to PREFETCH_CHUNKS ahead of the parser."""

    def __init__(self, body: Any) -> None:
        self.body = body
        self.chunks = queue.Queue(PREFETCH_CHUNKS)  # type: queue.Queue
        self.buffer = b""
        self.done = False
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._download, daemon=True)
        self.thread.start()

    def _download(self) -> None:
        try:
            while not self.stop.is_set():
                data = self.body.read(DOWNLOAD_CHUNK)
                self.chunks.put(data)
                if not data:
                    return
        except BaseException as error:  # handed to the parser thread, which raises it
            self.chunks.put(error)

    def read(self, size: int = -1) -> bytes:
        while not self.done and (size < 0 or len(self.buffer) < size):
            item = self.chunks.get()
            if isinstance(item, BaseException):
                raise item
            if not item:
                self.done = True
            self.buffer += item
        if size < 0:
            size = len(self.buffer)
        data, self.buffer = self.buffer[:size], self.buffer[size:]
        return data

    def close(self) -> None:
        self.stop.set()
        while self.thread.is_alive():
            try:
                self.chunks.get(timeout=0.1)
            except queue.Empty:
                pass
        self.body.close()


_S3_CLIENTS: Dict[Tuple[Optional[str], Optional[str], Optional[str]], Any] = {}


def _s3_client(options: Options) -> Any:
    from .aws import session_client

    key = (options.profile, options.region, options.endpoint_url)
    if key not in _S3_CLIENTS:
        _S3_CLIENTS[key] = session_client("s3", *key)
    return _S3_CLIENTS[key]


def _open_raw(source: Source, offset: int, options: Options) -> Any:
    if source.is_stdin:
        return open(sys.stdin.fileno(), "rb", buffering=0, closefd=False)
    if source.is_s3:
        from .aws import parse_s3_uri

        bucket, key = parse_s3_uri(source.name)
        extra = {"Range": "bytes={}-".format(offset)} if offset else {}
        body = _s3_client(options).get_object(Bucket=bucket, Key=key, **extra)["Body"]
        return _Prefetched(body)
    raw = open(source.name, "rb", buffering=0)
    if offset:
        raw.seek(offset)
    return raw


def _decompressed(raw: Any, compression: Optional[str]) -> Any:
    if compression == "gz":
        try:  # ISA-L (the "fast" extra) inflates several times faster than zlib
            from isal import igzip
        except ImportError:
            return gzip.GzipFile(fileobj=raw, mode="rb")
        return igzip.GzipFile(fileobj=raw, mode="rb")
    if compression == "bz2":
        return bz2.BZ2File(raw, mode="rb")
    return raw


def _describe_error(unit: Unit, error: BaseException) -> str:
    name = unit.source.name
    if unit.source.is_s3:
        import botocore.exceptions

        if isinstance(error, (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError)):
            from .aws import s3_error

            return str(s3_error(name, error))
    if isinstance(error, UserError):
        return str(error)
    if isinstance(error, (gzip.BadGzipFile, zlib.error)) or type(error).__name__ == "IsalError":
        return "{}: corrupt gzip data ({})".format(name, error)
    if isinstance(error, EOFError):
        return "{}: truncated compressed data ({})".format(name, error)
    if unit.source.compression == "bz2" and isinstance(error, (OSError, ValueError)):
        return "{}: corrupt bzip2 data ({})".format(name, error)
    if isinstance(error, OSError):
        return "{}: {}".format(name, error.strerror or error)
    return "{}: {}: {}".format(name, type(error).__name__, error)


_PROGRESS = None  # type: Any


def _init_worker(progress: Any) -> None:
    global _PROGRESS
    _PROGRESS = progress


def _add_progress(n: int) -> None:
    if _PROGRESS is not None and n:
        with _PROGRESS.get_lock():
            _PROGRESS.value += n


def count_unit(unit: Unit, options: Options) -> UnitResult:
    """Count the hashtags of one unit; a read error is returned, not raised."""
    extractor = Extractor(
        options.case_sensitive, options.exclude_retweets, split=best_splitter(options.fast_json)
    )
    sample = options.sample
    sampler = LineSample(sample, options.seed) if sample is not None and sample < 1 else None  # 1: every line
    counts = Counter()  # type: Counter
    source = unit.source
    raw = None

    def open_at(offset: int) -> Any:
        nonlocal raw
        raw = _Counted(_open_raw(source, offset, options), _add_progress)
        return _decompressed(raw, source.compression)

    try:
        batches = range_lines(open_at, unit.start, unit.end)
        if sampler is not None:
            batches = sampler.filter(batches)
        for keys in extractor.keys_of_lines(batches):
            counts.update(keys)
    except Exception as error:  # any failure to read this unit is reported by name
        return UnitResult(unit, Counter(), Stats().counters(), _describe_error(unit, error))
    finally:
        if raw is not None and not source.is_stdin:
            raw.close()
    return UnitResult(unit, counts, extractor.stats.counters(), None)


def _merge(result: Result, done: UnitResult) -> None:
    if done.error:
        result.failed.append(done.error)
        return
    result.counts.update(done.counts)
    stats = Stats()
    for attr, name in Stats.FIELDS:
        setattr(stats, attr, done.stats[name])
    result.stats.add(stats)


class _LocalCounter:
    """The progress counter when counting in this process (``jobs=1``, standard input)."""

    def __init__(self) -> None:
        self.value = 0
        self.lock = threading.Lock()

    def get_lock(self) -> Any:
        return self.lock


def cpu_count() -> int:
    """CPUs this process may use (fewer than the machine's in a container or under taskset)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def run(
    sources: Sequence[Source],
    options: Options,
    jobs: Optional[int] = None,
    skip_unreadable: bool = False,
    on_progress: Optional[Callable[[int, int], None]] = None,
) -> Result:
    """Count every source with ``jobs`` worker processes (default: CPU count) and merge.

    ``on_progress(bytes_done, bytes_total)`` is called about twice a second
    from a helper thread.  Unreadable inputs raise :class:`UserError` naming
    them all, unless ``skip_unreadable``, which returns a partial result.
    """
    jobs = jobs or cpu_count()
    if jobs < 1:
        raise UserError("--jobs must be at least 1, not {}".format(jobs))
    _S3_CLIENTS.clear()  # credentials may have changed since the last run in this process
    result = Result(sources, options)
    result.decoder = _decoder_name(options)
    units = plan_units(sources, jobs)
    stdin_units = [u for u in units if u.source.is_stdin]
    other_units = [u for u in units if not u.source.is_stdin]
    global _PROGRESS
    # This process counts too (it is ready at once, while workers start up),
    # so ``jobs`` processes count in all.
    workers = min(jobs, len(other_units)) - 1
    pool = None
    running = set()  # type: Set[Future]
    if workers > 0:
        import multiprocessing

        context = multiprocessing.get_context("spawn")
        progress = context.Value("q", 0)
        pool = ProcessPoolExecutor(
            max_workers=workers, mp_context=context, initializer=_init_worker, initargs=(progress,),
        )
    else:
        progress = _LocalCounter()
    _PROGRESS = progress
    reporter = _Reporter(progress, result.total_bytes, on_progress) if on_progress else None
    try:
        queue_ = deque(other_units)  # biggest first: workers take from the left, this process from the right
        for unit in stdin_units:
            _top_up(pool, queue_, running, workers, options)
            _merge(result, count_unit(unit, options))
        while queue_ or running:
            _top_up(pool, queue_, running, workers, options)
            if queue_:
                _merge(result, count_unit(queue_.pop(), options))
                finished = {f for f in running if f.done()}
            else:
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                running.discard(future)
                _merge(result, future.result())
    finally:
        _PROGRESS = None
        if pool is not None:
            for future in running:
                future.cancel()
            pool.shutdown(wait=True)
        if reporter is not None:
            reporter.finish()
    result.failed.sort()
    if result.failed and not skip_unreadable:
        if len(result.failed) == 1:
            raise UserError(result.failed[0])
        raise UserError(
            "{} inputs could not be read: {}".format(len(result.failed), "; ".join(result.failed))
        )
    return result


def _top_up(pool: Any, units: Deque[Unit], running: Set[Future], workers: int, options: Options) -> None:
    """Keep two units queued per worker process, so none waits for the next."""
    while pool is not None and units and len(running) < 2 * workers:
        running.add(pool.submit(count_unit, units.popleft(), options))


def _decoder_name(options: Options) -> str:
    from .fastjson import splitter_name

    return splitter_name(best_splitter(options.fast_json))


class _Reporter:
    """Call ``on_progress`` from a thread until the run ends, then once more."""

    def __init__(self, progress: Any, total: int, on_progress: Callable[[int, int], None]) -> None:
        self.progress = progress
        self.total = total
        self.on_progress = on_progress
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._loop, daemon=True)
        self.thread.start()

    def _loop(self) -> None:
        while not self.stopped.wait(0.5):
            self.on_progress(self.progress.value, self.total)

    def finish(self) -> None:
        self.stopped.set()
        self.thread.join()
        self.on_progress(self.progress.value, self.total)
