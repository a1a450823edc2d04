"""A live room: a teacher drives, students follow, and a quiz is answered by the class.

The room is plain data behind a small store interface, :class:`RoomStore`:

* :class:`MemoryRooms` (the default) keeps rooms in this process: one server;
* :class:`RedisRooms` keeps them in Redis, so several app replicas behind one address
  share them (``AUTOGRAD_VIZ_ROOMS=redis://host:6379/0``).

A room has a short code for students (six letters and digits that cannot be misread)
and a secret teacher token (only its hash is stored): only the token can change what
the room shows. Students' answers are kept per question and never shown to other
students. Rooms expire after :data:`ROOM_TTL_S` without activity; joining is rate-limited
per client.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import logging
import math
import os
import secrets
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
CODE_LENGTH = 6


def _room_ttl_s(text: str | None) -> float:
    """AUTOGRAD_VIZ_ROOM_TTL_S, or three hours. A bad value is refused with a message
    saying what it needs (not float()'s, and never rooms that never expire)."""
    if not text or not text.strip():
        return 3 * 3600.0
    try:
        seconds = float(text)
    except ValueError:
        seconds = float("nan")
    if not seconds > 0 or seconds == float("inf"):
        raise ValueError(f"AUTOGRAD_VIZ_ROOM_TTL_S={text!r}: give a number of seconds above "
                         "0 (e.g. 30), or leave it unset for three hours")
    return seconds


# A room lives this long after its last activity (AUTOGRAD_VIZ_ROOM_TTL_S: shorter, for the
# memory bench and tests)
ROOM_TTL_S = _room_ttl_s(os.environ.get("AUTOGRAD_VIZ_ROOM_TTL_S"))
MAX_ROOMS = 2000
MAX_STUDENTS = 500  # answers kept per question
# Students one client (an address; a school's NAT is one) may answer a question as: a
# class behind one address fits, a machine minting students does not fill the room
MAX_STUDENTS_PER_CLIENT = 120
# Failed joins (a code that names no open room) per client and sliding minute: guessing
# codes is what is limited, never a class joining a real room through one school NAT; a
# class's typos fit
FAILED_JOINS_PER_MINUTE = 60
JOIN_WINDOW_S = 60  # (that sliding minute)
MAX_VIEW_BYTES = 64_000  # a view is a lesson's plain data: small
# A student's page is told when its room moves (classroom.room_watch); where this server
# cannot push (see classroom.pages.push), the page asks this often instead
POLL_S = 1.0
# How often an open teacher's page tells the room it is there, and finds out whether the
# store lost it (then restores it: the students wait at most this long; one small request)
HEARTBEAT_S = 2.0
TEACHER_GONE_S = 45.0  # no sign of the teacher's page this long: students are told
# A store request waits at most this long: a paused or restarting Redis must not hold a
# page (the page says "Reconnecting" and keeps its frame; see RoomError("unreachable"))
STORE_TIMEOUT_S = 1.0
RECONNECT_S = 1.0  # a teacher's page whose moves were not shared tries again this often


class RoomError(Exception):
    """Why a room request was refused; ``code`` names it (for the message). ``unreachable``:
    the store did not answer in time (a page keeps what it shows and tries again)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Room:
    """What a room shows now: the teacher's view (plain data) and its version."""

    code: str
    view: Mapping[str, Any]
    version: int
    idle_s: float = 0.0  # seconds since the teacher's page last published (or was there)

    @property
    def ended(self) -> bool:
        """The teacher ended the class: students get their own page back, nobody joins."""
        return bool(self.view.get("ended"))

    @property
    def teacher_gone(self) -> bool:
        """No sign of the teacher's page for TEACHER_GONE_S (a closed tab, a lost laptop)."""
        return self.idle_s > TEACHER_GONE_S


@dataclass
class Tally:
    """The class's answers to one question (never shown to students)."""

    answers: list[float] = field(default_factory=list)

    def summary(self, answer: float, right: Any) -> dict[str, Any]:
        """Count, % right and a histogram (value -> count) of the answers."""
        histogram: dict[str, int] = {}
        for a in self.answers:
            key = f"{a:.4g}"
            histogram[key] = histogram.get(key, 0) + 1
        good = sum(1 for a in self.answers if right(a, answer))
        n = len(self.answers)
        return {"count": n, "right": good, "percent": 100.0 * good / n if n else 0.0,
                "histogram": dict(sorted(histogram.items(), key=lambda kv: float(kv[0])))}


class RoomStore(Protocol):
    """Where rooms live (see :class:`MemoryRooms`, :class:`RedisRooms`)."""

    def create(self) -> tuple[str, str]: ...
    def get(self, code: str) -> Room | None: ...
    def publish(self, code: str, token: str, view: Mapping[str, Any]) -> int: ...
    def is_teacher(self, code: str, token: str | None) -> bool: ...
    def submit(self, code: str, question: str, student: str, answer: float,
               client: str = "") -> None: ...
    def tally(self, code: str, token: str, question: str) -> Tally: ...
    def allow_failed_join(self, client: str) -> bool: ...
    def restore(self, code: str, token: str, view: Mapping[str, Any]) -> int: ...
    def wait_for_moves(self, timeout: float) -> tuple[str, ...]: ...


MOVES_CHANNEL = "agv:moved"  # Redis: a room's code, published when its view changes
# What wait_for_moves returns, besides codes, when moves may have gone unheard: its
# subscription was made (again), and whatever was published before that was not heard
EVERY_ROOM = "*"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _restored_version() -> int:
    """Where a restored room's versions start: a student's page follows a room whose
    version differs from the one it shows, and the lost room's count is unknown; counted
    from 0 again, a restored room could reach the very version a student saw last and
    never be followed (a fault bench run stayed on the old frame). Seconds since 1970
    are more than a room ever counts."""
    return int(time.time())


def token_digest(token: str | None) -> str | None:
    """What a teacher's session keeps of its token (to prove it again to a store that lost
    the room): its hash, never the token."""
    return _hash(token) if token else None


def same_token(digest: str | None, token: str | None) -> bool:
    """``token`` is the one ``digest`` was made from (a room's, or a teacher's session's)."""
    return bool(digest and token and secrets.compare_digest(digest, _hash(token)))


def client_id(address: str | None, headers: Mapping[str, str] | None,
              session: str) -> str:
    """Who a join limit counts: the client's address; behind the configured trusted proxy
    (``AUTOGRAD_VIZ_TRUSTED_PROXY``: its addresses, comma-separated; "loopback" for a proxy
    on this machine, which Streamlit reports as no address) the address that proxy saw
    (``X-Real-IP``, else the last ``X-Forwarded-For`` entry); with no address at all, the
    session itself, never one bucket shared by everyone."""
    trusted = {a.strip() for a in os.environ.get("AUTOGRAD_VIZ_TRUSTED_PROXY", "").split(",")
               if a.strip()}
    peer = address if isinstance(address, str) and address else None
    via_proxy = bool(trusted) and (peer in trusted or (
        "loopback" in trusted and peer in (None, "127.0.0.1", "::1")))
    if via_proxy and headers:
        lower = {str(k).lower(): str(v) for k, v in headers.items()}
        seen = lower.get("x-real-ip", "").strip() or \
            lower.get("x-forwarded-for", "").split(",")[-1].strip()
        if seen:
            return f"ip:{seen[:64]}"
    if peer is not None and not via_proxy:
        return f"ip:{peer}"
    return f"session:{session}"


def normalize_code(text: str | None) -> str | None:
    """A typed room code in canonical form, or None if it cannot be one."""
    if not text:
        return None
    code = "".join(ch for ch in str(text).upper() if not ch.isspace() and ch != "-")
    if len(code) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in code):
        return None
    return code


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def _checked_view(view: Mapping[str, Any]) -> str:
    text = json.dumps(dict(view), sort_keys=True, separators=(",", ":"))
    if len(text) > MAX_VIEW_BYTES:
        raise RoomError("view_too_big")
    return text


