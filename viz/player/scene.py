"""A scene: one layout of a graph and every frame of its replay as a small delta over it.

:class:`Scene` takes a :class:`~viz.model.frames.BackwardReplay`, lays its drawing out
**once** (:mod:`viz.layout`), and describes each frame by the state of every node
and edge (the vocabulary of :mod:`viz.model.states`) and the label lines that changed.
Frame 0 is given in full; every later frame only lists what differs from the
frame before it. The same scene feeds

* the client-side player (:mod:`viz.player`): the app, notebooks, the HTML export;
* the server-side drawing of a frame (:meth:`Scene.svg`, and PNG/GIF from it),

so every output shows the same picture. The timeline is the backward pass
(frames 0..n_steps), optionally preceded by the forward pass run generation by
generation (``forward=True``).
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from autograd_core import Function, Parameter, Variable, variable_origin
from viz.i18n import caption as frame_caption
from viz.i18n import player_words
from viz.i18n import t as t_
from viz.layout import EdgeSpec, Layout, LayoutRequest, NodeSpec, lay_out
from viz.model import states
from viz.model.bigraph import Drawing
from viz.model.frames import BackwardReplay, _width
from viz.model.groups import Group, box_lines, cluster_specs, collapsed, find_groups, short_names
from viz.render import style
from viz.render.dot import edge_text, function_lines, variable_lines

FONT_PT = 12.0  # node text size of the layout (the player zooms; exports scale)
EDGE_FONT_PT = 10.0
CHAR_W_PT = FONT_PT * 0.62  # a monospace cell
LINE_H_PT = FONT_PT * 1.3
LANGS = ("en", "ko")
MAX_EXPLAIN_LINES = 40  # a step of a huge graph runs hundreds of functions
# Entries: (classes, text). Classes are tokens of a closed vocabulary (see _TOKENS).
Entry = tuple[str, str]


@dataclass(frozen=True)
class FrameInfo:
    """Where a frame sits in the timeline: its phase and step in that phase."""

    phase: str  # "forward" or "backward"
    step: int   # 0 = before the phase's first step
    steps: int  # steps in the phase


_TOKENS = frozenset(
    [s.css_class for s in states.ALL] + [f"o{k}" for k in states.ORDER_FILLS]
    + [f"b{k}" for k in states.ORDER_FILLS]
    + ["trouble", "hidden", "const", "chain", "summary", "var", "fn"])


def _classes(*tokens: str) -> str:
    assert all(t in _TOKENS for t in tokens), tokens  # a closed vocabulary, never user text
    return " ".join(tokens)


class Scene:
    """One layout and the frames of ``replay`` over it (see the module docstring).

    ``lang`` is the language of the frames' text; the layout is shared by every
    language (node sizes fit the longest label in any of them), so switching
    language costs no layout. ``engine``/``timeout``/``isolate`` go to
    :func:`viz.layout.lay_out`; pass a ``layout`` made for the same graph and
    options to reuse it.
    """

    def __init__(self, replay: Any, *, lang: str = "en", rankdir: str = "LR",
                 max_nodes: int = 1500, big_graph: str = "auto",
                 last_generations: int | None = None, verbose: bool = False,
                 forward: bool = False, title: str | None = None, engine: str = "auto",
                 timeout: float | None = None, isolate: bool = False,
                 layout: Layout | None = None, narrow_layout: Layout | None = None,
                 collapse: Sequence[str] = (), expand: Sequence[str] = (),
                 notices: bool = True) -> None:
        if lang not in LANGS:
            lang = "en"
        if not isinstance(replay, BackwardReplay):  # any source viz reads (viz.sources)
            from viz.sources import frames

            replay = frames(replay)
        if forward and replay.kind == "torch":
            raise ValueError("forward=True needs the order the values were computed in; "
                             "PyTorch keeps only its backward graph: step the backward pass")
        self.replay = replay
        self.notices = notices  # the player says what was left out (an app may say it itself)
        self.lang = lang
        self.title = title
        self.verbose = verbose
        self.drawing: Drawing = replay.drawing(max_nodes, big_graph, last_generations)
        self._graph = self.drawing.graph
        self._forward_order = _forward_generations(replay, self.drawing) if forward else []
        n_fwd = len(self._forward_order)
        self.timeline: tuple[FrameInfo, ...] = tuple(
            [FrameInfo("forward", j, n_fwd) for j in range(n_fwd + 1)] if forward else []
        ) + tuple(FrameInfo("backward", k, replay.n_steps) for k in range(replay.n_steps + 1))
        self._edges = _edge_specs(self.drawing, replay)
        # layers and viz.scope blocks: clusters the player can collapse to one box each
        self.groups: list[Group] = find_groups(
            self.drawing, [(e.source, e.target) for e, key in self._edges if key[0] in
                           ("in", "out")])
        # the groups that open collapsed (the player can expand them; frames drawn here
        # show them collapsed); an unknown name is a ValueError naming the groups
        self.collapsed = (collapsed(self.groups, collapse, expand) if (collapse or expand)
                          else [])
        self.node_kinds = self._kinds()
        self._ran_forward_at: dict[int, dict[int, int]] = {}
        self._frames = self._build(lang)
        self._sizes: tuple[NodeSpec, ...] | None = None
        self._layout = layout
        self.narrow_layout = narrow_layout  # top to bottom, for narrow screens (optional)
        self._json: str | None = None
        self._id: str | None = None
        self._payload: dict[str, Any] | None = None
        self._layout_options = dict(rankdir=rankdir, engine=engine, isolate=isolate,
                                    timeout=timeout)

    @property
    def layout(self) -> Layout:
        """The one layout of this scene, made on first use (see :func:`viz.layout.lay_out`)."""
        if self._layout is None:
            opts = self._layout_options
            kwargs = {} if opts["timeout"] is None else {"timeout": opts["timeout"]}
            self._layout = lay_out(self.layout_request(opts["rankdir"]), engine=opts["engine"],
                                   isolate=opts["isolate"], **kwargs)
        return self._layout

    def over(self, layout: Layout, narrow_layout: Layout | None = None) -> Scene:
        """The same frames over ``layout`` (and ``narrow_layout``), made for this scene's
        :meth:`layout_request`: a shallow copy, so the frames (never changed) are shared."""
        scene = copy.copy(self)
        scene._layout, scene.narrow_layout = layout, narrow_layout
        scene._json = scene._id = scene._payload = None
        return scene

    # --- what is drawn ----------------------------------------------------------------------
    def _kinds(self) -> dict[str, tuple[str, str]]:
        """node id -> (shape, base classes): the drawn nodes, in drawing order."""
        graph = self._graph
        out: dict[str, tuple[str, str]] = {}
        for v in self.drawing.variables:  # a Parameter: what an optimizer updates
            out[graph.node_id(v)] = ("ellipse", "var param" if isinstance(v, Parameter) else "var")
        for f in self.drawing.functions:
            out[graph.node_id(f)] = ("box", "fn")
        for chain in self.drawing.chains:
            out[chain.node_id] = ("box3d", "fn chain")
        if self.drawing.summary is not None:
            out[self.drawing.summary.node_id] = ("note", "summary")
        return out

    def layout_request(self, rankdir: str = "LR") -> LayoutRequest:
        """The layout this scene needs (node sizes fit every frame in every language)."""
        return LayoutRequest(self._node_specs(), tuple(e for e, _ in self._edges), rankdir,
                             cluster_specs(self.groups))

    def _node_specs(self) -> tuple[NodeSpec, ...]:
        """Every drawn node's shape and size (the same in both directions: made once)."""
        if self._sizes is not None:
            return self._sizes
        widths: dict[str, float] = {}
        heights: dict[str, float] = {}

        def fit(entries: Iterable[tuple[str, Entry]]) -> None:
            for nid, (_, text) in entries:
                lines = text.split("\n")
                widths[nid] = max(widths.get(nid, 0.0), max(_width(ln) for ln in lines))
                heights[nid] = max(heights.get(nid, 0.0), len(lines))

        # this scene's language: every text a node takes is in the frames already built
        for frame in self._frames:
            fit(frame["n"].items())
        for lang in LANGS:
            if lang != self.lang:
                for t in range(len(self.timeline)):
                    fit(self._entries_at(t, lang, only_changes=True).items())
        nodes = []
        for nid, (shape, _) in self.node_kinds.items():
            w = widths.get(nid, 1) * CHAR_W_PT / 72
            h = heights.get(nid, 1) * LINE_H_PT / 72
            # an ellipse needs room around its text; a box only a margin
            size = ((w * 1.35 + 0.35, h * 1.35 + 0.25) if shape == "ellipse"
                    else (w + 0.35, h + 0.2))
            nodes.append(NodeSpec(nid, shape, round(size[0], 2), round(size[1], 2)))
        self._sizes = tuple(nodes)
        return self._sizes

    # --- frames --------------------------------------------------------------------------
    def _entries_at(self, t: int, lang: str, only_changes: bool = False) -> dict[str, Entry]:
        """Node entries at timeline index ``t`` (all nodes, or those that may change at t)."""
        info = self.timeline[t]
        nodes: Iterable[Variable | Function]
        if only_changes and t > 0:
            nodes = self._changing_nodes(t)
        else:
            nodes = (*self.drawing.variables, *self.drawing.functions)
        out = {}
        for node in nodes:
            nid = self._graph.node_id(node)
            if isinstance(node, Variable):
                out[nid] = (self._forward_variable(info.step, node, lang) if info.phase == "forward"
                            else self._backward_variable(info.step, node, lang))
            else:
                out[nid] = (self._forward_function(info.step, node, lang)
                            if info.phase == "forward"
                            else self._backward_function(info.step, node, lang))
        if not only_changes or t == 0:
            for chain in self.drawing.chains:
                hidden = self._chain_hidden(chain, info)
                out[chain.node_id] = (_classes(*(["hidden"] if hidden else [])),
                                      "\n".join(chain.label))
            if self.drawing.summary is not None:
                out[self.drawing.summary.node_id] = ("", "\n".join(self.drawing.summary.label))
        elif info.phase == "backward" and self.replay.has_grad_graph:
            for chain in self.drawing.chains:
                out[chain.node_id] = (_classes(*(["hidden"] if self._chain_hidden(chain, info)
                                                 else [])), "\n".join(chain.label))
        return out

    def _chain_hidden(self, chain: Any, info: FrameInfo) -> bool:
        born = max((self.replay.born_at(f) for f in chain.functions), default=0)
        return born > (info.step if info.phase == "backward" else -1)

    def _changing_nodes(self, t: int) -> list[Variable | Function]:
        """Nodes whose entry can differ between timeline frames ``t - 1`` and ``t``."""
        if not hasattr(self, "_change_index"):
            index: dict[int, list[Variable | Function]] = {}
            offset = self._backward_start
            for node in (*self.drawing.variables, *self.drawing.functions):
                ks = set(self.replay.changes(node)) | {self.replay.born_at(node)}
                for k in ks:
                    index.setdefault(offset + k, []).append(node)
                    if k + 1 <= self.replay.n_steps:
                        index.setdefault(offset + k + 1, []).append(node)
            for j, fs in enumerate(self._forward_order, start=1):
                for f in fs:
                    outs = [r() for r in f.outputs]
                    for tt in (j, j + 1):
                        index.setdefault(tt, []).extend([f, *(y for y in outs if y is not None)])
            if self._forward_order:  # forward end -> before backward: every node can change
                index[offset] = list((*self.drawing.variables, *self.drawing.functions))
            self._change_index = {k: list(dict.fromkeys(v)) for k, v in index.items()}
        return self._change_index.get(t, [])

    @property
    def start(self) -> int:
        """The timeline frame before the backward pass (0 without forward frames)."""
        return self._backward_start

    @property
    def _backward_start(self) -> int:
        return len(self._forward_order) + 1 if self._forward_order else 0

    def _backward_variable(self, k: int, v: Variable, lang: str) -> Entry:
        lines = self.replay.variable_label(k, v, self.verbose, lang, self.drawing)
        return _classes(*self.replay.node_tokens(k, v)), "\n".join(lines)

    def _backward_function(self, k: int, f: Function, lang: str) -> Entry:
        lines = self.replay.function_label(k, f, lang, self.drawing)
        return _classes(*self.replay.node_tokens(k, f)), "\n".join(lines)

    def _ran_forward(self, j: int) -> dict[int, int]:
        """function index -> forward step (1-based) it ran in, for steps <= j."""
        if j not in self._ran_forward_at:  # asked once per node and frame: made once per frame
            self._ran_forward_at[j] = {f.index: s for s, fs in
                                       enumerate(self._forward_order[:j], start=1) for f in fs}
        return self._ran_forward_at[j]

    def _forward_variable(self, j: int, v: Variable, lang: str) -> Entry:
        name = variable_lines(v, self.verbose)[:1] if v.name else []
        if not self.replay.in_pass(v):
            return _classes("hidden"), "\n".join(name or ["?"])
        origin = variable_origin(v)
        known = v.creator is None or self._ran_forward(j).get(v.creator.index) is not None
        if not known:
            return _classes(states.NO_VALUE.css_class), "\n".join(name + ["?"])
        tokens = [states.CONSTANT.css_class if origin == "constant" else states.VALUE.css_class]
        if style.is_troubled(v.data):
            tokens.append("trouble")
        lines = variable_lines(v, self.verbose, lang) + self.drawing.variable_notes(v)
        return _classes(*tokens), "\n".join(lines)

    def _forward_function(self, j: int, f: Function, lang: str) -> Entry:
        lines = function_lines(f, lang) + self.drawing.hub_lines(f)
        if not self.replay.in_pass(f):
            return _classes("hidden"), "\n".join(lines)
        ran = self._ran_forward(j).get(f.index)
        state = states.WAITING if ran is None else (states.RUNNING if ran == j else states.DONE)
        order = min(f.order, 3)
        tokens = [state.css_class] + ([f"b{order}"] if order else [])
        return _classes(*tokens), "\n".join(lines + [state.word_text(lang)])

    def _edge_entries(self, t: int) -> dict[str, Entry]:
        """Edges that carry something at timeline frame ``t`` (others are idle)."""
        info = self.timeline[t]
        out: dict[str, Entry] = {}
        if info.phase == "backward" and info.step > 0:
            step = self.replay.steps[info.step - 1]
            for call in step.calls:
                for i, g in enumerate(call.input_grads):
                    eid = self._in_edge.get((call.function.index, i))
                    if eid is not None and g is not None:
                        out[eid] = (states.EDGE_GRAD.css_class, edge_text(g))
        elif info.phase == "forward" and info.step > 0:
            for f in self._forward_order[info.step - 1]:
                for i in range(len(f.inputs)):
                    eid = self._in_edge.get((f.index, i))
                    if eid is not None:
                        out[eid] = (states.EDGE_VALUE.css_class, "")
                for ref in f.outputs:
                    y = ref()
                    eid = self._out_edge.get(f.index)
                    if y is not None and eid is not None:
                        out[eid] = (states.EDGE_VALUE.css_class, edge_text(y.data))
        return out

    @property
    def _in_edge(self) -> dict[tuple[int, int], str]:
        return self._edge_index[0]

    @property
    def _out_edge(self) -> dict[int, str]:
        return self._edge_index[1]

    @property
    def _edge_index(self) -> tuple[dict[tuple[int, int], str], dict[int, str]]:
        if not hasattr(self, "_edge_index_cache"):
            ins, outs = {}, {}
            for spec, key in self._edges:
                if key[0] == "in":
                    ins[(key[1], key[2])] = spec.id
                elif key[0] == "out":
                    outs[key[1]] = spec.id
            self._edge_index_cache = (ins, outs)
        return self._edge_index_cache

    def _build(self, lang: str) -> list[dict[str, Any]]:
        """Frame 0 in full, then each frame's changes (nodes and edges)."""
        frames: list[dict[str, Any]] = []
        current: dict[str, Entry] = {}
        edge_now: dict[str, Entry] = {}
        idle = (states.EDGE_IDLE.css_class, "")
        touching: dict[str, list[EdgeSpec]] = {}
        for spec, _ in self._edges:
            touching.setdefault(spec.source, []).append(spec)
            touching.setdefault(spec.target, []).append(spec)
        hidden: set[str] = set()
        previous_flows: dict[str, Entry] = {}
        position = {spec.id: i for i, (spec, _) in enumerate(self._edges)}
        for t in range(len(self.timeline)):
            entries = self._entries_at(t, lang, only_changes=t > 0)
            changed = {nid: e for nid, e in entries.items() if current.get(nid) != e}
            current.update(changed)
            flows = self._edge_entries(t)
            if t == 0:
                candidates = [spec for spec, _ in self._edges]
            else:
                # the edges that carry something now or did a frame ago, in drawing order
                ids = sorted(set(flows) | set(previous_flows), key=position.__getitem__)
                candidates = [self._edges[position[i]][0] for i in ids]
            for nid, (cls, _) in changed.items():
                if ("hidden" in cls.split()) != (nid in hidden):
                    hidden.symmetric_difference_update({nid})
                    candidates.extend(touching.get(nid, ()))
            edges: dict[str, Entry] = {}
            for spec in candidates:
                entry = flows.get(spec.id, idle)
                if spec.source in hidden or spec.target in hidden:
                    entry = (_classes(states.EDGE_IDLE.css_class, "hidden"), "")
                if edge_now.get(spec.id) != entry:
                    edges[spec.id] = entry
            edge_now.update(edges)
            previous_flows = flows
            frames.append({"n": changed if t else dict(current), "e": edges})
        return frames

    # --- reading frames ---------------------------------------------------------------------
    @property
    def n_frames(self) -> int:
        """Frames in the timeline (forward ones first, when asked for)."""
        return len(self.timeline)

    def frame_state(self, t: int) -> tuple[dict[str, Entry], dict[str, Entry]]:
        """Every node's and edge's (classes, text) at timeline frame ``t``."""
        if not 0 <= t < self.n_frames:
            raise IndexError(f"frame {t} is out of range: frames are 0..{self.n_frames - 1}")
        nodes, edges = {}, {}
        for frame in self._frames[:t + 1]:
            nodes.update(frame["n"])
            edges.update(frame["e"])
        return nodes, edges

    def delta(self, t: int) -> dict[str, dict[str, Entry]]:
        """What frame ``t`` changes relative to frame ``t - 1`` (frame 0: everything)."""
        return {"nodes": dict(self._frames[t]["n"]), "edges": dict(self._frames[t]["e"])}

    def caption(self, t: int) -> str:
        """One sentence saying what timeline frame ``t`` shows."""
        info = self.timeline[t]
        if info.phase == "backward":
            return self.replay.caption(info.step, self.lang)
        names: list[str] = []
        generation = None
        if info.step > 0:
            fs = self._forward_order[info.step - 1]
            generation = fs[0].generation
            names = [type(f).label for f in fs]
        return frame_caption(info.phase, info.step, info.steps, generation, names, self.lang)

    @property
    def _drawn_functions(self) -> set[int]:
        if not hasattr(self, "_drawn_functions_cache"):
            self._drawn_functions_cache = {f.index for f in self.drawing.functions}
        return self._drawn_functions_cache

    def explanation(self, t: int) -> list[str]:
        """The chain rule of the step timeline frame ``t`` shows, with the numbers (backward
        frames after the first; at most :data:`MAX_EXPLAIN_LINES` lines)."""
        info = self.timeline[t]
        if info.phase != "backward" or info.step == 0:
            return []
        if self.drawing.summary is not None and not any(
                call.function.index in self._drawn_functions
                for call in self.replay.steps[info.step - 1].calls):
            return [t_("step_not_drawn", self.lang)]  # its nodes are in the summary node
        lines = self.replay.explain(info.step, self.lang)
        if len(lines) > MAX_EXPLAIN_LINES:
            more = len(lines) - MAX_EXPLAIN_LINES + 1
            lines = lines[:MAX_EXPLAIN_LINES - 1] + [f"… (+{more})"]
        return lines

    def legend(self) -> list[tuple[str, str, str, str]]:
        """(kind, classes, text, phase) for each state that occurs in this scene, in a fixed
        order; phase is "f" or "b" for states of one pass only, "" for both."""
        seen: set[str] = set()
        for frame in self._frames:
            for cls, _ in frame["n"].values():
                seen.update(cls.split())
            for cls, _ in frame["e"].values():
                seen.update(cls.split())
        out = []
        for s in (*states.FUNCTION_STATES, *states.VARIABLE_STATES, states.CONSTANT):
            if s.css_class in seen:
                kind = "fn" if s.kind == "function" else "var"
                out.append((kind, s.css_class, s.legend_text(self.lang), _PHASE_OF.get(s, "")))
        for order in sorted(states.ORDER_FILLS):
            if f"o{order}" in seen or f"b{order}" in seen:
                out.append(("fn", f"o{order}",
                            states.ORDER_LEGEND[self.lang].format(order=order), ""))
        if "trouble" in seen:
            out.append(("var", "trouble", states.TROUBLE_LEGEND[self.lang], ""))
        for s in (states.EDGE_GRAD, states.EDGE_VALUE):
            if s.css_class in seen:
                out.append(("edge", s.css_class, s.legend_text(self.lang), _PHASE_OF[s]))
        return out

    # --- the player's data -----------------------------------------------------------------
    def _make_payload(self) -> dict[str, Any]:
        lay = self.layout
        kinds = self.node_kinds
        nodes, edges = _node_rows(lay, kinds), _edge_rows(lay)
        # Tuples of text and numbers, not lists (the same JSON): a shared server keeps many
        # scenes, and Python's cycle collector skips such tuples but walks every list: made of
        # lists, the six benchmark scenes were 74,000 more objects in every full collection.
        frames = []
        for t, frame in enumerate(self._frames):
            info = self.timeline[t]
            frames.append({"p": info.phase[0], "k": info.step, "c": self.caption(t),
                           "x": tuple(self.explanation(t)),
                           "n": frame["n"], "e": frame["e"]})  # never changed: shared
        data = {
            "v": 1, "lang": self.lang, "title": self.title or "",
            "width": lay.width, "height": lay.height, "font": FONT_PT,
            "edgeFont": EDGE_FONT_PT, "rankdir": lay.rankdir,
            "nodes": nodes, "edges": edges, "frames": frames,
            "start": self._backward_start,
            "legend": tuple(self.legend()),
            "words": player_words(self.lang), "notice": self._notice(lay),
            # the states the player keeps in view, in order: running, else queued
            "follow": tuple(state.css_class for state in states.FOLLOW),
        }
        if self.groups:
            data["groups"] = _group_rows(self.groups, lay, short_names(self.drawing), self.lang)
        if self.collapsed:
            data["collapsed"] = tuple(g.id for g in self.collapsed)
        if self.narrow_layout is not None:
            alt = self.narrow_layout
            data["alt"] = {"rankdir": alt.rankdir, "width": alt.width, "height": alt.height,
                           "nodes": _node_rows(alt, kinds), "edges": _edge_rows(alt)}
            if self.groups:
                data["alt"]["groups"] = _group_rows(self.groups, alt, short_names(self.drawing),
                                                    self.lang)
        data["id"] = hashlib.blake2b(json.dumps(data, sort_keys=True).encode(),
                                     digest_size=8).hexdigest()
        return data

    def _notice(self, lay: Layout) -> str:
        """What the player says above the graph: a big graph's summary, the replay's word
        (a grad of the wrong shape, a pass that cannot be stepped), a simpler layout."""
        parts = [self.replay.notice, self.drawing.notice] if self.notices else []
        parts.append(lay.notice)
        return " · ".join(p for p in parts if p)

    def to_json(self, upto: int | None = None) -> str:
        """The payload as compact JSON text (made once; a scene never changes). ``upto``:
        only timeline frames 0..upto (a quiz must not send the answers ahead)."""
        if upto is not None and upto < self.n_frames - 1:
            data = dict(self.payload())
            data["frames"] = data["frames"][:max(0, upto) + 1]
            data["id"] = f"{data['id']}-{max(0, upto)}"
            return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        if self._json is None:
            self._json = json.dumps(self.payload(), ensure_ascii=False, separators=(",", ":"))
        return self._json

    @property
    def scene_id(self) -> str:
        """A digest of the payload: equal scenes have equal ids."""
        if self._id is None:
            self._id = self.payload()["id"]
        return self._id

    def payload(self) -> dict[str, Any]:
        """Plain JSON-able data for the player (see viz/player/player.js), made once."""
        if self._payload is None:
            self._payload = self._make_payload()
        return self._payload

    # --- drawing a frame on the server -------------------------------------------------------
    def svg(self, t: int, *, legend: bool = True, caption: bool = True) -> str:
        """Frame ``t`` as a standalone SVG (the player's picture, drawn on the server)."""
        from viz.render.scene_svg import frame_svg

        return frame_svg(self, t, legend=legend, caption=caption)


