"""The ``hashtag-count`` command itself: its faces load lazily, so a bare checkout runs ``top``.

"Bare" is real here: a virtual environment with the standard library
alone (no boto3, msgspec, matplotlib, nor this package installed), whose
``python -m hashtagcount`` finds the package in the checkout it runs from.
"""

import ast
import importlib.util
import subprocess
import sys
import venv

import pytest

from command import REPO

SAMPLE_EXPECTED = (REPO / "sample_data" / "_expected.tsv").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def bare_python(tmp_path_factory):
    """``python`` of a new virtual environment holding nothing but the standard library."""
    home = tmp_path_factory.mktemp("bare-venv")
    venv.EnvBuilder(with_pip=False).create(str(home))
    python = home / "bin" / "python"
    probe = "import importlib.util as u; print([m for m in ('boto3', 'msgspec', 'matplotlib', 'hashtagcount') " \
            "if u.find_spec(m)])"
    # From outside the checkout, nothing of ours or of the extras is importable.
    assert subprocess.run([str(python), "-c", probe], capture_output=True, text=True, cwd=str(home),
                          check=True).stdout.strip() == "[]"
    return python


def bare(python, *args):
    return subprocess.run([str(python), "-m", "hashtagcount"] + list(args), capture_output=True, text=True,
                          cwd=str(REPO), timeout=120)


def test_top_runs_from_a_bare_checkout_with_the_standard_library_alone(bare_python):
    done = bare(bare_python, "top", "-n", "0", "sample_data")
    assert done.returncode == 0, done.stderr
    assert done.stdout == SAMPLE_EXPECTED


@pytest.mark.parametrize("command", [(), ("top",), ("inputs",)], ids=lambda c: " ".join(c) or "hashtag-count")
def test_help_works_from_a_bare_checkout(bare_python, command):
    done = bare(bare_python, *command, "--help")
    assert done.returncode == 0 and done.stdout.startswith("usage: hashtag-count") and not done.stderr


@pytest.mark.parametrize("args, message", [
    (("emr", "run", "--help"), "hashtag-count: error: emr: the EMR launcher is not installed here"),
    (("emr", "status", "j-1"), "hashtag-count: error: emr: the EMR launcher is not installed here"),
    (("top", "s3://bucket/x"), "hashtag-count: error: hashtag-count top needs boto3: pip install boto3"),
    (("top", "sample_data", "--chart", "c.png"), "PNG charts need matplotlib: pip install 'hashtag-count[chart]'"),
])
def test_what_needs_a_missing_package_says_so_in_one_line(bare_python, args, message):
    done = bare(bare_python, *args)
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and message in done.stderr, done.stderr


def test_the_installed_command_has_every_face():
    done = subprocess.run([sys.executable, "-m", "hashtagcount", "--help"], capture_output=True, text=True,
                          cwd=str(REPO), check=True)
    assert all(name in done.stdout for name in ("top", "inputs", "emr"))


def test_building_the_parser_imports_no_third_party_package():
    """Even where every extra is installed: `emr status --help` must not pay for msgspec or boto3."""
    code = ("import sys; from hashtagcount.cli import build_parser; build_parser(); "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'boto3', 'botocore', 'msgspec', 'matplotlib', "
            "'isal', 'mrjob'}))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=str(REPO), check=True)
    assert done.stdout.strip() == "[]"


# What a command imports: start-up is paid on every run, so what a run does not use is not loaded.
WATCHED = ("msgspec", "multiprocessing", "concurrent.futures", "hashtagcount.engine", "hashtagcount.partitions",
           "hashtagcount.aws", "boto3", "matplotlib")
COUNTING = {"hashtagcount.engine"} | ({"msgspec"} if importlib.util.find_spec("msgspec") else set())


def watched_imports(*args):
    """Which of WATCHED ``hashtag-count ARGS`` had imported when it exited (in a fresh interpreter)."""
    code = ("import atexit, sys\n"
            "atexit.register(lambda: print(sorted(m for m in {!r} if m in sys.modules), file=sys.stderr))\n"
            "from hashtagcount.cli import main\n"
            "sys.exit(main(sys.argv[1:]))\n").format(WATCHED)
    done = subprocess.run([sys.executable, "-c", code] + list(args), capture_output=True, text=True,
                          cwd=str(REPO), timeout=120)
    assert done.returncode == 0, done.stderr
    return set(ast.literal_eval(done.stderr.splitlines()[-1]))


@pytest.mark.parametrize("args, loaded", [
    (("--help",), set()),
    (("top", "--help"), set()),
    (("inputs", "--help"), set()),
    (("emr", "--help"), set()),
    (("inputs", "sample_data/2017/*/*/*/*"), set()),
    (("inputs", "sample_data", "--from", "2017-02-01", "--to", "2017-02-01"), {"hashtagcount.partitions"}),
    (("top", "-j1", "sample_data"), COUNTING),
    (("top", "-j2", "sample_data"), COUNTING | {"multiprocessing", "concurrent.futures"}),
], ids=lambda value: " ".join(value) if isinstance(value, tuple) else "")
def test_a_command_imports_only_what_its_run_uses(args, loaded):
    """msgspec only to count, multiprocessing only when workers start, partitions only for a date range."""
    assert watched_imports(*args) == loaded
