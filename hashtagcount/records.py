"""Split raw input lines into JSON records.

Stage two of the data path (read bytes -> **split records** -> extract
hashtags -> count -> merge -> rank -> present).  A line may hold one record,
none (a keep-alive), or several written back to back (``}{``, as Kinesis
Firehose writes them unless the producer adds newlines).  Framing rule:
within a line, decode record after record; when decoding fails, the rest of
that line is one malformed piece, and the next line starts fresh.
"""

import json
import re
from typing import Any, List, Tuple

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
