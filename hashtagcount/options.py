"""The options several commands share, each family declared once.

``top``, ``inputs`` and the ``emr`` commands add their shared options from
here (``mapper.py`` and the mrjob job take the counting family from
:func:`hashtagcount.hashtags.add_counting_options`, which this calls), so an
option has one spelling, short form, default, help text and check in every
command.  Values are checked by argparse ``type=`` functions: a bad value is
refused in one line, exit 2, before any file is read or any AWS call made.
"""

import argparse
import os
import sys
from typing import Any, Callable, Optional, TextIO, Tuple

from .chart import MAX_BARS
from .errors import UserError
from .hashtags import add_counting_options as _add_counting_arguments
from .present import FORMATS

DEFAULT_TOP = 20


# --- value checks (argparse ``type=``) ----------------------------------------


def below(value: int, minimum: int) -> Optional[str]:
    """What is wrong with a count that must be a whole number from ``minimum`` up, or None.

    The one rule behind ``type=whole_number(...)`` and the Python API's checks.
    """
    if isinstance(value, bool) or not isinstance(value, int):
        return "{!r} is not a whole number".format(value)
    if value < minimum:
        return "must be at least {}, not {}".format(minimum, value)
    return None


def not_a_fraction(value: float, typed: Optional[str] = None) -> Optional[str]:
    """What is wrong with a sampling fraction (shown as ``typed``, if given), or None: it must be in (0, 1]."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= 1:
        return "{} is not a fraction in (0, 1], e.g. 0.1 for 10%".format(value if typed is None else typed)
    return None


def seed_without_sample(seed: Optional[int], sample: Optional[float], names: Tuple[str, str]) -> Optional[str]:
    """What is wrong with a seed given without a sample (``names``: how the caller spells the two), or None."""
    if seed is not None and sample is None:
        return "{} {} chooses which sample is drawn: give {} too".format(names[0], seed, names[1])
    return None


def whole_number(minimum: int) -> Callable[[str], int]:
    """A ``type=`` accepting whole numbers from ``minimum`` up."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError("{!r} is not a whole number".format(text))
        problem = below(value, minimum)
        if problem:
            raise argparse.ArgumentTypeError(problem)
        return value

    return parse


def fraction(text: str) -> float:
    """A ``type=`` accepting a fraction in (0, 1]."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError("{!r} is not a number".format(text))
    problem = not_a_fraction(value, text)
    if problem:
        raise argparse.ArgumentTypeError(problem)
    return value


def endpoint_url(text: str) -> str:
    """A ``type=`` accepting an ``http(s)://host[:port]`` URL, as botocore requires."""
    from urllib.parse import urlsplit  # with ipaddress: paid only by a run that gives --endpoint-url

    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise argparse.ArgumentTypeError(
            "{!r} is not an http:// or https:// URL (e.g. http://127.0.0.1:5000)".format(text)
        )
    return text


def _date_bound(end: bool) -> Callable[[str], str]:
    def parse(text: str) -> str:
        from .partitions import parse_bound  # dates cost their imports only when given

        option = "--to" if end else "--from"
        try:
            parse_bound(text, end=end, option=option)
        except UserError as error:
            raise argparse.ArgumentTypeError(str(error)[len(option) + 1:])
        return text

    return parse


# --- the families ------------------------------------------------------------------


def add_counting_options(parser: argparse.ArgumentParser) -> None:
    """``--case-sensitive``, ``--exclude-retweets``: the counting rule's switches."""
    group = parser.add_argument_group("counting rule (the same in every engine)")
    _add_counting_arguments(group.add_argument)


def add_top_option(add_argument: Callable[..., Any]) -> None:
    """``-n/--top N``; takes an ``add_argument`` (argparse's, or mrjob's ``add_passthru_arg``)."""
    add_argument(
        "-n", "--top", type=whole_number(0), default=DEFAULT_TOP, metavar="N",
        help="how many hashtags to print; 0 prints them all (default: {})".format(DEFAULT_TOP),
    )


