"""backward() keeps its grads raw while it runs (as the book's core_simple does) and hands
back exactly what draining backward_steps() gives: the same grads, as Variables holding
ndarrays, none sharing memory, none left raw when an op fails half way."""

from __future__ import annotations

import numpy as np
import pytest

from autograd_core import (
    Function,
    Variable,
    backward_steps,
    matmul,
    reshape,
    sigmoid,
    sin,
)
from autograd_core import sum as sum_
from autograd_core.ops.arithmetic import Mul


def _long_sum(n: int = 80):
    x = Variable(np.array(0.3), name="x")
    y = 1 * x
    for k in range(2, n + 1):
        y = y + k * x  # every term shares x
    return [x], y


def _polynomial():
    x = Variable(np.array(1.7), name="x")
    return [x], 3 * x**4 - 2 * x**3 + x**2 / 2 - 7 * x + 1


def _tensor_network():
    rng = np.random.default_rng(3)
    x = Variable(rng.normal(size=(4, 3)), name="x")
    W = Variable(rng.normal(size=(3, 2)), name="W")
    b = Variable(rng.normal(size=(2,)), name="b")
    return [x, W, b], sum_(sigmoid(matmul(x, W) + b))


def _reshapes_and_sin():
    x = Variable(np.arange(6.0).reshape(2, 3) / 10, name="x")
    y = reshape(sin(x), (3, 2))
    return [x], sum_(y * y + reshape(x, (3, 2)))


GRAPHS = {"80-term sum sharing x": _long_sum, "polynomial": _polynomial,
          "sum(sigmoid(x @ W + b))": _tensor_network, "reshape and sin": _reshapes_and_sin}


def _graph_and_intermediates(build):
    leaves, y = build()
    seen, stack, inner = set(), [y.creator], []
    while stack:  # every variable a Function produced, in a deterministic order
        f = stack.pop()
        if f is None or f.index in seen:
            continue
        seen.add(f.index)
        inner += [ref() for ref in f.outputs]
        stack += [x.creator for x in f.inputs]
    return leaves, y, sorted(inner, key=lambda v: v.index)


def _grads(variables):
    return [None if v.grad is None else v.grad for v in variables]


@pytest.mark.parametrize("name", GRAPHS)
@pytest.mark.parametrize("retain_grad", [False, True])
def test_backward_gives_what_draining_the_steps_gives(name, retain_grad):
    leaves, y, inner = _graph_and_intermediates(GRAPHS[name])
    y.backward(retain_grad=retain_grad)
    fast = _grads(leaves + inner)
    leaves, y, inner = _graph_and_intermediates(GRAPHS[name])
    for _ in backward_steps(y, retain_grad=retain_grad):
        pass
    stepped = _grads(leaves + inner)
    assert [g is None for g in fast] == [g is None for g in stepped]
    assert all(g is not None for g in fast[: len(leaves)])
    for a, b in zip(fast, stepped, strict=True):
        if a is None:
            continue
        assert type(a) is Variable and type(b) is Variable
        assert type(a.data) is np.ndarray  # never a numpy scalar
        assert a.data.dtype == b.data.dtype and a.data.shape == b.data.shape
        np.testing.assert_array_equal(a.data, b.data)  # bit for bit: the same math
        assert a.creator is None


@pytest.mark.parametrize("name", GRAPHS)
def test_no_two_kept_grads_share_memory(name):
    leaves, y, inner = _graph_and_intermediates(GRAPHS[name])
    seed = np.ones_like(y.data)
    y.grad = Variable(seed)
    y.backward(retain_grad=True)
    arrays = [v.grad.data for v in leaves + inner if v.grad is not None]
    assert y.grad.data is seed and sum(a is seed for a in arrays) == 1  # y keeps the seed
    for i, a in enumerate(arrays):
        assert a.base is None  # views (reshape's backward) are copied
        for b in arrays[i + 1:]:
            assert not np.shares_memory(a, b)


def test_the_seed_passed_through_is_not_shared():
    x0, x1 = Variable(np.array([1.0, 2.0])), Variable(np.array([3.0, 4.0]))
    y = x0 + x1
    seed = np.array([5.0, 6.0])
    y.grad = seed
    y.backward()
    np.testing.assert_array_equal(x0.grad.data, seed)
    assert not np.shares_memory(x0.grad.data, seed)
    assert not np.shares_memory(x0.grad.data, x1.grad.data)


class _Fails(Function):
    def forward(self, x):
        return x * 2

    def backward(self, gy):
        raise ArithmeticError("this op's backward fails on purpose")


def test_an_op_failing_half_way_leaves_no_raw_grad_behind():
    x = Variable(np.array(2.0))
    c = Variable(np.array(3.0))
    y = _Fails()(x) * c * c  # the two Muls run, then _Fails raises
    with pytest.raises(ArithmeticError, match="on purpose"):
        y.backward()
    assert type(c.grad) is Variable and type(c.grad.data) is np.ndarray
    assert float(c.grad.data) == 24.0  # y = 4 c^2 here: dy/dc = 8c, both Muls' shares summed
    assert x.grad is None


