"""A session as plain data, and the callbacks that change it.

Everything a session remembers is strings, numbers, booleans and one dict of
strings (see :data:`DEFAULTS`), so it pickles and can be rebuilt from scratch:
the graph is never stored, it is looked up again from :func:`spec`. Every
function takes the session's mapping (``st.session_state`` in the app, a plain
dict in tests); nothing is kept at module level.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import secrets
from collections.abc import Callable, MutableMapping
from typing import Any

import numpy as np

from .downloads import FrameOptions
from .lesson import DEFAULT_MAX_NODES, LessonSpec, parsed_input_names
from .player import browser_selected, browser_stepped
from .presets import BY_KEY, CUSTOM, DEFAULT

State = MutableMapping[str, Any]

NEW_VALUE = "1.0"  # the value a newly typed variable starts with
MAX_REMEMBERED_VALUES = 64
MAX_NODES_CHOICES = (100, 200, 400, 800, DEFAULT_MAX_NODES)
WIDE_VALUE_CHARS = 18  # a value box with more text (a matrix) takes the whole row

DEFAULTS: dict[str, Any] = {
    "lang": "en",                # "en" or "ko"
    "page": "lesson",            # "lesson" (an expression stepped by hand) or "train"
    "preset": DEFAULT.key,       # the example last picked
    "expr": DEFAULT.text,        # the expression text
    "values": dict(DEFAULT.values),  # input name -> value text, kept while a box is hidden
    "step": None,                # timeline frame shown (None: where the lesson opens)
    "n_frames": 1,               # frames of the lesson on screen (forward, then backward)
    "open_at": "backward",       # a new lesson opens "backward" (before it) or "forward"
    "higher_order": False,       # draw and step the gradient's graph
    "wrt": None,                 # input the gradient is taken with respect to
    "inspect": None,             # node id of the variable in the grad-sum panel
    "shown": None,               # digest of the lesson and drawing on screen (see follow_lesson)
    "last_good": None,           # the last lesson that built (plain_spec): shown under an error
    "boxes": [],                 # the value boxes drawn last (see show_value_boxes)
    "last_names": [],            # the inputs of the last expression that parsed
    "boxes_run": 0,              # the page run that drew them
    "page_runs": 0,              # runs of the whole page, not a fragment's (player.page_run)
    "pitfall": "none",           # "what if...": a naive backward shown next to the real one
    "quiz": False,               # predict, then reveal
    "torch_side": False,         # the same expression in PyTorch, stepped beside ours
    "quiz_reached": None,        # the furthest frame a quiz has revealed
    "quiz_score": [0, 0],        # right answers, questions answered
    "quiz_result": None,         # the last reveal: {step, label, guess, answer, right}
    "quiz_error": None,          # why the last answer could not be read
    "url_written": None,         # the query string this session last put in the URL
    "room_version": None,        # a student: the version of the room's view on screen
    "room_joined": None,         # the room code this session has joined (counted once)
    "room_notice": None,         # what happened to the room this page followed (a key)
    "room_tried": None,          # the last code this session failed to join (counted once)
    "room_reached": None,        # a student: the teacher's quiz reach
    "room_answers": {},          # a student: question id -> the answer sent
    "room_error": None,          # why starting or joining a room failed
    "room_role": None,           # this page's part in the room it joined: teacher, student
    "room_token": None,          # a teacher's: its token's digest (see rooms.token_digest)
    "room_last": None,           # the room's view as this page last knew it
    "room_pending": False,       # a teacher's: its view is not shared yet (store unreachable)
    "student_id": None,          # a student's id in a room's answers (random per session)
    "projector": False,          # large text
    "rankdir": "auto",           # graph direction: "auto" (LR, TB on narrow screens), LR, TB
    "narrow": False,             # a player here was on a narrow screen: send the TB layout too
    "max_nodes": DEFAULT_MAX_NODES,  # bigger graphs get viz's big-graph treatment
    "page_shown": False,         # a whole page was drawn (or the first graph painted) already
    "graph_only": False,         # the last full run drew the graph alone (see graph_first)
    "graph_waits": 0,            # runs of the fragment that waits for that graph's report
    "link_problems": [],         # the parts of an opened link that could not be used
}


def page_title(lang: str, page: str) -> str:
    """The page picker's label for ``page`` ("lesson" or "train")."""
    from .i18n import t

    return t(f"page_{page}", lang)


