"""hashtagcount.sampling: a cheap, reproducible line filter, the same for whole and streamed lines."""

import io
import zlib

from hashtagcount.lines import iter_lines
from hashtagcount.sampling import KEY_BYTES, LineSample


def records(n, prefix=b""):
    return [prefix + b'{"created_at":"Thu Jan 26 16:00:00 +0000 2017","id":%d,"text":"x"}' % (824648087878515362 + i)
            for i in range(n)]


def kept(sample, lines, long_line=10**9, chunk=None):
    data = b"\n".join(lines) + b"\n"
    out = []
    for batch in sample.filter(iter_lines(io.BytesIO(data), long_line=long_line, chunk_size=chunk)):
        out.extend(line if isinstance(line, bytes) else b"".join(line) for line in batch)
    return out


def test_it_keeps_about_the_fraction_asked_for():
    lines = records(20000)
    for fraction in (0.01, 0.1, 0.5):
        share = len(kept(LineSample(fraction, seed=0), lines)) / len(lines)
        assert abs(share - fraction) < 0.2 * fraction + 0.003, fraction


def test_the_decision_depends_on_the_seed_and_the_line_only():
    lines = records(3000)
    first = kept(LineSample(0.1, seed=7), lines)
    assert first == kept(LineSample(0.1, seed=7), list(reversed(lines)))[::-1]  # order does not matter
    assert first == [line for line in lines if LineSample(0.1, seed=7).keeps(line)]
    assert first != kept(LineSample(0.1, seed=8), lines)


def test_the_key_is_a_seeded_crc_of_the_first_key_bytes():
    sample = LineSample(0.5, seed=3)
    line = records(1, prefix=b" " * 300)[0]  # records that share 300 bytes of prefix share a key
    key = zlib.crc32(line[:KEY_BYTES], sample.start)
    assert sample.keeps(line) == (key < sample.threshold)
    assert sample.keeps(line) == sample.keeps(line[:KEY_BYTES] + b"anything else")


def test_crlf_and_lf_lines_sample_alike_at_every_length():
    sample = LineSample(0.5, seed=1)
    for length in (0, 1, KEY_BYTES - 1, KEY_BYTES, KEY_BYTES + 1, KEY_BYTES + 2, 1000):
        for fill in (b"a", b"\r"):
            line = (b"{" + fill * length)[:length]
            assert sample.keeps(line) == sample.keeps(line + b"\r"), (length, fill)


def test_a_long_line_is_decided_as_the_whole_line_is_and_dropped_ones_are_not_read():
    lines = records(400) + [b"".join(records(50)) for _ in range(40)] + [b"\xef" * 5]
    sample = LineSample(0.3, seed=5)
    whole = kept(sample, lines)
    assert kept(sample, lines, long_line=100, chunk=7) == whole  # heads gathered from 7-byte chunks
    assert kept(sample, lines, long_line=300, chunk=1000) == whole
    assert 0 < len(whole) < len(lines)
