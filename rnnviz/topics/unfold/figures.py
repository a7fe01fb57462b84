"""Figures of the unfolded-RNN lesson: pure functions from the core's data to plotly figures.

Text a student typed reaches these figures as labels; plotly renders some HTML tags inside labels, so
every such label goes through `_safe` (html.escape) first.

The figures are built from plain dicts (style.figure), without plotly's per-property checks: the page
redraws the diagram, an equation line and the path on every step and every control move, and those
checks (with add_trace / update_layout / make_subplots) took over half of its rerun, far more than the
unfolding itself. tests/topics/unfold/test_figures_unfold.py rebuilds each figure with the checks and requires the
same JSON.
"""
from __future__ import annotations

import html

import numpy as np
import plotly.graph_objects as go
from plotly.colors import get_colorscale, sample_colorscale

from rnnviz.shared.style import COLOR, NAME, SIGNED_SCALE, axis, base_layout, colorscale, figure
from rnnviz.topics.unfold.compute import Intervention, Unfolded
from rnnviz.topics.unfold.step import Line

WINDOW = 12                       # the diagram shows at most this many copies of the cell
LINE_COLOR = {"hidden": COLOR["h"], "c": COLOR["c"]}
OPS = {r"\odot": "⊙", r"\tanh": "tanh", r"\sigma": "σ", r"\mathrm{relu}": "relu"}
SCALE = colorscale(SIGNED_SCALE)   # the heatmaps' scale, spelt out as plotly's own check spells it


def _safe(text: str) -> str:
    """User text as a plotly label: escaped, and a space made visible."""
    return html.escape(text, quote=True).replace(" ", "␣") if text.strip() else "␣" * len(text)


def _sub(symbol: str, t: int) -> str:
    """A LaTeX symbol as a plotly label at step t: W_{if} → W<sub>if</sub>, h_{t-1} → h<sub>4</sub>."""
    base, _, sub = symbol.partition("_")
    sub = sub.strip("{}").replace("t-1", str(t - 1)).replace("t", str(t)) if sub in ("t", "{t-1}") else sub.strip("{}")
    return f"{base}<sub>{sub}</sub>"


def _op(latex: str) -> str:
    for k, v in OPS.items():
        latex = latex.replace(k, v)
    return " ".join(latex.split())


# ----- the unrolled network -------------------------------------------------------------------------
def _note(x, y, text, **kw) -> dict:
    return dict(x=x, y=y, text=text, showarrow=False, **kw)


def _text(x, y, text, size, color=None, position="middle center") -> dict:
    """Labels as one scatter trace of text (no markers, no hover): plotly draws a trace's texts in one pass,
    where each layout annotation is a group of its own, measured and placed one by one (70 of them made
    the diagram the slowest thing on the page to redraw at every step)."""
    return dict(type="scatter", x=x, y=y, text=text, mode="text", textposition=position, showlegend=False,
                hoverinfo="skip", cliponaxis=False,            # a label at the edge is drawn whole, as before
                textfont=dict(size=size, **({"color": color} if color is not None else {})))


def _arrows(segments, color: str, width: float) -> dict:
    """Arrows as one line trace: each segment ((x0, y0), (x1, y1)) a line ending in an arrowhead (a marker
    turned along the line: angleref "previous"), segments apart by a gap (None)."""
    x, y, size = [], [], []
    for (x0, y0), (x1, y1) in segments:
        x += [x0, x1, None]
        y += [y0, y1, None]
        size += [0, 8 + 2 * width, 0]
    return dict(type="scatter", x=x, y=y, mode="lines+markers", showlegend=False, hoverinfo="skip",
                line=dict(color=color, width=width),
                marker=dict(symbol="arrow", angleref="previous", size=size, color=color))


DEPTH = 1.3                       # between two layers' rows, in data units (a box is 0.64 tall)
HEIGHT = (250, 280, 300, 320)     # the diagram's height in pixels for L = 1..4: a deep grid packs its rows closer,
                                  # so the step control and the grid still fit one screen (1280×720 presenting)


