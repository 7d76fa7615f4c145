#!/usr/bin/env python3
"""The peers' rankings, each run as its own process by ``bench_engines.py``: DuckDB and Polars.

Kept apart from the benchmark so that a peer's whole process is only
Python, its library and its query: the benchmark reads both that and the
query's own time (printed on stderr as ``query seconds: S``).

    python bench/peers.py duckdb explicit 1 FILE    # MODE: auto, explicit, unstructured; THREADS
    POLARS_MAX_THREADS=2 python bench/peers.py polars FILE
"""

import sys
import time
from typing import Sequence, Tuple

# Only the fields the counting rule reads (API v1.1), typed, so DuckDB skips the rest.
_TAGS = "STRUCT(text VARCHAR)[]"
_ENTITIES = "STRUCT(hashtags {})".format(_TAGS)
_EXTENDED = "STRUCT(entities {})".format(_ENTITIES)
EXPLICIT_COLUMNS = {
    "text": "VARCHAR",
    "full_text": "VARCHAR",
    "truncated": "BOOLEAN",
    "entities": _ENTITIES,
    "extended_tweet": _EXTENDED,
    "retweeted_status": "STRUCT(truncated BOOLEAN, entities {}, extended_tweet {})".format(_ENTITIES, _EXTENDED),
}
# The counting rule of hashtagcount.hashtags for v1.1 tweets, in SQL.
RANKING_SQL = """
WITH tweets AS (SELECT * FROM {source}),
tagged AS (
  SELECT CASE
    WHEN retweeted_status IS NOT NULL THEN
      CASE WHEN retweeted_status.truncated AND retweeted_status.extended_tweet IS NOT NULL
           THEN retweeted_status.extended_tweet.entities.hashtags
           ELSE retweeted_status.entities.hashtags END
    WHEN truncated AND extended_tweet IS NOT NULL THEN extended_tweet.entities.hashtags
    ELSE entities.hashtags END AS tags
  FROM tweets),
tags AS (SELECT unnest(tags) AS tag FROM tagged)
SELECT lower(tag.text) AS hashtag, count(*) AS n FROM tags
WHERE tag.text IS NOT NULL
GROUP BY hashtag ORDER BY n DESC, hashtag
"""


def _print_ranking(rows: Sequence[Tuple[str, int]], seconds: float) -> None:
    out = sys.stdout.buffer
    for tag, n in rows:
        out.write("{}\t{}\n".format(tag, n).encode("utf-8"))
    out.flush()
    sys.stderr.write("query seconds: {}\n".format(seconds))


def duckdb_ranking(path: str, threads: int, mode: str) -> None:
    """Print DuckDB's ``hashtag<TAB>count`` ranking of ``path`` (run as its own process).

    ``mode``: ``auto`` (schema detected), ``explicit`` (only the rule's
    fields), ``unstructured`` (explicit, records back to back without newlines).
    """
    import duckdb

    con = duckdb.connect()
    con.execute("SET threads={}".format(threads))
    quoted = "'{}'".format(path.replace("'", "''"))
    columns = "{" + ", ".join("'{}': '{}'".format(k, v) for k, v in EXPLICIT_COLUMNS.items()) + "}"
    if mode == "auto":
        source = "read_json({}, format='newline_delimited')".format(quoted)
    else:
        layout = "unstructured" if mode == "unstructured" else "newline_delimited"
        source = "read_json({}, format='{}', columns={})".format(quoted, layout, columns)
    start = time.perf_counter()
    rows = con.execute(RANKING_SQL.format(source=source)).fetchall()
    _print_ranking(rows, time.perf_counter() - start)


def polars_ranking(path: str) -> None:
    """Print Polars' ranking of ``path`` with ``scan_ndjson`` and the explicit schema (its own process).

    Threads come from ``POLARS_MAX_THREADS``, set by the caller before Polars is imported.
    """
    import polars as pl

    tags = pl.List(pl.Struct({"text": pl.String}))
    entities = pl.Struct({"hashtags": tags})
    extended = pl.Struct({"entities": entities})
    schema = {
        "text": pl.String, "full_text": pl.String, "truncated": pl.Boolean, "entities": entities,
        "extended_tweet": extended,
        "retweeted_status": pl.Struct({"truncated": pl.Boolean, "entities": entities, "extended_tweet": extended}),
    }

    def source_tags(truncated: "pl.Expr", extended_tweet: "pl.Expr", entities_: "pl.Expr") -> "pl.Expr":
        return (pl.when(truncated.fill_null(False) & extended_tweet.is_not_null())
                .then(extended_tweet.struct.field("entities").struct.field("hashtags"))
                .otherwise(entities_.struct.field("hashtags")))

    retweeted = pl.col("retweeted_status")
    field = retweeted.struct.field
    chosen = (pl.when(retweeted.is_not_null())
              .then(source_tags(field("truncated"), field("extended_tweet"), field("entities")))
              .otherwise(source_tags(pl.col("truncated"), pl.col("extended_tweet"), pl.col("entities"))))
    start = time.perf_counter()
    ranking = (
        pl.scan_ndjson(path, schema=schema)
        .select(chosen.alias("tags")).explode("tags")
        .select(pl.col("tags").struct.field("text").str.to_lowercase().alias("hashtag"))
        .drop_nulls().group_by("hashtag").len()
        .sort(["len", "hashtag"], descending=[True, False]).collect()
    )
    _print_ranking(list(ranking.iter_rows()), time.perf_counter() - start)


def main(argv: Sequence[str]) -> int:
    if len(argv) == 4 and argv[0] == "duckdb":
        duckdb_ranking(argv[3], int(argv[2]), argv[1])
    elif len(argv) == 2 and argv[0] == "polars":
        polars_ranking(argv[1])
    else:
        sys.stderr.write(__doc__.split("\n\n")[-1] + "\n")
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
