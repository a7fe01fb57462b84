"""Figures of the state-space section: data (rnnviz.ssm's results) → plotly figures, no computing beyond
reading them. Built from plain dicts (style.figure); tests rebuild each with plotly's checks.

plane: the eigenvalues λ = exp(Δ·A_n) on the complex plane against the unit circle, each at the end of the
       path it took as Δ grew from 0 (the spiral exp(Δ'A_n), 0 ≤ Δ' ≤ Δ).
gate:  the selective recurrence on a spike among noise, two rows on one time axis t: the input, the gate
       g_t = 1 − Ā_t and the state h_t; and |∂h_T/∂h_t| = ∏_{k>t} Ā_k on a log axis (as the Gradient lab
       draws ‖∂L/∂h_t‖), each beside the same unit with one Δ for every step.
"""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from rnnviz import ssm
from rnnviz.shared.style import COLOR, axis, base_layout, figure

SELECTIVE, STEADY = COLOR["h"], COLOR["bound"]          # the selective state; one Δ for all (grey, dashed)
GATE, DATA = COLOR["input"], COLOR["data"]              # the gate writes, like an input gate; x is given data
PATH = COLOR["input"]          # sky blue: light enough to stay behind the dots, and it reads on the dark theme
LOG = dict(type="log", exponentformat="power")


def _loggable(y: np.ndarray) -> list:
    """Values for a log axis: 0, inf and NaN become gaps."""
    return [float(v) if np.isfinite(v) and v > 0 else None for v in np.asarray(y, dtype=float)]


def plane(A: np.ndarray, delta: float, height: int = 420) -> go.Figure:
    """λ_n = exp(Δ·A_n) for the continuous eigenvalues A (N,), against the unit circle; faint: each λ's path
    as Δ grows from 0 (where every λ = 1) to the slider's value: a spiral in, turning by ω, shrinking by α."""
    theta = np.linspace(0, 2 * np.pi, 73)
    lam = ssm.eigenvalues(A, delta)
    mems = ssm.memories(lam)
    sweep = np.linspace(0, delta, 41)                 # Δ' from 0 (λ = 1) to Δ: the way the slider took it
    px, py = [], []
    for a in A:                                        # all paths in one trace, split by gaps (None)
        path = np.exp(sweep * a)
        px += [*np.round(path.real, 4), None]
        py += [*np.round(path.imag, 4), None]
    said = [f"unit {n}: λ = {m.lam.real:.3f} {m.lam.imag:+.3f}i, |λ| = {abs(m.lam):.3f}<br>"
            f"memory τ = {_steps(m.tau)} steps, period {_steps(m.period)} steps" for n, m in enumerate(mems)]
    data = [dict(type="scatter", x=np.round(np.cos(theta), 4), y=np.round(np.sin(theta), 4), mode="lines",
                 name="unit circle", line=dict(color=COLOR["bound"], dash="dash"), hoverinfo="skip"),
            dict(type="scatter", x=px, y=py, mode="lines", name="path from Δ = 0",
                 line=dict(color=PATH, width=1.5), hoverinfo="skip"),
            dict(type="scatter", x=lam.real, y=lam.imag, mode="markers+text", name=f"λ at Δ = {delta:.2f}",
                 text=[str(n) for n in range(len(A))], textposition="top right",
                 marker=dict(color=COLOR["lstm"], size=10), customdata=said,
                 hovertemplate="%{customdata}<extra></extra>")]
    return figure(data, base_layout(
        title=f"Eigenvalues λ = exp(Δ·A) at Δ = {delta:.2f}", height=height, showlegend=False,   # said in the caption
        hovermode="closest", margin=dict(l=50, r=10, t=50, b=45),
        xaxis=axis("real part", range=[-1.15, 1.15], zeroline=True, dtick=0.5, constrain="domain"),
        yaxis=axis("imaginary part", range=[-1.15, 1.15], zeroline=True, dtick=0.5, scaleanchor="x", scaleratio=1)))


