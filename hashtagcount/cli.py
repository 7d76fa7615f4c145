"""The ``hashtag-count`` command: a thin face over the Python API.

Each subcommand lives in its own module exposing ``register(subparsers)``,
which adds its parser and sets ``run=function(args) -> exit code``.
Building the parser imports only the standard library, so ``top``,
``inputs`` and every ``--help`` work from a bare checkout
(``python -m hashtagcount``); third-party packages are imported by the
code that needs them, and a missing one is named in one line.
"""

import argparse
import importlib
import importlib.util
import sys
from typing import List, NoReturn, Optional

from . import __version__, stops
from .errors import UserError

SUBCOMMAND_MODULES = ("hashtagcount.cli_top", "hashtagcount.cli_inputs")
INTERMIXED = ("top", "inputs")  # their inputs may come before, between and after their options
EMR_MODULE = "hashtagcount.emr.cli"  # installed from emr/ by setup.py, so absent in a bare checkout
INSTALL = {"boto3": "boto3", "botocore": "boto3"}  # module -> what provides it

EPILOG = """\
examples:
  hashtag-count top sample_data -n 10
  hashtag-count top s3://my-tweets/2017/02/*/*/* --format tsv > top.tsv
  hashtag-count COMMAND --help      (every command explains its options)
"""


class Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (the usage itself is one ``--help`` away)."""

    commands = {}  # type: dict  # the subcommands' parsers by name, once build_parser added them

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
    parser.commands = subparsers.choices  # type: ignore[attr-defined]
    for name in SUBCOMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    if importlib.util.find_spec("hashtagcount.emr") is not None:
        importlib.import_module(EMR_MODULE).register(subparsers)
    else:
        _register_missing_emr(subparsers)
    return parser


def _register_missing_emr(subparsers) -> None:  # type: ignore[no-untyped-def]
    """An ``emr`` command that says how to get the launcher, instead of a traceback."""
    parser = subparsers.add_parser(
        "emr", help="run the count on AWS EMR (needs the installed package: pip install -e .)", add_help=False,
    )
    parser.add_argument("rest", nargs=argparse.REMAINDER)

    def run(args: argparse.Namespace) -> int:
        raise UserError(
            "emr: the EMR launcher is not installed here (a bare checkout has it in emr/): "
            "run pip install -e . in the checkout, which installs it and boto3"
        )

    parser.set_defaults(run=run)


def main(argv: Optional[List[str]] = None) -> int:
    previous = stops.catch()  # SIGTERM and SIGHUP take Ctrl-C's path, in every command
    try:
        return _run(argv)
    finally:
        stops.restore(previous)


def parse(parser: argparse.ArgumentParser, argv: Optional[List[str]] = None) -> argparse.Namespace:
    """``parser.parse_args``, but the inputs of ``top`` and ``inputs`` may sit among their options.

    argparse alone takes the first run of positionals as the inputs and
    refuses any after an option (``top a -n 3 b``), which ``cp``, ``grep``
    or ``aws s3`` users do not expect.  The command is the first word: the
    only options before it, ``--help`` and ``--version``, exit.
    """
    args, extra = parser.parse_known_args(argv)
    if not extra or args.command not in INTERMIXED:
        return parser.parse_args(argv)  # what is left over gets argparse's own error
    words = list(sys.argv[1:] if argv is None else argv)
    command = parser.commands[args.command]  # type: ignore[attr-defined]
    parsed = command.parse_intermixed_args(words[words.index(args.command) + 1:])
    parsed.command = args.command
    return parsed


def _run(argv: Optional[List[str]]) -> int:
    parser = build_parser()
    args = parse(parser, argv)
    try:
        return args.run(args)
    except UserError as error:
        print("hashtag-count: error: {}".format(error), file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt as stop:
        stops.ignore()  # a second stop must not break the one line below into a traceback
        signum = stops.signal_of(stop)
        print("hashtag-count: {}".format(stops.name(signum)), file=sys.stderr)
        return stops.exit_status(signum)
    except ImportError as error:
        if error.name is None or error.name.split(".")[0] not in INSTALL:
            raise
        package = INSTALL[error.name.split(".")[0]]
        print("hashtag-count: error: {} {} needs {}: pip install {}".format(
            parser.prog, args.command, package, package), file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader (e.g. `| head`) has gone; that is not an error.
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
