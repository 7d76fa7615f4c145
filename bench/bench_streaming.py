#!/usr/bin/env python3
"""Throughput of the Hadoop Streaming scripts on a realistic corpus (``make bench``).

JSON parsing is the whole cost of counting hashtags, so the question is how
much of it ``mapper.py`` avoids.  Each mapper runs as a real process, as
Hadoop runs it: the corpus file on stdin, its output to a file.  Rows:

* the naive mapper (defined here, a baseline and not product code):
  ``json.loads`` on every line of text-mode ``sys.stdin``, ``print`` per tag;
* ``mapper.py --validate``: parses every record (exact counters);
* ``mapper.py``: skips lines the byte pre-check proves hold no hashtag;
* ``mapper.py --aggregate``: the same, summing in the mapper;
* ``reducer.py`` on sorted ``tag<TAB>1`` lines.

MB/s and ratios use each process's CPU seconds (best of ``--repeat``
rounds), which other work on a shared machine barely disturbs; wall time is
shown beside them.  A benchmark that gets a wrong answer measures nothing:
every mapper's output is sorted and reduced and must be byte-identical, and
the reducer's totals must match, or this exits 1.  Speed is reported, never
failed on: the target is ``mapper.py`` at 3x the naive mapper or more.

    python bench/bench_streaming.py                      # 200 MB generated corpus
    python bench/bench_streaming.py --corpus tweets.json # your own (uncompressed) lines
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict, List, Optional, Sequence

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.corpus import BENCH_DATA, MB, cached_corpus  # noqa: E402
from hashtagcount.hashtags import hashtags_of  # noqa: E402

TARGET_RATIO = 3.0


def naive_mapper() -> None:
    """The mapper a first attempt would write: parse every line, print every tag.

    Naive in its I/O and parsing only; the counting rule is the project's
    one :func:`~hashtagcount.hashtags.hashtags_of`, so the ratio measures
    the pre-check and the byte-level reading, not a different rule.
    """
    for line in sys.stdin:
        if line.strip():
            for key in hashtags_of(json.loads(line))[1]:
                print(key + "\t1")


class Timing:
    """Best wall-clock and CPU (user + system) seconds of one command over several runs.

    CPU time is what the ratio uses: other work on a shared machine stretches
    wall time but hardly the CPU time of the process being measured.
    """

    def __init__(self) -> None:
        self.wall = self.cpu = float("inf")

    def run(self, cmd: Sequence[str], source: Path, out: Path) -> None:
        """Run ``cmd < source > out`` once; a non-zero exit stops the benchmark."""
        env = dict(os.environ, PYTHONIOENCODING="utf-8")
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        with open(source, "rb") as stdin, open(out, "wb") as stdout:
            start = time.perf_counter()
            done = subprocess.run(cmd, stdin=stdin, stdout=stdout, stderr=subprocess.PIPE, env=env)
            wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if done.returncode != 0:
            raise SystemExit("bench_streaming.py: {} failed:\n{}".format(" ".join(cmd), done.stderr.decode()))
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        self.wall, self.cpu = min(self.wall, wall), min(self.cpu, cpu)


def sort_and_reduce(mapper_output: Path) -> bytes:
    """``LC_ALL=C sort | reducer.py``: the totals a mapper's output stands for."""
    sort = subprocess.Popen(["sort", str(mapper_output)], stdout=subprocess.PIPE, env=dict(os.environ, LC_ALL="C"))
    reduced = subprocess.run([sys.executable, str(ROOT / "reducer.py")], stdin=sort.stdout,
                             stdout=subprocess.PIPE, check=True).stdout
    sort.stdout.close()
    if sort.wait() != 0:
        raise SystemExit("bench_streaming.py: sort failed on {}".format(mapper_output))
    return reduced


def totals(reduced: bytes) -> Dict[bytes, int]:
    result = {}
    for line in reduced.splitlines():
        key, _, value = line.partition(b"\t")
        result[key] = int(value)
    return result


