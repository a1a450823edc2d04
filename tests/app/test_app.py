"""Every control of app.py through streamlit.testing.v1.AppTest, asserting on what the page
shows: the data it gives the graph player, its texts, its table and the files it offers.
The player itself runs in a browser (tests/app/test_browser.py); here a step or a click it
reports is simulated as the component's state (app_helpers.report)."""

from __future__ import annotations

import io
import json
import pickle

import pytest
from app_helpers import (
    BIG_SUM,
    all_text,
    as_bytes,
    ask_for_the_scene,
    backward_step,
    first_run_only,
    frame_step,
    inspect_picker,
    leaf_table,
    moves_data,
    narrow_screen,
    new_app,
    node_state,
    node_text,
    on_screen,
    page_text,
    painted,
    player_element_data,
    player_payload,
    recorded_downloads,
    report,
    scene,
    scene_text,
    shown,
    to_end,
    unescaped,
)
from PIL import Image

from classroom import downloads, player
from classroom import state as ui
from classroom.lesson import ALWAYS_NARROW_NODES, lesson_for
from classroom.presets import BY_KEY, PRESETS

RUNNING, DONE, QUEUED = "s-current", "s-done", "s-pending"


def model(at) -> dict:
    """The session's plain-data model (everything except widget mirrors)."""
    return {key: at.session_state[key] for key in ui.DEFAULTS}


def test_opens_ready_to_teach_on_the_seed_chain(app):
    assert app.session_state.expr == "square(exp(square(x)))"
    assert app.text_input(key="val_x").value == "0.5"
    data = player_payload(app)
    nodes, _ = shown(app)
    assert set(nodes) == {"v0", "v1", "v2", "v3", "f0", "f1", "f2"}
    assert "1.649" in node_text(app, "v3")
    sc = scene(app)
    # one forward step per generation, then before-backward (where it opens), then 3 steps
    assert sc["start"] == 4 and len(sc["frames"]) == 8 and data["step"] == 4
    assert frame_step(app) == 0 and node_state(app, "f2") == QUEUED
    assert data["sceneId"] == sc["id"] and data["projector"] is False
    assert "Understood as</span><code>square(exp(square(x)))</code>" in page_text(app)
    # the session is plain data: it pickles, and nothing in it is a graph
    assert all(ui.is_plain(v) for v in model(app).values())
    pickle.dumps(model(app))


def test_the_player_is_given_constant_code_and_the_lesson_as_data(app):
    proto = app.get("bidi_component")[0].proto
    assert proto.component_name == "autograd_viz_player"
    assert "agvizPlayer" in proto.js_content and "innerHTML" not in proto.js_content
    assert "eval(" not in proto.js_content and "http" not in proto.js_content.replace(
        "http://www.w3.org/2000/svg", "")
    first = scene_text(app)
    app.text_area(key="expr").set_value("__x = 1").run()  # an error: the scene stays
    app.text_area(key="expr").set_value("square(exp(square(x)))").run()
    assert scene_text(app) == first  # same lesson, same scene, byte for byte


def test_the_panels_follow_the_step_the_player_reports(app):
    backward_step(app, 1)
    assert frame_step(app) == 1 and node_state(app, "f2") == RUNNING  # the last Square runs
    assert "grad 2.568" in node_text(app, "v2")  # Square's input got its grad
    assert "- Exp (generation 1)" in page_text(app)  # the queue follows
    backward_step(app, 2)
    assert node_state(app, "f1") == RUNNING and node_state(app, "f2") == DONE
    to_end(app)
    assert frame_step(app) == 3 and "grad 3.297" in node_text(app, "v0")
    assert leaf_table(app)["backprop grad"] == ["3.297"]
    report(app, step=0)  # the forward pass, before anything ran
    assert node_state(app, "v1") == "s-no_value" and "?" in node_text(app, "v1")
    assert "the forward pass is running" in page_text(app)
    report(app, step=10_000)  # a stale or forged report is clamped, never an error
    assert not app.exception and on_screen(app) == 7


