"""Every control of app.py through streamlit.testing.v1.AppTest, asserting on what the page
shows: the SVG it rendered, its texts, its table and the files it offers."""

from __future__ import annotations

import io
import pickle
import re

import pytest
from app_helpers import (
    as_bytes,
    frame_step,
    graph_svg,
    leaf_table,
    new_app,
    node_fill,
    node_stroke,
    page_text,
    recorded_downloads,
)
from PIL import Image

from classroom import state as ui
from classroom.presets import BY_KEY, PRESETS

RUNNING, DONE, QUEUED = "#e69f00", "#56b4e9", "#fff6cc"


def model(at) -> dict:
    """The session's plain-data model (everything except widget mirrors)."""
    return {key: at.session_state[key] for key in ui.DEFAULTS}


def test_opens_ready_to_teach_on_the_seed_chain(app):
    assert app.session_state.expr == "square(exp(square(x)))"
    assert app.text_input(key="val_x").value == "0.5"
    svg = graph_svg(app)
    assert all(f'<g id="{n}" class="node">' in svg for n in ("v0", "v1", "v2", "v3", "f0",
                                                              "f1", "f2"))
    assert "1.649" in svg and "<script" not in svg
    assert frame_step(app) == 0 and app.session_state.n_steps == 3
    assert app.button(key="btn_prev").disabled and not app.button(key="btn_next").disabled
    assert "Understood as</span><code>square(exp(square(x)))</code>" in page_text(app)
    # the session is plain data: it pickles, and nothing in it is a graph
    assert all(ui.is_plain(v) for v in model(app).values())
    pickle.dumps(model(app))


def test_step_buttons_and_slider_recolour_the_graph(app):
    assert node_fill(app, "f2") == QUEUED
    app.button(key="btn_next").click().run()
    assert frame_step(app) == 1 and node_fill(app, "f2") == RUNNING  # the last Square runs
    assert "grad 2.568" in graph_svg(app)  # Square's input got its grad
    app.button(key="btn_next").click().run()
    assert node_fill(app, "f1") == RUNNING and node_fill(app, "f2") == DONE
    app.button(key="btn_prev").click().run()
    assert frame_step(app) == 1 and node_fill(app, "f2") == RUNNING
    app.button(key="btn_end").click().run()
    assert frame_step(app) == 3 and "grad 3.297" in graph_svg(app)
    assert app.button(key="btn_next").disabled and app.button(key="btn_end").disabled
    app.button(key="btn_reset").click().run()
    assert frame_step(app) == 0 and app.slider(key="step").value == 0
    app.slider(key="step").set_value(2).run()
    assert frame_step(app) == 2 and node_fill(app, "f1") == RUNNING
    assert not app.exception


def test_every_frame_has_the_same_nodes_and_edges(app):
    app.selectbox(key="preset__en").set_value("diamond").run()
    ids, places = set(), set()
    for k in range(app.session_state.n_steps + 1):
        app.slider(key="step").set_value(k).run()
        svg = graph_svg(app)
        ids.add(tuple(re.findall(r'<g id="(\w+)" class="(?:node|edge)">', svg)))
        nodes = re.findall(r'<g id="\w+" class="node">.*?</g>', svg)
        places.add(tuple(re.findall(r'\s(?:points|cx|cy|x|y)="([^"]+)"', "".join(nodes))))
    assert len(ids) == 1 and len(places) == 1  # only colours and text change


def test_typing_an_expression_and_its_values(app):
    app.text_area(key="expr").set_value("x*y + z").run()
    assert sorted(w.label for w in app.text_input) == ["x", "y", "z"]
    for name, value in {"x": "3.0", "y": "2.0", "z": "1.0"}.items():
        app.text_input(key=f"val_{name}").set_value(value).run()
    assert not app.exception and frame_step(app) == 0
    svg = graph_svg(app)
    assert "Mul" in svg and ">7<" in svg  # 3*2 + 1
    app.button(key="btn_end").click().run()
    table = leaf_table(app)
    assert table["backprop grad"] == ["2", "3", "1"]
    assert all(v.startswith("✔") for v in table["check"])


