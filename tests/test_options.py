"""Shared options: one spelling, default and check in every command that offers them."""

import pytest

from command import hashtag_count

# Every command offering an option family, with the arguments it needs to get as far as parsing.
OUTPUT = [("top", "sample_data"), ("emr", "fetch", "j-1"), ("emr", "run", "--input", "s3://a-b/c", "--code-uri", "s3://a-b/d")]
AWS = OUTPUT[1:] + [("top", "sample_data"), ("inputs", "sample_data"), ("emr", "status", "j-1"),
                    ("emr", "logs", "j-1"), ("emr", "terminate", "j-1")]
DATES = [("top", "sample_data"), ("inputs", "sample_data"), ("emr", "run", "--input", "s3://a-b/c", "--code-uri", "s3://a-b/d")]


def refused(command, *bad):
    done = hashtag_count(*command, *bad)
    assert done.returncode == 2, done
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr, done.stderr
    return done.stderr


@pytest.mark.parametrize("command", OUTPUT, ids=" ".join)
def test_a_negative_top_is_refused_in_one_line(command):
    assert "argument -n/--top: must be at least 0, not -3" in refused(command, "--top", "-3")


@pytest.mark.parametrize("command", AWS, ids=" ".join)
def test_an_endpoint_without_a_scheme_is_refused(command):
    assert "is not an http:// or https:// URL" in refused(command, "--endpoint-url", "127.0.0.1:5055")


@pytest.mark.parametrize("command", DATES, ids=" ".join)
def test_a_bad_date_is_refused_before_anything_runs(command):
    message = refused(command, "--from", "2017-02-30", "--to", "2017-03-01")
    assert "argument --from: '2017-02-30': day is out of range for month" in message


@pytest.mark.parametrize("command", OUTPUT, ids=" ".join)
def test_every_output_option_has_the_same_help(command):
    top_help = hashtag_count("top", "--help").stdout
    this_help = hashtag_count(*command[:2], "--help").stdout
    for line in ("-n N, --top N         how many hashtags to print; 0 prints them all",
                 "(default: table on a terminal, tsv"):
        assert line in top_help and line in this_help


def test_the_format_defaults_to_tsv_when_piped():
    done = hashtag_count("top", "sample_data", "-n", "2")
    assert done.returncode == 0
    assert [line.count("\t") for line in done.stdout.splitlines()] == [1, 1]
