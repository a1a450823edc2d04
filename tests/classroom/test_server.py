"""The app's process settings (classroom.server) and what they rely on."""

from __future__ import annotations

import gc
import sys
import threading

import pytest

from classroom import server
from classroom.lesson import LessonSpec, build_lesson
from classroom.presets import BY_KEY
from classroom.synthetic import bench_spec


def test_tune_sets_the_switch_interval_and_freezes_once(monkeypatch):
    freezes = []
    monkeypatch.setattr(gc, "freeze", lambda: freezes.append(1))
    monkeypatch.setattr(server, "_frozen", type(server._frozen)())  # a fresh process
    old = sys.getswitchinterval()
    try:
        server.tune()
        server.tune()  # every run calls it: the startup objects are frozen once
        assert sys.getswitchinterval() == server.SWITCH_INTERVAL_S
        assert freezes == [1] and server._frozen.is_set()
    finally:
        sys.setswitchinterval(old)


def test_a_lesson_is_freed_without_the_cycle_collector():
    """Nothing a lesson holds refers back to itself (outputs are weak references): a lesson
    the cache lets go is freed at once, and the collector has no garbage of ours to find."""
    specs = [bench_spec("sum80"), bench_spec("mlp"), bench_spec("ladder-200")]
    specs += [LessonSpec.make(p.text, dict(p.values)) for p in BY_KEY.values()]
    gc.collect()
    with server.collector_paused():  # only the collections asked for below
        for spec in specs:
            lesson = build_lesson(spec)
            for lang in ("en", "ko"):
                lesson.scene(lang=lang).to_json()
            lesson.frame_dot(1)
            del lesson
            assert gc.collect() == 0, spec.text[:40]


def test_the_collector_waits_for_the_last_build_to_end():
    assert gc.isenabled()
    second_in, first_out = threading.Event(), threading.Event()

    def build(entered: threading.Event, leave: threading.Event) -> None:
        with server.collector_paused():
            entered.set()
            leave.wait(10)

    other = threading.Thread(target=build, args=(second_in, first_out))
    with server.collector_paused():
        assert not gc.isenabled()
        other.start()
        assert second_in.wait(10)
    assert not gc.isenabled()  # the other build still runs
    first_out.set()
    other.join(10)
    assert gc.isenabled()


def test_a_failed_build_turns_collection_back_on_and_an_off_collector_stays_off():
    with pytest.raises(ValueError), server.collector_paused():
        raise ValueError("a build that failed")
    assert gc.isenabled()
    gc.disable()
    try:
        with server.collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
