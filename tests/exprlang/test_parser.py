"""The safe expression language: grammar, errors, limits, normalisation, values."""

from __future__ import annotations

import re
import time
from pathlib import Path

import numpy as np
import pytest

from exprlang import DEFAULT_LIMITS, ExpressionError, Limits, parse_value
from exprlang.engine import build_graph, parse

HOSTILE = Path(__file__).parent / "data" / "hostile_inputs.txt"
_ESCAPE = re.compile(r"\\(n|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4})")


def _decode(line: str) -> str:
    def sub(m: re.Match) -> str:
        code = m.group(1)
        return "\n" if code == "n" else chr(int(code[1:], 16))

    return _ESCAPE.sub(sub, line)


def hostile_inputs() -> list[str]:
    lines = HOSTILE.read_text(encoding="utf-8").splitlines()
    return [_decode(line) for line in lines if line and not line.startswith("# ")]


def test_corpus_has_at_least_fifty_inputs():
    assert len(hostile_inputs()) >= 50


@pytest.mark.parametrize("text", hostile_inputs())
def test_every_hostile_input_is_an_expression_error_and_fast(text):
    start = time.perf_counter()
    with pytest.raises(ExpressionError) as info:
        build_graph(text, {"x": "1.0", "y": "2.0"})
    assert time.perf_counter() - start < 1.0
    assert info.value.message("en") and info.value.message("ko")


def test_valid_programs_and_names():
    r = build_graph("a = square(x)\ny = square(a) + square(a)", {"x": "2"})
    assert float(r.output) == 32.0 and r.output.name == "y" and r.outputs["a"].name == "a"
    assert list(r.inputs) == ["x"] and r.inputs["x"].name == "x"
    r.output.backward()
    assert float(r.inputs["x"].grad) == 64.0
    r = build_graph("sum(x * y, axis=0, keepdims=True) + 2**x", {"x": "[[1, 2], [3, 4]]",
                                                                 "y": "[1, -1]"})
    assert r.output.shape == (2, 2)
    r = build_graph("reshape(x, (3, 1)) - -x ** 2", {"x": "[1, 2, 3]"})
    assert r.output.shape == (3, 3)


def test_canonical_form_shows_what_was_understood():
    program = parse("y = x\u00b2 \u2212 2\u00d7x  # comment\n")
    assert program.canonical() == "y = x ** 2 - 2 * x"
    assert parse("ｘ ＋ 1").canonical() == "x + 1"
    assert parse("\U0001d465 + 1").canonical() == "x + 1"  # math italic x is normalised


@pytest.mark.parametrize(
    ("text", "code", "position"),
    [
        ("", "empty", None),
        ("x +", "bad_syntax", (1, 4)),
        ("sqr(x)", "unknown_function", (1, 1)),
        ("x.data", "not_allowed", (1, 1)),
        ("y = square", "bad_name", (1, 5)),
        ("x\u0445", "non_ascii", (1, 2)),
        ("a = x\na = 2*x", "reassigned", (2, 1)),
        ("x\ny = 2", "bare_expression_not_last", (1, 1)),
        ("x ** 101", "exponent_too_large", (1, 6)),
        ("square(x, 2)", "wrong_arguments", (1, 1)),
        ("sum(x, axis='a')", "bad_parameter", (1, 13)),
        ("1e13 * x", "constant_too_large", (1, 1)),
        ("matmul(reshape(x, (3, 1)), x)", "evaluation_failed", (1, 1)),
    ],
)
def test_error_codes_and_positions(text, code, position):
    with pytest.raises(ExpressionError) as info:
        build_graph(text, {"x": "[1, 2, 3]"})
    assert info.value.code == code
    assert info.value.position == position
    if position:
        line, col = position
        assert f"(line {line}, column {col})" in str(info.value)
        assert f"({line}번째 줄, {col}번째 칸)" in info.value.message("ko")


def test_disallowed_syntax_is_described_in_korean():
    with pytest.raises(ExpressionError) as info:
        build_graph("x.data", {"x": "1"})
    assert "'x.data' 같은 속성 접근" in info.value.message("ko")
    assert "attribute access like 'x.data'" in info.value.message("en")


