"""The ``hashtag-count`` command: a thin face over the Python API.

Each subcommand lives in its own module exposing ``register(subparsers)``,
which adds its parser and sets ``run=function(args) -> exit code``.
"""

import argparse
import importlib
import sys
from typing import List, Optional

from . import __version__
from .errors import UserError

SUBCOMMAND_MODULES = ("hashtagcount.cli_top", "hashtagcount.cli_inputs", "hashtagcount.emr.cli")

EPILOG = """\
examples:
  hashtag-count top sample_data -n 10
  hashtag-count top s3://my-tweets/2017/02/*/*/* --format tsv > top.tsv
  hashtag-count COMMAND --help      (every command explains its options)
"""


def add_aws_options(parser: argparse.ArgumentParser) -> None:
    """``--profile/--region/--endpoint-url``, meaning what they mean to the AWS CLI."""
    group = parser.add_argument_group("AWS (for s3:// inputs; credentials come from boto3's usual chain)")
    group.add_argument("--profile", help="named profile from your AWS config (default: AWS_PROFILE or 'default')")
    group.add_argument("--region", help="AWS region (default: from your profile or AWS_DEFAULT_REGION)")
    group.add_argument(
        "--endpoint-url", metavar="URL",
        help="an S3-compatible endpoint instead of AWS (MinIO, Ceph, a local test server)",
    )


def add_date_options(parser: argparse.ArgumentParser) -> None:
    """``--from/--to``: select Firehose partitions ``YYYY/MM/DD/HH/`` under each input prefix."""
    group = parser.add_argument_group(
        "date range (inputs are prefixes of the Firehose layout PREFIX/YYYY/MM/DD/HH/, UTC)"
    )
    group.add_argument(
        "--from", dest="date_from", metavar="DATE",
        help="first day or hour to read, inclusive: YYYY-MM-DD or YYYY-MM-DDTHH",
    )
    group.add_argument(
        "--to", dest="date_to", metavar="DATE",
        help="last day or hour to read, inclusive (a day means all of it): YYYY-MM-DD or YYYY-MM-DDTHH",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hashtag-count",
        description="Rank the most used hashtags of a tweet archive, on this machine or on AWS EMR.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version="%(prog)s " + __version__)
    subparsers = parser.add_subparsers(title="commands", dest="command", metavar="COMMAND")
    subparsers.required = True
    for name in SUBCOMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: Optional[List[str]] = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except UserError as error:
        print("hashtag-count: error: {}".format(error), file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("hashtag-count: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader (e.g. `| head`) has gone; that is not an error.
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
