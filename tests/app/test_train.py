"""The "Train a network" page through AppTest (issue #12.3): settings, Step, Train and
Pause, the live charts' data, scrubbing back, bad settings, Korean, and the files."""

from __future__ import annotations

import json
import pickle

import numpy as np
import pytest
from app_helpers import (
    all_text,
    as_bytes,
    new_app,
    page_text,
    player_payload,
    recorded_downloads,
    scene,
)

from classroom import state as ui
from classroom import training
from classroom.pages import train as train_page


def _vega_specs(at) -> list[dict]:
    return [json.loads(el.proto.spec) for el in at.get("vega_lite_chart")]


def run_of(at) -> training.Trainer:
    """The session's run (the session keeps it as plain data)."""
    return training.Trainer.resume(at.session_state["train_run"])


def _train(at):
    at.sidebar.radio(key="page").set_value("train").run()
    return at


@pytest.fixture
def train_app():
    return _train(new_app().run())


def test_the_page_opens_on_the_books_sin_fit(train_app):
    at = train_app
    assert not at.exception
    assert ui.is_plain(at.session_state["train_run"])  # the session holds data, no model
    pickle.dumps(at.session_state["train_run"])
    assert at.title[0].value == "Watch a network learn"
    run = run_of(at)
    assert run.spec == training.TrainSpec() and run.iteration == 0
    assert f"Iteration 0 · loss {run.current_loss():.6g}" in page_text(at)
    specs = _vega_specs(at)
    assert len(specs) >= 3  # loss, fit, weights and grads per layer
    assert "The graph of this iteration" in page_text(at)
    labels = all_text(at).splitlines()  # the player: the loss's graph, parameters by name
    assert {"loss", "MSE", "Sigmoid", "W0", "b0", "W1", "b1"} <= set(labels)


def test_step_shows_the_iterations_graph_and_every_parameters_update(train_app):
    at = train_app.button(key="btn_train_step").click().run()
    assert not at.exception
    run = run_of(at)
    assert run.iteration == 1 and at.session_state["train_stepped"] == 0
    text = page_text(at)
    assert "The optimizer's update at iteration 0" in text
    assert "SGD: after = before − lr × grad (lr = 0.2)" in text
    table = next(m.value for m in at.markdown if m.value.startswith("| parameter"))
    cells = [[c.strip() for c in row.split("|")[1:-1]] for row in table.splitlines()[2:]]
    # W0 (1, 10) and b0 (10,) by their range, each followed by its element with the
    # largest grad; W1 (10, 1) likewise; b1 (1,) whole
    names = [row[0] for row in cells]
    assert [n.split("[")[0] for n in names] == ["W0", "W0", "b0", "b0", "W1", "W1", "b1"]
    b1 = run.last_updates[-1]
    np.testing.assert_allclose(b1.new, b1.old - 0.2 * b1.grad)
    assert f"[{b1.new[0]:.4g}]" in table
    for update in run.last_updates[:3]:  # one weight's update, checked by the SGD rule
        at_ = np.unravel_index(np.argmax(np.abs(update.grad)), update.grad.shape)
        row = cells[names.index(f"{update.name}[{', '.join(str(int(i)) for i in at_)}]")]
        before, grad, after = (float(c) for c in row[2:])
        assert after == pytest.approx(before - 0.2 * grad, rel=1e-7, abs=1e-12)
    # the player shows iteration 0's backward pass: the loss, then four functions
    data = player_payload(at)
    graph = scene(at)
    assert data["step"] == graph["start"]
    assert len(graph["frames"]) - graph["start"] == 5


