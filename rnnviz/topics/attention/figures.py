"""Figures of the attention page: the alignment map, the context vectors of both models, and the held-out
exact match against input length.

    alignment(shown, symbols, alphas)             # output step × input character heatmap of α_kj
    contexts(contexts, units, title, color)       # unit × step heatmap of c_k (the plain model's columns are all c)
    length_chart(curves)                          # exact match per input-length bin: both models, two baselines

Typed characters are escaped here (plotly reads <b>, <br> and entities in text and hover labels), and a
space is drawn ␣.
"""
from __future__ import annotations

import html

import numpy as np
import plotly.graph_objects as go

from rnnviz.shared.style import COLOR, MAGNITUDE_SCALE, SIGNED_SCALE, axis, base_layout, colorscale, figure
from rnnviz.topics.attention.compute import LengthCurves

PLAIN, ATTENTIVE = COLOR["context"], COLOR["winner"]     # the plain model's single c; the attentive model's c_k
MAJORITY, WORD_COPY = COLOR["majority"], COLOR["tag_baseline"]


def shown(ch: str) -> str:
    return html.escape("␣" if ch == " " else ch, quote=False)


def alignment(chars: list[str], symbols: list[str], alphas: np.ndarray, height: int = 360) -> go.Figure:
    """Rows: the symbols the attentive decoder wrote, first at the top; columns: the characters read; colour:
    α_kj, how much step k's context c_k takes from h_j (each row sums to 1).

    The characters read are written under the map by a text trace (trace 1), not as the x axis's tick labels:
    plotly measures every tick label on every redraw, and 60 of them made this chart 5–8× slower to redraw in a
    browser (issue 22: a typed number redraws it)."""
    K, T = alphas.shape
    labels = [shown(ch) for ch in chars]
    rows = [f"{k + 1}: {html.escape(s, quote=False)}" for k, s in enumerate(symbols)]
    hover = [[f"writing “{html.escape(symbols[k], quote=False)}” (step {k + 1}), on “{labels[j]}” "
              f"(character {j + 1}): α = {alphas[k, j]:.3f}" for j in range(T)] for k in range(K)]
    top = float(max(0.05, alphas.max()))      # the scale ends at the largest α: weights spread over a word are small
    heat = dict(type="heatmap", x=list(range(1, T + 1)), y=list(range(K)), z=alphas, zmin=0, zmax=top,
                colorscale=colorscale(MAGNITUDE_SCALE), hovertext=hover, hovertemplate="%{hovertext}<extra></extra>",
                xgap=1, ygap=1, colorbar=dict(title=dict(text=f"α (0–{top:.2f})"), thickness=12))
    read = dict(type="scatter", mode="text", name="character read", x=list(range(1, T + 1)), y=[K - 0.5] * T,
                text=labels, textposition="bottom center", cliponaxis=False, hoverinfo="skip", showlegend=False)
    layout = base_layout("Where the attentive decoder looks: α at each step (rows sum to 1)", height=height,
                         hovermode="closest", margin=dict(l=70, r=20, t=50, b=50),
                         xaxis=axis("character read (j)", showticklabels=False, showgrid=False, zeroline=False,
                                    range=[0.5, T + 0.5], automargin=True),
                         yaxis=axis("symbol written (k)", tickmode="array", tickvals=list(range(K)), ticktext=rows,
                                    range=[K - 0.5, -0.5], showgrid=False, zeroline=False))
    layout["xaxis"]["title"]["standoff"] = 24          # below the characters
    return figure([heat, read], layout)


def contexts(c: np.ndarray, symbols: list[str], units: np.ndarray, title: str, color: str,
             height: int = 360) -> go.Figure:
    """Columns: the decoder's steps (labelled by the symbol written); rows: units; colour: c_k of that unit."""
    K = c.shape[0]
    z = c[:, units].T                                                               # (U, K)
    cols = [f"{k + 1}: {html.escape(s, quote=False)}" for k, s in enumerate(symbols)]
    hover = [[f"step {k + 1} (writes “{html.escape(symbols[k], quote=False)}”), unit {u}: c = {z[r, k]:+.3f}"
              for k in range(K)] for r, u in enumerate(units)]
    lim = float(max(1e-6, np.abs(z).max()))
    heat = dict(type="heatmap", x=cols, y=[str(u) for u in units], z=z, zmin=-lim, zmax=lim,
                colorscale=colorscale(SIGNED_SCALE), hovertext=hover, hovertemplate="%{hovertext}<extra></extra>",
                colorbar=dict(title=dict(text="c"), thickness=10))
    layout = base_layout(title, height=height, hovermode="closest", margin=dict(l=50, r=10, t=50, b=50),
                         xaxis=axis("decoder step k (symbol written)", type="category", showgrid=False, tickangle=0),
                         yaxis=axis("unit", type="category", showgrid=False))
    layout["title"]["font"] = dict(size=15, color=color)
    return figure([heat], layout)


def length_chart(c: LengthCurves, height: int = 380) -> go.Figure:
    """Held-out exact match (whole number right) per input-length bin, both models and the two baselines."""
    x = [f"{b}<br>n = {n:,}" for b, n in zip(c.bins, c.n)]
    lines = []
    for name, ys, color, dash, width in (("with attention", c.attentive, ATTENTIVE, "solid", 3.5),
                                          ("plain (single c)", c.plain, PLAIN, "solid", 3.5),
                                          ("baseline: word-by-word copy", c.word_copy, WORD_COPY, "dot", 2),
                                          ("baseline: likeliest digits", c.majority, MAJORITY, "dash", 2)):
        lines.append(dict(type="scatter", mode="lines+markers", x=x, y=ys, name=name,
                          line=dict(color=color, dash=dash, width=width), marker=dict(size=8),
                          hovertemplate=f"{name}, %{{x}}: %{{y:.1%}}<extra></extra>"))
    layout = base_layout("Held-out exact match against input length", height=height, hovermode="x unified",
                         margin=dict(l=60, r=20, t=50, b=70),
                         xaxis=axis("input length (characters)", type="category"),
                         yaxis=axis("exact match", range=[-0.02, 1.02], tickformat=".0%"),
                         legend=dict(orientation="h", y=-0.3, x=0))
    return figure(lines, layout)
