"""Run the streaming scripts the way users do: real processes joined by pipes.

Test modules import this so "the pipe's ranked output" means one thing
everywhere: ``mapper.py | LC_ALL=C sort | reducer.py``, then ranked by
count descending and tag (``sort -k2,2nr -k1,1`` in the C locale).  It is
also the one place that finds the interpreters under pyenv and the real
tweets beside the repository.
"""

import gzip
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Iterable, List, NamedTuple, Optional, Sequence

import pytest

REPO = Path(__file__).resolve().parents[1]
MAPPER = REPO / "mapper.py"
REDUCER = REPO / "reducer.py"
SAMPLE_DATA = REPO / "sample_data"
SHARED_TWEETS = REPO.parent / "shared" / "data" / "tweets"
# The scripts' promise: every Python from 3.7 (EMR 6) to 3.13; these four bound and sample it.
SCRIPT_PYTHONS = ("3.7", "3.9", "3.12", "3.13")

C_LOCALE = dict(os.environ, LC_ALL="C")


def pyenv_root() -> Path:
    """``$(pyenv root)``: $PYENV_ROOT, else what ``pyenv root`` says, else ~/.pyenv."""
    if os.environ.get("PYENV_ROOT"):
        return Path(os.environ["PYENV_ROOT"])
    pyenv = shutil.which("pyenv")
    if pyenv:
        done = subprocess.run([pyenv, "root"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        if done.returncode == 0 and done.stdout.strip():
            return Path(done.stdout.decode().strip())
    return Path.home() / ".pyenv"


def pyenv_python(minor: str) -> Optional[Path]:
    """The newest interpreter of ``minor`` (e.g. "3.12", any patch) under pyenv, or None."""
    found = [p for p in pyenv_root().glob("versions/{}.*/bin/python{}".format(minor, minor))
             if re.fullmatch(re.escape(minor) + r"\.\d+", p.parents[1].name)]
    return max(found, key=lambda p: int(p.parents[1].name.split(".")[2]), default=None)


def pyenv_python_or_skip(minor: str) -> Path:
    """:func:`pyenv_python`, or skip the test, saying where the interpreter was looked for."""
    python = pyenv_python(minor)
    if python is None:
        pytest.skip("Python {} is not installed under {}/versions".format(minor, pyenv_root()))
    return python


def shared_tweet_files() -> List[Path]:
    """The ``*.json.gz`` of ``../shared/data/tweets`` (real v1.1 stream data); [] when absent."""
    return sorted(SHARED_TWEETS.glob("*.json.gz")) if SHARED_TWEETS.is_dir() else []


def no_shared_tweets_reason() -> str:
    return "real tweet data not found at {} (../shared/data/tweets beside the repository)".format(SHARED_TWEETS)


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


class Piped(NamedTuple):
    out: bytes
    mapper_err: bytes
    reducer_err: bytes


def pipe(
    data: bytes, mapper_args: Sequence[str] = (), python: str = sys.executable,
    mapper: Path = MAPPER, reducer: Path = REDUCER, flags: Sequence[str] = (), env: Optional[dict] = None,
) -> Piped:
    """``python FLAGS mapper ARGS | LC_ALL=C sort | python FLAGS reducer``: three real processes.

    Each script starts in its own folder; each process must exit 0.
    """
    mapper_process = subprocess.Popen(
        [str(python), *flags, str(mapper), *mapper_args], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, cwd=str(Path(mapper).parent), env=env,
    )
    sort = subprocess.Popen(["sort"], stdin=mapper_process.stdout, stdout=subprocess.PIPE, env=C_LOCALE)
    reducer_process = subprocess.Popen(
        [str(python), *flags, str(reducer)], stdin=sort.stdout, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        cwd=str(Path(reducer).parent), env=env,
    )
    mapper_process.stdout.close()
    sort.stdout.close()
    mapper_process.stdin.write(data)
    mapper_process.stdin.close()
    out, reducer_err = reducer_process.communicate(timeout=300)
    mapper_err = mapper_process.stderr.read()
    mapper_process.stderr.close()
    for process in (mapper_process, sort, reducer_process):
        assert process.wait(timeout=300) == 0, (process.args, mapper_err, reducer_err)
    return Piped(out, mapper_err, reducer_err)


def joined_inputs(files: Iterable[Path]) -> bytes:
    """What ``cat`` of ``files`` gives, each file's last line ended (as Hadoop ends a split's)."""
    return b"".join(
        data if data.endswith(b"\n") or not data else data + b"\n" for data in map(read_input, files)
    )


def run_pipe(data: bytes, mapper_args: Sequence[str] = (), python: str = sys.executable) -> bytes:
    """``mapper.py | LC_ALL=C sort | reducer.py`` as three real processes; returns stdout."""
    return pipe(data, mapper_args, python).out


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
