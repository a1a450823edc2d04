"""The backward pass pauses CPython's cyclic collector, which is one switch for the whole
process, while every Streamlit session is a thread: concurrent passes must share the pause
and leave the switch as they found it."""

from __future__ import annotations

import gc
import sys
import threading

import numpy as np

from autograd_core import Variable, backward_steps, exp, square


def _passes(n: int, errors: list) -> None:
    try:
        for i in range(n):
            x = Variable(np.array(0.5 + i * 1e-3))
            y = square(exp(square(x)))
            if i % 2:
                y.backward()
            else:
                for _ in backward_steps(y):
                    pass
    except BaseException as exc:  # reported by the test
        errors.append(exc)


def test_concurrent_backward_passes_leave_the_collector_on():
    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)  # switch threads often: the race showed in 16 of 20 trials
    try:
        for trial in range(10):
            assert gc.isenabled()
            errors: list = []
            threads = [threading.Thread(target=_passes, args=(200, errors)) for _ in range(4)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(60)
            assert not errors, errors
            assert gc.isenabled(), f"the collector was left off after trial {trial}"
    finally:
        sys.setswitchinterval(old)


def test_a_collector_the_user_turned_off_stays_off():
    gc.disable()
    try:
        x = Variable(np.array(2.0))
        square(x).backward()
        assert not gc.isenabled()
    finally:
        gc.enable()
    square(Variable(np.array(2.0))).backward()
    assert gc.isenabled()


def test_the_collector_is_paused_during_a_step_only():
    x = Variable(np.array(2.0))
    y = square(square(x))
    seen = [gc.isenabled() for _ in backward_steps(y)]
    assert seen == [True, True]  # between steps the caller's own setting is back


def test_a_pass_ending_in_another_thread_keeps_a_build_s_pause():
    """The server pauses the collector while a lesson is built. A backward pass of another
    session that began before the build and ends during it must not turn collection back
    on (two pauses that did not know about each other: the pass put back what it had
    found, "on", in the middle of the build)."""
    from autograd_core import Function, collector
    from classroom import server

    assert gc.isenabled() and collector.pauses() == 0
    in_pass, building, seen = threading.Event(), threading.Event(), []

    class Slow(Function):  # a backward that waits until the build has begun
        def forward(self, x):
            return x * 2

        def backward(self, gy):
            in_pass.set()
            building.wait(10)
            return gy * 2

    def other_session() -> None:
        Slow()(Variable(np.array(0.5))).backward()

    thread = threading.Thread(target=other_session)
    thread.start()
    assert in_pass.wait(10)
    with server.collector_paused():
        building.set()
        thread.join(10)  # the pass has ended
        seen.append(gc.isenabled())
    assert seen == [False]
    assert gc.isenabled() and collector.pauses() == 0
