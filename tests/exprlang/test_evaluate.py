"""evaluate(): caller-supplied operations, callbacks, warnings and wrapped failures."""

from __future__ import annotations

import numpy as np
import pytest
from exprlang_testkit import FUNCTIONS, error, run

from exprlang import (
    NUMPY_OPERATORS,
    FunctionSpec,
    Operators,
    Result,
    Trouble,
    evaluate,
    parse_program,
)


class Box:
    """A stand-in for an engine value: records how it was made."""

    def __init__(self, data, how, name=None):
        self.data = np.asarray(data, dtype=np.float64)
        self.how = how
        self.name = name


def box_op(name, fn):
    def apply(*args, **kw):
        raw = [a.data if isinstance(a, Box) else a for a in args]
        return Box(fn(*raw, **kw), (name, *[getattr(a, "how", a) for a in args]))
    return apply


BOX_OPERATORS = Operators(*(box_op(n, f) for n, f in [
    ("add", np.add), ("sub", np.subtract), ("mul", np.multiply), ("div", np.divide),
    ("pow", np.power), ("neg", np.negative)]))
BOX_FUNCTIONS = {
    "square": FunctionSpec("square", box_op("square", np.square), 1),
    "sum": FunctionSpec("sum", box_op("sum", lambda x, axis=None, keepdims=False:
                                      np.sum(x, axis=axis, keepdims=keepdims)), 1,
                        ("axis", "keepdims")),
}


def box_eval(text, values):
    program = parse_program(text, BOX_FUNCTIONS)
    named = []
    result = evaluate(program, values, functions=BOX_FUNCTIONS, operators=BOX_OPERATORS,
                      make_input=lambda name, a: Box(a, name, name),
                      make_constant=lambda a: Box(a, f"const {float(a):g}"),
                      name_output=lambda v, name: named.append((v.how, name)))
    return result, named


def test_callbacks_build_the_graph_in_the_callers_types():
    result, named = box_eval("a = square(x) * 2\ny = -a + x ** 2 - sum(x, keepdims=True)",
                             {"x": "3"})
    assert isinstance(result, Result)
    assert list(result.inputs) == ["x"] and result.inputs["x"].name == "x"
    assert result.outputs["a"].how == ("mul", ("square", "x"), "const 2")
    # the constant exponent is passed as a Python int, not as a constant node
    assert result.output.how == ("sub", ("add", ("neg", result.outputs["a"].how),
                                         ("pow", "x", 2)), ("sum", "x"))
    assert float(result.output.data) == -18 + 9 - 3
    assert named == [(result.outputs["a"].how, "a"), (result.output.how, "y")]
    assert result.outputs["y"] is result.output


def test_unary_plus_is_not_an_operation_and_constant_exponents_are_folded():
    result, _ = box_eval("+x ** -(1/2)", {"x": "4"})
    assert result.output.how == ("pow", "x", -0.5)
    result, _ = box_eval("x ** 2.0", {"x": "4"})
    assert result.output.how[2] == 2 and isinstance(result.output.how[2], int)


def test_inputs_may_be_text_numbers_lists_or_arrays():
    program = parse_program("a + b + c + d", FUNCTIONS)
    out = evaluate(program, {"a": "[1, 2]", "b": 1, "c": [10.0, 20.0], "d": np.array([0, 1])})
    np.testing.assert_array_equal(out.output, [12.0, 24.0])
    assert out.inputs["d"].dtype == np.float64
    assert error(lambda: evaluate(program, {"a": "[1, 2]", "b": 1, "c": "x", "d": 1})).code \
        == "bad_value"
    assert error(lambda: evaluate(program, {"a": 1, "b": 1, "c": 1, "d": "1j"})).code \
        == "bad_value"
    err = error(lambda: evaluate(program, {"a": 1, "b": 1, "c": 1, "d": np.array(["s"])}))
    assert (err.code, err.params["name"]) == ("bad_input_value", "d")


def test_extra_values_are_ignored_and_missing_ones_named():
    program = parse_program("x * 2", FUNCTIONS)
    assert float(evaluate(program, {"x": 1, "unused": 5}).output) == 2.0
    err = error(lambda: evaluate(program, {}))
    assert (err.params, err.position) == ({"name": "x"}, (1, 1))


def test_numerical_trouble_is_reported_not_raised():
    result = run("a = log(x)\nb = 1 / (x - 1)\ny = a + b", {"x": "[-1, 1, 2, 0]"})
    assert result.warnings == [Trouble((1, 5), "log", "nan"), Trouble((1, 5), "log", "inf"),
                               Trouble((2, 7), "/", "inf")]
    assert result.warnings[0] == ((1, 5), "log", "nan")      # a plain tuple too
    assert np.isnan(result.output[0]) and np.isinf(result.output[1])


