"""Values for input variables: a number or a (nested) list of numbers."""

from __future__ import annotations

import ast
import warnings

import numpy as np

from .errors import ExpressionError
from .limits import DEFAULT_LIMITS, Limits
from .normalize import normalize


def parse_value(text: str, limits: Limits = DEFAULT_LIMITS) -> np.ndarray:
    """``"0.5"``, ``"-2"``, ``"[1, 2, 3]"``, ``"[[1, 2], [3, 4]]"`` -> float64 array.

    Element count and nesting are checked on the syntax tree before anything is
    allocated; NaN and infinity are not accepted (type them as expressions).
    """
    raw = str(text)
    if len(raw) > limits.max_array_text:
        raise ExpressionError("too_long", None, length=len(raw), limit=limits.max_array_text)
    text = normalize(raw).strip()
    if not text:
        raise ExpressionError("bad_value", None, text=raw[:30], detail="it is empty")
    if text.count("[") > limits.max_array_elements + limits.max_array_depth:
        raise ExpressionError("too_many_elements", None, count="too many",
                              limit=limits.max_array_elements)
    depth = 0
    for ch in text:
        depth += (ch == "[") - (ch == "]")
        if depth > limits.max_array_depth:
            raise ExpressionError("bad_value", None, text=raw[:30],
                                  detail=f"at most {limits.max_array_depth} nested lists")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(text, mode="eval").body
    except (SyntaxError, RecursionError, MemoryError, ValueError) as exc:
        detail = getattr(exc, "msg", None) or "not a number or list"
        raise ExpressionError("bad_value", None, text=raw[:30], detail=detail) from None
    shape = _shape(tree, raw, limits)
    count = int(np.prod(shape)) if shape else 1
    if count > limits.max_array_elements:
        raise ExpressionError("too_many_elements", None, count=count,
                              limit=limits.max_array_elements)
    return np.array(_values(tree), dtype=np.float64).reshape(shape)


def _number(node: ast.expr, raw: str, limits: Limits) -> float:
    sign = 1.0
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        sign = -1.0 if isinstance(node.op, ast.USub) else 1.0
        node = node.operand
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(
        node.value, bool
    ):
        if abs(node.value) > limits.max_abs_constant:
            raise ExpressionError("constant_too_large", None, value=repr(node.value)[:24],
                                  limit=limits.max_abs_constant)
        return sign * float(node.value)
    raise ExpressionError("bad_value", None, text=raw[:30],
                          detail=f"{ast.unparse(node)[:20]!r} is not a number")


def _shape(node: ast.expr, raw: str, limits: Limits) -> tuple[int, ...]:
    if not isinstance(node, ast.List):
        _number(node, raw, limits)
        return ()
    if not node.elts:
        raise ExpressionError("bad_value", None, text=raw[:30], detail="an empty list")
    if len(node.elts) > limits.max_array_elements:
        raise ExpressionError("too_many_elements", None, count=len(node.elts),
                              limit=limits.max_array_elements)
    shapes = [_shape(e, raw, limits) for e in node.elts]
    if any(s != shapes[0] for s in shapes):
        lengths = ", ".join(str(s[0]) if s else "a number" for s in shapes[:6])
        raise ExpressionError("ragged", None, detail=f"row lengths {lengths}")
    return (len(node.elts),) + shapes[0]


def _values(node: ast.expr) -> list | float:
    if isinstance(node, ast.List):
        return [_values(e) for e in node.elts]
    if isinstance(node, ast.UnaryOp):
        value = node.operand.value
        return -float(value) if isinstance(node.op, ast.USub) else float(value)
    return float(node.value)
