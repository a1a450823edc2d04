"""The syntax tree of a validated program, FunctionSpec, Program and its canonical form.

All walks are iterative (:func:`postorder`), so nothing here depends on Python's
recursion limit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from .limits import DEFAULT_LIMITS, Limits

Position = tuple[int, int]

# ``a @ b`` means ``matmul(a, b)``, as in Python and numpy: the operator calls the function
# of this name (so its shape rule, cost and gradient are the function's own).
MATMUL, MATMUL_FUNCTION = "@", "matmul"


@dataclass(frozen=True)
class FunctionSpec:
    """One function the language allows.

    Called as ``func(*tensor_args, *param_values, **keyword_params)``: ``n_inputs``
    expression operands first, then constant parameters (``params``, by position or by
    keyword). ``required`` names the parameters that must be given (the rest are
    optional); ``doc`` is one line of help text.
    """

    name: str
    func: Callable[..., Any]
    n_inputs: int
    params: tuple[str, ...] = ()
    doc: str = ""
    required: tuple[str, ...] = ()
    # (operand shapes, **params) -> (result shape, multiply-adds), before the call: lets the
    # evaluator refuse a result or a total it cannot afford without allocating anything
    cost: Callable[..., tuple[tuple[int, ...], int]] | None = None

    def usage(self) -> str:
        """How to call it, e.g. ``sum(x, axis=..., keepdims=...)``."""
        inputs = ["x"] if self.n_inputs == 1 else [f"x{i}" for i in range(self.n_inputs)]
        params = [p if p in self.required else f"{p}=..." for p in self.params]
        return f"{self.name}({', '.join(inputs + params)})"


# --- nodes ----------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class Node:
    """A syntax-tree node; ``position`` is (line, column) in the user's text."""

    position: Position

    def children(self) -> tuple[Node, ...]:
        return ()


@dataclass(frozen=True, eq=False)
class Num(Node):
    """A number literal (read as float64; ``is_int`` when written without '.' or 'e')."""

    value: float
    text: str
    is_int: bool


@dataclass(frozen=True, eq=False)
class Name(Node):
    """A variable: an input or an earlier assigned name."""

    id: str


@dataclass(frozen=True, eq=False)
class Unary(Node):
    """``-operand`` or ``+operand``."""

    op: str
    operand: Node

    def children(self) -> tuple[Node, ...]:
        return (self.operand,)


@dataclass(frozen=True, eq=False)
class Binary(Node):
    """``left op right`` for + - * / ** @; ``position`` is the operator's.

    ``exponent`` is the folded value of a constant exponent of ``**`` (then the engine
    gets it as a constant parameter, like the book's ``Pow(c)``), else None.
    """

    op: str
    left: Node
    right: Node
    exponent: float | None = None

    def children(self) -> tuple[Node, ...]:
        return (self.left, self.right)


@dataclass(frozen=True, eq=False)
class Param(Node):
    """A constant parameter value: int, float, bool, None or a tuple of ints."""

    value: Any
    text: str


@dataclass(frozen=True, eq=False)
class Call(Node):
    """``name(args..., params..., keyword=param...)``; ``position`` is the name's."""

    name: str
    args: tuple[Node, ...]
    params: tuple[Param, ...] = ()
    keywords: tuple[tuple[str, Param], ...] = ()

    def children(self) -> tuple[Node, ...]:
        return self.args + self.params + tuple(p for _, p in self.keywords)


def postorder(root: Node) -> Iterator[Node]:
    """Every node below and including ``root``, children before parents (no recursion)."""
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, expanded = stack.pop()
        if expanded:
            yield node
            continue
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(node.children()))


# --- statements and programs ------------------------------------------------------------
@dataclass(frozen=True)
class Statement:
    """One line: ``target = expr``, or (last line only) a bare ``expr`` with target None."""

    target: str | None
    expr: Node
    line: int
    position: Position


@dataclass(frozen=True)
class Program:
    """A validated program.

    ``text`` is the normalised text (what was understood, comments included),
    ``source`` what the user typed. ``input_names`` are the names used but never
    assigned, in order of first use; ``assigned_names`` the assigned ones in order.
    The program's output is its last statement.
    """

    text: str
    statements: tuple[Statement, ...]
    input_names: tuple[str, ...]
    assigned_names: tuple[str, ...]
    functions: Mapping[str, FunctionSpec] = field(repr=False)
    source: str = field(default="", repr=False)
    limits: Limits = field(default=DEFAULT_LIMITS, repr=False)
    n_nodes: int = 0
    input_positions: Mapping[str, Position] = field(default_factory=dict, repr=False)
    """Where each input is first used (for messages about its value)."""

    @property
    def output_name(self) -> str | None:
        """The name of the last statement, or None when it is a bare expression."""
        return self.statements[-1].target

    def canonical(self) -> str:
        """The program as understood, one statement a line, e.g. ``y = x ** 2 - 2 * x``."""
        lines = []
        for st in self.statements:
            text = unparse(st.expr)
            lines.append(f"{st.target} = {text}" if st.target else text)
        return "\n".join(lines)


# --- the canonical form -----------------------------------------------------------------------
_PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2, MATMUL: 2, "**": 4}
_UNARY, _ATOM = 3, 5


def format_param(value: Any) -> str:
    """A constant parameter as the user would type it: ``(2, 3)``, ``(3,)``, ``True``."""
    if isinstance(value, tuple):
        inner = ", ".join(format_param(v) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    return repr(value)


def unparse(root: Node) -> str:
    """Canonical text of an expression: spaces around operators, only the parentheses
    the structure needs (``(x + y) + z`` keeps its parentheses, ``x + y + z`` has none)."""
    done: dict[int, tuple[str, int]] = {}
    for node in postorder(root):
        if isinstance(node, Num):
            done[id(node)] = (node.text, _ATOM)
        elif isinstance(node, Name):
            done[id(node)] = (node.id, _ATOM)
        elif isinstance(node, Param):
            done[id(node)] = (node.text, _ATOM)
        elif isinstance(node, Unary):
            text, prec = done.pop(id(node.operand))
            if prec <= _UNARY:
                text = f"({text})"
            done[id(node)] = (f"{node.op}{text}", _UNARY)
        elif isinstance(node, Binary):
            prec = _PRECEDENCE[node.op]
            left, lp = done.pop(id(node.left))
            right, rp = done.pop(id(node.right))
            if node.op == "**":
                left = f"({left})" if lp <= prec else left
                right = f"({right})" if rp < _UNARY else right
            else:
                left = f"({left})" if lp < prec else left
                right = f"({right})" if rp <= prec else right
            done[id(node)] = (f"{left} {node.op} {right}", prec)
        elif isinstance(node, Call):
            parts = [done.pop(id(a))[0] for a in node.args]
            parts += [done.pop(id(p))[0] for p in node.params]
            parts += [f"{k}={done.pop(id(p))[0]}" for k, p in node.keywords]
            done[id(node)] = (f"{node.name}({', '.join(parts)})", _ATOM)
    return done[id(root)][0]
