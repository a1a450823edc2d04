"""Higher-order derivatives (issue #3; DeZero steps 33-36)."""

from __future__ import annotations

import numpy as np
import pytest
from _support import exact
from numpy.polynomial import polynomial as P

from autograd_core import Variable, backward_steps, exp, sin, tanh


def _newton_f(x):
    return x**4 - 2 * x**2


def test_newton_method_first_step_derivatives():
    x = Variable(np.array(2.0))
    y = _newton_f(x)
    y.backward(create_graph=True)
    gx = x.grad
    assert repr(gx) == "variable(24.0)"
    assert gx.creator is not None
    x.cleargrad()
    gx.backward()
    assert repr(x.grad) == "variable(44.0)"


def test_newton_method_converges_in_7_iterations():
    # step 33 of the book prints these iterates (0 .. 7)
    book = [2.0, 1.4545454545454546, 1.1510467893775467, 1.0253259289766978,
            1.0009084519430513, 1.0000012353089454, 1.000000000002289, 1.0]
    x = Variable(np.array(2.0))
    seen = []
    for _ in range(10):
        seen.append(float(x.data))
        y = _newton_f(x)
        x.cleargrad()
        y.backward(create_graph=True)
        gx = x.grad
        x.cleargrad()
        gx.backward()
        gx2 = x.grad
        x.data = x.data - gx.data / gx2.data
    assert seen[:8] == pytest.approx(book, rel=1e-12, abs=0)
    assert seen[7] == 1.0 and seen[8:] == [1.0, 1.0]  # converged within 7 iterations


def test_sin_derivatives_up_to_third_order():
    x = Variable(np.array(1.0))
    y = sin(x)
    y.backward(create_graph=True)
    got = [float(x.grad)]
    for _ in range(2):
        gx = x.grad
        x.cleargrad()
        gx.backward(create_graph=True)
        got.append(float(x.grad))
    assert got == pytest.approx([np.cos(1.0), -np.sin(1.0), -np.cos(1.0)], rel=1e-15)
    assert exact(got[1]) == "-0.8414709848078965"  # as the book prints for step 34
    # ... and a 4th: back to sin
    gx = x.grad
    x.cleargrad()
    gx.backward()
    assert float(x.grad) == pytest.approx(np.sin(1.0), rel=1e-15)


def test_sin_derivatives_on_an_array():
    values = np.linspace(-7, 7, 50)
    x = Variable(values.copy())
    y = sin(x)
    y.backward(create_graph=True)
    want = [np.cos(values), -np.sin(values), -np.cos(values)]
    np.testing.assert_allclose(x.grad.data, want[0], rtol=1e-14, atol=1e-15)
    for k in (1, 2):
        gx = x.grad
        x.cleargrad()
        gx.backward(create_graph=True)
        np.testing.assert_allclose(x.grad.data, want[k], rtol=1e-14, atol=1e-15)


def _tanh_derivative_closed_form(n, x):
    """d^n/dx^n tanh x as a polynomial in t = tanh x: P_{k+1}(t) = P_k'(t) (1 - t^2)."""
    p = np.array([0.0, 1.0])  # t
    for _ in range(n):
        p = P.polymul(P.polyder(p), [1.0, 0.0, -1.0])
    return P.polyval(np.tanh(x), p)


def _count_functions(v):
    seen, stack = set(), [v.creator]
    while stack:
        f = stack.pop()
        if f is None or f.index in seen:
            continue
        seen.add(f.index)
        stack.extend(x.creator for x in f.inputs)
    return len(seen)


@pytest.mark.parametrize("order", [1, 2, 3, 6])
def test_nth_derivative_of_tanh(order):
    values = np.array([-1.5, -0.3, 0.0, 1.0, 2.0])
    x = Variable(values.copy())
    y = tanh(x)
    y.backward(create_graph=True)
    for _ in range(order - 1):
        gx = x.grad
        x.cleargrad()
        gx.backward(create_graph=True)
    gx = x.grad
    np.testing.assert_allclose(gx.data, _tanh_derivative_closed_form(order, values),
                               rtol=1e-12, atol=1e-12)
    assert gx.creator is not None  # the n-th derivative has a graph one can draw
    if order == 6:
        # the book's point: the graph grows quickly with the order
        assert _count_functions(gx) > 10 * _count_functions(y)


