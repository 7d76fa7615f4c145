"""``hashtag-count top`` and ``inputs`` as a user runs them: real processes, real HTTP for S3."""

import gzip
import json
import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from command import COMMAND, REPO, hashtag_count
from hashtagcount.sampling import BlockSample
from tweets import json_line, tweet, tweet_lines

SAMPLE = REPO / "sample_data"


def assert_one_line_error(done, *fragments):
    stderr = done.stderr
    assert done.returncode == 2, stderr
    assert "Traceback" not in stderr
    assert stderr.count("\n") == 1 and stderr.startswith("hashtag-count: error: "), stderr
    for fragment in fragments:
        assert fragment in stderr, stderr


def test_top_tsv_equals_the_streaming_pipe_byte_for_byte(shared_tweets):
    """top --format tsv prints the same bytes as mapper | sort | reducer | sort."""
    files = " ".join("'{}'".format(p) for p in sorted(shared_tweets.glob("*.json.gz")))
    pipe = subprocess.run(
        ["bash", "-c", "set -o pipefail; gzip -dc {} | ./mapper.py | LC_ALL=C sort | ./reducer.py "
         "| LC_ALL=C sort -t \"$(printf '\\t')\" -k2,2nr -k1,1".format(files)],
        capture_output=True, cwd=REPO, check=True,
    )
    ours = hashtag_count("top", "--top", "0", "--format", "tsv", shared_tweets)
    assert ours.returncode == 0, ours.stderr
    assert ours.stdout.encode() == pipe.stdout and len(pipe.stdout.splitlines()) > 1000
    # The directory also holds SOURCES.md, whose lines are reported by name, not counted.
    sources_md = str(shared_tweets / "SOURCES.md")
    warning, summary = ours.stderr.splitlines()
    assert warning.startswith("hashtag-count: warning: {}: ".format(sources_md))
    assert warning.endswith(": is this tweet data?")
    assert summary.startswith("hashtag-count: note: skipped ") and "; most in {} (".format(sources_md) in summary


def test_sample_data_gives_its_expected_ranking_in_every_format():
    expected = (SAMPLE / "_expected.tsv").read_bytes()
    tsv = hashtag_count("top", "-n", "0", "-j", "2", "sample_data")
    assert tsv.stdout.encode() == expected  # tsv is the default when stdout is not a terminal
    top = [line.split("\t") for line in expected.decode().splitlines()][:3]
    as_json = json.loads(hashtag_count("top", "-n", "3", "--format", "json", "sample_data").stdout)
    assert as_json == [{"hashtag": t, "count": int(n)} for t, n in top]
    csv = hashtag_count("top", "-n", "3", "--format", "csv", "sample_data").stdout.splitlines()
    assert csv == ["rank,hashtag,count"] + ["{},{},{}".format(i, t, n) for i, (t, n) in enumerate(top, 1)]
    table = hashtag_count("top", "-n", "3", "--format", "table", "sample_data").stdout.splitlines()
    assert table[0].split() == ["rank", "hashtag", "count"] and table[1].split() == ["1", "#" + top[0][0], top[0][1]]


def test_standard_input_and_compressed_files(tmp_path):
    line = json_line(tweet("Piped"), end=b"\r\n")
    (tmp_path / "a.json.gz").write_bytes(gzip.compress(line * 3))
    done = hashtag_count("top", "-", tmp_path / "a.json.gz", stdin=line * 2)
    assert done.stdout == "piped\t5\n" and done.returncode == 0


def test_a_sample_says_so(tmp_path):
    path = tmp_path / "t.json"
    path.write_bytes(tweet_lines(*("t%d" % (i % 7) for i in range(700))) * 100)  # 4.8 MB: 19 blocks to sample
    tsv = hashtag_count("top", "--sample", "0.5", "--seed", "3", path)
    assert "SAMPLE: about 50% of lines (seed 3)" in tsv.stderr
    assert tsv.stdout == hashtag_count("top", "--sample", "0.5", "--seed", "3", "-j", "1", path).stdout
    table = hashtag_count("top", "--sample", "0.5", "--seed", "3", "--format", "table", path)
    assert table.stdout.startswith("SAMPLE: about 50% of lines (seed 3)")


