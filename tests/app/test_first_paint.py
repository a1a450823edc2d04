"""A new session's first run draws the graph alone; the whole page follows once the
player reports it painted (classroom.state.graph_first, issue #8's page-load target).

These runs use plain AppTest (no player reports): the browser's part is sent by hand
with app_helpers.painted, and checked in a real browser in test_browser.py.
"""

from __future__ import annotations

from app_helpers import first_run_only, on_screen, page_text, painted, player_payload, report

from classroom import state as ui

HOSTILE = "<img src=x onerror=alert(1)>"


def sidebar_text(at) -> str:
    return "\n".join(c.value for c in at.sidebar.caption)


def test_the_first_run_sends_the_graph_alone_and_waits_for_it():
    at = first_run_only().run()
    assert not at.exception
    data = player_payload(at)
    assert data["reportPaint"] is True and data["step"] == 4
    # no widget whose code the browser would fetch before it can draw the graph
    assert not at.text_area and not at.text_input and not at.selectbox and not at.radio
    assert not at.toggle and not at.button and not at.get("download_button")
    text = page_text(at)
    assert 'data-testid="ag-placeholder"' in text and "square(exp(square(x)))" in text
    assert "Understood as" in text and "Loading the controls" in sidebar_text(at)
    assert at.session_state.graph_only is True and at.session_state.page_shown is False


def test_the_painted_report_draws_the_whole_page_around_the_same_player():
    at = first_run_only().run()
    first = player_payload(at)
    painted(at)
    assert not at.exception
    # the same data (its page has reported and reports once): Streamlit sends a reference,
    # not the element and the player's code again
    assert player_payload(at) == first and first["step"] == 4
    assert at.text_area(key="expr").value == "square(exp(square(x)))"
    assert at.text_input(key="val_x").value == "0.5"
    assert at.radio(key="page").value == "lesson" and at.get("download_button")
    assert 'data-testid="ag-placeholder"' not in page_text(at)
    assert "Loading" not in sidebar_text(at)
    assert at.session_state.graph_only is False and at.session_state.page_shown is True
    # a later report (a step) keeps the whole page, and nothing waits any more
    report(at, step=5)
    assert at.text_area(key="expr").value and player_payload(at) == first
    assert at.session_state.step == 5


def test_a_step_reported_before_the_painted_one_is_kept():
    at = first_run_only().run()
    report(at, step=6, painted=False)  # a key pressed before the report went out
    assert at.session_state.step == 6 and at.session_state.graph_only is True
    painted(at)
    assert on_screen(at) == 6 and at.text_area(key="expr").value


def test_a_links_notice_outlives_the_graph_only_run():
    at = first_run_only()
    at.query_params["expr"] = "x" * 5000
    at.run()
    assert "could not be used" in page_text(at)  # said at once, under the graph
    painted(at)
    assert "could not be used" in page_text(at)  # and still there on the whole page
    at.run()
    assert "could not be used" not in page_text(at)  # said once


def test_the_placeholder_shows_a_hostile_expression_as_text():
    at = first_run_only()
    at.query_params["expr"] = f"y = x  # {HOSTILE}"
    at.run()
    text = page_text(at)
    assert HOSTILE not in text and "&lt;img src=x onerror=alert(1)&gt;" in text


def test_an_error_draws_the_whole_page_at_once():
    at = first_run_only()
    at.run()
    painted(at)
    at.text_area(key="expr").set_value("x +").run()  # an error under the last good graph
    assert at.error
    fresh = first_run_only()  # a new session opened on a lesson that does not build
    fresh.session_state["expr"] = "x +"
    fresh.session_state["last_good"] = at.session_state["last_good"]
    fresh.run()
    at = fresh
    assert not at.exception and at.text_area(key="expr")
    assert at.session_state.graph_only is False


def test_only_a_sessions_first_view_waits_for_its_graph():
    at = first_run_only()
    at.session_state["expr"] = "x +"  # a session opened on a lesson that does not build
    at.run()
    assert at.session_state.graph_only is False and at.session_state.page_shown is True
    at.text_area(key="expr").set_value("y = x * 2").run()  # fixed: its graph, and the rest
    assert at.session_state.graph_only is False and at.text_area(key="expr")
    assert player_payload(at)["reportPaint"] is False


def test_the_training_page_first_then_a_lesson_draws_the_whole_lesson_page():
    at = first_run_only()
    at.session_state["page"] = "train"
    at.run()
    assert not at.exception
    at.radio(key="page").set_value("lesson").run()
    assert at.session_state.graph_only is False and at.text_area(key="expr")
    assert player_payload(at)["reportPaint"] is False
    ui.player_painted(at.session_state, "player")  # a stray report changes nothing
    assert ui.rest_of_page_due(at.session_state) is False


def test_projector_mode_keeps_the_placeholder_in_the_folded_box():
    at = first_run_only()
    at.query_params["projector"] = "1"
    at.run()
    assert at.expander and 'data-testid="ag-placeholder"' in page_text(at)
    painted(at)
    assert at.text_area(key="expr").value


def test_a_student_opening_the_rooms_link_sees_the_teachers_graph_first():
    from app_helpers import backward_step, new_app

    teacher = new_app().run()
    teacher.button(key="btn_start_class").click().run()
    backward_step(teacher, 2)
    student = first_run_only()
    student.query_params["room"] = teacher.query_params["room"]
    student.run()
    assert not student.exception and student.session_state.graph_only is True
    data = player_payload(student)
    assert data["locked"] and data["reportPaint"] and data["step"] == \
        on_screen(teacher)
    assert not student.text_area and "teacher steps" not in page_text(student)
    painted(student)  # from inside the room's polling fragment: the whole page follows
    assert not student.exception and student.session_state.graph_only is False
    assert student.text_area(key="expr").disabled and "teacher steps" in page_text(student)
    assert on_screen(student) == on_screen(teacher)


def test_a_links_bad_parameter_names_are_shown_as_text():
    at = first_run_only()
    at.query_params["v_[click](http://e.vil)"] = "1"  # a name the link cannot use
    at.run()
    painted(at)
    notice = next(i.value for i in at.info if "could not be used" in i.value)
    assert "[click](http://e.vil)" not in notice  # Markdown would make it a link
    assert r"\[click\]\(http://e\.vil\)" in notice


def test_the_controls_do_not_wait_for_a_player_that_never_reports():
    state = dict(ui.DEFAULTS)
    assert ui.graph_first(state, drawable=True)
    assert not ui.graph_wait_over(state)  # the fragment's run with the page: still waiting
    assert ui.graph_wait_over(state)  # its first timed run: the whole page, once
    assert state["page_shown"] and not ui.graph_wait_over(state)
    assert not ui.graph_first(state, drawable=True)  # and every later run draws it whole
    painted_in_time = dict(ui.DEFAULTS)
    ui.graph_first(painted_in_time, drawable=True)
    assert not ui.graph_wait_over(painted_in_time)
    painted_in_time["player"] = {"painted": True}
    ui.player_painted(painted_in_time, "player")
    assert not ui.graph_wait_over(painted_in_time)
