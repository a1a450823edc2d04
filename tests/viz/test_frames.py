"""Backward-pass frames: states, queue, contributions, fixed structure and node positions."""

from __future__ import annotations

import re

import numpy as np
import pytest
from viz_helpers import chain, diamond, goldstein, node_geometry, structure

import viz
from autograd_core import Variable, exp, mul, no_grad, square, variable_origin
from viz.model import states


def _node_line(dot: str, node_id: str) -> str:
    return re.search(rf"^  {node_id} \[.*$", dot, flags=re.M)[0]


def test_diamond_states_step_by_step():
    x, y = diamond()
    r = viz.BackwardReplay(y, retain_grad=False)
    g = r.graph
    v0, a, s1, s2, out = g.variables
    f0, f1, f2, f3 = g.functions
    assert (v0, out) == (x, y) and r.n_steps == 3 and len(r.steps) == 3
    fstates = [[r.function_state(k, f).key for f in g.functions] for k in range(4)]
    assert fstates == [
        ["not_reached", "not_reached", "not_reached", "pending"],
        ["not_reached", "pending", "pending", "current"],
        ["pending", "current", "current", "done"],
        ["current", "done", "done", "done"],
    ]
    vstates = [[r.variable_state(k, v).key for v in g.variables] for k in range(4)]
    assert vstates == [
        ["no_grad_yet", "no_grad_yet", "no_grad_yet", "no_grad_yet", "final"],
        ["no_grad_yet", "no_grad_yet", "final", "final", "final"],
        ["no_grad_yet", "final", "final", "final", "final"],
        ["final", "final", "final", "final", "final"],
    ]
    grads = [[None if (gv := r.grad_at(k, v)) is None else float(gv) for v in g.variables]
             for k in range(4)]
    assert grads == [
        [None, None, None, None, 1.0],
        [None, None, 1.0, 1.0, 1.0],
        [None, 16.0, 1.0, 1.0, 1.0],
        [64.0, 16.0, 1.0, 1.0, 1.0],
    ]
    # retain_grad=False freed the intermediate grads, but the records keep them
    assert x.grad is not None and a.grad is None and float(r.grad_at(3, a)) == 16.0
    assert r.is_freed(2, s1) and not r.is_freed(1, s1) and not r.is_freed(3, x)


def test_diamond_queue_and_contributions():
    _, y = diamond()
    r = viz.BackwardReplay(y)
    f0, f1, f2, f3 = r.graph.functions
    a = r.graph.variables[1]
    # generation descending, then the most recently created first (the engine's order)
    assert [r.queue(k) for k in range(4)] == [[f3], [f2, f1], [f0], []]
    assert r.contributions(1, a) == []
    terms = r.contributions(2, a)
    assert [f for f, _ in terms] == [f2, f1]  # f2 ran first, so its term came first
    assert [float(t) for _, t in terms] == [8.0, 8.0]
    assert [c.function for c in r.steps[1].calls] == [f2, f1]
    assert r.steps[1].queued == (f0,)


def test_partial_grad_is_shown_as_partial():
    x = Variable(np.array(1.0), name="x")
    y = mul(exp(x), x)  # x gets one grad from Mul (step 1) and one from Exp (step 2)
    r = viz.BackwardReplay(y)
    assert [r.variable_state(k, x) for k in range(3)] == [states.NO_GRAD, states.PARTIAL,
                                                          states.FINAL]
    assert [len(r.contributions(k, x)) for k in range(3)] == [0, 1, 2]
    assert "grad 2.718 (partial 1/2)" in _node_line(r.to_dot(1), "v0")
    assert float(r.grad_at(2, x)) == pytest.approx(2 * np.e)
    assert "partial" not in _node_line(r.to_dot(2), "v0")


def test_states_are_drawn_by_border_as_well_as_fill():
    for group in (states.BACKWARD_FUNCTION_STATES, states.BACKWARD_VARIABLE_STATES):
        looks = [states.paint((st.css_class,)) for st in group]
        borders = {(p.dash, p.width) for p in looks}
        fills = {p.fill for p in looks}
        assert len(borders) == len(fills) == len(group)  # each state twice distinct
    _, y = diamond()
    r = viz.BackwardReplay(y, retain_grad=False)
    for k in range(r.n_steps + 1):
        dot = r.to_dot(k)
        for node in (*r.graph.functions, *r.graph.variables):
            p = states.paint(r.node_tokens(k, node))
            line = _node_line(dot, r.graph.node_id(node))
            assert f'fillcolor="{p.fill}", color="{p.stroke}", penwidth={p.width:g}' in line
            if p.dash != "solid":
                assert f'style="filled,{p.dash}"' in line
        assert all(f"legend_v_{st.key}" in dot for st in states.BACKWARD_VARIABLE_STATES)
    assert 'label="Add\\nRUNNING"' in _node_line(r.to_dot(1), "f3")
    assert "(freed)" in _node_line(r.to_dot(2), "v2")


def test_frame_structure_is_identical_across_frames():
    for build in (chain, diamond):
        _, y = build()
        dots = viz.BackwardReplay(y).dots()
        first = structure(dots[0])
        assert all(structure(d) == first for d in dots[1:])
        assert len(set(dots)) == len(dots)  # yet every frame looks different


def _engines():
    return [e for e in ("wasm", "dot") if e in viz.available_engines()]


