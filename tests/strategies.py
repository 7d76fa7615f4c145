"""Hypothesis strategies for tweet lines: the records producers write, and every way they encode them.

Shared by the tests of the pre-check, the framing and the extractor, so
"a generated line" means the same thing in each.
"""

import json
import random
from typing import Any, List

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from hashtagcount.precheck import BOM

PROPERTY = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def reorder(value: Any, rnd: random.Random) -> Any:
    """The same JSON value with every object's keys in a random order."""
    if isinstance(value, dict):
        items = list(value.items())
        rnd.shuffle(items)
        return {k: reorder(v, rnd) for k, v in items}
    if isinstance(value, list):
        return [reorder(v, rnd) for v in value]
    return value


SEPARATORS = [(",", ":"), (", ", ": "), (",", ": "), (" , ", " : "), ("\t,", ":\t")]
GAPS = ["", " ", "\t", "  ", "\r", " \t "]
ENDINGS = ["", "\n", "\r\n", " \r\n"]


@st.composite
def encodings(draw):
    """How a producer might serialise records: (separators, ensure_ascii, key order, gaps, ending)."""
    return (
        draw(st.sampled_from(SEPARATORS)),
        draw(st.booleans()),
        draw(st.sampled_from(["as-is", "sorted", "shuffled"])),
        draw(st.randoms(use_true_random=False)),
        draw(st.lists(st.sampled_from(GAPS), min_size=4, max_size=4)),
        draw(st.sampled_from(ENDINGS)),
    )


def encode_line(records: List[Any], encoding) -> bytes:
    separators, ensure_ascii, order, rnd, gaps, ending = encoding
    parts = []
    for gap, record in zip(gaps, records):  # at most 4 records a line
        if order == "shuffled":
            record = reorder(record, rnd)
        text = json.dumps(record, separators=separators, ensure_ascii=ensure_ascii, sort_keys=order == "sorted")
        parts.append(gap + text)
    return ("".join(parts) + ending).encode("utf-8")


# Hashtag texts: mostly ordinary, but also anything at all (empty, blank,
# tabs, newlines, characters outside the BMP) and values that are not strings.
tag_text = st.one_of(
    st.sampled_from(["Rust", "rust", "RUST", "güzellik", "İstanbul", "東京", "방탄소년단", "عاجل"]),
    st.text(min_size=1, max_size=12),
    st.text(max_size=3),
)
odd_value = st.one_of(st.none(), st.integers(), st.text(max_size=5), st.lists(st.integers(), max_size=2))
# Strings that look like the pre-check's target, in places that do not count.
sneaky = st.one_of(
    st.text(max_size=30),
    st.sampled_from(['"hashtags":[{"text":"x"}]', '"hashtags":[]', "hashtags", "#tag", '"hashtags": [ {', "}{", '"}{"']),
)
indices = st.lists(st.integers(0, 280), min_size=2, max_size=2)


def entities(field: str, tag_fields):
    """``entities`` objects: usually a hashtags array of tag objects, sometimes odd or absent."""
    tag = st.fixed_dictionaries({field: tag_text}, optional=tag_fields)
    tags = st.lists(st.one_of(tag, tag, tag, odd_value), min_size=1, max_size=4)
    usual = st.fixed_dictionaries(
        {"hashtags": st.one_of(tags, tags, tags, st.just([]), odd_value)},
        optional={"urls": st.just([]), "user_mentions": st.just([]), "symbols": st.just([])},
    )
    odd = st.fixed_dictionaries({}, optional={"urls": st.just([]), "description": sneaky})
    return st.one_of(usual, usual, usual, odd, odd_value)


v1_entities = entities("text", {"indices": indices})
user = st.fixed_dictionaries({"id": st.integers(0, 2**63), "screen_name": st.text(max_size=8), "description": sneaky})


def v1_status(**extra):
    """v1.1 statuses: mostly with ``text`` and ``entities``; some with neither (not tweets)."""
    optional = dict({
        "user": user, "truncated": st.booleans(), "lang": st.sampled_from(["en", "ja", "tr", "und"]),
        "extended_tweet": st.fixed_dictionaries({"full_text": sneaky}, optional={"entities": v1_entities}),
    }, **extra)
    usual = st.fixed_dictionaries(
        {"created_at": st.just("Wed Feb 01 00:18:15 +0000 2017"), "text": sneaky, "entities": v1_entities},
        optional=optional,
    )
    sparse = st.fixed_dictionaries(
        {}, optional=dict(optional, text=sneaky, full_text=sneaky, entities=v1_entities),
    )
    return st.one_of(usual, usual, usual, sparse)


v1_original = v1_status()
v1_quote = v1_status(quoted_status=v1_original)
v1_tweet = v1_status(retweeted_status=st.one_of(v1_original, v1_quote), quoted_status=v1_original)

