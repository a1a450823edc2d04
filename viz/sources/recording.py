"""A recorded backward pass of another library, turned into the frames viz steps.

An adapter's recorder (or replayer) listens to the user's own backward and writes one
:class:`CallRecord` per function call, in the order their code made the calls. This
module turns those records into ``autograd_core`` step records over the mirrors (one step
per call) and a :class:`viz.BackwardReplay` built from them, so the player, the exports
and the chain-rule captions show the order and the numbers the user's code produced.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from autograd_core import BackwardStep, Function, FunctionStep
from viz.model.frames import BackwardReplay
from viz.sources.mirror import Read, as_data


@dataclass
class CallRecord:
    """One call of a function's backward, as the user's code made it."""

    function: Any  # the adapter's handle of the function
    received: tuple[np.ndarray | None, ...]  # the grads it was given (one per output)
    returned: tuple[np.ndarray | None, ...] = ()  # the grads it gave back (one per input)
    # (variable handle, grad) after the call, for sources whose code decides what a
    # variable holds (an overwrite, a sum, a reset to None)
    held: list[tuple[Any, np.ndarray | None]] = field(default_factory=list)
    raised: bool = False


def grads_tuple(value: Any) -> tuple[np.ndarray | None, ...]:
    """A backward's return value (one grad or a tuple/list of them) as copied arrays."""
    items = value if isinstance(value, (tuple, list)) else (value,)
    return tuple(as_data(g) for g in items)


def replay_from_calls(read: Read, calls: Sequence[CallRecord], *, mode: str,
                      error: str | None = None, notice: str | None = None,
                      initial: dict[Hashable, np.ndarray] | None = None,
                      retain_grad: bool = True) -> BackwardReplay:
    """The frames of ``calls`` over ``read``'s mirrors (one step per call)."""
    steps: list[BackwardStep] = []
    held: dict[int, list[tuple[int, np.ndarray | None]]] = {}
    reached: set[int] = set()  # functions whose output received a grad (queued)
    output_creator = read.output.creator
    if output_creator is not None:
        reached.add(output_creator.index)
    problems: list[str] = []
    mirror_of = read.mirror_of_function
    for call in calls:
        f = mirror_of(call.function)
        if f is None:
            continue  # a function outside the drawn graph (the user's own helper)
        inputs = f.inputs
        received = _fit(call.received, len(f.outputs))
        returned = _fit(call.returned, len(inputs))
        queued = []
        for x, g in zip(inputs, returned, strict=True):
            if g is None:
                continue
            if g.shape != getattr(x.data, "shape", g.shape) and g.size != 1:
                problems.append(
                    f"{type(f).label}.backward returned a grad of shape {g.shape} for an "
                    f"input of shape {x.data.shape}")
            c = x.creator
            if c is not None and c.index not in reached:
                reached.add(c.index)
                queued.append(c)
        record = FunctionStep(f, received, returned)  # numpy values, as recorded_backward's
        number = len(steps)
        steps.append(BackwardStep(number, f.generation, 1, (record,), tuple(queued)))
        for handle, g in call.held:
            mirror = read.mirror_of_variable(handle)
            if mirror is not None:
                held.setdefault(mirror.index, []).append((number, g))
    if problems and notice is None:
        notice = problems[0]
    start = {read.mirror_of_variable(h).index: g for h, g in (initial or {}).items()
             if read.mirror_of_variable(h) is not None and g is not None}
    return BackwardReplay.from_steps(read.output, steps, held=held, initial=start, mode=mode,
                                     kind=read.kind, error=error, notice=notice, read=read,
                                     retain_grad=retain_grad)


def _fit(grads: tuple, n: int) -> tuple:
    """Exactly ``n`` grads (a user's backward may return too few or too many)."""
    grads = tuple(grads)[:n]
    return grads + (None,) * (n - len(grads))


def describe_error(error: BaseException) -> str:
    """``TypeError: unsupported operand ...`` in one line (the caption's words)."""
    text = str(error).strip().splitlines()[0] if str(error).strip() else ""
    text = text if len(text) <= 300 else text[:297] + "..."
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def functions_of(read: Read) -> list[Function]:
    """The read graph's mirror functions, in creation order."""
    return list(read.functions.values())
