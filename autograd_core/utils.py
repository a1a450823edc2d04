"""The book's ``dezero.utils`` helpers for comparing arrays (Variables or ndarrays)."""

from __future__ import annotations

from typing import Any

import numpy as np


def _array(x: Any) -> np.ndarray:
    return np.asarray(getattr(x, "data", x))


def array_equal(a: Any, b: Any) -> bool:
    """True when ``a`` and ``b`` (Variables or arrays) have the same shape and elements."""
    return bool(np.array_equal(_array(a), _array(b)))


def array_allclose(a: Any, b: Any, rtol: float = 1e-4, atol: float = 1e-5) -> bool:
    """True when ``a`` and ``b`` have the same shape and their elements are close."""
    a, b = _array(a), _array(b)
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=rtol, atol=atol))
