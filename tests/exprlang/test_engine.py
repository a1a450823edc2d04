"""exprlang wired to autograd_core: functions from the op registry, named Variables, and
random expressions whose grads equal central finite differences."""

from __future__ import annotations

import inspect
import random

import numpy as np
import pytest
from exprlang_testkit import error

import autograd_core as ag
from autograd_core.registry import OPS
from exprlang import ExpressionError, FunctionSpec, parse_program
from exprlang.engine import build_graph, default_functions, engine_operators, parse


def test_functions_come_from_the_registry():
    functions = default_functions()
    offered = {name for name, info in OPS.items() if info.expression}
    assert set(functions) == offered
    assert {"square", "exp", "sin", "cos", "tanh", "log", "sigmoid", "sum", "reshape",
            "matmul", "pow"} <= set(functions)
    assert not {"get_item", "pow_var"} & set(functions)
    for name, spec in functions.items():
        info = OPS[name]
        assert isinstance(spec, FunctionSpec)
        assert (spec.func, spec.n_inputs, spec.params, spec.doc) == (
            info.function, info.n_inputs, info.params, info.doc)
        signature = inspect.signature(info.function).parameters
        assert spec.required == tuple(p for p in info.params
                                      if signature[p].default is inspect.Parameter.empty)
    assert functions["reshape"].required == ("shape",)
    assert functions["sum"].required == ()
    assert functions["sum"].usage() == "sum(x, axis=..., keepdims=...)"


def test_operators_are_the_engines():
    ops = engine_operators()
    assert (ops.add, ops.sub, ops.mul, ops.div, ops.pow, ops.neg) == (
        ag.add, ag.sub, ag.mul, ag.div, ag.pow, ag.neg)


def test_build_graph_names_inputs_and_intermediates():
    r = build_graph("a = square(x)\nb = exp(a)\ny = b * w + a", {"x": "0.5", "w": "[1, 2]"})
    assert list(r.inputs) == ["x", "w"]
    assert all(isinstance(v, ag.Variable) for v in r.inputs.values())
    assert [r.inputs["x"].name, r.inputs["w"].name] == ["x", "w"]
    assert [v.name for v in r.outputs.values()] == ["a", "b", "y"]
    assert r.output is r.outputs["y"]
    assert type(r.outputs["a"].creator).__name__ == "Square"
    r.output.backward()
    a = 0.25
    np.testing.assert_allclose(r.inputs["x"].grad.data, 2 * 0.5 * (np.exp(a) * 3 + 2))
    np.testing.assert_allclose(r.inputs["w"].grad.data, [np.exp(a)] * 2)


def test_build_graph_values_do_not_alias_the_callers_arrays():
    x = np.array([1.0, 2.0])
    r = build_graph("square(x)", {"x": x})
    r.inputs["x"].data[0] = 99.0
    assert x[0] == 1.0


def test_constant_exponents_become_pow_c_and_variable_ones_pow_var():
    r = build_graph("x ** 2 + x ** -(1/2) + 2 ** x + x ** x", {"x": "4"})
    creators = []
    stack = [r.output.creator]
    while stack:
        f = stack.pop()
        creators.append(type(f).__name__)
        stack.extend(v.creator for v in f.inputs if v.creator is not None)
    assert creators.count("Pow") == 2 and creators.count("PowVar") == 2
    r.output.backward()
    expected = 2 * 4 - 0.5 * 4 ** -1.5 + np.log(2) * 2 ** 4 + 4 ** 4 * (np.log(4) + 1)
    np.testing.assert_allclose(float(r.inputs["x"].grad.data), expected)


def test_a_constant_program_gives_a_leaf_variable():
    r = build_graph("y = 6", {})
    assert isinstance(r.output, ag.Variable) and float(r.output.data) == 6.0
    assert r.output.name == "y" and r.output.creator is None


def test_engine_errors_are_expression_errors_with_positions():
    err = error(lambda: build_graph("y = matmul(x, w)", {"x": "[[1, 2]]", "w": "[[1, 2]]"}))
    assert (err.code, err.position, err.params["op"]) == ("shape_mismatch", (1, 5), "matmul")
    err = error(lambda: build_graph("x + w", {"x": "[1, 2]", "w": "[1, 2, 3]"}))
    assert (err.code, err.position) == ("shape_mismatch", (1, 3))
    err = error(lambda: build_graph("sum(x, axis=3)", {"x": "[1, 2]"}))
    assert (err.code, err.position) == ("shape_mismatch", (1, 1))
    assert "Details: axis 3 is out of range" in str(err)
    err = error(lambda: build_graph("y = 1\nz = y + sigmoid(x, 2)", {"x": "1"}))
    assert (err.code, err.position) == ("wrong_arguments", (2, 9))
    assert error(lambda: build_graph("x + 1", {})).code == "missing_value"
    assert error(lambda: build_graph("x + 1", {"x": "[1,"})).code == "bad_value"


def test_parse_uses_the_engine_functions():
    assert parse("tanh(x)").input_names == ("x",)
    assert parse("relu(x) + softmax(x, axis=0)").input_names == ("x",)
    assert error(lambda: parse("gelu(x)")).code == "unknown_function"


