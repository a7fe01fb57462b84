"""Figures of the date-translation demo (encoder–decoder): the encoder's states per character, the context
vector c, the decoder's distribution at every step, the beam search as a tree, and the scoreboard.

    encoder_states(shown, states, units)          # unit × character heatmap; the last column is c
    context(c, units)                             # c as bars, one per unit
    decoder_steps(symbols, probs, chosen)         # symbol × step tiles coloured by p, the chosen one ringed
    beam_tree(beam, symbols)                      # nodes = partial answers with Σ log p; kept, dropped, winner
    scoreboard(metrics)                           # exact match and per-character accuracy against the baseline

Typed characters are escaped here (plotly reads <b>, <br> and entities in text and hover labels), and a
space is drawn ␣.
"""
from __future__ import annotations

import html

import numpy as np
import plotly.graph_objects as go

from rnnviz.shared.style import COLOR, MAGNITUDE_SCALE, SIGNED_SCALE, axis, base_layout, colorscale, figure
from rnnviz.topics.dates.decoding import Beam


def shown(ch: str) -> str:
    return html.escape("␣" if ch == " " else ch, quote=False)


def strongest_units(c: np.ndarray, n: int | None) -> np.ndarray:
    """The n units with the largest |c| (all units when n is None), in unit order."""
    if n is None or n >= len(c):
        return np.arange(len(c))
    return np.sort(np.argsort(-np.abs(c), kind="stable")[:n])


def encoder_states(chars: list[str], states: np.ndarray, units: np.ndarray, height: int = 420) -> go.Figure:
    """Columns: the characters read (x_t); rows: hidden units; colour: h_t of that unit. The last column is c."""
    T = len(chars)
    labels = [shown(ch) for ch in chars]
    z = states[:, units].T                                                   # (U, T)
    hover = [[f"after “{labels[t]}” (t = {t + 1}), unit {u}: h = {z[r, t]:+.3f}" for t in range(T)]
             for r, u in enumerate(units)]
    heat = dict(type="heatmap", x=list(range(1, T + 1)), y=[str(u) for u in units], z=z, zmin=-1, zmax=1,
                colorscale=colorscale(SIGNED_SCALE), hovertext=hover, hovertemplate="%{hovertext}<extra></extra>",
                colorbar=dict(title=dict(text="h_t"), thickness=12))
    layout = base_layout(f"The encoder's state h_t after each character ({len(units)} of {states.shape[1]} units)",
                         height=height, hovermode="closest", margin=dict(l=60, r=20, t=60, b=50),
                         xaxis=axis("character read", tickmode="array", tickvals=list(range(1, T + 1)),
                                    ticktext=labels, showgrid=False, tickangle=0),
                         yaxis=axis("unit", type="category", showgrid=False),
                         annotations=[dict(x=T, y=1.0, yref="paper", xref="x", yanchor="bottom", text="c = h_T",
                                           showarrow=False, font=dict(color=COLOR["context"], size=13))])
    layout["shapes"] = [dict(type="rect", x0=T - 0.5, x1=T + 0.5, y0=0, y1=1, xref="x", yref="paper",
                             line=dict(color=COLOR["context"], width=3), fillcolor="rgba(0,0,0,0)")]
    return figure([heat], layout)


def context(c: np.ndarray, units: np.ndarray, height: int = 420) -> go.Figure:
    """c, the encoder's last state, unit by unit (the same units and order as the heatmap's rows)."""
    bar = dict(type="bar", orientation="h", y=[str(u) for u in units], x=c[units], marker=dict(color=COLOR["context"]),
               hovertemplate="unit %{y}: c = %{x:+.3f}<extra></extra>")
    layout = base_layout(f"Context vector c ({len(c)} numbers)", height=height, hovermode="closest", showlegend=False,
                         margin=dict(l=50, r=10, t=60, b=50), xaxis=axis("c", range=[-1.05, 1.05], zeroline=True),
                         yaxis=axis("unit", type="category", showgrid=False))
    return figure([bar], layout)


