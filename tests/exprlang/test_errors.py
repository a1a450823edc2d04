"""Every error code: what triggers it, its position, and its English and Korean messages."""

from __future__ import annotations

import pickle
import re

import numpy as np
import pytest
from exprlang_testkit import FUNCTIONS, error, parse_error

from exprlang import (
    CODES,
    ExpressionError,
    Limits,
    evaluate,
    format_error,
    parse_program,
    parse_value,
)
from exprlang.messages import CONSTRUCTS, TEMPLATES
from exprlang.syntax import FunctionSpec

HANGUL = re.compile("[\uac00-\ud7a3]")
SMALL = Limits(max_nodes=5, max_statements=2, max_variables=2, max_name_length=4,
               max_array_elements=3, max_array_dims=2, max_result_elements=4)


class _BrokenTable(dict):
    """A function table that fails: stands in for a bug inside exprlang."""

    def __contains__(self, name):
        raise RuntimeError("broken table")


def _program(text, limits=SMALL):
    return lambda: parse_program(text, FUNCTIONS, limits)


def _value(text, limits=SMALL):
    return lambda: parse_value(text, limits)


def _evaluate(text, values, limits=SMALL, functions=FUNCTIONS):
    def go():
        program = parse_program(text, functions, limits)
        return evaluate(program, values, functions=functions)
    return go


def _broken(x):  # a function that fails in a way no check foresaw
    raise RuntimeError("the device is not ready")


WITH_BROKEN = {**FUNCTIONS, "broken": FunctionSpec("broken", _broken, 1)}


