"""Figures of the gradient lab: pure functions from a lab.LabResult to plotly figures (no computing).

Non-finite values (an explosion) and exact zeros cannot sit on a log axis: they are left as gaps and
the explosion is marked with a red line and a label, so the chart says what happened instead of
going blank.
"""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from rnnviz.figures.style import COLOR, MAGNITUDE_SCALE, NAME, base_layout
from rnnviz.lab import LabResult


def _loggable(y: np.ndarray) -> list:
    """Values for a log axis: inf, NaN and 0 become gaps (None)."""
    return [float(v) if np.isfinite(v) and v > 0 else None for v in np.asarray(y, dtype=float)]


def grad_norms(res: LabResult) -> go.Figure:
    """‖∂L/∂h_t‖ against t for each cell on a log axis, with the RNN's theoretical bound."""
    t = np.arange(1, res.T + 1)
    fig = go.Figure()
    rnn = res.results.get("rnn")
    seen = np.concatenate([r.norms[np.isfinite(r.norms) & (r.norms > 0)] for r in res.results.values()])
    lo, hi = (np.log10(seen.min()) - 1, np.log10(seen.max()) + 2) if seen.size else (-1.0, 1.0)
    if rnn is not None and rnn.bound is not None:
        name = "RNN bound (γ·σ_max)^(T−t)"
        if np.log10(rnn.bound[0]) > hi:   # frame the measured curves; say where the bound went
            name += f": {rnn.bound[0]:.0e} at t=1, off the chart"
        fig.add_trace(go.Scatter(
            x=t, y=_loggable(rnn.bound), name=name, mode="lines",
            line=dict(color=COLOR["bound"], dash="dash", width=2),
            hovertemplate="bound %{y:.3g}<extra></extra>"))
    for kind, r in res.results.items():
        fig.add_trace(go.Scatter(
            x=t, y=_loggable(r.norms), name=NAME[kind], mode="lines",
            line=dict(color=COLOR[kind], width=3),
            hovertemplate=f"{NAME[kind]} ‖∂L/∂h_t‖ = %{{y:.3g}}<extra></extra>"))
        v = r.verdict
        if v.exploded_at is not None:
            fig.add_vline(x=v.exploded_at, line=dict(color=COLOR["explosion"], width=2, dash="dot"),
                          annotation_text=f"{NAME[kind]} exploded at step {v.exploded_at}",
                          annotation_font_color=COLOR["explosion"], annotation_position="top left")
    fig.update_yaxes(range=[lo, hi])
    fig.update_layout(**base_layout(
        title="How much gradient reaches each step: ‖∂L/∂hₜ‖",
        xaxis_title="time step t  (the loss sits at the right; gradients flow leftwards)",
        yaxis_title="‖∂L/∂hₜ‖ (log scale)", height=430))
    fig.update_yaxes(type="log", exponentformat="power")
    return fig


def spectrum(res: LabResult) -> go.Figure:
    """Eigenvalues of each cell's recurrent matrix in the complex plane, with the unit circle."""
    fig = go.Figure()
    theta = np.linspace(0, 2 * np.pi, 181)
    fig.add_trace(go.Scatter(x=np.cos(theta), y=np.sin(theta), mode="lines", name="unit circle |λ| = 1",
                             line=dict(color=COLOR["bound"], dash="dash"), hoverinfo="skip"))
    for kind, r in res.results.items():
        label = "W_hh" if kind == "rnn" else ("W_hg" if kind == "lstm" else "W_hn")
        fig.add_trace(go.Scatter(
            x=r.eig.real, y=r.eig.imag, mode="markers", name=f"{NAME[kind]} {label} (ρ = {r.radius:.2f})",
            marker=dict(color=COLOR[kind], size=7, opacity=0.8),
            hovertemplate="λ = %{x:.3f} %{y:+.3f}i<extra>" + NAME[kind] + "</extra>"))
    lim = max(1.2, 1.1 * max(float(np.max(np.abs(r.eig))) for r in res.results.values()))
    fig.update_layout(**base_layout(title="Eigenvalues of the recurrent matrix", height=430,
                                    xaxis_title="real part", yaxis_title="imaginary part",
                                    hovermode="closest"))
    fig.update_xaxes(range=[-lim, lim], zeroline=True)
    fig.update_yaxes(range=[-lim, lim], scaleanchor="x", scaleratio=1, zeroline=True)
    return fig


