"""Figures of the gradient lab: pure functions from a lab.LabResult to plotly figures (no computing).

Time runs along "steps back from the last step", k = T − t: h_T (where the last loss sits) at k = 0 at
the left, h_1 at k = T − 1 at the right. The gradient travels left to right, so a vanishing gradient draws
a curve that FALLS and an exploding one a curve that rises, as a student expects (on a t = 1…T axis they
would be mirrored: a vanishing gradient rising towards the loss).

Non-finite values (an explosion) and exact zeros cannot sit on a log axis: they are left as gaps and
the explosion is marked with a red line and a label, so the chart says what happened instead of
going blank. The figures are built from plain dicts (style.figure): the lab redraws all five on every
slider move, and plotly's per-property checks would cost more than the computation behind them.
"""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from rnnviz.shared.style import COLOR, MAGNITUDE_SCALE, NAME, axis, base_layout, colorscale, figure
from rnnviz.topics.lab.compute import LabResult

LOG = dict(type="log", exponentformat="power")
BACK = "steps back from the last step, k = T − t"          # the x axis of every chart over time


def steps_back(T: int) -> np.ndarray:
    """k = 0, 1, …, T − 1: the x values; a per-step array a (index t − 1) is drawn as a[::-1]."""
    return np.arange(T)


def _back_axis(T: int, **more) -> dict:
    return axis(f"{BACK}  (h_T at 0, h_1 at {T - 1})", **more)


def _loggable(y: np.ndarray) -> list:
    """Values for a log axis: inf, NaN and 0 become gaps (None)."""
    return [float(v) if np.isfinite(v) and v > 0 else None for v in np.asarray(y, dtype=float)]


def _vline(x: float, text: str) -> tuple[dict, dict]:
    """A dotted red vertical line across the plot at x, and its label at the top (shape, annotation)."""
    line = dict(type="line", xref="x", x0=x, x1=x, yref="paper", y0=0, y1=1,
                line=dict(color=COLOR["explosion"], width=2, dash="dot"))
    label = dict(xref="x", x=x, yref="paper", y=1, xanchor="left", yanchor="top", showarrow=False,
                 text=text, font=dict(color=COLOR["explosion"]))
    return line, label


def _marks(shapes: list[dict], notes: list[dict]) -> dict:
    """Layout entries for lines and labels, left out when there are none (as plotly itself would)."""
    return {k: v for k, v in (("shapes", shapes), ("annotations", notes)) if v}


def grad_norms(res: LabResult, height: int = 430) -> go.Figure:
    """‖∂L/∂h_t‖ against k = T − t steps back for each cell on a log axis, with the RNN's theoretical
    bound; with a loss at every step, also each cell's last-step loss alone (dotted), which the verdicts read.
    `height` is the chart's with one legend row (the page's main view passes what fits one screen)."""
    k, t = steps_back(res.T), np.arange(res.T, 0, -1)                  # x = k, and the t of each point
    every = res.config.loss == "every"
    data, shapes, notes = [], [], []
    rnn = res.results.get("rnn")
    curves = [r.norms for r in res.results.values()] + ([r.travel for r in res.results.values()] if every else [])
    seen = np.concatenate([c[np.isfinite(c) & (c > 0)] for c in curves])
    lo, hi = (np.log10(seen.min()) - 1, np.log10(seen.max()) + 2) if seen.size else (-1.0, 1.0)
    where = dict(customdata=t)
    if rnn is not None and rnn.bound is not None:
        name = "RNN bound Σⱼ (γ·σ_max)^j" if every else "RNN bound (γ·σ_max)^k"
        if np.log10(rnn.bound[0]) > hi:   # frame the measured curves; say where the bound went
            name += f": {rnn.bound[0]:.0e} at k = {res.T - 1}, off the chart"
        data.append(dict(type="scatter", x=k, y=_loggable(rnn.bound[::-1]), name=name, mode="lines",
                         line=dict(color=COLOR["bound"], dash="dash", width=2), **where,
                         hovertemplate="bound %{y:.3g} (h_t at t = %{customdata})<extra></extra>"))
    for kind, r in res.results.items():
        data.append(dict(type="scatter", x=k, y=_loggable(r.norms[::-1]), name=NAME[kind], mode="lines",
                         line=dict(color=COLOR[kind], width=3), **where,
                         hovertemplate=f"{NAME[kind]} ‖∂L/∂h_t‖ = %{{y:.3g}} at t = %{{customdata}}<extra></extra>"))
        if every:
            data.append(dict(type="scatter", x=k, y=_loggable(r.travel[::-1]), name=f"{NAME[kind]}: last step's loss alone",
                             mode="lines", line=dict(color=COLOR[kind], width=2, dash="dot"), **where,
                             hovertemplate=f"{NAME[kind]} ‖∂L_T/∂h_t‖ = %{{y:.3g}} at t = %{{customdata}}<extra></extra>"))
        v = r.verdict
        if v.exploded_at is not None:
            line, label = _vline(res.T - v.exploded_at, f"{NAME[kind]} exploded at step {v.exploded_at}")
            shapes.append(line)
            notes.append(label)
    return figure(data, base_layout(
        title="How much gradient reaches each step: ‖∂L/∂hₜ‖, further and further back",
        height=height + 80 if every else height, **_marks(shapes, notes),   # every: a 4-row legend needs room
        margin=dict(l=60, r=20, t=170 if every else 90, b=50),
        xaxis=_back_axis(res.T), yaxis=axis("‖∂L/∂hₜ‖ (log scale)", range=[lo, hi], **LOG)))


