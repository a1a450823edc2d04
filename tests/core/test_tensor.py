"""Tensors and broadcasting (issue #3): shape ops, reductions, matmul, indexing."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from _support import SETTINGS
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from autograd_core import (
    BroadcastTo,
    GetItem,
    MatMul,
    Reshape,
    Sum,
    SumTo,
    Transpose,
    Variable,
    add,
    broadcast_to,
    cos,
    div,
    exp,
    get_item,
    log,
    matmul,
    mul,
    neg,
    numerical_grad,
    pow_var,
    reshape,
    sigmoid,
    sin,
    square,
    sub,
    sum_to,
    tanh,
    transpose,
)
from autograd_core import sum as ag_sum

RNG = np.random.default_rng(3)


def check(f, reference, *arrays, rtol=1e-6, atol=1e-7):
    """Forward equals the numpy ``reference``; grads (for a random seed) equal
    central differences; every grad has its input's shape."""
    xs = [Variable(a.copy()) for a in arrays]
    y = f(*xs)
    want = reference(*arrays)
    assert y.shape == np.shape(want)
    np.testing.assert_allclose(y.data, want, rtol=1e-14, atol=1e-14)
    w = RNG.standard_normal(y.shape)
    y.grad = w
    y.backward()
    numeric = numerical_grad(lambda *vs: f(*vs).data * w, *arrays)
    for i, (x, n) in enumerate(zip(xs, numeric, strict=True)):
        assert x.grad.shape == x.shape, f"grad {i}"
        np.testing.assert_allclose(x.grad.data, n, rtol=rtol, atol=atol, err_msg=f"grad {i}")
    return xs, y


# --- element-wise ops on arrays of several shapes -----------------------------------------

SHAPES = [(), (1,), (4,), (2, 3), (2, 1, 3), (2, 3, 2, 2)]
UNARY = [
    (square, np.square, (-2, 2)),
    (exp, np.exp, (-2, 2)),
    (log, np.log, (0.3, 3)),
    (sin, np.sin, (-3, 3)),
    (cos, np.cos, (-3, 3)),
    (tanh, np.tanh, (-2, 2)),
    (sigmoid, lambda a: 1 / (1 + np.exp(-a)), (-4, 4)),
    (neg, np.negative, (-2, 2)),
    (lambda v: v**3, lambda a: a**3, (-2, 2)),
]


@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("f, ref, domain", UNARY, ids=lambda p: getattr(p, "__name__", ""))
def test_unary_elementwise_on_shapes(f, ref, domain, shape):
    check(f, ref, RNG.uniform(*domain, size=shape))


BINARY = [
    (add, np.add), (sub, np.subtract), (mul, np.multiply), (div, np.divide),
    (pow_var, np.power),
]


@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("f, ref", BINARY, ids=lambda p: getattr(p, "__name__", ""))
def test_binary_elementwise_on_shapes(f, ref, shape):
    check(f, ref, RNG.uniform(0.5, 2, size=shape), RNG.uniform(0.5, 2, size=shape))


# --- broadcasting: x.grad.shape == x.shape always -----------------------------------------


@pytest.mark.parametrize("f, ref", BINARY, ids=lambda p: getattr(p, "__name__", ""))
@SETTINGS
@given(data=st.data())
def test_broadcasting_binary_ops_reduce_grads_to_input_shapes(f, ref, data):
    shapes = data.draw(hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=4, max_side=3),
                       label="shapes")
    s0, s1 = shapes.input_shapes
    elements = st.floats(0.5, 2.0)
    a0 = data.draw(hnp.arrays(np.float64, s0, elements=elements), label="x0")
    a1 = data.draw(hnp.arrays(np.float64, s1, elements=elements), label="x1")
    xs, y = check(f, ref, a0, a1, rtol=1e-5, atol=1e-6)
    assert y.shape == shapes.result_shape == np.broadcast_shapes(s0, s1)
    assert xs[0].grad.shape == s0 and xs[1].grad.shape == s1