# (code, trigger, position, English fragment, Korean fragment)
CASES = [
    ("not_text", _program(b"x"), None, "must be text, not bytes", "문자열이어야"),
    ("too_long", _program("x" * 2001), None, "2,001 characters long; the limit is 2,000",
     "2,001자"),
    ("empty", _program("  # only a comment\n\n"), None, "The expression is empty", "비어 있습니다"),
    ("non_ascii_identifier", _program("y = \u0445 + 1"), (1, 5),
     "'\u0445' (U+0445 CYRILLIC SMALL LETTER HA) at line 1, column 5 is not an English letter "
     "(it only looks like 'x')", "영문자가 아닙니다"),
    ("non_ascii_character", _program("\u221ax"), (1, 1), "'\u221a' (U+221A SQUARE ROOT)",
     "식에 쓸 수 없습니다"),
    ("invisible_character", _program("x\u202e + 1"), (1, 2),
     "invisible character, U+202E (RIGHT-TO-LEFT OVERRIDE) at line 1, column 2",
     "눈에 보이지 않는 문자 U+202E"),
    ("unexpected_character", _program("x $ y"), (1, 3), "The character '$' at line 1, column 3",
     "'$' 문자는"),
    ("bad_number", _program("x + 0x1F"), (1, 5), "'0x1F' at line 1, column 5 is not a number",
     "숫자가 아닙니다"),
    ("bad_syntax", _program("()"), (1, 2),
     "expected a number, a variable, a function call or '(' at line 1, column 2, but found ')'",
     "나온 것은 ')'입니다"),
    ("missing_operand", _program("x +"), (1, 4),
     "'+' at line 1, column 4 needs a number, a variable, a function call or '(' after it, "
     "but found the end of the text", "식이 여기서 끝났습니다"),
    ("missing_operator", _program("2x"), (1, 2), "To multiply, write '2 * x'", "'2 * x'처럼"),
    ("unclosed_paren", _program("(x + 1"), (1, 1), "the '(' at line 1, column 1 is never closed",
     "닫히지 않았습니다"),
    ("unmatched_paren", _program("x)"), (1, 2), "the ')' at line 1, column 2 has no matching '('",
     "짝이 되는"),
    ("not_allowed", _program("x.data"), (1, 2),
     "This is not allowed at line 1, column 2: attribute access like 'x.data'",
     "쓸 수 없는 문법입니다: 'x.data' 같은 속성 접근"),
    ("too_deep", _program("(" * 41 + "x" + ")" * 41, Limits()), (1, 41),
     "nested more than 40 levels deep at line 1, column 41", "40단계보다 깊게"),
    ("too_many_nodes", _program("x + x + x + x"), (1, 13), "more than 5 parts", "5개를 넘습니다"),
    ("too_many_statements", _program("a = x\nb = a\nc = b"), (3, 1),
     "3 lines (the limit is 2); the first extra one starts at line 3, column 1",
     "3줄입니다(최대 2줄)"),
    ("too_many_variables", _program("x + y + z"), (1, 9),
     "3 input variables (the limit is 2); the first extra one is at line 1, column 9",
     "입력 변수가 3개"),
    ("name_too_long", _program("abcde + 1"), (1, 1), "'abcde' at line 1, column 1 is 5 "
     "characters long", "이름이 너무 깁니다"),
    ("constant_too_large", _program("x * 1e13"), (1, 5), "The number 1e13 at line 1, column 5",
     "숫자가 너무 큽니다: 1e13"),
    ("exponent_too_large", _program("x**9**9"), (1, 4),
     "The exponent 9**9 in x**9**9 at line 1, column 4", "지수가 너무 큽니다: x**9**9의 9**9"),
    ("bad_name", _program("__import__(x)"), (1, 1),
     "Names starting with '_' such as '__import__' are not allowed", "'_'로 시작하는 이름"),
    ("function_as_variable", _program("y = square"), (1, 5),
     "'square' at line 1, column 5 is a function, not a variable", "변수가 아니라 함수"),
    ("reassigned", _program("a = x\na = 2"), (2, 1), "'a' is assigned a second time at line 2, "
     "column 1 (first on line 1)", "두 번째로 대입"),
    ("assigned_input", _program("a = a + 1"), (1, 1), "'a' is an input variable (it is used on "
     "line 1 before any assignment)", "입력 변수라서"),
    ("bare_expression_not_last", _program("x\ny = 2"), (1, 1),
     "The expression at line 1, column 1 has no name, but only the last line", "마지막 줄에만"),
    ("unknown_function", _program("sqr(x)"), (1, 1),
     "Unknown function 'sqr' at line 1, column 1. Available functions: add, broadcast_to, clip, "
     "cos, div, exp, leaky_relu, log, log_softmax, matmul, max, min, mul, neg, pow, relu, "
     "reshape, sigmoid, sin, softmax, square, sub, sum, sum_to, tanh, transpose. Did you mean "
     "'square'?", "알 수 없는 함수 'sqr'입니다"),
    ("wrong_arguments", _program("square(x, x)"), (1, 1),
     "square() was given 2 argument(s) at line 1, column 1, but it is used like square(x)",
     "사용법: square(x)"),
    ("unknown_keyword", _program("sum(x, axes=0)"), (1, 8),
     "sum() has no parameter 'axes' at line 1, column 8. Its parameters: axis, keepdims",
     "'axes' 매개변수가 없습니다"),
    ("duplicate_argument", _program("sum(x, 0, axis=1)"), (1, 11),
     "The parameter 'axis' of sum() is given twice", "두 번 주었습니다"),
    ("positional_after_keyword", _program("sum(x, axis=0, True)"), (1, 16),
     "an argument without a name comes after a named one", "이름 없는 인자가"),
    ("bad_parameter", _program("pow(x, y)"), (1, 8),
     "The parameter 'c' of pow() at line 1, column 8 must be a constant", "상수여야"),
    ("parameter_too_large", _program("reshape(x, (1000, 1000))"), (1, 12),
     "is too large: (1000, 1000) (at most 4)", "매개변수 값이 너무 큽니다"),
    ("missing_value", _evaluate("x + y", {"x": 1.0}), (1, 5),
     "No value for the variable 'y' at line 1, column 5. Set it, e.g. y = 0.5.",
     "변수 'y'의 값이 없습니다"),
    ("value_divides_by_zero", _value("[1/2, 3/0]"), (1, 7),
     "'3/0' at line 1, column 7 divides by zero: write a number, e.g. 0.5 or 1/2",
     "0으로 나눕니다"),
    ("bad_value", _value("[1, 2"), (1, 6), "The value ends too early at line 1, column 6: a "
     "closing ']' is missing",
     "값이 중간에 끝났습니다 (1번째 줄, 6번째 글자). 닫는 ']'가 없습니다"),
    ("bad_input_value", _evaluate("x + 1", {"x": object()}), None,
     "The value given for 'x' is not numeric", "숫자가 아닙니다"),
    ("empty_value", _value("   "), None, "The value is empty", "값이 비어 있습니다"),
    ("empty_list", _value("[[1], []]"), (1, 7), "The list '[]' at line 1, column 7 is empty",
     "빈 목록"),
    ("ragged", _value("[[1, 2], [3]]"), (1, 10),
     "row [1] at line 1, column 10 has 1 element(s), but row [0] has 2", "[1] 행의 원소는 1개"),
    ("mixed_nesting", _value("[1, [2]]"), (1, 5), "element [1] is a list, but element [0] is "
     "a number", "[1] 원소는 목록인데 [0] 원소는 숫자"),
    ("too_many_dimensions", _value("[[[1]]]"), (1, 3), "nested more than 2 levels deep",
     "2차원까지만"),
    ("too_many_elements", _value("[1, 2, 3, 4, 5]"), None, "5 elements; the limit is 3",
     "원소가 5개"),
    ("non_finite_value", _value("[1, nan]"), (1, 5), "'nan' at line 1, column 5 is not "
     "accepted as a value", "유한한 숫자"),
    ("shape_mismatch", _evaluate("x + y", {"x": [1.0, 2.0], "y": [1.0, 2.0, 3.0]}), (1, 3),
     "The shapes do not fit together in '+' at line 1, column 3: (2,), (3,)", "브로드캐스트"),
    ("result_too_large", _evaluate("x * y", {"x": [1.0, 2.0, 3.0], "y": [[1.0], [2.0]]}),
     (1, 3), "'*' at line 1, column 3 would make a result of 6 elements; the limit is 4",
     "결과 원소가 6개"),
    ("too_much_memory", _evaluate("x * 2 + x", {"x": [1.0, 2.0, 3.0]},
                                  Limits(max_total_elements=8)), (1, 7),
     "with '+' at line 1, column 7 its values would hold 9 numbers in all (8 at most",
     "원소가 모두 9개"),
    ("too_much_work", _evaluate("matmul(x, y)", {"x": [[1.0, 2.0]], "y": [[1.0], [2.0]]},
                                Limits(max_total_work=1)), (1, 1),
     "with matmul() at line 1, column 1 it would take 2 multiply-adds in all (1 at most",
     "곱셈-덧셈이 모두 2번"),
    ("internal_error", lambda: parse_program("x", _BrokenTable()), None,
     "a bug in the program, not in your text", "프로그램의 버그"),
    ("evaluation_failed", _evaluate("broken(x)", {"x": [1.0, 2.0]}, functions=WITH_BROKEN),
     (1, 1), "broken() at line 1, column 1 failed: the device is not ready",
     "계산에 실패했습니다"),
]


