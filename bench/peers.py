"""Loading the engines we compare against, when they are installed.

PyPI's ``dezero`` 0.0.13 does not import as a package on numpy 2 (its
``__init__`` pulls in ``transforms.py``, which uses the removed ``np.int``, and
``datasets.py``, which needs matplotlib). Its real ``core.py`` is fine, so we
load the package's modules under a stub package that skips ``__init__``: the
stub gets the names ``__init__`` would have exported from ``core`` plus the
submodules ``cuda``, ``utils`` and ``functions`` that ``core.py`` and
``functions.py`` reach through ``dezero.<name>``.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import importlib.util
import os
import sys
import types
from typing import Any

DEZERO_INSTALL = "pip install --no-deps dezero==0.0.13"
TORCH_INSTALL = "pip install torch==2.13.0  (never plain 'torch': that pulls a CUDA build)"


class PeerUnavailable(RuntimeError):
    """A peer engine is not installed; the message says how to install it."""


def _dezero_stub() -> types.ModuleType:
    """The ``dezero`` package module without its ``__init__`` (created once)."""
    existing = sys.modules.get("dezero")
    if existing is not None:  # our stub, or a real import that worked (an older numpy)
        return existing
    spec = importlib.util.find_spec("dezero")
    if spec is None or spec.origin is None:
        raise PeerUnavailable(f"dezero is not installed: {DEZERO_INSTALL}")
    stub = types.ModuleType("dezero")
    stub.__path__ = [os.path.dirname(spec.origin)]
    stub.__autograd_viz_stub__ = True
    sys.modules["dezero"] = stub
    return stub


def load_dezero() -> Any:
    """DeZero's ``core`` module (the one ``import dezero`` uses), with operators set up.

    Its grads are Variables, as in autograd_core, and its backward re-sorts the
    list of pending functions on every insertion.
    """
    if "dezero.core" in sys.modules and hasattr(sys.modules["dezero"], "functions"):
        return sys.modules["dezero.core"]
    stub = _dezero_stub()
    try:
        core = importlib.import_module("dezero.core")
        for name in ("Variable", "Function", "as_variable", "as_array", "Parameter", "Config",
                     "using_config", "no_grad"):
            setattr(stub, name, getattr(core, name))
        for sub in ("cuda", "utils", "functions"):
            setattr(stub, sub, importlib.import_module(f"dezero.{sub}"))
    except Exception as exc:  # a different dezero release, a broken install ...
        raise PeerUnavailable(
            f"dezero's core.py did not load ({type(exc).__name__}: {exc}); "
            f"this benchmark expects {DEZERO_INSTALL}"
        ) from exc
    core.setup_variable()
    return core


def load_dezero_simple() -> Any:
    """DeZero's ``core_simple`` module (the book's first stage: grads are raw ndarrays)."""
    _dezero_stub()
    try:
        simple = importlib.import_module("dezero.core_simple")
    except Exception as exc:
        raise PeerUnavailable(
            f"dezero's core_simple.py did not load ({type(exc).__name__}: {exc})"
        ) from exc
    simple.setup_variable()
    return simple


def dezero_simple_sin(simple: Any) -> Any:
    """``sin`` for core_simple, which has none: the book's own Sin (step 27), whose
    backward works on the raw arrays core_simple hands it."""
    import numpy as np

    class Sin(simple.Function):
        def forward(self, x: Any) -> Any:
            return np.sin(x)

        def backward(self, gy: Any) -> Any:
            x = self.inputs[0].data
            return gy * np.cos(x)

    return lambda x: Sin()(x)


def load_dezero_utils() -> Any:
    """``dezero.utils`` (for ``get_dot_graph``), loaded the same way."""
    load_dezero()
    return sys.modules["dezero.utils"]


def load_dezero_functions() -> Any:
    """``dezero.functions`` (``sin``, ``cos`` ...), loaded the same way."""
    load_dezero()
    return sys.modules["dezero.functions"]


def load_dezero_nn() -> tuple[Any, Any, Any]:
    """DeZero's ``functions``, ``layers`` and ``optimizers`` (the book's steps 37-46)."""
    core = load_dezero()
    stub = sys.modules["dezero"]
    try:
        layers = importlib.import_module("dezero.layers")
        stub.Layer = layers.Layer  # what dezero/__init__ would export
        optimizers = importlib.import_module("dezero.optimizers")
    except Exception as exc:
        raise PeerUnavailable(
            f"dezero's layers/optimizers did not load ({type(exc).__name__}: {exc})"
        ) from exc
    del core
    return sys.modules["dezero.functions"], layers, optimizers


def dezero_version() -> str:
    try:
        return importlib.metadata.version("dezero")
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def load_torch() -> Any:
    """PyTorch, single-threaded, or PeerUnavailable."""
    try:
        import torch
    except ImportError as exc:
        raise PeerUnavailable(f"torch is not importable ({exc}): {TORCH_INSTALL}") from None
    torch.set_num_threads(1)
    return torch
