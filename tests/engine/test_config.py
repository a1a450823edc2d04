"""Grad mode is per thread / per context, never a process global."""

from __future__ import annotations

import contextvars
import threading

import numpy as np
import pytest

from autograd_core import Config, Variable, no_grad, square, using_config


def test_no_grad_in_one_thread_does_not_leak_into_another():
    inside = threading.Event()
    done = threading.Event()
    results = []

    def holder():
        with no_grad():
            inside.set()
            done.wait(5)

    def builder():
        inside.wait(5)
        for _ in range(200):
            results.append(square(Variable(np.array(1.0))).creator is not None)
        done.set()

    threads = [threading.Thread(target=holder), threading.Thread(target=builder)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert results and all(results)


def test_eight_threads_toggling_break_no_graph():
    barrier = threading.Barrier(8)
    broken = []

    def worker(k):
        barrier.wait(5)
        for i in range(300):
            if (i + k) % 2:
                with no_grad():
                    y = square(Variable(np.array(1.0)))
                    broken.append(y.creator is not None)
            else:
                y = square(Variable(np.array(1.0)))
                broken.append(y.creator is None)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)
    assert len(broken) == 8 * 300 and not any(broken)


def test_using_config_restores_even_when_the_body_raises():
    with pytest.raises(RuntimeError), using_config("enable_backprop", False):
        assert Config.enable_backprop is False
        raise RuntimeError
    assert Config.enable_backprop is True


def test_assignment_is_per_thread():
    seen = []

    def other():
        seen.append(Config.enable_backprop)

    Config.enable_backprop = False
    try:
        t = threading.Thread(target=other)
        t.start()
        t.join()
        assert seen == [True]
        assert square(Variable(np.array(2.0))).creator is None
    finally:
        Config.enable_backprop = True


def test_context_copies_are_isolated():
    ctx = contextvars.copy_context()

    def off():
        Config.enable_backprop = False
        return Config.enable_backprop

    assert ctx.run(off) is False
    assert Config.enable_backprop is True


def test_unknown_setting_names_the_known_ones():
    with pytest.raises(AttributeError, match="known settings: enable_backprop"), using_config(
        "enable_backprob", False
    ):
        pass
