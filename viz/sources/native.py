"""autograd_core's own graphs: nothing to mirror, the engine's records are the frames."""

from __future__ import annotations

import numpy as np

from autograd_core import Variable
from viz.model.frames import BackwardReplay
from viz.model.graph import collect


def backpropagated(output: Variable) -> bool:
    """True when a variable other than the output already holds a grad."""
    return any(v.grad is not None for v in collect(output).variables if v is not output)


def record(output: Variable, *, create_graph: bool = False,
           retain_grad: bool = False) -> BackwardReplay:
    """The user's own backward, once: the same pass ``output.backward()`` runs, recorded.

    Afterwards the objects are as ``output.backward(retain_grad=retain_grad)`` leaves them
    (intermediate grads freed unless retained, the leaves' grads set); the frames keep
    every grad. The captions are the engine's own (a step is a generation).
    """
    return BackwardReplay(output, retain_grad=retain_grad, create_graph=create_graph)


def replay(output: Variable, *, create_graph: bool = False) -> BackwardReplay:
    """A pass that already ran, run again from no grads with every grad put back after."""
    variables = collect(output).variables
    saved = [(v, v.grad) for v in variables]
    try:
        for v in variables:
            v.grad = None
        with np.errstate(all="ignore"):
            replay = BackwardReplay(output, retain_grad=True, create_graph=create_graph)
    finally:
        for v, grad in saved:
            v.grad = grad
    replay.mode = "replayed"
    return replay
