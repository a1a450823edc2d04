"""Big graphs: never sent whole to layout; linear DOT generation; the caller's choice."""

from __future__ import annotations

import time

import numpy as np
import pytest

import viz
from autograd_core import Variable, sin


@pytest.fixture(scope="module")
def long_chain():
    x = Variable(np.array(0.1), name="x")
    y = x
    for _ in range(100_000):
        y = sin(y)
    y.name = "y"
    return y


def test_a_100k_chain_draws_collapsed_in_linear_time(long_chain):
    assert viz.graph_size(long_chain) == 200_001
    start = time.perf_counter()
    dot = viz.to_dot(long_chain)  # big_graph="auto": collapse chains first
    elapsed = time.perf_counter() - start
    assert "chain of 100,000 ops" in dot and "Sin ×100,000" in dot
    assert dot.count(" [id=") == 3 and dot.count("->") == 2
    assert elapsed < 10  # ~1 s here; a quadratic walk would take minutes


def test_every_policy_on_the_100k_chain(long_chain):
    with pytest.raises(viz.BigGraphError) as err:
        viz.to_dot(long_chain, big_graph="error")
    message = str(err.value)
    assert "200,001 nodes" in message
    assert all(p in message for p in ("summary", "collapse_chains", "last_generations"))
    last = viz.to_dot(long_chain, big_graph="last_generations", last_generations=5)
    assert last.count('[id="f') == 5 and "more nodes" in last
    summary = viz.to_dot(long_chain, big_graph="summary", max_nodes=200)
    assert summary.count(" [id=") <= 200
    assert "more nodes" in summary and "(generations 0–" in summary
    whole = viz.to_dot(long_chain, max_nodes=10**9)  # explicitly asked for: drawn whole
    assert whole.count(" [id=") == 200_001


def test_hub_constants_keep_one_edge_and_a_note():
    x = Variable(np.array(1.0), name="x")
    c = Variable(np.array(1.01), name="c")
    y = x
    for _ in range(20):
        y = y * c
    dot = viz.to_dot(y)
    c_id = viz.collect(y).node_id(c)
    assert dot.count(f"{c_id} -> ") == 1
    assert dot.count("x1 = c") == 19 and "→ 20 functions" in dot


def test_replay_of_a_big_graph_uses_the_same_plan_in_every_frame():
    x = Variable(np.array(0.1), name="x")
    y = x
    for i in range(1_500):
        y = sin(y) if i % 2 else y * 1.0001
    r = viz.BackwardReplay(y)
    drawing = r.drawing()
    assert r.graph.size > 1_500 and drawing.size <= 1_500 and drawing.notice
    first, last = r.to_dot(0), r.to_dot(r.n_steps)
    assert first.count(" [id=") == last.count(" [id=")
