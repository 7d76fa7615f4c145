#!/usr/bin/env python3
"""Hadoop Streaming reducer (and combiner): sum ``key<TAB>count`` lines grouped by key.

    cat tweets.json | ./mapper.py | sort | ./reducer.py

Input must be sorted (or at least grouped) by key, as Hadoop and ``sort``
deliver it; counts may be any integers, so the same script serves as
``-combiner``.  Streams in constant memory and works on raw bytes, so no
locale or encoding can break it.  A line without a tab or with a count
that is not an integer is counted and skipped.
"""

import os
import sys
from typing import Optional

_HERE = os.path.dirname(os.path.abspath(__file__))
for _place in (_HERE, os.path.join(_HERE, "hashtagcount.zip")):
    if os.path.exists(_place) and _place not in sys.path:
        sys.path.insert(0, _place)

from hashtagcount.extract import COUNTER_GROUP  # noqa: E402
from hashtagcount.hadoop import report_counters, under_hadoop  # noqa: E402
from hashtagcount.totals import sum_grouped  # noqa: E402


def main(argv: Optional[list] = None) -> int:
    if argv is None:
        argv = sys.argv[1:]
    if argv:
        sys.stderr.write(
            "usage: reducer.py < sorted 'key<TAB>count' lines\n"
            "Sums the counts of each run of equal keys; takes no options.\n"
        )
        return 0 if argv[0] in ("-h", "--help") else 2
    lines = open(sys.stdin.fileno(), "rb", buffering=1 << 20, closefd=False)
    seen, malformed = sum_grouped(lines, sys.stdout.buffer)
    sys.stdout.buffer.flush()
    if under_hadoop():
        report_counters(COUNTER_GROUP, {"reducer lines": seen, "reducer malformed lines": malformed})
    elif malformed:
        sys.stderr.write(
            "reducer.py: skipped {:,} malformed line(s) of {:,} "
            "(each must be 'key<TAB>integer')\n".format(malformed, seen)
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