def test_warnings_from_the_engine():
    r = build_graph("log(x) + 1 / (x - 1)", {"x": "[-1, 1, 2]"})
    assert [(w.op, w.kind) for w in r.warnings] == [("log", "nan"), ("/", "inf")]


# --- random valid expressions: grads equal central finite differences ------------------
class SafeGenerator:
    """Random expressions over the given variables that are smooth at every point in
    [-1.5, 1.5]: log and negative powers only see positive arguments, divisions never
    see zero, and exp only sees bounded arguments."""

    def __init__(self, rng: random.Random, names: list[str]):
        self.rng = rng
        self.names = names

    def positive(self, depth: int) -> str:
        inner = self.bounded(depth + 1)
        c = self.rng.choice(["0.5", "1", "2"])
        return self.rng.choice([f"(square({inner}) + {c})", f"exp({inner})",
                                f"sigmoid({inner})", f"(cos({inner}) + 2)"])

    def bounded(self, depth: int) -> str:
        """Values stay within a few units, so exp() of them cannot overflow."""
        return self.rng.choice([f"tanh({self.expr(depth)})", f"sin({self.expr(depth)})",
                                f"sigmoid({self.expr(depth)})"]) if depth < 4 else \
            self.rng.choice(self.names)

    def expr(self, depth: int) -> str:
        rng = self.rng
        roll = rng.random() if depth < 4 else 0.0
        if roll < 0.3:
            return rng.choice(self.names + self.names + ["2", "0.5", "3"])
        if roll < 0.55:
            a, b = self.expr(depth + 1), self.expr(depth + 1)
            return f"({a} {rng.choice('+-*')} {b})"
        if roll < 0.62:
            return f"({self.expr(depth + 1)} / {self.positive(depth)})"
        if roll < 0.7:
            return f"{self.wrap(depth)} ** {rng.choice(['2', '3', '0', '1'])}"
        if roll < 0.75:
            return f"{self.positive(depth)} ** {rng.choice(['-1', '0.5', '-2', '1.5'])}"
        if roll < 0.8:
            return f"{self.positive(depth)} ** {self.bounded(depth + 1)}"
        if roll < 0.85:
            return f"-{self.wrap(depth)}"
        if roll < 0.9:
            return f"log({self.positive(depth)})"
        if roll < 0.95:
            return f"exp({self.bounded(depth + 1)})"
        fn = rng.choice(["square", "sin", "cos", "tanh", "sigmoid"])
        return f"{fn}({self.expr(depth + 1)})"

    def wrap(self, depth: int) -> str:
        return f"({self.expr(depth + 1)})"


def _expression_cases(count: int) -> list[tuple[str, dict[str, float]]]:
    rng = random.Random(20261124)
    cases, seen = [], set()
    while len(cases) < count:
        names = rng.sample(["x", "y", "z"], rng.randint(1, 3))
        text = SafeGenerator(rng, names).expr(0)
        program = parse_program(text, default_functions())
        if not program.input_names or program.n_nodes < 4 or text in seen:
            continue
        seen.add(text)
        point = {n: round(rng.uniform(-1.5, 1.5), 3) for n in program.input_names}
        cases.append((text, point))
    return cases


CASES = _expression_cases(200)


def test_random_valid_expressions_give_grads_equal_to_finite_differences():
    compared = 0
    for text, point in CASES:
        result = build_graph(text, point)
        y = result.output
        assert np.isfinite(y.data).all(), text
        assert not result.warnings, (text, result.warnings)
        y.backward()
        for name, var in result.inputs.items():
            eps = 1e-6
            hi = build_graph(text, {**point, name: point[name] + eps}).output.data
            lo = build_graph(text, {**point, name: point[name] - eps}).output.data
            numeric = (hi - lo) / (2 * eps)
            if not np.isfinite(numeric).all():
                continue
            grad = np.zeros(()) if var.grad is None else var.grad.data
            np.testing.assert_allclose(grad, numeric, rtol=1e-4, atol=1e-6,
                                       err_msg=f"d/d{name} of {text} at {point}")
            compared += 1
    assert len(CASES) == 200
    assert compared >= sum(len(parse(t).input_names) for t, _ in CASES) - 5


def test_the_generated_expressions_are_varied():
    texts = [t for t, _ in CASES]
    assert len(set(texts)) == 200
    assert sum("log(" in t for t in texts) > 10 and sum("**" in t for t in texts) > 30
    assert {len(p) for _, p in CASES} == {1, 2, 3}


def test_build_graph_rejects_only_with_expression_errors():
    for text in ["9**9**9", "x.data", "sqr(x)", "", "(" * 100 + "x"]:
        with pytest.raises(ExpressionError):
            build_graph(text, {"x": "1"})