def _checked_answer(answer: float) -> float:
    if not isinstance(answer, (int, float)) or isinstance(answer, bool) \
            or not math.isfinite(answer):
        raise RoomError("bad_answer")
    return float(answer)


class MemoryRooms:
    """Rooms in this process (one server), with expiry and a per-client join limit."""

    def __init__(self, ttl: float = ROOM_TTL_S, clock: Any = time.monotonic) -> None:
        self._lock = threading.Lock()
        self._rooms: dict[str, dict[str, Any]] = {}
        self._joins: dict[str, list[float]] = {}
        self._ttl = ttl
        self._clock = clock
        self._moved = threading.Condition()  # (its own lock: a waiter never holds the rooms')
        self._moved_codes: dict[str, None] = {}  # (ordered: the watcher wakes rooms in turn)

    def _expire(self) -> None:
        now = self._clock()
        for code in [c for c, r in self._rooms.items() if now - r["touched"] > self._ttl]:
            del self._rooms[code]

    def create(self) -> tuple[str, str]:
        token = secrets.token_urlsafe(18)
        with self._lock:
            self._expire()
            if len(self._rooms) >= MAX_ROOMS:
                raise RoomError("too_many_rooms")
            code = _new_code()
            while code in self._rooms:
                code = _new_code()
            self._rooms[code] = {"token": _hash(token), "view": "{}", "version": 0,
                                 "touched": self._clock(), "answers": {}}
        return code, token

    def get(self, code: str) -> Room | None:
        with self._lock:
            self._expire()
            room = self._rooms.get(code)
            if room is None:
                return None
            return Room(code, json.loads(room["view"]), room["version"],
                        max(0.0, self._clock() - room["touched"]))

    def is_teacher(self, code: str, token: str | None) -> bool:
        with self._lock:
            room = self._rooms.get(code)
            return same_token(room["token"] if room else None, token)

    def publish(self, code: str, token: str, view: Mapping[str, Any]) -> int:
        text = _checked_view(view)
        with self._lock:
            room = self._rooms.get(code)
            if room is None:
                raise RoomError("no_room")
            if not secrets.compare_digest(room["token"], _hash(token or "")):
                raise RoomError("not_teacher")
            room["touched"] = self._clock()
            moved = text != room["view"]
            if moved:
                room["view"] = text
                room["version"] += 1
            version = room["version"]
        if moved:
            with self._moved:
                self._moved_codes[code] = None
                self._moved.notify_all()
        return version

    def wait_for_moves(self, timeout: float) -> tuple[str, ...]:
        """The codes of the rooms whose view changed since the last call, waiting up to
        ``timeout`` seconds for one (for the process's watcher, classroom.room_watch)."""
        with self._moved:
            if not self._moved_codes:
                self._moved.wait(timeout)
            codes = tuple(self._moved_codes)
            self._moved_codes.clear()
        self.sweep()
        return codes

    def sweep(self) -> None:
        """Forget expired rooms and clients whose failed joins are over a minute old (the
        watcher calls this about every second: an abandoned room's memory comes back
        although nobody creates or opens a room)."""
        now = self._clock()
        with self._lock:
            self._expire()
            self._forget_idle_clients(now)

    def restore(self, code: str, token: str, view: Mapping[str, Any]) -> int:
        """The room ``code`` again, as its teacher's page last showed it, when the store
        lost it (a restart without persistence, an expiry): the same code and token, so
        the students' pages and the teacher's link go on working. A room that exists is
        only published to (its token must match)."""
        text = _checked_view(view)
        with self._lock:
            if code not in self._rooms:
                self._rooms[code] = {"token": _hash(token), "view": "{}",
                                     "version": _restored_version(), "touched": self._clock(),
                                     "answers": {}}
        return self.publish(code, token, json.loads(text))

    def submit(self, code: str, question: str, student: str, answer: float,
               client: str = "") -> None:
        """``student``'s answer (a second one replaces the first: one answer per student);
        ``client`` (who sends it) may answer as at most MAX_STUDENTS_PER_CLIENT students."""
        value = _checked_answer(answer)
        student = str(student)[:64]
        with self._lock:
            room = self._rooms.get(code)
            if room is None:
                raise RoomError("no_room")
            answers = room["answers"].setdefault(str(question)[:64], {})
            senders = room.setdefault("senders", {}).setdefault(str(question)[:64], {})
            if student not in answers:
                mine = senders.setdefault(str(client)[:64], set())
                if len(mine) >= MAX_STUDENTS_PER_CLIENT:
                    raise RoomError("too_many_answers")
                if len(answers) >= MAX_STUDENTS:
                    raise RoomError("room_full")
                mine.add(student)
            answers[student] = value

    def tally(self, code: str, token: str, question: str) -> Tally:
        if not self.is_teacher(code, token):
            raise RoomError("not_teacher")
        with self._lock:
            room = self._rooms.get(code)
            answers = (room or {}).get("answers", {}).get(str(question)[:64], {})
            return Tally(list(answers.values()))

    def allow_failed_join(self, client: str) -> bool:
        """Count a failed join of ``client``; False once it has failed too often in the last
        60 s (a sliding window)."""
        now = self._clock()
        with self._lock:
            recent = [t for t in self._joins.get(client, []) if now - t < JOIN_WINDOW_S]
            if len(recent) >= FAILED_JOINS_PER_MINUTE:
                self._joins[client] = recent
                return False
            recent.append(now)
            self._joins[client] = recent
            if len(self._joins) > 10_000:
                self._forget_idle_clients(now)
            return True

    def _forget_idle_clients(self, now: float) -> None:
        """(Under the lock) forget clients with no failed join in the window."""
        self._joins = {c: ts for c, ts in self._joins.items()
                       if ts and now - ts[-1] < JOIN_WINDOW_S}


