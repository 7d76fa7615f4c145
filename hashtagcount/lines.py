"""Read bytes into lines: stage one of the data path, and the owner of Hadoop's split rule.

Data path: **read bytes** -> split records -> extract hashtags -> count ->
merge -> rank -> present.  Everything that reads input reads it here:
``mapper.py`` its stdin with :func:`iter_lines`, the local engine its
files, S3 objects and byte ranges of them with :func:`range_lines`.

A byte range is cut as Hadoop cuts input splits: a line belongs to the range
that holds its first byte.  A line longer than :func:`long_line_bytes`
(Firehose can write a whole 128 MB object as one line) is never held whole:
it is handed over as an iterator of its chunks (the record and pre-check
stages take chunks).  The other lines of a read are handed over in place,
as one :class:`LineRun`: with a SIMD count (the ``fast`` extra) the
pre-check finds the few that can hold a hashtag by scanning the run, and
only those are cut out, so a line that cannot hold one costs no
Python-level work; without one (``mapper.py``) the run is cut into lines.  A ``--sample`` is
applied here, before lines exist: only the lines starting in kept blocks
are handed over (see :mod:`hashtagcount.sampling`).  Standard library only: ``mapper.py`` carries this
module.
"""

import os
from typing import Any, Callable, Iterator, List, Optional, Union

LONG_LINE_BYTES = 8 << 20
LONG_LINE_VARIABLE = "HASHTAGCOUNT_LONG_LINE_BYTES"
READ_CHUNK = 1 << 18  # bytes per read from a stream, at most

# ``find(haystack, needle, start)`` with bytes.find's meaning (a faster search may stand in).
Find = Callable[[bytes, bytes, int], int]


class LineRun:
    """Whole lines left in place in a buffer: ``data[start:end]``, each ending with ``\\n`` (at least one).

    Cutting every line out costs a slice and a call per line, and on a
    stream most lines are then dropped unread by the pre-check; a run lets
    the pre-check look at them all at once (:func:`hashtagcount.precheck.sift`).
    """

    __slots__ = ("data", "start", "end")

    def __init__(self, data: bytes, start: int, end: int) -> None:
        self.data = data
        self.start = start
        self.end = end

    def lines(self, find: Find = bytes.find) -> List[bytes]:
        """The run's lines, each without its ``\\n``."""
        lines = []  # type: List[bytes]
        _split(self.data, self.start, self.end, lines, find)
        return lines

    def __repr__(self) -> str:
        return "LineRun({!r})".format(self.data[self.start:self.end])


Line = Union[bytes, LineRun, Iterator[bytes]]  # a line without its "\n", a run of them, or a line too long to hold
Batches = Iterator[List[Line]]  # a long line comes alone in its batch, as an iterator of its chunks


def whole_lines(batch: List[Line], find: Find = bytes.find) -> List[bytes]:
    """Every line of a batch without long lines, its runs cut into lines."""
    lines = []  # type: List[bytes]
    for line in batch:
        if line.__class__ is LineRun:
            _split(line.data, line.start, line.end, lines, find)  # type: ignore[union-attr]
        else:
            lines.append(line)  # type: ignore[arg-type]
    return lines


def long_line_bytes() -> int:
    """Length past which a line is streamed in chunks instead of held whole.

    ``HASHTAGCOUNT_LONG_LINE_BYTES`` overrides LONG_LINE_BYTES (lower it to
    save memory, or to exercise streaming on small inputs: the environment
    reaches worker processes too); a value that is not a positive integer
    is ignored.
    """
    try:
        value = int(os.environ.get(LONG_LINE_VARIABLE, ""))
    except ValueError:
        return LONG_LINE_BYTES
    return value if value > 0 else LONG_LINE_BYTES