def init(state: State) -> None:
    """Fill in whatever is missing: a new session opens on the seeds' square/exp chain."""
    for key, value in DEFAULTS.items():
        if key not in state:
            state[key] = dict(value) if isinstance(value, dict) else value


def on_a_phone(state: State, user_agent: str | None) -> None:
    """A new session from a phone's browser (its user agent says "Mobi", as every phone
    browser's does) gets the top-to-bottom layout at once; any other narrow screen asks
    for it from its first graph (:func:`player_narrow`), which it shows left to right
    for the moment that takes."""
    if isinstance(user_agent, str) and "Mobi" in user_agent:
        state["narrow"] = True


def value_key(name: str) -> str:
    """Widget key of an input's value box."""
    return f"val_{name}"


def input_names_kept(state: State, text: str) -> list[str]:
    """The inputs of ``text``; while it does not parse (a typo being fixed), those of the
    last text that did, so their value boxes and values stay on the page."""
    names = parsed_input_names(text)
    if names is not None:
        state["last_names"] = names
        return names
    return list(state.get("last_names") or [])


def show_value_boxes(state: State, names: list[str]) -> None:
    """Before drawing the value boxes: give each box its remembered text.

    A box that was not drawn in the last run (the expression had a typo, say) comes
    back empty in the browser, which then reports the empty text as a change. So the
    text also lives in ``state["values"]``, and every box that reappears is given it
    again through the Session State API (which the browser then shows).
    """
    values = dict(state["values"])
    drawn_last_run = state["boxes_run"] == state["page_runs"] - 1
    shown_before = set(state.get("boxes") or ()) if drawn_last_run else set()
    for name in names:
        values.setdefault(name, NEW_VALUE)
        if value_key(name) not in state or name not in shown_before:
            state[value_key(name)] = values[name]
    if len(values) > MAX_REMEMBERED_VALUES:
        values = {n: v for n, v in values.items() if n in names}
    state["values"] = values


def boxes_drawn(state: State, names: list[str]) -> None:
    """The value boxes of ``names`` are on the page in this run (not in a run that drew
    the graph alone, or the other page: their boxes come back empty in the browser)."""
    state["boxes"] = list(names)
    state["boxes_run"] = state["page_runs"]


def value_changed(state: State, name: str) -> None:
    """on_change of a value box."""
    text = state.get(value_key(name))
    state["values"] = {**state["values"], name: "" if text is None else str(text)}
    restart(state)


def values(state: State, names: list[str]) -> dict[str, str]:
    """The value text of each input."""
    remembered = state["values"]
    return {name: str(remembered.get(name, NEW_VALUE)) for name in names}


def spec(state: State, names: list[str]) -> LessonSpec:
    """The lesson this session shows, as plain data."""
    return LessonSpec.make(state["expr"], values(state, names),
                           higher_order=state["higher_order"], wrt=state["wrt"])


def choose_wrt(state: State, names: list[str]) -> None:
    """The input a second derivative is taken with respect to: kept while it exists."""
    if state["higher_order"] and names and state.get("wrt") not in names:
        state["wrt"] = names[0]


def plain_spec(spec: LessonSpec) -> list:
    """``spec`` as plain data for the session (lists and strings only)."""
    return [spec.text, [list(pair) for pair in spec.values], spec.higher_order, spec.wrt,
            spec.synthetic]


def spec_from_plain(data: list) -> LessonSpec:
    """The spec :func:`plain_spec` stored."""
    text, values, higher_order, wrt, synthetic = data
    return LessonSpec(text, tuple(tuple(pair) for pair in values), higher_order, wrt,
                      synthetic)


