"""The backward pass as frames: the graph after k generations of backpropagation.

:class:`BackwardReplay` runs ``autograd_core.backward_steps`` once and keeps its
records; every frame is computed from them (never from a second traversal), so
the pictures show exactly what the library did. All frames share one DOT
structure (same nodes, same order, same edges, same fixed node sizes): only
colours, borders, visibility and grad text change, so the layout never jumps.

With ``create_graph=True`` the pass records the graph of the gradients; those
nodes are part of the drawing from frame 0 (so nothing moves) but stay
invisible until the step that creates them, and each final grad is linked to
its variable by a dashed "grad of" edge.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Mapping, Sequence
from typing import Any
from unicodedata import east_asian_width

import numpy as np

from autograd_core import (
    BackwardStep,
    Function,
    Variable,
    backward_steps,
    grad_array,
    recorded_backward,
    variable_origin,
)
from viz.model import states
from viz.model.bigraph import Drawing, plan
from viz.model.graph import Graph, collect
from viz.render import style
from viz.render.dot import emit, function_lines, grad_text, variable_lines
from viz.render.style import Look

GRAD_WORD = {"en": "grad", "ko": "기울기"}
FREED_WORD = {"en": "freed", "ko": "해제"}
PARTIAL_WORD = {"en": "partial", "ko": "일부"}
NO_GRAD_RESULT = {"en": "no_grad result", "ko": "no_grad 결과"}


def _probe() -> int:
    """A creation index no earlier object has and every later one exceeds.

    Making a throwaway empty Variable is the engine's public way to read its
    creation counter; the replay reads it between steps to tell which step
    created each node of a recorded grad graph.
    """
    return Variable(None).index


class BackwardReplay:
    """Run the backward pass from ``output`` once and replay it frame by frame.

    Frame ``k`` (0 <= k <= n_steps) is the state after ``k`` steps; frame 0 is
    before any function ran (only the output's seed grad is known). ``steps``
    are the engine's :class:`~autograd_core.BackwardStep` records; ``graph`` is
    the drawn graph (with the grad graph when ``create_graph`` is True), whose
    node ids are the same in every frame.
    """

    # How the steps were obtained: "engine" (autograd_core ran them just now), "recorded"
    # (a user's own backward ran once, every call recorded), "replayed" (a pass that had
    # already run, re-run by viz on copies, the user's objects left as they were).
    mode = "engine"
    kind = "autograd_core"  # the source of the graph (see viz.sources)
    error: str | None = None  # what the user's backward raised, if it did
    notice: str | None = None  # a sentence for the reader (a replay, a graph not stepped)
    read: Any = None  # viz.sources' Read for another library's graph (its user objects)

    def __init__(self, output: Variable, *, retain_grad: bool = True,
                 create_graph: bool = False) -> None:
        if not isinstance(output, Variable):
            raise TypeError(
                f"BackwardReplay runs autograd_core's own backward; for a {type(output).__name__}"
                " use viz.record(y) (runs your backward once, recording it) or viz.replay(y)"
                " (a pass that already ran, your objects unchanged)")
        forward = collect(output)
        seed_known = output.grad
        # Grads left over from an earlier pass (no cleargrad) are where the engine's
        # accumulation starts: keep them, so grad_at shows what the engine computes.
        initial = {v.index: np.asarray(getattr(v.grad, "data", v.grad))
                   for v in forward.variables if v.grad is not None and v is not output}
        before = _probe()
        steps: list[BackwardStep] = []
        bounds: list[int] = []
        # A leaf (or a no_grad result) has nothing to replay: no steps, and no
        # NothingUpstreamWarning from the engine for what is a normal case here.
        if output.creator is not None and create_graph:
            for step in backward_steps(output, retain_grad=retain_grad, create_graph=True):
                steps.append(step)
                bounds.append(_probe())  # which step made each node of the grad graph
        elif output.creator is not None:
            steps = recorded_backward(output, retain_grad=retain_grad)
        self._setup(output, forward, tuple(steps), initial, seed_known, retain_grad)
        if create_graph and self.steps:
            self._add_grad_graph(forward, before, bounds)

    @classmethod
    def from_steps(cls, output: Variable, steps: Sequence[BackwardStep], *,
                   held: Mapping[int, Sequence[tuple[int, np.ndarray | None]]] | None = None,
                   initial: Mapping[int, np.ndarray] | None = None, mode: str = "recorded",
                   kind: str = "autograd_core", error: str | None = None,
                   notice: str | None = None, read: Any = None,
                   retain_grad: bool = True) -> BackwardReplay:
        """A replay of steps recorded elsewhere (see :mod:`viz.sources`).

        ``held`` gives, per variable index, the grad the variable held after a step
        ``(step number, array or None)``, for sources whose own code decides what a
        variable holds (an overwrite instead of a sum shows as such); without it a
        variable holds the sum of what it received, as in autograd_core.
        """
        self = cls.__new__(cls)
        self.mode, self.kind, self.error, self.notice, self.read = (
            mode, kind, error, notice, read)
        self._setup(output, collect(output), tuple(steps), dict(initial or {}), output.grad,
                    retain_grad)
        for index, entries in (held or {}).items():
            entries = sorted(entries, key=lambda e: e[0])
            self._held[index] = ([e[0] for e in entries],
                                 [None if e[1] is None else np.asarray(e[1]) for e in entries])
        return self

    def _setup(self, output: Variable, forward: Graph, steps: tuple[BackwardStep, ...],
               initial: dict[int, np.ndarray], seed_known: Any, retain_grad: bool) -> None:
        self.output = output
        self.retain_grad = retain_grad
        self.create_graph = False
        self._forward_fns = {f.index for f in forward.functions}
        self._initial = initial
        self._held: dict[int, tuple[list[int], list[np.ndarray | None]]] = {}
        self.steps: tuple[BackwardStep, ...] = steps
        self._seed_var: Variable | None = None
        if self.steps:
            first = self.steps[0].calls[0]
            position = next((i for i, ref in enumerate(first.function.outputs)
                             if ref() is output), None)
            if position is not None and position < len(first.output_grads):
                self._seed_var = first.output_grads[position]
        if self._seed_var is None and seed_known is None:
            seed_known = np.ones_like(output.data) if output.data is not None else None
        seed = self._seed_var if self._seed_var is not None else seed_known
        self._seed = None if seed is None else np.asarray(getattr(seed, "data", seed))
        self._runs: dict[int, list[int]] = {}
        self._queued_in: dict[int, int] = {}
        if output.creator is not None:
            self._queued_in[output.creator.index] = -1
        self._received: dict[int, list[tuple[int, Function, np.ndarray]]] = {}
        for step in self.steps:
            for f in step.queued:
                self._queued_in.setdefault(f.index, step.number)
            for call in step.calls:
                self._runs.setdefault(call.function.index, []).append(step.number)
                for x, g in zip(call.function.inputs, call.input_grads, strict=False):
                    # (a number an op wrapped keeps no grad: the engine adds none to it)
                    if g is not None and (x.creator is not None or x.origin != "constant"):
                        self._received.setdefault(x.index, []).append(
                            (step.number, call.function, grad_array(g)))
        self._ran_in = {index: runs[0] for index, runs in self._runs.items()}
        self._links: list[tuple[Variable, Variable]] = []
        self._born: dict[str, int] = {}
        self.graph: Graph = forward
        self._drawings: dict[tuple, Drawing] = {}
        self._size_cache: dict[tuple, dict[str, tuple[float, float]]] = {}
        self._consumer_names: dict[int, dict[int, str]] = {}

    def _add_grad_graph(self, forward: Graph, before: int, bounds: list[int]) -> None:
        """Draw the recorded grad graph: each final grad, linked to its variable."""
        self.create_graph = True
        final: dict[int, Variable] = {}
        for step in self.steps:
            for call in step.calls:
                for ref, g in zip(call.function.outputs, call.output_grads, strict=True):
                    y = ref()
                    if y is not None and isinstance(g, Variable):
                        final[y.index] = g
        for v in forward.variables:
            if v.creator is None and v.index in self._received and isinstance(v.grad, Variable):
                final[v.index] = v.grad  # leaves keep their grad (retain_grad or not)
        self._links = [(final[v.index], v) for v in forward.variables if v.index in final]
        self.graph = collect(self.output, *(g for g, _ in self._links))
        forward_vars = {v.index for v in forward.variables}

        def born(index: int) -> int:
            return 0 if index < before else bisect_left(bounds, index) + 1

        for v in self.graph.variables:
            if v.index not in forward_vars:  # the seed is there from frame 0
                self._born[self.graph.node_id(v)] = 0 if v is self._seed_var else born(v.index)
        for f in self.graph.functions:
            if f.index not in self._forward_fns:
                outs = [y.index for y in (ref() for ref in f.outputs) if y is not None]
                self._born[self.graph.node_id(f)] = born(min(outs)) if outs else 0

    @property
    def n_steps(self) -> int:
        """Number of backward steps (generations); frames are 0..n_steps."""
        return len(self.steps)

    def _check(self, k: int) -> None:
        if not 0 <= k <= self.n_steps:
            raise IndexError(f"frame {k} is out of range: frames are 0..{self.n_steps}")

    # --- states -----------------------------------------------------------------
    def function_state(self, k: int, f: Function) -> states.State:
        """State of ``f`` after ``k`` steps: NOT_REACHED (not queued yet), QUEUED, RUNNING
        (ran in step k, i.e. the k-th step) or DONE (:mod:`viz.model.states`)."""
        self._check(k)
        runs = self._runs.get(f.index)
        if runs is not None and runs[0] < k:
            # a user's loop without generations may run a function more than once
            return states.RUNNING if (runs[0] == k - 1 or k - 1 in runs[1:]) else states.DONE
        queued = self._queued_in.get(f.index)
        return states.QUEUED if queued is not None and queued < k else states.NOT_REACHED

    def contributions(self, k: int, v: Variable) -> list[tuple[Function, np.ndarray]]:
        """The terms summed so far into ``v``'s grad, with the function that sent each."""
        self._check(k)
        return [(f, g) for step, f, g in self._received.get(v.index, ()) if step < k]

    def grad_at(self, k: int, v: Variable) -> np.ndarray | None:
        """``v``'s grad after ``k`` steps (from the records, whatever retain_grad).

        A grad ``v`` already had before the pass (an earlier backward without
        ``cleargrad``) is included, as the engine adds to it. For a recorded source
        that says what each variable held, that is the answer (overwrites included).
        """
        self._check(k)
        if v is self.output:
            return self._seed
        held = self._held.get(v.index)
        if held is not None:
            position = bisect_left(held[0], k)
            if position:
                return held[1][position - 1]
            return self._initial.get(v.index)
        terms = self.contributions(k, v)
        total = self._initial.get(v.index)
        if not terms:
            return total
        with np.errstate(all="ignore"):  # inf + -inf is NaN, as the engine's own sum
            for _, g in terms:
                total = g if total is None else total + g
        return total

    def variable_state(self, k: int, v: Variable) -> states.State:
        """NO_GRAD (none yet), PARTIAL (some contributions still to come) or FINAL after
        ``k`` steps (:mod:`viz.model.states`; see :meth:`node_state` for freed grads)."""
        self._check(k)
        if v is self.output:
            return states.FINAL
        everything = len(self._received.get(v.index, ()))
        so_far = len(self.contributions(k, v))
        if so_far == 0:
            return states.NO_GRAD  # (not the origin "no_grad": computed under no_grad())
        return states.FINAL if so_far == everything else states.PARTIAL

    def is_freed(self, k: int, v: Variable) -> bool:
        """True when ``v``'s grad has been released by frame ``k`` (retain_grad=False, or a
        recorded source whose code set it back to None)."""
        held = self._held.get(v.index)
        if held is not None:
            position = bisect_left(held[0], k)
            return (position > 0 and held[1][position - 1] is None
                    and any(g is not None for g in held[1][:position - 1]))
        if self.retain_grad or v.creator is None:
            return False
        ran = self._ran_in.get(v.creator.index)
        return ran is not None and ran < k

    def consumer_names(self, v: Variable) -> dict[int, str]:
        """How the functions sending ``v`` grads are told apart ("Square #1", "Exp")."""
        names = self._consumer_names.get(v.index)
        if names is None:
            from viz.model.explain import consumer_names

            everything = self.contributions(self.n_steps, v)
            names = self._consumer_names[v.index] = consumer_names([f for f, _ in everything])
        return names

    def grad_before_freed(self, k: int, v: Variable) -> np.ndarray | None:
        """The grad ``v`` held before it was released (it is None at frame ``k``)."""
        held = self._held.get(v.index)
        if held is not None:
            position = bisect_left(held[0], k)
            return next((g for g in reversed(held[1][:position]) if g is not None), None)
        total = None
        with np.errstate(all="ignore"):
            for _, g in self.contributions(k, v):
                total = g if total is None else total + g
        return total

    def born_at(self, obj: Variable | Function) -> int:
        """The first frame showing ``obj``: 0, or for a node of the recorded grad graph
        (create_graph=True) the frame after the step that created it."""
        return self._born.get(self.graph.node_id(obj), 0)

    def queue(self, k: int) -> list[Function]:
        """Functions queued but not yet run after ``k`` steps, in the order they will run
        (generation descending, then the most recently created first, as the engine does)."""
        self._check(k)
        waiting = [f for f in self.graph.functions
                   if f.index in self._queued_in and self.function_state(k, f) is states.QUEUED]
        return sorted(waiting, key=lambda f: (-f.generation, -f.index))

    def explain(self, k: int, lang: str = "en") -> list[str]:
        """The chain rule of step ``k`` (the step that makes frame ``k``) with the numbers
        plugged in, one line per input grad and per sum (see :mod:`viz.model.explain`)."""
        from viz.model.explain import explain_step

        return explain_step(self, k, lang)

    def caption(self, k: int, lang: str = "en") -> str:
        """One sentence describing frame ``k`` (the words of :mod:`viz.i18n`)."""
        from viz.i18n import caption, t

        self._check(k)
        names = ([type(c.function).label for c in self.steps[k - 1].calls] if k else [])
        if self.kind == "autograd_core":  # a step is a generation: the engine's words
            if k == 0 and self.mode == "replayed":
                return t("before_replayed", lang, n=self.n_steps)
            if k == 0:
                return caption("backward", 0, self.n_steps, None, (), lang)
            return caption("backward", k, self.n_steps, self.steps[k - 1].generation,
                           names, lang)
        source = self.read.title if self.read is not None else self.kind
        if k == 0:
            text = t(f"before_{self.mode}", lang, n=self.n_steps, source=source)
        else:
            text = t(f"{self.mode}_step", lang, k=k, n=self.n_steps, names=", ".join(names))
        if self.error is not None and k == self.n_steps:
            text += " " + t("backward_raised", lang, error=self.error)
        return text

    # --- what a frame shows of a node (one vocabulary: viz.model.states) ---------------------
    def in_pass(self, obj: Variable | Function) -> bool:
        """True for nodes of the graph being differentiated (not of the recorded grad graph)."""
        return not self._born or self.graph.node_id(obj) not in self._born

    _in_pass = in_pass

    def node_state(self, k: int, node: Variable | Function) -> states.State | None:
        """The state frame ``k`` gives ``node``: a function's, a variable's (FREED once its
        grad is released, CONSTANT for a wrapped number), or None for a node of the
        recorded grad graph (drawn in its derivative order's colours)."""
        if not self.in_pass(node):
            return None
        if isinstance(node, Function):
            return self.function_state(k, node)
        if variable_origin(node) == "constant":
            return states.CONSTANT
        return states.FREED if self.is_freed(k, node) else self.variable_state(k, node)

    def node_tokens(self, k: int, node: Variable | Function) -> tuple[str, ...]:
        """The class tokens frame ``k`` gives ``node`` (the closed vocabulary of
        :func:`viz.model.states.paint`: its state, its derivative order, hidden, trouble)."""
        state = self.node_state(k, node)
        if isinstance(node, Function):
            order = min(node.order, 3)
            if state is None:
                return (f"o{order}", *(("hidden",) if self.born_at(node) > k else ()))
            return (state.css_class, *((f"b{order}",) if order else ()))
        if state is None:
            creator = node.creator
            tokens = [f"o{min(creator.order, 3)}" if creator is not None
                      else (states.CONSTANT if variable_origin(node) == "constant"
                            else states.VALUE).css_class]
            if self.born_at(node) > k:
                tokens.append("hidden")
        else:
            tokens = [state.css_class]
        grad = (self.grad_at(k, node) if state is not None and state is not states.CONSTANT
                else None)
        if style.is_troubled(node.data) or (grad is not None and style.is_troubled(grad)):
            tokens.append("trouble")
        return tuple(tokens)

    def changes(self, node: Variable | Function) -> list[int]:
        """The frames at which ``node``'s label or state can change."""
        return self._changes(node)

    @property
    def grad_links(self) -> list[tuple[Variable, Variable]]:
        """(grad, variable) pairs drawn as "grad of" edges (create_graph=True)."""
        return list(self._links)

    @property
    def has_grad_graph(self) -> bool:
        """True when the recorded grad graph is drawn too (create_graph=True)."""
        return bool(self._born)

    def earlier_grad(self, v: Variable) -> np.ndarray | None:
        """The grad ``v`` held before the pass (an earlier backward without cleargrad)."""
        return self._initial.get(v.index)

    def variable_label(self, k: int, v: Variable, verbose: bool, lang: str,
                        drawing: Drawing, show_grads: bool = True) -> list[str]:
        lines = variable_lines(v, verbose, lang) + drawing.variable_notes(v)
        origin = variable_origin(v)
        if origin == "no_grad":
            lines.append(NO_GRAD_RESULT.get(lang, NO_GRAD_RESULT["en"]))
        if origin == "constant" or not show_grads or not self._in_pass(v):
            return lines
        g = self.grad_at(k, v)
        word = GRAD_WORD.get(lang, "grad")
        if g is None:
            return lines + [f"{word} —"]
        text = f"{word} {grad_text(g, lang)}"
        if self.variable_state(k, v) is states.PARTIAL:
            partial = PARTIAL_WORD.get(lang, "partial")
            text += (f" ({partial} {len(self.contributions(k, v))}/"
                     f"{len(self._received[v.index])})")
        if self.is_freed(k, v):
            text += f" ({FREED_WORD.get(lang, 'freed')})"
        return lines + [text]

    def function_label(self, k: int, f: Function, lang: str, drawing: Drawing) -> list[str]:
        if not self._in_pass(f):
            return function_lines(f, lang) + drawing.hub_lines(f)
        status = self.function_state(k, f).word_text(lang)
        return function_lines(f, lang) + drawing.hub_lines(f) + [status]

    def _looks(self, k: int, drawing: Drawing, verbose: bool, lang: str,
               show_grads: bool) -> dict[str, Look]:
        graph = drawing.graph
        looks: dict[str, Look] = {}
        for v in drawing.variables:
            lines = tuple(self.variable_label(k, v, verbose, lang, drawing, show_grads))
            looks[graph.node_id(v)] = _look(lines, "ellipse", self.node_tokens(k, v))
        for f in drawing.functions:
            lines = tuple(self.function_label(k, f, lang, drawing))
            # a function of a recorded grad graph: a rounded box, as in static drawings
            looks[graph.node_id(f)] = _look(lines, "box", self.node_tokens(k, f),
                                            rounded=not self.in_pass(f))
        return looks

    def _hidden(self, k: int, drawing: Drawing) -> set[str] | None:
        """Ids of the grad-graph nodes not created yet at frame ``k`` (None: no grad graph)."""
        if not self._born:
            return None
        hidden = {nid for nid, frame in self._born.items() if frame > k}
        for chain in drawing.chains:
            if any(self._born.get(drawing.graph.node_id(f), 0) > k for f in chain.functions):
                hidden.add(chain.node_id)
        return hidden

    def drawing(self, max_nodes: int = 1500, big_graph: str = "auto",
                last_generations: int | None = None) -> Drawing:
        """What the frames draw of the graph (see viz.model.bigraph.plan); the same for every k."""
        key = (max_nodes, big_graph, last_generations)
        if key not in self._drawings:
            self._drawings[key] = plan(self.graph, max_nodes=max_nodes, policy=big_graph,
                                       last_generations=last_generations)
        return self._drawings[key]

    def _sizes(self, drawing: Drawing, verbose: bool, lang: str, theme: str,
               show_grads: bool) -> dict[str, tuple[float, float]]:
        """Each node's size: big enough for its longest label over all frames."""
        fontsize = style.THEMES[theme]["fontsize"]
        char_w, line_h = fontsize * 0.62 / 72, fontsize * 1.3 / 72
        sizes: dict[str, tuple[float, float]] = {}
        for v in drawing.variables:
            labels = [self.variable_label(k, v, verbose, lang, drawing, show_grads)
                      for k in self._changes(v)]
            w = max(_width(line) for lines in labels for line in lines) * char_w
            h = max(len(lines) for lines in labels) * line_h
            sizes[drawing.graph.node_id(v)] = (w * 1.35 + 0.35, h * 1.35 + 0.25)  # ellipse
        for f in drawing.functions:
            labels = [self.function_label(k, f, lang, drawing) for k in self._changes(f)]
            w = max(_width(line) for lines in labels for line in lines) * char_w
            h = max(len(lines) for lines in labels) * line_h
            sizes[drawing.graph.node_id(f)] = (w + 0.35, h + 0.2)
        return sizes

    def _changes(self, node: Variable | Function) -> list[int]:
        """The frames at which ``node``'s label can change (labels are constant in between)."""
        ks = {0, self.n_steps}
        if isinstance(node, Variable):
            ks.update(step + 1 for step, _, _ in self._received.get(node.index, ()))
            if node.creator is not None and node.creator.index in self._ran_in:
                ks.add(self._ran_in[node.creator.index] + 1)
            if node.index in self._held:
                ks.update(step + 1 for step in self._held[node.index][0])
        else:
            if node.index in self._queued_in:
                ks.update((self._queued_in[node.index] + 1, self._queued_in[node.index] + 2))
            for ran in self._runs.get(node.index, ()):
                ks.update((ran + 1, ran + 2))
        return sorted(k for k in ks if 0 <= k <= self.n_steps)

    def to_dot(self, k: int, *, verbose: bool = False, rankdir: str = "LR",
               title: str | None = None, show_grads: bool = True, theme: str = "default",
               lang: str = "en", legend: bool = True, max_nodes: int = 1500,
               big_graph: str = "auto", last_generations: int | None = None) -> str:
        """DOT of frame ``k``. Its structure (node ids and order, edges, node sizes) is
        identical for every ``k``: only colours, borders, visibility and text change."""
        self._check(k)
        if theme not in style.THEMES:
            raise ValueError(f"theme must be one of {', '.join(style.THEMES)}, got {theme!r}")
        drawing = self.drawing(max_nodes, big_graph, last_generations)
        key = (verbose, lang, theme, show_grads, max_nodes, big_graph, last_generations)
        sizes = self._size_cache.get(key)
        if sizes is None:
            sizes = self._size_cache[key] = self._sizes(drawing, verbose, lang, theme, show_grads)
        return emit(drawing, self._looks(k, drawing, verbose, lang, show_grads),
                    rankdir=rankdir, title=title, theme=theme, sizes=sizes,
                    legend=self.legend(lang) if legend else None,
                    grad_links=self._links, hidden=self._hidden(k, drawing))

    def dots(self, **kwargs: Any) -> list[str]:
        """DOT of every frame, 0..n_steps (keyword arguments as for :meth:`to_dot`)."""
        return [self.to_dot(k, **kwargs) for k in range(self.n_steps + 1)]

    def legend(self, lang: str = "en") -> list[tuple[str, Look]]:
        """The legend's sample nodes (the same in every frame of this replay)."""
        out = legend_looks(lang)
        orders = sorted({f.order for f in self.graph.functions
                         if not self._in_pass(f)})
        words = style.LEGEND.get(lang, style.LEGEND["en"])
        for order in orders:
            text = words["grad_graph"].format(order=order)
            out.append((f"g_order{order}", Look((text,), "box", style.order_fill(order),
                                                style.order_border(order),
                                                "filled,rounded,bold", 2.0)))
        return out


def _width(line: str) -> int:
    """Display width in monospace cells (wide characters such as Hangul count double)."""
    if line.isascii():
        return len(line)
    return sum(2 if east_asian_width(ch) in ("W", "F") else 1 for ch in line)


def legend_looks(lang: str = "en") -> list[tuple[str, Look]]:
    """Sample nodes for the legend, one per state (the same in every frame)."""
    out = []
    for st in states.BACKWARD_FUNCTION_STATES:
        out.append((f"f_{st.key}", _look((st.legend_text(lang),), "box", (st.css_class,))))
    for st in states.BACKWARD_VARIABLE_STATES:
        out.append((f"v_{st.key}", _look((st.legend_text(lang),), "ellipse",
                                         (st.css_class,))))
    return out


def _look(lines: tuple[str, ...], shape: str, tokens: tuple[str, ...],
          rounded: bool = False) -> Look:
    """A node of a DOT frame: the look :func:`viz.model.states.paint` gives its tokens, in
    Graphviz's words (a dash, bold for a thick solid border, invisible when hidden)."""
    p = states.paint(tokens)
    parts = ["filled"] + (["rounded"] if rounded else [])
    if p.dash != "solid":
        parts.append(p.dash)
    elif p.width >= 4:
        parts.append("bold")
    return Look(lines, shape, p.fill, p.stroke, ",".join(parts), p.width)
