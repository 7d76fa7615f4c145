#!/usr/bin/env python3
"""Every way to rank hashtags on one machine, on the same realistic corpora (``make bench``).

Corpora (generated once by :mod:`bench.corpus`, cached in ``bench/data/``):
the stream corpus (CRLF lines, ~15 % deletes), a delete-heavy stream
(~74 % delete messages, as the real 2019 sample stream), the stream corpus
gzipped, and records concatenated without newlines (``}{``, Firehose's
default when the producer adds none).

Rows, each a real process tree timed from start to ranked output:

* the machine's own 1 -> 2 ceiling: two copies of a CPU-bound loop against
  one (a shared machine seldom gives 2.0; every scaling figure is read
  against the ceiling measured in the same run);
* naive pipe: ``bench_streaming.py --naive-mapper | sort | reducer.py | sort``
  (``json.loads`` on every line; the baseline);
* our pipe: ``mapper.py | sort | reducer.py | sort``;
* ``hashtag-count top -j1`` and ``-j2`` (the local engine), and ``-j1 --sample 0.1``
  (a sample must cost a fraction of the full count: its time over the full
  count's is a target; its counts are checked to be a plausible 10 %);
* mrjob local: ``python -m jobs.hashtag_count -r local`` (if present);
* DuckDB with an auto-detected schema, and with an explicit struct schema
  of only the needed fields (the fastest DuckDB query we know), 1 and 2
  threads; ``format='unstructured'`` on the ``}{`` corpus;
* Polars ``scan_ndjson`` with the same explicit schema, 1 and 2 threads.

The fast rows run in rounds (A B C ... A B C ...) and each row's median
counts, so a drift of the machine's speed hits every row alike.  Times are
wall-clock from process start to ranked output.  DuckDB and Polars run as
``bench/peers.py`` processes, and each has two times: its whole process
(Python, importing the library, the query), which is what ours are, and
its query alone, in its favour.  Every target against DuckDB is checked
both ways.

A benchmark that gets a wrong answer measures nothing: every row's full
ranking must equal ``hashtag-count``'s on the same corpus (DuckDB's and
Polars' after folding the two places their ``lower()`` differs from
Python's, dotted capital I and final sigma), or this exits 1.  Peak RSS
is that of the largest process of each row's process tree (a worker, the
main process, or ``sort``).  Speed is reported, never failed on.

    python bench/bench_engines.py --size-mb 1000
    python bench/bench_engines.py --size-mb 100 --deletes-mb 0 --concat-mb 20 --repeat 1 --skip-slow
"""

import argparse
import importlib.util
import os
import subprocess
import sys
import shutil
import statistics
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Dict, List, NamedTuple, Optional, Sequence, Tuple

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.corpus import MB, cached_corpus  # noqa: E402

GNU_TIME = shutil.which("time") if os.path.exists("/usr/bin/time") else None
# Time ratios (our time / the peer's), at most; the scaling target is a share of the machine's ceiling.
TARGETS = {"vs_duckdb": 0.5, "vs_unstructured": 1.0, "gz_vs_duckdb": 1 / 1.5, "pipe_vs_naive": 1 / 3.0,
           "scaling_of_ceiling": 0.9, "rss_mb": 100.0, "sample_time": 0.35}
SAMPLE = 0.1
CEILING_LOOP = "n = 0\nfor i in range(12000000):\n    n += i\n"

class Run(NamedTuple):
    seconds: float  # the query's own, for a peer; else the whole process's
    process_seconds: float  # the whole process's, start to ranked output
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
    process_seconds = seconds
    if done.stderr.startswith(b"query seconds: "):  # a peer: its query alone, too
        seconds = float(done.stderr.split()[2])
    return Run(seconds, process_seconds, done.stdout, int(rss[-1]) / 1024.0 if rss else float("nan"), done.stderr)


class Row(NamedTuple):
    """One engine on one corpus: ``kind`` says how its answer is checked against ``hashtag-count``'s."""

    name: str
    corpus: str  # a key of the corpora
    kind: str  # "ours" (equal), "peer" (equal after folding lower()), "sample" (plausible), "ceiling"
    cmd: Sequence[str]
    shell: bool = False


