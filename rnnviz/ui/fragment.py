"""`ui.fragment`: st.fragment with the app's computation settings applied on the thread that runs it.

Streamlit runs every rerun on a new thread, a fragment's rerun too, and a fragment's rerun starts at the fragment,
never at the page's top, where ui.page_setup applies rnnviz.runtime.configure. Two of those settings belong to
the calling thread, not to the process:
- OpenMP's thread count. torch.set_num_threads(1) on one thread leaves every new thread at OpenMP's default, one
  per core; torch still reports 1 there (torch.get_num_threads), but its OpenMP regions start a team of two. On a
  machine whose cores are busy (a class on one server, or a browser beside it), a bidirectional GRU's forward
  pass on 100 frames then took 0.1–0.8 s in a new thread against 6 ms with one thread (measured 2026-12-07).
- The CPU's flag that flushes subnormal floats to zero (a vanishing gradient passes through them, ~8× slower).
So every fragment of the app is a `ui.fragment`: the settings first, then the fragment's own code
(tests/ui/test_fragment.py holds both, and that no view calls st.fragment itself).

    @ui.fragment
    def main_view(...): ...
    @ui.fragment(run_every=0.4)
    def live(...): ...
"""
from __future__ import annotations

import functools
from typing import Callable

import streamlit as st

from rnnviz import runtime


def fragment(func: Callable | None = None, *, run_every: float | None = None):
    """st.fragment(func, run_every=...), whose every run first applies runtime.configure() on its thread.
    The wrapper keeps the function's module and name, from which Streamlit names the fragment."""
    if func is None:
        return lambda f: fragment(f, run_every=run_every)

    @functools.wraps(func)
    def run(*args, **kwargs):
        runtime.configure()
        return func(*args, **kwargs)

    return st.fragment(run, run_every=run_every)
