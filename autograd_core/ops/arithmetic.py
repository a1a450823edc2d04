"""Arithmetic: + - * / ** and unary minus, with numpy broadcasting.

A binary op's backward reduces each grad back to its input's shape with
``sum_to``, so ``x.grad.shape == x.shape`` always holds.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core import Function, Variable, as_array
from ..registry import OpExample, op
from .tensor import sum_to_like

_PAIR = OpExample(shapes=((), ()))
_BROADCAST = OpExample(shapes=((2, 3), (3,)))
_POSITIVE_PAIR = OpExample(shapes=((), ()), low=0.5, high=2.0)


def _unbroadcast(g0: Any, g1: Any, x0: Any, x1: Any) -> tuple[Any, Any]:
    """Reduce each grad to its input's shape when the forward broadcast.

    ``x0``/``x1`` are the inputs as Variables or as their arrays (both have .shape).
    """
    shape0, shape1 = x0.shape, x1.shape
    if shape0 != shape1:
        g0, g1 = sum_to_like(g0, shape0), sum_to_like(g1, shape1)
    return g0, g1


class Add(Function):
    """y = x0 + x1"""

    local_grads = ("1", "1")

    def forward(self, x0: np.ndarray, x1: np.ndarray) -> np.ndarray:
        return x0 + x1

    def backward(self, gy: Any) -> tuple[Any, Any]:
        x0, x1 = self.inputs
        if x0.data.shape == x1.data.shape:  # the common case, without a call
            return gy, gy
        return _unbroadcast(gy, gy, x0.data, x1.data)


@op(Add, torch=lambda t, a, b: t.add(a, b), n_inputs=2, symbol="+", ufunc=np.add,
    operators=("__add__", "__radd__"),  # commutative: a + b == b + a
    examples=(_PAIR, _BROADCAST))
def add(x0: Any, x1: Any) -> Variable:
    """Element-wise sum x0 + x1 (broadcasting like numpy)."""
    return Add()(x0, x1)


class Mul(Function):
    """y = x0 * x1"""

    local_grads = ("x1", "x0")

    def forward(self, x0: np.ndarray, x1: np.ndarray) -> np.ndarray:
        return x0 * x1

    def backward(self, gy: Any) -> tuple[Any, Any]:
        x0, x1 = self.inputs_like(gy)
        if x0.shape == x1.shape:  # the common case, without a call
            return gy * x1, gy * x0
        return _unbroadcast(gy * x1, gy * x0, x0, x1)


@op(Mul, torch=lambda t, a, b: t.mul(a, b), n_inputs=2, symbol="*", ufunc=np.multiply,
    operators=("__mul__", "__rmul__"),
    examples=(_PAIR, _BROADCAST))
def mul(x0: Any, x1: Any) -> Variable:
    """Element-wise product x0 * x1 (broadcasting like numpy)."""
    return Mul()(x0, x1)


class Neg(Function):
    """y = -x"""

    local_grads = ("-1",)

    def forward(self, x: np.ndarray) -> np.ndarray:
        return -x

    def backward(self, gy: Any) -> Any:
        return -gy


@op(Neg, torch=lambda t, x: t.neg(x), symbol="-", ufunc=np.negative, operators=("__neg__",))
def neg(x: Any) -> Variable:
    """Negation -x."""
    return Neg()(x)


class Copy(Function):
    """y = x in a new array (its grad passes straight through).

    The backward pass uses it with ``create_graph=True`` when one grad would otherwise
    be the very same Variable on several inputs (Add passes its grad to both): each
    input gets its own array, and the recorded graph stays connected.
    """

    local_grads = ("1",)

    def forward(self, x: np.ndarray) -> np.ndarray:
        return x.copy()

    def backward(self, gy: Any) -> Any:
        return gy


@op(Copy, expression=False)
def copy(x: Any) -> Variable:
    """x in a new array: y = x."""
    return Copy()(x)


class Sub(Function):
    """y = x0 - x1"""

    local_grads = ("1", "-1")

    commutative = False

    def forward(self, x0: np.ndarray, x1: np.ndarray) -> np.ndarray:
        return x0 - x1

    def backward(self, gy: Any) -> tuple[Any, Any]:
        x0, x1 = self.inputs
        return _unbroadcast(gy, -gy, x0.data, x1.data)


def rsub(x0: Any, x1: Any) -> Variable:
    """Reflected subtraction: x1 - x0 (what ``3 - x`` calls)."""
    return Sub()(x1, x0)


@op(Sub, torch=lambda t, a, b: t.sub(a, b), n_inputs=2, symbol="-", ufunc=np.subtract,
    operators=("__sub__",), reflected={"__rsub__": rsub},
    examples=(_PAIR, _BROADCAST))
def sub(x0: Any, x1: Any) -> Variable:
    """Element-wise difference x0 - x1 (broadcasting like numpy)."""
    return Sub()(x0, x1)


class Div(Function):
    """y = x0 / x1"""

    local_grads = ("1 / x1", "-x0 / x1**2")

    commutative = False

    def forward(self, x0: np.ndarray, x1: np.ndarray) -> np.ndarray:
        return x0 / x1

    def backward(self, gy: Any) -> tuple[Any, Any]:
        x0, x1 = self.inputs_like(gy)
        gx0 = gy / x1
        gx1 = gy * (-x0 / x1**2)
        return _unbroadcast(gx0, gx1, x0, x1)


def rdiv(x0: Any, x1: Any) -> Variable:
    """Reflected division: x1 / x0 (what ``1 / x`` calls)."""
    return Div()(x1, x0)


@op(Div, torch=lambda t, a, b: t.div(a, b), n_inputs=2, symbol="/", ufunc=np.true_divide,
    operators=("__truediv__",), reflected={"__rtruediv__": rdiv},
    examples=(_POSITIVE_PAIR, OpExample(shapes=((2, 3), (3,)), low=0.5, high=2.0)))
def div(x0: Any, x1: Any) -> Variable:
    """Element-wise quotient x0 / x1 (broadcasting like numpy)."""
    return Div()(x0, x1)


class Pow(Function):
    """y = x ** c for a constant exponent c."""

    local_grads = ("c * x**(c - 1)",)

    def __init__(self, c: Any) -> None:
        self.c = c

    def forward(self, x: np.ndarray) -> np.ndarray:
        return x**self.c

    def backward(self, gy: Any) -> Any:
        (x,) = self.inputs_like(gy)
        c = self.c
        if np.all(np.asarray(c) == 0):
            return gy * 0  # d/dx x**0 = 0, also at x = 0 (where 0 * x**-1 would be nan)
        return c * x ** (c - 1) * gy

    def params(self) -> dict[str, Any]:
        return {"c": self.c}


class PowVar(Function):
    """y = x0 ** x1 where the exponent is a variable too (also ``2 ** x``)."""

    local_grads = ("x1 * x0**(x1 - 1)", "log(x0) * x0**x1")

    commutative = False
    label = "Pow"

    def forward(self, x0: np.ndarray, x1: np.ndarray) -> np.ndarray:
        return x0**x1

    def backward(self, gy: Any) -> tuple[Any, Any]:
        x0, x1 = self.inputs_like(gy)
        gx0 = gy * x1 * x0 ** (x1 - 1)
        gx1 = gy * self.output_like(gy) * np.log(x0)
        return _unbroadcast(gx0, gx1, x0, x1)


def _is_constant(c: Any) -> bool:
    return not isinstance(c, Variable)


@op(Pow, torch=lambda t, x, c: t.pow(x, c), symbol="**", ufunc=None,
    operators=("__pow__",), reflected={"__rpow__": lambda x, c: rpow(x, c)},
    examples=(OpExample(params={"c": 3}), OpExample(params={"c": 0.5}, low=0.5, high=2.0),
              OpExample(shapes=((2, 2),), params={"c": 2})))
def pow(x: Any, c: Any) -> Variable:  # noqa: A001 (the book's name)
    """Power x ** c; the exponent c is a number or a variable.

    (A constant exponent records ``Pow(c)``; a Variable exponent records PowVar.)
    """
    if _is_constant(c):
        c = as_array(c) if not isinstance(c, (int, float)) else c
        return Pow(c)(x)
    return PowVar()(x, c)


@op(PowVar,
    torch=lambda t, a, b: t.pow(a, b),
    n_inputs=2, ufunc=np.power, expression=False, examples=(_POSITIVE_PAIR,))
def pow_var(x0: Any, x1: Any) -> Variable:
    """x0 ** x1 with both operands differentiable (x0 > 0 for a real grad of x1)."""
    return PowVar()(x0, x1)


def rpow(x: Any, c: Any) -> Variable:
    """Reflected power: c ** x (what ``2 ** x`` calls)."""
    return PowVar()(c, x)
