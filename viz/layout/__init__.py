"""One layout per graph: node boxes and edge paths, computed once and shared by every frame.

(``engines`` runs Graphviz, the system's ``dot`` or its WebAssembly build in
``wasm_engine``; this module asks it for positions and falls back to a layered layout.)

Graphviz places the nodes (``-Tjson0``: positions only, no drawing), with settings
chosen for bounded time; every frame of a replay is then drawn over the same
:class:`Layout`, so nothing moves and no frame costs a Graphviz call.

Measured on a 2-core machine (``bench/bench_layout.py``; the README has the table):
network simplex over the virtual nodes of long edges is the cost, not spline
routing. An 80-term sum sharing ``x`` has ~13,000 virtual nodes; Graphviz's
default x-placement took 10 s (wasm) to 70 s (dot), and ``nslimit=0,
nslimit1=1`` (no x-placement refinement, one ranking pass) lays it out in
0.3-0.6 s with the same picture. Small graphs keep the defaults (best placement).

A layout that fails or passes its time limit falls back to :func:`layered_layout`
(pure Python, linear time, straight edges) and says so in ``Layout.notice``.
How Graphviz runs: the system ``dot`` in a subprocess (killed at the time
limit), else the WebAssembly build; with ``isolate=True`` (the app) the
WebAssembly build runs in a small process pool, so a long layout holds up no
other session, and at most :data:`MAX_PARALLEL` layouts run at once. Both run
at a lower CPU priority than the server (:data:`LAYOUT_NICENESS`).
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import shutil
import subprocess
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field

from viz.layout import wasm_engine
from viz.render.render_errors import RenderError

# Graphs above this many nodes get the bounded-time settings.
BOUNDED_ABOVE = 100
BOUNDED_ATTRS = "nslimit=0, nslimit1=1"
TIME_LIMIT_S = 10.0
MAX_PARALLEL = 2
# Graphviz runs at a lower CPU priority (Unix niceness): on a server with few cores, one
# student's big layout then takes the cores only when the class's clicks leave them free.
LAYOUT_NICENESS = 10
ENGINES = ("auto", "dot", "wasm", "layered")
POINTS_PER_INCH = 72.0


@dataclass(frozen=True)
class NodeSpec:
    """A node to place: its id, shape and fixed size in inches."""

    id: str
    shape: str  # "ellipse", "box", "box3d", "note"
    width: float
    height: float


@dataclass(frozen=True)
class EdgeSpec:
    """An edge to route: ids of its ends, an operand label ("x0") and whether it ranks."""

    id: str
    source: str
    target: str
    label: str = ""
    constraint: bool = True


@dataclass(frozen=True)
class ClusterSpec:
    """A group drawn around some nodes: its id, label, parent cluster and own node ids."""

    id: str
    label: str
    parent: str | None
    nodes: tuple[str, ...]


@dataclass(frozen=True)
class LayoutRequest:
    """Everything a layout depends on (hashable: layouts are cached by it)."""

    nodes: tuple[NodeSpec, ...]
    edges: tuple[EdgeSpec, ...]
    rankdir: str = "LR"
    clusters: tuple[ClusterSpec, ...] = ()

    def dot(self) -> str:
        """The DOT text Graphviz lays out: sizes fixed, no label text on the nodes."""
        attrs = ["rankdir=" + self.rankdir, "nodesep=0.3", "ranksep=0.4"]
        if len(self.nodes) > BOUNDED_ABOVE:
            attrs.append(BOUNDED_ATTRS)
        out = ["digraph layout {", f"  graph [{', '.join(attrs)}];",
               '  node [label="", fixedsize=true, margin=0];',
               '  edge [fontname="Helvetica", fontsize=10, arrowsize=0.8];']
        for n in self.nodes:
            out.append(f'  {n.id} [id="{n.id}", shape={n.shape}, width={n.width:.3f}, '
                       f"height={n.height:.3f}];")
        for e in self.edges:
            extra = f', label="{e.label}"' if e.label else ""
            if not e.constraint:
                extra += ", constraint=false"
            out.append(f'  {e.source} -> {e.target} [id="{e.id}"{extra}];')
        out.extend(self._cluster_lines())
        out.append("}")
        return "\n".join(out) + "\n"

    def _cluster_lines(self) -> list[str]:
        """The clusters' blocks; each label reserves its room in the layout."""
        def attrs(c: ClusterSpec) -> str:
            label = c.label.replace("\\", "\\\\").replace('"', '\\"')
            return f'label="{label}", fontsize=12, labeljust=l, margin=10'

        return cluster_blocks(self.clusters, attrs)


