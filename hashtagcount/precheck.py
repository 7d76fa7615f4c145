"""The byte pre-check: which lines cannot hold a hashtag, decided without parsing them.

Between stage one (lines) and stage two (records) of the data path: most
lines of a stream (deletes, tweets without tags) need no JSON decoding at
all.  Every tweet format we read (API v1.1 ``entities``/``extended_tweet``,
API v2 ``entities``/``note_tweet``) keeps hashtags in an array under the key
``"hashtags"``, so a line whose every such array is empty, or that has no
such key, holds none.  JSON encoders never escape the letters of that key,
so the test is exact for real data; the property tests in
``tests/test_precheck.py`` check it against a full parse.

One scanner (:func:`_scan`) serves a whole line and a line fed in chunks
(:class:`LinePrecheck`), and one shape rule (:func:`looks_like_records`,
applied to a streamed line's first and last bytes) says which skipped lines
are malformed.  Standard library only: ``mapper.py`` carries
this module.
"""

import re
from typing import List, Tuple

from .lines import Find

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


def sift(lines: List[bytes], find: Find = bytes.find) -> Tuple[List[bytes], int, int]:
    """:func:`may_hold_hashtags` over a batch of lines: ``(those that may, skipped, malformed)``.

    ``skipped`` counts the other lines shaped like records, ``malformed``
    those that are not (:func:`looks_like_records`); blank lines are
    neither.  One loop and one call per line: on a delete-heavy stream,
    where nine lines in ten are skipped, the calls are the cost.
    """
    kept = []  # type: List[bytes]
    skipped = malformed = 0
    for line in lines:
        if _scan(line, _SEARCHING, find) == _FOUND:
            kept.append(line)
        elif line[:1] == b"{" and (line[-1:] == b"}" or line[-2:] == b"}\r"):  # the usual record, decided at once
            skipped += 1
        elif not looks_like_records(line):
            malformed += 1
        elif line.strip():
            skipped += 1
    return kept, skipped, malformed


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
