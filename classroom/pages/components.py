"""The player's two Streamlit components: the player itself and its moves (what
:func:`classroom.player.player_data` made for them), and whether a run is the browser's
"back" or "forward"."""

from __future__ import annotations

from collections.abc import MutableMapping
from functools import cache, partial
from importlib.resources import files
from typing import Any

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from classroom.player import KEY, MOVES_PREFIX, Payload, resend
from viz.player import component_js, moves_js, player_css, student_js


def unscanned(data: dict[str, Any]) -> list[dict[str, Any]]:
    """A component's data as it is given to Streamlit: a one-item list (the page's code
    reads item 0). Streamlit looks for data frames among the values of a dict it is given,
    and that imports pandas and pyarrow (0.23 s and ~68 MiB in a new server) into a
    server that, for a lesson, needs neither."""
    return [data]


@cache
def reconnect_js() -> str:
    """The app's pages come back as soon as their restarted server answers (what the file
    says: Streamlit's own waits between tries grow to 4 s)."""
    return files(__package__).joinpath("reconnect.js").read_text(encoding="utf-8")


@cache
def _component() -> Any:
    # (the quick reconnection travels with the player's code: every lesson page has it, and
    # it is sent once a page; it is the app's, not the player's, which other apps embed)
    return st.components.v2.component("autograd_viz_player",
                                      js=reconnect_js() + component_js(),
                                      css=player_css(), isolate_styles=True)


@cache
def _moves_component() -> Any:
    return st.components.v2.component("autograd_viz_moves", js=moves_js())


def mount(data: Payload, *, state: MutableMapping[str, Any], on_step: Any,
          on_selected: Any, on_painted: Any = None, on_narrow: Any = None,
          key: str = KEY) -> Any:
    """Show the player and its moves (inside a Streamlit script run); ``key`` names the
    player's state in the session ``state`` (the moves' element, keyed ``MOVES_PREFIX +
    key``, is hidden by the page's CSS: classroom.view.page_css); ``on_painted``: called
    when a graph given with ``report_paint`` is on screen; ``on_narrow``: when a player
    given ``ask_narrow`` is on a narrow screen."""
    default: dict[str, Any] = {"step": None, "selected": None}
    callbacks = {"on_step_change": on_step, "on_selected_change": on_selected,
                 "on_need_change": partial(resend, state, key)}
    for name, callback in (("painted", on_painted), ("narrow", on_narrow)):
        if callback is not None:
            default[name] = None
            callbacks[f"on_{name}_change"] = callback
    result = _component()(key=key, data=unscanned(data.player), default=default, **callbacks)
    _moves_component()(key=MOVES_PREFIX + key, data=unscanned(data.moves))
    return result


@cache
def _student_component() -> Any:
    return st.components.v2.component("autograd_viz_student", js=student_js())


STUDENT_KEY = "agv_student"  # (drawn nothing, and hidden by the page's CSS: see view.py)


def browser_student(state: MutableMapping[str, Any], on_id: Any) -> None:
    """A student's page: the id its browser keeps, reported once (``on_id``: its
    on_id_change, classroom.state.browser_student)."""
    _student_component()(key=STUDENT_KEY, data=unscanned({"known": state.get("student_id")}),
                         default={"id": None}, on_id_change=on_id)


def history_navigation() -> bool:
    """True when this run is the browser's "back" or "forward" (Streamlit reruns with the
    address the history entry holds)."""
    ctx = get_script_run_ctx()
    return bool(getattr(ctx, "is_history_navigation", False))
