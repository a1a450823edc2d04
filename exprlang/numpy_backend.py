"""A pure-numpy function table: the language without an autograd engine.

Used by the fuzz tests and handy for checking a program's values; the app and the CLI
use :func:`exprlang.engine.default_functions` (the engine's op registry) instead.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .syntax import FunctionSpec


def _sigmoid(x: Any) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _sum(x: Any, axis: Any = None, keepdims: bool = False) -> np.ndarray:
    return np.sum(x, axis=axis, keepdims=keepdims)


def _reshape(x: Any, shape: Any) -> np.ndarray:
    return np.reshape(x, shape)


def _transpose(x: Any, axes: Any = None) -> np.ndarray:
    return np.transpose(x, axes)


def _broadcast_to(x: Any, shape: Any) -> np.ndarray:
    return np.broadcast_to(x, shape)


def _pow(x: Any, c: Any) -> np.ndarray:
    return np.power(x, c)


def numpy_functions() -> dict[str, FunctionSpec]:
    """square, exp, log, sin, cos, tanh, sigmoid, sum, reshape, transpose, broadcast_to,
    matmul and pow, computed with numpy."""
    specs = [
        FunctionSpec("square", np.square, 1, doc="x squared."),
        FunctionSpec("exp", np.exp, 1, doc="e to the power x."),
        FunctionSpec("log", np.log, 1, doc="Natural logarithm (x > 0)."),
        FunctionSpec("sin", np.sin, 1, doc="Sine (radians)."),
        FunctionSpec("cos", np.cos, 1, doc="Cosine (radians)."),
        FunctionSpec("tanh", np.tanh, 1, doc="Hyperbolic tangent."),
        FunctionSpec("sigmoid", _sigmoid, 1, doc="Logistic sigmoid 1 / (1 + exp(-x))."),
        FunctionSpec("sum", _sum, 1, ("axis", "keepdims"), "Sum of elements."),
        FunctionSpec("reshape", _reshape, 1, ("shape",), "x with a new shape.",
                     required=("shape",)),
        FunctionSpec("transpose", _transpose, 1, ("axes",), "Reverse or permute the axes."),
        FunctionSpec("broadcast_to", _broadcast_to, 1, ("shape",), "x repeated to shape.",
                     required=("shape",)),
        FunctionSpec("matmul", np.matmul, 2, doc="Matrix product."),
        FunctionSpec("pow", _pow, 1, ("c",), "x ** c for a constant c.", required=("c",)),
    ]
    return {spec.name: spec for spec in specs}
