"""Cached computations shared by the pages. st.cache_data keeps pure results (each caller gets its own
copy); nothing here holds per-user state."""
from __future__ import annotations

import streamlit as st

from rnnviz import lab


@st.cache_data(max_entries=192, show_spinner=False)
def _lab_cell(cfg: lab.LabConfig, kind: str) -> lab.CellResult:
    return lab.run_cell(cfg, kind)


def lab_run(cfg: lab.LabConfig) -> lab.LabResult:
    """The gradient lab for one configuration, each cell cached on the settings it uses (the config
    is a frozen dataclass, so it is the key): moving the forget-gate bias recomputes the LSTM alone."""
    return lab.run(cfg, cell_runner=_lab_cell)
