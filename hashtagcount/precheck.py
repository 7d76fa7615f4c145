"""The byte pre-check: which lines cannot hold a hashtag, decided without parsing them.

Between stage one (lines) and stage two (records) of the data path: most
lines of a stream (deletes, tweets without tags) need no JSON decoding at
all.  Every tweet format we read (API v1.1 ``entities``/``extended_tweet``,
API v2 ``entities``/``note_tweet``) keeps hashtags in an array under the key
``"hashtags"``, so a line whose every such array is empty, or that has no
such key, holds none.  JSON encoders never escape the letters of that key,
so the test is exact for real data; the property tests in
``tests/test_precheck.py`` check it against a full parse.

One scanner (:func:`_scan`) serves a whole line, a line fed in chunks
(:class:`LinePrecheck`) and the rest of a line found in a run of them
(:func:`sift`'s scan of a whole read), and one shape rule
(:func:`looks_like_records`, applied to a streamed line's first and last
bytes, and to a run's lines by counting) says which skipped lines are
malformed.  Standard library only: ``mapper.py`` carries
this module.
"""

import re
from typing import Callable, List, Optional, Tuple

from .lines import Find, Line, LineRun

# ``count(haystack, needle, start, end)`` with bytes.count's meaning: only a fast one (SIMD) is worth passing.
Count = Callable[[bytes, bytes, int, int], int]

BOM = b"\xef\xbb\xbf"
_KEY = b'"hashtags"'
_SPACES = re.compile(rb"\s*")

# Scanner stages: looking for the key; after it, expecting ":", "[", an element; found.
_SEARCHING, _COLON, _BRACKET, _ELEMENT, _FOUND = -1, 0, 1, 2, 3
_CARRY = len(_KEY) - 1  # bytes a chunk may end with that could begin a key

# The key is searched with ``find`` (lines.Find): bytes.find itself, or a faster search with the
# same results (hashtagcount.fastfind); the verdict never depends on which.


def _scan(data: bytes, stage: int, find: Find = bytes.find) -> int:
    """The stage after reading ``data`` entered in ``stage``: _FOUND once a non-empty array shows.

    A chunk may end inside a key (carry its last _CARRY bytes: any key they
    begin is one not yet examined, since an examined key is followed by
    punctuation, not letters) or after one, in the stage returned.
    """
    pos = 0
    if stage >= 0:  # a chunk that goes on after a key
        stage, pos = _after_key(data, pos, stage)
        if stage != _SEARCHING:
            return stage
    while True:
        at = find(data, _KEY, pos)
        if at < 0:
            return _SEARCHING
        pos = at + 10  # len(_KEY)
        after = data[pos:pos + 3]  # compact JSON is decided by one slice
        if after == b":[]":
            pos += 3
            continue
        if after == b":[{":
            return _FOUND
        stage, pos = _after_key(data, pos, _COLON)
        if stage != _SEARCHING:
            return stage


def _after_key(data: bytes, pos: int, stage: int) -> Tuple[int, int]:
    """Step over spaces, ``:`` and ``[`` after a key: ``(stage, position)``.

    Ends _FOUND at an element, in the stage reached when ``data`` runs out
    first, or _SEARCHING at the byte that shows the array empty or the key
    not an array's.
    """
    end = len(data)
    while True:
        pos = _SPACES.match(data, pos).end()
        if pos == end:
            return stage, pos
        found = data[pos]
        if stage < _ELEMENT:
            if found == b":["[stage]:
                stage += 1
                pos += 1
                continue
        elif found != 0x5D:  # anything but "]" starts an element
            return _FOUND, pos
        return _SEARCHING, pos


def may_hold_hashtags(line: bytes, find: Find = bytes.find) -> bool:
    """Cheap byte test: False only if no record in ``line`` can yield a hashtag."""
    return _scan(line, _SEARCHING, find) == _FOUND


def sift(batch: List[Line], find: Find = bytes.find,
         count: Optional[Count] = None) -> Tuple[List[bytes], int, int, int]:
    """:func:`may_hold_hashtags` over the line reader's batch: ``(lines that may, lines, skipped, malformed)``.

    ``skipped`` counts the other lines shaped like records, ``malformed``
    those that are not (:func:`looks_like_records`); blank lines are
    neither.  Given ``count`` (a SIMD search's, as fast as ``find``), a
    :class:`~hashtagcount.lines.LineRun` of usual records is looked at
    whole: its lines are counted, and only the few where the key shows
    with a non-empty array are cut out (:func:`_candidates`), so the rest
    cost no Python-level work.  Any other run, and every run without
    ``count`` (``bytes.count`` is slower than cutting the lines), is cut
    into lines, and each is looked at with one call: on a delete-heavy
    stream, where nine lines in ten are skipped, the calls are the cost.
    """
    kept = []  # type: List[bytes]
    lines = skipped = malformed = 0
    for piece in batch:
        if piece.__class__ is LineRun:
            usual = 0 if count is None else _usual_records(piece, count)  # type: ignore[arg-type]
            if usual:
                lines += usual
                skipped += usual - _candidates(piece, find, kept)  # type: ignore[arg-type]
                continue
            group = piece.lines(find)  # type: ignore[union-attr]
        else:
            group = [piece]  # type: ignore[list-item]
        lines += len(group)
        for line in group:
            if _scan(line, _SEARCHING, find) == _FOUND:
                kept.append(line)
            elif line[:1] == b"{" and (line[-1:] == b"}" or line[-2:] == b"}\r"):  # the usual record, decided at once
                skipped += 1
            elif not looks_like_records(line):
                malformed += 1
            elif line.strip():
                skipped += 1
    return kept, lines, skipped, malformed


