"""Figures of the video activity demo: the clip's frames above the verdict after each of them, and the held-out
scores (accuracy after each frame against the single-frame CNN and the majority guess; the confusion matrix).

Pure: data in, plotly figure out, built from plain dicts (style.figure). The frames travel inside the figure
as small PNG data URIs (layout images), so nothing is fetched from anywhere; they are drawn pixel for pixel
(each pixel an 8×8 block), "contain" keeps them square whatever the chart's width.
"""
from __future__ import annotations

import base64
import io

import numpy as np
import plotly.graph_objects as go
from PIL import Image

from rnnviz.shared.style import COLOR, axis, base_layout, colorscale, figure

# One colour per motion (Okabe–Ito): readable on the light and the dark theme, apart for colour-blind eyes.
MOTION_COLOR = {"right": "#0072B2", "left": "#D55E00", "up": "#009E73", "down": "#CC79A7",
                "clockwise": "#E69F00", "anticlockwise": "#56B4E9"}
MODEL_COLOR = COLOR["gru"]
SINGLE_COLOR = COLOR["bigram"]          # the counting / no-memory baselines share the wine colour
PIXEL = 8                               # each frame's pixel drawn as PIXEL × PIXEL screen pixels (then scaled)
WIDTH_GUESS = 560                       # px: the chart's plot area beside the controls at 1366 px (the frames'
                                        # band is as tall as a frame is wide there, so it is never mostly empty)
ARROWS_PX = 34                          # the row of leading motions between the frames and the lines
MARGIN = dict(l=55, r=15, t=8, b=78)    # the bottom holds the axis title and the legend


def png_uri(frame: np.ndarray) -> str:
    """A frame (S, S) in [0, 1] as a grey PNG data URI, each pixel a PIXEL × PIXEL block (no smoothing)."""
    grey = (np.clip(np.nan_to_num(frame), 0, 1) * 255).round().astype(np.uint8)
    img = Image.fromarray(grey).resize((grey.shape[1] * PIXEL, grey.shape[0] * PIXEL), Image.NEAREST)   # mode L
    buf = io.BytesIO()
    img.save(buf, format="PNG", compress_level=1)       # 0.2 ms a frame; optimize=True took 10 ms for 3 % fewer bytes
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def bands(T: int, lines_px: int) -> tuple[int, float, float]:
    """(the figure's height, the top of the lines' band, the arrows' row) for T frames: the frames' band is
    as tall as one frame is wide at WIDTH_GUESS (between 36 and 110 px), the lines' band lines_px."""
    strip_px = int(min(max(0.9 * WIDTH_GUESS / T, 36), 110))
    plot = lines_px + ARROWS_PX + strip_px
    return plot + MARGIN["t"] + MARGIN["b"], lines_px / plot, (lines_px + ARROWS_PX / 2) / plot