def _steps(x: float) -> str:
    return "∞" if not np.isfinite(x) else (f"{x:.0f}" if x >= 10 else f"{x:.2g}")


def _stems(v: np.ndarray, base: bool = False) -> list:
    """A stem plot as one line: (t, 0) → (t, x_t), then a gap, for every t. x values: each t twice and a gap;
    y values (base=True): 0, x_t and a gap."""
    out: list = []
    for value in v:
        out += [0.0 if base else float(value), float(value), None]
    return out


def gate(sel: ssm.Selective, steady: ssm.Selective, height: int = 440) -> go.Figure:
    """Two rows on one time axis: x_t, the gate g_t = 1 − Ā_t and the states h_t (all between about −0.3 and 1);
    below, |∂h_T/∂h_t| on a log axis. (Two rows, not three: each subplot costs the browser a redraw per move.)"""
    T = len(sel.x)
    t = np.arange(1, T + 1)
    tl = "t = %{x}"
    data = [
        dict(type="scatter", x=_stems(t), y=_stems(np.round(sel.x, 4), base=True), name="input xₜ", mode="lines",
             line=dict(color=DATA, width=3), hoverinfo="skip"),     # one path, not 32 bars; full grey reads on dark
        dict(type="scatter", x=t, y=np.round(sel.write, 5), name="gate gₜ = 1 − Āₜ", mode="lines",
             line=dict(color=GATE, width=2), hovertemplate=tl + ": g = %{y:.3f}<extra></extra>"),
        dict(type="scatter", x=t, y=np.round(sel.h, 5), name="hₜ, selective", mode="lines",
             line=dict(color=SELECTIVE, width=3), hovertemplate=tl + ": h = %{y:.3f}<extra>selective</extra>"),
        dict(type="scatter", x=t, y=np.round(steady.h, 5), name=f"hₜ, one Δ = {steady.delta[0]:.3f}", mode="lines",
             line=dict(color=STEADY, width=2, dash="dash"), hovertemplate=tl + ": h = %{y:.3f}<extra>one Δ</extra>"),
        dict(type="scatter", x=t, y=_loggable(np.abs(sel.grad)), name="|∂h_T/∂h_t| = ∏ Ā_k, selective",
             mode="lines", line=dict(color=SELECTIVE, width=3, shape="hv"), xaxis="x2", yaxis="y2", showlegend=False,
             hovertemplate=tl + ": %{y:.3g}<extra>selective</extra>"),
        dict(type="scatter", x=t, y=_loggable(np.abs(steady.grad)), name="|∂h_T/∂h_t|, one Δ", mode="lines",
             line=dict(color=STEADY, width=2, dash="dash", shape="hv"), xaxis="x2", yaxis="y2", showlegend=False,
             hovertemplate=tl + ": %{y:.3g}<extra>one Δ</extra>"),
    ]
    seen = np.concatenate([np.abs(sel.grad), np.abs(steady.grad)])
    seen = seen[np.isfinite(seen) & (seen > 0)]
    lo = float(np.floor(np.log10(seen.min()))) if seen.size else -3.0
    x_common = dict(range=[0.5, T + 0.5], showgrid=False)
    return figure(data, base_layout(
        title="The input opens the gate", height=height, hovermode="x unified",
        margin=dict(l=60, r=10, t=100, b=45),
        legend=dict(orientation="h", y=1.0, yanchor="bottom", x=0, xanchor="left",     # two entries a row: on
                    entrywidth=0.5, entrywidthmode="fraction"),                       # a phone too (no overlap)
        xaxis=dict(x_common, anchor="y", showticklabels=False),
        xaxis2=axis("time step t", **x_common, anchor="y2", matches="x"),
        yaxis=axis("xₜ, gₜ and hₜ", domain=[0.45, 1.0], range=[-0.35, 1.1]),
        yaxis2=axis("|∂h_T/∂hₜ| (log)", domain=[0.0, 0.36], range=[min(lo, -1.0), 0.3], **LOG)))
