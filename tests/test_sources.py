"""Expanding inputs: local paths of every kind, and S3 over real HTTP (moto's server)."""

from concurrent.futures import ThreadPoolExecutor

import pytest

from emr_standin import hadoop_glob

from hashtagcount.errors import UserError
from hashtagcount.sources import (
    Match,
    Source,
    component_regex,
    expand,
    expand_braces,
    hadoop_reach,
    human_size,
    sources_of,
)


def names(match):
    return [s.name for s in match.sources]


# --- patterns -----------------------------------------------------------


def test_braces_expand_like_hadoop_including_nested_and_slashes():
    assert expand_braces("2017/{01,02}/*") == ["2017/01/*", "2017/02/*"]
    assert expand_braces("a{b,c{d,e}}f") == ["abf", "acdf", "acef"]
    assert expand_braces("{x/1,y}/z") == ["x/1/z", "y/z"]
    with pytest.raises(UserError, match="unclosed"):
        expand_braces("2017/{01,02/*")


@pytest.mark.parametrize(
    "pattern, name, matches",
    [
        ("*", "part-0000.gz", True),
        ("part-?", "part-1", True),
        ("part-?", "part-12", False),
        ("[0-9][0-9]", "05", True),
        ("[!0]5", "05", False),
        ("[^0]5", "15", True),
        ("a.b", "axb", False),
        ("c\\*d", "c*d", True),
        ("c\\*d", "cxd", False),
    ],
)
def test_component_wildcards(pattern, name, matches):
    assert bool(component_regex(pattern).fullmatch(name)) is matches


@pytest.mark.parametrize("pattern", ["[z-a]", "part-[0-9"])
def test_a_bad_class_is_a_user_error(pattern):
    with pytest.raises(UserError, match="pattern"):
        component_regex(pattern)


def test_human_sizes_read_like_aws_s3_ls():
    assert human_size(0) == "0 Bytes"
    assert human_size(1536) == "1.5 KiB"
    assert human_size(3 * 1024 ** 3) == "3.0 GiB"


# --- local inputs -------------------------------------------------------


@pytest.fixture
def tree(tmp_path):
    """A Firehose-style tree with Hadoop bookkeeping files mixed in."""
    files = {
        "2017/02/01/00/a.json": b"{}\n",
        "2017/02/01/01/b.json.gz": b"xx",
        "2017/03/01/00/c.json.bz2": b"yyy",
        "2017/03/01/00/_SUCCESS": b"",
        "2017/03/01/00/.c.json.crc": b"crc",
        "_logs/history.json": b"{}",
        ".hidden/d.json": b"{}",
    }
    for name, data in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return tmp_path


def test_a_directory_is_walked_recursively_skipping_underscore_and_dot_names(tree):
    (match,) = expand([str(tree)])
    assert names(match) == [
        str(tree / "2017/02/01/00/a.json"),
        str(tree / "2017/02/01/01/b.json.gz"),
        str(tree / "2017/03/01/00/c.json.bz2"),
    ]
    assert match.total_bytes == 3 + 2 + 3


def test_a_file_a_glob_and_braces(tree):
    single, star, braces, nothing = expand(
        [str(tree / "2017/02/01/00/a.json"), str(tree / "2017/*/01/*/*"),
         str(tree / "2017/0{2,3}/01/00/*"), str(tree / "2018/*/*/*/*")]
    )
    assert names(single) == [str(tree / "2017/02/01/00/a.json")]
    assert len(star.sources) == 3  # not _SUCCESS, not .c.json.crc
    assert names(braces) == [str(tree / "2017/02/01/00/a.json"), str(tree / "2017/03/01/00/c.json.bz2")]
    assert nothing.empty


def test_compression_comes_from_the_suffix(tree):
    (match,) = expand([str(tree / "2017")])
    assert [s.compression for s in match.sources] == [None, "gz", "bz2"]


def test_dash_is_standard_input():
    (match,) = expand(["-"])
    assert match.sources == [Source("-", None)] and match.sources[0].is_stdin


