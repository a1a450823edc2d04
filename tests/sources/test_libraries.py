"""Graphs of other libraries: the dezero package, micrograd and PyTorch, drawn and stepped."""

from __future__ import annotations

import sys

import numpy as np
import pytest
from source_helpers import dezero_core_simple, dezero_package, need

import viz
from viz.player.scene import Scene


def micrograd_readme():
    """micrograd 0.1.0's README example, verbatim."""
    Value = need("micrograd.engine").Value
    a = Value(-4.0)
    b = Value(2.0)
    c = a + b
    d = a * b + b**3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + (b + a).relu()
    d += 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g += 10.0 / f
    return a, b, g


def test_micrograd_readme_recorded():
    a, b, g = micrograd_readme()
    assert f"{g.data:.4f}" == "24.7041"
    assert "\\ngrad" not in viz.to_dot(g)  # before backward: no grads (not "grad 0")
    replay = viz.record(g, names={"a": a, "b": b, "g": g})
    assert (f"{a.grad:.4f}", f"{b.grad:.4f}") == ("138.8338", "645.5773")  # their numbers
    assert replay.kind == "micrograd" and replay.error is None
    ma, mb = replay.read.mirror_of_variable(a), replay.read.mirror_of_variable(b)
    k = replay.n_steps
    assert float(replay.grad_at(k, ma)) == a.grad and float(replay.grad_at(k, mb)) == b.grad
    assert ma.source is a
    # every closure is micrograd's own again
    assert all(type(v._backward).__name__ == "function" for v in replay.read.function_handles)
    lines = [ln for t in range(1, k + 1) for ln in replay.explain(t)]
    assert any(ln.startswith("**2: gx = 2 * [+ #") and ln.endswith(
        "'s output]**(2 - 1) * gy = 2 * (-7)**(2 - 1) * 0.4958 = -6.942") for ln in lines)
    # (micrograd's own order of calls follows its sets: each sum is complete at the step of
    # its last term, whichever that is)
    assert sum(ln.startswith("a.grad = ") and ln.endswith("= 138.8") for ln in lines) == 1
    assert sum(ln.startswith("b.grad = ") and ln.endswith("= 645.6") for ln in lines) == 1


def test_micrograd_drawing_is_deterministic_and_named():
    first = viz.to_dot(micrograd_readme()[2])
    for _ in range(3):
        assert viz.to_dot(micrograd_readme()[2]) == first  # _prev is a set: still one order
    a, b, g = micrograd_readme()
    dot = viz.to_dot(g, names={"a": a, "b": b})
    assert 'label="a\\n-4"' in dot and 'label="b\\n2"' in dot and 'label="**2"' in dot


def test_micrograd_replay_leaves_every_grad_as_it_was():
    a, b, g = micrograd_readme()
    g.backward()
    grads = (a.grad, b.grad, g.grad)
    view = viz.show(g, steps=True)  # backpropagated already: a replay
    assert (a.grad, b.grad, g.grad) == grads
    assert view.replay.mode == "replayed" and view.caption.startswith("A replay (0/28)")
    again = viz.replay(g)
    assert again.mode == "replayed"
    # (a correct order, not always micrograd's own set order: equal to the last bits)
    mirror = again.read.mirror_of_variable(a)
    assert float(again.grad_at(again.n_steps, mirror)) == pytest.approx(a.grad, rel=1e-12)


def test_micrograd_recursion_limit_is_explained():
    Value = need("micrograd.engine").Value
    x = Value(0.5)
    y = x
    for _ in range(3000):
        y = y * 1.0001
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(1000)
    try:
        replay = viz.record(y)
    finally:
        sys.setrecursionlimit(limit)
    assert replay.error.startswith("RecursionError") and "setrecursionlimit" in replay.error
    assert replay.n_steps == 0 and "raised RecursionError" in replay.caption(0)
    assert all(type(v._backward).__name__ == "function" for v in replay.read.function_handles)


def test_dezero_package_core():
    dezero = dezero_package()
    import dezero.functions as F  # the package's own functions

    x = dezero.Variable(np.array(0.5), name="x")
    y = F.exp(x ** 2) ** 2
    replay = viz.record(y)
    assert float(x.grad.data) == pytest.approx(3.297442541400256, rel=1e-15)
    assert [type(s.calls[0].function).label for s in replay.steps] == ["Pow", "Exp", "Pow"]
    assert replay.read.title == "DeZero"
    assert "x\\n0.5" in viz.to_dot(y)


