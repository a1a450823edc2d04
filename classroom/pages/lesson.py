"""The lesson page: type an expression (or pick one of the book's examples), see its
graph, step its backward pass, alone, in a quiz, or as a class in a live room.

:func:`show` draws the page top to bottom for one script run. What the run worked out
first (the session, the room this page is in and its role there, the inputs and the
lesson's spec) travels in a :class:`Page`; the rest are the page's parts, each a
function of it. The session is plain data changed in callbacks (``classroom.state``).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import streamlit as st

from classroom import downloads, links, player, quiz, rooms, server, torch_side
from classroom import state as ui
from classroom.checks import leaf_table
from classroom.i18n import LANGUAGES, error_text, t
from classroom.lesson import (
    MAX_TYPED_CHARS,
    LessonError,
    LessonSpec,
    function_names,
    lesson_for,
)
from classroom.newton import newton_step
from classroom.pages import copy_link, push
from classroom.pages.components import STUDENT_KEY, browser_student, mount
from classroom.pages.shared import page_picker, tell_link_problems
from classroom.panel import default_variable, grad_sum, queue, variable_label
from classroom.presets import BY_KEY, picker_keys
from classroom.synthetic import bench_spec
from classroom.view import expression_placeholder, literal, page_css, understood_html
from viz.i18n import t as viz_t
from viz.model.explain import value_text
from viz.model.pitfalls import PITFALLS, SHOWS_IN


@dataclass
class Page:
    """One run of the lesson page: the session, its language, the room it is in (if any)
    and its part in it, and the lesson's inputs and spec."""

    ss: Any
    lang: str
    room_store: Any
    code: str | None = None
    room: rooms.Room | None = None
    teacher: bool = False
    student: bool = False
    names: list[str] = field(default_factory=list)
    spec: LessonSpec | None = None
    reconnecting: bool = False  # the room's store does not answer, or lost the room


def show(ss: Any) -> None:
    """The whole lesson page (app.py has set the page up and read the link)."""
    p = join_the_room(Page(ss, ss.lang, rooms.store()))
    st.html(page_css(projector=ss.projector))
    # --- the lesson: plain data in the session (the widgets below change it) ---------------
    p.names = ui.input_names_kept(ss, ss.expr)  # a typo keeps the boxes (and their values)
    ui.show_value_boxes(ss, p.names)
    ui.choose_wrt(ss, p.names)
    p.spec = bench_spec(st.query_params.get("bench")) or ui.spec(ss, p.names)
    ui.follow_lesson(ss, p.spec)  # another lesson (or drawing) opens at its start
    with server.collector_paused():  # a lesson's build: short-lived objects by the thousand
        try:
            lesson, problem = lesson_for(p.spec), None
            ss.last_good = ui.plain_spec(p.spec)
        except LessonError as error:  # the last good graph stays on screen, marked out of date
            problem = error
            lesson = lesson_for(ui.spec_from_plain(ss.last_good)) if ss.last_good else None
    # A new session's first run draws the graph alone, in the page's frame; the player
    # reports when it is on screen and the rest of the page follows (classroom.state).
    ui.graph_first(ss, lesson is not None and problem is None)

    # The page top to bottom: title, expression and values, messages, the graph. The graph
    # is sent to the browser first (its player takes longest to start), the rest fills in.
    top, graph = st.container(), st.container()
    scene = opts = None
    if lesson is not None:
        opts = ui.frame_options(ss)
        with server.collector_paused():
            scene = opts.scene(lesson)
        ss.n_frames = scene.n_frames
        if ss.inspect not in lesson.variable_ids:
            ss.inspect = default_variable(lesson)
        with graph:
            if p.student:  # pushed to when the room moves (polling where it cannot be)
                st.fragment(follow_the_teacher, run_every=None if push.pushing()
                            else rooms.POLL_S)(p, lesson, scene, opts, problem)
                push.rerun_on_reconnect()
            else:
                lesson_view(p, lesson, scene, opts, problem, p.room.view if p.room else {})
    if ss.graph_only:  # the sidebar's place is kept: the graph keeps its size as it fills in
        st.sidebar.caption(t("loading_controls", p.lang))
        wait_for_the_graph(p)
    else:
        show_sidebar(p)
    with top:
        show_top(p, lesson, scene, problem)
    if p.student and not ss.graph_only:  # the panel comes with the graph as the teacher steps
        show_downloads(p, lesson, scene, opts, frame=False, asking=quiz_asking(p, lesson, scene))
        publish_view(p, scene)