def test_a_missing_path_is_a_one_line_error_naming_it(tmp_path):
    with pytest.raises(UserError, match=r"nope\.json: no such file or directory"):
        expand([str(tmp_path / "nope.json")])


def test_an_empty_match_is_an_error_when_counting(tree):
    matches = expand([str(tree / "2017/02/*/*/*"), str(tree / "1999/*/*/*/*")])
    with pytest.raises(UserError, match=r"1999/\*/\*/\*/\*: matches no input"):
        sources_of(matches)


def test_sources_are_deduplicated_in_order(tree):
    matches = expand([str(tree / "2017/02"), str(tree / "2017/*/*/*/*")])
    assert len(sources_of(matches)) == 3


# --- S3 -----------------------------------------------------------------


def put(s3, bucket, keys, body=b'{"text":"x"}\n'):
    s3.create_bucket(Bucket=bucket)
    for key in keys:
        s3.put_object(Bucket=bucket, Key=key, Body=body)


def test_s3_prefix_lists_everything_under_it_except_bookkeeping(s3, moto_server):
    put(s3, "tweets", ["2017/02/01/00/a", "2017/02/01/00/_SUCCESS", "2017/02/01/00/.a.crc",
                       "2017/02/10/00/b", "2017/020/x", "2017/02/_tmp/c"])
    (match,) = expand(["s3://tweets/2017/02"], endpoint_url=moto_server)
    assert names(match) == ["s3://tweets/2017/02/01/00/a", "s3://tweets/2017/02/10/00/b"]
    assert match.total_bytes == 2 * len(b'{"text":"x"}\n')
    (whole,) = expand(["s3://tweets"], endpoint_url=moto_server)
    assert len(whole.sources) == 3
    (one,) = expand(["s3://tweets/2017/020/x"], endpoint_url=moto_server)
    assert names(one) == ["s3://tweets/2017/020/x"]


def test_s3_globs_follow_hadoop_semantics(s3, moto_server):
    put(s3, "tweets", ["2017/02/01/00/a", "2017/02/01/00/_SUCCESS", "2017/02/02/13/b",
                       "2017/03/01/00/c", "2017/02/01/00/deeper/d"])
    month, braces, hour, none = expand(
        ["s3://tweets/2017/02/*/*/*", "s3://tweets/2017/{02/01,03/01}/*/*",
         "s3://tweets/2017/0[2-3]/0?/1[3]/*", "s3://tweets/2018/*/*/*/*"],
        endpoint_url=moto_server,
    )
    # The last * matches the folder deeper too, which stands for the object directly in it.
    assert names(month) == names(hadoop_reach(month)) == [
        "s3://tweets/2017/02/01/00/a", "s3://tweets/2017/02/01/00/deeper/d", "s3://tweets/2017/02/02/13/b"]
    assert names(braces) == names(hadoop_reach(braces)) == [
        "s3://tweets/2017/02/01/00/a", "s3://tweets/2017/02/01/00/deeper/d", "s3://tweets/2017/03/01/00/c"]
    assert names(hour) == ["s3://tweets/2017/02/02/13/b"]
    assert none.empty and none.total_bytes == 0


def test_a_console_folder_marker_is_no_object_for_a_glob_or_a_prefix(s3, moto_server):
    """The S3 console's "Create folder" writes an empty key ending in "/": a folder, as a disk has."""
    put(s3, "tweets", ["2017/02/01/00/", "2017/02/01/00/a"])
    glob, prefix = expand(["s3://tweets/2017/02/01/*/*", "s3://tweets/2017/02/01"], endpoint_url=moto_server)
    assert names(glob) == names(prefix) == ["s3://tweets/2017/02/01/00/a"]


def test_s3_listing_paginates_past_1000_keys(s3, moto_server):
    keys = ["2017/02/01/00/part-{:05d}".format(i) for i in range(1234)]
    s3.create_bucket(Bucket="many")
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda key: s3.put_object(Bucket="many", Key=key, Body=b""), keys))
    (prefix, pattern) = expand(["s3://many/2017/", "s3://many/2017/02/01/00/part-*"], endpoint_url=moto_server)
    assert len(prefix.sources) == len(pattern.sources) == 1234


