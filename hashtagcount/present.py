"""Present a ranking: the last stage of the data path.

``tsv`` is exactly what the streaming pipe prints (``hashtag<TAB>count``),
so results from every engine can be diffed; ``table`` is for people,
``csv`` and ``json`` for other programs.
"""

import csv
import json
import unicodedata
from typing import TextIO

from .ranking import Ranking

FORMATS = ("table", "tsv", "csv", "json")


def _width(text: str) -> int:
    """Columns ``text`` takes in a terminal (CJK characters take two, combining marks none)."""
    return sum(
        0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
        for c in text
    )


def write_ranking(ranking: Ranking, fmt: str, out: TextIO) -> None:
    """Write ``ranking`` to ``out`` in one of :data:`FORMATS`."""
    if fmt == "tsv":
        out.writelines("{}\t{}\n".format(tag, count) for tag, count in ranking)
    elif fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["rank", "hashtag", "count"])
        writer.writerows((i, tag, count) for i, (tag, count) in enumerate(ranking, 1))
    elif fmt == "json":
        json.dump([{"hashtag": t, "count": c} for t, c in ranking], out, ensure_ascii=False, indent=2)
        out.write("\n")
    elif fmt == "table":
        rows = [(str(i), "#" + tag, "{:,}".format(count)) for i, (tag, count) in enumerate(ranking, 1)]
        rows.insert(0, ("rank", "hashtag", "count"))
        widths = [max(_width(row[col]) for row in rows) for col in range(3)]
        for rank_, tag, count in rows:
            out.write(
                "{}  {}{}  {}\n".format(
                    rank_.rjust(widths[0]),
                    tag, " " * (widths[1] - _width(tag)),
                    count.rjust(widths[2]),
                )
            )
    else:
        raise ValueError("unknown format {!r}; choose one of {}".format(fmt, ", ".join(FORMATS)))