def frame_options(state: State) -> FrameOptions:
    """How this session draws frames."""
    return FrameOptions(lang=state["lang"], rankdir=state["rankdir"],
                        max_nodes=int(state["max_nodes"]), projector=bool(state["projector"]),
                        narrow=bool(state["narrow"]))


def widget_key(base: str, lang: str) -> str:
    """Key of the language's own copy of a picker whose labels are translated.

    (Streamlit 1.67's selectbox and radio send the *label* of the choice: after the
    labels change language, the old label comes back as the value, e.g. the radio
    of the graph direction gave "left → right". A widget per language avoids it.)
    """
    return f"{base}__{lang}"


def before_picker(state: State, base: str, lang: str) -> None:
    """Before drawing picker ``base``: show the model's current choice."""
    key = widget_key(base, lang)
    if state.get(key) != state[base]:
        state[key] = state[base]


def picker_changed(state: State, base: str, lang: str) -> None:
    """on_change of a picker: its choice goes into the model."""
    state[base] = state[widget_key(base, lang)]


def preset_picked(state: State, lang: str) -> None:
    """on_change of the example picker."""
    picker_changed(state, "preset", lang)
    load_preset(state)


# --- callbacks -------------------------------------------------------------------------------
def load_preset(state: State) -> None:
    """on_change of the example picker: its text, values and options."""
    state["room_notice"] = None
    if state.get("preset") == CUSTOM:
        return
    preset = BY_KEY.get(state.get("preset"), DEFAULT)
    state["expr"] = preset.text
    state["values"] = {**state["values"], **preset.values}
    for name, text in preset.values.items():
        state[value_key(name)] = text
    state["higher_order"] = preset.higher_order
    state["wrt"] = None
    restart(state)


# --- a live room (classroom.rooms) ------------------------------------------------------------
def start_class(state: State, query: Any) -> None:
    """on_click of "Start a class": a new room; the teacher's token goes in the URL."""
    from .rooms import RoomError, store

    try:
        code, token = store().create()
    except RoomError as err:
        state["room_error"] = err.code
        return
    query["room"], query["teacher"] = code, token
    state["room_error"] = state["room_notice"] = None
    state["room_joined"] = code
    state["room_role"] = None  # (the page learns it from the store)


def session_id(state: State) -> str:
    """This session's random id (a student's answers, a join limit without an address),
    made the first time it is needed."""
    if not state.get("student_id"):
        state["student_id"] = secrets.token_hex(8)
    return state["student_id"]


STUDENT_ID = re.compile(r"[0-9a-f]{16,32}")


def browser_student(state: State, key: str) -> None:
    """on_id_change of the student-id component ``key``: the id this browser keeps (its
    local storage), so that a refreshed or reopened page answers as the same student (one
    answer per student per question). Anything but 16-32 hex digits is ignored."""
    reported = (state.get(key) or {}).get("id")
    if isinstance(reported, str) and STUDENT_ID.fullmatch(reported):
        state["student_id"] = reported


def join_class(state: State, query: Any, client: Callable[[], str]) -> None:
    """on_click of "Join": a student follows the room whose code was typed (``client()``:
    who a failed join counts against)."""
    from .rooms import RoomError, normalize_code, store

    code = normalize_code(state.get("join_code"))
    try:
        room = store().get(code) if code is not None else None
        if room is None or room.ended:  # a failed join: what the limit counts (guessing)
            state["room_error"] = ("too_many_joins" if not store().allow_failed_join(client())
                                   else "bad_code" if code is None
                                   else "no_room" if room is None else "ended")
            return
    except RoomError as err:  # unreachable: try again in a moment
        state["room_error"] = err.code
        return
    query["room"] = code
    query.pop("teacher", None)
    state["room_error"] = state["room_notice"] = None
    state["room_joined"] = code