@SETTINGS
@given(shapes=hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=4, max_side=4))
def test_broadcasting_operators_keep_grad_shapes(shapes):
    s0, s1 = shapes.input_shapes
    x0 = Variable(np.full(s0, 1.5))
    x1 = Variable(np.full(s1, 0.5))
    y = (x0 * x1 + x0 / x1 - x1) ** 2
    y.backward()
    assert x0.grad.shape == s0 and x1.grad.shape == s1
    # every output element depends on one element of each input: d/dx0 = 2 (x0 x1 + x0/x1
    # - x1)(x1 + 1/x1) = 2 * 3.25 * 2.5, summed over x0's broadcast copies
    copies0 = int(np.prod(shapes.result_shape)) // int(np.prod(s0))
    np.testing.assert_allclose(x0.grad.data, 2 * 3.25 * 2.5 * copies0, rtol=1e-13)


def test_broadcast_pair_3x1_with_1x4():
    xs, y = check(mul, np.multiply, RNG.standard_normal((3, 1)), RNG.standard_normal((1, 4)))
    assert y.shape == (3, 4)


# --- reshape / transpose ------------------------------------------------------------------


@pytest.mark.parametrize("src, shape", [((2, 3), (3, 2)), ((6,), (2, 3)), ((2, 3), (-1,)),
                                        ((2, 3, 4), (4, -1)), ((), (1, 1)), ((1,), ())])
def test_reshape(src, shape):
    xs, y = check(lambda v: reshape(v, shape), lambda a: a.reshape(shape),
                  RNG.standard_normal(src))
    assert isinstance(y.creator, Reshape)


@pytest.mark.parametrize("src, axes", [((2, 3), None), ((2, 3, 4), (1, 0, 2)),
                                       ((2, 3, 4), (2, 0, 1)), ((2, 3, 4), (-1, 0, -2)),
                                       ((3,), None), ((), None)])
def test_transpose(src, axes):
    xs, y = check(lambda v: transpose(v, axes), lambda a: np.transpose(a, axes),
                  RNG.standard_normal(src))
    assert isinstance(y.creator, Transpose)


def test_variable_shape_methods():
    a = np.arange(6.0)
    x = Variable(a.copy())
    for y in (x.reshape(2, 3), x.reshape((2, 3)), x.reshape([2, 3])):
        assert y.shape == (2, 3)
        np.testing.assert_array_equal(y.data, a.reshape(2, 3))
    m = Variable(np.arange(6.0).reshape(2, 3))
    for y in (m.transpose(1, 0), m.transpose((1, 0)), m.transpose(), m.T):
        np.testing.assert_array_equal(y.data, m.data.T)
    c = Variable(np.arange(24.0).reshape(2, 3, 4))
    np.testing.assert_array_equal(c.transpose(1, 0, 2).data, c.data.transpose(1, 0, 2))
    np.testing.assert_array_equal(m.sum(axis=0).data, [3.0, 5.0, 7.0])
    np.testing.assert_array_equal(m.sum(axis=1, keepdims=True).data, [[3.0], [12.0]])
    assert float(m.sum()) == 15.0
    y = (m.T.reshape(6) * np.arange(6.0)).sum()
    y.backward()
    np.testing.assert_array_equal(m.grad.data, np.arange(6.0).reshape(3, 2).T)


# --- sum, broadcast_to, sum_to ------------------------------------------------------------

_AXES = [None, 0, 1, 2, -1, (0, 1), (0, 2), (1, 2), (0, 1, 2), (-1, 0)]


@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("axis", _AXES, ids=str)
def test_sum_every_axis_and_keepdims(axis, keepdims):
    xs, y = check(lambda v: ag_sum(v, axis, keepdims), lambda a: a.sum(axis=axis,
                                                                           keepdims=keepdims),
                  RNG.standard_normal((2, 3, 4)))
    assert isinstance(y.creator, Sum)


def test_sum_of_a_0d_array():
    xs, y = check(lambda v: v.sum(), np.sum, np.array(2.5))
    assert y.shape == () and xs[0].grad.shape == ()


@pytest.mark.parametrize("src, shape", [((3,), (2, 3)), ((), (2, 2)), ((2, 1), (2, 5)),
                                        ((1, 3), (4, 2, 3))])