def test_third_and_sixth_order_tanh_graphs_at_1():
    # the book draws these graphs for x = 1.0
    sizes = {}
    for order in (3, 6):
        x = Variable(np.array(1.0))
        y = tanh(x)
        y.backward(create_graph=True)
        for _ in range(order - 1):
            gx = x.grad
            x.cleargrad()
            gx.backward(create_graph=True)
        assert float(x.grad) == pytest.approx(_tanh_derivative_closed_form(order, 1.0),
                                              rel=1e-12)
        sizes[order] = _count_functions(x.grad)
    assert sizes[6] > sizes[3] > 1


def test_double_backprop_expression():
    # step 36: z = gx**3 + y with gx = dy/dx of y = x**2; dz/dx = 24 x**5 + 2x = 100 at 2
    x = Variable(np.array(2.0))
    y = x**2
    y.backward(create_graph=True)
    gx = x.grad
    assert float(gx) == 4.0
    x.cleargrad()
    z = gx**3 + y
    z.backward()
    assert repr(x.grad) == "variable(100.0)"


def test_mixed_partial_derivative():
    x = Variable(np.array(3.0))
    w = Variable(np.array(5.0))
    f = x**2 * w
    f.backward(create_graph=True)
    gx = x.grad  # 2 x w = 30
    assert float(gx) == 30.0
    x.cleargrad()
    w.cleargrad()
    gx.backward()
    assert float(w.grad) == 6.0  # d/dw (2 x w) = 2x
    assert float(x.grad) == 10.0  # d/dx (2 x w) = 2w


def test_create_graph_false_builds_no_graph_true_does():
    def build():
        x = Variable(np.array([0.5, 1.5]))
        a = exp(x)
        b = sin(a) * x
        y = (b * b).sum()
        return x, a, b, y

    x, a, b, y = build()
    y.backward(retain_grad=True)
    for v in (x, a, b, y):
        assert v.grad.creator is None, "a graph was recorded without create_graph"
    x, a, b, y = build()
    y.backward(create_graph=True, retain_grad=True)
    assert x.grad.creator is not None and a.grad.creator is not None
    # the recorded grads have the same values as the unrecorded ones
    x2, *_, y2 = build()
    y2.backward()
    np.testing.assert_array_equal(x.grad.data, x2.grad.data)


def test_second_pass_without_cleargrad_accumulates_without_mutating_the_first_grad():
    x = Variable(np.array(2.0))
    y = x**3
    y.backward(create_graph=True)
    gx = x.grad
    gx.backward()  # book semantics: no cleargrad, so 6x is added to 3x**2
    assert float(x.grad) == 12.0 + 12.0
    assert float(gx) == 12.0


def test_backward_steps_for_a_second_pass():
    x = Variable(np.array(2.0))
    y = _newton_f(x)
    first = list(backward_steps(y, create_graph=True))
    assert {s.order for s in first} == {1}
    assert all(call.function.order == 0 for s in first for call in s.calls)
    gx = x.grad
    x.cleargrad()
    second = list(backward_steps(gx))
    assert second, "the second pass has steps"
    assert {s.order for s in second} == {2}
    assert [s.generation for s in second] == sorted({s.generation for s in second},
                                                   reverse=True)
    functions = [call.function for s in second for call in s.calls]
    assert all(f.order == 1 for f in functions)  # the first pass's recorded math
    assert len({f.index for f in functions}) == len(functions)
    assert float(x.grad) == 44.0


def test_a_grads_graph_mixes_forward_and_backward_functions():
    """(From the retired tests/engine.) d/dx sin(x**2) = 2x cos(x**2) reads x**2, the output
    of a forward (order 0) function: the second pass runs functions of both orders."""
    x = Variable(np.array(0.5))
    y = sin(x**2)
    y.backward(create_graph=True)
    gx = x.grad
    x.cleargrad()
    orders = {call.function.order for step in backward_steps(gx) for call in step.calls}
    assert orders == {0, 1}
    assert float(x.grad) == pytest.approx(2 * np.cos(0.25) - 4 * 0.25 * np.sin(0.25), rel=1e-14)


@pytest.mark.parametrize("n", [3, 6])
def test_the_nth_derivative_of_tanh_is_recorded_at_order_n(n):
    """(From the retired tests/engine.) The book draws the graphs of n = 3 and 6."""
    x = Variable(np.array(0.3))
    tanh(x).backward(create_graph=True)
    for _ in range(n - 1):
        gx = x.grad
        x.cleargrad()
        gx.backward(create_graph=True)
    assert x.grad.creator is not None and x.grad.creator.order == n
