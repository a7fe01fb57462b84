"""Figures of the text-generation demo: every step's distribution as a heatmap, and one step's as bars.

    steps_heatmap(g, top=10, picked=5)     # step × rank: what could come, how likely, and what was drawn
    step_bars(g, step=5)                   # HTML bars: the model's own, after τ, after top-k; the drawn one marked

`g` is a rnnviz.topics.generation.compute.Generation. Characters are drawn visibly (␣ for a space, ↵ for a
newline) and escaped here: plotly reads <b>, <br> and entities in text and hover labels.
"""
from __future__ import annotations

import html

import numpy as np
import plotly.graph_objects as go

from rnnviz.shared.style import COLOR, MAGNITUDE_SCALE, axis, base_layout, colorscale, figure, swatches
from rnnviz.topics.generation.compute import Generation, visible

SHOW_TEXT_UP_TO = 60           # steps: beyond that the letters in the heatmap's cells get too small to read
WINDOW = 40                    # steps the page's heatmap shows around the picked one
LETTER_PX = 14                 # a cell narrower than this (in pixels) gets no letter: it would overlap its neighbours


def shown(ch: str) -> str:
    return html.escape(visible(ch), quote=False)


def page_of(step: int, n: int, width: int = WINDOW) -> range:
    """The page's heatmap window for `step`: up to `width` of the steps 1..n, moving in jumps of half its width
    (step between a quarter and three quarters of the way along, as far as the ends allow). Stepping redraws
    the heatmap once every width/2 steps; in between only step_mark moves (as LSTM inside's step view)."""
    half = max(1, width // 2)
    first = max(1, min((int(step) - 1) // half * half + 1 - width // 4, n - width + 1))
    return range(first, min(n, first + width - 1) + 1)


# The heatmap's plot area, fixed so that step_mark can place a column by arithmetic: its margins (no
# automargin), and the x domain: the whole width. No colour bar: plotly's pushed the right margin out by ~30 px
# (so t's box drifted off its column, by up to 4 steps at the window's end) and cost ~3 ms of every redraw for a
# key that never changes; the title's second line holds the key instead (heatmap_title).
HEAT_MARGIN = dict(l=86, r=20, t=68, b=56)   # l, b: the ticks and titles in a projector's larger type too
HEAT_DOMAIN = 1.0


def step_mark(key: str, step: int, steps: range, color: str = COLOR["tempered"]) -> str:
    """A style sheet that boxes column `step` of the heatmap keyed `key` showing `steps` (an orange box, where
    the figure's own marker for `picked` is). Over the chart, not in it: the chart stays the same while the
    step moves inside its window, so the browser keeps it as drawn (plotly redraws a whole figure for one
    moved shape); this costs a style change. (No angle brackets: Streamlit's sanitizer drops such a style.)"""
    m, n = HEAT_MARGIN, len(steps)
    inner = f"(100% - {m['l'] + m['r']}px) * {HEAT_DOMAIN}"
    return (f"<style>.st-key-{key} {{ position: relative; }} .st-key-{key}::after {{ content: ''; position: absolute; "
            f"pointer-events: none; box-sizing: border-box; left: calc({m['l']}px + {inner} * "
            f"{(step - steps.start) / n:.5f}); width: calc({inner} / {n}); top: {m['t']}px; bottom: {m['b']}px; "
            f"border: 2px solid {color}; }}</style>")


def drawn_rows(g: Generation, steps: range, top: int = 10) -> tuple[np.ndarray, int]:
    """(row of the drawn character in each column of `steps`, 0 = the model's favourite; `top` = the row
    "lower"), and the heatmap's number of rows (top, or top + 1 with "lower")."""
    rank = g.rank[np.arange(steps.start, steps.stop) - 1]
    return np.minimum(rank, top + 1) - 1, top + int((rank > top).any())


def drawn_marks(g: Generation, steps: range, top: int = 10, color: str = COLOR["prediction"]) -> dict:
    """The pink boxes on the drawn character's cell in each column: one path shape of 40 rectangles (x in steps,
    y in the plot area's height: row r of R spans 1 − (r+1)/R … 1 − r/R), each just inside its cell. A scatter
    of 40 square markers cost the browser ~6 ms of the figure's redraw on every τ move, 40 rect shapes more,
    a picture (SVG image) ~5 ms with its decoding; this one path ~3 ms (main-thread time, blank page)."""
    rows, R = drawn_rows(g, steps, top)
    pad = 0.12                                                          # of a cell, on each side
    path = "".join(f"M{s - 0.5 + pad:g},{1 - (r + pad) / R:.5f}H{s + 0.5 - pad:g}V{1 - (r + 1 - pad) / R:.5f}"
                   f"H{s - 0.5 + pad:g}Z" for s, r in zip(steps, rows))
    return dict(type="path", path=path, xref="x", yref="paper", line=dict(color=color, width=2),
                fillcolor="rgba(0,0,0,0)", name="drawn")


def pct(p: float) -> str:
    return f"{100 * p:.1f}%" if p >= 0.001 or p == 0 else "<0.1%"


KEY_READ = " · p drawn: 0 ■ ■ ■ ■ ■ 1"     # the colour key as describe.summary reads the title (its glyphs)
KEY_SAID = "; colour: p drawn, from 0 (dark) to 1 (yellow)"     # ... and as "The numbers" says it


def heatmap_title(g: Generation, steps: range) -> str:
    """The heatmap's title, two lines: what it shows, then the window, τ and top-k, and the colour key."""
    span = f"steps {steps.start}–{steps.stop - 1} of {len(g.text)}" if len(steps) < len(g.text) else f"{len(steps)} steps"
    key = swatches(MAGNITUDE_SCALE, "font-size:1.2em")
    # (sizes in em: a projector's copy of the figure scales the title's font, style.for_projector)
    return (f"What could come at each step, and what was drawn<br><span style='font-size:0.8em'>({span}; "
            f"τ = {g.temperature:g}, top-k = {g.top_k or 'off'}) · p drawn: 0 {key} 1</span>")


def steps_heatmap(g: Generation, top: int = 10, picked: int | None = None, steps: range | None = None,
                  height: int = 340, width: int = 800) -> go.Figure:
    """Columns: the generated `steps` (1-based; default all). Rows: the model's favourites at that step, best first (temperature
    keeps this order, top-k keeps its head). Colour: the probability the character was drawn with (after τ
    and top-k); blank: cut by top-k. A row "lower" holds the drawn character when it was not among the
    `top`. A box marks the character drawn (drawn_marks). `width`: the plot area's width in pixels the cells
    are planned for: a letter is written in each cell only where it fits (else the hover says it), and the
    box fits a cell. `picked` adds an orange box on that column."""
    steps = steps if steps is not None else range(1, len(g.text) + 1)
    sel = np.arange(steps.start, steps.stop) - 1                                 # 0-based generated steps
    N, A = len(sel), np.array([shown(ch) for ch in g.alphabet], dtype=object)
    model_probs, chosen, p_chosen = g.model_probs[sel], g.chosen[sel], g.p_chosen[sel]
    rows = np.argsort(-model_probs, axis=1, kind="stable")[:, :top]             # (N, top) alphabet indices
    final = np.take_along_axis(g.final[sel], rows, 1)                            # (N, top)
    own = np.take_along_axis(model_probs, rows, 1)
    rank = g.rank[sel]
    x = sel + 1
    lower = bool((rank > top).any())
    z = np.where(final > 0, final, np.nan).T                                     # (top, N); NaN: cut
    text = A[rows].T
    hover = np.array([[f"step {x[t]}, rank {r + 1}: “{text[r, t]}” drawn with p = {pct(final[t, r])} "
                       f"(model's own {pct(own[t, r])})" + (" · cut by top-k" if final[t, r] == 0 else "")
                       for t in range(N)] for r in range(top)], dtype=object)
    labels = [str(r) for r in range(1, top + 1)]
    if lower:                      # one more row: only the drawn characters ranked below `top` (else no hover)
        deep = rank > top
        z = np.vstack([z, np.where(deep, p_chosen, np.nan)])
        text = np.vstack([text, np.where(deep, A[chosen], "")])
        hover = np.vstack([hover, [f"step {x[t]}: “{A[chosen[t]]}” drawn from rank {rank[t]}, p = "
                                   f"{pct(p_chosen[t])}" if deep[t] else "" for t in range(N)]])
        labels.append("lower")
    heat = dict(type="heatmap", x=x, y=labels, z=z, zmin=0, zmax=1, colorscale=colorscale(MAGNITUDE_SCALE),
                hovertext=hover, hovertemplate="%{hovertext}<extra></extra>", xgap=1, ygap=1, showscale=False)
    px = width / max(N, 1)                                                     # a cell's width, in pixels
    if N <= SHOW_TEXT_UP_TO and px >= LETTER_PX:
        heat.update(text=text, texttemplate="%{text}", textfont=dict(size=12 if px >= 18 else 10))
    layout = base_layout(heatmap_title(g, steps), height=height, hovermode="closest", showlegend=False,
                         xaxis=axis("generated step", showgrid=False, zeroline=False, domain=[0, HEAT_DOMAIN],
                                    range=[x[0] - 0.5, x[-1] + 0.5], automargin=False),
                         yaxis=axis("rank (model's order)", type="category", autorange="reversed", showgrid=False,
                                    automargin=False),
                         margin=dict(HEAT_MARGIN), shapes=[drawn_marks(g, steps, top)])      # the title: two lines
    layout["title"].update(y=1, yref="container", pad=dict(t=18))   # plotly anchors a two-line title by its first
                                                                    # line: this one clears the top edge, projector type too
    if picked is not None and picked in steps:
        layout["shapes"] += [dict(type="rect", x0=picked - 0.5, x1=picked + 0.5, y0=0, y1=1, xref="x", yref="paper",
                                 line=dict(color=COLOR["tempered"], width=2), fillcolor="rgba(0,0,0,0)")]
    return figure([heat], layout)


# The step's bars are HTML, not a plotly chart: τ and the step t redraw them on every move, and a plotly figure
# cost the browser ~25 ms a move more than these ~50 boxes (issue 22's browser goal; measured with both side by
# side). The look follows the app's charts: the same three colours, a 0–100 % scale, the drawn one marked.
BARS_CSS = """.rnnviz-bars { font-size: 0.85rem; }
.rnnviz-bars .rb-title { font-weight: 600; font-size: 1rem; margin: 0 0 0.2rem 0; }
.rnnviz-bars .rb-legend { display: flex; flex-wrap: wrap; gap: 0.2rem 1rem; opacity: 0.85; }
.rnnviz-bars .rb-legend i { display: inline-block; width: 0.8em; height: 0.8em; margin-right: 0.35em; border-radius: 2px; }
.rnnviz-bars .rb-plot { position: relative; display: flex; margin: 2.1rem 0 0 2.6rem; }
.rnnviz-bars .rb-grid { position: absolute; left: 0; right: 0; border-top: 1px solid rgba(128, 132, 149, 0.25); }
.rnnviz-bars .rb-grid span { position: absolute; right: 100%; transform: translateY(-50%); padding-right: 0.4rem; opacity: 0.7; font-size: 0.75rem; }
.rnnviz-bars .rb-col { position: relative; flex: 1 1 0; display: flex; align-items: flex-end; justify-content: center; gap: 1px; height: 100%; }
.rnnviz-bars .rb-col b { display: block; width: 26%; max-width: 9px; border-radius: 1px 1px 0 0; }
.rnnviz-bars .rb-col.drawn { background: rgba(204, 121, 167, 0.12); }
.rnnviz-bars .rb-mark { position: absolute; left: 0; right: 0; text-align: center; font-size: 0.75rem; font-weight: 600; }
.rnnviz-bars .rb-x { display: flex; margin-left: 2.6rem; }
.rnnviz-bars .rb-x span { flex: 1 1 0; text-align: center; overflow: hidden; white-space: nowrap; }
.rnnviz-bars .rb-axis { margin-left: 2.6rem; text-align: center; opacity: 0.7; font-size: 0.75rem; }"""


def bars_title(g: Generation, step: int) -> str:
    """The step's headline, as plain text: what was drawn and with what probability."""
    s = int(step) - 1
    drawn = int(g.chosen[s])
    return f"Step {step}: drew “{visible(g.alphabet[drawn])}”, p = {pct(float(g.final[s, drawn]))}"


def step_bars(g: Generation, step: int, top: int = 15, height: int = 240) -> str:
    """Generated step `step` (1-based) as HTML bars: the `top` likeliest next characters (and the drawn one, if
    it was not among them), each with three bars: the model's own distribution, after the temperature, and
    after top-k as well (what was drawn from). The drawn one is marked. Hovering a column gives its numbers;
    a screen reader reads the headline and the drawn character's numbers (aria-label). Every character is
    escaped here (the prompt is typed by a student)."""
    s = int(step) - 1
    idx = list(g.order(s)[:top])
    drawn = int(g.chosen[s])
    if drawn not in idx:
        idx.append(drawn)
    cut = f"top-{g.top_k}" if g.top_k else "no cut"
    series = [("model's own (τ = 1)", g.model_probs, COLOR["model_probs"]),
              (f"after temperature τ = {g.temperature:g}", g.tempered, COLOR["tempered"]),
              (f"drawn from (τ, {cut})", g.final, COLOR["prediction"])]
    esc = lambda text: html.escape(text, quote=True)
    legend = "".join(f'<span><i style="background:{color}"></i>{esc(label)}</span>' for label, _, color in series)
    grid = "".join(f'<div class="rb-grid" style="bottom:{q}%"><span>{q}%</span></div>' for q in (0, 25, 50, 75, 100))
    cols, ticks = [], []
    for i in idx:
        ps = [float(p[s, i]) for _, p, _ in series]
        name = visible(g.alphabet[i])
        hover = f"“{name}”: " + " · ".join(f"{label} {pct(v)}" for (label, _, _), v in zip(series, ps))
        bars = "".join(f'<b style="height:{100 * v:.2f}%;background:{color}"></b>' for v, (_, _, color) in zip(ps, series))
        mark = (f'<div class="rb-mark" style="bottom:calc({100 * max(ps):.2f}% + 2px);color:{COLOR["prediction"]}">'
                "drawn<br>▼</div>" if i == drawn else "")
        cols.append(f'<div class="rb-col{" drawn" if i == drawn else ""}" title="{esc(hover)}">{bars}{mark}</div>')
        ticks.append(f"<span>{esc(name)}</span>")
    said = (f"{bars_title(g, step)} (the model's own {pct(float(g.model_probs[s, drawn]))}); its favourite "
            f"“{visible(g.alphabet[idx[0]])}” had {pct(float(g.model_probs[s, idx[0]]))} by its own reckoning.")
    return (f'<div class="rnnviz-bars" role="img" aria-label="{esc(said)}"><style>{BARS_CSS}</style>'
            f'<p class="rb-title">{esc(bars_title(g, step))}</p><div class="rb-legend">{legend}</div>'
            f'<div class="rb-plot" style="height:{int(height)}px">{grid}{"".join(cols)}</div>'
            f'<div class="rb-x">{"".join(ticks)}</div><div class="rb-axis">next character (bar height: probability)</div></div>')
