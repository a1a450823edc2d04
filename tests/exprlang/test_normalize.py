"""Unicode look-alikes: normalised on purpose, everything else non-ASCII named and rejected."""

from __future__ import annotations

import pytest
from exprlang_testkit import FUNCTIONS, parse_error, run

from exprlang import normalize, parse_program


@pytest.mark.parametrize(
    ("typed", "understood"),
    [
        ("x \u2212 1", "x - 1"),            # MINUS SIGN
        ("x \u2013 1", "x - 1"),            # EN DASH
        ("2 \u00d7 x", "2 * x"),            # MULTIPLICATION SIGN
        ("2 \u00b7 x", "2 * x"),            # MIDDLE DOT
        ("2 \u22c5 x", "2 * x"),            # DOT OPERATOR
        ("x \u00f7 2", "x / 2"),            # DIVISION SIGN
        ("x\u00b2", "x ** 2"),              # superscript two: not 'x2'
        ("x\u00b3 + y\u00b2", "x ** 3 + y ** 2"),
        ("x\u00b9\u2070", "x ** 10"),       # a run of superscript digits
        ("x\u207b\u00b9", "x ** -1"),       # superscript minus
        ("\uff58 \uff0b \uff11", "x + 1"),  # fullwidth, as a Korean IME types it
        ("square\uff08x\uff09", "square(x)"),
        ("x\u3000+\u00a01", "x + 1"),       # ideographic and no-break spaces
        ("\U0001d465 + 1", "x + 1"),        # MATHEMATICAL ITALIC SMALL X
        ("x\u2081 + 1", "x1 + 1"),          # subscript one becomes a plain digit
    ],
)
def test_lookalikes_are_understood(typed, understood):
    assert parse_program(typed, FUNCTIONS).canonical() == understood


def test_normalized_text_is_returned_and_comments_are_kept_as_typed():
    typed = "y = x\u00b2 \u2212 2\u00d7x  # \uc81c\uacf1\uc5d0\uc11c \ube7c\uae30"
    program = parse_program(typed, FUNCTIONS)
    assert program.text == "y = x**2 - 2*x  # \uc81c\uacf1\uc5d0\uc11c \ube7c\uae30"
    assert program.source.startswith("y = x\u00b2")
    assert program.canonical() == "y = x ** 2 - 2 * x"
    assert normalize("x\u00b2\u00f72") == "x**2/2"


def test_superscript_square_is_evaluated_as_a_power():
    assert float(run("x\u00b2", {"x": 3.0}).output) == 9.0


@pytest.mark.parametrize(
    ("text", "code", "char", "codepoint", "position"),
    [
        ("\u0445 + 1", "non_ascii_identifier", "\u0445", "U+0445", (1, 1)),    # Cyrillic ha
        ("y = \u03bf", "non_ascii_identifier", "\u03bf", "U+03BF", (1, 5)),    # Greek omicron
        ("\ud55c + 1", "non_ascii_identifier", "\ud55c", "U+D55C", (1, 1)),    # Hangul
        ("x\u0301 + 1", "non_ascii_character", "\u0301", "U+0301", (1, 2)),    # combining accent
        ("\u221a2", "non_ascii_character", "\u221a", "U+221A", (1, 1)),
        ("x + \U0001f642", "non_ascii_character", "\U0001f642", "U+1F642", (1, 5)),
        ("x\u00b2 + \u0445", "non_ascii_identifier", "\u0445", "U+0445", (1, 6)),  # after x**2
    ],
)
def test_other_non_ascii_is_named_with_code_point_and_position(text, code, char, codepoint,
                                                               position):
    err = parse_error(text)
    assert (err.code, err.position) == (code, position)
    assert err.params["char"] == char and err.params["codepoint"] == codepoint
    assert f"'{char}' ({codepoint} " in str(err)


@pytest.mark.parametrize(
    ("text", "codepoint", "name", "position"),
    [
        ("x\u202e + 1", "U+202E", "RIGHT-TO-LEFT OVERRIDE", (1, 2)),
        ("x\u200b+ 1", "U+200B", "ZERO WIDTH SPACE", (1, 2)),
        ("\ufeffx", "U+FEFF", "ZERO WIDTH NO-BREAK SPACE", (1, 1)),
        ("x\x00", "U+0000", "NULL", (1, 2)),
        ("\x1b[31mx", "U+001B", "ESCAPE", (1, 1)),
        ("x\u2028+ 1", "U+2028", "LINE SEPARATOR", (1, 2)),
        ("a = x\ny = a # \u202e hidden", "U+202E", "RIGHT-TO-LEFT OVERRIDE", (2, 9)),
    ],
)
def test_invisible_characters_are_rejected_even_in_comments(text, codepoint, name, position):
    err = parse_error(text)
    assert (err.code, err.position) == ("invisible_character", position)
    assert (err.params["codepoint"], err.params["name"]) == (codepoint, name)


def test_confusable_letter_names_its_latin_twin():
    err = parse_error("\u0430 + 1")
    assert "it only looks like 'a'" in str(err)
    assert "'a'처럼 보이지만 다른 문자입니다" in err.message("ko")
    assert "looks like" not in str(parse_error("\ud55c + 1"))
