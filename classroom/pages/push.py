"""The Streamlit side of pushing a room's moves (classroom.room_watch) to students' pages.

A student's page follows its room in a fragment (``lesson.follow_the_teacher``). Each run
of that fragment registers the page with the process's room watcher; when the room
moves, the watcher asks Streamlit to run that fragment again in that session, exactly
as the browser's own ``run_every`` timer would, but only when there is something new.

Streamlit has no public call for "rerun this session's fragment from another thread", so
this module uses its runtime's internals (``Runtime``, ``AppSession``, ``RerunData``,
``ScriptRunContext._enqueue``) here and nowhere else. :func:`available` checks that they
are there; where they are not (another Streamlit, ``AppTest``), pages poll every
``rooms.POLL_S`` instead.

What the browser already holds: a browser's own rerun request lists the messages its
cache holds, and Streamlit sends those as references (the player's element, 65 KB, goes
once, not at every step). A pushed run has no such list, so :func:`following` notes the
cached messages each run of the fragment sends, and the next push names them: they are
what that run left in the browser's cache, and Streamlit's browser code ages a fragment's
messages only by runs of that fragment or of the whole page, each of which sends them
again (without it, 71 KB went to every student at every step instead of 7).
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Iterator
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
        hasattr(AppSession, name) for name in ("has_fragment", "_create_scriptrunner",
                                               "track_settling", "wait_until_settled")) \
        and hasattr(runtime, "_get_async_objs") and hasattr(runtime, "_session_mgr")


# A push to a page busy running (or whose messages are not all sent) waits for it at most
# this long (a page busy that long is gone, or runs whole anyway)
PUSH_GIVE_UP_S = 10.0
# Pushed runs going at once. All of a class's pages started together (240 threads, one
# GIL) finished together, and the server's loop, which sends every message, had its turn
# only after the last: every student saw the step at the end (p95 2.3 s at 240). A few at
# a time, each page's step leaves as soon as its run is over.
RUNS_AT_ONCE = 4
_WAITING: dict[str, tuple[str, frozenset[str]]] = {}  # session -> its push waiting (loop only)
_SLOTS: dict[str, asyncio.Semaphore] = {}  # (made on the server's loop, where it is used)


def _rerun_fragment(session_id: str, fragment_id: str, held: frozenset[str]) -> None:
    """Run ``fragment_id`` again in session ``session_id``, as the browser's ``run_every``
    timer asks for it (on the server's event loop, where sessions are changed).

    Only once the session is settled (its runs over, everything they sent gone out: as
    when the browser asks): a fragment run that starts drops the messages of that
    fragment still waiting to go, and those of the whole-page run just before it (its
    graph, 1 page in 3 when a move came in the middle of a new student's first run) went
    missing while the elements after them arrived, and the browser gave up ("Bad delta
    path index"). A busy page's push waits for it; pushes meanwhile are one.

    Unlike a request made of the session's last client state, this one carries no widget
    values (``None``: keep the session's), so a push that coincides with a student's click
    never undoes the click; ``held``: the cached messages the browser holds (see the
    module's docstring), sent as references.
    """
    if session_id in _WAITING:  # (the push already waiting takes this one's news)
        _WAITING[session_id] = (fragment_id, held)
        return
    _WAITING[session_id] = (fragment_id, held)
    asyncio.ensure_future(_push(session_id))


async def _push(session_id: str) -> None:
    runtime = _runtime()
    taken = False  # this push's news taken out of _WAITING (a later push's may be there)
    try:
        session = runtime.get_app_session(session_id) if runtime is not None else None
        if session is None:
            return  # disconnected (it reruns whole when it comes back)
        session.track_settling()
        await asyncio.wait_for(_settled(session), PUSH_GIVE_UP_S)
        slots = _SLOTS.setdefault("slots", asyncio.Semaphore(RUNS_AT_ONCE))
        async with slots:
            await asyncio.wait_for(_settled(session), PUSH_GIVE_UP_S)  # (a run of its own?)
            fragment_id, held = _WAITING.pop(session_id)
            taken = True
            if not session.has_fragment(fragment_id):
                return  # (a page without it now: another lesson, or it left)
            _start(session, fragment_id, held)
            await asyncio.wait_for(session.wait_until_settled(), PUSH_GIVE_UP_S)
    except asyncio.TimeoutError:
        pass
    finally:
        if not taken:  # (once taken, a move meanwhile is a new push of its own: kept)
            _WAITING.pop(session_id, None)


async def _settled(session) -> None:  # noqa: ANN001 (an AppSession)
    """Until ``session`` runs nothing and has sent everything. (Streamlit's own settled
    state, once tracked, says so; a session tracked from the middle of its life counts as
    settled as soon as it runs nothing, its messages perhaps still waiting: the queue is
    looked at too.)"""
    while True:
        await session.wait_until_settled()
        if session._scriptrunner is None and session._browser_queue.is_empty():
            return
        await asyncio.sleep(0.005)


def _start(session, fragment_id: str, held: frozenset[str]) -> None:  # noqa: ANN001
    from streamlit.runtime.scriptrunner_utils.script_requests import RerunData

    last = session._client_state
    session._create_scriptrunner(RerunData(
        query_string=last.query_string, page_script_hash=last.page_script_hash,
        page_name=last.page_name, fragment_id=fragment_id, is_auto_rerun=True,
        cached_message_hashes=held))


@dataclass(frozen=True)
class SessionFollower:
    """A Streamlit session's page following a room: its follow fragment is rerun."""

    session_id: str
    fragment_id: str
    held: frozenset[str] = frozenset()  # what its last run left in the browser's cache
    shown: int | None = None  # the room version its last run showed (room_watch.Follower)

    def wake(self) -> None:
        runtime = _runtime()
        if runtime is not None:
            runtime._get_async_objs().eventloop.call_soon_threadsafe(
                _rerun_fragment, self.session_id, self.fragment_id, self.held)

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


@contextlib.contextmanager
def following(code: str) -> Iterator[None]:
    """Around a run of the follow fragment: this session's fragment is woken when room
    ``code`` moves (from any replica), and the next push names the cached messages this
    run sent."""
    from streamlit.runtime.scriptrunner_utils.script_run_context import (
        ThreadState,
        get_script_run_ctx,
    )

    ctx = get_script_run_ctx()
    fragment_id = ThreadState.get().fragment_id if ctx is not None else None
    if fragment_id is None or not pushing():
        yield
        return
    sent: set[str] = set()
    enqueue = ctx._enqueue

    def noting(msg) -> None:  # noqa: ANN001 (a ForwardMsg)
        if msg.WhichOneof("type") == "ref_hash":
            sent.add(msg.ref_hash)
        elif msg.metadata.cacheable and msg.hash:
            sent.add(msg.hash)
        enqueue(msg)

    ctx._enqueue = noting
    try:
        yield
    finally:
        ctx._enqueue = enqueue
        room_watch.watcher(rooms.store()).follow(
            code, ctx.session_id, SessionFollower(ctx.session_id, fragment_id, frozenset(sent),
                                                  st.session_state.get("room_version")))


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
