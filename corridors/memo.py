"""What is made from the loaders' read-only objects, made once for those objects.

The page's sections, tables and map layers depend only on the dataset, analyses and network the
loaders hand out once per data version, and on a small value (a route's id): made again on every
run of the page, they were most of its CPU. One mechanism keeps them, for the web map and the
Streamlit panels alike.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

_T = TypeVar("_T")


class Made(Generic[_T]):
    """What is made from the read-only objects the loaders hand out, made once for those objects.

    :func:`corridors.ui.cached.dataset`, ``analyses`` and ``network`` hand out the same objects
    while the data is unchanged, so the objects themselves are the key (compared with ``is``, never
    hashed: a dataset is too large to hash on every run), with a hashable ``value`` beside
    them (a route's id). The entries hold the objects, so a key never names a freed one. What
    is made is shared by every session and must not be changed.
    """

    def __init__(self, entries: int) -> None:
        #: How many entries are kept, the newest first.
        self.entries = entries
        self._made: list[tuple[tuple[object, ...], Hashable, _T]] = []
        self._lock = threading.Lock()

    def get(self, objects: tuple[object, ...], value: Hashable, make: Callable[[], _T]) -> _T:
        """Return what ``make`` made for these objects and value; call it if none is kept."""
        with self._lock:
            for index, (known, key, made) in enumerate(self._made):
                if key == value and all(a is b for a, b in zip(known, objects, strict=True)):
                    self._made.insert(0, self._made.pop(index))
                    return made
        made = make()
        with self._lock:
            self._made.insert(0, (objects, value, made))
            del self._made[self.entries :]
        return made