def test_a_clicked_variable_goes_to_the_grad_sum_panel(app):
    app.selectbox(key="preset__en").set_value("diamond").run()
    before = player_payload(app)
    report(app, selected="v0")
    assert app.session_state.inspect == "v0" and inspect_picker(app).value == "v0"
    assert player_payload(app)["pick"] == before["pick"]  # the click is not echoed back
    report(app, selected="f1")  # a function: the panel keeps its variable
    assert app.session_state.inspect == "v0" and not app.exception


def test_a_variable_picked_under_the_graph_is_selected_in_it(app):
    """The picker moves the graph's selection through the moves' element alone: the
    player's own element (its scene and code) is sent as it was."""
    app.selectbox(key="preset__en").set_value("diamond").run()
    element, before = player_element_data(app), player_payload(app)
    assert before["selected"] == app.session_state.inspect == "v1"
    inspect_picker(app).set_value("v0").run()
    moved = player_payload(app)
    assert moved["selected"] == "v0" and moved["pick"] == before["pick"] + 1
    assert player_element_data(app) == element
    report(app, selected="v1")  # then a click in the graph: the panel follows, no echo
    assert inspect_picker(app).value == "v1" and player_payload(app)["pick"] == moved["pick"]
    inspect_picker(app).set_value("v0").run()  # and the picker again: a new pick
    assert player_payload(app)["selected"] == "v0"
    assert player_payload(app)["pick"] == moved["pick"] + 1


def test_every_frame_has_the_same_nodes_and_one_layout(app):
    app.selectbox(key="preset__en").set_value("diamond").run()
    sc = scene(app)
    ids = {row[0] for row in sc["nodes"]}
    for t in range(len(sc["frames"])):
        assert set(shown(app, t)[0]) == ids  # every node has a state in every frame
        assert set(sc["frames"][t]["n"]) <= ids
    assert sc["frames"][0]["n"].keys() == ids  # frame 0 in full, then only changes
    assert sum(len(f["n"]) for f in sc["frames"][1:]) < len(ids) * (len(sc["frames"]) - 1)


def test_typing_an_expression_and_its_values(app):
    app.text_area(key="expr").set_value("x*y + z").run()
    assert sorted(w.label for w in app.main.text_input) == ["x", "y", "z"]
    for name, value in {"x": "3.0", "y": "2.0", "z": "1.0"}.items():
        app.text_input(key=f"val_{name}").set_value(value).run()
    assert not app.exception and frame_step(app) == 0
    assert "Mul" in all_text(app) and "\n7\n" in all_text(app) + "\n"  # 3*2 + 1
    to_end(app)
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
    app.text_area(key="expr").set_value("square(x").run()  # typo: the value box stays
    assert app.error and app.text_input(key="val_x").value == "2.0"
    app.text_area(key="expr").set_value("square(x)").run()
    assert app.text_input(key="val_x").value == "2.0"
    assert "\n4\n" in all_text(app)


def test_arrays_as_values(app):
    app.text_area(key="expr").set_value("sum(x * x)").run()
    app.text_input(key="val_x").set_value("[[1, 2], [3, 4]]").run()
    to_end(app)
    assert leaf_table(app)["backprop grad"] == ["[[2, 4], [6, 8]]"]


@pytest.mark.parametrize("preset", PRESETS, ids=lambda p: p.key)
def test_every_example_loads_and_checks_out(app, preset):
    app.selectbox(key="preset__en").set_value(preset.key).run()
    assert not app.exception and not app.error, preset.key
    assert app.session_state.expr == preset.text
    assert app.session_state.higher_order == preset.higher_order
    to_end(app)
    assert all(v.startswith("✔") for v in leaf_table(app)["check"]), leaf_table(app)


