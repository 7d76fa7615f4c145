"""hashtagcount.records: the framing rule (``split_records``), whole and streamed (``RecordStream``)."""

import json
from typing import Any, List, Tuple

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hashtagcount.extract import Extractor
from hashtagcount.precheck import BOM
from hashtagcount.records import RecordStream, split_records
from strategies import PROPERTY, cut, long_lines


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


# --- a line too long to hold, fed in chunks -----------------------------------
#
# A line past long_line_bytes() (Firehose without newlines writes a whole
# object as one line) is fed a chunk at a time.  Whatever the line and
# however it is cut, the streamed result must be exactly the whole-line one.


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
    assert stream.held == 0  # what follows a malformed piece is dropped, not buffered
