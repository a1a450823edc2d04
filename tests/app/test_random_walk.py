"""Seeded random walks through app.py (AppTest): what students type and click, in any
order, including bad input, on both pages. Every step must leave a page without an
exception, without a numpy warning in the server's log, and with the player on a frame
that exists."""

from __future__ import annotations

import random
import warnings
from collections.abc import Callable

import pytest
from app_helpers import narrow_screen, new_app, player_payload, report, scene
from streamlit.testing.v1 import AppTest

from classroom import state as ui
from classroom import training
from classroom.i18n import LANGUAGES
from classroom.presets import picker_keys
from viz.model.pitfalls import PITFALLS

EXPRESSIONS = (
    "x**2", "sin(x)*y + exp(y)", "x @ W", "tanh(x)/x", "1/(x-x)", "x +", "", "a" * 300,
    "exp(exp(exp(x)))", "sum(sigmoid(x @ W + b))", "x*x*x*x", "log(x)", "__import__('os')",
    "<script>alert(1)</script>", "3*x**3 - 2*x**2 + x - 7",
    " + ".join(f"{i}*x" for i in range(1, 21)), "a = square(x)\ny = exp(a) + a", "x ** y",
    "sqrt(x)", "x / 0", "x[0]", "-x", "x**-1", "sum(x * x)", "x.T @ x", "matmul(x, W)",
    "y = 2\ny * x", "exp(exp(exp(x))) - exp(exp(exp(x)))",
)
VALUES = ("0.5", "-1", "[1, 2, 3]", "[[1,2],[3,4]]", "abc", "1e308", "nan", "", "2", "0",
          "[[0.1, 0.2, 0.3]]", "[[1],[2],[3]]", "1e-320", "-0.0", "inf")
GUESSES = ("1", "0.5", "abc", "", "3.297", "-2")
HIDDEN = ("4", "8,8", "", "abc", "1000", "4,4,4,4,4,4,4,4,4,4", "-3", "0", "16, 16", "3.5")


def _widget(at: AppTest, kind: str, prefix: str):
    return next((w for w in getattr(at, kind) if str(w.key or "").startswith(prefix)), None)


def _frames(at: AppTest) -> int:
    return len(scene(at)["frames"]) if at.session_state["page"] == "lesson" \
        and not at.session_state["graph_only"] and at._tree.get("bidi_component") else 0


def _type(at, rng):
    box = _widget(at, "text_area", "expr")
    if box is not None and not box.disabled:
        text = rng.choice(EXPRESSIONS)
        box.set_value(text).run()
        return f"type {text[:30]!r}"


def _value(at, rng):
    boxes = [w for w in at.text_input if str(w.key or "").startswith("val_")]
    if boxes:
        box, text = rng.choice(boxes), rng.choice(VALUES)
        box.set_value(text).run()
        return f"{box.key} = {text!r}"


def _step(at, rng):
    if n := _frames(at):
        k = rng.randrange(n)
        report(at, step=k)
        return f"step {k}"


def _click_node(at, rng):
    if _frames(at):
        node = rng.choice(scene(at)["nodes"])[0]  # [id, kind, x, y, w, h, shape]
        report(at, selected=node)
        return f"click {node}"


def _choose(kind: str, prefix: str, values: tuple) -> Callable:
    def choose(at, rng):
        if (w := _widget(at, kind, prefix)) is not None and not w.disabled:
            value = rng.choice(values)
            (w.select(value) if kind == "selectbox" else w.set_value(value)).run()
            return f"{prefix} {value!r:.30}"
    return choose


def _toggle(at, rng):
    key = rng.choice(("higher_order", "projector", "quiz"))
    if (w := _widget(at, "toggle", key)) is not None:
        w.set_value(not w.value).run()
        return f"toggle {key}"


def _guess(at, rng):
    if (box := _widget(at, "text_input", "quiz_guess")) is not None:
        box.set_value(rng.choice(GUESSES))
        next(b for b in at.button if b.proto.is_form_submitter).click().run()
        return f"guess {box.value!r}"


def _switch_page(at, rng):
    if (w := _widget(at, "radio", "page")) is not None:
        w.set_value("train" if w.value == "lesson" else "lesson").run()
        return f"page {w.value}"


def _narrow(at, rng):
    if _frames(at) and player_payload(at).get("askNarrow"):
        narrow_screen(at)
        return "narrow screen"


def _train_button(at, rng):
    key = rng.choice(("btn_train_new", "btn_train_step", "btn_train_step", "btn_train_start",
                      "btn_train_pause"))
    button = next((b for b in at.button if b.key == key), None)
    if button is not None and not button.disabled:
        button.click().run()
        return key


def _hidden(at, rng):
    if (box := _widget(at, "text_input", "train_hidden")) is not None:
        box.set_value(rng.choice(HIDDEN)).run()
        return f"hidden {box.value!r}"


def _learning_rate(at, rng):
    if (box := _widget(at, "number_input", "train_lr")) is not None:
        box.set_value(rng.choice((*training.LR_RANGE, 0.1, 0.5))).run()
        return f"lr {box.value}"


def _scrub(at, rng):
    if (w := _widget(at, "select_slider", "train_look_slider")) is not None:
        w.set_value(rng.choice(list(w.options))).run()
        return f"scrub {w.value}"


TRAIN_ACTIONS = (_train_button, _train_button, _hidden, _learning_rate, _scrub, _switch_page,
                 _choose("selectbox", "train_dataset", tuple(training.DATASETS)),
                 _choose("selectbox", "train_activation", tuple(training.ACTIVATIONS)),
                 _choose("selectbox", "train_optimizer", tuple(training.OPTIMIZERS)),
                 _choose("slider", "train_points",
                         (training.MIN_POINTS, training.MAX_POINTS, 50)),
                 _choose("radio", "lang", tuple(LANGUAGES)))

ACTIONS = (_type, _value, _value, _step, _step, _click_node, _toggle, _guess, _switch_page,
           _narrow, _choose("radio", "lang", tuple(LANGUAGES)),
           _choose("selectbox", "preset__", tuple(picker_keys())),
           _choose("selectbox", "pitfall__", ("none", *PITFALLS)),
           _choose("radio", "rankdir__", ("auto", "LR", "TB")),
           _choose("radio", "open_at__", ("backward", "forward")),
           _choose("select_slider", "max_nodes", tuple(ui.MAX_NODES_CHOICES)))


@pytest.mark.parametrize("seed", range(6))
def test_a_random_walk_through_the_app(seed):
    rng = random.Random(seed)
    at, done = new_app().run(), []
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)  # numpy's overflow / invalid value
        for _ in range(50):
            page = ACTIONS if at.session_state["page"] == "lesson" else TRAIN_ACTIONS
            if what := rng.choice(page)(at, rng):
                done.append(what)
            assert not at.exception, (done[-5:], [e.value for e in at.exception])
            if n := _frames(at):
                assert 0 <= player_payload(at)["step"] < n, done[-5:]
    assert len(done) >= 30  # most actions found their widget