def unit_heatmaps(res: LabResult) -> go.Figure:
    """Per-unit gradient magnitude, time × unit, one panel per cell, on one shared log10 colour scale."""
    kinds = list(res.results)
    fig = make_subplots(rows=1, cols=len(kinds), shared_yaxes=True, horizontal_spacing=0.03,
                        subplot_titles=[NAME[k] for k in kinds])
    logs = {}
    for k in kinds:
        u = res.results[k].units                                         # (T, H)
        with np.errstate(divide="ignore", invalid="ignore"):
            lg = np.log10(u)
        logs[k] = np.where(np.isfinite(lg), lg, np.nan)
    finite = np.concatenate([v[np.isfinite(v)] for v in logs.values()] or [np.zeros(1)])
    lo, hi = (float(np.percentile(finite, 2)), float(np.max(finite))) if finite.size else (-1.0, 0.0)
    t = np.arange(1, res.T + 1)
    for j, k in enumerate(kinds, start=1):
        fig.add_trace(go.Heatmap(
            z=logs[k].T, x=t, y=np.arange(logs[k].shape[1]), zmin=lo, zmax=hi, coloraxis="coloraxis",
            hovertemplate="step %{x}, unit %{y}: 10^%{z:.1f}<extra>" + NAME[k] + "</extra>"),
            row=1, col=j)
        fig.update_xaxes(title_text="time step t", row=1, col=j)
    fig.update_yaxes(title_text="hidden unit", row=1, col=1)
    fig.update_layout(**base_layout(title="Per unit: log₁₀ |∂L/∂hₜ| (RMS over the batch; blank = 0 or overflow)",
                                    height=360, hovermode="closest"),
                      coloraxis=dict(colorscale=MAGNITUDE_SCALE, colorbar=dict(title="log₁₀")))
    return fig


def lstm_memory(res: LabResult) -> go.Figure:
    """The LSTM's cell-state gradient ‖∂L/∂c_t‖ beside its hidden-state gradient and the share of c_t
    that survives the forget gates to the last step, Π_{s>t} f_s."""
    r = res.results["lstm"]
    t = np.arange(1, res.T + 1)
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    fig.add_trace(go.Scatter(x=t, y=_loggable(r.norms), name="‖∂L/∂hₜ‖", line=dict(color=COLOR["lstm"], width=3)))
    fig.add_trace(go.Scatter(x=t, y=_loggable(r.c_norms), name="‖∂L/∂cₜ‖ (cell state)",
                             line=dict(color=COLOR["c"], width=3)))
    fig.add_trace(go.Scatter(x=t, y=_loggable(r.survival), name="mean Π_{s>t} fₛ (forget gates only)",
                             line=dict(color=COLOR["forget"], width=2, dash="dot")), secondary_y=True)
    fig.update_layout(**base_layout(title=f"LSTM memory: mean forget gate f = {r.forget_mean:.2f}",
                                    xaxis_title="time step t", height=380))
    fig.update_yaxes(type="log", exponentformat="power", title_text="gradient norm", secondary_y=False)
    surv = r.survival[np.isfinite(r.survival) & (r.survival > 0)]
    if surv.size and surv.min() > 1e-2:    # under two decades: a linear 0..1 axis reads better
        fig.update_yaxes(type="linear", range=[0, 1.05], title_text="surviving share", secondary_y=True,
                         showgrid=False)
    else:
        fig.update_yaxes(type="log", exponentformat="power", title_text="surviving share (log)",
                         secondary_y=True, showgrid=False)
    return fig


def clipping(res: LabResult) -> go.Figure:
    """‖∂L/∂θ‖ for each cell before and after norm clipping (log scale)."""
    kinds = list(res.results)
    raw = [res.results[k].grad_norm for k in kinds]
    clipped = [res.results[k].clipped_norm for k in kinds]
    label = [("overflow (inf/NaN)" if not np.isfinite(v) else f"{v:.3g}") for v in raw]
    clabel = [("NaN: cannot clip an overflow" if not np.isfinite(v) else f"{v:.3g}") for v in clipped]
    fig = go.Figure([
        go.Bar(x=[NAME[k] for k in kinds], y=_loggable(raw), name="raw ‖∂L/∂θ‖", text=label,
               marker_color=[COLOR[k] for k in kinds]),
        go.Bar(x=[NAME[k] for k in kinds], y=_loggable(clipped), name="after clipping", text=clabel,
               marker_color=COLOR["clipped"]),
    ])
    thr = res.config.clip
    if thr:
        fig.add_hline(y=thr, line=dict(color=COLOR["explosion"], dash="dash"),
                      annotation_text=f"threshold {thr:g}")
    for k, v in zip(kinds, raw):
        if not np.isfinite(v):
            fig.add_annotation(x=NAME[k], y=0, yref="paper", yanchor="bottom", showarrow=False,
                               text="💥 overflow<br>(inf/NaN)", font=dict(color=COLOR["explosion"]))
    fig.update_traces(textposition="outside", cliponaxis=False)
    fig.update_layout(**base_layout(title="Gradient of all weights, raw and clipped" if thr else
                                    "Gradient of all weights (clipping is off)", barmode="group",
                                    height=380, hovermode="closest", yaxis_title="‖∂L/∂θ‖ (log scale)"))
    fig.update_yaxes(type="log", exponentformat="power")
    return fig
