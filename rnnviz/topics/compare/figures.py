"""Figures of the GRU vs LSTM lesson: the same text read by both trained character models.

Pure functions: arrays and rnnviz.topics.compare.compute results in, plotly figures out. Characters reach plotly only
as data (hover text), never as HTML; the row of characters under a heatmap is HTML of its own (char_row), every
character escaped there. The GRU is always green and the LSTM blue
(style.COLOR), each gate in its own colour on every page.
"""
from __future__ import annotations

import html
import re

import numpy as np
import plotly.graph_objects as go

from rnnviz import cells
from rnnviz.topics.compare.compute import CLASSES, SIGMOID, Duel
from rnnviz.shared.gates import GATE_SCALE, LABELS, VISIBLE, visible
from rnnviz.shared.style import COLOR, NAME, SIGNED_SCALE, axis, base_layout, colorscale, figure, text_on

LABEL = {**LABELS, "1-update": "1 − z_t (written)", "cell state": "cell state c_t"}
GRID = "rgba(128,128,128,0.25)"
WINDOW_SHADE = "rgba(128,128,128,0.14)"


def label(quantity: str) -> str:
    return LABEL.get(quantity, quantity)


SIGNED = colorscale(SIGNED_SCALE)


def _figure(data: list[dict], title: str, **layout) -> go.Figure:
    """One Figure from plain dicts (style.figure): these are rebuilt on every rerun of the page, and
    plotly's per-property checks made them several times slower to build."""
    return figure(data, base_layout(title, **layout))


MONO = "'Source Code Pro', monospace"
MAX_CHARS_SHOWN = 50                   # beyond, every k-th character
COLORBAR_PX = 50                       # the room a colour bar and its tick labels take at the right ("−0.5" in a
                                       # projector's type too)
UNIT_LABELS = 0                        # the units' numbers: in the hover (each a label to lay out, ~1 ms)
# The heatmap's plot area, fixed: these margins in px, and nothing may push them (no automargin on either axis,
# margin.autoexpand off, so the colour bar too draws inside its room). The row of characters under it (char_row,
# HTML) takes the same margins: its 40 cells fall under the 40 columns at any width of the chart.
MARGIN = dict(l=45, r=10 + COLORBAR_PX, t=50, b=2, autoexpand=False)


