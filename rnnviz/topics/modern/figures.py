"""Figures of the Modern RNNs page: data → plotly figure, no computing.

    starts_chart(e, minimal)     # h_t and the update gate z_t (= a_t) from two starting states, GRU or minGRU
    tree_chart(tree)             # the parallel scan for T = 8: every round's (A, B) at every position
    costs_chart(costs)           # sequential depth, memory per token and work against T: RNN, attention, linear RNN
"""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from rnnviz.shared.style import COLOR, PENDING, axis, base_layout, figure
from rnnviz.topics.modern.compute import KINDS, LABEL, Costs, Example, Tree

KIND_COLOR = {"rnn": COLOR["rnn"], "attention": COLOR["winner"], "linear": COLOR["kept"]}
START_DASH = ("solid", "dot")                 # from h_0 = 0, from the other h_0
BOX, BOX_TEXT = "#D4E6F4", "#1A1A1A"          # the scan's boxes: opaque (the lines pass behind), dark text on
                                              # a light fill, readable in both themes


def _units(ys: np.ndarray) -> tuple[list, list]:
    """(x, y) of every unit's line in one trace, separated by None (one trace draws faster than three)."""
    T, H = ys.shape
    xs, out = [], []
    for i in range(H):
        xs += [*range(1, T + 1), None]
        out += [*map(float, ys[:, i]), None]
    return xs, out


def starts_chart(e: Example, minimal: bool, height: int = 340) -> go.Figure:
    """Top: every unit's h_t; below: its update gate z_t (the minGRU's a_t). Solid from h_0 = 0, dotted from
    the other h_0. The minGRU's gates read x_t alone, so its two gate lines lie on each other."""
    name = "minGRU" if minimal else "GRU"
    runs = ((e.min_h, e.a), (e.min_h_alt, e.a_alt)) if minimal else ((e.gru_h, e.gru_z), (e.gru_h_alt, e.gru_z_alt))
    data = []
    for (h, z), dash, start in zip(runs, START_DASH, ("h₀ = 0", "other h₀")):
        for ys, color, what, yaxis in ((h, COLOR["h"], "h_t", "y"), (z, COLOR["update"], "z_t", "y2")):
            x, y = _units(ys)
            data.append(dict(type="scatter", mode="lines", x=x, y=y, yaxis=yaxis, name=f"{what}, {start}",
                             line=dict(color=color, dash=dash, width=2.5 if dash == "solid" else 2),
                             hovertemplate=f"{what} ({start}), t = %{{x}}: %{{y:.3f}}<extra></extra>"))
    layout = base_layout(f"{name}: states and update gates from two starts", height=height,
                         hovermode="closest", margin=dict(l=60, r=15, t=75, b=55),
                         xaxis=axis("time step t", range=[0.5, e.T + 0.5], anchor="y2"),
                         yaxis=axis("state h_t", domain=[0.45, 1.0], zeroline=True, anchor="x"),
                         yaxis2=axis("gate z_t" + (" = a_t" if minimal else ""), domain=[0.0, 0.32], range=[0, 1.02],
                                     anchor="x"))
    return figure(data, layout)


def tree_chart(t: Tree, height: int = 460) -> go.Figure:
    """Rows: the inputs (a_t, b_t), then each round; columns: positions 1..8. A grey line keeps a pair where it
    is; a coloured line brings the pair 2^k to the left, composed in front of it. The last row's B is h_t."""
    T, R = len(t.loop), t.rounds
    own_x, own_y, read_x, read_y = [], [], [], []
    for k, reads in enumerate(t.reads):
        for pos, src in enumerate(reads):
            own_x += [pos + 1, pos + 1, None]
            own_y += [k, k + 1, None]
            if src >= 0:
                read_x += [src + 1, pos + 1, None]
                read_y += [k, k + 1, None]
    node_x, node_y, text, hover = [], [], [], []
    for k, (A, B) in enumerate(t.rows):
        for pos in range(T):
            first = max(1, pos + 2 - 2 ** k)          # after round k, position t covers steps t − 2^k + 1 … t
            span = f"steps {first}–{pos + 1}" if first < pos + 1 else f"step {pos + 1}"
            node_x.append(pos + 1)
            node_y.append(k)
            text.append(f"A {A[pos]:.2f}<br>B {B[pos]:+.2f}")
            hover.append(f"{'input' if k == 0 else f'after round {k}'}, position {pos + 1} ({span}): "
                         f"A = {A[pos]:.4f}, B = {B[pos]:+.4f}")
    data = [dict(type="scatter", mode="lines", x=own_x, y=own_y, name="keeps its pair",
                 line=dict(color=PENDING, width=1.5), hoverinfo="skip"),
            dict(type="scatter", mode="lines", x=read_x, y=read_y, name="takes in the pair 1, 2, 4, … positions back",
                 line=dict(color=COLOR["update"], width=2.5), hoverinfo="skip"),
            dict(type="scatter", mode="markers+text", x=node_x, y=node_y, text=text, textposition="middle center",
                 textfont=dict(size=11, color=BOX_TEXT), marker=dict(size=52, symbol="square", color=BOX,
                                                                     line=dict(color=COLOR["kept"], width=1)),
                 hovertext=hover, hovertemplate="%{hovertext}<extra></extra>", showlegend=False)]
    rows = ["inputs (a_t, b_t)", *(f"round {k}: {2 ** k} steps" for k in range(1, R + 1))]
    layout = base_layout(f"The parallel scan of {T} steps: {R} rounds", height=height, hovermode="closest",
                         margin=dict(l=120, r=30, t=80, b=45),
                         xaxis=axis("position t", tickmode="array", tickvals=list(range(1, T + 1)), range=[0.4, T + 0.6],
                                    showgrid=False, zeroline=False),
                         yaxis=axis(None, tickmode="array", tickvals=list(range(R + 1)), ticktext=rows,
                                    autorange="reversed", showgrid=False, zeroline=False))
    return figure(data, layout)


PANELS = (("depth", "steps that wait for each other", "training on T tokens"),
          ("memory", "numbers kept per layer", "to write token T + 1"),
          ("work", "multiply-adds per layer", "to read T tokens"))


def costs_chart(c: Costs, height: int = 380) -> go.Figure:
    """Three panels side by side, each against T on log axes: sequential depth, memory per token, work."""
    data, layout = [], base_layout("As the sequence grows: what each kind of layer costs (d = 64)", height=height,
                                   hovermode="x unified", margin=dict(l=55, r=15, t=95, b=50))
    gap = 0.1
    width = (1 - 2 * gap) / 3
    for p, (what, y_title, when) in enumerate(PANELS):
        ax = "" if p == 0 else str(p + 1)
        for kind in KINDS:
            data.append(dict(type="scatter", mode="lines+markers", x=c.T.tolist(), y=getattr(c, what)[kind].tolist(),
                             xaxis=f"x{ax}", yaxis=f"y{ax}", name=LABEL[kind], legendgroup=kind, showlegend=p == 0,
                             line=dict(color=KIND_COLOR[kind], width=2.5, dash="dot" if kind == "linear" else "solid"),
                             marker=dict(size=5),
                             hovertemplate=f"{LABEL[kind]}: %{{y:,.0f}}<extra></extra>"))
        left = p * (width + gap)
        layout[f"xaxis{ax}"] = axis(f"T tokens ({when})", type="log", domain=[left, left + width], anchor=f"y{ax}",
                                    dtick=1, exponentformat="power")
        layout[f"yaxis{ax}"] = axis(y_title, type="log", anchor=f"x{ax}", exponentformat="power")
    return figure(data, layout)
