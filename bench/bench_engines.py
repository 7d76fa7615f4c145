#!/usr/bin/env python3
"""Every way to rank hashtags on one machine, on the same realistic corpus (``make bench``).

Rows, each a real process tree timed from start to ranked output:

* naive pipe: ``bench_streaming.py --naive-mapper | sort | reducer.py | sort``
  (``json.loads`` on every line; the baseline);
* our pipe: ``mapper.py | sort | reducer.py | sort``;
* ``hashtag-count top -j1`` and ``-j2`` (the local engine), and ``-j1 --sample 0.1``
  (a sample must cost a fraction of the full count: its time over the full
  count's is a target; its counts are checked to be a plausible 10 %);
* mrjob local: ``python -m jobs.hashtag_count -r local`` (if present);
* DuckDB with an auto-detected schema, and with an explicit struct schema
  of only the needed fields (the fastest DuckDB query we know), 1 and 2 threads;
* the same corpus gzipped: ``hashtag-count top -j1`` vs DuckDB explicit.

Times are wall-clock from process start to ranked output, except DuckDB's,
which are its query alone (without starting Python and importing duckdb),
so every ratio against DuckDB is in DuckDB's favour.

A benchmark that gets a wrong answer measures nothing: every row's full
ranking must equal ``hashtag-count``'s (DuckDB's after folding the two
places its ``lower()`` differs from Python's, dotted capital I and final
sigma), or this exits 1.  Peak RSS is that of the largest process
of each row's process tree (a worker, the main process, or ``sort``).  Speed is reported, never failed on.

    python bench/bench_engines.py --size-mb 1000
"""

import argparse
import importlib.util
import os
import subprocess
import sys
import shutil
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import List, NamedTuple, Optional, Sequence

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.corpus import MB, cached_corpus  # noqa: E402

GNU_TIME = shutil.which("time") if os.path.exists("/usr/bin/time") else None
TARGETS = {"vs_duckdb": 1.5, "scaling": 1.8, "rss_mb": 100.0, "sample_time": 0.35}
SAMPLE = 0.1

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


def duckdb_ranking(path: str, threads: int, explicit: bool) -> None:
    """Print DuckDB's ``hashtag<TAB>count`` ranking of ``path`` (run as its own process)."""
    import duckdb

    con = duckdb.connect()
    con.execute("SET threads={}".format(threads))
    quoted = "'{}'".format(path.replace("'", "''"))
    if explicit:
        columns = "{" + ", ".join("'{}': '{}'".format(k, v) for k, v in EXPLICIT_COLUMNS.items()) + "}"
        source = "read_json({}, format='newline_delimited', columns={})".format(quoted, columns)
    else:
        source = "read_json({}, format='newline_delimited')".format(quoted)
    start = time.perf_counter()
    rows = con.execute(RANKING_SQL.format(source=source)).fetchall()
    seconds = time.perf_counter() - start
    out = sys.stdout.buffer
    for tag, n in rows:
        out.write("{}\t{}\n".format(tag, n).encode("utf-8"))
    out.flush()
    sys.stderr.write("query seconds: {}\n".format(seconds))


class Run(NamedTuple):
    seconds: float
    output: bytes
    worker_rss_mb: float
    errors: bytes


def run_measured(cmd: Sequence[str], stdin: Optional[Path] = None, shell: bool = False) -> Run:
    """Time ``cmd``, with GNU time reporting the peak RSS of the largest process in its tree.

    (The rusage of a child forked from this process would start from this
    process's own size, so a small ``/usr/bin/time`` does the forking.)
    """
    env = dict(os.environ, PYTHONIOENCODING="utf-8", LC_ALL="C")
    argv = list(cmd) if not shell else ["bash", "-c", "set -o pipefail; " + cmd[0]]
    with tempfile.NamedTemporaryFile("r") as rss_file:
        if GNU_TIME:
            argv = [GNU_TIME, "-q", "-f", "%M", "-o", rss_file.name] + argv
        with open(str(stdin), "rb") if stdin else open(os.devnull, "rb") as source:
            start = time.perf_counter()
            done = subprocess.run(argv, stdin=source, capture_output=True, env=env, cwd=str(ROOT))
            seconds = time.perf_counter() - start
        rss = rss_file.read().strip().splitlines()
    if done.returncode != 0:
        raise SystemExit("bench_engines.py: {} failed:\n{}".format(" ".join(cmd), done.stderr.decode(errors="replace")))
    if done.stderr.startswith(b"query seconds: "):  # DuckDB: count only the query, not starting Python
        seconds = float(done.stderr.split()[2])
    return Run(seconds, done.stdout, int(rss[-1]) / 1024.0 if rss else float("nan"), done.stderr)


