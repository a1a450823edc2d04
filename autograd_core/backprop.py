"""The backward pass, as a generator of steps.

:func:`backward_steps` is the backward traversal: it yields one :class:`BackwardStep` per
generation (the book's order: the newest generation first), and :func:`backward` (what
``Variable.backward`` calls) drains the same traversal. Its ordinary pass runs the calls in
one loop on raw arrays (``_run_raw``, the engine's speed trick, as the book's
``core_simple`` keeps grads raw), and :func:`recorded_backward` is that loop keeping its
records; a test checks that it makes the generator's calls, in its order, with its grads
bit for bit. The app and ``viz`` replay these records, so what students watch is what the
library computes.
"""

from __future__ import annotations

import heapq
import warnings
import weakref
from collections.abc import Iterator
from typing import Any, NamedTuple

import numpy as np

from . import collector
from .config import DERIVATIVE_ORDER, ENABLE_BACKPROP
from .core import Function, Variable, _fill, _new_object, as_array
from .ops.arithmetic import copy
from .registry import GRADS_CHECKED_BY_TESTS


class NothingUpstreamWarning(UserWarning):
    """backward() was called on a variable that no recorded Function produced."""


class FunctionStep(NamedTuple):
    """One Function's backward call: what it received and what it produced.

    ``output_grads[i]`` is the grad of ``function.outputs[i]`` (None if that
    output got none); ``input_grads[i]`` is the contribution sent to
    ``function.inputs[i]`` (None for a non-differentiable input). Variables from
    :func:`backward_steps`, numpy values from :func:`recorded_backward` (read either
    with :func:`grad_array`).
    """

    function: Function
    output_grads: tuple[Variable | None, ...]
    input_grads: tuple[Variable | None, ...]


class BackwardStep(NamedTuple):
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
    return _traverse(output, retain_grad, create_graph, records=True)


def recorded_backward(output: Variable, *, retain_grad: bool = False) -> list[BackwardStep]:
    """:func:`backward` that keeps its records: the same pass (the same loop, on raw
    arrays), every step's :class:`BackwardStep` returned, its grads the numpy values the
    pass computed (``backward_steps`` gives Variables: user code may run between its
    steps and see them on the variables). What ``viz.record`` shows."""
    grad = _seed_grad(output)
    output.grad = grad
    creator = output.creator
    if creator is None:
        return []
    log: list[tuple] = []
    heap = [(-creator.generation, -creator.index, creator)]
    collector.pause()
    token = ENABLE_BACKPROP.set(False)
    raw = _RawGrads(grad.data)
    try:
        _run_raw(heap, {creator}, raw, retain_grad, log)
    finally:
        raw.finish()
        ENABLE_BACKPROP.reset(token)
        collector.resume()
    # One step per generation: the calls of a generation are adjacent in the log. The
    # records are built with tuple.__new__ rather than the NamedTuples' own constructors:
    # those are a Python call each, half of what keeping records added to the pass.
    steps: list[BackwardStep] = []
    order, new, n, i = creator.order + 1, tuple.__new__, len(log), 0
    while i < n:
        generation = log[i][0].generation
        j = i + 1
        while j < n and log[j][0].generation == generation:
            j += 1
        if j == i + 1:  # the common case: one Function in its generation
            entry = log[i]
            calls: tuple = (new(FunctionStep, entry[:3]),)
            queued = tuple(entry[3])
        else:
            group = log[i:j]
            calls = tuple([new(FunctionStep, entry[:3]) for entry in group])
            queued = tuple([f for entry in group for f in entry[3]])
        steps.append(new(BackwardStep, (len(steps), generation, order, calls, queued)))
        i = j
    return steps


def grad_array(g: Any) -> np.ndarray:
    """A grad of a step record (a Variable, or a numpy value from recorded_backward) as an
    ndarray."""
    return np.asarray(g.data if isinstance(g, Variable) else g)


def _warn_if_nothing_upstream(output: Variable, stacklevel: int) -> None:
    """Warn, at the caller's line, that ``output`` has no creator (nothing to do)."""
    if output.creator is None:
        warnings.warn(
            "backward() on a variable with no creator: nothing is upstream "
            "(it is a leaf, or it was computed under no_grad); its grad was set to "
            "the seed and no other grad was computed",
            NothingUpstreamWarning,
            stacklevel=stacklevel,
        )


