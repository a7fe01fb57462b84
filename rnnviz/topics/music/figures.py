"""Figures of the Music demo: the tune as a piano roll over the model's distribution at every note, the same
for the notes' lengths, and the held-out scores against the baselines.

Pure: data in, plotly figure out, from plain dicts (style.figure). Time runs left to right in beats, each
pitch is a row (the rest at the bottom). Behind each note, its column is shaded by p(pitch | the notes
before) at τ: transparent at 0, the LSTM's blue at the top of the scale, so it reads on the light and the
dark page alike, and the notes drawn over it (the opening grey, the model's own notes orange) stay apart.
"""
from __future__ import annotations

import numpy as np

from rnnviz.shared.style import COLOR, PENDING, axis, base_layout, figure
from rnnviz.topics.music import notes
from rnnviz.topics.music.compute import Generation

MODEL_COLOR = COLOR["lstm"]
OPENING_COLOR = PENDING              # grey: given, not drawn by the model
WRITTEN_COLOR = COLOR["tempered"]    # orange: drawn by the model at temperature τ
TOP = 0.6                            # p at or above which a cell is fully blue: most rows hold far less
SCALE = [[0.0, "rgba(0,114,178,0)"], [1.0, "rgba(0,114,178,1)"]]


def _note_trace(g: Generation, rows: dict, idx: range, name: str, color: str, width: float) -> dict:
    """Each note of `idx` as a thick horizontal segment at its pitch's row, from its onset to its end."""
    on = g.onsets()
    xs, ys, texts = [], [], []
    for t in idx:
        y = rows[g.pitches[t]]
        label = (f"note {t + 1}: {notes.name(g.pitches[t])}, {notes.beats(g.durations[t])} beat"
                 f"{'' if g.durations[t] == 1 else 's'}, p = {g.chosen[t]:.0%}")
        xs += [on[t] + 0.06, on[t + 1] - 0.06, None]
        ys += [y, y, None]
        texts += [label, label, None]
    return dict(type="scatter", mode="lines", x=xs, y=ys, name=name, text=texts, hoverinfo="text",
                line=dict(color=color, width=width), connectgaps=False)


def roll(g: Generation, pitches: list[int], row_px: int = 6, title: str | None = None) -> dict:
    """The piano roll: rows = `pitches` (the model's, the rest first, at the bottom), columns = notes over
    their beats, shaded by g.pitch_probs; the opening's notes grey, the written ones orange; a dashed line
    where the model starts writing."""
    names = [notes.name(p) for p in pitches]
    rows = dict(zip(pitches, names))
    z = g.pitch_probs.T                                                  # (P, T)
    on = g.onsets()
    heat = dict(type="heatmap", z=z, x=on, y=names, zmin=0.0, zmax=TOP, colorscale=SCALE,
                showscale=False, hoverinfo="skip", name="p(next pitch)")
    width = max(2.0, 0.8 * row_px)
    traces = [heat, _note_trace(g, rows, range(g.n_open), "opening", OPENING_COLOR, width),
              _note_trace(g, rows, range(g.n_open, len(g.pitches)), "written by the LSTM", WRITTEN_COLOR, width)]
    # the rest, and every C from C4 up (C3 sits right above the rest: their labels would overlap)
    ticks = [notes.name(p) for p in pitches if p == notes.REST or (p % 12 == 0 and p >= 60)]
    start = float(on[g.n_open])
    layout = base_layout(
        title, hovermode="closest", height=70 + (40 if title else 0) + row_px * len(pitches),
        margin=dict(l=52, r=10, t=40 + (40 if title else 0), b=36), dragmode=False,
        legend=dict(orientation="h", y=1.0, yanchor="bottom", x=0, xanchor="left"),
        shapes=[dict(type="line", x0=start, x1=start, y0=0, y1=1, yref="paper",
                     line=dict(color=PENDING, width=1, dash="dash"))],
        xaxis=axis("beats", range=[0, float(on[-1])], showgrid=False, zeroline=False, fixedrange=True),
        yaxis=axis(None, type="category", categoryorder="array", categoryarray=names, tickmode="array",
                   tickvals=ticks, range=[-0.5, len(pitches) - 0.5], showgrid=False, zeroline=False,
                   fixedrange=True))
    return figure(traces, layout)


