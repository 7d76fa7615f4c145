"""``hashtag-count top``: rank the hashtags of files, directories or S3 objects on this machine."""

import argparse
import sys

from .errors import UserError
from .options import (
    add_aws_options, add_counting_options, add_date_options, add_jobs_option, add_output_options, check_dates,
    fraction, output_format, seed_without_sample,
)
from .sampling import BLOCK_BYTES

DESCRIPTION = """\
Count the hashtags of tweet archives on this machine, in parallel, and print
the most used ones.  Large uncompressed files are split into byte ranges so
one big file keeps every core busy; S3 objects are streamed, never stored.

INPUT is a file, a directory (read recursively, skipping names that start
with '_' or '.', as Hadoop does), a shell-style glob, '-' for standard input,
s3://bucket/prefix (every object under it) or an S3 glob such as
s3://bucket/2017/02/*/*/* (wildcards *, ?, [...], {a,b} within one path
component).  A glob matching folders reads everything below them, in S3
as on disk.  Files ending in .gz or .bz2 are decompressed.  Every input
that cannot be used is named at once, before counting (exit 2).
An input that is not tweet data gets a warning; when no input held a
single JSON record (all junk or empty), nothing is printed and the
exit status is 1.
"""

EPILOG = """\
examples:
  hashtag-count top sample_data -n 10
  hashtag-count top tweets/*.json.gz --format tsv > ranking.tsv
  hashtag-count top s3://my-tweets/firehose --from 2017-02-01 --to 2017-02-28T12 -j 8
  hashtag-count top big.json --sample 0.1 --seed 42 --chart top.html
  zcat tweets.json.gz | hashtag-count top - --top 0 --format csv

Counting rule, ties and tsv output are the same as mapper.py | sort | reducer.py,
so 'top --top 0 --format tsv' can be diffed with the streaming pipe or an EMR run.
"""


def register(subparsers) -> None:  # type: ignore[no-untyped-def]
    parser = subparsers.add_parser(
        "top", help="rank the hashtags of files, directories or S3 objects on this machine",
        description=DESCRIPTION, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("inputs", nargs="+", metavar="INPUT", help="what to read (see above)")
    add_jobs_option(parser)
    add_output_options(parser, chart=True, force=True)
    add_counting_options(parser)
    add_date_options(parser)
    sampling = parser.add_argument_group("sampling (explore a big input quickly)")
    sampling.add_argument(
        "--sample", type=fraction, metavar="FRACTION",
        help="count only about this fraction of lines (0.1 = 10%%), quickly: each input is cut into "
        "{} KiB blocks, a hash of --seed, the input's name and the block's index keeps or drops each, "
        "and a line counts when its first byte is in a kept block (dropped blocks of a local file are "
        "not even read); the same seed gives the same sample however the work is split".format(BLOCK_BYTES >> 10),
    )
    sampling.add_argument("--seed", type=int, help="which sample --sample draws (default: 0)")
    parser.add_argument(
        "--skip-unreadable", action="store_true",
        help="count what can be read when some inputs cannot (missing, matching nothing, corrupt, "
        "denied) and report the result as partial, naming each one skipped, instead of failing",
    )
    parser.add_argument(
        "--no-progress", action="store_true",
        help="do not show the progress line (it is shown only when stderr is a terminal)",
    )
    add_aws_options(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from . import api, progress
    from .present import write_ranking

    check_dates(args)
    unsampled = seed_without_sample(args.seed, args.sample, ("--seed", "--sample"))
    if unsampled:
        raise UserError(unsampled)
    if args.chart:
        _check_chart(args)
    fmt = output_format(args.format)
    line = progress.ProgressLine() if progress.wanted(args.no_progress) else None
    try:
        result = api.count(
            args.inputs, jobs=args.jobs,
            case_sensitive=args.case_sensitive, exclude_retweets=args.exclude_retweets,
            date_from=args.date_from, date_to=args.date_to,
            sample=args.sample, seed=args.seed, skip_unreadable=args.skip_unreadable,
            profile=args.profile, region=args.region, endpoint_url=args.endpoint_url,
            on_progress=line,
        )
    finally:
        if line is not None:
            line.close()
    ranking = api.rank(result.counts, args.top)
    sample = _sample_note(result.options.sample, result.options.seed) if result.is_sample else None
    notes = result.notes()
    if sample and fmt != "table":
        notes.append(sample)
    if args.chart:
        notes.extend(_chart_notes(args, ranking))
    for note in notes:
        print("hashtag-count: " + note, file=sys.stderr)
    if not result.has_records:
        if result.is_sample and not result.stats.lines and result.total_bytes:
            print("hashtag-count: error: the sample drew no line (it keeps or drops whole {} KiB blocks of each "
                  "input): try a larger --sample, or another --seed".format(BLOCK_BYTES >> 10), file=sys.stderr)
        else:
            print("hashtag-count: error: no input held a JSON record{}, so there is no count to trust".format(
                " in the sample" if result.is_sample else ""), file=sys.stderr)
        return 1
    if fmt == "table" and sample:
        print(sample, file=sys.stdout)
    write_ranking(ranking, fmt, sys.stdout)
    sys.stdout.flush()
    if args.chart:
        _draw(args, ranking, sample)
    return 0


def _check_chart(args: argparse.Namespace) -> None:
    """Refuse a chart name before counting; with --force, compare it with every local input."""
    import os

    from .chart import check_chart_path

    inputs = []  # type: list
    if args.force and os.path.lexists(args.chart):
        from .api import expand_inputs

        local = [text for text in args.inputs if not text.startswith("s3://")]
        if local:
            matches = expand_inputs(
                local, date_from=args.date_from, date_to=args.date_to, below=True, keep_problems=True)
            inputs = [source.name for match in matches for source in match.sources]
    check_chart_path(args.chart, force=args.force, inputs=inputs)


def _chart_notes(args: argparse.Namespace, ranking) -> list:  # type: ignore[no-untyped-def]
    from .chart import MAX_BARS

    if len(ranking) <= MAX_BARS:
        return []
    asked = "all {:,}".format(len(ranking)) if args.top == 0 else "{:,}".format(args.top)  # -n 0 ranks them all
    return ["note: the chart shows the top {} hashtags; -n asked for {} (the output above has them)".format(
        MAX_BARS, asked)]


def _draw(args: argparse.Namespace, ranking, sample) -> None:  # type: ignore[no-untyped-def]
    from .chart import bounded, write_chart

    shown = bounded(ranking)
    title = "Top {} hashtags".format(len(shown))
    if len(shown) < len(ranking):
        title = "Top {} of {:,} hashtags".format(len(shown), len(ranking))
    if sample:
        title += " ({})".format(sample)
    undrawn = write_chart(ranking, args.chart, title, force=args.force)
    if undrawn:
        shown_tags = ", ".join("#" + tag for tag in undrawn[:5]) + (", ..." if len(undrawn) > 5 else "")
        print(
            "hashtag-count: warning: {}: {} tag(s) drawn with missing characters (no installed font has them): "
            "{}; write --chart FILE.html to see every script, or install fonts (Debian: fonts-noto-core "
            "fonts-noto-cjk)".format(args.chart, len(undrawn), shown_tags),
            file=sys.stderr,
        )


def _sample_note(share: float, seed: int) -> str:
    return "SAMPLE: about {:g}% of lines (seed {}); counts are not totals".format(100 * share, seed)
