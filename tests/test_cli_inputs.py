"""``hashtag-count inputs``: the patterns and objects a date range reads, as a user runs it."""

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
S3_BODY = b'{"text":"x","entities":{"hashtags":[{"text":"S3"}]}}\n'


def hashtag_count(*args):
    return subprocess.run([sys.executable, "-m", "hashtagcount"] + [str(a) for a in args],
                          capture_output=True, cwd=REPO, timeout=120)


@pytest.fixture
def bucket(s3):
    s3.create_bucket(Bucket="tweets.dotted")
    s3.put_object(Bucket="tweets.dotted", Key="2017/02/01/00/a", Body=S3_BODY)
    return "tweets.dotted"


def test_inputs_lists_patterns_sizes_and_empty_patterns(bucket, moto_server):
    done = hashtag_count("inputs", "s3://tweets.dotted", "--from", "2017-01-31T23", "--to", "2017-02-01",
                         "--endpoint-url", moto_server, "--long")
    out = done.stdout.decode().splitlines()
    assert done.returncode == 1
    assert out[0].split() == ["s3://tweets.dotted/2017/01/31/23/*", "MATCHES", "NOTHING", "(Hadoop", "would",
                              "fail", "the", "job)"]
    assert out[1].split()[:3] == ["s3://tweets.dotted/2017/02/01/*/*", "1", "object(s)"]
    size = len(S3_BODY)
    assert out[2].split() == [str(size), "s3://tweets.dotted/2017/02/01/00/a"]
    assert out[-2:] == ["Total Objects: 1", "   Total Size: {} Bytes".format(size)]
    assert done.stderr.decode() == "hashtag-count: 1 pattern(s) match nothing: s3://tweets.dotted/2017/01/31/23/*\n"


def test_inputs_on_local_sample_data():
    done = hashtag_count("inputs", "sample_data", "--from", "2017-01-31T22", "--to", "2017-02-01")
    assert done.returncode == 0, done.stderr
    patterns = [line.split()[0] for line in done.stdout.decode().splitlines()[:3]]
    assert patterns == ["sample_data/2017/01/31/22/*", "sample_data/2017/01/31/23/*", "sample_data/2017/02/01/*/*"]
    assert "Total Objects: 6" in done.stdout.decode()
