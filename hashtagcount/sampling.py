"""``--sample``: a reproducible fraction of the lines, chosen before any of them is examined.

A sample must save time, so deciding must cost far less than the pre-check
it saves: the decision is a CRC-32 of the line's first KEY_BYTES bytes,
keyed by the seed, against a threshold (about a sixth of the pre-check's
cost on a 4 KB tweet, which it then skips for nine lines in ten).
KEY_BYTES is 256 because the first bytes of a stream record are what makes
it unique: ``created_at`` and ``id`` open a v1.1 tweet, ``delete.status.id``
a delete message, the tweet's fields a v2 ``data`` object, all well inside
256 bytes; a shorter prefix would let records of the same second share a
key.  Lines identical in their first 256 bytes are kept or dropped together.

The decision depends only on the seed and the line, not on workers, byte
ranges or order, so a sample is the same however the work is split; a final
CR is ignored, so CRLF and LF files sample alike.  A line too long to hold
is decided on its first chunks, before the rest is read, and a dropped one
is never parsed.
"""

import zlib
from itertools import chain
from typing import Iterator, List, Optional

from .lines import Batches, Line

KEY_BYTES = 256


class LineSample:
    """Keep a line when the seeded CRC-32 of its first KEY_BYTES bytes falls under ``fraction``."""

    def __init__(self, fraction: float, seed: int) -> None:
        self.threshold = int(fraction * (1 << 32))
        self.start = zlib.crc32(seed.to_bytes(16, "little", signed=True))

    def keeps(self, line: bytes) -> bool:
        """Whether the sample holds ``line`` (any prefix of it of more than KEY_BYTES bytes will do)."""
        return zlib.crc32(line[:KEY_BYTES + 1].rstrip(b"\r")[:KEY_BYTES], self.start) < self.threshold

    def filter(self, batches: Batches) -> Iterator[List[Line]]:
        """The line reader's ``batches`` with only the sampled lines."""
        crc32, start, threshold = zlib.crc32, self.start, self.threshold
        end = KEY_BYTES + 1
        for batch in batches:
            if batch and batch[0].__class__ is not bytes:  # a long line comes alone in its batch
                kept = self._long_line(batch[0])  # type: ignore[arg-type]
                if kept is not None:
                    yield [kept]
                continue
            yield [line for line in batch if crc32(line[:end].rstrip(b"\r")[:KEY_BYTES], start) < threshold]

    def _long_line(self, chunks: Iterator[bytes]) -> Optional[Iterator[bytes]]:
        """The line's chunks if it is sampled, reading only its head to decide; else None (left unread)."""
        head = []  # type: List[bytes]
        size = 0
        for chunk in chunks:
            head.append(chunk)
            size += len(chunk)
            if size > KEY_BYTES:
                break
        return chain(head, chunks) if self.keeps(b"".join(head)) else None
