"""Layers (the book's step 44-45): objects that own Parameters and call ops.

``import autograd_core.layers as L`` gives the book's ``L.Layer`` and ``L.Linear``.
Every call of a layer runs inside :func:`~autograd_core.config.scope` named after
the layer, so drawings group (and can collapse) what the layer computed.
"""

from __future__ import annotations

import itertools
import weakref
from collections.abc import Iterator
from typing import Any

import numpy as np

from .config import SCOPE
from .core import Parameter, Variable
from .ops.nn import linear

_unnamed = itertools.count(1)


class Layer:
    """Holds Parameters and sub-layers (found through attribute assignment, in order).

    Subclasses implement ``forward(*inputs)``. ``name`` labels the layer's group in
    drawings: the attribute name it is assigned to in a parent layer (``self.l1 =
    Linear(10)`` is "l1"), else what is passed as ``name=``, else the class name and a
    number ("Linear1").
    """

    def __init__(self, name: str | None = None) -> None:
        object.__setattr__(self, "_children", {})  # attribute name -> Parameter / Layer
        object.__setattr__(self, "_named", name is not None)
        object.__setattr__(self, "name", name or f"{type(self).__name__}{next(_unnamed)}")

    def __setattr__(self, name: str, value: Any) -> None:
        if "_children" not in self.__dict__:
            raise TypeError(f"{type(self).__name__}.__init__ must call super().__init__() "
                            "before assigning attributes")
        children = self._children
        if isinstance(value, (Parameter, Layer)):
            children[name] = value
            if isinstance(value, Layer) and not value._named:
                object.__setattr__(value, "name", name)
                object.__setattr__(value, "_named", True)
        else:
            children.pop(name, None)
        object.__setattr__(self, name, value)

    def __call__(self, *inputs: Any) -> Any:
        # scope(self.name), spelled out: this runs on every call of every layer
        path = SCOPE.get() + (self.name,)
        token = SCOPE.set(path)
        try:
            for child in self._children.values():
                if isinstance(child, Parameter) and child.scope != path:
                    child.scope = path
            outputs = self.forward(*inputs)
        finally:
            SCOPE.reset(token)
        outs = outputs if isinstance(outputs, tuple) else (outputs,)
        state = self.__dict__  # plain attributes: not children, no __setattr__ needed
        state["inputs"] = [weakref.ref(x) for x in inputs if isinstance(x, Variable)]
        state["outputs"] = [weakref.ref(y) for y in outs]
        return outputs

    def forward(self, *inputs: Any) -> Any:
        raise NotImplementedError(f"{type(self).__name__} must implement forward()")

    def params(self) -> Iterator[Parameter]:
        """Every Parameter of this layer and its sub-layers, in assignment order."""
        stack: list[Any] = list(reversed(self._children.values()))
        while stack:  # depth first, children in assignment order
            child = stack.pop()
            if isinstance(child, Layer):
                stack.extend(reversed(child._children.values()))
            elif child is not None:
                yield child

    def cleargrads(self) -> None:
        """Forget every parameter's gradient (before the next backward pass)."""
        for param in self.params():
            param.cleargrad()

    def parameter_count(self) -> int:
        """Scalars in all parameters (uninitialised weights count as 0)."""
        return int(sum(p.data.size for p in self.params() if p.data is not None))


class Linear(Layer):
    """A fully connected layer: ``y = x @ W + b`` (book: ``L.Linear(out_size)``).

    ``W`` is created on the first call when ``in_size`` is not given (its size is the
    input's), as ``randn(in, out) * sqrt(1 / in)``; ``b`` starts at zero. ``rng`` (a
    numpy Generator) draws W; without one the global ``np.random`` draws it, as in the
    book, so ``np.random.seed(0)`` reproduces the book's numbers.
    """

    def __init__(self, out_size: int, nobias: bool = False, dtype: Any = np.float32,
                 in_size: int | None = None, *, rng: np.random.Generator | None = None,
                 name: str | None = None) -> None:
        super().__init__(name)
        if int(out_size) < 1 or (in_size is not None and int(in_size) < 1):
            raise ValueError(f"Linear sizes must be at least 1; got in_size={in_size}, "
                             f"out_size={out_size}")
        self.in_size = in_size
        self.out_size = int(out_size)
        self.dtype = dtype
        self.rng = rng
        self.W = Parameter(None, name="W")
        if in_size is not None:
            self._init_W()
        self.b = None if nobias else Parameter(np.zeros(self.out_size, dtype=dtype), name="b")

    def _init_W(self) -> None:  # noqa: N802 (the book's name)
        size = (self.in_size, self.out_size)
        draw = np.random.randn(*size) if self.rng is None else self.rng.standard_normal(size)
        # float32 throughout when asked (numpy 2 would promote by the float64 scale)
        self.W.data = (draw.astype(self.dtype) * np.sqrt(1 / self.in_size)).astype(self.dtype)

    def forward(self, x: Any) -> Variable:
        if self.W.data is None:
            shape = np.shape(getattr(x, "data", x))
            if len(shape) != 2:
                raise ValueError(f"Linear expects a batch of shape (N, in_size); got {shape}")
            self.in_size = shape[1]
            self._init_W()
        return linear(x, self.W, self.b)