def test_broadcast_to_and_sum_to_round_trip(src, shape):
    a = RNG.standard_normal(src)
    xs, y = check(lambda v: broadcast_to(v, shape), lambda b: np.broadcast_to(b, shape), a)
    assert isinstance(y.creator, BroadcastTo)
    ratio = int(np.prod(shape)) // int(np.prod(src))
    back = sum_to(broadcast_to(Variable(a), shape), src)
    np.testing.assert_allclose(back.data, a * ratio, rtol=1e-14)
    # broadcast_to's backward is a sum_to, and sum_to's a broadcast_to
    x = Variable(a.copy())
    y = broadcast_to(x, shape)
    w = RNG.standard_normal(shape)
    y.grad = w
    y.backward()
    np.testing.assert_allclose(x.grad.data, _numpy_sum_to(w, src), rtol=1e-13)
    b = RNG.standard_normal(shape)
    z = Variable(b.copy())
    s = sum_to(z, src)
    assert isinstance(s.creator, SumTo)
    u = RNG.standard_normal(src)
    s.grad = u
    s.backward()
    np.testing.assert_array_equal(z.grad.data, np.broadcast_to(u, shape))
    check(lambda v: sum_to(v, src), lambda c: _numpy_sum_to(c, src), b)


def _numpy_sum_to(c, shape):
    lead = c.ndim - len(shape)
    axes = tuple(range(lead)) + tuple(lead + i for i, n in enumerate(shape) if n == 1)
    return c.sum(axis=axes, keepdims=True).reshape(shape)


def test_noop_broadcast_to_and_sum_to_return_the_input():
    x = Variable(np.ones((2, 3)))
    assert broadcast_to(x, (2, 3)) is x
    assert sum_to(x, (2, 3)) is x


# --- matmul -------------------------------------------------------------------------------

_MATMUL = [((2, 3), (3, 4)), ((3,), (3, 2)), ((2, 3), (3,)), ((3,), (3,)), ((2, 2, 3), (3, 2)),
           ((2, 3), (2, 3, 4)), ((2, 1, 2, 3), (4, 3, 2)), ((1, 1), (1, 1))]


@pytest.mark.parametrize("s0, s1", _MATMUL, ids=str)
def test_matmul(s0, s1):
    xs, y = check(matmul, np.matmul, RNG.standard_normal(s0), RNG.standard_normal(s1))
    assert isinstance(y.creator, MatMul)
    x0, x1 = Variable(xs[0].data), Variable(xs[1].data)
    np.testing.assert_array_equal((x0 @ x1).data, y.data)  # the @ operator
    np.testing.assert_array_equal((x0.data @ x1).data, y.data)  # an ndarray on the left


def test_matmul_second_derivative_cross_terms():
    a = RNG.standard_normal((2, 3))
    b = RNG.standard_normal((3, 4))
    x, w = Variable(a.copy()), Variable(b.copy())
    y = (matmul(x, w) ** 2).sum()
    y.backward(create_graph=True)
    gx = x.grad  # 2 (x w) w^T
    x.cleargrad()
    w.cleargrad()
    gx.sum().backward()

    def gx_sum(a_, b_):
        return float((2 * (a_ @ b_) @ b_.T).sum())

    eps = 1e-6
    num = np.zeros_like(b)
    for idx in np.ndindex(b.shape):
        hi, lo = b.copy(), b.copy()
        hi[idx] += eps
        lo[idx] -= eps
        num[idx] = (gx_sum(a, hi) - gx_sum(a, lo)) / (2 * eps)
    np.testing.assert_allclose(w.grad.data, num, rtol=1e-6, atol=1e-7)


# --- indexing -----------------------------------------------------------------------------

_INDICES = [
    1, -1, (1, 2), slice(0, 2), (slice(None), slice(1, 3)), (slice(None, None, -1), slice(0, 4, 2)),
    np.array([0, 0, 2]), [2, 0, 2], (np.array([0, 0, 1]), np.array([1, 1, 2])), Ellipsis,
    (Ellipsis, 0), None, (slice(None), None),
]


@pytest.mark.parametrize("index", _INDICES, ids=repr)
def test_getitem(index):
    xs, y = check(lambda v: v[index], lambda a: a[index], RNG.standard_normal((3, 4)))
    assert isinstance(y.creator, GetItem)


def test_getitem_with_a_boolean_mask():
    a = RNG.standard_normal((3, 4))
    mask = a > 0
    check(lambda v: get_item(v, mask), lambda b: b[mask], a)


def test_getitem_repeated_indices_accumulate():
    x = Variable(np.array([10.0, 20.0, 30.0, 40.0]))
    y = x[np.array([0, 0, 2, 0])]
    np.testing.assert_array_equal(y.data, [10.0, 10.0, 30.0, 10.0])
    y.backward()
    np.testing.assert_array_equal(x.grad.data, [3.0, 0.0, 1.0, 0.0])
    m = Variable(np.zeros((2, 3)))
    z = m[np.array([1, 1, 0]), np.array([2, 2, 2])]
    (z * np.array([1.0, 2.0, 4.0])).sum().backward()
    np.testing.assert_array_equal(m.grad.data, [[0, 0, 4.0], [0, 0, 3.0]])