def watch(clip: np.ndarray, probs: np.ndarray, classes: list[str], symbols: dict[str, str], threshold: float,
          sure: int | None, lines_px: int = 190) -> go.Figure:
    """Frames 1..T (top), the leading motion after each (middle: its arrow when ≥ threshold, else “?”), and
    p(motion | frames 1..t) for each motion (bottom), sharing one x axis: a frame sits above its verdict."""
    T = len(probs)
    x = list(range(1, T + 1))
    height, top, arrows_y = bands(T, lines_px)
    strip = arrows_y + (arrows_y - top)
    images = [dict(source=png_uri(clip[t]), xref="x", yref="paper", x=t + 1, y=strip, sizex=0.9,
                   sizey=1 - strip, xanchor="center", yanchor="bottom", sizing="contain", layer="above")
              for t in range(T)]
    lines = [dict(type="scatter", mode="lines+markers", name=c, x=x, y=probs[:, k].tolist(),
                  line=dict(color=MOTION_COLOR.get(c, COLOR["data"]), width=2.5), marker=dict(size=5),
                  hovertemplate=f"{c}: %{{y:.0%}}<extra></extra>")
             for k, c in enumerate(classes)]
    lead = probs.argmax(1)
    arrows = [dict(x=t + 1, y=arrows_y, xref="x", yref="paper", showarrow=False,
                   text=symbols.get(classes[lead[t]], "?") if probs[t].max() >= threshold else "?",
                   font=dict(size=20, color=MOTION_COLOR.get(classes[lead[t]]) if probs[t].max() >= threshold
                             else COLOR["bound"]))
              for t in range(T)]
    shapes = [dict(type="line", xref="paper", x0=0, x1=1, yref="y", y0=threshold, y1=threshold,
                   line=dict(dash="dot", color=COLOR["bound"], width=1.5))]
    notes = [dict(xref="paper", x=0, y=threshold, yref="y", xanchor="left", yanchor="bottom", showarrow=False,
                  text=f"{threshold:.0%}", font=dict(size=11, color=COLOR["bound"]))]
    if sure is not None:
        shapes.append(dict(type="rect", xref="x", x0=sure - 0.5, x1=T + 0.5, yref="y", y0=0, y1=1.02,
                           fillcolor=MODEL_COLOR, opacity=0.12, line=dict(width=0), layer="below"))
        notes.append(dict(x=sure - 0.5, y=0.7, xref="x", yref="y", xanchor="left", yanchor="middle", xshift=4,
                          showarrow=False, text=f"sure from frame {sure}", font=dict(size=13, color=MODEL_COLOR)))
    return figure(lines, base_layout(
        None, hovermode="x unified", height=height, margin=MARGIN, images=images,
        annotations=arrows + notes, shapes=shapes,
        legend=dict(orientation="h", x=0, xanchor="left", y=-42 / (height - MARGIN["t"] - MARGIN["b"]),
                    yanchor="top"),
        xaxis=axis("frame", range=[0.5, T + 0.5], tickmode="array", tickvals=x, fixedrange=True, zeroline=False,
                   showgrid=False),
        yaxis=axis("p(motion)", domain=[0, top], range=[0, 1.08], tickformat=".0%", tickvals=[0, 0.5, 1],
                   fixedrange=True)))


def accuracy_by_frame(model: list[float], single: list[float], majority: float, chance: float,
                      single_name: str = "a CNN that sees frame t only") -> go.Figure:
    """Held-out accuracy after each frame: the model (frames 1..t), the single-frame CNN (frame t alone), the
    majority guess and chance."""
    x = list(range(1, len(model) + 1))
    data = [dict(type="scatter", mode="lines+markers" if len(x) <= 30 else "lines", name="the GRU (frames 1..t)", x=x, y=model,
                 line=dict(color=MODEL_COLOR, width=3), hovertemplate="frame %{x}: %{y:.1%}<extra>GRU</extra>"),
            dict(type="scatter", mode="lines+markers" if len(x) <= 30 else "lines", name=single_name, x=x, y=single,
                 line=dict(color=SINGLE_COLOR, width=2), hovertemplate="frame %{x}: %{y:.1%}<extra>one frame</extra>"),
            dict(type="scatter", mode="lines", name=f"always the same motion ({majority:.0%})", x=[x[0], x[-1]],
                 y=[majority, majority], line=dict(color=COLOR["majority"], dash="dash", width=2), hoverinfo="skip")]
    return figure(data, base_layout(
        "Test clips named right, after each frame", hovermode="x unified", height=330,
        margin=dict(l=60, r=20, t=80, b=50),
        xaxis=axis("frame", **(dict(tickmode="array", tickvals=x) if len(x) <= 30 else {})),
        yaxis=axis("share of test clips", range=[0, 1.05], tickformat=".0%"),
        shapes=[dict(type="line", xref="paper", x0=0, x1=1, yref="y", y0=chance, y1=chance,
                     line=dict(dash="dot", color=COLOR["bound"], width=1))]))


def confusion(classes: list[str], matrix: list[list[int]]) -> go.Figure:
    """Row: the clip's motion; column: the model's verdict after the last frame; text: clips."""
    m = np.asarray(matrix, dtype=float)
    share = m / np.maximum(m.sum(1, keepdims=True), 1)
    text = np.where(m > 0, m.astype(int).astype(str), "")
    heat = dict(type="heatmap", z=share, x=list(classes), y=list(classes), zmin=0.0, zmax=1.0,
                colorscale=colorscale("Viridis"), text=text, texttemplate="%{text}", xgap=1, ygap=1,
                hovertemplate="moves %{y}, named %{x}: %{text} clips<extra></extra>",
                colorbar=dict(title=dict(text="share of the row", side="right"), thickness=12, tickformat=".0%"))
    return figure([heat], base_layout(
        "Which motions it mixes up (after the last frame)", hovermode="closest", height=380,
        margin=dict(l=110, r=20, t=60, b=90),
        xaxis=axis("named", type="category", tickangle=-30),
        yaxis=axis("moves", type="category", categoryorder="array", categoryarray=list(classes), autorange="reversed")))


