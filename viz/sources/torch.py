"""PyTorch tensors: the ``grad_fn`` graph, read by shape (torch is never imported here).

PyTorch records functions only (``MulBackward0``...), linked by ``next_functions``; a
leaf's grad is written by its ``AccumulateGrad`` node. viz draws it the way it draws
every graph: each node's output is a variable (the tensor it made), a leaf is the output
of its ``AccumulateGrad`` (so the node that writes ``x.grad`` sits right beside ``x``),
a number the graph does not differentiate is a constant. PyTorch keeps the values of
intermediate tensors only where a node saved them; the others are drawn without a value
unless you name the tensor (``names={"a": a}``).

Recording registers a pre-hook and a hook on every node for the duration of the user's
``y.backward()`` (``Node.register_prehook``/``register_hook``) and removes them after.
A pass that already ran can be replayed only while PyTorch still holds the graph
(``retain_graph=True``); otherwise the drawing says how to record it instead.

:func:`watch` makes a module's calls groups of the drawing, as autograd_core's layers.
"""

from __future__ import annotations

import threading
from collections.abc import Hashable, Mapping, Sequence
from typing import Any, NamedTuple

import numpy as np

from viz.model.frames import BackwardReplay
from viz.sources.mirror import Adapter, FunctionFacts, Read, VariableFacts
from viz.sources.recording import CallRecord, describe_error, replay_from_calls

SCOPE_KEY = "autograd_viz_scope"  # where watch() writes a node's module path (node.metadata)


def is_tensor(obj: Any) -> bool:
    try:
        return (hasattr(obj, "grad_fn") and hasattr(obj, "requires_grad")
                and hasattr(obj, "detach") and hasattr(obj, "is_leaf"))
    except Exception:  # noqa: BLE001
        return False


class _Var(NamedTuple):
    node: Any  # the node that made it (AccumulateGrad for a leaf); None for a constant
    nr: int
    consumer: Any = None  # constants: the node that uses it, and where
    slot: int = 0


def to_array(t: Any) -> np.ndarray | None:
    """A tensor's value as a fresh ndarray (None when it cannot be read)."""
    if t is None:
        return None
    try:
        t = t.detach()
        try:
            return t.cpu().numpy().copy()
        except (TypeError, RuntimeError):  # bfloat16 and friends
            return t.cpu().float().numpy().copy()
    except Exception:  # noqa: BLE001 (a freed saved tensor, an odd device)
        if isinstance(t, (int, float)):
            return np.array(t)
        return None


def _saved(node: Any, name: str) -> Any:
    try:
        return getattr(node, name, None)
    except Exception:  # noqa: BLE001 (RuntimeError: freed after backward)
        return None


def _label(node: Any) -> str:
    name = node.name()
    return "AccumulateGrad" if name.endswith("AccumulateGrad") else name


