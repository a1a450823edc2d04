"""A disconnected session that Streamlit forgets is shut down (classroom.pages.closed_sessions).

The store is driven as Streamlit's session manager drives it (save on disconnect, get,
delete on reconnect or close, list), with sessions that record their shutdown. The same
through a real Streamlit server and a real browser tab: tests/app/test_browser_closed_sessions.py.
"""

from __future__ import annotations

import gc
import time
import weakref
from dataclasses import dataclass, field

from streamlit.runtime.session_manager import SessionInfo

from classroom.pages import closed_sessions
from classroom.pages.closed_sessions import ClosingSessionStorage


@dataclass
class Session:
    id: str
    shut: list[str] = field(default_factory=list)

    def shutdown(self) -> None:
        self.shut.append(self.id)


def left(session_id: str, shut: list[str]) -> SessionInfo:
    return SessionInfo(client=None, session=Session(session_id, shut), script_run_count=1)


def test_a_session_whose_time_is_up_is_shut_down_when_looked_for():
    shut: list[str] = []
    storage = ClosingSessionStorage(maxsize=128, ttl_seconds=0.2)
    storage.save(left("a", shut))
    storage.save(left("b", shut))
    assert storage.reap() == 0 and shut == []  # (their time is not up)
    assert storage.get("a").session.id == "a"
    time.sleep(0.3)
    assert storage.get("a") is None  # (Streamlit's cache hides it, and kept it till now)
    assert shut == []
    assert storage.reap() == 2
    assert shut == ["a", "b"]
    assert storage.list() == [] and storage.reap() == 0 and shut == ["a", "b"]


def test_a_session_whose_time_is_up_is_shut_down_when_another_leaves():
    shut: list[str] = []
    storage = ClosingSessionStorage(maxsize=128, ttl_seconds=0.2)
    storage.save(left("a", shut))
    time.sleep(0.3)
    storage.save(left("b", shut))
    assert shut == ["a"]
    assert [info.session.id for info in storage.list()] == ["b"]


def test_the_oldest_of_too_many_is_shut_down():
    shut: list[str] = []
    storage = ClosingSessionStorage(maxsize=2, ttl_seconds=60)
    for name in "abc":
        storage.save(left(name, shut))
    assert shut == ["a"]
    assert sorted(info.session.id for info in storage.list()) == ["b", "c"]


def test_a_session_taken_out_by_streamlit_is_not_shut_down():
    """Streamlit deletes a stored session when its browser reconnects (the session goes on)
    and when it closes it (it shuts it down itself)."""
    shut: list[str] = []
    storage = ClosingSessionStorage(maxsize=128, ttl_seconds=0.2)
    storage.save(left("back", shut))
    storage.delete("back")
    time.sleep(0.3)
    assert storage.reap() == 0 and shut == []


def test_one_session_that_fails_to_shut_down_does_not_keep_the_others(caplog):
    shut: list[str] = []

    class Stubborn(Session):
        def shutdown(self) -> None:
            raise RuntimeError("no")

    storage = ClosingSessionStorage(maxsize=128, ttl_seconds=0.1)
    storage.save(SessionInfo(client=None, session=Stubborn("x"), script_run_count=1))
    storage.save(left("y", shut))
    time.sleep(0.2)
    assert storage.reap() == 2
    assert shut == ["y"]
    assert "could not shut down a forgotten session" in caplog.text


class Loop:
    """(What _look asks of the server's event loop: to be called again later.)"""

    def __init__(self) -> None:
        self.later: list[tuple] = []

    def call_later(self, delay: float, *call) -> None:  # noqa: ANN002
        self.later.append((delay, *call))


def test_a_look_that_shut_sessions_down_frees_their_cycles_at_once():
    """A session's objects are cyclic, and after a class nothing allocates enough to set
    the collector off: the look collects when it shut something down."""
    freed: list[str] = []
    storage = ClosingSessionStorage(maxsize=128, ttl_seconds=0.1)
    session = Session("cyclic", [])
    session.itself = session  # (as a session's state and widgets refer back to it)
    weakref.finalize(session, freed.append, "cyclic")
    storage.save(SessionInfo(client=None, session=session, script_run_count=1))
    del session
    loop = Loop()
    gc.disable()  # (the test's own allocations must not collect it instead)
    try:
        time.sleep(0.2)
        closed_sessions._look(storage, loop, 1.0, 0)
        assert freed == ["cyclic"]
    finally:
        gc.enable()
    assert storage.shut_down == 1
    assert loop.later == [(1.0, closed_sessions._look, storage, loop, 1.0, 1)]


def test_a_look_that_shut_nothing_down_leaves_the_collector_alone(monkeypatch):
    collected: list[int] = []
    monkeypatch.setattr(closed_sessions.gc, "collect", lambda: collected.append(1))
    storage = ClosingSessionStorage(maxsize=128, ttl_seconds=60)
    storage.save(left("staying", []))
    closed_sessions._look(storage, Loop(), 1.0, 0)
    assert collected == []


class Lesson:
    """Stands for what a page's state and callbacks hold (a lesson, its frames)."""


class ShutSession:
    """An AppSession's parts that hold a page's things: its state (values, widgets and
    their callbacks), its fragments, and its script runner while a script runs."""

    def __init__(self, session_id: str, held: Lesson) -> None:
        from streamlit.runtime.fragment import MemoryFragmentStorage
        from streamlit.runtime.state import SessionState
        from streamlit.runtime.state.common import WidgetMetadata

        self.id = session_id
        self._scriptrunner: object | None = None
        self._session_state = SessionState()
        self._session_state["lesson"] = held
        self._session_state._new_widget_state.set_widget_metadata(WidgetMetadata(
            id="$$ID-step", deserializer=lambda value: value, serializer=lambda value: value,
            value_type="int_value", callback=lambda: held))
        self._fragment_storage = MemoryFragmentStorage()
        self._fragment_storage.register("fragment", lambda: held)

    def shutdown(self) -> None:
        pass


def _shut_session(storage: ClosingSessionStorage, session: ShutSession) -> None:
    storage.save(SessionInfo(client=None, session=session, script_run_count=1))
    time.sleep(0.3)
    storage.reap()


def test_a_shut_session_lets_go_of_its_state_even_while_something_still_holds_it():
    """Something Python's collector cannot see (a server's loop, a C extension) may keep
    a shut session alive: what its page held is freed all the same."""
    held = Lesson()
    alive = weakref.ref(held)
    session = ShutSession("kept", held)  # (this test's reference: the one nobody can see)
    del held
    storage = ClosingSessionStorage(maxsize=128, ttl_seconds=0.2)
    _shut_session(storage, session)
    gc.collect()
    assert alive() is None
    assert "lesson" not in session._session_state
    assert session._session_state._new_widget_state.widget_metadata == {}
    assert session._fragment_storage.contains("fragment") is False


def test_a_shut_session_whose_script_still_runs_keeps_its_state_until_the_script_stops():
    held = Lesson()
    session = ShutSession("running", held)
    session._scriptrunner = object()  # (its script stops at its next checkpoint)
    storage = ClosingSessionStorage(maxsize=128, ttl_seconds=0.2)
    _shut_session(storage, session)
    assert session._session_state["lesson"] is held  # (the script may still read it)
    storage.reap()
    assert session._session_state["lesson"] is held
    session._scriptrunner = None  # (its script has stopped)
    storage.reap()
    assert "lesson" not in session._session_state