def cluster_blocks(clusters: Sequence[ClusterSpec], attrs: Callable[[ClusterSpec], str]
                   ) -> list[str]:
    """DOT ``subgraph cluster_<id>`` blocks nested by ``parent`` (parents listed before
    their children), each with ``graph [attrs(cluster)]`` and its own nodes; no recursion."""
    children: dict[str | None, list[ClusterSpec]] = {}
    for c in clusters:
        children.setdefault(c.parent, []).append(c)
    out: list[str] = []
    # an explicit stack of clusters to open (with their depth) and of depths to close
    stack: list[tuple[ClusterSpec, int] | int] = [(c, 1) for c in reversed(children.get(None, []))]
    while stack:
        item = stack.pop()
        if isinstance(item, int):
            out.append("  " * item + "}")
            continue
        c, depth = item
        pad = "  " * depth
        out.append(f"{pad}subgraph cluster_{c.id} {{")
        out.append(f"{pad}  graph [{attrs(c)}];")
        if c.nodes:
            out.append(f"{pad}  {'; '.join(c.nodes)};")
        stack.append(depth)
        stack.extend((k, depth + 1) for k in reversed(children.get(c.id, [])))
    return out


@dataclass(frozen=True)
class NodeBox:
    """A placed node: centre and size in points (y grows downwards, as in SVG)."""

    id: str
    shape: str
    x: float
    y: float
    w: float
    h: float


@dataclass(frozen=True)
class EdgePath:
    """A routed edge: an SVG path, its arrowhead, its operand label and a middle point."""

    id: str
    source: str
    target: str
    d: str
    arrow: tuple[tuple[float, float], ...]
    label: str
    label_at: tuple[float, float] | None
    mid: tuple[float, float]


@dataclass(frozen=True)
class Layout:
    """Where everything goes, in points; the same for every frame of a graph."""

    width: float
    height: float
    nodes: dict[str, NodeBox]
    edges: tuple[EdgePath, ...]
    engine: str
    seconds: float = field(compare=False)  # how long it took (not part of the picture)
    notice: str | None = None
    rankdir: str = "LR"
    # group id -> (x, y, w, h) of its cluster, top-left corner, in points
    clusters: dict[str, tuple[float, float, float, float]] = field(default_factory=dict)


class LayoutError(RenderError):
    """Graphviz could not lay the graph out (and no fallback was allowed)."""


_COUNT_LOCK = threading.Lock()
_counts = {"layouts": 0}


def layouts_made() -> int:
    """How many layouts this process has computed (tests: one per pass, never per frame)."""
    return _counts["layouts"]


def _count() -> None:
    with _COUNT_LOCK:
        _counts["layouts"] += 1


# --- running Graphviz ------------------------------------------------------------------------
_SLOTS = threading.BoundedSemaphore(MAX_PARALLEL)
_POOL_LOCK = threading.Lock()
_pool: dict[str, ProcessPoolExecutor] = {}


def _lower_priority(pid: int = 0) -> None:
    """Make process ``pid`` (0: this one) :data:`LAYOUT_NICENESS` nicer than this one,
    where the OS has niceness (not Windows); a process that already ended is left."""
    with contextlib.suppress(AttributeError, OSError):
        mine = os.getpriority(os.PRIO_PROCESS, 0)
        os.setpriority(os.PRIO_PROCESS, pid, min(19, mine + LAYOUT_NICENESS))


