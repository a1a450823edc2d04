"""Values for input variables: a number or a rectangular nested list of numbers.

Read by a small tokenizer and an explicit stack (no eval, no recursion). The element
count is checked while reading, before any array is allocated.

NaN and infinity are rejected as input values (``nan``, ``inf``, ``1e999``): a
gradient at a non-finite input means nothing to a student, and NaN/inf can still be
produced inside an expression (``log(x)`` at ``x = 0``), where evaluation reports them
as warnings on the node that made them.
"""

from __future__ import annotations

import math
import re
from typing import Any

import numpy as np

from .errors import ExpressionError, only_expression_errors
from .limits import DEFAULT_LIMITS, Limits
from .normalize import Normalized, normalize_text

# A number, or a fraction of two (1/2, -3/4: what the quiz box takes, so both boxes agree)
_TOKEN = re.compile(
    r"(?P<num>(?:[+-][ \t]*)?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?"
    r"(?:[ \t]*/[ \t]*(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)?(?![\w.]))"
    r"|(?P<word>(?:[+-][ \t]*)?(?:nan|inf|infinity)(?!\w))"
    r"|(?P<open>\[)|(?P<close>\])|(?P<comma>,)|(?P<space>\s+)"
    r"|(?P<other>[\w.+-]+|.)",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?(?![\w.])")


class _Frame:
    """One open '[': its elements so far and what they look like."""

    __slots__ = ("count", "kind", "shape", "path", "offset")

    def __init__(self, path: tuple[int, ...], offset: int):
        self.count = 0
        self.kind: str | None = None  # "number" or "list"
        self.shape: tuple[int, ...] = ()
        self.path = path
        self.offset = offset


def _path(path: tuple[int, ...]) -> str:
    return "".join(f"[{i}]" for i in path)


@only_expression_errors
def parse_value(text: str, limits: Limits = DEFAULT_LIMITS) -> np.ndarray:
    """``"0.5"``, ``"-2"``, ``"1e-3"``, ``"1/2"``, ``"[1, 2, 3]"``, ``"[[1, 2], [3, 4]]"``
    -> float64.

    Lists must be rectangular (a ragged list names the row), at most
    ``limits.max_array_dims`` deep and hold at most ``limits.max_array_elements``
    numbers; the text may be at most ``limits.max_array_text`` characters. Raises
    ExpressionError only.
    """
    if not isinstance(text, str):
        raise ExpressionError("not_text", None, type=type(text).__name__)
    if len(text) > limits.max_array_text:
        raise ExpressionError("too_long", None, length=len(text), limit=limits.max_array_text)
    try:
        norm = normalize_text(text, comments=False)
    except ExpressionError as err:
        if err.code != "non_ascii_identifier":
            raise
        # a value is not a name: say that it must be a number (e.g. '영' typed for 0)
        raise ExpressionError("bad_value", err.position, found=err.params["char"]) from None
    if not norm.text.strip():
        raise ExpressionError("empty_value")
    flat: list[float] = []
    stack: list[_Frame] = []
    top_shape: tuple[int, ...] | None = None
    expect_value = True  # a value may come next (not right after another value)

    for m in _TOKEN.finditer(norm.text):
        kind, tok, offset = m.lastgroup, m.group(), m.start()
        if kind == "space":
            continue
        if kind == "comma":
            if expect_value or not stack:
                raise _bad(norm, offset, tok)
            expect_value = True
            continue
        if kind == "close":
            if not stack:  # (a trailing comma before ']' is fine, as in Python)
                raise _bad(norm, offset, tok)
            frame = stack.pop()
            if frame.count == 0:
                raise ExpressionError("empty_list", norm.position(frame.offset))
            shape = (frame.count,) + frame.shape
            expect_value = False
            if stack:
                _add(stack[-1], "list", shape, frame.offset, norm)
            else:
                top_shape = shape
            continue
        if not expect_value or (top_shape is not None and not stack):
            raise _bad(norm, offset, tok)
        if kind == "open":
            if len(stack) >= limits.max_array_dims:
                raise ExpressionError("too_many_dimensions", norm.position(offset),
                                      limit=limits.max_array_dims)
            parent = stack[-1] if stack else None
            path = parent.path + (parent.count,) if parent else ()
            stack.append(_Frame(path, offset))
            continue
        if kind == "word":
            raise ExpressionError("non_finite_value", norm.position(offset), text=tok[:20])
        if kind == "other":
            raise _bad(norm, offset, tok)
        top, _, bottom = tok.replace(" ", "").replace("\t", "").partition("/")
        if bottom and float(bottom) == 0:
            raise ExpressionError("value_divides_by_zero", norm.position(offset), text=tok[:24])
        value = float(top) / float(bottom) if bottom else float(top)
        if not math.isfinite(value) or abs(value) > limits.max_abs_constant:
            raise ExpressionError("constant_too_large", norm.position(offset), text=tok[:24],
                                  limit=limits.max_abs_constant)
        if len(flat) >= limits.max_array_elements:
            total = len(flat) + sum(1 for _ in _NUMBER.finditer(norm.text, offset))
            raise ExpressionError("too_many_elements", None, count=total,
                                  limit=limits.max_array_elements)
        flat.append(value)
        expect_value = False
        if stack:
            _add(stack[-1], "number", (), offset, norm)
        else:
            top_shape = ()
    if stack:
        raise ExpressionError("bad_value", norm.position(len(norm.text)), found="end_of_text")
    if top_shape is None:  # only commas or spaces: caught above; kept for safety
        raise ExpressionError("empty_value")
    return np.array(flat, dtype=np.float64).reshape(top_shape)


def _bad(norm: Normalized, offset: int, tok: str) -> ExpressionError:
    shown = tok if len(tok) <= 20 else tok[:17] + "..."
    return ExpressionError("bad_value", norm.position(offset), found=shown)


def _add(frame: _Frame, kind: str, shape: tuple[int, ...], offset: int,
         norm: Normalized) -> None:
    """Add an element to ``frame``; it must look like the ones before it."""
    index = frame.count
    frame.count += 1
    if frame.kind is None:
        frame.kind, frame.shape = kind, shape
        return
    row, first = frame.path + (index,), frame.path + (0,)
    if kind != frame.kind:
        raise ExpressionError("mixed_nesting", norm.position(offset), row=_path(row),
                              first_row=_path(first), this=kind, other=frame.kind)
    if shape != frame.shape:
        k = next(d for d in range(len(shape)) if shape[d] != frame.shape[d])
        zeros = (0,) * k
        raise ExpressionError("ragged", norm.position(offset), row=_path(row + zeros),
                              length=shape[k], first_row=_path(first + zeros),
                              expected=frame.shape[k])


def _nested_size(value: list | tuple, max_depth: int) -> int:
    """Elements of a nested list, from the length of the first item at each level (a ragged
    list is refused by numpy anyway); only ``max_depth`` levels are looked at."""
    size, item = 1, value
    for _ in range(max_depth):
        if not isinstance(item, (list, tuple)):
            break
        size *= len(item)
        if not item:
            break
        item = item[0]
    return size


def as_input_array(name: str, value: Any, limits: Limits = DEFAULT_LIMITS) -> np.ndarray:
    """A caller-supplied input value as a float64 array: text goes through
    :func:`parse_value`; arrays, numbers and lists are converted (size checked first
    where the size is known). Raises ExpressionError only."""
    if isinstance(value, str):
        return parse_value(value, limits)
    size = getattr(value, "size", None)
    if isinstance(value, (list, tuple)):  # counted before numpy copies a word of it
        size = _nested_size(value, limits.max_array_dims + 1)
    if isinstance(size, int) and size > limits.max_array_elements:
        raise ExpressionError("too_many_elements", None, count=size,
                              limit=limits.max_array_elements)
    try:
        raw = np.asarray(value)
        if raw.dtype.kind not in "biuf":
            raise TypeError(f"{raw.dtype} values")
        array = raw.astype(np.float64)
    except ExpressionError:
        raise
    except Exception as exc:
        detail = str(exc).split("\n", 1)[0][:100] or type(exc).__name__
        raise ExpressionError("bad_input_value", None, name=name, detail=detail) from None
    if array.size > limits.max_array_elements:
        raise ExpressionError("too_many_elements", None, count=array.size,
                              limit=limits.max_array_elements)
    return array
