"""Mirrors: autograd_core nodes standing for the nodes of a graph viz did not build.

An adapter (one per kind of source) answers a few questions about the user's objects;
:func:`build` walks the user's graph with those answers, iteratively and in a fixed
order, and makes one mirror per node: a :class:`MirrorVariable` (or
:class:`MirrorParameter`) per variable, a mirror Function per function. Every drawing,
scene and player then works on the mirrors unchanged. A mirror keeps its user object in
``.source``; the user's objects are only read (values and grads are copied).

A mirror function whose op viz knows (``Square``, micrograd's ``*``, PyTorch's
``ExpBackward0``...) is also an instance of that autograd_core op, so the chain rule of
each step can be written out with the numbers (see :mod:`viz.model.explain`).
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from autograd_core import Function, Parameter, Variable

# The most nodes read from a source: walking further would take seconds and the drawing
# could only summarise it anyway. Beyond it, reading stops at once with a message.
MAX_SOURCE_NODES = 300_000


class SourceError(ValueError):
    """A graph viz cannot read: not a kind it knows, cyclic, too big, malformed."""


class MirrorVariable(Variable):
    """A variable of another library's graph, as viz draws it (``source``: the user's own)."""

    __slots__ = ("source",)


class MirrorParameter(Parameter):
    """A parameter (``nn.Parameter``, a model's weight) of another library's graph."""

    __slots__ = ("source",)


class MirrorFunction(Function):
    """A function of another library's graph (``source``: the user's own object).

    Its class carries the source's label (``Square``, ``*``, ``MulBackward0``); when viz
    knows the op, the class also derives from that autograd_core op (for its chain rule).
    """

    foreign = True  # explain marks a recorded grad that disagrees with the op's rule

    def params(self) -> dict[str, Any]:
        return self.__dict__.get("shown_params", {})

    def forward(self, *xs: Any) -> Any:
        raise TypeError(f"{type(self).label} is a drawing of another library's function; "
                        "it cannot be called")


@dataclass(frozen=True)
class VariableFacts:
    """What an adapter says of one variable."""

    data: np.ndarray | None
    grad: np.ndarray | None = None
    name: str | None = None
    parameter: bool = False
    constant: bool = False  # a number the graph does not differentiate (no grad)
    scope: tuple[str, ...] = ()


@dataclass(frozen=True)
class FunctionFacts:
    """What an adapter says of one function."""

    label: str
    generation: int | None = None
    params: dict[str, Any] = field(default_factory=dict)
    scope: tuple[str, ...] = ()
    params_in_label: bool = False  # micrograd's "**2": the exponent is not drawn twice


class Adapter:
    """The questions viz asks of a source; one subclass per kind of source.

    Handles are the adapter's own objects for variables and functions (usually the
    user's objects themselves); ``*_key`` makes them hashable within one read.
    """

    kind = "?"
    title = "?"  # the kind as a person names it: "your DeZero classes", "micrograd"

    def creator(self, v: Any) -> Any | None:
        raise NotImplementedError

    def inputs(self, f: Any) -> Sequence[Any]:
        raise NotImplementedError

    def outputs(self, f: Any) -> Sequence[Any | None]:
        raise NotImplementedError

    def variable(self, v: Any) -> VariableFacts:
        raise NotImplementedError

    def function(self, f: Any) -> FunctionFacts:
        raise NotImplementedError

    def variable_key(self, v: Any) -> Hashable:
        return id(v)

    def function_key(self, f: Any) -> Hashable:
        return id(f)

    def user_object(self, v: Any) -> Any:
        """The object a user holds for variable handle ``v`` (``w.selected`` gives it)."""
        return v


@dataclass
class Read:
    """A source's graph as mirrors: the output's mirror and the way back to user objects."""

    kind: str
    title: str
    output: Variable
    adapter: Adapter
    handle: Any  # the adapter's handle of the output
    variables: dict[Hashable, Variable]  # variable key -> mirror
    functions: dict[Hashable, Function]  # function key -> mirror
    function_handles: list[Any]  # every function handle, in mirror creation order
    variable_handles: dict[Hashable, Any]  # variable key -> handle
    names: dict[Hashable, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def mirror_of_variable(self, handle: Any) -> Variable | None:
        return self.variables.get(self.adapter.variable_key(handle))

    def mirror_of_function(self, handle: Any) -> Function | None:
        return self.functions.get(self.adapter.function_key(handle))

    @property
    def size(self) -> int:
        return len(self.variables) + len(self.functions)


# --- ops viz knows by name --------------------------------------------------------------

_TORCH_SUFFIX = re.compile(r"Backward\d*$")
_MICROGRAD_POW = re.compile(r"^\*\*(-?\d+(?:\.\d+)?)$")
_SYMBOLS = {"+": "add", "*": "mul", "-": "sub", "/": "div"}
# element-wise ops whose rule depends on nothing but their inputs (and Pow's exponent)
_KNOWN = ("add", "sub", "mul", "div", "neg", "pow", "square", "exp", "log", "sin", "cos",
          "tanh", "sigmoid", "relu")


def known_op(label: str, n_inputs: int, params: dict[str, Any]) -> type[Function] | None:
    """The autograd_core op a source's function label names, when its rule applies as is."""
    key = (label, n_inputs, "c" in params)
    if key not in _KNOWN_BY_LABEL:
        _KNOWN_BY_LABEL[key] = _known_op(label, n_inputs, params)
    return _KNOWN_BY_LABEL[key]