def decoder_steps(symbols: list[str], probs: np.ndarray, chosen: list[int], height: int = 400) -> go.Figure:
    """Columns: the decoder's steps k; rows: the symbols it can write; colour: p(y_k = symbol | y_<k, x).
    The symbol greedy chose is ringed; the column is labelled with it.

    Drawn as one scatter of square tiles (one per symbol and step, coloured by p, its percentage written on it
    where p ≥ 5%), not a plotly heatmap: a heatmap is painted on a canvas and encoded as an image on every
    redraw, which took a browser 4–7× longer than this (issue 22: a typed date redraws this chart). Trace 0's
    marker colours are p, row by row (rows: the y axis's categoryarray; columns: steps 1..K)."""
    rows = [i for i, s in enumerate(symbols) if i >= 2 and not s.startswith("<")]     # not <pad>, <s>
    K = len(chosen)
    z = probs[:, rows].T                                                                # (V', K)
    names = [shown(symbols[i]) for i in rows]
    hover = [f"step {k + 1}: p(“{names[r]}”) = {z[r, k]:.3g}" for r in range(len(rows)) for k in range(K)]
    text = [f"{100 * z[r, k]:.0f}" if z[r, k] >= 0.05 else "" for r in range(len(rows)) for k in range(K)]
    cell = max(6.0, min(24.0, 0.92 * (height - 110) / max(len(rows), 1)))          # a tile's side, in pixels
    tiles = dict(type="scatter", mode="markers+text", name="p", x=np.tile(np.arange(1, K + 1), len(rows)),
                 y=np.repeat(names, K), text=text, textposition="middle center",
                 textfont=dict(size=max(7, min(11, int(cell * 0.55))),
                               color=["#111111" if p >= 0.5 else "#FFFFFF" for p in z.ravel()]),
                 hovertext=hover, hovertemplate="%{hovertext}<extra></extra>",
                 marker=dict(symbol="square", size=cell, color=z.ravel(), cmin=0, cmax=1,
                             colorscale=colorscale(MAGNITUDE_SCALE), line=dict(width=0),
                             colorbar=dict(title=dict(text="p"), thickness=12)))
    mark = dict(type="scatter", mode="markers", x=list(range(1, K + 1)), y=[shown(symbols[t]) for t in chosen],
                hoverinfo="skip", name="chosen",
                marker=dict(symbol="square-open", size=cell + 4, color=COLOR["prediction"], line=dict(width=3)))
    layout = base_layout("The decoder, step by step: p(next symbol) in %, greedy's choice ringed", height=height,
                         hovermode="closest", showlegend=False, margin=dict(l=60, r=20, t=60, b=50),
                         xaxis=axis("output step k (the symbol written)", tickmode="array",
                                    tickvals=list(range(1, K + 1)), range=[0.4, K + 0.6],
                                    ticktext=[f"{k + 1}: {shown(symbols[t])}" for k, t in enumerate(chosen)],
                                    showgrid=False, zeroline=False),
                         yaxis=axis("next symbol", type="category", categoryorder="array", categoryarray=names,
                                    autorange="reversed", showgrid=False))
    return figure([tiles, mark], layout)


