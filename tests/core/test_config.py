"""Grad mode per thread / per context (issue #2): Config, using_config, no_grad."""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import sys
import threading

import numpy as np
import pytest

from autograd_core import Config, Variable, is_grad_enabled, no_grad, square, using_config

TIMEOUT = 10  # seconds; a broken synchronisation fails instead of hanging


def _graph():
    x = Variable(np.array(3.0))
    return x, square(x)


def _run_threads(targets):
    errors = []

    def wrap(target):
        def run():
            try:
                target()
            except BaseException as exc:  # reported in the main thread
                errors.append(exc)
        return run

    threads = [threading.Thread(target=wrap(t)) for t in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join(TIMEOUT)
        assert not t.is_alive(), "a thread is stuck"
    if errors:
        raise errors[0]


def test_defaults():
    assert Config.enable_backprop is True
    assert is_grad_enabled() is True


def test_no_grad_in_one_thread_does_not_stop_graphs_in_another():
    a_inside = threading.Event()
    b_done = threading.Event()
    b_creators = []
    a_creators = []

    def thread_a():
        with no_grad():
            a_inside.set()
            assert b_done.wait(TIMEOUT)  # hold no_grad while B works
            a_creators.append(_graph()[1].creator)
            assert Config.enable_backprop is False
        assert Config.enable_backprop is True

    def thread_b():
        assert a_inside.wait(TIMEOUT)  # start only once A is inside no_grad
        for _ in range(200):
            x, y = _graph()
            b_creators.append(y.creator)
            y.backward()
            assert float(x.grad) == 6.0
        assert Config.enable_backprop is True
        b_done.set()

    _run_threads([thread_a, thread_b])
    assert len(b_creators) == 200 and all(c is not None for c in b_creators)
    assert a_creators == [None]


def test_eight_threads_toggling_concurrently():
    barrier = threading.Barrier(8, timeout=TIMEOUT)

    def worker(k):
        def run():
            barrier.wait()
            for i in range(300):
                if (i + k) % 3 == 0:
                    with no_grad():
                        assert square(Variable(np.array(1.0))).creator is None
                elif (i + k) % 3 == 1:
                    Config.enable_backprop = False
                    assert square(Variable(np.array(1.0))).creator is None
                    Config.enable_backprop = True
                else:
                    with using_config("enable_backprop", True):
                        x, y = _graph()
                        assert y.creator is not None
                        y.backward()
                        assert float(x.grad) == 6.0
                x, y = _graph()
                assert y.creator is not None, "another thread's no_grad leaked in"
        return run

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible: real interleaving
    try:
        _run_threads([worker(k) for k in range(8)])
    finally:
        sys.setswitchinterval(interval)
    assert Config.enable_backprop is True


def test_a_new_thread_starts_with_grad_mode_on():
    seen = []
    with no_grad():
        t = threading.Thread(target=lambda: seen.append((Config.enable_backprop,
                                                         _graph()[1].creator is not None)))
        t.start()
        t.join(TIMEOUT)
        assert Config.enable_backprop is False
    assert seen == [(True, True)]


def test_config_assignment_affects_only_the_current_thread():
    ready = threading.Event()
    release = threading.Event()
    seen = {}

    def worker():
        Config.enable_backprop = False
        ready.set()
        assert release.wait(TIMEOUT)
        seen["worker"] = (Config.enable_backprop, _graph()[1].creator)

    t = threading.Thread(target=worker)
    t.start()
    assert ready.wait(TIMEOUT)
    seen["main"] = (Config.enable_backprop, _graph()[1].creator is not None)
    release.set()
    t.join(TIMEOUT)
    assert seen["main"] == (True, True)
    assert seen["worker"] == (False, None)


@pytest.mark.parametrize("outer", [True, False])
def test_using_config_restores_the_previous_value_when_the_body_raises(outer):
    def body():
        Config.enable_backprop = outer
        with pytest.raises(ZeroDivisionError), using_config("enable_backprop", not outer):
            assert Config.enable_backprop is (not outer)
            1 / 0  # noqa: B018
        assert Config.enable_backprop is outer
        with pytest.raises(KeyError), no_grad():
            raise KeyError("x")
        assert Config.enable_backprop is outer
        with no_grad(), no_grad():  # nested: the inner exit must not switch grads back on
            pass
        return Config.enable_backprop

    assert contextvars.copy_context().run(body) is outer
    assert Config.enable_backprop is True


def test_nested_no_grad_inner_exit_keeps_outer_off():
    with no_grad():
        with no_grad():
            pass
        assert Config.enable_backprop is False
        assert square(Variable(np.array(1.0))).creator is None
        with using_config("enable_backprop", True):
            assert square(Variable(np.array(1.0))).creator is not None
        assert Config.enable_backprop is False
    assert Config.enable_backprop is True


def test_unknown_setting_names_the_known_ones():
    with pytest.raises(AttributeError, match="known settings: enable_backprop"), \
            using_config("enable_backprob", False):
        pass  # pragma: no cover
    assert Config.enable_backprop is True
    with pytest.raises(AttributeError):
        _ = Config.enable_backprob


def test_assigning_an_unknown_setting_is_an_error():
    try:
        with pytest.raises(AttributeError, match="enable_backprop"):
            Config.enable_backprob = False
    finally:
        with contextlib.suppress(AttributeError):
            del Config.enable_backprob


def test_book_style_using_config_with_getattr_setattr(capsys):
    # seed 003 In[60]'s own using_config, run against our Config (without its prints)
    @contextlib.contextmanager
    def book_using_config(name, value):
        old_value = getattr(Config, name)
        setattr(Config, name, value)
        try:
            yield
        finally:
            setattr(Config, name, old_value)

    with book_using_config("enable_backprop", False):
        assert square(Variable(np.array(2.0))).creator is None
    assert Config.enable_backprop is True
    assert square(Variable(np.array(2.0))).creator is not None


def test_copy_context_isolation():
    ctx = contextvars.copy_context()

    def switch_off():
        Config.enable_backprop = False
        return _graph()[1].creator

    assert ctx.run(switch_off) is None
    assert Config.enable_backprop is True  # the outer context is untouched
    assert _graph()[1].creator is not None
    assert ctx.run(lambda: Config.enable_backprop) is False  # the copy keeps its own value
    assert ctx.run(lambda: _graph()[1].creator) is None


def test_asyncio_tasks_have_their_own_grad_mode():
    async def main():
        a_inside = asyncio.Event()
        b_done = asyncio.Event()

        async def task_a():
            with no_grad():
                a_inside.set()
                await b_done.wait()
                return _graph()[1].creator

        async def task_b():
            await a_inside.wait()
            creators = [_graph()[1].creator for _ in range(10)]
            b_done.set()
            return creators

        return await asyncio.wait_for(asyncio.gather(task_a(), task_b()), TIMEOUT)

    a_creator, b_creators = asyncio.run(main())
    assert a_creator is None
    assert all(c is not None for c in b_creators)
