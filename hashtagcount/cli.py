"""The ``hashtag-count`` command: a thin face over the Python API.

Each subcommand lives in its own module exposing ``register(subparsers)``,
which adds its parser and sets ``run=function(args) -> exit code``.
"""

import argparse
import importlib
import sys
from typing import List, NoReturn, Optional

from . import __version__
from .errors import UserError

SUBCOMMAND_MODULES = ("hashtagcount.cli_top", "hashtagcount.cli_inputs", "hashtagcount.emr.cli")

EPILOG = """\
examples:
  hashtag-count top sample_data -n 10
  hashtag-count top s3://my-tweets/2017/02/*/*/* --format tsv > top.tsv
  hashtag-count COMMAND --help      (every command explains its options)
"""


class Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (the usage itself is one ``--help`` away)."""

    def error(self, message: str) -> "NoReturn":  # type: ignore[override]
        self.exit(2, "{}: error: {} (see {} --help)\n".format(self.prog, message, self.prog))


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
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
