"""The grammar: what parses, what it means (values), and the canonical form shown back."""

from __future__ import annotations

import numpy as np
import pytest
from exprlang_testkit import FUNCTIONS, parse_error, run

from exprlang import Program, Statement, parse_program


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("square(exp(square(x)))", "square(exp(square(x)))"),
        ("x+y*z", "x + y * z"),
        ("(x+y)*z", "(x + y) * z"),
        ("(x + y) + z", "x + y + z"),          # the same tree as x + y + z
        ("x + (y + z)", "x + (y + z)"),        # a different tree keeps its parentheses
        ("x - (y - z)", "x - (y - z)"),
        ("x / (y * z)", "x / (y * z)"),
        ("x / y * z", "x / y * z"),
        ("-x ** 2", "-x ** 2"),                # -(x ** 2), as in Python
        ("(-x) ** 2", "(-x) ** 2"),
        ("x ** -1", "x ** -1"),
        ("2 ** x ** 3", "2 ** x ** 3"),        # right-associative
        ("(2 ** x) ** 3", "(2 ** x) ** 3"),
        ("-(-x)", "-(-x)"),
        ("+x", "+x"),
        ("- - x", "-(-x)"),
        ("-(x + 1)", "-(x + 1)"),
        ("2 * -x", "2 * -x"),
        ("x ** (y + 1)", "x ** (y + 1)"),
        ("((((x))))", "x"),
        ("1e-3 * x + .5 + 2.", "1e-3 * x + .5 + 2."),
        ("sum(x,axis=0,keepdims=True)", "sum(x, axis=0, keepdims=True)"),
        ("sum(x, 0, True)", "sum(x, 0, True)"),
        ("sum(x, axis=(0, 1))", "sum(x, axis=(0, 1))"),
        ("sum(x, axis=-1)", "sum(x, axis=-1)"),
        ("sum(x, axis=None)", "sum(x, axis=None)"),
        ("reshape(x, (3, 1))", "reshape(x, (3, 1))"),
        ("reshape(x, (3,))", "reshape(x, (3,))"),
        ("reshape(x, (6))", "reshape(x, 6)"),
        ("reshape(x, shape=(2, -1))", "reshape(x, shape=(2, -1))"),
        ("transpose(x, ())", "transpose(x, ())"),
        ("pow(x, 3)", "pow(x, 3)"),
        ("pow(x, -0.5)", "pow(x, -0.5)"),
        ("matmul(x, w,)", "matmul(x, w)"),
        ("sum(\n  x,\n  axis=0\n)", "sum(x, axis=0)"),
        ("y = (x\n     + 1)", "y = x + 1"),
        ("a = x * y  # first step\n\n# a comment line\nb = a + z\n", "a = x * y\nb = a + z"),
        ("  y = x", "y = x"),                  # indentation is ignored
    ],
)
def test_canonical_form(text, canonical):
    program = parse_program(text, FUNCTIONS)
    assert program.canonical() == canonical
    # the canonical form reads back as the same program
    assert parse_program(canonical, FUNCTIONS).canonical() == canonical


def test_program_structure():
    program = parse_program("a = x * y\nb = square(a) + z\nexp(b) - x", FUNCTIONS)
    assert isinstance(program, Program)
    assert program.input_names == ("x", "y", "z")
    assert program.assigned_names == ("a", "b")
    assert [st.target for st in program.statements] == ["a", "b", None]
    assert [st.line for st in program.statements] == [1, 2, 3]
    assert all(isinstance(st, Statement) for st in program.statements)
    assert program.output_name is None
    assert program.n_nodes == 11
    assert program.source == program.text == "a = x * y\nb = square(a) + z\nexp(b) - x"


def test_unused_assignment_is_still_an_output():
    result = run("a = x + 1\nb = 2 * x", {"x": 3.0})
    assert list(result.outputs) == ["a", "b"]
    assert float(result.outputs["a"]) == 4.0 and float(result.output) == 6.0