def rhythm(g: Generation, durations: list[float], row_px: int = 14) -> dict:
    """The lengths: rows = the model's durations (shortest at the bottom), columns = the notes as in roll(),
    shaded by g.duration_probs; each note's own length marked."""
    names = [notes.beats(d) for d in durations]
    rows = dict(zip(durations, names))
    on = g.onsets()
    heat = dict(type="heatmap", z=g.duration_probs.T, x=on, y=names, zmin=0.0, zmax=1.0,
                colorscale=SCALE, showscale=False, hoverinfo="skip", name="p(next length)")
    mid = (on[:-1] + on[1:]) / 2
    marks = [dict(type="scatter", mode="markers", x=mid[idx], y=[rows[g.durations[t]] for t in idx], name=name,
                  marker=dict(color=color, size=7, symbol="diamond"),
                  text=[f"note {t + 1}: {notes.beats(g.durations[t])} beats" for t in idx], hoverinfo="text")
             for idx, name, color in ((np.arange(g.n_open), "opening", OPENING_COLOR),
                                      (np.arange(g.n_open, len(g.pitches)), "written", WRITTEN_COLOR))]
    return figure([heat, *marks], base_layout(
        None, hovermode="closest", height=80 + row_px * len(durations), margin=dict(l=52, r=10, t=40, b=36),
        dragmode=False, xaxis=axis("beats", range=[0, float(on[-1])], showgrid=False, fixedrange=True),
        yaxis=axis("beats per note", type="category", categoryorder="array", categoryarray=names,
                   tickmode="array", tickvals=names, showgrid=False, fixedrange=True)))    # every length named


SCORE_ROWS = (("lstm", "The LSTM", MODEL_COLOR), ("bigram", "Bigram", COLOR["bigram"]),
              ("repeat", "Repeat the last note", COLOR["naive"]))


def scoreboard(metrics: dict) -> dict:
    """Held-out pitch accuracy, duration accuracy (higher is better) and NLL per note (lower is better) of the
    LSTM and the two baselines: three groups of bars."""
    def get(who: str, what: str) -> float:
        return metrics[f"test_{what}"] if who == "lstm" else metrics[f"{who}_{what}"]
    traces = []
    for who, label, color in SCORE_ROWS:
        acc = [get(who, "pitch_accuracy"), get(who, "duration_accuracy")]
        traces.append(dict(type="bar", name=label, x=["pitch right", "length right"], y=acc, marker=dict(color=color),
                           text=[f"{a:.0%}" for a in acc], textposition="outside", cliponaxis=False,
                           legendgroup=who, xaxis="x", yaxis="y"))
        traces.append(dict(type="bar", name=label, x=["NLL per note (nats)"], y=[get(who, "nll")],
                           marker=dict(color=color), text=[f"{get(who, 'nll'):.2f}"], textposition="outside",
                           cliponaxis=False, legendgroup=who, showlegend=False, xaxis="x2", yaxis="y2"))
    return figure(traces, base_layout(
        None, barmode="group", hovermode="closest", height=300, margin=dict(l=50, r=10, t=60, b=30),
        xaxis=dict(domain=[0, 0.62], fixedrange=True), yaxis=axis("accuracy ↑", tickformat=".0%", range=[0, 1],
                                                                  fixedrange=True),
        xaxis2=dict(domain=[0.75, 1], anchor="y2", fixedrange=True),
        yaxis2=dict(anchor="x2", title=dict(text="NLL ↓"), fixedrange=True, rangemode="tozero")))