def test_book_results_in_the_table(app):
    expected = {"diamond": ["64"], "goldstein": ["-5376", "8064"], "sigmoid_tanh": ["0.09113"],
                "chain": ["3.297"], "x_plus_x": ["3"], "newton": ["44"]}
    for key, grads in expected.items():
        app.selectbox(key="preset__en").set_value(key).run()
        to_end(app)
        assert leaf_table(app)["backprop grad"] == grads, key


def test_queue_and_the_sum_of_contributions(app):
    app.selectbox(key="preset__en").set_value("diamond").run()
    assert inspect_picker(app).value == "v1"  # a: two consumers
    backward_step(app, 1)
    text = page_text(app)
    assert "- Square (generation 1)\n- Square (generation 1)" in text
    assert "no grad has reached it yet" in text
    backward_step(app, 2)  # both Squares ran
    text = page_text(app)
    assert "`a.grad` = 8 *(from Square #1)* + 8 *(from Square #2)* = **16**" in text
    assert "final" in text and "- Square (generation 0)" in text
    inspect_picker(app).set_value("v0").run()  # x: not reached yet
    assert "`x.grad` = —" in page_text(app)
    to_end(app)
    assert "`x.grad` = 64 *(from Square)* = **64**" in page_text(app)
    assert "(empty: nothing left to run)" in page_text(app)


def test_partial_grad_is_shown_as_partial(app):
    app.text_area(key="expr").set_value("exp(x) * x").run()
    app.text_input(key="val_x").set_value("1").run()
    backward_step(app, 1)
    assert "grad 2.718 (partial 1/2)" in node_text(app, "v0")  # 1 of 2 arrived
    assert node_state(app, "v0") == "s-partial"
    assert "partial: 1 of 2 contributions so far" in page_text(app)


def test_language_switch(app):
    app.radio(key="lang").set_value("ko").run()
    assert app.title[0].value == "역전파를 한 단계씩 살펴보기"
    sc = scene(app)
    assert sc["lang"] == "ko" and sc["words"]["next"] == "다음"
    assert app.selectbox(key="preset__ko").value == "chain"  # same choice, Korean labels
    assert "(1-9단계)" in app.selectbox(key="preset__ko").format_func("chain")
    assert "기울기" in all_text(app) and "역전파 전" in sc["frames"][sc["start"]]["c"]
    assert list(leaf_table(app)) == ["변수", "값", "역전파 기울기", "수치 미분", "확인"]
    app.text_area(key="expr").set_value("sqr(x)").run()
    assert "알 수 없는 함수 'sqr'" in app.error[0].value and "'square'" in app.error[0].value
    app.radio(key="lang").set_value("en").run()
    assert "Unknown function 'sqr'" in app.error[0].value


def test_higher_order_toggle_steps_the_second_pass(app):
    app.selectbox(key="preset__en").set_value("newton").run()  # turns the toggle on
    assert app.toggle(key="higher_order").value
    assert "Step the backward pass to the end" in page_text(app)  # f'' is not known yet
    assert not app.get("button") or all(b.key != "btn_newton" for b in app.button)
    text = all_text(app)
    assert "dy/dx" in text and "24" in text  # dy/dx at 2
    # order-1 functions (recorded by the first pass) keep their order's border colour
    assert any("b1" in cls.split() for cls, _ in shown(app)[0].values())
    to_end(app)
    assert leaf_table(app)["backprop grad"] == ["44"]  # f''(2)
    assert leaf_table(app)["check"][0].startswith("✔")
    assert "2 − (24) / (44) = **1.455**" in page_text(app)
    app.button(key="btn_newton").click().run()  # Newton: x <- x - f'/f''
    assert app.text_input(key="val_x").value.startswith("1.4545")
    to_end(app)  # a new x: its f'' comes from a new pass
    app.button(key="btn_newton").click().run()
    assert app.text_input(key="val_x").value.startswith("1.151")
    app.toggle(key="higher_order").set_value(False).run()
    assert "dy/dx" not in all_text(app) and frame_step(app) == 0


