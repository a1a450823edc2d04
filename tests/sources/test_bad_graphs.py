"""Bad input from users' own graphs: a clear message and the frames that could be recorded;
never a hang, never a traceback from inside viz, never a changed user object."""

from __future__ import annotations

import time
import warnings

import numpy as np
import pytest
from notes import step09, step17

import viz
from viz.player.scene import Scene
from viz.sources import MAX_SOURCE_NODES, SourceError


def test_an_object_of_no_known_kind_names_the_kinds():
    for obj in (object(), "x", None, 3.0, [1, 2]):
        with pytest.raises(TypeError, match="it reads autograd_core, DeZero-shaped classes "
                                            r"\(yours, or the dezero package\), micrograd"):
            viz.to_dot(obj)
    with pytest.raises(TypeError, match="from step 7 on, with set_creator"):
        class Step1Variable:  # the note's step 1: data only
            def __init__(self, data):
                self.data = data

        viz.show(Step1Variable(np.array(1.0)), steps=True)


def test_a_cycle_is_refused_at_once():
    x = step09.Variable(np.array(0.5))
    y = step09.square(x)
    x.creator = y.creator  # x is now its own creator's input: a cycle
    started = time.perf_counter()
    for call in (viz.to_dot, viz.record, viz.replay):
        with pytest.raises(SourceError, match="cycle: Square depends on its own output"):
            call(y)
    assert time.perf_counter() - started < 1
    assert "backward" not in vars(y.creator)


def test_a_self_referencing_micrograd_value_is_refused():
    from source_helpers import need

    Value = need("micrograd.engine").Value
    a = Value(1.0)
    b = a * 2
    a._prev = {b}  # a is b's child and b is a's
    with pytest.raises(SourceError, match="cycle"):
        viz.to_dot(b)


class _Node:
    __slots__ = ("data", "grad", "creator", "input", "output")


def test_a_million_nodes_is_refused_quickly():
    first = _Node()
    first.data, first.grad, first.creator = np.array(0.0), None, None
    v = first
    for _ in range(500_000):  # 500,000 functions and 500,001 variables
        f = _Node()
        f.input = v
        y = _Node()
        y.data, y.grad, y.creator = v.data, None, f
        f.output = y
        v = y
    started = time.perf_counter()
    with pytest.raises(SourceError, match=f"more than {MAX_SOURCE_NODES:,} nodes"):
        viz.to_dot(v)
    assert time.perf_counter() - started < 5


def test_a_backward_that_raises_half_way_gives_the_frames_before_it():
    class Fragile(step17.Function):
        def forward(self, x):
            return x * 2

        def backward(self, gy):
            raise ValueError("this op cannot go backward")

    x = step17.Variable(np.array(0.5), name="x")
    y = step17.square(step17.exp(Fragile()(x)))
    replay = viz.record(y)
    assert replay.error == "ValueError: this op cannot go backward"
    assert [type(s.calls[0].function).label for s in replay.steps] == \
        ["Square", "Exp", "Fragile"]
    assert replay.caption(3).endswith(
        "Then the backward raised ValueError: this op cannot go backward: the frames stop here.")
    scene = Scene(replay, engine="layered")  # the player shows it all the same
    assert scene.n_frames == 4 and "raised ValueError" in scene.caption(3)
    for f in replay.read.function_handles:
        assert "backward" not in vars(f)  # every wrapper removed after the error
    # the replay of the same (half-backpropagated) graph also stops there, changing nothing
    grads = [(v, v.grad) for v in replay.read.variable_handles.values()]
    again = viz.replay(y)
    assert again.error == "ValueError: this op cannot go backward"
    assert all(v.grad is g for v, g in grads)


def test_a_grad_of_the_wrong_shape_is_named():
    class Wide(step17.Function):
        def forward(self, x):
            return x * 3

        def backward(self, gy):
            return np.ones(3) * gy  # x is a scalar: this is (3,)

    x = step17.Variable(np.array(0.5), name="x")
    y = step17.square(Wide()(x))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        replay = viz.record(y)
        scene = Scene(replay, engine="layered")
        scene.payload()
    assert replay.notice == ("Wide.backward returned a grad of shape (3,) for an input of "
                             "shape ()")
    assert replay.error is None  # their loop accepted it: drawn as their code left it
    assert x.grad.shape == (3,)


def test_nan_and_infinity_are_drawn_as_trouble_without_warnings():
    x = step17.Variable(np.array(0.0), name="x")
    with np.errstate(over="ignore"):  # their own numpy warns on exp(1000)
        y = step17.exp(step17.Variable(np.array(1000.0)))  # overflows to inf
        z = step17.add(y, x)
        replay = viz.record(z)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        scene = Scene(replay, engine="layered")
        nodes, _ = scene.frame_state(scene.n_frames - 1)
    assert any("trouble" in cls for cls, _ in nodes.values())
    assert "inf" in viz.to_dot(z)


def test_the_collector_is_paused_while_viz_builds_and_put_back_after(tmp_path):
    """viz.show / export_steps / compare pause Python's cycle collector while they build
    (the engine's one pause); whatever the user's code does, it is on again afterwards."""
    import gc

    from autograd_core import collector

    seen = []

    class Watching(step17.Function):
        def forward(self, x):
            return x * 2

        def backward(self, gy):
            seen.append(gc.isenabled())
            return gy * 2

    class Fragile(Watching):
        def backward(self, gy):
            raise ValueError("this op cannot go backward")

    for cls in (Watching, Fragile):
        for build in (lambda y: viz.show(y, steps=True, widget=False),
                      lambda y: viz.export_steps(y, html=tmp_path / "p.html"),
                      lambda y: viz.compare(y, step17.square(
                          Watching()(step17.Variable(np.array(0.5), name="x"))))):
            y = step17.square(cls()(step17.Variable(np.array(0.5), name="x")))
            assert gc.isenabled()
            build(y)
            assert gc.isenabled() and collector.pauses() == 0
    assert seen and not any(seen)  # the user's backward ran inside the pause
    gc.disable()
    try:  # a collector the user turned off stays off
        viz.show(step17.square(step17.Variable(np.array(0.5))), steps=True, widget=False)
        assert not gc.isenabled()
    finally:
        gc.enable()
