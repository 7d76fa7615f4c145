"""sample_data/: hand-written tweets laid out as Kinesis Firehose delivers them.

``sample_data/_expected.tsv`` is the full ranking a user should get.  It is
checked three ways: the objects really hold the tricky cases the counting
rule is about, a straightforward count written here (no ``hashtagcount``
code) agrees with it, and so does the real ``mapper.py | sort | reducer.py``
pipe.  The data is also built so that a wrong rule (ignoring retweets or
``extended_tweet``, counting quotes, keeping case) changes the top 10.
"""

import json
import re
import unicodedata
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path
from typing import Dict, List, Tuple

import pytest

from pipeline import SAMPLE_DATA as SAMPLE, input_files, pipe, read_input

EXPECTED = SAMPLE / "_expected.tsv"

# <prefix>YYYY/MM/DD/HH/<stream>-<version>-YYYY-MM-DD-HH-MM-SS-<uuid>[.gz], all UTC.
FIREHOSE_KEY = re.compile(
    r"(?P<hour>\d{4}/\d{2}/\d{2}/\d{2})/"
    r"(?P<stream>[A-Za-z0-9_.-]+)-1-"
    r"(?P<stamp>\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2})-"
    r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"
    r"(?P<gz>\.gz)?"
)


def data_objects() -> List[Path]:
    """Every object a run reads: all files except names starting with ``_`` or ``.``."""
    return input_files(SAMPLE)


def parse_object(data: bytes) -> Tuple[List[dict], int]:
    """Records of one object and how many pieces failed to decode (test's own framing)."""
    decoder = json.JSONDecoder()
    records, broken = [], 0
    for line in data.split(b"\n"):
        text = line.decode("utf-8").strip()
        pos = 0
        while pos < len(text):
            try:
                record, pos = decoder.raw_decode(text, pos)
            except ValueError:
                broken += 1
                break
            records.append(record)
            while pos < len(text) and text[pos].isspace():
                pos += 1
    return records, broken


def all_records() -> List[dict]:
    return [r for path in data_objects() for r in parse_object(read_input(path))[0]]


def tweets() -> List[dict]:
    return [r for r in all_records() if "delete" not in r]


def tags_of(status: dict, extended: bool = True) -> List[str]:
    if extended and status.get("truncated") and "extended_tweet" in status:
        return [h["text"] for h in status["extended_tweet"]["entities"]["hashtags"]]
    return [h["text"] for h in status["entities"]["hashtags"]]


def count(retweets: bool = True, extended: bool = True, quotes: bool = False, lower: bool = True) -> Counter:
    """A plain count over the parsed records; the keyword arguments switch parts of the rule off (or quotes on)."""
    counts = Counter()  # type: Counter
    for tweet in tweets():
        source = tweet.get("retweeted_status", tweet) if retweets else tweet
        found = tags_of(source, extended)
        if quotes and "quoted_status" in tweet:
            found += tags_of(tweet["quoted_status"], extended)
        counts.update(tag.lower() if lower else tag for tag in found)
    return counts


def ranked(counts: Dict[str, int]) -> List[Tuple[str, int]]:
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def expected() -> List[Tuple[str, int]]:
    rows = []
    for line in EXPECTED.read_text(encoding="utf-8").splitlines():
        tag, n = line.split("\t")
        rows.append((tag, int(n)))
    return rows


# --- the layout ------------------------------------------------------------


def test_objects_are_named_and_placed_as_firehose_writes_them():
    objects = data_objects()
    assert 5 <= len(objects) <= 8
    hours = set()
    streams = set()
    for path in objects:
        key = path.relative_to(SAMPLE).as_posix()
        match = FIREHOSE_KEY.fullmatch(key)
        assert match, key
        stamp = datetime.strptime(match["stamp"], "%Y-%m-%d-%H-%M-%S")
        assert stamp.strftime("%Y/%m/%d/%H") == match["hour"], "folder hour != object time in " + key
        streams.add(match["stream"])
        hours.add(stamp.strftime("%Y-%m-%d %H"))
        for record in parse_object(read_input(path))[0]:
            if "created_at" in record:
                created = datetime.strptime(record["created_at"], "%a %b %d %H:%M:%S +0000 %Y")
                assert stamp - timedelta(minutes=15) <= created <= stamp, "tweet time outside its object's buffer"
    assert len(streams) == 1
    days = {h[:10] for h in hours}
    months = {h[:7] for h in hours}
    assert len(days) >= 2 and len(months) >= 2, "must span two days and a month boundary"


def test_gz_objects_are_gzip_and_others_are_not():
    objects = data_objects()
    gz = [p for p in objects if p.name.endswith(".gz")]
    assert gz
    for path in objects:
        assert (path.read_bytes()[:2] == b"\x1f\x8b") == (path in gz), path.name


