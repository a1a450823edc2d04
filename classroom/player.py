"""The graph player in the app: the data for viz's client-side player, a Streamlit
component (v2) that :mod:`classroom.pages.components` mounts.

The component's HTML/CSS/JS are constant code from :mod:`viz.player`; everything
about the lesson travels as data (:func:`player_data`): the scene as JSON text
(parsed once in the browser, shown with ``textContent``), its id, the frame to
show and the selected node. The browser steps frames itself (no rerun is needed
to repaint) and reports the frame and a clicked node back as component state, so
the panels under the graph follow. Where Python moves the player (a frame, a
selected node) goes in a second, tiny component beside it (:class:`Payload`), so
the player's own element, which carries its code, is sent only when the scene or
how it is shown changes.
"""

from __future__ import annotations

import secrets
from collections.abc import MutableMapping
from dataclasses import dataclass
from typing import Any

import viz

KEY = "player"  # the component's key: its state is st.session_state[KEY]
MOVES_PREFIX = "agv_moves_"  # the moves' element is MOVES_PREFIX + the player's key
# A scene's text rides again with an element that did not change (Streamlit then sends a
# reference, not the player's 42 KB of code) only while it is small: each rerun serializes
# and hashes it, ~10 ms for the 80-term sum's 371 KB, ~0.15 ms for the book's 5 KB.
KEEP_TEXT_CHARS = 32_000


@dataclass(frozen=True)
class Payload:
    """What the two components on the page are given (plain, JSON-able data).

    ``player``: the scene and what seldom changes (the player's ~42 KB of code goes out
    again with every change of it: Streamlit sends a component's code in each element);
    ``moves``: where Python puts the player (a link, a quiz, the teacher's step, a variable
    picked under the graph), given to a tiny second component that hands it to the player
    in the page. A teacher's step then costs each student a few hundred bytes."""

    player: dict[str, Any]
    moves: dict[str, Any]


def player_data(scene: viz.Scene, step: int, selected: str | None, projector: bool,
                stale: bool = False, upto: int | None = None,
                locked: bool | str = False, report_paint: bool = False,
                ask_narrow: bool = False, answer_box: tuple[str, str] | None = None,
                *, state: MutableMapping[str, Any], key: str = KEY) -> Payload:
    """The data for the player and its moves. ``stale``: the graph is the last good one,
    shown dimmed under an error until the text is fixed; ``upto``: only frames 0..upto are
    sent (a quiz); ``locked``: it cannot be stepped here ("teacher": a student's, which
    the teacher steps; True: it follows another player);
    ``report_paint``: the page waits for this graph to be painted (the player then reports
    ``painted``, once: see :func:`classroom.state.graph_first`); ``ask_narrow``: the scene
    has no top-to-bottom layout though the page would use one on a narrow screen (the
    player then reports ``narrow``: :func:`classroom.state.player_narrow`);
    ``answer_box``: (widget key, question id) of the quiz's answer box, which the page
    focuses once per question when nothing else has focus (a keyboard user types the
    answer, presses Enter, and types the next one).

    ``state`` is the session's: a move (``push``: a frame, ``pick``: a selected node) is
    counted only when it puts the player somewhere the browser is not (:func:`_move`,
    :func:`_pick`), so the student's own steps and clicks change nothing; the scene's text
    goes only while the browser may not hold it (:func:`_scene_due`; else ``None``). The
    player's data is sent as it was unless the scene or how it is shown changed: the
    moves since then reach it through ``moves`` (the player applies the newer), and so do
    the frames a quiz has revealed since: the player shows frames 0..``upto``, those it
    holds and ``frames`` (from frame ``from`` on)."""
    last = state.get(f"{key}_sent")  # what went last: shown, data, text?, page run, held
    run = state.get("page_runs", 0)
    revealed = scene.n_frames - 1 if upto is None else max(0, min(upto, scene.n_frames - 1))
    # The player's element holds frames 0..held; frames a quiz reveals later come with the
    # moves (the element, its code and the layout, are not sent again for each answer).
    held = revealed
    if last and last["base"] == scene.scene_id and last["held"] <= revealed:
        held = last["held"]
    scene_id = _held_id(scene, held)
    due = _scene_due(last, scene_id, run)
    if due and held < revealed:  # the element goes anew anyway: with every frame revealed
        held, scene_id = revealed, _held_id(scene, revealed)
    frame, push = _move(state, key, scene_id, int(step))
    chosen, pick = _pick(state, key, selected)
    # ``epoch``: this session's; a page that outlived its session (its server restarted:
    # Streamlit reconnects the same page to a new session) sees the numbers start again
    # from 1: a locked player takes the new session's moves, an unlocked one keeps its own
    # frame and reports it (viz/player/streamlit.js)
    epoch = state.setdefault("player_epoch", secrets.token_hex(4))
    position = {"step": frame, "push": push, "selected": chosen, "pick": pick, "epoch": epoch}
    moves = {"key": key, "sceneId": scene_id, **position, "upto": revealed}
    if answer_box is not None:
        moves["focus"], moves["focusId"] = answer_box
    if held < revealed:
        moves["from"] = held + 1
        moves["frames"] = scene.payload()["frames"][held + 1:revealed + 1]
    shown = {"key": key, "sceneId": scene_id, "projector": bool(projector),
             "stale": bool(stale), "locked": bool(locked),
             "lockedBy": locked if isinstance(locked, str) else None,
             "askNarrow": bool(ask_narrow)}
    if last and last["shown"] == shown and not due:  # as it went: Streamlit sends a reference
        data, with_text = last["data"], last["text"]
        if with_text and len(scene.to_json()) > KEEP_TEXT_CHARS:
            with_text = False  # a big scene's element once more without its text
    else:
        data, with_text = {**position, **shown, "reportPaint": bool(report_paint)}, due
    state[f"{key}_sent"] = {"shown": shown, "data": data, "text": with_text, "run": run,
                            "base": scene.scene_id, "held": held}
    return Payload(player={"scene": scene.to_json(held) if with_text else None, **data},
                   moves=moves)