def end_class(state: State, query: Any) -> None:
    """on_click of the teacher's "End the class": the room ends for everyone, then the
    teacher leaves it."""
    from .rooms import RoomError, end, store

    code = query.get("room")
    if code:
        with contextlib.suppress(RoomError):
            end(store(), code, query.get("teacher"))
    leave_class(state, query)


def leave_class(state: State, query: Any) -> None:
    """on_click of "Leave" / "End the class": back to the session's own lesson."""
    query.pop("room", None)
    query.pop("teacher", None)
    state["room_version"] = None
    state["room_role"] = state["room_token"] = state["room_last"] = None
    state["room_pending"] = False


def room_answer(state: State, code: str, question: str, client: Callable[[], str]) -> None:
    """on_click of a student's "Send": the prediction goes to the teacher's tally, as this
    browser's student (see :func:`browser_student`); ``client()``: who sends it."""
    from .quiz import AnswerError, read_answer
    from .rooms import RoomError, store

    try:
        value = read_answer(state.get("quiz_guess"))
        store().submit(code, question, session_id(state), value, client())
    except AnswerError as err:
        state["quiz_error"] = err.code
        return
    except RoomError as err:
        state["room_error"] = err.code
        return
    state["room_answers"] = {**(state.get("room_answers") or {}), question: value}
    state["quiz_error"] = state["room_error"] = None


def class_reveal(state: State, frame: int, label: str, answer: float, question: str) -> None:
    """on_click of the teacher's "Reveal to the class": the next frame, for everyone."""
    state["quiz_result"] = {"frame": frame + 1, "label": label, "guess": "", "answer": answer,
                            "right": None, "question": question}
    state["quiz_reached"] = frame + 1
    _go(state, frame + 1)


def quiz_reveal(state: State, frame: int, label: str, answer: float) -> None:
    """on_click of Reveal: read the prediction, score it, show the next frame."""
    from .quiz import AnswerError, is_right, read_answer

    text = state.get("quiz_guess")
    try:
        guess = read_answer(text)
    except AnswerError as err:
        state["quiz_error"] = err.code
        return
    right = is_right(guess, answer)
    score = list(state.get("quiz_score") or [0, 0])
    state["quiz_score"] = [score[0] + int(right), score[1] + 1]
    state["quiz_result"] = {"frame": frame + 1, "label": label, "guess": str(text).strip(),
                            "answer": answer, "right": right}
    state["quiz_error"] = None
    state["quiz_guess"] = ""
    state["quiz_reached"] = frame + 1
    _go(state, frame + 1)


def follow_lesson(state: State, spec: LessonSpec) -> None:
    """Before showing ``spec``: when the lesson or its drawing changed since the last run,
    open at the lesson's start with the default inspector.

    Derived from the data, not from widget callbacks: a widget whose label changes with
    the language fires no change, and nothing else can reset a student's step.
    """
    identity = hashlib.blake2b(repr((spec, state["rankdir"], state["max_nodes"],
                                     state["open_at"])).encode(), digest_size=8).hexdigest()
    if state.get("shown") != identity:
        state["shown"] = identity
        state["step"] = None
        state["inspect"] = None
        state["quiz_reached"] = None
        state["quiz_result"] = None


def restart(state: State) -> None:
    """on_change of the expression: the example picker says "your own expression" when
    the text is no longer the example's."""
    preset = BY_KEY.get(state.get("preset"))
    if preset is not None and state.get("expr") != preset.text:
        state["preset"] = CUSTOM  # the picker says "your own expression"
    state["room_notice"] = None  # (the end of a class: said until the page is used)


def _go(state: State, k: int) -> None:
    state["step"] = max(0, min(int(state.get("n_frames", 1)) - 1, int(k)))


def player_stepped(state: State, key: str) -> None:
    """on_step_change of the player: the frame the student stepped to in the browser.

    The player reports ``[frame, sequence number]`` (so that every report is a change);
    anything else is ignored."""
    reported = reported_step(state, key)
    if reported is not None:
        _go(state, reported)
        browser_stepped(state, key, state["step"])


