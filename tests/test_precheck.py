"""hashtagcount.precheck: the byte pre-check never changes a result.

The pre-check lets ``mapper.py`` skip ~3/4 of real lines unparsed, so it
must never change a result.  The property tests re-encode real tweets (from
``../shared/data/tweets``) and generated v1.1/v2 records every way a
producer might (spaces after ``:``/``,``, raw UTF-8 or ``\\u`` escapes, any
key order, several records on one line) and compare the pre-checked
extraction with a full parse; a line fed in chunks gets the whole line's verdict.
Every verdict is checked with ``bytes.find`` and with the SIMD search of the
``fast`` extra (when installed): the two must never differ.
"""

import gzip
import json
import random
from typing import Any, List, Tuple

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hashtagcount.extract import Extractor
from hashtagcount.fastfind import simd_count, simd_find
from hashtagcount.hashtags import hashtags_of
from hashtagcount.lines import LineRun
from hashtagcount.precheck import LinePrecheck, looks_like_records, may_hold_hashtags, sift
from pipeline import no_shared_tweets_reason, shared_tweet_files
from strategies import PROPERTY, SEPARATORS, cut, encode_line, encodings, lines_of_records, long_lines, record


FINDS = [bytes.find] + ([simd_find()] if simd_find() else [])  # every search the pre-check may be given
COUNT = simd_count()  # the count that lets it scan a run of lines whole


def verdict(line: bytes) -> bool:
    """may_hold_hashtags(line), the same with every search, whole and fed in uneven chunks."""
    verdicts = {may_hold_hashtags(line, find) for find in FINDS}
    for find in FINDS:
        check = LinePrecheck(find)
        for start in range(0, len(line), 7):
            check.feed(line[start:start + 7])
        verdicts.add(check.may_hold_hashtags)
    assert len(verdicts) == 1, line
    return verdicts.pop()


def test_the_simd_search_is_tested_when_installed():
    try:
        import stringzilla  # noqa: F401
    except ImportError:
        pytest.skip("stringzilla (the fast extra) is not installed")
    assert len(FINDS) == 2


# --- may_hold_hashtags, by example --------------------------------------------


@pytest.mark.parametrize("line", [
    b'{"entities":{"hashtags":[{"text":"a"}]}}',
    b'{"entities": {"hashtags": [ {"text": "a"}]}}',
    b'{"entities":{"hashtags" :\t[\r{"text":"a"}]}}',
    b'{"entities":{"hashtags":[],"x":1},"extended_tweet":{"entities":{"hashtags":[{"text":"a"}]}}}',
])
def test_precheck_lets_through_any_non_empty_hashtags_array(line):
    assert verdict(line)


@pytest.mark.parametrize("line", [
    b'{"delete":{"status":{"id":1,"id_str":"1","user_id":2,"user_id_str":"2"}}}\r\n',
    b'{"text":"hi","entities":{"hashtags":[],"urls":[]}}\r\n',
    b'{"text":"hi","entities":{"hashtags": [ ],"urls":[]}}\n',
    b"\r\n",
])
def test_precheck_skips_lines_without_a_non_empty_hashtags_array(line):
    assert not verdict(line)


# --- properties: the pre-check never changes a result ------------------------


def check_line(records: List[Any], line: bytes, case_sensitive: bool = False, exclude_retweets: bool = False) -> None:
    """The pre-checked result (with every search) equals the full parse, which equals the rule applied to ``records``."""
    full = Extractor(case_sensitive, exclude_retweets, validate=True).hashtags_in_line(line)
    for find in FINDS:
        fast = Extractor(case_sensitive, exclude_retweets, validate=False, find=find).hashtags_in_line(line)
        assert fast == full, line
    assert full == [k for r in records for k in hashtags_of(r, case_sensitive, exclude_retweets)[1]]
    if full:
        assert verdict(line)


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


# --- a line fed in chunks ------------------------------------------------------