def test_newton_warns_where_f_second_is_almost_zero(app):
    """x = 1/sqrt(3), the inflection point of the book's x**4 - 2 * x**2: f'' ~ 8.9e-16
    and the step would jump to ~1.7e15."""
    app.selectbox(key="preset__en").set_value("newton").run()
    app.text_input(key="val_x").set_value("0.5773502691896258").run()
    to_end(app)
    warning = " ".join(w.value for w in app.warning)
    assert "is almost 0 here" in warning and "would jump from 0.5774 to 1.7" in warning
    assert app.button(key="btn_newton")  # the step can still be taken, knowingly
    app.text_input(key="val_x").set_value("2.0").run()
    to_end(app)
    assert "is almost 0" not in " ".join(w.value for w in app.warning)


def test_newton_says_when_f_second_is_not_finite(app):
    app.text_area(key="expr").set_value("y = 1 / x").run()
    app.text_input(key="val_x").set_value("0").run()
    app.toggle(key="higher_order").set_value(True).run()
    assert leaf_table(app)["check"][0] == "(not final yet)"  # no verdict before the grad
    to_end(app)
    assert "is not finite here" in page_text(app) and "is 0 here" not in page_text(app)


def test_higher_order_with_respect_to_a_chosen_input(app):
    app.text_area(key="expr").set_value("x**2 * y**3").run()
    app.text_input(key="val_x").set_value("2.0").run()
    app.text_input(key="val_y").set_value("3.0").run()
    app.toggle(key="higher_order").set_value(True).run()
    app.selectbox(key="wrt").set_value("y").run()
    to_end(app)
    # d/dy (x^2 y^3) = 3 x^2 y^2; its grads: d/dx = 6 x y^2 = 108, d/dy = 6 x^2 y = 72
    assert leaf_table(app)["backprop grad"] == ["108", "72"]
    assert "df/dy" in all_text(app)  # the output has no name and y is taken


def test_downloads_offer_the_frame_on_screen_and_the_whole_pass(app):
    with recorded_downloads() as offered:
        backward_step(app, 1)
    assert [b.proto.label for b in app.get("download_button")] == [
        "This step: DOT", "This step: SVG", "This step: PNG", "Whole pass: GIF",
        "Whole pass: HTML"]
    stem = "square_exp_square_x"
    dot = as_bytes(offered[f"{stem}_backward_01.dot"]).decode()
    assert dot.startswith("digraph") and 'fillcolor="#E69F00"' in dot
    svg = as_bytes(offered[f"{stem}_backward_01.svg"]).decode()
    assert "Step 1 of 3: generation 2 runs Square" in svg  # captioned
    assert '<g id="f2">' in svg and 'fill="#E69F00"' in svg  # the running Square, as on screen
    png = Image.open(io.BytesIO(as_bytes(offered[f"{stem}_backward_01.png"])))
    assert png.format == "PNG" and png.width > 100
    gif = Image.open(io.BytesIO(as_bytes(offered[f"{stem}.gif"])))
    assert gif.format == "GIF" and gif.n_frames == 8  # forward and backward frames
    page = as_bytes(offered[f"{stem}.html"]).decode()
    sc = json.loads(page.split('id="agv-scene">', 1)[1].split("</script>", 1)[0])
    on_page = scene(app)  # the same frames over the same layout, and the narrow one too
    assert "<script src" not in page and sc["alt"] == on_page["alt"]
    assert [sc[k] for k in ("frames", "nodes", "edges")] == \
        [on_page[k] for k in ("frames", "nodes", "edges")]


def test_a_huge_lesson_refuses_the_gif_with_a_reason_but_offers_the_page():
    at = new_app()
    at.query_params["bench"] = "1000"
    at.run()
    assert not at.exception
    buttons = {b.proto.label: b.proto for b in at.get("download_button")}
    assert buttons["Whole pass: GIF"].disabled and "nodes" in buttons["Whole pass: GIF"].help
    assert not buttons["Whole pass: HTML"].disabled  # frames are deltas: the page is small
    assert not buttons["This step: PNG"].disabled


