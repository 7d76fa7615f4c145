"""Preflight: bucket rules, locations outside the input, inputs that exist, outputs that do not."""

import io

import pytest
from emr_standin import hadoop_glob

from hashtagcount.aws import bucket_name_problem, check_bucket_names
from hashtagcount.emr.preflight import (
    check_output_absent,
    check_outside_inputs,
    list_inputs,
    literal_location,
)
from hashtagcount.errors import UserError


@pytest.mark.parametrize("name", ["tweets", "my-code", "tweets.example.org", "a1b", "x" * 63, "1.2.3"])
def test_valid_bucket_names(name):
    assert bucket_name_problem(name) is None


@pytest.mark.parametrize("name, rule", [
    ("ab", "3 to 63 characters long (it has 2)"),
    ("x" * 64, "3 to 63 characters long (it has 64)"),
    ("My_Tweets", "only lowercase letters, digits, hyphens and dots are allowed (found 'M' 'T' '_')"),
    ("tweets..org", "two adjacent dots"),
    ("-tweets", "label must start and end with a letter or digit ('-tweets' does not)"),
    ("tweets.-org", "('-org' does not)"),
    ("tweets.", "('' does not)"),
    ("10.0.0.1", "formatted as an IP address"),
    ("xn--tweets", "reserved prefix 'xn--'"),
    ("tweets-s3alias", "reserved suffix '-s3alias'"),
])
def test_each_broken_rule_is_named(name, rule):
    problem = bucket_name_problem(name)
    assert problem is not None and rule in problem


def test_the_error_names_option_uri_bucket_and_rule():
    with pytest.raises(UserError) as error:
        check_bucket_names([("--code-uri", "s3://ok-bucket/x"), ("--output", "s3://Bad_Bucket/out")])
    assert str(error.value).startswith("--output s3://Bad_Bucket/out: invalid bucket name 'Bad_Bucket': only lowercase")


def test_literal_location_stops_at_the_folder_before_the_first_wildcard():
    assert literal_location("s3://t/firehose/2017/02/*/*/*") == "s3://t/firehose/2017/02/"
    assert literal_location("s3://t/firehose/2017/0[23]/01/*/*") == "s3://t/firehose/2017/"
    assert literal_location("s3://t/fire*") == "s3://t/"
    assert literal_location("s3://t/firehose") == "s3://t/firehose"


def test_locations_inside_the_input_are_refused():
    check_outside_inputs(["s3://t/firehose"], [("--code-uri", "s3://t/firehose-code"), ("--output", "s3://u/x")])
    with pytest.raises(UserError, match="--output s3://t/firehose/2018/out is inside the input location"):
        check_outside_inputs(["s3://t/firehose/2017/*/*/*/*", "s3://t/firehose"], [("--output", "s3://t/firehose/2018/out")])
    with pytest.raises(UserError, match="--code-uri s3://t/code is inside the input location s3://t/"):
        check_outside_inputs(["s3://t/*/2017/*/*/*/*"], [("--code-uri", "s3://t/code")])


@pytest.fixture
def bucket(s3):
    s3.create_bucket(Bucket="tweets")
    for key, size in [("f/2017/02/01/00/a.gz", 10), ("f/2017/02/01/00/_SUCCESS", 0), ("f/2017/02/02/05/b", 5)]:
        s3.put_object(Bucket="tweets", Key=key, Body=b"x" * size)
    return s3


def test_inputs_are_listed_with_their_size(bucket):
    out = io.StringIO()
    matches = list_inputs(bucket, ["s3://tweets/f/2017/02/01/*/*", "s3://tweets/f/2017/02/*/*/*"], out)
    assert [len(m.sources) for m in matches] == [1, 2]
    lines = out.getvalue().splitlines()
    assert lines[0] == "input: s3://tweets/f/2017/02/01/*/*  1 object(s), 10 Bytes"
    assert lines[-1] == "input: 3 object(s), 25 Bytes (25 bytes) in total"


