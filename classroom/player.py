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
from functools import cache
from typing import Any

import viz

KEY = "player"  # the component's key: its state is st.session_state[KEY]


def player_data(scene: viz.Scene, step: int, selected: str | None, projector: bool,
                stale: bool = False, upto: int | None = None,
                locked: bool = False, report_paint: bool = False, *,
                state: MutableMapping[str, Any], key: str = KEY) -> dict[str, Any]:
    """What the component is given: plain, JSON-able data only. ``stale``: the graph is
    the last good one, shown dimmed under an error until the text is fixed; ``upto``:
    only frames 0..upto are sent (a quiz); ``locked``: the student follows a teacher and
    cannot step; ``report_paint``: the page waits for this graph to be painted (the
    player then reports ``painted``, once: see :func:`classroom.state.graph_first`).

    ``state`` is the session's: ``step`` is sent only when it moves the player (see
    :func:`_move`), so the student's own steps leave the data, the whole scene, unchanged."""
    text = scene.to_json(upto)
    scene_id = scene.scene_id if upto is None or upto >= scene.n_frames - 1 else \
        f"{scene.scene_id}-{max(0, upto)}"
    frame, move = _move(state, key, scene_id, int(step))
    return {"scene": text, "sceneId": scene_id, "step": frame, "push": move,
            "selected": selected, "projector": bool(projector), "stale": bool(stale),
            "locked": bool(locked), "reportPaint": bool(report_paint)}


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


def mount(data: dict[str, Any], *, on_step: Any, on_selected: Any, on_painted: Any = None,
          key: str = KEY) -> Any:
    """Show the player (inside a Streamlit script run); ``key`` names its state;
    ``on_painted``: called when a graph given with ``report_paint`` is on screen."""
    default: dict[str, Any] = {"step": None, "selected": None}
    callbacks = {"on_step_change": on_step, "on_selected_change": on_selected}
    if on_painted is not None:
        default["painted"] = None
        callbacks["on_painted_change"] = on_painted
    return _component()(key=key, data=data, default=default, **callbacks)


def history_navigation() -> bool:
    """True when this run is the browser's "back" or "forward" (Streamlit reruns with the
    address the history entry holds)."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    return bool(getattr(ctx, "is_history_navigation", False))
