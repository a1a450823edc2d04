"""Every registered op's first and second derivatives against finite differences.

Driven only by the op registry: each OpInfo carries examples (input shapes,
constant params, a value range), so registering an op adds its tests here.
Input values come from hypothesis (derandomized, so CI is reproducible).
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from autograd_core import OPS, NothingUpstreamWarning, Variable, numerical_grad

CASES = [
    pytest.param(info, example, id=f"{name}-{k}")
    for name, info in OPS.items()
    for k, example in enumerate(info.examples)
]


def _inputs(example):
    elements = st.floats(example.low, example.high, allow_nan=False, width=64)
    return st.tuples(*[arrays(np.float64, shape, elements=elements) for shape in example.shapes])


def _weights(shape, seed):
    return np.random.default_rng(seed).uniform(0.5, 1.5, size=shape)


def _first_grads(info, example, values, seed, create_graph=False):
    """Weighted first derivatives d(sum(w * f(xs)))/dxs by backprop."""
    xs = [Variable(v.copy()) for v in values]
    y = info.function(*xs, **example.params)
    y.grad = _weights(y.shape, seed)
    y.backward(create_graph=create_graph)
    return xs, [x.grad for x in xs]


COMMON = settings(max_examples=12, deadline=None, derandomize=True)


@pytest.mark.parametrize(("info", "example"), CASES)
def test_first_derivative_matches_finite_differences(info, example):
    @COMMON
    @given(_inputs(example))
    def check(values):
        _, grads = _first_grads(info, example, values, seed=1)
        y_shape = info.function(*[Variable(v) for v in values], **example.params).shape
        w = _weights(y_shape, 1)

        def weighted(*xs):
            return info.function(*xs, **example.params).data * w

        expected = numerical_grad(weighted, *values)
        for x_value, g, e in zip(values, grads, expected, strict=True):
            assert g.shape == x_value.shape
            np.testing.assert_allclose(g.data, e, rtol=1e-5, atol=1e-6)

    check()


@pytest.mark.parametrize(("info", "example"), CASES)
def test_second_derivative_matches_finite_differences_of_the_first(info, example):
    @COMMON
    @given(_inputs(example))
    def check(values):
        vs = [_weights(v.shape, 10 + i) for i, v in enumerate(values)]

        def projected_first_grads(*xs):
            # sum_i <v_i, dL/dx_i>, computed by an ordinary (raw) backward pass
            _, grads = _first_grads(info, example, [x.data for x in xs], seed=2)
            return sum(float(np.sum(g.data * v)) for g, v in zip(grads, vs, strict=True))

        xs, grads = _first_grads(info, example, values, seed=2, create_graph=True)
        s = None
        for g, v in zip(grads, vs, strict=True):
            term = (g * v).sum()
            s = term if s is None else s + term
        for x in xs:
            x.cleargrad()
        with warnings.catch_warnings():
            # a linear op's grads do not depend on its inputs: nothing upstream
            warnings.simplefilter("ignore", NothingUpstreamWarning)
            s.backward()
        expected = numerical_grad(projected_first_grads, *values)
        for x, e in zip(xs, expected, strict=True):
            got = np.zeros_like(x.data) if x.grad is None else x.grad.data
            np.testing.assert_allclose(got, e, rtol=1e-4, atol=1e-5)

    check()


def test_every_registered_op_has_an_example():
    assert all(info.examples for info in OPS.values())
    # the core ops of the book are all registered
    for name in ("add", "sub", "mul", "div", "neg", "pow", "square", "exp", "log", "sin", "cos",
                 "tanh", "sigmoid", "reshape", "transpose", "sum", "broadcast_to", "sum_to",
                 "matmul", "get_item"):
        assert name in OPS
