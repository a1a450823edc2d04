"""Parsing user text into a validated Program, never evaluating it.

The text is length-checked, normalised, depth-checked and only then given to
Python's ``ast`` parser (which is safe on short input; its own failures are
caught). The tree is walked once with an allow-list; anything else is an
ExpressionError with a position. Nothing here executes user text.
"""

from __future__ import annotations

import ast
import difflib
import math
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .errors import ExpressionError
from .limits import DEFAULT_LIMITS, Limits
from .normalize import normalize

BINARY = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}
UNARY = {ast.USub: "-", ast.UAdd: "+"}
DESCRIBE = {
    ast.Attribute: "attribute access like 'x.data'", ast.Subscript: "indexing like 'x[0]'",
    ast.Lambda: "a lambda", ast.Compare: "a comparison", ast.BoolOp: "'and'/'or'",
    ast.IfExp: "an if-expression", ast.ListComp: "a list comprehension",
    ast.GeneratorExp: "a generator", ast.Dict: "a dict", ast.Set: "a set",
    ast.List: "a list (set array values in the value boxes)", ast.JoinedStr: "an f-string",
    ast.NamedExpr: "the walrus operator", ast.Starred: "'*' unpacking", ast.Await: "await",
    ast.Import: "import", ast.ImportFrom: "import", ast.FunctionDef: "a function definition",
    ast.AugAssign: "'+=' style assignment", ast.AnnAssign: "an annotated assignment",
}


@dataclass(frozen=True)
class FunctionSpec:
    """One function the language allows: ``name(*inputs, *params)``."""

    name: str
    func: Any
    n_inputs: int
    params: tuple[str, ...] = ()
    doc: str = ""


@dataclass(frozen=True)
class Statement:
    """One line: ``target = expr`` or (last line only) a bare ``expr``."""

    target: str | None
    expr: ast.expr
    line: int


@dataclass(frozen=True)
class Program:
    """A validated program: its statements, inputs and assigned names."""

    text: str
    statements: tuple[Statement, ...]
    input_names: tuple[str, ...]
    assigned_names: tuple[str, ...]
    functions: Mapping[str, FunctionSpec] = field(repr=False)

    def canonical(self) -> str:
        """The program as understood, pretty-printed (what the app shows back)."""
        lines = []
        for st in self.statements:
            text = ast.unparse(st.expr)
            lines.append(f"{st.target} = {text}" if st.target else text)
        return "\n".join(lines)


def _pos(node: ast.AST) -> tuple[int, int] | None:
    line = getattr(node, "lineno", None)
    return None if line is None else (line, getattr(node, "col_offset", 0) + 1)


def _check_nesting(text: str, limits: Limits) -> None:
    depth = 0
    line, col = 1, 0
    for ch in text:
        col += 1
        if ch == "\n":
            line, col = line + 1, 0
        elif ch in "([":
            depth += 1
            if depth > limits.max_depth:
                raise ExpressionError("too_deep", (line, col), depth=depth, limit=limits.max_depth)
        elif ch in ")]":
            depth -= 1


def parse_program(text: str, functions: Mapping[str, FunctionSpec],
                  limits: Limits = DEFAULT_LIMITS) -> Program:
    """Parse and validate ``text``; raises ExpressionError (and nothing else)."""
    if not isinstance(text, str):
        raise ExpressionError("bad_syntax", None,
                              detail=f"expected text, got {type(text).__name__}")
    if len(text) > limits.max_length:
        raise ExpressionError("too_long", None, length=len(text), limit=limits.max_length)
    text = normalize(text)
    if not any(line.split("#", 1)[0].strip() for line in text.splitlines()):
        raise ExpressionError("empty")
    _check_nesting(text, limits)
    try:
        with warnings.catch_warnings():  # e.g. SyntaxWarning "invalid decimal literal"
            warnings.simplefilter("ignore")
            tree = ast.parse(text, mode="exec")
    except SyntaxError as exc:
        detail = (exc.msg or "syntax error").replace("'", "")
        raise ExpressionError("bad_syntax", (exc.lineno or 1, exc.offset or 1),
                              detail=detail) from None
    except (RecursionError, MemoryError, ValueError, OverflowError):
        raise ExpressionError("too_deep", None, depth="too many", limit=limits.max_depth) from None
    return _Validator(text, functions, limits).program(tree)


