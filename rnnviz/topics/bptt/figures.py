"""Figures of the BPTT lesson: pure functions from a bptt_lesson.Lesson (and a step) to plotly figures.

Figures that follow the backward pass keep their axes fixed for every step (ranges from all steps),
so that while Play animates, the bars move and the frame stays still; the one exception is the
unit-by-unit view of a single step, scaled to that step so its numbers stay legible (its neighbour
compares sizes across steps). Steps not yet reached by the backward pass (s < t) are left out or grey.

Each figure is built in one go from plain dicts (style.figure), shapes in the layout, data as NumPy
arrays (one copy in Figure.to_dict, sent base64-encoded): these figures are redrawn on every rerun and
at every step of Play, plotly's update_layout / add_hline calls cost ~8× more than one Figure(data,
layout), and its per-property checks in go.Figure / go.Scatter / go.Bar were a quarter to a third of
the page's rerun (the page's seven figures: ~50 ms to build with them, ~10–14 ms without). So every
key is spelt as plotly.js reads it; tests/topics/bptt/test_figures_bptt.py rebuilds each figure with full
validation and requires the same JSON.
"""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from rnnviz.topics.bptt.compute import Lesson, Truncation, kept_pairs
from rnnviz.shared.style import COLOR, NAME, PENDING, axis, base_layout, colorscale, figure

# What the backward pass has not reached yet: solid grey, which reads on the light and the dark page (3.5:1
# and 5.5:1, style.contrast). It was the share colour at 25 % opacity: 1.6:1 on the dark page (1.2:1 on white).
NOT_REACHED = PENDING
# What it has reached: a step's share of ∂L/∂W_hh, the sky blue of COLOR["share"] darkened so the bars read on
# both pages too (4.3:1 on white and 4.4:1 on the dark page; the sky blue was 2.3:1 on white), and stay apart
# from the grey of the steps not reached yet by their hue.
SHARE = "#1F7FC0"
_SUB = str.maketrans("0123456789t+−-", "₀₁₂₃₄₅₆₇₈₉ₜ₊₋₋")


def sub(index: object) -> str:
    """A subscript in plain text (plotly draws no LaTeX here): sub("t+1") == "ₜ₊₁", sub(12) == "₁₂"."""
    return str(index).translate(_SUB)


def _steps_axis(T: int, title: str | None = None, **more) -> dict:
    """An x axis over the steps 1..T."""
    return axis(title, range=[0.4, T + 0.6], dtick=1 if T <= 20 else 5, **more)


def _top(values: np.ndarray, pad: float = 1.12) -> float:
    top = float(np.nanmax(values)) if np.size(values) else 0.0
    return top * pad if top > 0 else 1.0


def _hline(y: float, color: str, width: float = 1, dash: str = "solid", yref: str = "y") -> dict:
    return dict(type="line", xref="paper", x0=0, x1=1, yref=yref, y0=y, y1=y,
                line=dict(color=color, width=width, dash=dash))


def _label(x: float, y: float, text: str, xref: str = "paper", yref: str = "y", **more) -> dict:
    return dict(x=x, y=y, xref=xref, yref=yref, text=text, showarrow=False, **more)


def _scatter(x, y, name: str, hovertemplate: str, **more) -> dict:
    return dict(type="scatter", x=x, y=y, name=name, hovertemplate=hovertemplate, **more)


def _bar(x, y, name: str, hovertemplate: str, color: str, **marker) -> dict:
    """A bar trace in one colour; further keywords are marker properties (opacity, pattern)."""
    return dict(type="bar", x=x, y=y, name=name, hovertemplate=hovertemplate, marker=dict(color=color, **marker))