v2_entities = entities("tag", {"start": st.integers(0, 280), "end": st.integers(0, 280)})
tweet_ids = st.sampled_from(["1", "2", "3"])
v2_tweet = st.fixed_dictionaries(
    {"id": tweet_ids, "text": sneaky, "entities": v2_entities},
    optional={
        "note_tweet": st.fixed_dictionaries({"text": sneaky}, optional={"entities": v2_entities}),
        "referenced_tweets": st.lists(st.fixed_dictionaries({
            "type": st.sampled_from(["retweeted", "quoted", "replied_to"]), "id": tweet_ids}), max_size=2),
    },
)
v2_line = st.fixed_dictionaries(
    {"data": st.one_of(v2_tweet, st.lists(v2_tweet, max_size=3))},
    optional={"includes": st.fixed_dictionaries({}, optional={"tweets": st.lists(v2_tweet, max_size=3)}),
              "matching_rules": st.just([{"id": "1", "tag": "hashtags"}])},
)
stream_message = st.one_of(
    st.fixed_dictionaries({"delete": st.fixed_dictionaries({"status": st.fixed_dictionaries(
        {"id": st.integers(0, 2**63), "user_id": st.integers(0, 2**40)})}, optional={"timestamp_ms": st.just("1")})}),
    st.fixed_dictionaries({"limit": st.fixed_dictionaries({"track": st.integers(0, 10**6)})}),
    st.fixed_dictionaries({"warning": st.fixed_dictionaries({"code": st.just("FALLING_BEHIND"), "message": sneaky})}),
)
any_json = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=8)),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(
        st.one_of(st.text(max_size=8), st.sampled_from(["hashtags", "entities", "data", "text"])), inner, max_size=3)),
    max_leaves=10,
)
record = st.one_of(v1_tweet, v2_line, stream_message, any_json)


def tagged_entities(field: str, tag_fields):
    tag = st.fixed_dictionaries({field: tag_text}, optional=tag_fields)
    around = st.lists(st.one_of(tag, odd_value), max_size=2)
    hashtags = st.tuples(around, tag, around).map(lambda parts: parts[0] + [parts[1]] + parts[2])
    return st.fixed_dictionaries(
        {"hashtags": hashtags},
        optional={"urls": st.just([]), "user_mentions": st.just([])},
    )


# Records sure to hold hashtags where the rule looks: an original tweet, a
# truncated one (tags in extended_tweet), a retweet of either, a v2 tweet.
tagged_v1_original = st.fixed_dictionaries(
    {"text": sneaky, "entities": tagged_entities("text", {"indices": indices})},
    optional={"user": user, "truncated": st.just(False), "quoted_status": v1_original},
)
tagged_v1_extended = st.fixed_dictionaries(
    {"text": sneaky, "truncated": st.just(True), "entities": v1_entities,
     "extended_tweet": st.fixed_dictionaries(
         {"full_text": sneaky, "entities": tagged_entities("text", {"indices": indices})})},
    optional={"user": user, "quoted_status": v1_original},
)
tagged_v1_retweet = st.fixed_dictionaries(
    {"text": sneaky, "entities": v1_entities, "retweeted_status": st.one_of(tagged_v1_original, tagged_v1_extended)},
    optional={"user": user},
)
tagged_v2 = st.fixed_dictionaries(
    {"data": st.fixed_dictionaries(
        {"id": tweet_ids, "text": sneaky, "entities": tagged_entities("tag", {"start": st.integers(0, 280)})})},
    optional={"includes": st.fixed_dictionaries({"tweets": st.lists(v2_tweet, max_size=2)})},
)
tagged = st.one_of(tagged_v1_original, tagged_v1_extended, tagged_v1_retweet, tagged_v2)


@st.composite
def lines_of_records(draw):
    """1-4 records, at least one of them sure to hold hashtags, in any order."""
    records = draw(st.lists(record, max_size=3))
    records.insert(draw(st.integers(0, len(records))), draw(tagged))
    return records


# --- lines too long to hold, and the chunks they arrive in -------------------


def encoded(value: Any, ensure_ascii: bool) -> bytes:
    return json.dumps(value, ensure_ascii=ensure_ascii).encode("utf-8")


@st.composite
def long_line_pieces(draw):
    """One piece of a line: a record, a cut-off record, a gap, a BOM, a number or garbage."""
    kind = draw(st.sampled_from(["record", "record", "tagged", "truncated", "gap", "bom", "scalar", "garbage"]))
    if kind in ("record", "tagged", "truncated"):
        data = encoded(draw(tagged if kind == "tagged" else record), draw(st.booleans()))
        if kind == "truncated":
            data = data[:draw(st.integers(0, len(data)))]  # may cut a multi-byte character
        return data
    if kind == "gap":
        return b"".join(draw(st.lists(st.sampled_from([b" ", b"\t", b"\r", b"\x1e", b"\xe3\x80\x80"]), max_size=3)))
    if kind == "bom":
        return BOM
    if kind == "scalar":
        return draw(st.sampled_from(
            [b"12", b"-3.5e+2", b"0", b"true", b"null", b'"\xc3\xa9\\u00e9"', b"NaN", b"-Infinity"]))
    return draw(st.binary(max_size=6))


@st.composite
def long_lines(draw):
    line = b"".join(draw(st.lists(long_line_pieces(), max_size=8)))
    return line + draw(st.sampled_from([b"", b"\n", b"\r\n", b"\r"]))


def cut(data, line: bytes) -> List[bytes]:
    """``line`` in chunks at arbitrary points (one-byte chunks included)."""
    points = sorted(data.draw(st.lists(st.integers(0, len(line)), max_size=12)))
    return [line[a:b] for a, b in zip([0] + points, points + [len(line)])]