def _traverse(
    output: Variable, retain_grad: bool, create_graph: bool, records: bool
) -> Iterator[BackwardStep | None]:
    """The one backward traversal. ``records=False`` (used by :func:`backward`, which
    throws the records away) skips building them: with create_graph it yields None per
    generation; without, the pass runs on raw grads in one loop and yields nothing."""
    grad = _seed_grad(output)
    output.grad = grad
    creator = output.creator
    if creator is None:
        if records:  # a bare generator: the user's frame is the one iterating it
            _warn_if_nothing_upstream(output, stacklevel=3)
        return  # (backward() warned already, at its caller's line)
    order = creator.order + 1
    # Max-heap on (generation, index) via negation: the highest generation runs
    # first; ties break by creation order, deterministically.
    heap: list[tuple[int, int, Function]] = [(-creator.generation, -creator.index, creator)]
    queued = {creator}  # membership only (identity); the order comes from the heap
    if not records and not create_graph:
        # backward()'s ordinary pass: no records to keep and no graph to record, so the
        # grads stay raw arrays while it runs, as in the book's core_simple (backward()
        # has set the mode and paused the collector for the whole pass)
        raw = _RawGrads(grad.data)
        try:  # the same order as below, without stopping at each generation's end
            _run_raw(heap, queued, raw, retain_grad)
        finally:
            raw.finish()  # also when an op fails: no variable is left holding a raw array
        return
    number = 0
    while heap:
        key = heap[0][0]
        calls: list[FunctionStep] = []
        newly_queued: list[Function] | None = [] if records else None
        # (backward() sets the mode once for the whole pass; a bare generator per step)
        switch = ENABLE_BACKPROP.get() is not create_graph
        mode_token = ENABLE_BACKPROP.set(create_graph) if switch else None
        # Functions are recorded only with create_graph; they then get this order.
        order_token = DERIVATIVE_ORDER.set(order) if create_graph else None
        # The grads made here form no cycles (reference counting frees them), yet on a
        # big graph the cyclic collector would rescan every live node again and again:
        # pause it while a step computes (never across a yield); backward() pauses it once
        # for its whole pass instead
        if records:
            collector.pause()
        try:
            while heap and heap[0][0] == key:
                function = heapq.heappop(heap)[2]
                call = _run_one(function, heap, queued, newly_queued, retain_grad, create_graph)
                if records:
                    calls.append(call)
        finally:
            if records:
                collector.resume()
            if order_token is not None:
                DERIVATIVE_ORDER.reset(order_token)
            if mode_token is not None:
                ENABLE_BACKPROP.reset(mode_token)
        if records:
            yield BackwardStep(number, -key, order, tuple(calls), tuple(newly_queued))
        else:
            yield None
        number += 1


