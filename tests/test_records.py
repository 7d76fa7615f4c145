"""hashtagcount.records: framing (``split_records``) and the byte pre-check (``may_hold_hashtags``).

The pre-check lets ``mapper.py`` skip ~3/4 of real lines unparsed, so it
must never change a result.  The property tests re-encode real tweets (from
``../shared/data/tweets``) and generated v1.1/v2 records every way a
producer might (spaces after ``:``/``,``, raw UTF-8 or ``\\u`` escapes, any
key order, several records on one line) and compare the pre-checked
extraction with a full parse.
"""

import gzip
import json
import random
from typing import Any, List, Tuple

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hashtagcount.extract import Extractor
from hashtagcount.hashtags import hashtags_of
from hashtagcount.records import split_records, may_hold_hashtags
from pipeline import no_shared_tweets_reason, shared_tweet_files

PROPERTY = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# --- split_records: the framing rule, by example -----------------------------


def test_one_record_per_line_with_lf_or_crlf():
    assert split_records(b'{"a":1}\n') == ([{"a": 1}], 0)
    assert split_records(b'{"a":1}\r\n') == ([{"a": 1}], 0)


def test_last_line_without_newline():
    assert split_records(b'{"a":1}') == ([{"a": 1}], 0)


def test_records_back_to_back_as_firehose_writes_them():
    assert split_records(b'{"a":1}{"b":2}{"c":3}\r\n') == ([{"a": 1}, {"b": 2}, {"c": 3}], 0)


def test_records_separated_by_whitespace_on_one_line():
    assert split_records(b'{"a":1} {"b":2}\t{"c":3} \r\n') == ([{"a": 1}, {"b": 2}, {"c": 3}], 0)


def test_blank_lines_and_keep_alives_hold_nothing_and_are_not_malformed():
    assert split_records(b"\r\n") == ([], 0)
    assert split_records(b"   \n") == ([], 0)
    assert split_records(b"") == ([], 0)


def test_a_byte_order_mark_before_a_record_is_ignored():
    assert split_records(b'\xef\xbb\xbf{"a":1}\r\n') == ([{"a": 1}], 0)


def test_invalid_utf8_costs_the_character_not_the_record():
    records, malformed = split_records(b'{"text":"caf\xe9 \xff","entities":{}}\n')
    assert malformed == 0
    assert records == [{"text": "caf\ufffd \ufffd", "entities": {}}]


def test_garbage_is_one_malformed_piece():
    assert split_records(b"Traceback (most recent call last):\n") == ([], 1)
    assert split_records(b"<html>503 Service Unavailable</html>\r\n") == ([], 1)


def test_a_truncated_record_keeps_the_records_before_it():
    assert split_records(b'{"a":1}{"b":[1,2') == ([{"a": 1}], 1)


def test_after_a_bad_piece_the_rest_of_the_line_is_skipped():
    assert split_records(b'{"a":1}oops{"b":2}\n') == ([{"a": 1}], 1)


def test_the_next_line_starts_fresh():
    extractor = Extractor(validate=True)
    first = extractor.hashtags_in_line(b'{"text":"x","entities":{"hashtags":[{"text":"A"}]}}{"text":\n')
    second = extractor.hashtags_in_line(b'{"text":"y","entities":{"hashtags":[{"text":"B"}]}}\n')
    assert (first, second) == (["a"], ["b"])
    assert extractor.stats.malformed == 1


def test_deeply_nested_garbage_is_malformed_not_a_crash():
    assert split_records(b"[" * 100000) == ([], 1)
    assert split_records(b'{"a":1}' + b"[" * 100000 + b"\n") == ([{"a": 1}], 1)
    line = b'{"text":"x","entities":{"hashtags":[{"text":"deep"}]}}' + b'{"hashtags":[' * 50000
    for validate in (False, True):
        assert Extractor(validate=validate).hashtags_in_line(line) == ["deep"]