def test_the_expected_ranking_is_excluded_from_the_input():
    assert EXPECTED.exists()
    assert EXPECTED not in data_objects()


# --- the tricky cases are really there -------------------------------------


def test_an_object_holds_records_back_to_back_without_newlines():
    back_to_back = [
        p for p in data_objects()
        if b"}{" in read_input(p) and b"\n" not in read_input(p) and len(parse_object(read_input(p))[0]) >= 5
    ]
    assert back_to_back


def test_lines_end_in_crlf_and_in_lf_and_some_are_blank():
    lines = [line for p in data_objects() for line in read_input(p).split(b"\n")[:-1]]
    assert any(line.endswith(b"\r") for line in lines)
    assert any(line and not line.endswith(b"\r") for line in lines)
    assert b"\r" in lines, "a blank keep-alive line"
    assert any(b"} {" in line for line in lines), "two records on one line with a space between"


def test_there_are_delete_messages():
    assert sum("delete" in r for r in all_records()) >= 5


def test_objects_use_escapes_and_raw_utf8():
    ascii_only = [p for p in data_objects() if read_input(p).isascii()]
    raw_utf8 = [p for p in data_objects() if not read_input(p).isascii()]
    assert ascii_only and raw_utf8
    assert all(b"\\u" in read_input(p) for p in ascii_only)


def test_a_retweet_of_a_truncated_tweet_has_tags_only_in_the_extended_entities():
    hidden = [
        t for t in tweets()
        if "retweeted_status" in t
        and t["retweeted_status"]["truncated"]
        and set(tags_of(t["retweeted_status"])) - set(tags_of(t["retweeted_status"], extended=False))
        - set(tags_of(t))
    ]
    assert len(hidden) >= 2


def test_a_quote_tweet_quotes_tags_it_does_not_use_itself():
    quotes = [
        t for t in tweets()
        if "quoted_status" in t and set(tags_of(t["quoted_status"])) - set(tags_of(t))
    ]
    assert len(quotes) >= 2


def test_tags_in_several_scripts_and_next_to_emoji():
    tags = {h for t in tweets() for h in tags_of(t.get("retweeted_status", t))}
    scripts = {unicodedata.name(c).split()[0] for tag in tags for c in tag if not c.isascii()}
    assert {"CJK", "HIRAGANA", "ARABIC", "HANGUL"} <= scripts
    assert "güzellik" in tags and any(tag.startswith("İ") for tag in tags)
    next_to_emoji = [
        t for t in tweets() for h in t["entities"]["hashtags"]
        if h["indices"][1] < len(t["text"]) and ord(t["text"][h["indices"][1]]) > 0x1F000
    ]
    assert next_to_emoji


def test_tags_in_mixed_case_and_repeated_in_one_tweet():
    written = {h for t in tweets() for h in tags_of(t)}
    by_key = Counter(tag.lower() for tag in written)
    assert any(n >= 3 for n in by_key.values()), "one tag written three ways"
    assert any(max(Counter(tags_of(t)).values(), default=0) > 1 for t in tweets())


def test_exactly_one_record_is_broken():
    broken = [p.name for p in data_objects() if parse_object(read_input(p))[1]]
    assert len(broken) == 1
    assert sum(parse_object(read_input(p))[1] for p in data_objects()) == 1


# --- the expected ranking --------------------------------------------------


def test_expected_is_ranked_by_count_then_tag():
    assert expected() == ranked(dict(expected()))


def test_expected_equals_a_straightforward_count():
    assert expected() == ranked(count())


def test_top_ten_has_ties_broken_by_tag_order():
    rows = expected()
    counts = [n for _, n in rows[:10]]
    assert len(set(counts)) < 10
    assert rows[9][1] == rows[10][1], "the 10th place is decided by tag order"


@pytest.mark.parametrize(
    "wrong_rule",
    [
        dict(retweets=False, extended=False),  # top-level entities only
        dict(extended=False),
        dict(quotes=True),
        dict(lower=False),
    ],
    ids=["top-level-only", "no-extended-tweet", "counting-quotes", "case-sensitive"],
)
def test_a_wrong_rule_gives_a_different_top_ten(wrong_rule):
    assert ranked(count(**wrong_rule))[:10] != expected()[:10]


def test_the_pipe_gives_the_expected_ranking():
    data = b"".join(read_input(p) for p in data_objects())  # as `make run` feeds it
    out, err, reducer_err = pipe(data)
    assert reducer_err == b""
    counts = {}
    for line in out.decode("utf-8").splitlines():
        tag, n = line.split("\t")
        assert tag not in counts, "reducer output must have one line per tag"
        counts[tag] = int(n)
    assert ranked(counts) == expected()
    assert b"1 malformed" in err and err.count(b"\n") == 1