def test_the_example_picker_says_when_the_expression_is_your_own(app):
    app.text_area(key="expr").set_value("x * 3").run()
    assert app.selectbox(key="preset__en").value == "custom"
    assert app.selectbox(key="preset__en").format_func("custom") == "(your own expression)"
    app.selectbox(key="preset__en").set_value("diamond").run()
    assert app.session_state.expr == BY_KEY["diamond"].text
    app.selectbox(key="preset__en").set_value("custom").run()  # nothing to load
    assert app.session_state.expr == BY_KEY["diamond"].text and not app.exception


def test_a_typo_does_not_lose_the_values(app):
    app.text_input(key="val_x").set_value("2.0").run()
    app.text_area(key="expr").set_value("square(x").run()  # typo: the value box goes away
    assert app.error and not app.text_input
    app.text_area(key="expr").set_value("square(x)").run()
    assert app.text_input(key="val_x").value == "2.0"
    assert ">4<" in graph_svg(app)


def test_arrays_as_values(app):
    app.text_area(key="expr").set_value("sum(x * x)").run()
    app.text_input(key="val_x").set_value("[[1, 2], [3, 4]]").run()
    app.button(key="btn_end").click().run()
    assert leaf_table(app)["backprop grad"] == ["[[2, 4], [6, 8]]"]


@pytest.mark.parametrize("preset", PRESETS, ids=lambda p: p.key)
def test_every_example_loads_and_checks_out(app, preset):
    app.selectbox(key="preset__en").set_value(preset.key).run()
    assert not app.exception and not app.error, preset.key
    assert app.session_state.expr == preset.text
    assert app.session_state.higher_order == preset.higher_order
    app.button(key="btn_end").click().run()
    assert all(v.startswith("✔") for v in leaf_table(app)["check"]), leaf_table(app)


def test_book_results_in_the_table(app):
    expected = {"diamond": ["64"], "goldstein": ["-5376", "8064"], "sigmoid_tanh": ["0.09113"],
                "chain": ["3.297"], "x_plus_x": ["3"], "newton": ["44"]}
    for key, grads in expected.items():
        app.selectbox(key="preset__en").set_value(key).run()
        app.button(key="btn_end").click().run()
        assert leaf_table(app)["backprop grad"] == grads, key


def test_queue_and_the_sum_of_contributions(app):
    app.selectbox(key="preset__en").set_value("diamond").run()
    assert app.selectbox(key="inspect__en").value == "v1"  # a: two consumers
    app.button(key="btn_next").click().run()
    text = page_text(app)
    assert "- Square (generation 1)\n- Square (generation 1)" in text
    assert "no grad has reached it yet" in text
    app.button(key="btn_next").click().run()  # both Squares ran
    text = page_text(app)
    assert "`a.grad` = 8 *(from Square)* + 8 *(from Square)* = **16**" in text
    assert "final" in text and "- Square (generation 0)" in text
    app.selectbox(key="inspect__en").set_value("v0").run()  # x: not reached yet
    assert "`x.grad` = —" in page_text(app)
    app.button(key="btn_end").click().run()
    assert "`x.grad` = 64 *(from Square)* = **64**" in page_text(app)
    assert "(empty: nothing left to run)" in page_text(app)


def test_partial_grad_is_shown_as_partial(app):
    app.text_area(key="expr").set_value("exp(x) * x").run()
    app.text_input(key="val_x").set_value("1").run()
    app.button(key="btn_next").click().run()
    assert re.search(r">grad 2\.718 \([^)]*1/2\)<", graph_svg(app))  # 1 of 2 arrived
    assert "partial: 1 of 2 contributions so far" in page_text(app)


