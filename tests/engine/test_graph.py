"""Graph structure, creation order and the backward_steps records."""

from __future__ import annotations

import weakref

import numpy as np
import pytest

from autograd_core import (
    Add,
    Config,
    Square,
    Variable,
    add,
    backward_steps,
    exp,
    mul,
    square,
)


def diamond():
    x = Variable(np.array(2.0), name="x")
    a = square(x)
    b = square(a)
    c = square(a)
    y = add(b, c)
    return x, a, b, c, y


def test_creator_inputs_weak_outputs_and_generations():
    x, a, b, c, y = diamond()
    f = y.creator
    assert isinstance(f, Add)
    assert f.inputs == (b, c)
    assert isinstance(f.outputs[0], weakref.ref) and f.outputs[0]() is y
    assert (x.generation, a.generation, b.generation, c.generation, y.generation) == (0, 1, 2, 2, 3)
    assert (a.creator.generation, b.creator.generation, f.generation) == (0, 1, 2)


def test_single_input_function_answers_input_and_output():
    x = Variable(np.array(3.0))
    y = square(x)
    assert y.creator.input is x and y.creator.output is y
    z = add(x, y)
    with pytest.raises(AttributeError, match="2 inputs; use .inputs"):
        _ = z.creator.input


def test_creation_indices_increase_and_are_not_ids():
    x, a, b, c, y = diamond()
    variables = [x, a, b, c, y]
    assert [v.index for v in variables] == sorted(v.index for v in variables)
    functions = [a.creator, b.creator, c.creator, y.creator]
    assert [f.index for f in functions] == sorted(f.index for f in functions)
    assert all(v.index != id(v) for v in variables)


def _signature(y, retain_grad=True):
    out = []
    first = None
    for step in backward_steps(y, retain_grad=retain_grad):
        for call in step.calls:
            first = call.function.index if first is None else first
            out.append((step.number, step.generation, type(call.function).__name__,
                        first - call.function.index))
    return out


def test_steps_one_per_generation_each_function_once_deterministic():
    *_, y1 = diamond()
    *_, y2 = diamond()
    sig1, sig2 = _signature(y1), _signature(y2)
    assert sig1 == sig2
    generations = [g for _, g, _, _ in sig1]
    assert generations == sorted(generations, reverse=True)
    assert [name for *_, name, _ in sig1] == ["Add", "Square", "Square", "Square"]
    # b and c share generation 1: ties break by creation order, newest first
    assert [(n, g) for n, g, _, _ in sig1] == [(0, 2), (1, 1), (1, 1), (2, 0)]
    assert [d for *_, d in sig1][1:3] == [1, 2]


def test_step_records_hold_the_exact_grads():
    x, a, b, c, y = diamond()
    steps = list(backward_steps(y, retain_grad=True))
    add_call = steps[0].calls[0]
    assert float(add_call.output_grads[0]) == 1.0
    assert [float(g) for g in add_call.input_grads] == [1.0, 1.0]
    square_calls = steps[1].calls
    assert {c_.function.inputs[0] is a for c_ in square_calls} == {True}
    assert [float(c_.input_grads[0]) for c_ in square_calls] == [8.0, 8.0]  # 2a * 1, a = 4
    last = steps[2].calls[0]
    assert float(last.output_grads[0]) == 16.0  # a.grad = 8 + 8
    assert float(last.input_grads[0]) == 64.0  # 2x * 16
    assert float(x.grad) == 64.0
    assert [s.order for s in steps] == [1, 1, 1]
    assert [[f is a.creator for f in s.queued] for s in steps] == [[False, False], [True], []]


def test_generator_is_lazy_and_restores_grad_mode_between_steps():
    x = Variable(np.array(0.5))
    y = square(exp(square(x)))
    steps = backward_steps(y, create_graph=True)
    assert x.grad is None  # nothing ran yet
    with_mode = []
    for _ in steps:
        with_mode.append(Config.enable_backprop)
        z = mul(x, x)  # code between steps runs in the caller's mode
        assert z.creator is not None and z.creator.order == 0
    assert with_mode == [True, True, True]
    assert x.grad is not None


def test_create_graph_functions_know_their_order():
    x = Variable(np.array(2.0))
    y = x**3
    y.backward(create_graph=True)
    gx = x.grad
    assert gx.creator is not None and gx.creator.order == 1
    x.cleargrad()
    steps = list(backward_steps(gx, create_graph=True))
    assert {s.order for s in steps} == {2}
    assert float(x.grad) == 12.0  # d2/dx2 x^3 = 6x
    assert x.grad.creator.order == 2


def test_backward_equals_draining_backward_steps():
    x1 = Variable(np.array(0.7))
    y1 = square(exp(square(x1)))
    y1.backward()
    x2 = Variable(np.array(0.7))
    y2 = square(exp(square(x2)))
    for _ in backward_steps(y2):
        pass
    assert float(x1.grad) == float(x2.grad)


def test_user_function_subclass_in_graph():
    class Cube(Square):
        label = "cube"

        def forward(self, x):
            return x**3

        def backward(self, gy):
            (x,) = self.inputs_like(gy)
            return 3 * x**2 * gy

    x = Variable(np.array(2.0))
    y = Cube()(x)
    y.backward()
    assert float(x.grad) == 12.0
    assert Cube.label == "cube" and Add.label == "Add"
