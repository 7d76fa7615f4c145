"""``--sample``: a reproducible fraction of each input, chosen by block, so unchosen bytes cost nothing.

A sample must save time, and a count's time goes into reading bytes and
cutting them into lines, so the choice is made before there are lines:
each input's (decompressed) bytes are cut into blocks of BLOCK_BYTES at
fixed offsets, a block is kept when a keyed hash of the seed, the input's
name and the block's index falls under the fraction, and a line is counted
when the block holding its first byte is kept (the rule Hadoop applies to
input splits, at a finer grain).  The line reader splits only kept blocks
into lines, and seeks past dropped ones of a local file without reading
them (:func:`hashtagcount.lines.range_lines`).

This is block sampling, what DuckDB's ``USING SAMPLE 10%`` (``system``)
and BigQuery's ``TABLESAMPLE SYSTEM`` do: every line is counted with the
same chance, the fraction, so counts estimate fraction x totals; lines
written together (tweets of the same minute) are kept together, which
widens the error a little for a tag that trends for minutes.  An input
smaller than a block, or a line too long to hold (a Firehose object
without newlines), is kept or dropped whole.

The choice depends on the seed, the name and the byte offsets only: not on
workers, on how an input is cut into ranges, or on where it is stored.  The
name is the last path component without a ``.gz``/``.bz2`` suffix
(Firehose's object names are unique), so ``x.json`` on disk, ``x.json.gz``
and ``s3://bucket/any/prefix/x.json`` give the same sample of the same lines;
standard input is named ``-``, and bash's ``<(...)`` a number such as ``63``.
"""

import hashlib

from .sources import COMPRESSIONS

BLOCK_BYTES = 1 << 18


def sample_name(name: str) -> str:
    """The part of an input's name that keys its sample: last path component, compression suffix dropped."""
    base = name.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]
    for suffix in COMPRESSIONS:
        if base.endswith(suffix):
            return base[: -len(suffix)]
    return base


class BlockSample:
    """Which BLOCK_BYTES-long blocks of the input ``name`` the sample keeps (``fraction`` of them, on average)."""

    def __init__(self, fraction: float, seed: int, name: str, block: int = BLOCK_BYTES) -> None:
        self.block = block
        self.threshold = int(fraction * (1 << 64))
        key = b"%d\0" % seed + sample_name(name).encode("utf-8", "surrogateescape")  # a seed of any size
        self.key = hashlib.blake2b(key, digest_size=8)

    def keeps(self, index: int) -> bool:
        """Whether block ``index`` (bytes ``[index * block, (index + 1) * block)``) is in the sample."""
        digest = self.key.copy()
        digest.update(index.to_bytes(8, "little"))
        return int.from_bytes(digest.digest(), "little") < self.threshold