def measure(rows: Sequence[Row], rounds: int) -> Dict[str, Run]:
    """Run every row once per round, in turn; each row's median seconds and largest peak RSS."""
    runs = {row.name: [] for row in rows}  # type: Dict[str, List[Run]]
    for round_ in range(rounds):
        for row in rows:
            run = run_measured(row.cmd, shell=row.shell)
            runs[row.name].append(run)
            print("  round {} {:<44} {:7.2f} s".format(round_ + 1, row.name, run.seconds), file=sys.stderr, flush=True)
    return {name: runs_[0]._replace(seconds=statistics.median(r.seconds for r in runs_),
                                   process_seconds=statistics.median(r.process_seconds for r in runs_),
                                   worker_rss_mb=max(r.worker_rss_mb for r in runs_))
            for name, runs_ in runs.items()}


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
        description="Compare the time and peak memory of every engine that ranks hashtags on this machine.",
        epilog="example: python bench/bench_engines.py --size-mb 200 --repeat 3",
    )
    parser.add_argument("--size-mb", type=int, default=512,
                        help="stream corpus size in MB of 10**6 bytes, also gzipped (default: 512: big enough "
                        "that starting worker processes does not hide the speed-up)")
    parser.add_argument("--deletes-mb", type=int, default=512,
                        help="delete-heavy stream corpus (~74%% deletes) size in MB; 0 leaves it out (default: 512)")
    parser.add_argument("--concat-mb", type=int, default=128,
                        help="records-without-newlines corpus size in MB; 0 leaves it out (default: 128)")
    parser.add_argument("--seed", type=int, default=0, help="corpus seed (default: 0)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="rounds of the fast rows; each row's median counts (default: 3)")
    parser.add_argument("--skip-slow", action="store_true", help="leave out the naive pipe, mrjob and DuckDB auto")
    args = parser.parse_args(argv)
    if args.size_mb <= 0 or args.repeat <= 0:
        parser.error("--size-mb and --repeat must be positive")

    corpora = {"stream": cached_corpus(args.size_mb, args.seed),
               "stream .gz": cached_corpus(args.size_mb, args.seed, compress=True)}
    if args.deletes_mb > 0:
        corpora["deletes"] = cached_corpus(args.deletes_mb, args.seed, kind="deletes")
    if args.concat_mb > 0:
        corpora["}{"] = cached_corpus(args.concat_mb, args.seed, kind="concat")
    sizes = {name: (cached_corpus(args.size_mb, args.seed) if name == "stream .gz" else path).stat().st_size
             for name, path in corpora.items()}
    py = sys.executable
    top = [py, "-m", "hashtagcount", "top", "--top", "0", "--format", "tsv", "--no-progress"]
    tsv_sort = "LC_ALL=C sort -t \"$(printf '\\t')\" -k2,2nr -k1,1"
    pipe = "{{}} < '{}' | LC_ALL=C sort | '{}' reducer.py | {}".format(corpora["stream"], py, tsv_sort)
    have_duckdb = importlib.util.find_spec("duckdb") is not None
    have_polars = importlib.util.find_spec("polars") is not None
    missing = [name for name, have in (("duckdb", have_duckdb), ("polars", have_polars)) if not have]
    if missing:
        sys.stderr.write("bench_engines.py: {} not installed, so no peer rows or peer targets: "
                         "pip install -e '.[bench]' (make bench does)\n".format(" and ".join(missing)))
    peers = [py, str(ROOT / "bench" / "peers.py")]
    loop = [py, "-c", CEILING_LOOP]
    two_loops = "'{0}' -c '{1}' & '{0}' -c '{1}' & wait".format(py, CEILING_LOOP)

    fast = [Row("ceiling: one CPU-bound loop", "-", "ceiling", loop),
            Row("ceiling: two CPU-bound loops", "-", "ceiling", [two_loops], shell=True)]
    for name, path in corpora.items():
        if name == "}{":
            fast.append(Row("top -j1 [}{]", name, "ours", top + ["-j", "1", str(path)]))
            if have_duckdb:
                fast.append(Row("DuckDB unstructured 1 thread [}{]", name, "peer",
                                peers + ["duckdb", "unstructured", "1", str(path)]))
            continue
        threads = (1,) if name == "stream .gz" else (1, 2)
        for n in threads:
            fast.append(Row("top -j{} [{}]".format(n, name), name, "ours", top + ["-j", str(n), str(path)]))
        if name == "stream":
            fast.append(Row("top -j1 --sample {:g} [stream]".format(SAMPLE), name, "sample",
                            top + ["-j", "1", "--sample", str(SAMPLE), str(path)]))
        if have_duckdb:
            for n in threads:
                fast.append(Row("DuckDB explicit {} thread(s) [{}]".format(n, name), name, "peer",
                                peers + ["duckdb", "explicit", str(n), str(path)]))
        if have_polars and name == "stream":
            for n in threads:
                fast.append(Row("Polars explicit {} thread(s) [{}]".format(n, name), name, "peer",
                                ["env", "POLARS_MAX_THREADS={}".format(n)] + peers + ["polars", str(path)]))
    once = [Row("top -j1, stdlib json [stream]", "stream", "ours",
                ["env", "HASHTAGCOUNT_JSON=stdlib"] + top + ["-j", "1", str(corpora["stream"])]),
            Row("our pipe (mapper.py|sort|reducer.py) [stream]", "stream", "ours",
                [pipe.format("'{}' mapper.py".format(py))], shell=True)]
    if not args.skip_slow:
        once.append(Row("naive pipe (json.loads|sort|reducer) [stream]", "stream", "ours",
                        [pipe.format("'{}' bench/bench_streaming.py --naive-mapper".format(py))], shell=True))
        if (ROOT / "jobs" / "hashtag_count.py").exists():
            once.append(Row("mrjob -r local [stream]", "stream", "ours",
                            [py, "-m", "jobs.hashtag_count", "-r", "local", "--no-conf", "--top", "0",
                             str(corpora["stream"])]))
        if have_duckdb:
            once.append(Row("DuckDB auto schema 1 thread [stream]", "stream", "peer",
                            peers + ["duckdb", "auto", "1", str(corpora["stream"])]))

    for name, size in sizes.items():
        print("bench_engines.py: corpus {}: {:,} bytes ({})".format(name, size, corpora[name].name), file=sys.stderr)
    results = measure(fast, args.repeat)
    results.update(measure(once, 1))
    return report(fast + once, results, corpora, sizes, args.repeat)


def report(rows: Sequence[Row], results: Dict[str, Run], corpora: Dict[str, Path], sizes: Dict[str, int],
           rounds: int) -> int:
    """Print the table and the targets; 1 if any engine's ranking disagrees with ours on its corpus."""
    seconds = {name: run.seconds for name, run in results.items()}
    process = {name: run.process_seconds for name, run in results.items()}
    references = {row.corpus: parse_ranking(results[row.name].output)
                  for row in rows if row.name.startswith("top -j1 [")}
    print()
    print("corpora: " + "; ".join("{} {:.0f} MB".format(name, sizes[name] / MB) for name in corpora)
          + " (.gz: {:.0f} MB compressed)".format(corpora["stream .gz"].stat().st_size / MB))
    print("seconds: median of {} alternating rounds (one run for the pipes, mrjob, DuckDB auto and stdlib json), "
          "of the whole process; for DuckDB and Polars also of the query alone ('query'); vs DuckDB: time / "
          "DuckDB explicit's at the same threads, whole process against whole process, and against its query "
          "alone".format(rounds))
    print("{:<46} {:>8} {:>8} {:>8} {:>8} {:>8} {:>10} {:>7}".format(
        "engine [corpus]", "process", "query", "MB/s", "vs proc", "vs query", "peak RSS", "same?"))
    wrong = []
    for row in rows:
        run = results[row.name]
        if row.kind == "ceiling":
            print("{:<46} {:>8.2f}".format(row.name, run.seconds))
            continue
        counts, reference = parse_ranking(run.output), references[row.corpus]
        if row.kind == "peer":
            same = fold_duckdb(counts) == fold_duckdb(reference)
        elif row.kind == "sample":
            same = plausible_sample(counts, reference, SAMPLE)
        else:
            same = counts == reference
        if not same:
            wrong.append(row.name)
        peer = _peer_of(row, seconds)
        print("{:<46} {:>8.2f} {:>8} {:>8.0f} {:>8} {:>8} {:>7.0f} MB {:>7}".format(
            row.name, run.process_seconds, "{:.2f}".format(run.seconds) if row.kind == "peer" else "",
            sizes[row.corpus] / MB / run.process_seconds,
            "{:.2f}".format(run.process_seconds / process[peer]) if peer in process else "-",
            "{:.2f}".format(run.process_seconds / seconds[peer]) if peer in seconds else "-",
            run.worker_rss_mb, "yes" if same else "NO"))
    print()
    ceiling = 2 * process["ceiling: one CPU-bound loop"] / process["ceiling: two CPU-bound loops"]
    print("machine ceiling 1 -> 2 processes (two CPU-bound loops vs one, this run): {:.2f}x".format(ceiling))
    checks = []  # type: List[Tuple[str, float, float]]  # (what, time ratio, at most)
    for row in rows:
        peer = _peer_of(row, seconds)
        if not row.name.startswith("top -j") or "--sample" in row.name or "stdlib" in row.name or peer not in seconds:
            continue
        if row.corpus == "}{":
            target = TARGETS["vs_unstructured"]
        elif row.corpus == "stream .gz":
            target = TARGETS["gz_vs_duckdb"]
        else:
            target = TARGETS["vs_duckdb"]
        checks.append(("{} / {}, whole processes".format(row.name, peer), process[row.name] / process[peer],
                       target))
        checks.append(("{} / {}'s query".format(row.name, peer), process[row.name] / seconds[peer], target))
    naive = process.get("naive pipe (json.loads|sort|reducer) [stream]")
    if naive:
        checks.append(("our pipe time / naive pipe time", process["our pipe (mapper.py|sort|reducer.py) [stream]"]
                       / naive, TARGETS["pipe_vs_naive"]))
    checks.append(("--sample {:g} -j1 time / full count -j1 time".format(SAMPLE),
                   process["top -j1 --sample {:g} [stream]".format(SAMPLE)] / process["top -j1 [stream]"],
                   TARGETS["sample_time"]))
    for label, ratio, target in checks:
        print("target: {:<84} <= {:.2f}: {:.2f} {}".format(label, target, ratio, "met" if ratio <= target else "NOT MET"))
    for corpus in ("stream", "deletes"):
        if "top -j2 [{}]".format(corpus) in seconds:
            speedup = process["top -j1 [{}]".format(corpus)] / process["top -j2 [{}]".format(corpus)]
            floor = TARGETS["scaling_of_ceiling"] * ceiling
            print("target: {:<84} >= {:.2f}: {:.2f}x {}".format(
                "1 -> 2 workers speed-up [{}] (90% of the ceiling)".format(corpus), floor, speedup,
                "met" if speedup >= floor else "NOT MET"))
    ours_rss = max(results[row.name].worker_rss_mb for row in rows if row.name.startswith("top "))
    print("target: {:<84} < {:.0f} MB: {:.0f} MB {}".format(
        "peak RSS of any hashtag-count process", TARGETS["rss_mb"], ours_rss,
        "met" if ours_rss < TARGETS["rss_mb"] else "NOT MET"))
    if wrong:
        print("WRONG ANSWER: {} disagree(s) with hashtag-count's ranking".format(", ".join(wrong)))
        return 1
    return 0


def _peer_of(row: Row, seconds: Dict[str, float]) -> str:
    """The DuckDB row a row of ours is compared with: explicit schema (unstructured on ``}{``), same threads."""
    if row.corpus == "}{":
        return "DuckDB unstructured 1 thread [}{]"
    threads = "2" if "-j2" in row.name or "2 thread" in row.name else "1"
    return "DuckDB explicit {} thread(s) [{}]".format(threads, row.corpus)


if __name__ == "__main__":
    sys.exit(main())
