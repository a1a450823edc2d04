"""Grad mode and other engine settings, scoped per thread / per context.

The book keeps ``Config.enable_backprop`` as a process-wide class attribute. A
Streamlit server runs every browser session in its own thread, so a global flag
toggled by one student's ``no_grad()`` would silently stop graph building for
everyone else. Here each setting lives in a :class:`contextvars.ContextVar`:
``Config.enable_backprop`` still reads and assigns like the book's attribute,
but the value belongs to the current thread/context only.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

# name -> context variable holding the setting; defaults apply in every new thread.
_SETTINGS: dict[str, ContextVar[Any]] = {
    "enable_backprop": ContextVar("enable_backprop", default=True),
    "train": ContextVar("train", default=True),  # dropout drops only while training
}

# Read on every Function call, so the hot path gets the ContextVar directly.
ENABLE_BACKPROP: ContextVar[bool] = _SETTINGS["enable_backprop"]
TRAIN: ContextVar[bool] = _SETTINGS["train"]

# Derivative order of functions created right now: 0 in ordinary forward code,
# k while a backward pass with create_graph=True computes the k-th derivative.
DERIVATIVE_ORDER: ContextVar[int] = ContextVar("derivative_order", default=0)

# The named groups (layers, or a user's ``scope("name")``) entered right now, outermost
# first; functions record it so drawings can cluster (and collapse) each group.
SCOPE: ContextVar[tuple[str, ...]] = ContextVar("scope", default=())


def _setting(name: str) -> ContextVar[Any]:
    try:
        return _SETTINGS[name]
    except KeyError:
        known = ", ".join(sorted(_SETTINGS))
        raise AttributeError(
            f"Config has no setting {name!r}; known settings: {known}"
        ) from None


class _ConfigMeta(type):
    """Makes ``Config.enable_backprop`` a per-context property on the class itself."""

    @property
    def enable_backprop(cls) -> bool:
        return ENABLE_BACKPROP.get()

    @enable_backprop.setter
    def enable_backprop(cls, value: bool) -> None:
        ENABLE_BACKPROP.set(bool(value))

    @property
    def train(cls) -> bool:
        return TRAIN.get()

    @train.setter
    def train(cls, value: bool) -> None:
        TRAIN.set(bool(value))

    def __setattr__(cls, name: str, value: Any) -> None:
        # A typo such as Config.enable_backprob = False must not pass silently.
        if not isinstance(getattr(type(cls), name, None), property):
            _setting(name)  # raises AttributeError naming the known settings
        super().__setattr__(name, value)


class Config(metaclass=_ConfigMeta):
    """Engine settings, as in the book: ``Config.enable_backprop`` and ``Config.train``
    (read or assign).

    Assignment affects only the current thread/context. Prefer the scoped forms
    :func:`using_config` and :func:`no_grad`.
    """


@contextlib.contextmanager
def using_config(name: str, value: Any) -> Iterator[None]:
    """Temporarily set the setting ``name`` to ``value`` in the current context.

    >>> with using_config("enable_backprop", False):
    ...     y = square(x)   # no graph is recorded
    """
    var = _setting(name)
    token = var.set(value)
    try:
        yield
    finally:
        var.reset(token)


def no_grad() -> contextlib.AbstractContextManager[None]:
    """Context manager that disables graph building (inference only)."""
    return using_config("enable_backprop", False)


def test_mode() -> contextlib.AbstractContextManager[None]:
    """Context manager for evaluation: ``Config.train`` is False (dropout keeps all)."""
    return using_config("train", False)


test_mode.__test__ = False  # (pytest: not a test)


def is_grad_enabled() -> bool:
    """True when Functions called now record the graph for backprop."""
    return ENABLE_BACKPROP.get()


@contextlib.contextmanager
def scope(name: str) -> Iterator[None]:
    """Group every function called inside under ``name`` (nested scopes nest).

    Drawings show a group as a labelled cluster that can be collapsed to one box;
    a Layer's call is such a scope, named after the layer.

    >>> with scope("encoder"):
    ...     h = tanh(x @ W + b)
    """
    if not isinstance(name, str) or not name.strip() or "/" in name:
        raise ValueError(f"a scope's name must be non-empty text without '/'; got {name!r}")
    token = SCOPE.set(SCOPE.get() + (name,))
    try:
        yield
    finally:
        SCOPE.reset(token)