# --- a live room: the teacher drives, students follow (classroom.rooms) -----------------------
def join_the_room(p: Page) -> Page:
    """The room this page's link names, and this page's part in it. A store that does not
    answer (or lost the room) leaves a page that was in the room in it, as it was, saying
    it is reconnecting: the teacher's page shares its view again as soon as it can."""
    ss = p.ss
    code = rooms.normalize_code(st.query_params.get("room"))
    token = st.query_params.get("teacher")
    opened_now = False  # this session opens the room's link in this run
    try:
        room = p.room_store.get(code) if code else None
        teacher = room is not None and p.room_store.is_teacher(code, token)
    except rooms.RoomError:  # unreachable
        room, teacher = None, False
        p.reconnecting = True
    if room is None and code and ss.room_joined == code and ss.room_role:
        # this page was in the room: it stays, with what it shows (the lesson is the
        # session's own), until the store answers or the teacher's page restores the room
        p.reconnecting = True
        room = rooms.Room(code, ss.room_last or {}, ss.room_version or 0)
        teacher = ss.room_role == "teacher" and rooms.same_token(ss.room_token, token)
    elif code and ss.room_joined != code:  # opening a room's link is a join
        if room is not None and not room.ended:
            ss.room_joined, opened_now = code, True
        elif ss.room_tried != code and not p.reconnecting:  # a failed join, counted once a
            ss.room_tried = code                          # session (guessing: limited)
            with contextlib.suppress(rooms.RoomError):
                if not p.room_store.allow_failed_join(client(p)):
                    ss.room_error, code, room = "too_many_joins", None, None
    if room is not None and room.ended and not teacher:  # the teacher ended it: our page again
        ss.room_notice = "room_ended"
        st.query_params.pop("room", None)
        code, room = None, None
    p.code, p.room, p.teacher = code, room, teacher
    p.student = room is not None and not teacher
    if not p.student:
        push.forget()  # (a page that left its room is not woken for it any more)
    if room is not None and not p.reconnecting:  # what this page knows of the room
        ss.room_role = "teacher" if teacher else "student"
        ss.room_token = rooms.token_digest(token) if teacher else None
        ss.room_last = dict(room.view)
    if teacher and opened_now:  # a teacher's page opened again (a refresh, a link copied an
        rooms.resume_teaching(ss, room)  # hour ago): the room's lesson and step win over it
    if p.student and not p.reconnecting:
        rooms.follow(ss, room)  # the teacher's lesson, step and options
    if p.student:  # its answers are counted under its browser's id (the session's until
        ui.session_id(ss)  # the browser has said it, or when it keeps no storage)
        browser_student(ss, partial(ui.browser_student, ss, STUDENT_KEY))
    return p


def client(p: Page) -> str:
    """Who a failed join or an answer counts against (asked only then: a session's id is
    made when needed, see ui.session_id)."""
    ss = p.ss
    return rooms.client_id(st.context.ip_address, st.context.headers, ui.session_id(ss))


# --- the graph: one layout, every frame stepped in the browser -------------------------------
def place_step(p: Page, lesson, scene) -> int | None:
    """This run's frame (a link's or the teacher's, kept inside the lesson) and, in a quiz,
    the furthest frame revealed: frames after the next question are never sent."""
    ss = p.ss
    if (resumed := ss.pop("resume_quiz", None)) is not None:  # (rooms.resume_teaching)
        ss.quiz_reached, ss.quiz_result = resumed
    if (link_step := ss.pop("link_step", None)) is not None:
        ss.step = None if link_step == links.OPENING else link_step  # the frame a link points at
    if p.student:
        ss.quiz_reached = ss.room_reached
    if ss.step is None:
        ss.step = 0 if ss.open_at == "forward" else scene.start
    ss.step = max(0, min(int(ss.step), scene.n_frames - 1))
    quiz_on = ss.quiz and lesson.n_steps > 0
    if quiz_on and (ss.quiz_reached is None or ss.quiz_reached < scene.start):
        ss.quiz_reached = scene.start  # a quiz starts at the start (a link's step included)
    reached = ss.quiz_reached if quiz_on else None
    if reached is not None:
        ss.step = min(ss.step, reached)
    return reached