def spectrum(res: LabResult) -> go.Figure:
    """Eigenvalues in the complex plane, with the unit circle: the RNN's whole W_hh, and for the LSTM and
    GRU only their candidate block (W_hg, W_hn; flow.recurrent_matrix): their other blocks feed the gates,
    and their gradient also takes a path no weight matrix multiplies (the forget gate, the update gate)."""
    theta = np.linspace(0, 2 * np.pi, 181)
    data = [dict(type="scatter", x=np.cos(theta), y=np.sin(theta), mode="lines", name="unit circle |λ| = 1",
                 line=dict(color=COLOR["bound"], dash="dash"), hoverinfo="skip")]
    for kind, r in res.results.items():
        label = "W_hh" if kind == "rnn" else ("W_hg" if kind == "lstm" else "W_hn")
        data.append(dict(type="scatter", x=r.eig.real, y=r.eig.imag, mode="markers",
                         name=f"{NAME[kind]} {label} (ρ = {r.radius:.2f})",
                         marker=dict(color=COLOR[kind], size=7, opacity=0.8),
                         hovertemplate="λ = %{x:.3f} %{y:+.3f}i<extra>" + NAME[kind] + "</extra>"))
    lim = max(1.2, 1.1 * max(float(np.max(np.abs(r.eig))) for r in res.results.values()))
    return figure(data, base_layout(
        title="Eigenvalues of W_hh (RNN), W_hg (LSTM), W_hn (GRU)", height=430, hovermode="closest",
        xaxis=axis("real part", range=[-lim, lim], zeroline=True),
        yaxis=axis("imaginary part", range=[-lim, lim], scaleanchor="x", scaleratio=1, zeroline=True)))


def unit_heatmaps(res: LabResult) -> go.Figure:
    """Per-unit gradient magnitude, time × unit, one panel per cell, on one shared log10 colour scale.
    The panels sit side by side on one y axis (unit), each with its own x axis (time)."""
    kinds = list(res.results)
    logs = {}
    for k in kinds:
        u = res.results[k].units[::-1]                                   # (T, H), k = 0 (h_T) first
        with np.errstate(divide="ignore", invalid="ignore"):
            lg = np.log10(u)
        logs[k] = np.where(np.isfinite(lg), lg, np.nan)
    finite = np.concatenate([v[np.isfinite(v)] for v in logs.values()] or [np.zeros(1)])
    lo, hi = (float(np.percentile(finite, 2)), float(np.max(finite))) if finite.size else (-1.0, 0.0)
    back = steps_back(res.T)
    gap, n = 0.03, len(kinds)
    width = (1 - gap * (n - 1)) / n
    data, layout = [], base_layout(
        title="Per unit: log₁₀ |∂L/∂hₜ| (RMS over the batch; blank = 0 or overflow)", height=360,
        hovermode="closest", yaxis=axis("hidden unit", anchor="x"), annotations=[],
        coloraxis=dict(colorscale=colorscale(MAGNITUDE_SCALE), cmin=lo, cmax=hi, colorbar=dict(title=dict(text="log₁₀"))))
    for j, k in enumerate(kinds):
        x_name = "x" if j == 0 else f"x{j + 1}"
        left = j * (width + gap)
        data.append(dict(type="heatmap", z=logs[k].T, x=back, y=np.arange(logs[k].shape[1]), coloraxis="coloraxis",
                         xaxis=x_name, yaxis="y",
                         hovertemplate="k = %{x} steps back, unit %{y}: 10^%{z:.1f}<extra>" + NAME[k] + "</extra>"))
        layout["xaxis" if j == 0 else f"xaxis{j + 1}"] = axis("steps back k", domain=[left, left + width], anchor="y")
        layout["annotations"].append(dict(text=NAME[k], xref="paper", x=left + width / 2, xanchor="center",
                                          yref="paper", y=1.0, yanchor="bottom", showarrow=False,
                                          font=dict(size=16)))
    return figure(data, layout)


