"""``hashtag-count top`` and ``inputs`` as a user runs them: real processes, real HTTP for S3."""

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "sample_data"
COMMAND = [sys.executable, "-m", "hashtagcount"]


def hashtag_count(*args, stdin=None, env=None):
    return subprocess.run(
        COMMAND + [str(a) for a in args], input=stdin, capture_output=True, cwd=REPO, env=env, timeout=120,
    )


def assert_one_line_error(done, *fragments):
    stderr = done.stderr.decode()
    assert done.returncode != 0, stderr
    assert "Traceback" not in stderr
    assert stderr.count("\n") == 1 and stderr.startswith("hashtag-count: error: "), stderr
    for fragment in fragments:
        assert fragment in stderr, stderr


def test_top_tsv_equals_the_streaming_pipe_byte_for_byte(shared_tweets):
    """The issue's "done when": same bytes as mapper | sort | reducer | sort."""
    files = " ".join("'{}'".format(p) for p in sorted(shared_tweets.glob("*.json.gz")))
    pipe = subprocess.run(
        ["bash", "-c", "set -o pipefail; gzip -dc {} | ./mapper.py | LC_ALL=C sort | ./reducer.py "
         "| LC_ALL=C sort -t \"$(printf '\\t')\" -k2,2nr -k1,1".format(files)],
        capture_output=True, cwd=REPO, check=True,
    )
    ours = hashtag_count("top", "--top", "0", "--format", "tsv", shared_tweets)
    assert ours.returncode == 0, ours.stderr
    assert ours.stdout == pipe.stdout and len(pipe.stdout.splitlines()) > 1000
    # The directory also holds SOURCES.md, whose lines are reported, not counted.
    assert ours.stderr.decode().startswith("hashtag-count: note: skipped ")


def test_sample_data_gives_its_expected_ranking_in_every_format():
    expected = (SAMPLE / "_expected.tsv").read_bytes()
    tsv = hashtag_count("top", "-n", "0", "-j", "2", "sample_data")
    assert tsv.stdout == expected  # tsv is the default when stdout is not a terminal
    top = [line.split("\t") for line in expected.decode().splitlines()][:3]
    as_json = json.loads(hashtag_count("top", "-n", "3", "--format", "json", "sample_data").stdout)
    assert as_json == [{"hashtag": t, "count": int(n)} for t, n in top]
    csv = hashtag_count("top", "-n", "3", "--format", "csv", "sample_data").stdout.decode().splitlines()
    assert csv == ["rank,hashtag,count"] + ["{},{},{}".format(i, t, n) for i, (t, n) in enumerate(top, 1)]
    table = hashtag_count("top", "-n", "3", "--format", "table", "sample_data").stdout.decode().splitlines()
    assert table[0].split() == ["rank", "hashtag", "count"] and table[1].split() == ["1", "#" + top[0][0], top[0][1]]


def test_standard_input_and_compressed_files(tmp_path):
    line = b'{"text":"x","entities":{"hashtags":[{"text":"Piped"}]}}\r\n'
    (tmp_path / "a.json.gz").write_bytes(gzip.compress(line * 3))
    done = hashtag_count("top", "-", tmp_path / "a.json.gz", stdin=line * 2)
    assert done.stdout == b"piped\t5\n" and done.returncode == 0


def test_a_sample_says_so(tmp_path):
    path = tmp_path / "t.json"
    path.write_text("".join('{"text":"x","entities":{"hashtags":[{"text":"t%d"}]}}\n' % (i % 7) for i in range(700)))
    tsv = hashtag_count("top", "--sample", "0.5", "--seed", "3", path)
    assert "SAMPLE: about 50% of lines (seed 3)" in tsv.stderr.decode()
    assert tsv.stdout == hashtag_count("top", "--sample", "0.5", "--seed", "3", "-j", "1", path).stdout
    table = hashtag_count("top", "--sample", "0.5", "--seed", "3", "--format", "table", path)
    assert table.stdout.decode().startswith("SAMPLE: about 50% of lines (seed 3)")