def test_getitem_second_derivative():
    x = Variable(np.array([1.0, 2.0, 3.0]))
    y = (x[np.array([0, 0, 2])] ** 3).sum()
    y.backward(create_graph=True)
    gx = x.grad  # [2 * 3x0^2, 0, 3x2^2]
    np.testing.assert_array_equal(gx.data, [6.0, 0.0, 27.0])
    x.cleargrad()
    (gx * np.array([1.0, 1.0, 1.0])).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [12.0, 0.0, 18.0])  # 2 * 6x0, 0, 6x2


# --- non-scalar outputs and seeds ---------------------------------------------------------


def test_backward_on_a_non_scalar_output_seeds_ones():
    x = Variable(np.arange(6.0).reshape(2, 3))
    y = x * 2.0 + x**2
    y.backward()
    np.testing.assert_array_equal(x.grad.data, 2.0 + 2 * x.data)  # seeded with ones
    doc = Variable.backward.__doc__
    assert "non-scalar" in doc and "ones" in doc  # and the API says so


# --- clear errors -------------------------------------------------------------------------


def test_reshape_error_names_the_shapes():
    with pytest.raises(ValueError, match=r"\(2, 3\).*\(4, 2\)"):
        Variable(np.ones((2, 3))).reshape(4, 2)


@pytest.mark.parametrize("axes", [(0, 0), (1,), (0, 1, 2), (0, 3), (0, -3), (5, 0)], ids=str)
def test_transpose_bad_axes_name_the_axes_and_shape(axes):
    with pytest.raises(ValueError) as info:
        Variable(np.ones((2, 3))).transpose(axes)
    message = str(info.value)
    assert str(axes) in message and "(2, 3)" in message


@pytest.mark.parametrize("axis", [2, -3, (0, 5)], ids=str)
def test_sum_bad_axis(axis):
    with pytest.raises(ValueError, match="out of range for an array with 2 dimension"):
        Variable(np.ones((2, 3))).sum(axis=axis)


@pytest.mark.parametrize("s0, s1", [((2, 3), (2, 3)), ((3,), (4,)), ((2, 3), (4,)),
                                    ((4,), (2, 3)), ((2, 2, 3), (3, 3, 2))], ids=str)
def test_matmul_mismatch_names_the_shapes(s0, s1):
    with pytest.raises(ValueError) as info:
        matmul(Variable(np.ones(s0)), Variable(np.ones(s1)))
    message = str(info.value)
    assert str(s0) in message and str(s1) in message


def test_matmul_mismatch_says_which_axes_disagree():
    with pytest.raises(ValueError, match=r"\(2,\) and \(3,\)") as info:
        matmul(Variable(np.ones((2, 2, 3))), Variable(np.ones((3, 3, 2))))
    assert "(3) must equal" not in str(info.value)  # not the inner axes: they match
    with pytest.raises(ValueError, match="scalars"):
        matmul(Variable(np.array(2.0)), Variable(np.ones(2)))


def test_broadcast_and_sum_to_errors_name_the_shapes():
    with pytest.raises(ValueError, match=r"\(3,\).*\(2, 4\)"):
        broadcast_to(Variable(np.ones(3)), (2, 4))
    with pytest.raises(ValueError, match=r"\(2, 3\).*\(4,\)"):
        sum_to(Variable(np.ones((2, 3))), (4,))


def test_getitem_error_names_the_index_and_shape():
    with pytest.raises(IndexError, match=r"index 5 .*shape \(3,\)"):
        Variable(np.ones(3))[5]


def test_every_axis_keepdims_combination_is_listed():
    # _AXES covers every non-empty subset of the 3 axes plus None (and negative forms)
    subsets = {tuple(sorted(a % 3 for a in ((ax,) if isinstance(ax, int) else ax)))
               for ax in _AXES if ax is not None}
    assert subsets == {c for r in (1, 2, 3) for c in itertools.combinations(range(3), r)}


def test_bad_shapes_are_worded_for_a_student():
    """(From the retired tests/engine.) The exact wording of the shape errors."""
    from autograd_core import broadcast_to, matmul, reshape

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
