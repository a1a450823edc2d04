"""micrograd's ``Value`` (and the lecture's version with ``label``), read by shape.

A Value with children (``_prev``) is drawn as a function (its ``_op``: ``+``, ``*``,
``**2``, ``ReLU``, ``tanh``...) and the variable it produced; a Value without children
is a leaf. ``_prev`` is a set, so the children are put in a fixed order by what they
compute (their op, value and subgraph), never by memory addresses: the same program
draws the same picture.

Recording wraps each Value's ``_backward`` closure for the duration of the user's own
``g.backward()`` and reads the children's grads before and after each call (micrograd
adds to them in place: the difference is what the call sent). Before ``backward`` runs,
every micrograd grad is 0: the drawing then says "no grad yet" instead of 0.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Hashable, Sequence
from functools import partial
from typing import Any

import numpy as np

from viz.model.frames import BackwardReplay
from viz.sources.mirror import (
    MAX_SOURCE_NODES,
    Adapter,
    FunctionFacts,
    Read,
    SourceError,
    VariableFacts,
)
from viz.sources.recording import CallRecord, describe_error, replay_from_calls


def is_value(obj: Any) -> bool:
    try:
        return all(hasattr(obj, name) for name in ("data", "grad", "_prev", "_op", "_backward"))
    except Exception:  # noqa: BLE001
        return False


class MicrogradAdapter(Adapter):
    kind = "micrograd"
    title = "micrograd"

    def __init__(self, output: Any) -> None:
        self._children: dict[int, tuple[Any, ...]] = {}
        self._order_children(output)
        self.fresh = not any(_number(v.grad) for v in self._nodes)

    def _order_children(self, output: Any) -> None:
        """Every node's children in a fixed order: by a digest of what each computes."""
        nodes: list[Any] = []
        index: dict[int, int] = {}
        stack = [output]
        while stack:  # every node once (iteratively)
            v = stack.pop()
            if id(v) in index:
                continue
            index[id(v)] = len(nodes)
            nodes.append(v)
            if len(nodes) > MAX_SOURCE_NODES:
                raise SourceError(
                    f"this micrograd graph has more than {MAX_SOURCE_NODES:,} nodes, more "
                    "than viz reads: draw a smaller part of it (fewer samples, a smaller net)")
            prev = v._prev
            if not isinstance(prev, (set, frozenset, list, tuple)):
                raise SourceError(f"a micrograd Value's _prev should be a set, got "
                                  f"{type(prev).__name__}")
            stack.extend(prev)
        self._nodes = nodes
        self.initial = {id(v): v.grad for v in nodes if v.grad}  # before any pass we record
        uses: dict[int, int] = {}
        for v in nodes:
            for c in v._prev:
                uses[id(c)] = uses.get(id(c), 0) + 1
        digest: dict[int, str] = {}
        # children before parents: an iterative post-order over the (possibly cyclic) graph
        state: dict[int, int] = {}
        for root in nodes:
            if id(root) in digest:
                continue
            stack2: list[tuple[Any, bool]] = [(root, False)]
            while stack2:
                v, done = stack2.pop()
                if done:
                    kids = sorted(digest[id(c)] for c in v._prev)
                    text = f"{v._op}|{_number(v.data)!r}|{'|'.join(kids)}"
                    digest[id(v)] = hashlib.blake2b(text.encode(), digest_size=8).hexdigest()
                    state[id(v)] = 2
                    continue
                if state.get(id(v)) == 2:
                    continue
                if state.get(id(v)) == 1:
                    raise SourceError(
                        "this micrograd graph has a cycle: a Value is among its own children, "
                        "so it has no order to run in")
                state[id(v)] = 1
                stack2.append((v, True))
                for c in v._prev:
                    if state.get(id(c)) != 2:
                        if state.get(id(c)) == 1:
                            raise SourceError(
                                "this micrograd graph has a cycle: a Value is among its own "
                                "children, so it has no order to run in")
                        stack2.append((c, False))
        for v in nodes:
            if v._prev:
                self._children[id(v)] = tuple(sorted(
                    v._prev, key=lambda c: (digest[id(c)], -uses[id(c)])))

    def creator(self, v: Any) -> Any | None:
        return v if self._children.get(id(v)) else None

    def inputs(self, f: Any) -> Sequence[Any]:
        return self._children[id(f)]

    def outputs(self, f: Any) -> Sequence[Any | None]:
        return (f,)

    def variable(self, v: Any) -> VariableFacts:
        label = getattr(v, "label", None)
        grad = _number(v.grad)
        return VariableFacts(np.array(_number(v.data), dtype=np.float64),
                             None if self.fresh else np.array(grad, dtype=np.float64),
                             label if isinstance(label, str) and label else None)

    def function(self, f: Any) -> FunctionFacts:
        op = str(f._op) or "?"
        params: dict[str, Any] = {}
        if op.startswith("**"):
            with contextlib.suppress(ValueError):
                params["c"] = float(op[2:]) if "." in op else int(op[2:])
        return FunctionFacts(op, None, params, params_in_label=True)

    def function_key(self, f: Any) -> Hashable:
        return ("f", id(f))


