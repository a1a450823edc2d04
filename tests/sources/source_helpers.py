"""Helpers for the tests of graphs viz did not build (tests/sources)."""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
import types
from typing import Any

import numpy as np
import pytest


def need(module: str) -> Any:
    """Import an optional library the tests read graphs from; skip without it, except on CI,
    which installs every one of them (.ci/run)."""
    try:
        return importlib.import_module(module)
    except ImportError:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but {module} is missing: .ci/run installs it")
        pytest.skip(f"{module} is not installed (pip install {module})")


def dezero_package() -> Any:
    """The dezero 0.0.13 package, as a reader installs it from PyPI.

    Its ``__init__`` uses ``np.int`` (gone in numpy 2) and imports matplotlib for its
    datasets' plots; neither matters to its autograd, so the import gets both for the
    moment it runs (``np.int`` is removed again)."""
    if "dezero" in sys.modules:
        return sys.modules["dezero"]
    if importlib.util.find_spec("dezero") is None:
        need("dezero")
    had_int = hasattr(np, "int")
    stubs = ()
    if importlib.util.find_spec("matplotlib") is None:
        stubs = ("matplotlib", "matplotlib.pyplot")
        for name in stubs:
            sys.modules[name] = types.ModuleType(name)
        sys.modules["matplotlib"].pyplot = sys.modules["matplotlib.pyplot"]
    np.int = int  # type: ignore[attr-defined]
    try:
        return importlib.import_module("dezero")
    finally:
        if not had_int:
            del np.int  # type: ignore[attr-defined]
        for name in stubs:
            sys.modules.pop(name, None)


def dezero_core_simple() -> Any:
    """dezero/core_simple.py loaded alone (the book's first 2 stages), a fresh module."""
    spec = importlib.util.find_spec("dezero")
    if spec is None:
        need("dezero")
    path = os.path.join(os.path.dirname(spec.origin), "core_simple.py")
    loaded = importlib.util.spec_from_file_location("dezero_core_simple_for_tests", path)
    module = importlib.util.module_from_spec(loaded)
    loaded.loader.exec_module(module)
    module.setup_variable()
    return module
