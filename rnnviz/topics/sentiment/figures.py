"""Figures of the sentiment demo: the verdict after every word (the trajectory), how much each word moved
it, the hidden state's path in a fixed 2-D view, and the held-out accuracy against the baselines.

Pure: data in, plotly figure out, built from plain dicts (style.figure). Typed words reach plotly only
escaped and shortened (plotly renders a subset of HTML, <b>, <br>, entities, in text and labels).
"""
from __future__ import annotations

import html

import numpy as np
import plotly.graph_objects as go

from rnnviz.shared.style import COLOR, axis, base_layout, figure

LONGEST = 18            # a word label longer than this is cut with … (a 2,000-letter "word" stays one tick)
START = "(start)"       # the x label before the first word: h_0 = 0, the model's prior


def label(word: str) -> str:
    """A typed word as a plotly label: shortened, then escaped."""
    word = str(word)
    return html.escape(word if len(word) <= LONGEST else word[: LONGEST - 1] + "…", quote=False)


def _side_bands() -> list[dict]:
    """Faint green above 0.5 (a positive verdict) and faint red below, with the 0.5 line dashed."""
    band = lambda y0, y1, c: dict(type="rect", xref="x domain", x0=0, x1=1, yref="y", y0=y0, y1=y1,  # noqa: E731
                                  fillcolor=c, opacity=0.08, line=dict(width=0), layer="below")
    return [band(0.5, 1.0, COLOR["positive"]), band(0.0, 0.5, COLOR["negative"]),
            dict(type="line", xref="x domain", x0=0, x1=1, yref="y", y0=0.5, y1=0.5,
                 line=dict(dash="dash", color=COLOR["bound"], width=1.5))]


def trajectory(series: list[dict], title: str = "p(positive) after every word", height: int = 420) -> go.Figure:
    """series: up to two dicts {"name", "words", "p0", "p" (T,), "known" (T,), "color"}; the first names
    the x axis (its words), the second writes its words beside its own points. x = 0 is the start (h_0 = 0)."""
    data, notes = [], []
    for n, s in enumerate(series):
        words = [label(w) + ("" if ok else " (?)") for w, ok in zip(s["words"], s["known"])]
        y = np.concatenate([[s["p0"]], np.asarray(s["p"], dtype=float)])
        x = np.arange(len(y))
        data.append(dict(
            type="scatter", mode="lines+markers" + ("+text" if n else ""), name=label(s["name"]), x=x, y=y,
            line=dict(color=s["color"], width=3, dash="solid" if n == 0 else "dash"),
            marker=dict(size=9, color=s["color"]), customdata=[START, *words],
            text=["", *words] if n else None, textposition="bottom center",
            textfont=dict(color=s["color"], size=12),
            hovertemplate="after %{customdata}: %{y:.1%} positive<extra>" + label(s["name"]) + "</extra>"))
        final = float(y[-1])
        side = "positive" if final >= 0.5 else "negative"
        notes.append(dict(x=x[-1], y=final, xref="x", yref="y", xanchor="left", yanchor="middle", xshift=10,
                          showarrow=False, text=f"<b>{side} {final:.0%}</b>", font=dict(color=COLOR[side], size=14)))
    first = series[0]
    ticks = [START, *(label(w) + ("" if ok else " (?)") for w, ok in zip(first["words"], first["known"]))]
    T = max(len(s["p"]) for s in series)
    return figure(data, base_layout(
        title, hovermode="closest", height=height, shapes=_side_bands(), annotations=notes,
        margin=dict(l=60, r=110, t=90, b=90),
        xaxis=axis("words read so far (of the first sentence)", tickmode="array", tickvals=list(range(len(ticks))),
                   ticktext=ticks, tickangle=-40 if len(ticks) > 8 else 0, range=[-0.4, T + 0.6],
                   tickfont=dict(size=13)),
        yaxis=axis("p(positive)", range=[-0.02, 1.02], tickformat=".0%", tickvals=[0, 0.25, 0.5, 0.75, 1])))


def movers(words: list[str], delta: np.ndarray, known: np.ndarray,
           title: str = "How much each word moved the verdict") -> go.Figure:
    """One bar per word: Δ p(positive), in percentage points, that reading the word caused (green up,
    red down), the number on each bar."""
    d = 100 * np.asarray(delta, dtype=float)
    ticks = [label(w) + ("" if ok else " (?)") for w, ok in zip(words, known)]
    colors = [COLOR["positive"] if v >= 0 else COLOR["negative"] for v in d]
    bars = dict(type="bar", x=np.arange(1, len(d) + 1), y=d, marker=dict(color=colors), customdata=ticks,
                text=[f"{v:+.0f}" for v in d], textposition="outside", cliponaxis=False,
                hovertemplate="“%{customdata}”: %{y:+.1f} points<extra></extra>")
    top = float(np.nanmax(np.abs(d))) if len(d) and np.isfinite(d).any() else 1.0
    return figure([bars], base_layout(
        title, hovermode="closest", height=340, showlegend=False, margin=dict(l=60, r=20, t=70, b=90),
        xaxis=axis(None, tickmode="array", tickvals=list(range(1, len(d) + 1)), ticktext=ticks,
                   tickangle=-40 if len(d) > 8 else 0, tickfont=dict(size=13)),
        yaxis=axis("Δ p(positive), points", range=[-1.25 * max(top, 5), 1.25 * max(top, 5)], zeroline=True)))


