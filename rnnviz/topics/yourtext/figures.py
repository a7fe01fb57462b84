"""Figures of "Your text": the learning curve against the text's own baselines, and the gradient reaching
each step of a window.

    learning_curve(p, baselines, seconds)   # bits per character against seconds of training
    gradient_by_step(checkpoint)            # ‖∂L/∂h_t‖ over the window's steps t, at one checkpoint

`p` is a rnnviz.topics.yourtext.learn.TextProgress (a snapshot), `baselines` the TextData's.
"""
from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go

from rnnviz.shared.style import COLOR, axis, base_layout, figure

# The baselines, each a number of bits per character a model with no memory gets on the held-out part:
# every character alike (uniform), each character's own frequency (unigram), the one before it (bigram).
BASELINES = (("uniform", "all characters alike", "#AAAAAA", "dot"),
             ("unigram", "letter frequencies (unigram)", "#7F7F7F", "dash"),
             ("bigram", "one character back (bigram)", COLOR["bigram"], "dashdot"))


def learning_curve(p, baselines: dict, seconds: float, height: int = 360) -> go.Figure:
    """Training bpc (a line) and held-out bpc at each checkpoint (dots) against seconds of training, with the
    baselines as horizontal lines. The y axis starts at 0 and ends above the uniform baseline (a fresh model
    starts there, near log2 V)."""
    data = []
    if p.curve:
        data.append(dict(type="scatter", mode="lines", name="training text", x=[sec for _, sec, _ in p.curve],
                         y=[b for _, _, b in p.curve], line=dict(color=COLOR["lstm"], width=2),
                         hovertemplate="%{x:.0f} s: %{y:.2f} bits per character<extra>training</extra>"))
    if p.checkpoints:
        data.append(dict(type="scatter", mode="lines+markers", name="held-out text",
                         x=[c.seconds for c in p.checkpoints], y=[c.val_bpc for c in p.checkpoints],
                         line=dict(color=COLOR["prediction"], width=2), marker=dict(size=7),
                         hovertemplate="%{x:.0f} s: %{y:.2f} bits per character<extra>held out</extra>"))
    right = max(float(seconds), max((sec for _, sec, _ in p.curve), default=0.0))
    for key, label, color, dash in BASELINES:
        data.append(dict(type="scatter", mode="lines", name=label, x=[0, right], y=[baselines[key]] * 2,
                         line=dict(color=color, width=1.5, dash=dash), hoverinfo="skip"))
    top = max(baselines["uniform"], *(b for _, _, b in p.curve[:1])) if p.curve else baselines["uniform"]
    layout = base_layout("Bits per character: lower is better", height=height, hovermode="closest",
                         xaxis=axis("seconds of training", range=[0, right * 1.02]),
                         yaxis=axis("bits per character", range=[0, math.ceil(top + 0.5)]),
                         legend=dict(orientation="h", y=-0.3, yanchor="top", x=0))
    return figure(data, layout)


def gradient_by_step(c, height: int = 260) -> go.Figure:
    """‖∂L/∂h_t‖ for t = 1..window at checkpoint c, on a log scale (a vanishing gradient is a straight line
    going down to the left: each step back multiplies it by about the same factor)."""
    g = np.asarray(c.grad_by_step, dtype=float)
    t = np.arange(1, len(g) + 1)
    shown = np.where(np.isfinite(g) & (g > 0), g, np.nan)
    data = [dict(type="bar", x=t, y=shown, marker=dict(color=COLOR["h"]), name="‖∂L/∂h_t‖",
                 hovertemplate="step %{x}: %{y:.3g}<extra></extra>")]
    layout = base_layout(f"The gradient reaching each step of a window (after {c.seconds:.0f} s)", height=height,
                         xaxis=axis("step t of the window (the loss is at every step)"),
                         yaxis=axis("‖∂L/∂h_t‖", type="log"), showlegend=False, bargap=0.1)
    return figure(data, layout)
