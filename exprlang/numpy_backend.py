"""The language evaluated on plain numpy arrays: every function of the engine's op registry,
run without recording a graph.

Used by the fuzz tests and handy for checking a program's values. The table is derived
from the registry (as :func:`exprlang.engine.default_functions` is), so every function
an expression may call is reached here too, and nothing can be listed in one table and
missing from the other.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .syntax import FunctionSpec


def _on_arrays(function: Callable[..., Any], n_inputs: int) -> Callable[..., np.ndarray]:
    """``function`` (an op of the registry) applied to arrays, returning an array."""

    def run(*args: Any, **params: Any) -> np.ndarray:
        from autograd_core import Variable, no_grad

        inputs = [Variable(np.asarray(a, dtype=np.float64)) for a in args[:n_inputs]]
        with no_grad():
            result = function(*inputs, *args[n_inputs:], **params)
        return np.asarray(result.data)

    run.__name__ = getattr(function, "__name__", "op")
    return run


def numpy_functions() -> dict[str, FunctionSpec]:
    """Every function of the expression language (the registry's ops), on numpy arrays."""
    from .engine import default_functions

    return {name: FunctionSpec(spec.name, _on_arrays(spec.func, spec.n_inputs),
                               spec.n_inputs, spec.params, spec.doc, spec.required,
                               spec.cost)
            for name, spec in default_functions().items()}
