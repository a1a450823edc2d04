"""Graphs from anywhere: autograd_core's, your own DeZero classes, dezero, micrograd, PyTorch.

viz reads a graph through one small interface (:class:`~viz.sources.mirror.Adapter`:
a variable's data, grad and name; a function's label, inputs, outputs and generation
where the source has one). An adapter is chosen by the object's shape, never by
importing its library:

===============  ==================================================================
source           what is read
===============  ==================================================================
autograd_core    ``Variable`` (drawn as it is: nothing to translate)
your classes     ``data``, ``grad``, ``creator``; ``input``/``output`` or ``inputs``/
                 ``outputs`` (weak references or not), ``generation``, ``name``: every
                 stage of the book, and the ``dezero`` package
micrograd        ``Value``: ``data``, ``grad``, ``_prev``, ``_op`` (``label`` if any)
PyTorch          a tensor's ``grad_fn`` graph; leaves named with ``names=``, module
                 calls grouped with :func:`watch`
===============  ==================================================================

Three ways to get the frames of a backward pass:

* :func:`record` runs *your* backward once (``y.backward()``) and records every call:
  the frames show the order and the numbers your code produced, bugs included. Your
  objects end exactly as your own ``y.backward()`` leaves them.
* :func:`replay` steps a pass that already ran: each function's own backward runs again
  on private grads, your objects left exactly as they were.
* :func:`frames` picks: :func:`record` for a graph not backpropagated yet, else
  :func:`replay` (what ``viz.show(y, steps=True)`` and ``viz.export_steps`` use).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from autograd_core import Variable
from viz.model.frames import BackwardReplay
from viz.sources import dezero_like, micrograd, native
from viz.sources import torch as torch_source
from viz.sources.mirror import MAX_SOURCE_NODES, Read, SourceError, build
from viz.sources.torch import Watch

KINDS = ("autograd_core", "DeZero-shaped classes (yours, or the dezero package)",
         "micrograd Value", "PyTorch tensor")

__all__ = ["KINDS", "MAX_SOURCE_NODES", "Read", "SourceError", "Watch", "drawable", "frames",
           "kind_of", "read", "record", "replay", "watch"]


def kind_of(obj: Any) -> str | None:
    """"autograd_core", "torch", "micrograd", "dezero", or None for anything else."""
    if isinstance(obj, Variable):
        return "autograd_core"
    if torch_source.is_tensor(obj):
        return "torch"
    if micrograd.is_value(obj):
        return "micrograd"
    if dezero_like.is_variable(obj):
        return "dezero"
    return None


def _unknown(obj: Any) -> TypeError:
    kind = type(obj).__name__
    article = "an" if kind[:1].lower() in "aeiou" or kind == "ndarray" else "a"
    if isinstance(obj, (np.ndarray, np.generic, int, float, complex, list, tuple)):
        hint = (" (a value, not a graph: build the computation from Variables, e.g. "
                "x = Variable(np.array(0.5)); y = square(x), and draw y)")
    elif hasattr(obj, "data") and not hasattr(obj, "creator"):
        hint = (f" ({article} {kind} with data but no creator: the book links a variable to "
                "the function that made it from step 7 on, with set_creator)")
    else:
        hint = ""
    return TypeError(f"viz cannot read {article} {kind}: it reads {', '.join(KINDS[:-1])} "
                     f"and {KINDS[-1]}s{hint}")


def read(obj: Any, *, names: Mapping[str, Any] | None = None) -> Read:
    """``obj``'s graph as viz draws it (mirrors of another library's nodes).

    ``names`` maps names to your objects (``{"x": x}``, ``dict(model.named_parameters())``)
    for sources whose variables carry no name.
    """
    kind = kind_of(obj)
    if kind is None or kind == "autograd_core":
        raise _unknown(obj) if kind is None else TypeError(
            "an autograd_core Variable needs no reading: draw it directly")
    if kind == "torch":
        adapter: Any = torch_source.TorchAdapter(obj, names)
        handle = adapter.output_handle()
        if handle is None:  # a leaf tensor (or one made without grad): nothing upstream
            from viz.sources.torch import _Var

            handle = _Var(None, 0, obj, -1)
        by_key: dict[Any, str] = {}
    elif kind == "micrograd":
        adapter, handle = micrograd.MicrogradAdapter(obj), obj
        by_key = {id(v): str(n) for n, v in (names or {}).items()}
    else:
        adapter, handle = dezero_like.DezeroAdapter(obj), obj
        by_key = {id(v): str(n) for n, v in (names or {}).items()}
    return build(adapter, handle, names=by_key)


def drawable(obj: Any, *, names: Mapping[str, Any] | None = None) -> Variable:
    """What viz draws for ``obj``: itself (autograd_core) or its output's mirror."""
    if isinstance(obj, Variable):
        return obj
    if isinstance(obj, BackwardReplay):
        return obj.output
    return read(obj, names=names).output


_MODULES = {"dezero": dezero_like, "micrograd": micrograd, "torch": torch_source}


def record(obj: Any, *, names: Mapping[str, Any] | None = None,
           create_graph: bool = False, gradient: Any = None) -> BackwardReplay:
    """Run ``obj``'s own backward once and record every call (see the module docstring).

    Returns a :class:`viz.BackwardReplay` whose frames are those calls; ``.error`` holds
    what the backward raised, if it did (the frames stop there). Use it in place of
    ``y.backward()``: afterwards your objects are as that call would leave them.
    ``gradient`` is PyTorch's seed for a non-scalar output (``y.backward(gradient)``).
    """
    kind = kind_of(obj)
    if kind == "autograd_core":
        return native.record(obj, create_graph=create_graph)
    r = read(obj, names=names)
    if r.kind == "torch":
        return torch_source.record(r, gradient)
    return _MODULES[r.kind].record(r)


def replay(obj: Any, *, names: Mapping[str, Any] | None = None,
           create_graph: bool = False) -> BackwardReplay:
    """Step a backward pass that already ran, leaving every object of yours as it is."""
    kind = kind_of(obj)
    if kind == "autograd_core":
        return native.replay(obj, create_graph=create_graph)
    r = read(obj, names=names)
    return _MODULES[r.kind].replay(r)


def frames(obj: Any, *, names: Mapping[str, Any] | None = None,
           create_graph: bool = False, gradient: Any = None) -> BackwardReplay:
    """:func:`record` for a graph whose backward has not run yet, else :func:`replay`
    (``gradient``: PyTorch's seed for a non-scalar output when it is recorded)."""
    if isinstance(obj, BackwardReplay):
        return obj
    kind = kind_of(obj)
    if kind == "autograd_core":
        ran = native.backpropagated(obj)
        return (native.replay if ran else native.record)(obj, create_graph=create_graph)
    r = read(obj, names=names)
    module = _MODULES[r.kind]
    if module.backpropagated(r):
        return module.replay(r)
    return torch_source.record(r, gradient) if r.kind == "torch" else module.record(r)


def watch(model: Any) -> Watch:
    """Group a PyTorch model's module calls in drawings (forward hooks; ``.remove()``)."""
    return Watch(model)
