"""'What if...': the naive backward loops the book replaces, replayed on the same graph.
Every wrong and right number of the seed notes (003) is pinned here."""

from __future__ import annotations

import threading
import warnings

import numpy as np
import pytest

import viz
from autograd_core import Variable, add, square
from viz.model.pitfalls import PITFALLS, run


def _x_plus_x():
    x = Variable(np.array(3.0), name="x")
    y = add(x, x)
    y.name = "y"
    return x, y


def _diamond():
    x = Variable(np.array(2.0), name="x")
    a = square(x)
    a.name = "a"
    y = add(square(a), square(a))
    return x, a, y


def test_overwrite_instead_of_accumulate():
    x, y = _x_plus_x()
    out = run(viz.BackwardReplay(y), "overwrite")
    assert out.applies and out.first_difference == 1
    assert float(out.naive[x.index]) == 1.0 and float(out.real[x.index]) == 2.0  # seed: 2.0


def test_in_place_accumulation_changes_the_outputs_grad():
    x, y = _x_plus_x()
    out = run(viz.BackwardReplay(y), "inplace")
    assert out.applies
    assert float(out.naive[y.index]) == 2.0 and float(out.real[y.index]) == 1.0
    assert float(out.naive[x.index]) == 2.0  # x itself is right; y.grad is not
    assert "y.grad: 2 (naive) / 1 (real)  ✘" in out.lines(viz.BackwardReplay(y), "en")


def test_no_cleargrad_before_reusing_x():
    x = Variable(np.array(3.0), name="x")
    y = add(add(x, x), x)
    replay = viz.BackwardReplay(y)
    # the seed: add(x, x).backward() left x.grad = 2.0; the next pass gives 3.0
    out = run(replay, "no_cleargrad", previous={x.index: np.array(2.0)})
    assert float(out.naive[x.index]) == 5.0 and float(out.real[x.index]) == 3.0
    twice = run(replay, "no_cleargrad")  # backward() twice on the same graph
    assert float(twice.naive[x.index]) == 6.0
    said = run(replay, "no_cleargrad", previous={x.index: np.array(2.0)}, earlier="x + x")
    assert said.lines(replay, "en")[0] == "Earlier, with the same inputs: x + x, then backward()"
    assert twice.lines(replay, "ko")[0] == "앞서: 같은 backward()를 한 번"


def test_no_generations_runs_a_function_with_a_partial_grad():
    x, a, y = _diamond()
    replay = viz.BackwardReplay(y)
    out = run(replay, "no_generations")
    order = [type(c.function).__name__ for c in out.calls]
    assert order == ["Add", "Square", "Square", "Square"]
    assert [c.partial for c in out.calls] == [False, False, True, False]  # a's creator
    assert out.first_difference == 3
    assert float(out.naive[x.index]) == 32.0 and float(out.real[x.index]) == 64.0
    assert "Add → Square → Square* → Square" in out.lines(replay, "en")[0]


def test_recursion_overflows_on_a_long_chain_and_the_loop_does_not():
    _, y = _x_plus_x()
    out = run(viz.BackwardReplay(y), "recursion")
    assert not out.applies and out.depth == 1
    assert out.demo_error.startswith("RecursionError: maximum recursion depth exceeded")
    from autograd_core import sin

    z = Variable(np.array(0.5))
    w = z
    for _ in range(2000):
        w = sin(w)
    long = run(viz.BackwardReplay(w), "recursion")  # the replay itself is the loop: fine
    assert long.applies and long.error.startswith("RecursionError")
    assert "RecursionError" in long.lines(viz.BackwardReplay(w), "ko")[0]


@pytest.mark.parametrize("name", PITFALLS)
def test_a_pitfall_that_does_not_apply_says_so(name):
    x = Variable(np.array(0.5), name="x")
    y = square(x)
    out = run(viz.BackwardReplay(y), name)
    if name == "no_cleargrad":
        assert out.applies  # a second pass always doubles
    else:
        assert not out.applies
    with pytest.raises(ValueError, match="unknown pitfall"):
        run(viz.BackwardReplay(y), "nonsense")


@pytest.mark.parametrize("pitfall", PITFALLS)
def test_overflowed_grads_replay_without_numpy_warnings(pitfall, monkeypatch):
    """exp(exp(exp(2))) is inf: its two branches' grads meet as inf + -inf = nan, in the
    real pass and in every replay; numpy must not warn about it in the server's log (the
    recursion replay runs in its own thread, where numpy's error state starts afresh)."""
    from autograd_core import exp

    x = Variable(np.array(2.0), name="x")
    with np.errstate(all="ignore"):  # as the app builds a lesson
        y = exp(exp(exp(x))) - exp(exp(exp(x)))
        replay = viz.BackwardReplay(y)
    in_threads = []  # a warning turned error in the replay's thread ends up here
    monkeypatch.setattr(threading, "excepthook", in_threads.append)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = run(replay, pitfall)
    assert not in_threads, [str(a.exc_value) for a in in_threads]
    assert np.isnan(out.real[x.index])  # the real pass's own answer: inf - inf
