"""Figures of "Your series": the series with its held-out part, the held-out error as it learns, and the
forecasts against the truth.

    series_chart(data, verdict=None)          # the values; the held-out tail shaded; the model's forecasts
    error_curve(p, baselines, seconds)        # held-out one-step RMSE at each check, the baselines as lines
                                              # (baselines: verdict.baselines(data))

Index i is the i-th value (the x axis: the file's labels, shown on hover). A plotly line of up to 100,000
points draws in the browser in tens of ms (scattergl is not used: it needs WebGL, which some school
laptops lack); the chart thins a long series to every k-th value for the whole view, never the held-out part.
"""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from rnnviz.shared.style import COLOR, axis, base_layout, figure
from rnnviz.topics.forecast.figures import HELD_OUT_FILL
from rnnviz.topics.yourseries import verdict as v

MAX_POINTS = 4000      # of the training part drawn (every k-th value beyond it); the held-out part is drawn whole


def _line(name, x, y, color, dash=None, mode="lines", width=2, **more) -> dict:
    return dict(type="scatter", mode=mode, name=name, x=np.asarray(x), y=np.asarray(y, dtype=float),
                line=dict(color=color, width=width, **({"dash": dash} if dash else {})), **more)


def shown_indices(n: int, n_train: int) -> np.ndarray:
    """Every value of the held-out part, and the training part thinned to at most MAX_POINTS values."""
    step = max(1, -(-n_train // MAX_POINTS))
    return np.r_[np.arange(0, n_train, step), np.arange(n_train, n)]


def series_chart(data, verdict=None, height: int = 360, title: str | None = None) -> go.Figure:
    """The series (grey), the held-out tail shaded; with a verdict: the model's one-step forecasts over the
    held-out part, its free run from the last trained value, and the naive forecast held flat."""
    n, n_train = len(data.values), data.n_train
    i = shown_indices(n, n_train)
    labels = np.asarray(data.labels, dtype=object)
    hover = "%{customdata}: %{y:.4g}<extra>%{fullData.name}</extra>"
    traces = [_line(data.name or "value", i, data.values[i], COLOR["data"], customdata=labels[i], hovertemplate=hover)]
    if verdict is not None:
        tail = np.arange(n_train, n)
        traces.append(_line("one step ahead (given the true past)", tail, verdict.one_step[tail], COLOR["one_step"],
                            customdata=labels[tail], hovertemplate=hover))
        free = np.arange(n_train - 1, n_train + verdict.free_steps)
        run = np.r_[data.values[n_train - 1], verdict.free[n_train:n_train + verdict.free_steps]]
        traces.append(_line("free running (fed its own forecasts)", free, run, COLOR["free_run"], width=2.5,
                            customdata=labels[free], hovertemplate=hover))
        traces.append(_line("naive: the last value held", free, np.full(len(free), data.values[n_train - 1]),
                            COLOR["naive"], dash="dot", customdata=labels[free], hovertemplate=hover))
    # with the forecasts: the held-out part and as much history before it (at least 20 values), to read them
    first = max(0, n_train - max(n - n_train, 20)) if verdict is not None else 0
    ticks = np.linspace(first, n - 1, min(6, n - first)).round().astype(int)
    shapes = [dict(type="rect", xref="x", yref="paper", x0=n_train - 0.5, x1=n - 0.5, y0=0, y1=1,
                   fillcolor=HELD_OUT_FILL, line=dict(width=0), layer="below")]
    notes = [dict(x=n - 0.5, y=0.98, xref="x", yref="paper", xanchor="right", yanchor="top", showarrow=False,
                  text="held out: never trained on ", font=dict(size=12, color=COLOR["bound"]))]
    return figure(traces, base_layout(
        title or f"{data.name or 'Your series'}: {n:,} values, the last {n - n_train:,} held out", height=height,
        hovermode="x unified", shapes=shapes, annotations=notes,
        legend=dict(orientation="h", y=-0.18, yanchor="top", x=0),
        xaxis=axis(None, tickvals=ticks, ticktext=[str(labels[k])[:12] for k in ticks], range=[first - 0.5, n - 0.5]),
        yaxis=axis(data.name or "value")))


def error_curve(p, baselines: dict, seconds: float, height: int = 300) -> go.Figure:
    """The held-out one-step RMSE at each check against seconds of training; the baselines' RMSE as lines."""
    traces = []
    if p.checks:
        traces.append(_line("the model, one step ahead", [c[1] for c in p.checks], [c[2] for c in p.checks],
                            COLOR["one_step"], mode="lines+markers",
                            hovertemplate="%{x:.0f} s: RMSE %{y:.4g}<extra></extra>"))
    right = max(float(seconds), max((c[1] for c in p.checks), default=0.0))
    styles = {v.NAIVE_ONE: (COLOR["naive"], "dot"), v.SEASONAL: (COLOR["seasonal_naive"], "dash")}
    for name, value in baselines.items():
        color, dash = styles[name]
        traces.append(_line(name, [0, right], [value, value], color, dash=dash, hoverinfo="skip"))
    return figure(traces, base_layout("Error on the held-out part (RMSE): lower is better", height=height,
                                      hovermode="closest", legend=dict(orientation="h", y=-0.3, yanchor="top", x=0),
                                      xaxis=axis("seconds of training", range=[0, right * 1.02]),
                                      yaxis=axis("RMSE, one step ahead", rangemode="tozero")))

