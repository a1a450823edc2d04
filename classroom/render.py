"""DOT to SVG/PNG for the page, laid out on the server and shared between sessions.

Every frame of a lesson has the same nodes, edges and fixed node sizes, so
Graphviz puts every node in the same place in every frame: the browser gets a
freshly laid-out SVG per step (no client-side diff animation) and nothing
moves. SVGs are cached by a digest of their DOT text: thirty students on the
same example and step cost one layout.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Callable, Iterable

import viz

from .cache import BoundedCache

# Rendered SVG text, keyed by the DOT's digest; bounded by total characters.
_SVGS: BoundedCache[str] = BoundedCache(max_entries=512, max_weight=96_000_000, weigh=len)

_COMMENT = re.compile(r"<!--.*?-->\s*", re.DOTALL)


def engine() -> str:
    """The in-process WebAssembly Graphviz when installed (fastest here), else viz's choice."""
    return "wasm" if "wasm" in viz.available_engines() else "auto"


def _digest(dot: str) -> str:
    return hashlib.blake2b(dot.encode("utf-8"), digest_size=16).hexdigest()


def svg(dot: str) -> str:
    """The sanitised SVG of ``dot`` (Graphviz comments dropped to save bytes)."""
    def make() -> str:
        text = viz.render(dot, "svg", engine=engine()).text
        return _COMMENT.sub("", text)

    return _SVGS.get_or_make(_digest(dot), make)


def is_cached(dot: str) -> bool:
    """True when the SVG of ``dot`` is ready in the cache."""
    return _digest(dot) in _SVGS


# At most this many frames are laid out ahead at once, across all sessions.
_AHEAD = threading.BoundedSemaphore(2)


def prefetch(make_dots: Callable[[], Iterable[str]]) -> bool:
    """Lay out the frames a student is likely to ask for next, in the background.

    ``make_dots`` (run in the background thread too) gives their DOT texts; the SVGs
    land in the shared cache. Skipped (returns False) when two prefetches are
    already running: a busy server spends its time on frames someone is waiting for.
    """
    if not _AHEAD.acquire(blocking=False):
        return False

    def work() -> None:
        try:
            for dot in make_dots():
                if not is_cached(dot):
                    svg(dot)
        except Exception:  # a frame that fails here fails again, visibly, when asked for
            pass
        finally:
            _AHEAD.release()

    threading.Thread(target=work, name="frame-prefetch", daemon=True).start()
    return True


def png(dot: str) -> bytes:
    """A PNG of ``dot`` (rasterised from the SVG, bitmap size capped by viz)."""
    return viz.render(dot, "png", engine=engine()).data


def clear_cache() -> None:
    """Forget every rendered SVG."""
    _SVGS.clear()
