"""reducer.py as a real process: sums grouped counts, as reducer and as combiner."""

import os
import subprocess
import sys

from pipeline import REDUCER


def reduce(data: bytes, env=None):
    return subprocess.run(
        [sys.executable, str(REDUCER)], input=data, capture_output=True,
        env=dict(os.environ, **(env or {})),
    )


def test_sums_runs_of_equal_keys():
    result = reduce(b"a\t1\na\t1\nb\t1\nc\t2\nc\t3\n")
    assert result.returncode == 0
    assert result.stdout == b"a\t2\nb\t1\nc\t5\n"
    assert result.stderr == b""


def test_partial_sums_from_a_combiner_and_crlf_lines_add_up():
    assert reduce(b"a\t10\r\na\t-3\r\nb\t7\n").stdout == b"a\t7\nb\t7\n"


def test_keys_are_bytes_it_never_decodes():
    data = "çağ\t1\nçağ\t2\n".encode() + b"\xff\t1\n"
    assert reduce(data).stdout == "çağ\t3\n".encode() + b"\xff\t1\n"


def test_malformed_lines_are_counted_skipped_and_reported_once():
    result = reduce(b"a\t1\nno tab here\na\tx\na\t2\n")
    assert result.returncode == 0
    assert result.stdout == b"a\t3\n"
    assert result.stderr.decode().splitlines() == [
        "reducer.py: skipped 2 malformed line(s) of 4 (each must be 'key<TAB>integer')"
    ]


def test_under_hadoop_it_reports_counters_instead():
    result = reduce(b"a\t1\nbad\n", env={"mapreduce_task_id": "task_1_r_000000"})
    assert result.stderr.decode().splitlines() == [
        "reporter:counter:hashtag-count,reducer lines,2",
        "reporter:counter:hashtag-count,reducer malformed lines,1",
    ]


def test_empty_input_gives_empty_output():
    result = reduce(b"")
    assert (result.returncode, result.stdout, result.stderr) == (0, b"", b"")


def test_unknown_options_are_refused_with_the_usage_on_stderr():
    wrong = subprocess.run([sys.executable, str(REDUCER), "--bogus"], capture_output=True)
    assert wrong.returncode == 2 and wrong.stdout == b""
    assert wrong.stderr.startswith(b"usage: reducer.py") and b"--bogus" in wrong.stderr


def test_it_is_an_executable_python3_script_that_runs_anywhere():
    assert os.access(REDUCER, os.X_OK)
    assert REDUCER.read_text().startswith("#!/usr/bin/env python3\n")
    assert subprocess.run([str(REDUCER)], input=b"a\t1\n", capture_output=True, cwd="/").stdout == b"a\t1\n"
