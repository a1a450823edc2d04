"""Every limit at its boundary and one past it; hostile sizes are rejected at once."""

from __future__ import annotations

import dataclasses
import time

import numpy as np
import pytest
from exprlang_testkit import FUNCTIONS, error, parse_error, run

from exprlang import DEFAULT_LIMITS, ExpressionError, Limits, evaluate, parse_program, parse_value

L = DEFAULT_LIMITS


def ok(text, limits=L):
    return parse_program(text, FUNCTIONS, limits)


def fails(code, text, limits=L):
    err = parse_error(text, limits)
    assert err.code == code, (err.code, str(err))
    return err


def test_limits_are_frozen_with_documented_defaults():
    assert dataclasses.astuple(L) == (2000, 400, 40, 16, 16, 32, 1e12, 100, 10_000, 8, 200_000,
                                      10_000, 4, 1_000_000, 3_000_000, 100_000_000, 1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        L.max_length = 5  # type: ignore[misc]
    for field in dataclasses.fields(Limits):
        assert f"``{field.name}``" in Limits.__doc__


def test_max_length():
    ok("x" + " " * (L.max_length - 1))
    err = fails("too_long", "x" + " " * L.max_length)
    assert err.params == {"length": 2001, "limit": 2000}


def test_max_nodes():
    text = "-x" + " + x" * 199           # 1 sign + 200 names + 199 additions = 400 nodes
    assert ok(text).n_nodes == 400
    fails("too_many_nodes", "-" + text)


@pytest.mark.parametrize(
    ("open_", "close"),
    [("(", ")"), ("-", ""), ("square(", ")"), ("x ** ", "")],
    ids=["parentheses", "signs", "calls", "exponents"],
)
def test_max_depth(open_, close):
    ok(open_ * 40 + "x" + close * 40)
    err = fails("too_deep", open_ * 41 + "x" + close * 41)
    assert err.params == {"limit": 40}


def test_max_depth_counts_every_kind_of_nesting():
    ok("(-square(" * 13 + "x" + "))" * 13 + "+ -x")       # 39 levels, then 2 at the end
    fails("too_deep", "(-square(" * 14 + "x" + "))" * 14)  # 42 levels


def test_max_statements():
    lines = [f"a{i} = x" for i in range(16)]
    assert len(ok("\n".join(lines)).statements) == 16
    err = fails("too_many_statements", "\n".join(lines + ["b = x"]))
    assert err.position == (17, 1) and err.params["count"] == 17


def test_max_variables():
    names = [f"v{i}" for i in range(16)]
    assert len(ok(" + ".join(names)).input_names) == 16
    err = fails("too_many_variables", " + ".join(names + ["w"]))
    assert err.position == (1, 87) and err.params["count"] == 17


def test_max_name_length():
    ok("a" * 32 + " + 1")
    fails("name_too_long", "a" * 33 + " + 1")
    fails("name_too_long", "b" * 33 + " = 1")


@pytest.mark.parametrize(
    ("good", "bad"),
    [("1000000000000", "1000000000001"), ("1e12", "1.0000000001e12"), ("-1e12", "-1.1e12"),
     ("0.000000000001", "1" + "0" * 400)],
)
def test_max_abs_constant(good, bad):
    ok(f"x * {good}")
    fails("constant_too_large", f"x * {bad}")


@pytest.mark.parametrize(
    ("good", "bad"),
    [("100", "101"), ("-100", "-101"), ("(50 + 50)", "(50 + 51)"), ("100.0", "100.5"),
     ("(10 ** 2)", "(10 ** 3)"), ("(1 / 0.01)", "(1 / 0.0099)")],
)
def test_max_abs_exponent(good, bad):
    ok(f"x ** {good}")
    fails("exponent_too_large", f"x ** {bad}")


def test_variable_exponents_are_not_limited():
    assert float(run("x ** y", {"x": 2.0, "y": 200.0}).output) == 2.0 ** 200


def test_max_param_int_and_items():
    ok("sum(x, axis=10000)")
    fails("parameter_too_large", "sum(x, axis=10001)")
    ok("sum(x, axis=-10000)")
    fails("parameter_too_large", "sum(x, axis=-10001)")
    ok("transpose(x, (0, 1, 2, 3, 4, 5, 6, 7))")
    fails("parameter_too_large", "transpose(x, (0, 1, 2, 3, 4, 5, 6, 7, 8))")
    ok("reshape(x, (1000, 1000))")                 # = max_result_elements
    fails("parameter_too_large", "reshape(x, (1000, 1001))")


def test_max_array_text():
    text = "[" + " " * (L.max_array_text - 3) + "1]"
    assert parse_value(text).shape == (1,)
    err = error(lambda: parse_value(text + " "))
    assert err.params == {"length": L.max_array_text + 1, "limit": L.max_array_text}


def test_max_array_elements():
    assert parse_value("[" + ", ".join(["1"] * 10_000) + "]").shape == (10_000,)
    err = error(lambda: parse_value("[" + ", ".join(["1"] * 10_001) + "]"))
    assert (err.code, err.params["count"]) == ("too_many_elements", 10_001)
    program = ok("sum(x)")
    assert float(evaluate(program, {"x": np.ones(10_000)}).output) == 10_000
    err = error(lambda: evaluate(program, {"x": np.ones(10_001)}))
    assert (err.code, err.params["count"]) == ("too_many_elements", 10_001)


def test_max_array_dims():
    assert parse_value("[[[[1]]]]").shape == (1, 1, 1, 1)
    assert error(lambda: parse_value("[[[[[1]]]]]")).code == "too_many_dimensions"


def test_max_result_elements_is_checked_before_broadcasting():
    program = ok("x * y")
    out = evaluate(program, {"x": np.ones(1000), "y": np.ones((1000, 1))}).output
    assert out.size == 1_000_000
    start = time.perf_counter()
    err = error(lambda: evaluate(program, {"x": np.ones(1001), "y": np.ones((1000, 1))}))
    assert time.perf_counter() - start < 0.5
    assert (err.code, err.params["count"]) == ("result_too_large", 1_001_000)


def test_max_result_elements_of_a_function_result():
    program = ok("matmul(reshape(x, (1001, 1)), reshape(y, (1, 1000)))")
    err = error(lambda: evaluate(program, {"x": np.ones(1001), "y": np.ones(1000)}))
    assert (err.code, err.position, err.params["op"]) == ("result_too_large", (1, 1), "matmul")


HOSTILE_SIZES = {
    "9**9**9": "exponent_too_large",
    "4000000**4000000": "exponent_too_large",
    "(10**10000)**10000": "exponent_too_large",
    "1+" * 100_000: "too_long",
    "-" * 100_000 + "1": "too_long",
    "(" * 300 + "x" + ")" * 300: "too_deep",
    "x" * 10_000_000: "too_long",
    "x + " * 2_500_000 + "x": "too_long",
    "1+" * 999 + "1": "too_many_nodes",
    "-" * 1999 + "1": "too_deep",
    "(" * 1000 + "x" + ")" * 999: "too_deep",
    "square(" * 200 + "x" + ")" * 200: "too_deep",
    "x**" * 666 + "x": "too_deep",
    "1" * 1999: "constant_too_large",
    "a" * 1999: "name_too_long",
    "x\n" * 1000: "too_many_statements",
    "+".join(f"v{i}" for i in range(200)): "too_many_variables",
    "9" * 300 + "**" + "9" * 300: "constant_too_large",
}


@pytest.mark.parametrize("text", list(HOSTILE_SIZES), ids=lambda t: f"{t[:12]}..{len(t)}")
def test_hostile_sizes_are_rejected_at_once(text):
    start = time.perf_counter()
    with pytest.raises(ExpressionError) as info:
        run(text)
    assert time.perf_counter() - start < 1.0
    assert info.value.code == HOSTILE_SIZES[text]


@pytest.mark.parametrize(
    "text", ["[" * 100_000, "1," * 5_000_000, "[" + "1," * 200_000 + "1]", "[[" * 30_000],
    ids=["brackets", "ten-megabytes", "too-many-elements", "nested-brackets"])
def test_hostile_values_are_rejected_at_once(text):
    start = time.perf_counter()
    with pytest.raises(ExpressionError):
        parse_value(text)
    assert time.perf_counter() - start < 1.0


def test_the_largest_value_with_long_numbers_fits_the_text_limit():
    text = "[" + ", ".join(["-0.123456789012345"] * 10_000) + "]"
    assert len(text) == L.max_array_text  # 18 characters and ", " for each of 10,000
    start = time.perf_counter()
    assert parse_value(text).shape == (10_000,)
    assert time.perf_counter() - start < 1.0


def test_a_shape_parameters_product_is_bounded_by_the_result_size_as_documented():
    """Issue #13: the docs said max_param_int (10,000) bounded a shape's product, the code
    checked max_result_elements (1,000,000); one rule now, stated and tested at the edge."""
    from exprlang import DEFAULT_LIMITS, ExpressionError, parse_program
    from exprlang.engine import default_functions
    from exprlang.limits import Limits

    assert "bounded by ``max_result_elements``" in Limits.__doc__
    functions = default_functions()
    edge = DEFAULT_LIMITS.max_result_elements
    parse_program("reshape(x, (100, 200))", functions)
    parse_program(f"broadcast_to(x, (1000, {edge // 1000}))", functions)
    try:
        parse_program(f"broadcast_to(x, (1000, {edge // 1000 + 1}))", functions)
    except ExpressionError as err:
        assert err.code == "parameter_too_large" and err.params["limit"] == edge
    else:
        raise AssertionError("a shape one past the limit was accepted")
