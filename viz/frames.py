"""The backward pass as frames: the graph after k generations of backpropagation.

:class:`BackwardReplay` runs ``autograd_core.backward_steps`` once and keeps its
records; every frame is computed from them (never from a second traversal), so
the pictures show exactly what the library did. All frames share one DOT
structure (same nodes, same order, same edges, same fixed node sizes): only
colours, borders and grad text change, so the layout never jumps.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

import numpy as np

from autograd_core import BackwardStep, Function, Variable, backward_steps, variable_origin

from . import style
from .bigraph import Drawing, plan
from .dot import emit, function_lines, grad_text, variable_lines
from .graph import collect
from .style import Look

STATUS = {
    "en": {"waiting": "waiting", "pending": "queued", "current": "RUNNING", "done": "done"},
    "ko": {"waiting": "대기", "pending": "대기열", "current": "실행 중", "done": "완료"},
}
GRAD_WORD = {"en": "grad", "ko": "기울기"}
FREED_WORD = {"en": "freed", "ko": "해제"}


class BackwardReplay:
    """Run the backward pass from ``output`` once and replay it frame by frame.

    Frame ``k`` (0 <= k <= n_steps) is the state after ``k`` steps; frame 0 is
    before any function ran (only the output's seed grad is known).
    """

    def __init__(self, output: Variable, *, retain_grad: bool = True,
                 create_graph: bool = False) -> None:
        self.output = output
        self.retain_grad = retain_grad
        self.graph = collect(output)  # before the pass: functions it creates are not drawn
        seed_known = output.grad
        # A leaf (or a no_grad result) has nothing to replay: no steps, and no
        # NothingUpstreamWarning from the engine for what is a normal case here.
        self.steps: tuple[BackwardStep, ...] = () if output.creator is None else tuple(
            backward_steps(output, retain_grad=retain_grad, create_graph=create_graph)
        )
        if seed_known is None and output.creator is None:
            seed_known = np.ones_like(output.data)
        self._seed = None if seed_known is None else np.asarray(getattr(seed_known, "data",
                                                                        seed_known))
        if self.steps:
            self._seed = np.asarray(self.steps[0].calls[0].output_grads[0].data)
        self._ran_in: dict[int, int] = {}
        self._queued_in: dict[int, int] = {}
        if output.creator is not None:
            self._queued_in[output.creator.index] = -1
        self._received: dict[int, list[tuple[int, Function, np.ndarray]]] = {}
        for step in self.steps:
            for f in step.queued:
                self._queued_in[f.index] = step.number
            for call in step.calls:
                self._ran_in[call.function.index] = step.number
                for x, g in zip(call.function.inputs, call.input_grads, strict=True):
                    if g is not None:
                        self._received.setdefault(x.index, []).append(
                            (step.number, call.function, np.asarray(g.data)))

    @property
    def n_steps(self) -> int:
        return len(self.steps)

    def _check(self, k: int) -> None:
        if not 0 <= k <= self.n_steps:
            raise IndexError(f"frame {k} is out of range: frames are 0..{self.n_steps}")

    # --- states -----------------------------------------------------------------
    def function_state(self, k: int, f: Function) -> str:
        """"waiting", "pending" (queued), "current" (ran in step k-1) or "done" after k steps."""
        self._check(k)
        ran = self._ran_in.get(f.index)
        if ran is not None and ran < k:
            return "current" if ran == k - 1 else "done"
        queued = self._queued_in.get(f.index)
        return "pending" if queued is not None and queued < k else "waiting"

    def contributions(self, k: int, v: Variable) -> list[tuple[Function, np.ndarray]]:
        """The terms summed so far into ``v``'s grad, with the function that sent each."""
        self._check(k)
        return [(f, g) for step, f, g in self._received.get(v.index, []) if step < k]

    def grad_at(self, k: int, v: Variable) -> np.ndarray | None:
        """``v``'s accumulated grad after ``k`` steps (from the records, whatever retain_grad)."""
        if v is self.output:
            return self._seed
        terms = self.contributions(k, v)
        if not terms:
            return None
        total = terms[0][1]
        for _, g in terms[1:]:
            total = total + g
        return total

    def variable_state(self, k: int, v: Variable) -> str:
        """"no_grad" (none yet), "partial" or "final" after ``k`` steps."""
        self._check(k)
        if v is self.output:
            return "final"
        everything = len(self._received.get(v.index, []))
        so_far = len(self.contributions(k, v))
        if so_far == 0:
            return "no_grad"
        return "final" if so_far == everything else "partial"

    def is_freed(self, k: int, v: Variable) -> bool:
        """True when retain_grad=False has released ``v``'s grad by frame ``k``."""
        if self.retain_grad or v.creator is None:
            return False
        ran = self._ran_in.get(v.creator.index)
        return ran is not None and ran < k

    def queue(self, k: int) -> list[Function]:
        """Functions queued but not yet run after ``k`` steps, in the order they will run."""
        self._check(k)
        waiting = [f for f in self.graph.functions
                   if self.function_state(k, f) == "pending"]
        return sorted(waiting, key=lambda f: (-f.generation, -f.index))

    def caption(self, k: int, lang: str = "en") -> str:
        """One sentence describing frame ``k``."""
        self._check(k)
        if k == 0:
            return ("Before backward: the output's grad is seeded with ones."
                    if lang != "ko" else "역전파 전: 출력의 기울기를 1로 둡니다.")
        step = self.steps[k - 1]
        names = ", ".join(type(c.function).label for c in step.calls)
        if lang == "ko":
            return f"{k}/{self.n_steps}단계: 세대 {step.generation}의 함수 실행 ({names})"
        return f"Step {k} of {self.n_steps}: generation {step.generation} runs {names}"

    # --- drawing ----------------------------------------------------------------
    def _variable_lines(self, k: int, v: Variable, verbose: bool, lang: str,
                        drawing: Drawing) -> list[str]:
        lines = variable_lines(v, verbose) + drawing.variable_notes(v)
        if variable_origin(v) == "constant":
            return lines
        g = self.grad_at(k, v)
        word = GRAD_WORD.get(lang, "grad")
        if g is None:
            return lines + [f"{word} —"]
        text = f"{word} {grad_text(g)}"
        state = self.variable_state(k, v)
        if state == "partial":
            text += f" ({len(self.contributions(k, v))}/{len(self._received[v.index])})"
        if self.is_freed(k, v):
            text += f" ({FREED_WORD.get(lang, 'freed')})"
        return lines + [text]

    def _function_lines(self, k: int, f: Function, lang: str, drawing: Drawing) -> list[str]:
        status = STATUS.get(lang, STATUS["en"])[self.function_state(k, f)]
        return function_lines(f) + drawing.hub_lines(f) + [status]

    def _looks(self, k: int, drawing: Drawing, verbose: bool, lang: str) -> dict[str, Look]:
        graph = drawing.graph
        looks: dict[str, Look] = {}
        for v in drawing.variables:
            state = "freed" if self.is_freed(k, v) else self.variable_state(k, v)
            spec = style.VARIABLE_STATES[state]
            if variable_origin(v) == "constant":
                spec = dict(spec, fill=style.CONSTANT_FILL, style="filled,dotted")
            border = style.VERMILLION if style.is_troubled(v.data) else "#333333"
            lines = tuple(self._variable_lines(k, v, verbose, lang, drawing))
            looks[graph.node_id(v)] = Look(lines, "ellipse", border=border, **spec)
        for f in drawing.functions:
            spec = style.FUNCTION_STATES[self.function_state(k, f)]
            border = style.ORDER_BORDERS.get(getattr(f, "order", 0), style.ORDER_BORDERS[3])
            looks[graph.node_id(f)] = Look(tuple(self._function_lines(k, f, lang, drawing)), "box",
                                           border=border, **spec)
        return looks

    @cached_property
    def _drawings(self) -> dict[tuple, Drawing]:
        return {}

    def drawing(self, max_nodes: int = 1500, big_graph: str = "auto") -> Drawing:
        """What the frames draw of the graph (see viz.bigraph.plan); the same for every k."""
        key = (max_nodes, big_graph)
        if key not in self._drawings:
            self._drawings[key] = plan(self.graph, max_nodes=max_nodes, policy=big_graph)
        return self._drawings[key]

    def _sizes(self, drawing: Drawing, verbose: bool, lang: str,
               theme: str) -> dict[str, tuple[float, float]]:
        """Each node's size: big enough for its longest label over all frames."""
        fontsize = style.THEMES[theme]["fontsize"]
        char_w, line_h = fontsize * 0.62 / 72, fontsize * 1.3 / 72
        sizes: dict[str, tuple[float, float]] = {}
        for v in drawing.variables:
            labels = [self._variable_lines(k, v, verbose, lang, drawing)
                      for k in self._changes(v)]
            w = max(len(line) for lines in labels for line in lines) * char_w
            h = max(len(lines) for lines in labels) * line_h
            sizes[drawing.graph.node_id(v)] = (w * 1.35 + 0.35, h * 1.35 + 0.25)  # ellipse
        for f in drawing.functions:
            labels = [self._function_lines(k, f, lang, drawing) for k in self._changes(f)]
            w = max(len(line) for lines in labels for line in lines) * char_w
            h = max(len(lines) for lines in labels) * line_h
            sizes[drawing.graph.node_id(f)] = (w + 0.35, h + 0.2)
        return sizes

    def _changes(self, node: Variable | Function) -> list[int]:
        """The frames at which ``node``'s label can change (labels are constant in between)."""
        ks = {0, self.n_steps}
        if isinstance(node, Variable):
            ks.update(step + 1 for step, _, _ in self._received.get(node.index, []))
            if node.creator is not None and node.creator.index in self._ran_in:
                ks.add(self._ran_in[node.creator.index] + 1)
        else:
            for table in (self._queued_in, self._ran_in):
                if node.index in table:
                    ks.update((table[node.index] + 1, table[node.index] + 2))
        return sorted(k for k in ks if 0 <= k <= self.n_steps)

    def to_dot(self, k: int, *, verbose: bool = False, rankdir: str = "LR",
               title: str | None = None, theme: str = "default", lang: str = "en",
               legend: bool = True, max_nodes: int = 1500, big_graph: str = "auto") -> str:
        """DOT of frame ``k``; its structure is identical for every ``k``."""
        self._check(k)
        drawing = self.drawing(max_nodes, big_graph)
        key = (verbose, lang, theme, max_nodes, big_graph)
        sizes = self._size_cache.get(key)
        if sizes is None:
            sizes = self._size_cache[key] = self._sizes(drawing, verbose, lang, theme)
        return emit(drawing, self._looks(k, drawing, verbose, lang), rankdir=rankdir,
                    title=title, theme=theme, sizes=sizes,
                    legend=legend_looks(lang) if legend else None)

    @cached_property
    def _size_cache(self) -> dict[tuple, dict[str, tuple[float, float]]]:
        return {}

    def dots(self, **kwargs: Any) -> list[str]:
        """DOT of every frame, 0..n_steps."""
        return [self.to_dot(k, **kwargs) for k in range(self.n_steps + 1)]


def legend_looks(lang: str = "en") -> list[tuple[str, Look]]:
    """Sample nodes for the legend, one per state (the same in every frame)."""
    words = style.LEGEND.get(lang, style.LEGEND["en"])
    out = []
    for key, spec in style.FUNCTION_STATES.items():
        out.append((f"f_{key}", Look((words[key],), "box", **spec)))
    for key, spec in style.VARIABLE_STATES.items():
        out.append((f"v_{key}", Look((words[key],), "ellipse", **spec)))
    return out
