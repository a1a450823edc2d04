"""Settings for the one Python process that serves every session of the app.

Streamlit runs each session's script in a thread of one process, so what one session
does to the interpreter (its thread switching, its garbage collection) every other
session feels. :func:`tune` is called at the top of ``app.py``.
"""

from __future__ import annotations

import gc
import sys
import threading
from contextlib import AbstractContextManager

from autograd_core import collector

# Hand the GIL over every 1 ms (Python's default is 5 ms), so a step in one session waits
# less behind another session's lesson being built. Shorter is worse: at 0.2 ms a
# 60-student room spent a third more CPU on hand-overs and its p95 doubled (to 2 s); the
# stall it was meant to cut did not change (B's p95 while A builds: 200-300 ms at 0.2, 1
# and 2 ms alike).
SWITCH_INTERVAL_S = 0.001

_frozen = threading.Event()


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


def collector_paused() -> AbstractContextManager[None]:
    """No automatic garbage collection while the block runs (a lesson being built): the
    engine's one pause for the whole process (:mod:`autograd_core.collector`), which the
    backward passes of every session share, so one ending never turns collection back on
    in the middle of another's build.

    A lesson's build makes short-lived objects by the thousand; collections during it
    promote those still alive to the old generation, which is what sets off the full
    collections every session waits for (over the two-session benchmark: 5 full
    collections in 20 lessons, 312-372 ms in all, without the pause; 2, 163-165 ms, with
    it). Nothing a build makes is cyclic garbage (a test checks), so nothing is lost.
    """
    return collector.paused()
