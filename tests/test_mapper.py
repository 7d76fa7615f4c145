"""mapper.py, run as users run it: a real process in a real pipe."""

import collections
import gzip
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline import MAPPER, REPO, SHARED_TWEETS, rank_tsv, run_pipe

PYENV_ROOT = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
EMR_PYTHONS = ["3.7.16", "3.9.18", "3.12.1", "3.13.0"]


def tweet(*tags, **fields):
    record = {"created_at": "Tue Jan 31 23:59:00 +0000 2017", "id_str": "1", "text": "x",
              "user": {"id_str": "9", "screen_name": "someone"},
              "entities": {"hashtags": [{"text": t, "indices": [0, 1]} for t in tags]}}
    record.update(fields)
    return record


def compact(record, **options):
    return json.dumps(record, separators=(",", ":"), **options).encode("utf-8")


def map_(data: bytes, *args, env=None, python=sys.executable):
    return subprocess.run(
        [python, str(MAPPER), *args], input=data, capture_output=True,
        env=dict(os.environ, **(env or {})),
    )


def totals(data: bytes, *args) -> dict:
    """hashtag -> total, through the whole pipe."""
    out = run_pipe(data, args).decode("utf-8")
    return {k: int(v) for k, v in (line.split("\t") for line in out.splitlines())}


def reference_counts(lines):
    """An independent, deliberately plain count of SOURCES.md's "full" rule.

    One record per line; source = retweeted_status or the tweet; a truncated
    source with extended_tweet uses its entities; keys lowercased.
    """
    counts = collections.Counter()
    for line in lines:
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if "text" not in record:
            continue
        source = record.get("retweeted_status") or record
        if source.get("truncated") and "extended_tweet" in source:
            source = source["extended_tweet"]
        for tag in source.get("entities", {}).get("hashtags", []):
            counts[tag["text"].lower()] += 1
    return counts


def as_ranked_tsv(counts) -> bytes:
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return "".join("{}\t{}\n".format(k, v) for k, v in ordered).encode("utf-8")


# -- the pipe on real stream data ---------------------------------------------------------

def shared_lines():
    if not SHARED_TWEETS.is_dir():
        pytest.skip("real tweet data not found at {} (../shared beside the repo)".format(SHARED_TWEETS))
    data = b"".join(gzip.decompress(p.read_bytes()) for p in sorted(SHARED_TWEETS.glob("*.json.gz")))
    return data


def test_pipe_on_real_stream_data_matches_an_independent_count():
    data = shared_lines()
    expected = reference_counts(data.splitlines())
    assert sum(expected.values()) > 2000          # the data really has hashtags
    assert rank_tsv(run_pipe(data)) == as_ranked_tsv(expected)


def test_aggregating_mapper_gives_the_same_totals_on_real_data():
    data = shared_lines()
    assert totals(data, "--aggregate") == totals(data)


def test_validate_changes_counters_not_hashtags_on_real_data():
    data = shared_lines()
    fast = map_(data)
    full = map_(data, "--validate")
    assert sorted(fast.stdout.splitlines()) == sorted(full.stdout.splitlines())


# -- framing and bad input -----------------------------------------------------------------

A, B = tweet("A"), tweet("B", "a")


@pytest.mark.parametrize("name, data", [
    ("LF", compact(A) + b"\n" + compact(B) + b"\n"),
    ("CRLF", compact(A) + b"\r\n" + compact(B) + b"\r\n"),
    ("no final newline", compact(A) + b"\n" + compact(B)),
    ("back to back", compact(A) + compact(B)),
    ("whitespace between", compact(A) + b" \t " + compact(B) + b"\n"),
    ("BOM", b"\xef\xbb\xbf" + compact(A) + b"\n" + compact(B) + b"\n"),
    ("spaces after : and ,", json.dumps(A).encode() + b"\n" + json.dumps(B).encode() + b"\n"),
    ("keep-alives", b"\r\n" + compact(A) + b"\r\n\r\n" + compact(B) + b"\r\n\r\n"),
])
def test_framings_all_count_the_same(name, data):
    assert totals(data) == {"a": 2, "b": 1}, name


