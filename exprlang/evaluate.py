"""Evaluating a validated Program with caller-supplied operations (no eval/exec)."""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .errors import ExpressionError
from .parser import FunctionSpec, Program, _fold, _pos, literal_param


@dataclass(frozen=True)
class Operators:
    """How to apply + - * / ** and unary minus to values."""

    add: Callable[[Any, Any], Any]
    sub: Callable[[Any, Any], Any]
    mul: Callable[[Any, Any], Any]
    div: Callable[[Any, Any], Any]
    pow: Callable[[Any, Any], Any]
    neg: Callable[[Any], Any]


NUMPY_OPERATORS = Operators(np.add, np.subtract, np.multiply, np.true_divide, np.power,
                            np.negative)


@dataclass
class Trouble:
    """Numerical trouble (NaN or infinity appeared) at one operation."""

    position: tuple[int, int] | None
    op: str
    kind: str  # "nan" or "inf"
    value: Any = field(repr=False, default=None)


@dataclass
class Result:
    """What evaluation produced."""

    inputs: dict[str, Any]
    outputs: dict[str, Any]
    output: Any
    warnings: list[Trouble]


def _data(value: Any) -> np.ndarray:
    return np.asarray(getattr(value, "data", value))


def evaluate(
    program: Program,
    inputs: Mapping[str, Any],
    *,
    functions: Mapping[str, FunctionSpec] | None = None,
    operators: Operators = NUMPY_OPERATORS,
    make_input: Callable[[str, np.ndarray], Any] = lambda name, a: a,
    make_constant: Callable[[np.ndarray], Any] = lambda a: a,
    name_output: Callable[[Any, str], None] | None = None,
) -> Result:
    """Evaluate ``program``; op failures become ExpressionError with the op's position."""
    functions = program.functions if functions is None else functions
    env: dict[str, Any] = {}
    made_inputs: dict[str, Any] = {}
    for name in program.input_names:
        if name not in inputs:
            raise ExpressionError("missing_value", None, name=name)
        value = inputs[name]
        made_inputs[name] = env[name] = make_input(name, np.asarray(value, dtype=np.float64))
    outputs: dict[str, Any] = {}
    troubles: list[Trouble] = []
    result = None
    binary = {ast.Add: operators.add, ast.Sub: operators.sub, ast.Mult: operators.mul,
              ast.Div: operators.div, ast.Pow: operators.pow}

    def apply(node: ast.AST, label: str, fn: Callable[..., Any], *args: Any, **kw: Any) -> Any:
        try:
            with np.errstate(all="ignore"):
                out = fn(*args, **kw)
        except ExpressionError:
            raise
        except Exception as exc:  # an op refused its inputs (shapes, domain...)
            detail = str(exc).split("\n", 1)[0][:300] or type(exc).__name__
            raise ExpressionError("evaluation_failed", _pos(node), op=label,
                                  detail=detail) from None
        data = _data(out)
        new_trouble = (np.issubdtype(data.dtype, np.floating) and not np.all(np.isfinite(data))
                       and all(np.all(np.isfinite(_data(a))) for a in args))
        if new_trouble:
            kind = "nan" if np.any(np.isnan(data)) else "inf"
            troubles.append(Trouble(_pos(node), label, kind, out))
        return out

    def value_of(node: ast.expr) -> Any:  # depth is bounded by Limits.max_depth
        if isinstance(node, ast.Constant):
            return make_constant(np.asarray(float(node.value)))
        if isinstance(node, ast.Name):
            return env[node.id]
        if isinstance(node, ast.UnaryOp):
            operand = value_of(node.operand)
            if isinstance(node.op, ast.UAdd):
                return operand
            return apply(node, "-", operators.neg, operand)
        if isinstance(node, ast.BinOp):
            if isinstance(node.op, ast.Pow):
                exponent = _fold(node.right)  # a constant exponent stays a parameter: Pow(c)
                if isinstance(exponent, float):
                    c = int(exponent) if exponent.is_integer() else exponent
                    return apply(node, "**", operators.pow, value_of(node.left), c)
            left, right = value_of(node.left), value_of(node.right)
            symbol = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}
            return apply(node, symbol[type(node.op)], binary[type(node.op)], left, right)
        if isinstance(node, ast.Call):
            spec = functions[node.func.id]
            args = [value_of(a) for a in node.args[: spec.n_inputs]]
            params = [literal_param(a) for a in node.args[spec.n_inputs:]]
            kw = {k.arg: literal_param(k.value) for k in node.keywords}
            return apply(node, spec.name, spec.func, *args, *params, **kw)
        raise ExpressionError("not_allowed", _pos(node), what=type(node).__name__)

    try:
        for st in program.statements:
            result = value_of(st.expr)
            if st.target is not None:
                env[st.target] = outputs[st.target] = result
                if name_output is not None:
                    name_output(result, st.target)
    except RecursionError:
        raise ExpressionError("too_deep", None, depth="too many", limit="the limit") from None
    return Result(made_inputs, outputs, result, troubles)