def asked_label(p: Page, lesson, scene, frame: int, stored: str) -> str:
    """What the question answered by revealing ``frame`` asked about, in this page's own
    language (a room stores the teacher's words; a language switch comes after the answer)."""
    lang = p.lang
    asked = quiz.question(lesson, frame - 1 - scene.start, lang)
    return asked.label if asked is not None else stored


def quiz_asking(p: Page, lesson, scene) -> bool:
    """A quiz is on and has not revealed the last frame: nothing may show a later grad."""
    ss = p.ss
    return (bool(ss.quiz) and lesson.n_steps > 0 and ss.quiz_reached is not None
            and ss.quiz_reached < scene.n_frames - 1)


def ask_to_predict(p: Page, form_key, question, button, on_submit, args) -> None:
    """The prediction form (a student alone reveals; in a room, sends) and why an answer
    could not be read."""
    ss, lang = p.ss, p.lang
    with st.form(form_key, border=True, enter_to_submit=True):
        st.text_input(t("quiz_ask", lang, label=question.label, k=question.step),
                      key="quiz_guess", max_chars=quiz.MAX_ANSWER,
                      placeholder=t("quiz_placeholder", lang))
        st.form_submit_button(t(button, lang), type="primary", on_click=on_submit, args=args)
    if ss.quiz_error:
        st.error(t(f"quiz_error_{ss.quiz_error}", lang))


def show_graph(p: Page, lesson, scene, problem, room_view) -> bool:
    """The player at this run's frame and, in a quiz, the question, the answer or the tally.
    True while a quiz is still asking: then nothing else on the page may show a later grad."""
    ss, lang = p.ss, p.lang
    # the top-to-bottom layout only once a player here was on a narrow screen (it asks)
    no_narrow_layout = ss.rankdir == "auto" and scene.narrow_layout is None
    if ui.rest_of_page_due(ss) or (no_narrow_layout and ss.narrow):
        st.rerun(scope="app")  # the whole page: after the graph drawn alone, or to lay out TB
    reached = place_step(p, lesson, scene)
    quiz_on = reached is not None
    question = (quiz.question(lesson, reached - scene.start, lang) if reached is not None
                else None)
    question_id = f"{ss.shown}:{reached}"
    answers_here = (question is not None and problem is None and not p.teacher
                    and question_id not in (ss.room_answers or {}))
    mount(player.player_data(scene, ss.step, question.node_id if question
                                    else ss.inspect, ss.projector,
                                    stale=problem is not None, upto=reached,
                                    locked="teacher" if p.student else False,
                                    report_paint=ss.graph_only,
                                    ask_narrow=no_narrow_layout,
                                    answer_box=("quiz_guess", question_id) if answers_here
                                    else None,
                                    state=ss),
                 state=ss,
                 on_step=partial(ui.teacher_stepped, ss, player.KEY, p.code,
                                 st.query_params.get("teacher")) if p.teacher
                 else partial(ui.player_stepped, ss, player.KEY),
                 on_selected=partial(ui.player_selected, ss, player.KEY,
                                     lesson.variable_ids),
                 on_painted=partial(ui.player_painted, ss, player.KEY),
                 on_narrow=partial(ui.player_narrow, ss, player.KEY))
    asking = quiz_asking(p, lesson, scene)
    if ss.graph_only:  # the question and its form come with the rest of the page
        return asking
    if quiz_on and problem is None and p.room is None:  # alone: predict, then reveal
        result = ss.quiz_result
        if result is not None and result["frame"] == reached:
            verdict = "quiz_right" if result["right"] else "quiz_wrong"
            (st.success if result["right"] else st.warning)(literal(t(
                verdict, lang, label=asked_label(p, lesson, scene, reached, result["label"]),
                guess=result["guess"],
                answer=value_text(result["answer"], lang))))
            st.code("\n".join(scene.explanation(reached)), language=None)
        if question is not None:
            ask_to_predict(p, "quiz_form", question, "quiz_reveal", ui.quiz_reveal,
                           (ss, reached, question.label, question.answer))
        right, asked = ss.quiz_score
        st.caption(t("quiz_score", lang, right=right, asked=asked))
    elif quiz_on and problem is None and p.teacher:  # the class answers, the teacher reveals
        if reached > scene.start:
            st.code("\n".join(scene.explanation(reached)), language=None)
        if question is not None:
            ask = t("quiz_ask", lang, label=question.label, k=question.step)
            st.markdown(f"**{literal(ask)}**")

            @st.fragment(run_every=1.0)
            def class_tally() -> None:
                try:
                    tally = p.room_store.tally(p.code, st.query_params.get("teacher"),
                                               question_id)
                except rooms.RoomError:
                    st.caption(t("reconnecting", lang))
                    return
                summary = tally.summary(question.answer, quiz.is_right)
                st.markdown(t("tally", lang, **summary))
                if summary["histogram"]:
                    st.bar_chart({"answers": summary["histogram"]}, height=160)

            class_tally()
            st.button(t("class_reveal", lang), key="btn_class_reveal", type="primary",
                      on_click=ui.class_reveal,
                      args=(ss, reached, question.label, question.answer, question_id))
    elif quiz_on and problem is None and p.student:  # predict, send; the teacher reveals
        revealed = room_view.get("revealed") or {}
        mine = (ss.room_answers or {}).get(revealed.get("question"))
        if revealed and revealed.get("frame") == reached and mine is not None:
            right = quiz.is_right(mine, revealed["answer"])
            (st.success if right else st.warning)(literal(t(
                "quiz_right" if right else "quiz_wrong", lang,
                label=asked_label(p, lesson, scene, reached, revealed["label"]),
                guess=f"{mine:g}", answer=value_text(revealed["answer"], lang))))
        if reached > scene.start:
            st.code("\n".join(scene.explanation(reached)), language=None)
        if question is not None and question_id in (ss.room_answers or {}):
            st.info(t("answer_sent", lang))
        elif question is not None:
            ask_to_predict(p, "room_quiz_form", question, "send_answer", ui.room_answer,
                           (ss, p.code, question_id, partial(client, p)))
            if ss.room_error:  # not sent (the store did not answer, the question is full)
                st.error(t(f"room_error_{ss.room_error}", lang))
    return asking


