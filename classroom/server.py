"""Settings for the one Python process that serves every session of the app.

Streamlit runs each session's script in a thread of one process, so what one session
does to the interpreter (its thread switching, its garbage collection) every other
session feels. :func:`tune` is called at the top of ``app.py``.
"""

from __future__ import annotations

import gc
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

# Hand the GIL over every 1 ms (Python's default is 5 ms), so a step in one session waits
# less behind another session's lesson being built. Measured (2026-11-30, interleaved runs):
# 0.2 ms, the earlier choice, cost a 60-student room a third more CPU in hand-overs
# (0.82-0.85 vs 0.60-0.67 cores) and doubled its p95 (2.02-2.08 s vs 1.13-1.22 at 1 ms,
# 0.98-1.24 at 2 ms); B's step while A builds a lesson, p95 over five runs each at
# 0.2 / 1 / 2 ms: 207-301 / 199-278 / 176-280 ms (noise, no trend).
SWITCH_INTERVAL_S = 0.001

_frozen = threading.Event()
_pause_lock = threading.Lock()
_paused_blocks = 0  # blocks inside collector_paused() now
_was_enabled = True  # whether collection was on when the first of them began


def tune() -> None:
    """Set the thread switch interval and, once per process, freeze what is imported.

    A full collection of Python's cycle collector walks every tracked object and holds the
    GIL while it does, at moments set by allocation: that is while some session builds a
    lesson, and a step in any other session waits for it. What is alive at the first run
    is mostly modules (Streamlit, pandas, pyarrow, ours: ~90,000 objects), never garbage:
    ``gc.freeze()`` takes it out of every later collection. Measured in the server with
    ``gc.callbacks`` over the benchmark's two-session test (six benchmark lessons cached,
    20 lessons built while another session steps; 2026-11-30, two runs each): the five full
    collections took 901-1,010 ms in all (longest 229-274 ms) before; 683-766 ms
    (167-191) with scene payloads made of tuples; 377-519 ms (104-162) with this as well.
    Cyclic garbage alive at that moment (one script run's namespace) is kept for good: a
    few kB, once.
    """
    sys.setswitchinterval(SWITCH_INTERVAL_S)
    if not _frozen.is_set():
        _frozen.set()
        gc.collect()  # what is garbage already is not frozen
        gc.freeze()


@contextmanager
def collector_paused() -> Iterator[None]:
    """No automatic garbage collection while the block runs (a lesson being built).

    A lesson's build makes short-lived objects by the thousand; collections during
    it promote those still alive at that moment to the old generation, which is what
    triggers the full collections every session waits for. Nothing a build makes is
    cyclic garbage (a test checks), so nothing is lost by waiting. Measured over the
    two-session test (two runs each, 2026-11-30): 5 full collections in 20 lessons, 312-372
    ms in all, -> 2, 163-165 ms. Nested and concurrent blocks count: collection resumes
    when the last one ends, and stays off if it was off before the first.
    """
    global _paused_blocks, _was_enabled
    with _pause_lock:
        if _paused_blocks == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _paused_blocks += 1
    try:
        yield
    finally:
        with _pause_lock:
            _paused_blocks -= 1
            if _paused_blocks == 0 and _was_enabled:
                gc.enable()
