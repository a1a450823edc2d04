"""Evaluating a validated Program with caller-supplied operations (never eval/exec).

The walk is iterative (children before parents), so it does not depend on Python's
recursion limit. Every failure inside an operation becomes an ExpressionError with the
position of the operator or call and the op's name; numerical trouble (NaN or infinity
newly produced by an op) is recorded in ``Result.warnings`` instead of raised.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from .errors import ExpressionError, only_expression_errors
from .syntax import (
    MATMUL,
    MATMUL_FUNCTION,
    Binary,
    Call,
    FunctionSpec,
    Name,
    Node,
    Num,
    Param,
    Position,
    Program,
    Unary,
)
from .values import as_input_array


@dataclass(frozen=True)
class Operators:
    """How to apply + - * / ** and unary minus to values.

    ``pow(base, exponent)`` gets a Python int or float when the exponent is a constant
    (``x ** 2``, ``x ** -0.5``), else the exponent's value.
    """

    add: Callable[[Any, Any], Any]
    sub: Callable[[Any, Any], Any]
    mul: Callable[[Any, Any], Any]
    div: Callable[[Any, Any], Any]
    pow: Callable[[Any, Any], Any]
    neg: Callable[[Any], Any]


NUMPY_OPERATORS = Operators(np.add, np.subtract, np.multiply, np.true_divide, np.power,
                            np.negative)
"""Plain numpy arithmetic (for evaluating without an autograd engine)."""


class Trouble(NamedTuple):
    """Numerical trouble at one operation: it produced NaN (``kind="nan"``, an invalid
    operation such as log(-1) or 0/0) or infinity (``kind="inf"``, a division by zero or
    an overflow) from inputs that did not have them."""

    position: Position | None
    op: str
    kind: str


@dataclass
class Result:
    """What evaluation produced.

    ``inputs``: input name -> the object ``make_input`` made; ``outputs``: assigned
    name -> value, in program order; ``output``: the last statement's value;
    ``warnings``: one :class:`Trouble` per (operation, kind) of numerical trouble.
    """

    inputs: dict[str, Any]
    outputs: dict[str, Any]
    output: Any
    warnings: list[Trouble]


_FLAG_KINDS = {"invalid value": "nan", "divide by zero": "inf", "overflow": "inf"}
_BROADCASTING = ("+", "-", "*", "/", "**")  # elementwise: the shapes broadcast
_SHAPE_WORDS = ("broadcast", "shape", "dimension", "aligned", "mismatch", "reshape", "size")


def _data(value: Any) -> np.ndarray:
    """The numpy data of an engine value (``.data`` of a Variable) or of a plain array."""
    if isinstance(value, (np.ndarray, np.generic, int, float)):
        return np.asarray(value)
    data = getattr(value, "data", value)
    try:
        return np.asarray(data)
    except Exception:  # an engine object we cannot look into: no checks on it
        return np.asarray(0.0)


def _shapes(values: list[Any]) -> str:
    return ", ".join(str(tuple(np.shape(_data(v)))) for v in values)


def _non_finite(a: np.ndarray) -> tuple[bool, bool]:
    """(has NaN, has infinity) for a float array; (False, False) otherwise."""
    if a.dtype.kind not in "fc" or a.size == 0:
        return False, False
    if np.isfinite(a).all():
        return False, False
    return bool(np.isnan(a).any()), bool(np.isinf(a).any())


class _Evaluator:
    def __init__(self, program: Program, functions: Mapping[str, FunctionSpec],
                 operators: Operators, make_constant: Callable[[np.ndarray], Any]):
        self.program = program
        self.limits = program.limits
        self.functions = functions
        self.operators = operators
        self.make_constant = make_constant
        self.warnings: list[Trouble] = []
        self.binary = {"+": operators.add, "-": operators.sub, "*": operators.mul,
                       "/": operators.div, "**": operators.pow}
        self.elements = 0  # spent so far: elements of every value, multiply-adds
        self.work = 0

    def spend(self, node: Node | None, op: str, elements: int, work: int) -> None:
        """Count an operation's result and work against the program's budget, before it
        runs (a program over budget is refused with nothing allocated)."""
        limits = self.limits
        self.elements += elements
        self.work += work
        position = node.position if node is not None else None
        if self.elements * limits.passes > limits.max_total_elements:
            raise ExpressionError("too_much_memory", position, op=op,
                                  count=self.elements * limits.passes,
                                  limit=limits.max_total_elements)
        if self.work * limits.passes > limits.max_total_work:
            raise ExpressionError("too_much_work", position, op=op,
                                  count=self.work * limits.passes, limit=limits.max_total_work)

    def spend_call(self, node: Node, op: str, spec: FunctionSpec, args: list[Any],
                   params: list[Any], keywords: dict[str, Any]) -> None:
        """A function's result shape and work from its shape rule, checked before the call."""
        if spec.cost is None:
            return
        named = dict(zip(spec.params, params, strict=False)) | keywords
        try:
            shape, work = spec.cost(tuple(np.shape(_data(a)) for a in args), **named)
            size = math.prod(shape)
        except Exception:  # bad operands: the call itself says what is wrong with them
            return
        if size > self.limits.max_result_elements:
            raise ExpressionError("result_too_large", node.position, op=op, count=size,
                                  limit=self.limits.max_result_elements)
        self.spend(node, op, size, int(work))

    def apply(self, node: Node, op: str, fn: Callable[..., Any], operands: list[Any],
              *extra: Any, **kw: Any) -> Any:
        """Call ``fn(*operands, *extra, **kw)``; failures become ExpressionError at ``node``."""
        flags: list[str] = []
        try:
            with np.errstate(all="call", call=lambda kind, _flag: flags.append(kind)):
                out = fn(*operands, *extra, **kw)
        except ExpressionError:
            raise
        except MemoryError:
            raise ExpressionError("result_too_large", node.position, op=op, count="too many",
                                  limit=self.limits.max_result_elements) from None
        except Exception as exc:  # the op refused its operands (shapes, domain, types...)
            detail = (str(exc).strip().split("\n", 1)[0][:200] or type(exc).__name__)
            if isinstance(exc, ValueError) and any(w in detail.lower() for w in _SHAPE_WORDS):
                raise ExpressionError("shape_mismatch", node.position, op=op,
                                      shapes=_shapes(operands), detail=detail,
                                      broadcast=op in _BROADCASTING) from None
            raise ExpressionError("evaluation_failed", node.position, op=op,
                                  detail=detail) from None
        data = _data(out)
        if data.size > self.limits.max_result_elements:
            raise ExpressionError("result_too_large", node.position, op=op, count=data.size,
                                  limit=self.limits.max_result_elements)
        nan, inf = _non_finite(data)
        if nan or inf:
            before = [_non_finite(_data(v)) for v in operands]
            kinds = {_FLAG_KINDS[f] for f in flags if f in _FLAG_KINDS}
            if nan and ("nan" in kinds or not any(b[0] for b in before)):
                self.warnings.append(Trouble(node.position, op, "nan"))
            if inf and ("inf" in kinds or not any(b[1] for b in before)):
                self.warnings.append(Trouble(node.position, op, "inf"))
        return out

    def check_broadcast(self, node: Node, op: str, left: Any, right: Any) -> None:
        shapes = (np.shape(_data(left)), np.shape(_data(right)))
        try:
            shape = np.broadcast_shapes(*shapes)
        except ValueError:
            raise ExpressionError("shape_mismatch", node.position, op=op,
                                  shapes=_shapes([left, right]),
                                  detail="shapes cannot be broadcast together",
                                  broadcast=True) from None
        size = math.prod(shape)
        if size > self.limits.max_result_elements:
            raise ExpressionError("result_too_large", node.position, op=op, count=size,
                                  limit=self.limits.max_result_elements)
        self.spend(node, op, size, size)

    def run(self, root: Node, env: Mapping[str, Any]) -> Any:
        values: dict[int, Any] = {}
        stack: list[tuple[Node, bool]] = [(root, False)]
        while stack:
            node, ready = stack.pop()
            if not ready:
                stack.append((node, True))
                if isinstance(node, Binary) and node.exponent is not None:
                    stack.append((node.left, False))  # constant exponent: not a graph node
                elif isinstance(node, Call):
                    stack.extend((a, False) for a in reversed(node.args))
                else:
                    stack.extend((c, False) for c in reversed(node.children()))
                continue
            values[id(node)] = self.value(node, values, env)
        return values[id(root)]

    def value(self, node: Node, values: dict[int, Any], env: Mapping[str, Any]) -> Any:
        if isinstance(node, Num):
            return _callback(self.make_constant, "constant",
                             np.array(node.value, dtype=np.float64))
        if isinstance(node, Name):
            return env[node.id]
        if isinstance(node, Unary):
            operand = values.pop(id(node.operand))
            if node.op == "+":
                return operand
            size = _data(operand).size
            self.spend(node, "-", size, size)
            return self.apply(node, "-", self.operators.neg, [operand])
        if isinstance(node, Binary):
            left = values.pop(id(node.left))
            name = node.op
            if node.exponent is not None:
                c = node.exponent
                c = int(c) if float(c).is_integer() else c
                size = _data(left).size
                self.spend(node, name, size, size)
                return self.apply(node, name, self.operators.pow, [left], c)
            right = values.pop(id(node.right))
            if node.op == MATMUL:  # matmul(left, right): the function's shape rule and cost
                spec = self.functions[MATMUL_FUNCTION]
                self.spend_call(node, name, spec, [left, right], [], {})
                return self.apply(node, name, spec.func, [left, right])
            self.check_broadcast(node, name, left, right)
            return self.apply(node, name, self.binary[node.op], [left, right])
        if isinstance(node, Call):
            spec = self.functions.get(node.name)
            if spec is None:
                raise ExpressionError("unknown_function", node.position, name=node.name,
                                      available=", ".join(sorted(self.functions)),
                                      suggestion="")
            args = [values.pop(id(a)) for a in node.args]
            params = [p.value for p in node.params]
            keywords = {k: p.value for k, p in node.keywords}
            self.spend_call(node, node.name, spec, args, params, keywords)
            return self.apply(node, node.name, spec.func, args, *params, **keywords)
        assert isinstance(node, Param)  # parameters are read by their call
        return node.value