def test_train_runs_in_ticks_and_pause_stops_it(train_app):
    opened = _vega_specs(train_app)  # iteration 0: no grads yet, the same rows all the same
    at = train_app.button(key="btn_train_start").click().run()
    assert not at.exception and at.session_state["training"]
    first = run_of(at).iteration
    assert first > 0  # the first tick trained already
    specs = _vega_specs(at)
    at.run()
    assert run_of(at).iteration > first
    # only the data changes from tick to tick: a changed spec would make the browser embed a
    # new chart each time instead of swapping the data in (measured: 10+ vs 6 updates a second)
    assert _vega_specs(at) == specs == opened
    at.button(key="btn_train_pause").click().run()
    assert not at.session_state["training"]
    paused = run_of(at).iteration
    at.run()
    assert run_of(at).iteration == paused
    # the layer chart: a row each for every parameter's weights and the latest step's grads
    bins = next(s for s in _vega_specs(at) if s.get("mark", {}).get("type") == "rect")
    assert bins["encoding"]["y"]["sort"] == [f"{name} {kind}" for name in ("W0", "b0", "W1", "b1")
                                             for kind in ("weight", "grad")]


def test_scrub_back_to_an_earlier_iteration(train_app):
    at = train_app
    run_of(at).run(30)
    at.run()
    slider = at.select_slider(key="train_look_slider")
    assert slider.value == 30
    slider.set_value(10).run()
    assert not at.exception
    assert at.session_state["train_look"] == 10
    run = run_of(at)
    assert f"Iteration 10 · loss {run.losses[10]:.6g}" in page_text(at)
    assert run.iteration == 30  # looking back never changes the run
    loss = next(s for s in _vega_specs(at) if any(
        layer.get("mark", {}).get("type") == "rule" for layer in s.get("layer", [])))
    assert loss["layer"][1]["data"] == {"name": "look"}


def test_a_diverging_run_stops_with_a_message_and_keeps_the_last_finite_state(train_app):
    at = train_app
    at.sidebar.text_input(key="train_hidden").set_value("16, 16")
    at.sidebar.selectbox(key="train_activation").set_value("relu")
    at.sidebar.number_input(key="train_lr").set_value(10.0)
    at.sidebar.button(key="btn_train_new").click().run()
    at.button(key="btn_train_start").click().run()
    for _ in range(50):
        if run_of(at).stopped is not None:
            break
        at.run()
    run = run_of(at)
    assert run.stopped is not None and run.stopped.key == "diverged"
    assert not at.session_state["training"]
    at.run()
    message = at.error[0].value
    assert "Training stopped: the loss became" in message and "smaller learning rate" in message
    assert at.button(key="btn_train_start").disabled
    assert np.isfinite(run.current_loss())


@pytest.mark.parametrize("hidden, message", [
    ("10, x", "write whole numbers separated by commas"),
    ("8, 8, 8, 8, 8", "5 hidden layers: give between 1 and 4"),
    ("100", "A hidden layer of 100 units: each layer takes 1 to 64"),
])
def test_bad_settings_name_the_limit_and_keep_the_run(train_app, hidden, message):
    at = train_app
    run_of(at).run(5)
    before = at.session_state["train_run"]
    at.sidebar.text_input(key="train_hidden").set_value(hidden)
    at.sidebar.button(key="btn_train_new").click().run()
    assert message in at.sidebar.error[0].value
    assert at.session_state["train_run"] is before and run_of(at).iteration == 5


def test_a_new_run_with_other_settings(train_app):
    at = train_app
    at.sidebar.selectbox(key="train_dataset").set_value("moons")
    at.sidebar.selectbox(key="train_optimizer").set_value("Adam")
    at.sidebar.number_input(key="train_lr").set_value(0.05)
    at.sidebar.button(key="btn_train_new").click().run()
    run = run_of(at)
    assert run.spec.dataset == "moons" and run.spec.optimizer == "Adam"
    assert "accuracy" in page_text(at)
    fit = next(s for s in _vega_specs(at) if s.get("resolve", {}).get("scale", {}).get("color"))
    assert fit["layer"][0]["encoding"]["color"]["field"] == "p"