_KNOWN_BY_LABEL: dict[tuple[str, int, bool], type[Function] | None] = {}


def _known_op(label: str, n_inputs: int, params: dict[str, Any]) -> type[Function] | None:
    from autograd_core.registry import OPS

    name = _TORCH_SUFFIX.sub("", label).strip()
    if _MICROGRAD_POW.match(name):
        name = "pow"
    name = _SYMBOLS.get(name, name).lower()
    if name not in _KNOWN:
        return None
    info = OPS[name]
    if info.n_inputs != n_inputs or (name == "pow" and "c" not in params):
        return None
    return info.cls


_CLASSES: dict[tuple[str, type | None], type[MirrorFunction]] = {}


def function_class(label: str, known: type[Function] | None) -> type[MirrorFunction]:
    """The mirror class for a label (made once per label and op)."""
    key = (label, known)
    cls = _CLASSES.get(key)
    if cls is None:
        bases = (MirrorFunction,) if known is None else (MirrorFunction, known)
        attrs: dict[str, Any] = {"label": label, "__slots__": ()}
        if known is None:
            attrs["commutative"] = True
        name = re.sub(r"\W", "_", label) or "Function"
        cls = _CLASSES[key] = type(f"{name}Mirror", bases, attrs)
    return cls


# --- building the mirrors -----------------------------------------------------------------

def as_data(value: Any) -> np.ndarray | None:
    """A user's value (array, number, numpy scalar, a Variable-like with ``.data``) as a
    fresh ndarray: later changes to the user's own array do not reach the drawing."""
    if value is None:
        return None
    inner = getattr(value, "data", None)
    if inner is not None and not isinstance(value, (np.ndarray, np.generic)):
        value = inner
    try:
        out = np.array(value, copy=True)
    except Exception:  # noqa: BLE001 (any object: it is not a number)
        return None
    return out if out.dtype.kind in "biufc" else None