# States that belong to one pass only (the legend shows them in that pass).
_PHASE_OF = {states.WAITING: "f", states.NO_VALUE: "f", states.VALUE: "f",
             states.EDGE_VALUE: "f", states.NOT_REACHED: "b", states.QUEUED: "b",
             states.NO_GRAD: "b", states.PARTIAL: "b", states.FINAL: "b", states.FREED: "b",
             states.EDGE_GRAD: "b"}


def _node_rows(lay: Layout, kinds: dict[str, tuple[str, str]]) -> tuple[tuple, ...]:
    return tuple((nid, kinds[nid][0], b.x, b.y, b.w, b.h, kinds[nid][1])
                 for nid, b in lay.nodes.items())


def _group_rows(groups: list[Group], lay: Layout, names: dict[str, str],
                lang: str) -> tuple[tuple, ...]:
    """(id, label, x, y, w, h, collapsed box text, member ids, depth) per placed group."""
    return tuple((g.id, g.label, *lay.clusters[g.id], "\n".join(box_lines(g, names, lang)),
                  tuple(g.members), len(g.path)) for g in groups if g.id in lay.clusters)


def _edge_rows(lay: Layout) -> tuple[tuple, ...]:
    return tuple((e.id, e.source, e.target, e.d, tuple(tuple(p) for p in e.arrow), e.label,
                  tuple(e.label_at) if e.label_at else None, tuple(e.mid)) for e in lay.edges)