def test_language_switch(app):
    app.radio(key="lang").set_value("ko").run()
    assert app.title[0].value == "역전파를 한 단계씩 살펴보기"
    assert app.button(key="btn_next").label == "다음 단계 ▶"
    assert app.selectbox(key="preset__ko").value == "chain"  # same choice, Korean labels
    assert "(1-9단계)" in app.selectbox(key="preset__ko").format_func("chain")
    assert "기울기" in graph_svg(app) and "역전파 전" in page_text(app)
    assert list(leaf_table(app)) == ["변수", "값", "역전파 기울기", "수치 미분", "확인"]
    app.text_area(key="expr").set_value("sqr(x)").run()
    assert "알 수 없는 함수 'sqr'" in app.error[0].value and "'square'" in app.error[0].value
    app.radio(key="lang").set_value("en").run()
    assert "Unknown function 'sqr'" in app.error[0].value


def test_higher_order_toggle_steps_the_second_pass(app):
    app.selectbox(key="preset__en").set_value("newton").run()  # turns the toggle on
    assert app.toggle(key="higher_order").value
    svg = graph_svg(app)
    assert "dy/dx" in svg and "#cc79a7" in svg.lower()  # order-1 functions' border
    assert "24" in svg  # dy/dx at 2
    app.button(key="btn_end").click().run()
    assert leaf_table(app)["backprop grad"] == ["44"]  # f''(2)
    assert leaf_table(app)["check"][0].startswith("✔")
    assert "2 − (24) / (44) = **1.455**" in page_text(app)
    app.button(key="btn_newton").click().run()  # Newton: x <- x - f'/f''
    assert app.text_input(key="val_x").value.startswith("1.4545")
    app.button(key="btn_newton").click().run()
    assert app.text_input(key="val_x").value.startswith("1.151")
    app.toggle(key="higher_order").set_value(False).run()
    assert "dy/dx" not in graph_svg(app) and frame_step(app) == 0


def test_higher_order_with_respect_to_a_chosen_input(app):
    app.text_area(key="expr").set_value("x**2 * y**3").run()
    app.text_input(key="val_x").set_value("2.0").run()
    app.text_input(key="val_y").set_value("3.0").run()
    app.toggle(key="higher_order").set_value(True).run()
    app.selectbox(key="wrt").set_value("y").run()
    app.button(key="btn_end").click().run()
    # d/dy (x^2 y^3) = 3 x^2 y^2; its grads: d/dx = 6 x y^2 = 108, d/dy = 6 x^2 y = 72
    assert leaf_table(app)["backprop grad"] == ["108", "72"]
    assert "df/dy" in graph_svg(app)  # the output has no name and y is taken


def test_downloads_offer_the_frame_on_screen_and_the_whole_pass(app):
    with recorded_downloads() as offered:
        app.button(key="btn_next").click().run()
    assert [b.proto.label for b in app.get("download_button")] == [
        "This step: DOT", "This step: SVG", "This step: PNG", "Whole pass: GIF",
        "Whole pass: HTML"]
    dot = as_bytes(offered["step_001.dot"]).decode()
    assert dot.startswith("digraph") and 'fillcolor="#E69F00"' in dot
    svg = as_bytes(offered["step_001.svg"]).decode()
    assert '<g id="f2" class="node">' in svg and svg.count("<g id=") == graph_svg(app).count(
        "<g id=")
    png = Image.open(io.BytesIO(as_bytes(offered["step_001.png"])))
    assert png.format == "PNG" and png.width > 100
    gif = Image.open(io.BytesIO(as_bytes(offered["backward.gif"])))
    assert gif.format == "GIF" and gif.n_frames == 4
    page = as_bytes(offered["backward.html"]).decode()
    assert page.count('class="frame"') == 4 and "<script" in page and "http" not in page.split(
        "<body", 1)[1].split("xmlns", 1)[0]


