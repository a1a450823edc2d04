"""The scene: one layout per graph, every frame a small delta over it.

Golden files pin the frames (states and text per node and edge, as deltas) and the
layout request (node sizes, edges) of the book's small graphs; property tests check
on random graphs that applying the deltas reproduces what BackwardReplay reports at
every step; a counter proves a whole pass costs one layout.
"""

from __future__ import annotations

import gc
import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_replay_properties import _build, programs
from viz_helpers import chain, check_golden, diamond, goldstein, x_plus_x

import viz
from autograd_core import Variable, exp, mul, sin, square, variable_origin
from viz import layout as layout_module
from viz.model import states
from viz.player.scene import Scene

EXAMPLES = {"chain": chain, "diamond": diamond, "x_plus_x": x_plus_x}


def _golden_text(scene: Scene) -> str:
    """Everything of a scene but coordinates (they depend on the Graphviz version), a line
    per node, edge and change: node sizes, edges, then each frame's caption and delta."""
    request = scene.layout_request("LR")
    out = [f"node {n.id} {n.shape} {n.width:.2f}x{n.height:.2f}" for n in request.nodes]
    out += [f"edge {e.id} {e.source}->{e.target} {e.label!r}" for e in request.edges]
    out += [f"legend {kind} {cls} {phase or '-'} {text}"
            for kind, cls, text, phase in scene.legend()]
    for t in range(scene.n_frames):
        info = scene.timeline[t]
        out.append(f"frame {t} {info.phase} {info.step}/{info.steps}: {scene.caption(t)}")
        out += [f"  rule: {line}" for line in scene.explanation(t)]
        delta = scene.delta(t)
        for key in ("nodes", "edges"):
            out += [f"  {eid} {cls!r} {text!r}" for eid, (cls, text) in delta[key].items()]
    return "\n".join(out) + "\n"


@pytest.mark.parametrize("name", sorted(EXAMPLES))
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_golden_scene(name, lang):
    _, y = EXAMPLES[name]()
    scene = Scene(viz.BackwardReplay(y), lang=lang, forward=True, engine="layered")
    check_golden(f"scene_{name}_{lang}.txt", _golden_text(scene))


def test_diamond_frames_say_what_the_book_says():
    _, y = diamond()
    scene = Scene(viz.BackwardReplay(y), engine="layered")
    assert scene.n_frames == 4 and scene.start == 0
    nodes, edges = scene.frame_state(2)  # both Squares of generation 1 ran
    assert nodes["f1"][0] == nodes["f2"][0] == "s-current"
    assert nodes["v1"] == ("s-final", "a\n4\ngrad 16")  # 8 + 8: the sum of two consumers
    flows = {eid: entry for eid, entry in edges.items() if entry[0] == "s-grad_flow"}
    assert sorted(text for _, text in flows.values()) == ["8", "8"]  # grads on the edges
    assert scene.caption(2) == "Step 2 of 3: generation 1 runs Square, Square"
    assert scene.delta(3)["nodes"].keys() == {"v0", "f0", "f1", "f2"}  # only what changed


def test_deltas_are_small_and_frames_need_no_layout():
    _, y = goldstein()
    before = layout_module.layouts_made()
    scene = Scene(viz.BackwardReplay(y), forward=True)
    scene.to_json()
    for t in range(scene.n_frames):
        scene.frame_state(t)
    svgs = [scene.svg(t) for t in (0, scene.start, scene.n_frames - 1)]
    assert layout_module.layouts_made() - before == 1  # one layout for the whole pass
    assert all("<svg" in s for s in svgs)
    total = len(scene.layout.nodes)
    changed = [len(scene.delta(t)["nodes"]) for t in range(1, scene.n_frames)]
    assert max(changed) < total and sum(changed) < total * len(changed) / 3


