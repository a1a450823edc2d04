"""DeZero-shaped classes: the ones a reader of the book writes at every step, and ``dezero``.

What is read, by shape only (nothing is imported):

* a variable has ``data``, ``grad`` and ``creator`` (steps 7 on), perhaps ``name``
  (step 19) and ``generation`` (16);
* its creator has ``input``/``output`` (steps 7-10) or ``inputs``/``outputs`` lists
  (11 on), the outputs perhaps weak references (17), perhaps a ``generation`` (16).

Recording wraps the ``backward`` of every function of the graph (on the instance, for
the duration of the user's own ``y.backward()``), so each call is seen with the grads it
was given and the grads it returned; what each variable holds after a call is read just
before the next one (their loop assigns it between the two). Every wrapper is removed
afterwards, also when their code raises.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Hashable, Sequence
from typing import Any

import numpy as np

from viz.model.frames import BackwardReplay
from viz.sources.mirror import Adapter, FunctionFacts, Read, VariableFacts, as_data
from viz.sources.recording import CallRecord, describe_error, grads_tuple, replay_from_calls

_GRAPH_ATTRIBUTES = frozenset({"input", "inputs", "output", "outputs", "generation"})


def is_variable(obj: Any) -> bool:
    """A DeZero-shaped variable: ``data``, ``grad`` and ``creator``."""
    try:
        return all(hasattr(obj, name) for name in ("data", "grad", "creator"))
    except Exception:  # noqa: BLE001 (a user's __getattr__ may raise anything)
        return False


def _deref(o: Any) -> Any:
    return o() if isinstance(o, weakref.ReferenceType) else o


class DezeroAdapter(Adapter):
    kind = "dezero"

    def __init__(self, output: Any) -> None:
        module = type(output).__module__ or ""
        self.title = ("DeZero" if module.split(".")[0] == "dezero"
                      else "your Variable/Function classes")

    def creator(self, v: Any) -> Any | None:
        return getattr(v, "creator", None)

    def inputs(self, f: Any) -> Sequence[Any]:
        xs = getattr(f, "inputs", None)
        if xs is None:
            x = getattr(f, "input", None)
            xs = () if x is None else (x,)
        if not isinstance(xs, (list, tuple)):
            xs = (xs,)
        return tuple(x for x in xs if is_variable(x))

    def outputs(self, f: Any) -> Sequence[Any | None]:
        ys = getattr(f, "outputs", None)
        if ys is None:
            y = getattr(f, "output", None)
            ys = () if y is None else (y,)
        if not isinstance(ys, (list, tuple)):
            ys = (ys,)
        return tuple(y for y in (_deref(o) for o in ys) if y is None or is_variable(y))

    def variable(self, v: Any) -> VariableFacts:
        name = getattr(v, "name", None)
        return VariableFacts(as_data(v.data), as_data(v.grad),
                             name if isinstance(name, str) and name else None,
                             parameter=type(v).__name__ == "Parameter")

    def function(self, f: Any) -> FunctionFacts:
        generation = getattr(f, "generation", None)
        params = {}
        for key, value in getattr(f, "__dict__", {}).items():
            if key.startswith("_") or key in _GRAPH_ATTRIBUTES:
                continue
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                params[key] = value
        return FunctionFacts(type(f).__name__,
                             generation if isinstance(generation, int) else None, params)


def backpropagated(read: Read) -> bool:
    """True when some variable other than the output already holds a grad."""
    return any(getattr(h, "grad", None) is not None
               for k, h in read.variable_handles.items() if h is not read.handle)


# Grads that cannot change after the call (None, Python and numpy scalars): recorded as
# they are. The wrappers test a grad's type against this set before calling _snap: a
# call per grad was most of what listening added to a chain of scalars.
_KEPT_AS_THEY_ARE = frozenset({
    type(None), bool, int, float, complex, np.float64, np.float32, np.float16, np.int64,
    np.int32, np.int16, np.int8, np.uint8, np.bool_, np.complex128, np.complex64})


def _snap(g: Any) -> Any:
    """A grad as it is now: arrays copied (a later in-place ``+=`` must not change what was
    recorded), numbers kept; turned into arrays only after the pass (see CallRecord)."""
    t = type(g)
    if t is np.ndarray:
        return g.copy()
    if g is None or t is float or t is int or isinstance(g, np.generic):
        return g
    data = getattr(g, "data", g)  # a Variable-shaped grad (the book from step 32)
    return data.copy() if type(data) is np.ndarray else data


class _Listener:
    """Wraps the ``backward`` of the graph's Function classes and logs each call.

    The wrappers are all the time recording adds to the user's pass: one per class (a
    handful, however long the graph), each a small function that lets calls of other
    instances through untouched and, for the graph's own, copies the grads it sees (arrays
    only) into one list; the records are built after the pass (:meth:`calls`). What a
    call's variables hold after it is read when the next call starts (their loop assigns
    the grads in between).
    """

    def __init__(self, read: Read) -> None:
        self.read = read
        # [function, grads given, grads returned, grads held after, variables watched]
        self.log: list[list[Any]] = []
        self._undo: list[tuple[type, Any]] = []
        adapter = read.adapter
        self._watched = {id(f): (*adapter.inputs(f),
                                 *(y for y in adapter.outputs(f) if y is not None))
                         for f in read.function_handles}
        self._last: list[list[Any] | None] = [None]  # the previous call's entry

    def finish_last(self) -> None:
        """What the previous call's inputs and outputs hold now (their loop has assigned)."""
        last = self._last[0]
        if last is not None:
            last[3] = [_snap(v.grad) for v in last[4]]
            self._last[0] = None

    def _wrapper(self, original: Any) -> Any:
        append, cell, watched = self.log.append, self._last, self._watched
        kept, snap = _KEPT_AS_THEY_ARE, _snap

        def backward(f: Any, *args: Any, **kwargs: Any) -> Any:
            mine = watched.get(id(f))
            if mine is None:  # another instance of the class (another graph): untouched
                return original(f, *args, **kwargs)
            last = cell[0]
            if last is not None:  # the previous call's variables, as their loop left them
                last[3] = [g if type(g) in kept else snap(g)
                           for g in [v.grad for v in last[4]]]
            entry = [f, [g if type(g) in kept else snap(g) for g in args], _RAISED,
                     None, mine]
            append(entry)
            cell[0] = entry
            result = original(f, *args, **kwargs)
            if type(result) is tuple or type(result) is list:
                entry[2] = [g if type(g) in kept else snap(g) for g in result]
            else:
                entry[2] = (result if type(result) in kept else snap(result),)
            return result

        return backward

    def install(self) -> None:
        classes = list(dict.fromkeys(type(f) for f in self.read.function_handles))
        # every original first: a subclass that inherits backward must not get its
        # parent's wrapper as its original
        originals = [(cls, cls.__dict__.get("backward", _MISSING), cls.backward)
                     for cls in classes]
        for cls, own, resolved in originals:
            type.__setattr__(cls, "backward", self._wrapper(resolved))
            self._undo.append((cls, own))

    def remove(self) -> None:
        for cls, own in reversed(self._undo):
            if own is _MISSING:
                type.__delattr__(cls, "backward")
            else:
                type.__setattr__(cls, "backward", own)
        self._undo.clear()

    def calls(self) -> list[CallRecord]:
        out = []
        for f, gys, gxs, held, watched in self.log:
            call = CallRecord(f, tuple(as_data(g) for g in gys))
            if gxs is _RAISED:
                call.raised = True
            else:
                call.returned = tuple(as_data(g) for g in gxs)
            call.held = [(v, as_data(g)) for v, g in zip(watched, held or (), strict=False)]
            out.append(call)
        return out


