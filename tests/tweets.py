"""Tweet records for tests: one builder, one way to write them as JSON lines, one reference count.

Every test module that makes up tweets builds them here, so "a tweet
carrying #rust" means the same record everywhere: an API v1.1 tweet with
the tags in ``entities.hashtags``, written as compact JSON (what the
pre-check reads fastest, and what the stream and Firehose write).
"""

import io
import json
from collections import Counter
from typing import Any

from hashtagcount.extract import Extractor


def tweet(*tags: str, **fields: Any) -> dict:
    """A minimal API v1.1 tweet with ``tags`` in ``entities.hashtags``.

    ``fields`` are added or replace the defaults: ``retweeted_status=``,
    ``quoted_status=``, ``truncated=``, ``extended_tweet=``, ``text=``...
    """
    record = {"text": "t", "entities": {"hashtags": [{"text": tag, "indices": [0, 1]} for tag in tags]}}
    record.update(fields)
    return record


def retweet(*tags: str, **fields: Any) -> dict:
    """A retweet of a tweet carrying ``tags``; its own entities are empty, cut after "RT @user: "."""
    return tweet(text="RT", retweeted_status=tweet(*tags), **fields)


def json_text(*records: Any, ascii: bool = False) -> str:
    """``records`` as compact JSON, back to back (``}{``, as Firehose writes them) when there are several.

    ``ascii`` escapes every non-ASCII character (``\\u00e9``), as
    ``json.dumps`` does by default; otherwise characters stay as they are.
    """
    return "".join(json.dumps(r, separators=(",", ":"), ensure_ascii=ascii) for r in records)


def json_line(*records: Any, end: bytes = b"\n", ascii: bool = False) -> bytes:
    """One UTF-8 line of ``records`` (see :func:`json_text`) ended by ``end``."""
    return json_text(*records, ascii=ascii).encode("utf-8") + end


def tweet_json(*tags: str, **fields: Any) -> str:
    """``tweet(*tags, **fields)`` as compact JSON text, for tests that build lines as ``str``."""
    return json_text(tweet(*tags, **fields))


def tweet_lines(*tags: str) -> bytes:
    """One tweet line per tag."""
    return b"".join(json_line(tweet(tag)) for tag in tags)


def expected_counts(data: bytes, **options: Any) -> Counter:
    """What mapper.py's extractor counts reading ``data`` line by line."""
    extractor = Extractor(**options)
    counts = Counter()  # type: Counter
    for line in io.BytesIO(data):
        counts.update(extractor.hashtags_in_line(line))
    return counts