GUNPOINT_COLOR = {"gun-draw": "#D55E00", "point": "#0072B2"}


def series_watch(values: np.ndarray, probs: np.ndarray, classes: list[str], threshold: float, sure: int | None,
                 height: int = 420) -> go.Figure:
    """GunPoint: the hand's tracked X position at each frame (top) above p(motion | frames 1..t) (bottom), one
    x axis: the verdict after a frame sits under that frame's position."""
    T = len(values)
    x = list(range(1, T + 1))
    hand = dict(type="scatter", mode="lines", name="the hand's X position", x=x, y=np.nan_to_num(values).tolist(),
                yaxis="y2", line=dict(color=COLOR["data"], width=2), hovertemplate="position %{y:.2f}<extra></extra>")
    lines = [dict(type="scatter", mode="lines", name=f"p({c})", x=x, y=probs[:, k].tolist(),
                  line=dict(color=GUNPOINT_COLOR.get(c, COLOR["data"]), width=2.5),
                  hovertemplate=f"{c}: %{{y:.0%}}<extra></extra>") for k, c in enumerate(classes)]
    shapes = [dict(type="line", xref="paper", x0=0, x1=1, yref="y", y0=threshold, y1=threshold,
                   line=dict(dash="dot", color=COLOR["bound"], width=1.5))]
    notes = []
    if sure is not None:
        shapes.append(dict(type="rect", xref="x", x0=sure - 0.5, x1=T + 0.5, yref="paper", y0=0, y1=1,
                           fillcolor=MODEL_COLOR, opacity=0.10, line=dict(width=0), layer="below"))
        notes.append(dict(x=sure - 0.5, y=0.7, xref="x", yref="y", xanchor="left", yanchor="middle", xshift=4,
                          showarrow=False, text=f"sure from frame {sure}", font=dict(size=13, color=MODEL_COLOR)))
    return figure([hand, *lines], base_layout(
        None, hovermode="x unified", height=height, margin=dict(l=55, r=15, t=8, b=78), shapes=shapes,
        annotations=notes, legend=dict(orientation="h", x=0, xanchor="left", y=-0.14, yanchor="top"),
        xaxis=axis("frame", range=[0.5, T + 0.5], fixedrange=True, zeroline=False),
        yaxis=axis("p(motion)", domain=[0, 0.5], range=[0, 1.05], tickformat=".0%", tickvals=[0, 0.5, 1],
                   fixedrange=True),
        yaxis2=axis("hand X", domain=[0.6, 1], fixedrange=True, zeroline=False)))


def memory(hs: np.ndarray) -> go.Figure:
    """The memory h_t (T, K, S, S): one row per map k, one column per frame t, each cell the map as a picture
    (grey = 0, white = +1, black = −1)."""
    T, K = hs.shape[:2]
    images = [dict(source=png_uri((hs[t, k] + 1) / 2), xref="x", yref="y", x=t + 1, y=k + 1, sizex=0.92, sizey=0.92,
                   xanchor="center", yanchor="middle", sizing="contain", layer="above")
              for t in range(T) for k in range(K)]
    cells = dict(type="scatter", mode="markers", x=[t + 1 for t in range(T) for _ in range(K)],
                 y=[k + 1 for _ in range(T) for k in range(K)], marker=dict(size=1, opacity=0), showlegend=False,
                 hovertemplate="frame %{x}, map %{y}<extra></extra>")
    return figure([cells], base_layout(
        None, hovermode="closest", height=70 + 46 * K, margin=dict(l=60, r=15, t=10, b=50), images=images,
        xaxis=axis("frame", range=[0.5, T + 0.5], tickmode="array", tickvals=list(range(1, T + 1)), fixedrange=True,
                   showgrid=False, zeroline=False),
        yaxis=axis("map", range=[K + 0.5, 0.5], tickmode="array", tickvals=list(range(1, K + 1)), fixedrange=True,
                   showgrid=False, zeroline=False)))