def test_a_sample_that_draws_no_line_says_why(tmp_path):
    path = tmp_path / "t.json"
    path.write_bytes(tweet_lines("small"))
    seed = next(seed for seed in range(1000) if not BlockSample(0.01, seed, "t.json").keeps(0))
    done = hashtag_count("top", "--sample", "0.01", "--seed", str(seed), path)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.splitlines()[-1].startswith("hashtag-count: error: the sample drew no line (it keeps or drops whole 256 KiB")


def test_an_empty_input_is_not_a_sample_that_drew_nothing(tmp_path):
    (tmp_path / "empty.json").write_bytes(b"")
    done = hashtag_count("top", "--sample", "0.5", tmp_path / "empty.json")
    assert done.returncode == 1
    assert done.stderr.splitlines()[-1] == (
        "hashtag-count: error: no input held a JSON record in the sample, so there is no count to trust")


def test_any_seed_draws_a_sample_and_a_seed_alone_is_refused(tmp_path):
    path = tmp_path / "t.json"
    path.write_bytes(tweet_lines(*("t%d" % (i % 7) for i in range(700))) * 100)
    for seed in (str(2 ** 127), str(-2 ** 200)):
        done = hashtag_count("top", "--sample", "0.5", "--seed", seed, path)
        assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    assert_one_line_error(hashtag_count("top", "--seed", "5", path), "--seed 5 chooses which sample is drawn: give --sample too")
    typo = hashtag_count("top", "--sample", "0", path)
    assert typo.returncode == 2 and "error: argument --sample: 0 is not a fraction in (0, 1]" in typo.stderr


def test_a_named_pipe_is_read_whole_sampled_or_not(tmp_path):
    data = tweet_lines(*("t%d" % (i % 7) for i in range(700))) * 100
    (tmp_path / "file").mkdir()
    (tmp_path / "file" / "p.json").write_bytes(data)
    pipe = tmp_path / "p.json"  # what bash's <(...) hands over: a path to a pipe
    os.mkfifo(pipe)
    for options in ([], ["--sample", "0.5", "--seed", "3"]):
        writer = threading.Thread(target=pipe.write_bytes, args=(data,), daemon=True)
        writer.start()
        done = hashtag_count("top", "-n", "0", *options, pipe)
        writer.join(timeout=60)
        assert done.returncode == 0, done.stderr
        assert done.stdout == hashtag_count("top", "-n", "0", *options, tmp_path / "file" / "p.json").stdout


def test_a_sample_of_everything_is_a_full_count_and_not_labelled_a_sample(tmp_path):
    path = tmp_path / "t.json"
    path.write_bytes(tweet_lines(*("t%d" % (i % 7) for i in range(70))))
    whole = hashtag_count("top", "--sample", "1", "--format", "table", "--chart", tmp_path / "c.html", path)
    assert whole.returncode == 0 and "SAMPLE" not in whole.stdout + whole.stderr
    assert "SAMPLE" not in (tmp_path / "c.html").read_text(encoding="utf-8")
    assert whole.stdout == hashtag_count("top", "--format", "table", path).stdout


def test_html_chart_is_self_contained_and_escaped(tmp_path):
    path = tmp_path / "t.json"
    path.write_bytes(tweet_lines("<script>alert(1)</script>", "a&b"))
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
    (tmp_path / "good.json").write_bytes(tweet_lines("ok"))
    (tmp_path / "bad.json.gz").write_bytes(b"not gzip at all")
    failed = hashtag_count("top", tmp_path)
    assert_one_line_error(failed, "bad.json.gz: not gzip data")
    partial = hashtag_count("top", "--skip-unreadable", tmp_path)
    assert partial.returncode == 0 and partial.stdout == "ok\t1\n"
    assert "PARTIAL result: 1 input(s) could not be read and were skipped: {}: not gzip data".format(
        tmp_path / "bad.json.gz") in partial.stderr


def test_no_progress_line_when_stderr_is_not_a_terminal():
    done = hashtag_count("top", "sample_data")
    assert "counting:" not in done.stderr


# --- every bad input is named in one error, before counting ------------------------------


