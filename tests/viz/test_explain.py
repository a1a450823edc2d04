"""The chain rule with the numbers: every op declares its rule, and the numbers an
explanation prints are the grads the engine computed (parsed back, to the printed
precision). Golden texts of the book's examples, in both languages, are in the scene
goldens (tests/viz/golden/scene_*.txt, the "rule:" lines)."""

from __future__ import annotations

import html
import json
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import viz
from autograd_core import OPS, Variable, exp, log, square, tanh
from autograd_core import sum as sum_
from autograd_core.ops.tensor import GetItemGrad
from viz.model.explain import explain_call, value_text

BUILT_IN = sorted({info.cls for info in OPS.values()} | {GetItemGrad}, key=lambda c: c.__name__)


def test_every_built_in_op_declares_its_rule():
    lacking = [cls.__name__ for cls in BUILT_IN
               if not (cls.local_grads or cls.grad_formulas)]
    assert lacking == []
    for info in OPS.values():
        rules = info.cls.local_grads or info.cls.grad_formulas
        assert len(rules) == info.n_inputs, info.name


_FUNCTIONS = {"exp": np.exp, "log": np.log, "sin": np.sin, "cos": np.cos}


def _evaluate(text: str) -> float:
    """The value of a printed formula of numbers (+ - * / **, comparisons, a conditional,
    exp/log/sin/cos), read with Python's precedence. Our own generated text, walked as a
    syntax tree: nothing is executed."""
    import ast
    import operator

    binary = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
              ast.Div: operator.truediv, ast.Pow: operator.pow}
    compare = {ast.Gt: operator.gt, ast.Lt: operator.lt, ast.LtE: operator.le,
               ast.GtE: operator.ge}

    def walk(node):
        if isinstance(node, ast.Expression):
            return walk(node.body)
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -walk(node.operand)
        if isinstance(node, ast.BinOp):
            return binary[type(node.op)](walk(node.left), walk(node.right))
        if isinstance(node, ast.Compare):
            left, result = walk(node.left), True
            for op, right in zip(node.ops, node.comparators, strict=True):
                right = walk(right)
                result = result and compare[type(op)](left, right)
                left = right
            return result
        if isinstance(node, ast.IfExp):
            return walk(node.body) if walk(node.test) else walk(node.orelse)
        if isinstance(node, ast.Call) and node.func.id in _FUNCTIONS:
            return _FUNCTIONS[node.func.id](*[walk(a) for a in node.args])
        raise ValueError(f"not a formula of numbers: {ast.dump(node)}")

    with np.errstate(all="ignore"):
        return float(walk(ast.parse(text.replace("infinity", "1e999"), mode="eval")))


_LITERAL = re.compile(r"(?<![\w.])\d+(?:\.\d+)?(?:e[-+]?\d+)?")


def _read_back(text: str, exact: float, line: str) -> None:
    """``text`` evaluates to ``exact`` up to what rounding its numbers to 4 significant
    digits can move it (each number nudged by 5e-4 of itself, one at a time)."""
    value = _evaluate(text)
    bound = 0.0
    for m in _LITERAL.finditer(text):
        if "." not in m.group() and "e" not in m.group():
            continue  # a whole number: the rule's own (2 * x, x**(3 - 1)) or exact
        for factor in (1 - 5e-4, 1 + 5e-4):
            nudged = text[:m.start()] + repr(float(m.group()) * factor) + text[m.end():]
            bound += abs(_evaluate(nudged) - value) / 2
    assert abs(value - exact) <= 2 * bound + 1e-9 + 1e-6 * abs(exact), (line, value, exact)


def _parse(text: str) -> np.ndarray | tuple[float, float, float]:
    """The value at the end of a line: a number, a nested list, or (min, max, mean)."""
    summary = re.search(r"min (\S+) max (\S+) mean (\S+)$", text)
    if summary:
        return tuple(float(v) for v in summary.groups())
    return np.array(json.loads(text.replace("infinity", "Infinity")), dtype=float)