def forward(lesson: Lesson) -> go.Figure:
    """Targets x_{t+1} and predictions y_t (top), the loss L_t of each step (bottom), one x axis."""
    T, t = lesson.T, np.arange(1, lesson.T + 1)
    # the error of each step, a thin segment from y_t to x_{t+1} (None: a gap between segments)
    err_x = [v for s in t.tolist() for v in (s, s, None)]
    err_y = [v for y, x in zip(lesson.y.tolist(), lesson.target.tolist()) for v in (y, x, None)]
    data = [
        dict(type="scatter", x=err_x, y=err_y, mode="lines", name="error yₜ − xₜ₊₁", hoverinfo="skip",
             line=dict(color=COLOR["loss"], width=2, dash="dot")),
        _scatter(t, lesson.target, "target xₜ₊₁ (the next value)",
                 "target xₜ₊₁ = %{y:.3g}<extra>step %{x}</extra>", mode="lines+markers",
                 line=dict(color=COLOR["data"], width=2), marker=dict(size=8)),
        _scatter(t, lesson.y, "prediction yₜ", "prediction yₜ = %{y:.3g}<extra>step %{x}</extra>",
                 mode="lines+markers", line=dict(color=COLOR["prediction"], width=3),
                 marker=dict(size=8, symbol="diamond")),
        dict(_bar(t, lesson.losses, "loss Lₜ = ½(yₜ − xₜ₊₁)²", "Lₜ = %{y:.3g}<extra>step %{x}</extra>",
                  COLOR["loss"]), xaxis="x2", yaxis="y2"),
    ]
    return figure(data, base_layout(
        title=f"Forward: a prediction and a loss at every step (total L = {lesson.total_loss:.4g})", height=470,
        xaxis=_steps_axis(T, anchor="y", showticklabels=False),
        xaxis2=_steps_axis(T, "step t  (the model has read x₁ … xₜ and predicts xₜ₊₁)", anchor="y2", matches="x"),
        yaxis=axis("value", domain=[0.45, 1.0]),
        yaxis2=axis("Lₜ", domain=[0.0, 0.36], rangemode="tozero")))


def backward_so_far(lesson: Lesson, t: int, height: int = 400) -> go.Figure:
    """‖ℓ_s‖, ‖from the future‖ and ‖δh_s‖ for the steps s ≥ t the backward pass has reached (`height`: the
    page's main view passes what fits one screen beside the step control)."""
    T, steps = lesson.T, np.arange(1, lesson.T + 1)
    parts = lesson.part_norms()
    reached = steps >= t
    data = [_bar(steps[reached], parts[key][reached], name, name + " = %{y:.3g}<extra>step %{x}</extra>", color)
            for key, name, color in (("local", "‖ℓₜ‖ local loss", COLOR["loss"]),
                                     ("future", "‖from the future‖", COLOR["future"]),
                                     ("dh", "‖δhₜ‖ total", COLOR[lesson.config.kind]))]
    where = f"now at t = {t}" if t > 1 else "done: t = 1"
    return figure(data, base_layout(
        title=f"The gradient reaching each hₜ so far ({where})", height=height, barmode="group", bargap=0.25,
        xaxis=_steps_axis(T, "step t  (the backward pass runs right to left)"),
        yaxis=axis("norm", range=[0, _top(np.concatenate(list(parts.values())))]),
        shapes=[dict(type="rect", xref="x", yref="paper", x0=t - 0.5, x1=t + 0.5, y0=0, y1=1, layer="below",
                     fillcolor=COLOR["future"], opacity=0.12, line=dict(width=0))]))


def parts_at_step(lesson: Lesson, t: int) -> go.Figure:
    """δh_t unit by unit: ℓ_t and the future's part as stacked bars, their sum as a diamond."""
    i, H = t - 1, lesson.local.shape[1]
    units = np.arange(1, H + 1)
    local, future, dh = lesson.local[i], lesson.future[i], lesson.dh[i]
    data = [
        _bar(units, local, f"ℓ{sub(t)} (local loss)", "ℓ = %{y:.3g}<extra>unit %{x}</extra>", COLOR["loss"]),
        _bar(units, future, f"from step {t + 1}" if t < lesson.T else "from the future (none at t = T)",
             "from the future = %{y:.3g}<extra>unit %{x}</extra>", COLOR["future"]),
        _scatter(units, dh, f"δh{sub(t)} = the sum", "δh = %{y:.3g}<extra>unit %{x}</extra>", mode="markers",
                 marker=dict(color=COLOR[lesson.config.kind], size=13, symbol="diamond",
                             line=dict(width=1.5, color="white"))),
    ]
    # this step's own scale (the chart to its left compares sizes across steps), symmetric about 0
    pos = np.maximum(local, 0) + np.maximum(future, 0)   # the stacks' extent
    neg = np.minimum(local, 0) + np.minimum(future, 0)
    lim = _top(np.abs(np.concatenate([pos, neg, dh])), 1.15)
    return figure(data, base_layout(
        title=f"At t = {t}: δh{sub(t)} = ℓ{sub(t)} + from the future, unit by unit", height=400,
        barmode="relative", hovermode="closest",
        xaxis=axis("hidden unit", dtick=1, range=[0.4, H + 0.6]),
        yaxis=axis("value (axis scaled to this step)", range=[-lim, lim], exponentformat="power"),
        shapes=[_hline(0, COLOR["data"])]))


