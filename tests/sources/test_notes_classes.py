"""The notes' own classes (tests/sources/notes: steps 7 to 24 as the readers wrote them),
drawn and stepped with the numbers the notes print."""

from __future__ import annotations

import copy

import numpy as np
import pytest
from notes import step07, step09, step11, step13, step14, step16, step17, step24

import viz
from viz.model import states
from viz.player.scene import Scene

CHAIN = 3.297442541400256  # every note's x.grad for square(exp(square(x))) at 0.5
SQUARE_BACKWARD = vars(step09.Square)["backward"]
FUNCTION_BACKWARD = vars(step09.Function)["backward"]


def chain09():
    x = step09.Variable(np.array(0.5))
    a = step09.square(x)
    b = step09.exp(a)
    y = step09.square(b)
    return x, a, b, y


def test_step9_draws_like_autograd_core_with_names():
    x, _, _, y = chain09()
    dot = viz.to_dot(y, names={"x": x, "y": y})
    assert dot.count("Square") == 2 and dot.count('label="Exp"') == 1
    assert 'label="x\\n0.5"' in dot and 'label="y\\n1.649"' in dot
    assert "\\ngrad" not in dot  # nothing backpropagated yet: no grads drawn
    # the same program draws the same text, however many graphs were made before
    assert viz.to_dot(chain09()[3], names={}) == viz.to_dot(chain09()[3])
    assert viz.get_dot_graph(y) == viz.to_dot(y, verbose=True)


def test_step9_recorded_with_the_notes_numbers():
    x, a, b, y = chain09()
    y.grad = np.array(1.0)  # as the note does before y.backward()
    replay = viz.record(y, names={"x": x})
    assert replay.mode == "recorded" and replay.kind == "dezero" and replay.error is None
    assert repr(x.grad) == repr(np.float64(CHAIN))  # their own backward ran, once
    assert [type(s.calls[0].function).label for s in replay.steps] == ["Square", "Exp", "Square"]
    mx = replay.read.mirror_of_variable(x)
    assert mx.source is x
    assert float(replay.grad_at(replay.n_steps, mx)) == CHAIN
    assert replay.variable_state(replay.n_steps, mx) is states.FINAL
    assert replay.grad_at(1, mx) is None  # before Exp ran, x has no grad yet
    assert replay.explain(2) == [
        "Exp: gx = exp([Square #1's output]) * gy = exp(0.25) * 2.568 = 3.297"]
    assert replay.caption(1) == "Call 1 of 3: your backward runs Square"
    assert "ran once" in replay.caption(0)
    # every wrapper is gone: the classes have their own backward again, the instances none
    assert all("backward" not in vars(f) for f in (y.creator, b.creator, a.creator))
    assert vars(step09.Square)["backward"] is SQUARE_BACKWARD
    assert "backward" not in vars(step09.Function) or \
        vars(step09.Function)["backward"] is FUNCTION_BACKWARD


def test_show_records_once_then_replays_without_changing_anything():
    x, a, b, y = chain09()
    y.grad = np.array(1.0)
    viz.show(y, steps=True)
    assert float(x.grad) == CHAIN  # recorded: as their own y.backward() leaves it
    before = {name: copy.deepcopy(vars(v)) for name, v in
              (("x", x), ("a", a), ("b", b), ("y", y))}
    view = viz.show(y, steps=True)  # already backpropagated: a replay
    assert float(x.grad) == CHAIN  # not backpropagated twice (it would be 6.59)
    for name, v in (("x", x), ("a", a), ("b", b), ("y", y)):
        assert vars(v).keys() == before[name].keys()
        assert repr(vars(v)["grad"]) == repr(before[name]["grad"])
    assert view.replay.mode == "replayed" and view.caption.startswith("A replay (0/3)")


def test_step7_recursive_backward_recorded():
    A, B, C = step07.Square(), step07.Exp(), step07.Square()
    x = step07.Variable(np.array(0.5))
    y = C(B(A(x)))
    y.grad = np.array(1)
    replay = viz.record(y)
    assert float(x.grad) == CHAIN
    assert replay.n_steps == 3 and replay.error is None


def test_step7_without_the_seed_shows_their_error_and_what_to_do():
    x = step07.Variable(np.array(0.5))
    y = step07.Square()(step07.Exp()(x))
    replay = viz.record(y)  # the note sets y.grad first; this reader forgot
    assert replay.error.startswith("TypeError")
    assert "y.grad = np.array(1.0)" in replay.error
    assert replay.n_steps == 1  # the call that raised is the last frame
    assert "raised TypeError" in replay.caption(replay.n_steps)
    assert "backward" not in vars(y.creator)  # the wrapper is gone after the error


def test_step11_lists_are_drawn():
    x0, x1 = step11.Variable(np.array(2)), step11.Variable(np.array(3))
    y = step11.add(x0, x1)
    dot = viz.to_dot(y, names={"x0": x0, "x1": x1})
    assert 'label="x0\\n2"' in dot and 'label="x1\\n3"' in dot and 'label="5"' in dot


def test_step13_overwrite_shows_their_wrong_grad():
    x = step13.Variable(np.array(3.0))
    y = step13.add(x, x)
    replay = viz.record(y, names={"x": x})
    assert float(x.grad) == 1.0  # the note's step-13 code: x.grad = gx overwrites
    mx = replay.read.mirror_of_variable(x)
    assert float(replay.grad_at(1, mx)) == 1.0  # drawn as their code left it, not 2
    assert len(replay.contributions(1, mx)) == 2
    assert "grad 1" in replay.to_dot(1)


