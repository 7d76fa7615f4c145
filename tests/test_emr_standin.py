"""The cluster stand-in reads input as Hadoop does, so the end-to-end tests can trust it.

Its glob expansion, split grouping and line framing are written apart from
the product's (``hashtagcount.sources``, ``hashtagcount.records``); these
tests pin them to Hadoop's documented behaviour.
"""

import time

import pytest

from emr_standin import (
    COMBINE_INPUT_FORMAT, Block, ClusterStandIn, StepFailed, combine_splits, expand_braces, hadoop_glob,
    java_boolean, split_lines,
)
from emr_user import users_cluster

KEYS = [
    "f/2017/02/01/00/a", "f/2017/02/01/00/_tmp", "f/2017/02/01/01/b", "f/2017/02/02/00/c.gz",
    "f/2017/03/01/00/d", "f/2017/02/01/00/sub/e", "f/x",
]


def test_a_star_never_crosses_a_slash():
    # f/* matches the folder f/2017, whose sub-folders Hadoop refuses ("Not a file").
    assert hadoop_glob("f/*", KEYS) == (["f/x"], ["f/2017/02", "f/2017/03"])
    # A pattern stopping at the hour folders reads their files and refuses their sub-folders.
    assert hadoop_glob("f/2017/02/*/*", KEYS) == (
        ["f/2017/02/01/00/a", "f/2017/02/01/01/b", "f/2017/02/02/00/c.gz"], ["f/2017/02/01/00/sub"])
    # The last * matches the folder sub as well, which stands for the files in it.
    assert hadoop_glob("f/2017/02/*/*/*", KEYS) == (
        ["f/2017/02/01/00/a", "f/2017/02/01/00/sub/e", "f/2017/02/01/01/b", "f/2017/02/02/00/c.gz"], [])


def test_braces_classes_and_hidden_names():
    assert expand_braces("a{b,c{d,e}}f") == ["abf", "acdf", "acef"]
    assert hadoop_glob("f/2017/{02/01,03/01}/00/?", KEYS)[0] == ["f/2017/02/01/00/a", "f/2017/03/01/00/d"]
    assert hadoop_glob("f/2017/0[^2]/*/*/*", KEYS)[0] == ["f/2017/03/01/00/d"]
    assert "f/2017/02/01/00/_tmp" not in hadoop_glob("f/2017/02/01/00/*", KEYS)[0]
    # The hidden-file filter drops a hidden folder the glob matched, with everything in it.
    assert hadoop_glob("g/*", ["g/_logs/x", "g/_logs/y/z", "g/a"]) == (["g/a"], [])
    with pytest.raises(StepFailed):
        expand_braces("f/{a,b")


def test_a_folder_stands_for_the_files_directly_in_it():
    assert hadoop_glob("f/2017/02/01/01", KEYS) == (["f/2017/02/01/01/b"], [])
    assert hadoop_glob("f/2017/02/01/00/", KEYS) == (["f/2017/02/01/00/a"], ["f/2017/02/01/00/sub"])
    assert hadoop_glob("f/nothing/*", KEYS) == ([], [])


def test_small_objects_are_packed_and_gz_objects_stay_whole():
    splits = combine_splits([("s3://b/k{}".format(n), 100) for n in range(10)], 250)
    assert [len(split) for split in splits] == [3, 3, 3, 1]
    (whole,) = combine_splits([("s3://b/big.gz", 1000)], 250)
    assert [(b.start, b.length) for b in whole] == [(0, 1000)]
    pieces = [b for split in combine_splits([("s3://b/big", 1000)], 300) for b in split]
    assert [(b.start, b.length) for b in pieces] == [(0, 300), (300, 300), (600, 200), (800, 200)]
    assert len(combine_splits([("s3://b/a", 5), ("s3://b/b", 5)], 0)) == 1  # no maximum: one split


def test_lines_are_framed_as_line_record_reader_frames_them():
    data = b"ab\ncd\r\nef\rgh"
    assert list(split_lines(data, 0, len(data))) == [(0, b"ab"), (3, b"cd"), (7, b"ef"), (10, b"gh")]
    # Every line is read by exactly one split, wherever the cuts fall.
    for cut in range(1, len(data)):
        both = list(split_lines(data, 0, cut)) + list(split_lines(data, cut, len(data) - cut))
        assert both == list(split_lines(data, 0, len(data))), cut


def test_configuration_booleans_read_as_java_reads_them():
    assert java_boolean("TRUE", False) and not java_boolean(" false ", True)
    assert java_boolean("yes", True) and not java_boolean(None, False)


def _run_step(emr, s3, cluster, conf):
    own = users_cluster(emr, "mine")
    s3.create_bucket(Bucket="in-bucket")
    s3.put_object(Bucket="in-bucket", Key="d/one", Body=b"a\nbb\r\nccc")
    args = ["hadoop-streaming", *conf, "-inputformat", COMBINE_INPUT_FORMAT, "-mapper", "cat",
            "-reducer", "cat", "-input", "s3://in-bucket/d/*", "-output", "s3://in-bucket/out"]
    emr.add_job_flow_steps(JobFlowId=own, Steps=[{"Name": "raw", "ActionOnFailure": "CONTINUE",
                                                   "HadoopJarStep": {"Jar": "command-runner.jar", "Args": args}}])
    deadline = time.monotonic() + 30
    while not cluster.executed or "state" not in cluster.executed[-1]:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert cluster.executed[-1]["state"] == "COMPLETED"
    return s3.get_object(Bucket="in-bucket", Key="out/part-00000")["Body"].read()


def test_without_ignore_key_a_combining_format_hands_the_mapper_offsets(s3, emr, moto_server):
    with ClusterStandIn(moto_server) as cluster:
        assert _run_step(emr, s3, cluster, []) == b"0\ta\n2\tbb\n6\tccc\n"


def test_with_ignore_key_the_mapper_reads_the_lines_alone(s3, emr, moto_server):
    with ClusterStandIn(moto_server) as cluster:
        assert _run_step(emr, s3, cluster, ["-D", "stream.map.input.ignoreKey=true"]) == b"a\nbb\nccc\n"