def _step(lo: int, hi: int) -> int:
    """1: every character of [lo, hi) in the row; k: every k-th (more than MAX_CHARS_SHOWN characters)."""
    return max(1, -(-(hi - lo) // MAX_CHARS_SHOWN))


def heatmap(values: np.ndarray, text: str, quantity: str, lo: int, hi: int, units: np.ndarray,
            title: str, scale: bool = True) -> go.Figure:
    """Characters lo … hi−1 of `text` (x) × the chosen `units` (y, in the given order) of values (T, H).

    Gates use 0 … 1 (dark closed, bright open), states and candidates a diverging scale fixed at ±1
    for tanh outputs (the LSTM's cell state may go beyond: its scale follows the data, centred on 0).

    The characters read are not in the figure: the page draws them under it as HTML (char_row), aligned with
    the plot area (MARGIN). Plotly lays out each text point at every redraw: the 40 of a row, drawn as a text
    trace, were half the browser's work for the chart (13.6 ms against 7.0 ms without, Plotly.react alone).
    scale=False: without its colour bar (its room stays, so the two heatmaps of a pair line up).
    """
    chars = [visible(ch) for ch in text[lo:hi]]
    z = values[lo:hi][:, units].T                                          # (units, width)
    gate = quantity in SIGMOID
    bound = 1.0 if quantity != "cell state" else max(1.0, float(np.abs(z).max()))
    heat = dict(
        type="heatmap", z=z, x=np.arange(lo, hi) + 1, y=[str(u) for u in units],
        colorscale=GATE_SCALE if gate else SIGNED,
        zmin=0.0 if gate else -bound, zmax=1.0 if gate else bound,
        hovertemplate="character %{x}<br>unit %{y}<br>%{z:.3f}<extra></extra>",
        colorbar=dict(thickness=10, len=1.0, x=1.0, xpad=6), showscale=scale,
    )
    if _step(lo, hi) > 1:     # the row under the cells skips characters: the hover names each one (a label a
        heat.update(          # cell, which costs the browser: only where the row cannot show them all)
            customdata=np.broadcast_to(np.array(chars, dtype=str), z.shape),   # str, not object: ~30% faster
            hovertemplate="character %{x}: '%{customdata}'<br>unit %{y}<br>%{z:.3f}<extra></extra>")
    height = 94 + 9 * len(units)            # + the row (~40 px): the main view fits a 720 px projector
    return _figure([heat], title, hovermode="closest", height=height, margin=dict(MARGIN),
                   xaxis=dict(range=[lo + 0.5, hi + 0.5], showticklabels=False, ticks="", showgrid=False,
                              zeroline=False, automargin=False),
                   yaxis=dict(type="category", autorange="reversed", showticklabels=len(units) <= UNIT_LABELS,
                              showgrid=False, title=dict(text="unit (hover: which)", standoff=4),
                              tickfont=dict(size=10), automargin=False))


# Inline styles, no <style> sheet: the row is replaced at every move of the window, and a style sheet added to the
# page makes the browser restyle all of it. A grid of equal columns (minmax(0, 1fr): a character wider than its
# column does not widen it), each character centred on its column, overflowing it evenly when the column is narrow.
ROW_STYLE = ("display:grid;grid-auto-flow:column;grid-auto-columns:minmax(0,1fr);justify-items:center;"
             f"white-space:pre;font-family:{MONO};font-size:0.69rem;line-height:1.15rem;color:inherit;opacity:0.85")
AXIS_STYLE = "text-align:center;font-size:0.8rem;line-height:1.1rem;color:inherit;opacity:0.7"


def char_row(text: str, lo: int, hi: int, key: str = "") -> str:
    """The characters lo … hi−1 of `text` as HTML, to draw right under heatmap(…, lo, hi, …): one cell per
    column of the heatmap, in a row of equal cells within the figure's left and right margins (MARGIN), so cell
    k sits under column k; over MAX_CHARS_SHOWN characters, every k-th cell holds its character (the others are
    empty), as the heatmap's hover names each. Then the x axis's title, "character". Every character is
    escaped here (the text is typed by a student); the text colour is the page's (light and dark themes).
    A screen reader reads the characters once, from the row's label; `key` names the chart it belongs to."""
    step = _step(lo, hi)
    chars = [visible(ch) for ch in text[lo:hi]]
    spans = "".join(f"<span>{html.escape(ch)}</span>" if k % step == 0 else "<span></span>"
                    for k, ch in enumerate(chars))
    nth = {2: "2nd", 3: "3rd"}.get(step, f"{step}th")
    read = [VISIBLE.get(ch, ch) if ch != " " else ch for ch in text[lo:hi:step]]     # words read as words
    said = f"Characters {lo + 1} to {hi}" + (f", every {nth}: " + " ".join(read) if step > 1 else ": " + "".join(read))
    return (f'<div class="rnnviz-chars-box" data-chart="{html.escape(key)}" '
            f'style="padding:0 {MARGIN["r"]}px 0 {MARGIN["l"]}px">'
            f'<div class="rnnviz-chars" role="img" aria-label="{html.escape(said)}" style="{ROW_STYLE}">{spans}</div>'
            f'<div aria-hidden="true" style="{AXIS_STYLE}">character</div></div>')


_CELL = re.compile(r"<span>(.*?)</span>", re.S)


def row_cells(row: str) -> list[str]:
    """The cells of a char_row's HTML, in order, as the characters shown ("" where the row skips one)."""
    return [html.unescape(c) for c in _CELL.findall(row)]


def characters(row: str) -> list[str]:
    """The characters a char_row's HTML shows under a heatmap's cells, in order."""
    return [c for c in row_cells(row) if c]


def _shade(lo: int, hi: int, axis: str = "") -> dict:
    """A grey band behind characters lo+1 … hi (the heatmaps' window) on x axis `axis` ("", "2")."""
    return dict(type="rect", xref=f"x{axis}", yref=f"y{axis} domain", x0=lo + 0.5, x1=hi + 0.5, y0=0, y1=1,
                fillcolor=WINDOW_SHADE, line=dict(width=0), layer="below")


def _hover_chars(text: str, positions: np.ndarray) -> np.ndarray:
    return np.array([visible(text[p - 1]) for p in positions], dtype=str)


def surprisal(text: str, bits: dict[str, np.ndarray], lo: int, hi: int, duel: Duel | None = None) -> go.Figure:
    """Top: each model's surprise (bits) at every character it predicted. Bottom (both models only):
    LSTM bits − GRU bits, a bar per character in the colour of the less surprised model. The
    characters shown in the heatmaps below are shaded."""
    x = np.arange(2, len(text) + 1)                                      # 1-based positions predicted
    chars = _hover_chars(text, x)
    data = [dict(type="scatter", x=x, y=b, name=f"{NAME[kind]} surprise", mode="lines",
                 line=dict(color=COLOR[kind], width=1.6), customdata=chars,
                 hovertemplate=f"{NAME[kind]}: %{{y:.2f}} bits<extra></extra>")
            for kind, b in bits.items()]
    axis_x = axis("character position in the text", range=[1.5, len(text) + 0.5])
    layout = dict(xaxis=axis_x, yaxis=axis("bits", rangemode="tozero", gridcolor=GRID),
                  shapes=[_shade(lo, hi)], height=300)
    if duel is not None:
        adv = duel.advantage
        winner = np.where(adv > duel.tie, "gru", np.where(adv < -duel.tie, "lstm", "tie"))
        for who, name, colour in (("gru", "GRU less surprised", COLOR["gru"]), ("lstm", "LSTM less surprised",
                                  COLOR["lstm"]), ("tie", f"within {duel.tie} bits", "#999999")):
            mask = winner == who                                          # one trace per colour: a colour
            data.append(dict(type="bar", x=x[mask], y=adv[mask], xaxis="x2", yaxis="y2", name=name,   # per bar: slow
                             marker=dict(color=colour, line=dict(width=0)), customdata=chars[mask],
                             hovertemplate="'%{customdata}': LSTM − GRU = %{y:+.2f} bits<extra></extra>"))
        layout.update(height=420, bargap=0, barmode="overlay",
                      xaxis=dict(matches="x2", showticklabels=False, anchor="y"),
                      yaxis=axis("bits", rangemode="tozero", gridcolor=GRID, domain=[0.42, 1.0]),
                      xaxis2=dict(axis_x, anchor="y2"),
                      yaxis2=axis("LSTM − GRU", domain=[0.0, 0.36], zeroline=True, zerolinecolor="#888",
                                  gridcolor=GRID),
                      shapes=[_shade(lo, hi), _shade(lo, hi, "2")])
    return _figure(data, "Surprise at each character: −log₂ p(the character that came)", **layout)


def gate_means(text: str, means: dict[str, np.ndarray], quantities: dict[str, str], lo: int, hi: int) -> go.Figure:
    """Each model's chosen quantity averaged over all its units, at every character (shaded: the window)."""
    x = np.arange(1, len(text) + 1)
    chars = _hover_chars(text, x)
    data = [dict(type="scatter", x=x, y=m, mode="lines", name=f"{NAME[kind]}: {label(quantities[kind])}",
                 line=dict(color=COLOR[kind], width=1.6), customdata=chars,
                 hovertemplate=f"{NAME[kind]}: %{{y:.3f}}<extra></extra>") for kind, m in means.items()]
    sig = all(q in SIGMOID for q in quantities.values())           # gates: a fixed 0 … 1 axis
    return _figure(data, "Averaged over all units, along the whole text", height=270,
                   margin=dict(l=60, r=20, t=80, b=45), shapes=[_shade(lo, hi)],
                   xaxis=axis("character position in the text", range=[0.5, len(text) + 0.5]),
                   yaxis=axis("mean over units", gridcolor=GRID, **({"range": [0, 1]} if sig else {})))


def class_bars(stats: dict[str, dict[str, dict[str, float]]]) -> go.Figure:
    """For each model (a panel), each sigmoid gate's mean value by kind of character read."""
    kinds = list(stats)
    width = 1 / len(kinds)
    data, layout, titles = [], {}, []
    for n, kind in enumerate(kinds):
        suffix = "" if n == 0 else str(n + 1)
        for name, per_class in stats[kind].items():
            classes = [c for c in CLASSES if c in per_class]
            data.append(dict(type="bar", x=classes, y=[per_class[c] for c in classes], name=label(name),
                             xaxis=f"x{suffix}", yaxis=f"y{suffix}",
                             marker=dict(color=COLOR["input" if name == "1-update" else name]),
                             hovertemplate=f"{label(name)}<br>%{{x}}: %{{y:.3f}}<extra></extra>"))
        gap = 0.03                                                        # between the panels
        layout[f"xaxis{suffix}"] = dict(domain=[n * width + (gap if n else 0), (n + 1) * width - (0 if n else gap)],
                                        anchor=f"y{suffix}")
        layout[f"yaxis{suffix}"] = dict(range=[0, 1], gridcolor=GRID, anchor=f"x{suffix}",
                                        **({"title": {"text": "mean gate value"}} if n == 0 else {"showticklabels": False}))
        titles.append(dict(text=NAME[kind], x=(n + 0.5) * width, xref="paper", y=1.0, yref="paper",
                           yanchor="bottom", showarrow=False, font=dict(color=COLOR[kind], size=14)))
    return _figure(data, "How open each gate is, by the kind of character being read", height=360,
                   hovermode="closest", barmode="group", bargap=0.25, annotations=titles,
                   margin=dict(l=60, r=20, t=110, b=40),
                   legend=dict(orientation="h", y=1.12, yanchor="bottom", x=0, xanchor="left"), **layout)


BLOCK_COLOR = {"read-out": "#999999"}


def _block_color(block: str) -> str:
    """A block's bar colour: its gate's, or grey for the read-out. The label inside a bar is black or white,
    whichever reads better on it (style.text_on, ≥ 4.5:1): plotly's own pick, #444 on the light bars, gave
    3.2:1 on the candidate's purple and 4.2:1 on the input gate's sky blue, dim on the dark page."""
    return BLOCK_COLOR.get(block, COLOR.get(block))


def parameters(tables: dict[str, list[dict]]) -> go.Figure:
    """One horizontal bar per model, stacked by block (each gate block, then the read-out)."""
    data = [dict(type="bar", y=[NAME[kind]], x=[row["total"]], orientation="h", name=row["block"],
                 marker=dict(color=_block_color(row["block"]),
                             line=dict(color="rgba(255,255,255,0.8)", width=1)),
                 text=[f"{row['block']} {row['total']:,}"], textangle=0, cliponaxis=False,
                 insidetextfont=dict(color=text_on(_block_color(row["block"]))),
                 textposition="outside" if row["block"] == "read-out" else "inside", insidetextanchor="middle",
                 showlegend=False, hovertemplate=f"{NAME[kind]} {row['block']}: %{{x:,}} parameters<extra></extra>")
            for kind, rows in tables.items() for row in rows]
    return _figure(data, "Parameters per block", barmode="stack", height=230, hovermode="closest",
                   margin=dict(l=60, r=130, t=50, b=40), uniformtext=dict(minsize=10),
                   xaxis=axis("parameters", gridcolor=GRID), yaxis=dict(autorange="reversed"))


BASELINES = (("uniform", "uniform: every character alike"), ("unigram", "unigram: letter frequencies"),
             ("bigram", "bigram: the previous character"))


def validation(metrics: dict[str, dict]) -> go.Figure:
    """Held-out bits per character of each model next to the three baselines (lower is better)."""
    any_metrics = next(iter(metrics.values()))
    names = [text for _, text in BASELINES] + [f"{NAME[k]} (trained)" for k in metrics]
    values = [any_metrics[f"{key}_bpc"] for key, _ in BASELINES] + [m["val_bpc"] for m in metrics.values()]
    colors = ["#B0B0B0"] * len(BASELINES) + [COLOR[k] for k in metrics]
    bars = dict(type="bar", y=names, x=values, orientation="h", marker=dict(color=colors),
                text=[f"{v:.3f}" for v in values], textposition="outside", cliponaxis=False,
                hovertemplate="%{y}: %{x:.3f} bits per character<extra></extra>")
    return _figure([bars], "Bits per character on held-out Hamlet and Macbeth (lower is better)", height=280,
                   hovermode="closest", margin=dict(l=60, r=60, t=50, b=40),
                   xaxis=axis("bits per character", gridcolor=GRID, rangemode="tozero"),
                   yaxis=dict(autorange="reversed"))


# ----- text and tables (plain data: Streamlit shows table cells as text, never as HTML) -------------

# Each model's sigmoid gates in matching roles and order: keep, write, what the next step sees.
CLASS_GATES = {"gru": ("update", "1-update", "reset"), "lstm": ("forget", "input", "output")}
ROLE = {"reset": "reset gate", "update": "update gate", "new": "candidate", "input": "input gate",
        "forget": "forget gate", "cell": "candidate", "output": "output gate", "c": "cell state: the memory"}


def equations_latex(kind: str) -> str:
    """cells.equations(kind), the LaTeX the code is checked against, as one block aligned at "="."""
    return (r"\begin{aligned}" + r" \\ ".join(tex.replace("=", "&=", 1) for _, tex in cells.equations(kind))
            + r"\end{aligned}")


def equation_roles(kind: str) -> str:
    """One line naming what each equation computes, e.g. "r: reset gate · z: update gate · …" (markdown)."""
    out = []
    for name, tex in cells.equations(kind):
        role = ROLE.get(name) or ("the state: memory and output" if kind == "gru" else "hidden state: the output")
        out.append(f"${tex.split('=')[0].strip()}$ {role}")
    return " · ".join(out)


def biggest_table(duel: Duel, kind: str, n: int = 5) -> list[dict]:
    """Where `kind` beat the other model by the most bits: the text before, the character, both surprises."""
    return [{"…text before": "…" + "".join(visible(ch) for ch in row["before"]), "next": visible(row["char"]),
             "GRU bits": round(row["gru"], 2), "LSTM bits": round(row["lstm"], 2)}
            for row in duel.biggest(kind, n)]


def parameter_rows(rows: list[dict]) -> list[dict]:
    """charlm.parameter_table's rows, with the column names a student reads."""
    return [{"block": r["block"], "W_i (H×V)": r["W_i"], "W_h (H×H)": r["W_h"], "W_y (V×H)": r["W_y"],
             "biases": r["biases"], "total": r["total"]} for r in rows]
