"""Date ranges to the fewest Firehose-layout glob patterns."""

from datetime import date, datetime, timedelta, timezone

import pytest

from hashtagcount.errors import UserError
from hashtagcount.partitions import bound_text, date_inputs, join_prefix, parse_bound, parse_range, range_patterns


def patterns(start: str, end: str):
    return range_patterns(*parse_range(start, end))


def test_a_date_without_hour_is_the_whole_day():
    assert parse_bound("2017-03-01", end=False) == datetime(2017, 3, 1, 0)
    assert parse_bound("2017-03-01", end=True) == datetime(2017, 3, 1, 23)
    assert parse_bound("2017-03-01T05", end=True) == datetime(2017, 3, 1, 5)


@pytest.mark.parametrize("text", ["2017-3-1", "2017-03-01T5", "yesterday", "2017-02-30", "2017-03-01T24", ""])
def test_a_bad_bound_is_a_user_error_naming_the_option(text):
    with pytest.raises(UserError, match="--from"):
        parse_bound(text, end=False)


def test_whole_months_then_edge_days_and_hours():
    assert patterns("2017-02-01", "2017-03-02T05") == [
        "2017/02/*/*/*",
        "2017/03/01/*/*",
        "2017/03/02/00/*",
        "2017/03/02/01/*",
        "2017/03/02/02/*",
        "2017/03/02/03/*",
        "2017/03/02/04/*",
        "2017/03/02/05/*",
    ]


def test_a_single_hour():
    assert patterns("2017-03-02T05", "2017-03-02T05") == ["2017/03/02/05/*"]


def test_a_single_day():
    assert patterns("2017-03-02", "2017-03-02") == ["2017/03/02/*/*"]


def test_a_full_year_is_one_pattern():
    assert patterns("2017-01-01", "2017-12-31") == ["2017/*/*/*/*"]


def test_across_a_year_boundary():
    assert patterns("2016-12-31T22", "2018-01-01T00") == [
        "2016/12/31/22/*",
        "2016/12/31/23/*",
        "2017/*/*/*/*",
        "2018/01/01/00/*",
    ]


def test_leap_february_is_a_whole_month_only_with_the_29th():
    assert patterns("2016-02-01", "2016-02-29") == ["2016/02/*/*/*"]
    assert patterns("2016-02-01", "2016-02-28") == ["2016/02/%02d/*/*" % d for d in range(1, 29)]
    assert patterns("2016-02-28", "2016-03-01") == ["2016/02/28/*/*", "2016/02/29/*/*", "2016/03/01/*/*"]
    assert patterns("2017-02-28", "2017-03-01") == ["2017/02/28/*/*", "2017/03/01/*/*"]


def test_a_partial_first_day_then_whole_months():
    assert patterns("2017-01-31T23", "2017-03-31") == ["2017/01/31/23/*", "2017/02/*/*/*", "2017/03/*/*/*"]


def test_every_pattern_reaches_object_depth():
    for pattern in patterns("2015-11-30T07", "2018-02-03T04"):
        assert pattern.count("/") == 4 and pattern.endswith("/*")


def test_from_after_to_is_a_clear_error():
    with pytest.raises(UserError, match=r"^--from 2017-03-02 is after --to 2017-03-01$"):
        patterns("2017-03-02", "2017-03-01")
    with pytest.raises(UserError, match=r"^--from 2017-03-02 is after --to 2017-03-01$"):
        range_patterns(datetime(2017, 3, 2), datetime(2017, 3, 1, 23))


def test_join_prefix():
    assert join_prefix("s3://b.c/tweets/", "2017/*/*/*/*") == "s3://b.c/tweets/2017/*/*/*/*"
    assert join_prefix("data", "2017/*/*/*/*") == "data/2017/*/*/*/*"


def test_bounds_may_be_dates_or_datetimes_as_well_as_text():
    assert bound_text(date(2017, 2, 1), "--from") == "2017-02-01"
    assert bound_text(datetime(2017, 2, 1, 5, 59), "--to") == "2017-02-01T05"
    assert bound_text(datetime(2017, 2, 1, 1, tzinfo=timezone(timedelta(hours=3))), "--from") == "2017-01-31T22"
    assert bound_text("2017-02-01", "--from") == "2017-02-01" and bound_text(None, "--to") is None
    assert date_inputs(["p"], date(2017, 2, 1), datetime(2017, 2, 2, 5)) == date_inputs(
        ["p"], "2017-02-01", "2017-02-02T05")
    with pytest.raises(UserError, match=r"^--to 1\.5: expected a str, datetime\.date or datetime\.datetime$"):
        bound_text(1.5, "--to")
