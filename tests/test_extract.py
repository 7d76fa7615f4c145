"""Extractor: from raw lines to keys, with honest counts of what was seen."""

import json
from typing import List

from hypothesis import given
from hypothesis import strategies as st

import pytest

from hashtagcount import fastjson
from hashtagcount.extract import Extractor, Stats, _CutRecords, junk_verdict, junk_warning
from strategies import PROPERTY, cut, long_lines

TWEET = json.dumps({"id_str": "1", "text": "#A #b", "entities": {"hashtags": [{"text": "A"}, {"text": "b"}]}})
PLAIN = json.dumps({"id_str": "2", "text": "no tags", "entities": {"hashtags": []}})
DELETE = json.dumps({"delete": {"status": {"id": 1, "id_str": "1"}}})


def lines(*texts):
    return [t.encode("utf-8") + b"\r\n" for t in texts]


def run(extractor, raw_lines):
    return [key for line in raw_lines for key in extractor.hashtags_in_line(line)]


def test_counts_keys_and_records():
    extractor = Extractor(validate=True)
    keys = run(extractor, lines(TWEET, PLAIN, DELETE, "", "{broken"))
    assert keys == ["a", "b"]
    assert extractor.stats.counters() == {
        "lines": 5, "lines skipped by pre-check": 0, "records parsed": 3, "tweets": 2,
        "non-tweet messages": 1, "malformed pieces": 1, "hashtags": 2,
    }


def test_the_pre_check_skips_lines_without_hashtags_but_still_spots_garbage():
    extractor = Extractor()
    keys = run(extractor, lines(TWEET, PLAIN, DELETE, "", "{broken", "not json at all"))
    assert keys == ["a", "b"]
    counters = extractor.stats.counters()
    assert counters["lines skipped by pre-check"] == 2       # PLAIN and DELETE
    assert counters["records parsed"] == 1
    assert counters["malformed pieces"] == 2


def test_several_records_on_one_line_and_a_malformed_tail():
    extractor = Extractor()
    line = (TWEET + TWEET + " " + TWEET + '{"text": "cut').encode()
    assert extractor.hashtags_in_line(line) == ["a", "b"] * 3
    assert extractor.stats.records == 3 and extractor.stats.malformed == 1


def test_options_reach_the_rule():
    retweet = json.dumps({"text": "RT", "entities": {}, "retweeted_status": json.loads(TWEET)})
    assert run(Extractor(case_sensitive=True), lines(TWEET)) == ["A", "b"]
    assert run(Extractor(exclude_retweets=True), lines(retweet, TWEET)) == ["a", "b"]


def test_stats_add_up_across_workers():
    one, two = Extractor(), Extractor()
    run(one, lines(TWEET))
    run(two, lines(TWEET, "junk"))
    total = Stats()
    total.add(one.stats)
    total.add(two.stats)
    assert (total.lines, total.hashtags, total.malformed) == (3, 4, 1)
    assert "1 malformed piece(s) in 3 lines" in total.summary("x")


# --- a line too long to hold, fed in chunks ------------------------------------


def in_chunks(line: bytes, size: int):
    return (line[i:i + size] for i in range(0, len(line), size))


def long_line(extractor: Extractor, chunks):
    """The extractor's batches of keys for one line too long to hold, handed over as the line reader does."""
    return extractor.keys_of_lines([[iter(chunks)]])


def streaming_extractors(case_sensitive=False, exclude_retweets=False, validate=False):
    """Extractors for a streamed line: the stdlib one, and with msgspec's rule (cutting at ``}{``) if installed."""
    extractors = [Extractor(case_sensitive, exclude_retweets, validate)]
    rule = fastjson.fast_rule(case_sensitive, exclude_retweets)
    if rule is not None:
        extractors.append(Extractor(case_sensitive, exclude_retweets, validate, one_record=rule))
    return extractors


def both_ways(line: bytes, size: int, **options):
    """(keys, counters) of ``line`` whole and streamed in ``size``-byte chunks (the same by every extractor)."""
    whole = Extractor(**options)
    keys = whole.hashtags_in_line(line)
    results = set()
    for streamed in streaming_extractors(**options):
        streamed_keys = [k for batch in long_line(streamed, in_chunks(line, size)) for k in batch]
        results.add((tuple(streamed_keys), tuple(streamed.stats.counters().items())))
    assert len(results) == 1
    streamed_keys, counters = results.pop()
    return (keys, whole.stats.counters()), (list(streamed_keys), dict(counters))


FIREHOSE = (TWEET + PLAIN + DELETE) * 20  # back to back, as Firehose writes them


def test_a_long_line_counts_as_the_same_line_whole():
    for validate in (False, True):
        for size in (1, 5, 64, 10000):
            whole, streamed = both_ways(FIREHOSE.encode() + b"\r\n", size, validate=validate)
            assert streamed == whole
            assert streamed[0] == ["a", "b"] * 20


