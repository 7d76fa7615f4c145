"""The msgspec fast paths give exactly what split_records and hashtags_of give.

Compared through the Extractor (hashtags AND every stats counter), on
framing edge cases, on random damage to real lines, on real stream data
and on the benchmark corpus; the fast rule (best_rule) also record
by record against hashtags_of, on generated records and their mutations.
"""

import gzip
import itertools
import json
import random
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hashtagcount import fastjson
from hashtagcount.extract import Extractor
from hashtagcount.hashtags import hashtags_of
from hashtagcount.records import split_records
from strategies import PROPERTY, encodings, encode_line, indices, record, sneaky, tag_text, user

pytestmark = pytest.mark.skipif(not fastjson.available(), reason="msgspec (the 'fast' extra) is not installed")

REPO = Path(__file__).resolve().parents[1]
OPTIONS = list(itertools.product([False, True], repeat=3))  # case_sensitive, exclude_retweets, validate

T = b'{"text":"x","entities":{"hashtags":[{"text":"Tag"}]}}'
EDGE_CASES = [
    b"", b"\r\n", b"   ", T, T + b"\r\n", T + T, T + b" " + T, T + b"\n",
    b"\xef\xbb\xbf" + T, b"\x1e" + T, T + b"\x1e", b"\x0b" + T, T[:-3],
    b'{"text":"x","entities":{"hashtags":[{"text":"Tag"}]},}',
    b'{"text":"x","entities":{"hashtags":[{"text":"\xff\xfe"}]}}',  # invalid UTF-8 in a tag
    b'{"text":"\xff","entities":{"hashtags":[{"text":"ok"}]}}',  # invalid UTF-8 elsewhere
    b'{"text":"x","entities":{"hashtags":[{"text":"\\ud83d"}]}}',  # lone surrogate
    b'{"text":"x","entities":{"hashtags":[{"text":"\\ud83d\\ude02"}]}}',
    b'{"text":"x","entities":{"hashtags":[{"text":"a\\tb\\nc"}]}}',
    b'{"text":"x","entities":{"hashtags":[{"text":"a\tb"}]}}',  # raw tab: invalid JSON
    b'{"text":"x","n":NaN,"entities":{"hashtags":[{"text":"nan"}]}}',
    b'{"text":"x","n":1e999,"entities":{"hashtags":[{"text":"inf"}]}}',
    b'{"text":"x","id":123456789012345678901234567890,"entities":{"hashtags":[{"text":"big"}]}}',
    b'{"text":"x","truncated":123456789012345678901234567890,"extended_tweet":{"entities":{"hashtags":[{"text":"e"}]}}}',
    b'{"text":"x","entities":{"hashtags":[{"text":"a"}]},"entities":null}',  # duplicate key: last wins
    b'{"text":"x","entities":null}', b'{"text":"x","entities":[]}', b'{"text":"x","entities":{"hashtags":null}}',
    b'{"text":"x","entities":{"hashtags":"#a"}}', b'{"text":"x","entities":{"hashtags":["a",{"text":"b"}]}}',
    b'{"text":"x","entities":{"hashtags":[{"text":5},{"text":null},{},{"text":" "},{"text":"ok"}]}}',
    b'{"full_text":"x","entities":{"hashtags":[{"text":"full"}]}}', b'{"entities":{"hashtags":[{"text":"bare"}]}}',
    b'{"delete":{"status":{"id":1}}}', b'[1,2]', b'"str"', b'null', b'17',
    b'{"text":"RT","entities":{"hashtags":[]},"retweeted_status":{"text":"o","entities":{"hashtags":[{"text":"orig"}]}}}',
    b'{"text":"RT","entities":{"hashtags":[{"text":"own"}]},"retweeted_status":null}',
    b'{"text":"RT","retweeted_status":"weird","entities":{"hashtags":[{"text":"own"}]}}',
    b'{"text":"x","truncated":true,"entities":{"hashtags":[{"text":"cut"}]},'
    b'"extended_tweet":{"entities":{"hashtags":[{"text":"cut"},{"text":"more"}]}}}',
    b'{"text":"x","truncated":"yes","entities":{"hashtags":[{"text":"a"}]},"extended_tweet":{"full_text":"y"}}',
    b'{"text":"x","truncated":true,"entities":{"hashtags":[{"text":"a"}]},"extended_tweet":{"entities":null}}',
    b'{"text":"x","truncated":true,"entities":{"hashtags":[{"text":"a"}]},"extended_tweet":[1]}',
    b'{"data":{"id":"1","text":"v2","entities":{"hashtags":[{"tag":"V2"}]}}}',
    b'{"data":[{"id":"1","referenced_tweets":[{"type":"retweeted","id":"2"}]}],'
    b'"includes":{"tweets":[{"id":"2","entities":{"hashtags":[{"tag":"orig2"}]}}]}}',
    b'{"data":"x","text":"y","entities":{"hashtags":[{"text":"v1"}]}}',
    b'{"x":' + b"[" * 2000 + b"]" * 2000 + b',"text":"x","entities":{"hashtags":[{"text":"deep"}]}}',
    b'{"x":' + b"[" * 900 + b"]" * 900 + b',"text":"x","entities":{"hashtags":[{"text":"deepish"}]}}',
    b'{"text":"x","entities":{"hashtags":[{"text":"esc\\u0041\\/"}]}}',
]


