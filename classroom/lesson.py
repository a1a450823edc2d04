"""One lesson: an expression's graph and its backward pass, built once from plain data.

A :class:`LessonSpec` (text, value texts, options) is everything a session
needs to remember; :func:`lesson_for` turns it into a :class:`Lesson`, cached
in a small module-level LRU. A Lesson is never changed after it is built (the
engine's records are only read), so sessions that ask for the same spec share
it. Nothing here touches Streamlit.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

import viz
from autograd_core import Variable, grad_array, using_config
from exprlang import DEFAULT_LIMITS, ExpressionError, Program, Trouble, parse_program, parse_value
from exprlang.engine import build_graph, default_functions
from exprlang.limits import Limits

from .cache import BoundedCache

DEFAULT_MAX_NODES = 1500
# What the expression box takes: far more than the engine's limit, so a longer paste reaches
# the engine, which says how long it is and what the limit is
MAX_TYPED_CHARS = 20 * DEFAULT_LIMITS.max_length
LAYOUT_TIME_LIMIT_S = 10.0
# A graph this small always carries its top-to-bottom layout too, so a narrow window's first
# graph is already drawn top to bottom (measured: +10-40 ms once per lesson, +0.5-25 KB of
# scene at 3-99 nodes; the 80-term sum's, 399 nodes, ~0.7 s and 128 KB: asked for).
ALWAYS_NARROW_NODES = 100


@dataclass(frozen=True)
class LessonSpec:
    """Plain, hashable data that fully describes a lesson (also its cache key)."""

    text: str
    values: tuple[tuple[str, str], ...] = ()
    higher_order: bool = False
    wrt: str | None = None
    synthetic: str | None = None  # a generated benchmark graph, e.g. "chain:200"

    @classmethod
    def make(cls, text: str, values: Mapping[str, str] | None = None, *,
             higher_order: bool = False, wrt: str | None = None) -> LessonSpec:
        """A spec from an expression and the value text of its inputs."""
        pairs = tuple(sorted((str(k), str(v)) for k, v in (values or {}).items()))
        return cls(text, pairs, bool(higher_order), wrt)


@dataclass(frozen=True)
class ForwardTrouble:
    """An operation whose result holds NaN and/or infinity (from finite inputs)."""

    op: str
    kinds: tuple[str, ...]  # "nan", "inf"
    position: tuple[int, int] | None


@dataclass(frozen=True)
class BackwardTrouble:
    """A backward call that turned finite grads into NaN or infinity."""

    step: int  # 1-based: the frame where it shows
    op: str
    kind: str  # "nan" or "inf"


class Lesson:
    """The graph of one expression, its backward pass replayed, and facts about both.

    ``target`` is what is differentiated: the output, or with ``higher_order``
    the gradient ``dy/d<wrt>`` (built with ``create_graph=True``) so stepping
    its backward pass computes second derivatives.
    """

    def __init__(self, spec: LessonSpec, *, inputs: dict[str, Variable], output: Variable,
                 canonical: str, program: Program | None = None,
                 troubles: tuple[Trouble, ...] = ()) -> None:
        self.spec = spec
        self.inputs = inputs
        self.output = output
        self.canonical = canonical
        self.program = program
        self.troubles = troubles
        names = list(inputs)
        self.wrt = spec.wrt if spec.wrt in inputs else (names[0] if names else None)
        self.higher_order = bool(spec.higher_order and self.wrt is not None
                                 and output.creator is not None)
        with np.errstate(all="ignore"), using_config("enable_backprop", True):
            self.target = self._gradient() if self.higher_order else output
            self.replay = viz.BackwardReplay(self.target, retain_grad=True)
        self.forward_troubles = tuple(_group(troubles))
        self.backward_troubles = tuple(_backward_troubles(self.replay))
        self._variables = {self.replay.graph.node_id(v): v for v in self.replay.graph.variables}
        self._lock = threading.Lock()  # guards the memo and viz's memoised plans/sizes
        self._memo: dict[str, Any] = {}

    def _gradient(self) -> Variable:
        """dy/d(wrt) as a Variable with its own graph (create_graph=True)."""
        self.output.backward(create_graph=True)
        grad = self.inputs[self.wrt].grad
        for v in self.inputs.values():
            v.cleargrad()
        if grad.name is None:
            out = self.output.name or ("f" if "y" in self.inputs else "y")
            grad.name = f"d{out}/d{self.wrt}"
        return grad

    def memo(self, key: str, make: Callable[[], Any]) -> Any:
        """A derived fact computed once (``make()`` runs outside the lock)."""
        with self._lock:
            if key in self._memo:
                return self._memo[key]
        value = make()
        with self._lock:
            return self._memo.setdefault(key, value)

    def what_if(self, pitfall: str) -> Any:
        """The lesson's backward with one of :data:`viz.model.pitfalls.PITFALLS` (made once).

        "No cleargrad()" adds to what an earlier backward left on the inputs: the book's
        own earlier computation where an example declares one (step 14: ``add(x, x)``
        before ``add(add(x, x), x)``, 2 + 3 = 5 where 3 is right), else this one again.
        """
        from viz.model.pitfalls import run

        def make() -> Any:
            if pitfall != "no_cleargrad" or (earlier := _earlier_of(self.spec)) is None:
                return run(self, pitfall)
            before = lesson_for(replace(self.spec, text=earlier))
            previous = {v.index: before.replay.grad_at(before.n_steps, before.inputs[name])
                        for name, v in self.inputs.items() if name in before.inputs}
            previous = {k: g for k, g in previous.items() if g is not None}
            return run(self, pitfall, previous=previous, earlier=earlier)

        return self.memo(f"pitfall:{pitfall}", make)

    # --- size and steps --------------------------------------------------------------------
    @property
    def n_steps(self) -> int:
        """Number of backward steps (one generation each); frames are 0..n_steps."""
        return self.replay.n_steps

    @property
    def graph_size(self) -> int:
        """Variables plus functions in the drawn graph."""
        return self.replay.graph.size

    def clamp(self, k: int) -> int:
        """``k`` limited to the frames of this lesson."""
        return max(0, min(int(k), self.n_steps))

    def caption(self, k: int, lang: str) -> str:
        """One sentence saying what frame ``k`` shows (viz's words)."""
        return self.replay.caption(self.clamp(k), lang)

    def variable(self, node_id: str) -> Variable:
        """The variable drawn with DOT/SVG id ``node_id``."""
        return self._variables[node_id]

    @property
    def variable_ids(self) -> list[str]:
        """Node ids of the drawn variables, in creation order."""
        return list(self._variables)

    # --- drawing ---------------------------------------------------------------------------
    def notice(self, max_nodes: int = DEFAULT_MAX_NODES) -> str | None:
        """What the drawing leaves out when the graph exceeds ``max_nodes`` (else None)."""
        with self._lock:
            return self.replay.drawing(max_nodes, "auto").notice

    def scene(self, *, lang: str = "en", rankdir: str = "auto",
              max_nodes: int = DEFAULT_MAX_NODES, narrow: bool = True) -> viz.Scene:
        """The lesson's scene (forward then backward frames) in ``lang``.

        One layout per (direction, size limit), shared by every language and every
        session showing this lesson; laid out in a worker (``isolate``) with a time
        limit, so one student's big graph never stalls the others. ``rankdir="auto"``:
        left to right, with a top-to-bottom layout too for narrow screens when
        ``narrow`` or the graph is small (:data:`ALWAYS_NARROW_NODES`). A big graph's
        comes only once a player is on a narrow screen and asks: most never are, and it
        is a second Graphviz run and ~40% of the scene's text.
        """
        def sized() -> viz.Scene:  # node sizes: worked out once for both directions
            def make() -> viz.Scene:
                with self._lock:  # viz memoises the drawing plan inside the replay
                    scene = viz.Scene(self.replay, lang="en", max_nodes=max_nodes,
                                      forward=True, notices=False)
                    scene.layout_request()
                    return scene

            return self.memo(f"sized:{max_nodes}", make)

        def layout(direction: str) -> viz.Layout:
            def make() -> viz.Layout:
                request = sized().layout_request(direction)
                return viz.lay_out(request, isolate=True, timeout=LAYOUT_TIME_LIMIT_S)

            return self.memo(f"layout:{direction}:{max_nodes}", make)

        main = layout("LR" if rankdir == "auto" else rankdir)
        narrow = layout("TB") if rankdir == "auto" and (
            narrow or len(sized().node_kinds) <= ALWAYS_NARROW_NODES) else None

        def build() -> viz.Scene:
            if sized().lang == lang:  # its frames are this language's: no second build
                return sized().over(main, narrow)
            with self._lock:
                return viz.Scene(self.replay, lang=lang, max_nodes=max_nodes, forward=True,
                                 layout=main, narrow_layout=narrow, notices=False)

        return self.memo(f"scene:{lang}:{rankdir}:{max_nodes}:{narrow is not None}", build)

    def frame_dot(self, k: int, *, lang: str = "en", theme: str = "default",
                  rankdir: str = "LR", max_nodes: int = DEFAULT_MAX_NODES,
                  legend: bool = False) -> str:
        """DOT of frame ``k``: same nodes, edges and sizes in every frame, new colours."""
        with self._lock:  # viz memoises plans and node sizes inside the replay
            return self.replay.to_dot(self.clamp(k), lang=lang, theme=theme, rankdir=rankdir,
                                      max_nodes=max_nodes, big_graph="auto", legend=legend)


def _op_label(op: str) -> str:
    """The op's display label ("/" and "div" are both "Div"), as the backward pass says."""
    from autograd_core.registry import OPS

    for name, info in OPS.items():
        if op in (name, info.symbol):
            return info.label
    return op


def _group(troubles: tuple[Trouble, ...]) -> list[ForwardTrouble]:
    """One entry per operation (an op can give NaN in one element and inf in another)."""
    kinds: dict[tuple, list[str]] = {}
    for trouble in troubles:
        found = kinds.setdefault((_op_label(trouble.op), trouble.position), [])
        if trouble.kind not in found:
            found.append(trouble.kind)
    return [ForwardTrouble(op, tuple(k), pos) for (op, pos), k in kinds.items()]


def _backward_troubles(replay: viz.BackwardReplay) -> list[BackwardTrouble]:
    found = []
    for step in replay.steps:
        for call in step.calls:
            outs = [grad_array(g) for g in call.output_grads if g is not None]
            ins = [grad_array(g) for g in call.input_grads if g is not None]
            if all(np.all(np.isfinite(g)) for g in outs):
                bad = [g for g in ins if not np.all(np.isfinite(g))]
                if bad:
                    kind = "nan" if any(np.any(np.isnan(g)) for g in bad) else "inf"
                    found.append(BackwardTrouble(step.number + 1,
                                                 type(call.function).label, kind))
    return found


def parse(text: str, limits: Limits = DEFAULT_LIMITS) -> Program:
    """Parse ``text`` with the engine's functions (and the default limits, or ``limits``)."""
    return parse_program(text, default_functions(), limits)


def function_names() -> list[str]:
    """The functions an expression may call (from the op registry), sorted."""
    return sorted(default_functions())


def input_names(text: str) -> list[str]:
    """The input variables of ``text`` in order of appearance (empty if it does not parse)."""
    return parsed_input_names(text) or []


def parsed_input_names(text: str) -> list[str] | None:
    """The input variables of ``text`` in order of appearance, None if it does not parse."""
    try:
        return list(parse(text).input_names)
    except ExpressionError:
        return None


class LessonError(Exception):
    """Why a lesson could not be built: an ExpressionError, and the input whose value
    text caused it (None when the expression itself is at fault)."""

    def __init__(self, error: ExpressionError, variable: str | None = None) -> None:
        super().__init__(str(error))
        self.error = error
        self.variable = variable


# Builders of generated graphs (LessonSpec.synthetic "kind:size"), registered by the module
# that makes them (classroom.synthetic): this module never imports them.
GENERATED: dict[str, Callable[[LessonSpec], Lesson]] = {}


def build_lesson(spec: LessonSpec) -> Lesson:
    """Parse, check every value, build the graph and replay its backward pass.

    Raises :class:`LessonError` (only) for anything wrong with the text or a value.
    """
    if spec.synthetic is not None:
        kind = spec.synthetic.partition(":")[0]
        if kind not in GENERATED:
            raise ValueError(f"no builder for generated graph {spec.synthetic!r}; known: "
                             f"{', '.join(GENERATED) or 'none'}")
        return GENERATED[kind](spec)
    # a gradient's graph is built and stepped too: the program gets half the budget
    limits = replace(DEFAULT_LIMITS, passes=2) if spec.higher_order else DEFAULT_LIMITS
    try:
        program = parse(spec.text, limits)  # parsed once: the graph is built from it
    except ExpressionError as err:
        raise LessonError(err) from None
    values = dict(spec.values)
    arrays = {}
    for name in program.input_names:
        text = values.get(name, "")
        try:
            if not text.strip():
                raise ExpressionError("missing_value", None, name=name)
            arrays[name] = parse_value(text)
        except ExpressionError as err:
            raise LessonError(err, name) from None
    try:
        with np.errstate(all="ignore"), using_config("enable_backprop", True):
            result = build_graph(program, arrays)
    except ExpressionError as err:  # e.g. shapes that do not fit: matmul of (2,) and (3,)
        raise LessonError(err) from None
    return Lesson(spec, inputs=dict(result.inputs), output=result.output,
                  canonical=program.canonical(), program=program,
                  troubles=tuple(result.warnings))


CACHE_BYTES = 600_000_000  # what cached lessons may hold, all sessions together


def lesson_bytes(lesson: Lesson) -> int:
    """What a lesson holds, about: its arrays three times (the values, the grads the replay
    keeps, their temporaries: measured 62 MB for 23 MB of values) and 4 kB per node of
    frames and layout."""
    values = sum(v.data.nbytes for v in lesson.replay.graph.variables if v.data is not None)
    return 3 * values + 4_000 * lesson.graph_size


# Built lessons, shared by every session: keyed by plain data, never changed once built.
# Weighed in bytes, so a class typing the biggest expressions the limits allow keeps the
# cache under CACHE_BYTES (bench/bench_memory.py builds them).
_LESSONS: BoundedCache[Lesson] = BoundedCache(max_entries=64, max_weight=CACHE_BYTES,
                                              weigh=lesson_bytes)


def _earlier_of(spec: LessonSpec) -> str | None:
    """The earlier computation an example declares for this lesson (see Preset.earlier)."""
    from .presets import PRESETS

    for preset in PRESETS:
        if preset.earlier and preset.text == spec.text and not spec.higher_order:
            return preset.earlier
    return None


def lesson_for(spec: LessonSpec) -> Lesson:
    """The lesson for ``spec``, from the shared cache when it was built before."""
    return _LESSONS.get_or_make(spec, lambda: build_lesson(spec))


def clear_cache() -> None:
    """Forget every built lesson (tests use this to make sessions build their own)."""
    _LESSONS.clear()


def cache_stats() -> dict[str, Any]:
    """Hits, misses and size of the lesson cache (for tests and benchmarks)."""
    return {"hits": _LESSONS.hits, "misses": _LESSONS.misses, "entries": len(_LESSONS),
            "bytes": int(_LESSONS.weight)}
