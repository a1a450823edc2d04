"""Loading the engines we compare against, when they are installed.

PyPI's ``dezero`` 0.0.13 does not import as a package on numpy 2 (its
``__init__`` pulls in ``transforms.py``, which uses the removed ``np.int``, and
``datasets.py``, which needs matplotlib). Its real ``core.py`` is fine, so we
load the package's modules under a stub package that skips ``__init__``.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
import types
from typing import Any


class PeerUnavailable(RuntimeError):
    """A peer engine is not installed; the message says how to install it."""


def load_dezero() -> Any:
    """DeZero's ``core`` module (the one ``import dezero`` uses), with operators set up."""
    if "dezero.core" in sys.modules:
        return sys.modules["dezero.core"]
    spec = importlib.util.find_spec("dezero")
    if spec is None or spec.origin is None:
        raise PeerUnavailable("dezero is not installed: pip install --no-deps dezero==0.0.13")
    stub = types.ModuleType("dezero")
    stub.__path__ = [os.path.dirname(spec.origin)]
    sys.modules["dezero"] = stub
    core = importlib.import_module("dezero.core")
    for name in ("Variable", "Function", "as_variable", "as_array", "Parameter", "Config",
                 "using_config", "no_grad"):
        setattr(stub, name, getattr(core, name))
    for sub in ("cuda", "utils", "functions"):
        setattr(stub, sub, importlib.import_module(f"dezero.{sub}"))
    core.setup_variable()
    return core


def load_dezero_utils() -> Any:
    """``dezero.utils`` (for ``get_dot_graph``), loaded the same way."""
    load_dezero()
    return sys.modules["dezero.utils"]


def load_torch() -> Any:
    """PyTorch, single-threaded, or PeerUnavailable."""
    try:
        import torch
    except ImportError:
        raise PeerUnavailable(
            "torch is not installed: pip install torch==2.13.0 (a local CPU build here)"
        ) from None
    torch.set_num_threads(1)
    return torch
