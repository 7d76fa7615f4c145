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

Faster still, :func:`best_rule` decodes a candidate line straight into
Structs holding only what the rule reads of a plain v1.1 tweet, and
applies the rule on them: see :func:`struct_rule` for why that is the rule
of ``hashtags.py`` and not a second one.
"""

import os
from typing import Any, Callable, List, Optional, Tuple, Union

from .hashtags import hashtag_key
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

    # Strict types: a plain v1.1 tweet or stream message decodes; any other shape fails to.
    class _PlainTag(Struct):
        text: str

    class _PlainEntities(Struct):
        hashtags: List[_PlainTag] = []

    class _PlainExtended(Struct):
        entities: Union[_PlainEntities, UnsetType] = UNSET

    class _PlainTweet(Struct):
        text: Union[Raw, UnsetType] = UNSET
        full_text: Union[Raw, UnsetType] = UNSET
        entities: Union[_PlainEntities, UnsetType] = UNSET
        truncated: Optional[bool] = None
        extended_tweet: Optional[_PlainExtended] = None
        retweeted_status: Optional["_PlainTweet"] = None
        data: Union[Raw, UnsetType] = UNSET


def struct_rule(case_sensitive: bool, exclude_retweets: bool) -> Optional[LineRule]:
    """:func:`~hashtagcount.hashtags.hashtags_of` of a one-record line, read from Structs; None to decline.

    Why this is the rule and not a second one: the Structs (``_Plain*``)
    admit exactly the records on which ``hashtags_of``'s v1.1 branch has no
    choice left but the ones below.  ``text``/``full_text``/``entities``
    present make a tweet; ``retweeted_status`` is an object or absent/null;
    ``truncated`` a bool or null; ``extended_tweet`` an object or
    absent/null, its ``entities`` an object or absent; ``entities`` an
    object or absent; ``hashtags`` a list or absent; each tag an object
    with a string ``text``.  Every ``isinstance`` test of ``hashtags_of``
    is thus decided by the types, leaving its field reads and the one
    per-tag function it calls, :func:`~hashtagcount.hashtags.hashtag_key`,
    which is shared.  Everything else (a ``data`` key, so possibly API v2;
    ``null`` entities; a tag without text; a field of another type; several
    records; bad UTF-8...) fails to decode or is declined (None), and goes
    the standard way: split_records, then hashtags_of.  The tests compare
    the two on real, generated and mutated records.  None without msgspec.
    """
    if msgspec is None:
        return None
    decode = msgspec.json.Decoder(_PlainTweet).decode
    failures = (msgspec.MsgspecError, UnicodeDecodeError, RecursionError, ValueError)

    def rule(line: bytes) -> Optional[Tuple[int, List[str]]]:
        try:
            record = decode(line)
        except failures:
            return None
        if record.data is not UNSET:
            return None
        if record.text is UNSET and record.full_text is UNSET and record.entities is UNSET:
            return 0, []
        source = record.retweeted_status
        if source is None:
            source = record
        elif exclude_retweets:
            return 1, []
        extended = source.extended_tweet
        if source.truncated and extended is not None and extended.entities is not UNSET:
            entities = extended.entities
        else:
            entities = source.entities
            if entities is UNSET:
                return 1, []
        keys = []
        for tag in entities.hashtags:
            key = hashtag_key(tag.text, case_sensitive)
            if key is not None:
                keys.append(key)
        return 1, keys

    return rule


def _build() -> Optional[Splitter]:
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

    def split_records(line: bytes) -> Tuple[List[Any], int]:
        """:func:`hashtagcount.records.split_records`, faster for one-object lines."""
        try:
            record = decode(line)
        except failures:
            return stdlib_split_records(line)
        return [as_dict(record)], 0

    return split_records


_FAST = _build()


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
    """The Struct-side rule (see :func:`struct_rule`) if msgspec is installed and wanted, else None.

    ``HASHTAGCOUNT_JSON=stdlib`` in the environment always gives None.
    """
    if not prefer_fast or os.environ.get(ENVIRONMENT_SWITCH, "").lower() == "stdlib":
        return None
    return struct_rule(case_sensitive, exclude_retweets)


def splitter_name(split: Splitter) -> str:
    return "msgspec" if split is _FAST and _FAST is not None else "stdlib json"
