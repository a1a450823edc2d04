"""Gradient checks of every registered op against finite differences (issues #2, #3).

Everything here is generated from ``autograd_core.registry.OPS``: each (op, example)
pair of the registry is one parametrized case, so adding an op (or an example) adds
its tests. Input values come from hypothesis, inside the example's value range.

* first derivative: the grads ``backward()`` gives every input, for a random seed
  grad ``w`` (so the check covers the whole vector-Jacobian product, not just the
  sum), against central differences of ``<f(x), w>``;
* second derivative (issue #3): ``backward(create_graph=True)``, the scalar
  ``s = sum_i <x_i.grad, v_i>`` built from the grads with our ops, ``cleargrad``,
  ``s.backward()`` — against central differences of that same ``s`` computed by
  ordinary first-order backward passes;
* the issue's shape grid for element-wise ops, special values, and the VJP
  dot-product identity ``<u, J^T w> == <J u, w>``.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from _support import SETTINGS, central_diff
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from autograd_core import OPS, Function, Variable, numerical_grad
from autograd_core import exp as ag_exp
from autograd_core import log as ag_log
from autograd_core import sigmoid as ag_sigmoid
from autograd_core import tanh as ag_tanh
from autograd_core.registry import GRADS_CHECKED_BY_TESTS

CASES = [
    pytest.param(info, example, id=f"{name}-{k}")
    for name, info in OPS.items()
    for k, example in enumerate(info.examples)
]


def _inputs(shapes, low, high, distinct=False):
    if distinct:  # no two elements closer than 1/2000 of the range: finite differences
        # (eps 1e-4 of a range of 4) never cross from one element's value to another's
        steps = st.integers(0, 2000).map(lambda i: low + (high - low) * i / 2000)
        return st.tuples(*[hnp.arrays(np.float64, shape, elements=steps, unique=True)
                           for shape in shapes])
    elements = st.floats(low, high, allow_nan=False, allow_infinity=False)
    return st.tuples(*[hnp.arrays(np.float64, shape, elements=elements) for shape in shapes])


def _weights(shape, seed):
    """Fixed random weights in [0.5, 1.5] with random signs (never ~0)."""
    rng = np.random.default_rng(seed)
    return rng.uniform(0.5, 1.5, size=shape) * rng.choice([-1.0, 1.0], size=shape)


def _call(info, params, arrays):
    return info.function(*[Variable(np.array(a, dtype=np.float64)) for a in arrays], **params)


def _first_grads(info, params, arrays, w):
    """Grads of every input after ``y.grad = w; y.backward()`` (create_graph=False)."""
    xs = [Variable(np.array(a, dtype=np.float64)) for a in arrays]
    y = info.function(*xs, **params)
    y.grad = w
    y.backward()
    return [np.zeros_like(x.data) if x.grad is None else x.grad.data for x in xs]


def _check_first(info, params, arrays):
    y = _call(info, params, arrays)
    w = _weights(y.shape, 1)
    got = _first_grads(info, params, arrays, w)
    want = numerical_grad(lambda *vs: info.function(*vs, **params).data * w, *arrays)
    for i, (g, n) in enumerate(zip(got, want, strict=True)):
        assert g.shape == np.shape(arrays[i]), f"grad of input {i} has the wrong shape"
        np.testing.assert_allclose(g, n, rtol=1e-5, atol=1e-6, err_msg=f"input {i}")


def _check_second(info, params, arrays):
    y0 = _call(info, params, arrays)
    w = _weights(y0.shape, 2)  # seed of the first backward pass (a constant)
    vs = [_weights(np.shape(a), 3 + i) for i, a in enumerate(arrays)]

    def s_value(arrs):  # s(x) = sum_i <grad_i(x), v_i>, by ordinary backward passes
        grads = _first_grads(info, params, arrs, w)
        return float(sum(np.sum(g * v) for g, v in zip(grads, vs, strict=True)))

    xs = [Variable(np.array(a, dtype=np.float64)) for a in arrays]
    y = info.function(*xs, **params)
    y.grad = w
    y.backward(create_graph=True)
    gxs = [x.grad for x in xs]
    first = _first_grads(info, params, arrays, w)
    # the recorded pass computes the same first derivative as an ordinary one
    for gx, g in zip(gxs, first, strict=True):
        assert isinstance(gx, Variable)
        np.testing.assert_allclose(gx.data, g, rtol=1e-12, atol=1e-12)
    s = None
    for gx, v in zip(gxs, vs, strict=True):
        term = (gx * v).sum()
        s = term if s is None else s + term
    for x in xs:
        x.cleargrad()
    s.backward()
    # None: no recorded path from the grad back to x (the op is linear in x)
    got = [np.zeros_like(x.data) if x.grad is None else x.grad.data for x in xs]
    want = central_diff(s_value, arrays, eps=1e-5)
    for i, (g, n) in enumerate(zip(got, want, strict=True)):
        assert g.shape == np.shape(arrays[i])
        np.testing.assert_allclose(g, n, rtol=1e-5, atol=1e-6, err_msg=f"input {i}")


# --- the registry itself --------------------------------------------------------------


def test_registry_is_populated_with_the_issue_ops():
    names = set(OPS)
    # issue #2's and #3's ops, under the names users call
    for name in ("square", "exp", "add", "mul", "neg", "sub", "div", "pow", "sigmoid", "tanh",
                 "sin", "cos", "log", "reshape", "transpose", "sum", "broadcast_to", "sum_to",
                 "matmul", "get_item"):
        assert name in names


@pytest.mark.parametrize("info, example", CASES)
def test_registry_example_is_consistent(info, example):
    assert issubclass(info.cls, Function)
    assert isinstance(info.label, str) and info.label
    assert len(example.shapes) == info.n_inputs
    assert set(example.params) <= set(info.params)
    assert example.low < example.high
    mid = (example.low + example.high) / 2
    y = _call(info, example.params, [np.full(s, mid) for s in example.shapes])
    assert isinstance(y, Variable)
    assert isinstance(y.creator, info.cls)
    assert type(y.data) is np.ndarray
    if info.ufunc is not None:  # np.<ufunc>(Variable, ...) dispatches to this op
        z = info.ufunc(*[Variable(np.full(s, mid)) for s in example.shapes])
        assert isinstance(z, Variable)
        assert isinstance(z.creator, info.cls)
        np.testing.assert_array_equal(z.data, y.data)


def test_only_the_registrys_own_classes_are_trusted():
    """The ordinary pass skips checking the grads of exactly the classes the test below
    checks: a user's subclass of an op (or viz's mirror of another library's op, which
    derives from it) may return anything, and is checked on every call."""
    import viz.sources.mirror as mirror
    from autograd_core import Square

    class MySquare(Square):
        def backward(self, gy):
            return "not a grad"

    assert {info.cls for info in OPS.values()} == GRADS_CHECKED_BY_TESTS
    assert MySquare not in GRADS_CHECKED_BY_TESTS
    assert mirror.function_class("Square", Square) not in GRADS_CHECKED_BY_TESTS
    with pytest.raises(TypeError, match="MySquare.backward returned str as the grad of input 0"):
        MySquare()(Variable(np.array(2.0))).backward()


@pytest.mark.parametrize("info, example", CASES)
def test_each_ops_raw_backward_returns_numpy_grads_of_its_inputs_shapes(info, example):
    # the ordinary pass trusts the registry's ops (GRADS_CHECKED_BY_TESTS): this is the check
    mid = (example.low + example.high) / 2
    xs = [Variable(np.full(s, mid)) for s in example.shapes]
    y = info.function(*xs, **example.params)
    seeds = [_weights(y.shape, 4)]
    if y.ndim == 0:  # numpy hands 0-d results back as scalars: a grad may be one
        seeds.append(np.float64(seeds[0]))
    for gy in seeds:
        gxs = y.creator.backward(gy)
        gxs = gxs if isinstance(gxs, tuple) else (gxs,)
        assert len(gxs) == len(y.creator.inputs)
        for x, gx in zip(y.creator.inputs, gxs, strict=True):
            if gx is None:
                continue
            assert isinstance(gx, (np.ndarray, np.generic)), type(gx)
            assert np.shape(gx) == x.shape
            assert isinstance(gx, np.ndarray) or x.ndim == 0


def test_numerical_grad_itself():
    # the reference of the first-derivative checks, against known derivatives
    a = np.array([[0.5, -1.0, 2.0]])
    b = np.array([[1.5], [3.0]])
    before = (a.copy(), b.copy())
    ga, gb = numerical_grad(lambda x, y: x * y, a, b)
    np.testing.assert_allclose(ga, np.broadcast_to(b.sum(), a.shape), rtol=1e-8)
    np.testing.assert_allclose(gb, np.full(b.shape, a.sum()), rtol=1e-8)
    np.testing.assert_array_equal(a, before[0])  # the caller's arrays are not touched
    np.testing.assert_array_equal(b, before[1])
    (gi,) = numerical_grad(lambda x: x**2, np.array([1, 2]))  # ints are taken as floats
    np.testing.assert_allclose(gi, [2.0, 4.0], rtol=1e-8)
    (gv,) = numerical_grad(lambda x: ag_exp(x), Variable(np.array(0.0)), eps=1e-4)
    assert float(gv) == pytest.approx(1.0, rel=1e-8)


# --- first and second derivatives of every registry example ----------------------------


@pytest.mark.parametrize("info, example", CASES)
@SETTINGS
@given(data=st.data())
def test_first_derivative(info, example, data):
    arrays = data.draw(_inputs(example.shapes, example.low, example.high, example.distinct),
                       label="inputs")
    _check_first(info, example.params, arrays)


@pytest.mark.parametrize("info, example", CASES)
@SETTINGS
@given(data=st.data())
def test_second_derivative(info, example, data):
    arrays = data.draw(_inputs(example.shapes, example.low, example.high, example.distinct),
                       label="inputs")
    _check_second(info, example.params, arrays)


# --- issue #3's shape grid for the element-wise ops -------------------------------------


def _elementwise(info, example):
    """Whether the op maps inputs of one shape to an output of that shape, for (), (3,)
    and (2, 3): decided by probing the op itself, so new element-wise ops join the grid."""
    mid = (example.low + example.high) / 2
    for shape in ((), (3,), (2, 3)):
        try:
            y = _call(info, example.params, [np.full(shape, mid)] * info.n_inputs)
        except Exception:
            return False
        if y.shape != shape:
            return False
    return True


_UNARY_SHAPES = [((),), ((3,),), ((2, 3),)]
_BINARY_SHAPES = [((), ()), ((3,), (3,)), ((2, 3), (2, 3)), ((3, 1), (1, 4)), ((1, 4), (3, 1)),
                  ((2, 3), ())]


def _grid():
    seen = set()
    for name, info in OPS.items():
        for example in info.examples:
            key = (name, repr(sorted(example.params.items())), example.low, example.high)
            if key in seen or not _elementwise(info, example):
                continue
            seen.add(key)
            shapes = _UNARY_SHAPES if info.n_inputs == 1 else _BINARY_SHAPES
            for s in shapes:
                label = "x".join(str(sh).replace(" ", "") for sh in s)
                yield pytest.param(info, example.params, s, example.low, example.high,
                                   id=f"{name}{dict(example.params) or ''}-{label}")


GRID = list(_grid())
GRID_SETTINGS = settings(SETTINGS, max_examples=8)


def test_grid_covers_the_elementwise_ops():
    names = {p.values[0].name for p in GRID}
    assert {"add", "mul", "sub", "div", "neg", "pow", "pow_var", "square", "exp", "log", "sin",
            "cos", "tanh", "sigmoid"} <= names
    assert not names & {"matmul", "sum", "reshape", "transpose", "get_item", "sum_to",
                        "broadcast_to"}


@pytest.mark.parametrize("info, params, shapes, low, high", GRID)
@GRID_SETTINGS
@given(data=st.data())
def test_elementwise_grid_first_derivative(info, params, shapes, low, high, data):
    _check_first(info, params, data.draw(_inputs(shapes, low, high), label="inputs"))


@pytest.mark.parametrize("info, params, shapes, low, high", GRID)
@GRID_SETTINGS
@given(data=st.data())
def test_elementwise_grid_second_derivative(info, params, shapes, low, high, data):
    _check_second(info, params, data.draw(_inputs(shapes, low, high), label="inputs"))


# --- the vector-Jacobian identity <u, J^T w> == <J u, w> -------------------------------


@pytest.mark.parametrize("info, example", CASES)
def test_vjp_dot_product(info, example):
    rng = np.random.default_rng(7)
    arrays = [rng.uniform(example.low + 0.05, example.high - 0.05, size=s) for s in example.shapes]
    us = [rng.standard_normal(s) for s in example.shapes]
    y = _call(info, example.params, arrays)
    w = rng.standard_normal(y.shape)
    jtw = _first_grads(info, example.params, arrays, w)
    lhs = sum(float(np.sum(u * g)) for u, g in zip(us, jtw, strict=True))
    h = 1e-6
    plus = _call(info, example.params, [a + h * u for a, u in zip(arrays, us, strict=True)]).data
    minus = _call(info, example.params, [a - h * u for a, u in zip(arrays, us, strict=True)]).data
    rhs = float(np.sum((plus - minus) / (2 * h) * w))
    assert lhs == pytest.approx(rhs, rel=1e-6, abs=1e-7)


# --- special values ---------------------------------------------------------------------


@pytest.mark.filterwarnings("error")
def test_special_values_without_nan():
    with np.errstate(all="raise"):  # an overflow or invalid op would raise, not NaN quietly
        for x0, f, want in [
            (1000.0, ag_tanh, 0.0),
            (-1000.0, ag_tanh, 0.0),
            (0.0, ag_exp, 1.0),
            (1.0, ag_log, 1.0),
            (0.0, ag_sigmoid, 0.25),
            (1000.0, ag_sigmoid, 0.0),
            (-1000.0, ag_sigmoid, 0.0),
        ]:
            x = Variable(np.array(x0))
            y = f(x)
            y.backward()
            assert float(x.grad) == want, (f.__name__, x0)
            assert np.isfinite(y.data)
    x = Variable(np.array(1000.0))
    y = ag_tanh(x)
    y.backward(create_graph=True)  # tanh''(1000) == 0 as well
    gx = x.grad
    x.cleargrad()
    gx.backward()
    assert float(x.grad) == 0.0


# --- gradient_check, the public tool of issue #3 ------------------------------------------------

class _OffByOneAtElement1(Function):
    """y = x0**2 * x1 whose backward is wrong for element 1 of input ``bad`` only."""

    def __init__(self, bad):
        self.bad = bad

    def forward(self, x0, x1):
        return x0**2 * x1

    def backward(self, gy):
        x0, x1 = self.inputs[0].data, self.inputs[1].data
        grads = [2 * x0 * x1 * gy, x0**2 * gy]
        wrong = np.array(grads[self.bad], dtype=np.float64)
        wrong[1] += 1.0
        grads[self.bad] = wrong
        return tuple(grads)


def _report(result_or_raise):
    try:
        result = result_or_raise()
    except (AssertionError, ValueError) as exc:
        return str(exc)
    assert not result, "a wrong backward passed the gradient check"
    return str(result)


def test_gradient_check_accepts_a_correct_function():
    import autograd_core

    check = autograd_core.gradient_check
    x0 = np.array([0.5, 1.0, 2.0])
    x1 = np.array([1.5, -1.0, 0.25])
    result = check(lambda a, b: (a * b + a**2) * b, x0, x1, eps=1e-6, rtol=1e-5, atol=1e-7)
    assert bool(result) and "passed" in str(result)
    np.testing.assert_allclose(result.backprop[0], (x1 + 2 * x0) * x1)
    x = Variable(np.array(0.5))  # Variables work as inputs too, and are left alone
    assert check(lambda v: ag_exp(v * v), x) and x.grad is None
    with pytest.raises(TypeError, match="must return a Variable"):
        check(lambda v: 1.0, x0)


@pytest.mark.parametrize("bad", [0, 1])
def test_gradient_check_names_the_input_and_element_that_differ(bad):
    import autograd_core

    x0 = np.array([1.0, 2.0, 3.0])
    x1 = np.array([1.0, 1.0, 1.0])
    report = _report(lambda: autograd_core.gradient_check(
        lambda a, b: _OffByOneAtElement1(bad)(a, b), x0, x1))
    assert re.search(rf"input\W*{bad}", report), report
    assert re.search(r"\(1,\)|\[1\]", report), report  # element 1
    assert "1" in report  # by how much: the backward is off by exactly 1.0
    assert "difference 1 (allowed" in report
    quiet = autograd_core.gradient_check(lambda a, b: _OffByOneAtElement1(bad)(a, b), x0, x1,
                                         raise_on_failure=False)
    assert not quiet and f"input {bad}, element (1,)" in str(quiet)


@pytest.mark.parametrize("info, example", CASES)
def test_each_ops_cost_rule_knows_its_result_shape_before_it_runs(info, example):
    """The expression language refuses work by these rules before anything is allocated
    (issue #13): each must give the shape the op really makes, from shapes alone."""
    arrays = [np.ones(shape) for shape in example.shapes]
    y = _call(info, example.params, arrays)
    shape, work = info.cost(tuple(example.shapes), **example.params)
    assert tuple(shape) == y.shape
    assert work >= y.size


def test_every_registered_op_has_an_example_so_none_goes_untested():
    """(From the retired tests/engine.) An op without examples would add no case above."""
    assert all(info.examples for info in OPS.values())
