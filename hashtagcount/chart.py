"""Draw a ranking as a horizontal bar chart: PNG (matplotlib) or a self-contained HTML page.

A chart shows at most :data:`MAX_BARS` bars, so drawing it takes the same
time and memory whatever the number of tags.  It never replaces an
existing file unless asked (``force``), and never one that was read as an
input.  matplotlib is an optional extra (``pip install
'hashtag-count[chart]'``); the PNG draws each character with the first font
of :data:`FONT_FALLBACK` installed here that has it, and names the tags
some character of which no installed font has.  The HTML page needs nothing
(inline CSS, no script, no external file) and shows every script the
browser can.
"""

import importlib.util
import os
import re
import warnings
from typing import TYPE_CHECKING, Any, Iterable, List, Sequence, Union

from .errors import UserError
from .ranking import Ranking

if TYPE_CHECKING:  # pathlib is imported where a chart is asked for, not by every --help that names MAX_BARS
    from pathlib import Path

CHART_SUFFIXES = (".png", ".html", ".htm")
MAX_BARS = 50
LABEL_CHARS = 40  # longer tags are cut, so one tag cannot widen the PNG without bound
# Latin, Greek, Cyrillic first, then the Noto families of other scripts (Debian: fonts-noto-core,
# fonts-noto-cjk), then older all-in-one fonts.
FONT_FALLBACK = (
    "DejaVu Sans", "Noto Sans", "Noto Sans CJK JP", "Noto Sans CJK KR", "Noto Sans CJK SC",
    "Noto Sans Arabic", "Noto Sans Thai", "Noto Sans Hebrew", "Noto Sans Devanagari", "Noto Sans Bengali",
    "Noto Sans Tamil", "Noto Sans Georgian", "Noto Sans Armenian", "Noto Sans Ethiopic", "Noto Sans Symbols",
    "Noto Sans Symbols2", "Droid Sans Fallback", "WenQuanYi Zen Hei", "Arial Unicode MS",
)
_MISSING_GLYPH = re.compile(r"Glyph (\d+) .*missing from")


def check_chart_path(path: "Union[str, Path]", force: bool = False, inputs: Iterable[str] = ()) -> "Path":
    """Fail before counting (not after an hour of work) on a name we cannot or must not write.

    A chart is .png or .html; where it goes is checked as every file we
    write is (:func:`hashtagcount.outputs.check_new_file`): an existing
    file is replaced only with ``force``, and never one of ``inputs``.
    """
    from .outputs import check_new_file

    suffix = os.path.splitext(str(path))[1].lower()
    if suffix not in CHART_SUFFIXES:
        raise UserError("--chart {}: the name must end in .png or .html".format(path))
    if suffix == ".png":
        if importlib.util.find_spec("matplotlib") is None:
            raise UserError(
                "--chart {}: PNG charts need matplotlib: pip install 'hashtag-count[chart]' "
                "(or write .html)".format(path)
            )
    return check_new_file("--chart", path, force, can_force=True, inputs=inputs)


def bounded(ranking: Ranking) -> Ranking:
    """The part of ``ranking`` a chart draws: its first :data:`MAX_BARS` tags."""
    return ranking[:MAX_BARS]


def write_chart(ranking: Ranking, path: "Union[str, Path]", title: str, force: bool = False) -> List[str]:
    """Write ``ranking`` (most used first, at most MAX_BARS) as a bar chart to ``path`` (.png or .html).

    Returns the tags the PNG could not draw whole with the fonts installed.
    """
    from .outputs import exists_error, write_new_file

    path = check_chart_path(path, force)
    ranking = bounded(ranking)
    png = path.suffix.lower() == ".png"

    def draw(out: Any) -> List[str]:
        if png:
            return _write_png(ranking, out, title)
        out.write(chart_html(ranking, title))
        return []

    try:  # put in place whole: not even a file created since the check is replaced without force
        return write_new_file(path, draw, binary=png, force=force)
    except FileExistsError:
        raise exists_error("--chart", path, can_force=True)
    except OSError as error:
        raise UserError("--chart {}: {}".format(path, error.strerror or error))


def installed_fonts(wanted: Sequence[str] = FONT_FALLBACK) -> List[str]:
    """The families of ``wanted`` that matplotlib finds on this machine, in order.

    matplotlib caches its font list once: fonts installed since (say
    ``apt-get install fonts-noto-cjk``) are looked up among the system's
    font files and added for this process.
    """
    from matplotlib import font_manager

    manager = font_manager.fontManager
    names = {font.name for font in manager.ttflist}
    stems = {re.sub(r" CJK \w+$", " CJK", family).replace(" ", "") for family in wanted if family not in names}
    if stems:
        known = {font.fname for font in manager.ttflist}
        for path in font_manager.findSystemFonts():
            stem = os.path.basename(path).split(".")[0]
            if path not in known and re.sub(r"-Regular$|Full$", "", stem) in stems:
                try:
                    manager.addfont(path)
                except (OSError, RuntimeError, ValueError):  # a font file matplotlib cannot read
                    continue
        names = {font.name for font in manager.ttflist}
    return [name for name in wanted if name in names]


def _label(tag: str) -> str:
    return "#" + (tag if len(tag) <= LABEL_CHARS else tag[: LABEL_CHARS - 1] + "\u2026")


def _write_png(ranking: Ranking, out, title: str) -> List[str]:  # type: ignore[no-untyped-def]
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    tags = [_label(tag) for tag, _ in ranking][::-1]
    counts = [count for _, count in ranking][::-1]
    with plt.rc_context({"font.family": installed_fonts() or ["sans-serif"]}):
        figure, axes = plt.subplots(figsize=(8, 1.2 + 0.3 * max(1, len(tags))))
        try:
            axes.barh(range(len(tags)), counts, color="#1d9bf0")
            axes.set_yticks(range(len(tags)))
            axes.set_yticklabels(tags)
            axes.set_xlabel("occurrences")
            axes.set_title(title)
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                figure.tight_layout()
                figure.savefig(out, format="png", dpi=100)
        finally:
            plt.close(figure)
    missing = set()
    for warning in caught:
        glyph = _MISSING_GLYPH.search(str(warning.message))
        if glyph:
            missing.add(chr(int(glyph.group(1))))
        else:
            warnings.warn_explicit(warning.message, warning.category, warning.filename, warning.lineno)
    return [tag for tag, _ in ranking if missing.intersection(tag)]


def chart_html(ranking: Ranking, title: str) -> str:
    """A standalone HTML page with one CSS bar per hashtag; every text is escaped."""
    import html

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
