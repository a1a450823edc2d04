"""Backward semantics, the step-14 aliasing trap, bad input, operators and numpy interop."""

from __future__ import annotations

import math

import numpy as np
import pytest
from _support import exact

from autograd_core import (
    Function,
    NothingUpstreamWarning,
    PowVar,
    Variable,
    add,
    as_array,
    as_variable,
    exp,
    no_grad,
    square,
    sub,
    variable_origin,
)
from autograd_core import sum as sum_


def _arrays_of(*variables):
    return [v.grad.data for v in variables]


def _no_two_share(arrays):
    for i in range(len(arrays)):
        for j in range(i + 1, len(arrays)):
            if np.shares_memory(arrays[i], arrays[j]):
                return False
    return True


# --- the aliasing trap of step 14 ----------------------------------------------------------


def test_add_same_variable_grads_do_not_alias():
    x = Variable(np.array(3.0))
    y = add(x, x)
    y.backward(retain_grad=True)
    assert (exact(x.grad), exact(y.grad)) == ("2.0", "1.0")  # y.grad not doubled in place
    assert not np.shares_memory(x.grad.data, y.grad.data)
    x.grad.data += 100  # mutating one grad in place ...
    assert exact(y.grad) == "1.0"  # ... leaves the other alone


@pytest.mark.parametrize("op", [add, sub], ids=["add", "sub"])
def test_pass_through_grads_do_not_alias(op):
    x0 = Variable(np.array([1.0, 2.0]))
    x1 = Variable(np.array([3.0, 4.0]))
    y = op(x0, x1)
    y.backward(retain_grad=True)
    assert x0.grad is not x1.grad
    assert _no_two_share(_arrays_of(x0, x1, y))
    x0.grad.data[0] = 42.0
    np.testing.assert_array_equal(y.grad.data, [1.0, 1.0])
    np.testing.assert_array_equal(x1.grad.data, [-1.0, -1.0] if op is sub else [1.0, 1.0])


def test_view_grads_do_not_alias():
    x = Variable(np.arange(6.0).reshape(2, 3))
    r = x.reshape(3, 2)
    t = r.T
    y = t[0]  # (3, 2).T[0]: a view of a view
    y.backward(retain_grad=True)
    assert _no_two_share(_arrays_of(x, r, t, y))
    np.testing.assert_array_equal(x.grad.data, [[1, 0, 1], [0, 1, 0]])


def test_user_function_passing_its_grad_through_does_not_alias():
    class PassThrough(Function):
        def forward(self, x0, x1):
            return x0 + x1

        def backward(self, gy):
            return gy, gy  # the same array twice, and the output's own

    x0 = Variable(np.array([1.0]))
    x1 = Variable(np.array([2.0]))
    y = PassThrough()(x0, x1)
    seed = np.array([5.0])
    y.grad = seed
    y.backward(retain_grad=True)
    assert _no_two_share([x0.grad.data, x1.grad.data, seed])
    seed[0] = -1.0
    assert float(x0.grad.data[0]) == float(x1.grad.data[0]) == 5.0


def test_accumulation_creates_a_new_array():
    x = Variable(np.array([1.0, 2.0]))
    y = square(x)
    y.backward()
    first = x.grad
    first_data = first.data.copy()
    y = square(x)
    y.backward()
    np.testing.assert_array_equal(first.data, first_data)  # the old grad was not mutated
    np.testing.assert_array_equal(x.grad.data, 2 * 2 * x.data)


def test_pass_through_grads_do_not_alias_with_create_graph():
    x0 = Variable(np.array([1.0, 2.0]))
    x1 = Variable(np.array([3.0, 4.0]))
    y = add(x0, x1)
    y.backward(create_graph=True, retain_grad=True)
    assert x0.grad is not x1.grad
    assert _no_two_share(_arrays_of(x0, x1, y))
    # the recorded graph is not cut: each input's grad is a recorded copy of y's
    assert type(x0.grad.creator).__name__ == type(x1.grad.creator).__name__ == "Copy"
    assert x0.grad.creator.inputs[0] is y.grad
    w = Variable(np.array([2.0, 3.0]))
    z = sum_(x0.grad * w)
    w.cleargrad()
    z.backward()  # differentiating through the copies reaches w
    np.testing.assert_array_equal(w.grad.data, [1.0, 1.0])
    # the recorded graph is not cut: the grads can be differentiated again
    assert x0.grad.creator is not None and type(x0.grad.creator).__name__ == "Copy"
    z = x0.grad * x1.grad
    x0.cleargrad()
    x1.cleargrad()
    z.backward()  # d(gy * gy)/dx = 0: gy does not depend on x here, but the graph is walkable


# --- accumulation, leaves, seeds ---------------------------------------------------------------


