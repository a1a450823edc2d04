"""Numerical differentiation by central differences (to check backprop against)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
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


class GradientCheckError(AssertionError):
    """gradient_check found an input whose backprop grad differs from central differences."""


@dataclass(frozen=True)
class GradientCheck:
    """What :func:`gradient_check` compared: truthy when every input matched.

    ``worst`` describes the element with the largest relative difference (input
    number, element index, backprop and numerical values), also when it passed.
    """

    ok: bool
    worst: str
    backprop: tuple[np.ndarray, ...]
    numerical: tuple[np.ndarray, ...]

    def __bool__(self) -> bool:
        return self.ok

    def __str__(self) -> str:
        return ("gradient check passed" if self.ok else "gradient check failed") + \
            f": {self.worst}"


def gradient_check(f: Callable[..., Any], *inputs: np.ndarray | Variable, eps: float = 1e-6,
                   rtol: float = 1e-4, atol: float = 1e-5,
                   raise_on_failure: bool = True) -> GradientCheck:
    """Check backprop against central differences for ``sum(f(*inputs))``, the book's name.

    ``inputs`` are arrays or Variables (copied as float64); ``f`` receives Variables
    and returns a Variable. Every input's grad from ``backward()`` must equal the
    numerical grad within ``atol + rtol * |numerical|``. On a mismatch a
    :class:`GradientCheckError` names the input, the element, both values and their
    difference (``raise_on_failure=False`` returns the falsy report instead).
    """
    if not inputs:
        raise ValueError("gradient_check needs at least one input")
    arrays = [np.array(_value(v), dtype=np.float64) for v in inputs]
    variables = [Variable(a.copy()) for a in arrays]
    y = f(*variables)
    if not isinstance(y, Variable):
        raise TypeError(f"f must return a Variable (got {type(y).__name__}); "
                        "build it from the Variables it is given")
    y.backward()
    backprop = tuple(np.zeros_like(a) if v.grad is None else np.asarray(v.grad.data, float)
                     for a, v in zip(arrays, variables, strict=True))
    numerical = tuple(numerical_grad(f, *arrays, eps=eps))
    report = compare_grads(backprop, numerical, rtol=rtol, atol=atol)
    if not report.ok and raise_on_failure:
        raise GradientCheckError(str(report))
    return report


def compare_grads(backprop: Sequence[Any], numerical: Sequence[Any], *, rtol: float = 1e-4,
                  atol: float = 1e-5, equal_nan: bool = False) -> GradientCheck:
    """Compare grads input by input: each element within ``atol + rtol * |numerical|``.

    The comparison :func:`gradient_check` makes, for grads computed elsewhere (the app
    checks its replay's grads this way). ``equal_nan``: NaN on both sides counts as equal.
    """
    backprop = tuple(np.asarray(b, dtype=np.float64) for b in backprop)
    numerical = tuple(np.asarray(n, dtype=np.float64) for n in numerical)
    worst, worst_score, ok = "", -np.inf, True
    for i, (b, n) in enumerate(zip(backprop, numerical, strict=True)):
        b = np.broadcast_to(b, n.shape)  # a grad of 0 stands for "no path to this input"
        if b.size == 0:
            continue
        with np.errstate(invalid="ignore"):
            diff = np.abs(b - n)
            allowed = atol + rtol * np.abs(n)
            score = np.where(np.isnan(diff), np.inf, diff - allowed)  # > 0: a mismatch
        if equal_nan:
            score = np.where(np.isnan(b) & np.isnan(n), -np.inf, score)
        score = np.where(np.isinf(b) & (b == n), -np.inf, score)  # the same infinity
        at = np.unravel_index(int(np.argmax(score)), score.shape)
        if score[at] > worst_score:
            worst_score = score[at]
            worst = (f"input {i}, element {tuple(int(k) for k in at)}: backprop "
                     f"{float(b[at]):.8g}, numerical {float(n[at]):.8g}, difference "
                     f"{float(diff[at]):.3g} (allowed {float(allowed[at]):.3g})")
        ok &= bool(np.all(score <= 0))
    return GradientCheck(ok, worst or "no elements to compare", backprop, numerical)