def _run_one(
    function: Function,
    heap: list[tuple[int, int, Function]],
    queued: set[Function],
    newly_queued: list[Function] | None,
    retain_grad: bool,
    create_graph: bool,
) -> FunctionStep | None:
    refs = function.outputs
    if len(refs) == 1:  # the common case, without the generic comprehensions
        y = refs[0]()
        outputs: tuple[Variable | None, ...] = (y,)
        g = None if y is None else y.grad
        grads: tuple[Variable | None, ...] = (g,)
        # Without create_graph there is nothing to record: the op's math runs on raw arrays.
        gxs = function.backward(g if create_graph or g is None else g.data)
    else:
        outputs = tuple([ref() for ref in refs])
        grads = tuple([None if y is None else y.grad for y in outputs])
        if create_graph:
            gxs = function.backward(*grads)
        else:
            gxs = function.backward(*[None if g is None else g.data for g in grads])
    if type(gxs) is not tuple:
        gxs = (gxs,)
    inputs = function.inputs
    if len(gxs) != len(inputs):
        raise _count_error(function, gxs)
    sent: list[Variable | None] = []
    for i, x in enumerate(inputs):
        gx = gxs[i]
        if gx is None:
            sent.append(None)
            continue
        if isinstance(gx, np.generic):
            gx = np.asarray(gx)  # numpy returns 0-d results as scalars
        elif type(gx) is np.ndarray and not create_graph and _may_alias(gx, gxs, i, grads):
            # Never let two variables own the same grad array (the step-14 trap).
            gx = gx.copy()
        elif create_graph and type(gx) is Variable and _passes_through(gx, gxs, i, grads):
            gx = copy(gx)  # the same, recorded: a grad of its own, the graph still joined
        if type(gx) is np.ndarray and gx.shape == x.data.shape:
            gx = _grad_variable(gx)
        elif type(gx) is not Variable or gx.data.shape != x.data.shape:
            gx = _as_grad(gx, function, i, x)  # numpy scalars, numbers, or a shape error
        sent.append(gx)
        creator = x.creator
        if creator is None and x.origin == "constant":
            continue  # a number an op wrapped keeps no grad (see _run_raw)
        old = x.grad
        if old is None:
            x.grad = gx
        elif create_graph:
            x.grad = old + gx  # recorded: the accumulation is part of the grad's graph
        else:
            # a new array, never in-place (a user may have set a plain ndarray/number)
            total = old.data + gx.data if type(old) is Variable else old + gx.data
            x.grad = _grad_variable(total if type(total) is np.ndarray else np.asarray(total))
        if creator is not None and creator not in queued:
            queued.add(creator)
            if newly_queued is not None:
                newly_queued.append(creator)
            heapq.heappush(heap, (-creator.generation, -creator.index, creator))
    if not retain_grad:
        for y in outputs:
            if y is not None:
                y.grad = None
    return None if newly_queued is None else FunctionStep(function, grads, tuple(sent))


class _RawGrads:
    """The grads of one ordinary backward() pass while it runs.

    They are stored on ``x.grad`` as they come: ndarrays, or numpy scalars (numpy's 0-d
    results), never wrapped. :meth:`finish` turns the ones that outlive the pass (the
    leaves', and every variable's with retain_grad) into Variables of 0-d or more
    dimensions, copying an array that another variable or the seed also holds (Add passes
    its grad through) or that is a view (reshape's backward), so no two variables ever
    share a grad array (the step-14 trap).
    """

    __slots__ = ("seed", "kept")

    def __init__(self, seed: np.ndarray) -> None:
        self.seed = seed  # held, so that no other array can take its id() below
        self.kept: list[Variable] = []  # may list a variable twice (one entry per grad)

    def finish(self) -> None:
        owned = {id(self.seed)}  # identity of live arrays, only within this loop
        for v in self.kept:
            g = v.grad
            if g is None or isinstance(g, Variable):
                continue  # freed, or already made a Variable (a second entry)
            if type(g) is not np.ndarray:
                g = np.asarray(g)  # a numpy scalar (or a number a user set): a fresh 0-d array
            elif g.base is not None or id(g) in owned:
                g = g.copy()
            owned.add(id(g))
            v.grad = _grad_variable(g)