def _close(printed, exact: np.ndarray) -> None:
    if isinstance(printed, tuple):  # a summary of a big array
        expected = (exact.min(), exact.max(), exact.mean())
        np.testing.assert_allclose(printed, expected, rtol=5e-4, atol=1e-12)
    else:
        np.testing.assert_allclose(printed, exact.reshape(printed.shape), rtol=5e-4,
                                   atol=1e-12)


CASES = [(name, ex) for name, info in OPS.items() for ex in info.examples]


@pytest.mark.parametrize("name, example", CASES,
                         ids=[f"{n}-{i}" for i, (n, _) in enumerate(CASES)])
@settings(max_examples=8, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_the_numbers_in_an_explanation_are_the_engines_grads(name, example, seed):
    info = OPS[name]
    rng = np.random.default_rng(seed)
    low, high = example.low + 0.05, example.high - 0.05
    xs = [Variable(rng.uniform(low, high, size=shape)) for shape in example.shapes]
    y = info.function(*xs, **example.params)
    out = sum_(y * Variable(rng.uniform(0.5, 1.5, size=y.shape)))  # a non-trivial gy
    replay = viz.BackwardReplay(out)
    call = next(c for step in replay.steps for c in step.calls
                if type(c.function) is info.cls)
    lines = explain_call(call.function, call.output_grads, call.input_grads)
    sent = [g for g in call.input_grads if g is not None]
    assert len(lines) == len(sent)
    for line, g in zip(lines, sent, strict=True):
        assert line.startswith(info.cls.label)
        printed = _parse(re.split(r" = | → ", line)[-1])
        _close(printed, np.asarray(g.data))
        if info.cls.local_grads and "sum_to" not in line and np.ndim(g.data) == 0:
            # "rule * gy = numbers * gy's value = result": the numbers, read back with
            # Python's precedence, give the result (a bracket missing would not)
            numbers = re.search(r"\* gy = (.+) = [^=]+$", line)
            if numbers and " * " in line.split(" = ")[1]:
                _read_back(numbers.group(1), float(np.asarray(g.data)), line)


def test_the_books_examples_read_as_the_issue_asks():
    x = Variable(np.array(0.5), name="x")
    r = viz.BackwardReplay(square(exp(square(x))))
    assert r.explain(2) == ["Exp: gx = exp([Square #1's output]) * gy = exp(0.25) * 2.568 = "
                            "3.297"]
    x = Variable(np.array(2.0), name="x")
    a = square(x)
    a.name = "a"
    r = viz.BackwardReplay(square(a) + square(a))  # the diamond: the input is a, not x
    assert r.explain(2)[:2] == ["Square: gx = 2 * a * gy = 2 * 4 * 1 = 8"] * 2
    t = viz.BackwardReplay(tanh(Variable(np.array(0.5), name="x")))
    assert t.explain(1) == ["Tanh: gx = (1 - [Tanh's output]**2) * gy = (1 - 0.4621**2) * "
                            "1 = 0.7864"]
    x, y = Variable(np.array(2.0), name="x"), Variable(np.array(3.0), name="y")
    r = viz.BackwardReplay(x * y)
    assert r.explain(1) == ["Mul: gx0 = y * gy = 3 * 1 = 3", "Mul: gx1 = x * gy = 2 * 1 = 2"]
    assert viz.BackwardReplay(x ** 3).explain(1) == ["Pow(3): gx = 3 * x**(3 - 1) * gy = "
                                                     "3 * 2**(3 - 1) * 1 = 12"]
    w = Variable(np.ones((3, 4)), name="W")
    z = sum_(Variable(np.ones((2, 3))) @ w)
    lines = viz.BackwardReplay(z).explain(2)
    # a tensor op's rule names its inputs as the others do; too big to write out: shapes
    assert lines[1].startswith("MatMul: gx1 = [an input].T @ gy = (3, 2) @ (2, 4) → (3, 4) "
                               "min 2")
    # small enough: each operand written out, as a scalar rule's numbers are (#27.25)
    x = Variable(np.array([[1.0, 2.0], [3.0, 4.0]]), name="x")
    w = Variable(np.array([[0.5, -1.0], [2.0, 1.0]]), name="W")
    lines = viz.BackwardReplay(sum_(x @ w)).explain(2)
    assert lines == ["MatMul: gx0 = gy @ W.T = [[1, 1], [1, 1]] @ [[0.5, 2], [-1, 1]] = "
                     "[[-0.5, 3], [-0.5, 3]]",
                     "MatMul: gx1 = x.T @ gy = [[1, 3], [2, 4]] @ [[1, 1], [1, 1]] = "
                     "[[4, 4], [6, 6]]"]
    np.testing.assert_allclose(np.ones((2, 2)) @ w.data.T, [[-0.5, 3], [-0.5, 3]])


def test_sums_tell_the_consumers_apart_and_say_minus():
    a = Variable(np.array(2.0), name="a")
    y = square(a) + square(a)
    r = viz.BackwardReplay(y)
    assert r.explain(2)[-1] == "a.grad = 4 (from Square #1) + 4 (from Square #2) = 8"
    x = Variable(np.array(3.0), name="x")
    r = viz.BackwardReplay(x * 2.0 - x * 5.0)
    assert r.explain(r.n_steps)[-1] == "x.grad = 2 (from Mul #1) - 5 (from Mul #2) = -3"
    x = Variable(np.array(1.0), name="x")
    r = viz.BackwardReplay(exp(x) * x)  # x waits for Exp after Mul has sent its part
    assert r.explain(1)[-1] == "x.grad = 2.718 (from Mul) = 2.718 (so far: 1 of 2)"
    assert r.explain(2)[-1] == "x.grad = 2.718 (from Exp) + 2.718 (from Mul) = 5.437"


def test_huge_tensors_are_summarised_and_nan_is_said_in_words():
    big = np.arange(1_000_000, dtype=float).reshape(1000, 1000)
    assert value_text(big) == "(1000, 1000) min 0 max 1e+06 mean 5e+05"
    assert value_text(np.array([1.0, np.nan] * 4)) == (
        "(8,) min 1 max 1 mean 1 (4 NaN or infinite)")
    assert value_text(np.array(np.inf), "ko") == "무한대"
    x = Variable(np.array(0.0), name="x")
    with np.errstate(all="ignore"):
        r = viz.BackwardReplay(log(x))
    assert r.explain(1) == ["Log: gx = 1 / x * gy = 1 / 0 * 1 = infinity"]
    x = Variable(np.ones((300, 300)), name="x")
    line = viz.BackwardReplay(sum_(exp(x))).explain(2)[0]
    assert len(line) < 200 and "(300, 300) min 2.718" in line


def test_a_users_op_gets_a_generic_line():
    from autograd_core import Function

    class Twice(Function):
        def forward(self, x):
            return 2 * x

        def backward(self, gy):
            return 2 * gy

    x = Variable(np.array(1.5), name="x")
    assert viz.BackwardReplay(Twice()(x)).explain(1) == [
        "Twice: gx = 2 (this op declares no formula; from gy = 1)"]


def test_explanations_reach_the_player_and_the_exported_frames():
    x = Variable(np.array(0.5), name="x")
    scene = viz.Scene(viz.BackwardReplay(square(exp(square(x)))), lang="ko", engine="layered")
    payload = json.loads(scene.to_json())
    line = "Exp: gx = exp([Square #1 출력]) * gy = exp(0.25) * 2.568 = 3.297"
    assert payload["frames"][2]["x"] == [line]
    assert payload["frames"][0]["x"] == []
    assert html.escape(line, quote=False) in scene.svg(2)