def lstm_memory(res: LabResult) -> go.Figure:
    """The LSTM's cell-state gradient ‖∂L/∂c_t‖ beside its hidden-state gradient and the share of c_t
    that survives the k forget gates after it to the last step, Π_{s>t} f_s (second y axis, at the right)."""
    r = res.results["lstm"]
    k = steps_back(res.T)
    data = [dict(type="scatter", x=k, y=_loggable(r.norms[::-1]), name="‖∂L/∂hₜ‖", mode="lines",
                 line=dict(color=COLOR["lstm"], width=3)),
            dict(type="scatter", x=k, y=_loggable(r.c_norms[::-1]), name="‖∂L/∂cₜ‖ (cell state)", mode="lines",
                 line=dict(color=COLOR["c"], width=3)),
            dict(type="scatter", x=k, y=_loggable(r.survival[::-1]),
                 name="mean Π fₛ over the k later steps (forget gates only)",
                 mode="lines", line=dict(color=COLOR["forget"], width=2, dash="dot"), yaxis="y2")]
    surv = r.survival[np.isfinite(r.survival) & (r.survival > 0)]
    if surv.size and surv.min() > 1e-2:    # under two decades: a linear 0..1 axis reads better
        share = axis("surviving share", type="linear", range=[0, 1.05])
    else:
        share = axis("surviving share (log)", **LOG)
    return figure(data, base_layout(
        title=f"LSTM memory: mean forget gate f = {r.forget_mean:.2f}", height=380,
        xaxis=_back_axis(res.T, domain=[0, 0.94]), yaxis=axis("gradient norm", **LOG),   # room for y2
        yaxis2=dict(share, overlaying="y", side="right", showgrid=False, tickmode="auto")))   # own ticks, not the left axis grid


def _short(v: float) -> str:
    """A bar label narrow enough for its bar: 15.5, 0.0123, 2.4e8 (not 2.35e+08, which runs into the next)."""
    text = f"{v:.3g}"
    if "e" not in text:
        return text
    mantissa, exponent = f"{v:.2g}".split("e")
    return f"{mantissa}e{int(exponent)}"


def clipping(res: LabResult) -> go.Figure:
    """‖∂L/∂θ‖ for each cell before and after norm clipping (log scale)."""
    kinds = list(res.results)
    names = [NAME[k] for k in kinds]
    raw = [res.results[k].grad_norm for k in kinds]
    clipped = [res.results[k].clipped_norm for k in kinds]
    label = [("overflow (inf/NaN)" if not np.isfinite(v) else _short(v)) for v in raw]
    clabel = [("NaN: cannot clip an overflow" if not np.isfinite(v) else _short(v)) for v in clipped]
    bar = dict(type="bar", x=names, textposition="outside", cliponaxis=False)
    data = [dict(bar, y=_loggable(raw), name="raw ‖∂L/∂θ‖", text=label, marker=dict(color=[COLOR[k] for k in kinds])),
            dict(bar, y=_loggable(clipped), name="after clipping", text=clabel, marker=dict(color=COLOR["clipped"]))]
    shapes, notes = [], []
    thr = res.config.clip
    if thr:                                # a dashed line across, named in the legend (a label would sit on a bar)
        line = dict(color=COLOR["explosion"], dash="dash")
        shapes.append(dict(type="line", xref="paper", x0=0, x1=1, yref="y", y0=thr, y1=thr, line=line))
        data.append(dict(type="scatter", x=[None], y=[None], mode="lines", line=line, name=f"threshold c = {thr:g}"))
    for name, v in zip(names, raw):
        if not np.isfinite(v):
            notes.append(dict(x=name, y=0, yref="paper", yanchor="bottom", showarrow=False,
                              text="✕ overflow<br>(inf/NaN)", font=dict(color=COLOR["explosion"])))
    return figure(data, base_layout(
        title="Gradient of all weights, raw and clipped" if thr else "Gradient of all weights (clipping is off)",
        barmode="group", height=380, hovermode="closest", **_marks(shapes, notes),
        yaxis=axis("‖∂L/∂θ‖ (log scale)", **LOG)))


