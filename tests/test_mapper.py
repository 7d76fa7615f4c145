"""mapper.py, run as users run it: a real process in a real pipe."""

import collections
import importlib.util
import json
import os
import shutil
import signal
import subprocess
import sys

import pytest

from pipeline import (
    MAPPER, REDUCER, SAMPLE_DATA, SCRIPT_PYTHONS, input_files, pipe, pyenv_python_or_skip, rank_tsv,
    joined_inputs, run_pipe, shared_tweet_files, no_shared_tweets_reason,
)
from tweets import json_line, tweet, tweet_lines


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
    """An independent, deliberately plain count of the README's rule for API v1.1 records.

    Records back to back on a line, a broken one ending its line; source =
    retweeted_status or the tweet; a truncated source with extended_tweet
    uses its entities; keys lowercased.
    """
    decoder = json.JSONDecoder()
    counts = collections.Counter()
    for line in lines:
        text = line.decode("utf-8", "replace").strip().lstrip("\ufeff")
        pos = 0
        while pos < len(text):
            try:
                record, pos = decoder.raw_decode(text, pos)
            except ValueError:
                break
            while pos < len(text) and text[pos].isspace():
                pos += 1
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
    files = shared_tweet_files()
    if not files:
        pytest.skip(no_shared_tweets_reason())
    return joined_inputs(files)


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
    ("LF", json_line(A) + json_line(B)),
    ("CRLF", json_line(A, end=b"\r\n") + json_line(B, end=b"\r\n")),
    ("no final newline", json_line(A) + json_line(B, end=b"")),
    ("back to back", json_line(A, B, end=b"")),
    ("whitespace between", json_line(A, end=b" \t ") + json_line(B)),
    ("BOM", b"\xef\xbb\xbf" + json_line(A) + json_line(B)),
    ("spaces after : and ,", json.dumps(A).encode() + b"\n" + json.dumps(B).encode() + b"\n"),
    ("keep-alives", b"\r\n" + json_line(A, end=b"\r\n\r\n") + json_line(B, end=b"\r\n\r\n")),
])
def test_framings_all_count_the_same(name, data):
    assert totals(data) == {"a": 2, "b": 1}, name


def test_raw_utf8_and_escaped_unicode_give_the_same_keys():
    record = tweet("Güzellik", "サッカー", "عيد")
    escaped = json_line(record, ascii=True)
    raw = json_line(record)
    assert b"\\u" in escaped and b"\\u" not in raw
    assert totals(escaped) == totals(raw) == {"güzellik": 1, "サッカー": 1, "عيد": 1}


def test_bad_input_is_skipped_counted_and_reported_in_one_line():
    data = b"\n".join([
        json_line(A, end=b""),
        b"garbage that is not json",
        json_line(B, end=b"")[:20],                       # truncated record, cut before its entities
        json_line(A, end=b"") + b'{"text": "cut',          # good record then a broken one
        json_line(tweet("café"), end=b"").replace("é".encode(), b"\xff"),  # invalid UTF-8
        b"[" * 100000,                                     # nesting deeper than json allows
        json_line(B, end=b""),
    ]) + b"\n"
    result = map_(data)
    assert result.returncode == 0
    keys = sorted(result.stdout.decode("utf-8").splitlines())
    assert keys == sorted(["a\t1", "a\t1", "b\t1", "a\t1", "caf\ufffd\t1"])
    summary, warning = result.stderr.decode().splitlines()
    assert summary.startswith("mapper.py: skipped 4 malformed piece(s) in 7 lines")
    assert warning == "mapper.py: warning: stdin: 4 malformed piece(s) in 7 lines: is this tweet data?"


def test_gzip_bytes_piped_raw_get_the_no_json_record_verdict_and_still_exit_0():
    import gzip

    result = map_(gzip.compress(json_line(A) * 2000))
    assert result.returncode == 0 and result.stdout == b""  # Hadoop fails a task on a non-zero exit
    summary, warning = result.stderr.decode().splitlines()
    assert summary.startswith("mapper.py: skipped ") and summary.endswith(" lines (0 hashtags counted)")
    assert warning.startswith("mapper.py: warning: stdin: ")
    assert warning.endswith(" lines, no JSON record: is this tweet data?")


def test_a_clean_pipe_says_nothing_on_stderr():
    result = map_(json_line(A))
    assert (result.returncode, result.stdout, result.stderr) == (0, b"a\t1\n", b"")


def test_a_key_never_breaks_the_tab_format():
    out = map_(json_line(tweet("tab\there", "new\nline"))).stdout
    assert out == b"tab here\t1\nnew line\t1\n"


def test_options_case_sensitive_and_exclude_retweets():
    retweet = tweet("X", retweeted_status=tweet("RtTag"))
    data = json_line(tweet("Mixed")) + json_line(retweet)
    assert totals(data) == {"mixed": 1, "rttag": 1}
    assert totals(data, "--case-sensitive") == {"Mixed": 1, "RtTag": 1}
    assert totals(data, "--exclude-retweets") == {"mixed": 1}


# -- Hadoop ---------------------------------------------------------------------------------

def test_under_hadoop_counters_go_to_stderr_in_the_reporter_protocol():
    data = json_line(A) + b'{"delete":{"status":{"id":1}}}\n' + b"junk\n" + json_line(B)
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
    result = subprocess.run([str(MAPPER)], input=json_line(A, end=b""), capture_output=True, cwd="/")
    assert result.stdout == b"a\t1\n"


