"""viz.layout: one Graphviz layout per graph, bounded settings for big graphs, a pure-Python
fallback that always answers, and a worker pool so a long layout holds up nobody."""

from __future__ import annotations

import os
import shutil

import numpy as np
import pytest
from viz_helpers import diamond, goldstein

import viz
from autograd_core import Variable
from exprlang.engine import build_graph
from viz import layout as lay
from viz.player.scene import Scene

SUM80 = " + ".join(f"{i}*x" for i in range(1, 81))
ENGINES = [e for e, ok in (("wasm", lay.wasm_engine.available()), ("dot", shutil.which("dot")))
           if ok]


def _request(y: Variable, rankdir: str = "LR") -> lay.LayoutRequest:
    return Scene(viz.BackwardReplay(y), engine="layered").layout_request(rankdir)


def _no_overlaps(layout: lay.Layout) -> None:
    boxes = list(layout.nodes.values())
    for i, a in enumerate(boxes):
        assert a.x - a.w / 2 + 0.5 >= 0 and a.x + a.w / 2 <= layout.width + 0.5, a
        for b in boxes[i + 1:]:
            apart_x = abs(a.x - b.x) >= (a.w + b.w) / 2 - 0.5
            apart_y = abs(a.y - b.y) >= (a.h + b.h) / 2 - 0.5
            assert apart_x or apart_y, (a, b)


def test_big_graphs_get_the_bounded_settings_small_ones_the_defaults():
    _, small = diamond()
    assert lay.BOUNDED_ATTRS not in _request(small).dot()
    big = build_graph(SUM80, {"x": "0.5"}).output
    request = _request(big)
    assert len(request.nodes) > lay.BOUNDED_ABOVE and lay.BOUNDED_ATTRS in request.dot()
    assert 'label=""' in request.dot()  # node text never reaches Graphviz: sizes are fixed


@pytest.mark.parametrize("engine", ENGINES)
def test_graphviz_places_every_node_and_routes_every_edge(engine):
    _, z = goldstein()
    request = _request(z)
    first = lay.lay_out(request, engine=engine, fallback=False)
    assert first.engine == engine and first.notice is None
    assert set(first.nodes) == {n.id for n in request.nodes}
    assert [e.id for e in first.edges] == [e.id for e in request.edges]
    assert all(e.d.startswith("M") and len(e.arrow) == 3 for e in first.edges)
    _no_overlaps(first)
    assert lay.lay_out(request, engine=engine) == first  # deterministic


@pytest.mark.parametrize("engine", ENGINES)
def test_the_80_term_sum_lays_out_with_either_engine(engine):
    y = build_graph(SUM80, {"x": "0.5"}).output
    layout = lay.lay_out(_request(y), engine=engine, fallback=False, timeout=60)
    assert len(layout.nodes) == 399 and layout.notice is None


def test_a_layout_past_its_time_limit_falls_back_with_a_notice(monkeypatch):
    def too_slow(dot, engine, timeout, isolate):
        raise lay.LayoutError(f"Graphviz took longer than {timeout:g} s")

    monkeypatch.setattr(lay, "_graphviz_json", too_slow)
    _, z = goldstein()
    request = _request(z)
    layout = lay.lay_out(request, timeout=0.5)
    assert layout.engine == "layered" and "longer than 0.5 s" in layout.notice
    assert set(layout.nodes) == {n.id for n in request.nodes}
    _no_overlaps(layout)
    with pytest.raises(lay.LayoutError, match="longer than"):
        lay.lay_out(request, fallback=False)


@pytest.mark.skipif(not lay.wasm_engine.available(), reason="the wasm Graphviz is not installed")
def test_a_real_timeout_of_the_wasm_engine_is_caught():
    y = build_graph(" + ".join(["sin(x)"] * 130), {"x": "0.5"}).output  # > 60 s unbounded
    request = _request(y)
    slow = lay.LayoutRequest(request.nodes, request.edges, request.rankdir)
    unbounded = slow.dot().replace(lay.BOUNDED_ATTRS, "")
    with pytest.raises(viz.RenderError, match="longer than"):
        lay.wasm_engine.render(unbounded, "json0", timeout=0.3)
    assert lay.wasm_engine.render("digraph { a }", "json0", timeout=5)  # usable again