def depth_map(results: dict, T: int) -> go.Figure:
    """The stacked lab (depth.DepthResult per cell kind): log₁₀ ‖∂L/∂h_t^(l)‖ as a (layer × steps back) map, one
    panel per cell, stacked one above the other on one shared time axis and one shared colour scale (side by
    side, three panels crushed the time axis on a phone). In each panel layer 1 is at the bottom (it reads x)
    and layer L at the top (the loss reads it): the loss sits at the top left (k = 0, layer L) and x₁ enters at
    the bottom right (k = T − 1, layer 1), so the gradient travels from one corner to the other (the y ticks
    name both rows). Blank cells are 0 or inf/NaN; an overflow is named over its panel, in red."""
    kinds = list(results)
    L = next(iter(results.values())).L
    logs = {}
    for k in kinds:
        with np.errstate(divide="ignore", invalid="ignore"):
            lg = np.log10(results[k].norms[:, ::-1])                   # (L, T), k = 0 (h_T) first
        logs[k] = np.where(np.isfinite(lg), lg, np.nan)
    finite = np.concatenate([v[np.isfinite(v)] for v in logs.values()])
    lo, hi = (float(np.percentile(finite, 2)), float(np.max(finite))) if finite.size else (-1.0, 0.0)
    back, layers = steps_back(T), np.arange(1, L + 1)
    gap, n = 0.09, len(kinds)
    tall = (1 - gap * (n - 1)) / n                                     # each panel's share of the height
    data, layout = [], base_layout(
        title=f"‖∂L/∂hₜ⁽ˡ⁾‖ at every layer and step, L = {L}",
        height=150 + n * (40 + 26 * L), hovermode="closest", showlegend=False, annotations=[],
        xaxis=axis(_back_axis(T)["title"]["text"], anchor=f"y{n}" if n > 1 else "y"),   # under the last panel
        margin=dict(l=60, r=20, t=60, b=50),
        coloraxis=dict(colorscale=colorscale(MAGNITUDE_SCALE), cmin=lo, cmax=hi,
                       colorbar=dict(title=dict(text="log₁₀<br>(blank:<br>0 or inf)"), thickness=14)))
    for j, k in enumerate(kinds):
        y_name, top = ("y" if j == 0 else f"y{j + 1}"), 1 - j * (tall + gap)
        data.append(dict(type="heatmap", z=logs[k], x=back, y=layers, coloraxis="coloraxis", xaxis="x", yaxis=y_name,
                         hovertemplate="layer %{y}, k = %{x} steps back: 10^%{z:.1f}<extra>" + NAME[k] + "</extra>"))
        layout["yaxis" if j == 0 else f"yaxis{j + 1}"] = axis(
            None, domain=[round(max(top - tall, 0.0), 6), round(top, 6)], anchor="x", tickvals=layers, ticktext=_layer_ticks(L),
            range=[0.5, L + 0.5], automargin=True)
        bad = results[k].exploded
        what = "" if bad is None else "h" if bad[0] == "forward" else "gradient"
        title = NAME[k] if bad is None else f"{NAME[k]}: {what} overflowed at l = {bad[1]}, t = {bad[2]}"
        layout["annotations"].append(dict(text=title, xref="paper", x=0, xanchor="left", yref="paper", y=top,
                                          yanchor="bottom", showarrow=False,
                                          font=dict(size=14, **({"color": COLOR["explosion"]} if bad else {}))))
    return figure(data, layout)


def _layer_ticks(L: int) -> list[str]:
    """Layer numbers, the top one marked as the loss's and the bottom one as the input's."""
    if L == 1:
        return ["1: x in, loss out"]
    return ["1: x in"] + [str(layer) for layer in range(2, L)] + [f"{L}: loss"]
