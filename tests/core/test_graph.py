"""Graph structure, creation indices and the backward_steps records (issues #2, #3)."""

from __future__ import annotations

import contextvars
import gc
import time
import weakref

import numpy as np
import pytest
from _support import exact

from autograd_core import (
    Add,
    BackwardStep,
    Config,
    Cos,
    Exp,
    Function,
    FunctionStep,
    Mul,
    Sin,
    Square,
    Variable,
    add,
    backward_steps,
    cos,
    exp,
    mul,
    no_grad,
    sin,
    square,
)
from autograd_core.config import DERIVATIVE_ORDER


class SplitTwo(Function):
    """A user Function with two outputs: (x, 2x)."""

    def forward(self, x):
        return x, 2 * x

    def backward(self, gy0, gy1):
        g = 0
        if gy0 is not None:
            g = g + gy0
        if gy1 is not None:
            g = g + 2 * gy1
        return g


class ScaleByConstant(Function):
    """y = x * c where c is a second input that gets no grad (backward returns None)."""

    def forward(self, x, c):
        return x * c

    def backward(self, gy):
        return gy * self.inputs[1].data, None


def _diamond():
    """x=2 -> a = x**2 -> b = a**2, c = a**2 -> y = b + c (the seed's 32/64 graph)."""
    x = Variable(np.array(2.0), name="x")
    a = square(x)
    b = square(a)
    c = square(a)
    y = add(b, c)
    return x, a, b, c, y


# --- structure --------------------------------------------------------------------------


def test_creator_inputs_weak_outputs_and_generations():
    x, a, b, c, y = _diamond()
    assert x.creator is None and x.generation == 0
    A, B, C, D = a.creator, b.creator, c.creator, y.creator
    assert (type(A), type(B), type(C), type(D)) == (Square, Square, Square, Add)
    assert A.inputs == (x,) and B.inputs == (a,) and C.inputs == (a,) and D.inputs == (b, c)
    assert isinstance(D.outputs, tuple) and len(D.outputs) == 1
    assert isinstance(D.outputs[0], weakref.ref)
    assert D.outputs[0]() is y
    assert A.outputs[0]() is a
    # a function's generation is its inputs' highest; its outputs are one more
    assert (A.generation, B.generation, C.generation, D.generation) == (0, 1, 1, 2)
    assert (a.generation, b.generation, c.generation, y.generation) == (1, 2, 2, 3)
    assert x.name == "x" and y.name is None


def test_set_creator_as_in_the_book():
    x = Variable(np.array(1.0))
    y = exp(exp(x))
    f = y.creator  # generation 1
    v = Variable(np.array(5.0))
    v.set_creator(f)
    assert v.creator is f
    assert v.generation == f.generation + 1 == 2


def test_generation_is_the_max_over_inputs():
    x = Variable(np.array(1.0))
    deep = exp(exp(exp(x)))  # generation 3
    z = mul(x, deep)
    assert z.creator.generation == 3
    assert z.generation == 4


def test_input_and_output_of_single_input_functions():
    x = Variable(np.array(3.0))
    y = square(x)
    f = y.creator
    assert f.input is x
    assert f.output is y


def test_input_of_a_multi_input_function_is_a_clear_attribute_error():
    y = add(Variable(np.array(1.0)), Variable(np.array(2.0)))
    with pytest.raises(AttributeError, match=r"Add has 2 inputs; use \.inputs\[i\]"):
        _ = y.creator.input
    assert not hasattr(y.creator, "input")  # hasattr sees the AttributeError too
    assert y.creator.output is y  # one output: .output still answers


def test_multi_output_function():
    x = Variable(np.array(3.0))
    y0, y1 = SplitTwo()(x)
    f = y0.creator
    assert y1.creator is f
    assert [r() for r in f.outputs] == [y0, y1]
    assert y0.generation == y1.generation == 1
    assert float(y1.data) == 6.0
    with pytest.raises(AttributeError, match="SplitTwo has 2 outputs"):
        _ = f.output
    z = add(y0, y1)
    z.backward()
    assert float(x.grad) == 3.0


def test_output_is_none_once_freed():
    x = Variable(np.array(3.0))
    f = square(x).creator  # the output is dropped at once: only the weak reference is left
    assert f.output is None
    assert f.outputs[0]() is None
    assert f.input is x


