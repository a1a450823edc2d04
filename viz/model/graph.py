"""Collecting a computation graph for drawing: iterative, deterministic, id-free."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from autograd_core import Function, Variable


@dataclass(frozen=True)
class Graph:
    """The variables and functions reachable from some outputs, in creation order.

    Node ids number the nodes of *this* graph by creation order (``v0, v1...``,
    ``f0, f1...``), so the same program draws the same ids in any process,
    whatever ran before it; ``id()`` is never used.
    """

    outputs: tuple[Variable, ...]
    variables: tuple[Variable, ...]
    functions: tuple[Function, ...]
    _var_ids: dict[int, str] = field(repr=False)
    _fn_ids: dict[int, str] = field(repr=False)

    def node_id(self, obj: Variable | Function) -> str:
        """The DOT/SVG id of a variable or function of this graph."""
        table = self._var_ids if isinstance(obj, Variable) else self._fn_ids
        try:
            return table[obj.index]
        except (KeyError, AttributeError):
            raise KeyError(f"{obj!r} is not part of this graph") from None

    def __contains__(self, obj: object) -> bool:
        if isinstance(obj, Variable):
            return obj.index in self._var_ids
        return isinstance(obj, Function) and getattr(obj, "index", None) in self._fn_ids

    @property
    def size(self) -> int:
        """Number of nodes: variables plus functions."""
        return len(self.variables) + len(self.functions)

    @cached_property
    def numbered_labels(self) -> dict[int, str]:
        """Each function's label, numbered in creation order where the graph has several
        of that label ("Square #2"), by function index: what captions call it."""
        count: dict[str, int] = {}
        for f in self.functions:
            label = type(f).label
            count[label] = count.get(label, 0) + 1
        seen: dict[str, int] = {}
        out: dict[int, str] = {}
        for f in self.functions:
            label = type(f).label
            if count[label] > 1:
                seen[label] = seen.get(label, 0) + 1
                label = f"{label} #{seen[label]}"
            out[f.index] = label
        return out

    @cached_property
    def edges(self) -> tuple[tuple[str, str, int | None], ...]:
        """(source id, target id, operand index) for every edge, in a fixed order.

        Input edges ``variable -> function`` carry the operand position; output
        edges ``function -> variable`` carry None.
        """
        var_ids, fn_ids = self._var_ids, self._fn_ids
        out: list[tuple[str, str, int | None]] = []
        for f in self.functions:
            fid = fn_ids[f.index]
            for i, x in enumerate(f.inputs):
                out.append((var_ids[x.index], fid, i))
            for ref in f.outputs:
                y = ref()
                if y is not None and y.index in var_ids:
                    out.append((fid, var_ids[y.index], None))
        return tuple(out)


def collect(*outputs: Variable) -> Graph:
    """Walk the graph behind ``outputs`` (iteratively: a 100,000-op chain is fine).

    Every variable appears once however many functions consume it; the result
    is ordered by the engine's creation ``index``, and its node ids are
    positions in that order, never global counters or ``id()``.
    """
    variables: dict[int, Variable] = {}
    functions: dict[int, Function] = {}
    stack: list[Function] = []
    for y in outputs:
        if not isinstance(y, Variable):
            raise TypeError(f"can only draw Variables, got {type(y).__name__}")
        variables[y.index] = y
        if y.creator is not None:
            stack.append(y.creator)
    while stack:
        f = stack.pop()
        if f.index in functions:
            continue
        functions[f.index] = f
        for ref in f.outputs:
            y = ref()
            if y is not None:
                variables.setdefault(y.index, y)
        for x in f.inputs:
            variables.setdefault(x.index, x)
            creator = x.creator
            if creator is not None and creator.index not in functions:
                stack.append(creator)
    vs = tuple(variables[k] for k in sorted(variables))
    fs = tuple(functions[k] for k in sorted(functions))
    return Graph(
        outputs=tuple(outputs),
        variables=vs,
        functions=fs,
        _var_ids={v.index: f"v{i}" for i, v in enumerate(vs)},
        _fn_ids={f.index: f"f{i}" for i, f in enumerate(fs)},
    )


def graph_size(*outputs: Variable) -> int:
    """Number of nodes (variables + functions) a whole drawing of ``outputs`` would have.

    The app uses it to warn before drawing; compare with ``max_nodes`` of
    :func:`viz.to_dot` (over it, the ``big_graph`` policy decides what is drawn).
    """
    return collect(*outputs).size
