"""parse_value: numbers and rectangular lists, bounded before anything is allocated."""

from __future__ import annotations

import numpy as np
import pytest
from exprlang_testkit import error

from exprlang import Limits, parse_value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0.5", 0.5), ("-2", -2.0), ("+3", 3.0), ("1e-3", 1e-3), ("  7  ", 7.0), (".5", 0.5),
        ("2.", 2.0), ("- 4", -4.0), ("\u22122", -2.0), ("\uff13", 3.0), ("1E2", 100.0),
    ],
)
def test_numbers_are_zero_dimensional_float64(text, expected):
    value = parse_value(text)
    assert value.shape == () and value.dtype == np.float64
    assert float(value) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[1, 2, 3]", [1.0, 2.0, 3.0]),
        ("[[1, 2], [3, 4]]", [[1.0, 2.0], [3.0, 4.0]]),
        ("[[1, 2],\n [3, 4]]", [[1.0, 2.0], [3.0, 4.0]]),
        ("[1, 2, 3,]", [1.0, 2.0, 3.0]),
        ("[-1.5, +2e1, .25]", [-1.5, 20.0, 0.25]),
        ("[[[1], [2]], [[3], [4]]]", [[[1.0], [2.0]], [[3.0], [4.0]]]),
        ("[5]", [5.0]),
    ],
)
def test_lists_are_arrays(text, expected):
    value = parse_value(text)
    assert value.dtype == np.float64
    np.testing.assert_array_equal(value, np.array(expected))


@pytest.mark.parametrize(
    ("text", "code", "position", "params"),
    [
        ("[[1, 2], [3]]", "ragged", (1, 10), {"row": "[1]", "length": 1, "expected": 2}),
        ("[[1, 2], [3, 4], [5, 6, 7]]", "ragged", (1, 18), {"row": "[2]", "length": 3}),
        ("[[[1, 2]], [[1, 2, 3]]]", "ragged", (1, 12), {"row": "[1][0]", "first_row": "[0][0]"}),
        ("[[1], 2]", "mixed_nesting", (1, 7), {"this": "number", "other": "list"}),
        ("[]", "empty_list", (1, 1), {}),
        ("", "empty_value", None, {}),
        ("[1, 2", "bad_value", (1, 6), {"found": "end_of_text"}),
        ("[1 2]", "bad_value", (1, 4), {"found": "2"}),
        ("[1,, 2]", "bad_value", (1, 4), {"found": ","}),
        ("1, 2", "bad_value", (1, 2), {"found": ","}),
        ("[1, 2]]", "bad_value", (1, 7), {"found": "]"}),
        ("[1] [2]", "bad_value", (1, 5), {"found": "["}),
        ("abc", "bad_value", (1, 1), {"found": "abc"}),
        ("x + 1", "bad_value", (1, 1), {"found": "x"}),
        ("1.2.3", "bad_value", (1, 1), {"found": "1.2.3"}),
        ("0x10", "bad_value", (1, 1), {"found": "0x10"}),
        ("(1, 2)", "bad_value", (1, 1), {"found": "("}),
        ("'1'", "bad_value", (1, 1), {"found": "'"}),
        ("# 1", "bad_value", (1, 1), {"found": "#"}),
        ("nan", "non_finite_value", (1, 1), {"text": "nan"}),
        ("[1, -inf]", "non_finite_value", (1, 5), {"text": "-inf"}),
        ("Infinity", "non_finite_value", (1, 1), {}),
        ("1e999", "constant_too_large", (1, 1), {}),
        ("1e13", "constant_too_large", (1, 1), {}),
        ("[1, \u0445]", "bad_value", (1, 5), {"found": "\u0445"}),  # a value, not a name
        ("영", "bad_value", (1, 1), {"found": "영"}),
        ("[1, 2\x00]", "invisible_character", (1, 6), {}),
        (b"[1]", "not_text", None, {"type": "bytes"}),
    ],
)
def test_bad_values(text, code, position, params):
    err = error(lambda: parse_value(text))
    assert (err.code, err.position) == (code, position)
    for key, value in params.items():
        assert err.params[key] == value


def test_ragged_message_names_the_row():
    err = error(lambda: parse_value("[[1, 2], [3]]"))
    assert "row [1] at line 1, column 10 has 1 element(s), but row [0] has 2" in str(err)
    assert "[1] 행의 원소는 1개인데 [0] 행은 2개입니다" in err.message("ko")


def test_limits_of_values():
    limits = Limits(max_array_elements=4, max_array_dims=2, max_array_text=20)
    np.testing.assert_array_equal(parse_value("[[1, 2], [3, 4]]", limits), [[1, 2], [3, 4]])
    assert error(lambda: parse_value("[1, 2, 3, 4, 5]", limits)).params["count"] == 5
    assert error(lambda: parse_value("[[[1]]]", limits)).code == "too_many_dimensions"
    assert parse_value("[" + " " * 17 + "1]", limits).shape == (1,)   # 20 characters
    err = error(lambda: parse_value("[" + " " * 18 + "1]", limits))    # 21 characters
    assert (err.code, err.params["length"], err.params["limit"]) == ("too_long", 21, 20)
