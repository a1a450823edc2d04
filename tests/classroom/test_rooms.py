"""The room store, in memory and in a real Redis (started by the test): only the teacher's
token changes a room, answers are per question and kept from students, rooms expire,
joins are rate-limited, and every bad request gets a reason."""

from __future__ import annotations

import time

import pytest

from classroom import quiz, rooms


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(params=["memory", "redis"])
def store(request):
    if request.param == "memory":
        return rooms.MemoryRooms()
    url = request.getfixturevalue("redis_url")
    return rooms.RedisRooms(url)


def test_only_the_teacher_changes_the_room(store):
    code, token = store.create()
    assert rooms.normalize_code(code) == code and len(token) >= 20
    assert store.get(code).view == {} and store.get(code).version == 0
    view = {"spec": ["square(x)", [["x", "0.5"]], False, None, None], "step": 2}
    assert store.publish(code, token, view) == 1
    assert store.publish(code, token, view) == 1  # the same view: no new version
    room = store.get(code)
    assert room.view == view and room.version == 1
    assert store.is_teacher(code, token) and not store.is_teacher(code, "guess")
    assert not store.is_teacher(code, None)
    with pytest.raises(rooms.RoomError) as err:
        store.publish(code, "a student's guess", {"step": 0})
    assert err.value.code == "not_teacher" and store.get(code).view == view
    with pytest.raises(rooms.RoomError, match="no_room"):
        store.publish("ZZZZZZ", token, view)
    assert store.get("ZZZZZZ") is None


def test_answers_are_per_question_and_only_the_teacher_sees_them(store):
    code, token = store.create()
    for student, answer in (("s1", 16.0), ("s2", 16.0), ("s3", 8.0), ("s1", 16.0)):
        store.submit(code, "q1", student, answer)  # s1 answers twice: one answer kept
    store.submit(code, "q2", "s1", 1.0)
    summary = store.tally(code, token, "q1").summary(16.0, quiz.is_right)
    assert summary["count"] == 3 and summary["right"] == 2
    assert round(summary["percent"]) == 67 and summary["histogram"] == {"8": 1, "16": 2}
    with pytest.raises(rooms.RoomError, match="not_teacher"):
        store.tally(code, "guess", "q1")
    for bad in (float("nan"), float("inf"), True, "16"):
        with pytest.raises(rooms.RoomError, match="bad_answer"):
            store.submit(code, "q1", "s4", bad)
    with pytest.raises(rooms.RoomError, match="no_room"):
        store.submit("ZZZZZZ", "q1", "s1", 1.0)


def test_a_view_must_be_small_plain_data(store):
    code, token = store.create()
    with pytest.raises(rooms.RoomError, match="view_too_big"):
        store.publish(code, token, {"spec": "x" * (rooms.MAX_VIEW_BYTES + 1)})


def test_failed_joins_are_rate_limited_per_client(store):
    client = f"ip:203.0.113.{id(store) % 250}"
    allowed = [store.allow_failed_join(client) for _ in range(rooms.FAILED_JOINS_PER_MINUTE + 5)]
    assert allowed.count(True) == rooms.FAILED_JOINS_PER_MINUTE and not allowed[-1]
    assert store.allow_failed_join(client + "9")  # another client is not affected


def test_the_failed_join_window_slides():
    """A fixed calendar minute let 600 joins through in ~2 s across its boundary."""
    clock = Clock()
    store = rooms.MemoryRooms(clock=clock)
    clock.now = 1059.5  # half a second before a minute's boundary
    assert all(store.allow_failed_join("ip:a") for _ in range(rooms.FAILED_JOINS_PER_MINUTE))
    clock.now = 1060.5  # just after it: the same 60 s still counts
    assert not store.allow_failed_join("ip:a")
    clock.now = 1120.0
    assert store.allow_failed_join("ip:a")


def test_redis_failed_joins_slide_too(redis_url):
    store = rooms.RedisRooms(redis_url)
    client = f"ip:198.51.100.{time.time_ns() % 250}"
    assert all(store.allow_failed_join(client) for _ in range(rooms.FAILED_JOINS_PER_MINUTE))
    assert not store.allow_failed_join(client)  # within the same 60 s, whatever the minute