def _forward_generations(replay: BackwardReplay, drawing: Drawing) -> list[list[Function]]:
    """Drawn functions of the pass grouped by generation, oldest first: the forward steps."""
    by_gen: dict[int, list[Function]] = {}
    for f in drawing.functions:
        if replay.in_pass(f):
            by_gen.setdefault(f.generation, []).append(f)
    return [by_gen[g] for g in sorted(by_gen)]


def _edge_specs(drawing: Drawing, replay: BackwardReplay
                ) -> list[tuple[EdgeSpec, tuple]]:
    """Every drawn edge with a stable id, in a fixed order, and what it stands for."""
    graph = drawing.graph
    var_ids, fn_ids = graph._var_ids, graph._fn_ids
    drawn = {v.index for v in drawing.variables}
    out: list[tuple[EdgeSpec, tuple]] = []

    def add(source: str, target: str, key: tuple, label: str = "",
            constraint: bool = True) -> None:
        out.append((EdgeSpec(f"e{len(out)}", source, target, label, constraint), key))

    hubs = drawing.hubs
    for f in drawing.functions:
        fid = fn_ids[f.index]
        operands = not type(f).commutative and len(f.inputs) > 1
        for i, x in enumerate(f.inputs):
            if x.index in drawn and not (hubs and drawing.hidden_edge(x, f)):
                add(var_ids[x.index], fid, ("in", f.index, i), f"x{i}" if operands else "")
        for ref in f.outputs:
            y = ref()
            if y is not None and y.index in drawn:
                add(fid, var_ids[y.index], ("out", f.index))
    for chain in drawing.chains:
        add(var_ids[chain.source.index], chain.node_id, ("chain_in",))
        add(chain.node_id, var_ids[chain.target.index], ("chain_out",))
    if drawing.summary is not None:
        for v in drawing.summary.targets:
            add(drawing.summary.node_id, var_ids[v.index], ("summary",))
    for g, v in replay.grad_links:
        if g is not v and g.index in drawn and v.index in drawn:
            add(var_ids[g.index], var_ids[v.index], ("grad_of",), "grad of", constraint=False)
    return out