def reported_step(state: State, key: str) -> int | None:
    """The frame in the player ``key``'s report (``[frame, sequence number]``), or None."""
    reported = (state.get(key) or {}).get("step")
    if isinstance(reported, list) and reported:
        reported = reported[0]
    return reported if isinstance(reported, int) and not isinstance(reported, bool) else None


def teacher_stepped(state: State, key: str, code: str, token: str) -> None:
    """on_step_change of a teacher's player: the new frame goes to the class at once, before
    the teacher's own page reruns (the end of that run publishes the same view again)."""
    player_stepped(state, key)
    from .rooms import RoomError, store

    try:
        room = store().get(code)
        if room is not None and room.view.get("step") != state.get("step"):
            store().publish(code, token, {**room.view, "step": state.get("step")})
    except RoomError as err:  # the room ended meanwhile, or the store does not answer:
        state["room_pending"] = err.code == "unreachable"  # the run says so


def graph_first(state: State, drawable: bool) -> bool:
    """True when this run draws the graph alone (and the page's frame): the session's
    first view, while its graph is not yet on screen. The rest follows once the player
    reports it painted (:func:`player_painted`, then :func:`rest_of_page_due`).

    Why: the browser fetches the code of each kind of Streamlit widget the first time one
    is drawn (about 50 files for this page), and the graph waited for all of them: a first
    visit showed it after ~2.5 s instead of ~1.7 s. ``drawable``: there is a graph and no
    error to show with it; otherwise (and on any later view) the whole page is drawn."""
    state["graph_only"] = drawable and not state["page_shown"]
    if state["graph_only"]:
        state["graph_waits"] = 0
    else:
        state["page_shown"] = True
    return state["graph_only"]


GRAPH_WAIT_S = 3.0  # a first graph not reported painted by then: the whole page anyway


def graph_wait_over(state: State) -> bool:
    """Called by the fragment that runs with the graph-alone page and then every
    ``GRAPH_WAIT_S``: True (once) on its first timed run when the page still holds the
    graph alone, as the player never reported it painted (its code blocked, say): the
    controls must not wait for it."""
    state["graph_waits"] += 1
    if state["graph_only"] and not state["page_shown"] and state["graph_waits"] > 1:
        state["page_shown"] = True
        return True
    return False


def player_narrow(state: State, key: str) -> None:
    """on_narrow_change of the player: it is on a narrow screen and its scene has no
    top-to-bottom layout; from now on this session's scenes carry one."""
    if (state.get(key) or {}).get("narrow") is True:
        state["narrow"] = True


def player_painted(state: State, key: str) -> None:
    """on_painted_change of the player: the graph drawn alone is on screen."""
    if (state.get(key) or {}).get("painted") is True:
        state["page_shown"] = True


def rest_of_page_due(state: State) -> bool:
    """True in the run a "painted" report started while the page holds the graph alone:
    the whole page is drawn next."""
    return bool(state["graph_only"] and state["page_shown"])


def player_selected(state: State, key: str, variables: list[str]) -> None:
    """on_selected_change of the player: a clicked variable goes to the grad-sum panel."""
    picked = (state.get(key) or {}).get("selected")
    if isinstance(picked, str) and picked in variables:
        state["inspect"] = picked
        browser_selected(state, key, picked)


def take_newton_step(state: State, name: str, value_text: str) -> None:
    """on_click of the Newton button: the input moves to x - f'(x)/f''(x)."""
    state["values"] = {**state["values"], name: value_text}
    state[value_key(name)] = value_text
    restart(state)


def is_plain(value: Any) -> bool:
    """True for the kinds of data a session may hold (for tests and assertions): numbers,
    text, lists and str-keyed dicts of them, and numeric numpy arrays (a training run's
    parameters); never a model, a graph or anything holding one."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return True
    if isinstance(value, np.ndarray):
        return value.dtype.kind in "biuf"
    if isinstance(value, dict):
        return all(isinstance(k, str) and is_plain(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return all(is_plain(v) for v in value)
    return False
