"""Single-flight memo: concurrent first requests for the same key compute the value once.

The first caller of a key computes it; callers that arrive while it runs wait for that result
(or its exception) instead of computing it again; later callers get the kept result. Thread-safe,
so it serves sync FastAPI routes running in the thread pool. Results are kept per key, least
recently used dropped first; the key must say everything the value depends on (a data version).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


@dataclass
class _Flight(Generic[V]):
    done: threading.Event = field(default_factory=threading.Event)
    value: V | None = None
    error: BaseException | None = None


class SingleFlight(Generic[K, V]):
    def __init__(self, size: int = 64) -> None:
        self.size = size
        self.computed = 0  # how many times a value was computed (for tests and diagnostics)
        self._lock = threading.Lock()
        self._kept: OrderedDict[K, V] = OrderedDict()
        self._flights: dict[K, _Flight[V]] = {}

    def get(self, key: K, compute: Callable[[], V]) -> V:
        with self._lock:
            if key in self._kept:
                self._kept.move_to_end(key)
                return self._kept[key]
            flight = self._flights.get(key)
            leader = flight is None
            if flight is None:
                flight = self._flights[key] = _Flight()
                self.computed += 1
        if not leader:
            flight.done.wait()
            if flight.error is not None:
                raise flight.error
            return flight.value  # type: ignore[return-value]  # set by the leader before done
        try:
            value = compute()
        except BaseException as exc:
            flight.error = exc
            raise
        else:
            flight.value = value
            with self._lock:
                self._kept[key] = value
                while len(self._kept) > self.size:
                    self._kept.popitem(last=False)
            return value
        finally:
            with self._lock:
                del self._flights[key]
            flight.done.set()

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()
