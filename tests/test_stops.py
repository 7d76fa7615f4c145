"""SIGTERM and SIGHUP take Ctrl-C's path; a held stop arrives once the critical block ends.

In-process on purpose (a signal sent to this test's own process); real
``emr run`` and ``top`` subprocesses are stopped in tests/test_emr_run.py and
tests/test_cli_top.py.
"""

import os
import signal
import time

import pytest

from hashtagcount import stops


@pytest.fixture
def caught():
    previous = stops.catch()
    yield
    stops.restore(previous)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_a_caught_signal_is_a_keyboard_interrupt_that_knows_its_number(signum, caught):
    with pytest.raises(KeyboardInterrupt) as stop:
        os.kill(os.getpid(), signum)
        time.sleep(5)
    assert stops.signal_of(stop.value) == signum
    assert stops.name(signum) == "stopped by " + signal.Signals(signum).name
    assert stops.name(signal.SIGINT) == "interrupted (Ctrl-C)"


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_stop_during_the_deferred_block_arrives_after_it(signum, caught):
    done = []
    handlers = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)}
    with pytest.raises(KeyboardInterrupt) as stop:
        with stops.deferred():
            os.kill(os.getpid(), signum)
            time.sleep(0.2)
            done.append("the block finished")
        time.sleep(5)
    assert done == ["the block finished"]
    assert stops.signal_of(stop.value) == signum
    assert {number: signal.getsignal(number) for number in handlers} == handlers  # the block's own are gone


def test_restore_puts_back_what_was_there():
    before = signal.getsignal(signal.SIGTERM)
    stops.restore(stops.catch())
    assert signal.getsignal(signal.SIGTERM) == before
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
