"""Cached computations shared by the pages. st.cache_data keeps pure results (each caller gets its own
copy); nothing here holds per-user state."""
from __future__ import annotations

import streamlit as st

from rnnviz import lab


@st.cache_data(max_entries=64, show_spinner=False)
def lab_run(cfg: lab.LabConfig) -> lab.LabResult:
    """The gradient lab for one configuration (a frozen dataclass, so it is the cache key)."""
    return lab.run(cfg)