def test_whole_pass_exports_of_huge_graphs_are_refused_with_a_reason():
    at = new_app()
    at.query_params["bench"] = "1000"
    at.run()
    assert not at.exception
    buttons = {b.proto.label: b.proto for b in at.get("download_button")}
    assert buttons["Whole pass: GIF"].disabled and buttons["Whole pass: HTML"].disabled
    assert "1,001 nodes" in buttons["Whole pass: GIF"].help
    assert not buttons["This step: PNG"].disabled


@pytest.mark.parametrize("text, fragment", [
    ("9**9**9", "exponent 9**9 at line 1, column 4 is too large"),
    ("__import__('os').system('id')", "'__import__' are not allowed at line 1, column 1"),
    ("sqr(x)", "Did you mean 'square'?"),
    ("x +", "at line 1, column 4 needs a number"),
    ("(" * 50 + "x" + ")" * 50, "nested"),
    ("x.data", "attribute access"),
    ("lambda: 1", "not"),
    ("x" * 40, "names may be at most 32 characters"),
    ("matmul(x, y)", "matmul"),
])
def test_bad_input_gets_a_message_with_its_position_and_the_app_keeps_working(app, text,
                                                                              fragment):
    app.text_area(key="expr").set_value(text).run()
    assert not app.exception, text
    assert app.error and fragment in app.error[0].value, app.error[0].value if app.error else ""
    assert app.session_state.expr == text  # the student's text is kept for fixing
    app.text_area(key="expr").set_value("square(x)").run()
    assert not app.error and not app.exception and "Square" in graph_svg(app)


def test_bad_value_text_names_the_box(app):
    for value, fragment in (("[1, 2", "The value of x:"), ("abc", "The value of x:"),
                            ("[[1, 2], [3]]", "The value of x:"), ("", "No value")):
        app.text_input(key="val_x").set_value(value).run()
        assert not app.exception and fragment in app.error[0].value, (value, app.error)
    app.text_input(key="val_x").set_value("[1, 2]").run()
    assert not app.error and not app.exception


def test_numerical_trouble_is_shown_on_the_node_and_in_a_message(app):
    app.text_area(key="expr").set_value("a = log(x)\ny = a / x").run()
    app.text_input(key="val_x").set_value("[-1, 0, 2]").run()
    assert not app.exception and not app.error
    warnings = " ".join(w.value for w in app.warning)
    assert "log gave NaN (not a number) and infinity (line 1, column 5)" in warnings
    assert "backward" in warnings  # 1/x at 0 in the backward pass
    assert node_stroke(app, "v1").lower() == "#d55e00"  # a = log(x): vermillion border
    app.button(key="btn_end").click().run()  # stepping still works
    assert frame_step(app) == app.session_state.n_steps and not app.exception


def test_big_graphs_are_simplified_with_a_notice(app):
    app.sidebar.select_slider(key="max_nodes").set_value(100).run()
    app.selectbox(key="preset__en").set_value("goldstein").run()
    app.toggle(key="higher_order").set_value(True).run()
    assert not app.exception
    notice = " ".join(i.value for i in app.info)
    assert "more than the 100 drawn in full" in notice
    assert graph_svg(app).count('class="node"') <= 100
    app.button(key="btn_next").click().run()
    assert not app.exception


def test_display_options(app):
    app.toggle(key="projector").set_value(True).run()
    assert "html{font-size:20px}" in page_text(app) and 'font-size="20.00"' in graph_svg(app)
    app.sidebar.radio(key="rankdir").set_value("TB").run()
    assert not app.exception and graph_svg(app)


def test_bench_query_parameter_is_an_allow_list():
    at = new_app()
    at.query_params["bench"] = "ladder-200"
    at.run()
    assert abs(graph_svg(at).count('class="node"') - 200) < 10
    other = new_app()
    other.query_params["bench"] = "5000000"  # anything else is ignored
    other.run()
    assert not other.exception and other.session_state.n_steps == 3