@pytest.mark.parametrize(("address", "headers", "trusted", "expected"), [
    ("203.0.113.5", {}, "", "ip:203.0.113.5"),
    (None, {}, "", "session:S"),  # no address: this session alone, never one shared bucket
    (None, {"X-Forwarded-For": "198.51.100.7"}, "", "session:S"),  # untrusted header: ignored
    ("203.0.113.5", {"X-Forwarded-For": "1.2.3.4"}, "", "ip:203.0.113.5"),
    (None, {"X-Forwarded-For": "10.0.0.1, 198.51.100.7"}, "loopback", "ip:198.51.100.7"),
    (None, {"X-Real-IP": "198.51.100.8", "X-Forwarded-For": "x"}, "loopback",
     "ip:198.51.100.8"),
    ("10.0.0.2", {"x-forwarded-for": "198.51.100.9"}, "10.0.0.2", "ip:198.51.100.9"),
    ("10.0.0.3", {"x-forwarded-for": "198.51.100.9"}, "10.0.0.2", "ip:10.0.0.3"),  # not ours
    (None, {}, "loopback", "session:S"),  # the proxy sent no header
])
def test_the_client_a_limit_counts(monkeypatch, address, headers, trusted, expected):
    monkeypatch.setenv("AUTOGRAD_VIZ_TRUSTED_PROXY", trusted)
    assert rooms.client_id(address, headers, "S") == expected


def test_rooms_expire_after_inactivity():
    clock = Clock()
    store = rooms.MemoryRooms(ttl=60, clock=clock)
    code, token = store.create()
    clock.now += 50
    store.publish(code, token, {"step": 1})  # activity keeps it alive
    clock.now += 50
    assert store.get(code) is not None
    clock.now += 61
    assert store.get(code) is None


def test_redis_rooms_expire_and_two_replicas_share_them(redis_url):
    first, second = rooms.RedisRooms(redis_url, ttl=1), rooms.RedisRooms(redis_url, ttl=1)
    code, token = first.create()
    second.publish(code, token, {"step": 3})  # another replica, the same room
    assert first.get(code).view == {"step": 3}
    time.sleep(2.2)
    assert first.get(code) is None


@pytest.mark.parametrize(("text", "code"), [("abc234", "ABC234"), (" abc-234 ", "ABC234"),
                                            ("ABC23", None), ("ABC2340", None),
                                            ("ABCDE0", None), ("'; DROP", None), (None, None)])
def test_room_codes_are_read_forgivingly_and_strictly(text, code):
    assert rooms.normalize_code(text) == code


def test_the_store_is_chosen_by_the_environment(monkeypatch, redis_url):
    rooms._STORE.clear()
    monkeypatch.setenv("AUTOGRAD_VIZ_ROOMS", redis_url)
    try:
        assert isinstance(rooms.store(), rooms.RedisRooms)
    finally:
        rooms._STORE.clear()
    monkeypatch.delenv("AUTOGRAD_VIZ_ROOMS")
    assert isinstance(rooms.store(), rooms.MemoryRooms)
    rooms._STORE.clear()


def test_a_step_is_not_a_new_lesson_and_a_student_moves_to_it(store):
    code, token = store.create()
    view = {"spec": ["square(x)", [["x", "0.5"]], False, None, None], "step": 2,
            "reached": None, "opts": {"quiz": False}, "question": None, "revealed": None}
    store.publish(code, token, view)
    before = store.get(code)
    store.publish(code, token, {**view, "step": 3, "reached": 3})
    moved = store.get(code)
    assert rooms.same_lesson(before, moved) and not rooms.same_lesson(None, moved)
    store.publish(code, token, {**view, "spec": ["exp(x)", [["x", "0.5"]], False, None, None]})
    assert not rooms.same_lesson(moved, store.get(code))  # another lesson: the page reruns
    store.publish(code, token, {**view, "opts": {"quiz": True}})
    assert not rooms.same_lesson(moved, store.get(code))
    session = {"step": 2, "expr": "square(x)"}
    rooms.follow_step(session, moved)
    assert session == {"step": 2, "expr": "square(x)", "link_step": 3, "room_reached": 3,
                       "room_version": moved.version}  # applied once the lesson is known


def test_a_teachers_step_reaches_the_room_from_the_players_callback(monkeypatch):
    from classroom import state as ui

    memory = rooms.MemoryRooms()
    monkeypatch.setitem(rooms._STORE, "store", memory)
    code, token = memory.create()
    view = {"spec": ["square(x)", [["x", "0.5"]], False, None, None], "step": 4}
    memory.publish(code, token, view)
    session = {**ui.DEFAULTS, "step": 4, "n_frames": 8, "player": {"step": [5, 1]}}
    ui.teacher_stepped(session, "player", code, token)  # before the teacher's page reruns
    assert session["step"] == 5 and memory.get(code).view == {**view, "step": 5}
    ui.teacher_stepped(session, "player", code, "a student's guess")  # refused, quietly
    assert memory.get(code).view["step"] == 5
    ui.teacher_stepped(session, "player", "ZZZZZZ", token)  # the room ended: nothing breaks