@only_expression_errors
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
    """Evaluate ``program`` with the caller's operations.

    ``inputs`` maps each input name to a value: text for :func:`exprlang.parse_value`
    (``"[1, 2]"``), a number, a nested list or an array; each becomes a float64 array
    and is passed to ``make_input(name, array)``. Number literals go through
    ``make_constant(array)``. ``name_output(value, name)`` is called for each assigned
    name (so the engine can name the variable). ``functions`` defaults to the ones the
    program was parsed with.

    Raises ExpressionError only: ``missing_value``, value errors, ``shape_mismatch``,
    ``result_too_large`` or ``evaluation_failed`` (with the op's position and name).
    Runs under ``np.errstate(all="ignore")``; NaN/inf produced by an op are reported in
    ``Result.warnings``.
    """
    functions = program.functions if functions is None else functions
    limits = program.limits
    env: dict[str, Any] = {}
    made: dict[str, Any] = {}
    for name in program.input_names:
        if name not in inputs:
            raise ExpressionError("missing_value", program.input_positions.get(name),
                                  name=name)
        try:
            array = as_input_array(name, inputs[name], limits)
        except ExpressionError as err:  # say which variable's value it is
            if "name" not in err.params:
                err.params["variable"] = name
            raise
        made[name] = env[name] = _callback(make_input, "input", name, array)
    evaluator = _Evaluator(program, functions, operators, make_constant)
    evaluator.spend(None, "input", sum(_data(v).size for v in made.values()), 0)
    outputs: dict[str, Any] = {}
    result: Any = None
    with np.errstate(all="ignore"):
        for st in program.statements:
            result = evaluator.run(st.expr, env)
            if st.target is not None:
                env[st.target] = outputs[st.target] = result
                if name_output is not None:
                    _callback(name_output, "name", result, st.target)
    return Result(made, outputs, result, evaluator.warnings)


def _callback(fn: Callable[..., Any], what: str, *args: Any) -> Any:
    try:
        return fn(*args)
    except ExpressionError:
        raise
    except Exception as exc:
        detail = str(exc).split("\n", 1)[0][:200] or type(exc).__name__
        raise ExpressionError("evaluation_failed", None, op=what, detail=detail) from None