def best_of(repeat: int, cmd: Sequence[str], stdin: Optional[Path] = None, shell: bool = False) -> Run:
    runs = [run_measured(cmd, stdin, shell) for _ in range(repeat)]
    fastest = min(runs, key=lambda r: r.seconds)
    return fastest._replace(worker_rss_mb=max(r.worker_rss_mb for r in runs))


def parse_ranking(output: bytes) -> Counter:
    counts = Counter()  # type: Counter
    for line in output.decode("utf-8").splitlines():
        tag, _, n = line.rpartition("\t")
        counts[tag] += int(n)
    return counts


def fold_duckdb(counts: Counter) -> Counter:
    """Merge keys where DuckDB's lower() and Python's str.lower() disagree (İ, final σ)."""
    folded = Counter()  # type: Counter
    for tag, n in counts.items():
        folded[tag.replace("i\u0307", "i").replace("\u0130", "i").replace("\u03c2", "\u03c3")] += n
    return folded


def plausible_sample(sample: Counter, full: Counter, fraction: float) -> bool:
    """A sample's counts: none above the full count, and their total near ``fraction`` of it."""
    total, expected = sum(sample.values()), fraction * sum(full.values())
    return all(n <= full[tag] for tag, n in sample.items()) and 0.8 * expected <= total <= 1.2 * expected


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(
        description="Compare MB/s and peak memory of every engine that ranks hashtags on this machine.",
        epilog="example: python bench/bench_engines.py --size-mb 200 --repeat 3",
    )
    parser.add_argument("--size-mb", type=int, default=1000,
                        help="corpus size in MB of 10**6 bytes (default: 1000: big enough that starting "
                        "worker processes does not hide the speed-up)")
    parser.add_argument("--seed", type=int, default=0, help="corpus seed (default: 0)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per fast row; the fastest counts (default: 3)")
    parser.add_argument("--skip-slow", action="store_true", help="leave out the naive pipe, mrjob and DuckDB auto")
    parser.add_argument("--duckdb", nargs=3, metavar=("MODE", "THREADS", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.duckdb:
        mode, threads, path = args.duckdb
        duckdb_ranking(path, int(threads), mode == "explicit")
        return 0

    corpus = cached_corpus(args.size_mb, args.seed)
    gz_corpus = cached_corpus(args.size_mb, args.seed, compress=True)
    size = corpus.stat().st_size
    py = sys.executable
    top = [py, "-m", "hashtagcount", "top", "--top", "0", "--format", "tsv", "--no-progress"]
    tsv_sort = "LC_ALL=C sort -t \"$(printf '\\t')\" -k2,2nr -k1,1"
    pipe = "{{}} < '{}' | LC_ALL=C sort | '{}' reducer.py | {}".format(corpus, py, tsv_sort)
    have_duckdb = importlib.util.find_spec("duckdb") is not None
    me = [py, str(Path(__file__).resolve()), "--duckdb"]

    rows = []  # type: List[tuple]
    # (name, kind, run): kind "ours", "duckdb" (folded comparison) or "other"
    def add(name: str, kind: str, run: Run, data_bytes: int = size) -> None:
        rows.append((name, kind, run, data_bytes))
        print("  measured {:<34} {:7.2f} s".format(name, run.seconds), file=sys.stderr, flush=True)

    print("bench_engines.py: {:,} bytes of corpus ({})".format(size, corpus.name), file=sys.stderr)
    add("hashtag-count top -j1", "ours", best_of(args.repeat, top + ["-j", "1", str(corpus)]))
    add("hashtag-count top -j2", "ours", best_of(args.repeat, top + ["-j", "2", str(corpus)]))
    add("hashtag-count top -j1 --sample {:g}".format(SAMPLE), "sample",
        best_of(args.repeat, top + ["-j", "1", "--sample", str(SAMPLE), str(corpus)]))
    add("hashtag-count top -j1 (stdlib json)", "ours",
        best_of(1, ["env", "HASHTAGCOUNT_JSON=stdlib"] + top + ["-j", "1", str(corpus)]))
    add("our pipe (mapper.py|sort|reducer.py)", "other",
        best_of(1, [pipe.format("'{}' mapper.py".format(py))], shell=True))
    if not args.skip_slow:
        add("naive pipe (json.loads|sort|reducer)", "other", best_of(1, [pipe.format(
            "'{}' bench/bench_streaming.py --naive-mapper".format(py))], shell=True))
        if (ROOT / "jobs" / "hashtag_count.py").exists():
            add("mrjob -r local", "other", best_of(1, [py, "-m", "jobs.hashtag_count", "-r", "local",
                                                      "--no-conf", "--top", "0", str(corpus)]))
    if have_duckdb:
        if not args.skip_slow:
            add("DuckDB auto schema, 1 thread", "duckdb", best_of(1, me + ["auto", "1", str(corpus)]))
        add("DuckDB explicit schema, 1 thread", "duckdb", best_of(args.repeat, me + ["explicit", "1", str(corpus)]))
        add("DuckDB explicit schema, 2 threads", "duckdb", best_of(args.repeat, me + ["explicit", "2", str(corpus)]))
    add("hashtag-count top -j1, .gz", "ours", best_of(args.repeat, top + ["-j", "1", str(gz_corpus)]))
    if have_duckdb:
        add("DuckDB explicit schema, 1 thread, .gz", "duckdb",
            best_of(args.repeat, me + ["explicit", "1", str(gz_corpus)]))

    reference = parse_ranking(rows[0][2].output)
    seconds = {name: run.seconds for name, _, run, _ in rows}
    naive = seconds.get("naive pipe (json.loads|sort|reducer)")
    duck1 = seconds.get("DuckDB explicit schema, 1 thread")
    print()
    print("corpus: {:.0f} MB of realistic v1.1 stream data (~4 KB lines), {:.0f} MB gzipped; "
          "seconds: best of {} (one run for the pipes, mrjob, DuckDB auto and stdlib json); "
          "DuckDB: query time only".format(size / MB, gz_corpus.stat().st_size / MB, args.repeat))
    print("{:<38} {:>8} {:>8} {:>10} {:>11} {:>13} {:>7}".format(
        "engine", "seconds", "MB/s", "vs naive", "vs DuckDB1", "peak RSS", "same?"))
    wrong = []
    for name, kind, run, data_bytes in rows:
        counts = parse_ranking(run.output)
        if kind == "duckdb":
            same = fold_duckdb(counts) == fold_duckdb(reference)
        elif kind == "sample":
            same = plausible_sample(counts, reference, SAMPLE)
        else:
            same = counts == reference
        if not same:
            wrong.append(name)
        print("{:<38} {:>8.2f} {:>8.0f} {:>10} {:>11} {:>10.0f} MB {:>7}".format(
            name, run.seconds, data_bytes / MB / run.seconds,
            "{:.2f}x".format(naive / run.seconds) if naive else "-",
            "{:.2f}x".format(duck1 / run.seconds) if duck1 else "-",
            run.worker_rss_mb, "yes" if same else "NO"))
    print()
    j1, j2 = seconds["hashtag-count top -j1"], seconds["hashtag-count top -j2"]
    checks = [("1 -> 2 workers speed-up", j1 / j2, TARGETS["scaling"])]
    if have_duckdb:
        checks += [
            ("top -j1 vs DuckDB explicit 1 thread", duck1 / j1, TARGETS["vs_duckdb"]),
            ("top -j2 vs DuckDB explicit 2 threads", seconds["DuckDB explicit schema, 2 threads"] / j2,
             TARGETS["vs_duckdb"]),
            (".gz: top -j1 vs DuckDB explicit 1 thread",
             seconds["DuckDB explicit schema, 1 thread, .gz"] / seconds["hashtag-count top -j1, .gz"], 1.0),
        ]
    for label, ratio, target in checks:
        print("target: {:<42} >= {:.1f}x: {:.2f}x {}".format(label, target, ratio, "met" if ratio >= target else "NOT MET"))
    sample_ratio = seconds["hashtag-count top -j1 --sample {:g}".format(SAMPLE)] / j1
    print("target: {:<42} <= {:.2f}: {:.2f} {}".format(
        "--sample {:g} -j1 time / full count -j1 time".format(SAMPLE), TARGETS["sample_time"], sample_ratio,
        "met" if sample_ratio <= TARGETS["sample_time"] else "NOT MET"))
    ours_rss = max(run.worker_rss_mb for _, kind, run, _ in rows if kind in ("ours", "sample"))
    print("target: {:<42} < {:.0f} MB: {:.0f} MB {}".format(
        "peak RSS of any hashtag-count process", TARGETS["rss_mb"], ours_rss,
        "met" if ours_rss < TARGETS["rss_mb"] else "NOT MET"))
    if wrong:
        print("WRONG ANSWER: {} disagree(s) with hashtag-count's ranking".format(", ".join(wrong)))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
