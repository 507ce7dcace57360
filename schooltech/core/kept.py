"""What a process works out once and keeps: rendered HTML, sums that change rarely.

One bounded store for every such thing, so each one does not write its own: a `Kept` is a dict
that starts again when it holds `limit` entries (the keys that fill it are few in practice; a
flood of new ones costs a re-render, never unbounded memory).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

V = TypeVar("V")


class Kept(dict):
    def __init__(self, limit: int):
        super().__init__()
        self.limit = limit

    def get_or_make(self, key: Hashable, make: Callable[[], V]) -> V:
        value = self.get(key)
        if value is None:
            if len(self) >= self.limit:
                self.clear()
            value = self[key] = make()
        return value