def test_an_empty_pattern_is_named(bucket):
    with pytest.raises(UserError) as error:
        list_inputs(bucket, ["s3://tweets/f/2017/02/*/*/*", "s3://tweets/f/2017/03/*/*/*"], io.StringIO())
    message = str(error.value)
    assert message.startswith("input pattern s3://tweets/f/2017/03/*/*/* matches no object")
    assert "aws s3 ls s3://tweets/f/2017/03/" in message


LAYOUT = [
    "f/x", "f/_SUCCESS", "f/.x.crc", "f/_logs/y", "f/_logs/deep/z",
    "f/2017/02/01/00/a.gz", "f/2017/02/01/00/_SUCCESS", "f/2017/02/01/00/_tmp/t", "f/2017/02/02/05/b",
    "f/2017/02/02/05/sub/c", "g/2017/01/h",
]


@pytest.mark.parametrize("pattern", [
    "f", "f/", "f/*", "f/2017/02/*/*", "f/2017/02/*/*/*", "f/2017/02/01/*", "f/2017/02/01/00", "f/2017/02/01/00/*",
    "f/2017/02/{01,02}/*", "f/2017/*/*/*/*", "g", "g/2017/01", "g/*/*", "",
])
def test_inputs_reach_exactly_what_hadoop_reads_and_fail_where_it_fails(s3, pattern):
    s3.create_bucket(Bucket="tweets")
    for key in LAYOUT:
        s3.put_object(Bucket="tweets", Key=key, Body=b"x")
    files, folders = hadoop_glob(pattern, LAYOUT)  # the stand-in's rule, written apart from the product's
    uri = "s3://tweets/" + pattern
    if folders:
        with pytest.raises(UserError) as error:
            list_inputs(s3, [uri], io.StringIO())
        message = str(error.value)
        assert message.startswith("{}: s3://tweets/{} is a folder".format(uri, folders[0]))
        assert "reads only the objects directly in a folder and fails the job on a sub-folder" in message
    elif not files:
        with pytest.raises(UserError, match="matches no object"):
            list_inputs(s3, [uri], io.StringIO())
    else:
        (match,) = list_inputs(s3, [uri], io.StringIO())
        assert sorted(s.name for s in match.sources) == ["s3://tweets/" + key for key in files]


def test_a_bare_prefix_above_dated_folders_is_refused_with_the_glob_that_reaches_them(s3):
    s3.create_bucket(Bucket="tweets")
    s3.put_object(Bucket="tweets", Key="firehose/2017/02/01/00/a", Body=b"x")
    s3.put_object(Bucket="tweets", Key="other/2017/02/01/00/b", Body=b"x")
    with pytest.raises(UserError) as error:
        list_inputs(s3, ["s3://tweets/firehose", "s3://tweets/other/2017"], io.StringIO())
    message = str(error.value)
    assert "\n" not in message
    assert "s3://tweets/firehose: s3://tweets/firehose/2017 is a folder inside what it reaches" in message
    assert "e.g. s3://tweets/firehose/*/*/*/*/*, or --from/--to" in message
    assert "; s3://tweets/other/2017: s3://tweets/other/2017/02 is a folder" in message
    assert "e.g. s3://tweets/other/2017/*/*/*/*, or --from/--to" in message


def test_a_missing_bucket_is_a_user_error(s3):
    with pytest.raises(UserError, match="no such bucket"):
        list_inputs(s3, ["s3://no-such-bucket/x/*"], io.StringIO())


@pytest.mark.parametrize("existing", ["out/part-00000", "out_$folder$", "out"])
def test_an_existing_output_is_refused(s3, existing):
    s3.create_bucket(Bucket="results")
    s3.put_object(Bucket="results", Key=existing, Body=b"")
    with pytest.raises(UserError, match="--output s3://results/out/ already exists"):
        check_output_absent(s3, "s3://results/out/")


def test_a_sibling_with_a_longer_name_is_not_the_output(s3):
    s3.create_bucket(Bucket="results")
    s3.put_object(Bucket="results", Key="out-old/part-00000", Body=b"")
    s3.put_object(Bucket="results", Key="outer", Body=b"")
    check_output_absent(s3, "s3://results/out")
