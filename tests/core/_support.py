"""Helpers shared by the engine tests (`from _support import ...`; pytest adds this folder)."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, settings

# Property tests must be reproducible on CI: same examples every run, no deadline
# on a loaded 2-core machine, no example database written into the checkout.
SETTINGS = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def exact(v) -> str:
    """The repr Python prints for a 0-d value: a Variable, an ndarray or a float."""
    return repr(float(np.asarray(v)))


def central_diff(f, arrays, eps=1e-6):
    """d f(*arrays) / d arrays[k] by central differences, element by element.

    ``f`` maps a list of float64 arrays to a float; returns one array per input.
    Independent of autograd_core.numdiff on purpose (it checks that module too).
    """
    arrays = [np.array(a, dtype=np.float64) for a in arrays]
    grads = []
    for a in arrays:
        g = np.zeros_like(a)
        for idx in np.ndindex(a.shape):
            old = a[idx]
            a[idx] = old + eps
            hi = f(arrays)
            a[idx] = old - eps
            lo = f(arrays)
            a[idx] = old
            g[idx] = (hi - lo) / (2 * eps)
        grads.append(g)
    return grads
