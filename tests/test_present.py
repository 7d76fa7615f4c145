"""write_ranking(): the four output formats."""

import csv
import io
import json

import pytest

from hashtagcount.present import FORMATS, write_ranking

RANKING = [("scotus", 8), ("東京", 1234), ("i̇stanbul", 2), ('say "hi",', 1)]


def render(fmt):
    out = io.StringIO()
    write_ranking(RANKING, fmt, out)
    return out.getvalue()


def test_tsv_is_exactly_what_the_pipe_prints():
    assert render("tsv") == 'scotus\t8\n東京\t1234\ni̇stanbul\t2\nsay "hi",\t1\n'


def test_csv_has_a_header_and_quotes_what_needs_it():
    rows = list(csv.reader(io.StringIO(render("csv"))))
    assert rows[0] == ["rank", "hashtag", "count"]
    assert rows[1:] == [["1", "scotus", "8"], ["2", "東京", "1234"], ["3", "i̇stanbul", "2"], ["4", 'say "hi",', "1"]]


def test_json_is_a_list_of_objects():
    assert json.loads(render("json")) == [{"hashtag": t, "count": c} for t, c in RANKING]


def test_table_columns_line_up_on_screen_for_wide_and_combining_characters():
    lines = render("table").splitlines()
    assert lines[0].split() == ["rank", "hashtag", "count"]
    assert lines[2].split() == ["2", "#東京", "1,234"]
    # 東 and 京 take two columns each; the dot above the i of i̇stanbul takes none.
    ends = {len(line) + sum(1 for c in line if c in "東京") - line.count("\u0307") for line in lines}
    assert len(ends) == 1


def test_an_unknown_format_is_refused():
    assert set(FORMATS) == {"table", "tsv", "csv", "json"}
    with pytest.raises(ValueError, match="unknown format 'xml'"):
        render("xml")