def test_two_backward_calls_accumulate_without_cleargrad():
    x = Variable(np.array(3.0))
    y = square(x)
    y.backward()
    y.backward()  # y.grad was freed, so it is seeded with ones again
    assert exact(x.grad) == "12.0"
    z = exp(x)
    z.backward()
    assert float(x.grad) == 12.0 + math.exp(3.0)
    x.cleargrad()
    square(x).backward()
    assert exact(x.grad) == "6.0"


@pytest.mark.parametrize("shape", [(), (2, 3)])
def test_backward_on_a_leaf_sets_ones_and_warns(shape):
    x = Variable(np.full(shape, 7.0))
    with pytest.warns(NothingUpstreamWarning, match="nothing is upstream"):
        x.backward()
    assert isinstance(x.grad, Variable)
    np.testing.assert_array_equal(x.grad.data, np.ones(shape))


def test_backward_on_a_no_grad_result_warns_and_leaves_inputs_alone():
    x = Variable(np.array(2.0))
    with no_grad():
        y = square(x)
    assert variable_origin(y) == "no_grad"
    with pytest.warns(NothingUpstreamWarning, match="no_grad"):
        y.backward()
    assert exact(y.grad) == "1.0"
    assert x.grad is None


def test_nothing_upstream_warning_points_at_the_callers_line():
    x = Variable(np.array(2.0))
    with pytest.warns(NothingUpstreamWarning) as record:
        x.backward()
    assert record[0].filename == __file__


@pytest.mark.parametrize("seed, factor", [
    (np.array(2.0), 2.0), (2.0, 2.0), (3, 3.0), (np.float64(0.5), 0.5),
    (Variable(np.array(4.0)), 4.0),
], ids=["ndarray", "float", "int", "numpy_scalar", "variable"])
def test_user_set_seed_grad(seed, factor):
    x = Variable(np.array(3.0))
    y = square(x)
    y.grad = seed
    y.backward()
    assert float(x.grad) == 6.0 * factor


def test_user_set_array_seed_grad():
    x = Variable(np.array([1.0, 2.0, 3.0]))
    y = square(x)
    y.grad = np.array([1.0, 10.0, 100.0])
    y.backward()
    np.testing.assert_array_equal(x.grad.data, [2.0, 40.0, 600.0])


def test_seed_grad_of_the_wrong_shape_names_both_shapes():
    x = Variable(np.array([1.0, 2.0]))
    y = square(x)
    y.grad = np.array([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match=r"shape \(3,\).*shape \(2,\)"):
        y.backward()
    y.grad = 1.0  # a number for a non-scalar output is a shape () seed
    with pytest.raises(ValueError, match=r"\(\).*\(2,\)"):
        y.backward()
    assert x.grad is None


# --- user Functions with a broken backward / forward --------------------------------------------


class TwoInOneGrad(Function):
    def forward(self, x0, x1):
        return x0 * x1

    def backward(self, gy):
        return gy  # one grad for two inputs


class WrongShapeGrad(Function):
    def forward(self, x0, x1):
        return x0 + x1

    def backward(self, gy):
        return gy, np.ones((4, 2))  # input 1 has shape (3,)


class StringGrad(Function):
    def forward(self, x):
        return x

    def backward(self, gy):
        return "oops"


class ListForward(Function):
    def forward(self, x):
        return [1.0, 2.0]

    def backward(self, gy):
        return gy


@pytest.mark.parametrize("create_graph", [False, True])
def test_backward_returning_the_wrong_number_of_grads(create_graph):
    y = TwoInOneGrad()(Variable(np.array(1.0)), Variable(np.array(2.0)))
    with pytest.raises(ValueError, match=r"TwoInOneGrad\.backward returned 1 grad\(s\) for 2 "
                                         r"input\(s\)"):
        y.backward(create_graph=create_graph)


@pytest.mark.parametrize("create_graph", [False, True])
def test_backward_returning_a_grad_of_the_wrong_shape(create_graph):
    x0 = Variable(np.zeros(3))
    x1 = Variable(np.zeros(3))
    y = WrongShapeGrad()(x0, x1)
    with pytest.raises(ValueError) as info:
        y.backward(create_graph=create_graph)
    message = str(info.value)
    assert "WrongShapeGrad" in message
    assert "input 1" in message
    assert "(4, 2)" in message and "(3,)" in message
    assert "broadcast" not in message  # ours, not a numpy broadcasting traceback


def test_backward_returning_a_non_array():
    y = StringGrad()(Variable(np.array(1.0)))
    with pytest.raises(TypeError, match=r"StringGrad\.backward returned str as the grad of "
                                        r"input 0"):
        y.backward()


def test_forward_returning_a_non_array():
    with pytest.raises(TypeError, match=r"ListForward\.forward returned list"):
        ListForward()(Variable(np.array(1.0)))


def test_forward_scalars_are_wrapped_into_0d_arrays():
    class ToScalar(Function):
        def forward(self, x):
            return np.float64(x.sum())  # numpy scalar, not an ndarray

        def backward(self, gy):
            return gy * np.ones(self.inputs[0].shape)

    x = Variable(np.array([1.0, 2.0]))
    y = ToScalar()(x)
    assert type(y.data) is np.ndarray and y.data.shape == ()
    s = x.sum()  # numpy's sum of a 1-d array is an np.float64 too
    assert type(s.data) is np.ndarray and s.data.shape == ()
    y.backward()
    np.testing.assert_array_equal(x.grad.data, [1.0, 1.0])


# --- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize("data, kind", [
    ("abc", "str"), ([1, 2], "list"), (1.0, "float"), (3, "int"), ((1, 2), "tuple"),
    (np.float64(1.0), "float64"), ({"a": 1}, "dict"),
])
def test_variable_rejects_non_arrays_with_a_fix(data, kind):
    with pytest.raises(TypeError) as info:
        Variable(data)
    message = str(info.value)
    assert f"got {kind}" in message
    assert "np.array(" in message