def test_every_code_has_a_case_and_both_languages():
    assert {case[0] for case in CASES} == set(CODES)
    for code, templates in TEMPLATES.items():
        assert set(templates) == {"en", "ko"}, code
        assert HANGUL.search(templates["ko"]), code


@pytest.mark.parametrize(("code", "trigger", "position", "en", "ko"), CASES,
                         ids=[case[0] for case in CASES])
def test_error_code_position_and_messages(code, trigger, position, en, ko):
    err = error(trigger)
    assert err.code == code
    assert err.position == position
    assert isinstance(err, ValueError)
    english, korean = str(err), format_error(err, "ko")
    assert en in english
    assert ko in korean
    assert english == format_error(err, "en") == err.message()
    assert HANGUL.search(korean) and not HANGUL.search(english)
    assert "{" not in english.replace("{...}", "") and "?" not in english.replace("'?", "")
    if position is not None:
        line, col = position
        assert f"line {line}, column {col}" in english
        assert f"({line}번째 줄, {col}번째 글자)" in korean


def test_korean_messages_name_the_construct_in_korean():
    for construct, entry in CONSTRUCTS.items():
        err = ExpressionError("not_allowed", (1, 1), construct=construct, text="x")
        korean = format_error(err, "ko")
        assert korean.startswith("쓸 수 없는 문법입니다"), construct
        assert entry["ko"].replace("{text}", "x").replace("{{", "{").replace("}}", "}") in korean