def show_torch_side(p: Page, lesson, scene) -> None:
    """The same expression in PyTorch: its pass, following ours, and the grads compared."""
    ss, lang = p.ss, p.lang
    st.markdown(f"##### {t('torch_title', lang)}")
    if ss.quiz and lesson.n_steps > 0:
        st.info(t("torch_quiz", lang))
        return
    side = torch_side.torch_side(lesson)
    if side.problem is not None:
        st.info(t(side.problem, lang, detail=side.detail))
        return
    theirs = torch_side.torch_scene(lesson, lang)
    mount(player.player_data(theirs, side.frame_for(ss.step, scene), None,
                                    ss.projector, locked=True, state=ss,
                                    key=torch_side.PLAYER_KEY),
                 state=ss, on_step=_ignore, on_selected=_ignore, key=torch_side.PLAYER_KEY)
    rows = ", ".join(f"{row.name}.grad {value_text(row.right, lang)}"
                     + ("" if row.ok else f" (autograd_core {value_text(row.left, lang)})")
                     for row in side.comparison.rows)
    (st.success if side.comparison.ok else st.warning)(
        literal(t("torch_same" if side.comparison.ok else "torch_differ", lang, rows=rows)))


def show_step(p: Page, lesson, scene, opts, asking: bool) -> None:
    """Under the graph, for this run's frame: the queue, the selected variable's grad and
    the leaf grads (and Newton's step); while a quiz is ``asking``, nothing that holds a
    later grad (the numerical grads, the what-if's real grads)."""
    ss, lang = p.ss, p.lang
    frame = scene.timeline[ss.step]
    k = frame.step if frame.phase == "backward" else 0

    # --- the queue and where a grad comes from; the leaf-grad check -------------------------------
    # Every step reruns this and sends each element anew (Streamlit does not diff them), so
    # text that sits together goes in one element: a step costs the server fewer messages.
    panel_col, table_col = st.columns([2, 3], gap="large")
    with panel_col:
        if frame.phase == "forward":
            waiting = t("queue_forward", lang)
        else:
            waiting = ("\n".join(f"- {row.text(lang)}" for row in queue(lesson, k))
                       or t("queue_empty", lang))
        picking = f"\n\n##### {t('selected', lang)}" if lesson.variable_ids else ""
        st.markdown(f"##### {t('queue', lang)}\n\n{waiting}{picking}")
        if lesson.variable_ids:
            picker = f"{lang}_{ss.shown}"  # a widget per lesson: its labels are the lesson's
            ui.before_picker(ss, "inspect", picker)
            st.selectbox(t("selected", lang), lesson.variable_ids,
                         key=ui.widget_key("inspect", picker),
                         format_func=lambda node: variable_label(lesson, node, lang),
                         on_change=ui.picker_changed, args=(ss, "inspect", picker),
                         label_visibility="collapsed")
            st.markdown("  \n".join(grad_sum(lesson, k, ss.inspect, lang).lines(lang)))
        if ss.pitfall in PITFALLS:  # the same graph with a naive backward, next to the real one
            outcome = lesson.what_if(ss.pitfall)
            st.markdown(f"##### {viz_t(f'pitfall_{ss.pitfall}', lang)}")
            st.caption(viz_t(f"pitfall_why_{ss.pitfall}", lang))
            if asking and ss.pitfall != "recursion":
                st.info(t("pitfall_after_quiz", lang))
            elif outcome.applies or ss.pitfall == "recursion":
                st.code("\n".join(outcome.lines(lesson.replay, lang)), language=None)
            else:
                example = BY_KEY.get(SHOWS_IN[ss.pitfall])
                st.info(t("pitfall_not_here", lang,
                          example=example.title(lang) if example else SHOWS_IN[ss.pitfall]))
    with table_col:
        at_end = frame.phase == "backward" and k >= lesson.n_steps
        st.markdown("##### " + (t("leaf_table_higher", lang, target=lesson.target.name)
                               if lesson.higher_order else t("leaf_table", lang))
                    + "\n\n" + leaf_table(lesson, lang, at_end, quiz=asking))
        if lesson.higher_order and (newton := newton_step(lesson)) is not None:
            st.markdown(f"**{t('newton', lang)}**")
            if not at_end:  # f'' is what the pass computes: not before it has
                st.markdown(t("newton_wait", lang, x=newton.name))
            elif newton.possible:
                st.markdown(t("newton_formula", lang, **newton.texts()))
                if newton.far:
                    st.warning(t("newton_far", lang, **newton.texts()))
                st.button(t("newton_apply", lang, **newton.texts()), key="btn_newton",
                          on_click=ui.take_newton_step, args=(ss, newton.name, newton.value_text))
            else:
                st.markdown(t(f"newton_{newton.why_not}", lang, x=newton.name))


