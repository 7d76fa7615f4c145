"""The progress line: what it says, and that it appears only on a terminal."""

import ctypes
import io
import os
import pty
import subprocess

import pytest

from command import COMMAND, REPO
from hashtagcount.progress import (
    LocalCounter, ProgressLine, Reporter, Stopping, add_progress, init_worker, progress_line, wanted,
)


def test_the_line_gives_done_total_rate_and_eta():
    assert progress_line(512 * 1024 ** 2, 1024 ** 3, 2.0) == "512.0 MiB / 1.0 GiB (50%)  256.0 MiB/s  ETA 2s"
    assert progress_line(100, 0, 1.0) == "100 Bytes  100 Bytes/s"  # standard input: total unknown


def test_the_line_never_passes_its_total():
    """Byte ranges read on to the end of their last line, so the bytes read can pass the total."""
    assert progress_line(736 * 1024 ** 2, 735 * 1024 ** 2, 1.0) == "735.0 MiB / 735.0 MiB (100%)  735.0 MiB/s"


def test_the_reporter_caps_what_it_reports_at_the_total():
    counter, seen = LocalCounter(), []
    counter.value = 1200
    Reporter(counter, 1000, lambda done, total: seen.append((done, total))).finish()
    assert seen[-1] == (1000, 1000)


def test_the_line_redraws_in_place_and_is_cleared():
    stream, times = io.StringIO(), iter([0.0, 1.0, 2.0])
    line = ProgressLine(stream, clock=lambda: next(times))
    line(1024, 4096)
    line(4096, 4096)
    line.close()
    text = stream.getvalue()
    assert text.startswith("\rcounting: 1.0 KiB / 4.0 KiB (25%)") and text.endswith("\r")
    assert "ETA" not in text.split("\r")[2]


class _Terminal(io.StringIO):
    def isatty(self):
        return True


def test_shown_only_on_a_terminal_and_not_with_no_progress():
    assert wanted(False, _Terminal()) and not wanted(True, _Terminal()) and not wanted(False, io.StringIO())


def test_a_terminal_sees_the_progress_line(tmp_path):
    path = tmp_path / "t.json"
    path.write_bytes(b'{"text":"x","entities":{"hashtags":[{"text":"a"}]}}\n' * 1000)
    main, child = pty.openpty()
    done = subprocess.run(COMMAND + ["top", str(path), "--format", "tsv"],
                          stdout=subprocess.PIPE, stderr=child, cwd=REPO, timeout=60)
    os.close(child)
    seen = os.read(main, 65536).decode()
    os.close(main)
    assert done.stdout == b"a\t1000\n"
    assert "counting: " in seen and "(100%)" in seen


def test_a_worker_learns_at_its_next_read_that_the_run_was_stopped():
    counter, stop = LocalCounter(), ctypes.c_byte(0)
    init_worker(counter, stop)
    try:
        add_progress(10)
        stop.value = 1
        with pytest.raises(Stopping):
            add_progress(10)
    finally:
        init_worker(None)
    assert counter.value == 10