def test_unknown_language_falls_back_to_english_and_formatting_never_raises():
    err = ExpressionError("too_long", None, length=5, limit=3)
    assert format_error(err, "fr") == str(err)
    assert str(ExpressionError("too_long")) == "The text is ? characters long; the limit is ?. " \
                                               "Shorten it."
    assert str(ExpressionError("no_such_code")) == "no_such_code"


def test_error_survives_pickling_and_has_a_useful_repr():
    err = parse_error("sqr(x)")
    again = pickle.loads(pickle.dumps(err))
    assert (again.code, again.position, again.params) == (err.code, err.position, err.params)
    assert repr(err).startswith("ExpressionError('unknown_function', (1, 1)")


@pytest.mark.parametrize(
    ("text", "construct", "shown"),
    [
        ("x[0]", "subscript", "indexing like 'x[...]'"),
        ("square(x)[0]", "subscript", "indexing like 'square(x)[...]'"),
        ("(x + 1).data", "attribute", "attribute access like '(x + 1).data'"),
        ("[1, 2]", "list", "a list in brackets '[...]'. Array values go in the value boxes"),
        ("{1: 2}", "braces", "a brace '{' or '}'"),
        ("'abc'", "string", "text in quotes"),
        ("f'{x}'", "fstring", "an f-string"),
        ("lambda: 1", "lambda", "a lambda"),
        ("x if x else 1", "keyword", "the Python keyword 'if'"),
        ("x <= 1", "comparison", "a comparison '<='"),
        ("(y := 3)", "walrus", "the walrus operator ':='"),
        ("x // 2", "operator", "the operator '//'. Write a / b instead."),
        ("x ^ 2", "operator", "the operator '^'. Write a ** b instead."),
        ("x += 1", "aug_assign", "an update like '+='"),
        ("x; 1", "semicolon", "a semicolon ';'. Put each statement on its own line."),
        ("x[1:2]", "subscript", "indexing like 'x[...]'"),
        ("x\\\n+ 1", "backslash", "a backslash '\\'"),
        ("square(*x)", "unpacking", "unpacking with '*'"),
        ("square(**x)", "unpacking", "unpacking with '**'"),
        ("y = True", "constant_value", "using 'True' as a value. True, False and None are only"),
        ("a = b = 1", "multiple_assignment", "assigning to several names at once"),
        ("x + 1 = 2", "assign_target", "assigning to 'x + 1'"),
        ("a, b = 1, 2", "tuple", "a tuple like '(a, b)' as a value"),
        ("(x, 1)", "tuple", "a tuple like '(a, b)' as a value"),
        ("(a=1)", "keyword_outside_call", "'a=' inside an expression"),
        ("import os", "keyword", "the Python keyword 'import'"),
        ("not x", "keyword", "the Python keyword 'not'"),
        ("x and y", "keyword", "the Python keyword 'and'"),
        ("x is y", "keyword", "the Python keyword 'is'"),
        ("x : 1", "colon", "a colon ':'"),
    ],
)
def test_disallowed_syntax_is_named(text, construct, shown):
    err = parse_error(text)
    assert (err.code, err.params.get("construct")) == ("not_allowed", construct)
    assert shown in str(err)


def test_errors_are_reported_in_reading_order():
    # the bad name comes before the quote, so it is what the student hears about first
    assert parse_error("__import__('os').system('id')").code == "bad_name"
    assert parse_error("x.y + 'a'").params["construct"] == "attribute"
    assert parse_error("x + 'a'").params["construct"] == "string"


@pytest.mark.parametrize(
    ("text", "code", "position"),
    [
        ("a = x\nb = a +\nc = b", "missing_operand", (2, 8)),
        ("a = (x\n  + 1\nb = a", "unclosed_paren", (1, 5)),
        ("exp(\n", "unclosed_paren", (1, 4)),
        ("sum(x,\n  0", "unclosed_paren", (1, 4)),
        ("square(x,\n  y)", "wrong_arguments", (1, 1)),
        ("y = x\u00b2 \u2212 \u0445", "non_ascii_identifier", (1, 10)),
        ("y = x\u00b2 + 2x", "missing_operator", (1, 11)),
        ("x\r\ny = )", "unmatched_paren", (2, 5)),
        ("\uff58 + sqr(x)", "unknown_function", (1, 5)),
        ("# \ud55c\uad6d\uc5b4 \uc8fc\uc11d\nx +", "missing_operand", (2, 4)),
    ],
)
def test_positions_point_at_what_was_typed(text, code, position):
    err = parse_error(text)
    assert (err.code, err.position) == (code, position)


