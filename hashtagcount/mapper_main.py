"""Hadoop Streaming mapper: tweet JSON lines on stdin -> ``hashtag<TAB>1`` lines.

    cat tweets.json | ./mapper.py | sort | ./reducer.py

Reads API v1.1 or v2 tweets, one or more JSON records per line (see the
README for the counting rule), and writes one ``hashtag<TAB>1`` line per
hashtag occurrence, so that plain ``sort`` in any locale groups equal keys.
One self-contained file, standard library only, Python 3.7+: Hadoop ships
it alone to nodes that have nothing installed.
"""

import argparse
import sys
from collections import Counter
from typing import BinaryIO, List, Optional

from . import __version__
from .extract import Extractor, junk_warning
from .hadoop import COUNTER_GROUP, report_counters, under_hadoop
from .hashtags import add_counting_options
from .lines import Batches, iter_lines
from .unixfilter import behave_like_cat, filter_parser

READ_BUFFER = 1 << 20
AGGREGATE_LIMIT = 100000  # distinct keys held in memory before --aggregate flushes


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = filter_parser(
        "Emit hashtag<TAB>1 for every hashtag in tweet JSON read from stdin.",
        "Example: cat tweets.json | ./mapper.py | sort | ./reducer.py",
        __version__,
    )
    add_counting_options(parser.add_argument)
    parser.add_argument(
        "--aggregate", action="store_true",
        help="sum counts inside the mapper and emit partial sums (less to sort; "
        "then group with 'LC_ALL=C sort', since lines of one key differ)",
    )
    parser.add_argument(
        "--validate", action="store_true",
        help="parse every record, even lines that cannot hold a hashtag, so the "
        "record, tweet and malformed counts are exact (slower; same hashtags)",
    )
    return parser.parse_args(argv)


def map_lines(batches: Batches, extractor: Extractor, out: BinaryIO) -> None:
    """Write ``key<TAB>1`` for every hashtag occurrence in the line reader's ``batches``."""
    pending = []  # type: List[str]
    for keys in extractor.keys_of_lines(batches):
        pending.extend(keys)
        if len(pending) > 4096:
            pending = _write_ones(pending, out)
    _write_ones(pending, out)


def _write_ones(keys: List[str], out: BinaryIO) -> List[str]:
    """Write ``key<TAB>1`` lines for ``keys``; return a fresh, empty batch."""
    if keys:
        out.write(("\t1\n".join(keys) + "\t1\n").encode("utf-8"))
    return []


def map_lines_aggregated(batches: Batches, extractor: Extractor, out: BinaryIO) -> None:
    """Write ``key<TAB>partial sum`` lines, holding at most AGGREGATE_LIMIT keys at once."""
    counts = Counter()  # type: Counter
    for keys in extractor.keys_of_lines(batches):
        counts.update(keys)
        if len(counts) >= AGGREGATE_LIMIT:
            _write_counts(counts, out)
            counts.clear()
    _write_counts(counts, out)


def _write_counts(counts: Counter, out: BinaryIO) -> None:
    out.write("".join("{}\t{}\n".format(k, n) for k, n in counts.items()).encode("utf-8"))


def main(argv: Optional[List[str]] = None) -> int:
    args = parse_args(argv)
    extractor = Extractor(args.case_sensitive, args.exclude_retweets, args.validate)
    stdin = open(sys.stdin.fileno(), "rb", buffering=0, closefd=False)
    out = sys.stdout.buffer
    (map_lines_aggregated if args.aggregate else map_lines)(iter_lines(stdin, chunk_size=READ_BUFFER), extractor, out)
    out.flush()
    stats = extractor.stats
    if under_hadoop():
        report_counters(COUNTER_GROUP, stats.counters())
    elif stats.malformed:
        sys.stderr.write(stats.summary("mapper.py") + "\n")
        warning = junk_warning("stdin", stats)
        if warning:
            sys.stderr.write("mapper.py: warning: " + warning + "\n")
    return 0  # even for junk: Hadoop fails the task on a non-zero exit, and bad records must not fail it


if __name__ == "__main__":
    behave_like_cat()
    sys.exit(main())