class _Validator:
    def __init__(self, text: str, functions: Mapping[str, FunctionSpec], limits: Limits):
        self.text = text
        self.functions = functions
        self.limits = limits
        self.nodes = 0
        self.used: list[str] = []

    def program(self, tree: ast.Module) -> Program:
        body = tree.body
        if len(body) > self.limits.max_statements:
            raise ExpressionError("too_many_statements", _pos(body[-1]), count=len(body),
                                  limit=self.limits.max_statements)
        statements: list[Statement] = []
        assigned: list[str] = []
        for k, node in enumerate(body):
            if isinstance(node, ast.Assign):
                if len(node.targets) != 1 or not isinstance(node.targets[0], ast.Name):
                    raise ExpressionError("not_allowed", _pos(node), what="this kind of assignment")
                name = node.targets[0].id
                self._check_name(name, node.targets[0])
                if name in assigned or name in self.used:
                    raise ExpressionError("reassigned", _pos(node), name=name)
                self._expr(node.value)
                assigned.append(name)
                statements.append(Statement(name, node.value, node.lineno))
            elif isinstance(node, ast.Expr):
                if k != len(body) - 1:
                    raise ExpressionError("bare_expression_not_last", _pos(node))
                self._expr(node.value)
                statements.append(Statement(None, node.value, node.lineno))
            else:
                raise ExpressionError("not_allowed", _pos(node), what=self._describe(node))
        if not statements:
            raise ExpressionError("no_output")
        inputs = tuple(dict.fromkeys(n for n in self.used if n not in assigned))
        if len(inputs) > self.limits.max_variables:
            raise ExpressionError("too_many_variables", None, count=len(inputs),
                                  limit=self.limits.max_variables)
        return Program(self.text, tuple(statements), inputs, tuple(assigned), self.functions)

    def _describe(self, node: ast.AST) -> str:
        for kind, text in DESCRIBE.items():
            if isinstance(node, kind):
                return text
        if isinstance(node, ast.Constant) and isinstance(node.value, (str, bytes)):
            return "text in quotes"
        return f"'{type(node).__name__}'"

    def _check_name(self, name: str, node: ast.AST) -> None:
        reason = None
        if name.startswith("_"):
            reason = "names may not start with '_'"
        elif len(name) > self.limits.max_name_length:
            reason = f"names may be at most {self.limits.max_name_length} characters"
        elif name in self.functions:
            reason = f"{name} is a function; call it like {name}(x)"
        if reason:
            raise ExpressionError("bad_name", _pos(node), name=name[:40], reason=reason)

    def _count(self, node: ast.AST, depth: int) -> None:
        self.nodes += 1
        if self.nodes > self.limits.max_nodes:
            raise ExpressionError("too_many_nodes", _pos(node), count=f"more than {self.nodes - 1}",
                                  limit=self.limits.max_nodes)
        if depth > self.limits.max_depth:
            raise ExpressionError("too_deep", _pos(node), depth=depth, limit=self.limits.max_depth)

    def _expr(self, root: ast.expr) -> None:
        stack: list[tuple[ast.AST, int]] = [(root, 1)]
        while stack:  # iterative: depth is bounded by the limit, not by Python's stack
            node, depth = stack.pop()
            self._count(node, depth)
            if isinstance(node, ast.BinOp) and type(node.op) in BINARY:
                if isinstance(node.op, ast.Pow):
                    self._check_exponent(node.right)
                stack += [(node.right, depth + 1), (node.left, depth + 1)]
            elif isinstance(node, ast.UnaryOp) and type(node.op) in UNARY:
                stack.append((node.operand, depth + 1))
            elif isinstance(node, ast.Constant) and _is_number(node.value):
                self._check_constant(node)
            elif isinstance(node, ast.Name):
                self._check_name(node.id, node)
                self.used.append(node.id)
            elif isinstance(node, ast.Call):
                stack += [(arg, depth + 1) for arg in reversed(self._call(node))]
            elif isinstance(node, ast.BinOp):
                raise ExpressionError("not_allowed", _pos(node),
                                      what=f"the operator {ast.unparse(node.op).strip() or '?'}")
            else:
                raise ExpressionError("not_allowed", _pos(node), what=self._describe(node))

    def _check_constant(self, node: ast.Constant) -> None:
        if abs(node.value) > self.limits.max_abs_constant:
            raise ExpressionError("constant_too_large", _pos(node), value=_short(node.value),
                                  limit=self.limits.max_abs_constant)

    def _check_exponent(self, node: ast.expr) -> None:
        value = _fold(node)
        if value is _NOT_CONSTANT:
            return  # depends on a variable: evaluated in float64, which cannot hang
        if value is None or abs(value) > self.limits.max_abs_exponent:
            raise ExpressionError("exponent_too_large", _pos(node),
                                  value=_short(value) if value is not None else "too large",
                                  limit=int(self.limits.max_abs_exponent))

    def _call(self, node: ast.Call) -> list[ast.expr]:
        if not isinstance(node.func, ast.Name):
            raise ExpressionError("not_allowed", _pos(node),
                                  what="calling a method or an expression like obj.f()")
        name = node.func.id
        spec = self.functions.get(name)
        if spec is None:
            close = difflib.get_close_matches(name, list(self.functions), n=1)
            raise ExpressionError("unknown_function", _pos(node), name=name[:40],
                                  suggestion=close[0] if close else None,
                                  available=", ".join(sorted(self.functions)))
        max_positional = spec.n_inputs + len(spec.params)
        given = len(node.args)
        if given < spec.n_inputs or given > max_positional or any(
            isinstance(a, ast.Starred) for a in node.args
        ):
            expected = f"{spec.n_inputs} input(s)" + (
                f" and optionally {', '.join(spec.params)}" if spec.params else "")
            raise ExpressionError("wrong_arguments", _pos(node), name=name, expected=expected,
                                  given=f"{given} argument(s)")
        for arg in node.args[spec.n_inputs:]:
            _param_value(arg, name, "value")
        for kw in node.keywords:
            if kw.arg is None or kw.arg not in spec.params:
                raise ExpressionError("wrong_arguments", _pos(node), name=name,
                                      expected="only the parameters " + (
                                          ", ".join(spec.params) or "(none)"),
                                      given=f"{kw.arg or '**'}=")
            _param_value(kw.value, name, kw.arg)
        return list(node.args[: spec.n_inputs])


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 24 else text[:21] + "..."