def test_suggestions():
    assert parse_error("sqaure(x)").params["suggestion"] == "square"
    assert parse_error("tanhh(x)").params["suggestion"] == "tanh"
    assert "Did you mean" not in str(parse_error("mish(x)"))
    korean = format_error(parse_error("sqaure(x)"), "ko")
    assert korean.endswith("'square'를 쓰려고 하셨나요?")  # the particle fits the word
    assert "Write x ** y instead." in str(parse_error("pow(x, y)"))


def test_engine_failures_keep_the_op_and_its_position():
    err = error(_evaluate("a = x\nb = matmul(a, a)", {"x": [[1.0, 2.0]]}, Limits()))
    assert (err.code, err.position, err.params["op"]) == ("shape_mismatch", (2, 5), "matmul")
    assert "(1, 2), (1, 2)" in str(err) and "Details:" in str(err)
    assert "자세한 내용:" in format_error(err, "ko")
    err = error(_evaluate("reshape(x, (2, 2))", {"x": np.ones(3)}, Limits()))
    assert err.code == "shape_mismatch" and "cannot reshape" in str(err)


def test_an_internal_error_keeps_its_cause():
    err = error(lambda: parse_program("x", _BrokenTable()))
    assert err.params == {"detail": "RuntimeError: broken table"}
    assert isinstance(err.__cause__, RuntimeError)


@pytest.mark.parametrize(("word", "particle"), [
    ("square", "를"), ("matmul", "을"), ("exp", "을"), ("sum", "을"), ("tanh", "를"),
    ("변수", "를"), ("값", "을"), ("x1", "을"), ("x2", "를")])
def test_korean_object_particle_follows_the_word(word, particle):
    from exprlang.messages import object_particle

    assert object_particle(word) == particle


@pytest.mark.parametrize(
    ("text", "suggest"),
    [
        ("np.exp(x)", "exp(...)"),  # another library's function: ours has the same name
        ("torch.tanh(x)", "tanh(...)"),
        ("np.pi * x", "3.141592653589793"),
        ("math.e ** x", "2.718281828459045"),
        ("x.T", "transpose(x)"),  # a DeZero Variable's methods and properties
        ("W.transpose()", "transpose(W)"),
        ("x.sum()", "sum(x)"),
        ("(x + 1).sum(axis=0)", "sum(x + 1)"),
        ("x.reshape((2, 3))", "reshape(x, ...)"),  # its shape is required
        ("x.data", ""),
        ("np.random(3)", ""),
    ],
)
def test_an_attribute_says_what_to_write_instead(text, suggest):
    err = parse_error(text)
    assert (err.code, err.params["construct"], err.params["suggest"]) == (
        "not_allowed", "attribute", suggest)
    if suggest:
        assert f"Write {suggest} instead." in str(err)


def _language_tables(value, path):
    """Every {language: text} table inside ``value`` (nested dicts and tuples), with where."""
    if isinstance(value, dict):
        if value and set(value) & {"en", "ko"} and all(isinstance(v, str)
                                                       for v in value.values()):
            yield path, value
            return
        for key, inner in value.items():
            yield from _language_tables(inner, f"{path}[{key!r}]")


def test_every_text_table_of_the_messages_has_both_languages():
    """exprlang.messages holds many small tables besides TEMPLATES and CONSTRUCTS (the
    construct names, the suggestions, the tips...): each one says everything in English and
    in Korean."""
    from exprlang import messages

    tables = [(f"messages.{name}{path}", table)
              for name, value in vars(messages).items() if not name.startswith("__")
              for path, table in _language_tables(value, "")]
    assert len(tables) > 40
    for where, table in tables:
        english = sorted(k for k in table if k == "en" or k.endswith("_en"))
        assert sorted(table) == sorted([*english, *(k[:-2] + "ko" for k in english)]), where
        for key in english:
            korean = table[key[:-2] + "ko"]
            assert HANGUL.search(korean) or not re.search("[A-Za-z]{4,}", korean), where
            assert not HANGUL.search(table[key]), where