def _segment(line, box: tuple[float, float, float, float]) -> list[tuple[float, float]]:
    """Where the line a·x + b·y + c = 0 crosses the box (x0, x1, y0, y1): its two ends, or [] if it misses."""
    a, b, c = line
    x0, x1, y0, y1 = box
    ends = []
    if abs(b) > 1e-12:
        ends += [(x, -(a * x + c) / b) for x in (x0, x1)]
    if abs(a) > 1e-12:
        ends += [(-(b * y + c) / a, y) for y in (y0, y1)]
    inside = sorted({(round(x, 9), round(y, 9)) for x, y in ends
                     if x0 - 1e-9 <= x <= x1 + 1e-9 and y0 - 1e-9 <= y <= y1 + 1e-9})
    return [inside[0], inside[-1]] if len(inside) >= 2 else []


def state_path(background: np.ndarray, labels: np.ndarray, paths: list[dict], explained: list[float],
               line: tuple[float, float, float] | None = None,
               title: str = "The hidden state's path, word by word (a fixed 2-D view)") -> go.Figure:
    """background (N, 2): where held-out sentences' final states land, coloured by the human rating's side;
    paths: dicts {"name", "xy" (T + 1, 2) from h_0, "words", "color"}: each word a step of the path;
    line (a, b, c): the read-out's 50 % line a·x + b·y + c = 0 in this plane, drawn dashed across the view."""
    background = np.asarray(background, dtype=float)
    labels = np.asarray(labels)
    data = [dict(type="scatter", mode="markers", name=f"held-out sentences rated {side}",
                 x=background[labels == k, 0], y=background[labels == k, 1],
                 marker=dict(size=6, color=COLOR[side], opacity=0.35), hoverinfo="skip")
            for k, side in ((1, "positive"), (0, "negative"))]
    for n, p in enumerate(paths):
        xy = np.asarray(p["xy"], dtype=float)
        words = [START, *(label(w) for w in p["words"])]
        data.append(dict(type="scatter", mode="lines+markers+text", name=label(p["name"]), x=xy[:, 0], y=xy[:, 1],
                         line=dict(color=p["color"], width=3, dash="solid" if n == 0 else "dash"),
                         marker=dict(size=[12, *[8] * (len(xy) - 2), 14][: len(xy)], color=p["color"],
                                     symbol=["circle-open", *["circle"] * (len(xy) - 2), "diamond"][: len(xy)],
                                     line=dict(width=2, color=p["color"])),
                         text=words, textposition="top center", textfont=dict(color=p["color"], size=12),
                         customdata=words, hovertemplate="after %{customdata}<extra>" + label(p["name"]) + "</extra>"))
    ranges = {}
    if line is not None:
        pts = np.vstack([background.reshape(-1, 2), *(np.asarray(p["xy"], dtype=float).reshape(-1, 2) for p in paths)])
        pts = pts[np.isfinite(pts).all(1)]
        if len(pts):
            lo, hi = pts.min(0), pts.max(0)
            pad = 0.06 * np.maximum(hi - lo, 1e-3)
            box = (lo[0] - pad[0], hi[0] + pad[0], lo[1] - pad[1], hi[1] + pad[1])
            ranges = dict(x=[box[0], box[1]], y=[box[2], box[3]])
            ends = _segment(line, box)
            if ends:
                data.insert(2, dict(type="scatter", mode="lines", name="the read-out's 50 % line (in this plane)",
                                    x=[e[0] for e in ends], y=[e[1] for e in ends], hoverinfo="skip",
                                    line=dict(color=COLOR["bound"], width=2, dash="dash")))
    return figure(data, base_layout(
        title, hovermode="closest", height=520, margin=dict(l=60, r=20, t=90, b=50),
        xaxis=axis(f"principal direction 1 ({explained[0]:.0%} of the variance)", zeroline=False,
                   **({"range": ranges["x"]} if ranges else {})),
        yaxis=axis(f"principal direction 2 ({explained[1]:.0%})", zeroline=False,
                   **({"range": ranges["y"]} if ranges else {}))))


def scoreboard(metrics: dict, title: str = "Held-out test sentences: the model against its baselines",
               without: dict | None = None) -> go.Figure:
    """Test accuracy of the LSTM, of naive Bayes on word counts and of always the majority class; with
    `without` (the metrics of the LSTM trained without the made-up "not WORD" examples), its bar too."""
    rows = [("LSTM (reads in order)", metrics["test_accuracy"], COLOR["sentence"])]
    if without is not None:
        rows.append(("LSTM without made-up “not”", without["test_accuracy"], COLOR["no_not"]))
    rows += [("naive Bayes, bag of words", metrics["naive_bayes_accuracy"], COLOR["bag_of_words"]),
             ("always the majority", metrics["majority_accuracy"], COLOR["majority"])]
    bars = dict(type="bar", orientation="h", x=[r[1] for r in rows], y=[r[0] for r in rows],
                marker=dict(color=[r[2] for r in rows]), text=[f"{r[1]:.1%}" for r in rows],
                textposition="outside", cliponaxis=False, hovertemplate="%{y}: %{x:.1%}<extra></extra>")
    return figure([bars], base_layout(
        title, hovermode="closest", height=170 + 30 * len(rows), showlegend=False,
        margin=dict(l=210, r=60, t=60, b=50),
        xaxis=axis("share of test sentences on the right side", range=[0, 1], tickformat=".0%"),
        yaxis=axis(None, autorange="reversed")))
