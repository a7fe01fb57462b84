"""rnnviz.memo: a memo bounded by entries and bytes, least recently used out first, results shared read-only."""
from __future__ import annotations

import threading
import time
import tracemalloc
from dataclasses import dataclass

import numpy as np
import pytest

from rnnviz import memo

KB = 1024


def arrays(n_kb: int) -> np.ndarray:
    return np.zeros(n_kb * KB // 8)                   # float64: n_kb kB of data


def test_bounded_by_bytes_least_recently_used_out_first():
    m = memo.Memo(lambda key, kb: arrays(kb), max_entries=100, max_bytes=350 * KB)
    for key in "abc":
        m(key, 100)
    m("a", 100)                                       # a is now the most recent: b is the oldest
    m("d", 100)                                       # 4 × ~100 kB > 350 kB: one must go, and it is b
    s = m.stats()
    assert s.entries == 3 and s.bytes <= 350 * KB
    calls = []
    probe = memo.Memo(lambda key: calls.append(key) or arrays(100), max_entries=100, max_bytes=350 * KB)
    for key in "abcad":                               # a is used again before d comes: b is the oldest
        probe(key)
    probe("a"), probe("c"), probe("d")                # kept: no new call
    probe("b")                                        # evicted: computed again
    assert calls == ["a", "b", "c", "d", "b"]


def test_bounded_by_entries_too():
    m = memo.Memo(lambda i: i * 2, max_entries=3, max_bytes=10 * memo.MB)
    for i in range(10):
        m(i)
    assert m.stats().entries == 3


def test_a_result_larger_than_the_budget_is_returned_not_kept():
    m = memo.Memo(lambda kb: arrays(kb), max_entries=10, max_bytes=50 * KB)
    m(10)
    big = m(100)
    assert big.nbytes == 100 * KB
    s = m.stats()
    assert s.entries == 1 and s.bytes < 50 * KB       # the small one stays, the big one was never stored


def test_results_are_shared_and_read_only():
    @dataclass
    class Result:
        h: np.ndarray
        gates: dict

    m = memo.Memo(lambda: Result(np.ones(3), {"f": np.zeros(2)}), max_entries=2, max_bytes=memo.MB)
    a, b = m(), m()
    assert a is b                                     # one object for every caller ...
    with pytest.raises(ValueError):                   # ... that nobody can change in place
        a.h[0] = 5
    with pytest.raises(ValueError):
        a.gates["f"] += 1
    assert m.stats().hits == 1 and m.stats().misses == 1


def test_nbytes_weighs_what_a_result_keeps_alive():
    base = np.zeros((1000, 100))                      # 800 kB
    assert memo.nbytes(base) >= base.nbytes
    view = base[:10]                                  # a view keeps all of its base alive
    assert memo.nbytes(view) >= base.nbytes
    both = memo.nbytes([base, view])                  # ... counted once
    assert both < 1.01 * memo.nbytes(base) + 1000
    assert memo.nbytes("x" * 10_000) >= 10_000
    assert memo.nbytes({"a": [np.zeros(1000)] * 3}) < 8000 + 1000   # the same array three times: once


def test_nbytes_agrees_with_what_the_allocations_were():
    """The weighing is honest: within a few per cent of what Python's allocator saw the result take."""
    @dataclass
    class Reading:
        text: str
        h: np.ndarray
        gates: dict

    rng = np.random.default_rng(0)
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    r = Reading("x" * 1000, rng.random((1000, 256)), {g: np.zeros((1000, 256)) for g in ("input", "forget", "cell")})
    taken = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    assert 0.97 * taken <= memo.nbytes(r) <= 1.03 * taken


def test_two_callers_of_a_missing_key_compute_it_once():
    calls, started = [], threading.Event()

    def slow(key):
        calls.append(key)
        started.set()
        time.sleep(0.2)
        return key

    m = memo.Memo(slow, max_entries=4, max_bytes=memo.MB)
    out = []
    threads = [threading.Thread(target=lambda: out.append(m("k"))) for _ in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert calls == ["k"] and out == ["k"] * 5
    assert not m._computing                           # nothing left behind


def test_an_exception_is_not_kept_and_releases_the_waiters():
    calls = []

    def failing(x):
        calls.append(x)
        raise FileNotFoundError("no model")

    m = memo.Memo(failing, max_entries=4, max_bytes=memo.MB)
    for _ in range(2):
        with pytest.raises(FileNotFoundError):
            m(1)
    assert calls == [1, 1] and m.stats().entries == 0 and not m._computing


def test_clear_and_keyword_arguments():
    m = memo.Memo(lambda a, b=0: (a, b), max_entries=4, max_bytes=memo.MB)
    assert m(1, b=2) == (1, 2) and m(1, b=2) is m(1, b=2)
    m.clear()
    assert m.stats().entries == 0 and m.stats().bytes == 0


def test_bounds_must_leave_room():
    with pytest.raises(ValueError):
        memo.Memo(lambda: 0, max_entries=0, max_bytes=1)
