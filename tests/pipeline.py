"""Run the streaming scripts the way users do: real processes joined by pipes.

Test modules import this so "the pipe's ranked output" means one thing
everywhere: ``mapper.py | LC_ALL=C sort | reducer.py``, then ranked by
count descending and tag (``sort -k2,2nr -k1,1`` in the C locale).
"""

import gzip
import os
import subprocess
import sys
from pathlib import Path
from typing import Iterable, List, Sequence

REPO = Path(__file__).resolve().parents[1]
MAPPER = REPO / "mapper.py"
REDUCER = REPO / "reducer.py"
SHARED_TWEETS = REPO.parent / "shared" / "data" / "tweets"

C_LOCALE = dict(os.environ, LC_ALL="C")


def read_input(path: Path) -> bytes:
    """The bytes a user would ``cat`` (``.gz`` decompressed, as ``zcat`` would)."""
    data = path.read_bytes()
    return gzip.decompress(data) if path.suffix == ".gz" else data


def input_files(root: Path) -> List[Path]:
    """Every input file under ``root``, skipping ``_`` and ``.`` names as Hadoop does."""
    return sorted(
        p for p in root.rglob("*")
        if p.is_file() and not any(part.startswith(("_", ".")) for part in p.relative_to(root).parts)
    )


def run_pipe(data: bytes, mapper_args: Sequence[str] = (), python: str = sys.executable) -> bytes:
    """``mapper.py | LC_ALL=C sort | reducer.py`` as three real processes; returns stdout."""
    mapper = subprocess.Popen(
        [python, str(MAPPER), *mapper_args], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    sort = subprocess.Popen(["sort"], stdin=mapper.stdout, stdout=subprocess.PIPE, env=C_LOCALE)
    reducer = subprocess.Popen([python, str(REDUCER)], stdin=sort.stdout, stdout=subprocess.PIPE)
    mapper.stdout.close()
    sort.stdout.close()
    mapper.stdin.write(data)
    mapper.stdin.close()
    out = reducer.stdout.read()
    for process in (mapper, sort, reducer):
        assert process.wait() == 0, process.args
    return out


def rank_tsv(tsv: bytes) -> bytes:
    """Rank ``key<TAB>count`` lines with coreutils: count descending, then key bytes."""
    return subprocess.run(
        ["sort", "-t", "\t", "-k2,2nr", "-k1,1"], input=tsv, stdout=subprocess.PIPE,
        env=C_LOCALE, check=True,
    ).stdout


def ranked_pipe_output(paths: Iterable[Path], mapper_args: Sequence[str] = ()) -> bytes:
    """What ``cat FILES | mapper | sort | reducer | sort -k2,2nr -k1,1`` prints."""
    data = b"".join(read_input(p) for p in paths)
    return rank_tsv(run_pipe(data, mapper_args))
