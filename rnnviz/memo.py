"""A memo of pure results bounded by entries AND bytes: what st.cache_data cannot promise.

    reading = Memo(charlm_read, max_entries=64, max_bytes=160 * MB)
    reading(name, text)        # computed once, then the same (read-only) object for every caller
    reading.stats()            # Stats(entries, bytes, max_entries, max_bytes, hits, misses)

Why not st.cache_data for the big results: it bounds a cache by its number of entries only, and every
hit unpickles a private copy. A character model's reading of a 1,000-character text is 12.9 MB (six
(1000, 256) float64 arrays), so 48 + 64 entries of the two character caches held 1.4 GB: a server went
from 0.4 to 1.75 GB after 70 distinct texts (issue 19). Here each entry is weighed when it is stored
(`nbytes`: the arrays' buffers, strings and containers) and the least recently used entries leave until
both bounds hold, so a cache of short texts keeps many and a cache of long ones few, never more bytes
than its budget. A result larger than the whole budget is returned and not kept.

Every caller gets the same object, so nothing may change it: its NumPy arrays are made read-only when it
is stored (an in-place change raises ValueError instead of reaching another student). The key is the
call's arguments, which must be hashable (strings, numbers, tuples, frozen dataclasses).

Two callers asking for the same missing key at once compute it once: the second waits for the first
(a class opening the same page in the same second costs one computation, not thirty).

No streamlit here: the core and the tests use it as is; rnnviz.ui.cache.bounded decorates the pages' cached calls.
"""
from __future__ import annotations

import dataclasses
import functools
import sys
import threading
from collections import OrderedDict
from typing import Any, Callable, Generic, NamedTuple, TypeVar

import numpy as np

MB = 1024 * 1024
R = TypeVar("R")


def nbytes(obj: Any) -> int:
    """The memory `obj` keeps alive, counted once per object: NumPy buffers (a view counts its whole base,
    which it keeps alive), torch tensors' storage, strings and bytes, and containers and dataclasses with
    everything they hold. An estimate from below of a few dozen bytes per object
    (allocator rounding), exact for the arrays that make up nearly all of a result."""
    seen: set[int] = set()
    total = 0
    todo = [obj]
    while todo:
        o = todo.pop()
        if id(o) in seen:
            continue
        seen.add(id(o))
        if isinstance(o, np.ndarray):
            base = o
            while isinstance(base.base, np.ndarray):
                base = base.base
            if base is not o and id(base) in seen:
                total += sys.getsizeof(o) - (o.nbytes if o.flags.owndata else 0)
                continue
            seen.add(id(base))
            total += sys.getsizeof(o) - (o.nbytes if o.flags.owndata else 0) + base.nbytes
            if o.dtype == object:
                todo.extend(o.ravel().tolist())
            continue
        if type(o).__module__ == "torch" and hasattr(o, "untyped_storage"):
            total += sys.getsizeof(o) + o.untyped_storage().nbytes()
            continue
        total += sys.getsizeof(o)
        if isinstance(o, (str, bytes, bytearray, int, float, complex, bool, type(None))):
            continue
        if isinstance(o, dict):
            todo.extend(o.keys())
            todo.extend(o.values())
        elif isinstance(o, (list, tuple, set, frozenset)):
            todo.extend(o)
        elif _is_record(o):
            todo.extend(getattr(o, f.name) for f in dataclasses.fields(o))
    return total


def _is_record(o: Any) -> bool:
    """A dataclass instance: the results' records (any other object is weighed alone, not walked into,
    so a result that refers to a shared model does not count the model)."""
    return dataclasses.is_dataclass(o) and not isinstance(o, type)


def freeze(obj: Any) -> Any:
    """Make every NumPy array `obj` holds read-only (in place); returns obj."""
    seen: set[int] = set()
    todo = [obj]
    while todo:
        o = todo.pop()
        if id(o) in seen or isinstance(o, (str, bytes, int, float, complex, bool, type(None))):
            continue
        seen.add(id(o))
        if isinstance(o, np.ndarray):
            o.flags.writeable = False
            if o.dtype == object:
                todo.extend(o.ravel().tolist())
        elif isinstance(o, dict):
            todo.extend(o.values())
        elif isinstance(o, (list, tuple, set, frozenset)):
            todo.extend(o)
        elif _is_record(o):
            todo.extend(getattr(o, f.name) for f in dataclasses.fields(o))
    return obj


class Stats(NamedTuple):
    entries: int
    bytes: int
    max_entries: int
    max_bytes: int
    hits: int
    misses: int


class Memo(Generic[R]):
    """`fn` memoised on its arguments, least recently used first out, within `max_entries` entries and
    `max_bytes` bytes (as `nbytes` weighs them). Thread-safe. `clear()` empties it."""

    def __init__(self, fn: Callable[..., R], max_entries: int, max_bytes: int):
        if max_entries < 1 or max_bytes < 1:
            raise ValueError("a memo needs room for at least one entry and one byte")
        self.fn, self.max_entries, self.max_bytes = fn, int(max_entries), int(max_bytes)
        self._entries: OrderedDict[Any, tuple[R, int]] = OrderedDict()   # key → (value, its bytes), oldest first
        self._bytes = 0
        self._hits = self._misses = 0
        self._lock = threading.Lock()
        self._computing: dict[Any, threading.Lock] = {}                  # key → held while one caller computes it
        functools.update_wrapper(self, fn)

    def __call__(self, *args: Any, **kwargs: Any) -> R:
        key = (args, tuple(sorted(kwargs.items()))) if kwargs else args
        found, value = self._get(key)
        if found:
            return value
        with self._lock:
            gate = self._computing.setdefault(key, threading.Lock())
        try:
            with gate:                                   # one computes; the others wait, then find it stored
                found, value = self._get(key, count=False)
                if found:
                    return value
                value = freeze(self.fn(*args, **kwargs))
                self._put(key, value, nbytes(value))
                return value
        finally:
            with self._lock:
                if self._computing.get(key) is gate and not gate.locked():
                    del self._computing[key]

    def _get(self, key: Any, count: bool = True) -> tuple[bool, Any]:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                self._misses += count
                return False, None
            self._entries.move_to_end(key)
            self._hits += count
            return True, entry[0]

    def _put(self, key: Any, value: R, size: int) -> None:
        if size > self.max_bytes:                       # larger than the whole budget: served, not kept
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= old[1]
            while self._entries and (len(self._entries) >= self.max_entries or self._bytes + size > self.max_bytes):
                _, (_, freed) = self._entries.popitem(last=False)
                self._bytes -= freed
            self._entries[key] = (value, size)
            self._bytes += size

    def stats(self) -> Stats:
        with self._lock:
            return Stats(len(self._entries), self._bytes, self.max_entries, self.max_bytes, self._hits, self._misses)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0


def memo(max_entries: int, max_bytes: int) -> Callable[[Callable[..., R]], Memo[R]]:
    """Decorator form: `@memo(max_entries=64, max_bytes=160 * MB)`."""
    return lambda fn: Memo(fn, max_entries, max_bytes)
