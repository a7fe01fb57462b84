"""Figures of the Memory lab: pure functions from the lab's progress snapshots to plotly figures.

Built from plain dicts (style.figure): the page redraws them twice a second while a run trains. Losses
and gradient norms sit on log axes, where inf, NaN and 0 cannot: an explosion is drawn as a red ✕ at the
top edge of the chart (with its value in the hover), never as a blank or a crash.
"""
from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go

from rnnviz.shared.style import COLOR, MAGNITUDE_SCALE, NAME, axis, base_layout, colorscale, figure
from rnnviz.topics.memory import compute as memory
from rnnviz.topics.memory.compute import Progress

LOG = dict(type="log", exponentformat="power")
FLOOR = memory.MAP_FLOOR      # log10 of the smallest share of the gradient the heatmaps tell apart


def _loggable(y) -> np.ndarray:
    """Values for a log axis as a float array (sent to the browser as binary, which the page's redraw
    twice a second can afford): inf, NaN and 0 become NaN, a gap in the line."""
    y = np.asarray(y, dtype=float)
    with np.errstate(invalid="ignore"):
        return np.where(np.isfinite(y) & (y > 0), y, np.nan)


def running_mean(y: list[float], k: int = memory.SOLVE_WINDOW) -> np.ndarray:
    """The mean of the last k finite values at every step: the curve the "solved" rule reads."""
    out, window = np.full(len(y), np.nan), []
    for n, v in enumerate(y):
        if math.isfinite(v):
            window = (window + [v])[-k:]
        if window:
            out[n] = sum(window) / len(window)
    return out


def _explosions(p: Progress, values: list[float], top: float) -> dict | None:
    """Red ✕ at the top edge (y = top, log axis) at every step that exploded, its value in the hover."""
    steps = [r.step for r in p.recoveries]
    if not steps:
        return None
    return dict(type="scatter", x=steps, y=[top] * len(steps), mode="markers", cliponaxis=False,
                name=f"{NAME[p.kind]} exploded ({len(steps)}×)", customdata=[f"{values[s - 1]:.3g}" for s in steps],
                marker=dict(symbol="x", size=11, color=COLOR["explosion"], line=dict(width=1, color=COLOR[p.kind])),
                hovertemplate="step %{x}: exploded (%{customdata}); last good weights restored<extra></extra>")


def _edges(values: list[float], low: float, high: float) -> tuple[float, float]:
    """A log-axis range [lo, hi] (log10) that holds `low`, `high` and the finite positive values, never
    stretched by an explosion: values beyond 10× `high` are left above the top edge."""
    seen = [v for v in values if math.isfinite(v) and 0 < v <= 10 * high]
    lo, hi = min(seen + [low]), max(seen + [high])
    return math.log10(lo) - 0.15, math.log10(hi) + 0.25