def test_no_graph_under_no_grad():
    x = Variable(np.array(3.0))
    f = Square()
    with no_grad():
        y = f(x)
    assert y.creator is None
    assert y.generation == 0
    assert not hasattr(f, "inputs")  # nothing recorded on the function either
    assert float(y.data) == 9.0


# --- creation indices ------------------------------------------------------------------


def test_creation_indices_are_a_counter_not_id():
    x = Variable(np.array(0.5))
    a = square(x)
    b = exp(a)
    y = square(b)
    functions = [a.creator, b.creator, y.creator]
    f_idx = [f.index for f in functions]
    v_idx = [v.index for v in (x, a, b, y)]
    # consecutive (nothing else is created in between in this thread): a counter
    assert f_idx == list(range(f_idx[0], f_idx[0] + 3))
    assert v_idx == list(range(v_idx[0], v_idx[0] + 4))
    assert all(isinstance(i, int) for i in f_idx + v_idx)
    assert all(f.index != id(f) for f in functions)
    assert all(v.index != id(v) for v in (x, a, b, y))
    # and strictly increasing across graphs
    z = sin(Variable(np.array(1.0)))
    assert z.creator.index > f_idx[-1]
    assert z.index > v_idx[-1]


def test_constant_operands_get_indices_too():
    x = Variable(np.array(2.0))
    y = x * 3.0
    const = y.creator.inputs[1]
    assert const.index == x.index + 1
    assert y.index == const.index + 1


# --- backward_steps ---------------------------------------------------------------------


def _signature(y, **kwargs):
    """The replay of a backward pass with indices relative to the first function."""
    steps = list(backward_steps(y, **kwargs))
    base = min(call.function.index for step in steps for call in step.calls)
    return [
        (step.number, step.generation, step.order,
         tuple((type(call.function).__name__, call.function.index - base) for call in step.calls),
         tuple(f.index - base for f in step.queued))
        for step in steps
    ]


def _fan_graph():
    # three functions of generation 0 (a tie), then two adds
    x = Variable(np.array(0.7))
    s = sin(x)
    c = cos(x)
    e = exp(x)
    t = add(s, c)
    y = add(t, e)
    return x, y


def test_steps_one_per_generation_in_decreasing_order_each_function_once():
    x, y = _fan_graph()
    steps = list(backward_steps(y))
    assert all(isinstance(step, BackwardStep) for step in steps)
    assert [step.number for step in steps] == [0, 1, 2]
    assert [step.generation for step in steps] == [2, 1, 0]
    assert [len(step.calls) for step in steps] == [1, 1, 3]
    functions = [call.function for step in steps for call in step.calls]
    assert len({id(f) for f in functions}) == len(functions) == 5
    assert all(call.function.generation == step.generation
               for step in steps for call in step.calls)
    # ties in a generation: most recently created first, by creation index
    assert [type(call.function) for call in steps[2].calls] == [Exp, Cos, Sin]
    tie = [call.function.index for call in steps[2].calls]
    assert tie == sorted(tie, reverse=True)
    assert float(x.grad) == pytest.approx(np.cos(0.7) - np.sin(0.7) + np.exp(0.7), rel=1e-15)


def test_same_graph_twice_gives_the_same_replay():
    first = _signature(_fan_graph()[1])
    second = _signature(_fan_graph()[1])
    assert first == second
    assert first[2][3] == (("Exp", 2), ("Cos", 1), ("Sin", 0))
    x, a, b, c, y = _diamond()
    d1 = _signature(y)
    x, a, b, c, y = _diamond()
    assert _signature(y) == d1