def test_step14_prints_2_then_3():
    x = step14.Variable(np.array(3.0))
    y = step14.add(x, x)
    first = viz.record(y)
    assert float(x.grad) == 2.0
    x.cleargrad()
    y = step14.add(step14.add(x, x), x)
    second = viz.record(y)
    assert float(x.grad) == 3.0
    assert first.n_steps == 1 and second.n_steps == 2


def test_step14_diamond_without_generations_runs_square_early():
    x = step14.Variable(np.array(2.0))
    a = step14.square(x)
    y = step14.add(step14.square(a), step14.square(a))
    replay = viz.record(y, names={"x": x, "a": a})
    # without generations, a's Square runs once per path: twice, before and after
    labels = [type(s.calls[0].function).label for s in replay.steps]
    assert labels == ["Add", "Square", "Square", "Square", "Square"]
    assert float(x.grad) == 96.0  # their number (the book's 64 needs generations)
    ma, mx = replay.read.mirror_of_variable(a), replay.read.mirror_of_variable(x)
    assert float(replay.grad_at(replay.n_steps, mx)) == 96.0
    square_a = ma.creator
    runs = [k for k in range(1, replay.n_steps + 1)
            if replay.function_state(k, square_a) is states.RUNNING]
    assert runs == [3, 5]  # the same function ran twice: the early call is visible
    # at its first, early run a.grad is 8: the other Square's 8 has not arrived yet
    assert [float(replay.grad_at(t, ma)) for t in (2, 3, 4, 5)] == [8.0, 8.0, 16.0, 16.0]


def test_step16_diamond_32_and_64():
    x = step16.Variable(np.array(2.0))
    a = step16.square(x)
    y = step16.add(step16.square(a), step16.square(a))
    replay = viz.record(y, names={"x": x})
    assert float(y.data) == 32.0 and float(x.grad) == 64.0
    assert [type(s.calls[0].function).label for s in replay.steps] == \
        ["Add", "Square", "Square", "Square"]
    assert [s.generation for s in replay.steps] == [2, 1, 1, 0]
    mx = replay.read.mirror_of_variable(x)
    assert float(replay.grad_at(replay.n_steps, mx)) == 64.0


def test_step17_weakrefs_and_freed_grads():
    x = step17.Variable(np.array(2.0), name="x")
    a = step17.square(x)
    y = step17.add(step17.square(a), step17.square(a))
    replay = viz.record(y)
    assert float(x.grad) == 64.0 and a.grad is None and y.grad is None  # retain_grad=False
    ma = replay.read.mirror_of_variable(a)
    k = replay.n_steps
    seen = [(replay.variable_state(t, ma).key, replay.is_freed(t, ma)) for t in range(k + 1)]
    assert seen == [("no_grad_yet", False), ("no_grad_yet", False), ("partial", False),
                    ("final", False), ("final", True)]  # their loop set a.grad to None
    assert [replay.grad_at(t, ma) for t in (2, 3)] == [8.0, 16.0]
    assert 'label="x\\n2' in viz.to_dot(y)


def test_step24_goldstein_price():
    x = step24.Variable(np.array(1.0), name="x")
    y = step24.Variable(np.array(1.0), name="y")
    z = step24.goldstein(x, y)
    replay = viz.record(z)
    assert (float(x.grad), float(y.grad)) == (-5376.0, 8064.0)
    mx, my = (replay.read.mirror_of_variable(v) for v in (x, y))
    k = replay.n_steps
    assert (float(replay.grad_at(k, mx)), float(replay.grad_at(k, my))) == (-5376.0, 8064.0)
    # a sum of many contributions, written out with the numbers for the last one
    lines = [ln for t in range(1, k + 1) for ln in replay.explain(t)]
    assert any(ln.startswith("x.grad = ") and ln.endswith("= -5376") for ln in lines)
    scene = Scene(replay, engine="layered")
    assert scene.n_frames == k + 1
    assert scene.caption(k) == f"Call {k} of {k}: your backward runs Mul"  # their order


def test_a_buggy_backward_shows_its_number_and_the_rule():
    class BadExp(step17.Function):
        def forward(self, x):
            return np.exp(x)

        def backward(self, gy):
            return np.exp(self.inputs[0].data)  # forgot "* gy"

    x = step17.Variable(np.array(0.5), name="x")
    y = step17.square(BadExp()(x))
    replay = viz.record(y)
    line = replay.explain(2)[0]
    assert line.startswith("BadExp:")  # their class, their number: 1.649, not 4.229
    assert float(x.grad) == pytest.approx(np.exp(0.5))


def test_a_known_op_whose_grad_disagrees_says_so():
    class Exp(step17.Function):  # the book's name, a wrong backward
        def forward(self, x):
            return np.exp(x)

        def backward(self, gy):
            return np.exp(self.inputs[0].data)

    x = step17.Variable(np.array(0.5), name="x")
    y = step17.square(Exp()(x))
    replay = viz.record(y)
    line = replay.explain(2)[0]
    # theirs (1.649, without gy), and what the rule gives (1.649 * 3.297)
    assert line.endswith("= 1.649 (≠ 5.437, what the rule gives: check this backward)")