def whh_shares(lesson: Lesson, t: int) -> go.Figure:
    """Each step's share of ∂L/∂W_hh (bars) and the running sum from T down to t, against the full norm."""
    T, steps = lesson.T, np.arange(1, lesson.T + 1)
    share, running, full = lesson.share_norms(), lesson.running_norms(), lesson.whh_norm
    reached = steps >= t
    data = [
        _bar(steps[reached], share[reached], "‖step t's share δzₜ hₜ₋₁ᵀ‖", "share = %{y:.3g}<extra>step %{x}</extra>",
             SHARE),
        _bar(steps[~reached], share[~reached], "not reached yet", "share = %{y:.3g}<extra>step %{x}</extra>",
             NOT_REACHED),
        _scatter(steps[reached], running[reached], "‖running sum of the shares, from T down to t‖",
                 "‖running sum‖ = %{y:.3g}<extra>step %{x}</extra>", mode="lines+markers",
                 line=dict(color=COLOR["running"], width=3), marker=dict(size=8)),
    ]
    title = (f"∂L/∂Wₕₕ adds up step by step: at t = {t} the running sum's norm is "
             f"{running[t - 1] / full:.0%} of the full one" if full > 0 else "∂L/∂Wₕₕ adds up step by step")
    return figure(data, base_layout(
        title=title, height=400, barmode="overlay",          # two bar traces, one bar per step
        xaxis=_steps_axis(T, "step t  (step 1's share is 0 because h₀ = 0)"),
        yaxis=axis("norm", range=[0, _top(np.concatenate([share, running, [full]]), 1.2)]),
        shapes=[_hline(full, COLOR["running"], 2, "dash")],
        annotations=[_label(0, full, f"full ‖∂L/∂Wₕₕ‖ = {full:.3g}", xanchor="left", yanchor="bottom")]))


def distance(lesson: Lesson, trunc: Truncation) -> go.Figure:
    """∂L/∂W_hh split by how far its gradient travelled: the window k keeps d < k, cuts the rest."""
    T, k, d = lesson.T, trunc.k, np.arange(lesson.T)
    kept, dist = d < k, lesson.distance_norms()
    hover = "‖part‖ = %{y:.3g}<extra>d = %{x}</extra>"
    data = [_bar(d[kept], dist[kept], "kept by the window", hover, SHARE),
            _bar(d[~kept], dist[~kept], "thrown away by truncation", hover, COLOR["truncated"],
                 pattern=dict(shape="/"))]
    return figure(data, base_layout(
        title=f"What a sliding window of k = {k} keeps (d < {k}) and cuts", height=420, barmode="overlay",
        hovermode="closest",
        xaxis=axis("d: how many steps the gradient travelled back to reach Wₕₕ", range=[-0.6, T - 0.4],
                   dtick=1 if T <= 20 else 5),
        yaxis=axis("norm of the part", rangemode="tozero")))


SCHEME_NAME = {"sliding": "sliding window", "chunks": "chunks + detach"}


def window_curve(lesson: Lesson, k: int, curves: dict[str, tuple[np.ndarray, np.ndarray]]) -> go.Figure:
    """Cosine (solid) and norm ratio (dashed) of the truncated ∂L/∂W_hh against the full one, for every
    k = 1..T, one colour per scheme: curves[scheme] = (cosine, ratio). At k = T both are the full gradient."""
    T = lesson.T
    ks = np.arange(1, T + 1)
    data, values = [], []
    for scheme, (cos, rat) in curves.items():
        name, color = SCHEME_NAME[scheme], COLOR[scheme]
        short = name.split(" ")[0]                             # "sliding", "chunks": the legend stays two rows
        data += [_scatter(ks, cos, f"{short}: cosine", "cos = %{y:.3f}<extra>" + name + ", k = %{x}</extra>",
                          mode="lines+markers", line=dict(color=color, width=3)),
                 _scatter(ks, rat, f"{short}: ‖truncated‖/‖full‖", "ratio = %{y:.3f}<extra>" + name +
                          ", k = %{x}</extra>", mode="lines+markers", line=dict(color=color, width=2, dash="dash"),
                          marker=dict(symbol="square", size=6))]
        values += [cos, rat]
    x = min(k, T)
    low = float(np.nanmin(np.concatenate(values + [[0.0]])))
    high = float(np.nanmax(np.concatenate(values + [[1.0]])))
    return figure(data, base_layout(
        title="Truncated vs full ∂L/∂Wₕₕ, for every k", height=440, margin=dict(l=60, r=20, t=120, b=50),
        xaxis=axis("k  (at k = T both keep all of ∂L/∂Wₕₕ)", range=[0.5, T + 0.5], dtick=1 if T <= 20 else 5),
        yaxis=dict(range=[low - 0.05, max(1.05, high * 1.05)]),
        shapes=[_hline(1, COLOR["truncated"]),
                dict(type="line", xref="x", x0=x, x1=x, yref="paper", y0=0, y1=1,
                     line=dict(color=COLOR["truncated"], width=2, dash="dot"))],
        annotations=[_label(x, 0, f" k = {k}", xref="x", yref="paper", xanchor="left", yanchor="bottom")]))