def _run_raw(
    heap: list[tuple[int, int, Function]], queued: set[Function], raw: _RawGrads,
    retain_grad: bool, log: list[tuple] | None = None,
) -> None:
    """The ordinary pass's loop: every queued Function's backward, on raw arrays (see
    _RawGrads), in the traversal's order (one loop here rather than a call per Function:
    this is the engine's hottest code after Function.__call__). With ``log``, each call
    appends (function, grads it was given, grads it returned, functions it queued): the
    records of :func:`recorded_backward`, kept as the raw values the pass computed."""
    kept = raw.kept
    heappop, heappush = heapq.heappop, heapq.heappush
    one_output, variable = weakref.ref, Variable  # (locals: read once per Function below)
    newly: list[Function] | None = None
    while heap:
        function = heappop(heap)[2]
        refs = function._outputs
        if type(refs) is one_output:  # the common case (see Function)
            y = refs()
            g = None if y is None else y.grad
            gy = g.data if isinstance(g, variable) else g
            gxs = function.backward(gy)
            if y is not None and not retain_grad:
                y.grad = None  # used: free it now
            if log is not None:
                gys: tuple = (gy,)
        else:
            outputs = [ref() for ref in refs]
            gys = tuple([None if y is None else (y.grad.data if isinstance(y.grad, variable)
                                                 else y.grad) for y in outputs])
            gxs = function.backward(*gys)
            if not retain_grad:
                for y in outputs:
                    if y is not None:
                        y.grad = None
        if type(gxs) is not tuple:
            gxs = (gxs,)
        inputs = function.inputs
        if type(function) not in GRADS_CHECKED_BY_TESTS:
            gxs = _checked_raw_grads(function, gxs)
        if log is not None:
            newly = []
            log.append((function, gys, gxs, newly))
        for x, gx in zip(inputs, gxs, strict=False):  # lengths checked (or tested) above
            if gx is None:
                continue
            creator = x.creator
            if creator is None and x.origin == "constant":
                # A number an op wrapped (y * 0.9999) keeps no grad: no one holds it to read
                # one, and making each such grad a Variable at the end of the pass was a
                # third of the backward of a chain written with Python constants.
                continue
            old = x.grad
            # a sum is a new array, never in place: gx may also be another variable's grad
            if old is None:
                x.grad = gx
            else:
                x.grad = (old.data if isinstance(old, variable) else old) + gx
            if creator is None or retain_grad:
                kept.append(x)  # its grad outlives the pass: a Variable at the end
            if creator is not None and creator not in queued:
                queued.add(creator)
                heappush(heap, (-creator.generation, -creator.index, creator))
                if newly is not None:
                    newly.append(creator)


def _checked_raw_grads(function: Function, gxs: tuple) -> tuple:
    """A Function's returned grads, checked (one per input, each None or of its input's
    shape) and made numpy values: a user's op may return Variables or numbers."""
    inputs = function.inputs
    if len(gxs) != len(inputs):
        raise _count_error(function, gxs)
    checked = []
    for i, (x, gx) in enumerate(zip(inputs, gxs, strict=True)):
        if gx is not None:
            if isinstance(gx, np.generic) and not x.data.ndim:
                pass  # numpy's 0-d result for a 0-d input: fine as it is
            elif type(gx) is np.ndarray and gx.shape == x.data.shape:
                pass
            else:  # a Variable (book-style math), a number, a subclass, or a mistake
                gx = _as_grad(gx, function, i, x).data
        checked.append(gx)
    return tuple(checked)


def _count_error(function: Function, gxs: tuple) -> ValueError:
    n = len(function.inputs)
    return ValueError(
        f"{type(function).__name__}.backward returned {len(gxs)} grad(s) for {n} "
        "input(s); return one grad per input (None for an input that needs none)"
    )


def _grad_variable(data: np.ndarray) -> Variable:
    """A fresh leaf Variable for a grad array (Variable(data) without the type check)."""
    return _fill(_new_object(Variable), data, None, None, 0, "leaf")


def _may_alias(gx: Any, gxs: tuple, i: int, grads: tuple) -> bool:
    """True when the raw grad ``gx`` could share memory with another variable's grad."""
    if gx.base is not None:
        return True  # a view (reshape, transpose, slicing) of some other array
    for g in grads:
        if g is not None and g.data is gx:
            return True  # passed through unchanged (Add, Sub)
    return any(gxs[j] is gx for j in range(i))


def _passes_through(gx: Variable, gxs: tuple, i: int, grads: tuple) -> bool:
    """True when the grad Variable ``gx`` is an output's grad or an earlier input's."""
    return any(g is gx for g in grads) or any(gxs[j] is gx for j in range(i))


def backward(output: Variable, *, retain_grad: bool = False, create_graph: bool = False,
             _stacklevel: int = 2) -> None:
    """Run the whole backward pass from ``output``: the same traversal as
    :func:`backward_steps`, drained at once, without keeping its records."""
    _warn_if_nothing_upstream(output, stacklevel=_stacklevel + 1)
    # No user code runs between the steps here, so the mode and the collector pause
    # can be set once for the whole pass instead of once per generation.
    collector.pause()
    token = ENABLE_BACKPROP.set(create_graph)
    try:
        for _ in _traverse(output, retain_grad, create_graph, records=False):
            pass
    finally:
        ENABLE_BACKPROP.reset(token)
        collector.resume()