def test_the_teacher_ends_a_room_and_a_heartbeat_says_the_page_is_there(store):
    code, token = store.create()
    view = {"spec": ["square(x)", [["x", "0.5"]], False, None, None], "step": 2}
    store.publish(code, token, view)
    version = store.get(code).version
    time.sleep(0.05)
    idle = store.get(code).idle_s
    assert 0.04 <= idle < 5 and not store.get(code).teacher_gone
    rooms.heartbeat(store, code, token)
    room = store.get(code)
    assert room.idle_s < idle and room.version == version  # no student reruns for it
    rooms.heartbeat(store, code, "a student's guess")  # only the teacher's page counts
    rooms.end(store, code, "a student's guess")  # nor can anyone else end the class
    assert not store.get(code).ended
    rooms.end(store, code, token)
    room = store.get(code)
    assert room.ended and room.view["spec"] == view["spec"]  # the last lesson stays


def test_a_silent_teacher_page_is_gone_after_a_while():
    clock = Clock()
    store = rooms.MemoryRooms(clock=clock)
    code, token = store.create()
    store.publish(code, token, {"step": 0})
    clock.now += rooms.TEACHER_GONE_S - 1
    assert not store.get(code).teacher_gone
    clock.now += 2
    assert store.get(code).teacher_gone
    rooms.heartbeat(store, code, token)
    assert not store.get(code).teacher_gone


def test_a_client_answers_as_a_class_not_as_a_flood(store, monkeypatch):
    """#29.6: one answer per student (a second replaces the first, whatever client sends
    it); one client (a school's NAT) may answer as a class, but a client minting students
    is refused past MAX_STUDENTS_PER_CLIENT, and only it: the others still answer."""
    monkeypatch.setattr(rooms, "MAX_STUDENTS_PER_CLIENT", 30)
    code, token = store.create()
    for i in range(30):  # a class of 30 behind one address
        store.submit(code, "q1", f"student{i:02d}", 1.0, "10.0.0.1")
    store.submit(code, "q1", "student00", 2.0, "10.0.0.1")  # a refresh: the same student
    store.submit(code, "q1", "student01", 2.0, "10.9.9.9")  # a phone on another network
    with pytest.raises(rooms.RoomError, match="too_many_answers"):
        store.submit(code, "q1", "minted-31", 1.0, "10.0.0.1")
    store.submit(code, "q1", "someone-else", 1.0, "192.168.1.5")  # not refused
    store.submit(code, "q2", "minted-31", 1.0, "10.0.0.1")  # another question: a fresh count
    tally = store.tally(code, token, "q1").summary(1.0, quiz.is_right)
    assert tally["count"] == 31 and tally["right"] == 29  # students, each once


def test_a_browser_s_student_id_is_taken_only_when_it_looks_like_one():
    from classroom import state as ui

    state = {"student_id": "session-made", "agv_student": {"id": "0123456789abcdef01234567"}}
    ui.browser_student(state, "agv_student")
    assert state["student_id"] == "0123456789abcdef01234567"
    for bad in ("<script>", "ab" * 40, 12, None, "0123456789ABCDEF01234567"):
        state["agv_student"] = {"id": bad}
        ui.browser_student(state, "agv_student")
        assert state["student_id"] == "0123456789abcdef01234567"


def test_a_restored_room_counts_its_versions_anew_where_no_student_has_been(store):
    """A store that lost a room gets it back from the teacher's page (rooms.teach): the same
    code and token, the teacher's view, and a version no student's page can hold already
    (a page follows a version different from its own)."""
    code, token = store.create()
    for step in range(3):
        seen = store.publish(code, token, {"step": step})  # a student saw version 3
    if isinstance(store, rooms.MemoryRooms):
        store._rooms.clear()
    else:
        store._db.delete(f"agv:room:{code}")
    version = rooms.teach(store, code, token, {"step": 5})
    assert version > seen + 1_000_000 and store.get(code).view == {"step": 5}
    assert store.is_teacher(code, token) and not store.is_teacher(code, "guess")
    assert rooms.teach(store, code, token, {"step": 6}) == version + 1


@pytest.mark.parametrize("text", ["abc", "0", "-5", "nan", "inf", "1e999"])
def test_a_bad_room_expiry_in_the_environment_says_what_it_needs(text):
    with pytest.raises(ValueError, match="give a number of seconds above 0"):
        rooms._room_ttl_s(text)


def test_the_room_expiry_is_three_hours_unless_set():
    assert rooms._room_ttl_s(None) == rooms._room_ttl_s("  ") == 3 * 3600
    assert rooms._room_ttl_s("30") == 30.0
