"""Figures of the Speech → letters demo: what the network hears (the log-mel spectrogram) over what it
says at every frame (p(letter or blank)), on one time axis; and the held-out scores against the baselines.

Pure: data in, plotly figure out (style.figure). Letters are a–z and the blank sign only, and still escaped.
"""
from __future__ import annotations

import html

import numpy as np
import plotly.graph_objects as go

from rnnviz.shared.style import COLOR, axis, base_layout, colorscale, figure, swatches
from rnnviz.topics.speech.model import ALPHABET

MODEL_COLOR = COLOR["gru"]           # the listener is a GRU
SPEC_SCALE = "Magma"                 # loudness: dark quiet, bright loud
PROB_SCALE = "Viridis"
SHOW_ROW = 0.02                      # a letter gets a row when it reaches 2 % at some frame (the blank always)


def _esc(text: str) -> str:
    return html.escape(str(text), quote=False)


def rows_shown(p: np.ndarray, floor: float = SHOW_ROW) -> list[int]:
    """The symbols drawn: the blank, then every letter whose p reaches `floor` at some frame, a to z."""
    return [0] + [k for k in range(1, p.shape[1]) if p[:, k].max() >= floor]


SPEC_PX, ROW_PX, GAP_PX, MARGIN_PX = 90, 17, 14, 48   # the spectrogram's height, a symbol's row, between, below
LEFT_PX = 92            # the y labels ("blank ·", "3,219") and the title "Hz", in a projector's larger type too
# Fixed margins and no automargin: plotly otherwise measured the labels on every redraw and, finding them
# wider than the margin, drew the whole figure a second time (and a colour bar pushed the right margin out by
# ~90 px: on a phone the frames had 175 px of a 360 px chart). The colour key is a line of HTML under the
# chart instead (key_html).


def key_html() -> str:
    """The p heatmap's colour key, as a line under the chart: 0 % to 100 % over the scale's colours."""
    return (f'<div role="img" aria-label="Colour of the lower map: p, from 0 % (dark) to 100 % (bright)" '
            f'style="font-size:0.8rem;opacity:0.85;padding-left:{LEFT_PX}px;margin-top:-0.25rem">'
            f'colour of the lower map, p: 0 % <span style="letter-spacing:0.1em">{swatches(PROB_SCALE)}</span> 100 %</div>')


def hearing(spectrogram: np.ndarray, p: np.ndarray, hop_seconds: float, mel_hz: np.ndarray,
            path: list[int], row_px: int = ROW_PX) -> go.Figure:
    """Top: ln mel power, bands (low to high, in Hz) × frames. Bottom: p(symbol) per frame, the blank's row on
    top, then the letters that ever reach SHOW_ROW; under a frame whose best symbol is a letter, that letter
    (the best path before the collapse; where the blank wins, the blank's row says it). One x axis: the frame
    number, the time in the hover."""
    T = len(p)
    frames = np.arange(T)
    ms = np.round(frames * hop_seconds * 1000).astype(int)
    rows = rows_shown(p)
    labels = [("blank ·" if k == 0 else ALPHABET[k]) for k in rows]
    z = p[:, rows].T                                                                        # (R, T)
    spec = dict(type="heatmap", z=spectrogram.T, x=frames, y=[f"{f:,.0f}" for f in mel_hz],
                colorscale=colorscale(SPEC_SCALE), xaxis="x", yaxis="y2", showscale=False,
                customdata=np.broadcast_to(ms, spectrogram.T.shape),
                hovertemplate="frame %{x} (%{customdata} ms)<br>band at %{y} Hz<br>ln power %{z:.1f}<extra></extra>")
    prob = dict(type="heatmap", z=z, x=frames, y=labels, zmin=0.0, zmax=1.0, colorscale=colorscale(PROB_SCALE),
                xaxis="x", yaxis="y", xgap=1, ygap=1,                # no numbers in the cells: a frame is narrow
                customdata=np.broadcast_to(ms, z.shape), showscale=False,       # its key: key_html
                hovertemplate="frame %{x} (%{customdata} ms)<br>p(%{y}) = %{z:.1%}<extra></extra>")
    # the best path's letters under their frames. Not a dot under each blank frame: plotly measures every tick
    # label again on each redraw, and a word's ~36 labels cost the browser ~50 ms a typed word (of ~200); the
    # dots are in the page's best-path line under the chart, and the blank's row shows where it wins.
    letters = [(f, _esc(ALPHABET[k])) for f, k in zip(frames, path) if k != 0]
    plot_px = SPEC_PX + GAP_PX + row_px * len(rows)          # as tall as its rows: a short word, a short chart
    split = row_px * len(rows) / plot_px
    return figure([spec, prob], base_layout(
        None, hovermode="closest", height=plot_px + MARGIN_PX + 10, margin=dict(l=LEFT_PX, r=10, t=10, b=MARGIN_PX),
        xaxis=axis(None, tickmode="array", tickvals=[int(f) for f, _ in letters], ticktext=[c for _, c in letters],
                   tickfont=dict(size=12), range=[-0.5, T - 0.5], anchor="y", automargin=False),
        yaxis=axis(None, domain=[0.0, split], type="category", categoryorder="array", categoryarray=labels,
                   autorange="reversed", tickmode="array", tickvals=labels, automargin=False),
        yaxis2=axis("Hz", domain=[split + GAP_PX / plot_px, 1.0], type="category", nticks=4, anchor="x",
                    automargin=False)))


def scoreboard(metrics: dict, title: str = "Character error rate on words it never heard (lower is better)") \
        -> go.Figure:
    """CER of greedy, beam, the DTW nearest-word baseline and the empty output, in training voices and in
    voices it never heard."""
    groups = [("test", "training voices"), ("test_new_voices", "voices it never heard")]
    series = [("GRU + CTC, greedy", "cer_greedy", MODEL_COLOR), ("GRU + CTC, beam", "cer_beam", COLOR["winner"]),
              ("nearest training word (DTW)", "cer_dtw", COLOR["bigram"]),
              ("saying nothing", "cer_empty", COLOR["majority"])]
    bars = [dict(type="bar", name=name, x=[g for _, g in groups], y=[metrics[f"{k}_{key}"] for k, _ in groups],
                 marker=dict(color=color), text=[f"{metrics[f'{k}_{key}']:.0%}" for k, _ in groups],
                 textposition="outside", cliponaxis=False, hovertemplate=f"{name}: %{{y:.1%}}<extra></extra>")
            for name, key, color in series]
    return figure(bars, base_layout(title, barmode="group", height=330, hovermode="closest",
                                    margin=dict(l=60, r=20, t=90, b=40),
                                    yaxis=axis("CER", tickformat=".0%", rangemode="tozero")))