@PROPERTY
@given(long_lines(), st.data())
def test_streamed_precheck_is_the_line_precheck_however_the_line_is_cut(line, data):
    find = data.draw(st.sampled_from(FINDS))
    check = LinePrecheck(find)
    for chunk in cut(data, line):
        check.feed(chunk)
    assert check.may_hold_hashtags == may_hold_hashtags(line) == verdict(line)
    assert check.looks_like_records == looks_like_records(line)
    assert check.blank == (not line.strip())


# --- a batch of lines at once ----------------------------------------------------

ODD_LINES = [b"", b"\r", b"  ", b"\xef\xbb\xbf", b"\xef\xbb\xbf {}", b" {} ", b"{}\r", b"{} \r", b"{", b"}", b"x",
             b"{}x", b'{"hashtags":[]}', b'{"hashtags":[{"text":"a"}]}\r', b'junk "hashtags":[{', b"\t{}\t"]


BATCH_LINES = st.one_of(st.sampled_from(ODD_LINES), long_lines().map(lambda line: line.rstrip(b"\n")))


def sifted(lines: List[bytes]) -> Tuple[List[bytes], int, int, int]:
    """What sift must say of ``lines``: each line's pre-check verdict and shape, one by one."""
    return ([line for line in lines if may_hold_hashtags(line)], len(lines),
            sum(1 for line in lines if not may_hold_hashtags(line) and looks_like_records(line) and line.strip()),
            sum(1 for line in lines if not may_hold_hashtags(line) and not looks_like_records(line)))


@PROPERTY
@given(st.lists(BATCH_LINES, max_size=12))
def test_sift_is_the_line_precheck_and_shape_rule_over_a_batch(lines):
    for find in FINDS:
        assert sift(lines, find) == sifted(lines)


# Lines of usual records (what a stream is made of: scanned whole), alone or among odd lines (then cut).
USUAL_LINES = st.builds(lambda records, encoding: encode_line(records, encoding).strip(), lines_of_records(),
                        encodings())
RUNS = st.one_of(st.lists(USUAL_LINES, min_size=1, max_size=12),
                 st.lists(st.one_of(USUAL_LINES, BATCH_LINES), min_size=1, max_size=12))


@PROPERTY
@given(RUNS, st.sampled_from([b"\n", b"\r\n"]), st.binary(max_size=8),
       st.sampled_from([b"", b'{"hashtags":[{"text":"after"}]}', b"tail"]))
def test_a_run_of_lines_is_sifted_whole_as_its_lines_one_by_one(lines, ending, before, after):
    """Scanned whole with a SIMD count, or cut into lines without one: each line's verdict, whatever is around it."""
    body = b"".join(line.rstrip(b"\r") + ending for line in lines)
    data = before + b"\n" + body + after
    run = LineRun(data, len(before) + 1, len(data) - len(after))
    lines = body.split(b"\n")[:-1]  # a generated line may hold a newline itself
    for find, count in [(bytes.find, None)] + [(find, COUNT) for find in FINDS if COUNT]:
        assert sift([b"first", run], find, count) == sifted([b"first"] + lines)


def test_a_run_of_usual_records_is_scanned_not_cut():
    """Only the lines with a non-empty hashtags array are cut out of a run of usual records."""
    if COUNT is None:
        pytest.skip("stringzilla (the fast extra) is not installed: runs are cut into lines")
    data = b'{"hashtags":[]}\r\n{"a":1}\r\n{"x":{"hashtags" : [ {"text":"s"}]}}\r\n{"hashtags":[{"text":"t"}]}\r\n'
    kept, lines, skipped, malformed = sift([LineRun(data, 0, len(data))], FINDS[-1], COUNT)
    assert (kept, lines, skipped, malformed) == (
        [b'{"x":{"hashtags" : [ {"text":"s"}]}}\r', b'{"hashtags":[{"text":"t"}]}\r'], 4, 2, 0)
    assert all(type(line) is bytes for line in kept)