class _SeesItsGrad(Function):
    seen: list = []

    def forward(self, x):
        return x * 3

    def backward(self, gy):
        _SeesItsGrad.seen.append((isinstance(gy, (np.ndarray, np.generic)), gy.shape, gy.dtype))
        return gy * 3


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_a_backward_receives_a_numpy_value_of_its_outputs_shape_and_dtype(dtype):
    # as in the book's core_simple, a 0-d grad may come as a numpy scalar (what numpy
    # hands back for 0-d math), never as a Variable or a Python number
    x = Variable(np.array(2.0, dtype=dtype))
    y = _SeesItsGrad()(_SeesItsGrad()(x) * x)
    _SeesItsGrad.seen.clear()
    y.backward()
    assert _SeesItsGrad.seen == [(True, (), dtype)] * 2
    assert float(x.grad.data) == pytest.approx(9 * 2 * 2.0)
    assert x.grad.data.dtype == dtype and type(x.grad.data) is np.ndarray
    m = Variable(np.ones((2, 3), dtype=dtype))
    _SeesItsGrad.seen.clear()
    sum_(_SeesItsGrad()(m)).backward()
    assert _SeesItsGrad.seen == [(True, (2, 3), dtype)]


class _BookStyle(Function):
    """Written as in the book's later steps: the backward uses the input Variables."""

    def forward(self, x):
        return x**2

    def backward(self, gy):
        (x,) = self.inputs
        return 2 * x * gy  # a Variable (nothing recorded: grad mode is off)


class _ReturnsANumber(Function):
    def forward(self, x):
        return x + 1

    def backward(self, gy):
        return 1.0


def test_a_backward_returning_a_variable_or_a_number_works():
    x = Variable(np.array(3.0))
    _BookStyle()(x).backward()
    assert type(x.grad) is Variable and float(x.grad.data) == 6.0
    z = Variable(np.array(3.0))
    _ReturnsANumber()(_ReturnsANumber()(z)).backward()
    assert type(z.grad) is Variable and type(z.grad.data) is np.ndarray
    assert float(z.grad.data) == 1.0


def test_a_grad_set_by_hand_before_backward_is_accumulated_into_a_variable():
    x = Variable(np.array(3.0))
    x.grad = np.array(10.0)  # a raw array, set by hand
    (x * x).backward()
    assert type(x.grad) is Variable and float(x.grad.data) == 16.0


class _MulSubclass(Mul):
    """A user's subclass of a registered op is checked like any user op."""

    def backward(self, gy):
        return gy * np.ones((2, 2)), None


def test_a_subclass_of_a_registered_op_gets_its_grads_checked():
    x, c = Variable(np.array(2.0)), Variable(np.array(3.0))
    with pytest.raises(ValueError, match=r"_MulSubclass.backward returned a grad of shape "
                                         r"\(2, 2\) for input 0, whose shape is \(\)"):
        _MulSubclass()(x, c).backward()


@pytest.mark.parametrize("name", GRAPHS)
def test_the_raw_loop_and_the_generator_make_the_same_calls_in_the_same_order(name):
    """#28.3: backward()'s raw loop (what recorded_backward keeps) and the generator
    (backward_steps) are one traversal: the same functions, grouped in the same
    generations, each given the same grads and returning the same ones, queuing the same.
    (The graph is built twice: its indices are counted from its output's creator.)"""
    from autograd_core import grad_array, recorded_backward

    def calls(y):
        base = y.creator.index
        return base, [(step.number, step.generation,
                       tuple(base - f.index for f in step.queued),
                       [(base - c.function.index, [grad_array(g) for g in c.output_grads],
                         [None if g is None else grad_array(g) for g in c.input_grads])
                        for c in step.calls])
                      for step in (recorded_backward(y) if raw else backward_steps(y))]

    raw = True
    _, y = GRAPHS[name]()
    _, fast = calls(y)
    raw = False
    _, y = GRAPHS[name]()
    _, stepped = calls(y)
    assert len(fast) == len(stepped) > 0
    for (n0, g0, q0, c0), (n1, g1, q1, c1) in zip(fast, stepped, strict=True):
        assert (n0, g0, q0) == (n1, g1, q1)
        assert [c[0] for c in c0] == [c[0] for c in c1]  # the same functions, in order
        for (_, gys0, gxs0), (_, gys1, gxs1) in zip(c0, c1, strict=True):
            for a, b in zip(gys0 + gxs0, gys1 + gxs1, strict=True):
                assert (a is None) == (b is None)
                if a is not None:
                    np.testing.assert_array_equal(a, b)  # bit for bit