def test_trouble_is_reported_where_it_starts_not_where_it_flows():
    result = run("exp(x) * 2 - 1", {"x": "1000"})
    assert result.warnings == [Trouble((1, 1), "exp", "inf")]
    result = run("exp(x) - exp(x)", {"x": "1000"})                  # inf - inf is a new NaN
    assert [(t.op, t.kind) for t in result.warnings] == [("exp", "inf"), ("exp", "inf"),
                                                          ("-", "nan")]
    result = run("sigmoid(x)", {"x": "-1000"})                     # inner overflow, finite out
    assert result.warnings == [] and float(result.output) == 0.0


def test_no_numpy_warnings_escape(recwarn):
    run("log(x) / x", {"x": "[-1, 0, 2]"})
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]


def test_engine_exceptions_become_expression_errors_with_position():
    def broken(x):
        raise KeyError("boom")

    functions = {**FUNCTIONS, "broken": FunctionSpec("broken", broken, 1)}
    program = parse_program("y = 1 + broken(x)", functions)
    err = error(lambda: evaluate(program, {"x": 1.0}, functions=functions))
    assert (err.code, err.position, err.params["op"]) == ("evaluation_failed", (1, 9), "broken")
    assert "broken() at line 1, column 9 failed: 'boom'" in str(err)

    def deep(x):
        return deep(x)

    functions = {**FUNCTIONS, "deep": FunctionSpec("deep", deep, 1)}
    program = parse_program("deep(x)", functions)
    assert error(lambda: evaluate(program, {"x": 1.0}, functions=functions)).code \
        == "evaluation_failed"


def test_operator_failures_name_the_operator():
    def refuse(a, b):
        raise TypeError("unsupported operand")

    ops = Operators(NUMPY_OPERATORS.add, NUMPY_OPERATORS.sub, refuse, NUMPY_OPERATORS.div,
                    NUMPY_OPERATORS.pow, NUMPY_OPERATORS.neg)
    program = parse_program("x + x * x", FUNCTIONS)
    err = error(lambda: evaluate(program, {"x": 1.0}, operators=ops))
    assert (err.code, err.position, err.params["op"]) == ("evaluation_failed", (1, 7), "*")
    assert str(err).startswith("'*' at line 1, column 7 failed: unsupported operand")


def test_callback_failures_are_wrapped():
    program = parse_program("y = x", FUNCTIONS)

    def bad_input(name, a):
        raise RuntimeError("no")

    assert error(lambda: evaluate(program, {"x": 1}, make_input=bad_input)).code \
        == "evaluation_failed"


def test_long_chains_evaluate_without_recursion():
    text = "x" + " + x" * 199                   # a left-leaning tree 199 levels deep
    assert float(run(text, {"x": 1.0}).output) == 200.0
    lines = "\n".join(f"a{i} = {'x' if i == 0 else f'a{i - 1}'} * 1.01" for i in range(16))
    assert float(run(lines, {"x": 1.0}).output) == pytest.approx(1.01 ** 16)


def test_evaluating_twice_gives_the_same_result():
    program = parse_program("a = square(x)\ny = a * a", FUNCTIONS)
    first = evaluate(program, {"x": 2.0})
    second = evaluate(program, {"x": 2.0})
    assert float(first.output) == float(second.output) == 16.0


def test_value_errors_name_their_variable():
    program = parse_program("x + y", FUNCTIONS)
    err = error(lambda: evaluate(program, {"x": 1.0, "y": "[1, 2"}))
    assert (err.code, err.params["variable"]) == ("bad_value", "y")
    assert str(err).startswith("Value of 'y': The value ends too early")
    assert err.message("ko").startswith("'y'의 값: ")
    err = error(lambda: evaluate(program, {"x": 1.0, "y": object()}))
    assert str(err).startswith("The value given for 'y' is not numeric")


def test_make_constant_failures_are_wrapped():
    program = parse_program("x + 2", FUNCTIONS)

    def refuse(a):
        raise ValueError("no constants")

    err = error(lambda: evaluate(program, {"x": 1.0}, make_constant=refuse))
    assert (err.code, err.params["detail"]) == ("evaluation_failed", "no constants")


def test_the_numpy_table_is_the_registrys_every_function():
    """Issue #13: the numpy table lacked add, sub, mul, div, neg and sum_to, so the fuzz
    tests never reached them; it is derived from the op registry now."""
    import numpy as np

    from autograd_core.registry import OPS
    from exprlang import numpy_functions

    table = numpy_functions()
    assert set(table) == {name for name, info in OPS.items() if info.expression}
    assert {"add", "sub", "mul", "div", "neg", "sum_to"} <= set(table)
    np.testing.assert_array_equal(table["sum_to"].func(np.ones((2, 3)), (3,)), [2, 2, 2])
    assert float(table["div"].func(np.array(1.0), np.array(4.0))) == 0.25