def _pool_executor() -> ProcessPoolExecutor:
    import multiprocessing

    with _POOL_LOCK:
        if "pool" not in _pool:
            _pool["pool"] = ProcessPoolExecutor(
                max_workers=MAX_PARALLEL, mp_context=multiprocessing.get_context("spawn"),
                initializer=_lower_priority)
        return _pool["pool"]


def _reset_pool() -> None:
    with _POOL_LOCK:
        pool = _pool.pop("pool", None)
    if pool is not None:
        pool.shutdown(wait=False, cancel_futures=True)


def shutdown() -> None:
    """Stop the layout worker processes (they start again when needed)."""
    _reset_pool()


def _wasm_json(dot: str, timeout: float) -> bytes:
    """Run in a worker process: the WebAssembly Graphviz's json0 output."""
    return wasm_engine.render(dot, "json0", timeout=timeout)


def _graphviz_json(dot: str, engine: str, timeout: float, isolate: bool) -> tuple[bytes, str]:
    """json0 text of ``dot`` and the engine that made it ("dot" or "wasm")."""
    exe = shutil.which("dot")
    use = engine if engine != "auto" else ("dot" if exe else "wasm")
    if use == "dot":
        if exe is None:
            raise LayoutError("Graphviz 'dot' is not on PATH")
        with subprocess.Popen([exe, "-Tjson0"], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE) as proc:
            _lower_priority(proc.pid)
            try:
                out, err = proc.communicate(dot.encode("utf-8"), timeout=timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.communicate()
                raise LayoutError(f"Graphviz dot took longer than {timeout:g} s") from None
        if proc.returncode != 0:
            raise LayoutError("Graphviz dot failed: "
                              + err.decode("utf-8", "replace").strip()[:300])
        return out, "dot"
    if not wasm_engine.available():
        raise LayoutError("no Graphviz engine is available (neither 'dot' nor the wasm build)")
    if not isolate:
        return wasm_engine.render(dot, "json0", timeout=timeout), "wasm"
    try:
        future = _pool_executor().submit(_wasm_json, dot, timeout)
        return future.result(timeout=timeout + 15.0), "wasm"
    except BrokenProcessPool:
        _reset_pool()
        raise LayoutError("the layout worker stopped unexpectedly") from None
    except TimeoutError:
        _reset_pool()
        raise LayoutError(f"Graphviz took longer than {timeout:g} s") from None


def _points(text: str) -> list[tuple[float, float]]:
    out = []
    for part in text.split():
        x, _, y = part.partition(",")
        out.append((float(x), float(y)))
    return out


def _bezier_mid(p: list[tuple[float, float]]) -> tuple[float, float]:
    """The point halfway along a chain of cubic Bezier segments (by segment, t = 0.5)."""
    segments = max(1, (len(p) - 1) // 3)
    i = 3 * (segments // 2)
    if len(p) < 4:
        return ((p[0][0] + p[-1][0]) / 2, (p[0][1] + p[-1][1]) / 2)
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = p[i:i + 4]
    t = 0.5 if segments % 2 else 0.0
    u = 1 - t
    return (u**3 * x0 + 3 * u * u * t * x1 + 3 * u * t * t * x2 + t**3 * x3,
            u**3 * y0 + 3 * u * u * t * y1 + 3 * u * t * t * y2 + t**3 * y3)


def _arrow(tip: tuple[float, float], base: tuple[float, float],
           width: float = 3.5) -> tuple[tuple[float, float], ...]:
    dx, dy = tip[0] - base[0], tip[1] - base[1]
    length = math.hypot(dx, dy) or 1.0
    nx, ny = -dy / length * width, dx / length * width
    return ((round(tip[0], 1), round(tip[1], 1)), (round(base[0] + nx, 1), round(base[1] + ny, 1)),
            (round(base[0] - nx, 1), round(base[1] - ny, 1)))


def _fmt(p: tuple[float, float]) -> str:
    return f"{p[0]:.1f},{p[1]:.1f}"


def parse_json0(text: bytes | str, request: LayoutRequest, engine: str,
                seconds: float) -> Layout:
    """A :class:`Layout` from Graphviz's ``-Tjson0`` output (y flipped to grow downwards)."""
    data = json.loads(text)
    llx, lly, urx, ury = (float(v) for v in data["bb"].split(","))

    def flip(p: tuple[float, float]) -> tuple[float, float]:
        return (p[0] - llx, ury - p[1])

    specs = {n.id: n for n in request.nodes}
    by_gvid: dict[int, str] = {}
    nodes: dict[str, NodeBox] = {}
    for obj in data.get("objects", ()):
        nid = obj.get("id") or obj.get("name")
        if nid not in specs or "pos" not in obj:
            continue
        by_gvid[obj["_gvid"]] = nid
        x, y = flip(_points(obj["pos"])[0])
        spec = specs[nid]
        nodes[nid] = NodeBox(nid, spec.shape, round(x, 1), round(y, 1),
                             round(spec.width * POINTS_PER_INCH, 1),
                             round(spec.height * POINTS_PER_INCH, 1))
    clusters: dict[str, tuple[float, float, float, float]] = {}
    wanted_clusters = {f"cluster_{c.id}": c.id for c in request.clusters}
    for obj in data.get("objects", ()):
        cid = wanted_clusters.get(obj.get("name", ""))
        if cid is not None and "bb" in obj:
            x0, y0, x1, y1 = (float(v) for v in obj["bb"].split(","))
            (ax, ay), (bx, by) = flip((x0, y1)), flip((x1, y0))
            clusters[cid] = (round(ax, 1), round(ay, 1), round(bx - ax, 1), round(by - ay, 1))
    missing = set(specs) - set(nodes)
    if missing:
        raise LayoutError(f"Graphviz placed no position for {len(missing)} node(s)")
    wanted = {e.id: e for e in request.edges}
    edges = []
    for raw in data.get("edges", ()):
        spec = wanted.get(raw.get("id"))
        if spec is None or "pos" not in raw:
            continue
        tip = None
        parts = []
        for part in raw["pos"].split():
            if part.startswith("e,"):
                tip = flip(_points(part[2:])[0])
            elif not part.startswith("s,"):
                parts.append(part)
        pts = [flip(p) for p in _points(" ".join(parts))]
        if not pts:
            continue
        d = "M" + _fmt(pts[0]) + "".join(
            "C" + " ".join(_fmt(q) for q in pts[i:i + 3]) for i in range(1, len(pts) - 2, 3))
        arrow = _arrow(tip, pts[-1]) if tip is not None else ()
        label_at = flip(_points(raw["lp"])[0]) if raw.get("lp") else None
        edges.append(EdgePath(spec.id, spec.source, spec.target, d, arrow, spec.label,
                              None if label_at is None else (round(label_at[0], 1),
                                                             round(label_at[1], 1)),
                              tuple(round(c, 1) for c in _bezier_mid(pts))))
    order = {e.id: i for i, e in enumerate(request.edges)}
    edges.sort(key=lambda e: order[e.id])
    if len(edges) != len(request.edges):
        edges = _complete_edges(edges, request, nodes)
    if len(clusters) != len(request.clusters):
        clusters = _cluster_boxes(request, nodes)
    return Layout(round(urx - llx, 1), round(ury - lly, 1), nodes, tuple(edges), engine,
                  seconds, None, request.rankdir, clusters)


def _cluster_boxes(request: LayoutRequest, nodes: dict[str, NodeBox]
                   ) -> dict[str, tuple[float, float, float, float]]:
    """Each cluster's box around its nodes (nested clusters' too) and a label's room, for
    layouts that did not place clusters themselves (the layered fallback)."""
    members: dict[str, list[str]] = {c.id: list(c.nodes) for c in request.clusters}
    for c in reversed(request.clusters):  # children come after parents: add them upwards
        if c.parent is not None and c.parent in members:
            members[c.parent].extend(members[c.id])
    out = {}
    for c in request.clusters:
        boxes = [nodes[n] for n in members[c.id] if n in nodes]
        if not boxes:
            continue
        x0 = min(b.x - b.w / 2 for b in boxes) - 8
        y0 = min(b.y - b.h / 2 for b in boxes) - 22
        x1 = max(b.x + b.w / 2 for b in boxes) + 8
        y1 = max(b.y + b.h / 2 for b in boxes) + 8
        out[c.id] = (round(x0, 1), round(y0, 1), round(x1 - x0, 1), round(y1 - y0, 1))
    return out


def _complete_edges(edges: list[EdgePath], request: LayoutRequest,
                    nodes: dict[str, NodeBox]) -> list[EdgePath]:
    """Straight lines for any edge Graphviz did not route (never seen; kept total)."""
    have = {e.id for e in edges}
    extra = [_straight_edge(e, nodes) for e in request.edges if e.id not in have]
    order = {e.id: i for i, e in enumerate(request.edges)}
    return sorted(edges + extra, key=lambda e: order[e.id])


# --- the fallback: a layered layout in pure Python ------------------------------------------
def _boundary(box: NodeBox, toward: tuple[float, float]) -> tuple[float, float]:
    """Where the segment from ``box``'s centre toward a point leaves the node."""
    dx, dy = toward[0] - box.x, toward[1] - box.y
    if dx == 0 and dy == 0:
        return (box.x, box.y)
    a, b = box.w / 2, box.h / 2
    if box.shape == "ellipse":
        s = 1 / math.sqrt((dx / a) ** 2 + (dy / b) ** 2)
    else:
        s = min(a / abs(dx) if dx else math.inf, b / abs(dy) if dy else math.inf)
    return (box.x + dx * s, box.y + dy * s)


def _straight_edge(e: EdgeSpec, nodes: dict[str, NodeBox]) -> EdgePath:
    a, b = nodes[e.source], nodes[e.target]
    start, tip = _boundary(a, (b.x, b.y)), _boundary(b, (a.x, a.y))
    length = math.hypot(tip[0] - start[0], tip[1] - start[1]) or 1.0
    back = min(8.0, length / 3)
    base = (tip[0] - (tip[0] - start[0]) / length * back,
            tip[1] - (tip[1] - start[1]) / length * back)
    mid = ((start[0] + tip[0]) / 2, (start[1] + tip[1]) / 2)
    return EdgePath(e.id, e.source, e.target, f"M{_fmt(start)}L{_fmt(base)}",
                    _arrow(tip, base), e.label,
                    (round(mid[0], 1), round(mid[1] - 8, 1)) if e.label else None,
                    (round(mid[0], 1), round(mid[1], 1)))


def layered_layout(request: LayoutRequest, notice: str | None = None) -> Layout:
    """A simple layered layout: rank = longest path from a source, order by barycentre.

    Linear in the graph's size (plus two ordering sweeps): never slow, never
    fails. Edges are straight lines. Used when Graphviz is too slow or missing.
    """
    start = time.perf_counter()
    specs = {n.id: n for n in request.nodes}
    ranking = [e for e in request.edges if e.constraint and e.source != e.target]
    succ: dict[str, list[str]] = {n: [] for n in specs}
    pred: dict[str, list[str]] = {n: [] for n in specs}
    indeg = dict.fromkeys(specs, 0)
    for e in ranking:
        succ[e.source].append(e.target)
        pred[e.target].append(e.source)
        indeg[e.target] += 1
    rank = dict.fromkeys(specs, 0)
    ready = [n for n in specs if indeg[n] == 0]
    seen = 0
    while ready:
        n = ready.pop()
        seen += 1
        for m in succ[n]:
            rank[m] = max(rank[m], rank[n] + 1)
            indeg[m] -= 1
            if indeg[m] == 0:
                ready.append(m)
    layers: dict[int, list[str]] = {}
    for n in specs:  # creation order first: deterministic
        layers.setdefault(rank[n], []).append(n)
    position = {n: float(i) for layer in layers.values() for i, n in enumerate(layer)}
    for sweep in range(4):  # barycentre ordering, down then up
        ranks = sorted(layers) if sweep % 2 == 0 else sorted(layers, reverse=True)
        for r in ranks:
            layer = layers[r]
            near = pred if sweep % 2 == 0 else succ

            def key(n: str, near: dict = near) -> float:
                ps = [position[m] for m in near[n]]
                return sum(ps) / len(ps) if ps else position[n]

            layer.sort(key=key)
            for i, n in enumerate(layer):
                position[n] = float(i)
    horizontal = request.rankdir in ("LR", "RL")
    gap_rank, gap_node = 0.4 * POINTS_PER_INCH, 0.3 * POINTS_PER_INCH
    boxes: dict[str, NodeBox] = {}
    along = 0.0
    across_max = 0.0
    for r in sorted(layers):
        layer = layers[r]
        depth = max((specs[n].width if horizontal else specs[n].height) for n in layer)
        depth *= POINTS_PER_INCH
        across = 0.0
        for n in layer:
            s = specs[n]
            w, h = s.width * POINTS_PER_INCH, s.height * POINTS_PER_INCH
            size = h if horizontal else w
            c_along, c_across = along + depth / 2, across + size / 2
            x, y = (c_along, c_across) if horizontal else (c_across, c_along)
            boxes[n] = NodeBox(n, s.shape, round(x + 4, 1), round(y + 4, 1), round(w, 1),
                               round(h, 1))
            across += size + gap_node
        across_max = max(across_max, across)
        along += depth + gap_rank
    width, height = (along, across_max) if horizontal else (across_max, along)
    if request.rankdir in ("RL", "BT"):
        boxes = {n: NodeBox(b.id, b.shape, width - b.x if horizontal else b.x,
                            b.y if horizontal else height - b.y, b.w, b.h)
                 for n, b in boxes.items()}
    edges = tuple(_straight_edge(e, boxes) for e in request.edges)
    return Layout(round(width + 8, 1), round(height + 8, 1), boxes, edges, "layered",
                  time.perf_counter() - start, notice, request.rankdir,
                  _cluster_boxes(request, boxes))


# --- the entry point -------------------------------------------------------------------------
def lay_out(request: LayoutRequest, *, engine: str = "auto", timeout: float = TIME_LIMIT_S,
            isolate: bool = False, fallback: bool = True) -> Layout:
    """Place ``request``'s nodes and route its edges, once.

    ``engine``: "auto" (system dot if on PATH, else the WebAssembly Graphviz),
    "dot", "wasm", or "layered" (the pure-Python layout). ``timeout`` bounds
    Graphviz; ``isolate`` runs the WebAssembly engine in a worker process. On
    failure or timeout the layered layout is used with a ``notice`` saying why
    (``fallback=False`` raises :class:`LayoutError` instead).
    """
    if engine not in ENGINES:
        raise ValueError(f"unknown layout engine {engine!r}; choose one of {', '.join(ENGINES)}")
    if request.rankdir not in ("LR", "TB", "RL", "BT"):
        raise ValueError(f"rankdir must be LR, TB, RL or BT, got {request.rankdir!r}")
    _count()
    if engine == "layered" or not request.nodes:
        return layered_layout(request)
    start = time.perf_counter()
    try:
        with _SLOTS:
            text, used = _graphviz_json(request.dot(), engine, timeout, isolate)
        return parse_json0(text, request, used, time.perf_counter() - start)
    except (RenderError, ValueError, KeyError, OSError) as exc:
        if not fallback:
            raise exc if isinstance(exc, LayoutError) else LayoutError(str(exc)) from None
        reason = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        return layered_layout(request, notice=f"simpler layout used: {reason}")