def test_diamond_records_exactly():
    x, a, b, c, y = _diamond()
    A, B, C, D = a.creator, b.creator, c.creator, y.creator
    steps = list(backward_steps(y))
    assert [(s.generation, s.order) for s in steps] == [(2, 1), (1, 1), (0, 1)]

    def values(grads):
        return tuple(None if g is None else float(g.data) for g in grads)

    (d_call,), (c_call, b_call), (a_call,) = (s.calls for s in steps)
    assert all(isinstance(call, FunctionStep) for call in (d_call, c_call, b_call, a_call))
    assert (d_call.function, c_call.function, b_call.function, a_call.function) == (D, C, B, A)
    assert values(d_call.output_grads) == (1.0,)
    assert values(d_call.input_grads) == (1.0, 1.0)
    assert values(c_call.output_grads) == (1.0,) and values(c_call.input_grads) == (8.0,)
    assert values(b_call.output_grads) == (1.0,) and values(b_call.input_grads) == (8.0,)
    assert values(a_call.output_grads) == (16.0,)  # 8 + 8 accumulated on a
    assert values(a_call.input_grads) == (64.0,)
    # the queue deltas: D queues b's and c's creators (in input order), C queues A
    assert steps[0].queued == (B, C)
    assert steps[1].queued == (A,)
    assert steps[2].queued == ()
    assert exact(x.grad) == "64.0"
    # retain_grad=False: the records keep the grads, the variables do not
    assert (y.grad, a.grad, b.grad, c.grad) == (None, None, None, None)


def test_records_show_missing_output_grads_and_non_differentiable_inputs():
    x = Variable(np.array(3.0))
    y0, y1 = SplitTwo()(x)  # only y0 is used
    c = Variable(np.array(5.0))
    z = ScaleByConstant()(y0, c)
    steps = list(backward_steps(z))
    (scale_call,), (split_call,) = (s.calls for s in steps)
    assert float(scale_call.input_grads[0].data) == 5.0
    assert scale_call.input_grads[1] is None
    assert c.grad is None
    assert float(split_call.output_grads[0].data) == 5.0
    assert split_call.output_grads[1] is None
    assert float(x.grad) == 5.0


def test_retain_grad_in_steps():
    x, a, b, c, y = _diamond()
    for _ in backward_steps(y, retain_grad=True):
        pass
    assert (float(y.grad), float(b.grad), float(c.grad), float(a.grad)) == (1.0, 1.0, 1.0, 16.0)


def test_grads_are_accumulated_when_a_step_is_yielded():
    x, a, b, c, y = _diamond()
    it = backward_steps(y, retain_grad=True)
    next(it)
    assert float(b.grad) == float(c.grad) == 1.0 and a.grad is None
    next(it)
    assert float(a.grad) == 16.0 and x.grad is None
    next(it)
    assert float(x.grad) == 64.0
    with pytest.raises(StopIteration):
        next(it)


def test_generator_does_nothing_until_iterated(recwarn):
    x, a, b, c, y = _diamond()
    it = backward_steps(y)
    assert y.grad is None and x.grad is None
    leaf = Variable(np.array(1.0))
    it_leaf = backward_steps(leaf)
    assert leaf.grad is None
    assert len(recwarn) == 0  # not even the nothing-upstream warning yet
    assert len(list(it)) == 3
    assert float(x.grad) == 64.0
    assert list(it_leaf) == []
    assert float(leaf.grad) == 1.0
    assert len(recwarn) == 1


@pytest.mark.parametrize("create_graph", [False, True])
@pytest.mark.parametrize("caller_mode", [True, False])
def test_grad_mode_is_the_callers_between_steps(create_graph, caller_mode):
    def run():
        x, a, b, c, y = _diamond()  # built with grad mode on
        Config.enable_backprop = caller_mode  # then the caller switches it, or not
        seen = []
        orders = []
        collector = []
        for _step in backward_steps(y, create_graph=create_graph):
            seen.append(Config.enable_backprop)
            orders.append(DERIVATIVE_ORDER.get())
            collector.append(gc.isenabled())
            z = square(Variable(np.array(1.0)))  # user code between steps
            assert (z.creator is not None) is caller_mode
            if caller_mode:
                assert z.creator.order == 0  # not mistaken for a backward-pass function
        return seen, orders, collector, x

    # a copied context: the assignment above cannot leak into other tests
    seen, orders, collector, x = contextvars.copy_context().run(run)
    assert seen == [caller_mode] * 3
    assert orders == [0, 0, 0]
    assert collector == [True] * 3  # the gc pause covers a step's computation only
    assert float(x.grad) == 64.0
    assert (x.grad.creator is not None) is create_graph


def test_abandoned_generator_leaves_mode_and_collector_alone():
    x, a, b, c, y = _diamond()
    it = backward_steps(y, create_graph=True)
    next(it)
    assert Config.enable_backprop is True
    assert gc.isenabled()
    assert DERIVATIVE_ORDER.get() == 0
    del it
    assert gc.isenabled() and Config.enable_backprop is True


