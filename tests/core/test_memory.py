"""Memory: graphs freed by reference counting alone, 100,000-op chains, freed grads."""

from __future__ import annotations

import contextlib
import gc
import sys
import weakref

import numpy as np
import pytest

from autograd_core import Variable, add, backward_steps, exp, no_grad, sin, square
from autograd_core.ops.arithmetic import Mul

N_DEEP = 100_000


@contextlib.contextmanager
def collector_off():
    """No cyclic garbage collection inside: whatever dies here died by reference count."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _graph_with_refs():
    """A diamond plus a two-output user-visible chain; returns y, x and weak refs to
    every intermediate variable and every function."""
    x = Variable(np.array(0.5))
    a = square(x)
    b = exp(a)
    c = sin(a)
    y = add(b * c, b)
    variables = [a, b, c, y.creator.inputs[0]]
    functions = [a.creator, b.creator, c.creator, y.creator, y.creator.inputs[0].creator]
    return y, x, [weakref.ref(v) for v in variables], [weakref.ref(f) for f in functions]


@pytest.mark.parametrize("backward_first", [False, True], ids=["forward_only", "after_backward"])
def test_dropping_the_output_frees_the_whole_graph_without_gc(backward_first):
    with collector_off():
        y, x, var_refs, fn_refs = _graph_with_refs()
        if backward_first:
            y.backward()
            assert x.grad is not None
        y_ref = weakref.ref(y)
        assert all(r() is not None for r in var_refs + fn_refs)
        del y
        assert y_ref() is None
        assert [r() for r in var_refs] == [None] * len(var_refs)
        assert [r() for r in fn_refs] == [None] * len(fn_refs)
        assert x.data == 0.5  # the user's leaf stays


def test_functions_hold_outputs_weakly_so_no_cycle_exists():
    with collector_off():
        x = Variable(np.array(2.0))
        y = square(x)
        f_ref = weakref.ref(y.creator)
        assert isinstance(y.creator.outputs[0], weakref.ref)
        # a strong creator -> output link would make a cycle that only gc could free
        del y
        assert f_ref() is None


def test_higher_order_grad_graph_is_freed_once_the_grad_is_cleared():
    with collector_off():
        x = Variable(np.array(1.0))
        y = sin(x)
        y.backward(create_graph=True)
        gx_ref = weakref.ref(x.grad)
        grad_fn_ref = weakref.ref(x.grad.creator)
        y_ref = weakref.ref(y)
        del y
        assert y_ref() is None  # the grad graph (cos(x) * seed) does not need y
        assert float(gx_ref()) == pytest.approx(np.cos(1.0), rel=1e-15)
        x.cleargrad()
        assert gx_ref() is None
        assert grad_fn_ref() is None


def test_intermediate_grads_are_freed_during_the_pass_unless_retained():
    def chain():
        x = Variable(np.array(0.3))
        a = sin(x)
        b = exp(a)
        y = square(b)
        return x, a, b, y

    with collector_off():
        x, a, b, y = chain()
        grad_refs = []
        for step in backward_steps(y):
            # the outputs of the functions that just ran no longer hold a grad
            for call in step.calls:
                for ref in call.function.outputs:
                    assert ref().grad is None
                grad_refs.extend(weakref.ref(g) for g in call.output_grads)
        del step, call
        assert (a.grad, b.grad, y.grad) == (None, None, None)
        assert [r() for r in grad_refs] == [None, None, None]  # freed, not just unset
        assert x.grad is not None

        x, a, b, y = chain()
        y.backward(retain_grad=True)
        assert float(y.grad) == 1.0
        assert float(b.grad) == pytest.approx(2 * np.exp(np.sin(0.3)), rel=1e-15)
        assert float(a.grad) == pytest.approx(2 * np.exp(2 * np.sin(0.3)), rel=1e-15)


def test_backward_restores_the_collector_state():
    x = Variable(np.array(1.0))
    y = sin(x)
    assert gc.isenabled()
    y.backward()
    assert gc.isenabled()
    with collector_off():
        y = sin(x)
        y.backward()
        assert not gc.isenabled()  # a caller's gc.disable() is not undone


def test_100k_op_chain_forward_backward_and_free():
    # op mix per block of 4: y*c, y+0.5, -y, y-0.25  -> d(block)/dy = -c
    c = 1.00004
    blocks = N_DEEP // 4
    limit = sys.getrecursionlimit()
    with collector_off():
        x = Variable(np.array(1.0))
        y = x
        for _ in range(blocks):
            y = y * c
            y = y + 0.5
            y = -y
            y = y - 0.25
        assert y.generation == N_DEEP
        first_fn = weakref.ref(_first_function(y))
        y.backward()
        assert float(x.grad) == pytest.approx((-c) ** blocks, rel=1e-12)
        assert float(x.grad) == pytest.approx(2.718227464818525, rel=1e-12)  # c**25000
        y_ref = weakref.ref(y)
        del y
        assert y_ref() is None
        assert first_fn() is None  # the whole chain, freed by reference counting
    assert sys.getrecursionlimit() == limit


def _first_function(y):
    f = y.creator
    while f.inputs[0].creator is not None:  # iterative, like the engine
        f = f.inputs[0].creator
    assert isinstance(f, Mul)
    return f


def test_100k_sin_chain_matches_a_numpy_loop():
    values = np.empty(N_DEEP)
    v = 1.2
    for i in range(N_DEEP):
        values[i] = v
        v = np.sin(v)
    want_y = v
    want_grad = float(np.prod(np.cos(values)))
    x = Variable(np.array(1.2))
    y = x
    for _ in range(N_DEEP):
        y = sin(y)
    assert float(y.data) == want_y
    y.backward()
    assert float(x.grad) == pytest.approx(want_grad, rel=1e-9)


def test_100k_op_chain_under_no_grad_builds_no_graph():
    with collector_off(), no_grad():
        x = Variable(np.array(1.0))
        y = x * 1.00004
        first = weakref.ref(y)
        for _ in range(N_DEEP - 1):
            y = y * 1.00004
        assert y.creator is None
        assert y.generation == 0
        assert first() is None  # nothing kept the intermediates alive
    assert float(y.data) == pytest.approx(1.00004**N_DEEP, rel=1e-12)


def test_a_variable_reused_by_every_op_of_a_100000_op_chain():
    """(From the retired tests/engine.) The multiplier is one Variable used 100,000 times:
    its grad sums every use, and the chain is freed by reference counting alone."""
    with collector_off():
        x = Variable(np.array(1.0))
        c = Variable(np.array(1.000001))
        y = x
        middle = None
        for i in range(N_DEEP):
            y = y * c
            if i == N_DEEP // 2:
                middle = weakref.ref(y)
        y.backward()
        assert float(x.grad) == pytest.approx(1.000001 ** N_DEEP, rel=1e-9)
        assert float(c.grad) == pytest.approx(N_DEEP * 1.000001 ** (N_DEEP - 1), rel=1e-9)
        assert middle() is not None
        del y
        assert middle() is None


def test_ten_thousand_build_and_double_backward_cycles_leave_nothing_behind():
    """Issue #13: 10,000 cycles of build + backward(create_graph=True) + a second backward
    grow the process's Python memory by < 100 kB with the cyclic collector off (every
    graph, its grads and the grads' graphs are freed by reference counting)."""
    import tracemalloc

    def cycle():
        x = Variable(np.array(0.5))
        y = sin(square(x)) * exp(x) + x / 3.0
        y.backward(create_graph=True)
        gx = x.grad
        x.cleargrad()
        gx.backward()

    for _ in range(200):  # warm every cache first
        cycle()
    with collector_off():
        tracemalloc.start()
        try:
            for _ in range(200):
                cycle()
            before = tracemalloc.get_traced_memory()[0]
            for _ in range(10_000):
                cycle()
            growth = tracemalloc.get_traced_memory()[0] - before
        finally:
            tracemalloc.stop()
    assert growth < 100_000, f"{growth:,} bytes kept by 10,000 cycles"


def _tracked_objects() -> int:
    return sum(1 for _ in gc.get_objects())


@pytest.mark.parametrize("build", [lambda y, c: y * c, lambda y, c: sin(y),
                                   lambda y, c: add(y, c)], ids=["mul", "sin", "add"])
def test_an_op_leaves_four_objects_for_the_cyclic_collector(build):
    # the Variable, the Function, its inputs tuple and its output's weakref: the collector
    # rescans them all as a graph grows, so each one costs (issue #13 counted five)
    x, c = Variable(np.array(0.5)), Variable(np.array(1.0))
    with collector_off():
        gc.collect()
        before = _tracked_objects()
        y = x
        for _ in range(1_000):
            y = build(y, c)
        per_op = (_tracked_objects() - before) / 1_000
    assert 3.9 < per_op <= 4.02, per_op