def test_inputs_in_order_of_first_use_and_reused_inputs():
    program = parse_program("a = y * x\nb = a + x + w\ny2 = b * y", FUNCTIONS)
    assert program.input_names == ("y", "x", "w")
    assert program.assigned_names == ("a", "b", "y2")


def test_constant_only_program_has_no_inputs():
    program = parse_program("y = 2 ** 10", FUNCTIONS)
    assert program.input_names == ()
    assert float(run("y = 2 ** 10").output) == 1024.0


@pytest.mark.parametrize(
    ("text", "values", "expected"),
    [
        ("x + y * z", {"x": 1.0, "y": 2.0, "z": 3.0}, 7.0),
        ("(x + y) * z", {"x": 1.0, "y": 2.0, "z": 3.0}, 9.0),
        ("x - y - z", {"x": 1.0, "y": 2.0, "z": 3.0}, -4.0),
        ("x / y / z", {"x": 12.0, "y": 2.0, "z": 3.0}, 2.0),
        ("-x ** 2", {"x": 3.0}, -9.0),
        ("(-x) ** 2", {"x": 3.0}, 9.0),
        ("2 ** x ** 2", {"x": 3.0}, 512.0),
        ("x ** -1", {"x": 4.0}, 0.25),
        ("x ** (1/2)", {"x": 9.0}, 3.0),
        ("x ** y", {"x": 2.0, "y": 5.0}, 32.0),
        ("square(exp(square(x)))", {"x": 0.5}, float(np.exp(0.25) ** 2)),
        ("sigmoid(x)", {"x": 0.0}, 0.5),
        ("pow(x, 3)", {"x": 2.0}, 8.0),
        ("sum(x)", {"x": "[[1, 2], [3, 4]]"}, 10.0),
        ("a = x * 2\nb = a + 1\nb * a", {"x": 1.5}, 12.0),
        ("1e-3 * x", {"x": 2000.0}, 2.0),
    ],
)
def test_values(text, values, expected):
    assert float(run(text, values).output) == pytest.approx(expected)


def test_array_programs():
    x = "[[1, 2, 3], [4, 5, 6]]"
    out = run("sum(x, axis=0, keepdims=True)", {"x": x}).output
    np.testing.assert_array_equal(out, [[5.0, 7.0, 9.0]])
    out = run("reshape(x, (3, 2))", {"x": x}).output
    np.testing.assert_array_equal(out, [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    out = run("transpose(x)", {"x": x}).output
    assert out.shape == (3, 2)
    out = run("matmul(x, w)", {"x": x, "w": "[[1], [0], [-1]]"}).output
    np.testing.assert_array_equal(out, [[-2.0], [-2.0]])
    out = run("x * w", {"x": x, "w": "[1, 0, -1]"}).output
    np.testing.assert_array_equal(out, [[1.0, 0.0, -3.0], [4.0, 0.0, -6.0]])
    out = run("broadcast_to(w, (2, 3))", {"w": "[1, 0, -1]"}).output
    assert out.shape == (2, 3)


def test_names_may_look_like_keywords_of_other_languages_but_not_python_ones():
    assert parse_program("function + var + let + match + case + type", FUNCTIONS).input_names \
        == ("function", "var", "let", "match", "case", "type")
    assert parse_error("for + 1").params == {"construct": "keyword", "text": "for"}


def test_name_may_contain_digits_and_underscores_but_not_start_with_one():
    program = parse_program("x_1 = x2 * 2\ny_out = x_1", FUNCTIONS)
    assert program.input_names == ("x2",) and program.assigned_names == ("x_1", "y_out")
    assert parse_error("_x + 1").code == "bad_name"
    assert parse_error("1x").code == "missing_operator"


def test_blank_lines_comments_and_crlf():
    program = parse_program("\r\n# intro\r\na = x\r\n\r\n   \r\nb = a  # done\r\n", FUNCTIONS)
    assert program.canonical() == "a = x\nb = a"
    assert [st.line for st in program.statements] == [3, 6]
