"""Shared helpers of the exprlang tests (a unique module name: test folders are combined)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from exprlang import (
    DEFAULT_LIMITS,
    ExpressionError,
    Limits,
    evaluate,
    numpy_functions,
    parse_program,
)

FUNCTIONS = numpy_functions()
HOSTILE = Path(__file__).parent / "data" / "hostile_inputs.txt"
_ESCAPE = re.compile(r"\\(n|\\|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8})")


def decode_line(line: str) -> str:
    r"""Undo the corpus escaping: \n newline, \\ backslash, \xHH, \uHHHH, \UHHHHHHHH."""

    def sub(m: re.Match) -> str:
        code = m.group(1)
        if code == "n":
            return "\n"
        if code == "\\":
            return "\\"
        return chr(int(code[1:], 16))

    return _ESCAPE.sub(sub, line)


def hostile_inputs() -> list[str]:
    """The corpus: one input per line; lines starting with '# ' and blank lines skipped."""
    lines = HOSTILE.read_text(encoding="utf-8").splitlines()
    return [decode_line(line) for line in lines if line and not line.startswith("# ")]


def run(text: str, values: dict[str, Any] | None = None, limits: Limits = DEFAULT_LIMITS) -> Any:
    """Parse ``text`` with the numpy table and evaluate it; returns the Result."""
    program = parse_program(text, FUNCTIONS, limits)
    values = dict(values or {})
    for name in program.input_names:
        values.setdefault(name, 0.5)
    return evaluate(program, values, functions=FUNCTIONS)


def error(fn: Callable[[], Any]) -> ExpressionError:
    """The ExpressionError ``fn`` raises (fails the test if it raises nothing)."""
    with pytest.raises(ExpressionError) as info:
        fn()
    return info.value


def parse_error(text: str, limits: Limits = DEFAULT_LIMITS) -> ExpressionError:
    return error(lambda: parse_program(text, FUNCTIONS, limits))
