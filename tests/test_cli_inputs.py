"""``hashtag-count inputs``: the patterns and objects a date range reads, as a user runs it."""

import io

import pytest
from command import hashtag_count

from hashtagcount.emr.preflight import list_inputs
from hashtagcount.errors import UserError


def test_inputs_lists_patterns_sizes_and_empty_patterns(s3, dotted_bucket, moto_server):
    done = hashtag_count("inputs", "s3://tweets.dotted", "--from", "2017-01-31T23", "--to", "2017-02-01",
                         "--long", endpoint=moto_server)
    out = done.stdout.splitlines()
    assert done.returncode == 0, done.stderr  # an empty hour in a range is left out, as top and emr run do
    assert out[0].split() == ["s3://tweets.dotted/2017/01/31/23/*", "nothing:", "left", "out,", "as", "'top'",
                              "and", "'emr", "run'", "leave", "it", "out"]
    assert out[1].split()[:3] == ["s3://tweets.dotted/2017/02/01/*/*", "1", "object(s)"]
    size = s3.head_object(Bucket=dotted_bucket, Key="2017/02/01/00/a")["ContentLength"]
    assert out[2].split() == [str(size), "s3://tweets.dotted/2017/02/01/00/a"]
    assert out[-2:] == ["Total Objects: 1", "   Total Size: {} Bytes".format(size)]
    assert done.stderr == ("hashtag-count: note: 1 date pattern(s) matched nothing and are left out: "
                           "s3://tweets.dotted/2017/01/31/23/*\n")
    emr_run = io.StringIO()  # what emr run's preflight says of the same patterns: the same note
    list_inputs(s3, [line.split()[0] for line in out[:2]], emr_run, prefixes=1)
    (note,) = [line for line in emr_run.getvalue().splitlines() if line.startswith("note:")]
    assert done.stderr == "hashtag-count: " + note + "\n"


def test_inputs_on_local_sample_data():
    done = hashtag_count("inputs", "sample_data", "--from", "2017-01-31T22", "--to", "2017-02-01")
    assert done.returncode == 0, done.stderr
    patterns = [line.split()[0] for line in done.stdout.splitlines()[:3]]
    assert patterns == ["sample_data/2017/01/31/22/*", "sample_data/2017/01/31/23/*", "sample_data/2017/02/01/*/*"]
    assert "Total Objects: 6" in done.stdout


def test_inputs_reads_the_folders_a_glob_matches_as_emr_run_does_in_s3_and_on_disk(s3, disk_and_bucket, moto_server):
    key = "x/2017/02/01/00/a.json"
    disk, bucket = disk_and_bucket([key])
    (emr,) = list_inputs(s3, [bucket + "x/2017/02/*/*"], io.StringIO())
    assert [s.name for s in emr.sources] == [bucket + key]
    for root, endpoint in ((bucket, moto_server), (disk, None)):
        done = hashtag_count("inputs", root + "x/2017/02/*/*", "--long", endpoint=endpoint)
        assert done.returncode == 0, done.stderr
        out = done.stdout.splitlines()
        assert out[0].split() == [root + "x/2017/02/*/*", "1", "object(s)", "3", "Bytes"]
        assert out[1].split() == ["3", root + key]


@pytest.mark.parametrize("pattern", ["2017/*", ""])
def test_inputs_refuses_a_sub_folder_in_the_words_of_emr_run_in_s3_and_on_disk(cloud, moto_server, pattern):
    with pytest.raises(UserError) as refused:
        list_inputs(cloud, ["s3://tweets/firehose/" + pattern], io.StringIO())
    for root, endpoint in (("s3://tweets/firehose/", moto_server), ("sample_data/", None)):
        done = hashtag_count("inputs", root + pattern, endpoint=endpoint)
        assert (done.returncode, done.stdout) == (2, "")
        assert done.stderr == "hashtag-count: error: {}\n".format(str(refused.value).replace("s3://tweets/firehose/", root))
        suggested = done.stderr.split("e.g. ")[1].split(",")[0]
        reached = hashtag_count("inputs", suggested, endpoint=endpoint)
        assert reached.returncode == 0 and "Total Objects: 6" in reached.stdout, (suggested, reached.stderr)
    assert "is a folder inside what it reaches" in str(refused.value)


