"""Hadoop Streaming reducer (and combiner): sum ``key<TAB>count`` lines grouped by key.

    cat tweets.json | ./mapper.py | sort | ./reducer.py

Input must be sorted (or at least grouped) by key, as Hadoop and ``sort``
deliver it; counts may be any integers, so the same script serves as
``-combiner``.  Streams in constant memory and works on raw bytes, so no
locale or encoding can break it.  A line without a tab or with a count
that is not an integer is counted and skipped.  One self-contained file,
standard library only, Python 3.7+.
"""

import sys
from typing import List, Optional

from . import __version__
from .hadoop import COUNTER_GROUP, report_counters, under_hadoop
from .totals import sum_grouped
from .unixfilter import behave_like_cat, filter_parser


def main(argv: Optional[List[str]] = None) -> int:
    filter_parser(
        "Sum the counts of each run of equal keys in sorted 'key<TAB>count' lines read from "
        "stdin; takes no other options.",
        "Example: cat tweets.json | ./mapper.py | sort | ./reducer.py",
        __version__,
    ).parse_args(argv)
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
    behave_like_cat()
    sys.exit(main())
