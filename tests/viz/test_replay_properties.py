"""Property tests: on random graphs, the replay agrees with the engine, step by step."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from viz_helpers import structure

import viz
from autograd_core import Variable, add, exp, mul, sin, square, sub

UNARY = (square, sin, exp)
BINARY = (add, mul, sub)


@st.composite
def programs(draw):
    """A random DAG: each op takes one or two earlier values (inputs reused freely)."""
    n_inputs = draw(st.integers(1, 3))
    ops = draw(st.lists(st.tuples(st.booleans(), st.integers(0, 2), st.integers(0, 10**6),
                                  st.integers(0, 10**6)), min_size=1, max_size=14))
    return n_inputs, ops


def _build(n_inputs, ops):
    xs = [Variable(np.array(0.3 + 0.2 * i), name=f"x{i}") for i in range(n_inputs)]
    values = list(xs)
    for binary, which, a, b in ops:
        if binary:
            values.append(BINARY[which](values[a % len(values)], values[b % len(values)]))
        else:
            values.append(UNARY[which](values[a % len(values)]))
    return xs, values[-1]


@settings(max_examples=40, deadline=None)
@given(programs())
def test_replay_matches_the_engine(program):
    xs, y = _build(*program)
    if y.creator is None:
        return
    r = viz.BackwardReplay(y, retain_grad=True)
    g = r.graph
    # the records give the grads the engine left on every variable
    for v in g.variables:
        if v.grad is not None:
            np.testing.assert_allclose(r.grad_at(r.n_steps, v), v.grad.data)
    for k, step in enumerate(r.steps):
        ran = [c.function for c in step.calls]
        queue = r.queue(k)
        # what runs next is exactly the head of the queue: this generation, in queue order
        assert queue[: len(ran)] == ran
        assert all(f.generation == step.generation for f in ran)
        assert all(r.function_state(k + 1, f).key == "current" for f in ran)
        assert all(r.function_state(k, f).key == "pending" for f in queue)
    assert r.queue(r.n_steps) == []
    assert all(r.function_state(r.n_steps, f).key in ("done", "current")
               for f in g.functions)
    for v in g.variables:  # states only move forward: no_grad_yet -> partial -> final
        states = [r.variable_state(k, v).key for k in range(r.n_steps + 1)]
        order = ["no_grad_yet", "partial", "final"]
        assert [order.index(s) for s in states] == sorted(order.index(s) for s in states)
    dots = r.dots(legend=False)
    assert all(structure(d) == structure(dots[0]) for d in dots)
    ids = [g.node_id(v) for v in g.variables]
    assert ids == [f"v{i}" for i in range(len(g.variables))]


@settings(max_examples=25, deadline=None)
@given(programs())
def test_grad_graph_replay_matches_and_every_recorded_node_appears(program):
    xs, y = _build(*program)
    if y.creator is None:
        return
    r = viz.BackwardReplay(y, create_graph=True)
    for x in xs:
        if x.grad is not None:
            np.testing.assert_allclose(r.grad_at(r.n_steps, x), x.grad.data)
            assert x.grad in r.graph  # the recorded grad graph is drawn ...
    dots = r.dots(legend=False)
    assert all(structure(d) == structure(dots[0]) for d in dots)
    assert 'style="invis"' not in dots[-1]  # ... and fully visible in the last frame
    born = [r.born_at(n) for n in (*r.graph.variables, *r.graph.functions)]
    assert min(born) == 0 and max(born) <= r.n_steps