@pytest.fixture
def mixed(tmp_path):
    """Good data beside a corrupt gzip, and names of things that are not there."""
    (tmp_path / "good.json").write_bytes(tweet_lines("ok", "ok"))
    (tmp_path / "notgz.gz").write_bytes(b"plain text")
    return tmp_path


def test_every_missing_path_and_empty_pattern_is_named_in_one_error_before_counting(mixed):
    done = hashtag_count("top", mixed / "missing.json", mixed / "good.json", mixed / "missing2.json",
                         mixed / "nomatch*", mixed / "notgz.gz")
    assert_one_line_error(done, "4 inputs could not be read: ",
                          "{}: no such file or directory".format(mixed / "missing.json"),
                          "{}: no such file or directory".format(mixed / "missing2.json"),
                          "{}: matches no input file or object".format(mixed / "nomatch*"),
                          "{}: not gzip data".format(mixed / "notgz.gz"))


def test_skip_unreadable_also_skips_missing_and_empty_inputs_naming_each(mixed):
    done = hashtag_count("top", "--skip-unreadable", mixed / "missing.json", mixed / "good.json",
                         mixed / "nomatch*", mixed / "notgz.gz")
    assert done.returncode == 0 and done.stdout == "ok\t2\n"
    (partial,) = [line for line in done.stderr.splitlines() if "PARTIAL" in line]
    assert "3 input(s) could not be read and were skipped" in partial
    for name in ("missing.json", "nomatch*", "notgz.gz"):
        assert str(mixed / name) in partial


def test_skip_unreadable_with_nothing_readable_is_still_an_error(mixed):
    assert_one_line_error(hashtag_count("top", "--skip-unreadable", mixed / "missing.json"), "missing.json")
    truncated = mixed / "truncated.json.gz"
    truncated.write_bytes(gzip.compress(tweet_lines("a") * 1000)[:100])
    assert_one_line_error(hashtag_count("top", "--skip-unreadable", mixed / "notgz.gz", truncated),
                          "2 inputs could not be read: ", "notgz.gz: not gzip data",
                          "truncated.json.gz: truncated compressed data")


# --- an input that is not tweet data, or is empty, is named ----------------------------


def test_an_input_with_no_json_record_is_named(tmp_path):
    (tmp_path / "random.bin").write_bytes(bytes(range(256)) * 40)
    (tmp_path / "good.json").write_bytes(tweet_lines("ok"))
    done = hashtag_count("top", tmp_path)
    assert done.returncode == 0 and done.stdout == "ok\t1\n"
    lines = done.stderr.splitlines()
    assert lines[0].startswith("hashtag-count: warning: {}: ".format(tmp_path / "random.bin"))
    assert lines[0].endswith(" lines, no JSON record: is this tweet data?")
    assert "; most in {} (".format(tmp_path / "random.bin") in lines[1]


def test_an_input_mostly_malformed_is_named_and_an_empty_one_noted(tmp_path):
    (tmp_path / "mostly-bad.json").write_bytes(tweet_lines("a") + b"not json\n" * 3)
    (tmp_path / "empty.json").write_bytes(b"")
    done = hashtag_count("top", tmp_path)
    assert done.stdout == "a\t1\n"
    assert "hashtag-count: note: {}: empty input, nothing counted".format(tmp_path / "empty.json") in done.stderr
    assert "hashtag-count: warning: {}: 3 malformed piece(s) in 4 lines: is this tweet data?".format(
        tmp_path / "mostly-bad.json") in done.stderr


def test_a_run_where_no_input_held_a_json_record_exits_1_after_the_warnings(tmp_path):
    (tmp_path / "random.bin").write_bytes(bytes(range(256)) * 40)
    (tmp_path / "empty.json").write_bytes(b"")
    done = hashtag_count("top", tmp_path / "random.bin", tmp_path / "empty.json")
    assert done.returncode == 1 and done.stdout == ""
    lines = done.stderr.splitlines()
    assert lines[0] == "hashtag-count: note: {}: empty input, nothing counted".format(tmp_path / "empty.json")
    assert lines[1].startswith("hashtag-count: warning: {}: ".format(tmp_path / "random.bin"))
    assert lines[-1] == "hashtag-count: error: no input held a JSON record, so there is no count to trust"


