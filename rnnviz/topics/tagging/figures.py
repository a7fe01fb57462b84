"""Figures of the tagging demo: each tagger's p(tag | words) for every word of a sentence (words × tags),
the words where the two taggers disagree outlined, and the held-out accuracies against the baselines.

Pure: data in, plotly figure out, built from plain dicts (style.figure). Typed words reach plotly only
escaped (plotly renders a subset of HTML in text and labels).
"""
from __future__ import annotations

import html

import numpy as np
import plotly.graph_objects as go

from rnnviz.shared.style import COLOR, axis, base_layout, colorscale, figure

UNI_COLOR = COLOR["lstm"]                 # both taggers are LSTMs; the forward reader in the LSTM's blue,
BI_COLOR = COLOR["bidirectional"]         # the one that also reads backwards in its own colour
PROB_SCALE = "Viridis"                    # p from 0 (dark) to 1 (bright), legible on light and dark pages
SHOW_PERCENT = 0.05                       # cells under 5 % stay unlabelled


def _esc(text: str) -> str:
    return html.escape(str(text), quote=False)


def word_labels(words: list[str], best: list[str], known: np.ndarray) -> list[str]:
    """One row label per word: "3 · can → VERB", a word the tagger never learned marked with *."""
    return [f"{t + 1} · {_esc(w)}{'*' if not ok else ''} → {tag}"
            for t, (w, tag, ok) in enumerate(zip(words, best, known))]


LABEL_PX = (6.8, 12)                      # a row label's width at 13 px: about 6.8 px a character, plus a gap


def label_room(rows: list[str]) -> int:
    """The left margin the row labels need, estimated from their length. The axis keeps automargin as a
    safety net, but a margin already wide enough spares plotly a second drawing pass (it redraws the whole
    figure when automargin moves a margin), and every new sentence has labels of new widths."""
    longest = max((len(html.unescape(r)) for r in rows), default=0)
    return int(LABEL_PX[0] * longest + LABEL_PX[1])


def tag_heatmap(words: list[str], tags: list[str], probs: np.ndarray, known: np.ndarray, disagree: list[int],
                title: str, color: str, columns: list[int] | None = None, row_px: int = 28) -> go.Figure:
    """Words (rows, in reading order, top down) × tags (columns): p(tag_t | what the tagger read), the
    percentage in every cell of 5 % or more; the rows where the two taggers disagree boxed in `color`."""
    columns = list(range(len(tags))) if columns is None else columns
    T = len(words)
    z = probs[:, columns]                                                          # (T, C')
    best = [tags[i] for i in probs.argmax(1)]
    rows = word_labels(words, best, known)
    labels = np.where(z >= SHOW_PERCENT, np.char.mod("%d", np.rint(100 * z).astype(int)), "")
    heat = dict(type="heatmap", z=z, x=[tags[i] for i in columns], y=list(range(T)), zmin=0.0, zmax=1.0,
                colorscale=colorscale(PROB_SCALE), text=labels, texttemplate="%{text}",
                textfont=dict(size=11), xgap=1, ygap=1, showscale=False,
                customdata=np.broadcast_to(np.array(rows, dtype=object)[:, None], z.shape),
                hovertemplate="%{customdata}<br>p(%{x}) = %{z:.1%}<extra></extra>")
    boxes = [dict(type="rect", xref="paper", x0=-0.005, x1=1.005, yref="y", y0=t - 0.5, y1=t + 0.5,
                  line=dict(color=color, width=3)) for t in disagree]
    return figure([heat], base_layout(
        title, hovermode="closest", height=100 + row_px * T, margin=dict(l=label_room(rows), r=10, t=90, b=10),
        shapes=boxes,
        xaxis=axis(None, side="top", type="category", tickfont=dict(size=11), tickangle=-60),
        yaxis=axis(None, tickmode="array", tickvals=list(range(T)), ticktext=rows, autorange="reversed",
                   tickfont=dict(size=13), automargin=True)))


def scoreboard(uni: dict, bi: dict, title: str = "Held-out plays (Hamlet, Macbeth): agreement with the "
                                                "automatic tags") -> go.Figure:
    """Token accuracy of the two taggers, the most-frequent-tag baseline and the always-NOUN guess, on all
    held-out tokens and on the words the taggers never learned (seen at most once in training)."""
    groups = ["all tokens", "words never learned<br>(seen at most once in training)"]
    series = [("LSTM, left to right", [uni["test_accuracy"], uni["test_unknown_accuracy"]], UNI_COLOR),
              ("LSTM, both directions", [bi["test_accuracy"], bi["test_unknown_accuracy"]], BI_COLOR),
              ("most frequent tag per word", [uni["baseline_accuracy"], uni["baseline_unknown_accuracy"]],
               COLOR["tag_baseline"]),
              ("always NOUN", [uni["majority_accuracy"], None], COLOR["majority"])]
    data = [dict(type="bar", name=name, x=groups, y=values, marker=dict(color=color),
                 text=[f"{v:.1%}" if v is not None else "" for v in values], textposition="outside",
                 cliponaxis=False, hovertemplate=f"{_esc(name)}<br>%{{x}}: %{{y:.2%}}<extra></extra>")
            for name, values, color in series]
    return figure(data, base_layout(
        title, hovermode="closest", height=380, barmode="group", margin=dict(l=60, r=20, t=110, b=40),
        yaxis=axis("token accuracy", range=[0, 1.1], tickformat=".0%")))