def build(adapter: Adapter, output: Any, *, names: dict[Hashable, str] | None = None) -> Read:
    """Walk the graph behind ``output`` and make its mirrors (see the module docstring).

    The walk is iterative (a 100,000-op chain is fine), visits inputs in the order the
    adapter gives them, stops with :class:`SourceError` on a cycle or past
    :data:`MAX_SOURCE_NODES`, and creates the mirrors inputs first, so their creation
    indexes (and the drawing's node ids) follow the graph's order.
    """
    names = names or {}
    fkey, vkey = adapter.function_key, adapter.variable_key
    order: list[Any] = []  # function handles, every one after its inputs' creators
    inputs_of: dict[Hashable, Sequence[Any]] = {}
    state: dict[Hashable, int] = {}  # 1: on the walk's path, 2: done
    seen = 0

    def enter(f: Any) -> tuple[Any, Any]:
        nonlocal seen
        k = fkey(f)
        state[k] = 1
        xs = inputs_of[k] = tuple(adapter.inputs(f))
        seen += 1 + len(xs)
        if seen > 2 * MAX_SOURCE_NODES:
            raise _too_big(adapter)
        return f, iter(xs)

    top = adapter.creator(output)
    stack = [enter(top)] if top is not None else []
    while stack:
        f, pending = stack[-1]
        for x in pending:
            c = adapter.creator(x)
            if c is None:
                continue
            s = state.get(fkey(c))
            if s == 1:
                raise SourceError(
                    f"this graph has a cycle: {adapter.function(c).label} depends on its own "
                    "output, so it has no order to run in. A variable must be created before "
                    "the functions that use it (look for a variable that is its own "
                    "creator's input)")
            if s is None:
                stack.append(enter(c))
                break
        else:
            stack.pop()
            state[fkey(f)] = 2
            order.append(f)
            if len(order) > MAX_SOURCE_NODES // 2:
                raise _too_big(adapter)

    variables: dict[Hashable, Variable] = {}
    handles: dict[Hashable, Any] = {}
    functions: dict[Hashable, Function] = {}

    def mirror_variable(v: Any, creator: Function | None,
                        facts: VariableFacts | None = None) -> Variable:
        facts = facts or adapter.variable(v)
        m = (MirrorParameter if facts.parameter else MirrorVariable)(facts.data)
        m.source = adapter.user_object(v)
        k = vkey(v)
        m.name = names.get(k) or facts.name
        m.grad = None if facts.grad is None else Variable(facts.grad)
        if facts.parameter:
            m.scope = facts.scope
        if creator is not None:
            m.set_creator(creator)
        elif facts.constant:
            m.origin = "constant"
        variables[k] = m
        handles[k] = v
        return m

    for f in order:
        mxs = []
        for x in inputs_of[fkey(f)]:
            m = variables.get(vkey(x))
            if m is None:
                c = adapter.creator(x)
                m = mirror_variable(x, None if c is None else functions[fkey(c)])
            mxs.append(m)
        ys = [y for y in adapter.outputs(f) if y is not None and vkey(y) not in variables]
        if f is top and all(vkey(y) != vkey(output) for y in ys):
            ys.append(output)  # a source that does not list the output among its creator's
        ys_facts = [adapter.variable(y) for y in ys]
        facts = adapter.function(f)
        known = None
        if all(m.data is not None for m in mxs) and all(y.data is not None for y in ys_facts):
            known = known_op(facts.label, len(mxs), facts.params)
        cls = function_class(facts.label, known)
        mf = cls.__new__(cls)
        if known is not None and "c" in facts.params:
            mf.c = facts.params["c"]
        generation = max((m.generation for m in mxs), default=0)
        mf._record(tuple(mxs), generation if facts.generation is None else facts.generation)
        mf.source = f
        mf.shown_params = {} if facts.params_in_label else dict(facts.params)
        if facts.scope:
            mf.scope = facts.scope
        functions[fkey(f)] = mf
        outs = [mirror_variable(y, mf, yf) for y, yf in zip(ys, ys_facts, strict=True)]
        mf.outputs = tuple(weakref.ref(m) for m in outs)
    if vkey(output) not in variables:  # a leaf: nothing upstream
        mirror_variable(output, None)
    return Read(adapter.kind, adapter.title, variables[vkey(output)], adapter, output,
                variables, functions, list(order), handles, dict(names))


def _too_big(adapter: Adapter) -> SourceError:
    return SourceError(
        f"this {adapter.title} graph has more than {MAX_SOURCE_NODES:,} nodes, more than viz "
        "reads: draw a smaller part of it (a few samples, one layer, a shorter loop)")


def iter_unique(items: Iterable[Any], key: Callable[[Any], Hashable]) -> list[Any]:
    """``items`` without repeats (by ``key``), first occurrence kept, order kept."""
    seen: set[Hashable] = set()
    out = []
    for item in items:
        k = key(item)
        if k not in seen:
            seen.add(k)
            out.append(item)
    return out