@pytest.mark.parametrize("engine", ["wasm", "dot"])
def test_node_positions_do_not_move_between_frames(engine):
    if engine not in viz.available_engines():
        pytest.skip(f"{engine} engine not installed")
    _, y = diamond()
    r = viz.BackwardReplay(y, retain_grad=False)
    frames = [node_geometry(viz.render(r.to_dot(k), "svg", engine=engine).text)
              for k in range(r.n_steps + 1)]
    assert len(frames[0]) == 9
    assert all(f == frames[0] for f in frames[1:])
    # a bigger graph, where long grad texts appear late: frame 0 and the last frame
    _, z = goldstein()
    r = viz.BackwardReplay(z)
    first = node_geometry(viz.render(r.to_dot(0), "svg", engine=engine).text)
    last = node_geometry(viz.render(r.to_dot(r.n_steps), "svg", engine=engine).text)
    assert len(first) == r.graph.size and first == last


def test_grad_graph_nodes_appear_when_created_and_link_to_their_variable():
    x = Variable(np.array(2.0), name="x")
    y = x**3
    r = viz.BackwardReplay(y, create_graph=True, retain_grad=False)
    assert float(x.grad.data) == 12.0 and x.grad.creator is not None
    g = r.graph
    gx = x.grad
    assert gx in g and r.born_at(gx) == 1 and r.born_at(x) == 0
    orders = sorted({f.order for f in g.functions})
    assert orders == [0, 1]
    dots = r.dots()
    first = structure(dots[0])
    assert all(structure(d) == first for d in dots)
    link = rf"^  {g.node_id(gx)} -> {g.node_id(x)} \[style=(\w+),.*grad of"
    assert re.search(link, dots[0], flags=re.M)[1] == "invis"
    assert re.search(link, dots[1], flags=re.M)[1] == "dashed"
    assert 'style="invis"' in _node_line(dots[0], g.node_id(gx))
    assert "order 1" in dots[1] and "recorded by this pass: order 1" in dots[1]
    # the recorded graph differentiates again: d2(x^3)/dx2 = 6x
    x.cleargrad()
    second = viz.BackwardReplay(gx)
    assert float(second.grad_at(second.n_steps, x)) == 12.0


def test_grad_graph_frames_keep_the_forward_nodes_in_place():
    engine = _engines()[0]
    x = Variable(np.array(0.5), name="x")
    y = square(exp(square(x)))
    r = viz.BackwardReplay(y, create_graph=True)
    forward = [r.graph.node_id(v) for v in r.graph.variables if r.born_at(v) == 0]
    first = node_geometry(viz.render(r.to_dot(0), "svg", engine=engine).text)
    last = node_geometry(viz.render(r.to_dot(r.n_steps), "svg", engine=engine).text)
    assert set(forward) <= set(first)
    assert all(first[n] == last[n] for n in forward)
    assert len(last) == len(r.graph.variables) + len(r.graph.functions)


def test_no_grad_results_are_labelled_in_frames():
    x = Variable(np.array(2.0), name="x")
    with no_grad():
        c = square(x)
    c.name = "c"
    y = mul(square(x), c)
    r = viz.BackwardReplay(y)
    node = r.graph.node_id(c)
    assert "no_grad result" in _node_line(r.to_dot(0), node)
    assert float(r.grad_at(r.n_steps, x)) == pytest.approx(2 * 2.0 * 4.0)


def test_captions_frames_range_and_leaf_replays(recwarn):
    _, y = chain()
    r = viz.BackwardReplay(y)
    assert r.caption(0).startswith("Before backward")
    assert r.caption(1) == "Step 1 of 3: generation 2 runs Square"
    assert r.caption(1, "ko").startswith("1/3단계")
    with pytest.raises(IndexError, match="frames are 0..3"):
        r.to_dot(4)
    leaf = Variable(np.array(2.0), name="leaf")
    lr = viz.BackwardReplay(leaf)
    assert lr.n_steps == 0 and float(lr.grad_at(0, leaf)) == 1.0
    assert "leaf\\n2\\ngrad 1" in lr.to_dot(0)
    assert not recwarn.list


def test_korean_frames_are_sized_for_wide_characters():
    _, y = chain()
    r = viz.BackwardReplay(y)
    en = float(re.search(r"width=([\d.]+)", _node_line(r.to_dot(0), "f0"))[1])
    ko = float(re.search(r"width=([\d.]+)", _node_line(r.to_dot(0, lang="ko"), "f0"))[1])
    assert "대기" in r.to_dot(0, lang="ko") and ko >= en


def test_replayed_grads_equal_the_engines_grads_even_without_cleargrad():
    (x, y), z = goldstein()
    r = viz.BackwardReplay(z, retain_grad=True)
    for v in r.graph.variables:
        if v.grad is not None:
            np.testing.assert_allclose(r.grad_at(r.n_steps, v), v.grad.data)
    assert float(r.grad_at(r.n_steps, x)) == -5376.0 and float(r.grad_at(r.n_steps, y)) == 8064.0
    again = viz.BackwardReplay(z, retain_grad=True)  # the book's pitfall: grads accumulate
    for v in again.graph.variables:
        if v.grad is None:  # a number an op wrapped: no grad, in the engine as in the replay
            assert variable_origin(v) == "constant" and again.grad_at(again.n_steps, v) is None
        else:
            np.testing.assert_allclose(again.grad_at(again.n_steps, v), v.grad.data)
