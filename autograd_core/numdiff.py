"""Numerical differentiation by central differences (to check backprop against)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .core import Variable, as_array


def _value(y: Any) -> np.ndarray:
    return y.data if isinstance(y, Variable) else np.asarray(y)


def numerical_diff(f: Callable[[Variable], Any], x: Variable, eps: float = 1e-4) -> np.ndarray:
    """Central difference (f(x+eps) - f(x-eps)) / (2 eps) of a one-variable function.

    ``f`` may be a Function instance (``Square()``) or any callable taking a
    Variable; its result may be a Variable or an array.
    """
    x0 = Variable(as_array(x.data - eps))
    x1 = Variable(as_array(x.data + eps))
    return (_value(f(x1)) - _value(f(x0))) / (2 * eps)


def numerical_grad(
    f: Callable[..., Any], *inputs: np.ndarray | Variable, eps: float = 1e-6
) -> list[np.ndarray]:
    """Gradient of ``sum(f(*inputs))`` with respect to every input, element by element.

    Inputs are copied as float64; ``f`` receives Variables. Returns one array
    per input with that input's shape.
    """
    arrays = [np.array(_value(v), dtype=np.float64) for v in inputs]
    grads = []
    for k, a in enumerate(arrays):
        g = np.zeros_like(a)
        for idx in np.ndindex(a.shape):
            old = a[idx]
            a[idx] = old + eps
            hi = np.sum(_value(f(*[Variable(b.copy()) for b in arrays])))
            a[idx] = old - eps
            lo = np.sum(_value(f(*[Variable(b.copy()) for b in arrays])))
            a[idx] = old
            g[idx] = (hi - lo) / (2 * eps)
        grads.append(g)
        arrays[k] = a
    return grads