@pytest.mark.parametrize("rankdir", ["LR", "TB"])
def test_the_layered_fallback_is_complete_and_tidy(rankdir):
    _, z = goldstein()
    request = _request(z, rankdir)
    layout = lay.layered_layout(request)
    assert set(layout.nodes) == {n.id for n in request.nodes}
    assert len(layout.edges) == len(request.edges)
    _no_overlaps(layout)
    x = {n: b.x for n, b in layout.nodes.items()}
    y = {n: b.y for n, b in layout.nodes.items()}
    along = x if rankdir == "LR" else y
    for e in request.edges:  # every edge points forward
        assert along[e.target] > along[e.source]


def test_a_100000_node_chain_gets_a_layered_layout_quickly():
    nodes = tuple(lay.NodeSpec(f"v{i}", "ellipse", 0.8, 0.4) for i in range(100_000))
    edges = tuple(lay.EdgeSpec(f"e{i}", f"v{i}", f"v{i + 1}") for i in range(99_999))
    layout = lay.layered_layout(lay.LayoutRequest(nodes, edges))
    assert len(layout.nodes) == 100_000


@pytest.mark.skipif(not lay.wasm_engine.available(), reason="the wasm Graphviz is not installed")
def test_the_worker_pool_gives_the_in_process_layout():
    _, y = diamond()
    request = _request(y)
    try:
        assert lay.lay_out(request, engine="wasm", isolate=True) == lay.lay_out(
            request, engine="wasm")
    finally:
        lay.shutdown()


def test_bad_options_are_refused():
    _, y = diamond()
    with pytest.raises(ValueError, match="unknown layout engine"):
        lay.lay_out(_request(y), engine="neato")
    with pytest.raises(ValueError, match="rankdir"):
        lay.lay_out(lay.LayoutRequest((), (), "XY"))


def test_an_empty_graph_and_a_leaf():
    x = Variable(np.array(1.0), name="x")
    scene = Scene(viz.BackwardReplay(x))
    assert list(scene.layout.nodes) == ["v0"] and scene.n_frames == 1
    assert "Nothing to backpropagate" in scene.caption(0)


needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz dot not on PATH")
needs_niceness = pytest.mark.skipif(not hasattr(os, "getpriority"), reason="no niceness here")


@needs_dot
@needs_niceness
def test_the_dot_process_runs_nicer_than_the_server(monkeypatch):
    """A big layout takes the cores only when the class's clicks leave them free."""
    seen = []
    real = lay._lower_priority

    def check(pid: int = 0) -> None:
        real(pid)  # dot is still waiting for its input here, so it is alive to ask
        seen.append(os.getpriority(os.PRIO_PROCESS, pid))

    monkeypatch.setattr(lay, "_lower_priority", check)
    _, z = goldstein()
    layout = lay.lay_out(_request(z), engine="dot", fallback=False)
    assert layout.engine == "dot" and layout.nodes
    assert seen == [min(19, os.getpriority(os.PRIO_PROCESS, 0) + lay.LAYOUT_NICENESS)]


@needs_dot
def test_a_dot_process_past_its_time_limit_is_stopped():
    y = build_graph(SUM80, {"x": "0.5"}).output
    dot = _request(y).dot().replace("nslimit=0, nslimit1=1", "")  # Graphviz's slow defaults
    with pytest.raises(lay.LayoutError, match="longer than 0.2 s"):
        lay._graphviz_json(dot, "dot", 0.2, isolate=False)


@needs_niceness
@pytest.mark.skipif(not lay.wasm_engine.available(), reason="no wasm Graphviz")
def test_the_layout_workers_run_nicer_than_the_server():
    worker = lay._pool_executor().submit(os.getpriority, os.PRIO_PROCESS, 0).result(timeout=60)
    assert worker == min(19, os.getpriority(os.PRIO_PROCESS, 0) + lay.LAYOUT_NICENESS)
