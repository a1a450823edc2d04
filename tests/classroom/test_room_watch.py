"""The process's room watcher (classroom.room_watch): a page that follows a room is woken
when the room moves (in memory and through a real Redis shared by two replicas), only
then, and when its teacher goes quiet or the store goes away and comes back."""

from __future__ import annotations

import contextlib
import threading
import time

import pytest

from classroom import room_watch, rooms


class Page:
    """A follower that counts its wakes."""

    def __init__(self) -> None:
        self.woken = threading.Event()
        self.wakes = 0
        self.gone = False

    def wake(self) -> None:
        self.wakes += 1
        self.woken.set()

    def alive(self) -> bool:
        return not self.gone

    def settle(self) -> None:
        """Forget wakes for moves made before the test's own (the store's first view)."""
        time.sleep(0.5)
        self.wakes = 0
        self.woken.clear()

    def wait(self, seconds: float = 3.0) -> bool:
        woken = self.woken.wait(seconds)
        self.woken.clear()
        return woken


@pytest.fixture(params=["memory", "redis"])
def store(request):
    if request.param == "memory":
        return rooms.MemoryRooms()
    return rooms.RedisRooms(request.getfixturevalue("redis_url"))


@pytest.fixture
def watch(store):
    """A watcher that looks at its rooms only every 60 s: a wake within the test is a push."""
    watcher = room_watch.RoomWatcher(store, watch_s=60)
    yield watcher
    watcher.stop()


def view(step: int) -> dict:
    return {"spec": [], "step": step}


def test_a_move_wakes_the_rooms_pages_at_once_and_no_one_else(store, watch):
    code, token = store.create()
    other, other_token = store.create()
    store.publish(code, token, view(0))
    mine, theirs = Page(), Page()
    watch.follow(code, "a", mine)
    watch.follow(other, "b", theirs)
    mine.settle()
    theirs.settle()
    time.sleep(0.5)  # idle: nobody is woken
    assert mine.wakes == 0 and theirs.wakes == 0
    store.publish(code, token, view(1))
    assert mine.wait()
    assert theirs.wakes == 0
    store.publish(code, token, view(1))  # the same view again (a heartbeat): no move
    time.sleep(0.5)
    assert mine.wakes == 1
    store.publish(other, other_token, view(5))
    assert theirs.wait() and mine.wakes == 1


def test_a_page_that_left_or_is_gone_is_not_woken(store):
    code, token = store.create()
    watch = room_watch.RoomWatcher(store, watch_s=0.2)
    staying, leaving, closed = Page(), Page(), Page()
    for key, page in (("s", staying), ("l", leaving), ("c", closed)):
        watch.follow(code, key, page)
    watch.forget("l")
    closed.gone = True
    time.sleep(0.6)  # a look: the closed page is forgotten
    assert watch.followers(code) == 1
    store.publish(code, token, view(2))
    try:
        assert staying.wait()
        assert leaving.wakes == 0 and closed.wakes == 0
    finally:
        watch.stop()


def test_a_page_follows_one_room(store, watch):
    first, first_token = store.create()
    second, second_token = store.create()
    page = Page()
    watch.follow(first, "p", page)
    watch.follow(second, "p", page)  # it joined another room
    assert (watch.followers(first), watch.followers(second)) == (0, 1)
    store.publish(first, first_token, view(1))
    time.sleep(0.4)
    assert page.wakes == 0
    store.publish(second, second_token, view(1))
    assert page.wait()


@contextlib.contextmanager
def one_page_following(store):
    """A room with a view, a watcher looking every 0.2 s and one page following it, idle
    (no wake) once settled: yields (code, token, page)."""
    code, token = store.create()
    store.publish(code, token, view(0))
    watch = room_watch.RoomWatcher(store, watch_s=0.2)
    page = Page()
    watch.follow(code, "p", page)
    try:
        page.settle()
        time.sleep(0.5)
        assert page.wakes == 0
        yield code, token, page
    finally:
        watch.stop()


def test_a_teacher_gone_quiet_wakes_the_class_without_a_move(monkeypatch):
    now = [1000.0]
    store = rooms.MemoryRooms(clock=lambda: now[0])
    with one_page_following(store) as (code, token, page):
        now[0] += rooms.TEACHER_GONE_S + 1  # no heartbeat this long: the students are told
        assert page.wait()
        store.publish(code, token, view(0))  # the teacher's page is back (the same view)
        assert page.wait()


def test_a_move_wakes_its_pages_once_not_again_at_the_next_look(store):
    """The watcher's looks (every 0.2 s here) find a room whose version changed since the
    last look: a move it heard is not taken for a missed one (the class's pages were all
    run a second time after a step)."""
    with one_page_following(store) as (code, token, page):
        for step in (1, 2, 3):
            store.publish(code, token, view(step))
            assert page.wait()
            time.sleep(0.6)  # three looks
            assert page.wakes == 1, f"step {step}: woken {page.wakes} times"
            page.wakes = 0