def test_raw_utf8_and_escaped_unicode_give_the_same_keys():
    record = tweet("Güzellik", "サッカー", "عيد")
    escaped = compact(record, ensure_ascii=True)
    raw = compact(record, ensure_ascii=False)
    assert b"\\u" in escaped and b"\\u" not in raw
    assert totals(escaped + b"\n") == totals(raw + b"\n") == {"güzellik": 1, "サッカー": 1, "عيد": 1}


def test_bad_input_is_skipped_counted_and_reported_in_one_line():
    data = b"\n".join([
        compact(A),
        b"garbage that is not json",
        compact(B)[:40],                                  # truncated record
        compact(A) + b'{"text": "cut',                    # good record then a broken one
        compact(tweet("café"), ensure_ascii=False).replace("é".encode(), b"\xff"),  # invalid UTF-8
        b"[" * 100000,                                     # nesting deeper than json allows
        compact(B),
    ]) + b"\n"
    result = map_(data)
    assert result.returncode == 0
    keys = sorted(result.stdout.decode("utf-8").splitlines())
    assert keys == sorted(["a\t1", "a\t1", "b\t1", "a\t1", "caf\ufffd\t1"])
    [summary] = result.stderr.decode().splitlines()
    assert summary.startswith("mapper.py: skipped 4 malformed piece(s) in 7 lines")


def test_a_clean_pipe_says_nothing_on_stderr():
    result = map_(compact(A) + b"\n")
    assert (result.returncode, result.stdout, result.stderr) == (0, b"a\t1\n", b"")


def test_a_key_never_breaks_the_tab_format():
    out = map_(compact(tweet("tab\there", "new\nline")) + b"\n").stdout
    assert out == b"tab here\t1\nnew line\t1\n"


def test_options_case_sensitive_and_exclude_retweets():
    retweet = tweet("X", retweeted_status=tweet("RtTag"))
    data = compact(tweet("Mixed")) + b"\n" + compact(retweet) + b"\n"
    assert totals(data) == {"mixed": 1, "rttag": 1}
    assert totals(data, "--case-sensitive") == {"Mixed": 1, "RtTag": 1}
    assert totals(data, "--exclude-retweets") == {"mixed": 1}


# -- Hadoop ---------------------------------------------------------------------------------

def test_under_hadoop_counters_go_to_stderr_in_the_reporter_protocol():
    data = compact(A) + b"\n" + b'{"delete":{"status":{"id":1}}}\n' + b"junk\n" + compact(B) + b"\n"
    result = map_(data, "--validate", env={"mapreduce_task_id": "task_1_0001_m_000000"})
    assert result.returncode == 0
    assert set(result.stderr.decode().splitlines()) == {
        "reporter:counter:hashtag-count,lines,4",
        "reporter:counter:hashtag-count,records parsed,3",
        "reporter:counter:hashtag-count,tweets,2",
        "reporter:counter:hashtag-count,non-tweet messages,1",
        "reporter:counter:hashtag-count,malformed pieces,1",
        "reporter:counter:hashtag-count,hashtags,3",
    }


# -- the script itself ----------------------------------------------------------------------

def test_it_is_an_executable_python3_script():
    assert os.access(MAPPER, os.X_OK)
    assert MAPPER.read_text().startswith("#!/usr/bin/env python3\n")
    result = subprocess.run([str(MAPPER)], input=compact(A), capture_output=True, cwd="/")
    assert result.stdout == b"a\t1\n"


