"""Figures of the "LSTM inside" lesson: a trained character LSTM reading a text.

Pure functions: a charlm.Reading (and what the core computed from it) in, a plotly figure out.
x is always the step t = 1..T (the t-th character read), so every figure lines up with the stepper.
Characters reach plotly only as single, escaped labels (a space as ␣, a newline as ↵).

Built from plain dicts (style.figure), with numeric and str numpy arrays for the big matrices: the page
redraws these on every rerun, and plotly's per-property checks in go.Figure/go.Heatmap, plus to_dict's
deepcopy label by label (~120,000 calls for a 200-character text), cost more than the reading behind them.

Shape legend: T characters, H units, K = 5 predictions per step.
"""
from __future__ import annotations

import html
import math

import numpy as np
import plotly.graph_objects as go

from rnnviz.shared import charlm
from rnnviz.shared.charlm import Reading
from rnnviz.shared import gates
from rnnviz.shared.style import COLOR, SIGNED_SCALE, axis, base_layout, colorscale, figure
from rnnviz.topics.lstm_inside.neurons import Match

WINDOW = 60            # the step view shows this many characters around t
# The page's quantities: key → (gates.LABELS key, COLOR key, signed?). "cell" is the cell *state* c_t;
# the LSTM's third gate (torch's "cell" block) is the candidate g_t.
QUANTITIES = {
    "input": ("input", "input", False),
    "forget": ("forget", "forget", False),
    "output": ("output", "output", False),
    "candidate": ("cell", "cell", True),
    "cell": ("cell state", "c", True),
    "hidden": ("hidden", "h", True),
}
MONO = dict(family="Source Code Pro, monospace", size=12)
PREDICTION_SCALE = [[0.0, "rgba(204,121,167,0.04)"], [1.0, "rgba(204,121,167,1)"]]   # COLOR["prediction"]


SIGNED = colorscale(SIGNED_SCALE)


def values(r: Reading, key: str) -> np.ndarray:
    """(T, H) activations of one of QUANTITIES. On this page "cell" is the cell state c_t and "candidate"
    is g_t (which torch.nn and Reading.quantity call the "cell" gate)."""
    return r.quantity({"cell": "cell state", "candidate": "cell"}.get(key, key))


def label(key: str) -> str:
    return gates.LABELS[QUANTITIES[key][0]]


def char_label(ch: str) -> str:
    """One character as a plotly label: visible and escaped."""
    # quote=False: plotly decodes &lt; &gt; &amp; in labels but shows &quot; literally
    return html.escape(gates.visible(ch) if ch.isprintable() or ch in gates.VISIBLE else "�", quote=False)


def _char_axis(text: str, lo: int, hi: int, max_chars: int = 120) -> dict:
    """x-axis for steps lo..hi (1-based): every character read as its tick label when they fit, else
    plain step numbers (thinned-out letters read as gibberish; hover still names each character)."""
    if hi - lo + 1 > max_chars:
        return dict(tickmode="auto", title=dict(text="step t (character)"))
    ticks = list(range(lo, hi + 1))
    return dict(tickmode="array", tickvals=ticks, ticktext=[char_label(text[k - 1]) for k in ticks],
                tickangle=0, tickfont=MONO)