def test_backward_equals_draining_the_steps():
    def build():
        x0 = Variable(np.array([0.3, -1.2, 2.0]))
        x1 = Variable(np.array([[1.5], [0.5]]))
        t = sin(x0) * x1 + exp(x0) / (x1 + 3.0)
        u = (t * t).sum(axis=1) + cos(t).sum(axis=1)
        return x0, x1, u.sum()

    x0, x1, y = build()
    y.backward()
    auto = (x0.grad.data.copy(), x1.grad.data.copy())
    x0, x1, y = build()
    for _ in backward_steps(y):
        pass
    np.testing.assert_array_equal(x0.grad.data, auto[0])
    np.testing.assert_array_equal(x1.grad.data, auto[1])
    assert y.grad is None


# --- derivative orders -------------------------------------------------------------------


def test_orders_of_a_second_backward_pass():
    x = Variable(np.array(2.0))
    y = x**3
    first = list(backward_steps(y, create_graph=True))
    assert [s.order for s in first] == [1]
    gx = x.grad  # 3 x**2 = 12, built during the first pass
    assert float(gx) == 12.0
    assert gx.creator is not None and gx.creator.order == 1
    # every function of the grad's graph (3 * x**2 * seed: it reaches no forward
    # function) was created during the first pass: order 1
    stack, seen = [gx.creator], set()
    while stack:
        f = stack.pop()
        if f.index in seen:
            continue
        seen.add(f.index)
        assert f.order == 1, f
        stack.extend(v.creator for v in f.inputs if v.creator is not None)
    assert y.creator.order == 0
    x.cleargrad()
    second = list(backward_steps(gx, create_graph=True))
    assert {s.order for s in second} == {2}
    assert float(x.grad) == 12.0  # 6 x
    assert all(call.function.order == 1 for s in second for call in s.calls)
    assert x.grad.creator.order == 2  # made while differentiating a gradient
    gx2 = x.grad
    x.cleargrad()
    third = list(backward_steps(gx2))
    assert {s.order for s in third} == {3}
    assert float(x.grad) == 6.0


def test_functions_made_without_create_graph_are_not_recorded():
    x = Variable(np.array(2.0))
    y = mul(x, x)
    steps = list(backward_steps(y))
    assert steps[0].order == 1
    assert x.grad.creator is None
    assert isinstance(y.creator, Mul) and y.creator.order == 0


# --- scheduling cost ---------------------------------------------------------------------------


def _wide_backward_seconds(n):
    # s = x*c0 + x*c1 + ...: every Mul stays queued while the chain of Adds is walked, so
    # a scheduler that re-sorts its queue per insertion (the book's) is quadratic here
    x = Variable(np.array(1.0))
    s = x * 0.0
    for i in range(1, n):
        s = s + x * float(i % 7)
    start = time.perf_counter()
    s.backward()
    elapsed = time.perf_counter() - start
    assert float(x.grad) == sum(float(i % 7) for i in range(n))
    return elapsed


def test_wide_fan_in_backward_scales_linearly():
    small = min(_wide_backward_seconds(1_000) for _ in range(3))
    big = min(_wide_backward_seconds(10_000) for _ in range(3))
    # linear: about 10x; a sort per insertion: about 100x. Generous for a loaded machine.
    assert big < 30 * small, (small, big)


def test_a_users_subclass_of_a_builtin_op_is_drawn_and_differentiated():
    """(From the retired tests/engine.) A subclass overrides forward/backward (written on
    inputs_like, so it also records with create_graph) and its label."""
    from autograd_core import Add, Square

    class Cube(Square):
        label = "cube"

        def forward(self, x):
            return x**3

        def backward(self, gy):
            (x,) = self.inputs_like(gy)
            return 3 * x**2 * gy

    x = Variable(np.array(2.0))
    y = Cube()(x)
    y.backward(create_graph=True)
    assert float(x.grad) == 12.0
    gx = x.grad
    x.cleargrad()
    gx.backward()
    assert float(x.grad) == 12.0  # d/dx 3x^2 at 2
    assert Cube.label == "cube" and Add.label == "Add"
