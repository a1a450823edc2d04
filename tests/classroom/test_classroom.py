"""The app's logic without Streamlit: presets, lessons, state callbacks, HTML fragments."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from classroom import state as ui
from classroom.i18n import TEXT, t
from classroom.lesson import Lesson, input_names
from classroom.presets import BY_KEY, PRESETS
from classroom.view import graph_html, legend_html
from exprlang import ExpressionError

EXPECTED_GRADS = {
    "chain": ["3.297"], "x_plus_x": ["3"], "diamond": ["64"], "xy_plus_z": ["2", "3", "1"],
    "tanh_sigmoid": ["0.09113"], "sphere": ["2", "2"], "matyas": ["0.04", "0.04"],
    "goldstein": ["-5376", "8064"], "taylor_sin": ["0.7071"], "newton": ["24"],
}


@pytest.mark.parametrize("preset", PRESETS, ids=lambda p: p.key)
def test_every_preset_builds_steps_and_checks(preset):
    lesson = Lesson(preset.text, preset.values)
    assert lesson.n_steps >= 1
    rows = lesson.leaf_rows()
    assert [r.name for r in rows] == list(lesson.program.input_names)
    assert all(r.ok for r in rows), [(r.name, r.grad_text, r.numerical_text) for r in rows]
    if preset.key in EXPECTED_GRADS:
        assert [r.grad_text for r in rows] == EXPECTED_GRADS[preset.key]
    assert lesson.frame_svg(lesson.n_steps).lstrip().startswith("<?xml")


def test_higher_order_lesson_is_the_second_derivative():
    lesson = Lesson("y = x**4 - 2 * x**2", {"x": "2.0"}, higher_order=True)
    assert lesson.target.name == "dy/dx"
    assert [r.grad_text for r in lesson.leaf_rows()] == ["44"]
    assert {s.order for s in lesson.replay.steps} == {2}


def test_queue_and_contributions_of_the_diamond():
    lesson = Lesson("a = square(x)\ny = square(a) + square(a)", {"x": "2"})
    assert lesson.queue(1) == [("Square", 1), ("Square", 1)]
    assert lesson.contributions(2, "v1") == ([("Square", "8"), ("Square", "8")], "16")
    assert lesson.variable_label("v1") == "a = 4"


def test_downloads_produce_real_files():
    lesson = Lesson("a = square(x)\ny = square(a) + square(a)", {"x": "2"})
    assert lesson.frame_dot(1).startswith("digraph autograd {")
    png = lesson.frame_png(1)
    assert Image.open(io.BytesIO(png)).format == "PNG"
    gif = Image.open(io.BytesIO(lesson.gif()))
    assert gif.n_frames == lesson.n_steps + 1
    page = lesson.html(lang="ko")
    assert page.count('class="frame"') == lesson.n_steps + 1 and 'lang="ko"' in page


def test_synthetic_benchmark_graphs_have_the_requested_size():
    assert abs(Lesson.synthetic(200).graph_size - 200) <= 5
    assert abs(Lesson.synthetic(1000).graph_size - 1000) <= 5


def test_bad_text_and_values_raise_expression_errors():
    with pytest.raises(ExpressionError):
        Lesson("9**9**9", {})
    with pytest.raises(ExpressionError, match="No value"):
        Lesson("x + 1", {})
    assert input_names("x +") == [] and input_names("a = x\ny = a * z") == ["x", "z"]


def test_state_callbacks_are_plain_data():
    s: dict = {}
    ui.init(s)
    assert s["expr"] == "square(exp(square(x)))" and s["val_x"] == "0.5"
    s["n_steps"] = 3
    ui.next_step(s), ui.next_step(s)
    assert s["step"] == 2
    ui.run_to_end(s)
    ui.next_step(s)
    assert s["step"] == 3
    ui.previous_step(s)
    assert s["step"] == 2
    ui.reset_steps(s)
    ui.previous_step(s)
    assert s["step"] == 0
    s["preset"] = "goldstein"
    ui.load_preset(s)
    assert s["val_y"] == "1.0" and s["expr"] == BY_KEY["goldstein"].text and s["step"] == 0
    assert ui.values(s, ["x", "new"]) == {"x": "1.0", "new": "1.0"}


def test_every_text_exists_in_both_languages():
    for key, entry in TEXT.items():
        assert set(entry) == {"en", "ko"}, key
    assert t("step_caption", "ko", k=1, n=3) == "3단계 중 1단계"


def test_graph_html_is_inline_svg_without_prologue():
    lesson = Lesson("square(x)", {"x": "1"})
    fragment = graph_html(lesson.frame_svg(0))
    assert fragment.startswith('<div class="ag-graph" data-testid="ag-graph"><svg')
    assert "\n" not in fragment and "<?xml" not in fragment
    assert legend_html("ko").count("ag-chip") == 8
    np.testing.assert_equal(lesson.n_steps, 1)