def test_inputs_names_every_bad_input_at_once(s3, moto_server, tmp_path):
    done = hashtag_count("inputs", tmp_path / "missing", "s3://My_Bucket/x", "s3://nosuchbucket/y",
                         endpoint=moto_server)
    assert done.returncode == 2 and done.stderr.count("\n") == 1
    for fragment in ("3 inputs could not be read", "missing: no such file or directory",
                     "s3://My_Bucket/x: invalid bucket name 'My_Bucket'", "s3://nosuchbucket/y: no such bucket"):
        assert fragment in done.stderr


def test_inputs_names_missing_paths_and_patterns_matching_nothing_in_one_error(tmp_path):
    done = hashtag_count("inputs", tmp_path / "missing.json", tmp_path / "missing2.json", tmp_path / "nomatch*")
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and done.stdout == ""
    for fragment in ("3 inputs could not be read", "missing.json: no such file or directory",
                     "missing2.json: no such file or directory", "nomatch*: matches no input file or object"):
        assert fragment in done.stderr


def test_the_help_examples_on_sample_data_work():
    from hashtagcount.cli_inputs import EPILOG

    examples = [line.split()[2:] for line in EPILOG.splitlines() if "sample_data" in line]
    assert examples
    for example in examples:
        done = hashtag_count("inputs", *example)
        assert done.returncode == 0 and "Total Objects: 0" not in done.stdout, (example, done.stderr)


def test_a_sub_folder_in_a_date_range_is_refused_as_emr_run_refuses_it_without_offering_dates(
        s3, disk_and_bucket, moto_server):
    disk, bucket = disk_and_bucket(["f/2017/02/01/00/sub/deeper/a"])
    with pytest.raises(UserError) as refused:
        list_inputs(s3, [bucket + "f/2017/02/01/*/*"], io.StringIO(), prefixes=1)
    assert str(refused.value).endswith("e.g. {}f/2017/02/01/*/*/*/*".format(bucket))
    for root, endpoint in ((bucket, moto_server), (disk, None)):
        done = hashtag_count("inputs", root + "f", "--from", "2017-02-01", "--to", "2017-02-01", endpoint=endpoint)
        assert (done.returncode, done.stdout) == (2, "")
        assert done.stderr == "hashtag-count: error: {}\n".format(str(refused.value).replace(bucket, root))


def test_a_prefix_with_nothing_in_the_whole_range_is_an_error_though_empty_hours_of_others_are_left_out(cloud):
    """A typo in one of two prefixes must not quietly halve the count: top, inputs and emr run refuse it."""
    given = ["sample_data", "sampel_data", "--from", "2017-01-31T20", "--to", "2017-02-01T01"]
    listed = hashtag_count("inputs", *given)
    assert listed.returncode == 1
    assert "sample_data/2017/01/31/20/*  nothing: left out" in listed.stdout
    assert "sampel_data/2017/01/31/20/*  MATCHES NOTHING" in listed.stdout
    counted = hashtag_count("top", *given)
    assert counted.returncode == 2 and "sampel_data/2017/01/31/20/*: matches no input file or object" in counted.stderr
    assert "sample_data/2017/01/31/20/*: matches" not in counted.stderr
    patterns = [line.split()[0] for line in listed.stdout.splitlines() if "/2017/" in line]
    in_s3 = [p.replace("sample_data/", "s3://tweets/firehose/").replace("sampel_data/", "s3://tweets/firehos/")
             for p in patterns]
    with pytest.raises(UserError, match="s3://tweets/firehos/2017/01/31/20/"):
        list_inputs(cloud, in_s3, io.StringIO(), prefixes=2)