def test_assigned_constants_are_named_variables_too():
    r = build_graph("c = 2\ny = c * x ** 2", {"x": "3"})
    assert isinstance(r.outputs["c"], ag.Variable) and r.outputs["c"].name == "c"
    assert float(r.output.data) == 18.0
    r.output.backward()
    assert float(r.inputs["x"].grad.data) == 12.0
    r = build_graph("a = x\ny = a * 2", {"x": "3"})
    assert r.outputs["a"] is r.inputs["x"] and r.inputs["x"].name == "x"  # an alias


MLP = {"x": "[[1, 2, 3], [4, 5, 6], [7, 8, 9], [1, 0, 1]]", "W": "[[0.1], [0.2], [0.3]]",
       "b": "[0.5]"}


def test_at_is_the_matrix_product_as_in_python():
    """``x @ W`` is ``matmul(x, W)``: the same graph, values and grads; it binds like * and
    / (left to right, tighter than +), and the canonical text keeps the '@'."""
    by_symbol = build_graph("y = sum(sigmoid(x @ W + b))", MLP)
    by_name = build_graph("y = sum(sigmoid(matmul(x, W) + b))", MLP)
    for r in (by_symbol, by_name):
        r.output.backward()
    assert float(by_symbol.output.data) == float(by_name.output.data)
    for name in MLP:
        np.testing.assert_array_equal(by_symbol.inputs[name].grad.data,
                                      by_name.inputs[name].grad.data)
    assert by_symbol.output.creator.inputs[0].creator.inputs[0].creator.inputs[0] \
        .creator.__class__.__name__ == "MatMul"
    assert parse("y = x@W+b").canonical() == "y = x @ W + b"
    assert parse("a @ (b @ c)").canonical() == "a @ (b @ c)"
    assert parse("(a @ b) @ c").canonical() == "a @ b @ c"
    values = {"a": "[[1, 2]]", "b": "[[3], [4]]", "c": "2"}
    assert build_graph("a @ b * c", values).output.data.tolist() == [[22.0]]  # (a @ b) * c
    assert build_graph("c + a @ b", values).output.data.tolist() == [[13.0]]  # c + (a @ b)


def test_at_says_what_is_wrong_with_its_operands():
    err = error(lambda: build_graph("y = x @ W", {"x": "[[1, 2]]", "W": "[[1, 2, 3]]"}))
    assert (err.code, err.position, err.params["op"]) == ("shape_mismatch", (1, 7), "@")
    text = str(err)
    assert "'@' at line 1, column 7: (1, 2), (1, 3)" in text and "last axis" in text
    assert "must broadcast" not in text  # a matrix product does not broadcast its last axes
    err = error(lambda: build_graph("x @ y", {"x": "2", "y": "3"}))
    assert err.code == "shape_mismatch" and "use * for scalars" in str(err)
    err = error(lambda: build_graph("x ** (2 @ 3)", {"x": "2"}))  # not a constant exponent
    assert (err.code, err.position) == ("shape_mismatch", (1, 9))
    err = error(lambda: build_graph("x @", {}))
    assert err.code == "missing_operand" and err.params["operator"] == "@"


def test_at_costs_what_matmul_costs():
    """The budget counts ``x @ x`` as the matmul it is (multiply-adds, not elements)."""
    from exprlang import Limits

    square = {"x": np.ones((40, 40))}
    tight = Limits(max_total_work=40 ** 3)  # one 40 x 40 product, with the pass's factor
    by_name = error(lambda: build_graph("sum(matmul(x, x))", square, tight))
    by_symbol = error(lambda: build_graph("sum(x @ x)", square, tight))
    assert by_name.code == by_symbol.code == "too_much_work"
    assert by_name.params["count"] == by_symbol.params["count"]


def test_at_is_refused_where_there_is_no_matmul():
    functions = {k: v for k, v in default_functions().items() if k != "matmul"}
    err = error(lambda: parse_program("x @ y", functions))
    assert (err.code, err.params["construct"], err.params["text"]) == ("not_allowed",
                                                                       "operator", "@")
    assert "matmul" not in str(err)  # no advice to call what is not there


def test_the_books_F_prefix_calls_the_same_function():
    """The book imports ``dezero.functions as F``: ``F.tanh(x)`` is ``tanh(x)``."""
    book = build_graph("a = F.tanh(x)\ny = F.sigmoid(a)", {"x": "1.0"})
    ours = build_graph("a = tanh(x)\ny = sigmoid(a)", {"x": "1.0"})
    for r in (book, ours):
        r.output.backward()
    assert f"{float(book.inputs['x'].grad.data):.4g}" == "0.09113"  # the study notes' figure
    assert float(book.inputs["x"].grad.data) == float(ours.inputs["x"].grad.data)
    assert parse("y = F.sum(F.matmul(x, W), axis=0)").canonical() == \
        "y = sum(matmul(x, W), axis=0)"
    err = error(lambda: parse("F.linear(x, W, b)"))  # an F function the language lacks
    assert (err.code, err.position, err.params["name"]) == ("unknown_function", (1, 3),
                                                            "linear")
    assert error(lambda: parse("F.__class__(x)")).code == "bad_name"
    assert parse("F = x * 2\ny = F.exp(F)").canonical() == "F = x * 2\ny = exp(F)"
