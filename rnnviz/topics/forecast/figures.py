"""Figures of the forecasting demo: the series with the held-out tail, one-step and free-running forecasts and
the baselines around one origin; the error against the horizon; a small diagram of the two ways to feed a
forecaster. Pure: data in, plotly figure out, built from plain dicts (style.figure). No typed text reaches
these figures (the page has no text box); labels are our own.
"""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from rnnviz.shared.style import COLOR, axis, base_layout, figure
from rnnviz.topics.forecast.compute import Curve, Forecast, Series

HELD_OUT_FILL = "rgba(127,127,127,0.13)"
NO_DATA_FILL = "rgba(170,68,153,0.08)"


def _line(name, x, y, color, dash=None, mode="lines", width=2, marker=None, **more) -> dict:
    return dict(type="scatter", mode=mode, name=name, x=np.asarray(x, dtype=float), y=np.asarray(y, dtype=float),
                line=dict(color=color, width=width, **({"dash": dash} if dash else {})),
                **({"marker": marker} if marker else {}), **more)


def window(s: Series, f: Forecast) -> tuple[int, int]:
    """The index range the chart shows: three seasons (at least three horizons) of history before the origin,
    the forecast after it."""
    back = max(3 * s.period, 2 * f.horizon, 24 if s.step == "month" else 20)
    return max(0, f.origin - back), f.origin + f.horizon


def forecast_chart(s: Series, f: Forecast, one_step: np.ndarray | None, title: str, height: int = 430) -> go.Figure:
    """The series around the origin: the true values (grey), the held-out tail shaded, the one-step forecasts
    (green dots, optional), the free run from the origin (purple), both baselines (dotted), the origin line."""
    lo, hi = window(s, f)
    shown = np.arange(lo, min(hi, s.n - 1) + 1)
    t = s.time
    hover = f"%{{y:.4g}} {s.unit}<extra>%{{fullData.name}}</extra>"
    data = [_line("true series", t(shown), s.values[shown], COLOR["data"], hovertemplate=hover)]
    if one_step is not None:
        ok = shown[~np.isnan(one_step[shown])]
        data.append(_line("one step ahead (given the true past)", t(ok), one_step[ok], COLOR["one_step"],
                          mode="markers", marker=dict(size=6 if s.step == "year" else 4, color=COLOR["one_step"]),
                          hovertemplate=hover))
    start = np.r_[f.origin, f.targets]                         # each forecast line starts at the origin's value
    x0 = float(s.values[f.origin])
    data += [
        _line("naive: the last value", t(start), np.r_[x0, f.naive], COLOR["naive"], dash="dot", hovertemplate=hover),
        _line(f"seasonal naive: {s.period} {s.step}s before", t(start), np.r_[x0, f.seasonal],
              COLOR["seasonal_naive"], dash="dash", hovertemplate=hover),
        _line("free running (fed its own forecasts)", t(start), np.r_[x0, f.free], COLOR["free_run"], width=3,
              mode="lines+markers", marker=dict(size=5 if s.step == "year" else 3, color=COLOR["free_run"]),
              hovertemplate=hover),
    ]
    t_end = float(t(s.n - 1))
    shapes = [dict(type="rect", xref="x", yref="paper", x0=float(t(s.n_train)) - _half(s), x1=t_end + _half(s),
                   y0=0, y1=1, fillcolor=HELD_OUT_FILL, line=dict(width=0), layer="below"),
              dict(type="line", xref="x", yref="paper", x0=float(t(f.origin)), x1=float(t(f.origin)), y0=0, y1=1,
                   line=dict(color=COLOR["free_run"], width=1.5, dash="dot"))]
    notes = [dict(x=float(t(f.origin)), y=0.99, xref="x", yref="paper", xanchor="right", yanchor="top",
                  showarrow=False, text=f"origin {s.label(f.origin)}: seen up to here ◂", font=dict(size=12))]
    if f.n_truth < f.horizon:
        shapes.append(dict(type="rect", xref="x", yref="paper", x0=t_end + _half(s), x1=float(t(hi)) + _half(s),
                           y0=0, y1=1, fillcolor=NO_DATA_FILL, line=dict(width=0), layer="below"))
        notes.append(dict(x=t_end + _half(s), y=0.02, xref="x", yref="paper", xanchor="left", yanchor="bottom",
                          showarrow=False, text="▸ no data: nothing to score", font=dict(size=12)))
    if t(s.n_train) <= t(hi):
        notes.append(dict(x=max(float(t(s.n_train)), float(t(lo))) - _half(s), y=0.02, xref="x", yref="paper",
                          xanchor="left", yanchor="bottom", showarrow=False,
                          text="held out: never trained on ▸", font=dict(size=12, color=COLOR["bound"])))
    return figure(data, base_layout(
        title, height=height, margin=dict(l=60, r=20, t=110, b=50), shapes=shapes, annotations=notes,
        hovermode="x unified", legend=dict(orientation="h", y=1.0, yanchor="bottom", x=0, xanchor="left",
                                           entrywidth=0),
        xaxis=axis("year", range=[float(t(lo)) - _half(s), float(t(hi)) + _half(s)]),
        yaxis=axis(s.unit)))


def _half(s: Series) -> float:
    """Half a step on the time axis, so a shaded region starts between two values."""
    return 0.5 if s.step == "year" else 0.5 / 12