class RedisRooms:
    """Rooms in Redis: app replicas behind one address share them.

    Keys: ``agv:room:<code>`` (a hash: token hash, view, version) and
    ``agv:ans:<code>:<question>`` (a hash: student -> answer), both expiring
    :data:`ROOM_TTL_S` after the room's last activity; ``agv:join:<client>`` (a sorted set)
    times failed joins. A changed view is published on :data:`MOVES_CHANNEL`: every
    replica's watcher hears it.
    """

    def __init__(self, url: str, ttl: float = ROOM_TTL_S) -> None:
        import redis

        self._db = redis.Redis.from_url(url, decode_responses=True,
                                        socket_timeout=STORE_TIMEOUT_S,
                                        socket_connect_timeout=STORE_TIMEOUT_S)
        self._ttl = max(1, int(ttl))
        self._moves: Any = None  # the subscription of wait_for_moves (its own connection)
        self._subscribed = False  # wait_for_moves has subscribed once

    def restore(self, code: str, token: str, view: Mapping[str, Any]) -> int:
        """As MemoryRooms.restore: the room again, with its code and token, if it is gone."""
        text = _checked_view(view)
        self._claim(code, token, _restored_version())
        return self.publish(code, token, json.loads(text))

    def _touch(self, pipe: Any, code: str) -> None:
        pipe.expire(f"agv:room:{code}", self._ttl)

    def _claim(self, code: str, token: str, version: int = 0) -> bool:
        """A new, empty room ``code`` owned by ``token``; False when the code is taken."""
        key = f"agv:room:{code}"
        if not self._db.hsetnx(key, "token", _hash(token)):
            return False
        pipe = self._db.pipeline()
        pipe.hset(key, mapping={"view": "{}", "version": version, "seen": time.time()})
        self._touch(pipe, code)
        pipe.execute()
        return True

    def create(self) -> tuple[str, str]:
        token = secrets.token_urlsafe(18)
        for _ in range(20):
            code = _new_code()
            if self._claim(code, token):
                return code, token
        raise RoomError("too_many_rooms")

    def get(self, code: str) -> Room | None:
        data = self._db.hmget(f"agv:room:{code}", "view", "version", "seen")
        if data[0] is None:
            return None
        seen = float(data[2]) if data[2] else time.time()
        return Room(code, json.loads(data[0]), int(data[1] or 0),
                    max(0.0, time.time() - seen))

    def is_teacher(self, code: str, token: str | None) -> bool:
        return same_token(self._db.hget(f"agv:room:{code}", "token"), token)

    def publish(self, code: str, token: str, view: Mapping[str, Any]) -> int:
        text = _checked_view(view)
        key = f"agv:room:{code}"
        stored = self._db.hmget(key, "token", "view", "version")
        if stored[0] is None:
            raise RoomError("no_room")
        if not secrets.compare_digest(stored[0], _hash(token or "")):
            raise RoomError("not_teacher")
        pipe = self._db.pipeline()
        if text != stored[1]:
            pipe.hset(key, "view", text)
            pipe.hincrby(key, "version", 1)
            pipe.publish(MOVES_CHANNEL, code)
        pipe.hset(key, "seen", time.time())
        self._touch(pipe, code)
        pipe.hget(key, "version")
        return int(pipe.execute()[-1] or 0)

    def wait_for_moves(self, timeout: float) -> tuple[str, ...]:
        """As MemoryRooms': the codes published on MOVES_CHANNEL (by any replica) since the
        last call, and EVERY_ROOM when the subscription was made again: moves published
        while it was lost were not heard. A lost subscription raises
        RoomError("unreachable") and is made again on the next call; redis-py may also make
        it again by itself, without an error (its subscribe confirmation is what tells)."""
        try:
            if self._moves is None:
                self._moves = self._db.pubsub()
                self._moves.subscribe(MOVES_CHANNEL)
            codes: dict[str, None] = {}
            message = self._moves.get_message(timeout=timeout)
            while message is not None:
                if message.get("type") == "message":
                    codes[str(message["data"])] = None
                elif message.get("type") == "subscribe":
                    if self._subscribed:  # (again; the first time, nothing was missed)
                        codes[EVERY_ROOM] = None
                    self._subscribed = True
                message = self._moves.get_message(timeout=0)
            return tuple(codes)
        except Exception:
            moves, self._moves = self._moves, None
            if moves is not None:
                with contextlib.suppress(Exception):
                    moves.close()
            raise

    def submit(self, code: str, question: str, student: str, answer: float,
               client: str = "") -> None:
        """As MemoryRooms.submit (the students a client answered as: a set per client)."""
        value = _checked_answer(answer)
        student = str(student)[:64]
        if not self._db.exists(f"agv:room:{code}"):
            raise RoomError("no_room")
        key = f"agv:ans:{code}:{str(question)[:64]}"
        senders = f"agv:snd:{code}:{str(question)[:64]}:{str(client)[:64]}"
        if not self._db.hexists(key, student):
            if self._db.scard(senders) >= MAX_STUDENTS_PER_CLIENT:
                raise RoomError("too_many_answers")
            if self._db.hlen(key) >= MAX_STUDENTS:
                raise RoomError("room_full")
        pipe = self._db.pipeline()
        pipe.hset(key, student, repr(value))
        pipe.sadd(senders, student)
        pipe.expire(key, self._ttl)
        pipe.expire(senders, self._ttl)
        pipe.execute()

    def tally(self, code: str, token: str, question: str) -> Tally:
        if not self.is_teacher(code, token):
            raise RoomError("not_teacher")
        values = self._db.hvals(f"agv:ans:{code}:{str(question)[:64]}")
        return Tally([float(v) for v in values])

    def allow_failed_join(self, client: str) -> bool:
        """As MemoryRooms': a sliding 60 s window (a sorted set of attempt times), so no
        burst gets through at a minute's boundary."""
        key, now = f"agv:join:{client[:64]}", time.time()
        pipe = self._db.pipeline()
        pipe.zremrangebyscore(key, 0, now - JOIN_WINDOW_S)
        pipe.zcard(key)
        count = int(pipe.execute()[1])
        if count >= FAILED_JOINS_PER_MINUTE:
            return False
        pipe = self._db.pipeline()
        pipe.zadd(key, {f"{now!r}:{secrets.token_hex(4)}": now})
        pipe.expire(key, 2 * JOIN_WINDOW_S)  # (an idle client's key goes by itself)
        pipe.execute()
        return True