def test_in_a_sample_an_input_the_sample_drew_no_line_from_is_not_called_empty(tmp_path):
    (tmp_path / "empty.json").write_bytes(b"")
    done = hashtag_count("top", "sample_data", tmp_path / "empty.json", "--sample", "0.5")
    assert done.returncode == 0, done.stderr
    assert [line for line in done.stderr.splitlines() if "empty input" in line] == [
        "hashtag-count: note: {}: empty input, nothing counted".format(tmp_path / "empty.json")]


def test_in_a_sample_of_the_shared_tweets_sources_md_is_never_called_empty(shared_tweets):
    done = hashtag_count("top", shared_tweets, "--sample", "0.2", "-n", "1")
    assert done.returncode == 0, done.stderr
    assert "empty input" not in done.stderr


# --- no output file replaces an existing file or an input -------------------------------


def test_a_chart_never_replaces_an_existing_file(tmp_path):
    (tmp_path / "t.json").write_bytes(tweet_lines("a"))
    chart = tmp_path / "mine.html"
    chart.write_text("my own page")
    done = hashtag_count("top", tmp_path / "t.json", "--chart", chart)
    assert_one_line_error(done, "--chart {}: the file exists and would not be overwritten; choose another name, "
                                "or pass --force".format(chart))
    assert done.stdout == "" and chart.read_text() == "my own page"
    forced = hashtag_count("top", tmp_path / "t.json", "--chart", chart, "--force")
    assert forced.returncode == 0 and "#a" in chart.read_text(encoding="utf-8")


def test_a_chart_that_cannot_be_written_is_refused_before_counting(tmp_path):
    (tmp_path / "t.json").write_bytes(tweet_lines("a"))
    done = hashtag_count("top", tmp_path / "t.json", "--chart", "/proc/x.html")  # /proc: writable bits, no file
    assert_one_line_error(done, "--chart /proc/x.html: cannot create a file in the folder /proc")
    assert done.stdout == ""


@pytest.mark.parametrize("how", ["the file", "its folder", "a glob"])
def test_a_chart_is_never_written_onto_an_input_even_with_force(tmp_path, how):
    data = tmp_path / "in" / "in.html"
    data.parent.mkdir()
    data.write_bytes(tweet_lines("a"))
    given = {"the file": data, "its folder": data.parent, "a glob": data.parent / "*.html"}[how]
    done = hashtag_count("top", given, "--chart", data, "--force")
    assert_one_line_error(done, "--chart {}: is one of the inputs".format(data))
    assert data.read_bytes() == tweet_lines("a")


def test_a_chart_is_never_written_onto_the_file_read_as_standard_input(tmp_path):
    data = tmp_path / "in.html"
    data.write_bytes(tweet_lines("a"))
    with data.open("rb") as stdin:  # `top - < in.html`: the shell opens the file, so pass it as it would
        done = subprocess.run(COMMAND + ["top", "-", "--chart", str(data), "--force"], stdin=stdin,
                              capture_output=True, text=True, cwd=str(REPO), timeout=60)
    assert_one_line_error(done, "--chart {}: is one of the inputs".format(data))
    assert data.read_bytes() == tweet_lines("a")


# --- a chart draws a bounded number of bars and names tags it cannot draw ---------------


def test_a_chart_draws_at_most_50_bars_and_says_so(tmp_path):
    (tmp_path / "t.json").write_bytes(tweet_lines(*("t%03d" % i for i in range(120))))
    chart = tmp_path / "c.html"
    done = hashtag_count("top", tmp_path / "t.json", "-n", "0", "--chart", chart)
    assert done.returncode == 0 and len(done.stdout.splitlines()) == 120
    assert "hashtag-count: note: the chart shows the top 50 hashtags; -n asked for all 120" in done.stderr
    page = chart.read_text(encoding="utf-8")
    assert page.count("<tr>") == 50 and "<h1>Top 50 of 120 hashtags</h1>" in page


