"""Split raw input lines into JSON records.

Stage two of the data path (read bytes -> **split records** -> extract
hashtags -> count -> merge -> rank -> present).  A line may hold one record,
none (a keep-alive), or several written back to back (``}{``, as Kinesis
Firehose writes them unless the producer adds newlines).  Framing rule:
within a line, decode record after record; when decoding fails, the rest of
that line is one malformed piece, and the next line starts fresh.

A line longer than :func:`long_line_bytes` (Firehose can write a whole
128 MB object as one line) is never held whole: :func:`iter_lines` hands it
over as an iterator of chunks, and :class:`RecordStream` and
:class:`LinePrecheck` apply the same rules to it a chunk at a time.
"""

import codecs
import json
import os
import re
from typing import Any, Iterator, List, Optional, Tuple, Union

BOM = b"\xef\xbb\xbf"

# Between records: JSON whitespace, plus the byte-order mark and RFC 7464's
# record separator, which some producers put in front of every record.
_GAP = re.compile("[\\s\ufeff\x1e]*")
_decode = json.JSONDecoder().raw_decode

# A hashtags array with at least one element, however the JSON was spaced.
_NON_EMPTY_HASHTAGS = re.compile(rb'"hashtags"\s*:\s*\[\s*[^\s\]]')


def split_records(line: bytes) -> Tuple[List[Any], int]:
    """Decode every JSON value in ``line``; return them and 0 or 1 malformed piece.

    Invalid UTF-8 becomes U+FFFD instead of costing the whole record.
    """
    text = line.decode("utf-8", "replace")
    end = len(text)
    pos = _GAP.match(text).end()
    records = []
    while pos < end:
        try:
            record, pos = _decode(text, pos)
        except (ValueError, RecursionError):
            return records, 1
        records.append(record)
        pos = _GAP.match(text, pos).end()
    return records, 0


def may_hold_hashtags(line: bytes) -> bool:
    """Cheap byte test: False only if no record in ``line`` can yield a hashtag.

    Every tweet format we read (API v1.1 ``entities``/``extended_tweet``,
    API v2 ``entities``/``note_tweet``) keeps hashtags in an array under the
    key ``"hashtags"``, so a line whose every such array is empty, or that
    has no such key, holds none.  JSON encoders never escape the letters of
    that key, so the test is exact for real data; the property tests in
    ``tests/test_records.py`` check it against a full parse.
    """
    find = line.find
    at = find(b'"hashtags"')
    while at >= 0:
        after = line[at + 10:at + 13]
        if after != b":[]":
            if after == b":[{" or _NON_EMPTY_HASHTAGS.match(line, at):
                return True
        at = find(b'"hashtags"', at + 10)
    return False


def looks_like_records(line: bytes) -> bool:
    """Constant-time shape check for lines the pre-check lets us skip unparsed.

    A line that is blank, or starts with ``{`` and ends with ``}``, passes;
    anything else (a truncated record, a stray log line) is malformed.
    """
    body = line.strip()
    if body.startswith(BOM):
        body = body[3:].lstrip()
    return not body or (body[:1] == b"{" and body[-1:] == b"}")


# --- lines too long to hold --------------------------------------------------

LONG_LINE_BYTES = 8 << 20
LONG_LINE_VARIABLE = "HASHTAGCOUNT_LONG_LINE_BYTES"
READ_CHUNK = 1 << 18  # bytes per read from a stream


def long_line_bytes() -> int:
    """Length past which a line is streamed in chunks instead of held whole.

    ``HASHTAGCOUNT_LONG_LINE_BYTES`` overrides LONG_LINE_BYTES (lower it to
    save memory, or to exercise streaming on small inputs); a value that is
    not a positive integer is ignored.
    """
    try:
        value = int(os.environ.get(LONG_LINE_VARIABLE, ""))
    except ValueError:
        return LONG_LINE_BYTES
    return value if value > 0 else LONG_LINE_BYTES


Line = Union[bytes, Iterator[bytes]]


def iter_lines(
    stream: Any,
    skip_first: bool = False,
    stop: Optional[int] = None,
    long_line: Optional[int] = None,
    chunk_size: int = READ_CHUNK,
) -> Iterator[List[Line]]:
    """Batches of lines (without ``\\n``) from ``stream``.

    ``skip_first`` drops everything up to the first newline (the tail of a
    line owned by the previous range); ``stop`` ends the batches after the
    last line that starts before byte ``stop`` of the stream.  A line that
    reaches ``long_line`` bytes (default: long_line_bytes()) comes alone in
    its batch as an iterator of its chunks, read from ``stream`` as it is
    consumed (to its end, past ``stop`` if need be); what the caller leaves
    unread is skipped.  Reads ``chunk_size`` bytes at a time.

    The one line reader: mapper.py reads stdin with it, and the local engine
    its files, S3 objects and byte ranges (as Hadoop input splits).
    """
    long_line = long_line or long_line_bytes()
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
        head = chunk.find(b"\n")  # bytes of the first line inside this chunk
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
        find = chunk.find
        position = head + 1
        end = find(b"\n", position)
        while end >= 0:
            lines.append(chunk[position:end])
            position = end + 1
            end = find(b"\n", position)
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


