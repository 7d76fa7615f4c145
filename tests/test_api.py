"""The Python API: what a notebook user calls."""

import datetime
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

import hashtagcount
from command import REPO
from hashtagcount import api
from hashtagcount.errors import UserError

SAMPLE = REPO / "sample_data"


def expected_ranking():
    rows = (SAMPLE / "_expected.tsv").read_text(encoding="utf-8").splitlines()
    return [(tag, int(n)) for tag, n in (row.split("\t") for row in rows)]


def test_importing_the_package_imports_nothing_else():
    code = "import sys, hashtagcount; print(sorted(m for m in sys.modules if m.startswith(('hashtagcount.', 'boto'))))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_api_is_reachable_from_the_package_lazily():
    assert hashtagcount.count_hashtags is api.count_hashtags
    assert hashtagcount.rank is api.rank
    with pytest.raises(AttributeError):
        hashtagcount.no_such_thing


def test_count_hashtags_then_rank_gives_the_expected_ranking():
    counts = hashtagcount.count_hashtags(str(SAMPLE), jobs=1)
    assert isinstance(counts, Counter)
    assert hashtagcount.rank(counts) == expected_ranking()
    assert api.top_hashtags([str(SAMPLE)], n=3, jobs=2) == expected_ranking()[:3]


def test_count_reports_what_it_read():
    result = api.count([str(SAMPLE)], jobs=1)
    assert result.stats.tweets > 0 and result.stats.hashtags == sum(result.counts.values())
    assert not result.partial and not result.is_sample
    assert result.total_bytes == sum(p.stat().st_size for p in (SAMPLE / "2017").rglob("*") if p.is_file())


def test_a_date_range_reads_only_its_partitions():
    day = api.count(str(SAMPLE), date_from="2017-02-01", date_to="2017-02-01", jobs=1)
    assert {Path(s.name).parts[-5:-1] for s in day.sources} == {("2017", "02", "01", h) for h in ("00", "01", "02")}
    hour = api.expand_inputs(str(SAMPLE), date_from="2017-01-31T22", date_to="2017-01-31T22")
    assert [m.pattern for m in hour] == [str(SAMPLE) + "/2017/01/31/22/*"] and len(hour[0].sources) == 1
    whole = api.count_hashtags(str(SAMPLE), date_from="2017-01-01", date_to="2017-12-31", jobs=1)
    assert api.rank(whole) == expected_ranking()


def test_expand_inputs_says_what_hadoop_reads_and_below_what_count_reads():
    hours = api.expand_inputs(str(SAMPLE / "2017/02/01/*"))  # hour folders: the objects directly in them
    assert len(hours[0].sources) == 3 and hours[0].problem is None
    with pytest.raises(UserError) as error:
        api.expand_inputs(str(SAMPLE / "2017/*"))
    assert str(error.value).startswith("{0}/2017/*: {0}/2017/01/31 is a folder inside what it reaches".format(SAMPLE))
    assert str(error.value).endswith("e.g. {}/2017/*/*/*/*, or date_from/date_to".format(SAMPLE))
    (kept,) = api.expand_inputs(str(SAMPLE / "2017/*"), keep_problems=True)
    assert kept.problem == str(error.value) and kept.empty
    (everything,) = api.expand_inputs(str(SAMPLE / "2017/*"), below=True)
    assert len(everything.sources) == 6 and everything.problem is None


def test_a_date_range_with_no_data_at_all_is_an_error():
    with pytest.raises(UserError, match="matches no input"):
        api.count(str(SAMPLE), date_from="2016-01-01", date_to="2016-01-02", jobs=1)


@pytest.mark.parametrize("kwargs, message", [
    ({"date_from": "2017-02-01"}, "^date_from and date_to go together"),
    ({"date_to": "2017-02-01"}, "^date_from and date_to go together"),
    ({"date_from": "2017-02-31", "date_to": "2017-03-01"}, "^date_from '2017-02-31': day is out of range"),
    ({"sample": 1.5}, r"^sample: 1.5 is not a fraction in \(0, 1\]"),
    ({"sample": 0.5, "seed": "42"}, r"^seed: '42' is not a whole number"),
    ({"seed": 3}, r"^seed 3 chooses which sample is drawn: give sample too"),
    ({"jobs": 0}, "^jobs: must be at least 1, not 0"),
    ({"jobs": -2}, "^jobs: must be at least 1, not -2"),
    ({"jobs": 1.5}, "^jobs: 1.5 is not a whole number"),
    ({"date_from": "2017-02-02", "date_to": "2017-02-01"}, "^date_from 2017-02-02 is after date_to 2017-02-01"),
])
def test_bad_options_are_user_errors_named_as_the_api_names_them(kwargs, message):
    with pytest.raises(UserError, match=message):
        api.count(str(SAMPLE), **kwargs)


def test_a_sample_is_smaller_and_marked():
    result = api.count(str(SAMPLE), sample=0.5, seed=1, jobs=1)
    assert result.is_sample
    assert 0 < sum(result.counts.values()) < sum(Counter(dict(expected_ranking())).values())


def test_dates_may_be_dates_and_datetimes():
    as_text = api.expand_inputs(str(SAMPLE), date_from="2017-01-31T22", date_to="2017-02-01")
    as_objects = api.expand_inputs(
        str(SAMPLE), date_from=datetime.datetime(2017, 1, 31, 22, 30), date_to=datetime.date(2017, 2, 1))
    assert [m.pattern for m in as_objects] == [m.pattern for m in as_text]
    aware = datetime.datetime(2017, 2, 1, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=2)))
    assert api.expand_inputs(str(SAMPLE), date_from=aware, date_to=aware)[0].pattern == str(SAMPLE) + "/2017/01/31/22/*"
    assert api.top_hashtags(str(SAMPLE), 3, date_from=datetime.date(2017, 1, 1), date_to=datetime.date(2017, 12, 31),
                            jobs=1) == expected_ranking()[:3]
    with pytest.raises(UserError, match="date_from 20170201: expected a str, datetime.date or datetime.datetime"):
        api.count(str(SAMPLE), date_from=20170201, date_to="2017-02-02")


def test_stats_read_well_and_convert_to_a_dict():
    stats = api.count(str(SAMPLE), jobs=1).stats
    as_dict = stats.as_dict()
    assert list(as_dict) == ["lines", "skipped", "records", "tweets", "others", "malformed", "hashtags"]
    assert as_dict["hashtags"] == sum(n for _, n in expected_ranking())
    assert repr(stats) == "Stats({})".format(", ".join("{}={}".format(k, v) for k, v in as_dict.items()))


def test_each_input_has_its_own_stats():
    result = api.count(str(SAMPLE), jobs=2)
    assert sorted(result.by_source) == sorted(s.name for s in result.sources)
    assert sum(s.hashtags for s in result.by_source.values()) == result.stats.hashtags


def test_a_sample_of_one_is_a_full_count():
    result = api.count(str(SAMPLE), sample=1, jobs=1)
    assert not result.is_sample and api.rank(result.counts) == expected_ranking()
