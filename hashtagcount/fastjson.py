"""Optional fast paths for :func:`hashtagcount.records.split_records` and the rule, with identical results.

``msgspec`` (the ``fast`` extra) decodes a line holding exactly one JSON
object into a typed schema that keeps only the fields the counting rule
reads, skipping the rest (the user object, the text...) without building
Python objects for them: several times faster than :mod:`json`.  The result
is turned back into the small dict :func:`hashtagcount.hashtags.hashtags_of`
expects, so the counting rule is still the one in ``hashtags.py``.

Anything the schema does not describe exactly (several records on a line,
a byte-order mark, invalid UTF-8 or a lone surrogate in a field we read,
``NaN``, a field of an unexpected type, too deep nesting...) goes to the
stdlib :func:`~hashtagcount.records.split_records`, so framing, malformed
counts and hashtags never differ.  ``HASHTAGCOUNT_JSON=stdlib`` forces the
stdlib path everywhere (the tests compare the two).

:func:`best_rule` gives the same per line, as ``hashtags_of``'s
``(tweets, keys)`` of the one record, for the extractor's one-record and
``}{`` paths.
"""

import os
from typing import Any, Callable, List, Optional, Tuple, Union

from .hashtags import hashtags_of
from .records import split_records as stdlib_split_records

ENVIRONMENT_SWITCH = "HASHTAGCOUNT_JSON"

Splitter = Callable[[bytes], Tuple[List[Any], int]]
LineRule = Callable[[bytes], Optional[Tuple[int, List[str]]]]  # a line -> (tweets, keys) of its one record, or None


try:
    import msgspec
    from msgspec import UNSET, Raw, Struct, UnsetType
except ImportError:  # the "fast" extra is not installed
    msgspec = None
else:

    class _Tag(Struct):
        text: Any = UNSET

    class _Entities(Struct):
        hashtags: Union[List[_Tag], None, UnsetType] = UNSET

    class _Extended(Struct):
        entities: Union[_Entities, None, UnsetType] = UNSET

    class _Record(Struct):
        """The fields :func:`hashtags_of` reads; ``text``/``full_text`` only for their presence."""

        text: Union[Raw, UnsetType] = UNSET
        full_text: Union[Raw, UnsetType] = UNSET
        entities: Union[_Entities, None, UnsetType] = UNSET
        truncated: Any = UNSET
        extended_tweet: Union[_Extended, None, UnsetType] = UNSET
        retweeted_status: Union["_Record", None, UnsetType] = UNSET
        data: Any = UNSET
        includes: Any = UNSET


def _build() -> Optional[Tuple[Splitter, Callable[[bytes], Optional[dict]]]]:
    if msgspec is None:
        return None
    decode = msgspec.json.Decoder(_Record).decode
    failures = (msgspec.MsgspecError, UnicodeDecodeError, RecursionError, ValueError)

    def entities_dict(entities: Any) -> Any:
        if entities is None:
            return None
        if entities.hashtags is UNSET:
            return {}
        if entities.hashtags is None:
            return {"hashtags": None}
        return {"hashtags": [{} if t.text is UNSET else {"text": t.text} for t in entities.hashtags]}

    def as_dict(record: Any) -> dict:
        out = {}  # type: dict
        if record.data is not UNSET:
            out["data"] = record.data
        if record.includes is not UNSET:
            out["includes"] = record.includes
        if record.text is not UNSET:
            out["text"] = True
        if record.full_text is not UNSET:
            out["full_text"] = True
        if record.entities is not UNSET:
            out["entities"] = entities_dict(record.entities)
        if record.truncated is not UNSET:
            out["truncated"] = record.truncated
        extended = record.extended_tweet
        if extended is not UNSET:
            if extended is None:
                out["extended_tweet"] = None
            elif extended.entities is UNSET:
                out["extended_tweet"] = {}
            else:
                out["extended_tweet"] = {"entities": entities_dict(extended.entities)}
        source = record.retweeted_status
        if source is not UNSET:
            out["retweeted_status"] = None if source is None else as_dict(source)
        return out

    def one_record(line: bytes) -> Optional[dict]:
        """The one record ``line`` holds, as split_records would give it, or None to decline."""
        try:
            return as_dict(decode(line))
        except failures:
            return None

    def split_records(line: bytes) -> Tuple[List[Any], int]:
        """:func:`hashtagcount.records.split_records`, faster for one-object lines."""
        record = one_record(line)
        if record is None:
            return stdlib_split_records(line)
        return [record], 0

    return split_records, one_record


_BUILT = _build()
_FAST = _BUILT[0] if _BUILT else None
_ONE_RECORD = _BUILT[1] if _BUILT else None


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
    return _FAST is not None


def fast_splitter() -> Optional[Splitter]:
    """The msgspec splitter if installed, else None (whatever the switch says)."""
    return _FAST


def best_splitter(prefer_fast: bool = True) -> Splitter:
    """The fast splitter if installed and wanted, else the stdlib one.

    ``HASHTAGCOUNT_JSON=stdlib`` in the environment always picks the stdlib.
    """
    if not prefer_fast or os.environ.get(ENVIRONMENT_SWITCH, "").lower() == "stdlib":
        return stdlib_split_records
    return _FAST or stdlib_split_records


def best_rule(case_sensitive: bool, exclude_retweets: bool, prefer_fast: bool = True) -> Optional[LineRule]:
    """:func:`fast_rule` if msgspec is installed and wanted, else None.

    ``HASHTAGCOUNT_JSON=stdlib`` in the environment always gives None.
    """
    if not prefer_fast or os.environ.get(ENVIRONMENT_SWITCH, "").lower() == "stdlib":
        return None
    return fast_rule(case_sensitive, exclude_retweets)


def splitter_name(split: Splitter) -> str:
    return "msgspec" if split is _FAST and _FAST is not None else "stdlib json"
