"""The Streamlit side of pushing a room's moves (classroom.room_watch) to students' pages.

A student's page follows its room in a fragment (``lesson.follow_the_teacher``). Each run
of that fragment registers the page with the process's room watcher; when the room
moves, the watcher asks Streamlit to run that fragment again in that session, exactly
as the browser's own ``run_every`` timer would, but only when there is something new.

Streamlit has no public call for "rerun this session's fragment from another thread", so
this module uses its runtime's internals (``Runtime``, ``AppSession``, ``RerunData``) in
one place, :func:`_rerun_fragment`. :func:`available` checks that they are there; where
they are not (another Streamlit, ``AppTest``), pages poll every ``rooms.POLL_S`` instead,
as they did before.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import streamlit as st

from classroom import room_watch, rooms

# The timer of rerun_on_reconnect's fragment: it never needs to fire (see there)
RECONNECT_TIMER_S = 3600


def _runtime():  # noqa: ANN202 (Streamlit's internal type)
    from streamlit.runtime import Runtime

    return Runtime.instance() if Runtime.exists() else None


def available() -> bool:
    """Can this server push to its pages? (A running Streamlit runtime with the internals
    :func:`_rerun_fragment` uses.)"""
    try:
        from streamlit.runtime.app_session import AppSession
        from streamlit.runtime.scriptrunner_utils.script_requests import RerunData  # noqa: F401
        from streamlit.runtime.scriptrunner_utils.script_run_context import (  # noqa: F401
            ThreadState,
        )
    except ImportError:
        return False
    runtime = _runtime()
    return runtime is not None and all(
        hasattr(AppSession, name) for name in ("has_fragment", "_create_scriptrunner")) \
        and hasattr(runtime, "_get_async_objs") and hasattr(runtime, "_session_mgr")


def _rerun_fragment(session_id: str, fragment_id: str) -> None:
    """Run ``fragment_id`` again in session ``session_id``, as the browser's ``run_every``
    timer asks for it (on the server's event loop, where sessions are changed).

    Unlike a request made of the session's last client state, this one carries no widget
    values (``None``: keep the session's), so a push that coincides with a student's click
    never undoes the click; it names the messages the browser was last known to hold, so
    unchanged elements go as references, as on the browser's own reruns.
    """
    from streamlit.runtime.scriptrunner_utils.script_requests import RerunData

    runtime = _runtime()
    session = runtime.get_app_session(session_id) if runtime is not None else None
    if session is None or not session.has_fragment(fragment_id):
        return  # disconnected (it reruns whole when it comes back), or a page without it
    last = session._client_state
    data = RerunData(query_string=last.query_string, page_script_hash=last.page_script_hash,
                     page_name=last.page_name, fragment_id=fragment_id, is_auto_rerun=True,
                     cached_message_hashes=frozenset(last.cached_message_hashes))
    runner = session._scriptrunner
    if runner is None or not runner.request_rerun(data):
        session._create_scriptrunner(data)


@dataclass(frozen=True)
class SessionFollower:
    """A Streamlit session's page following a room: its follow fragment is rerun."""

    session_id: str
    fragment_id: str

    def wake(self) -> None:
        runtime = _runtime()
        if runtime is not None:
            runtime._get_async_objs().eventloop.call_soon_threadsafe(
                _rerun_fragment, self.session_id, self.fragment_id)

    def alive(self) -> bool:
        runtime = _runtime()
        # (a disconnected session is kept a while: a browser that comes back resumes it)
        return runtime is not None and \
            runtime._session_mgr.get_session_info(self.session_id) is not None


_AVAILABLE: dict[str, bool] = {}
_AVAILABLE_LOCK = threading.Lock()


def pushing() -> bool:
    """Pages of this server are pushed to (else they poll every rooms.POLL_S)."""
    with _AVAILABLE_LOCK:
        if "yes" not in _AVAILABLE:
            _AVAILABLE["yes"] = available()
        return _AVAILABLE["yes"] and _runtime() is not None


def follow(code: str) -> None:
    """Called in the follow fragment's run: this session's fragment is woken when room
    ``code`` moves (from any replica)."""
    from streamlit.runtime.scriptrunner_utils.script_run_context import (
        ThreadState,
        get_script_run_ctx,
    )

    ctx, fragment_id = get_script_run_ctx(), ThreadState.get().fragment_id
    if ctx is None or fragment_id is None or not pushing():
        return
    room_watch.watcher(rooms.store()).follow(code, ctx.session_id,
                                             SessionFollower(ctx.session_id, fragment_id))


def forget() -> None:
    """This session follows no room (it left, or it is the teacher's)."""
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

    ctx = get_script_run_ctx()
    if ctx is not None and pushing():
        room_watch.watcher(rooms.store()).forget(ctx.session_id)


def _nothing() -> None:
    """(rerun_on_reconnect's fragment: draws nothing, does nothing)"""


def rerun_on_reconnect() -> None:
    """A pushed-to page runs again when its connection comes back. Streamlit's browser
    code asks for a run on reconnecting only when the page has a fragment timer (or was
    running): an idle student's page, told of moves instead of asking, has none, and a
    student whose server restarted stayed on the old frame until the teacher's next step.
    This fragment's timer is that one (hourly; its runs draw nothing)."""
    if pushing():
        st.fragment(_nothing, run_every=RECONNECT_TIMER_S)()
