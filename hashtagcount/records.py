"""Split a line into JSON records: stage two of the data path, the framing rule.

Data path: read bytes -> **split records** -> extract hashtags -> count ->
merge -> rank -> present.  A line may hold one record, none (a keep-alive),
or several written back to back (``}{``, as Kinesis Firehose writes them
unless the producer adds newlines).  Framing rule: within a line, decode
record after record; when decoding fails, the rest of that line is one
malformed piece, and the next line starts fresh.

One decoding loop (:func:`_decode_records`) serves a whole line
(:func:`split_records`) and a line too long to hold, fed in chunks
(:class:`RecordStream`).  Standard library only: ``mapper.py`` carries
this module.
"""

import codecs
import json
import re
from typing import Any, List, Optional, Tuple

# Between records: JSON whitespace, plus the byte-order mark and RFC 7464's
# record separator, which some producers put in front of every record.
_GAP = re.compile("[\\s\ufeff\x1e]*")
_decode = json.JSONDecoder().raw_decode


def _decode_records(text: str, wait_from: int = -1) -> Tuple[List[Any], int, Optional[Exception]]:
    """Decode record after record of ``text``: ``(records, where decoding stopped, error)``.

    ``error`` is the failure that stopped it (None at the end of the text).
    With ``wait_from >= 0``, a record that ends at or after ``wait_from``
    is left undecoded (a number may go on in the next chunk).
    """
    end = len(text)
    pos = _GAP.match(text).end()
    records = []
    while pos < end:
        try:
            record, after = _decode(text, pos)
        except (ValueError, RecursionError) as error:
            return records, pos, error
        if after >= wait_from >= 0:
            break
        records.append(record)
        pos = _GAP.match(text, after).end()
    return records, pos, None


def split_records(line: bytes) -> Tuple[List[Any], int]:
    """Decode every JSON value in ``line``; return them and 0 or 1 malformed piece.

    Invalid UTF-8 becomes U+FFFD instead of costing the whole record.
    """
    records, _, error = _decode_records(line.decode("utf-8", "replace"))
    return records, 0 if error is None else 1


class RecordStream:
    """:func:`split_records` for one line that arrives in chunks.

    ``feed`` each chunk, then ``close``; each returns the records completed
    so far, and afterwards ``malformed`` is what split_records would return
    for the joined line.  Only the undecoded rest (less than one record plus
    one chunk, :attr:`held` characters) is held.  A decode that ends, or
    fails, near the end of the text so far may change with more text (a
    number or a string cut in two), so it waits for the next chunk; any
    other failure is final, as it is for a whole line.
    """

    _MARGIN = 64  # characters: covers a cut \uXXXX\uXXXX escape, literal or number

    def __init__(self) -> None:
        self._decode_utf8 = codecs.getincrementaldecoder("utf-8")("replace").decode
        self._text = ""
        self.malformed = 0

    @property
    def held(self) -> int:
        """Characters held, waiting for the next chunk."""
        return len(self._text)

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
        wait_from = -1 if final else max(0, len(text) - self._MARGIN)
        records, pos, error = _decode_records(text, wait_from)
        if error is not None and (final or not _may_need_more(error, text, wait_from)):
            self.malformed = 1
            self._text = ""
            return records
        self._text = text[pos:]
        return records


def _may_need_more(error: Exception, text: str, wait_from: int) -> bool:
    """Whether a failed decode near the end of the text so far may succeed with more text."""
    if isinstance(error, json.JSONDecodeError):
        return error.msg.startswith("Unterminated string") or error.pos >= wait_from
    if isinstance(error, RecursionError):
        return False
    # A number too long for int() has no position: it may be one still being read.
    return text[-1:] in _NUMBER_CHARACTERS


_NUMBER_CHARACTERS = frozenset("0123456789+-.eE")