def test_a_second_language_reuses_the_layout():
    _, y = diamond()
    replay = viz.BackwardReplay(y)
    english = Scene(replay, lang="en")
    assert english.layout.nodes  # laid out on first use
    before = layout_module.layouts_made()
    korean = Scene(replay, lang="ko", layout=english.layout)
    assert korean.payload()["nodes"] == english.payload()["nodes"]
    assert layout_module.layouts_made() == before
    assert "실행 중" in json.dumps(korean.payload(), ensure_ascii=False)
    assert english.layout_request("LR") == korean.layout_request("LR")  # sizes fit both


def _expected(replay: viz.BackwardReplay, k: int, v_or_f) -> str:
    if isinstance(v_or_f, Variable):
        if variable_origin(v_or_f) == "constant":
            return states.CONSTANT.css_class
        state = states.FREED if replay.is_freed(k, v_or_f) else replay.variable_state(k, v_or_f)
        return state.css_class
    return replay.function_state(k, v_or_f).css_class


@settings(max_examples=30, deadline=None)
@given(programs(), st.booleans())
def test_applying_the_deltas_reproduces_the_replay(program, retain):
    _, y = _build(*program)
    if y.creator is None:
        return
    replay = viz.BackwardReplay(y, retain_grad=retain)
    scene = Scene(replay, forward=True, engine="layered")
    graph = replay.graph
    nodes: dict = {}
    edges: dict = {}
    for t in range(scene.n_frames):
        delta = scene.delta(t)
        nodes.update(delta["nodes"])
        edges.update(delta["edges"])
        assert (nodes, edges) == tuple(map(dict, scene.frame_state(t)))
        info = scene.timeline[t]
        if info.phase != "backward":
            continue
        k = info.step
        for obj in (*graph.variables, *graph.functions):
            nid = graph.node_id(obj)
            cls, text = nodes[nid]
            assert _expected(replay, k, obj) in cls.split(), (t, nid)
            lines = (replay.variable_label(k, obj, False, "en", scene.drawing)
                     if isinstance(obj, Variable)
                     else replay.function_label(k, obj, "en", scene.drawing))
            assert text == "\n".join(lines), (t, nid)
        # the edges carrying a grad are exactly the inputs of this step's calls
        if k:
            sent = sum(1 for call in replay.steps[k - 1].calls for g in call.input_grads
                       if g is not None)
            flowing = [e for e in edges.values() if e[0] == "s-grad_flow"]
            assert len(flowing) == sent


def test_forward_frames_run_one_generation_at_a_time():
    x = Variable(np.array(0.5), name="x")
    y = mul(exp(x), sin(x))
    y.name = "y"
    scene = Scene(viz.BackwardReplay(y), forward=True, engine="layered")
    assert [i.phase for i in scene.timeline].count("forward") == 3  # before, gen 0, gen 1
    first, _ = scene.frame_state(0)
    assert first["v0"] == ("s-value", "x\n0.5") and first["v3"][1] == "y\n?"
    after_gen0, edges = scene.frame_state(1)
    assert after_gen0["f0"][0] == after_gen0["f1"][0] == "s-current"  # Exp and Sin together
    assert {text for cls, text in edges.values() if cls == "s-value_flow"} >= {"1.649", "0.4794"}
    assert scene.caption(0) == "Before the forward pass (0/2): only the inputs have values"
    assert scene.caption(scene.start) == ("Before backward (0/2): the output's grad is "
                                          "seeded with 1")


def test_hostile_names_stay_text():
    x = Variable(np.array(1.0), name='</script><img src=x onerror=alert(1)>"&')
    y = square(x)
    y.name = "\u202eevil"
    scene = Scene(viz.BackwardReplay(y), engine="layered")
    text = scene.to_json()
    assert '</script><img src=x onerror=alert(1)>"&' in json.loads(text)["frames"][0]["n"]["v0"][1]
    assert "\u202e" not in text  # bidi overrides replaced (viz.render.escape.clean_text)
    svg = scene.svg(1)
    assert "<img" not in svg and "&lt;/script&gt;&lt;img" in svg