@pytest.mark.parametrize("text, fragment", [
    ("9**9**9", "exponent 9**9 in 9**9**9 at line 1, column 4 is too large"),
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
    assert app.error and fragment in unescaped(app.error[0].value), app.error[0].value if \
        app.error else ""
    assert app.session_state.expr == text  # the student's text is kept for fixing
    app.text_area(key="expr").set_value("square(x)").run()
    assert not app.error and not app.exception and "Square" in all_text(app)


def test_user_text_in_messages_is_never_read_as_markdown(app):
    """Issue #9.3: '__import__' showed as a bold 'import', 'x.__class__' likewise."""
    for text, literal in (("__import__('os')", "'__import__'"),
                          ("x.__class__", "x.__class__")):
        app.text_area(key="expr").set_value(text).run()
        raw = app.error[0].value
        assert literal in unescaped(raw) and "__" not in raw  # every _ escaped
    app.radio(key="lang").set_value("ko").run()  # and in Korean
    assert "x.__class__" in unescaped(app.error[0].value) and "__" not in app.error[0].value


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
    warnings = unescaped(" ".join(w.value for w in app.warning))
    assert "Log gave NaN (not a number) and infinity (line 1, column 5)" in warnings
    assert "backward" in warnings  # 1/x at 0 in the backward pass
    assert "trouble" in shown(app)[0]["v1"][0].split()  # a = log(x): vermillion border
    to_end(app)  # stepping still works
    assert frame_step(app) == 2 and not app.exception  # Div, then Log


def test_big_graphs_are_simplified_with_a_notice(app):
    app.sidebar.select_slider(key="max_nodes").set_value(100).run()
    app.selectbox(key="preset__en").set_value("goldstein").run()
    app.toggle(key="higher_order").set_value(True).run()
    assert not app.exception
    notice = " ".join(i.value for i in app.info)
    assert "more than the 100 drawn in full" in notice
    assert len(scene(app)["nodes"]) <= 100
    backward_step(app, 1)
    assert not app.exception


def test_display_options(app):
    width = scene(app)["width"]
    app.toggle(key="projector").set_value(True).run()
    assert "html{font-size:20px}" in page_text(app) and player_payload(app)["projector"]
    assert not app.title  # the graph is the hero: no page title in projector mode
    app.sidebar.radio(key="rankdir__en").set_value("TB").run()
    assert not app.exception and scene(app)["rankdir"] == "TB"
    assert scene(app)["width"] < width  # a chain drawn top to bottom is narrow


def test_bench_query_parameter_is_an_allow_list():
    at = new_app()
    at.query_params["bench"] = "ladder-200"
    at.run()
    assert abs(len(scene(at)["nodes"]) - 200) < 10
    other = new_app()
    other.query_params["bench"] = "5000000"  # anything else is ignored
    other.run()
    assert not other.exception and len(scene(other)["frames"]) == 8


def test_what_if_shows_the_naive_pass_next_to_the_real_one(app):
    app.selectbox(key="preset__en").set_value("diamond").run()
    app.selectbox(key="pitfall__en").set_value("no_generations").run()
    text = app.code[0].value
    assert "Add → Square → Square* → Square" in text
    assert "x.grad: 32 (naive) / 64 (real)  ✘" in text
    assert "Step 16" in page_text(app)
    app.selectbox(key="pitfall__en").set_value("inplace").run()  # nothing to see here
    assert "Try the example “x + x, then (x + x) + x (step 14)”" in page_text(app)
    app.radio(key="lang").set_value("ko").run()
    app.selectbox(key="pitfall__ko").set_value("recursion").run()
    assert "RecursionError" in app.code[0].value and not app.exception


def test_no_cleargrad_shows_the_book_s_5_against_3(app):
    """Step 14 as the notes print it: add(x, x).backward() leaves x.grad = 2.0; with
    x.cleargrad() the next pass, add(add(x, x), x), gives 3.0; without it, 5.0."""
    app.selectbox(key="preset__en").set_value("x_plus_x").run()
    app.selectbox(key="pitfall__en").set_value("no_cleargrad").run()
    text = app.code[0].value
    assert text.splitlines()[0] == "Earlier, with the same inputs: y = x + x, then backward()"
    assert "x.grad: 5 (naive) / 3 (real)  ✘" in text
    app.text_area(key="expr").set_value("x * y").run()  # no earlier computation declared
    text = app.code[0].value
    assert text.splitlines()[0] == "Earlier: this same backward(), once"
    assert not app.exception


def test_the_inspector_picker_follows_the_lesson(app):
    """Issue #9.4: the picker kept showing 'x = 0.5' after another example was picked."""
    first = inspect_picker(app)
    assert first.format_func(first.value) == "x = 0.5"
    app.selectbox(key="preset__en").set_value("xy_plus_z").run()
    picker = inspect_picker(app)
    assert picker.key != first.key  # a new widget: no label from the last lesson
    assert picker.format_func("v0") == "x = 3"


def test_issue_9_details_on_the_graph(app):
    app.text_area(key="expr").set_value("y = x * 2").run()
    legend = [item[1] for item in scene(app)["legend"]]
    assert "s-constant" in legend  # the grey dotted constant has a legend entry (#9.16)
    app.text_area(key="expr").set_value("y = log(x) / x").run()
    app.text_input(key="val_x").set_value("[-1, 0, 2]").run()
    to_end(app)
    assert "trouble" in shown(app)[0]["v0"][0].split()  # x's grad became NaN: marked (#9.14)
    app.radio(key="lang").set_value("ko").run()
    words = {item[1]: item[2] for item in scene(app)["legend"]}
    assert words["s-pending"] == "함수: 대기 중" and words["s-current"] == "함수: 실행 중"
    assert words["s-no_grad_yet"] == "변수: 아직 기울기 없음"
    assert words["s-partial"] == "변수: 기울기 일부 도착" if "s-partial" in words else True
    captions = [f["c"] for f in scene(app)["frames"]]
    assert "역전파 전 (0/2): 출력의 기울기를 1로 둡니다" in captions
    assert "1/2단계: 세대 1의 Div 실행" in captions


def test_a_students_steps_leave_the_players_data_as_it_was(app):
    """The browser steps and reports; the app does not echo the frame back, so the player's
    data (the whole scene: 52 KB here, 463 KB for the 80-term sum) stays the same and
    Streamlit sends it once instead of with every step (tests/app/test_browser.py counts
    the bytes). When the app itself moves the player, the move is numbered anew."""
    before = player_payload(app)
    for k in (1, 2, 3):
        backward_step(app, k)
        assert frame_step(app) == k and player_payload(app) == before
    app.session_state["step"] = scene(app)["start"]
    app.run()  # as a link or the browser's back button does: the app moves the player
    moved = player_payload(app)
    assert moved["push"] == before["push"] + 1 and moved["step"] == scene(app)["start"]
    assert frame_step(app) == 0


def test_a_small_graph_carries_its_top_to_bottom_layout_from_the_first_run(app):
    """The book's examples: a narrow window's first graph is already top to bottom."""
    assert not player_payload(app)["askNarrow"] and scene(app)["alt"]["rankdir"] == "TB"
    assert len(scene(app)["nodes"]) <= ALWAYS_NARROW_NODES


def test_a_big_graphs_top_to_bottom_layout_is_laid_out_for_a_narrow_screen_only(app):
    """Most screens never use it: a big graph's scene has it once a player said it is
    narrow (from then on for the session), and the HTML file always (it is opened
    anywhere)."""
    app.text_area(key="expr").set_value(BIG_SUM).run()
    data = player_payload(app)
    assert len(scene(app)["nodes"]) > ALWAYS_NARROW_NODES
    assert data["askNarrow"] and "alt" not in scene(app)
    backward_step(app, 2)
    narrow_screen(app)
    data = player_payload(app)
    assert not data["askNarrow"] and scene(app)["alt"]["rankdir"] == "TB"
    assert on_screen(app) == scene(app)["start"] + 2  # the frame it was at
    app.text_area(key="expr").set_value(BIG_SUM + " + 31*x").run()
    assert "alt" in scene(app)
    fresh = new_app()
    fresh.session_state["expr"] = BIG_SUM
    fresh.run()
    assert "alt" not in scene(fresh)
    lesson = lesson_for(ui.spec(fresh.session_state, ["x"]))
    page = downloads.pass_html(lesson, ui.frame_options(fresh.session_state))
    assert '"alt":{"rankdir":"TB"' in page


def test_a_big_scene_is_not_sent_again_with_every_run():
    """The 80-term sum's 371 KB of scene text goes once: the element goes once more
    without it (each run would serialize and hash it again, ~10 ms), then stays the same
    from step to step. The book's 5 KB scenes ride along instead (no second element)."""
    at = first_run_only()
    at.query_params["bench"] = "sum80"
    at.run()
    first = player_element_data(at)
    assert len(first["scene"]) > player.KEEP_TEXT_CHARS
    painted(at)  # the rest of the page
    after = player_element_data(at)
    assert after["scene"] is None and after["sceneId"] == first["sceneId"]
    assert json.loads(scene_text(at))["id"] == first["sceneId"]  # the page holds it
    report(at, step=scene(at)["start"] + 1)
    assert player_element_data(at) == after
    small = first_run_only().run()
    painted(small)
    assert player_element_data(small)["scene"] is not None  # the same element again


def test_the_scene_goes_to_the_page_once_and_again_when_the_page_lost_it():
    """The scene's text goes with the first run that shows it. The player's own element
    stays as it was, text and all, while only moves change (a clicked node, a step, a
    link: they go in the moves' small element), so Streamlit sends a reference: the whole
    page filling in around the graph drawn alone costs no second element either. Data
    that does change (projector mode) carries the scene's id alone, which the page holds.
    A page that lost the scene asks (the trigger "need") and gets it again; so does a
    player drawn anew after the other page."""
    def move(at):  # as a link or the back button does: the app moves the player
        at.session_state["step"] = 0
        return at.run()

    at = first_run_only().run()
    first = player_element_data(at)
    assert json.loads(first["scene"])["id"] == first["sceneId"] and first["reportPaint"]
    painted(at)  # the rest of the page: the same data
    assert player_element_data(at) == first
    report(at, selected="v1")  # a clicked node: nothing new for the player
    assert player_element_data(at) == first and at.session_state["inspect"] == "v1"
    at.text_area(key="expr").set_value("x ** 3").run()  # another lesson: its scene
    new = player_element_data(at)
    assert json.loads(new["scene"])["id"] == new["sceneId"] and not new["reportPaint"]
    at.run()
    assert player_element_data(at) == new
    move(at)  # a move: the moves' element alone, a few hundred bytes
    moves = moves_data(at)
    assert player_element_data(at) == new and player_payload(at)["step"] == 0
    assert moves["push"] > new["push"] and len(json.dumps(moves)) < 300 < len(new["scene"])
    at.toggle(key="projector").set_value(True).run()  # the player's data changes: no text
    data = player_element_data(at)
    assert data["projector"] and data["scene"] is None and data["sceneId"] == new["sceneId"]
    ask_for_the_scene(at, "an-older-scene")  # a stale question changes nothing
    assert player_element_data(at) == data
    ask_for_the_scene(at, data["sceneId"])
    assert json.loads(player_payload(at)["scene"])["id"] == data["sceneId"]
    at.radio(key="page").set_value("train").run()  # the lesson's player leaves the page
    at.radio(key="page").set_value("lesson").run()
    assert json.loads(player_payload(at)["scene"])["id"] == player_payload(at)["sceneId"]


def test_a_typo_keeps_the_value_boxes_and_their_values(app):
    """Issue #27.19: while the expression has an error the value boxes stayed away."""
    app.text_area(key="expr").set_value("x * w + b").run()
    app.text_input(key="val_w").set_value("-0.5").run()
    app.text_area(key="expr").set_value("x * w + ").run()  # a typo on the way
    assert app.error and "(no variables)" not in page_text(app)
    assert sorted(box.label for box in app.text_input if str(box.key).startswith("val_")) == \
        ["b", "w", "x"]
    assert app.text_input(key="val_w").value == "-0.5"
    assert "until the expression is fixed" in page_text(app)
    app.text_area(key="expr").set_value("x * w + b").run()  # fixed: the same values
    assert not app.error and app.text_input(key="val_w").value == "-0.5"


def test_a_bad_value_dims_the_graph_until_that_value_is_fixed(app):
    """Issue #27.23: the caption blamed the expression when a value was wrong."""
    app.text_input(key="val_x").set_value("[1, 2").run()
    assert "The value of x" in app.error[0].value
    assert "dimmed until the value of x is fixed" in page_text(app)
    assert "until the expression is fixed" not in page_text(app)


def test_a_paste_over_the_limit_is_told_the_limit(app):
    """Issue #27.20: pasting more than 2,000 characters did nothing, with no message."""
    box = app.text_area(key="expr")
    assert box.max_chars is None or box.max_chars > 2000
    box.set_value("x + " * 600 + "x").run()
    assert "The text is 2,401 characters long; the limit is 2,000" in app.error[0].value


def test_a_value_box_takes_a_fraction_as_the_quiz_box_does(app):
    """Issue #27.25: the quiz accepted 1/2 but a value box rejected it."""
    app.text_input(key="val_x").set_value("1/2").run()
    assert not app.error
    to_end(app)
    assert leaf_table(app)["backprop grad"] == ["3.297"]  # the seeds' square(exp(square(0.5)))
    app.text_input(key="val_x").set_value("1/0").run()
    assert "divides by zero" in app.error[0].value


def test_a_matrix_value_gets_a_box_as_wide_as_the_values(app):
    """Issue #27.25: a 4x3 matrix did not fit the half-column box: it gets the row."""
    app.text_area(key="expr").set_value("y = sum(matmul(x, W))").run()
    matrix = "[[1, 2, 3], [4, 5, 6], [7, 8, 9], [10, 11, 12]]"
    app.text_input(key="val_x").set_value("[[1, 2, 3, 4]]").run()
    app.text_input(key="val_W").set_value(matrix).run()
    assert not app.exception and not app.error

    def columns_holding(key: str) -> int:  # the values' column, and a half of it
        return sum(any(w.key == key for w in column.text_input) for column in app.columns)

    assert columns_holding("val_W") == 1 and columns_holding("val_x") == 2
    app.text_input(key="val_x").set_value("[[1, 2, 3, 4], [4, 3, 2, 1]]").run()
    assert columns_holding("val_x") == 1  # long now: a row of its own
    assert app.text_input(key="val_W").value == matrix and not app.error


def test_the_lesson_s_options_survive_a_visit_to_the_training_page(app):
    """The training page does not draw the lesson's toggles; back on the lesson they are
    as they were (a random walk found the quiz switched off by the visit)."""
    for key in ("quiz", "projector", "higher_order"):
        app.toggle(key=key).set_value(True).run()
    app.radio(key="page").set_value("train").run()
    app.radio(key="page").set_value("lesson").run()
    assert not app.exception
    assert [app.toggle(key=k).value for k in ("quiz", "projector", "higher_order")] == \
        [True, True, True]