def horizon_chart(s: Series, c: Curve, chosen: int) -> go.Figure:
    """RMSE over the held-out tail against the horizon: the free-running model, the naive and seasonal naive
    forecasts; a marker on the one-step error and a line at the chosen horizon."""
    hover = f"%{{y:.3g}} {s.unit}<extra>%{{fullData.name}}</extra>"
    data = [_line("naive", c.horizons, c.naive, COLOR["naive"], dash="dot", mode="lines+markers", hovertemplate=hover),
            _line("seasonal naive", c.horizons, c.seasonal, COLOR["seasonal_naive"], dash="dash", mode="lines+markers",
                  hovertemplate=hover),
            _line("model, free running", c.horizons, c.model, COLOR["free_run"], width=3, mode="lines+markers",
                  hovertemplate=hover),
            _line("model, one step ahead", c.horizons[:1], c.model[:1], COLOR["one_step"], mode="markers",
                  marker=dict(size=13, color=COLOR["one_step"], symbol="circle"), hovertemplate=hover)]
    shapes, notes = [], []
    if 1 <= chosen <= len(c.horizons):
        shapes.append(dict(type="line", xref="x", yref="paper", x0=chosen, x1=chosen, y0=0, y1=1,
                           line=dict(color=COLOR["bound"], width=1, dash="dot")))
        side = "left" if chosen <= len(c.horizons) / 2 else "right"          # keep the label inside the plot
        notes.append(dict(x=chosen, y=0.99, xref="x", yref="paper", xanchor=side, yanchor="top", showarrow=False,
                          text=f"your horizon: {chosen}", font=dict(size=11)))
    return figure(data, base_layout(
        "The error at every horizon (held-out tail)", height=360, shapes=shapes, annotations=notes,
        margin=dict(l=60, r=20, t=100, b=50),
        xaxis=axis(f"horizon ({s.step}s ahead)", range=[0.5, len(c.horizons) + 0.5]),
        yaxis=axis(f"RMSE ({s.unit})", rangemode="tozero")))


def feeding_diagram(steps: int = 4) -> go.Figure:
    """Two rows of an unrolled forecaster: teacher forcing (each input the true x_t) and free running (each
    input after the first is the previous output x̂, drawn as an arrow back into the next cell)."""
    shapes, notes = [], []
    rows = (("one step ahead (teacher forcing)", 1.0, False), ("free running", 0.0, True))
    for label, y, fed in rows:
        notes.append(dict(x=-0.6, y=y + 0.45, text=f"<b>{label}</b>", showarrow=False, xanchor="left", font=dict(size=13)))
        for k in range(steps):
            x = 1.4 * k
            shapes.append(dict(type="rect", x0=x - 0.3, x1=x + 0.3, y0=y - 0.15, y1=y + 0.15,
                               line=dict(color=COLOR["gru"], width=2), fillcolor="rgba(0,158,115,0.12)"))
            notes.append(dict(x=x, y=y, text="GRU", showarrow=False, font=dict(size=11)))
            out = f"x̂<sub>{k + 2}</sub>"
            notes.append(dict(x=x + 0.55, y=y + 0.3, text=out, showarrow=False,
                              font=dict(size=13, color=COLOR["free_run"] if fed else COLOR["one_step"])))
            given_true = not fed or k == 0
            inp = f"x<sub>{k + 1}</sub>" if given_true else f"x̂<sub>{k + 1}</sub>"
            notes.append(dict(x=x - 0.55, y=y - 0.3, text=inp, showarrow=False,
                              font=dict(size=13, color=COLOR["data"] if given_true else COLOR["free_run"])))
            notes.append(dict(x=x - 0.3, y=y - 0.08, ax=x - 0.5, ay=y - 0.25, xref="x", yref="y", axref="x", ayref="y",
                              showarrow=True, arrowhead=2, arrowwidth=1.5, arrowcolor=COLOR["data"], text=""))
            notes.append(dict(x=x + 0.5, y=y + 0.22, ax=x + 0.3, ay=y + 0.08, xref="x", yref="y", axref="x", ayref="y",
                              showarrow=True, arrowhead=2, arrowwidth=1.5, arrowcolor=COLOR["data"], text=""))
            if k + 1 < steps:
                notes.append(dict(x=x + 1.1, y=y, ax=x + 0.3, ay=y, xref="x", yref="y", axref="x", ayref="y",
                                  showarrow=True, arrowhead=2, arrowwidth=1.5, arrowcolor=COLOR["gru"], text=""))
                if fed:              # the output goes back in as the next input
                    shapes.append(dict(type="path", path=f"M {x + 0.7},{y + 0.3} Q {x + 1.0},{y - 0.05} "
                                                        f"{x + 0.85},{y - 0.3}",
                                       line=dict(color=COLOR["free_run"], width=2, dash="dot")))
    notes.append(dict(x=1.4 * steps - 0.9, y=0.45, xanchor="right", showarrow=False, font=dict(size=11),
                      text="the origin: the last true value read is x<sub>1</sub>"))
    return figure([], base_layout(
        "Two ways to feed the same model", height=300, margin=dict(l=10, r=10, t=50, b=10), shapes=shapes,
        annotations=notes, hovermode=False, showlegend=False,
        xaxis=dict(visible=False, range=[-0.8, 1.4 * steps - 0.5]),
        yaxis=dict(visible=False, range=[-0.5, 1.6])))