def show_downloads(p: Page, lesson, scene, opts, frame: bool, asking: bool) -> None:
    """This frame (as on screen) and the whole lesson, each made when clicked. A student in a
    room gets the whole lesson only (the frame on screen is the teacher's, and moves); while
    a quiz is ``asking``, the whole lesson waits (it holds every answer)."""
    ss, lang = p.ss, p.lang
    st.markdown(f"##### {t('downloads', lang)}")
    row = st.container(horizontal=True)  # one element for the row (five columns were six)
    if frame:
        stem = downloads.file_stem(lesson, ss.step, scene)
        for what, make, mime in (("dot", downloads.frame_dot, "text/vnd.graphviz"),
                                 ("svg", downloads.frame_svg, "image/svg+xml"),
                                 ("png", downloads.frame_png, "image/png")):
            row.download_button(t(f"dl_{what}", lang), partial(make, lesson, ss.step, opts),
                                file_name=f"{stem}.{what}", mime=mime, key=f"dl_{what}",
                                on_click="ignore", help=t(f"dl_{what}_help", lang),
                                width="stretch")
    whole = downloads.expression_stem(lesson)
    for what, make, mime in (("gif", downloads.pass_gif, "image/gif"),
                             ("html", downloads.pass_html, "text/html")):
        refused = downloads.refusal(lesson, what, lang, opts)
        why_not = (t("dl_after_quiz", lang) if asking
                   else t("dl_too_big", lang, reason=refused) if refused else None)
        row.download_button(t(f"dl_{what}", lang), partial(make, lesson, opts),
                            file_name=f"{whole}.{what}", mime=mime, key=f"dl_{what}",
                            on_click="ignore", disabled=why_not is not None, width="stretch",
                            help=why_not or t(f"dl_{what}_help", lang))


