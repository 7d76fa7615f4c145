"""Reading a unit: plain files, gzip, bzip2 and S3 objects, read errors, lines too long to hold.

How units are planned, scattered over workers and merged is tests/test_scheduler.py's.
"""

import bz2
import gzip
import json
import random
from collections import Counter
from pathlib import Path

import pytest

from hashtagcount import fastfind, scheduler
from hashtagcount.engine import Options, unreadable
from hashtagcount.scheduler import plan_units, run
from hashtagcount.sources import Source, expand, sources_of
from tweets import expected_counts, retweet, tweet_json


# --- counting -----------------------------------------------------------


def test_splits_gzip_and_bzip2_all_count_what_the_mapper_counts(corpus, tmp_path, monkeypatch):
    data = corpus.read_bytes()
    (tmp_path / "tweets2.json.gz").write_bytes(gzip.compress(data))
    (tmp_path / "tweets3.json.bz2").write_bytes(bz2.compress(data))
    monkeypatch.setattr(scheduler, "MIN_SPLIT", 500)
    sources = sources_of(expand([str(tmp_path)]))
    result = run(sources, Options(), jobs=1)
    expected = expected_counts(data)
    assert expected["rust"] == 100 and expected["python"] == 50
    assert result.counts == Counter({k: 3 * n for k, n in expected.items()})
    assert result.stats.malformed == 3 * 50 and result.stats.lines == 3 * (8 * 50 + 1)
    assert sorted(result.by_source) == [s.name for s in sources]
    assert all(stats.malformed == 50 and stats.lines == 8 * 50 + 1 for stats in result.by_source.values())


def test_options_reach_the_extractor(corpus):
    data = corpus.read_bytes()
    result = run([Source(str(corpus), len(data))], Options(case_sensitive=True, exclude_retweets=True), jobs=1)
    assert result.counts == expected_counts(data, case_sensitive=True, exclude_retweets=True)
    assert "python" not in result.counts and result.counts["Rust"] == 50




def stream_of_reads(rnd) -> bytes:
    """About 1 MB of a stream: stretches of usual records (LF or CRLF), two of them with odd lines in them."""
    usual = [tweet_json("Rust", "go"), tweet_json(), json.dumps(retweet("Py")), '{"delete":{"status":{"id":1}}}',
             '{"entities": {"hashtags" : [ {"text": "Spaced"}]}, "text": "t"}', tweet_json("a") + tweet_json("b")]
    odd = ["", "\ufeff" + tweet_json("bom"), '{"text": "cut', "junk", " " + tweet_json("lead"), "\t"]
    stretches = []
    for i in range(40):
        rows = [rnd.choice(usual) for _ in range(rnd.randrange(20, 200))]
        if i in (5, 30):
            rows.insert(rnd.randrange(len(rows)), rnd.choice(odd))
        stretches.append(rnd.choice(["\n", "\r\n"]).join(rows) + "\n")
    return "".join(stretches).encode("utf-8")


def test_reads_pre_checked_whole_count_what_lines_pre_checked_one_by_one_count(tmp_path, monkeypatch):
    """With the SIMD count a read's lines are sifted in place, without it one by one: the same counts and stats."""
    data = stream_of_reads(random.Random(4))
    path = tmp_path / "stream.json"
    path.write_bytes(data)
    monkeypatch.setattr(scheduler, "MIN_SPLIT", 100000)  # ranges cut inside reads, too
    sources = sources_of(expand([str(path)]))

    def counted(find):
        monkeypatch.setenv(fastfind.ENVIRONMENT_SWITCH, find)
        result = run(sources, Options(), jobs=1)
        return result.counts, result.stats.counters()

    one_by_one = counted("bytes")
    assert one_by_one[0] == expected_counts(data) and one_by_one[0]["spaced"] > 0
    assert one_by_one[1]["malformed pieces"] > 0 and one_by_one[1]["lines"] == data.count(b"\n")
    assert counted("") == one_by_one


# --- errors -------------------------------------------------------------