def assert_same(lines):
    for case_sensitive, exclude_retweets, validate in OPTIONS:
        slow = Extractor(case_sensitive, exclude_retweets, validate)
        fast = Extractor(case_sensitive, exclude_retweets, validate,
                         one_record=fastjson.fast_rule(case_sensitive, exclude_retweets))
        for line in lines:
            assert fast.hashtags_in_line(line) == slow.hashtags_in_line(line), line[:200]
        assert fast.stats.counters() == slow.stats.counters()
        for line in lines:
            assert_rule_is_hashtags_of(line, case_sensitive, exclude_retweets)


def assert_rule_is_hashtags_of(line, case_sensitive=False, exclude_retweets=False):
    """The fast rule either declines ``line`` or gives hashtags_of of its one record."""
    found = fastjson.fast_rule(case_sensitive, exclude_retweets)(line)
    if found is not None:
        records, malformed = split_records(line)
        assert malformed == 0 and len(records) == 1, line[:200]
        assert found == hashtags_of(records[0], case_sensitive, exclude_retweets), line[:200]
    return found


def test_the_fast_paths_are_really_in_use(monkeypatch):
    monkeypatch.delenv(fastjson.ENVIRONMENT_SWITCH, raising=False)
    assert fastjson.best_rule(False, False) is not None
    assert fastjson.best_rule(False, False, prefer_fast=False) is None
    monkeypatch.setenv(fastjson.ENVIRONMENT_SWITCH, "stdlib")
    assert fastjson.best_rule(False, False) is None


def test_the_fast_rule_takes_nearly_every_real_tagged_line(shared_tweets):
    """It must not decline its way to correctness: plain v1.1 lines are its whole point."""
    lines = gzip.decompress((shared_tweets / "sample-stream-2017-01-26T1600Z.json.gz").read_bytes()).splitlines()
    tagged = [line for line in lines if b'"hashtags":[{' in line]
    taken = [line for line in tagged if assert_rule_is_hashtags_of(line) is not None]
    assert len(tagged) > 100 and len(taken) >= 0.95 * len(tagged)
    assert any(assert_rule_is_hashtags_of(line)[1] for line in taken)


@PROPERTY
@given(record, encodings(), st.booleans(), st.booleans())
def test_the_fast_rule_is_hashtags_of_on_generated_records(value, encoding, case_sensitive, exclude_retweets):
    assert_rule_is_hashtags_of(encode_line([value], encoding), case_sensitive, exclude_retweets)


# v1.1 records of exactly the shapes the fast rule takes (every combination of its fields).
plain_entities = st.fixed_dictionaries({}, optional={
    "hashtags": st.lists(st.fixed_dictionaries({"text": tag_text}, optional={"indices": indices}), max_size=3),
    "urls": st.just([])})
plain_status = st.fixed_dictionaries({}, optional={
    "text": st.one_of(sneaky, st.none()), "full_text": sneaky, "entities": plain_entities,
    "truncated": st.one_of(st.booleans(), st.none()), "user": user,
    "extended_tweet": st.one_of(st.none(), st.fixed_dictionaries({}, optional={
        "full_text": sneaky, "entities": plain_entities}))})