def _usual_records(run: LineRun, count: Count) -> int:
    """How many lines ``run`` has, if each starts with ``{`` and ends with ``}`` (or ``}\\r``); else 0.

    Decided by counting: a run of n such lines has n newlines, and n - 1
    of them sit between a ``}`` (or ``}\\r``) and a ``{``.
    """
    data, start, end = run.data, run.start, run.end
    crlf = data[end - 2] == 0x0D  # a line holds at least the "{" before it, so end - 3 >= start then
    if data[start] != 0x7B or data[end - 3 if crlf else end - 2] != 0x7D:
        return 0
    lines = count(data, b"\n", start, end)
    if lines > 1:
        first, second = (b"}\r\n{", b"}\n{") if crlf else (b"}\n{", b"}\r\n{")
        between = count(data, first, start, end)
        if between != lines - 1:
            between += count(data, second, start, end)
            if between != lines - 1:
                return 0
    return lines


def _candidates(run: LineRun, find: Find, kept: List[bytes]) -> int:
    """Append the lines of ``run`` that may hold hashtags, found by searching the key through it; how many.

    Exactly :func:`may_hold_hashtags` of each line: a key followed by
    ``:[]`` is passed over, one followed by ``:[{`` keeps its line, and
    anything else (spaces, odd values) is left to :func:`_scan` on the rest
    of the line, which is what that function would have come to.
    """
    data, start, end = run.data, run.start, run.end
    found = len(kept)
    pos = start
    while True:
        at = find(data, _KEY, pos)
        if at < 0 or at >= end:
            return len(kept) - found
        after = data[at + 10:at + 13]  # len(_KEY): three bytes of the key's own line (a run ends with "\n")
        if after == b":[]":
            pos = at + 13
            continue
        line_end = find(data, b"\n", at)
        if after == b":[{" or _scan(data[at:line_end], _SEARCHING, find) == _FOUND:
            kept.append(data[data.rfind(b"\n", start, at) + 1 or start:line_end])
        pos = line_end + 1


def looks_like_records(line: bytes) -> bool:
    """Constant-time shape check for lines the pre-check lets us skip unparsed.

    A line that is blank (a BOM and spaces count as blank), or whose first
    byte after spaces and an optional BOM is ``{`` and last is ``}``,
    passes; anything else (a truncated record, a stray log line) is
    malformed.
    """
    body = line.strip()
    if body.startswith(BOM):
        body = body[3:].lstrip()
    return not body or (body[:1] == b"{" and body[-1:] == b"}")


class LinePrecheck:
    """:func:`may_hold_hashtags` and :func:`looks_like_records` of a line fed in chunks.

    Holds a few bytes between chunks, however the line is cut.
    """

    def __init__(self, find: Find = bytes.find) -> None:
        self.find = find
        self.may_hold_hashtags = False
        self.blank = True  # no byte but ASCII whitespace so far
        self._carry = b""  # the last bytes, which may begin the key
        self._stage = _SEARCHING
        self._head = b""  # the start of the line, left-stripped, until its first byte is known
        self._bom_checked = False
        self._first = b""  # first byte after whitespace and an optional BOM
        self._last = b""  # last byte that is not whitespace

    @property
    def looks_like_records(self) -> bool:
        first = self._first or (b"" if self._bom_checked else self._head[:1])
        return looks_like_records(first + self._last) if first else True  # the rule on its two bytes

    def feed(self, chunk: bytes) -> None:
        stripped = chunk.rstrip()
        if stripped:
            self.blank = False
            self._last = stripped[-1:]
        if not self._first:
            self._find_first(chunk)
        if not self.may_hold_hashtags:
            data = self._carry + chunk if self._carry else chunk
            self._stage = _scan(data, self._stage, self.find)
            self.may_hold_hashtags = self._stage == _FOUND
            self._carry = data[-_CARRY:] if self._stage == _SEARCHING else b""

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