_NOT_CONSTANT = object()


def _fold(node: ast.expr) -> Any:
    """Value of a constant sub-expression in floats (None on overflow), or _NOT_CONSTANT."""
    stack: list[tuple[ast.expr, bool]] = [(node, False)]
    values: list[Any] = []
    while stack:
        current, ready = stack.pop()
        if isinstance(current, ast.Constant) and _is_number(current.value):
            values.append(float(current.value) if abs(current.value) < 1e300 else None)
        elif isinstance(current, ast.UnaryOp) and type(current.op) in UNARY:
            if not ready:
                stack += [(current, True), (current.operand, False)]
            else:
                v = values.pop()
                values.append(v if v in (None, _NOT_CONSTANT) or isinstance(current.op, ast.UAdd)
                              else -v)
        elif isinstance(current, ast.BinOp) and type(current.op) in BINARY:
            if not ready:
                stack += [(current, True), (current.right, False), (current.left, False)]
            else:
                b, a = values.pop(), values.pop()
                values.append(_apply(a, b, current.op))
        else:
            values.append(_NOT_CONSTANT)
    return values[0]


def _apply(a: Any, b: Any, op: ast.operator) -> Any:
    if a is _NOT_CONSTANT or b is _NOT_CONSTANT:
        return _NOT_CONSTANT
    if a is None or b is None:
        return None
    try:
        if isinstance(op, ast.Pow):
            if abs(b) > 1e4:
                return None
            result = a**b
        elif isinstance(op, ast.Add):
            result = a + b
        elif isinstance(op, ast.Sub):
            result = a - b
        elif isinstance(op, ast.Mult):
            result = a * b
        else:
            result = a / b
    except (OverflowError, ZeroDivisionError, ValueError):
        return None
    if isinstance(result, complex) or not math.isfinite(result):
        return None
    return result


def _param_value(node: ast.expr, name: str, param: str) -> None:
    expected = "a number, a tuple of integers, True, False or None"
    if isinstance(node, ast.Constant) and (node.value is None or isinstance(node.value, bool)
                                           or _is_number(node.value)):
        if _is_number(node.value) and abs(node.value) > 1e6:
            raise ExpressionError("bad_parameter", _pos(node), name=name, param=param,
                                  expected="a small number")
        return
    if (isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub)
            and isinstance(node.operand, ast.Constant) and _is_number(node.operand.value)):
        return
    if isinstance(node, ast.Tuple) and len(node.elts) <= 8 and all(
        isinstance(e, ast.Constant) and isinstance(e.value, int) and not isinstance(e.value, bool)
        and abs(e.value) <= 10_000 or (
            isinstance(e, ast.UnaryOp) and isinstance(e.op, ast.USub)
            and isinstance(e.operand, ast.Constant) and isinstance(e.operand.value, int))
        for e in node.elts
    ):
        return
    raise ExpressionError("bad_parameter", _pos(node), name=name, param=param, expected=expected)


def literal_param(node: ast.expr) -> Any:
    """The Python value of an already-validated constant parameter."""
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.UnaryOp):
        return -node.operand.value
    return tuple(literal_param(e) for e in node.elts)
