"""The optional fast path of the rule: msgspec decodes a line's one record, ``hashtags_of`` reads it.

``msgspec`` (the ``fast`` extra) decodes a line holding exactly one JSON
object into a typed schema (TypedDicts) that keeps only the fields the
counting rule reads, skipping the rest (the user object, the text...)
without building Python objects for them: several times faster than
:mod:`json`.  What it builds is the plain dict :mod:`json` would give, less
the fields the rule never reads, so :func:`hashtagcount.hashtags.hashtags_of`
reads it as it is: the counting rule is still the one in ``hashtags.py``.

Anything the schema does not describe exactly (several records on a line,
a byte-order mark, invalid UTF-8 or a lone surrogate in a field we read,
``NaN``, a field of an unexpected type, too deep nesting...) is declined,
and the extractor hands that line to the stdlib
:func:`~hashtagcount.records.split_records`, so framing, malformed counts
and hashtags never differ.  ``HASHTAGCOUNT_JSON=stdlib`` forces the stdlib
path everywhere (the tests compare the two).
"""

import os
from typing import Any, Callable, List, Optional, Tuple, Union

from .hashtags import hashtags_of

ENVIRONMENT_SWITCH = "HASHTAGCOUNT_JSON"

LineRule = Callable[[bytes], Optional[Tuple[int, List[str]]]]  # a line -> (tweets, keys) of its one record, or None


try:
    import msgspec
    from msgspec import Raw
    from typing import TypedDict
except ImportError:  # the "fast" extra is not installed
    msgspec = None
else:

    class _Tag(TypedDict, total=False):
        text: Any

    class _Entities(TypedDict, total=False):
        hashtags: Union[List[_Tag], None]

    class _Extended(TypedDict, total=False):
        entities: Union[_Entities, None]

    class _Record(TypedDict, total=False):
        """The fields :func:`hashtags_of` reads; ``text``/``full_text`` only for their presence (left raw)."""

        text: Raw
        full_text: Raw
        entities: Union[_Entities, None]
        truncated: Any
        extended_tweet: Union[_Extended, None]
        retweeted_status: Union["_Record", None]
        data: Any
        includes: Any


def _build() -> Optional[Callable[[bytes], Optional[dict]]]:
    if msgspec is None:
        return None
    decode = msgspec.json.Decoder(_Record).decode
    failures = (msgspec.MsgspecError, UnicodeDecodeError, RecursionError, ValueError)

    def one_record(line: bytes) -> Optional[dict]:
        """The one record ``line`` holds, as split_records would give it (only the rule's fields), or None to decline."""
        try:
            return decode(line)
        except failures:
            return None

    return one_record


_ONE_RECORD = _build()


def fast_rule(case_sensitive: bool, exclude_retweets: bool) -> Optional[LineRule]:
    """:func:`~hashtagcount.hashtags.hashtags_of` of a line holding one record; None to decline.

    The record is decoded by msgspec into the rule's fields and handed to
    ``hashtags_of`` itself, so the counting rule stays the one in
    ``hashtags.py``; a line msgspec cannot describe (several records, bad
    UTF-8, NaN, odd types...) is declined and goes the standard way.
    None without msgspec.
    """
    one_record = _ONE_RECORD
    if one_record is None:
        return None

    def rule(line: bytes) -> Optional[Tuple[int, List[str]]]:
        record = one_record(line)
        if record is None:
            return None
        return hashtags_of(record, case_sensitive, exclude_retweets)

    return rule


def available() -> bool:
    """True when the fast decoder is installed."""
    return _ONE_RECORD is not None


def best_rule(case_sensitive: bool, exclude_retweets: bool, prefer_fast: bool = True) -> Optional[LineRule]:
    """:func:`fast_rule` if msgspec is installed and wanted, else None.

    ``HASHTAGCOUNT_JSON=stdlib`` in the environment always gives None.
    """
    if not prefer_fast or os.environ.get(ENVIRONMENT_SWITCH, "").lower() == "stdlib":
        return None
    return fast_rule(case_sensitive, exclude_retweets)