def publish_view(p: Page, scene) -> None:
    """The view in the URL ("Copy link" gives exactly this, "back" returns to the last one)
    and, for a teacher, in the room (the students follow what is on the teacher's screen)."""
    ss = p.ss
    links.write_url(ss, p.names, st.query_params,
                    opening=0 if ss.open_at == "forward" else scene.start)
    if p.teacher:
        share(p)


def share(p: Page) -> None:
    """The teacher's view to the room (restored first if the store lost it); when the store
    does not answer, the page says so and tries again every RECONNECT_S (keep_the_room)."""
    ss = p.ss
    result = ss.quiz_result if isinstance(ss.quiz_result, dict) else None
    view = rooms.teacher_view(ss, ui.plain_spec(p.spec), None,
                              result if result and result.get("question") else None)
    try:
        rooms.teach(p.room_store, p.code, st.query_params.get("teacher"), view)
    except rooms.RoomError as error:
        ss.room_pending = error.code == "unreachable"  # (ended, not ours: the run says so)
        return
    ss.room_pending = False
    ss.room_last = view


@st.fragment
def lesson_view(p: Page, lesson, scene, opts, problem, room_view) -> None:
    """The graph and under it this step's panel and files: a step the player reports (or a
    pick in the panel) reruns only this, not the whole page."""
    ss = p.ss
    asking = show_graph(p, lesson, scene, problem, room_view)
    if problem is None and not ss.graph_only:
        if ss.torch_side:
            show_torch_side(p, lesson, scene)
        show_step(p, lesson, scene, opts, asking)
        show_downloads(p, lesson, scene, opts, frame=True, asking=asking)
        publish_view(p, scene)


def follow_the_teacher(p: Page, lesson, scene, opts, problem) -> None:
    """A student's graph and panel (a fragment): run again whenever the room moves (the
    process's watcher wakes it, classroom.pages.push), it draws the teacher's step without
    rerunning the page; a new lesson, or the end of the class, reruns the page."""
    ss, lang = p.ss, p.lang
    with push.following(p.code):
        try:
            latest = p.room_store.get(p.code)
        except rooms.RoomError:  # unreachable: the frame on screen stays, and we try again
            latest = None
        if latest is None:  # (or the store lost the room: the teacher's page restores it)
            st.warning(t("reconnecting", lang))
            latest = p.room
        elif latest.ended or not rooms.same_lesson(p.room, latest) or p.reconnecting:
            st.rerun()  # (back after an outage: the page as the room is now)
        if latest.version != ss.room_version:
            rooms.follow_step(ss, latest)
        if latest.teacher_gone:
            st.info(t("teacher_gone", lang))
        asking = show_graph(p, lesson, scene, problem, latest.view)
        if problem is None and not ss.graph_only:
            if ss.torch_side:
                show_torch_side(p, lesson, scene)
            show_step(p, lesson, scene, opts, asking)


def _ignore() -> None:
    """A locked player's reports (it follows ours; there is nothing to do)."""