def read_size(long_line: int) -> int:
    """Bytes per read: READ_CHUNK, or half of ``long_line`` if less.

    Memory per line stays under 1.5 x ``long_line``, and a low
    ``HASHTAGCOUNT_LONG_LINE_BYTES`` (the tests') also cuts lines at many
    chunk boundaries, in every process.
    """
    return max(1, min(READ_CHUNK, long_line // 2))


def iter_lines(stream: Any, long_line: Optional[int] = None, chunk_size: Optional[int] = None,
               find: Find = bytes.find) -> Batches:
    """Batches of the lines of ``stream`` (each without its ``\\n``, or a :class:`LineRun` of them), read to its end.

    A line that reaches ``long_line`` bytes (default: long_line_bytes())
    comes alone in its batch as an iterator of its chunks, read from
    ``stream`` as it is consumed; what the caller leaves unread is skipped.
    Reads ``chunk_size`` bytes at a time (default: read_size(long_line)),
    and finds newlines with ``find`` (bytes.find, or one with its results).
    """
    return _lines(lambda offset: stream, 0, False, None, long_line, chunk_size, find, None, False)


def range_lines(
    open_at: Callable[[int], Any], start: int = 0, end: Optional[int] = None,
    long_line: Optional[int] = None, chunk_size: Optional[int] = None, find: Find = bytes.find,
    sample: Any = None, seekable: bool = False,
) -> Batches:
    """:func:`iter_lines` of the lines that start in bytes ``[start, end)`` of a stream.

    ``open_at(offset)`` must return the stream read from byte ``offset``
    (a seek, or an HTTP Range).  The range's first line is the one after
    the first newline at or after byte ``start - 1`` (so a line starting
    exactly at ``start`` is ours); the last is the one holding byte
    ``end - 1``, read to its end past ``end``.  Ranges that cut a stream
    anywhere thus read each of its lines exactly once.

    With ``sample`` (a :class:`~hashtagcount.sampling.BlockSample`: its
    ``block`` size and ``keeps(index)``), only the lines whose first byte
    is in a kept block are read out; a dropped block is never cut into
    lines, and if ``seekable`` (``open_at`` is cheap at any offset, as a
    local file's seek is) and ``end`` is given, never read either.
    """
    offset = start - 1 if start else 0
    stop = None if end is None else end - offset
    seekable = seekable and sample is not None and stop is not None
    if seekable:  # reads of a quarter block: finishing a kept block's last line reads little of the next
        chunk_size = min(chunk_size or read_size(long_line or long_line_bytes()), sample.block // 4 or 1)
    return _lines(open_at, offset, bool(start), stop, long_line, chunk_size, find, sample, seekable)


def _lines(open_at: Callable[[int], Any], base: int, skip_first: bool, stop: Optional[int],
           long_line: Optional[int], chunk_size: Optional[int], find: Find, sample: Any,
           seekable: bool) -> Batches:
    """The reader of ``open_at(base)``: ``skip_first`` drops up to the first newline; ``stop`` ends after the
    line holding byte stop-1 (offsets from ``base``); ``sample`` keeps lines by the block of ``base + start``."""
    long_line = long_line or long_line_bytes()
    chunk_size = chunk_size or read_size(long_line)
    stream = open_at(base)
    offset = 0  # stream offset just past the last chunk read
    pending = []  # type: List[bytes]  # pieces of the unfinished line
    pending_size = 0
    pending_start = 0  # stream offset where the unfinished line starts
    carry = b""  # the bytes after a long line, read with its end
    while True:
        if carry:
            chunk, carry = carry, b""
        else:
            chunk = stream.read(chunk_size)
            if not chunk:
                break
        chunk_start = offset
        offset += len(chunk)
        head = find(chunk, b"\n", 0)  # bytes of the first line inside this chunk
        if head < 0:
            if not skip_first:
                pending.append(chunk)
                pending_size += len(chunk)
                if pending_size >= long_line:
                    line = _LongLine(stream, pending, chunk_size)
                    pending, pending_size = [], 0
                    chunks = line.chunks()
                    if sample is None or sample.keeps((base + pending_start) // sample.block):
                        yield [chunks]
                    for _ in chunks:
                        pass
                    carry = line.after
                    offset += line.read - len(carry)
                    pending_start = offset
                    if stop is not None and offset >= stop:
                        return  # the next line belongs to the next range
            elif stop is not None and offset >= stop:
                return  # the previous range's line covers all of this range
            continue
        if skip_first:
            lines = []  # type: List[Line]
            skip_first = False
        elif sample is None or sample.keeps((base + pending_start) // sample.block):
            pending.append(chunk[:head])
            lines = [b"".join(pending)]
        else:
            lines = []
        limit = len(chunk) if stop is None else min(len(chunk), stop - chunk_start)  # our lines start before it
        if sample is None:
            position = _run(chunk, head + 1, limit, lines, find)
        else:
            position = _split_sampled(chunk, head + 1, limit, lines, find, sample, base + chunk_start)
        pending_start = chunk_start + position
        if position < limit:  # an unfinished line that started before ``stop``: finish it
            tail = chunk[position:]
            pending, pending_size = [tail], len(tail)
        else:
            pending, pending_size = [], 0
        if lines:
            yield lines
        if stop is not None and pending_start >= stop:
            return  # the next line belongs to the next range
        if seekable:
            ahead = _next_kept(sample, base + pending_start, base + stop)  # type: ignore[operator]
            if ahead is None:
                return  # every line still ours starts in a dropped block
            if ahead > base + offset:  # skip the dropped blocks unread
                stream = open_at(ahead)
                offset = pending_start = ahead - base
                pending, pending_size, carry = [], 0, b""
                skip_first = True
    if pending and not skip_first and (stop is None or pending_start < stop) and (
            sample is None or sample.keeps((base + pending_start) // sample.block)):
        yield [b"".join(pending)]


def _split(chunk: bytes, position: int, limit: int, lines: List[bytes], find: Find) -> int:
    """Append the lines of ``chunk`` that start in ``[position, limit)``; return where the rest starts."""
    while position < limit:  # a find() loop: memchr-fast, unlike bytes.split's byte-by-byte scan
        end = find(chunk, b"\n", position)
        if end < 0:
            break
        lines.append(chunk[position:end])
        position = end + 1
    return position


def _run(chunk: bytes, position: int, limit: int, lines: List[Line], find: Find) -> int:
    """:func:`_split`, appending the lines as one :class:`LineRun` instead of cutting them out."""
    if position >= limit:
        return position
    end = find(chunk, b"\n", limit - 1)  # the end of the line holding byte limit - 1
    if end < 0:
        end = chunk.rfind(b"\n", position)  # that line is unfinished: the run ends before it
        if end < 0:
            return position
    lines.append(LineRun(chunk, position, end + 1))
    return end + 1


def _split_sampled(chunk: bytes, position: int, limit: int, lines: List[Line], find: Find, sample: Any,
                   at: int) -> int:
    """:func:`_run` keeping only lines that start in a block ``sample`` keeps (``chunk`` is at offset ``at``)."""
    block = sample.block
    while position < limit:
        index = (at + position) // block
        block_end = min(limit, (index + 1) * block - at)
        if sample.keeps(index):
            position = _run(chunk, position, block_end, lines, find)
            if position < block_end:
                return position  # unfinished
        else:
            end = find(chunk, b"\n", block_end - 1)  # the end of the line holding the block's last byte
            if end < 0:
                return chunk.rfind(b"\n", position, block_end - 1) + 1 or position  # that line is unfinished
            position = end + 1
    return position


def _next_kept(sample: Any, start: int, stop: int) -> Optional[int]:
    """Where to read on from for the next kept line at or after byte ``start`` (None: none before ``stop``).

    ``start`` itself if its block is kept; else one byte before the next
    kept block, whose first line follows the first newline from there.
    """
    block = sample.block
    index = start // block
    if sample.keeps(index):
        return start
    for index in range(index + 1, (stop - 1) // block + 1):
        if sample.keeps(index):
            return index * block - 1
    return None


class _LongLine:
    """The rest of a line too long to hold, read from the stream as its chunks are consumed."""

    def __init__(self, stream: Any, pieces: List[bytes], chunk_size: int) -> None:
        self.stream = stream
        self.chunk_size = chunk_size
        self.pieces = pieces
        self.read = 0  # bytes read from the stream after ``pieces``
        self.after = b""  # bytes read past the line's newline

    def chunks(self) -> Iterator[bytes]:
        pieces, self.pieces = self.pieces, []
        for piece in pieces:
            yield piece
        del pieces
        while True:
            chunk = self.stream.read(self.chunk_size)
            if not chunk:
                return
            self.read += len(chunk)
            end = chunk.find(b"\n")
            if end >= 0:
                self.after = chunk[end + 1:]
                yield chunk[:end]
                return
            yield chunk
