"""hashtagcount.lines: the one line reader (stdin, files, S3 objects, byte ranges as Hadoop splits)."""

import io
import random

import pytest

from hashtagcount.fastfind import simd_find
from hashtagcount.lines import iter_lines, range_lines, read_size
from streams import Metered, MeteredOpener, flat, opener

FINDS = [bytes.find] + ([simd_find()] if simd_find() else [])  # every newline search the reader may be given


def lines_of(data: bytes, chunk: int):
    return flat(iter_lines(io.BytesIO(data), chunk_size=chunk))


def test_iter_lines_gives_the_lines_of_a_file():
    chunk = 7  # many chunk boundaries inside lines
    data = b"a\r\nbb\n\n" + b"c" * 30 + b"\nlast without newline"
    assert lines_of(data, chunk) == [b"a\r", b"bb", b"", b"c" * 30, b"last without newline"]
    assert lines_of(b"", chunk) == []
    assert lines_of(b"\n", chunk) == [b""]


@pytest.mark.parametrize("find", FINDS)
def test_byte_ranges_partition_the_lines_whatever_the_cut_points(find):
    """Like Hadoop splits: each line is read once, by the range holding its first byte (with any search)."""
    chunk = 5
    rnd = random.Random(7)
    data = b"".join(b"x" * rnd.randrange(0, 12) + rnd.choice([b"\n", b"\r\n"]) for _ in range(60)) + b"tail"
    whole = lines_of(data, chunk)
    for _ in range(200):
        cuts = sorted(rnd.sample(range(1, len(data)), rnd.randrange(1, 6)))
        got = []
        for start, end in zip([0] + cuts, cuts + [len(data)]):
            got.extend(flat(range_lines(opener(data), start, end, chunk_size=chunk, find=find)))
        assert got == whole, cuts


def test_a_range_inside_one_huge_line_reads_little_and_keeps_nothing():
    """Firehose objects written without newlines are one line: only the first range reads it."""
    chunk = 100
    data = b"{}" * 50000 + b"\nlast"
    open_at = MeteredOpener(data)
    assert flat(range_lines(open_at, 1000, 2000, chunk_size=chunk)) == []
    assert open_at.delivered <= 2100


def test_iter_lines_hands_over_long_lines_as_chunks_read_as_consumed():
    chunk = 10
    data = b"short\n" + b"L" * 95 + b"\r\nnext\n" + b"T" * 40
    stream = Metered(data)
    batches = iter_lines(stream, long_line=30, chunk_size=chunk)
    assert next(batches) == [b"short"]
    (line,) = next(batches)
    assert next(line) == b"L" * 4 and stream.delivered <= 6 + 30 + 10  # held: the threshold and a chunk
    assert flat(batches) == [b"next", b"T" * 40]  # the rest of the long line is skipped unread


def test_byte_ranges_partition_lines_long_and_short_whatever_the_cut_points():
    chunk = 5
    rnd = random.Random(11)
    data = b"".join(b"x" * rnd.choice([0, 3, 11, 40, 90]) + rnd.choice([b"\n", b"\r\n"]) for _ in range(60)) + b"y" * 50
    whole = flat(iter_lines(io.BytesIO(data), long_line=10**9, chunk_size=chunk))
    assert flat(iter_lines(io.BytesIO(data), long_line=16, chunk_size=chunk)) == whole
    for _ in range(200):
        cuts = sorted(rnd.sample(range(1, len(data)), rnd.randrange(1, 8)))
        got = []
        for start, end in zip([0] + cuts, cuts + [len(data)]):
            got.extend(flat(range_lines(opener(data), start, end, long_line=16, chunk_size=chunk)))
        assert got == whole, cuts


def test_a_line_starting_exactly_at_a_range_start_belongs_to_that_range():
    data = b"aaaa\nbbbb\ncccc\n"
    assert flat(range_lines(opener(data), 0, 5)) == [b"aaaa"]
    assert flat(range_lines(opener(data), 5, 10)) == [b"bbbb"]
    assert flat(range_lines(opener(data), 6, 15)) == [b"cccc"]


def test_reads_are_at_most_half_the_long_line_threshold():
    assert read_size(8 << 20) == 1 << 18
    assert read_size(2000) == 1000
    assert read_size(1) == 1