class RecordStream:
    """:func:`split_records` for one line that arrives in chunks.

    ``feed`` each chunk, then ``close``; each returns the records completed
    so far, and afterwards ``malformed`` is what split_records would return
    for the joined line.  Only the undecoded rest (less than one record plus
    one chunk) is held.  A decode that ends, or fails, near the end of the
    text so far may change with more text (a number or a string cut in two),
    so it waits for the next chunk; any other failure is final, as it is for
    a whole line.
    """

    _MARGIN = 64  # characters: covers a cut \uXXXX\uXXXX escape, literal or number

    def __init__(self) -> None:
        self._decode_utf8 = codecs.getincrementaldecoder("utf-8")("replace").decode
        self._text = ""
        self.malformed = 0

    def feed(self, chunk: bytes) -> List[Any]:
        if self.malformed:
            return []
        return self._split(self._decode_utf8(chunk), False)

    def close(self) -> List[Any]:
        if self.malformed:
            return []
        return self._split(self._decode_utf8(b"", True), True)

    def _split(self, new: str, final: bool) -> List[Any]:
        text = self._text + new if self._text else new
        end = len(text)
        wait_from = -1 if final else max(0, end - self._MARGIN)
        pos = _GAP.match(text).end()
        records = []
        while pos < end:
            try:
                record, after = _decode(text, pos)
            except ValueError as error:
                if not final and self._may_need_more(error, text, wait_from):
                    break
                return self._fail(records)
            except RecursionError:
                return self._fail(records)
            if after >= wait_from >= 0:
                break  # a number may go on in the next chunk
            records.append(record)
            pos = _GAP.match(text, after).end()
        self._text = text[pos:]
        return records

    @staticmethod
    def _may_need_more(error: ValueError, text: str, wait_from: int) -> bool:
        if isinstance(error, json.JSONDecodeError):
            return error.msg.startswith("Unterminated string") or error.pos >= wait_from
        # A number too long for int() has no position: it may be one still being read.
        return text[-1:] in _NUMBER_CHARACTERS

    def _fail(self, records: List[Any]) -> List[Any]:
        self.malformed = 1
        self._text = ""
        return records


_NUMBER_CHARACTERS = frozenset("0123456789+-.eE")


class LinePrecheck:
    """:func:`may_hold_hashtags` and :func:`looks_like_records` of a line fed in chunks.

    Holds a few bytes between chunks, however the line is cut.
    """

    _KEY = b'"hashtags"'

    def __init__(self) -> None:
        self.may_hold_hashtags = False
        self.blank = True  # no byte but ASCII whitespace so far
        self._carry = b""  # the last bytes, which may begin the key
        self._stage = -1  # after the key: 0 expects ":", 1 "[", 2 an element; -1 searching
        self._head = b""  # the start of the line, left-stripped, until its first byte is known
        self._bom_checked = False
        self._first = b""  # first byte after whitespace and an optional BOM
        self._last = b""  # last byte that is not whitespace

    @property
    def looks_like_records(self) -> bool:
        first = self._first or (b"" if self._bom_checked else self._head[:1])
        return not first or (first == b"{" and self._last == b"}")

    def feed(self, chunk: bytes) -> None:
        stripped = chunk.rstrip()
        if stripped:
            self.blank = False
            self._last = stripped[-1:]
        if not self._first:
            self._find_first(chunk)
        if not self.may_hold_hashtags:
            self._search(chunk)

    def _find_first(self, chunk: bytes) -> None:
        head = (self._head + chunk).lstrip()
        if not self._bom_checked:
            if len(head) < 3 and BOM.startswith(head):
                self._head = head
                return
            self._bom_checked = True
            if head.startswith(BOM):
                head = head[3:].lstrip()
        self._first = head[:1]
        self._head = b""

    def _search(self, chunk: bytes) -> None:
        data = self._carry + chunk if self._carry else chunk
        pos = 0
        end = len(data)
        while True:
            if self._stage >= 0:
                pos = _SPACES.match(data, pos).end()
                if pos == end:
                    self._carry = b""
                    return
                found = data[pos]
                if self._stage < 2:
                    if found == b":["[self._stage]:
                        self._stage += 1
                        pos += 1
                        continue
                elif found != 0x5D:  # anything but "]" starts an element
                    self.may_hold_hashtags = True
                    return
                self._stage = -1
            at = data.find(self._KEY, pos)
            if at < 0:
                self._carry = data[max(pos, end - len(self._KEY) + 1):]
                return
            pos = at + len(self._KEY)
            self._stage = 0


_SPACES = re.compile(rb"\s*")
