"""The counting rule: which hashtags a decoded record contributes.

Stage three of the data path (read bytes -> split records -> **extract
hashtags** -> count -> merge -> rank -> present).  This is the one place
the rule lives; ``mapper.py``, the mrjob job and the local engine all call
:func:`hashtags_of`.
"""

import re
from typing import Any, Callable, List, Optional, Tuple

_LINE_BREAKS = {9: " ", 10: " ", 13: " "}


def add_counting_options(add_argument: Callable[..., Any]) -> None:
    """Declare the rule's options, ``--case-sensitive`` and ``--exclude-retweets``.

    Takes an ``add_argument`` (argparse's, or mrjob's ``add_passthru_arg``)
    so that every engine spells and explains them the same way.
    """
    add_argument(
        "--case-sensitive", action="store_true",
        help="keep each hashtag's case (default: count #Rust and #rust together)",
    )
    add_argument(
        "--exclude-retweets", action="store_true",
        help="count only original tweets and quotes, not retweets",
    )
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def hashtag_key(text: Any, case_sensitive: bool = False) -> Optional[str]:
    """The counting key of one hashtag ``text``, or None if there is none.

    Keys are ``str.lower()`` of the text (no ``#``: Twitter never includes
    it).  Tab, LF and CR become spaces so a key can never break the
    ``key<TAB>count`` line format; lone UTF-16 surrogates (an emoji cut in
    half) become U+FFFD so every key encodes as UTF-8.
    """
    if not isinstance(text, str):
        return None
    if not case_sensitive:
        text = text.lower()
    if "\t" in text or "\n" in text or "\r" in text:
        text = text.translate(_LINE_BREAKS)
    if not text.isascii():
        text = _LONE_SURROGATE.sub("\ufffd", text)
    return text if text.strip() else None


def _keys(entities: Any, field: str, case_sensitive: bool) -> List[str]:
    if not isinstance(entities, dict):
        return []
    tags = entities.get("hashtags")
    if not isinstance(tags, list):
        return []
    keys = []
    for tag in tags:
        if isinstance(tag, dict):
            key = hashtag_key(tag.get(field), case_sensitive)
            if key is not None:
                keys.append(key)
    return keys


def _v1_entities(tweet: dict) -> Any:
    extended = tweet.get("extended_tweet")
    if tweet.get("truncated") and isinstance(extended, dict) and "entities" in extended:
        return extended["entities"]
    return tweet.get("entities")


def _v2_entities(tweet: dict) -> Any:
    note = tweet.get("note_tweet")
    if isinstance(note, dict) and "entities" in note:
        return note["entities"]
    return tweet.get("entities")


def _v2_retweeted_id(tweet: dict) -> Any:
    for ref in tweet.get("referenced_tweets") or ():
        if isinstance(ref, dict) and ref.get("type") == "retweeted":
            return ref.get("id")
    return None


def hashtags_of(
    record: Any, case_sensitive: bool = False, exclude_retweets: bool = False
) -> Tuple[int, List[str]]:
    """Return ``(tweets, keys)``: how many tweets ``record`` holds and their hashtag keys.

    API v1.1 tweet (has ``text``, ``full_text`` or ``entities``): the source
    is ``retweeted_status`` if present, else the tweet, because a retweet's
    own text is cut after ``RT @user: ``.  If the source is ``truncated``
    and has ``extended_tweet``, its ``extended_tweet.entities.hashtags``
    hold the tags past the 140-character cut; otherwise ``entities.hashtags``.
    ``quoted_status`` is never counted: it is another person's tweet.

    API v2 line (``{"data": tweet or [tweets], "includes": {...}}``): each
    tweet's ``entities.hashtags[].tag`` (``note_tweet.entities`` for long
    tweets, as ``extended_tweet`` in v1.1); a retweet whose original is in
    ``includes.tweets`` uses the original's entities.

    Anything else (``delete``, ``limit``, ``warning``... stream messages,
    JSON that is not an object) holds no tweet.  Occurrences count: a tag
    twice in one tweet gives its key twice.  ``exclude_retweets`` drops
    retweets (they still count as tweets).
    """
    if not isinstance(record, dict):
        return 0, []
    data = record.get("data")
    if isinstance(data, (dict, list)):
        return _v2_hashtags(record, data, case_sensitive, exclude_retweets)
    if "text" not in record and "full_text" not in record and "entities" not in record:
        return 0, []
    source = record.get("retweeted_status")
    if isinstance(source, dict):
        if exclude_retweets:
            return 1, []
    else:
        source = record
    return 1, _keys(_v1_entities(source), "text", case_sensitive)


def _v2_hashtags(
    record: dict, data: Any, case_sensitive: bool, exclude_retweets: bool
) -> Tuple[int, List[str]]:
    tweets = [t for t in (data if isinstance(data, list) else [data]) if isinstance(t, dict)]
    includes = record.get("includes")
    included = includes.get("tweets") if isinstance(includes, dict) else None
    originals = {}
    if isinstance(included, list):
        originals = {t.get("id"): t for t in included if isinstance(t, dict)}
    keys = []
    for tweet in tweets:
        retweeted_id = _v2_retweeted_id(tweet)
        source = tweet
        if retweeted_id is not None:
            if exclude_retweets:
                continue
            source = originals.get(retweeted_id, tweet)
        keys.extend(_keys(_v2_entities(source), "tag", case_sensitive))
    return len(tweets), keys