# --- an unreachable store: one outcome, one warning per outage ------------------------------
_LOG = logging.getLogger("classroom.rooms")
_OUTAGE = {"since": None}  # when the store stopped answering (None: it answers)
_OUTAGE_LOCK = threading.Lock()


def _reachable(request: Any, answers_prove_it: bool = True) -> Any:
    """``request`` with the store's own errors (a timeout, a refused connection, a Redis
    loading its data) turned into RoomError("unreachable"), logged once when the outage
    begins and once when it ends; never a traceback on the page or in the log.
    ``answers_prove_it``: a result means the store answered (not so for a subscription
    that waited in silence: a paused Redis says nothing too)."""
    @functools.wraps(request)
    def call(*args: Any, **kwargs: Any) -> Any:
        try:
            result = request(*args, **kwargs)
        except Exception as error:
            import redis  # (only a failing request needs it: redis is optional)

            if not isinstance(error, redis.RedisError):
                raise
            with _OUTAGE_LOCK:
                if _OUTAGE["since"] is None:
                    _OUTAGE["since"] = time.monotonic()
                    _LOG.warning("room store unreachable (%s): pages keep their frame and "
                                 "retry", type(error).__name__)
            raise RoomError("unreachable") from None
        if answers_prove_it and _OUTAGE["since"] is not None:
            with _OUTAGE_LOCK:
                if _OUTAGE["since"] is not None:
                    _LOG.info("room store back after %.1f s",
                              time.monotonic() - _OUTAGE["since"])
                    _OUTAGE["since"] = None
        return result

    return call


