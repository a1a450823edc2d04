"""Graphs too big to lay out usefully: summarise, collapse chains, or keep the last generations.

A layout engine given thousands of nodes produces an unreadable picture slowly
(or, in the browser, overflows its stack near 6,000 nodes). The caller chooses
what to draw instead; nothing big is sent to layout silently.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cached_property

from autograd_core import Function, Variable
from viz.model.graph import Graph

POLICIES = ("auto", "summary", "collapse_chains", "last_generations", "error")
MIN_CHAIN = 3


class BigGraphError(ValueError):
    """The graph exceeds max_nodes and the policy is "error"."""


@dataclass(frozen=True)
class Chain:
    """A run of one-input/one-output functions drawn as one node."""

    node_id: str
    functions: tuple[Function, ...]
    source: Variable
    target: Variable

    @property
    def label(self) -> tuple[str, ...]:
        counts = Counter(type(f).label for f in self.functions)
        parts = [f"{name} ×{n:,}" for name, n in counts.most_common(3)]
        if len(counts) > 3:
            parts.append("…")
        return (f"chain of {len(self.functions):,} ops", ", ".join(parts))


@dataclass(frozen=True)
class Summary:
    """One node standing for everything not drawn."""

    hidden: int
    first_generation: int
    last_generation: int
    targets: tuple[Variable, ...]
    node_id: str = "s0"

    @property
    def label(self) -> tuple[str, ...]:
        return (f"… {self.hidden:,} more nodes",
                f"(generations {self.first_generation}–{self.last_generation})")


# A variable feeding many functions spread over many generations (a constant
# reused along a long chain) makes Graphviz route long edges through every rank
# in between: a 200-op chain took a minute to lay out. Such a "hub" keeps only
# the edge to its first consumer; the others name it in their label instead.
HUB_MIN_CONSUMERS = 8
HUB_MIN_SPAN = 8


@dataclass(frozen=True)
class Drawing:
    """What to draw of a Graph: a subset of its nodes plus chain and summary nodes."""

    graph: Graph
    variables: tuple[Variable, ...]
    functions: tuple[Function, ...]
    chains: tuple[Chain, ...] = ()
    summary: Summary | None = None
    notice: str | None = None

    @property
    def size(self) -> int:
        return len(self.variables) + len(self.functions) + len(self.chains) + bool(self.summary)

    @cached_property
    def hubs(self) -> dict[int, tuple[Function, ...]]:
        """Hub variable index -> its drawn consumers (first one keeps the edge)."""
        counts: dict[int, int] = {}
        get = counts.get
        for f in self.functions:
            for x in f.inputs:
                counts[x.index] = get(x.index, 0) + 1
        many = {index for index, n in counts.items() if n >= HUB_MIN_CONSUMERS}
        if not many:
            return {}
        consumers: dict[int, list[Function]] = {}
        for f in self.functions:
            for x in f.inputs:
                if x.index in many:
                    consumers.setdefault(x.index, []).append(f)
        out = {}
        for index, fs in consumers.items():
            gens = [f.generation for f in fs]
            if len(fs) >= HUB_MIN_CONSUMERS and max(gens) - min(gens) >= HUB_MIN_SPAN:
                out[index] = tuple(sorted(fs, key=lambda f: (f.generation, f.index)))
        return out

    def hidden_edge(self, x: Variable, f: Function) -> bool:
        """True when the edge x -> f is replaced by a note in f's label."""
        fs = self.hubs.get(x.index)
        return fs is not None and fs[0] is not f

    def hub_lines(self, f: Function) -> list[str]:
        """Notes naming the hub inputs whose edges into ``f`` are not drawn."""
        lines = []
        for i, x in enumerate(f.inputs):
            if self.hidden_edge(x, f):
                lines.append(f"x{i} = {x.name or self.graph.node_id(x)}")
        return lines

    def variable_notes(self, v: Variable) -> list[str]:
        fs = self.hubs.get(v.index)
        return [f"→ {len(fs)} functions"] if fs else []


def whole(graph: Graph) -> Drawing:
    return Drawing(graph, graph.variables, graph.functions)


def plan(graph: Graph, *, max_nodes: int = 1500, policy: str = "auto",
         last_generations: int | None = None) -> Drawing:
    """Decide what to draw of ``graph`` under the node budget ``max_nodes``."""
    if policy not in POLICIES:
        raise ValueError(
            f"unknown big_graph policy {policy!r}; choose one of {', '.join(POLICIES)}"
        )
    if policy == "last_generations" and last_generations is not None:
        return _keep_functions(graph, _last_generations(graph, last_generations), "last")
    if graph.size <= max_nodes:
        return whole(graph)
    if policy == "error":
        raise BigGraphError(
            f"the graph has {graph.size:,} nodes, more than max_nodes={max_nodes:,}: pass "
            "big_graph='summary', 'collapse_chains' or 'last_generations' (or a larger "
            "max_nodes) to choose what to draw"
        )
    if policy in ("auto", "collapse_chains"):
        drawing = _collapse_chains(graph)
        if drawing.size <= max_nodes or policy == "collapse_chains":
            return drawing
    if policy == "last_generations":
        return _keep_functions(graph, _fit_generations(graph, max_nodes), "last")
    return _keep_functions(graph, _newest_functions(graph, max_nodes), "newest")


