"""The backward pass, as a generator of steps.

:func:`backward_steps` is the only backward traversal in the project: it yields
one :class:`BackwardStep` per generation, and :func:`backward` (what
``Variable.backward`` calls) merely drains it. The app and ``viz`` replay the
very same records, so what students watch is what the library computes.
"""

from __future__ import annotations

import heapq
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from .config import DERIVATIVE_ORDER, ENABLE_BACKPROP
from .core import Function, Variable, as_array


class NothingUpstreamWarning(UserWarning):
    """backward() was called on a variable that no recorded Function produced."""


@dataclass(frozen=True)
class FunctionStep:
    """One Function's backward call: what it received and what it produced.

    ``output_grads[i]`` is the grad of ``function.outputs[i]`` (None if that
    output got none); ``input_grads[i]`` is the contribution sent to
    ``function.inputs[i]`` (None for a non-differentiable input).
    """

    function: Function
    output_grads: tuple[Variable | None, ...]
    input_grads: tuple[Variable | None, ...]


@dataclass(frozen=True)
class BackwardStep:
    """All Functions of one generation, run in the backward pass.

    ``number`` counts steps from 0; ``order`` is the derivative order this pass
    computes (1 for an ordinary backward, 2 when differentiating a gradient...);
    ``queued`` lists the Functions first queued during this step (their outputs
    just received a grad), so a viewer can replay the pending queue; it is a
    delta, keeping the whole pass linear in the graph's size.
    """

    number: int
    generation: int
    order: int
    calls: tuple[FunctionStep, ...]
    queued: tuple[Function, ...]


def _seed_grad(output: Variable) -> Variable:
    grad = output.grad
    if grad is None:
        return Variable(np.ones_like(output.data))
    if not isinstance(grad, Variable):
        grad = Variable(as_array(grad))
    if grad.shape != output.shape:
        raise ValueError(
            f"the seed grad has shape {grad.shape} but the output it seeds has shape "
            f"{output.shape}; set output.grad to an array of shape {output.shape} "
            "(or leave it None to seed with ones)"
        )
    return grad


def _as_grad(gx: Any, function: Function, i: int, x: Variable) -> Variable:
    """Check one returned input grad and make it a Variable of x's shape."""
    if not isinstance(gx, Variable):
        try:
            gx = Variable(as_array(gx))
        except TypeError:
            raise TypeError(
                f"{type(function).__name__}.backward returned {type(gx).__name__} as the "
                f"grad of input {i}; return a Variable, an ndarray or a number"
            ) from None
    if gx.shape != x.shape:
        raise ValueError(
            f"{type(function).__name__}.backward returned a grad of shape {gx.shape} for "
            f"input {i}, whose shape is {x.shape}; reduce it to the input's shape "
            "(e.g. with sum_to) before returning it"
        )
    return gx


def backward_steps(
    output: Variable, *, retain_grad: bool = False, create_graph: bool = False
) -> Iterator[BackwardStep]:
    """Run the backward pass from ``output`` one generation at a time.

    Functions run in decreasing generation order (ties: most recently created
    first), each exactly once. After each generation a :class:`BackwardStep` is
    yielded; grads are already accumulated on the variables at that point.
    Nothing happens until the generator is iterated. Grad mode is switched only
    while a step computes, never across a ``yield``, so code running between
    steps sees the caller's own mode.
    """
    grad = _seed_grad(output)
    output.grad = grad
    creator = output.creator
    if creator is None:
        warnings.warn(
            "backward() on a variable with no creator: nothing is upstream "
            "(it is a leaf, or it was computed under no_grad); its grad was set to "
            "the seed and no other grad was computed",
            NothingUpstreamWarning,
            stacklevel=3,
        )
        return
    order = creator.order + 1
    # Max-heap on (generation, index) via negation: the highest generation runs
    # first; ties break by creation order, deterministically.
    heap: list[tuple[int, int, Function]] = [(-creator.generation, -creator.index, creator)]
    queued = {creator.index}
    number = 0
    while heap:
        generation = -heap[0][0]
        mode_token = ENABLE_BACKPROP.set(create_graph)
        order_token = DERIVATIVE_ORDER.set(order)
        try:
            calls = []
            newly_queued: list[Function] = []
            while heap and -heap[0][0] == generation:
                function = heapq.heappop(heap)[2]
                calls.append(
                    _run_one(function, heap, queued, newly_queued, retain_grad, create_graph)
                )
        finally:
            DERIVATIVE_ORDER.reset(order_token)
            ENABLE_BACKPROP.reset(mode_token)
        yield BackwardStep(number, generation, order, tuple(calls), tuple(newly_queued))
        number += 1


def _run_one(
    function: Function,
    heap: list[tuple[int, int, Function]],
    queued: set[int],
    newly_queued: list[Function],
    retain_grad: bool,
    create_graph: bool,
) -> FunctionStep:
    outputs = [ref() for ref in function.outputs]
    gys = tuple([None if y is None else y.grad for y in outputs])
    gxs = function.backward(*gys)
    if not isinstance(gxs, tuple):
        gxs = (gxs,)
    inputs = function.inputs
    if len(gxs) != len(inputs):
        raise ValueError(
            f"{type(function).__name__}.backward returned {len(gxs)} grad(s) for "
            f"{len(inputs)} input(s); return one grad per input (None for an input "
            "that needs none)"
        )
    checked = []
    for i, (x, gx) in enumerate(zip(inputs, gxs, strict=True)):
        if gx is None:
            checked.append(None)
            continue
        gx = _as_grad(gx, function, i, x)
        checked.append(gx)
        if x.grad is None:
            if not create_graph and _shares_array(gx, gys, checked):
                # Never let two variables own the same grad array (the step-14 trap).
                gx = Variable(gx.data.copy())
            x.grad = gx
        else:
            x.grad = x.grad + gx  # a new Variable: never in-place on a shared array
        creator = x.creator
        if creator is not None and creator.index not in queued:
            queued.add(creator.index)
            newly_queued.append(creator)
            heapq.heappush(heap, (-creator.generation, -creator.index, creator))
    if not retain_grad:
        for y in outputs:
            if y is not None:
                y.grad = None
    return FunctionStep(function, gys, tuple(checked))


def _shares_array(gx: Variable, gys: tuple[Variable | None, ...], checked: list) -> bool:
    data = gx.data
    for g in gys:
        if g is not None and g.data is data:
            return True
    # checked[-1] is gx itself; compare with the grads handed to earlier inputs
    return any(g is not None and g.data is data for g in checked[:-1])


def backward(output: Variable, *, retain_grad: bool = False, create_graph: bool = False) -> None:
    """Run the whole backward pass from ``output`` (drains :func:`backward_steps`)."""
    for _ in backward_steps(output, retain_grad=retain_grad, create_graph=create_graph):
        pass
