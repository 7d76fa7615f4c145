"""Shared fixtures: a real S3 endpoint over HTTP (moto's server) and the tweet archive.

The AWS code under test runs unchanged: it only receives ``endpoint_url``.
Fake credentials come from the environment, as they would from a user's
shell, so boto3's default credential chain finds them.
"""

import json
import logging
import urllib.request
from pathlib import Path

import pytest

from emr_user import SAMPLE, upload_tree
from pipeline import SHARED_TWEETS, no_shared_tweets_reason, shared_tweet_files
from tweets import json_text, retweet, tweet_json

FAKE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
}


@pytest.fixture(scope="session")
def moto_server():
    """The URL of a moto S3/EMR/IAM server on 127.0.0.1 (a free port), shared by the session."""
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one log line per request otherwise
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield "http://{}:{}".format(host, port)
    server.stop()


@pytest.fixture
def aws_env(monkeypatch, tmp_path):
    """Fake credentials in the environment; no real AWS config file is read."""
    for name, value in FAKE_CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_REGION"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    return dict(FAKE_CREDENTIALS)


@pytest.fixture
def s3(moto_server, aws_env):
    """A boto3 S3 client on the moto server; every bucket is deleted afterwards."""
    from hashtagcount.aws import session_client

    client = session_client("s3", endpoint_url=moto_server)
    yield client
    reset_moto(moto_server)



@pytest.fixture
def disk_and_bucket(s3, tmp_path):
    """``put(keys)`` writes each key as a file under ``tmp_path`` and as an object in bucket ``tweets``.

    It returns the two roots, ``tmp_path/`` and ``s3://tweets/``: one layout
    to show that a pattern reaches the same on disk as in S3.
    """
    def put(keys, body=b"{}\n"):
        s3.create_bucket(Bucket="tweets")
        for key in keys:
            s3.put_object(Bucket="tweets", Key=key, Body=body)
            (tmp_path / key).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / key).write_bytes(body)
        return str(tmp_path) + "/", "s3://tweets/"

    return put


def reset_moto(endpoint: str) -> None:
    """Forget every resource the moto server holds (between tests)."""
    request = urllib.request.Request(endpoint + "/moto-api/reset", data=b"", method="POST")
    with urllib.request.urlopen(request) as response:
        json.load(response)


def set_moto_auth(endpoint: str, enabled: bool) -> None:
    """Make moto check signatures and IAM policies (as AWS does) or accept anything.

    Server-wide: use the ``moto_auth`` fixture, which switches it back off.
    """
    count = b"0" if enabled else b"inf"
    request = urllib.request.Request(
        endpoint + "/moto-api/reset-auth", data=count, method="POST",
        headers={"Content-Type": "text/plain"},  # moto reads the raw body, not a form
    )
    with urllib.request.urlopen(request) as response:
        json.load(response)


@pytest.fixture
def moto_auth(moto_server):
    """Turn on moto's authentication and IAM policy checks for one test."""
    set_moto_auth(moto_server, True)
    yield moto_server
    set_moto_auth(moto_server, False)


@pytest.fixture
def iam_credentials(moto_server, s3, monkeypatch):
    """``use(actions)``: put the keys of a new IAM user allowed only ``actions`` in the environment.

    Pair with ``moto_auth`` (requested after the data is in place) so moto
    enforces the user's policy.
    """
    from hashtagcount.aws import session_client

    iam = session_client("iam", endpoint_url=moto_server)

    def use(actions, name="analyst"):
        iam.create_user(UserName=name)
        policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": list(actions), "Resource": "*"}]}
        iam.put_user_policy(UserName=name, PolicyName="only", PolicyDocument=json.dumps(policy))
        key = iam.create_access_key(UserName=name)["AccessKey"]
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", key["AccessKeyId"])
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", key["SecretAccessKey"])
        monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)

    return use


@pytest.fixture(scope="session")
def shared_tweets() -> Path:
    """``../shared/data/tweets`` (real v1.1 stream data), or skip when it is absent."""
    if not shared_tweet_files():
        pytest.skip(no_shared_tweets_reason())
    return SHARED_TWEETS


@pytest.fixture
def dotted_bucket(s3):
    """Bucket ``tweets.dotted`` (a name with dots: path-style addressing) holding one tweet, #S3, at 2017/02/01/00/a."""
    s3.create_bucket(Bucket="tweets.dotted")
    s3.put_object(Bucket="tweets.dotted", Key="2017/02/01/00/a",
                  Body=b'{"text":"x","entities":{"hashtags":[{"text":"S3"}]}}\n')
    return "tweets.dotted"


@pytest.fixture
def cloud(s3, moto_server):
    """Buckets ``tweets`` (sample_data/ under ``firehose/``) and ``code-bucket`` on moto."""
    upload_tree(s3, SAMPLE, "tweets", "firehose/")
    s3.create_bucket(Bucket="code-bucket")
    return s3


@pytest.fixture
def emr(moto_server, aws_env):
    from hashtagcount.aws import session_client

    return session_client("emr", endpoint_url=moto_server)


@pytest.fixture
def corpus(tmp_path):
    """One file with several records per kind, a delete message, a bad line, CRLF, and no final newline."""
    rows = [tweet_json("Rust", "go"), tweet_json("rust"), '{"delete":{"status":{"id":1}}}', "not json {",
            json_text(retweet("Python")), tweet_json("日本"), tweet_json("x") + tweet_json("y"), ""] * 50
    data = "\r\n".join(rows).encode() + b"\r\n" + tweet_json("end").encode()
    path = tmp_path / "tweets.json"
    path.write_bytes(data)
    return path