# Every request of the Redis store answers in time or raises RoomError("unreachable")
for _name in ("create", "get", "is_teacher", "publish", "submit", "tally",
              "allow_failed_join", "restore"):
    setattr(RedisRooms, _name, _reachable(getattr(RedisRooms, _name)))
RedisRooms.wait_for_moves = _reachable(RedisRooms.wait_for_moves,  # type: ignore[method-assign]
                                       answers_prove_it=False)

_STORE: dict[str, RoomStore] = {}
_STORE_LOCK = threading.Lock()


def store() -> RoomStore:
    """The process's room store: Redis when ``AUTOGRAD_VIZ_ROOMS`` names one, else memory."""
    with _STORE_LOCK:
        if "store" not in _STORE:
            url = os.environ.get("AUTOGRAD_VIZ_ROOMS", "").strip()
            _STORE["store"] = RedisRooms(url) if url.startswith(("redis://", "rediss://")) \
                else MemoryRooms()
        return _STORE["store"]


# --- a session's part in a room (plain data in, plain data out) ------------------------------
VIEW_KEYS = ("higher_order", "wrt", "open_at", "rankdir", "max_nodes", "pitfall", "quiz",
             "preset")  # (the example picker: a student's, locked, names the teacher's)


def teacher_view(state: Mapping[str, Any], spec_data: list, question: Mapping | None,
                 revealed: Mapping | None) -> dict[str, Any]:
    """What the teacher's page shows, for the students to follow."""
    return {"spec": spec_data, "step": state.get("step"),
            "reached": state.get("quiz_reached"),
            "opts": {key: state.get(key) for key in VIEW_KEYS},
            "question": dict(question) if question else None,
            "revealed": dict(revealed) if revealed else None}


