"""Read bytes into lines: stage one of the data path, and the owner of Hadoop's split rule.

Data path: **read bytes** -> split records -> extract hashtags -> count ->
merge -> rank -> present.  Everything that reads input reads it here:
``mapper.py`` its stdin with :func:`iter_lines`, the local engine its
files, S3 objects and byte ranges of them with :func:`range_lines`.

A byte range is cut as Hadoop cuts input splits: a line belongs to the range
that holds its first byte.  A line longer than :func:`long_line_bytes`
(Firehose can write a whole 128 MB object as one line) is never held whole:
it is handed over as an iterator of its chunks (the record and pre-check
stages take chunks).  Standard library only: ``mapper.py`` carries this
module.
"""

import os
from typing import Any, Callable, Iterator, List, Optional, Union

LONG_LINE_BYTES = 8 << 20
LONG_LINE_VARIABLE = "HASHTAGCOUNT_LONG_LINE_BYTES"
READ_CHUNK = 1 << 18  # bytes per read from a stream, at most

# ``find(haystack, needle, start)`` with bytes.find's meaning (a faster search may stand in).
Find = Callable[[bytes, bytes, int], int]
Line = Union[bytes, Iterator[bytes]]  # a line without its "\n", or a line too long to hold as its chunks
Batches = Iterator[List[Line]]


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
    """Batches of the lines of ``stream`` (each without its ``\\n``), read to its end.

    A line that reaches ``long_line`` bytes (default: long_line_bytes())
    comes alone in its batch as an iterator of its chunks, read from
    ``stream`` as it is consumed; what the caller leaves unread is skipped.
    Reads ``chunk_size`` bytes at a time (default: read_size(long_line)),
    and finds newlines with ``find`` (bytes.find, or one with its results).
    """
    return _lines(stream, False, None, long_line, chunk_size, find)


def range_lines(
    open_at: Callable[[int], Any], start: int = 0, end: Optional[int] = None,
    long_line: Optional[int] = None, chunk_size: Optional[int] = None, find: Find = bytes.find,
) -> Batches:
    """:func:`iter_lines` of the lines that start in bytes ``[start, end)`` of a stream.

    ``open_at(offset)`` must return the stream read from byte ``offset``
    (a seek, or an HTTP Range).  The range's first line is the one after
    the first newline at or after byte ``start - 1`` (so a line starting
    exactly at ``start`` is ours); the last is the one holding byte
    ``end - 1``, read to its end past ``end``.  Ranges that cut a stream
    anywhere thus read each of its lines exactly once.
    """
    offset = start - 1 if start else 0
    stop = None if end is None else end - offset
    return _lines(open_at(offset), bool(start), stop, long_line, chunk_size, find)


def _lines(stream: Any, skip_first: bool, stop: Optional[int], long_line: Optional[int],
           chunk_size: Optional[int], find: Find) -> Batches:
    """The reader: ``skip_first`` drops up to the first newline; ``stop`` ends after the line holding byte stop-1."""
    long_line = long_line or long_line_bytes()
    chunk_size = chunk_size or read_size(long_line)
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
        first_start = pending_start
        pending.append(chunk[:head])
        lines = [b"".join(pending)]
        # A find() loop: memchr-fast, unlike bytes.split's byte-by-byte scan.
        position = head + 1
        end = find(chunk, b"\n", position)
        while end >= 0:
            lines.append(chunk[position:end])
            position = end + 1
            end = find(chunk, b"\n", position)
        tail = chunk[position:]
        pending = [tail] if tail else []
        pending_size = len(tail)
        pending_start = offset - len(tail)
        if skip_first:
            del lines[0]
            first_start = chunk_start + head + 1
            skip_first = False
        if stop is not None and offset > stop:
            yield _before(lines, first_start, stop)
            if pending_start >= stop:
                return
            continue  # the unfinished line started before ``stop``: finish it
        yield lines
    if pending and not skip_first and (stop is None or pending_start < stop):
        yield [b"".join(pending)]


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


def _before(lines: List[bytes], first_start: int, stop: int) -> List[bytes]:
    """The leading ``lines`` that start before ``stop``, ``lines[0]`` starting at ``first_start``."""
    kept = 0
    position = first_start
    while kept < len(lines) and position < stop:
        position += len(lines[kept]) + 1
        kept += 1
    return lines[:kept]
