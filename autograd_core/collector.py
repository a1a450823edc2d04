"""One pause of Python's cyclic garbage collector for the whole process.

The collector is one switch per process, and a server runs many sessions as threads: a
backward pass, a lesson being built, a scene being made may overlap. Each asks for a
pause; the first turns collection off, the last to finish puts back what the first found
(a count under a lock: flipping the switch without one left it off for good in 6 of 20
trials of 4 threads x 300 passes). Why pause at all: a backward pass (or a build) makes
short-lived objects by the thousand and no cyclic garbage, yet the collector would rescan
every live node again and again while it runs (at 100,000 ops, more than the ops cost).
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_pauses = 0  # pauses running now, in any thread
_was_enabled = True  # whether collection was on when the first of them began


def pause() -> None:
    """Count one more pause (collection off while any is running); pair with resume()."""
    global _pauses, _was_enabled
    with _lock:
        if _pauses == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _pauses += 1


def resume() -> None:
    """End one pause; the last one puts collection back as the first found it."""
    global _pauses
    with _lock:
        _pauses -= 1
        if _pauses == 0 and _was_enabled:
            gc.enable()


@contextmanager
def paused() -> Iterator[None]:
    """No automatic collection while the block runs (nested and concurrent blocks count)."""
    pause()
    try:
        yield
    finally:
        resume()


def pauses() -> int:
    """How many pauses are running now (for tests)."""
    return _pauses
