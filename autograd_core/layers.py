"""Layers (the book's step 44-45): objects that own Parameters and call ops.

``import autograd_core.layers as L`` gives the book's ``L.Layer``, ``L.Linear`` and the
recurrent ``L.RNN`` and ``L.LSTM``.
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


class RNN(Layer):
    """An Elman recurrent layer (the book's step 59): ``h = tanh(x @ Wx + b + h @ Wh)``.

    It keeps its hidden state ``h`` between calls (one call per time step);
    ``reset_state()`` starts a new sequence. With ``loss.unchain_backward()`` after each
    backward, the graph is cut there (truncated backpropagation through time).
    """

    def __init__(self, hidden_size: int, in_size: int | None = None, *,
                 name: str | None = None) -> None:
        super().__init__(name)
        self.x2h = Linear(hidden_size, in_size=in_size)
        self.h2h = Linear(hidden_size, in_size=hidden_size, nobias=True)
        self.h: Variable | None = None

    def reset_state(self) -> None:
        """Forget the hidden state: the next call starts a new sequence."""
        self.h = None

    def forward(self, x: Any) -> Variable:
        from .ops.elementwise import tanh

        _check_features(self, self.x2h, x)
        h_new = tanh(self.x2h(x)) if self.h is None else tanh(self.x2h(x) + self.h2h(self.h))
        self.h = h_new
        return h_new


class LSTM(Layer):
    """A long short-term memory layer (the book's step 60): forget, input and output gates
    and a cell state ``c`` beside the hidden state ``h``; ``reset_state()`` as RNN's."""

    def __init__(self, hidden_size: int, in_size: int | None = None, *,
                 name: str | None = None) -> None:
        super().__init__(name)
        h, i = hidden_size, in_size
        self.x2f, self.x2i = Linear(h, in_size=i), Linear(h, in_size=i)
        self.x2o, self.x2u = Linear(h, in_size=i), Linear(h, in_size=i)
        self.h2f = Linear(h, in_size=h, nobias=True)
        self.h2i = Linear(h, in_size=h, nobias=True)
        self.h2o = Linear(h, in_size=h, nobias=True)
        self.h2u = Linear(h, in_size=h, nobias=True)
        self.reset_state()

    def reset_state(self) -> None:
        """Forget the hidden and cell states: the next call starts a new sequence."""
        self.h: Variable | None = None
        self.c: Variable | None = None

    def forward(self, x: Any) -> Variable:
        from .ops.elementwise import sigmoid, tanh

        _check_features(self, self.x2f, x)
        if self.h is None:
            f, i = sigmoid(self.x2f(x)), sigmoid(self.x2i(x))
            o, u = sigmoid(self.x2o(x)), tanh(self.x2u(x))
        else:
            f = sigmoid(self.x2f(x) + self.h2f(self.h))
            i = sigmoid(self.x2i(x) + self.h2i(self.h))
            o = sigmoid(self.x2o(x) + self.h2o(self.h))
            u = tanh(self.x2u(x) + self.h2u(self.h))
        c_new = i * u if self.c is None else f * self.c + i * u
        h_new = o * tanh(c_new)
        self.h, self.c = h_new, c_new
        return h_new


def _check_features(layer: Layer, first: Linear, x: Any) -> None:
    """A recurrent layer is fed (N, features) at every step, always the same features."""
    shape = np.shape(getattr(x, "data", x))
    if len(shape) != 2:
        raise ValueError(f"{type(layer).__name__} {layer.name!r} takes one time step at a "
                         f"time, of shape (N, features); got {shape}")
    if first.in_size is not None and shape[1] != first.in_size:
        raise ValueError(f"{type(layer).__name__} {layer.name!r} was built for "
                         f"{first.in_size} feature(s) per sample; got x of shape {shape} "
                         "(a new feature size needs a new layer)")