plain_tweet = st.one_of(plain_status, st.tuples(plain_status, st.one_of(plain_status, st.none())).map(
    lambda pair: dict(pair[0], retweeted_status=pair[1])))


@PROPERTY
@given(plain_tweet, encodings(), st.booleans(), st.booleans())
def test_the_fast_rule_takes_plain_tweets_and_is_hashtags_of(value, encoding, case_sensitive, exclude_retweets):
    line = encode_line([value], encoding)
    found = assert_rule_is_hashtags_of(line, case_sensitive, exclude_retweets)
    assert found is not None or not line.lstrip(b" \t\r\n").startswith(b"{"), line  # only framing may decline


# Values spliced into a record in place of another: every type the rule must not misread.
REPLACEMENTS = [b"null", b"true", b"false", b"0", b"1", b'""', b'"x"', b"[]", b"{}", b'[{"text":"m"}]',
                b'{"hashtags":[{"text":"m"}]}', b'{"entities":{"hashtags":[{"text":"m"}]}}', b'[null]', b'[1]']


@PROPERTY
@given(st.data(), st.booleans(), st.booleans())
def test_the_fast_rule_is_hashtags_of_on_mutated_corpus_records(data, case_sensitive, exclude_retweets):
    """A generated corpus record with one value (found after a key) replaced by a value of another type."""
    line = data.draw(st.sampled_from(corpus_lines()))
    keys = [i for i in range(len(line)) if line.startswith(b'":', i)]
    at = data.draw(st.sampled_from(keys)) + 2
    value_end = _value_end(line, at)
    mutated = line[:at] + data.draw(st.sampled_from(REPLACEMENTS)) + line[value_end:]
    json.loads(mutated)  # still a record: the mutation changes types, not framing
    assert_rule_is_hashtags_of(mutated, case_sensitive, exclude_retweets)


def _value_end(line: bytes, at: int) -> int:
    """Where the JSON value starting at ``at`` ends."""
    _, end = json.JSONDecoder().raw_decode(line.decode("utf-8"), at)
    return len(line.decode("utf-8")[:end].encode("utf-8"))


_CORPUS_LINES = []


def corpus_lines():
    """Tweets (with and without tags, retweets, truncated ones) of the benchmark corpus, ASCII-only."""
    if not _CORPUS_LINES:
        sys.path.insert(0, str(REPO))
        try:
            from bench import corpus
        finally:
            sys.path.remove(str(REPO))
        lines = [line.rstrip() for line in itertools.islice(corpus.generate_lines(seed=11), 400)]
        _CORPUS_LINES.extend(line for line in lines if b'"text"' in line and len(line) < 6000)
    return _CORPUS_LINES


@pytest.mark.parametrize("line", EDGE_CASES, ids=range(len(EDGE_CASES)))
def test_framing_and_type_edge_cases(line):
    assert_same([line])


def test_random_damage_to_records_changes_nothing(shared_tweets):
    lines = gzip.decompress((shared_tweets / "sample-stream-2017-01-26T1600Z.json.gz").read_bytes()).splitlines(True)
    tagged = [line for line in lines if b'"hashtags":[{' in line][:150]
    rnd = random.Random(3)
    damaged = []
    for line in tagged:
        cut = rnd.randrange(len(line))
        damaged += [line[:cut], line[:cut] + line[cut + 1:], line[:cut] + bytes([rnd.randrange(256)]) + line[cut:],
                    line.rstrip() + line, line.rstrip() + b"garbage"]
    assert_same(damaged)


def test_real_stream_data(shared_tweets):
    for path in sorted(shared_tweets.glob("*.json.gz")):
        assert_same(gzip.decompress(path.read_bytes()).splitlines(True))


def test_benchmark_corpus():
    """A few thousand lines of the realistic generated corpus the benchmarks use."""
    sys.path.insert(0, str(REPO))
    try:
        from bench import corpus
    finally:
        sys.path.remove(str(REPO))
    assert_same(list(itertools.islice(corpus.generate_lines(seed=5), 3000)))


def test_the_environment_forces_the_stdlib():
    code = "from hashtagcount.fastjson import best_rule; print(best_rule(False, False))"
    env = dict(__import__("os").environ, HASHTAGCOUNT_JSON="stdlib")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "None"