STEP_KEYS = ("step", "reached", "question", "revealed")  # where the class is in a lesson


def same_lesson(before: Room | None, now: Room) -> bool:
    """True when ``now`` differs from ``before`` only in where the class is in the lesson
    (a student's page then redraws its graph and panel, not the whole page)."""
    if before is None:
        return False

    def lesson_part(view: Mapping[str, Any]) -> dict[str, Any]:
        return {key: value for key, value in view.items() if key not in STEP_KEYS}

    return lesson_part(before.view) == lesson_part(now.view)


def follow_step(state: dict, room: Room) -> None:
    """Move a student's session to the room's step in the same lesson (no widget changes)."""
    step = room.view.get("step")
    state["link_step"] = step if step is not None else "opening"
    state["room_reached"] = room.view.get("reached")
    state["room_version"] = room.version


def end(store_: RoomStore, code: str, token: str | None) -> None:
    """The teacher ends the class: the room says so (its students get their own page back
    with the last lesson, new students cannot join) until it expires."""
    room = store_.get(code)
    if room is not None and store_.is_teacher(code, token):
        store_.publish(code, token or "", {**room.view, "ended": True})


def teach(store_: RoomStore, code: str, token: str, view: Mapping[str, Any]) -> int:
    """The teacher's view to the room, the room restored first when the store lost it (the
    teacher's page is the source of truth for its lesson and step). RoomError as publish
    gives it (``unreachable``: not shared, to be tried again)."""
    try:
        return store_.publish(code, token, view)
    except RoomError as error:
        if error.code != "no_room":
            raise
    return store_.restore(code, token, view)


