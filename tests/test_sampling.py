"""hashtagcount.sampling and the reader's use of it: blocks chosen by seed, name and offset; lines by their first byte."""

import gzip
import os
import random
import threading
from collections import Counter

import pytest

from hashtagcount import scheduler
from hashtagcount.engine import Options
from hashtagcount.lines import range_lines
from hashtagcount.sampling import BLOCK_BYTES, BlockSample, sample_name
from hashtagcount.scheduler import run
from hashtagcount.sources import Source, expand, sources_of
from streams import MeteredOpener, flat, opener


def lines_and_starts(data: bytes):
    """Every line of ``data`` (without its newline) with the offset of its first byte."""
    found, start = [], 0
    while start < len(data):
        end = data.find(b"\n", start)
        end = len(data) if end < 0 else end
        found.append((start, data[start:end]))
        start = end + 1
    return found


def read(data: bytes, sample, cuts=(), **reader):
    """The lines the reader hands over for ``data`` cut into ranges at ``cuts`` (long lines joined)."""
    bounds = [0, *cuts, None]
    got = []
    for start, end in zip(bounds, bounds[1:]):
        got.extend(flat(range_lines(opener(data), start, end, sample=sample, **reader)))
    return got


def test_about_the_fraction_of_blocks_is_kept_and_the_seed_and_name_choose_which():
    for fraction in (0.01, 0.1, 0.5):
        kept = sum(BlockSample(fraction, seed=0, name="x.json").keeps(i) for i in range(20000))
        assert abs(kept / 20000 - fraction) < 0.1 * fraction + 0.003, fraction
    chosen = [BlockSample(0.5, seed=1, name="x.json").keeps(i) for i in range(64)]
    assert chosen == [BlockSample(0.5, seed=1, name="x.json").keeps(i) for i in range(64)]
    assert chosen != [BlockSample(0.5, seed=2, name="x.json").keeps(i) for i in range(64)]
    assert chosen != [BlockSample(0.5, seed=1, name="y.json").keeps(i) for i in range(64)]


def test_the_name_is_the_last_path_component_without_a_compression_suffix():
    assert {sample_name(n) for n in ("x.json", "a/b/x.json.gz", "s3://bucket/2017/02/x.json.bz2", "x.json/")} == {
        "x.json"}
    assert sample_name("-") == "-" and sample_name("x.gzip") == "x.gzip"


