"""Date ranges over the Firehose layout ``PREFIX/YYYY/MM/DD/HH/<object>`` (UTC).

Pure functions, no I/O: the local engine and the EMR launcher both turn
``--from/--to`` into the same minimal list of Hadoop-style glob patterns.
Every pattern reaches object depth (five components), because a pattern
that stops at a directory (``2017/*``) makes Hadoop read directories as
files and fail.
"""

import calendar
import re
from datetime import date, datetime, timedelta
from typing import List, Optional, Tuple, Union

Bound = Union[str, date, datetime]  # a datetime is a date too

from .errors import UserError

_BOUND = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}))?")
_HOUR = timedelta(hours=1)
CLI_NAMES = ("--from", "--to")  # what errors call the bounds; the Python API passes its parameter names


def parse_bound(text: str, *, end: bool, option: Optional[str] = None) -> datetime:
    """Parse ``YYYY-MM-DD`` or ``YYYY-MM-DDTHH`` (UTC hour) as a range bound.

    A start without an hour is that day's first hour; an end without an hour
    is that day's last hour, so ``--to 2017-03-01`` includes all of March 1st.
    """
    option = option or ("--to" if end else "--from")
    match = _BOUND.fullmatch(text.strip())
    if not match:
        raise UserError(
            "{} {!r}: expected a UTC date YYYY-MM-DD or date and hour YYYY-MM-DDTHH".format(option, text)
        )
    year, month, day, hour = match.groups()
    try:
        if hour is None:
            return datetime(int(year), int(month), int(day), 23 if end else 0)
        return datetime(int(year), int(month), int(day), int(hour))
    except ValueError as error:
        raise UserError("{} {!r}: {}".format(option, text, error))


def parse_range(start: str, end: str, names: Tuple[str, str] = CLI_NAMES) -> Tuple[datetime, datetime]:
    """Parse ``--from`` and ``--to`` (errors call them ``names``) and check that they are in order."""
    first, last = parse_bound(start, end=False, option=names[0]), parse_bound(end, end=True, option=names[1])
    if first > last:
        raise UserError("{} {} is after {} {}".format(names[0], start, names[1], end))
    return first, last


def _label(moment: datetime, end: bool) -> str:
    if moment.hour == (23 if end else 0):
        return moment.strftime("%Y-%m-%d")
    return moment.strftime("%Y-%m-%dT%H")


def _month_end(year: int, month: int) -> datetime:
    return datetime(year, month, calendar.monthrange(year, month)[1], 23)


def range_patterns(start: datetime, end: datetime) -> List[str]:
    """The fewest patterns ``YYYY/MM/DD/HH/*`` (with ``*`` for whole units) covering ``start..end``.

    Both bounds are inclusive hours.  Whole years become ``2017/*/*/*/*``,
    whole months ``2017/02/*/*/*``, whole days ``2017/03/01/*/*`` and the
    remaining hours ``2017/03/02/05/*``; the patterns come out in time order.
    """
    start = start.replace(minute=0, second=0, microsecond=0)
    end = end.replace(minute=0, second=0, microsecond=0)
    if start > end:
        raise UserError("--from {} is after --to {}".format(_label(start, False), _label(end, True)))
    patterns = []
    moment = start
    while moment <= end:
        year_end = datetime(moment.year, 12, 31, 23)
        month_end = _month_end(moment.year, moment.month)
        day_end = moment.replace(hour=23)
        if moment == datetime(moment.year, 1, 1) and year_end <= end:
            patterns.append("{:04d}/*/*/*/*".format(moment.year))
            moment = year_end + _HOUR
        elif moment == datetime(moment.year, moment.month, 1) and month_end <= end:
            patterns.append("{:04d}/{:02d}/*/*/*".format(moment.year, moment.month))
            moment = month_end + _HOUR
        elif moment.hour == 0 and day_end <= end:
            patterns.append(moment.strftime("%Y/%m/%d/*/*"))
            moment = day_end + _HOUR
        else:
            patterns.append(moment.strftime("%Y/%m/%d/%H/*"))
            moment += _HOUR
    return patterns


def bound_text(value: Optional[Bound], option: str) -> Optional[str]:
    """A bound as ``--from/--to`` spell it: a ``date`` is a day, a ``datetime`` its hour (UTC)."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, datetime):
        if value.utcoffset():
            value = (value - value.utcoffset()).replace(tzinfo=None)
        return value.strftime("%Y-%m-%dT%H")
    if isinstance(value, date):
        return value.strftime("%Y-%m-%d")
    raise UserError("{} {!r}: expected a str, datetime.date or datetime.datetime".format(option, value))


def date_inputs(
    prefixes: List[str], date_from: Optional[Bound], date_to: Optional[Bound], names: Tuple[str, str] = CLI_NAMES,
) -> List[str]:
    """What to read: ``prefixes`` as given, or each joined with the patterns of ``--from..--to``.

    The one date expansion behind ``top``, ``inputs``, ``emr run`` and the
    Python API, whose errors call the bounds ``names`` (the options, or the
    API's parameters).  Bounds are ``YYYY-MM-DD``/``YYYY-MM-DDTHH`` strings,
    ``date``s or ``datetime``s (an aware one is converted to UTC).
    """
    first, last = names
    date_from, date_to = bound_text(date_from, first), bound_text(date_to, last)
    if date_from is None and date_to is None:
        return list(prefixes)
    if date_from is None or date_to is None:
        raise UserError("{} and {} go together: give both (a UTC range, both ends included)".format(first, last))
    if "-" in prefixes:
        raise UserError("{}/{} select partitions under a prefix; '-' (standard input) has none".format(first, last))
    patterns = range_patterns(*parse_range(date_from, date_to, names))
    return [join_prefix(prefix, pattern) for prefix in prefixes for pattern in patterns]


def join_prefix(prefix: str, pattern: str) -> str:
    """``PREFIX/pattern`` for a local directory or an ``s3://`` prefix."""
    return prefix.rstrip("/") + "/" + pattern if prefix else pattern
