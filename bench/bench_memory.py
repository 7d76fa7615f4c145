#!/usr/bin/env python3
"""Peak memory on a Firehose object written as ONE line (``make bench``).

Kinesis Firehose writes records back to back (``}{``) when the producer adds
no newlines, so a whole 5-128 MB S3 object can be a single line.  Such a
line is streamed a chunk at a time (``hashtagcount.records``), so a worker's
memory should not grow with the object: the target is a peak RSS under
100 MB for ``mapper.py`` and for ``hashtag-count top -j1`` on a ~100 MB
one-line object.  For reference, the same runs with the long-line threshold
(``HASHTAGCOUNT_LONG_LINE_BYTES``) set above the line's length show what
holding the line whole costs.

Peak RSS is each child's own ``ru_maxrss`` (``os.wait4``), measured, never
asserted; a run whose totals disagree with the others exits 1.

    python bench/bench_memory.py               # 100 MB object, generated once and cached
    python bench/bench_memory.py --size-mb 20 --no-whole
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.corpus import BENCH_DATA, MB, CorpusGenerator  # noqa: E402

TARGET_MB = 100
FORMAT_VERSION = 1


def one_line_object(size_mb: int, seed: int) -> Path:
    """The generator's records back to back with no newline, cached under bench/data/."""
    path = BENCH_DATA / "firehose-one-line-v{}-{}mb-seed{}.json".format(FORMAT_VERSION, size_mb, seed)
    if path.exists():
        return path
    BENCH_DATA.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    written = 0
    with open(partial, "wb") as out:
        for record in CorpusGenerator(seed).lines(newline=b""):
            out.write(record)
            written += len(record)
            if written >= size_mb * MB:
                break
    partial.rename(path)
    return path


def measured(cmd: Sequence[str], source: Path, env: Dict[str, str]) -> Tuple[bytes, float, float]:
    """Run ``cmd < source``; return its stdout, its own peak RSS in MB and wall seconds."""
    out_path = BENCH_DATA / "out-memory.tsv"
    with open(source, "rb") as stdin, open(out_path, "wb") as stdout:
        start = time.perf_counter()
        process = subprocess.Popen(cmd, stdin=stdin, stdout=stdout, stderr=subprocess.PIPE, env=env)
        stderr = process.stderr.read()
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - start
    if process.returncode != 0:
        raise SystemExit("bench_memory.py: {} failed:\n{}".format(" ".join(cmd), stderr.decode()))
    peak_mb = usage.ru_maxrss * 1024 / MB  # kilobytes on Linux
    return out_path.read_bytes(), peak_mb, wall


def totals(output: bytes) -> Dict[bytes, int]:
    """Tag totals of ``tag<TAB>n`` lines (mapper.py's repeat keys; top's do not)."""
    result = {}  # type: Dict[bytes, int]
    for line in output.splitlines():
        key, _, count = line.rpartition(b"\t")
        result[key] = result.get(key, 0) + int(count)
    return result


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(
        description="Measure the peak RSS of mapper.py and 'hashtag-count top -j1' on a "
        "Firehose object written as one line, and check they agree.",
        epilog="Example: python bench/bench_memory.py --size-mb 20 --no-whole",
    )
    parser.add_argument("--size-mb", type=int, default=100, help="object size in MB of 10**6 bytes (default: 100)")
    parser.add_argument("--seed", type=int, default=0, help="corpus seed (default: 0)")
    parser.add_argument("--no-whole", action="store_true",
                        help="skip the reference runs that hold the line whole (they need ~8x its size)")
    args = parser.parse_args(argv)
    if args.size_mb <= 0:
        parser.error("--size-mb must be positive")

    sys.stderr.write("one-line object: {} MB, seed {} ...\n".format(args.size_mb, args.seed))
    source = one_line_object(args.size_mb, args.seed)
    cli = str(Path(sys.executable).with_name("hashtag-count"))
    commands = [
        ("mapper.py", [sys.executable, str(ROOT / "mapper.py")]),
        ("hashtag-count top -j1", [cli, "top", "-j1", "-n", "0", "--format", "tsv", "--no-progress", str(source)]),
    ]
    settings = [("streamed", None)]
    if not args.no_whole:
        settings.append(("held whole", str(source.stat().st_size + 1)))
    rows = []
    answers = {}
    for setting, threshold in settings:
        env = dict(os.environ, PYTHONIOENCODING="utf-8")
        env.pop("HASHTAGCOUNT_LONG_LINE_BYTES", None)
        if threshold:
            env["HASHTAGCOUNT_LONG_LINE_BYTES"] = threshold
        for name, cmd in commands:
            sys.stderr.write("{} ({}) ...\n".format(name, setting))
            output, peak, wall = measured(cmd, source, env)
            answers[(name, setting)] = totals(output)
            rows.append((name, setting, peak, wall))

    size = source.stat().st_size
    print("object: {} ({:,} bytes, one line, {:,} hashtag occurrences)".format(
        source.name, size, sum(answers[("mapper.py", "streamed")].values())))
    print("{:<24} {:<12} {:>12} {:>8}".format("", "long line", "peak RSS MB", "wall s"))
    for name, setting, peak, wall in rows:
        print("{:<24} {:<12} {:>12.1f} {:>8.2f}".format(name, setting, peak, wall))
    for name, _ in commands:
        peak = next(p for n, s, p, _ in rows if n == name and s == "streamed")
        print("target: {} peak RSS < {} MB: {} ({:.1f} MB)".format(
            name, TARGET_MB, "met" if peak < TARGET_MB else "NOT met", peak))
    baseline = answers[("mapper.py", "streamed")]
    wrong = ["{} ({})".format(*key) for key, answer in answers.items() if answer != baseline]
    if wrong:
        print("WRONG ANSWER: {} disagree(s) with mapper.py (streamed)".format(", ".join(wrong)))
        return 1
    print("all runs agree on {:,} tag totals".format(len(baseline)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