def add_output_options(
    parser: argparse.ArgumentParser, save: Optional[str] = None, chart: bool = False, force: bool = False,
) -> None:
    """``-n/--top`` and ``--format``; ``--save`` (its default explained by ``save``), ``--chart``, ``--force``.

    ``force`` offers ``--force`` for a command that can replace the files it writes.
    """
    group = parser.add_argument_group("output")
    add_top_option(group.add_argument)
    group.add_argument(
        "--format", choices=FORMATS, default=None,
        help="table (aligned, with ranks), tsv (hashtag<TAB>count, like the pipe), csv or "
        "json (a list of {\"hashtag\", \"count\"}) (default: table on a terminal, tsv otherwise)",
    )
    if save is not None:
        group.add_argument(
            "--save", metavar="FILE",
            help="also write the full ranking as tsv to FILE, which must not exist ({})".format(save),
        )
    if chart:
        group.add_argument(
            "--chart", metavar="FILE",
            help="also draw the ranking as a bar chart of at most {} bars: FILE.png (needs matplotlib: "
            "pip install 'hashtag-count[chart]') or FILE.html (a self-contained page, every script); "
            "FILE must not exist".format(MAX_BARS),
        )
    if force:
        group.add_argument(
            "--force", action="store_true",
            help="replace an existing output file (never one that is also an input)",
        )


def output_format(chosen: Optional[str], stream: Optional[TextIO] = None) -> str:
    """``--format``'s value, or its default for ``stream``: a table for a person, tsv for a program."""
    if chosen:
        return chosen
    stream = sys.stdout if stream is None else stream
    return "table" if stream.isatty() else "tsv"


def add_date_options(parser: argparse.ArgumentParser) -> None:
    """``--from/--to``: select Firehose partitions ``YYYY/MM/DD/HH/`` under each input prefix."""
    group = parser.add_argument_group(
        "date range (inputs are prefixes of the Firehose layout PREFIX/YYYY/MM/DD/HH/, UTC)"
    )
    group.add_argument(
        "--from", dest="date_from", metavar="DATE", type=_date_bound(False),
        help="first day or hour to read, inclusive: YYYY-MM-DD or YYYY-MM-DDTHH",
    )
    group.add_argument(
        "--to", dest="date_to", metavar="DATE", type=_date_bound(True),
        help="last day or hour to read, inclusive (a day means all of it): YYYY-MM-DD or YYYY-MM-DDTHH",
    )


def check_dates(args: argparse.Namespace) -> None:
    """Refuse ``--from``/``--to`` that do not go together, in the options' names, before any work.

    The API runs the same checks again, wording them with its parameter names.
    """
    if args.date_from is None and args.date_to is None:
        return
    from .partitions import date_inputs

    date_inputs(args.inputs, args.date_from, args.date_to)


def add_aws_options(parser: argparse.ArgumentParser, services: str = "S3") -> None:
    """``--profile/--region/--endpoint-url``, meaning what they mean to the AWS CLI."""
    group = parser.add_argument_group(
        "AWS (as in the AWS CLI; credentials come from boto3's default chain, never from options)"
    )
    group.add_argument(
        "--profile", help="named profile from your AWS config files (default: AWS_PROFILE, else 'default')",
    )
    group.add_argument(
        "--region", help="AWS region, e.g. us-east-1 (default: AWS_DEFAULT_REGION, else your profile's)",
    )
    group.add_argument(
        "--endpoint-url", metavar="URL", type=endpoint_url,
        help="send {} requests to this http(s):// endpoint instead of AWS's "
        "(S3-compatible stores, local test servers)".format(services),
    )


def cpu_count() -> int:
    """CPUs this process may use (fewer than the machine's in a container or under taskset): ``--jobs``'s default."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def add_jobs_option(parser: Any) -> None:
    """``-j/--jobs``: processes counting in parallel."""
    parser.add_argument(
        "-j", "--jobs", type=whole_number(1), default=None, metavar="N",
        help="processes counting in parallel (default: the number of CPUs, {} here)".format(cpu_count()),
    )
