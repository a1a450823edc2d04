"""Backward-pass frames: states, queue, contributions, fixed structure and positions."""

from __future__ import annotations

import re

import numpy as np
from viz_helpers import chain, diamond

import viz


def _structure(dot: str) -> list[str]:
    """DOT with labels and styles removed: what must not change between frames."""
    out = []
    for line in dot.splitlines():
        line = re.sub(r'label="(?:[^"\\]|\\.)*"', "label", line)
        line = re.sub(r'(style|fillcolor|color|penwidth|peripheries|fontcolor)=("[^"]*"|[\d.]+)',
                      r"\1", line)
        out.append(line)
    return out


def test_diamond_states_step_by_step():
    x, y = diamond()
    r = viz.BackwardReplay(y, retain_grad=False)
    g = r.graph
    a = g.variables[1]
    fs = g.functions
    assert r.n_steps == 3
    assert [r.function_state(0, f) for f in fs] == ["waiting", "waiting", "waiting", "pending"]
    assert [r.function_state(1, f) for f in fs] == ["waiting", "pending", "pending", "current"]
    assert [r.function_state(2, f) for f in fs] == ["pending", "current", "current", "done"]
    assert [r.function_state(3, f) for f in fs] == ["current", "done", "done", "done"]
    assert r.variable_state(0, y) == "final" and r.variable_state(0, x) == "no_grad"
    assert r.variable_state(2, a) == "final" and float(r.grad_at(2, a)) == 16.0
    assert float(r.grad_at(3, x)) == 64.0
    assert [float(gv) for _, gv in r.contributions(2, a)] == [8.0, 8.0]
    assert [type(f).__name__ for f in r.queue(1)] == ["Square", "Square"]
    assert r.queue(3) == []
    assert r.is_freed(2, g.variables[2]) and not r.is_freed(0, g.variables[2])


def test_partial_state_when_only_some_consumers_ran():
    from autograd_core import Variable, exp, mul

    x = Variable(np.array(1.0), name="x")
    y = mul(exp(x), x)  # x gets one grad from Mul (gen 1) and one from Exp (gen 0)
    r = viz.BackwardReplay(y)
    assert r.variable_state(1, x) == "partial"
    assert r.variable_state(2, x) == "final"
    assert "(1/2)" in r.to_dot(1)


def test_frame_structure_is_identical_across_frames():
    _, y = chain()
    dots = viz.BackwardReplay(y).dots()
    assert len(dots) == 4
    first = _structure(dots[0])
    assert all(_structure(d) == first for d in dots[1:])
    assert len(set(dots)) == 4  # yet every frame looks different


def test_node_positions_do_not_move_between_frames():
    _, y = diamond()
    r = viz.BackwardReplay(y, retain_grad=False)

    def positions(k):
        svg = viz.render(r.to_dot(k), "svg").text
        return re.findall(r'<g id="(v\d+|f\d+)" class="node">.*?(points|cx)="([^"]+)"', svg,
                          flags=re.S)

    first = positions(0)
    assert len(first) == 9
    assert positions(r.n_steps) == first
    assert positions(1) == first


def test_captions_in_both_languages():
    _, y = chain()
    r = viz.BackwardReplay(y)
    assert r.caption(0).startswith("Before backward")
    assert r.caption(1, "ko").startswith("1/3단계")


def test_replaying_a_leaf_has_no_steps_and_no_warning(recwarn):
    from autograd_core import Variable

    x = Variable(np.array(2.0), name="x")
    r = viz.BackwardReplay(x)
    assert r.n_steps == 0 and float(r.grad_at(0, x)) == 1.0
    assert "x\\n2\\ngrad 1" in r.to_dot(0)
    assert not recwarn.list