def test_a_png_chart_names_the_tags_it_cannot_draw_and_suggests_html(tmp_path):
    pytest.importorskip("matplotlib", reason="matplotlib (the 'chart' extra) is not installed")
    undrawable = "\ue000private"  # a private-use character: no font has a glyph for it
    (tmp_path / "t.json").write_bytes(tweet_lines("rust", undrawable, undrawable))
    done = hashtag_count("top", tmp_path / "t.json", "--chart", tmp_path / "c.png")
    assert done.returncode == 0, done.stderr
    (warning,) = done.stderr.splitlines()
    assert warning.startswith("hashtag-count: warning: {}: 1 tag(s) drawn with missing characters".format(
        tmp_path / "c.png"))
    assert "#" + undrawable in warning and "#rust" not in warning and "--chart FILE.html" in warning


def system_fonts():
    """Family names fontconfig knows on this machine (what fonts are installed)."""
    try:
        return subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True).stdout
    except FileNotFoundError:
        return ""


def test_a_png_chart_draws_hangul_japanese_and_thai_when_noto_fonts_are_installed(tmp_path):
    pytest.importorskip("matplotlib", reason="matplotlib (the 'chart' extra) is not installed")
    if "Noto Sans CJK" not in system_fonts() or "Noto Sans Thai" not in system_fonts():
        pytest.skip("Noto Sans CJK and Noto Sans Thai are not installed (Debian: fonts-noto-cjk fonts-noto-core)")
    (tmp_path / "t.json").write_bytes(tweet_lines("사설토토사이트추천", "日本", "ไทย", "rust"))
    done = hashtag_count("top", tmp_path / "t.json", "--chart", tmp_path / "c.png")
    assert done.returncode == 0 and done.stderr == "", done.stderr


def test_a_png_chart_of_drawable_tags_warns_nothing(tmp_path):
    pytest.importorskip("matplotlib", reason="matplotlib (the 'chart' extra) is not installed")
    (tmp_path / "t.json").write_bytes(tweet_lines("rust", "привет", "café"))
    done = hashtag_count("top", tmp_path / "t.json", "--chart", tmp_path / "c.png")
    assert done.returncode == 0 and done.stderr == ""


# --- each kind of error is one line naming the input, as a user sees it ---


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
    assert done.returncode == 2 and "Traceback" not in done.stderr and "--sample" in done.stderr


def test_inputs_may_come_among_the_options_as_cp_and_grep_allow():
    days = ["sample_data/2017/01", "sample_data/2017/02"]
    mixed = hashtag_count("top", days[0], "-n", "0", days[1])
    assert mixed.returncode == 0, mixed.stderr
    assert mixed.stdout == hashtag_count("top", "-n", "0", *days).stdout == (
        SAMPLE / "_expected.tsv").read_text(encoding="utf-8")
    hours = ["sample_data/2017/01/31/*", "sample_data/2017/02/01/*"]  # inputs refuses folders of folders
    listed = hashtag_count("inputs", hours[0], "--long", hours[1])
    assert listed.returncode == 0 and listed.stdout == hashtag_count("inputs", "--long", *hours).stdout
    wrong = hashtag_count("top", days[0], "--bogus", days[1])
    assert wrong.returncode == 2 and wrong.stderr.count("\n") == 1 and "unrecognized arguments: --bogus" in wrong.stderr


def test_missing_bucket(s3, moto_server):
    assert_one_line_error(hashtag_count("top", "s3://no-such-bucket/x", endpoint=moto_server),
                          "s3://no-such-bucket/x: no such bucket")


def test_every_missing_bucket_and_invalid_bucket_name_is_named(s3, moto_server):
    done = hashtag_count("top", "s3://nosuchbucket/x", "s3://nosuch2/y", "s3://My_Bucket/x", endpoint=moto_server)
    assert_one_line_error(done, "3 inputs could not be read: ", "s3://nosuchbucket/x: no such bucket",
                          "s3://nosuch2/y: no such bucket",
                          "s3://My_Bucket/x: invalid bucket name 'My_Bucket': only lowercase letters")


def test_missing_credentials(aws_env, moto_server):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_ACCESS") and not k.startswith("AWS_SECRET")
           and k != "AWS_SESSION_TOKEN"}
    assert_one_line_error(hashtag_count("top", "s3://bucket/x", endpoint=moto_server, env=env),
                          "no AWS credentials found: set AWS_PROFILE or run aws configure")