def test_grad_graph_nodes_appear_when_created():
    x = Variable(np.array(2.0), name="x")
    y = x ** 3
    replay = viz.BackwardReplay(y, create_graph=True)
    scene = Scene(replay, engine="layered")
    hidden = [nid for nid, (cls, _) in scene.frame_state(0)[0].items() if "hidden" in cls]
    assert hidden
    final, edges = scene.frame_state(scene.n_frames - 1)
    assert not any("hidden" in cls for cls, _ in final.values())
    assert any(cls.startswith("o1") for cls, _ in final.values())  # order-1 look


def test_scene_ids_are_deterministic():
    ids = set()
    for _ in range(2):
        _, y = chain()
        ids.add(Scene(viz.BackwardReplay(y), forward=True, engine="layered").scene_id)
    assert len(ids) == 1


def test_over_puts_the_same_frames_on_another_layout():
    _, y = diamond()
    scene = Scene(viz.BackwardReplay(y), forward=True)
    wide, before = scene.layout, scene.to_json()
    tall = layout_module.lay_out(scene.layout_request("TB"))
    turned = scene.over(tall)
    assert turned.layout is tall and scene.layout is wide  # the original keeps its own
    assert [turned.delta(t) for t in range(turned.n_frames)] == \
        [scene.delta(t) for t in range(scene.n_frames)]
    assert scene.to_json() == before and turned.to_json() != before  # placed anew
    nodes = turned.payload()["nodes"]
    assert json.loads(turned.to_json())["nodes"] == json.loads(json.dumps(nodes))
    assert turned.scene_id != scene.scene_id


def test_an_edge_writes_a_short_array_and_names_a_long_ones_shape():
    """A long array on an edge covered the nodes beside it (a (4, 1) grad, 42 characters,
    hid its function's name in the PNG); the node below the edge shows it whole."""
    from exprlang.engine import build_graph

    y = build_graph("sum(sigmoid(x @ W + b))", {
        "x": "[[1, 2, 3], [4, 5, 6], [7, 8, 9], [1, 0, 1]]", "W": "[[0.1], [0.2], [0.3]]",
        "b": "[0.5]"}).output
    scene = Scene(viz.BackwardReplay(y), forward=True)
    labels = set()
    for t in range(scene.n_frames):
        labels |= {text for _, text in scene.delta(t)["edges"].values() if text}
    assert {"(4, 1)", "(3, 1)", "[0.3463]", "3.553"} <= labels  # shapes, b's grad, y
    assert all(len(text) <= 14 for text in labels)
    _, z = x_plus_x()
    small = Scene(viz.BackwardReplay(z))
    assert "1" in {text for t in range(small.n_frames)  # a number is always written out
                   for _, text in small.delta(t)["edges"].values()}


def _lists_under(root) -> int:
    """Lists (the containers the cycle collector always walks) anywhere under ``root``."""
    count, stack = 0, [root]
    while stack:
        item = stack.pop()
        if isinstance(item, (list, tuple, dict)):
            count += isinstance(item, list)
            stack.extend(item.values() if isinstance(item, dict) else item)
    return count


def test_a_payload_costs_the_cycle_collector_little():
    """A shared server keeps many scenes: their payloads are tuples of text and numbers,
    which Python's cycle collector stops walking once it has seen them (lists it walks in
    every full collection), and the same JSON."""
    _, y = goldstein()
    scene = Scene(viz.BackwardReplay(y), forward=True, engine="layered")
    payload = scene.payload()
    rows = len(payload["nodes"]) + len(payload["edges"]) + sum(
        len(f["n"]) + len(f["e"]) for f in payload["frames"])
    assert rows > 300
    assert _lists_under(payload) == 1  # the frames; 1,658 when its rows were lists
    # a tuple of tuples is untracked once its inner tuples are: that may take a collection
    # more when the outer one is visited first
    gc.collect()
    gc.collect()
    assert not gc.is_tracked(next(iter(payload["frames"][0]["n"].values())))
    assert not gc.is_tracked(payload["edges"][0][4])  # an arrow's points
    assert json.loads(scene.to_json()) == json.loads(json.dumps(payload))
