"""How the streaming scripts behave as Unix filters: like ``cat`` in a pipe.

``mapper.py | head`` must end quietly when ``head`` goes away.  Python turns
a closed pipe into ``BrokenPipeError`` and Ctrl-C into ``KeyboardInterrupt``,
each with a traceback; ``cat`` just dies of the signal (the shell reports
141 or 130 under ``set -o pipefail``).  Restoring the default handlers gives
exactly that, costs nothing per line, and leaves no half-written state to
clean up: a filter owns nothing but its output.  Standard library only:
both scripts carry this module.
"""

import argparse
import signal
from typing import Optional


def behave_like_cat() -> None:
    """Die of SIGPIPE and SIGINT as ``cat`` does, instead of printing a traceback.

    Call it in a script's ``__main__`` block only: a library must not take
    over its importer's signals.
    """
    for name in ("SIGPIPE", "SIGINT"):
        number = getattr(signal, name, None)  # Windows has no SIGPIPE
        if number is not None:
            signal.signal(number, signal.SIG_DFL)


def filter_parser(description: str, epilog: Optional[str], version: str) -> argparse.ArgumentParser:
    """An argparse parser whose ``--help`` and ``--version`` go to stdout and exit 0."""
    parser = argparse.ArgumentParser(
        description=description, epilog=epilog, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--version", action="version", version="%(prog)s (hashtag-count) " + version,
        help="print the hashtag-count version this script was built from, and exit",
    )
    return parser
