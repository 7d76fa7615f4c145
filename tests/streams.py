"""Byte streams for the line reader's tests: ``open_at`` over bytes, with a count of what was read."""

import io
from typing import Any, Callable, Iterable, List

from hashtagcount.lines import LineRun


def opener(data: bytes) -> Callable[[int], io.BytesIO]:
    """``open_at`` for :func:`hashtagcount.lines.range_lines`: ``data`` read from a byte offset."""
    return lambda offset: io.BytesIO(data[offset:])


class Metered(io.BytesIO):
    """A stream of bytes that counts the bytes it delivered."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.delivered = 0

    def read(self, size: Any = -1) -> bytes:
        data = super().read(size)
        self.delivered += len(data)
        return data


class MeteredOpener:
    """``open_at`` over ``data`` whose ``delivered`` counts the bytes read through every stream it opened."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.opened = []  # type: List[Metered]

    def __call__(self, offset: int) -> Metered:
        self.opened.append(Metered(self.data[offset:]))
        return self.opened[-1]

    @property
    def delivered(self) -> int:
        return sum(stream.delivered for stream in self.opened)


def flat(batches: Iterable[List[Any]]) -> List[bytes]:
    """Every line of the reader's batches as bytes: runs cut into lines, a long line's chunks joined as read."""
    lines = []  # type: List[bytes]
    for batch in batches:
        for line in batch:
            if isinstance(line, LineRun):
                lines.extend(line.lines())
            else:
                lines.append(line if isinstance(line, bytes) else b"".join(line))
    return lines