def _held_id(scene: viz.Scene, held: int) -> str:
    """The id of the scene with frames 0..``held`` (its own id when that is all of them)."""
    return scene.scene_id if held >= scene.n_frames - 1 else f"{scene.scene_id}-{held}"


def _move(state: MutableMapping[str, Any], key: str, scene_id: str, step: int) -> list[Any]:
    """[frame, move number] for the player ``key``: a new move only when this run puts the
    player somewhere the browser is not (a link, a quiz, the teacher, a new lesson), never
    to echo the student's own step. So from one step to the next the player's data is the
    same and Streamlit sends a reference to it (its message cache): the default example's
    52 KB, the 80-term sum's 463 KB, went out with every step."""
    moved = state.get(f"{key}_moved") or [None, 0, 0]  # [scene id, frame, move number]
    if state.get(f"{key}_shown") != [scene_id, step]:
        moved = [scene_id, step, moved[2] + 1]
        state[f"{key}_moved"] = moved
        state[f"{key}_shown"] = [scene_id, step]
    return moved[1:]


def _pick(state: MutableMapping[str, Any], key: str, selected: str | None) -> list[Any]:
    """[node, pick number] for the player ``key``: a new pick only when this run selects a
    node the browser does not show (the variable picked under the graph, a quiz's question),
    never to echo the student's click."""
    picked = state.get(f"{key}_picked") or [None, 0]
    if state.get(f"{key}_chosen", ()) != selected:  # (): nothing shown yet, not even None
        picked = [selected, picked[1] + 1]
        state[f"{key}_picked"] = picked
        state[f"{key}_chosen"] = selected
    return picked


def page_run(state: MutableMapping[str, Any]) -> int:
    """Called at the top of every run of the whole page (not a fragment's): counts them
    (1: the session's first), so :func:`_scene_due` knows which players the page drew in
    its last run."""
    state["page_runs"] = state.get("page_runs", 0) + 1
    return state["page_runs"]


def _scene_due(last: dict[str, Any] | None, scene_id: str, run: int) -> bool:
    """True when this run sends the scene's text: the first time for ``scene_id``, or when
    the player was not drawn in the page's last run (another page, a lesson that failed:
    the browser's new element holds nothing) or the page asked for it (:func:`resend`).
    Otherwise the browser holds it and is sent ``None``: a teacher's step, a clicked node
    or a quiz's answer then changes a few hundred bytes of data, not the scene too (463 KB
    for the 80-term sum, to every student at every step; Streamlit still sends the
    player's ~42 KB of code with any element whose data changed). ``last``: what
    :func:`player_data` sent last (``None`` once :func:`resend` forgot it)."""
    return not (last and last["shown"]["sceneId"] == scene_id and last["run"] >= run - 1)


def resend(state: MutableMapping[str, Any], key: str) -> None:
    """on_need_change of the player: it was given a scene's id without the text and does
    not hold that scene (a page that lost it): the next run sends it."""
    last = state.get(f"{key}_sent")
    if last and (state.get(key) or {}).get("need") == last["shown"]["sceneId"]:
        state.pop(f"{key}_sent", None)


def browser_stepped(state: MutableMapping[str, Any], key: str, frame: int) -> None:
    """The student stepped to ``frame`` in the browser (its report): where it now is."""
    moved = state.get(f"{key}_moved")
    if moved is not None:
        state[f"{key}_shown"] = [moved[0], frame]


def browser_selected(state: MutableMapping[str, Any], key: str, node: str | None) -> None:
    """The student clicked ``node`` in the browser (its report): what it now shows."""
    state[f"{key}_chosen"] = node