def truncated_dh(lesson: Lesson, truncs: list[Truncation]) -> go.Figure:
    """‖δh_t‖ per step with full BPTT and with each truncation (one per scheme, the same k)."""
    T, steps = lesson.T, np.arange(1, lesson.T + 1)
    k = truncs[0].k
    data = [_scatter(steps, lesson.part_norms()["dh"], "full BPTT",
                     "full ‖δhₜ‖ = %{y:.3g}<extra>step %{x}</extra>", mode="lines+markers",
                     line=dict(color=COLOR[lesson.config.kind], width=3), marker=dict(size=8))]
    for tr, symbol in zip(truncs, ("square", "diamond")):
        name = SCHEME_NAME[tr.scheme]
        data.append(_scatter(steps, tr.dh_norms(), f"{name}, k = {tr.k}",
                             name + " ‖δhₜ‖ = %{y:.3g}<extra>step %{x}</extra>", mode="lines+markers",
                             line=dict(color=COLOR[tr.scheme], width=3, dash="dash"), marker=dict(size=8, symbol=symbol)))
    return figure(data, base_layout(
        title=f"‖∂L/∂hₜ‖ per step: full vs truncated (k = {k}, {NAME[lesson.config.kind]})", height=420,
        xaxis=_steps_axis(T, "step t"), yaxis=axis("‖∂L/∂hₜ‖", rangemode="tozero")))


def kept_map(lesson: Lesson, k: int) -> go.Figure:
    """Which pieces of ∂L/∂W_hh each scheme keeps: one panel per scheme, x = the loss L_s that sent the
    gradient, y = the step t where it met W_hh, colour = log10 of the piece's norm; kept pieces in colour,
    cut ones grey. Pieces with t > s do not exist (a loss never reaches the future)."""
    T = lesson.T
    steps = np.arange(1, T + 1)
    with np.errstate(divide="ignore"):
        logs = np.log10(lesson.pair_norms)                     # (t, s); −inf where the piece is 0
    exists = np.triu(np.ones((T, T), bool)) & np.isfinite(logs)
    finite = logs[exists]
    lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (-1.0, 0.0)
    if hi <= lo:
        lo = hi - 1.0
    gap, width = 0.08, 0.46
    data, layout = [], base_layout(
        title=f"Which pieces of ∂L/∂Wₕₕ each way keeps at k = {k} (grey: cut)", height=430, hovermode="closest",
        yaxis=axis("step t where Wₕₕ was used (t = 1: 0, as h₀ = 0)", range=[T + 0.5, 0.5], dtick=1 if T <= 20 else 5, anchor="x"),
        annotations=[], coloraxis=dict(colorscale=colorscale("Blues"), cmin=lo, cmax=hi,
                                       colorbar=dict(title=dict(text="log₁₀ ‖piece‖"))))
    for j, scheme in enumerate(("sliding", "chunks")):
        keep = kept_pairs(T, k, scheme) & exists
        cut = exists & ~keep
        x_name = "x" if j == 0 else "x2"
        hover = "loss L_%{x}, step %{y}: 10^%{z:.1f}<extra>" + SCHEME_NAME[scheme] + "</extra>"
        data.append(dict(type="heatmap", z=np.where(keep, logs, np.nan), x=steps, y=steps, coloraxis="coloraxis",
                         xaxis=x_name, yaxis="y", hovertemplate=hover, name=f"{SCHEME_NAME[scheme]}: kept"))
        data.append(dict(type="heatmap", z=np.where(cut, 1.0, np.nan), x=steps, y=steps, showscale=False,
                         colorscale=[[0, COLOR["truncated"]], [1, COLOR["truncated"]]], xaxis=x_name, yaxis="y",
                         hoverinfo="skip", name=f"{SCHEME_NAME[scheme]}: cut", opacity=0.45))
        left = j * (width + gap)
        layout["xaxis" if j == 0 else "xaxis2"] = axis("loss L_s that sent it", domain=[left, left + width],
                                                      anchor="y", dtick=1 if T <= 20 else 5)
        layout["annotations"].append(dict(text=SCHEME_NAME[scheme], xref="paper", x=left + width / 2,
                                          xanchor="center", yref="paper", y=1.0, yanchor="bottom",
                                          showarrow=False, font=dict(size=15, color=COLOR[scheme])))
    return figure(data, layout)
