"""Figures of the surname → language demo: the verdict after every letter, the final top 5 of the model
and of the bigram baseline, and the held-out scores (overall, per language, confusion matrix).

Pure: data in, plotly figure out, built from plain dicts (style.figure). Letters and language names reach
plotly only escaped (plotly renders a subset of HTML in text and labels).
"""
from __future__ import annotations

import html

import numpy as np
import plotly.graph_objects as go

from rnnviz.shared.style import COLOR, axis, base_layout, colorscale, figure

MODEL_COLOR = COLOR["gru"]          # the trained model is a GRU: drawn in the GRU's colour on every page
PROB_SCALE = "Viridis"              # p from 0 (dark) to 1 (bright), legible on light and dark pages
SHOW_PERCENT = 0.05                 # cells below 5 % stay unlabelled: the chart reads at a glance


def _esc(text: str) -> str:
    return html.escape(str(text), quote=False)


def letter_labels(text: str, known: np.ndarray) -> list[str]:
    """One x label per letter: the letter itself, or ? for one the model never saw."""
    return [_esc(ch) if ok else "?" for ch, ok in zip(text, known)]


def trajectory(text: str, classes: list[str], probs: np.ndarray, order: list[int], known: np.ndarray,
               title: str | None, row_px: int = 26) -> go.Figure:
    """Languages (rows, in `order`, first on top) × letters read (columns): p(language | letters 1..t),
    the percentage written in every cell of 5 % or more; the letters on top (a screen that cuts the chart
    cuts the least likely rows, not the letters), the leader's name above each letter. With no title (the page's
    heading names the chart) the top margin holds only the letters and the leaders' names."""
    T = len(text)
    rows = [classes[i] for i in order]
    z = probs[:, order].T                                                  # (C, T)
    labels = np.where(z >= SHOW_PERCENT, np.char.mod("%d", np.rint(100 * z).astype(int)), "")
    letters = letter_labels(text, known)
    heat = dict(type="heatmap", z=z, x=np.arange(1, T + 1), y=rows, zmin=0.0, zmax=1.0,
                colorscale=colorscale(PROB_SCALE), text=labels, texttemplate="%{text}",
                textfont=dict(size=11 if T <= 24 else 9), xgap=1, ygap=1,
                customdata=np.broadcast_to(np.array(letters, dtype=str), z.shape),
                hovertemplate="after letter %{x} (%{customdata})<br>%{y}: %{z:.1%}<extra></extra>",
                colorbar=dict(title=dict(text="p(language)", side="right"), thickness=12, tickformat=".0%"))
    leaders = [classes[i] for i in probs.argmax(1)]
    changed = [t == 0 or lead != leaders[t - 1] for t, lead in enumerate(leaders)]
    notes = [dict(x=t + 1, y=1.0, xref="x", yref="paper", yanchor="bottom", xanchor="left", showarrow=False, yshift=26,
                  text=_esc(lead) if new else "·", textangle=-40,
                  font=dict(size=12, color=MODEL_COLOR) if new else dict(size=12))
             for t, (lead, new) in enumerate(zip(leaders, changed))]
    return figure([heat], base_layout(
        title, hovermode="closest", height=(125 if title else 90) + row_px * len(rows),
        margin=dict(l=100, r=20, t=115 if title else 80, b=10),
        annotations=notes,
        xaxis=axis(None, side="top", tickmode="array", tickvals=list(range(1, T + 1)), ticktext=letters,
                   tickfont=dict(size=15), range=[0.5, T + 0.5]),
        yaxis=axis(None, type="category", categoryorder="array", categoryarray=rows, autorange="reversed",
                   tickmode="array", tickvals=rows)))                     # every language named, none thinned out


def top_bars(top: list[tuple[str, float]], color: str, title: str) -> go.Figure:
    """The final top k as horizontal bars, likeliest on top, each with its percentage."""
    names = [_esc(c) for c, _ in top]
    p = [float(x) for _, x in top]
    bars = dict(type="bar", orientation="h", x=p, y=names, marker=dict(color=color),
                text=[f"{x:.0%}" if x >= 0.005 else "<1%" for x in p], textposition="outside", cliponaxis=False,
                hovertemplate="%{y}: %{x:.1%}<extra></extra>")
    return figure([bars], base_layout(
        title, hovermode="closest", height=260, margin=dict(l=100, r=40, t=50, b=40), showlegend=False,
        xaxis=axis(None, range=[0, 1.12], tickformat=".0%"),
        yaxis=axis(None, type="category", categoryorder="array", categoryarray=names, autorange="reversed")))