def test_access_denied(dotted_bucket, moto_server, moto_auth):
    assert_one_line_error(hashtag_count("top", "s3://tweets.dotted/2017", endpoint=moto_server),
                          "s3://tweets.dotted/2017: access denied")


def test_unreachable_endpoint(aws_env):
    assert_one_line_error(hashtag_count("top", "s3://bucket/x", endpoint="http://127.0.0.1:9"),
                          "cannot reach the S3 endpoint")


def test_s3_top_with_a_date_range(dotted_bucket, moto_server):
    done = hashtag_count("top", "s3://tweets.dotted", "--from", "2017-02-01", "--to", "2017-02-01T05",
                         endpoint=moto_server)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "s3\t1\n"


def test_an_s3_glob_reads_below_the_folders_it_matches_as_a_local_glob_does(cloud, moto_server):
    s3_glob = hashtag_count("top", "-n", "0", "s3://tweets/firehose/2017/*", endpoint=moto_server)
    local_glob = hashtag_count("top", "-n", "0", "sample_data/2017/*")
    assert s3_glob.returncode == 0, s3_glob.stderr
    assert s3_glob.stdout == local_glob.stdout == (SAMPLE / "_expected.tsv").read_text(encoding="utf-8")


# --- Ctrl-C, SIGTERM and SIGHUP end a run in one line, workers and all ------------------


@pytest.fixture(scope="module")
def slow_inputs(tmp_path_factory):
    """Three .gz files (one unit each, never split) that take a worker a while to count."""
    root = tmp_path_factory.mktemp("slow")
    data = gzip.compress(tweet_lines(*("tag{}".format(i % 5000) for i in range(600000))), 1)
    for name in ("a.json.gz", "b.json.gz", "c.json.gz"):
        (root / name).write_bytes(data)
    return root


def workers_of(pid):
    """The worker processes of ``pid`` (not multiprocessing's resource tracker, which outlives it by design)."""
    try:
        with open("/proc/{0}/task/{0}/children".format(pid)) as listing:
            children = [int(child) for child in listing.read().split()]
    except OSError:
        return []
    return [child for child in children if b"resource_tracker" not in _cmdline(child)]


def _cmdline(pid):
    try:
        with open("/proc/{}/cmdline".format(pid), "rb") as cmdline:
            return cmdline.read()
    except OSError:
        return b""


def alive(pid):
    try:
        with open("/proc/{}/stat".format(pid)) as stat:
            return stat.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


# The command, with a thread running first so that its workers are spawned, not forked.
SPAWNING = [sys.executable, "-c", "import sys, threading; threading.Thread(target=sys.stdin.read, daemon=True)"
            ".start(); from hashtagcount.cli import main; sys.exit(main(sys.argv[1:]))"]


@pytest.mark.skipif(not os.path.isdir("/proc/self/task"), reason="finds worker processes through Linux's /proc")
@pytest.mark.parametrize("command", [COMMAND, SPAWNING], ids=["forked", "spawned"])
@pytest.mark.parametrize("signum, code, message", [
    (signal.SIGINT, 130, "hashtag-count: interrupted (Ctrl-C)"),
    (signal.SIGTERM, 143, "hashtag-count: stopped by SIGTERM"),
    (signal.SIGHUP, 129, "hashtag-count: stopped by SIGHUP"),
])
def test_a_stop_signal_to_the_process_group_ends_top_in_one_line_with_its_workers(
    slow_inputs, command, signum, code, message,
):
    # Sent to the whole process group, as a terminal sends Ctrl-C and `timeout` its signal.
    run = subprocess.Popen(command + ["top", str(slow_inputs), "-j", "3"], cwd=REPO, stdin=subprocess.PIPE,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    for _ in range(200):
        workers = workers_of(run.pid)
        if len(workers) >= 2:
            break
        time.sleep(0.02)
    assert len(workers) >= 2, "no worker processes started"
    time.sleep(0.2)  # the workers are counting their first units now
    os.killpg(run.pid, signum)
    out, err = run.communicate(timeout=60)
    assert run.returncode == code, err
    assert err.decode() == message + "\n"  # no traceback, no leaked-semaphore warning
    assert not [pid for pid in workers if alive(pid)]