def test_a_long_line_without_hashtags_is_skipped_as_a_whole_line_is():
    for line in ((PLAIN + DELETE) * 50, (PLAIN + "garbage") * 50, " \t "):
        whole, streamed = both_ways(line.encode(), 7)
        assert streamed == whole
        (_, validated) = both_ways(line.encode(), 7, validate=True)[1]
        assert validated["records parsed"] > 0 or not line.strip()


def test_a_malformed_tail_of_a_long_line_is_one_piece():
    line = (TWEET * 10 + '{"text": "cut' + TWEET * 10).encode()
    whole, streamed = both_ways(line, 16, validate=True)
    assert streamed == whole
    assert streamed[1]["malformed pieces"] == 1 and streamed[1]["records parsed"] == 10


BRACES = json.dumps({"text": "}{ #x", "entities": {"hashtags": [{"text": "}{"}, {"text": "x}{y"}]}})


@pytest.mark.parametrize("line", [
    (TWEET + BRACES + PLAIN) * 5,  # "}{" inside strings: not where records meet
    BRACES * 12,  # more such cuts in a row than are tried before streaming the rest
    TWEET + " " + TWEET + "\x1e" + TWEET + "\ufeff" + TWEET,  # gaps where records meet
    TWEET * 3 + "{}{" + TWEET,  # an unfinished record, then good ones: the rest is one malformed piece
    TWEET * 3 + "17" + TWEET + "null" + TWEET,  # scalars between records
    TWEET * 3 + '{"a": NaN}' + TWEET,  # what only the standard library decodes
    "\ufeff" + TWEET * 3,
])
def test_records_cut_at_braces_count_as_the_stream_does(line, monkeypatch):
    for max_piece in (4 << 20, 100):  # a piece longer than MAX_PIECE streams the rest
        monkeypatch.setattr(_CutRecords, "MAX_PIECE", max_piece)
        for validate in (False, True):
            for size in (3, 64, 100000):
                whole, streamed = both_ways(line.encode() + b"\r", size, validate=validate)
                assert streamed == whole


@pytest.mark.skipif(fastjson.fast_rule(False, False) is None, reason="msgspec (the fast extra) is not installed")
@pytest.mark.parametrize("line", [FIREHOSE, (TWEET + BRACES + PLAIN) * 5, TWEET * 3 + "{}{" + TWEET, TWEET + " " + TWEET])
def test_a_whole_line_of_records_back_to_back_counts_the_same_when_cut(line):
    plain = Extractor()
    cutting = Extractor(one_record=fastjson.fast_rule(False, False))
    assert cutting.hashtags_in_line(line.encode()) == plain.hashtags_in_line(line.encode())
    assert cutting.stats.counters() == plain.stats.counters()


def test_keys_of_a_long_line_come_while_it_is_read():
    extractor = Extractor()
    batches = long_line(extractor, in_chunks((TWEET * 1000).encode(), 4096))
    assert next(batches) and extractor.stats.lines == 0  # counted when the line ends
    for _ in batches:
        pass
    assert extractor.stats.lines == 1 and extractor.stats.hashtags == 2000


def long_line_result(extractor: Extractor, chunks: List[bytes]) -> List[str]:
    return [key for keys in long_line(extractor, chunks) for key in keys]


@PROPERTY
@given(long_lines(), st.data(), st.booleans(), st.booleans())
def test_a_streamed_line_counts_as_the_whole_line(line, data, validate, exclude_retweets):
    chunks = cut(data, line)
    whole = Extractor(validate=validate, exclude_retweets=exclude_retweets)
    keys = whole.hashtags_in_line(line)
    for streaming in streaming_extractors(False, exclude_retweets, validate):
        assert long_line_result(streaming, chunks) == keys
        assert streaming.stats.counters() == whole.stats.counters()


def test_keys_of_lines_takes_whole_and_streamed_lines_alike():
    batches = [[TWEET.encode(), PLAIN.encode()], [iter([TWEET[:9].encode(), TWEET[9:].encode()])], [b"junk"]]
    streamed = Extractor()
    whole = Extractor()
    assert [k for keys in streamed.keys_of_lines(batches) for k in keys] == run(whole, lines(TWEET, PLAIN, TWEET, "junk"))
    assert streamed.stats.counters() == whole.stats.counters()


def counted(**counts):
    made = Stats()
    for name, value in counts.items():
        setattr(made, name, value)
    return made


def test_junk_is_no_record_at_all_or_mostly_malformed():
    assert junk_verdict(counted(lines=412, malformed=409)) == "412 lines, no JSON record"
    assert junk_verdict(counted(lines=10, records=4, malformed=6)) == "6 malformed piece(s) in 10 lines"
    assert junk_verdict(counted(lines=10, records=9, malformed=1)) is None
    assert junk_verdict(counted(lines=10, skipped=10)) is None  # delete messages: records the pre-check skipped
    assert junk_verdict(counted()) is None
    assert junk_warning("stdin", counted(lines=3, malformed=3)) == "stdin: 3 lines, no JSON record: is this tweet data?"
    assert junk_warning("ok.json", counted(lines=3, records=3)) is None
