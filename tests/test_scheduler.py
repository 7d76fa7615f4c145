"""The scheduler: units planned from sources, counted in worker processes (forked or spawned), merged."""

import subprocess
import sys
import threading
from collections import Counter

import pytest

from command import REPO
from hashtagcount import scheduler
from hashtagcount.engine import Options, Unit
from hashtagcount.scheduler import plan_units, run
from hashtagcount.sources import Source
from tweets import expected_counts


def test_large_uncompressed_files_are_split_and_compressed_ones_are_not(monkeypatch):
    monkeypatch.setattr(scheduler, "MIN_SPLIT", 100)
    sources = [Source("big.json", 1000), Source("big.json.gz", 1000), Source("small.json", 120), Source("-", None)]
    units = plan_units(sources, jobs=2)
    ranges = sorted((u.start, u.end) for u in units if u.source.name == "big.json")
    assert ranges[0][0] == 0 and ranges[-1][1] == 1000 and len(ranges) > 2
    assert all(a[1] == b[0] for a, b in zip(ranges, ranges[1:]))
    assert [u for u in units if u.source.name != "big.json"] == [
        Unit(Source("big.json.gz", 1000)), Unit(Source("small.json", 120)), Unit(Source("-", None))]


# --- worker processes -------------------------------------------------------


def test_worker_processes_give_the_same_counts(corpus, monkeypatch):
    monkeypatch.setattr(scheduler, "MIN_SPLIT", 2000)
    source = Source(str(corpus), corpus.stat().st_size)
    assert len(plan_units([source], 2)) > 2
    assert run([source], Options(), jobs=2).counts == expected_counts(corpus.read_bytes())


def test_stdin_is_counted_in_the_main_process(corpus):
    code = (
        "import sys; from hashtagcount.scheduler import run; from hashtagcount.engine import Options\n"
        "from hashtagcount.sources import Source\n"
        "if __name__ == '__main__':\n"
        "    r = run([Source('-', None)], Options(), jobs=2)\n"
        "    print(sorted(r.counts.items()))\n"
    )
    with corpus.open("rb") as stdin:
        out = subprocess.run([sys.executable, "-c", code], stdin=stdin, capture_output=True, check=True, text=True)
    assert out.stdout.strip() == str(sorted(expected_counts(corpus.read_bytes()).items()))


# --- fork or spawn ------------------------------------------------------------


def _unguarded_script(tmp_path, corpus, before=""):
    (tmp_path / "copy.json").write_bytes(corpus.read_bytes())
    script = tmp_path / "unguarded.py"
    script.write_text("{}from hashtagcount import count_hashtags\nprint(sorted(count_hashtags({!r}, jobs=2).items()))\n".format(
        before, [str(corpus), str(tmp_path / "copy.json")]))
    return script


def test_a_spawning_script_without_the_main_guard_gets_a_one_line_hint(tmp_path, corpus):
    # A thread already running means workers are spawned (and re-import the script), on every platform.
    script = _unguarded_script(tmp_path, corpus, "import threading, time\n"
                               "threading.Thread(target=time.sleep, args=(30,), daemon=True).start()\n")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, cwd=str(REPO), timeout=120)
    assert done.returncode == 1
    assert "BrokenProcessPool" not in done.stderr and "RuntimeError" not in done.stderr
    assert done.stderr.strip().splitlines()[-1] == (
        "hashtagcount.errors.UserError: worker processes could not start: {} must count under "
        "'if __name__ == \"__main__\":' (spawned workers re-import it), or pass jobs=1".format(script))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux only")
def test_forked_workers_need_no_main_guard(tmp_path, corpus):
    script = _unguarded_script(tmp_path, corpus)
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, cwd=str(REPO), timeout=120)
    assert done.returncode == 0, done.stderr
    expected = Counter({k: 2 * n for k, n in expected_counts(corpus.read_bytes()).items()})
    assert done.stdout.strip() == repr(sorted(expected.items()))


def test_workers_fork_only_while_no_other_thread_runs():
    single = scheduler.worker_context().get_start_method()
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert scheduler.worker_context().get_start_method() == "spawn"
    finally:
        stop.set()
        thread.join()
    assert single == ("fork" if sys.platform.startswith("linux") and threading.active_count() == 1 else "spawn")
