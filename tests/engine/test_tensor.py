"""Tensors and broadcasting (DeZero steps 37-44)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import mutually_broadcastable_shapes

from autograd_core import (
    Variable,
    add,
    broadcast_to,
    div,
    matmul,
    mul,
    numerical_grad,
    reshape,
    sin,
    sub,
    sum,
    sum_to,
    transpose,
)

RNG = np.random.default_rng(7)


def test_elementwise_ops_on_any_shape():
    for shape in [(), (3,), (2, 3), (2, 1, 4)]:
        data = RNG.uniform(0.5, 2.0, size=shape)
        x = Variable(data.copy())
        y = sin(x) * x + 1 / x
        np.testing.assert_allclose(y.data, np.sin(data) * data + 1 / data)
        y.backward()
        np.testing.assert_allclose(x.grad.data, np.cos(data) * data + np.sin(data) - 1 / data**2)
        assert x.grad.shape == shape


def test_shape_ops_forward_values_match_numpy():
    a = RNG.normal(size=(2, 3, 4))
    x = Variable(a)
    np.testing.assert_array_equal(x.reshape(6, 4).data, a.reshape(6, 4))
    np.testing.assert_array_equal(x.reshape((4, 6)).data, a.reshape(4, 6))
    np.testing.assert_array_equal(x.transpose(1, 0, 2).data, a.transpose(1, 0, 2))
    np.testing.assert_array_equal(x.T.data, a.T)
    np.testing.assert_array_equal(transpose(x, (2, 0, 1)).data, a.transpose(2, 0, 1))
    np.testing.assert_allclose(x.sum(axis=0).data, a.sum(axis=0))
    kept = sum(x, axis=(0, 2), keepdims=True)
    np.testing.assert_allclose(kept.data, a.sum((0, 2), keepdims=True))
    np.testing.assert_allclose(x.sum().data, a.sum())
    np.testing.assert_array_equal(broadcast_to(Variable(a[0]), (5, 3, 4)).data,
                                  np.broadcast_to(a[0], (5, 3, 4)))
    np.testing.assert_allclose(sum_to(x, (3, 1)).data, a.sum(axis=(0, 2)).reshape(3, 1))
    np.testing.assert_array_equal(x[1, :, ::2].data, a[1, :, ::2])


@pytest.mark.parametrize(
    ("build", "shapes"),
    [
        (lambda x: x.reshape(3, 2), [(2, 3)]),
        (lambda x: x.transpose(1, 0, 2), [(2, 3, 2)]),
        (lambda x: x.T, [(2, 3)]),
        (lambda x: x.sum(axis=1), [(2, 3)]),
        (lambda x: x[:, 1], [(3, 2)]),
        (lambda x: x[np.array([0, 0, 1])], [(2, 3)]),
        (lambda x, w: matmul(x, w), [(2, 3), (3, 4)]),
        (lambda x, w: x @ w, [(3,), (3, 2)]),
        (lambda x, w: matmul(x, w), [(2, 3), (3,)]),
        (lambda x, w: matmul(x, w), [(3,), (3,)]),
        (lambda x, w: matmul(x, w), [(4, 2, 3), (3, 2)]),
        (lambda x, b: sin(x @ b.T).sum(axis=0), [(2, 3), (4, 3)]),
    ],
)
def test_tensor_op_grads_match_finite_differences(build, shapes):
    values = [RNG.normal(size=s) for s in shapes]
    xs = [Variable(v.copy()) for v in values]
    y = build(*xs)
    y.backward()
    expected = numerical_grad(lambda *vs: build(*vs).data, *values)
    for x, e in zip(xs, expected, strict=True):
        assert x.grad.shape == x.shape
        np.testing.assert_allclose(x.grad.data, e, rtol=1e-5, atol=1e-7)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(
    mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=3, max_side=3),
    st.sampled_from([add, sub, mul, div]),
)
def test_binary_ops_broadcast_like_numpy_and_grads_keep_input_shapes(shapes, op):
    s0, s1 = shapes.input_shapes
    a = RNG.uniform(0.5, 2.0, size=s0)
    b = RNG.uniform(0.5, 2.0, size=s1)
    x0, x1 = Variable(a), Variable(b)
    y = op(x0, x1)
    assert y.shape == shapes.result_shape
    y.backward()
    assert x0.grad.shape == s0 and x1.grad.shape == s1
    e0, e1 = numerical_grad(lambda u, v: op(u, v).data, a, b)
    np.testing.assert_allclose(x0.grad.data, e0, rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(x1.grad.data, e1, rtol=1e-5, atol=1e-7)


def test_non_scalar_output_is_seeded_with_ones():
    x = Variable(np.array([1.0, 2.0, 3.0]))
    y = x * x
    y.backward()
    np.testing.assert_array_equal(x.grad.data, [2.0, 4.0, 6.0])


def test_clear_errors_for_bad_shapes():
    x = Variable(np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"shape \(2, 3\) \(6 elements\) into shape \(4,\)"):
        reshape(x, 4)
    with pytest.raises(ValueError, match="axis 5 is out of range"):
        x.sum(axis=5)
    with pytest.raises(ValueError, match=r"matmul shapes \(2, 3\) and \(2, 3\) do not match"):
        matmul(x, x)
    with pytest.raises(ValueError, match="not a permutation"):
        x.transpose(0, 0)
    with pytest.raises(ValueError, match=r"cannot broadcast shape \(2, 3\) to shape \(3, 3\)"):
        broadcast_to(x, (3, 3))