def reducer_input(mapper_output: Path, target: Path, size: int) -> int:
    """Write sorted ``tag<TAB>1`` lines of about ``size`` bytes (each mapper line repeated); return the repeat."""
    lines = sorted(mapper_output.read_bytes().splitlines(keepends=True))
    per_copy = sum(len(line) for line in lines) or 1
    copies = max(1, size // per_copy)
    with open(target, "wb") as out:
        for line in lines:
            out.write(line * copies)
    return copies


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(
        description="Measure MB/s of the naive mapper, mapper.py (with and without the "
        "pre-check) and reducer.py on a generated corpus, and check they agree.",
        epilog="Examples:\n"
        "  python bench/bench_streaming.py --size-mb 50 --repeat 1\n"
        "  python bench/bench_streaming.py --python ~/.pyenv/versions/3.7.16/bin/python3\n"
        "The corpus is cached under bench/data/ (gitignored) and reused.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--size-mb", type=int, default=200, help="corpus size in MB of 10**6 bytes (default: 200)")
    parser.add_argument("--seed", type=int, default=0, help="corpus seed (default: 0)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per row; the fastest counts (default: 3)")
    parser.add_argument("--corpus", type=Path, metavar="FILE",
                        help="measure this uncompressed file of tweet lines instead of the generated corpus "
                        "(the naive mapper needs one valid JSON record per line)")
    parser.add_argument("--python", default=sys.executable, metavar="PATH",
                        help="interpreter that runs the mappers and the reducer, e.g. the python3.7 "
                        "of an EMR 6 node (default: the one running this benchmark)")
    parser.add_argument("--naive-mapper", action="store_true",
                        help="instead of benchmarking, act as the naive baseline mapper on stdin "
                        "(this is how the benchmark runs it)")
    args = parser.parse_args(argv)
    if args.size_mb <= 0 or args.repeat <= 0:
        parser.error("--size-mb and --repeat must be positive")
    if args.naive_mapper:
        naive_mapper()
        return 0

    if args.corpus:
        corpus = args.corpus
        if not corpus.is_file():
            parser.error("--corpus {}: no such file".format(corpus))
    else:
        sys.stderr.write("corpus: {} MB, seed {} ...\n".format(args.size_mb, args.seed))
        corpus = cached_corpus(args.size_mb, args.seed)
    BENCH_DATA.mkdir(parents=True, exist_ok=True)
    size = corpus.stat().st_size
    with open(corpus, "rb") as warm:  # time the mappers, not the disk
        while warm.read(1 << 24):
            pass

    python = args.python
    mapper = str(ROOT / "mapper.py")
    rows = [
        ("naive mapper", [python, str(Path(__file__).resolve()), "--naive-mapper"]),
        ("mapper.py --validate", [python, mapper, "--validate"]),
        ("mapper.py", [python, mapper]),
        ("mapper.py --aggregate", [python, mapper, "--aggregate"]),
    ]
    outputs = {name: BENCH_DATA / "out-{}.tsv".format(name.replace(" ", "").replace(".py", "").replace("--", "-"))
               for name, _ in rows}
    timings = {name: Timing() for name, _ in rows}
    for round_ in range(args.repeat):  # rounds, not runs in a row: load changes hit all rows alike
        for name, cmd in rows:
            sys.stderr.write("round {}: {} ...\n".format(round_ + 1, name))
            timings[name].run(cmd, corpus, outputs[name])

    reduced = {name: sort_and_reduce(outputs[name]) for name, _ in rows}
    baseline = reduced["naive mapper"]
    wrong = [name for name, answer in reduced.items() if answer != baseline]

    sorted_input = BENCH_DATA / "reducer-input.tsv"
    copies = reducer_input(outputs["mapper.py"], sorted_input, 50 * MB)
    reducer_out = BENCH_DATA / "out-reducer.tsv"
    reducer = Timing()
    for round_ in range(args.repeat):
        sys.stderr.write("round {}: reducer.py ...\n".format(round_ + 1))
        reducer.run([python, str(ROOT / "reducer.py")], sorted_input, reducer_out)
    expected_totals = {k: v * copies for k, v in totals(baseline).items()}
    if totals(reducer_out.read_bytes()) != expected_totals:
        wrong.append("reducer.py")

    lines = sum(1 for _ in open(corpus, "rb"))
    version = subprocess.run([python, "-c", "import sys; print(sys.version.split()[0])"],
                             stdout=subprocess.PIPE, check=True).stdout.decode().strip()
    print("corpus: {} ({:,} bytes, {:,} lines, {:,.0f} bytes/line); {:,} distinct tags, {:,} occurrences".format(
        corpus.name, size, lines, size / lines, len(totals(baseline)), sum(totals(baseline).values())))
    print("python {} ({}); best of {} runs; MB/s = corpus MB / CPU seconds".format(version, python, args.repeat))
    print("{:<24} {:>8} {:>8} {:>8} {:>9}".format("", "wall s", "CPU s", "MB/s", "vs naive"))
    naive = timings["naive mapper"].cpu
    for name, _ in rows:
        t = timings[name]
        print("{:<24} {:>8.2f} {:>8.2f} {:>8.1f} {:>8.2f}x".format(name, t.wall, t.cpu, size / MB / t.cpu, naive / t.cpu))
    reducer_size = sorted_input.stat().st_size
    print("{:<24} {:>8.2f} {:>8.2f} {:>8.1f} {:>9}".format(
        "reducer.py", reducer.wall, reducer.cpu, reducer_size / MB / reducer.cpu, "-"))
    print("  (reducer input: {:,} bytes of sorted tag<TAB>1 lines)".format(reducer_size))

    ratio = naive / timings["mapper.py"].cpu
    print("target: mapper.py >= {:.0f}x the naive mapper: {} ({:.2f}x)".format(
        TARGET_RATIO, "met" if ratio >= TARGET_RATIO else "NOT met", ratio))
    if wrong:
        print("WRONG ANSWER: {} disagree(s) with the naive mapper's totals".format(", ".join(wrong)))
        return 1
    print("all mappers agree on {:,} tag totals; reducer totals match".format(len(totals(baseline))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
