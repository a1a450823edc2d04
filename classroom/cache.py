"""A small thread-safe LRU cache for results that are never changed after they are made.

The app keeps two of these at module level: built lessons (keyed by the plain
data that describes them) and rendered SVG frames (keyed by a digest of their
DOT text). Both hold *immutable results* only, so every student's session can
share them; nothing a session owns lives here.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class BoundedCache(Generic[V]):
    """Least-recently-used cache bounded by entry count and by a total weight.

    ``get_or_make(key, make)`` calls ``make()`` outside the lock, so a slow build
    never blocks other lookups; a thread asking for a key that another thread is
    building waits for that build instead of repeating it.
    """

    def __init__(self, max_entries: int, max_weight: float = float("inf"),
                 weigh: Callable[[V], float] = lambda value: 1.0) -> None:
        self.max_entries = max_entries
        self.max_weight = max_weight
        self._weigh = weigh
        self._items: OrderedDict[Hashable, tuple[V, float]] = OrderedDict()
        self._weight = 0.0
        self._lock = threading.Lock()
        self._building: dict[Hashable, threading.Event] = {}
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: Hashable) -> bool:
        with self._lock:
            return key in self._items

    @property
    def weight(self) -> float:
        """The total weight of the entries kept now."""
        return self._weight

    def get(self, key: Hashable) -> V | None:
        """The cached value (marked as recently used), or None."""
        with self._lock:
            item = self._items.get(key)
            if item is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return item[0]

    def put(self, key: Hashable, value: V) -> V:
        """Store ``value`` unless ``key`` is already there; return the stored value."""
        weight = float(self._weigh(value))
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key][0]
            if weight > self.max_weight:  # too big to keep: hand it back uncached
                return value
            self._items[key] = (value, weight)
            self._weight += weight
            while len(self._items) > self.max_entries or self._weight > self.max_weight:
                _, (_, dropped) = self._items.popitem(last=False)
                self._weight -= dropped
            return value

    def get_or_make(self, key: Hashable, make: Callable[[], V], wait: float = 30.0) -> V:
        """The cached value for ``key``, made with ``make()`` on a miss."""
        found = self.get(key)
        if found is not None:
            return found
        with self._lock:
            building = self._building.get(key)
            mine = building is None
            if mine:
                building = self._building[key] = threading.Event()
        if not mine:  # someone is making it: wait, then take theirs (or make our own)
            building.wait(wait)
            found = self.get(key)
            return found if found is not None else self.put(key, make())
        try:
            return self.put(key, make())
        finally:
            with self._lock:
                self._building.pop(key, None)
            building.set()

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._weight = 0.0