def test_a_bucket_name_with_dots_works_path_style(s3, moto_server):
    put(s3, "tweets.example.com", ["2017/02/01/00/a"])
    (match,) = expand(["s3://tweets.example.com/2017/*/*/*/*"], endpoint_url=moto_server)
    assert names(match) == ["s3://tweets.example.com/2017/02/01/00/a"]


def test_a_missing_bucket_is_one_line_naming_it(s3, moto_server):
    with pytest.raises(UserError, match=r"^s3://no-such-bucket/x: no such bucket 'no-such-bucket'$"):
        expand(["s3://no-such-bucket/x"], endpoint_url=moto_server)


def test_an_unreachable_endpoint_is_one_line(aws_env):
    with pytest.raises(UserError, match=r"^s3://bucket/x: cannot reach the S3 endpoint"):
        expand(["s3://bucket/x"], endpoint_url="http://127.0.0.1:9")


def test_missing_credentials_say_how_to_set_them(aws_env, monkeypatch, moto_server):
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name)
    with pytest.raises(UserError, match=r"^s3://bucket/x: no AWS credentials found: set AWS_PROFILE or run aws configure$"):
        expand(["s3://bucket/x"], endpoint_url=moto_server)


def test_an_unknown_profile_is_one_line(aws_env, moto_server):
    with pytest.raises(UserError, match="AWS profile 'nobody'"):
        expand(["s3://bucket/x"], profile="nobody", endpoint_url=moto_server)


def test_an_unknown_profile_is_named_on_the_s3_inputs_only(aws_env, moto_server, tmp_path):
    (tmp_path / "t.json").write_text("{}\n")
    matches = expand(["s3://a/x", "s3://b/y", str(tmp_path)], profile="nobody", endpoint_url=moto_server,
                     keep_problems=True)
    assert ["AWS profile 'nobody'" in (m.problem or "") for m in matches] == [True, True, False]
    assert [s.name for s in matches[2].sources] == [str(tmp_path / "t.json")]


@pytest.fixture
def reader_without_s3_rights(s3, moto_server, iam_credentials):
    """Credentials of an IAM user whose policy grants no S3 right at all."""
    put(s3, "private", ["2017/02/01/00/a"])
    iam_credentials(["ec2:DescribeInstances"])
    return moto_server


def test_access_denied_by_policy_is_one_line(reader_without_s3_rights, moto_auth):
    with pytest.raises(UserError, match=r"^s3://private/2017: access denied \(AccessDenied"):
        expand(["s3://private/2017"], endpoint_url=reader_without_s3_rights)


@pytest.fixture
def private_bucket(s3):
    put(s3, "private", ["a"])


def test_unknown_access_key_is_access_denied(private_bucket, moto_server, moto_auth):
    with pytest.raises(UserError, match=r"^s3://private/a: access denied \(InvalidAccessKeyId"):
        expand(["s3://private/a"], endpoint_url=moto_server)


def test_an_error_while_listing_several_patterns_at_once_names_its_pattern(s3, moto_server):
    put(s3, "tweets", ["2017/02/01/00/a"])
    with pytest.raises(UserError, match=r"^s3://gone/2017/\*: no such bucket 'gone'$"):
        expand(["s3://tweets/2017/*/*/*/*", "s3://gone/2017/*", "s3://tweets/2017"], endpoint_url=moto_server)