def beam_tree(beam: Beam, symbols: list[str], rows: int | None = None) -> go.Figure:
    """x: the step; y: each step's candidates, best first. Every candidate is a dot labelled with its symbol
    (hover: the partial answer and Σ log p); lines join it to the answer it extends. Filled: kept in the
    beam; hollow: dropped; the winner's path thick. The root (start) is at step 0. Each step makes up to
    width² candidates: only the best `rows` of each step are drawn (default 2 × width; all kept ones are
    among them, since the kept ones are the best `width`)."""
    rows = rows or 2 * beam.width
    rank: dict[int, int] = {}
    for step in {n.step for n in beam.nodes}:
        ordered = sorted((n for n in beam.nodes if n.step == step), key=lambda n: (-n.logp, n.id))
        rank.update({n.id: r for r, n in enumerate(ordered)})
    drawn = [n for n in beam.nodes if rank[n.id] < rows]
    hidden = len(beam.nodes) - len(drawn)
    pos = lambda n: (n.step, rank[n.id]) if n is not None else (0, 0)        # noqa: E731
    data = []
    for kind, color, width in (("dropped", "#9E9E9E", 1), ("kept", COLOR["kept"], 2), ("winner", COLOR["winner"], 5)):
        xs, ys = [], []
        for n in drawn:
            if (kind == "winner") != n.winner or (kind == "kept") != (n.kept and not n.winner):
                continue
            (x0, y0), (x1, y1) = pos(beam.nodes[n.parent] if n.parent >= 0 else None), pos(n)
            xs += [x0, x1, None]
            ys += [y0, y1, None]
        data.append(dict(type="scatter", mode="lines", x=xs, y=ys, name=kind, hoverinfo="skip",
                         line=dict(color=color, width=width), showlegend=False))
    for kind, color, symbol, pick, where in (        # the winner's row is the top one: its labels go above it
            ("dropped", "#9E9E9E", "circle-open", lambda n: not n.kept, "middle right"),
            ("kept in the beam", COLOR["kept"], "circle", lambda n: n.kept and not n.winner, "middle right"),
            ("the winner's path", COLOR["winner"], "circle", lambda n: n.winner, "top center")):
        nodes = [n for n in drawn if pick(n)]
        data.append(dict(type="scatter", mode="markers+text", name=kind, x=[pos(n)[0] for n in nodes],
                         y=[pos(n)[1] for n in nodes], text=[shown(symbols[n.token]) for n in nodes],
                         textposition=where, textfont=dict(size=14 if where == "top center" else 12),
                         hovertext=[f"“{shown(n.prefix)}”{' + end' if n.finished else ''}: Σ log p = {n.logp:.3f}"
                                    for n in nodes], hovertemplate="%{hovertext}<extra></extra>",
                         marker=dict(symbol=symbol, size=9, color=color, line=dict(color=color, width=1.5))))
    data.append(dict(type="scatter", mode="markers+text", x=[0], y=[0], text=["start"], textposition="middle left",
                     marker=dict(size=11, color=COLOR["context"]), hovertemplate="start: s₀ = c<extra></extra>",
                     name="start", showlegend=False))
    steps = max((n.step for n in beam.nodes), default=1)
    depth = max((rank[n.id] for n in drawn), default=0)
    note = f" ({hidden} weaker candidates not drawn)" if hidden else ""
    layout = base_layout(f"Beam search, width {beam.width}: the winner “{shown(beam.text)}”, Σ log p = "
                         f"{beam.logp:.3f}{note}", height=230 + 26 * (depth + 1), hovermode="closest",
                         margin=dict(l=60, r=20, t=90, b=50),
                         xaxis=axis("output step k", range=[-0.8, steps + 0.7], dtick=1, showgrid=False),
                         yaxis=axis("candidates at that step, best first", range=[depth + 0.6, -0.9], showgrid=False,
                                    dtick=1, zeroline=False))
    return figure(data, layout)


def scoreboard(m: dict, width: int, height: int = 320) -> go.Figure:
    """Held-out test: exact match and per-character accuracy of the model (greedy, beam) and the baseline."""
    who = ["greedy", f"beam (width {width})", "baseline (per-position majority)"]
    exact = [m["test_exact_greedy"], m["test_exact_beam"], m["majority_exact"]]
    chars = [m["test_char_accuracy"], None, m["majority_char_accuracy"]]
    data = [dict(type="bar", name="whole date right (exact match)", x=who, y=exact, marker=dict(color=COLOR["gru"]),
                 text=[f"{v:.1%}" for v in exact], textposition="outside", hovertemplate="%{x}: %{y:.2%}<extra></extra>"),
            dict(type="bar", name="characters right", x=who, y=chars, marker=dict(color=COLOR["char_accuracy"]),
                 text=["" if v is None else f"{v:.1%}" for v in chars], textposition="outside",
                 hovertemplate="%{x}: %{y:.2%}<extra></extra>")]
    layout = base_layout("Held-out test dates it never saw", height=height, hovermode="closest", barmode="group",
                         yaxis=axis("share right", range=[0, 1.15], tickformat=".0%"))
    return figure(data, layout)
