"""Fuzzing the expression language: nothing but ExpressionError escapes, nothing hangs,
and random valid expressions differentiate correctly."""

from __future__ import annotations

import contextlib
import random
import time

import numpy as np
import pytest

from exprlang import ExpressionError, evaluate, parse_program
from exprlang.engine import build_graph, default_functions
from exprlang.parser import FunctionSpec

NUMPY_FUNCTIONS = {
    name: FunctionSpec(name, fn, 1) for name, fn in
    [("square", np.square), ("exp", np.exp), ("sin", np.sin), ("cos", np.cos),
     ("tanh", np.tanh), ("log", np.log), ("sigmoid", lambda a: 1 / (1 + np.exp(-a)))]
}
ALPHABET = ("xyz0123456789.+-*/()[]=, \n" + "abcdefghijklmnopqrstuvwxyz_'\"{}:;@#$%^&|~`<>!?\\"
            + "é한√²")
SEED = 20261124


def _expression(rng: random.Random, depth: int = 0) -> str:
    choice = rng.random()
    if depth > 4 or choice < 0.3:
        return rng.choice(["x", "y", "z", str(rng.randint(1, 5)), f"{rng.uniform(0.1, 2):.2f}"])
    if choice < 0.55:
        op = rng.choice(["+", "-", "*", "/"])
        return f"({_expression(rng, depth + 1)} {op} {_expression(rng, depth + 1)})"
    if choice < 0.65:
        return f"{_expression(rng, depth + 1)} ** {rng.randint(0, 3)}"
    if choice < 0.7:
        return f"-{_expression(rng, depth + 1)}"
    fn = rng.choice(["square", "exp", "sin", "cos", "tanh", "sigmoid", "log"])
    return f"{fn}({_expression(rng, depth + 1)})"


def _run(text: str) -> None:
    program = parse_program(text, NUMPY_FUNCTIONS)
    evaluate(program, {"x": 0.5, "y": 1.5, "z": -0.3, **{n: 1.0 for n in program.input_names}})


def test_ten_thousand_random_texts_raise_only_expression_errors():
    rng = random.Random(SEED)
    seeds = ["square(exp(square(x)))", "a = x * y\nb = a + z", "sin(x) / cos(y) ** 2"]
    slowest = 0.0
    for i in range(10_000):
        if i % 2:
            text = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 40)))
        else:  # mutate a valid program
            chars = list(rng.choice(seeds))
            for _ in range(rng.randint(1, 4)):
                pos = rng.randrange(len(chars) + 1)
                if rng.random() < 0.5 and chars:
                    del chars[min(pos, len(chars) - 1)]
                else:
                    chars.insert(pos, rng.choice(ALPHABET))
            text = "".join(chars)
        start = time.perf_counter()
        with contextlib.suppress(ExpressionError):
            _run(text)
        slowest = max(slowest, time.perf_counter() - start)
    assert slowest < 1.0


def test_five_hundred_grammar_generated_expressions_evaluate():
    rng = random.Random(SEED + 1)
    for _ in range(500):
        text = _expression(rng)
        start = time.perf_counter()
        try:
            _run(text)
        except ExpressionError as exc:  # only limits or evaluation trouble are acceptable
            assert exc.code in {"too_many_nodes", "too_deep", "evaluation_failed"}, (text, exc)
        assert time.perf_counter() - start < 1.0


@pytest.mark.parametrize("case", range(200))
def test_random_valid_expressions_grads_match_finite_differences(case):
    rng = random.Random(SEED * 7 + case)
    text = _expression(rng)
    point = {"x": 0.7, "y": 1.3, "z": -0.4}
    try:
        result = build_graph(text, point)
    except ExpressionError:
        pytest.skip("generated expression exceeds a limit")
    y = result.output
    if y.creator is None or not np.isfinite(y.data).all() or result.warnings:
        pytest.skip("constant or non-finite at this point")
    y.backward()
    functions = default_functions()
    assert set(functions) >= {"square", "exp", "sin", "cos", "tanh", "sigmoid", "log"}
    for name, var in result.inputs.items():
        eps = 1e-6
        hi = build_graph(text, {**point, name: point[name] + eps}).output.data
        lo = build_graph(text, {**point, name: point[name] - eps}).output.data
        numeric = (hi - lo) / (2 * eps)
        if not np.isfinite(numeric) or abs(numeric) > 1e6:
            continue
        assert var.grad is not None
        np.testing.assert_allclose(var.grad.data, numeric, rtol=1e-4, atol=1e-5, err_msg=text)