def test_every_bad_input_is_named_in_one_error(s3, moto_server, tmp_path):
    put(s3, "tweets", ["2017/02/01/00/a"])
    inputs = [str(tmp_path / "missing.json"), "s3://gone/x", "s3://My_Bucket/x", "s3://tweets/2017",
              str(tmp_path / "missing2.json")]
    with pytest.raises(UserError) as error:
        expand(inputs, endpoint_url=moto_server)
    assert str(error.value) == "4 inputs could not be read: " + "; ".join([
        "{}: no such file or directory".format(tmp_path / "missing.json"),
        "s3://gone/x: no such bucket 'gone'",
        "s3://My_Bucket/x: invalid bucket name 'My_Bucket': only lowercase letters, digits, hyphens and dots "
        "are allowed (found 'B' 'M' '_')",
        "{}: no such file or directory".format(tmp_path / "missing2.json"),
    ])
    kept = expand(inputs, endpoint_url=moto_server, keep_problems=True)
    assert [bool(m.problem) for m in kept] == [True, True, True, False, True] and len(kept[3].sources) == 1


def test_an_invalid_bucket_name_is_refused_before_any_request(aws_env):
    with pytest.raises(UserError, match=r"^s3://ab/x: invalid bucket name 'ab': it must be 3 to 63 characters"):
        expand(["s3://ab/x"], endpoint_url="http://127.0.0.1:9")


FOLDERS = ["firehose/2017/02/01/00/a", "firehose/2017/03/01/00/b", "firehose/2017/03/_tmp/c",
           "firehose/2017/top-level", "firehose/2018/01/01/00/d"]


def test_a_glob_matching_folders_lists_everything_below_them_in_s3_as_on_disk(disk_and_bucket, moto_server):
    disk, bucket = disk_and_bucket(FOLDERS)
    (match,) = expand([bucket + "firehose/2017/*"], endpoint_url=moto_server)
    assert names(match) == ["s3://tweets/firehose/2017/02/01/00/a", "s3://tweets/firehose/2017/03/01/00/b",
                            "s3://tweets/firehose/2017/top-level"]
    (local,) = expand([disk + "firehose/2017/*"])
    assert [n[len(disk):] for n in names(local)] == [n[len(bucket):] for n in names(match)]


# --- what Hadoop reads --------------------------------------------------


def listed(pattern, *names):
    """A match as :func:`expand` lists it: everything below the folders ``pattern`` matches."""
    return Match(pattern, [Source(name, 1) for name in names])


@pytest.mark.parametrize("root", ["s3://tweets/", "/data/", "data/"])
def test_a_folder_a_glob_matches_stands_for_the_objects_directly_in_it(root):
    reached = hadoop_reach(listed(root + "x/2017/02/*/*", root + "x/2017/02/01/00/a.json", root + "x/2017/02/01/01/b"))
    assert names(reached) == [root + "x/2017/02/01/00/a.json", root + "x/2017/02/01/01/b"]
    assert reached.problem is None
    named = hadoop_reach(listed(root + "x/2017/02/01/00", root + "x/2017/02/01/00/a.json"))
    assert names(named) == [root + "x/2017/02/01/00/a.json"] and named.problem is None


@pytest.mark.parametrize("root", ["s3://tweets/", "/data/", "data/"])
def test_a_sub_folder_inside_what_a_pattern_reaches_is_the_problem_hadoop_fails_on(root):
    match = listed(root + "x/2017/*", root + "x/2017/02/01/00/a", root + "x/2017/03/01/00/b", root + "x/2017/top")
    reached = hadoop_reach(match, ("--from", "--to"))
    assert names(reached) == [root + "x/2017/top"]
    assert reached.problem == (
        "{0}x/2017/*: {0}x/2017/02/01 is a folder inside what it reaches (so are 1 other(s)), and Hadoop reads only "
        "the objects directly in a folder and fails the job on a sub-folder ('Not a file'); give a glob reaching "
        "the objects, e.g. {0}x/2017/*/*/*/* (it misses the 1 object(s) at other depths: a glob reaches one "
        "depth), or --from/--to".format(root))
    assert hadoop_reach(match).problem.endswith("one depth)")  # made by a date range: no --from/--to offered
    bare = hadoop_reach(listed(root + "x", root + "x/2017/02/01/00/a"))
    assert bare.problem.startswith("{0}x: {0}x/2017 is a folder inside what it reaches, and".format(root))
    assert bare.problem.endswith("e.g. {}x/*/*/*/*/*".format(root))


