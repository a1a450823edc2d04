"""The same computation in PyTorch: each registry op's torch counterpart, expressions built
with PyTorch, and viz.compare (Python, page, command line)."""

from __future__ import annotations

import re
import subprocess
import sys

import numpy as np
import pytest
from notes import step17
from source_helpers import need

import viz
from autograd_core import OPS, Variable

CASES = [pytest.param(info, example, id=f"{name}-{k}")
         for name, info in OPS.items() if info.torch is not None
         for k, example in enumerate(info.examples)]


def test_every_expression_op_has_a_torch_counterpart():
    missing = [name for name, info in OPS.items() if info.expression and info.torch is None]
    assert missing == []


@pytest.mark.parametrize(("info", "example"), CASES)
def test_torch_counterpart_gives_the_same_values_and_grads(info, example):
    torch = need("torch")
    rng = np.random.default_rng(7)
    arrays = [rng.uniform(example.low, example.high, size=s) for s in example.shapes]
    params = dict(example.params)
    xs = [Variable(a.copy()) for a in arrays]
    y = info.function(*xs, **params)
    w = rng.uniform(0.5, 1.5, size=y.shape)
    y.grad = w
    y.backward()
    ts = [torch.tensor(a, dtype=torch.float64, requires_grad=True) for a in arrays]
    ty = info.torch(torch, *ts, *params.values())
    np.testing.assert_allclose(ty.detach().numpy(), y.data, rtol=1e-12, atol=1e-12)
    ty.backward(torch.tensor(w))
    for x, t in zip(xs, ts, strict=True):
        want = np.zeros_like(x.data) if x.grad is None else x.grad.data
        got = np.zeros_like(x.data) if t.grad is None else t.grad.numpy()
        np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-12)


def test_an_expression_built_with_torch_matches_ours():
    need("torch")
    from exprlang.engine import build_graph, build_torch_graph

    text = "a = square(x)\ny = sum(sigmoid(x @ W + b)) + sum(a)"
    values = {"x": "[[1, 2]]", "W": "[[1], [2]]", "b": "0.5"}
    ours = build_graph(text, values).output
    theirs, names = build_torch_graph(text, values)
    assert set(names) == {"x", "W", "b", "a", "y"}
    comparison = viz.compare(ours, theirs, names_b=names)
    assert comparison.ok and [r.name for r in comparison.rows] == ["x", "W", "b"]
    x_row = comparison.rows[0]
    np.testing.assert_allclose(x_row.right, x_row.left)
    assert comparison.left.kind == "autograd_core" and comparison.right.kind == "torch"


def test_compare_the_notes_dezero_with_pytorch_as_the_last_note():
    torch = need("torch")

    class Tanh(step17.Function):  # the last note's tanh and sigmoid, DeZero-style
        def forward(self, x):
            return np.tanh(x)

        def backward(self, gy):
            y = self.outputs[0]().data
            return gy * (1 - y * y)

    class Sigmoid(step17.Function):
        def forward(self, x):
            return 1 / (1 + np.exp(-x))

        def backward(self, gy):
            y = self.outputs[0]().data
            return gy * y * (1 - y)

    x = step17.Variable(np.array(1.0), name="x")
    y = Sigmoid()(Tanh()(x))
    xt = torch.tensor(1.0, requires_grad=True)
    yt = torch.sigmoid(torch.tanh(xt))
    comparison = viz.compare(y, yt, names_b={"x": xt})
    assert comparison.labels == ("your classes", "PyTorch")
    assert repr(float(x.grad)) == "0.09112821805819912"  # "Dezero : 0.09112821805819912"
    assert f"{float(xt.grad):.4f}" == "0.0911"  # "PyTorch : tensor([0.0911])"
    assert comparison.ok
    page = comparison.page()
    assert page.count('type="application/json"') == 2
    assert "Both passes give the same grads." in page
    assert re.search(r"<td>x</td><td>0.09113</td><td>0.09113</td><td>✔</td>", page)


def test_a_difference_is_marked():
    torch = need("torch")

    class Exp(step17.Function):
        def forward(self, x):
            return np.exp(x)

        def backward(self, gy):
            return np.exp(self.inputs[0].data)  # forgot "* gy"

    x = step17.Variable(np.array(0.5), name="x")
    y = step17.square(Exp()(x))
    xt = torch.tensor(0.5, dtype=torch.float64, requires_grad=True)
    yt = torch.square(torch.exp(xt))
    comparison = viz.compare(y, yt, names_b={"x": xt}, labels=("mine", "PyTorch"))
    assert not comparison.ok
    row = comparison.rows[0]
    assert float(row.left) == pytest.approx(np.exp(0.5)) and float(row.right) == \
        pytest.approx(2 * np.exp(1.0))
    page = comparison.page()
    assert '<tr class="agv-diff"><td>x</td>' in page and "The grads differ" in page


def test_command_line_torch(tmp_path):
    need("torch")
    out = subprocess.run([sys.executable, "-m", "viz", "sigmoid(tanh(x))", "--var", "x=1",
                          "--torch"], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == [
        "autograd_core: 2 steps: Sigmoid → Tanh",
        "PyTorch: 3 steps: SigmoidBackward0 → TanhBackward0 → AccumulateGrad",
        "x.grad: autograd_core 0.09113, PyTorch 0.09113  ok"]
    page = tmp_path / "side.html"
    out = subprocess.run([sys.executable, "-m", "viz", "sigmoid(tanh(x))", "--var", "x=1",
                          "--torch", "--html", str(page)], capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0 and page.read_text().count("agvizPlayer(") >= 2