def loss_curves(progress: dict[str, Progress], task: str, T: int) -> go.Figure:
    """Training loss per step for each cell (faint: every batch; bold: the mean of the last 10), with
    the baseline (remembering nothing) and the line a cell must cross to count as solved."""
    t = memory.TASKS[task]
    base, line = t.baseline(T), t.solved_below(T)
    everything = [v for p in progress.values() for v in p.loss]
    lo, hi = _edges(everything, line / 2, max(base, max((p.loss[0] for p in progress.values() if p.loss), default=base)))
    top = 10 ** (hi - 0.05)
    data = []
    for p in progress.values():
        x = np.arange(1, p.steps + 1)
        data.append(dict(type="scatter", x=x, y=_loggable(p.loss), mode="lines", showlegend=False, opacity=0.3,
                         line=dict(color=COLOR[p.kind], width=1), hoverinfo="skip"))
        data.append(dict(type="scatter", x=x, y=running_mean(p.loss), mode="lines", name=NAME[p.kind],
                         line=dict(color=COLOR[p.kind], width=3),
                         hovertemplate=f"{NAME[p.kind]}, step %{{x}}: mean of the last 10 = %{{y:.3g}}<extra></extra>"))
        if p.solved_at:
            data.append(dict(type="scatter", x=[p.solved_at], y=[line], mode="markers+text", showlegend=False,
                             text=[f"{NAME[p.kind]} ✓ {p.solved_at}"], textposition="bottom center",
                             marker=dict(symbol="star", size=15, color=COLOR[p.kind]),
                             textfont=dict(color=COLOR[p.kind]), hovertemplate="solved at step %{x}<extra></extra>"))
        if (boom := _explosions(p, p.loss, top)) is not None:
            data.append(boom)
    budget = max((p.budget for p in progress.values()), default=1)
    for y, name, dash in ((base, f"baseline {base:.3g}: remembers nothing", "dash"),
                          (line, f"solved below {line:.3g}", "dot")):
        data.append(dict(type="scatter", x=[1, budget], y=[y, y], mode="lines", name=name, hoverinfo="skip",
                         line=dict(color=COLOR["bound"], dash=dash, width=2)))
    return figure(data, base_layout(
        title=f"Training loss ({t.metric}), {t.title}, T = {T}", height=420, hovermode="closest",
        xaxis=axis("training step", range=[0, budget + 1]), yaxis=axis(f"{t.metric} (log scale)", range=[lo, hi], **LOG)))


def gradient_maps(progress: dict[str, Progress]) -> go.Figure:
    """For each cell, ‖∂L/∂hₜ‖ as training goes: time step t up, training step across, the colour the
    log10 of each step's share of that column's largest value (one colour scale for every panel)."""
    kinds = [k for k, p in progress.items() if p.probe]
    last = max((progress[k].probe_steps[-1] for k in kinds), default=1)
    span = [-memory.PROBE_EVERY / 2, max(last, 1) + memory.PROBE_EVERY / 2]     # one time scale for every panel
    gap = 0.04
    width = (1 - gap * (max(len(kinds), 1) - 1)) / max(len(kinds), 1)
    layout = base_layout(
        title="Where the gradient dies: ‖∂L/∂hₜ‖ at every time step, as training goes", height=400,
        hovermode="closest", yaxis=axis("time step t (the loss reads the last)", anchor="x"), annotations=[],
        coloraxis=dict(colorscale=colorscale(MAGNITUDE_SCALE), cmin=FLOOR, cmax=0,
                       colorbar=dict(title=dict(text="log₁₀ share"), tickvals=list(range(FLOOR, 1, 2)))))
    data = []
    for j, k in enumerate(kinds):
        p = progress[k]
        share = memory.probe_shares(p)                                       # (probes, L)
        x_name, left = ("x" if j == 0 else f"x{j + 1}"), j * (width + gap)
        data.append(dict(type="heatmap", name=NAME[k], z=share.T, x=np.array(p.probe_steps),
                         y=np.arange(1, share.shape[1] + 1),
                         coloraxis="coloraxis", xaxis=x_name, yaxis="y",
                         hovertemplate="after %{x} steps, t = %{y}: 10^%{z:.1f} of the largest<extra>"
                                       + NAME[k] + "</extra>"))
        layout["xaxis" if j == 0 else f"xaxis{j + 1}"] = axis("training step", domain=[left, left + width], anchor="y",
                                                              range=span)
        layout["annotations"].append(dict(text=NAME[k], xref="paper", x=left + width / 2, xanchor="center", yref="paper",
                                          y=1.0, yanchor="bottom", showarrow=False, font=dict(size=16, color=COLOR[k])))
    return figure(data, layout)


