"""Higher-order derivatives (DeZero steps 33-36): create_graph=True."""

from __future__ import annotations

import math

import numpy as np
import pytest

from autograd_core import Variable, backward_steps, numerical_diff, sin, tanh


def f(x):
    return x**4 - 2 * x**2


def test_newtons_method_converges_as_in_the_book():
    x = Variable(np.array(2.0))
    iterates = []
    for _ in range(10):
        iterates.append(float(x))
        y = f(x)
        x.cleargrad()
        y.backward(create_graph=True)
        gx = x.grad
        x.cleargrad()
        gx.backward()
        gx2 = x.grad
        x.data = x.data - gx.data / gx2.data
    book = [2.0, 1.4545454545454546, 1.1510467893775467, 1.0253259289766978,
            1.0009084519430513, 1.0000012353089454, 1.000000000002289, 1.0]
    np.testing.assert_allclose(iterates[:8], book, rtol=1e-12)
    assert iterates[7] == 1.0


def test_first_and_second_derivative_at_two():
    x = Variable(np.array(2.0))
    f(x).backward(create_graph=True)
    gx = x.grad
    assert float(gx) == 24.0
    x.cleargrad()
    gx.backward()
    assert float(x.grad) == 44.0


def test_sin_derivatives_up_to_the_third_order():
    x = Variable(np.array(1.0))
    y = sin(x)
    y.backward(create_graph=True)
    got = [float(x.grad)]
    for _ in range(2):
        gx = x.grad
        x.cleargrad()
        gx.backward(create_graph=True)
        got.append(float(x.grad))
    assert got == pytest.approx([math.cos(1), -math.sin(1), -math.cos(1)], rel=1e-14)


def _nth_derivative_of_tanh(n, at=0.3):
    x = Variable(np.array(at))
    y = tanh(x)
    y.backward(create_graph=True)
    for _ in range(n - 1):
        gx = x.grad
        x.cleargrad()
        gx.backward(create_graph=True)
    return x


@pytest.mark.parametrize("n", [3, 6])
def test_nth_derivative_of_tanh_matches_closed_form(n):
    # d^n/dx^n tanh via the polynomial recurrence in t = tanh(x): p' = p'(t) * (1 - t^2)
    poly = np.polynomial.Polynomial([0, 1])  # p_0(t) = t
    one_minus_t2 = np.polynomial.Polynomial([1, 0, -1])
    for _ in range(n):
        poly = poly.deriv() * one_minus_t2
    x = _nth_derivative_of_tanh(n)
    assert float(x.grad) == pytest.approx(poly(np.tanh(0.3)), rel=1e-10)
    # the n-th derivative is a graph of its own (the book draws n = 3 and 6)
    assert x.grad.creator is not None and x.grad.creator.order == n


def test_gradient_of_a_gradient_expression():
    x = Variable(np.array(2.0))
    y = x**2
    y.backward(create_graph=True)
    gx = x.grad
    x.cleargrad()
    z = gx**3 + y
    z.backward()
    assert float(x.grad) == 100.0


def test_without_create_graph_no_graph_is_built():
    x = Variable(np.array(2.0))
    f(x).backward()
    assert isinstance(x.grad, Variable) and x.grad.creator is None
    x.cleargrad()
    f(x).backward(create_graph=True)
    assert x.grad.creator is not None


def test_a_grads_graph_mixes_forward_and_backward_functions():
    x = Variable(np.array(0.5))
    y = sin(x**2)
    y.backward(create_graph=True)
    gx = x.grad  # 2x cos(x^2): cos reads x^2, the output of a forward (order 0) Pow
    x.cleargrad()
    orders = {call.function.order for step in backward_steps(gx) for call in step.calls}
    assert orders == {0, 1}
    assert float(x.grad) == pytest.approx(2 * np.cos(0.25) - 4 * 0.25 * np.sin(0.25), rel=1e-14)


def test_second_backward_pass_can_be_stepped_and_is_marked_order_two():
    x = Variable(np.array(2.0))
    f(x).backward(create_graph=True)
    gx = x.grad
    x.cleargrad()
    steps = list(backward_steps(gx))
    assert steps and all(step.order == 2 for step in steps)
    assert {call.function.order for step in steps for call in step.calls} == {1}
    assert float(x.grad) == 44.0
    assert float(x.grad) == pytest.approx(
        float(numerical_diff(lambda v: 4 * v**3 - 4 * v, Variable(np.array(2.0)))), rel=1e-6
    )