def scoreboard(metrics: dict, title: str = "Held-out test names: the model against its baselines") -> go.Figure:
    """Accuracy and balanced accuracy of the GRU, the bigram naive Bayes and the majority guess, and
    chance (1 / number of languages) for the balanced one."""
    groups = ["accuracy", "balanced accuracy<br>(mean over languages)"]
    series = [("GRU (reads in order)", "test", MODEL_COLOR), ("bigram naive Bayes", "bigram", COLOR["bigram"]),
              ("majority (always the largest)", "majority", COLOR["majority"])]
    data = []
    for name, key, color in series:
        prefix = "test" if key == "test" else key
        vals = [metrics[f"{prefix}_accuracy"], metrics[f"{prefix}_balanced_accuracy"]]
        data.append(dict(type="bar", name=name, x=groups, y=vals, marker=dict(color=color),
                         text=[f"{v:.0%}" for v in vals], textposition="outside", cliponaxis=False,
                         hovertemplate=f"{name}<br>%{{x}}: %{{y:.1%}}<extra></extra>"))
    chance = metrics["chance_balanced_accuracy"]
    data.append(dict(type="scatter", mode="lines", name=f"chance ({chance:.0%})", x=[groups[1], groups[1]],
                     y=[chance, chance], showlegend=False, hoverinfo="skip", line=dict(width=0)))
    return figure(data, base_layout(
        title, barmode="group", hovermode="closest", height=360, margin=dict(l=60, r=20, t=90, b=60),
        yaxis=axis("share of test names named right", range=[0, 1.08], tickformat=".0%"),
        shapes=[dict(type="line", xref="x domain", x0=0.5, x1=1.0, yref="y", y0=chance, y1=chance,
                     line=dict(dash="dot", color=COLOR["bound"], width=1.5))],
        annotations=[dict(xref="x domain", x=1.0, y=chance, yref="y", xanchor="right", yanchor="bottom",
                          showarrow=False, text=f"chance: 1 in {round(1 / chance)}", font=dict(size=11))]))


def per_language(classes: list[str], gru: list[float], bigram: list[float], support: list[int]) -> go.Figure:
    """Per-language test accuracy of the GRU and of the bigram baseline, best-read language on top."""
    order = sorted(range(len(classes)), key=lambda i: -gru[i])
    names = [f"{_esc(classes[i])} ({support[i]})" for i in order]
    data = [dict(type="bar", orientation="h", name=name, x=[vals[i] for i in order], y=names,
                 marker=dict(color=color), hovertemplate=f"{name}<br>%{{y}}: %{{x:.0%}}<extra></extra>")
            for name, vals, color in (("GRU", gru, MODEL_COLOR), ("bigram naive Bayes", bigram, COLOR["bigram"]))]
    return figure(data, base_layout(
        "Per language (test names in brackets)", barmode="group", hovermode="closest",
        height=140 + 30 * len(classes), margin=dict(l=130, r=20, t=90, b=50),
        xaxis=axis("share named right", range=[0, 1], tickformat=".0%"),
        yaxis=axis(None, type="category", categoryorder="array", categoryarray=names, autorange="reversed")))


def confusion(classes: list[str], matrix: list[list[int]], title: str) -> go.Figure:
    """Row: the true language; column: what was guessed. Colour: the share of that row (so a small
    language counts as much as a big one); text: the count of names."""
    m = np.asarray(matrix, dtype=float)
    share = m / np.maximum(m.sum(1, keepdims=True), 1)
    names = [_esc(c) for c in classes]
    text = np.where(m > 0, m.astype(int).astype(str), "")
    heat = dict(type="heatmap", z=share, x=names, y=names, zmin=0.0, zmax=1.0, colorscale=colorscale(PROB_SCALE),
                text=text, texttemplate="%{text}", textfont=dict(size=10), xgap=1, ygap=1,
                hovertemplate="true %{y}, guessed %{x}: %{text} names (%{z:.0%} of the row)<extra></extra>",
                colorbar=dict(title=dict(text="share of the row", side="right"), thickness=12, tickformat=".0%"))
    return figure([heat], base_layout(
        title, hovermode="closest", height=560, margin=dict(l=100, r=20, t=60, b=110),
        xaxis=axis("guessed", type="category", tickangle=-45, side="bottom"),
        yaxis=axis("true language", type="category", categoryorder="array", categoryarray=names,
                   autorange="reversed")))
