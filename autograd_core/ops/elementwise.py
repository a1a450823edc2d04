"""Element-wise functions of one variable: square, exp, log, sin, cos, tanh, sigmoid.

Each backward is written with operators and numpy ufuncs on
``inputs_like(gy)``: on raw arrays in an ordinary backward pass, on Variables
(recorded, so differentiable again) with ``create_graph=True``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core import Function, Variable
from ..registry import OpExample, op

_POSITIVE = OpExample(low=0.3, high=3.0)
_MATRIX = OpExample(shapes=((2, 3),))


class Square(Function):
    """y = x²"""

    local_grads = ("2 * x",)

    def forward(self, x: np.ndarray) -> np.ndarray:
        return x**2

    def backward(self, gy: Any) -> Any:
        (x,) = self.inputs_like(gy)
        return 2 * x * gy


@op(Square, torch=lambda t, x: t.square(x), ufunc=np.square, examples=(OpExample(), _MATRIX))
def square(x: Any) -> Variable:
    """x squared."""
    return Square()(x)


class Exp(Function):
    """y = eˣ"""

    local_grads = ("exp(x)",)

    def forward(self, x: np.ndarray) -> np.ndarray:
        return np.exp(x)

    def backward(self, gy: Any) -> Any:
        return gy * self.output_like(gy)


@op(Exp, torch=lambda t, x: t.exp(x), ufunc=np.exp, examples=(OpExample(), _MATRIX))
def exp(x: Any) -> Variable:
    """e to the power x."""
    return Exp()(x)


class Log(Function):
    """y = ln x"""

    local_grads = ("1 / x",)

    def forward(self, x: np.ndarray) -> np.ndarray:
        return np.log(x)

    def backward(self, gy: Any) -> Any:
        (x,) = self.inputs_like(gy)
        return gy / x


@op(Log,
    torch=lambda t, x: t.log(x),
    ufunc=np.log, examples=(_POSITIVE, OpExample(shapes=((2, 3),), low=0.3, high=3.0)))
def log(x: Any) -> Variable:
    """Natural logarithm (x > 0)."""
    return Log()(x)


class Sin(Function):
    """y = sin x"""

    local_grads = ("cos(x)",)

    def forward(self, x: np.ndarray) -> np.ndarray:
        return np.sin(x)

    def backward(self, gy: Any) -> Any:
        (x,) = self.inputs_like(gy)
        return gy * np.cos(x)  # on a Variable, np.cos dispatches to cos()


@op(Sin, torch=lambda t, x: t.sin(x), ufunc=np.sin, examples=(OpExample(), _MATRIX))
def sin(x: Any) -> Variable:
    """Sine (radians)."""
    return Sin()(x)


class Cos(Function):
    """y = cos x"""

    local_grads = ("-sin(x)",)

    def forward(self, x: np.ndarray) -> np.ndarray:
        return np.cos(x)

    def backward(self, gy: Any) -> Any:
        (x,) = self.inputs_like(gy)
        return gy * -np.sin(x)


@op(Cos, torch=lambda t, x: t.cos(x), ufunc=np.cos, examples=(OpExample(), _MATRIX))
def cos(x: Any) -> Variable:
    """Cosine (radians)."""
    return Cos()(x)


class Tanh(Function):
    """y = tanh x"""

    local_grads = ("1 - y**2",)

    def forward(self, x: np.ndarray) -> np.ndarray:
        return np.tanh(x)

    def backward(self, gy: Any) -> Any:
        y = self.output_like(gy)
        return gy * (1 - y * y)


@op(Tanh, torch=lambda t, x: t.tanh(x), ufunc=np.tanh, examples=(OpExample(), _MATRIX))
def tanh(x: Any) -> Variable:
    """Hyperbolic tangent."""
    return Tanh()(x)


class Sigmoid(Function):
    """y = 1 / (1 + e⁻ˣ)"""

    local_grads = ("y * (1 - y)",)

    def forward(self, x: np.ndarray) -> np.ndarray:
        # tanh form: the same value as 1/(1+exp(-x)) without overflow for large -x
        y = np.tanh(x * 0.5)
        y *= 0.5  # in place: one array allocated, not three (a training loop's hot op)
        y += 0.5
        return y

    def backward(self, gy: Any) -> Any:
        y = self.output_like(gy)
        return gy * y * (1 - y)


@op(Sigmoid, torch=lambda t, x: t.sigmoid(x), examples=(OpExample(), _MATRIX))
def sigmoid(x: Any) -> Variable:
    """Logistic sigmoid 1 / (1 + exp(-x))."""
    return Sigmoid()(x)


class Clip(Function):
    """y = x limited to [x_min, x_max]"""

    local_grads = ("(x_min <= x <= x_max)",)

    def __init__(self, x_min: float, x_max: float) -> None:
        self.x_min = x_min
        self.x_max = x_max

    def forward(self, x: np.ndarray) -> np.ndarray:
        return np.clip(x, self.x_min, self.x_max)

    def backward(self, gy: Any) -> Any:
        x = self.inputs[0].data
        return gy * ((x >= self.x_min) & (x <= self.x_max))  # a mask: a constant

    def params(self) -> dict[str, Any]:
        return {"x_min": self.x_min, "x_max": self.x_max}


def _bound(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"clip's {name} must be a number, got {type(value).__name__}")
    if np.isnan(value):
        raise ValueError(f"clip's {name} must be a number, got NaN")
    return float(value)


# values away from the bounds, where no finite difference agrees
@op(Clip, torch=lambda t, x, x_min, x_max: t.clamp(x, x_min, x_max),
    examples=(OpExample(params={"x_min": -1.0, "x_max": 1.0}, low=-0.9, high=0.9),
              OpExample(shapes=((2, 3),), params={"x_min": 0.5, "x_max": 3.0}, low=1.0,
                        high=2.5),
              OpExample(params={"x_min": -1.0, "x_max": 1.0}, low=1.2, high=2.0)))
def clip(x: Any, x_min: float, x_max: float) -> Variable:
    """x limited to the interval [x_min, x_max] (the book's ``F.clip``)."""
    x_min, x_max = _bound("x_min", x_min), _bound("x_max", x_max)
    if x_min > x_max:
        raise ValueError(f"clip needs x_min <= x_max; got x_min={x_min:g} > x_max={x_max:g}")
    return Clip(x_min, x_max)(x)