_RAISED = object()
_MISSING = object()
# One recording at a time wraps classes: two threads wrapping the same class would each put
# the other's wrapper back when they finish.
_CLASSES_WRAPPED = threading.Lock()


def record(read: Read) -> BackwardReplay:
    """Run the user's own ``y.backward()`` once, listening to every function's backward."""
    y = read.handle
    seed_missing = getattr(y, "grad", None) is None
    listener = _Listener(read)
    error = None
    with _CLASSES_WRAPPED:
        listener.install()
        try:
            y.backward()
        except Exception as e:  # noqa: BLE001 (their code: whatever it raised is shown)
            error = describe_error(e)
            if seed_missing and isinstance(e, TypeError) and "NoneType" in str(e):
                error += (" (the output's grad was None: before step 9 the book sets "
                          "y.grad = np.array(1.0) before y.backward())")
        finally:
            listener.remove()
            listener.finish_last()
    return replay_from_calls(read, listener.calls(), mode="recorded", error=error)


def replay(read: Read) -> BackwardReplay:
    """Run every function's own backward again, in a correct order, on private grads."""
    adapter = read.adapter
    key = adapter.variable_key
    order = list(reversed(read.function_handles))  # outputs' creators before inputs'
    if all(isinstance(getattr(f, "generation", None), int) for f in order):
        order.sort(key=lambda f: -f.generation)  # stable: the book's generation order
    y = read.handle
    data = as_data(y.data)
    grads: dict[Hashable, Any] = {key(y): None if data is None else np.ones_like(data)}
    # From step 32 on, the book's grads are Variables: give their backward the same
    wraps = any(is_variable(getattr(v, "grad", None)) for v in read.variable_handles.values())
    make = type(y) if wraps else None
    calls: list[CallRecord] = []
    error = None
    for f in order:
        outs = adapter.outputs(f)
        gys = [None if o is None else grads.get(key(o)) for o in outs]
        if all(g is None for g in gys):
            continue
        call = CallRecord(f, tuple(gys))
        calls.append(call)
        try:
            args = [None if g is None else (g.copy() if make is None else make(g.copy()))
                    for g in gys]
            result = f.backward(*args)
        except Exception as e:  # noqa: BLE001 (their code)
            call.raised = True
            error = describe_error(e)
            break
        call.returned = grads_tuple(result)
        for x, g in zip(adapter.inputs(f), call.returned, strict=False):
            if g is None:
                continue
            old = grads.get(key(x))
            try:
                grads[key(x)] = g if old is None else old + g
            except ValueError as e:  # shapes that do not add up: their grad's shape
                error = describe_error(e)
                break
            call.held.append((x, grads[key(x)]))
        if error is not None:
            break
    return replay_from_calls(read, calls, mode="replayed", error=error)