def test_the_page_in_korean(train_app):
    at = train_app
    at.sidebar.radio(key="lang").set_value("ko").run()
    assert at.title[0].value == "신경망이 배우는 모습 보기"
    assert "반복 0회 · 손실" in page_text(at)
    at.button(key="btn_train_step").click().run()
    assert "0번째 반복에서 옵티마이저가 바꾼 값" in page_text(at)


def test_back_to_the_lesson_page(train_app):
    at = train_app.sidebar.radio(key="page").set_value("lesson").run()
    assert not at.exception
    assert at.session_state.expr == "square(exp(square(x)))"


def test_the_files_loss_curve_png_and_the_iteration_as_html_and_gif(train_app):
    at = train_app
    run_of(at).run(20)
    with recorded_downloads() as offered:
        at.run()
    stem = f"train_sin_{training.TrainSpec().key}"
    png = as_bytes(offered[f"{stem}_loss.png"])
    assert png.startswith(b"\x89PNG") and len(png) > 5000
    html = as_bytes(offered[f"{stem}_iteration.html"]).decode()
    assert "<html" in html.lower() and "MSE" in html
    gif = as_bytes(offered[f"{stem}_iteration.gif"])
    assert gif.startswith(b"GIF8")


def test_the_tick_trains_no_longer_than_its_share():
    assert train_page.WORK_S < train_page.TICK_S <= 0.1


def _open(params: dict[str, str]):
    at = new_app()
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def test_a_link_opens_the_page_with_the_run_it_names(train_app):
    """The address holds the page and the settings of the run on screen: a link (or
    "Copy link") opens the same run; the lesson page's address holds no trace of it."""
    at = train_app
    assert dict(at.query_params) == {"page": "train"}  # the default run: nothing more
    at.sidebar.selectbox(key="train_dataset").set_value("moons")
    at.sidebar.text_input(key="train_hidden").set_value("16, 16")
    at.sidebar.selectbox(key="train_activation").set_value("tanh")
    at.sidebar.selectbox(key="train_optimizer").set_value("Adam")
    at.sidebar.number_input(key="train_lr").set_value(0.05)
    at.sidebar.radio(key="lang").set_value("ko").run()
    assert dict(at.query_params) == {"page": "train", "lang": "ko"}  # not a run yet
    at.sidebar.button(key="btn_train_new").click().run()
    link = dict(at.query_params)
    assert link == {"page": "train", "lang": "ko", "data": "moons", "hidden": "16, 16",
                    "act": "tanh", "opt": "Adam", "lr": "0.05"}
    opened = _open(link)
    assert not opened.exception and opened.session_state.page == "train"
    assert run_of(opened).spec == run_of(at).spec
    assert run_of(opened).spec.hidden == (16, 16)
    assert opened.title[0].value == "신경망이 배우는 모습 보기"
    assert dict(opened.query_params) == link
    back = at.sidebar.radio(key="page").set_value("lesson").run()
    assert "page" not in back.query_params and "data" not in back.query_params


@pytest.mark.parametrize(("params", "named"), [
    ({"data": "../../etc"}, "data"), ({"hidden": "0"}, "hidden"), ({"hidden": "9" * 70}, "hidden"),
    ({"hidden": "1,2,3,4,5,6,7,8,9"}, "hidden"), ({"act": "<b>x</b>"}, "act"),
    ({"opt": "LBFGS"}, "opt"), ({"lr": "nan"}, "lr"), ({"lr": "1e9"}, "lr"),
    ({"points": "-5"}, "points"), ({"points": "1e3"}, "points"), ({"page": "admin"}, "page"),
], ids=range(11))
def test_a_link_with_bad_settings_says_which_and_opens_the_default_run(params, named):
    at = _open({"page": "train", **params} if "page" not in params else params)
    assert not at.exception
    assert "could not be used" in page_text(at) and named in page_text(at)
    if at.session_state.page == "train":
        assert run_of(at).spec == training.TrainSpec()