class TorchAdapter(Adapter):
    kind = "torch"
    title = "PyTorch"

    def __init__(self, output: Any, names: Mapping[str, Any] | None = None) -> None:
        self.root = output
        self._used: dict[int, set[int]] = {}
        self._inputs: dict[int, tuple[_Var, ...]] = {}
        self._names_by_key: dict[Hashable, str] = {}
        self._tensors_by_key: dict[Hashable, Any] = {}
        self._leaf_names: dict[int, str] = {}
        for name, t in (names or {}).items():
            if not is_tensor(t):
                continue
            if t.grad_fn is not None:
                key = (id(t.grad_fn), t.output_nr)
                self._names_by_key[key] = str(name)
                self._tensors_by_key[key] = t
            else:
                self._leaf_names[id(t)] = str(name)
        self._saved_inputs: dict[Hashable, Any] = {}

    def output_handle(self) -> _Var | None:
        node = self.root.grad_fn
        if node is not None:
            return _Var(node, self.root.output_nr)
        return None

    # graph
    def creator(self, v: _Var) -> Any | None:
        return v.node

    def inputs(self, f: Any) -> Sequence[_Var]:
        cached = self._inputs.get(id(f))
        if cached is not None:
            return cached
        out = []
        for slot, (nf, nr) in enumerate(f.next_functions):
            if nf is None:
                out.append(_Var(None, 0, f, slot))
            else:
                out.append(_Var(nf, nr))
                self._used.setdefault(id(nf), set()).add(nr)
        saved = ((0, "_saved_self"), (1, "_saved_other"))
        for slot, name in saved:
            if slot < len(out):
                value = _saved(f, name)
                constant = isinstance(value, (int, float)) and out[slot].node is None
                if (value is not None and is_tensor(value)) or constant:
                    self._saved_inputs.setdefault(self.variable_key(out[slot]), value)
        self._inputs[id(f)] = tuple(out)
        return self._inputs[id(f)]

    def outputs(self, f: Any) -> Sequence[_Var | None]:
        nrs = set(self._used.get(id(f), ()))
        if f is self.root.grad_fn:
            nrs.add(self.root.output_nr)
        return tuple(_Var(f, nr) for nr in sorted(nrs))

    def variable_key(self, v: _Var) -> Hashable:
        if v.node is None:
            return ("const", id(v.consumer), v.slot)
        return (id(v.node), v.nr)

    def user_object(self, v: _Var) -> Any:
        if v.node is not None and _label(v.node) == "AccumulateGrad":
            return v.node.variable
        if v.node is self.root.grad_fn and v.nr == self.root.output_nr:
            return self.root
        return self._tensors_by_key.get(self.variable_key(v))

    def variable(self, v: _Var) -> VariableFacts:
        key = self.variable_key(v)
        if v.node is None:
            return VariableFacts(to_array(self._saved_inputs.get(key)), None, None,
                                 constant=True)
        if _label(v.node) == "AccumulateGrad":
            t = v.node.variable
            scope = v.node.metadata.get(SCOPE_KEY, ()) if hasattr(v.node, "metadata") else ()
            return VariableFacts(to_array(t), to_array(t.grad), self._leaf_names.get(id(t)),
                                 parameter=type(t).__name__ == "Parameter", scope=scope)
        t = self.user_object(v)
        value = t if t is not None else None
        if value is None and v.nr == 0:
            value = _saved(v.node, "_saved_result")
        if value is None:
            value = self._saved_inputs.get(key)
        grad = None
        if t is not None and t.retains_grad:
            grad = to_array(t.grad)
        return VariableFacts(to_array(value), grad, self._names_by_key.get(key))

    def function(self, f: Any) -> FunctionFacts:
        params: dict[str, Any] = {}
        exponent = _saved(f, "_saved_exponent")
        if isinstance(exponent, (int, float)):
            params["c"] = exponent
        scope = f.metadata.get(SCOPE_KEY, ()) if hasattr(f, "metadata") else ()
        return FunctionFacts(_label(f), None, params, tuple(scope))


def leaves(read: Read) -> list[Any]:
    return [f.variable for f in read.function_handles if _label(f) == "AccumulateGrad"]


def backpropagated(read: Read) -> bool:
    """True when a leaf already holds a grad (a pass ran, or grads were not zeroed)."""
    return any(t.grad is not None for t in leaves(read))


def _listen(read: Read, log: list[Any]) -> list[Any]:
    """A hook on every node; each call appends (node, the grads it returned, the grads it
    was given) to ``log``, as PyTorch hands them over (converted to arrays after the
    pass). One hook and no copy per node: registering the hooks is most of what recording
    adds to PyTorch's own backward. Holding the tensors is safe: PyTorch reuses a grad
    buffer in place only when nothing else holds it."""
    handles = []
    append = log.append
    for node in read.function_handles:
        handles.append(node.register_hook(
            lambda grad_inputs, grad_outputs, _node=node: append(
                (_node, grad_inputs, grad_outputs))))
    return handles


def _calls(log: list[Any]) -> list[CallRecord]:
    return [CallRecord(node, tuple(to_array(g) for g in grad_outputs),
                       tuple(to_array(g) for g in grad_inputs))
            for node, grad_inputs, grad_outputs in log]


_HINT = ("PyTorch frees a graph's saved values when its backward runs, so this pass cannot "
         "be stepped again. To watch it, call viz.record(y) in place of y.backward() (or "
         "y.backward(retain_graph=True) before drawing)")