def test_html_chart_is_self_contained_and_escaped(tmp_path):
    path = tmp_path / "t.json"
    path.write_text('{"text":"x","entities":{"hashtags":[{"text":"<script>alert(1)</script>"},{"text":"a&b"}]}}\n')
    chart = tmp_path / "top.html"
    done = hashtag_count("top", path, "--chart", chart)
    assert done.returncode == 0, done.stderr
    page = chart.read_text(encoding="utf-8")
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "a&amp;b" in page
    assert "http" not in page  # nothing to fetch


def test_png_chart(tmp_path):
    pytest.importorskip("matplotlib", reason="matplotlib (the 'chart' extra) is not installed")
    chart = tmp_path / "top.png"
    done = hashtag_count("top", "sample_data", "-n", "5", "--chart", chart)
    assert done.returncode == 0, done.stderr
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_skip_unreadable_gives_a_partial_result_reported_as_such(tmp_path):
    (tmp_path / "good.json").write_text('{"text":"x","entities":{"hashtags":[{"text":"ok"}]}}\n')
    (tmp_path / "bad.json.gz").write_bytes(b"not gzip at all")
    failed = hashtag_count("top", tmp_path)
    assert_one_line_error(failed, "bad.json.gz: corrupt gzip data")
    partial = hashtag_count("top", "--skip-unreadable", tmp_path)
    assert partial.returncode == 0 and partial.stdout == b"ok\t1\n"
    assert "PARTIAL result: 1 input(s) could not be read" in partial.stderr.decode()


def test_no_progress_line_when_stderr_is_not_a_terminal():
    done = hashtag_count("top", "sample_data")
    assert "counting:" not in done.stderr.decode()


# --- every error of issue item 6, as a user sees it -----------------------


def test_missing_path(tmp_path):
    assert_one_line_error(hashtag_count("top", tmp_path / "nope"), "nope: no such file or directory")


def test_corrupt_gzip(tmp_path):
    good = gzip.compress(b'{"text":"x"}\n' * 1000)
    (tmp_path / "c.json.gz").write_bytes(good[:30] + b"\xff" * 20 + good[50:])
    assert_one_line_error(hashtag_count("top", tmp_path / "c.json.gz"), "c.json.gz: corrupt gzip data")


def test_from_after_to():
    assert_one_line_error(hashtag_count("top", "sample_data", "--from", "2017-03-02", "--to", "2017-03-01"),
                          "--from 2017-03-02 is after --to 2017-03-01")


def test_bad_option_values_are_argparse_one_liners():
    done = hashtag_count("top", "sample_data", "--sample", "2")
    assert done.returncode == 2 and "Traceback" not in done.stderr.decode() and "--sample" in done.stderr.decode()


def test_missing_bucket(s3, moto_server):
    assert_one_line_error(hashtag_count("top", "s3://no-such-bucket/x", "--endpoint-url", moto_server),
                          "s3://no-such-bucket/x: no such bucket")


def test_missing_credentials(aws_env, moto_server):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_ACCESS") and not k.startswith("AWS_SECRET")
           and k != "AWS_SESSION_TOKEN"}
    assert_one_line_error(hashtag_count("top", "s3://b/x", "--endpoint-url", moto_server, env=env),
                          "no AWS credentials found: set AWS_PROFILE or run aws configure")


S3_BODY = b'{"text":"x","entities":{"hashtags":[{"text":"S3"}]}}\n'


@pytest.fixture
def bucket(s3):
    s3.create_bucket(Bucket="tweets.dotted")
    s3.put_object(Bucket="tweets.dotted", Key="2017/02/01/00/a", Body=S3_BODY)
    return "tweets.dotted"


def test_access_denied(bucket, moto_server, moto_auth):
    assert_one_line_error(hashtag_count("top", "s3://tweets.dotted/2017", "--endpoint-url", moto_server),
                          "s3://tweets.dotted/2017: access denied")


def test_unreachable_endpoint(aws_env):
    assert_one_line_error(hashtag_count("top", "s3://b/x", "--endpoint-url", "http://127.0.0.1:9"),
                          "cannot reach the S3 endpoint")


def test_s3_top_with_a_date_range(bucket, moto_server):
    done = hashtag_count("top", "s3://tweets.dotted", "--from", "2017-02-01", "--to", "2017-02-01T05",
                         "--endpoint-url", moto_server)
    assert done.returncode == 0, done.stderr
    assert done.stdout == b"s3\t1\n"
