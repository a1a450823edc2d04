"""Every control of app.py, through streamlit.testing.v1.AppTest."""

from __future__ import annotations

from app_helpers import graph_svg, node_fill

from classroom.presets import BY_KEY


def test_opens_on_the_seed_chain_ready_to_teach(app):
    assert app.session_state.expr == "square(exp(square(x)))"
    assert app.text_input(key="val_x").value == "0.5"
    svg = graph_svg(app)
    assert all(f'id="{n}"' in svg for n in ("v0", "v1", "v2", "v3", "f0", "f1", "f2"))
    assert "1.649" in svg  # y's value on its node
    assert app.session_state.step == 0 and app.session_state.n_steps == 3


def test_step_controls_recolour_the_running_function(app):
    before = node_fill(app, "f2")
    app.button(key="btn_next").click().run()
    assert app.session_state.step == 1
    assert node_fill(app, "f2") == "#e69f00" != before  # the last Square runs in step 1
    app.button(key="btn_next").click().run()
    assert node_fill(app, "f1") == "#e69f00" and node_fill(app, "f2") == "#56b4e9"
    app.button(key="btn_prev").click().run()
    assert app.session_state.step == 1
    app.button(key="btn_end").click().run()
    assert app.session_state.step == 3
    assert "grad 3.297" in graph_svg(app)
    assert app.button(key="btn_next").disabled and app.button(key="btn_end").disabled
    app.button(key="btn_reset").click().run()
    assert app.session_state.step == 0
    app.slider(key="step").set_value(2).run()
    assert app.session_state.step == 2 and not app.exception


def test_typing_an_expression_and_values(app):
    app.text_area(key="expr").set_value("x*y + z").run()
    for name, value in {"x": "3.0", "y": "2.0", "z": "1.0"}.items():
        app.text_input(key=f"val_{name}").set_value(value).run()
    assert not app.exception and app.session_state.step == 0
    assert "Mul" in graph_svg(app) and "7" in graph_svg(app)
    app.button(key="btn_end").click().run()
    table = app.dataframe[0].value
    assert list(table["backprop grad"]) == ["2", "3", "1"]
    assert all(v.startswith("✔") for v in table["check"])


def test_presets_load_text_and_values(app):
    app.selectbox(key="preset").set_value("diamond").run()
    assert app.session_state.expr == BY_KEY["diamond"].text
    app.button(key="btn_end").click().run()
    table = app.dataframe[0].value
    assert list(table["backprop grad"]) == ["64"]
    app.selectbox(key="preset").set_value("goldstein").run()
    app.button(key="btn_end").click().run()
    assert list(app.dataframe[0].value["backprop grad"]) == ["-5376", "8064"]
    for key in BY_KEY:
        app.selectbox(key="preset").set_value(key).run()
        assert not app.exception and not app.error, key


def test_side_panel_queue_and_contributions(app):
    app.selectbox(key="preset").set_value("diamond").run()
    app.button(key="btn_next").click().run()
    side = " ".join(m.value for m in app.markdown)
    assert "`Square` (generation 1)" in side
    app.selectbox(key="inspect").set_value("v1").run()  # a = square(x)
    app.button(key="btn_next").click().run()
    side = " ".join(m.value for m in app.markdown)
    assert "`Square` → 8" in side and "= **16**" in side


def test_language_switch(app):
    app.radio(key="lang").set_value("ko").run()
    assert app.title[0].value == "역전파를 한 단계씩 살펴보기"
    assert app.button(key="btn_next").label == "다음 단계 ▶"
    app.text_area(key="expr").set_value("sqr(x)").run()
    assert "알 수 없는 함수" in app.error[0].value


def test_higher_order_toggle_steps_the_second_pass(app):
    app.selectbox(key="preset").set_value("newton").run()
    app.toggle(key="higher_order").set_value(True).run()
    assert not app.exception
    svg = graph_svg(app)
    assert "order 1" in svg and "dy/dx" in svg
    app.button(key="btn_end").click().run()
    table = app.dataframe[0].value
    assert list(table["backprop grad"]) == ["44"]  # f''(2)
    assert table["check"][0].startswith("✔")


def test_downloads_are_offered(app):
    labels = [b.proto.label for b in app.get("download_button")]
    assert labels == ["Frame as DOT", "Frame as SVG", "Frame as PNG", "Whole pass as GIF",
                      "Whole pass as HTML player"]


def test_bad_input_gets_a_clear_message_and_the_app_keeps_working(app):
    cases = {
        "9**9**9": "exponent",
        "__import__('os').system('id')": "not allowed",
        "sqr(x)": "Did you mean 'square'?",
        "x +": "not a valid expression",
        "(" * 50 + "x" + ")" * 50: "nested",
        "x.data": "attribute access",
    }
    for text, fragment in cases.items():
        app.text_area(key="expr").set_value(text).run()
        assert not app.exception, text
        assert fragment in app.error[0].value, text
        assert app.session_state.expr == text  # the student's text is kept
    app.text_area(key="expr").set_value("square(x)").run()
    app.text_input(key="val_x").set_value("[1, 2").run()
    assert "not a number or a list" in app.error[0].value
    app.text_input(key="val_x").set_value("[1, 2]").run()
    assert not app.error and not app.exception


def test_numerical_trouble_is_shown_and_drawn(app):
    app.text_area(key="expr").set_value("log(x) / x").run()
    app.text_input(key="val_x").set_value("[-1, 0, 2]").run()
    assert not app.exception
    assert any("produced nan" in w.value for w in app.warning)
    assert "\u26a0" in graph_svg(app)


def test_downloaded_frame_files_are_the_rendered_frame(monkeypatch, app):
    # AppTest discards download bytes after a run; record them as they are stored.
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    stored: dict[str, bytes] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def record(self, path_or_data, mimetype, kind, filename=None):
        if filename:
            stored[filename] = path_or_data
        return original(self, path_or_data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", record)
    app.button(key="btn_next").click().run()
    dot = stored["step_001.dot"].decode() if isinstance(stored["step_001.dot"], bytes) \
        else stored["step_001.dot"]
    assert dot.startswith("digraph autograd {") and 'f2 [id="f2"' in dot
    assert 'fillcolor="#E69F00"' in dot  # the running Square, as on screen
    svg = stored["step_001.svg"]
    svg = svg.decode() if isinstance(svg, bytes) else svg
    assert "<svg" in svg and 'id="f2"' in svg