def test_raw_utf8_and_escapes_give_the_same_keys():
    tweet = {"text": "#İstanbul #東京 #güzellik 😂", "entities": {"hashtags": [
        {"text": "İstanbul", "indices": [0, 9]}, {"text": "東京", "indices": [10, 13]},
        {"text": "güzellik", "indices": [14, 23]}]}}
    escaped = json.dumps(tweet).encode("ascii")
    raw = json.dumps(tweet, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    assert b"\\u" in escaped and b"\\u" not in raw
    assert split_records(escaped) == split_records(raw) == ([tweet], 0)
    for line in (escaped, raw):
        assert Extractor().hashtags_in_line(line) == ["i\u0307stanbul", "東京", "güzellik"]


# --- may_hold_hashtags, by example --------------------------------------------


@pytest.mark.parametrize("line", [
    b'{"entities":{"hashtags":[{"text":"a"}]}}',
    b'{"entities": {"hashtags": [ {"text": "a"}]}}',
    b'{"entities":{"hashtags" :\t[\r{"text":"a"}]}}',
    b'{"entities":{"hashtags":[],"x":1},"extended_tweet":{"entities":{"hashtags":[{"text":"a"}]}}}',
])
def test_precheck_lets_through_any_non_empty_hashtags_array(line):
    assert may_hold_hashtags(line)


@pytest.mark.parametrize("line", [
    b'{"delete":{"status":{"id":1,"id_str":"1","user_id":2,"user_id_str":"2"}}}\r\n',
    b'{"text":"hi","entities":{"hashtags":[],"urls":[]}}\r\n',
    b'{"text":"hi","entities":{"hashtags": [ ],"urls":[]}}\n',
    b"\r\n",
])
def test_precheck_skips_lines_without_a_non_empty_hashtags_array(line):
    assert not may_hold_hashtags(line)


# --- properties: the pre-check never changes a result ------------------------


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


def check_line(records: List[Any], line: bytes, case_sensitive: bool = False, exclude_retweets: bool = False) -> None:
    """The pre-checked result equals the full parse, which equals the rule applied to ``records``."""
    fast = Extractor(case_sensitive, exclude_retweets, validate=False).hashtags_in_line(line)
    full = Extractor(case_sensitive, exclude_retweets, validate=True).hashtags_in_line(line)
    assert fast == full, line
    assert full == [k for r in records for k in hashtags_of(r, case_sensitive, exclude_retweets)[1]]
    if full:
        assert may_hold_hashtags(line)


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
    st.sampled_from(['"hashtags":[{"text":"x"}]', '"hashtags":[]', "hashtags", "#tag", '"hashtags": [ {']),
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


@PROPERTY
@given(lines_of_records(), encodings(), st.booleans(), st.booleans())
def test_precheck_never_changes_the_hashtags_of_generated_records(records, encoding, case_sensitive, exclude_retweets):
    check_line(records, encode_line(records, encoding), case_sensitive, exclude_retweets)


@PROPERTY
@given(st.lists(record, min_size=1, max_size=3), encodings())
def test_precheck_never_changes_the_hashtags_of_arbitrary_records(records, encoding):
    check_line(records, encode_line(records, encoding))


def real_sample() -> List[Tuple[Any, bytes]]:
    """~300 real stream lines, chosen deterministically: half with a hashtag somewhere, half without."""
    files = shared_tweet_files()
    if not files:
        pytest.skip(no_shared_tweets_reason())
    lines = []  # type: List[bytes]
    for path in files:
        with gzip.open(path, "rb") as f:
            lines.extend(f)
    rnd = random.Random(2017)
    tagged = [line for line in lines if b'"hashtags":[{' in line]
    plain = [line for line in lines if b'"hashtags":[{' not in line]
    chosen = rnd.sample(tagged, min(150, len(tagged))) + rnd.sample(plain, min(150, len(plain)))
    return [(json.loads(line), line) for line in chosen]


@pytest.fixture(scope="module")
def real():
    return real_sample()


def test_real_lines_as_they_are(real):
    for parsed, line in real:
        check_line([parsed], line)
        check_line([parsed], line, case_sensitive=True, exclude_retweets=True)
    assert sum(bool(Extractor().hashtags_in_line(line)) for _, line in real) >= 100


def test_real_tweets_reencoded_every_way(real):
    rnd = random.Random(7)
    for parsed, _ in real:
        for separators in SEPARATORS[:3]:
            for ensure_ascii in (True, False):
                for order in ("as-is", "sorted", "shuffled"):
                    check_line([parsed], encode_line([parsed], (separators, ensure_ascii, order, rnd, [""] * 4, "\r\n")))


@PROPERTY
@given(st.data(), encodings())
def test_precheck_never_changes_the_hashtags_of_real_tweets_on_one_line(real, data, encoding):
    chosen = data.draw(st.lists(st.sampled_from(real), min_size=1, max_size=3))
    records = [parsed for parsed, _ in chosen]
    check_line(records, encode_line(records, encoding))


# --- lines too long to hold: RecordStream, LinePrecheck ------------------------
#
# A line past long_line_bytes() (Firehose without newlines writes a whole
# object as one line) is fed a chunk at a time.  Whatever the line and
# however it is cut, the streamed result must be exactly the whole-line one.

import io  # noqa: E402

from hashtagcount.records import (  # noqa: E402
    BOM, LinePrecheck, RecordStream, looks_like_records, iter_lines,
)


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


def streamed(chunks: List[bytes]) -> Tuple[List[Any], int]:
    stream = RecordStream()
    records = []
    for chunk in chunks:
        records.extend(stream.feed(chunk))
    records.extend(stream.close())
    return records, stream.malformed


@PROPERTY
@given(long_lines(), st.data())
def test_streamed_records_are_split_records_however_the_line_is_cut(line, data):
    chunks = cut(data, line)
    got, malformed = streamed(chunks)
    expected, expected_malformed = split_records(line)
    assert (repr(got), malformed) == (repr(expected), expected_malformed)  # repr: NaN == NaN


@PROPERTY
@given(long_lines(), st.data())
def test_streamed_precheck_is_the_line_precheck_however_the_line_is_cut(line, data):
    check = LinePrecheck()
    for chunk in cut(data, line):
        check.feed(chunk)
    assert check.may_hold_hashtags == may_hold_hashtags(line)
    assert check.looks_like_records == looks_like_records(line)
    assert check.blank == (not line.strip())


def long_line_result(extractor: Extractor, chunks: List[bytes]) -> List[str]:
    return [key for keys in extractor.hashtags_in_long_line(iter(chunks)) for key in keys]


@PROPERTY
@given(long_lines(), st.data(), st.booleans(), st.booleans())
def test_a_streamed_line_counts_as_the_whole_line(line, data, validate, exclude_retweets):
    chunks = cut(data, line)
    whole, streaming = Extractor(validate=validate, exclude_retweets=exclude_retweets), Extractor(
        validate=validate, exclude_retweets=exclude_retweets)
    assert long_line_result(streaming, chunks) == whole.hashtags_in_line(line)
    assert streaming.stats.counters() == whole.stats.counters()


@pytest.mark.parametrize("chunk", [1, 2, 3, 7, 1000])
def test_streamed_examples_at_every_cut(chunk):
    lines = [
        BOM + b'{"a":"\xc3\xa9\xe2\x82\xac\xf0\x9f\x94\xa5"}{"b":[1.5e3,-2,null]} 12 3.25'
        b'\x1e{"c":"\\ud83d\\ude00"}{bad\r\n',
        b'{"a":1}{"b":2' + b" " * 100,  # a record cut by the end of the line
        b'{"text":"' + "\u00e9".encode("utf-8") * 300 + b'"}{"b":1}',  # a long string cut by chunks
        b'1234567890123 "unterminated',
        b"[" * 5000,  # deeper than the recursion limit
    ]
    for line in lines:
        pieces = [line[i:i + chunk] for i in range(0, len(line), chunk)]
        assert repr(streamed(pieces)) == repr(split_records(line))


def test_a_malformed_piece_early_in_a_long_line_is_not_held():
    stream = RecordStream()
    stream.feed(b'{"a":1}{oops' + b" " * 1000)
    for _ in range(100):
        assert stream.feed(b'{"x":1}' * 1000) == []
    assert stream.malformed == 1
    assert stream._text == ""  # what follows a malformed piece is dropped, not buffered


# --- iter_lines: the one line reader (stdin, files, S3 objects, byte ranges) --------


def lines_of(data: bytes, chunk: int):
    return [line for batch in iter_lines(io.BytesIO(data), chunk_size=chunk) for line in batch]


def test_iter_lines_gives_the_lines_of_a_file():
    chunk = 7  # many chunk boundaries inside lines
    data = b"a\r\nbb\n\n" + b"c" * 30 + b"\nlast without newline"
    assert lines_of(data, chunk) == [b"a\r", b"bb", b"", b"c" * 30, b"last without newline"]
    assert lines_of(b"", chunk) == []
    assert lines_of(b"\n", chunk) == [b""]


def test_byte_ranges_partition_the_lines_whatever_the_cut_points():
    """Like Hadoop splits: each line is read once, by the range holding its first byte."""
    chunk = 5
    rnd = random.Random(7)
    data = b"".join(b"x" * rnd.randrange(0, 12) + rnd.choice([b"\n", b"\r\n"]) for _ in range(60)) + b"tail"
    whole = lines_of(data, chunk)
    for _ in range(200):
        cuts = sorted(rnd.sample(range(1, len(data)), rnd.randrange(1, 6)))
        got = []
        for start, end in zip([0] + cuts, cuts + [len(data)]):
            offset = start - 1 if start else 0
            stream = io.BytesIO(data[offset:])
            got.extend(line for batch in iter_lines(stream, bool(start), end - offset, chunk_size=chunk) for line in batch)
        assert got == whole, cuts


class _Metered(io.BytesIO):
    def __init__(self, data):
        super().__init__(data)
        self.delivered = 0

    def read(self, size=-1):
        data = super().read(size)
        self.delivered += len(data)
        return data


def test_a_range_inside_one_huge_line_reads_little_and_keeps_nothing():
    """Firehose objects written without newlines are one line: only the first range reads it."""
    chunk = 100
    data = b"{}" * 50000 + b"\nlast"
    stream = _Metered(data[999:])
    assert [line for batch in iter_lines(stream, True, 2000, chunk_size=chunk) for line in batch] == []
    assert stream.delivered <= 2100


def flat(batches):
    """Every line of ``iter_lines`` batches as bytes, a long line's chunks joined as they are read."""
    return [line if isinstance(line, bytes) else b"".join(line) for batch in batches for line in batch]


def test_iter_lines_hands_over_long_lines_as_chunks_read_as_consumed():
    chunk = 10
    data = b"short\n" + b"L" * 95 + b"\r\nnext\n" + b"T" * 40
    stream = _Metered(data)
    batches = iter_lines(stream, long_line=30, chunk_size=chunk)
    assert next(batches) == [b"short"]
    (line,) = next(batches)
    assert next(line) == b"L" * 4 and stream.delivered <= 6 + 30 + 10  # held: the threshold and a chunk
    assert flat(batches) == [b"next", b"T" * 40]  # the rest of the long line is skipped unread


def test_byte_ranges_partition_lines_long_and_short_whatever_the_cut_points():
    chunk = 5
    rnd = random.Random(11)
    data = b"".join(b"x" * rnd.choice([0, 3, 11, 40, 90]) + rnd.choice([b"\n", b"\r\n"]) for _ in range(60)) + b"y" * 50
    whole = flat(iter_lines(io.BytesIO(data), long_line=10**9, chunk_size=chunk))
    assert flat(iter_lines(io.BytesIO(data), long_line=16, chunk_size=chunk)) == whole
    for _ in range(200):
        cuts = sorted(rnd.sample(range(1, len(data)), rnd.randrange(1, 8)))
        got = []
        for start, end in zip([0] + cuts, cuts + [len(data)]):
            offset = start - 1 if start else 0
            got.extend(flat(iter_lines(io.BytesIO(data[offset:]), bool(start), end - offset, long_line=16, chunk_size=chunk)))
        assert got == whole, cuts