@pytest.mark.parametrize("seekable", [False, True])
def test_a_line_is_kept_when_the_block_of_its_first_byte_is_kept_whatever_the_cuts_and_reads(seekable):
    rnd = random.Random(3)
    for trial in range(1500):
        data = b"".join(b"x" * rnd.choice([0, 1, 3, 10, 40, 200]) + rnd.choice([b"\n", b"\r\n"])
                        for _ in range(rnd.randrange(0, 60))) + b"t" * rnd.randrange(0, 9)
        block = rnd.choice([1, 2, 5, 16, 64])
        sample = BlockSample(rnd.choice([0.1, 0.5, 0.9]), seed=trial, name="f", block=block)
        expected = [line for start, line in lines_and_starts(data) if sample.keeps(start // block)]
        cuts = sorted(rnd.sample(range(1, len(data)), min(rnd.randrange(0, 4), max(0, len(data) - 1))))
        reader = dict(long_line=rnd.choice([10 ** 9, 50, 8]), chunk_size=rnd.choice([1, 3, 7, 64, 1000]))
        assert read(data, sample, cuts, seekable=seekable, **reader) == expected, (trial, cuts, reader)


def test_dropped_blocks_of_a_seekable_input_are_not_read():
    data = b"".join(b'{"id":%d,"pad":"%s"}\n' % (i, b"p" * (i % 300)) for i in range(200000))
    sample = BlockSample(0.1, seed=5, name="big.json", block=1 << 16)
    for seekable, most in ((True, 0.3), (False, 1.0)):
        opened = MeteredOpener(data)
        got = flat(range_lines(opened, 0, len(data), chunk_size=1 << 14, sample=sample, seekable=seekable))
        assert got == [line for start, line in lines_and_starts(data) if sample.keeps(start >> 16)]
        assert opened.delivered <= most * len(data) and (seekable or opened.delivered == len(data))


# --- through the engine: files of many blocks -------------------------------------------


def tweet_line(i: int) -> bytes:
    """A ~1 KB line with one hashtag of 50, like a stream line with its user object."""
    return b'{"text":"t","entities":{"hashtags":[{"text":"t%d"}]},"user":{"description":"%s"}}\n' % (
        i % 50, b"d" * 900)


@pytest.fixture(scope="module")
def many_blocks(tmp_path_factory):
    """A 12 MB file (about 46 blocks) of 12,000 tagged lines, and the same bytes gzipped."""
    folder = tmp_path_factory.mktemp("many")
    data = b"".join(tweet_line(i) for i in range(12000))
    (folder / "many.json").write_bytes(data)
    (folder / "gz").mkdir()
    (folder / "gz" / "many.json.gz").write_bytes(gzip.compress(data, 1))
    return folder


def counted(path, jobs=1, **options):
    return run([Source(str(path), path.stat().st_size)], Options(**options), jobs=jobs).counts


def test_a_sample_is_about_the_fraction_and_depends_on_the_seed_not_on_splits_or_workers(many_blocks, monkeypatch):
    path = many_blocks / "many.json"
    assert path.stat().st_size > 40 * BLOCK_BYTES
    whole = counted(path, sample=0.25, seed=42)
    monkeypatch.setattr(scheduler, "MIN_SPLIT", 1 << 20)
    assert counted(path, jobs=2, sample=0.25, seed=42) == whole  # in 12 ranges, in two worker processes
    assert 0.1 * 12000 < sum(whole.values()) < 0.45 * 12000
    assert counted(path, sample=0.25, seed=43) != whole


def test_the_same_bytes_give_the_same_sample_seeked_or_streamed(many_blocks):
    plain = counted(many_blocks / "many.json", sample=0.2, seed=7)  # dropped blocks seeked past
    assert plain == counted(many_blocks / "gz" / "many.json.gz", sample=0.2, seed=7)  # decompressed, every byte read
    assert 0 < sum(plain.values()) < 12000


def test_a_named_pipe_is_streamed_not_seeked(many_blocks, tmp_path):
    pipe = tmp_path / "many.json"  # as bash's <(...) gives: stat says 0 bytes, and seeking fails
    os.mkfifo(pipe)
    data = (many_blocks / "many.json").read_bytes()
    writer = threading.Thread(target=pipe.write_bytes, args=(data,), daemon=True)
    writer.start()
    try:
        counts = run([Source(str(pipe), 0)], Options(sample=0.2, seed=7), jobs=1).counts
    finally:
        writer.join(timeout=60)
    assert counts == counted(many_blocks / "many.json", sample=0.2, seed=7)


def test_an_s3_object_streamed_gives_the_sample_of_the_same_file_on_disk(many_blocks, s3, moto_server, monkeypatch):
    s3.create_bucket(Bucket="tweets")
    s3.put_object(Bucket="tweets", Key="2017/02/01/00/many.json", Body=(many_blocks / "many.json").read_bytes())
    monkeypatch.setattr(scheduler, "MIN_SPLIT", 4 << 20)  # ranges of an object are Range requests, also streamed
    sources = sources_of(expand(["s3://tweets/2017/"], endpoint_url=moto_server))
    options = Options(sample=0.2, seed=7, endpoint_url=moto_server)
    assert run(sources, options, jobs=1).counts == counted(many_blocks / "many.json", sample=0.2, seed=7)


def test_a_sample_of_one_is_the_full_count_with_full_stats(many_blocks):
    source = Source(str(many_blocks / "many.json"), (many_blocks / "many.json").stat().st_size)
    full = run([source], Options(), jobs=1)
    everything = run([source], Options(sample=1.0, seed=9), jobs=1)
    assert everything.counts == full.counts == Counter({"t%d" % i: 240 for i in range(50)})
    assert everything.stats.counters() == full.stats.counters()
