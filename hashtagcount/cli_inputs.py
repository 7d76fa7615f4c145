"""``hashtag-count inputs``: what a set of inputs or a date range reads, before anything is counted."""

import argparse
import sys

from .options import add_aws_options, add_date_options, check_dates

DESCRIPTION = """\
Show what INPUTs expand to, as Hadoop, and so 'emr run', reads them: each
input (or, with --from/--to, each of the fewest Hadoop-style glob patterns
covering the date range under each INPUT prefix), the number and total size
of the objects it reaches, and a warning for every pattern that matches
nothing, since Hadoop fails a whole job on such a pattern.
Hadoop's rule holds on disk as in S3, as 'emr run' checks it: a file or
object an input names or a glob matches is read; a folder stands for the
files and objects directly in it, and a sub-folder there fails Hadoop's job
('Not a file'), so it is refused with a glob that reaches the objects
('top' reads everything below a folder).
Inputs that cannot be used (missing paths or buckets, denied listings,
sub-folders) are named at once, with any pattern matching nothing, in one
error (exit 2).  Otherwise exits 1 when some pattern matches nothing; in a
date range an hour without objects is left out instead, as 'top' and
'emr run' leave it, unless its INPUT has no object in the whole range.
"""

EPILOG = """\
examples:
  hashtag-count inputs s3://my-tweets/firehose --from 2017-02-01 --to 2017-03-02T05
  hashtag-count inputs sample_data --from 2017-01-31T23 --to 2017-02-01 --long
  hashtag-count inputs 'data/*.json.gz'
"""


def register(subparsers) -> None:  # type: ignore[no-untyped-def]
    parser = subparsers.add_parser(
        "inputs", help="list the glob patterns and objects a set of inputs or a date range reads",
        description=DESCRIPTION, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("inputs", nargs="+", metavar="INPUT", help="files, directories, globs or s3:// URIs")
    add_date_options(parser)
    parser.add_argument(
        "-l", "--long", action="store_true",
        help="also list every matching object with its size",
    )
    add_aws_options(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from .api import expand_inputs
    from .errors import all_problems
    from .sources import hadoop_reach, human_size, left_out_note, without_empty_hours

    check_dates(args)
    listed = expand_inputs(  # everything below each folder, then what Hadoop reads of it, as 'emr run' does
        args.inputs, date_from=args.date_from, date_to=args.date_to,
        profile=args.profile, region=args.region, endpoint_url=args.endpoint_url, below=True, keep_problems=True,
    )
    matches = [hadoop_reach(match) for match in listed]
    left_out = []  # type: list
    if args.date_from is not None or args.date_to is not None:  # an empty hour is normal in a range
        left_out = without_empty_hours(matches, len(args.inputs))[1]  # left out by 'top' and 'emr run': shown
    if any(m.problem for m in matches):  # name every problem, empty patterns too, as 'top' does
        if args.date_from is None:  # a sub-folder's hint offers --from/--to, named where dates are parsed
            from .partitions import CLI_NAMES

            matches = [hadoop_reach(match, CLI_NAMES) for match in listed]
        raise all_problems([m.problem or m.nothing_found() for m in matches
                            if m.problem or (m.empty and m.pattern not in left_out)])
    out = sys.stdout
    width = max(len(m.pattern) for m in matches)
    for match in matches:
        if match.empty and match.pattern in left_out:
            out.write("{}  nothing: left out, as 'top' and 'emr run' leave it out\n".format(match.pattern.ljust(width)))
        elif match.empty:
            out.write("{}  MATCHES NOTHING (Hadoop would fail the job)\n".format(match.pattern.ljust(width)))
        else:
            out.write("{}  {:>8,} object(s)  {:>10}\n".format(
                match.pattern.ljust(width), len(match.sources), human_size(match.total_bytes)))
        if args.long:
            for source in match.sources:
                size = "-" if source.size is None else str(source.size)
                out.write("    {:>12} {}\n".format(size, source.name))
    distinct = {s.name: s for m in matches for s in m.sources}
    out.write("\nTotal Objects: {}\n   Total Size: {}\n".format(
        len(distinct), human_size(sum(s.size or 0 for s in distinct.values()))))
    if left_out:
        print("hashtag-count: " + left_out_note(left_out), file=sys.stderr)
    empty = [m.pattern for m in matches if m.empty and m.pattern not in left_out]
    if empty:
        print("hashtag-count: {} pattern(s) match nothing: {}".format(len(empty), ", ".join(empty)), file=sys.stderr)
        return 1
    return 0
