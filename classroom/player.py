"""The graph player in the app: viz's client-side player as a Streamlit component (v2).

The component's HTML/CSS/JS are constant code from :mod:`viz.player`; everything
about the lesson travels as data (:func:`player_data`): the scene as JSON text
(parsed once in the browser, shown with ``textContent``), its id, the frame to
show and the selected node. The browser steps frames itself (no rerun is needed
to repaint) and reports the frame and a clicked node back as component state, so
the panels under the graph follow.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from functools import cache, partial
from typing import Any

import viz

KEY = "player"  # the component's key: its state is st.session_state[KEY]


def player_data(scene: viz.Scene, step: int, selected: str | None, projector: bool,
                stale: bool = False, upto: int | None = None,
                locked: bool = False, report_paint: bool = False, ask_narrow: bool = False,
                *, state: MutableMapping[str, Any], key: str = KEY) -> dict[str, Any]:
    """What the component is given: plain, JSON-able data only. ``stale``: the graph is
    the last good one, shown dimmed under an error until the text is fixed; ``upto``:
    only frames 0..upto are sent (a quiz); ``locked``: the student follows a teacher and
    cannot step; ``report_paint``: the page waits for this graph to be painted (the
    player then reports ``painted``, once: see :func:`classroom.state.graph_first`);
    ``ask_narrow``: the scene has no top-to-bottom layout though the page would use one on
    a narrow screen (the player then reports ``narrow``: :func:`classroom.state.player_narrow`).

    ``state`` is the session's: ``step`` is sent only when it moves the player (see
    :func:`_move`), so the student's own steps leave the data unchanged, and the scene's
    text only while the browser may not hold it (:func:`_scene_due`; else ``None``).
    Data that would differ from the last only by those two (the scene's text no longer
    due, or no longer waiting for the paint) is sent as it was: Streamlit then sends a
    reference, not the element and the player's code again (when the page fills in
    around the graph drawn alone, say)."""
    scene_id = scene.scene_id if upto is None or upto >= scene.n_frames - 1 else \
        f"{scene.scene_id}-{max(0, upto)}"
    frame, move = _move(state, key, scene_id, int(step))
    shown = {"sceneId": scene_id, "step": frame, "push": move, "selected": selected,
             "projector": bool(projector), "stale": bool(stale), "locked": bool(locked),
             "askNarrow": bool(ask_narrow)}
    run = state.get("page_runs", 0)
    last = state.get(f"{key}_sent")  # what went last: shown, reportPaint, text?, page run
    due = _scene_due(last, scene_id, run)
    if last and last["shown"] == shown and not due:
        report_paint, with_text = last["reportPaint"], last["text"]
    else:
        report_paint, with_text = bool(report_paint), due
    state[f"{key}_sent"] = {"shown": shown, "reportPaint": report_paint, "text": with_text,
                            "run": run}
    return {"scene": scene.to_json(upto) if with_text else None, **shown,
            "reportPaint": report_paint}


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


@cache
def _component() -> Any:
    import streamlit as st

    from viz.player import component_js, player_css

    return st.components.v2.component("autograd_viz_player", js=component_js(),
                                      css=player_css(), isolate_styles=True)


def mount(data: dict[str, Any], *, state: MutableMapping[str, Any], on_step: Any,
          on_selected: Any, on_painted: Any = None, on_narrow: Any = None,
          key: str = KEY) -> Any:
    """Show the player (inside a Streamlit script run); ``key`` names its state in the
    session ``state``; ``on_painted``: called when a graph given with ``report_paint`` is
    on screen; ``on_narrow``: when a player given ``ask_narrow`` is on a narrow screen."""
    default: dict[str, Any] = {"step": None, "selected": None}
    callbacks = {"on_step_change": on_step, "on_selected_change": on_selected,
                 "on_need_change": partial(resend, state, key)}
    for name, callback in (("painted", on_painted), ("narrow", on_narrow)):
        if callback is not None:
            default[name] = None
            callbacks[f"on_{name}_change"] = callback
    return _component()(key=key, data=data, default=default, **callbacks)


def history_navigation() -> bool:
    """True when this run is the browser's "back" or "forward" (Streamlit reruns with the
    address the history entry holds)."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    return bool(getattr(ctx, "is_history_navigation", False))
