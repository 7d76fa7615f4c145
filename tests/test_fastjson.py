"""The msgspec fast path gives exactly what the stdlib split_records gives.

Compared through the Extractor (hashtags AND every stats counter), on
framing edge cases, on random damage to real lines, on real stream data
and on the benchmark corpus.
"""

import gzip
import itertools
import random
import subprocess
import sys
from pathlib import Path

import pytest

from hashtagcount import fastjson
from hashtagcount.extract import Extractor
from hashtagcount.records import split_records

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
        slow = Extractor(case_sensitive, exclude_retweets, validate, split=split_records)
        fast = Extractor(case_sensitive, exclude_retweets, validate, split=fastjson.best_splitter())
        for line in lines:
            assert fast.hashtags_in_line(line) == slow.hashtags_in_line(line), line[:200]
        assert fast.stats.counters() == slow.stats.counters()


def test_the_fast_splitter_is_really_in_use():
    assert fastjson.best_splitter() is not split_records
    assert fastjson.best_splitter(prefer_fast=False) is split_records


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
    code = "from hashtagcount.fastjson import best_splitter, splitter_name; print(splitter_name(best_splitter()))"
    env = dict(__import__("os").environ, HASHTAGCOUNT_JSON="stdlib")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "stdlib json"
