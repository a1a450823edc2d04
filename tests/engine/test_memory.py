"""Freeing by reference counting alone, deep chains, retain_grad."""

from __future__ import annotations

import gc
import weakref

import numpy as np

from autograd_core import Variable, no_grad, sin, square

N = 100_000


def _without_gc(fn):
    enabled = gc.isenabled()
    gc.disable()
    try:
        return fn()
    finally:
        if enabled:
            gc.enable()


def test_dropping_the_output_frees_the_whole_graph_without_gc():
    def run():
        x = Variable(np.array(0.5))
        a = square(x)
        b = sin(a)
        y = square(b)
        refs = [weakref.ref(o) for o in (a, b, a.creator, b.creator, y.creator)]
        del a, b
        assert all(r() is not None for r in refs)  # y keeps its graph alive
        del y
        return refs

    refs = _without_gc(run)
    assert [r() for r in refs] == [None] * len(refs)


def test_hundred_thousand_op_chain_forward_backward_and_free():
    def run():
        x = Variable(np.array(1.0))
        c = Variable(np.array(1.000001))
        y = x
        middle = None
        for i in range(N):
            y = y * c
            if i == N // 2:
                middle = weakref.ref(y)
        y.backward()
        assert np.isclose(float(x.grad), 1.000001**N, rtol=1e-9)
        assert np.isclose(float(c.grad), N * 1.000001 ** (N - 1), rtol=1e-9)
        assert middle() is not None
        del y
        return middle

    middle = _without_gc(run)
    assert middle() is None


def test_hundred_thousand_op_chain_under_no_grad_builds_nothing():
    x = Variable(np.array(0.1))
    with no_grad():
        y = x
        for _ in range(N):
            y = y * 1.0
    assert y.creator is None and y.generation == 0


def test_retain_grad_keeps_intermediate_grads():
    x = Variable(np.array(0.5))
    a = square(x)
    y = square(a)
    y.backward()
    assert (a.grad, y.grad) == (None, None)
    x.cleargrad()
    y = square(a)
    y.backward(retain_grad=True)
    assert float(y.grad) == 1.0 and float(a.grad) == 0.5
    assert float(x.grad) == 2 * 0.5 * 0.5