def unrolled(u: Unfolded, t: int, clamp_step: int | None = None, clamp_label: str = "") -> go.Figure:
    """The cell copied once per step, x_k below, h_k above, h_{k-1} → h_k along; step t highlighted,
    the shared weights W named in every copy, h_k drawn as its H values (colour = value). A stack of L layers
    (u.layers) is a time × depth grid: row l holds layer l's copies, each reading h_{k-1} from its left and
    h_k of the row below (x_k for row 1), with its own W^(l). The boxes and the squares are shapes below the
    traces (they keep their size in data units); every label is a point of a text trace and the arrows are
    line traces, so the whole diagram is a dozen traces and no annotation. The first trace, invisible, carries
    the hover text of each h_k of layer 1; one more per layer above it comes last."""
    lo = max(1, min(t - WINDOW // 2, u.T - WINDOW + 1))
    hi = min(u.T, lo + WINDOW - 1)
    kc, scale, w = COLOR[u.kind], get_colorscale(SIGNED_SCALE), 0.64 / u.H
    ks = list(range(lo, hi + 1))
    read = [k for k in ks if k <= t]
    deep = u.L > 1
    bottom = (-0.88, -1.22, -1.38) if deep else (-0.92, -1.12, -1.25)   # the inputs' row, x_k's, the frame's edge
    shapes, labels, hovers, up = [], [], [], []
    along_read, along_ahead = [((lo - 0.8, 0), (lo - 0.42, 0))], []
    for layer in u.layers:
        y = (layer.layer - 1) * DEPTH                                  # the row's centre
        for k in ks:
            now, seen = k == t, k <= t
            shapes.append(dict(type="rect", layer="below", x0=k - 0.36, x1=k + 0.36, y0=y - 0.32, y1=y + 0.32,
                               fillcolor=kc if now else "rgba(0,0,0,0)",
                               line=dict(color=kc if seen else COLOR["bound"], width=4 if now else 1.5,
                                         dash="solid" if seen else "dot")))
            if seen:                              # h_k as a strip of H coloured squares, with values on hover
                colors = sample_colorscale(scale, list((np.clip(layer.h[k - 1], -1, 1) + 1) / 2))
                shapes += [dict(type="rect", layer="below", x0=k - 0.32 + j * w, x1=k - 0.32 + (j + 1) * w,
                                y0=y + 0.48, y1=y + 0.7, fillcolor=col, line=dict(color=COLOR["h"], width=1))
                           for j, col in enumerate(colors)]
        w_label = "<b>W</b>" + (f"<sup>({layer.layer})</sup>" if deep else "")
        labels.append(_text(ks, [y + 0.05] * len(ks), [w_label] * len(ks), 14 if deep else 16,
                            ["white" if k == t else kc for k in ks]))
        if layer.layer == 1:                      # a grid's boxes are too short for "#k": x_k below numbers them
            labels += [] if deep else [
                _text([k for k in ks if k != t], [-0.17] * (len(ks) - 1), [f"#{k}" for k in ks if k != t], 11),
                _text([t], [-0.17], [f"{NAME[u.kind]} #{t}"], 11, "white")]
            labels += [_text(ks, [bottom[0]] * len(ks), [f"<b>{_safe(u.seq.labels[k - 1])}</b>" for k in ks], 15),
                       _text(ks, [bottom[1]] * len(ks), [f"x<sub>{k}</sub>" for k in ks], 12)]
        top = layer.layer == u.L                                       # h labels above the top row (below, arrows)
        sup = f"<sup>({layer.layer})</sup>" if deep else ""
        start = "h<sub>0</sub> = 0" if lo == 1 else f"h<sub>{lo - 1}</sub> …"
        first = not deep                          # a grid's row names stand where the start label was
        labels.append(_text((read if top else []) + [lo - 0.66] * first,
                            [y + 0.86] * (len(read) if top else 0) + [y + 0.19] * first,
                            ([f"h<sub>{k}</sub>" for k in read] if top else []) + [start] * first, 13, COLOR["h"]))
        if layer.layer > 1:
            along_read.append(((lo - 0.8, y), (lo - 0.42, y)))
            up += [((k, y - DEPTH + 0.72), (k, y - 0.34)) for k in ks]    # h_k of the row below → this copy
        along_read += [((k + 0.37, y), (k + 0.63, y)) for k in ks[:-1] if k < t]
        along_ahead += [((k + 0.37, y), (k + 0.63, y)) for k in ks[:-1] if k >= t]
        hovers.append(dict(type="scatter", x=ks, y=[y + 0.59] * len(ks), mode="markers",
                           marker=dict(size=1, opacity=0), showlegend=False,
                           customdata=[", ".join(f"{v:+.2f}" for v in layer.h[k - 1]) if k <= t else "not yet read"
                                       for k in ks],
                           hovertemplate=f"h<sub>%{{x}}</sub>{sup} = (%{{customdata}})<extra></extra>"))
    height = (u.L - 1) * DEPTH
    if clamp_step is not None and lo <= clamp_step <= hi:          # (in layer 1; above the grid, where it is free)
        labels.append(_text([clamp_step], [1.08 + height], [f"<b>✂ {clamp_label}</b>" + (" (layer 1)" if deep else "")],
                            13, COLOR["explosion"]))
    if hi < u.T:
        labels.append(_text([hi + 0.5], [height / 2], [f"… {u.T - hi} more"], 13, position="middle right"))
    arrows = [_arrows([((k, bottom[0] + 0.14), (k, -0.34)) for k in ks] + up, COLOR["bound"], 1.5),   # x_k, h_k below → cell
              _arrows(along_read, COLOR["h"], 2),                                              # h_k passed on
              _arrows(along_ahead, COLOR["bound"], 2)]
    # a grid names its rows on the left (tick labels); one layer needs no name
    rows = dict(visible=True, showgrid=False, zeroline=False, showline=False, ticks="", fixedrange=True,
                tickvals=[k * DEPTH for k in range(u.L)],
                ticktext=[f"layer {k}" + ("<br>h<sub>0</sub> = 0" if lo == 1 else "") for k in range(1, u.L + 1)],
                tickfont=dict(size=11, color=kc)) if deep else dict(visible=False)
    layout = base_layout(height=HEIGHT[u.L - 1], margin=dict(l=56 if deep else 10, r=10, t=10, b=10), showlegend=False,
                         hovermode="closest", shapes=shapes, xaxis=dict(visible=False, range=[lo - 0.85, hi + 1.3]),
                         yaxis=dict(range=[bottom[2], 1.18 + height], **rows))
    return figure(hovers[:1] + arrows + labels + hovers[1:], layout)


# ----- one equation line as heatmaps ----------------------------------------------------------------
def equation_line(line: Line, t: int) -> go.Figure:
    """Line `line` at step t as heatmaps in reading order (W_if · x_t + b_if + ... = σ(pre) = f_t), each
    cell showing its value; one colour scale for all (−1 blue, 0 white, +1 red; beyond ±1 saturates)."""
    panels = [(op.value, _sub(op.symbol, t), op.symbol) for op in line.operands]
    gaps = [_op(b) for b in line.between[:-1]]
    tail = _op(line.between[-1])
    if line.activation:
        panels.append((line.pre, "pre-<br>activation", "pre"))
        gaps.append(f"{tail} = {_op(line.activation)}(")
        tail = ")"
    panels.append((line.value, f"<b>{_sub(line.symbol + '_t', t)}</b>", line.symbol))
    gaps.append(f"{tail} =")
    gaps = [g if g or k == 0 else "·" for k, g in enumerate(gaps)]      # nothing between W and a vector: a product
    widths = [p[0].shape[1] if p[0].ndim == 2 else 1 for p in panels]
    gap_w = [0.0 if not g else 0.7 + 0.42 * len(g.strip()) for g in gaps]
    total = max(sum(widths) + sum(gap_w) + 0.2, 18.0)         # a short line keeps square cells, left-aligned
    rows = max(p[0].shape[0] for p in panels)
    traces, notes, axes, pos = [], [], {}, 0.0
    for n, ((z, title, sym), w, g, gw) in enumerate(zip(panels, widths, gaps, gap_w), start=1):
        if g:
            notes.append(_note((pos + gw / 2) / total, 1 - len(line.value) / 2 / rows, g.strip(), xref="paper",
                               yref="paper", font=dict(size=16)))
        pos += gw
        z = z if z.ndim == 2 else z[:, None]                                  # vectors stand as columns
        ax = "" if n == 1 else str(n)
        traces.append(dict(type="heatmap", z=z, zmin=-1, zmax=1, colorscale=SCALE, showscale=False, xgap=2,
                           ygap=2, texttemplate="%{z:.2f}", textfont=dict(size=12), xaxis=f"x{ax}", yaxis=f"y{ax}",
                           hovertemplate=f"{sym} [%{{y}}, %{{x}}] = %{{z:.4f}}<extra></extra>"))
        axes[f"xaxis{ax}"] = dict(domain=[pos / total, (pos + w) / total], visible=False, range=[-0.5, w - 0.5])
        axes[f"yaxis{ax}"] = dict(visible=False, range=[rows - 0.5, -0.5], anchor=f"x{ax}")
        notes.append(_note((pos + w / 2) / total, 1.0, title, xref="paper", yref="paper", yanchor="bottom",
                           font=dict(size=13)))
        pos += w
    frame = {}                                    # no shapes at all, as plotly leaves it, unless clamped
    if line.clamped:                              # frame the forced value, in the value panel (the last)
        j = line.clamped[0] - 1
        frame["shapes"] = [dict(type="rect", xref=f"x{ax}", yref=f"y{ax}", x0=-0.5, x1=0.5, y0=j - 0.5, y1=j + 0.5,
                                line=dict(color=COLOR["explosion"], width=3))]
        notes[-1]["text"] += " ✂"
    layout = base_layout(height=62 + 34 * rows, margin=dict(l=4, r=4, t=46, b=4), showlegend=False,
                         hovermode="closest", annotations=notes, **frame, **axes)
    return figure(traces, layout)


# ----- the path of the hidden state ------------------------------------------------------------------
def state_path(u: Unfolded, t: int) -> go.Figure:
    """(h_t[0], h_t[1]) from h_0 to h_T: solid up to step t, dotted after; step t marked."""
    h = np.vstack([u.h0, u.h])[:, :2]                                         # (T+1, 2)
    labels = ["h₀ (start)"] + [f"h{k}: read “{_safe(s)}”" for k, s in enumerate(u.seq.labels, start=1)]
    point = "%{text}<br>(%{x:.3f}, %{y:.3f})<extra></extra>"
    data = [dict(type="scatter", x=h[t:, 0], y=h[t:, 1], mode="lines+markers", name="still to read",
                 line=dict(color=COLOR["bound"], dash="dot", width=1.5), marker=dict(size=5, color=COLOR["bound"]),
                 text=labels[t:], hovertemplate=point),
            dict(type="scatter", x=h[:t + 1, 0], y=h[:t + 1, 1], mode="lines+markers", name="read so far",
                 line=dict(color=COLOR["h"], width=3), marker=dict(size=7, color=COLOR["h"]),
                 text=labels[:t + 1], hovertemplate=point),
            dict(type="scatter", x=[h[t, 0]], y=[h[t, 1]], mode="markers+text", name=f"h<sub>{t}</sub>, now",
                 marker=dict(size=18, color=COLOR[u.kind], line=dict(width=2, color="white")),
                 text=[f"h<sub>{t}</sub>"], textposition="top center", textfont=dict(size=14), hoverinfo="skip")]
    units = " (its 2 units)" if u.H == 2 else f" (units 1 and 2 of {u.H})"
    r = max(0.25, 1.2 * float(np.abs(h).max()))            # the whole run, so the frame holds still while playing
    return figure(data, base_layout(
        title="The hidden state's path" + units, height=420, hovermode="closest",
        xaxis=axis("unit 1 of h<sub>t</sub>", range=[-r, r], zeroline=True),
        yaxis=axis("unit 2 of h<sub>t</sub>", range=[-r, r], zeroline=True, scaleanchor="x", scaleratio=1)))


# ----- the intervention ------------------------------------------------------------------------------
GAP = 0.08                        # between the two panels of the intervention, in paper units
LOW = (1 - GAP) * 0.45            # the height of its lower panel (the upper one takes the rest)


def intervention(iv: Intervention, gate: str, unit: int, step: int, value: float) -> go.Figure:
    """The clamped unit's h (and c) in the free and the clamped run, and the largest change over all units
    (log scale: a change that is exactly 0, as before the clamp, draws no bar). Two panels on one step axis,
    laid out as make_subplots(rows=2, shared_xaxes=True, vertical_spacing=GAP, row_heights=[.55, .45]) would."""
    steps = np.arange(1, iv.original.T + 1)
    series = [("h", iv.original.h, iv.clamped.h)] + ([("c", iv.original.c, iv.clamped.c)] if iv.dc is not None else [])
    data = []
    for q, a, b in series:
        data += [dict(type="scatter", x=steps, y=a[:, unit - 1], name=f"{q}<sub>t</sub> free", mode="lines+markers",
                      line=dict(color=COLOR[q], width=3), xaxis="x", yaxis="y"),
                 dict(type="scatter", x=steps, y=b[:, unit - 1], name=f"{q}<sub>t</sub> clamped", mode="lines+markers",
                      line=dict(color=COLOR[q], width=3, dash="dash"), marker=dict(symbol="x", size=9),
                      xaxis="x", yaxis="y")]
    for q, d in [("h", iv.dh), ("c", iv.dc)]:
        if d is not None:
            data.append(dict(type="bar", x=steps, y=np.where(d > 0, d, np.nan), name=f"max |Δ{q}<sub>t</sub>|",
                             marker=dict(color=COLOR[q]), opacity=0.75, xaxis="x2", yaxis="y2",
                             hovertemplate=f"step %{{x}}: max |Δ{q}| = %{{y:.2e}}<extra></extra>"))
    clamp = [dict(type="line", xref=x, x0=step, x1=step, yref=f"{y} domain", y0=0, y1=1,   # in both panels
                  line=dict(color=COLOR["explosion"], width=2, dash="dot")) for x, y in (("x", "y"), ("x2", "y2"))]
    return figure(data, base_layout(
        title=f"✂ The {gate} gate of unit {unit} forced to {value:g} at step {step}", height=520, barmode="group",
        hovermode="x unified", shapes=clamp,
        xaxis=dict(anchor="y", domain=[0.0, 1.0], matches="x2", showticklabels=False),
        yaxis=axis(f"unit {unit}", anchor="x", domain=[LOW + GAP, 1.0]),
        xaxis2=axis("time step t", anchor="y2", domain=[0.0, 1.0], dtick=1 if len(steps) <= 20 else 5),
        yaxis2=axis("max |Δ|", anchor="x2", domain=[0.0, LOW], type="log", dtick=1, exponentformat="power")))
