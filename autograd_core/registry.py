"""The op registry: one entry per differentiable operation.

Each op is a :class:`~autograd_core.core.Function` subclass (math + display
label) plus the Python function users call, registered with :func:`op` right
where both are defined. The registry feeds everything that must know the ops:
Variable's operator overloading and numpy ufunc dispatch, the expression
language's allow-list, viz labels, and the parametrized gradient tests (adding
an op adds its tests).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np

from .core import Function


@dataclass(frozen=True)
class OpExample:
    """Inputs on which the op's gradients are checked: shapes, params, value range, and
    whether the elements must differ (max and min: at a tie no derivative exists)."""

    shapes: tuple[tuple[int, ...], ...] = ((),)
    params: Mapping[str, Any] = field(default_factory=dict)
    low: float = -2.0
    high: float = 2.0
    distinct: bool = False


@dataclass(frozen=True)
class OpInfo:
    """Everything the rest of the project needs to know about one op."""

    name: str                       # what users call: "square"
    function: Callable[..., Any]    # square(x)
    cls: type[Function]             # Square
    n_inputs: int                   # differentiable (Variable) operands, positional first
    params: tuple[str, ...]         # constant parameters after the operands (e.g. "c", "axis")
    symbol: str | None              # infix symbol when it has one ("+", "**")
    ufunc: np.ufunc | None          # numpy ufunc it stands in for on Variables
    expression: bool                # offered in the app's / CLI's expression language
    examples: tuple[OpExample, ...]
    doc: str
    # (operand shapes, params) -> (result shape, multiply-adds), known before the op runs
    # so the expression language can refuse work before any memory is taken
    cost: Callable[..., tuple[tuple[int, ...], int]]
    # the same op in PyTorch: torch(torch_module, *operands, *params) -> tensor (None: none)
    torch: Callable[..., Any] | None = None

    @property
    def label(self) -> str:
        return self.cls.label


_OPS: dict[str, OpInfo] = {}
_BY_UFUNC: dict[np.ufunc, Callable[..., Any]] = {}
_OPERATORS: dict[str, Callable[..., Any]] = {}

OPS: Mapping[str, OpInfo] = MappingProxyType(_OPS)
"""All registered ops by name, in registration order (read-only)."""

# The registered Function classes (exactly these, not subclasses): the registry's
# parametrized tests check the type and shape of every grad they return, so the ordinary
# backward pass does not check them again on every call (it checks every other Function's).
GRADS_CHECKED_BY_TESTS: set[type[Function]] = set()


def op(
    cls: type[Function],
    *,
    n_inputs: int = 1,
    symbol: str | None = None,
    operators: tuple[str, ...] = (),
    reflected: Mapping[str, Callable[..., Any]] | None = None,
    ufunc: np.ufunc | None = None,
    expression: bool = True,
    examples: tuple[OpExample, ...] = (OpExample(),),
    cost: Callable[..., tuple[tuple[int, ...], int]] | None = None,
    torch: Callable[..., Any] | None = None,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register the decorated function as the user-facing form of ``cls``.

    ``operators`` names the Variable dunders the function itself implements
    (``("__sub__",)``); ``reflected`` maps further dunders to their own
    callables (``{"__rsub__": rsub}``); ``ufunc`` lets ``np.<ufunc>(variable)``
    dispatch to this op. ``cost(shapes, **params)`` gives the result's shape and the
    multiply-adds it takes from the operands' shapes alone (default: element-wise, the
    broadcast shape and one operation per element). ``torch(t, *operands, *params)`` is
    the same op written with PyTorch (``t`` is the torch module, never imported here), so
    an expression can be built in PyTorch too and the two passes compared.
    """

    def register(function: Callable[..., Any]) -> Callable[..., Any]:
        name = function.__name__
        if name in _OPS:
            raise ValueError(f"an op named {name!r} is already registered")
        names = list(inspect.signature(function).parameters)
        info = OpInfo(
            name=name,
            function=function,
            cls=cls,
            n_inputs=n_inputs,
            params=tuple(names[n_inputs:]),
            symbol=symbol,
            ufunc=ufunc,
            expression=expression,
            examples=examples,
            doc=(inspect.getdoc(function) or "").split("\n", 1)[0],
            cost=cost or elementwise_cost,
            torch=torch,
        )
        _OPS[name] = info
        GRADS_CHECKED_BY_TESTS.add(cls)
        if ufunc is not None:
            _BY_UFUNC[ufunc] = function
        dunders = {name: function for name in operators}
        dunders.update(reflected or {})
        for dunder, impl in dunders.items():
            if dunder in _OPERATORS:
                raise ValueError(f"operator {dunder} is already provided by another op")
            _OPERATORS[dunder] = impl
        return function

    return register


def elementwise_cost(shapes: tuple[tuple[int, ...], ...], **params: Any
                     ) -> tuple[tuple[int, ...], int]:
    """An element-wise op's result shape (the operands broadcast) and work (one per element)."""
    shape = np.broadcast_shapes(*shapes) if shapes else ()
    return shape, int(np.prod(shape, dtype=np.float64))


def op_for_ufunc(ufunc: np.ufunc) -> Callable[..., Any] | None:
    """The registered function standing in for ``ufunc`` on Variables, if any."""
    return _BY_UFUNC.get(ufunc)


def install_operators(variable_cls: type) -> None:
    """Give ``variable_cls`` the operator methods the registered ops provide."""
    for dunder, impl in _OPERATORS.items():
        setattr(variable_cls, dunder, impl)


def get(name: str) -> OpInfo:
    """The op registered as ``name``; KeyError with the known names otherwise."""
    try:
        return _OPS[name]
    except KeyError:
        raise KeyError(f"no op named {name!r}; known ops: {', '.join(_OPS)}") from None