def test_it_is_importable():
    spec = importlib.util.spec_from_file_location("mapper_under_test", MAPPER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert callable(module.main) and callable(module.map_lines)


def test_help_explains_the_options():
    result = map_(b"", "--help")
    assert result.returncode == 0
    for option in (b"--case-sensitive", b"--exclude-retweets", b"--aggregate", b"--validate"):
        assert option in result.stdout


@pytest.mark.parametrize("version", EMR_PYTHONS)
def test_every_emr_python_runs_the_pipe_with_no_site_packages(version):
    python = PYENV_ROOT / "versions" / version / "bin" / "python"
    if not python.exists():
        pytest.skip("Python {} is not installed at {}".format(version, python))
    data = b"\r\n".join([
        b"\xef\xbb\xbf" + compact(A) + compact(B),
        compact(tweet("Güzellik", "サッカー"), ensure_ascii=False),
        compact(tweet("half\ud83d")),                   # an emoji cut in half: a lone surrogate
        b"garbage",
        compact(tweet("X", retweeted_status=tweet("Rt"))),
    ])
    out = subprocess.run(
        [str(python), "-S", str(MAPPER)], input=data, capture_output=True, check=True,
    ).stdout
    assert out == map_(data).stdout
    pipe = subprocess.run(
        "'{py}' -S '{m}' | LC_ALL=C sort | '{py}' -S '{r}'".format(
            py=python, m=MAPPER, r=REPO / "reducer.py"),
        shell=True, input=data, capture_output=True, check=True,
    ).stdout
    assert pipe == run_pipe(data)


# -- lines too long to hold (Firehose without newlines) ----------------------------------

def firehose_object(count: int) -> bytes:
    """``count`` records back to back with no newline, as Firehose writes them."""
    records = [compact(tweet("Long", "line{}".format(i % 7))) if i % 3 else compact({"delete": {"id": i}})
               for i in range(count)]
    return b"".join(records)


@pytest.mark.parametrize("args", [(), ("--validate",), ("--aggregate",)])
def test_long_lines_stream_with_the_same_output_and_counters(args):
    data = b"\n".join([
        firehose_object(300),
        compact(tweet("short")),
        firehose_object(50) + b'{"text": "cut',  # a malformed tail
        compact({"delete": {"id": 1}}) * 200,  # long, and no hashtag: the pre-check skips it
        "\u00e9".encode("utf-8") * 3000,  # long garbage cut inside characters
        firehose_object(100),
    ]) + b"\r\n"
    hadoop = {"mapreduce_task_id": "task_1", "HASHTAGCOUNT_LONG_LINE_BYTES": "1000"}
    whole = map_(data, *args, env=dict(hadoop, HASHTAGCOUNT_LONG_LINE_BYTES=str(len(data) + 1)))
    streamed = map_(data, *args, env=hadoop)
    assert streamed.returncode == whole.returncode == 0
    assert streamed.stdout == whole.stdout
    assert streamed.stderr == whole.stderr  # the counters, in Hadoop's reporter protocol
    assert b"malformed" in streamed.stderr
    emitted = collections.Counter()
    for line in streamed.stdout.splitlines():
        key, _, count = line.partition(b"\t")
        emitted[key] += int(count)
    assert emitted[b"long"] == 200 + 33 + 66  # records 0..n-1 of each object, but every third
    assert emitted[b"short"] == 1


@pytest.mark.parametrize("version", EMR_PYTHONS)
def test_every_emr_python_streams_long_lines_with_no_site_packages(version):
    python = PYENV_ROOT / "versions" / version / "bin" / "python"
    if not python.exists():
        pytest.skip("Python {} is not installed at {}".format(version, python))
    data = b"\xef\xbb\xbf" + firehose_object(200) + compact(tweet("サッカー"), ensure_ascii=False) * 50 + b"\r\n"
    streamed = subprocess.run(
        [str(python), "-S", str(MAPPER)], input=data, capture_output=True, check=True,
        env=dict(os.environ, HASHTAGCOUNT_LONG_LINE_BYTES="999"),
    )
    assert streamed.stdout == map_(data).stdout  # the whole line, in this interpreter
    assert streamed.stdout.count("サッカー\t1".encode("utf-8")) == 50
