"""Watching a network learn (issue #12.3): datasets, runs, divergence, history, lessons."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from classroom import training
from classroom.i18n import t
from classroom.training import Trainer, TrainingError, TrainSpec


def test_the_sin_dataset_is_the_books_and_training_reproduces_its_losses():
    x, y = training.make_data("sin", 100, 0)
    np.random.seed(0)
    bx = np.random.rand(100, 1)
    np.testing.assert_array_equal(x, bx)
    np.testing.assert_array_equal(y, np.sin(2 * np.pi * bx) + np.random.rand(100, 1))
    run = Trainer(TrainSpec())
    assert run.run(10000) == 10000 and run.iteration == 10000
    assert run.losses[-1] < 0.08  # the book's sin fit settles near 0.077
    assert run.losses[0] > 10 * run.losses[-1]


@pytest.mark.parametrize("spec, accuracy", [
    (TrainSpec("moons", (16, 16), "tanh", "Adam", 0.05), 0.97),
    (TrainSpec("xor", (8,), "relu", "MomentumSGD", 0.1), 0.9),
])
def test_classifiers_learn_their_datasets(spec, accuracy):
    run = Trainer(spec)
    before = run.accuracy()
    run.run(600)
    assert run.accuracy() >= accuracy > before
    fit = run.fit()
    assert fit["p"].shape == (training.BOUNDARY_GRID ** 2,)
    assert np.all((fit["p"] >= 0) & (fit["p"] <= 1))


def test_every_dataset_is_fixed_by_its_seed():
    for name in training.DATASETS:
        a, b = training.make_data(name, 50, 3), training.make_data(name, 50, 3)
        np.testing.assert_array_equal(a[0], b[0])
        np.testing.assert_array_equal(a[1], b[1])
        assert len(a[0]) == 50


def test_a_step_reports_each_parameters_update_and_sgd_is_before_minus_lr_grad():
    run = Trainer(TrainSpec(lr=0.2))
    updates = run.step()
    assert [u.name for u in updates] == ["W0", "b0", "W1", "b1"]
    for u in updates:
        np.testing.assert_allclose(u.new, u.old - 0.2 * u.grad, rtol=1e-6, atol=1e-7)
    assert run.iteration == 1 and len(run.losses) == 1
    # the grads are the loss's: against the lesson of iteration 0 (its own backward pass)
    grads = run.at(0).grads()
    for u in updates:
        np.testing.assert_allclose(grads[u.name], u.grad, rtol=1e-12)


def test_a_diverging_learning_rate_stops_and_keeps_the_last_finite_state():
    run = Trainer(TrainSpec("sin", (16, 16), "relu", "SGD", lr=10.0))
    taken = run.run(1000)
    assert run.stopped is not None and run.stopped.key == "diverged"
    assert taken < 1000 and run.iteration == run.stopped.params["back"]
    assert np.isfinite(run.current_loss())
    assert all(np.all(np.isfinite(p.data)) for p in run.params)
    assert len(run.losses) == run.iteration and all(np.isfinite(run.losses))
    assert run.step() is None and run.run(10) == 0  # stopped stays stopped
    message = t("train_stopped_diverged", "en", **run.stopped.params)
    assert "smaller learning rate" in message and str(run.stopped.params["iteration"]) in message


def test_history_is_bounded_and_scrubbing_does_not_touch_the_run():
    run = Trainer(TrainSpec())
    run.run(training.MAX_SNAPSHOTS + 50)
    recorded = run.recorded()
    assert len(recorded) == run.max_snapshots == training.MAX_SNAPSHOTS
    assert recorded[-1] == run.iteration and recorded[0] == run.iteration - len(recorded) + 1
    now = [p.data.copy() for p in run.params]
    view = run.at(recorded[0])
    assert view.iteration == recorded[0]
    assert view.current_loss() == pytest.approx(run.losses[recorded[0]], rel=1e-9)
    for p, before in zip(run.params, now, strict=True):
        np.testing.assert_array_equal(p.data, before)
    assert run.at(-5).iteration == recorded[0]  # the nearest recorded iteration
    big = Trainer(TrainSpec(hidden=(64, 64, 64, 64)))
    assert big.max_snapshots * sum(p.data.nbytes for p in big.params) <= training.HISTORY_BYTES


def test_an_iterations_lesson_steps_the_loss_backward_to_every_parameter():
    run = Trainer(TrainSpec())
    run.run(3)
    lesson = run.at(2).lesson()
    assert lesson.output.name == "loss" and list(lesson.inputs) == ["W0", "b0", "W1", "b1"]
    assert lesson.n_steps == 4  # MSE, Linear, Sigmoid, Linear
    replay_grads = {name: v.grad.data for name, v in lesson.inputs.items()}
    for name, g in run.at(2).grads().items():
        np.testing.assert_allclose(replay_grads[name], g, rtol=1e-12)
    assert lesson.scene().n_frames > lesson.n_steps


@pytest.mark.parametrize("spec, key", [
    (TrainSpec(dataset="spiral"), "dataset"),
    (TrainSpec(activation="gelu"), "activation"),
    (TrainSpec(optimizer="RMSprop"), "optimizer"),
    (TrainSpec(hidden=()), "layers"),
    (TrainSpec(hidden=(8,) * 5), "layers"),
    (TrainSpec(hidden=(65,)), "units"),
    (TrainSpec(hidden=(0,)), "units"),
    (TrainSpec(points=5), "points"),
    (TrainSpec(points=10_000), "points"),
    (TrainSpec(lr=0.0), "lr"),
    (TrainSpec(lr=float("nan")), "lr"),
    (TrainSpec(lr=100.0), "lr"),
])
def test_out_of_bounds_settings_name_the_limit(spec, key):
    with pytest.raises(TrainingError) as info:
        Trainer(spec)
    assert info.value.key == key
    for lang in ("en", "ko"):
        assert t(f"train_error_{key}", lang, **info.value.params)


@pytest.mark.parametrize("text, sizes", [("10", (10,)), (" 16, 16 ", (16, 16)), ("4;4", (4, 4))])
def test_hidden_sizes_from_text(text, sizes):
    assert training.parse_hidden(text) == sizes


@pytest.mark.parametrize("text", ["", "ten", "10,", "-3", "1e3", "10, x", "9" * 20])
def test_hidden_sizes_that_are_not_whole_numbers(text):
    with pytest.raises(TrainingError) as info:
        training.parse_hidden(text)
    assert info.value.key == "hidden_text"


def test_chart_helpers():
    it, loss = training.loss_series(list(np.linspace(1, 0.1, 5000)), max_points=100)
    assert len(it) <= 101 and it[0] == 0 and it[-1] == 4999 and loss[-1] == pytest.approx(0.1)
    centres, counts = training.histogram(np.array([1.0, 2.0, 2.0, np.nan]), bins=4)
    assert counts.sum() == 3 and len(centres) == 4
    assert training.histogram(np.ones(5))[1].tolist() == [5]
    assert training.histogram(np.array([np.inf]))[1].size == 0


def test_an_iterations_lesson_is_built_once_for_every_session():
    one, two = Trainer(TrainSpec()), Trainer(TrainSpec())
    one.run(5)
    two.run(7)
    lesson = training.iteration_lesson(one, 5)
    assert training.iteration_lesson(two, 5) is lesson  # seeded, deterministic: the same
    np.testing.assert_array_equal(lesson.inputs["W0"].data, one.params[0].data)
    other = training.iteration_lesson(Trainer(TrainSpec(lr=0.1)), 0)
    assert other is not lesson and other.spec != lesson.spec


@pytest.mark.parametrize("spec", [
    TrainSpec(),
    TrainSpec("moons", (16, 16), "tanh", "Adam", 0.05),
    TrainSpec("xor", (8,), "relu", "MomentumSGD", 0.1),
], ids=["SGD", "Adam", "MomentumSGD"])
def test_a_run_resumed_from_its_plain_record_trains_on_exactly(spec):
    """A page rebuilds the run from the session's record on every script run: stopping and
    resuming (with the optimizer's momentum, Adam's moments and step count) changes nothing."""
    from classroom.state import is_plain

    whole = Trainer(spec)
    whole.run(25)
    parts = Trainer(spec)
    parts.run(10)
    record = pickle.loads(pickle.dumps(parts.record))  # as a session keeps it
    assert is_plain(record)
    resumed = Trainer.resume(record)
    resumed.run(10)
    resumed = Trainer.resume(resumed.record)
    assert resumed.step() is not None
    for _ in range(4):
        Trainer.resume(resumed.record).step()
    resumed = Trainer.resume(resumed.record)
    assert resumed.iteration == whole.iteration == 25
    np.testing.assert_array_equal(resumed.losses, whole.losses)
    for mine, theirs in zip(resumed.params, whole.params, strict=True):
        np.testing.assert_array_equal(mine.data, theirs.data)
    assert resumed.recorded() == whole.recorded()
    assert [u.name for u in resumed.last_updates] == ["W0", "b0", "W1", "b1", "W2", "b2"][
        :len(resumed.params)]


def test_a_look_back_leaves_the_record_as_it_was():
    run = Trainer(TrainSpec())
    run.run(12)
    params = [p.copy() for p in run.record["params"]]
    view = run.at(5)
    view.grads()
    assert view.iteration == 5 and run.iteration == 12 and run.record["iteration"] == 12
    for before, now in zip(params, run.record["params"], strict=True):
        np.testing.assert_array_equal(before, now)
    assert view.current_loss() != run.current_loss()


# --- a recurrent run: the book's sine wave, truncated BPTT (issue #28.5) -------------------
RNN_SPEC = TrainSpec("sine_wave", (10,), "tanh", "Adam", 0.01, 100)


def test_the_sine_wave_is_the_books_sincurve():
    x, t_ = training.make_data("sine_wave", 100, 0)
    wave = np.sin(np.linspace(0, 2 * np.pi, 101))
    assert x.shape == t_.shape == (100, 1)
    np.testing.assert_array_equal(x[1:], t_[:-1])  # each label is the next value
    assert np.max(np.abs(x[:, 0] - wave[:-1])) <= 0.05  # the book's noise: within 0.05


def test_a_recurrent_run_learns_the_wave_window_by_window():
    """An iteration is one window of BPTT_LENGTH points: forward through it from the state
    the last window left, backward, then loss.unchain_backward(); after the series' end the
    next window starts over with no state (the book's reset_state)."""
    run = Trainer(RNN_SPEC)
    before = run.current_loss()
    assert run.record["window"] == {"pos": 0, "h": None}
    run.run(1)
    assert run.record["window"]["pos"] == training.BPTT_LENGTH
    assert run.record["window"]["h"].shape == (1, 10)
    run.run(9)  # 100 points: ten windows, then the series starts again
    assert run.record["window"] == {"pos": 0, "h": None}
    run.run(290)
    assert run.current_loss() < before / 5
    assert [u.name for u in run.last_updates] == ["Wx", "bx", "Wh", "Wy", "by"]


def test_a_recurrent_window_s_graph_is_cut_at_the_state_it_starts_from():
    run = Trainer(RNN_SPEC)
    run.run(3)
    lesson = run.at(3).lesson()
    variables = list(lesson.replay.graph.variables)  # every variable of the unrolled window
    cut = [v for v in variables if v.name == "h (cut)"]
    assert len(cut) == 1 and cut[0].creator is None  # unchain_backward cut what made it
    assert cut[0].grad is not None  # the pass reaches it, and stops there
    tanhs = [f for f in lesson.replay.graph.functions if type(f).__name__ == "Tanh"]
    assert len(tanhs) == training.BPTT_LENGTH  # one RNN step per point of the window
    assert {f"x{i}" for i in range(30, 40)} <= {v.name for v in variables}
    assert "points 30-39" in lesson.canonical
    # the first window has no state to start from: nothing is cut
    first = Trainer(RNN_SPEC).lesson()
    assert "h (cut)" not in {v.name for v in first.replay.graph.variables}


def test_a_recurrent_run_resumes_and_looks_back_exactly():
    whole = Trainer(RNN_SPEC)
    whole.run(14)
    parts = Trainer(RNN_SPEC)
    parts.run(9)
    resumed = Trainer.resume(pickle.loads(pickle.dumps(parts.record)))
    resumed.run(5)
    np.testing.assert_array_equal(resumed.losses, whole.losses)
    assert resumed.record["window"]["pos"] == whole.record["window"]["pos"] == 40
    np.testing.assert_array_equal(resumed.record["window"]["h"], whole.record["window"]["h"])
    view = whole.at(12)
    assert view.record["window"]["pos"] == 20 and whole.record["window"]["pos"] == 40
    assert Trainer(RNN_SPEC).lesson().canonical == Trainer(RNN_SPEC).lesson().canonical


def test_a_recurrent_net_has_one_hidden_layer():
    with pytest.raises(TrainingError) as info:
        Trainer(TrainSpec("sine_wave", (8, 8)))
    assert info.value.key == "rnn_layers"
    for lang in ("en", "ko"):
        assert "RNN" in t("train_error_rnn_layers", lang, **info.value.params)
