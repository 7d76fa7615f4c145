"""Read and count one unit of work: the engine's worker side.

Data path: **read bytes** (here: open a file, an S3 object streamed by a
download thread, or standard input; decompress; count the bytes for the
progress line; word any failure for a user) -> split records -> extract
hashtags -> **count** (here) -> merge (:mod:`hashtagcount.scheduler`) ->
rank -> present.  A unit is one file or S3 object, or a byte range of a
large uncompressed one, cut on line boundaries as Hadoop cuts input splits
(a line belongs to the range its first byte is in); a ``--sample`` is
applied by the line reader.  Lines go to
:meth:`hashtagcount.extract.Extractor.keys_of_lines`, the loop ``mapper.py``
runs too, so every engine counts the same.

Memory per worker is the read buffers (a few MB), the unit's counter, and
the longest line up to :func:`~hashtagcount.lines.long_line_bytes`
(8 MiB): a longer one (Firehose without newlines writes a whole object as
one line of concatenated records) is handed over as its chunks and counted
a chunk at a time, with the same results.
"""

import bz2
import gzip
import os
import queue
import stat
import sys
import threading
import zlib
from collections import Counter
from typing import Any, Callable, Dict, NamedTuple, Optional, Sequence, Tuple

from .errors import UserError
from .extract import Extractor, Stats
from .fastfind import best_count, best_find
from .fastjson import best_rule
from .lines import range_lines
from .progress import add_progress as _add_progress
from .sampling import BlockSample
from .sources import Source

DOWNLOAD_CHUNK = 1 << 20  # bytes per read from an S3 response
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


class UnitResult(NamedTuple):
    """What counting a unit gave: its counts and stats, or why it could not be read."""

    unit: Unit
    counts: Counter
    stats: Stats
    error: Optional[str]


# --- reading ------------------------------------------------------------


class _Counted:
    """A raw stream from byte ``position`` that adds every byte it delivers to a progress counter."""

    def __init__(self, raw: Any, progress: Callable[[int], None], position: int = 0) -> None:
        self.raw = raw
        self.progress = progress
        self.position = position

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        self.position += len(data)
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


def forget_clients() -> None:
    """Drop cached S3 clients: credentials may have changed since the last run in this process."""
    _S3_CLIENTS.clear()


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


def count_unit(unit: Unit, options: Options) -> UnitResult:
    """Count the hashtags of one unit; a read error is returned, not raised."""
    find = best_find()
    case_sensitive, exclude_retweets = options.case_sensitive, options.exclude_retweets
    extractor = Extractor(case_sensitive, exclude_retweets, find=find, count=best_count(),
                          one_record=best_rule(case_sensitive, exclude_retweets, options.fast_json))
    sample = options.sample
    source = unit.source
    sampler = BlockSample(sample, options.seed, source.name) if sample is not None and sample < 1 else None
    # A sample of a local uncompressed file seeks past dropped blocks, up to the size it was listed with
    # (a named pipe, such as bash's <(...), cannot seek and lists as 0 bytes: it is streamed).
    seekable = sampler is not None and not (source.is_stdin or source.is_s3 or source.compression) and (
        os.path.isfile(source.name))
    end = source.size if seekable and unit.end is None else unit.end
    counts = Counter()  # type: Counter
    raw = None

    def open_at(offset: int) -> Any:
        nonlocal raw
        if raw is not None:  # a seek past dropped blocks: the bytes skipped are done too
            _add_progress(offset - raw.position)
            raw.close()
        raw = _Counted(_open_raw(source, offset, options), _add_progress, offset)
        return _decompressed(raw, source.compression)

    try:
        batches = range_lines(open_at, unit.start, end, find=find, sample=sampler, seekable=seekable)
        for keys in extractor.keys_of_lines(batches):
            counts.update(keys)
        if seekable and end is not None and raw is not None:
            _add_progress(max(0, end - raw.position))  # dropped blocks after the last kept one
    except Exception as error:  # any failure to read this unit is reported by name
        return UnitResult(unit, Counter(), Stats(), _describe_error(unit, error))
    finally:
        if raw is not None and not source.is_stdin:
            raw.close()
    return UnitResult(unit, counts, extractor.stats, None)


_MAGIC = {"gz": ("gzip", b"\x1f\x8b"), "bz2": ("bzip2", b"BZh")}  # what each compressed file starts with


def unreadable(sources: Sequence[Source]) -> Dict[str, str]:
    """Why each local file that cannot be counted cannot be (name -> one line), found before counting.

    Opens every regular local file and checks a compressed one's magic bytes (an
    empty file is fine: it just holds nothing).  Damage further in is only
    found by reading, and reported then.
    """
    problems = {}  # type: Dict[str, str]
    for source in sources:
        if source.is_s3 or source.is_stdin:
            continue
        try:
            if not stat.S_ISREG(os.stat(source.name).st_mode):
                continue  # a named pipe (bash's <(...)): what a look takes from it would be lost
            with open(source.name, "rb", buffering=0) as raw:
                head = raw.read(3)
        except OSError as error:
            problems[source.name] = "{}: {}".format(source.name, error.strerror or error)
            continue
        magic = _MAGIC.get(source.compression or "")
        if magic and head and not head.startswith(magic[1]):
            problems[source.name] = "{}: not {} data (its name ends in .{})".format(
                source.name, magic[0], source.compression
            )
    return problems