def record(read: Read, gradient: Any = None) -> BackwardReplay:
    """Run ``y.backward(gradient)`` once with a hook on every node; every hook removed
    after (``gradient``: the seed of a non-scalar output, as PyTorch takes it)."""
    log: list[Any] = []
    error = None
    handles = _listen(read, log)
    try:
        read.adapter.root.backward(gradient)
    except Exception as e:  # noqa: BLE001 (their graph: whatever torch says is shown)
        error = describe_error(e)
        if "only for scalar outputs" in str(e):
            error += " (record a scalar, e.g. y.sum(), or a loss)"
    finally:
        for h in handles:
            h.remove()
    return replay_from_calls(read, _calls(log), mode="recorded", error=error)


_LOCK = threading.Lock()  # a replay sets the leaves' .grad aside: one at a time


def replay(read: Read) -> BackwardReplay:
    """The pass again while PyTorch still holds the graph; the leaves' grads put back."""
    import torch  # only reached with a torch tensor in hand: torch is installed

    log: list[Any] = []
    error = None
    ts = leaves(read)
    with _LOCK:
        saved = [(t, t.grad) for t in ts]
        handles = _listen(read, log)
        try:
            for t in ts:
                t.grad = None
            torch.autograd.backward(read.adapter.root, retain_graph=True)
        except RuntimeError as e:
            error = describe_error(e)
            if "second time" in str(e) or "freed" in str(e):
                return replay_from_calls(read, [], mode="replayed", notice=_HINT)
        except Exception as e:  # noqa: BLE001
            error = describe_error(e)
        finally:
            for h in handles:
                h.remove()
            for t, g in saved:
                t.grad = g
    return replay_from_calls(read, _calls(log), mode="replayed", error=error)


# --- module calls as groups -----------------------------------------------------------

class Watch:
    """Forward hooks on a model's modules: the nodes each call made are its group.

    ``viz.watch(model)`` once (or ``with viz.watch(model): loss = ...``); every graph
    built while it is on draws each module call as a group named by its path in the model
    (``0: Linear``), collapsible like autograd_core's layers. ``remove()`` takes the hooks
    off.
    """

    def __init__(self, model: Any) -> None:
        if not hasattr(model, "named_modules") or not hasattr(model,
                                                              "register_forward_hook"):
            raise TypeError(f"viz.watch needs a torch.nn.Module, got {type(model).__name__}")
        self._handles: list[Any] = []
        self._stack = threading.local()
        for name, module in model.named_modules():
            if not name:
                continue  # the model itself: everything would be one group
            label = f"{name}: {type(module).__name__}"
            self._handles.append(module.register_forward_pre_hook(self._enter(label)))
            self._handles.append(module.register_forward_hook(self._leave()))

    def _path(self) -> list[tuple[str, set[int]]]:
        if not hasattr(self._stack, "path"):
            self._stack.path = []
        return self._stack.path

    def _enter(self, label: str) -> Any:
        def hook(module: Any, args: Any) -> None:
            frontier = {id(a.grad_fn) for a in _tensors(args) if a.grad_fn is not None}
            self._path().append((label, frontier))
        return hook

    def _leave(self) -> Any:
        def hook(module: Any, args: Any, output: Any) -> None:
            path = self._path()
            if not path:
                return
            scope = tuple(label for label, _ in path)
            _, frontier = path.pop()
            todo = [t.grad_fn for t in _tensors(output) if t.grad_fn is not None]
            seen: set[int] = set()
            while todo:
                node = todo.pop()
                if node is None or id(node) in seen or id(node) in frontier:
                    continue
                seen.add(id(node))
                meta = node.metadata
                if SCOPE_KEY not in meta:
                    meta[SCOPE_KEY] = scope
                elif len(meta[SCOPE_KEY]) < len(scope):
                    continue
                todo.extend(nf for nf, _ in node.next_functions)
        return hook

    def remove(self) -> None:
        for h in self._handles:
            h.remove()
        self._handles.clear()

    def __enter__(self) -> Watch:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.remove()


def _tensors(obj: Any) -> list[Any]:
    if is_tensor(obj):
        return [obj]
    if isinstance(obj, (list, tuple)):
        return [t for o in obj for t in _tensors(o)]
    if isinstance(obj, dict):
        return [t for o in obj.values() for t in _tensors(o)]
    return []