def _number(x: Any) -> float:
    try:
        return float(x)
    except (TypeError, ValueError):
        return float("nan")


def _tap1(log: list, v: Any, backward: Any, a: Any) -> None:
    try:
        backward()
    except BaseException:
        log.append((v, v.grad, _RAISED))
        raise
    log.append((v, v.grad, a.grad))


def _tap2(log: list, v: Any, backward: Any, a: Any, b: Any) -> None:
    try:
        backward()
    except BaseException:
        log.append((v, v.grad, _RAISED))
        raise
    log.append((v, v.grad, a.grad, b.grad))


def _tap(log: list, v: Any, backward: Any, *kids: Any) -> None:
    try:
        backward()
    except BaseException:
        log.append((v, v.grad, _RAISED))
        raise
    log.append((v, v.grad, *(c.grad for c in kids)))


_RAISED = object()
_TAPS = (_tap1, _tap2, _tap)
_TAP_BY_COUNT = {1: _tap1, 2: _tap2}


def _listen(read: Read, log: list[Any]) -> None:
    """Wrap every non-leaf Value's ``_backward``: each call appends (value, its grad, the
    children's grads after it) to ``log`` as plain numbers.

    This is all the time recording adds to micrograd's own ~0.5 us per node, so it is a
    ``functools.partial`` of a small function (no closure to build per node) that copies
    nothing: what a call sent is worked out afterwards, from the grads before it
    (see :func:`_calls`). :func:`_unlisten` puts every closure back.
    """
    children = read.adapter._children  # type: ignore[attr-defined]
    for v in read.function_handles:
        kids = children[id(v)]
        v._backward = partial(_TAP_BY_COUNT.get(len(kids), _tap), log, v, v._backward, *kids)


def _unlisten(read: Read) -> None:
    for v in read.function_handles:
        p = v._backward
        if type(p) is partial and p.func in _TAPS:
            v._backward = p.args[2]


def _calls(read: Read, log: list[Any]) -> list[CallRecord]:
    """The log of :func:`_listen` as call records: a call sent each child the difference
    between the child's grad after it and before it."""
    adapter: MicrogradAdapter = read.adapter  # type: ignore[assignment]
    now = dict(adapter.initial)  # id(value) -> grad, as the pass goes
    calls = []
    for entry in log:
        v, grad = entry[0], entry[1]
        call = CallRecord(v, (np.array(_number(grad)),))
        calls.append(call)
        if entry[2] is _RAISED:
            call.raised = True
            continue
        kids = adapter.inputs(v)
        returned, held = [], []
        for c, after in zip(kids, entry[2:], strict=True):
            returned.append(np.array(_number(after) - _number(now.get(id(c), 0))))
            held.append((c, np.array(_number(after))))
            now[id(c)] = after
        call.returned, call.held = tuple(returned), held
    return calls


def record(read: Read) -> BackwardReplay:
    """Run the user's own ``y.backward()`` once, listening to every ``_backward``."""
    log: list[Any] = []
    error = None
    _listen(read, log)
    try:
        read.handle.backward()
    except Exception as e:  # noqa: BLE001 (their code)
        error = describe_error(e)
        if isinstance(e, RecursionError):
            error += (" (micrograd's backward sorts the graph recursively: raise the limit "
                      "with sys.setrecursionlimit(10_000) before it)")
    finally:
        _unlisten(read)
    return replay_from_calls(read, _calls(read, log), mode="recorded", error=error)


def backpropagated(read: Read) -> bool:
    return not read.adapter.fresh  # type: ignore[attr-defined]


def replay(read: Read) -> BackwardReplay:
    """The pass again on the user's Values, every grad put back afterwards."""
    adapter: MicrogradAdapter = read.adapter  # type: ignore[assignment]
    saved = [(v, v.grad) for v in adapter._nodes]
    log: list[Any] = []
    error = None
    _listen(read, log)
    initial = adapter.initial
    adapter.initial = {}
    try:
        for v in adapter._nodes:
            v.grad = 0
        read.handle.grad = 1
        for v in reversed(read.function_handles):  # outputs before the Values they read
            v._backward()
    except Exception as e:  # noqa: BLE001 (their code)
        error = describe_error(e)
    finally:
        _unlisten(read)
        for v, grad in saved:
            v.grad = grad
    try:
        calls = _calls(read, log)
    finally:
        adapter.initial = initial
    return replay_from_calls(read, calls, mode="replayed", error=error)
