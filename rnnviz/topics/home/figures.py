"""Figures of the Home page: what sequence data looks like, and the unrolled RNN idea."""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from rnnviz.shared.style import COLOR, base_layout

TEXT = "order matters"      # the text example, one one-hot character per step
SERIES = 120                # readings of the time series
AUDIO = 240                 # audio samples: 30 ms at 8 kHz
FRAMES = 4                  # video frames of 10×10 pixels


def sequence_summary() -> str:
    """The words under sequence_examples(), from the same constants it draws."""
    return (f"Four sequences, one element per step: the {len(TEXT)} characters of “{TEXT}” (one-hot), {SERIES} "
            f"readings of a noisy wave, {AUDIO} samples of a fading chirp, and {FRAMES} video frames of a square "
            "moving up and to the right.")


def sequence_examples(seed: int = 0) -> go.Figure:
    """Four kinds of sequence, each an ordered list of vectors x_1..x_T: text, a time series, audio, video."""
    rng = np.random.default_rng(seed)
    # each title on three short lines: four side by side fit a tablet's and a phone's width without running
    # into each other
    fig = make_subplots(rows=1, cols=4, horizontal_spacing=0.06, subplot_titles=(
        "text:<br>one character<br>per step", "time series:<br>one reading<br>per step",
        "audio:<br>one sample<br>per step", "video:<br>one frame<br>per step"))
    fig.update_annotations(font_size=13)                                # the titles (the only annotations yet)
    text = TEXT
    alphabet = sorted(set(text))
    onehot = np.array([[1.0 if ch == a else 0.0 for ch in text] for a in alphabet])     # (A, T)
    fig.add_trace(go.Heatmap(z=onehot, x=list(range(1, len(text) + 1)), y=[repr(a)[1:-1] or "␣" for a in alphabet],
                             colorscale=[[0, "rgba(0,0,0,0)"], [1, COLOR["lstm"]]], showscale=False,
                             hovertemplate="step %{x}: '%{y}'<extra></extra>"), row=1, col=1)
    for i, ch in enumerate(text, start=1):
        fig.add_annotation(x=i, y=-1.2, text=ch if ch != " " else "␣", showarrow=False, row=1, col=1)
    t = np.arange(SERIES)
    series = np.sin(2 * np.pi * t / 40) + 0.3 * np.sin(2 * np.pi * t / 9) + 0.15 * rng.standard_normal(SERIES)
    fig.add_trace(go.Scatter(x=t, y=series, mode="lines+markers", marker=dict(size=3),
                             line=dict(color=COLOR["gru"]), hovertemplate="step %{x}: %{y:.2f}<extra></extra>"),
                  row=1, col=2)
    s = np.arange(AUDIO) / 8000                                          # 30 ms at 8 kHz
    audio = np.sin(2 * np.pi * (150 + 4000 * s) * s) * np.exp(-40 * s)    # a rising, fading chirp
    fig.add_trace(go.Scatter(x=np.arange(AUDIO), y=audio, mode="lines", line=dict(color=COLOR["rnn"], width=1),
                             hoverinfo="skip"), row=1, col=3)
    frames = np.full((10, FRAMES * 11 - 1), np.nan)                      # 4 frames of 10×10, a square moving
    for k in range(FRAMES):
        f = np.zeros((10, 10))
        f[1 + 2 * k:4 + 2 * k, 1 + 2 * k:4 + 2 * k] = 1.0                # up and to the right (row 0 is the bottom)
        frames[:, 11 * k:11 * k + 10] = f
    fig.add_trace(go.Heatmap(z=frames, colorscale=[[0, "#dddddd"], [1, COLOR["lstm"]]], showscale=False,
                             hoverinfo="skip"), row=1, col=4)
    fig.update_xaxes(showticklabels=False, row=1, col=4)
    fig.update_yaxes(showticklabels=False, row=1, col=4)
    fig.update_xaxes(title_text="time step t", row=1, col=2)
    fig.update_layout(**base_layout(height=290, showlegend=False, hovermode="closest",
                                    margin=dict(l=40, r=10, t=72, b=40)))
    return fig


def unrolled(T: int = 5) -> go.Figure:
    """An RNN unrolled over T steps: the same cell (same W_ih, W_hh) copied at every step."""
    fig = go.Figure()
    dx = 1.6
    for k in range(T):
        x0 = k * dx
        fig.add_shape(type="rect", x0=x0 - 0.45, x1=x0 + 0.45, y0=-0.35, y1=0.35, line=dict(color=COLOR["rnn"], width=2),
                      fillcolor="rgba(213,94,0,0.12)")
        fig.add_annotation(x=x0, y=0, text="cell<br><sub>W<sub>ih</sub>, W<sub>hh</sub></sub>", showarrow=False)
        fig.add_annotation(x=x0, y=-0.37, ax=x0, ay=-1.1, axref="x", ayref="y", xref="x", yref="y",
                           showarrow=True, arrowhead=2, arrowcolor="gray")
        fig.add_annotation(x=x0, y=-1.3, text=f"x<sub>{k + 1}</sub>", showarrow=False, font=dict(size=15))
        fig.add_annotation(x=x0, y=1.15, ax=x0, ay=0.36, axref="x", ayref="y", showarrow=True, arrowhead=2,
                           arrowcolor=COLOR["gru"])
        fig.add_annotation(x=x0, y=1.35, text=f"h<sub>{k + 1}</sub>", showarrow=False, font=dict(size=15))
        if k < T - 1:
            fig.add_annotation(x=x0 + dx - 0.46, y=0, ax=x0 + 0.46, ay=0, axref="x", ayref="y", showarrow=True,
                               arrowhead=2, arrowwidth=2, arrowcolor=COLOR["gru"])
    fig.add_annotation(x=-0.46, y=0, ax=-1.1, ay=0, axref="x", ayref="y", showarrow=True, arrowhead=2,
                       arrowwidth=2, arrowcolor=COLOR["gru"])
    fig.add_annotation(x=-0.8, y=0.22, text="h<sub>0</sub> = 0", showarrow=False)
    fig.update_xaxes(visible=False, range=[-1.3, (T - 1) * dx + 0.8])
    fig.update_yaxes(visible=False, range=[-1.6, 1.6])
    fig.update_layout(**base_layout(height=240, margin=dict(l=10, r=10, t=10, b=10), showlegend=False))
    return fig