def test_variable_accepts_none_and_arrays():
    assert Variable(None).data is None
    v = Variable(np.array([1, 2]), name="v")
    assert v.name == "v" and v.grad is None and v.creator is None and v.generation == 0


def test_functions_reject_lists_with_a_fix():
    with pytest.raises(TypeError, match=r"got list .*np\.array"):
        square([1.0, 2.0])
    with pytest.raises(TypeError, match="got str"):
        Variable(np.array(1.0)) + "a"


def test_as_array_and_as_variable():
    a = as_array(1.5)
    assert type(a) is np.ndarray and a.shape == () and a == 1.5
    assert type(as_array(np.float32(2.0))) is np.ndarray
    arr = np.ones(3)
    assert as_array(arr) is arr
    with pytest.raises(TypeError, match="np.array"):
        as_array([1, 2])
    v = Variable(np.array(1.0))
    assert as_variable(v) is v
    c = as_variable(2.0)
    assert isinstance(c, Variable) and float(c) == 2.0
    assert variable_origin(c) == "constant"
    assert variable_origin(v) == "leaf"
    assert variable_origin(square(v)) == "computed"


# --- operators ---------------------------------------------------------------------------------

_OPS = {
    "+": (lambda a, b: a + b, lambda a, b: (1.0, 1.0)),
    "-": (lambda a, b: a - b, lambda a, b: (1.0, -1.0)),
    "*": (lambda a, b: a * b, lambda a, b: (b, a)),
    "/": (lambda a, b: a / b, lambda a, b: (1 / b, -a / b**2)),
    "**": (lambda a, b: a**b, lambda a, b: (b * a ** (b - 1), a**b * math.log(a))),
}


@pytest.mark.parametrize("symbol", list(_OPS))
@pytest.mark.parametrize("left, right", [
    ("variable", "variable"), ("variable", "ndarray"), ("ndarray", "variable"),
    ("variable", "float"), ("float", "variable"), ("variable", "int"), ("int", "variable"),
    ("variable", "numpy_scalar"), ("numpy_scalar", "variable"),
])
def test_operators_on_either_side(symbol, left, right):
    a, b = (3, 2) if "int" in (left, right) else (1.5, 2.0)
    make = {
        "variable": lambda v: Variable(np.array(float(v))),
        "ndarray": lambda v: np.array(float(v)),
        "float": float,
        "int": int,
        "numpy_scalar": np.float64,
    }
    lhs, rhs = make[left](a), make[right](b)
    forward, grads = _OPS[symbol]
    y = forward(lhs, rhs)
    assert type(y) is Variable, f"{left} {symbol} {right} gave {type(y).__name__}"
    assert type(y.data) is np.ndarray
    assert float(y) == pytest.approx(forward(float(a), float(b)), rel=1e-15)
    y.backward()
    want = grads(float(a), float(b))
    if left == "variable":
        assert float(lhs.grad) == pytest.approx(want[0], rel=1e-14)
    if right == "variable":
        assert float(rhs.grad) == pytest.approx(want[1], rel=1e-14)


def test_ndarray_on_the_left_with_arrays():
    x = Variable(np.array([1.0, 2.0]))
    for y in (np.array([3.0, 4.0]) * x, np.array([3.0, 4.0]) + x, np.array([3.0, 4.0]) - x,
              np.array([3.0, 4.0]) / x, np.array([3.0, 4.0]) ** x,
              np.array([[1.0, 1.0]]) @ x):
        assert type(y) is Variable
        assert y.creator is not None


