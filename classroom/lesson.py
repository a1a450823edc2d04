"""One lesson: an expression's graph, its backward pass and everything the app shows about it.

Built from plain data (text, values, options) and cached per session by the
app; nothing here touches Streamlit, so it is tested directly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

import viz
from autograd_core import Function, Variable, no_grad, numerical_grad
from exprlang import ExpressionError, Program, Trouble, evaluate, parse_value
from exprlang.engine import build_graph, default_functions, engine_operators, parse
from viz.style import fmt_array

CHECK_MAX_ELEMENTS = 64
GIF_MAX_NODES = 400


@dataclass(frozen=True)
class LeafRow:
    """One input variable: its grad by backprop and by numerical differentiation."""

    name: str
    value: str
    grad: np.ndarray | None
    numerical: np.ndarray | None
    ok: bool | None  # None: not checked

    @property
    def grad_text(self) -> str:
        return "—" if self.grad is None else fmt_array(self.grad)[-1]

    @property
    def numerical_text(self) -> str:
        return "—" if self.numerical is None else fmt_array(self.numerical)[-1]


class Lesson:
    """Parse, build, backpropagate (once) and keep the replay for stepping."""

    def __init__(self, text: str, values: dict[str, str], *, higher_order: bool = False,
                 wrt: str | None = None) -> None:
        self.text = text
        self.values = dict(values)
        self.program: Program = parse(text)
        self.arrays = {}
        for name in self.program.input_names:
            if name not in values:
                raise ExpressionError("missing_value", None, name=name)
            self.arrays[name] = parse_value(values[name])
        result = build_graph(text, self.arrays)
        self.inputs: dict[str, Variable] = result.inputs
        self.troubles: list[Trouble] = result.warnings
        self.output: Variable = result.output
        self.higher_order = higher_order
        names = list(self.inputs)
        self.wrt = wrt if wrt in self.inputs else (names[0] if names else None)
        target = self.output
        # NaN/inf are shown on the nodes and in a message: numpy need not warn as well
        with np.errstate(all="ignore"):
            target = self._target(higher_order)
            self.replay = viz.BackwardReplay(target, retain_grad=True)
        self.target = target
        self._svg: dict[tuple, str] = {}

    def _target(self, higher_order: bool) -> Variable:
        """The output, or (higher order) the grad of the output w.r.t. ``wrt``."""
        target = self.output
        if higher_order and self.wrt is not None and self.output.creator is not None:
            self.output.backward(create_graph=True)
            x = self.inputs[self.wrt]
            target = x.grad
            for v in self.inputs.values():
                v.cleargrad()
            out_name = self.output.name or "y"
            if target.name is None:
                target.name = f"d{out_name}/d{self.wrt}"
        return target

    @classmethod
    def synthetic(cls, n_nodes: int) -> Lesson:
        """A generated graph of about ``n_nodes`` nodes (y = sin(y) * c_i repeated), for the
        browser benchmark (``?bench=N``); built in code, never from user text."""
        from autograd_core import sin

        steps = max(1, n_nodes // 5)
        text = f"# {steps} x (y = sin(y) * c_i)"
        lesson = cls.__new__(cls)
        x = Variable(np.array(0.5), name="x")
        y = x
        for i in range(steps):
            y = sin(y) * Variable(np.array(1.0 + i * 1e-3))
        y.name = "y"
        lesson.text, lesson.values, lesson.program = text, {}, None
        lesson.arrays, lesson.inputs, lesson.troubles = {"x": x.data}, {"x": x}, []
        lesson.output, lesson.higher_order, lesson.wrt = y, False, "x"
        lesson.target = y
        lesson.replay = viz.BackwardReplay(y, retain_grad=True)
        lesson._svg = {}
        return lesson

    # --- what the side panels show ------------------------------------------------
    @property
    def n_steps(self) -> int:
        return self.replay.n_steps

    @property
    def canonical(self) -> str:
        return self.text if self.program is None else self.program.canonical()

    @property
    def graph_size(self) -> int:
        return self.replay.graph.size

    def queue(self, k: int) -> list[tuple[str, int]]:
        """(label, generation) of each pending function after ``k`` steps."""
        return [(_function_name(f), f.generation) for f in self.replay.queue(k)]

    def variable_choices(self) -> list[str]:
        """Node ids of the drawn variables, for the inspector (labels via variable_label)."""
        return [self.replay.graph.node_id(v) for v in self.replay.graph.variables]

    def variable_label(self, node_id: str) -> str:
        v = self._variable(node_id)
        value = fmt_array(v.data)[-1]
        return f"{v.name} = {value}" if v.name else f"{node_id} = {value}"

    def contributions(self, k: int, node_id: str) -> tuple[list[tuple[str, str]], str | None]:
        """([(from function, grad text)], total text or None) for the variable ``node_id``."""
        v = self._variable(node_id)
        terms = [(_function_name(f), fmt_array(g)[-1]) for f, g in self.replay.contributions(k, v)]
        total = self.replay.grad_at(k, v)
        return terms, None if total is None else fmt_array(total)[-1]

    def leaf_rows(self) -> list[LeafRow]:
        """Every input: final backprop grad, numerical grad and a pass/fail check."""
        final = self.n_steps
        grads = {n: self.replay.grad_at(final, v) for n, v in self.inputs.items()}
        numerical = self._numerical()
        rows = []
        for name, v in self.inputs.items():
            g, num = grads[name], None if numerical is None else numerical.get(name)
            ok = None
            if num is not None:
                ok = bool(g is not None and np.allclose(g, num, rtol=1e-4, atol=1e-5))
            rows.append(LeafRow(name, fmt_array(v.data)[-1], g, num, ok))
        return rows

    def _numerical(self) -> dict[str, np.ndarray] | None:
        names = list(self.inputs)
        if self.program is None or not names or sum(
            a.size for a in self.arrays.values()
        ) > CHECK_MAX_ELEMENTS:
            return None
        if self.output.creator is None:
            return None
        functions, operators = default_functions(), engine_operators()

        def run(*vs: Variable) -> Any:
            arrays = {n: v.data for n, v in zip(names, vs, strict=True)}
            if not self.higher_order:
                with no_grad():
                    return evaluate(self.program, arrays, functions=functions,
                                    operators=operators, make_input=lambda n, a: Variable(a)
                                    ).output
            r = evaluate(self.program, arrays, functions=functions, operators=operators,
                         make_input=lambda n, a: Variable(a.copy()))
            r.output.backward()
            return r.inputs[self.wrt].grad

        with np.errstate(all="ignore"):
            grads = numerical_grad(run, *[self.arrays[n] for n in names], eps=1e-5)
        return dict(zip(names, grads, strict=True))

    # --- drawing ------------------------------------------------------------------
    def frame_dot(self, k: int, *, lang: str = "en", theme: str = "default",
                  rankdir: str = "LR", legend: bool = False) -> str:
        return self.replay.to_dot(k, lang=lang, theme=theme, rankdir=rankdir, legend=legend)

    def frame_svg(self, k: int, *, lang: str = "en", theme: str = "default",
                  rankdir: str = "LR") -> str:
        """SVG of frame ``k`` (cached): laid out by Graphviz on the server."""
        key = (k, lang, theme, rankdir)
        if key not in self._svg:
            dot = self.frame_dot(k, lang=lang, theme=theme, rankdir=rankdir)
            self._svg[key] = viz.render(dot, "svg").text
        return self._svg[key]

    def frame_png(self, k: int, **kw: Any) -> bytes:
        return viz.render(self.frame_dot(k, **kw), "png").data

    def notice(self) -> str | None:
        """The big-graph notice, when the drawing leaves things out."""
        drawing = self.replay.drawing()  # the one to_dot uses by default
        return drawing.notice

    def gif(self, **kw: Any) -> bytes:
        """The whole backward pass as an animated GIF (legend included)."""
        if self.graph_size > GIF_MAX_NODES:
            raise ValueError(f"the graph has {self.graph_size} nodes; GIF export is limited to "
                             f"{GIF_MAX_NODES}")
        pngs = [viz.render(self.frame_dot(k, legend=True, **kw), "png").data
                for k in range(self.n_steps + 1)]
        return viz.frames_to_gif(pngs)

    def html(self, *, lang: str = "en", **kw: Any) -> str:
        """The whole backward pass as one self-contained HTML player."""
        svgs = [viz.render(self.frame_dot(k, legend=True, lang=lang, **kw), "svg").text
                for k in range(self.n_steps + 1)]
        captions = [self.replay.caption(k, lang) for k in range(self.n_steps + 1)]
        return viz.frames_to_html(svgs, titles=[str(k) for k in range(len(svgs))],
                                  captions=captions, page_title=self.canonical.splitlines()[-1],
                                  lang=lang)

    def _variable(self, node_id: str) -> Variable:
        for v in self.replay.graph.variables:
            if self.replay.graph.node_id(v) == node_id:
                return v
        raise KeyError(node_id)


def _function_name(f: Function) -> str:
    return type(f).label


def input_names(text: str) -> list[str]:
    """The input variables of ``text`` (empty when it does not parse)."""
    try:
        return list(parse(text).input_names)
    except ExpressionError:
        return []