def _last_generations(graph: Graph, n: int) -> tuple[Function, ...]:
    if not graph.functions:
        return ()
    top = max(f.generation for f in graph.functions)
    return tuple(f for f in graph.functions if f.generation > top - n)


def _fit_generations(graph: Graph, max_nodes: int) -> tuple[Function, ...]:
    by_gen = sorted(graph.functions, key=lambda f: (-f.generation, -f.index))
    return _newest_by(by_gen, max_nodes)


def _newest_functions(graph: Graph, max_nodes: int) -> tuple[Function, ...]:
    return _newest_by(sorted(graph.functions, key=lambda f: -f.index), max_nodes)


def _newest_by(ordered: list[Function], max_nodes: int) -> tuple[Function, ...]:
    kept: list[Function] = []
    seen_vars: set[int] = set()
    budget = max_nodes - 1  # room for the summary node
    for f in ordered:
        new_vars = {x.index for x in f.inputs} - seen_vars
        new_vars |= {r().index for r in f.outputs if r() is not None} - seen_vars
        if len(kept) + len(seen_vars) + 1 + len(new_vars) > budget:
            break
        kept.append(f)
        seen_vars |= new_vars
    return tuple(sorted(kept, key=lambda f: f.index))


def _keep_functions(graph: Graph, kept: tuple[Function, ...], how: str) -> Drawing:
    kept_ids = {f.index for f in kept}
    variables: dict[int, Variable] = {y.index: y for y in graph.outputs}
    for f in kept:
        for x in f.inputs:
            variables[x.index] = x
        for ref in f.outputs:
            y = ref()
            if y is not None:
                variables[y.index] = y
    drawn_vars = tuple(variables[k] for k in sorted(variables))
    targets = tuple(
        v for v in drawn_vars if v.creator is not None and v.creator.index not in kept_ids
    )
    hidden_fns = [f for f in graph.functions if f.index not in kept_ids]
    hidden = graph.size - len(drawn_vars) - len(kept)
    summary = None
    if hidden_fns or hidden > 0:
        gens = [f.generation for f in hidden_fns] or [0]
        summary = Summary(hidden, min(gens), max(gens), targets)
    notice = (f"showing {len(kept):,} of {len(graph.functions):,} functions "
              f"({'the last generations' if how == 'last' else 'the newest'}); "
              f"{hidden:,} nodes are summarised in one node")
    return Drawing(graph, drawn_vars, kept, (), summary, notice)


def _collapse_chains(graph: Graph) -> Drawing:
    consumers: Counter[int] = Counter()
    for f in graph.functions:
        for x in f.inputs:
            consumers[x.index] += 1
    outputs = {y.index for y in graph.outputs}

    def unary(f: Function) -> bool:
        return len(f.inputs) == 1 and len(f.outputs) == 1 and f.outputs[0]() is not None

    def links(y: Variable) -> bool:  # y can disappear inside a chain
        return consumers[y.index] == 1 and y.index not in outputs and not y.name

    next_of: dict[int, Function] = {}
    has_prev: set[int] = set()
    consumer_of: dict[int, Function] = {}
    for f in graph.functions:
        if unary(f):
            consumer_of[f.inputs[0].index] = f
    for f in graph.functions:
        if not unary(f):
            continue
        y = f.outputs[0]()
        g = consumer_of.get(y.index)
        if g is not None and links(y):
            next_of[f.index] = g
            has_prev.add(g.index)
    chains: list[Chain] = []
    hidden_fns: set[int] = set()
    hidden_vars: set[int] = set()
    for f in graph.functions:
        if not unary(f) or f.index in has_prev or f.index not in next_of:
            continue
        run = [f]
        while run[-1].index in next_of:
            run.append(next_of[run[-1].index])
        if len(run) < MIN_CHAIN:
            continue
        chains.append(Chain(f"c{len(chains)}", tuple(run), run[0].inputs[0], run[-1].outputs[0]()))
        hidden_fns.update(g.index for g in run)
        hidden_vars.update(g.outputs[0]().index for g in run[:-1])
    if not chains:
        return whole(graph)
    notice = (f"{sum(len(c.functions) for c in chains):,} functions in {len(chains)} long "
              "chain(s) are drawn as one node each")
    return Drawing(
        graph,
        tuple(v for v in graph.variables if v.index not in hidden_vars),
        tuple(f for f in graph.functions if f.index not in hidden_fns),
        tuple(chains), None, notice,
    )