def test_unary_minus_and_reflected_forms():
    x = Variable(np.array(2.0))
    y = -x
    assert exact(y) == "-2.0"
    y.backward()
    assert exact(x.grad) == "-1.0"
    for f, value, grad in [
        (lambda v: 3 - v, 1.0, -1.0),
        (lambda v: 1 / v, 0.5, -0.25),
        (lambda v: 2**v, 4.0, 4.0 * math.log(2.0)),
        (lambda v: 2.0 * v + 1.0, 5.0, 2.0),
    ]:
        x = Variable(np.array(2.0))
        y = f(x)
        assert float(y) == value
        y.backward()
        assert float(x.grad) == pytest.approx(grad, rel=1e-15)
    assert isinstance((2 ** Variable(np.array(1.0))).creator, PowVar)


# --- Variable as an array ------------------------------------------------------------------------


def test_variable_properties():
    v = Variable(np.array([[1, 2, 3], [4, 5, 6]]))
    assert v.shape == (2, 3)
    assert v.ndim == 2
    assert v.size == 6
    assert v.dtype == np.dtype(int)
    assert len(v) == 2
    assert repr(v) == "variable([[1 2 3]\n          [4 5 6]])"  # continuation lines: 9 spaces
    assert str(v) == repr(v)
    assert repr(Variable(np.array(1.0))) == "variable(1.0)"
    assert repr(Variable(None)) == "variable(None)"
    with pytest.raises(TypeError, match="len"):
        len(Variable(np.array(1.0)))


def test_variable_behaves_like_its_array():
    v = Variable(np.array([1.0, 2.0, 3.0]))
    assert np.asarray(v) is v.data
    np.testing.assert_array_equal(np.array(v), [1.0, 2.0, 3.0])
    assert np.array(v) is not v.data  # np.array copies, as for any array
    assert np.asarray(v, dtype=np.float32).dtype == np.float32
    assert np.allclose(v, [1.0, 2.0, 3.0])
    assert not np.allclose(v, [1.0, 2.0, 3.5])
    s = Variable(np.array(2.5))
    assert float(s) == 2.5
    assert int(Variable(np.array(7))) == 7
    assert math.isclose(s, 2.5)  # via __float__


@pytest.mark.parametrize("ufunc, value, grad", [
    (np.exp, math.exp(0.5), math.exp(0.5)),
    (np.sin, math.sin(0.5), math.cos(0.5)),
    (np.cos, math.cos(0.5), -math.sin(0.5)),
    (np.tanh, math.tanh(0.5), 1 - math.tanh(0.5) ** 2),
    (np.log, math.log(0.5), 2.0),
    (np.square, 0.25, 1.0),
    (np.negative, -0.5, -1.0),
])
def test_numpy_ufuncs_dispatch_to_our_ops(ufunc, value, grad):
    x = Variable(np.array(0.5))
    y = ufunc(x)
    assert type(y) is Variable
    assert y.creator is not None
    assert float(y) == pytest.approx(value, rel=1e-15)
    y.backward()
    assert float(x.grad) == pytest.approx(grad, rel=1e-15)


def test_unsupported_ufunc_says_what_to_do():
    x = Variable(np.array(0.5))
    with pytest.raises(TypeError) as info:
        np.arctan(x)
    message = str(info.value)
    assert "arctan" in message
    assert "v.data" in message  # apply it to the raw array
    with pytest.raises(TypeError):
        np.exp(x, out=np.empty(()))  # ufunc keywords are not differentiable either


def test_a_forward_that_returns_nothing_is_named():
    """(From the retired tests/engine.)"""
    from autograd_core import Function

    class Forgetful(Function):
        def forward(self, x):
            x * 2  # no return

    with pytest.raises(TypeError, match="Forgetful.forward returned NoneType; return an ndarray"):
        Forgetful()(Variable(np.array(1.0)))


def test_a_number_an_op_wrapped_keeps_no_grad():
    """y = x * 0.9999: the constant Variable the op made for 0.9999 gets no grad (no one
    holds it to read one; making thousands of them Variables was a third of the backward
    of a chain written with Python constants). x's grad is unchanged, in every pass."""
    import numpy as np

    from autograd_core import Variable, backward_steps, variable_origin

    for run in ("backward", "steps", "create_graph"):
        x = Variable(np.array(2.0))
        y = x * 3.0
        constant = y.creator.inputs[1]
        assert variable_origin(constant) == "constant"
        if run == "backward":
            y.backward()
        elif run == "steps":
            steps = list(backward_steps(y))
            assert float(steps[0].calls[0].input_grads[1].data) == 2.0  # computed, recorded
        else:
            y.backward(create_graph=True)
        assert float(x.grad.data) == 3.0 and constant.grad is None