def test_dezero_core_simple_goldstein_price():
    m = dezero_core_simple()
    x, y = m.Variable(np.array(1.0)), m.Variable(np.array(1.0))
    z = (1 + (x + y + 1)**2 * (19 - 14*x + 3*x**2 - 14*y + 6*x*y + 3*y**2)) * \
        (30 + (2*x - 3*y)**2 * (18 - 32*x + 12*x**2 + 48*y - 36*x*y + 27*y**2))
    replay = viz.record(z, names={"x": x, "y": y})
    assert (float(x.grad), float(y.grad)) == (-5376.0, 8064.0)
    assert replay.n_steps == 38
    # the same graph drawn again after its backward: a replay, nothing changed
    again = viz.replay(z)
    assert (float(x.grad), float(y.grad)) == (-5376.0, 8064.0)
    mx = again.read.mirror_of_variable(x)
    assert float(again.grad_at(again.n_steps, mx)) == -5376.0


def test_torch_tanh_sigmoid_as_the_last_note():
    torch = need("torch")
    x = torch.tensor(1.0, requires_grad=True)
    b = torch.sigmoid(torch.tanh(x))
    replay = viz.record(b, names={"x": x})
    assert round(float(x.grad), 7) == 0.0911282
    assert [type(s.calls[0].function).label for s in replay.steps] == \
        ["SigmoidBackward0", "TanhBackward0", "AccumulateGrad"]
    mx = replay.read.mirror_of_variable(replay.read.adapter.output_handle())
    assert float(replay.grad_at(0, mx)) == 1.0
    leaf = [v for v in replay.graph.variables if v.name == "x"][0]
    assert leaf.source is x
    assert float(replay.grad_at(2, leaf)) == pytest.approx(0.09112821805819912, rel=1e-6)
    assert replay.explain(1) == [
        "SigmoidBackward0: gx = [SigmoidBackward0's output] * (1 - [SigmoidBackward0's "
        "output]) * gy = 0.6817 * (1 - 0.6817) * 1 = 0.217"]
    # after backward PyTorch has freed the graph: drawn, and told how to step it
    freed = viz.replay(b)
    assert freed.n_steps == 0 and "viz.record(y)" in freed.notice
    assert round(float(x.grad), 7) == 0.0911282  # untouched


def test_torch_retained_graph_replays_and_restores_grads():
    torch = need("torch")
    x = torch.tensor(1.0, requires_grad=True)
    b = torch.sigmoid(torch.tanh(x))
    b.backward(retain_graph=True)
    grad = x.grad
    replay = viz.replay(b, names={"x": x})
    assert replay.n_steps == 3 and replay.mode == "replayed"
    assert x.grad is grad and float(grad) == pytest.approx(0.0911282, abs=1e-7)


def test_torch_sequential_modules_are_groups():
    torch = need("torch")
    nn = torch.nn
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1))
    with viz.watch(model):
        loss = (model(torch.randn(4, 2)) ** 2).mean()
    replay = viz.record(loss, names=dict(model.named_parameters()))
    labels = [type(s.calls[0].function).label for s in replay.steps]
    assert labels[0] == "MeanBackward0" and labels.count("AccumulateGrad") == 4
    scene = Scene(replay, engine="layered")
    assert sorted(g.path for g in scene.groups) == [("0: Linear",), ("1: Tanh",),
                                                     ("2: Linear",)]
    names = {v.name for v in replay.graph.variables if v.name}
    assert names == {"0.weight", "0.bias", "2.weight", "2.bias"}
    weight = [v for v in replay.graph.variables if v.name == "0.weight"][0]
    k = replay.n_steps
    np.testing.assert_allclose(replay.grad_at(k, weight), model[0].weight.grad.numpy(),
                               rtol=1e-6)
    assert not model[0]._forward_hooks  # watch's hooks are gone after the block


def test_torch_non_scalar_output_says_what_to_do():
    torch = need("torch")
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    replay = viz.record(x * 2, names={"x": x})
    assert replay.error.startswith("RuntimeError") and "y.sum()" in replay.error
    assert x.grad is None
