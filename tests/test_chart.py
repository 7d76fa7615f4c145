"""Charts of a ranking."""

import pytest

from hashtagcount.chart import chart_html, check_chart_path, write_chart
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
    with pytest.raises(UserError, match="no such directory"):
        check_chart_path(tmp_path / "missing" / "c.html")