# --- sidebar: language, examples, options -----------------------------------------------------
def show_sidebar(p: Page) -> None:
    """The sidebar: the page, language, examples, options, the class."""
    ss, lang = p.ss, p.lang
    with st.sidebar:
        page_picker(ss)
        st.radio(t("language", lang), list(LANGUAGES), key="lang", horizontal=True,
                 format_func=LANGUAGES.get)
        ui.before_picker(ss, "preset", lang)
        st.selectbox(t("preset", lang), picker_keys(), key=ui.widget_key("preset", lang),
                     format_func=lambda key: BY_KEY[key].title(lang) if key in BY_KEY
                     else t("custom", lang),
                     on_change=ui.preset_picked, args=(ss, lang), disabled=p.student)
        st.toggle(t("higher", lang), key="higher_order", help=t("higher_help", lang),
                  disabled=p.student)
        st.toggle(t("projector", lang), key="projector")
        st.toggle(t("quiz", lang), key="quiz", help=t("quiz_help", lang), disabled=p.student)
        st.toggle(t("torch_side", lang), key="torch_side", help=t("torch_side_help", lang))
        ui.before_picker(ss, "open_at", lang)
        st.radio(t("open_at", lang), ["backward", "forward"], key=ui.widget_key("open_at", lang),
                 horizontal=True, format_func=lambda phase: t(f"open_at_{phase}", lang),
                 on_change=ui.picker_changed, args=(ss, "open_at", lang), disabled=p.student)
        ui.before_picker(ss, "pitfall", lang)
        st.selectbox(t("pitfall", lang), ("none", *PITFALLS), key=ui.widget_key("pitfall", lang),
                     format_func=lambda name: t("pitfall_none", lang) if name == "none"
                     else viz_t(f"pitfall_{name}", lang),
                     on_change=ui.picker_changed, args=(ss, "pitfall", lang), disabled=p.student)
        with st.expander(t("advanced", lang)):
            ui.before_picker(ss, "rankdir", lang)
            st.radio(t("rankdir", lang), ["auto", "LR", "TB"], key=ui.widget_key("rankdir", lang),
                     horizontal=True, format_func=lambda d: t(f"rankdir_{d}", lang),
                     on_change=ui.picker_changed, args=(ss, "rankdir", lang))
            st.select_slider(t("max_nodes", lang), ui.MAX_NODES_CHOICES, key="max_nodes",
                             help=t("max_nodes_help", lang))
        with st.expander(t("walkthrough", lang)):
            st.markdown(t("walkthrough_text", lang))
        copy_link.mount(t("copy_link", lang), t("copied", lang))
        st.markdown(f"##### {t('class', lang)}")
        if p.room is None:
            if p.code:
                st.warning(t("room_gone", lang))
            st.button(t("start_class", lang), key="btn_start_class", width="stretch",
                      on_click=ui.start_class, args=(ss, st.query_params))
            st.text_input(t("room_code", lang), key="join_code", max_chars=12,
                          placeholder="ABC234")
            st.button(t("join_class", lang), key="btn_join_class", width="stretch",
                      on_click=ui.join_class,
                      args=(ss, st.query_params, partial(client, p)))
            if ss.room_error:
                st.error(t(f"room_error_{ss.room_error}", lang))
        elif p.teacher:
            st.markdown(t("room_teacher", lang, code=p.code))
            copy_link.mount(t("copy_student_link", lang), t("copied", lang),
                            params={"room": p.code})
            copy_link.mount(t("copy_teacher_link", lang), t("copied", lang), secret=True,
                            key="copy_teacher_link")
            st.caption(t("teacher_link_private", lang))
            st.button(t("end_class", lang), key="btn_leave_class", width="stretch",
                      on_click=ui.end_class, args=(ss, st.query_params))
            st.fragment(keep_the_room, run_every=rooms.RECONNECT_S if ss.room_pending
                        else rooms.HEARTBEAT_S)(p)
        else:
            st.markdown(t("room_student", lang, code=p.code))
            st.button(t("leave_class", lang), key="btn_leave_class", width="stretch",
                      on_click=ui.leave_class, args=(ss, st.query_params))


def keep_the_room(p: Page) -> None:
    """An open teacher's page tells the room it is there: when it stops (a closed tab), the
    students are told after a while (rooms.TEACHER_GONE_S); a room the store lost is
    restored. While its view is not shared (the store did not answer), it tries again
    every RECONNECT_S instead."""
    if p.ss.room_pending:
        share(p)
        if not p.ss.room_pending:
            st.rerun(scope="app")  # shared: the banner goes
        return
    try:
        if not rooms.heartbeat(p.room_store, p.code, st.query_params.get("teacher")):
            share(p)  # the store lost the room (a restart without persistence): restored
    except rooms.RoomError as error:
        p.ss.room_pending = error.code == "unreachable"


