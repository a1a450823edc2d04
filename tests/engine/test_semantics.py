"""Grad accumulation, aliasing, seeds, operators, numpy interop and bad input."""

from __future__ import annotations

import numpy as np
import pytest

from autograd_core import (
    Function,
    NothingUpstreamWarning,
    Variable,
    add,
    exp,
    no_grad,
    square,
)


def test_step14_aliasing_trap_no_two_grads_share_an_array():
    x = Variable(np.array(3.0))
    y = add(x, x)
    y.backward(retain_grad=True)
    assert not np.shares_memory(x.grad.data, y.grad.data)
    x0, x1 = Variable(np.ones(3)), Variable(np.ones(3))
    y = add(x0, x1)
    y.backward(retain_grad=True)
    grads = [x0.grad.data, x1.grad.data, y.grad.data]
    for i in range(3):
        for j in range(i + 1, 3):
            assert not np.shares_memory(grads[i], grads[j])
    x0.grad.data += 100  # mutating one grad in place leaves the others alone
    assert x1.grad.data.tolist() == [1.0, 1.0, 1.0] and y.grad.data.tolist() == [1.0] * 3


def test_views_from_reshape_do_not_alias_the_output_grad():
    x = Variable(np.arange(6.0))
    y = x.reshape(2, 3)
    y.backward(retain_grad=True)
    assert not np.shares_memory(x.grad.data, y.grad.data)


def test_grads_accumulate_across_backward_calls_until_cleargrad():
    x = Variable(np.array(3.0))
    square(x).backward()
    square(x).backward()
    assert float(x.grad) == 12.0
    x.cleargrad()
    square(x).backward()
    assert float(x.grad) == 6.0


@pytest.mark.parametrize("make", [lambda: Variable(np.array(2.0)), "no_grad"])
def test_backward_with_nothing_upstream_warns_and_seeds_ones(make):
    if make == "no_grad":
        with no_grad():
            v = square(Variable(np.array(2.0)))
    else:
        v = make()
    with pytest.warns(NothingUpstreamWarning, match="nothing is upstream"):
        v.backward()
    assert float(v.grad) == 1.0


def test_user_seed_grad_ndarray_or_number():
    x = Variable(np.array(1.0))
    y = exp(x)
    y.grad = np.array(2.0)
    y.backward()
    assert np.isclose(float(x.grad), 2 * np.e)
    x.cleargrad()
    y = exp(x)
    y.grad = 3
    y.backward()
    assert np.isclose(float(x.grad), 3 * np.e)


def test_seed_grad_of_the_wrong_shape_names_both_shapes():
    y = square(Variable(np.ones((2, 3))))
    y.grad = np.ones(3)
    with pytest.raises(ValueError, match=r"shape \(3,\).*shape \(2, 3\)"):
        y.backward()


class WrongCount(Function):
    def forward(self, x0, x1):
        return x0 + x1

    def backward(self, gy):
        return gy


class WrongShape(Function):
    def forward(self, x):
        return x * 2

    def backward(self, gy):
        return np.ones(5)


def test_user_backward_returning_the_wrong_count_is_named():
    y = WrongCount()(Variable(np.array(1.0)), Variable(np.array(2.0)))
    with pytest.raises(ValueError, match="WrongCount.backward returned 1 grad.*2 input"):
        y.backward()


def test_user_backward_returning_the_wrong_shape_is_named():
    y = WrongShape()(Variable(np.ones(3)))
    with pytest.raises(ValueError, match=r"WrongShape.*shape \(5,\) for input 0.*shape is \(3,\)"):
        y.backward()


@pytest.mark.parametrize(
    ("value", "kind"), [("abc", "str"), ([1, 2], "list"), (1.0, "float"), (3, "int")]
)
def test_bad_variable_data_names_the_type_and_the_fix(value, kind):
    with pytest.raises(TypeError, match=rf"got {kind}.*np\.array"):
        Variable(value)


def test_operators_with_numbers_and_arrays_on_either_side():
    x = Variable(np.array(2.0))
    a = np.array(3.0)
    cases = {
        "x+a": (x + a, 5.0), "a+x": (a + x, 5.0), "x-1": (x - 1, 1.0), "3-x": (3 - x, 1.0),
        "a-x": (a - x, 1.0), "x*a": (x * a, 6.0), "a*x": (a * x, 6.0), "x/4": (x / 4, 0.5),
        "1/x": (1 / x, 0.5), "a/x": (a / x, 1.5), "x**3": (x**3, 8.0), "2**x": (2**x, 4.0),
        "-x": (-x, -2.0), "x*x": (x * x, 4.0), "np.float64*x": (np.float64(2.0) * x, 4.0),
    }
    for label, (result, expected) in cases.items():
        assert isinstance(result, Variable), label
        assert float(result) == expected, label


def test_reflected_ops_differentiate():
    x = Variable(np.array(2.0))
    y = 3 - x + 1 / x + 2**x
    y.backward()
    assert np.isclose(float(x.grad), -1 - 1 / 4 + 4 * np.log(2))


def test_variable_properties_and_repr():
    v = Variable(np.array([[1.0, 2.0], [3.0, 4.0]]), name="m")
    assert (v.shape, v.ndim, v.size, v.dtype, len(v)) == ((2, 2), 2, 4, np.float64, 2)
    assert repr(v) == "variable([[1. 2.]\n          [3. 4.]])"
    assert repr(Variable(None)) == "variable(None)"
    with pytest.raises(TypeError, match="0-d"):
        len(Variable(np.array(1.0)))


def test_numpy_interop():
    v = Variable(np.array([1.0, 2.0]))
    assert np.asarray(v).tolist() == [1.0, 2.0]
    assert float(Variable(np.array(2.5))) == 2.5
    assert np.allclose(v, [1.0, 2.0])
    y = np.exp(v)  # dispatches to autograd_core.exp
    assert isinstance(y, Variable) and y.creator is not None
    y.sum().backward()
    assert np.allclose(v.grad.data, np.exp([1.0, 2.0]))
    with pytest.raises(TypeError, match="arctan cannot be differentiated.*v.data"):
        np.arctan(v)


def test_a_forward_that_returns_nothing_is_named():
    class Forgetful(Function):
        def forward(self, x):
            x * 2  # no return

    with pytest.raises(TypeError, match="Forgetful.forward returned NoneType; return an ndarray"):
        Forgetful()(Variable(np.array(1.0)))