def test_it_is_importable():
    spec = importlib.util.spec_from_file_location("mapper_under_test", MAPPER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert callable(module.main) and callable(module.map_lines)


def test_help_explains_the_options():
    result = map_(b"", "--help")
    for option in (b"--case-sensitive", b"--exclude-retweets", b"--aggregate", b"--validate"):
        assert option in result.stdout


def copied_alone(tmp_path):
    """mapper.py and reducer.py, each copied alone into an empty folder of its own."""
    copies = []
    for script in (MAPPER, REDUCER):
        folder = tmp_path / script.stem
        folder.mkdir()
        copies.append(shutil.copy2(script, folder / script.name))
    return copies


ALONE = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}


@pytest.mark.parametrize("minor", SCRIPT_PYTHONS)
def test_each_python_runs_the_scripts_copied_alone_with_no_site_packages(minor, tmp_path):
    python = pyenv_python_or_skip(minor)
    mapper, reducer = copied_alone(tmp_path)
    datasets = {"sample_data": input_files(SAMPLE_DATA), "../shared/data/tweets": shared_tweet_files()}
    for name, files in datasets.items():
        if not files:
            continue  # the shared tweets are optional; test_pipe_on_real_stream_data_... says so
        data = joined_inputs(files)
        expected = as_ranked_tsv(reference_counts(data.splitlines()))
        assert sum(1 for _ in expected.splitlines()) > 20, name
        piped = pipe(data, python=python, mapper=mapper, reducer=reducer, flags=["-S"], env=ALONE)
        assert rank_tsv(piped.out) == expected, name
        assert b"Traceback" not in piped.mapper_err + piped.reducer_err
    tricky = b"\r\n".join([
        b"\xef\xbb\xbf" + json_line(A, B, end=b""),
        json_line(tweet("Güzellik", "サッカー"), end=b""),
        json_line(tweet("half\ud83d"), end=b"", ascii=True),  # an emoji cut in half: a lone surrogate
        b"garbage",
        json_line(tweet("X", retweeted_status=tweet("Rt")), end=b""),
    ])
    out = subprocess.run(
        [str(python), "-S", str(mapper)], input=tricky, capture_output=True, check=True, env=ALONE,
        cwd=str(mapper.parent),
    ).stdout
    assert out == map_(tricky).stdout
    assert pipe(tricky, python=python, mapper=mapper, reducer=reducer, flags=["-S"], env=ALONE).out == run_pipe(tricky)


def test_help_and_version_go_to_stdout_and_exit_0():
    from hashtagcount import __version__

    for script in (MAPPER, REDUCER):
        for option in ("--help", "--version"):
            done = subprocess.run([sys.executable, str(script), option], capture_output=True)
            assert (done.returncode, done.stderr) == (0, b""), (script.name, option)
            assert done.stdout.startswith(b"usage: " + script.name.encode()) if option == "--help" \
                else done.stdout.decode().split() == [script.name, "(hashtag-count)", __version__]


@pytest.mark.parametrize("script", ["mapper.py", "reducer.py"])
def test_a_reader_that_goes_away_ends_the_script_quietly_as_it_ends_cat(script, tmp_path):
    if script == "mapper.py":
        data = tweet_lines(*("tag{}".format(i % 5000) for i in range(100000)))
    else:
        data = b"".join(b"key%07d\t1\n" % i for i in range(300000))
    big = tmp_path / "big"
    big.write_bytes(data)

    def head(command):
        return subprocess.run(["bash", "-c", "set -o pipefail; {} < big | head -1".format(command)],
                              cwd=str(tmp_path), capture_output=True)

    cat = head("cat")
    ours = head("'{}' '{}'".format(sys.executable, MAPPER.parent / script))
    assert cat.returncode == 128 + signal.SIGPIPE  # the shell's report of a death by SIGPIPE
    assert (ours.returncode, ours.stderr) == (cat.returncode, b"")
    assert ours.stdout.count(b"\n") == 1


# -- lines too long to hold (Firehose without newlines) ----------------------------------

def firehose_object(count: int) -> bytes:
    """``count`` records back to back with no newline, as Firehose writes them."""
    records = [tweet("Long", "line{}".format(i % 7)) if i % 3 else {"delete": {"id": i}} for i in range(count)]
    return json_line(*records, end=b"")


@pytest.mark.parametrize("args", [(), ("--validate",), ("--aggregate",)])
def test_long_lines_stream_with_the_same_output_and_counters(args):
    data = b"\n".join([
        firehose_object(300),
        json_line(tweet("short"), end=b""),
        firehose_object(50) + b'{"text": "cut',  # a malformed tail
        json_line({"delete": {"id": 1}}, end=b"") * 200,  # long, and no hashtag: the pre-check skips it
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


@pytest.mark.parametrize("minor", SCRIPT_PYTHONS)
def test_each_python_streams_long_lines_with_no_site_packages(minor, tmp_path):
    python = pyenv_python_or_skip(minor)
    mapper, _ = copied_alone(tmp_path)
    data = b"\xef\xbb\xbf" + firehose_object(200) + json_line(tweet("サッカー"), end=b"") * 50 + b"\r\n"
    streamed = subprocess.run(
        [str(python), "-S", str(mapper)], input=data, capture_output=True, check=True,
        env=dict(ALONE, HASHTAGCOUNT_LONG_LINE_BYTES="999"), cwd=str(mapper.parent),
    )
    assert streamed.stdout == map_(data).stdout  # the whole line, in this interpreter
    assert streamed.stdout.count("サッカー\t1".encode("utf-8")) == 50