@pytest.fixture
def damaged(tmp_path, corpus):
    good = gzip.compress(corpus.read_bytes())
    (tmp_path / "corrupt.json.gz").write_bytes(good[:40] + b"\x00" * 40 + good[80:])
    (tmp_path / "truncated.json.gz").write_bytes(good[: len(good) // 2])
    (tmp_path / "notgzip.json.gz").write_bytes(b"plain text, not gzip\n")
    return tmp_path


def failures(*sources, jobs=1, **options):
    """What ``run`` says about inputs it could not read (it names them, it does not raise)."""
    return run(list(sources), Options(**options), jobs=jobs).failed


def source(path):
    return Source(str(path), path.stat().st_size)


@pytest.mark.parametrize("name, cause", [
    ("corrupt.json.gz", "corrupt gzip data"),
    ("truncated.json.gz", "truncated compressed data"),
    ("notgzip.json.gz", "corrupt gzip data"),
])
def test_a_damaged_gzip_is_one_line_naming_the_file(damaged, name, cause):
    (failure,) = failures(source(damaged / name))
    assert failure.startswith("{}: {}".format(damaged / name, cause)) and "\n" not in failure


def test_every_unreadable_input_is_named_and_the_rest_counted(damaged, corpus):
    result = run(sources_of(expand([str(damaged)])), Options(), jobs=2)
    assert [f.split(": ")[0] for f in result.failed] == [
        str(damaged / n) for n in ("corrupt.json.gz", "notgzip.json.gz", "truncated.json.gz")]
    assert result.counts == expected_counts(corpus.read_bytes())


def test_a_file_removed_after_listing_is_named(tmp_path):
    assert failures(Source(str(tmp_path / "gone.json"), 10)) == [
        "{}: No such file or directory".format(tmp_path / "gone.json")]


def test_files_that_cannot_be_opened_or_are_not_what_their_name_says_are_found_before_counting(damaged, tmp_path):
    (tmp_path / "empty.json.gz").write_bytes(b"")
    (tmp_path / "not.bz2").write_bytes(b"plain")
    found = unreadable([source(damaged / "notgzip.json.gz"), source(damaged / "truncated.json.gz"),
                        source(tmp_path / "empty.json.gz"), source(tmp_path / "not.bz2"),
                        Source(str(tmp_path / "gone.json"), 1)])
    assert found == {
        str(damaged / "notgzip.json.gz"): "{}: not gzip data (its name ends in .gz)".format(damaged / "notgzip.json.gz"),
        str(tmp_path / "not.bz2"): "{}: not bzip2 data (its name ends in .bz2)".format(tmp_path / "not.bz2"),
        str(tmp_path / "gone.json"): "{}: No such file or directory".format(tmp_path / "gone.json"),
    }


# --- S3 -----------------------------------------------------------------


def test_s3_objects_are_streamed_split_and_counted(s3, moto_server, corpus, monkeypatch):
    data = corpus.read_bytes()
    s3.create_bucket(Bucket="tweets.archive")
    s3.put_object(Bucket="tweets.archive", Key="2017/02/01/00/a", Body=data)
    s3.put_object(Bucket="tweets.archive", Key="2017/02/01/01/b.gz", Body=gzip.compress(data))
    monkeypatch.setattr(scheduler, "MIN_SPLIT", 3000)
    monkeypatch.setenv("HASHTAGCOUNT_LONG_LINE_BYTES", "2000")  # so reads of 1000 bytes cut many lines
    sources = sources_of(expand(["s3://tweets.archive/2017/02/*/*/*"], endpoint_url=moto_server))
    assert len(plan_units(sources, 1)) > 3
    result = run(sources, Options(endpoint_url=moto_server), jobs=1)
    assert result.counts == Counter({k: 2 * n for k, n in expected_counts(data).items()})


def test_s3_in_worker_processes(s3, moto_server, corpus):
    s3.create_bucket(Bucket="tweets")
    for key in ("a", "b", "c"):
        s3.put_object(Bucket="tweets", Key=key, Body=corpus.read_bytes())
    sources = sources_of(expand(["s3://tweets/"], endpoint_url=moto_server))
    result = run(sources, Options(endpoint_url=moto_server), jobs=2)
    assert result.counts == Counter({k: 3 * n for k, n in expected_counts(corpus.read_bytes()).items()})


def test_an_s3_object_deleted_after_listing_is_named(s3, moto_server):
    s3.create_bucket(Bucket="tweets")
    assert failures(Source("s3://tweets/gone", 10), endpoint_url=moto_server) == ["s3://tweets/gone: no such object"]


@pytest.fixture
def listable_not_readable(s3, moto_server, iam_credentials, corpus):
    s3.create_bucket(Bucket="tweets")
    s3.put_object(Bucket="tweets", Key="2017/a", Body=corpus.read_bytes())
    iam_credentials(["s3:ListBucket"])
    return sources_of(expand(["s3://tweets/2017"], endpoint_url=moto_server))


def test_an_object_that_can_be_listed_but_not_read_is_named(listable_not_readable, moto_server, moto_auth):
    (failure,) = failures(*listable_not_readable, endpoint_url=moto_server)
    assert failure.startswith("s3://tweets/2017/a: access denied (AccessDenied")


# --- real data ----------------------------------------------------------


def test_real_tweets_count_as_the_mapper_does_with_one_or_two_workers(shared_tweets):
    sources = sources_of(expand([str(p) for p in sorted(shared_tweets.glob("*.json.gz"))]))
    expected = Counter()
    for source in sources:
        expected += expected_counts(gzip.decompress(Path(source.name).read_bytes()))
    assert run(sources, Options(), jobs=1).counts == expected
    assert run(sources, Options(fast_json=False), jobs=2).counts == expected


# --- lines too long to hold (Firehose without newlines) ---------------------


@pytest.fixture
def long_lines(tmp_path):
    """Firehose-style lines (records back to back) among ordinary ones, plain, gzip and bzip2."""
    firehose = "".join(tweet_json("Rust", "go") + tweet_json("x%d" % (i % 5)) + '{"delete":{"status":{"id":1}}}'
                       for i in range(80))
    rows = [firehose, tweet_json("short"), firehose + '{"text": "cut', '{"delete":{"status":{"id":1}}}' * 60,
            "\u00e9garbage" * 200, "", firehose]
    data = "\r\n".join(rows * 3).encode()
    (tmp_path / "a.json").write_bytes(data)
    (tmp_path / "b.json.gz").write_bytes(gzip.compress(data))
    (tmp_path / "c.json.bz2").write_bytes(bz2.compress(data))
    return data


def counted(monkeypatch, sources, options, long_line, jobs=1):
    monkeypatch.setenv("HASHTAGCOUNT_LONG_LINE_BYTES", str(long_line))
    result = run(sources, options, jobs=jobs)
    return result.counts, result.stats.counters()


@pytest.mark.parametrize("options", [Options(), Options(exclude_retweets=True, sample=0.5, seed=3)])
def test_long_lines_stream_with_the_counts_and_stats_of_whole_lines(long_lines, tmp_path, monkeypatch, options):
    monkeypatch.setattr(scheduler, "MIN_SPLIT", 5000)  # byte ranges start and end inside long lines
    sources = sources_of(expand([str(tmp_path)]))
    assert len(plan_units(sources, 1)) > 4
    whole = counted(monkeypatch, sources, options, 10**9)
    assert counted(monkeypatch, sources, options, 2000) == whole
    assert counted(monkeypatch, sources, options, 2000, jobs=2) == whole
    if options.sample is None:
        assert whole[0] == Counter({k: 3 * n for k, n in expected_counts(long_lines).items()})
        assert whole[0]["rust"] == 3 * 3 * 80 * 3


def test_long_lines_in_s3_objects_stream_too(s3, moto_server, long_lines, monkeypatch):
    s3.create_bucket(Bucket="firehose")
    s3.put_object(Bucket="firehose", Key="2017/02/01/00/a", Body=long_lines)
    s3.put_object(Bucket="firehose", Key="2017/02/01/01/b.gz", Body=gzip.compress(long_lines))
    monkeypatch.setattr(scheduler, "MIN_SPLIT", 5000)
    sources = sources_of(expand(["s3://firehose/2017/02/*/*/*"], endpoint_url=moto_server))
    assert len(plan_units(sources, 1)) > 3
    options = Options(endpoint_url=moto_server)
    whole = counted(monkeypatch, sources, options, 10**9)
    assert counted(monkeypatch, sources, options, 2000) == whole
    assert whole[0] == Counter({k: 2 * n for k, n in expected_counts(long_lines).items()})