def test_the_hint_says_how_many_objects_its_glob_misses_when_they_lie_at_several_depths():
    match = listed("s3://t/x", "s3://t/x/a", "s3://t/x/sub/b", "s3://t/x/sub2/c/d", "s3://t/x/sub2/c/e")
    problem = hadoop_reach(match).problem
    assert "e.g. s3://t/x/*/*/* (it misses the 2 object(s) at other depths: a glob reaches one depth)" in problem
    level = listed("s3://t/y", "s3://t/y/a/b/1", "s3://t/y/c/d/2")
    assert hadoop_reach(level).problem.endswith("e.g. s3://t/y/*/*/*")


def test_each_brace_variant_reaches_to_its_own_depth():
    match = listed("s3://t/{a/1,b}/*", "s3://t/a/1/x/f", "s3://t/b/y/f", "s3://t/b/g")
    assert names(hadoop_reach(match)) == names(match)
    deeper = listed("s3://t/{a/1,b}/*", "s3://t/a/1/x/f", "s3://t/b/y/z/f")
    assert hadoop_reach(deeper).problem.startswith("s3://t/{a/1,b}/*: s3://t/b/y/z is a folder")


def test_the_bucket_root_standard_input_and_a_failed_listing_pass_through():
    assert names(hadoop_reach(listed("s3://t", "s3://t/a", "s3://t/b"))) == ["s3://t/a", "s3://t/b"]
    assert hadoop_reach(listed("s3://t/", "s3://t/a/b")).problem.startswith("s3://t/: s3://t/a is a folder")
    stdin = listed("-", "-")
    assert hadoop_reach(stdin) is stdin
    gone = Match("s3://gone/x", [], problem="s3://gone/x: no such bucket 'gone'")
    assert hadoop_reach(gone).problem == gone.problem


REACH = FOLDERS + ["x/2017/02/01/00/a.json", "x/2017/02/01/00/_SUCCESS", "x/2017/02/02/05/sub/c"]


@pytest.mark.parametrize("pattern", [
    "x/2017/02/*/*", "x/2017/02/01/*", "x/2017/02/01/00", "x/2017/02/*/*/*", "x/2017/02/02/05/*", "firehose/2017/*",
    "firehose/2018/*/*/*", "firehose/{2017/03/01,2018/01}/*", "firehose", "nothing/*",
])
def test_hadoop_reads_the_same_on_disk_as_in_s3_and_as_the_cluster_stand_in_does(disk_and_bucket, moto_server, pattern):
    disk, bucket = disk_and_bucket(REACH)
    in_s3, local = (hadoop_reach(m) for m in expand([bucket + pattern, disk + pattern], endpoint_url=moto_server,
                                                   keep_problems=True))
    files, folders = hadoop_glob(pattern, REACH)  # the stand-in's rule, written apart from the product's
    assert [n[len(bucket):] for n in names(in_s3)] == [n[len(disk):] for n in names(local)]
    if folders:
        assert in_s3.problem.startswith("{0}{1}: {0}{2} is a folder".format(bucket, pattern, folders[0]))
        assert local.problem == in_s3.problem.replace(bucket, disk)
    else:
        assert in_s3.problem is None and local.problem is None
        assert [n[len(bucket):] for n in names(in_s3)] == files


def test_a_wildcard_never_picks_bookkeeping_on_disk_as_in_s3(disk_and_bucket, moto_server):
    disk, bucket = disk_and_bucket(FOLDERS)
    in_s3, local = expand([bucket + "firehose/*/*/*/*", disk + "firehose/*/*/*/*"], endpoint_url=moto_server)
    assert [n[len(bucket):] for n in names(in_s3)] == [n[len(disk):] for n in names(local)] == [
        "firehose/2017/02/01/00/a", "firehose/2017/03/01/00/b", "firehose/2018/01/01/00/d"]  # not 2017/03/_tmp/c