@st.fragment(run_every=ui.GRAPH_WAIT_S)
def wait_for_the_graph(p: Page) -> None:
    """While the page holds the graph alone: if the player never says it is on screen, the
    whole page comes anyway (this fragment is not drawn once it has)."""
    ss = p.ss
    if ui.graph_wait_over(ss):
        st.rerun(scope="app")

# --- the title, the expression and its values, what was understood -------------------------
def show_top(p: Page, lesson, scene, problem) -> None:
    """Above the graph: the title, the expression and its values (folded away in projector
    mode), what went wrong, what was understood, and notices about the graph."""
    ss, lang = p.ss, p.lang
    if not ss.projector:
        st.title(t("title", lang), anchor=False)  # no link in the tab order before the graph
    if ss.room_notice:
        st.info(t(ss.room_notice, lang))
    if p.teacher and ss.room_pending:  # (a student's page says it where its graph is)
        st.warning(t("reconnecting_teacher", lang))
    inputs_box = st.expander(t("expression_box", lang), expanded=problem is not None) \
        if ss.projector else st.container()  # in projector mode the graph is the hero
    # the same keyed block holds the placeholder, then the controls: it keeps their row's
    # height until all of its widgets are drawn (classroom.view.page_css)
    with inputs_box, st.container(key="ag_inputs"):
        if ss.graph_only:  # the expression as text in the box's place, until the controls come
            st.html(expression_placeholder(t("expression", lang), ss.expr,
                                           t("loading_controls", lang)))
        else:
            show_inputs(p)
    if problem is not None:
        st.error(literal(error_text(problem.error, lang, problem.variable)))
        if lesson is not None:
            st.caption(t("stale_graph", lang) if problem.variable is None
                       else t("stale_graph_value", lang, name=problem.variable))
        st.stop()
    st.html(understood_html(t("understood", lang), lesson.canonical))
    troubles = [t("trouble_forward", lang, op=f.op, line=(f.position or (1, 1))[0],
                  col=(f.position or (1, 1))[1],
                  kind=t("and", lang).join(t(f"kind_{kind}", lang) for kind in f.kinds))
                for f in lesson.forward_troubles]
    troubles += [t("trouble_backward", lang, op=b.op, step=b.step,
                   kind=t(f"kind_{b.kind}", lang)) for b in lesson.backward_troubles]
    if troubles:
        st.warning("\n".join(f"- {literal(line)}" for line in troubles))
    if notice := lesson.notice(ss.max_nodes):
        st.info(t("big_graph", lang, size=lesson.graph_size, limit=ss.max_nodes,
                  notice=notice))
    if scene.layout.notice:
        st.info(t("layout_fallback", lang, reason=scene.layout.notice))
    if lesson.n_steps == 0:
        st.info(t("nothing_upstream", lang))
    tell_link_problems(ss)


def value_box(p: Page, where, name: str) -> None:
    ss, lang = p.ss, p.lang
    where.text_input(name, key=ui.value_key(name), value=None, help=t("value_help", lang),
                     disabled=p.student, on_change=ui.value_changed, args=(ss, name))


def show_inputs(p: Page) -> None:
    """The expression box and a value box per input."""
    ss, lang = p.ss, p.lang
    text_col, values_col = st.columns([3, 2])
    text_col.text_area(t("expression", lang), key="expr", height=96,
                       max_chars=MAX_TYPED_CHARS,
                       help=t("expression_help", lang,
                              functions=", ".join(function_names())),
                       on_change=ui.restart, args=(ss,), disabled=p.student)
    ui.boxes_drawn(ss, p.names)
    with values_col:
        st.markdown(f"**{t('values', lang)}**")
        # two boxes a row; a long value (a matrix) gets the row to itself, to be read whole
        wide = [n for n in p.names if len(ss["values"].get(n) or "") > ui.WIDE_VALUE_CHARS]
        value_cols = st.columns(2)
        for i, name in enumerate(n for n in p.names if n not in wide):
            value_box(p, value_cols[i % 2], name)
        for name in wide:
            value_box(p, st, name)
        if not p.names:
            st.caption(t("no_inputs", lang))
        if ss.higher_order and len(p.names) > 1:
            st.selectbox(t("wrt", lang), p.names, key="wrt", disabled=p.student)