def test_suggestion_is_translated():
    with pytest.raises(ExpressionError) as info:
        build_graph("sqaure(x)", {"x": "1"})
    assert "Did you mean 'square'?" in str(info.value)
    assert "혹시 'square'인가요?" in info.value.message("ko")


def test_missing_value_and_bad_values():
    with pytest.raises(ExpressionError, match="No value for the variable 'x'"):
        build_graph("x + 1", {})
    for text, code in [("[1, 2", "bad_value"), ("[[1, 2], [3]]", "ragged"), ("abc", "bad_value"),
                       ("nan", "bad_value"), ("[]", "bad_value"), ("[[[[[1]]]]]", "bad_value")]:
        with pytest.raises(ExpressionError) as info:
            parse_value(text)
        assert info.value.code == code, text
    np.testing.assert_array_equal(parse_value("[[1, 2], [3, 4]]"), [[1.0, 2.0], [3.0, 4.0]])
    assert parse_value(" -2.5 ").shape == ()


def test_numerical_trouble_is_reported_not_raised():
    r = build_graph("log(x) + 1 / (x - 1)", {"x": "[-1, 1, 2]"})
    kinds = {(t.op, t.kind) for t in r.warnings}
    assert ("log", "nan") in kinds and ("/", "inf") in kinds


# --- every limit at its boundary and one past it -------------------------------------
L = DEFAULT_LIMITS


def _ok(text, values=None, limits=L):
    return build_graph(text, values or {"x": "1"}, limits)


def _fails(code, text, values=None, limits=L):
    with pytest.raises(ExpressionError) as info:
        _ok(text, values, limits)
    assert info.value.code == code


def test_limit_length():
    text = "x" + " " * (L.max_length - 1)
    _ok(text)
    _fails("too_long", text + " ")


def test_limit_depth():
    depth = L.max_depth - 1
    _ok("(" * depth + "x" + ")" * depth)
    _fails("too_deep", "(" * (L.max_depth + 1) + "x" + ")" * (L.max_depth + 1))


def test_limit_nodes():
    small = Limits(max_nodes=9)
    _ok("x + x + x + x + x", limits=small)  # 4 BinOps + 5 Names = 9
    _fails("too_many_nodes", "x + x + x + x + x + x", limits=small)


def test_limit_statements():
    lines = [f"a{i} = x" for i in range(L.max_statements)]
    _ok("\n".join(lines))
    _fails("too_many_statements", "\n".join(lines + ["b = x"]))


def test_limit_variables():
    names = [f"v{i}" for i in range(L.max_variables)]
    values = dict.fromkeys(names + ["extra"], "1")
    _ok(" + ".join(names), values)
    _fails("too_many_variables", " + ".join(names + ["extra"]), values)


def test_limit_constant():
    _ok("x * 1000000000000")
    _fails("constant_too_large", "x * 1000000000001")


def test_limit_exponent():
    _ok("x ** 100")
    _ok("x ** (50 + 50)")
    _fails("exponent_too_large", "x ** 101")
    _fails("exponent_too_large", "x ** (50 + 51)")
    start = time.perf_counter()
    _fails("exponent_too_large", "9**9**9")
    assert time.perf_counter() - start < 0.1


def test_limit_array_elements():
    _ok("sum(x)", {"x": "[" + ", ".join(["1"] * L.max_array_elements) + "]"})
    _fails("too_many_elements", "sum(x)", {"x": "[" + ", ".join(["1"] * 10_001) + "]"})


def test_limit_array_text():
    text = "[" + " " * (L.max_array_text - 3) + "1]"
    assert len(text) == L.max_array_text
    parse_value(text)
    with pytest.raises(ExpressionError) as info:
        parse_value(text + " ")
    assert info.value.code == "too_long"


def test_limit_name_length():
    _ok("a" * L.max_name_length, {"a" * L.max_name_length: "1"})
    _fails("bad_name", "a" * (L.max_name_length + 1), {"a" * (L.max_name_length + 1): "1"})


def test_parser_traps_are_caught_quickly():
    for text in ["1+" * 100_000, "-" * 100_000 + "1", "(" * 300 + "x" + ")" * 300,
                 "x" * 10_000_000]:
        start = time.perf_counter()
        with pytest.raises(ExpressionError):
            _ok(text)
        assert time.perf_counter() - start < 1.0
