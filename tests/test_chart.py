"""Charts of a ranking."""

import pytest

from hashtagcount.chart import MAX_BARS, chart_html, check_chart_path, write_chart
from hashtagcount.errors import UserError


def test_html_bars_are_proportional_and_text_is_escaped(tmp_path):
    page = chart_html([("rust", 10), ("<b>go</b>", 5)], 'Top "2" <hashtags>')
    assert 'style="width:100.0%"' in page and 'style="width:50.0%"' in page
    assert "#&lt;b&gt;go&lt;/b&gt;" in page and "<title>Top &quot;2&quot; &lt;hashtags&gt;</title>" in page
    path = tmp_path / "c.html"
    write_chart([("日本", 3)], path, "t")
    assert "#日本" in path.read_text(encoding="utf-8")


def test_an_empty_ranking_still_makes_a_page():
    assert "<table>\n\n</table>" in chart_html([], "nothing")


def test_bad_chart_names_fail_before_counting(tmp_path):
    with pytest.raises(UserError, match=r"must end in \.png or \.html"):
        check_chart_path(tmp_path / "c.jpg")
    with pytest.raises(UserError, match="there is no folder"):
        check_chart_path(tmp_path / "missing" / "c.html")


def test_an_existing_chart_is_replaced_only_with_force_and_never_when_it_is_an_input(tmp_path):
    path = tmp_path / "c.html"
    path.write_text("mine")
    with pytest.raises(UserError, match="would not be overwritten; choose another name, or pass --force"):
        check_chart_path(path)
    assert check_chart_path(path, force=True) == path
    with pytest.raises(UserError, match="is one of the inputs"):
        check_chart_path(path, force=True, inputs=[str(tmp_path / "." / "c.html")])


def test_a_file_that_appears_while_counting_is_not_replaced(tmp_path):
    path = tmp_path / "c.html"
    check_chart_path(path)
    path.write_text("appeared")
    with pytest.raises(UserError, match="would not be overwritten"):
        write_chart([("a", 1)], path, "t")
    assert path.read_text() == "appeared"
    write_chart([("a", 1)], path, "t", force=True)
    assert "#a" in path.read_text(encoding="utf-8")


def test_a_chart_draws_at_most_max_bars(tmp_path):
    path = tmp_path / "c.html"
    write_chart([("t%d" % i, 1000 - i) for i in range(3 * MAX_BARS)], path, "t")
    assert path.read_text(encoding="utf-8").count("<tr>") == MAX_BARS