def test_stepping_the_iterations_graph_keeps_the_page_and_the_players_data():
    """The player reports [frame, sequence number]; the page took the list for a frame and
    failed on its next run. The frame is kept, and the player's data (the whole scene) is
    not sent again for a step the student took in the browser."""
    from streamlit.proto.WidgetStates_pb2 import WidgetStates

    at = _train(new_app().run())
    at.button(key="btn_train_step").click().run()
    before = player_payload(at)
    graph = scene(at)
    for k, frame in enumerate((graph["start"] + 2, graph["start"] + 3), start=1):
        states: WidgetStates = at._tree.get_widget_states()
        widget = states.widgets.add()
        widget.id = next(el.proto.id for el in at.get("bidi_component")
                         if el.proto.id.endswith(train_page.PLAYER_KEY))
        widget.json_value = json.dumps({"step": [frame, k], "selected": None})
        at._run(states)
        assert not at.exception and at.session_state["train_frame"] == frame
        assert player_payload(at) == before  # the browser has it; nothing to send again


def test_a_learning_rate_out_of_range_is_named_not_ignored(train_app):
    """Issue #27.21: 100 was silently refused by the box and "New run" used the old 0.2."""
    at = train_app
    box = at.sidebar.number_input(key="train_lr")
    assert not box.proto.has_max and not box.proto.has_min  # the value reaches the server
    assert "Between 1e-05 and 10" in box.help
    before = run_of(at)
    box.set_value(100.0)
    at.sidebar.button(key="btn_train_new").click().run()
    assert "Learning rate 100: choose a number between 1e-05 and 10" in at.error[0].value
    assert run_of(at).spec == before.spec  # the old run stays, and says why
    at.sidebar.number_input(key="train_lr").set_value(0.05)
    at.sidebar.button(key="btn_train_new").click().run()
    assert not at.error and run_of(at).spec.lr == 0.05


def test_a_recurrent_run_shows_its_window_unrolled_and_where_it_was_cut(train_app):
    """#28.5: the sine wave with the book's RNN: the activation is the RNN's own (its picker
    off), Step shows the window's graph from the state unchain_backward cut, and says so."""
    at = train_app
    at.sidebar.selectbox(key="train_dataset").set_value("sine_wave").run()
    assert at.sidebar.selectbox(key="train_activation").disabled
    # the book's optimizer for it (SGD at 0.2 makes an RNN explode within 30 windows)
    assert (at.sidebar.selectbox(key="train_optimizer").value,
            at.sidebar.number_input(key="train_lr").value) == ("Adam", 0.01)
    assert dict(at.query_params) == {"page": "train"}  # the old run's address until New run
    at.sidebar.button(key="btn_train_new").click().run()
    for _ in range(2):
        at.button(key="btn_train_step").click().run()
    assert not at.exception and not at.error
    run = run_of(at)
    assert run.spec.recurrent and run.iteration == 2
    assert dict(at.query_params) == {"page": "train", "data": "sine_wave"}  # Adam's its own
    assert "loss.unchain_backward() cut the graph there" in page_text(at)
    labels = all_text(at).splitlines()
    assert "h (cut)" in labels and "x10" in labels and "Tanh" in labels
    table = next(m.value for m in at.markdown if m.value.startswith("| parameter"))
    names = {row.split("|")[1].strip().split("[")[0] for row in table.splitlines()[2:]}
    assert names == {"Wx", "bx", "Wh", "Wy", "by"}
    at.sidebar.text_input(key="train_hidden").set_value("8, 8").run()
    at.sidebar.button(key="btn_train_new").click().run()
    assert "the RNN has one" in at.sidebar.error[0].value


def test_a_sine_wave_link_opens_the_run_with_its_own_settings():
    at = new_app()
    at.query_params["page"], at.query_params["data"] = "train", "sine_wave"
    at.run()
    spec = run_of(at).spec
    assert not at.exception and (spec.dataset, spec.optimizer, spec.lr) == ("sine_wave", "Adam",
                                                                           0.01)
    assert dict(at.query_params) == {"page": "train", "data": "sine_wave"}