def map_reading(fig: go.Figure) -> dict:
    """How gradient_maps' figure is to be read, from its own axes and colours (the words under it are
    built from this, so they cannot disagree with the drawing): where the last time step is drawn ("top"
    when t grows upward), which way training runs, and the colour scale's two ends and its floor."""
    y, x = fig.layout.yaxis, fig.layout.xaxis
    t = [np.asarray(tr.y, dtype=float) for tr in fig.data if tr.type == "heatmap"]
    grows_up = y.autorange != "reversed" and (not t or bool(np.all(np.diff(t[0]) > 0)))
    across = "left to right" if x.autorange != "reversed" else "right to left"
    scale = fig.layout.coloraxis
    return {"time_axis": "vertical" if "time step" in (y.title.text or "") else "horizontal",
            "last": "top" if grows_up else "bottom", "first": "bottom" if grows_up else "top",
            "training": across, "floor": float(scale.cmin), "top": float(scale.cmax),
            "low_colour": scale.colorscale[0][1], "high_colour": scale.colorscale[-1][1]}


def clipping_scope(progress: dict[str, Progress], clip: float) -> go.Figure:
    """‖∇θ L‖ before clipping at every step, with the threshold: above the line, the step was scaled
    down to it (Pascanu et al. 2013)."""
    everything = [v for p in progress.values() for v in p.grad_norm]
    finite = sorted(v for v in everything if math.isfinite(v) and v > 0)
    typical = finite[len(finite) // 2] if finite else 1.0
    lo, hi = _edges(everything, min(typical / 10, clip or math.inf), max(clip, typical * 10))
    data, top = [], 10 ** (hi - 0.05)
    for p in progress.values():
        data.append(dict(type="scatter", x=np.arange(1, p.steps + 1), y=_loggable(p.grad_norm), mode="lines",
                         name=NAME[p.kind], line=dict(color=COLOR[p.kind], width=1.5),
                         hovertemplate=f"{NAME[p.kind]}, step %{{x}}: ‖∇θ L‖ = %{{y:.3g}}<extra></extra>"))
        if (boom := _explosions(p, p.grad_norm, top)) is not None:
            data.append(dict(boom, showlegend=False))
    budget = max((p.budget for p in progress.values()), default=1)
    if clip > 0:
        data.append(dict(type="scatter", x=[1, budget], y=[clip, clip], mode="lines", name=f"clipped above {clip:g}",
                         line=dict(color=COLOR["explosion"], dash="dash", width=2), hoverinfo="skip"))
    title = "Clipping scope: ‖∇θ L‖ before clipping" + ("" if clip > 0 else " (clipping is off)")
    return figure(data, base_layout(title=title, height=340, hovermode="closest",
                                    xaxis=axis("training step", range=[0, budget + 1]),
                                    yaxis=axis("‖∇θ L‖ (log scale)", range=[lo, hi], **LOG)))


def sweep_grid(squares: list, lengths) -> go.Figure:
    """Which cell solves which length: one square per (cell, T), its colour the last loss as a share of
    the baseline (log10), its text the step it was solved at (✓) or the share it stayed at (✗)."""
    kinds = list(dict.fromkeys(s.kind for s in squares))
    rows = {k: [s for s in squares if s.kind == k] for k in kinds}
    labels = {k: f"{NAME[k]} ({rows[k][0].parameters:,} weights)" if len({s.parameters for s in rows[k]}) == 1
              else NAME[k] for k in kinds}
    z, text = [], []
    for k in kinds:
        zr, tr = [], []
        for s in rows[k]:
            rel = s.relative
            zr.append(math.log10(min(max(rel, 1e-3), 2.0)) if math.isfinite(rel) else None)
            if s.status == "solved":
                tr.append(f"✓ step {s.solved_at}<br>{s.seconds:.1f} s")
            elif s.status == "waiting":
                tr.append("waiting")
            elif s.status == "running":
                tr.append(f"training…<br>{rel:.0%} of baseline" if math.isfinite(rel) else "training…")
            else:
                tr.append(f"✗ {rel:.0%} of<br>the baseline" if math.isfinite(rel) else "✗ no finite loss")
        z.append(zr)
        text.append(tr)
    x = [f"T = {T}" for T in lengths]
    data = [dict(type="heatmap", z=z, x=x, y=[labels[k] for k in kinds], text=text, texttemplate="%{text}",
                 textfont=dict(size=14), colorscale=colorscale("Cividis"), zmin=-3, zmax=0, xgap=3, ygap=3,
                 colorbar=dict(title=dict(text="loss ÷ baseline"), tickvals=[-3, -2, -1, 0],
                               ticktext=["0.1 %", "1 %", "10 %", "100 %"]),
                 hovertemplate="%{y}, %{x}: %{text}<extra></extra>")]
    return figure(data, base_layout(title="Which cell solves which length", height=120 + 70 * len(kinds),
                                    hovermode="closest", xaxis=axis(side="top", showgrid=False),
                                    yaxis=axis(autorange="reversed", showgrid=False), margin=dict(l=180, r=20, t=90, b=20)))


def inside(r, T: int) -> go.Figure:
    """The trained LSTM on one held-out sequence: what it reads, then the input gate, the forget gate and
    the cell state of the units shown, the marked steps shaded and the stretch to hold across banded."""
    L = len(r.labels)
    t = np.arange(1, L + 1)
    dashes = ("solid", "dash", "dot", "dashdot")
    rows = [("reads xₜ", [0.79, 1.0]), ("input gate", [0.53, 0.75]), ("forget gate", [0.27, 0.49]),
            ("cell state", [0.0, 0.23])]
    layout = base_layout(title="Inside the trained LSTM: one held-out sequence", height=640, hovermode="x unified",
                         xaxis=axis("time step t", anchor="y4", range=[0.5, L + 0.5]), shapes=[])
    for n, (name, dom) in enumerate(rows):
        layout["yaxis" if n == 0 else f"yaxis{n + 1}"] = axis(name, domain=dom, anchor="x",
                                                              **({"range": [-0.05, 1.05]} if n in (1, 2) else {}))
    a, b = r.hold
    if b > a:
        layout["shapes"].append(dict(type="rect", xref="x", x0=a + 0.5, x1=b + 0.5, yref="paper", y0=0, y1=1,
                                     fillcolor=COLOR["bound"], opacity=0.10, line=dict(width=0), layer="below"))
    for m in r.marks:
        layout["shapes"].append(dict(type="rect", xref="x", x0=m + 0.5, x1=m + 1.5, yref="paper", y0=0, y1=1,
                                     fillcolor=COLOR["input"], opacity=0.30, line=dict(width=0), layer="below"))
    marked = set(r.marks)
    if r.values is not None:
        data = [dict(type="bar", x=t, y=r.values, name="value", showlegend=False, yaxis="y",
                     marker=dict(color=[COLOR["input"] if i in marked else COLOR["data"] for i in range(L)]),
                     customdata=r.labels, hovertemplate="reads %{customdata}<extra></extra>")]
    else:
        data = [dict(type="scatter", x=t, y=[0.5] * L, mode="text", text=r.labels, showlegend=False, yaxis="y",
                     textfont=dict(size=13, color=[COLOR["input"] if i in marked else COLOR["data"] for i in range(L)]),
                     hovertemplate="reads %{text}<extra></extra>")]
        layout["yaxis"].update(showticklabels=False, range=[0, 1])
    for j, u in enumerate(r.units):
        style = dict(dash=dashes[j % len(dashes)], width=2.5 if j == 0 else 1.5)
        for n, (series, key) in enumerate(((r.input_gate, "input"), (r.forget_gate, "forget"), (r.cell, "c")), start=2):
            data.append(dict(type="scatter", x=t, y=series[:, j], mode="lines", yaxis=f"y{n}",
                             name=f"unit {u}", legendgroup=f"u{u}", showlegend=n == 2,
                             line=dict(color=COLOR[key], **style),
                             hovertemplate=f"unit {u} {rows[n - 1][0]}: %{{y:.3f}}<extra></extra>"))
    return figure(data, layout)