class ShowingPage(Page):
    """A follower that says which room version it shows (as a Streamlit page does); a
    wake that is lost (``losing``) leaves it showing the old one."""

    def __init__(self, store, code) -> None:
        super().__init__()
        self.store, self.code, self.losing = store, code, False
        self.shown = store.get(code).version

    def wake(self) -> None:
        if not self.losing:
            self.shown = self.store.get(self.code).version
        super().wake()


def test_a_page_whose_wake_was_lost_is_woken_again_by_itself(store):
    """A move's wake can be lost on the way (a page rerunning whole when it came): the
    watcher's look finds the page showing an older version than a room that has not moved
    since the last look, and wakes that page alone, not the room."""
    code, token = store.create()
    store.publish(code, token, view(0))
    watch = room_watch.RoomWatcher(store, watch_s=0.2)
    lost, fine = ShowingPage(store, code), ShowingPage(store, code)
    watch.follow(code, "lost", lost)
    watch.follow(code, "fine", fine)
    try:
        lost.settle()
        fine.settle()
        lost.losing = True
        store.publish(code, token, view(1))
        assert lost.wait() and fine.wait()
        lost.losing = False  # the next wake gets through
        time.sleep(1.0)  # looks
        assert lost.shown == fine.shown == store.get(code).version
        assert (lost.wakes, fine.wakes) == (2, 1)
    finally:
        watch.stop()


def test_two_replicas_hear_each_others_moves(redis_url):
    one, two = rooms.RedisRooms(redis_url), rooms.RedisRooms(redis_url)
    code, token = one.create()
    watch_one, watch_two = (room_watch.RoomWatcher(one, watch_s=60),
                            room_watch.RoomWatcher(two, watch_s=60))
    here, there = Page(), Page()
    watch_one.follow(code, "here", here)
    watch_two.follow(code, "there", there)
    try:
        time.sleep(0.5)
        one.publish(code, token, view(3))  # the teacher's page is on replica one
        assert here.wait() and there.wait()
    finally:
        watch_one.stop()
        watch_two.stop()


def test_a_move_made_while_the_subscription_was_lost_still_wakes_the_pages(redis_url):
    """Redis dropped the watcher's subscription (a restart, CLIENT KILL). It is made again
    (by the store at its next wait, or by redis-py itself, without an error), and a move
    published before that was never heard: the pages waited for a look (here, 60 s). A
    subscription made again now counts as "every room may have moved"."""
    import redis

    store, teacher = rooms.RedisRooms(redis_url), rooms.RedisRooms(redis_url)
    code, token = teacher.create()
    watch = room_watch.RoomWatcher(store, watch_s=60)
    page = Page()
    watch.follow(code, "a", page)
    try:
        page.settle()
        admin = redis.Redis.from_url(redis_url)
        assert admin.client_kill_filter(_type="pubsub") >= 1
        teacher.publish(code, token, view(4))  # before the watcher has subscribed again
        assert page.wait(3.0), "the move made while the subscription was lost was missed"
        assert store.get(code).view["step"] == 4
        time.sleep(1.5)
        assert page.wakes == 1  # (once for it, not again)
    finally:
        watch.stop()


class FlakyStore(rooms.MemoryRooms):
    """A store that can stop answering (as a paused Redis)."""

    def __init__(self) -> None:
        super().__init__()
        self.down = False

    def get(self, code):
        if self.down:
            raise rooms.RoomError("unreachable")
        return super().get(code)

    def wait_for_moves(self, timeout):
        if self.down:
            time.sleep(min(timeout, 0.05))
            raise rooms.RoomError("unreachable")
        return super().wait_for_moves(timeout)


def test_the_class_is_told_when_the_store_goes_away_and_again_when_it_is_back():
    store = FlakyStore()
    with one_page_following(store) as (_code, _token, page):
        store.down = True
        assert page.wait()  # its page says "Reconnecting"
        time.sleep(1.5)
        assert page.wakes == 1  # once, not on every look
        store.down = False
        assert page.wait(rooms.RECONNECT_S + 2)  # back: the banner goes


def test_an_abandoned_room_is_forgotten_although_nobody_opens_a_room():
    """#29.7: expiry used to happen only when a room was created or opened; the watcher's
    wait sweeps, so an abandoned class's room (and stale join counts) go by themselves."""
    now = [1000.0]
    store = rooms.MemoryRooms(ttl=30, clock=lambda: now[0])
    code, token = store.create()
    store.publish(code, token, view(0))
    assert store.allow_failed_join("ip:1.2.3.4")
    now[0] += 31
    store.wait_for_moves(timeout=0)  # (what the watcher calls about every second)
    assert code not in store._rooms and store.get(code) is None
    assert "ip:1.2.3.4" in store._joins  # a failed join counts for a minute...
    now[0] += 30
    store.wait_for_moves(timeout=0)
    assert store._joins == {}  # ...then the client is forgotten
