"""``key<TAB>count`` lines: the one parser of the pipe's intermediate and final format.

The reducer (``reducer.py``, also the combiner) and the EMR collector both
read these lines, so both split them on ``\\n`` only and parse them here: a
key may hold any character but tab and newline (U+2028, U+0085, ``\\x1c``
included), and a ranking read back from EMR must equal the pipe's byte for
byte.  Standard library only: ``reducer.py`` carries this module.
"""

from collections import Counter
from typing import BinaryIO, Iterable, Optional, Tuple


def parse_total(line: bytes) -> Optional[Tuple[bytes, int]]:
    """``(key, count)`` of one line (its ``\\n`` or ``\\r\\n`` optional), or None if malformed."""
    key, tab, value = line.rstrip(b"\r\n").partition(b"\t")
    if not tab:
        return None
    try:
        return key, int(value)
    except ValueError:
        return None


def sum_grouped(lines: Iterable[bytes], out: BinaryIO) -> Tuple[int, int]:
    """Write one ``key<TAB>total`` per run of equal keys; return ``(lines, malformed)``.

    Constant memory: input must be grouped by key, as ``sort`` and Hadoop's
    shuffle deliver it.
    """
    current = None  # type: Optional[bytes]
    total = seen = malformed = 0
    for line in lines:
        seen += 1
        parsed = parse_total(line)
        if parsed is None:
            malformed += 1
            continue
        key, count = parsed
        if key == current:
            total += count
        else:
            if current is not None:
                out.write(b"%s\t%d\n" % (current, total))
            current, total = key, count
    if current is not None:
        out.write(b"%s\t%d\n" % (current, total))
    return seen, malformed


def add_totals(data: bytes, totals: Counter) -> int:
    """Add every line of ``data`` (any order) to ``totals``, keyed by str; return the malformed count."""
    malformed = 0
    lines = data.split(b"\n")
    if lines and not lines[-1]:
        lines.pop()
    for line in lines:
        parsed = parse_total(line)
        if parsed is None:
            malformed += 1
            continue
        key, count = parsed
        totals[key.decode("utf-8", "replace")] += count
    return malformed
