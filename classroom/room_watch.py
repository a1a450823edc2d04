"""One watcher per process: the pages that follow a room are told the moment it moves.

A student's page does not ask every second whether the teacher stepped: it registers
here (:meth:`RoomWatcher.follow`) with a way to wake it, and this process's one watcher
thread waits on the room store (:meth:`~classroom.rooms.RoomStore.wait_for_moves`: a
condition in memory, a Redis subscription shared by every replica) and wakes the pages of
the room that moved. An idle class costs nothing but this one thread's wait.

Besides moves, every ``WATCH_S`` the watcher looks at each room it has followers for (one
store read per room, not per page) and wakes its pages when what they show can change
without a move: the teacher's page went quiet or came back, the store stopped answering
or answers again, or a move was missed while a subscription was lost (the store says
when it subscribed again: every room it follows is then taken for moved). A page that says
which version it shows (``shown``) and is still behind a move older than the last look is
woken by itself: a move's wake can be lost on its way to the page.

Nothing here knows Streamlit: a follower is anything with ``wake()`` and ``alive()``
(``classroom.pages.push`` makes them of Streamlit sessions).
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Protocol

from classroom.rooms import EVERY_ROOM, RECONNECT_S, RoomError, RoomStore

WATCH_S = 5.0  # how often the rooms with followers here are looked at (see the docstring)
_LOG = logging.getLogger("classroom.room_watch")


class Follower(Protocol):
    """A page following a room."""

    def wake(self) -> None:
        """Make the page look at its room again now (it must not block)."""

    def alive(self) -> bool:
        """False once the page is gone for good (it is then forgotten)."""

    # (optional) ``shown``: the room version the page's last look showed. A page whose
    # ``shown`` is behind a move older than one look is woken again by itself: its wake was
    # lost (a page busy rerunning whole when it came, say), and no move may be missed for
    # good.


class RoomWatcher:
    """The pages of this process that follow a room, and the thread that wakes them."""

    def __init__(self, store: RoomStore, watch_s: float = WATCH_S) -> None:
        self._store = store
        self._watch_s = watch_s
        self._lock = threading.Lock()
        self._rooms: dict[str, dict[str, Follower]] = {}  # code -> page key -> follower
        self._room_of: dict[str, str] = {}  # page key -> the code it follows
        self._seen: dict[str, tuple] = {}  # code -> what its pages were last woken for
        self._looked: dict[str, int] = {}  # code -> its version at the last look
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self.wakes = 0  # pages woken so far (for tests and the bench)

    # --- pages ---------------------------------------------------------------------------
    def follow(self, code: str, page: str, follower: Follower) -> None:
        """``page`` (a key unique to it) follows room ``code`` (it follows one room: a new
        code replaces the old one, and a page says it again at each of its runs, with
        what it now holds). The thread starts with the first page."""
        with self._lock:
            self.forget_locked(page)
            self._rooms.setdefault(code, {})[page] = follower
            self._room_of[page] = code
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="room-watcher",
                                                daemon=True)
                self._thread.start()

    def forget(self, page: str) -> None:
        """``page`` follows no room any more."""
        with self._lock:
            self.forget_locked(page)

    def forget_locked(self, page: str) -> None:
        code = self._room_of.pop(page, None)
        if code is not None:
            pages = self._rooms.get(code, {})
            pages.pop(page, None)
            if not pages:
                self._rooms.pop(code, None)
                self._seen.pop(code, None)
                self._looked.pop(code, None)

    def followers(self, code: str) -> int:
        """How many pages here follow room ``code``."""
        with self._lock:
            return len(self._rooms.get(code, {}))

    def wake(self, code: str) -> None:
        """Wake every page that follows room ``code``."""
        with self._lock:
            pages = list(self._rooms.get(code, {}).values())
            self.wakes += len(pages)
        for follower in pages:
            follower.wake()

    def stop(self) -> None:
        """End the thread (tests; a server's thread ends with its process)."""
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    # --- the thread ----------------------------------------------------------------------
    def _run(self) -> None:
        unreachable = False
        next_look = time.monotonic() + self._watch_s
        while not self._stopping.is_set():
            try:
                # (a wait of a second at most: stop() is heard)
                moved = list(self._store.wait_for_moves(
                    timeout=max(0.05, min(1.0, next_look - time.monotonic()))))
            except RoomError:  # the store does not answer: pages are told by the look below
                moved = []
                self._stopping.wait(RECONNECT_S)
                next_look = 0.0
            except Exception:  # a bug must not end the class's pushes: log, go on
                _LOG.exception("room watcher")
                self._stopping.wait(RECONNECT_S)
                continue
            if EVERY_ROOM in moved:  # (a subscription made again: moves went unheard)
                with self._lock:
                    moved = [code for code in moved if code != EVERY_ROOM] + \
                        list(self._rooms)
            for code in dict.fromkeys(moved):
                self._heard(code)
            lagging: list[Follower] = []
            if time.monotonic() >= next_look:
                changed, lagging, unreachable = self._look(unreachable)
                moved += changed
                # while the store is away it is looked at often: pages come back with it
                next_look = time.monotonic() + (RECONNECT_S if unreachable else self._watch_s)
            for code in dict.fromkeys(moved):
                self.wake(code)
            for follower in lagging:
                follower.wake()

    def _heard(self, code: str) -> None:
        """A move of room ``code`` was heard: what its pages are woken for is noted, so the
        next look does not take that move for a missed one and wake them all again (it
        did: a second wave of every student's page after a step, 1 step in 3)."""
        with self._lock:
            if code not in self._rooms:
                return
        try:
            room = self._store.get(code)
        except RoomError:
            return  # (the look will tell the pages)
        with self._lock:
            if code in self._rooms:
                self._seen[code] = self._state(room)

    @staticmethod
    def _state(room) -> tuple:  # noqa: ANN001 (a Room, or None: the store lost it)
        return ("gone",) if room is None else (room.version, room.ended, room.teacher_gone)

    def _look(self, unreachable: bool) -> tuple[list[str], list[Follower], bool]:
        """The rooms whose pages must all look again; the pages, of the other rooms, still
        behind a move older than the last look (their wake was lost); whether the store is
        away."""
        with self._lock:
            for page, code in list(self._room_of.items()):
                if not self._rooms[code][page].alive():
                    self.forget_locked(page)
            codes = list(self._rooms)
        changed, lagging, away = [], [], False
        for code in codes:
            room = None
            try:
                room = self._store.get(code)
            except RoomError:
                seen: tuple = ("unreachable",)
                away = True
            else:
                seen = self._state(room)
            with self._lock:
                before = self._seen.get(code)
                pages = list(self._rooms.get(code, {}).values())
                settled = room is not None and self._looked.get(code) == room.version
                if code in self._rooms:
                    self._seen[code] = seen
                    if room is not None:
                        self._looked[code] = room.version
            if before is not None and before != seen:
                changed.append(code)
            elif settled:  # the room has not moved since the last look: all should show it
                lagging += [page for page in pages
                            if getattr(page, "shown", None) not in (None, room.version)]
        if unreachable and not away:  # back: every page looks (moves were not heard)
            changed = codes
        return changed, lagging, away


# store -> its watcher (a process has one store: a plain mapping, kept for the process's life)
_WATCHERS: dict[RoomStore, RoomWatcher] = {}
_WATCHERS_LOCK = threading.Lock()


def watcher(store: RoomStore) -> RoomWatcher:
    """The process's watcher of ``store`` (one per store)."""
    with _WATCHERS_LOCK:
        if store not in _WATCHERS:
            _WATCHERS[store] = RoomWatcher(store)
        return _WATCHERS[store]