def heartbeat(store_: RoomStore, code: str, token: str | None) -> bool:
    """An open teacher's page says it is there (the view is unchanged: no student reruns).
    False when the store has no such room (it lost it: the page restores it)."""
    room = store_.get(code)
    if room is not None and not room.ended and store_.is_teacher(code, token):
        store_.publish(code, token or "", room.view)
    return room is not None


def resume_teaching(state: dict, room: Room) -> None:
    """A teacher's page opened on a room it drives (a refresh, an old link): it takes up the
    room's lesson, step and quiz where the class is, instead of pulling every student back
    to what the link held."""
    if not room.view or "spec" not in room.view:
        return  # nothing shared yet: the teacher's page is the room's first view
    follow(state, room)
    # where the quiz is: applied once the lesson is known (it resets a new session's quiz)
    revealed = room.view.get("revealed")
    state["resume_quiz"] = (room.view.get("reached"), dict(revealed) if revealed else None)


def follow(state: dict, room: Room) -> bool:
    """Make a student's session show the room's view; True when it changed anything.

    The lesson, step and options come from the teacher; the student's language and
    display size stay the student's own.
    """
    view = room.view
    if not view or "spec" not in view:
        return False
    text, values, higher, wrt, _ = view["spec"]
    before = (state.get("expr"), dict(state.get("values", {})), state.get("step"))
    state["expr"] = text
    state["values"] = {**state.get("values", {}), **{k: v for k, v in values}}
    for key, value in view.get("opts", {}).items():
        if key in VIEW_KEYS:
            state[key] = value
    state["higher_order"], state["wrt"] = bool(higher), wrt
    for name, value in values:  # the (disabled) value boxes show the teacher's values
        state[f"val_{name}"] = value
    follow_step(state, room)  # applied once the lesson is known (see the app)
    return before != (state["expr"], state["values"], view.get("step"))
