"""Figures of a trained character model reading a text: character × unit heatmaps of gates and states.

Pure functions: a charlm.Reading in, a plotly figure out. Characters are drawn as visible symbols
(a space as ␣, a newline as ↵) and only ever passed to plotly as data, never as HTML.
"""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from rnnviz.figures.style import SIGNED_SCALE, base_layout

VISIBLE = {" ": "␣", "\n": "↵", "\x00": "�"}

# What each quantity is, for titles and colour bars; gates live in [0, 1] (tanh ones in [−1, 1]).
LABELS = {
    "input": "input gate i_t", "forget": "forget gate f_t", "cell": "candidate g_t", "output": "output gate o_t",
    "reset": "reset gate r_t", "update": "update gate z_t", "new": "candidate n_t",
    "cell state": "cell state c_t", "hidden": "hidden state h_t",
}
UNIT_RANGE = {"input", "forget", "output", "reset", "update"}        # sigmoid gates: 0 … 1
GATE_SCALE = [[0.0, "#0b1d3a"], [0.5, "#3f7fb5"], [1.0, "#f7e35b"]]  # dark → light: closed → open


def visible(ch: str) -> str:
    return VISIBLE.get(ch, ch)


def heatmap(values: np.ndarray, text: str, quantity: str, title: str | None = None,
            units: np.ndarray | None = None, height: int | None = None) -> go.Figure:
    """values (T, H) for the characters of `text`: x is the character, y the unit.

    Sigmoid gates use a 0…1 scale (dark = closed, bright = open); tanh quantities and states a
    diverging scale centred on 0, so sign is colour and size is depth.
    """
    T, H = values.shape
    units = np.arange(H) if units is None else np.asarray(units)
    chars = [visible(ch) for ch in text[:T]]
    gate = quantity in UNIT_RANGE
    heat = go.Heatmap(
        z=values[:, units].T, x=np.arange(T), y=units,
        colorscale=GATE_SCALE if gate else SIGNED_SCALE,
        zmin=0.0 if gate else None, zmax=1.0 if gate else None, zmid=None if gate else 0.0,
        customdata=np.broadcast_to(np.array(chars, dtype=object), (len(units), T)),
        hovertemplate="char %{x} '%{customdata}'<br>unit %{y}<br>%{z:.3f}<extra></extra>",
        colorbar=dict(title=dict(text=LABELS.get(quantity, quantity), side="right"), thickness=12),
    )
    fig = go.Figure(heat)
    step = max(1, T // 80)                                   # at most ~80 character ticks
    fig.update_layout(**base_layout(title or LABELS.get(quantity, quantity), hovermode="closest",
                                    height=height or min(560, 180 + 2 * len(units))))
    fig.update_xaxes(tickmode="array", tickvals=list(range(0, T, step)), ticktext=chars[::step],
                     tickangle=0, title=None)
    fig.update_yaxes(title="unit", autorange="reversed")
    return fig
