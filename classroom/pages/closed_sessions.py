"""Sessions whose tab is gone are shut down, so what they hold is freed.

When a tab closes, Streamlit keeps its session a while (``server.disconnectedSessionTTL``,
2 minutes by default) for a browser that comes back. Its store of such sessions is a
time-to-live cache that forgets a session when the time is up, or when it is the oldest
of too many, without shutting it down: nothing then clears the session's state, and its
media files and deferred downloads stay registered with the runtime for the life of the
process (streamlit/streamlit#12506). A lesson page's download buttons each hold their
lesson (graph, frames, SVG), so every student who ever left kept a lesson alive, and after
a class, with nobody connecting, the expired sessions were not even dropped from the
cache.

:func:`install` (once per process, from ``app.py``) replaces that store with one that
shuts a session down when it forgets it (and empties the session's state once its script
has stopped: see :func:`empty`), and looks every :data:`LOOK_EVERY_S` (or sooner, for a
shorter time to live) for sessions whose time is up. It uses Streamlit's internals
(``Runtime._session_mgr`` and its ``_session_storage``) here and nowhere else; where they
are missing it does nothing.
"""

from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
import gc
import logging
import threading

from streamlit.runtime.caching.ttl_cache import TTLCache
from streamlit.runtime.memory_session_storage import MemorySessionStorage

_LOG = logging.getLogger(__name__)

# How often expired sessions are looked for, at most (and at least once a session's time
# to live); they are also reaped whenever another session leaves
LOOK_EVERY_S = 15.0


class ClosingSessionStorage(MemorySessionStorage):
    """Streamlit's in-memory store of disconnected sessions, but a session it forgets (its
    time is up, or it is the oldest of ``maxsize``) is shut down. A session taken out by
    Streamlit itself (``delete``: it reconnected, or is being closed) is left alone."""

    def __init__(self, maxsize: float, ttl_seconds: float) -> None:
        super().__init__()
        self._taking_out: str | None = None
        self.shut_down = 0  # sessions shut down so far
        self._to_empty: list = []  # shut down, their script still stopping (AppSessions)
        self._cache = TTLCache(maxsize=maxsize, ttl=ttl_seconds, on_remove=self._removed)

    def delete(self, session_id: str) -> None:
        self._taking_out = session_id
        try:
            super().delete(session_id)
        finally:
            self._taking_out = None

    @property
    def ttl(self) -> float:
        """How long a disconnected session is kept, in seconds."""
        return self._cache.ttl

    def reap(self) -> int:
        """Shut down the sessions whose time is up; how many there were."""
        expired = len(self._cache.expire())
        self._empty_the_stopped()
        return expired

    def _removed(self, session_id: str, info) -> None:  # noqa: ANN001 (a SessionInfo)
        if session_id != self._taking_out:
            self.shut(info)

    def shut(self, info) -> None:  # noqa: ANN001 (a SessionInfo)
        """Shut down a forgotten session (counted in ``shut_down``)."""
        self.shut_down += 1
        try:
            info.session.shutdown()
        except Exception:  # (one session's trouble must not keep the others)
            _LOG.exception("could not shut down a forgotten session")
        self._to_empty.append(info.session)
        self._empty_the_stopped()

    def _empty_the_stopped(self) -> None:
        """Empty the state of the sessions shut down whose script has stopped (a running
        script still reads its state: those wait for the next look)."""
        running = []
        for session in self._to_empty:
            if getattr(session, "_scriptrunner", None) is None:
                empty(session)
            else:
                running.append(session)
        self._to_empty = running


def empty(session) -> None:  # noqa: ANN001 (an AppSession)
    """Drop what a session that was shut down holds: its state (values, widgets and their
    callbacks) and its fragments.

    Shutting a session down leaves them in place, and a shut session can stay alive where
    Python's collector sees no referrer: Streamlit's message loop keeps the last session
    it sent to in a local variable, and after a 60-student class had left
    (``bench.bench_room_memory``) the states of two shut sessions were still alive, one a
    teacher's (413 objects). With them emptied, what Python's allocator held after the
    class came back to what it held before it (+88 kB before this, -1 kB after)."""
    state = getattr(session, "_session_state", None)
    widgets = getattr(state, "_new_widget_state", None)
    for part in (getattr(widgets, "states", None), getattr(widgets, "widget_metadata", None)):
        if isinstance(part, dict):  # (first: clearing the state would read each widget)
            part.clear()
    try:
        if state is not None:
            state.clear()
        fragments = getattr(session, "_fragment_storage", None)
        if fragments is not None:
            fragments.clear()
    except Exception:  # (another Streamlit's internals: what was dropped is dropped)
        _LOG.debug("could not empty a shut-down session", exc_info=True)


_INSTALLED = threading.Event()
_INSTALL_LOCK = threading.Lock()


def install() -> bool:
    """Once per process: the runtime's session store shuts down what it forgets, and is
    looked at every LOOK_EVERY_S at most. False where there is no running Streamlit runtime or
    its internals differ (``AppTest``, another Streamlit): nothing is changed."""
    with _INSTALL_LOCK:
        if _INSTALLED.is_set():
            return True
        manager = _session_manager()
        old = getattr(manager, "_session_storage", None)
        cache = getattr(old, "_cache", None)
        if type(old) is not MemorySessionStorage or not isinstance(cache, TTLCache):
            return False
        loop = _event_loop()
        if loop is None:
            return False
        new = ClosingSessionStorage(cache.maxsize, cache.ttl)
        loop.call_soon_threadsafe(_swap, manager, old, new, loop)
        _INSTALLED.set()
        return True


def _swap(manager, old: MemorySessionStorage, new: ClosingSessionStorage,  # noqa: ANN001
          loop: asyncio.AbstractEventLoop) -> None:
    """(On the server's event loop, where sessions connect and leave: nothing moves
    between the copy and the swap.) The sessions already forgotten are shut down."""
    for _, info in old._cache.expire():
        new.shut(info)
    for info in old.list():
        new.save(info)
    manager._session_storage = new
    _look(new, loop, min(LOOK_EVERY_S, max(1.0, new.ttl)), 0)


def _look(storage: ClosingSessionStorage, loop: asyncio.AbstractEventLoop, every: float,
          shut_before: int) -> None:
    storage.reap()
    if storage.shut_down > shut_before:
        give_back_memory()
    loop.call_later(every, _look, storage, loop, every, storage.shut_down)


def give_back_memory() -> None:
    """Free what sessions that were shut down held, and hand it back to the system.

    A session's objects hold cycles (its state, its widgets), which only the cyclic
    collector frees, and after a class nothing allocates enough to set it off. What is
    freed goes back to C's allocator, which keeps it for the process (glibc returns only
    the top of its heap by itself): ``malloc_trim`` hands the free pages back (after a
    60-student class had left, ``bench.bench_room_memory``: 5.3 of the 18 MiB it had grown
    by; what stays is Python's allocator keeping arenas that a few live objects pin)."""
    gc.collect()
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


def _glibc():  # noqa: ANN202 (a ctypes library, or None where there is no glibc)
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc if hasattr(libc, "malloc_trim") else None
    except OSError:
        return None


_LIBC = _glibc()


def _session_manager():  # noqa: ANN202 (Streamlit's internal type)
    from streamlit.runtime import Runtime

    # (AppTest's runtime is a mock that has none)
    return getattr(Runtime.instance(), "_session_mgr", None) if Runtime.exists() else None


def _event_loop():  # noqa: ANN202
    from streamlit.runtime import Runtime

    try:
        return Runtime.instance()._get_async_objs().eventloop
    except Exception:  # (no running runtime: AppTest)
        return None