def window(T: int, t: int, width: int = WINDOW) -> tuple[int, int]:
    """(lo, hi), 1-based and inclusive: `width` steps around t, inside 1..T."""
    lo = max(1, min(t - width // 2, T - width + 1))
    return lo, min(T, lo + width - 1)


# ----- all units at once -------------------------------------------------------------------------
def order_units(acts: np.ndarray, by: str, scores: np.ndarray | None = None) -> np.ndarray:
    """Unit indices in display order: "number" 0..H−1; "busiest" by the spread (std) of the unit over
    the text; "feature" by |scores| (a correlation per unit), NaN last."""
    H = acts.shape[1]
    if by == "busiest":
        return np.argsort(-acts.std(0), kind="stable")
    if by == "feature" and scores is not None:
        return np.argsort(-np.nan_to_num(np.abs(scores), nan=-1.0), kind="stable")
    return np.arange(H)


HOVER_CHARS = 400      # up to this many characters the heatmap's hover names each one (beyond, the step)


def unit_heatmap(acts: np.ndarray, text: str, key: str, order: np.ndarray, unit: int, title: str) -> go.Figure:
    """Every unit in `order` (top to bottom) × every character (x = step 1..T), the chosen unit marked ◀.

    The colours are gates.heatmap's (sigmoid gates 0…1 dark → bright; signed quantities diverging around
    0), built here in one go: a per-cell hover label for 256 units × 1,000 characters cost more than
    everything else on the page, so past HOVER_CHARS the hover gives the step instead of the character
    (and the labels go in as one numpy str array, which to_dict copies in one go, not cell by cell).
    Signed quantities saturate beyond the 99th percentile of |value|: a few cell states reach ±20 and
    would otherwise wash every other unit out to white.
    """
    T, n = acts.shape[0], len(order)
    _, color, signed = QUANTITIES[key]
    top = (float(np.nanpercentile(np.abs(acts), 99)) or 1.0) if signed else 1.0
    bar = f"{label(key)} (beyond ±{top:.2g}: full colour)" if signed else label(key)
    rows = [str(u) for u in order]
    chars = T <= HOVER_CHARS
    where = "step %{x} '%{customdata}'" if chars else "step %{x}"
    heat = dict(type="heatmap", name=label(key), z=acts[:, order].T, x=np.arange(1, T + 1), y=rows,
                zmin=-top if signed else 0.0, zmax=top, colorscale=SIGNED if signed else gates.GATE_SCALE,
                hovertemplate=where + "<br>unit %{y}<br>%{z:.3f}<extra></extra>",
                colorbar=dict(title=dict(text=bar, side="right"), thickness=12))
    if chars:
        heat["customdata"] = np.broadcast_to(np.array([char_label(ch) for ch in text[:T]], dtype=str), (n, T))
    marker = dict(type="scatter", x=[T + 2.2], y=[str(unit)], mode="markers", showlegend=False,
                  marker=dict(symbol="triangle-left", size=11, color=COLOR[color], line=dict(width=1, color="#333")),
                  hovertemplate=f"unit {unit}: the unit you follow<extra></extra>")
    ordered = not np.array_equal(order, np.arange(n))
    return figure([heat, marker], base_layout(
        title, hovermode="closest", height=min(560, 180 + 2 * n), margin=dict(l=60, r=20, t=50, b=50),
        xaxis={**_char_axis(text, 1, T), "range": [0.5, T + 3.5]},
        yaxis=axis("unit (top: first in the order)" if ordered else "unit", type="category",
                   categoryorder="array", categoryarray=rows, autorange="reversed")))


def _rows(heights: list[float], titles: list[str], gap: float, x_axis: dict,
          labelled: tuple[int, ...]) -> dict:
    """Layout of rows stacked top to bottom sharing one x-axis (row k uses axes x{k}, y{k}; row 1 plain
    x, y), each titled above. Built as plain layout, not with make_subplots: that and trace-by-trace
    add_* calls cost plotly ~4× the time of one validated go.Figure(traces, layout), on every rerun.
    `labelled`: the rows whose x tick labels show (the rest only share the axis)."""
    total, free = sum(heights), 1 - gap * (len(heights) - 1)
    layout, notes, top = {}, [], 1.0
    for k, (hgt, title) in enumerate(zip(heights, titles), start=1):
        bottom = top - free * hgt / total
        name = "" if k == 1 else str(k)
        x = {**x_axis, "showticklabels": k in labelled, "anchor": f"y{name}", **({"matches": "x"} if k > 1 else {})}
        if k != len(heights):
            x.pop("title", None)          # the axis title only under the bottom row
        layout[f"xaxis{name}"] = x
        layout[f"yaxis{name}"] = {"domain": [max(0.0, bottom), top], "anchor": f"x{name}"}
        notes.append(dict(text=title, x=0.5, y=top, xref="paper", yref="paper", xanchor="center",
                          yanchor="bottom", showarrow=False, font=dict(size=14)))
        top = bottom - gap
    return {**layout, "annotations": notes}


def _on(row: int) -> dict:
    """The axes of one row of `_rows`, for a trace."""
    return {"xaxis": "x" if row == 1 else f"x{row}", "yaxis": "y" if row == 1 else f"y{row}"}


# ----- the step view: one unit around step t, and the top-5 predictions --------------------------
def page_window(T: int, t: int, width: int = WINDOW) -> tuple[int, int]:
    """(lo, hi), 1-based and inclusive: the step view's `width` characters for step t. The window moves in
    jumps of half its width, with t between a quarter and three quarters of the way along (nearer the ends
    of the text, as far as they allow): stepping redraws the chart once every width/2 steps, and in between
    only the step's marker (step_mark) moves. (A window centred on t moved, and cost a full redraw of the
    chart, at every step.)"""
    half = max(1, width // 2)
    lo = max(1, min((t - 1) // half * half + 1 - width // 4, T - width + 1))
    return lo, min(T, lo + width - 1)


# The step view's margins, fixed: step_mark places its marker by them (l and r), so no axis grows them.
STEP_MARGIN = dict(l=70, r=20, t=60, b=34)


def step_view(r: Reading, unit: int, t: int, top_chars: np.ndarray, top_probs: np.ndarray,
              width: int = WINDOW, height: int = 660) -> go.Figure:
    """Three rows over the characters of the window holding step t (page_window): the unit's gates, its
    c_t and h_t, and after each character the 5 likeliest next characters (the one that really came is
    boxed). The same figure for every t in one window; step_mark draws where t is."""
    T = len(r.text)
    lo, hi = page_window(T, t, width)
    xs, sl = np.arange(lo, hi + 1), slice(lo - 1, hi)
    traces = [dict(type="scatter", x=xs, y=r.gates[g][sl, unit], name=gates.LABELS[g],
                   line=dict(color=COLOR[g], width=2), **_on(1)) for g in ("input", "forget", "output")]
    traces += [dict(type="scatter", x=xs, y=r.c[sl, unit], name=gates.LABELS["cell state"],
                    line=dict(color=COLOR["c"], width=2.5), **_on(2)),
               dict(type="scatter", x=xs, y=r.h[sl, unit], name=gates.LABELS["hidden"],
                    line=dict(color=COLOR["h"], width=2), **_on(2))]
    read = [char_label(r.text[k - 1]) for k in xs]
    cand = np.array([[char_label(ch) for ch in row] for row in top_chars[sl].T], dtype=str)   # (K, W)
    probs = top_probs[sl].T                                                      # (K, W)
    came = [char_label(r.text[k]) if k < T else "(end)" for k in xs]
    hover = np.array([[f"after '{read[j]}' (step {xs[j]}): '{cand[k, j]}' p = {probs[k, j]:.2f}<br>what came: "
                       f"'{came[j]}'" for j in range(len(xs))] for k in range(probs.shape[0])], dtype=str)
    ranks = np.arange(1, probs.shape[0] + 1)
    traces.append(dict(type="heatmap", z=probs, x=xs, y=ranks, hovertext=hover, hoverinfo="text",
                       colorscale=PREDICTION_SCALE, zmin=0, zmax=1, showscale=False, xgap=1, ygap=1, **_on(3)))
    # The letters as text on top: white on the strong cells, the theme's own font colour (dark on light,
    # light on dark) on the faint ones; a heatmap's own cell text picks black for faint cells even on dark.
    kk, jj = np.meshgrid(ranks, xs, indexing="ij")                               # (K, W) rank, step
    for strong in (False, True):
        pick = (probs > 0.45) == strong
        traces.append(dict(type="scatter", x=jj[pick], y=kk[pick], text=cand[pick], mode="text", hoverinfo="skip",
                           showlegend=False, textfont=dict(**MONO, **({"color": "white"} if strong else {})),
                           **_on(3)))
    shapes = []
    for k in xs:
        if k < T:
            hit = np.nonzero(top_chars[k - 1] == r.text[k])[0]
            if len(hit):
                shapes.append(dict(type="rect", xref="x3", yref="y3", x0=k - 0.5, x1=k + 0.5, y0=hit[0] + 0.5,
                                   y1=hit[0] + 1.5, line=dict(color=COLOR["h"], width=2)))
    # the characters read label the bottom row only (one row of 40 labels, not two: half the text to lay out)
    layout = _rows([0.27, 0.27, 0.46], [f"gates of unit {unit}", f"cell state and hidden state of unit {unit}",
                                        "after reading each character: the 5 likeliest next ones (□ = what came)"],
                   gap=0.08, x_axis={**_char_axis(r.text, lo, hi), "range": [lo - 0.5, hi + 0.5]}, labelled=(3,))
    layout["yaxis"].update(axis("gate", range=[-0.05, 1.05], automargin=False))
    layout["yaxis2"].update(axis("value", zeroline=True, automargin=False))
    layout["yaxis3"].update(axis("rank", autorange="reversed", tickvals=[1, 2, 3, 4, 5], automargin=False))
    return figure(traces, {**base_layout(None, height=height, hovermode="closest", shapes=shapes,
                                         margin=STEP_MARGIN,
                                         legend=dict(orientation="h", y=1.07, yanchor="bottom", x=0, xanchor="left")),
                           **layout})


STEP_MARK = "rgba(128,128,128,0.75)"


def step_mark(key: str, t: int, lo: int, hi: int) -> str:
    """A style sheet that draws step t's marker (a dotted vertical line through the three rows) over the
    step view in the chart keyed `key`, whose x range is [lo − 0.5, hi + 0.5] between its fixed margins
    (STEP_MARGIN). Over the chart, not in it: the chart stays the same while t moves inside its window, so
    the browser keeps it as drawn (plotly redraws a whole figure for one moved line: ~100 ms here); this
    costs a style change. (No angle brackets inside: Streamlit's sanitizer drops a style that has them.)"""
    share = (t - lo + 0.5) / (hi - lo + 1)
    m = STEP_MARGIN
    return (f"<style>.st-key-{key} {{ position: relative; }} .st-key-{key}::after {{ content: ''; position: absolute; "
            f"pointer-events: none; left: calc({m['l']}px + (100% - {m['l'] + m['r']}px) * {share:.5f}); "
            f"top: {m['t']}px; bottom: {m['b']}px; border-left: 2px dotted {STEP_MARK}; }}</style>")


# ----- the neuron hunt ---------------------------------------------------------------------------
def hunt_rows(matches: list[Match]) -> tuple[list[dict], list[str]]:
    """The hunt as table rows (r rounded), and the features that never change in this text (no r)."""
    rows, absent = [], []
    for m in matches:
        if m.unit < 0 or not math.isfinite(m.r):
            absent.append(m.feature)
            continue
        rows.append({"feature": m.feature, "best unit": m.unit, "r": round(m.r, 3),
                     "runner-up": m.runner_up, "its r": round(m.runner_up_r, 3) if math.isfinite(m.runner_up_r)
                     else float("nan")})
    return rows, absent


def hunt_match(text: str, acts: np.ndarray, feature: np.ndarray, m: Match, key: str) -> go.Figure:
    """The best unit's activation (line) over the text against the feature (grey steps, right axis)."""
    T = len(text)
    xs = np.arange(1, T + 1)
    traces = [dict(type="scatter", x=xs, y=feature, name=m.feature,
                   line=dict(color=COLOR["data"], width=0, shape="hvh"), fill="tozeroy",
                   fillcolor="rgba(127,127,127,0.22)", yaxis="y2",
                   hovertemplate="%{y:g}<extra>" + html.escape(m.feature) + "</extra>"),
              dict(type="scatter", x=xs, y=acts, name=f"unit {m.unit}: {label(key)}",
                   line=dict(color=COLOR[QUANTITIES[key][1]], width=2),
                   hovertemplate="%{y:.3f}<extra>unit " + str(m.unit) + "</extra>")]
    return figure(traces, base_layout(
        f"Unit {m.unit} against “{html.escape(m.feature)}”: r = {m.r:+.2f}", height=330,
        margin=dict(l=60, r=60, t=90, b=40), xaxis=_char_axis(text, 1, T), yaxis=axis(label(key)),
        yaxis2=axis("feature", overlaying="y", side="right", showgrid=False)))


# ----- the intervention --------------------------------------------------------------------------
def intervention(free: Reading, clamped: Reading, fx: charlm.Effect, unit: int, start: int, value: float) -> go.Figure:
    """Free vs clamped run: the unit's forget gate and cell state, then the whole layer's ‖Δh‖, then the
    change in surprisal of each next character."""
    T = len(free.text)
    xs = np.arange(1, T + 1)
    curve = lambda name, y, **kw: dict(type="scatter", x=xs, y=y, name=name, **kw)    # noqa: E731
    traces = [
        curve("c_t free", free.c[:, unit], line=dict(color=COLOR["c"], width=2)),
        curve("c_t clamped", clamped.c[:, unit], line=dict(color=COLOR["c"], width=2, dash="dot")),
        curve("f_t free", free.gates["forget"][:, unit], opacity=0.7, line=dict(color=COLOR["forget"], width=1.5)),
        curve("f_t clamped", clamped.gates["forget"][:, unit], line=dict(color=COLOR["forget"], width=1.5, dash="dot")),
        curve("‖Δh‖", fx.dh, line=dict(color=COLOR["h"], width=2), fill="tozeroy", showlegend=False, **_on(2)),
    ]
    worse = fx.dbits > 0                   # one bar trace per colour: a per-bar colour list costs plotly ~30 ms
    for pick, color in ((worse, COLOR["loss"]), (~worse, COLOR["share"])):
        traces.append(dict(type="bar", x=xs[:-1][pick], y=fx.dbits[pick], marker=dict(color=color), showlegend=False,
                           hovertemplate="step %{x}: %{y:+.2f} bits<extra></extra>", **_on(3)))
    titles = [f"unit {unit}: cell state c<sub>t</sub> and forget gate f<sub>t</sub>, free (solid) vs clamped (dotted)",
              "how far the whole hidden state moved: ‖h<sub>clamped</sub> − h<sub>free</sub>‖",
              "Δ surprisal of the true next character (bits; up = worse prediction)"]
    layout = _rows([0.4, 0.3, 0.3], titles, gap=0.09, x_axis=_char_axis(free.text, 1, T), labelled=(3,))
    return figure(traces, {
        **base_layout(f"Clamped from step {start} on: f<sub>t</sub> of unit {unit} := {value:g}", height=620,
                      margin=dict(l=60, r=20, t=110, b=40), bargap=0, barmode="relative",
                      legend=dict(orientation="h", y=1.07, yanchor="bottom", x=0, xanchor="left"),
                      shapes=[dict(type="rect", xref="x", yref="paper", x0=start - 0.5, x1=T + 0.5, y0=0, y1=1,
                                   fillcolor="rgba(230,159,0,0.08)", line=dict(width=0))]), **layout})
