"""Draw a ranking as a horizontal bar chart: PNG (matplotlib) or a self-contained HTML page.

matplotlib is an optional extra (``pip install 'hashtag-count[chart]'``);
its default font lacks some scripts (Hangul, Thai...), whose tags then show
as boxes in the PNG.  The HTML page needs nothing (inline CSS, no script,
no external file) and shows every script the browser can.
"""

import html
import importlib.util
import warnings
from pathlib import Path
from typing import Union

from .errors import UserError
from .ranking import Ranking

CHART_SUFFIXES = (".png", ".html", ".htm")


def check_chart_path(path: Union[str, Path]) -> Path:
    """Fail before counting (not after an hour of work) on a name we cannot write."""
    path = Path(path)
    if path.suffix.lower() not in CHART_SUFFIXES:
        raise UserError("--chart {}: the name must end in .png or .html".format(path))
    if path.suffix.lower() == ".png":
        if importlib.util.find_spec("matplotlib") is None:
            raise UserError(
                "--chart {}: PNG charts need matplotlib: pip install 'hashtag-count[chart]' "
                "(or write .html)".format(path)
            )
    if not path.parent.is_dir():
        raise UserError("--chart {}: no such directory {}".format(path, path.parent))
    return path


def write_chart(ranking: Ranking, path: Union[str, Path], title: str) -> None:
    """Write ``ranking`` (most used first) as a bar chart to ``path`` (.png or .html)."""
    path = check_chart_path(path)
    if path.suffix.lower() == ".png":
        _write_png(ranking, path, title)
    else:
        path.write_text(chart_html(ranking, title), encoding="utf-8")


def _write_png(ranking: Ranking, path: Path, title: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    tags = ["#" + tag for tag, _ in ranking][::-1]
    counts = [count for _, count in ranking][::-1]
    figure, axes = plt.subplots(figsize=(8, 1.2 + 0.3 * max(1, len(tags))))
    axes.barh(range(len(tags)), counts, color="#1d9bf0")
    axes.set_yticks(range(len(tags)))
    axes.set_yticklabels(tags)
    axes.set_xlabel("occurrences")
    axes.set_title(title)
    try:
        with warnings.catch_warnings():
            # Scripts the default font lacks (Hangul, Thai...) draw as boxes; say nothing per glyph.
            warnings.simplefilter("ignore", UserWarning)
            figure.tight_layout()
            figure.savefig(str(path), dpi=100)
    except OSError as error:
        raise UserError("--chart {}: {}".format(path, error.strerror or error))
    finally:
        plt.close(figure)


def chart_html(ranking: Ranking, title: str) -> str:
    """A standalone HTML page with one CSS bar per hashtag; every text is escaped."""
    top = max((count for _, count in ranking), default=1) or 1
    rows = "\n".join(
        '<tr><td class="tag">#{}</td><td class="bar"><div style="width:{:.1f}%"></div></td>'
        '<td class="n">{:,}</td></tr>'.format(html.escape(tag), 100.0 * count / top, count)
        for tag, count in ranking
    )
    return """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2em; }}
table {{ border-collapse: collapse; width: 100%; max-width: 60em; }}
td {{ padding: 2px 8px; white-space: nowrap; }}
td.bar {{ width: 100%; }}
td.bar div {{ background: #1d9bf0; height: 1em; }}
td.n {{ text-align: right; font-variant-numeric: tabular-nums; }}
</style>
</head>
<body>
<h1>{title}</h1>
<table>
{rows}
</table>
</body>
</html>
""".format(title=html.escape(title), rows=rows)
