"""Figures of the image-captioning demo: the picture as the model sees it, the next-word distribution at every
step of the greedy caption, and the held-out scores against the baselines.

    enlarge(image, k)                          # (SIZE·k, SIZE·k, 3) uint8, each pixel a k×k block (st.image)
    next_words(vocab, probs, chosen, rows)     # word × step tiles coloured by p, greedy's choice ringed
    scoreboard(metrics, kind)                  # exact-caption or word accuracy, seen and unseen, by method

Pure: data in, figure out. Every word shown comes from the model's own vocabulary (no typed text reaches a figure).
"""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from rnnviz.shared.style import COLOR, MAGNITUDE_SCALE, axis, base_layout, colorscale, figure

MODEL_COLOR = COLOR["gru"]            # the decoder is a GRU: drawn in the GRU's colour on every page
METHODS = (("greedy", "greedy", MODEL_COLOR), ("beam", "beam search", COLOR["winner"]),
           ("nearest", "nearest picture", COLOR["bigram"]), ("template", "template", COLOR["majority"]))
SPLITS = (("seen", "new pictures, seen pairs"), ("unseen", "held-out colour × shape pairs"))


def enlarge(image: np.ndarray, k: int = 8) -> np.ndarray:
    """The picture with each pixel drawn as a k × k block (no smoothing: the student sees the pixels the
    model sees), as uint8 RGB."""
    big = np.repeat(np.repeat(np.clip(image, 0, 1), k, axis=0), k, axis=1)
    return (big * 255 + 0.5).astype(np.uint8)


def shown(word: str) -> str:
    return {"</s>": "(end)"}.get(word, word)


def next_words(vocab: list[str], probs: np.ndarray, chosen: list[int], rows: list[int], height: int = 330
               ) -> go.Figure:
    """Columns: the decoder's steps k, labelled with the word greedy wrote; rows: the words it could write
    (`rows`, top first); colour: p(y_k = word | y_<k, picture), its percentage written where p ≥ 5%; greedy's
    choice ringed. Drawn as one scatter of square tiles (as the date demo's decoder chart: a plotly heatmap
    is re-encoded as an image on every redraw, several times slower in the browser)."""
    K = len(chosen)
    z = probs[:, rows].T                                                           # (R, K)
    names = [shown(vocab[i]) for i in rows]
    hover = [f"step {k + 1}: p(“{names[r]}”) = {z[r, k]:.3g}" for r in range(len(rows)) for k in range(K)]
    # whole percents, never rounded up to a certainty: 99.6 % is written 99, only p = 1 is 100
    text = [("100" if z[r, k] >= 1 else str(min(99, round(100 * z[r, k])))) if z[r, k] >= 0.05 else ""
            for r in range(len(rows)) for k in range(K)]
    cell = max(8.0, min(24.0, 0.8 * (height - 90) / max(len(rows), 1)))             # a tile, gaps between rows
    xs, ys = np.tile(np.arange(1, K + 1), len(rows)), np.repeat(names, K)
    tiles = dict(type="scatter", mode="markers", name="p", x=xs, y=ys,
                 hovertext=hover, hovertemplate="%{hovertext}<extra></extra>",
                 marker=dict(symbol="square", size=cell, color=z.ravel(), cmin=0, cmax=1,
                             colorscale=colorscale(MAGNITUDE_SCALE), line=dict(width=0),
                             colorbar=dict(title=dict(text="p"), thickness=12)))
    # the percentages as two text traces of one colour each (dark on bright tiles, white on dark ones): with a
    # colour per point, plotly redrew only the first number when the chart was updated in place
    p = z.ravel()
    numbers = [dict(type="scatter", mode="text", x=xs[keep], y=ys[keep], text=np.array(text)[keep], hoverinfo="skip",
                    textposition="middle center", showlegend=False, name=name,
                    textfont=dict(size=max(7, min(11, int(cell * 0.5))), color=color))
               for name, color, keep in (("p ≥ 50 %", "#111111", p >= 0.5),
                                         ("5 % ≤ p < 50 %", "#FFFFFF", (p >= 0.05) & (p < 0.5)))]
    mark = dict(type="scatter", mode="markers", x=list(range(1, K + 1)), y=[shown(vocab[t]) for t in chosen],
                hoverinfo="skip", name="chosen",
                marker=dict(symbol="square-open", size=cell + 4, color=COLOR["prediction"], line=dict(width=3)))
    layout = base_layout(None, height=height, hovermode="closest", showlegend=False,
                         margin=dict(l=70, r=10, t=10, b=55),
                         xaxis=axis(None, tickmode="array", tickvals=list(range(1, K + 1)),
                                    range=[0.4, K + 0.6], ticktext=[shown(vocab[t]) for t in chosen], tickangle=-35,
                                    showgrid=False, zeroline=False),
                         yaxis=axis(None, type="category", categoryorder="array", categoryarray=names,
                                    autorange="reversed", showgrid=False))
    return figure([tiles, *numbers, mark], layout)


def scoreboard(m: dict, kind: str, height: int = 330) -> go.Figure:
    """Held-out scores (kind "exact": whole caption right; "word": words right at their position) of greedy,
    beam search and the two baselines, on the seen and the unseen test pictures."""
    what = {"exact": "Whole caption right (exact match)", "word": "Words right at their position"}[kind]
    data = []
    for key, name, color in METHODS:
        vals = [m[f"{split}_{key}_{kind}"] for split, _ in SPLITS]
        data.append(dict(type="bar", name=name, x=[label for _, label in SPLITS], y=vals, marker=dict(color=color),
                         text=[f"{v:.0%}" for v in vals], textposition="outside", cliponaxis=False,
                         hovertemplate=f"{name}<br>%{{x}}: %{{y:.1%}}<extra></extra>"))
    return figure(data, base_layout(what, barmode="group", hovermode="closest", height=height,
                                    margin=dict(l=50, r=10, t=90, b=40),
                                    yaxis=axis("share of test pictures" if kind == "exact" else "share of words",
                                               range=[0, 1.12], tickformat=".0%")))
