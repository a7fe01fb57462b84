"""One colour per quantity, on every page (as CNN Explainer keeps all colours in one place).

A cell kind, a gate or a state always has the same colour, so a student who learned that the forget
gate is orange on one page finds it orange on the next. Colours come from the Okabe–Ito palette,
which stays distinguishable for the common kinds of colour blindness, and read on light and dark
backgrounds alike.
"""
from __future__ import annotations

import numpy as np
import plotly.colors
import plotly.graph_objects as go

from rnnviz.shared import figure_dict


COLOR = {
    # cell kinds
    "rnn": "#D55E00",        # vermillion
    "lstm": "#0072B2",       # blue
    "gru": "#009E73",        # bluish green
    "mingru": "#CC79A7",     # reddish purple: the GRU stripped to a linear recurrence (the Memory lab)
    "selective": "#997700",  # Tol's dark yellow: the selective diagonal recurrence (the Memory lab)
    # gates and states
    "input": "#56B4E9",      # sky blue
    "forget": "#E69F00",     # orange
    "cell": "#CC79A7",       # reddish purple: the candidate g_t
    "output": "#0072B2",
    "reset": "#F0E442",      # yellow
    "update": "#E69F00",     # like the forget gate: both decide how much of the past to keep
    "new": "#CC79A7",        # like the LSTM candidate
    "c": "#8C564B",          # the cell state, brown: the conveyor belt
    "h": "#009E73",
    # theory and annotations
    "bound": "#7F7F7F",      # grey dashes: what theory allows
    "explosion": "#C00000",
    "clipped": "#999999",
    # the BPTT lesson: data, prediction, loss, and the parts of the gradient
    "data": "#7F7F7F",       # the sequence x_t and the targets x_{t+1}: given, not computed
    "prediction": "#CC79A7", # y_t
    "loss": "#E15759",       # L_t, and ℓ_t = ∂L_t/∂h_t, the gradient the step's own loss sends
    "future": "#8E6BBF",     # the part of ∂L/∂h_t that arrives from later steps
    "share": "#56B4E9",      # one step's share of ∂L/∂W_hh
    "running": "#E69F00",    # the running sum of those shares, as the backward pass goes
    "truncated": "#999999",  # a gradient after truncation (like clipping: an intervention)
    "cosine": "#0072B2",     # cosine similarity of a changed gradient to the true one
    "ratio": "#D55E00",      # norm ratio of a changed gradient to the true one
    "sliding": "#0072B2",    # truncated BPTT with a window that slides with each loss
    "chunks": "#CC6677",     # truncated BPTT by chunks + h.detach() (Tol's rose: not a cell, not a gate)
    # the surname demo's baselines (the trained model itself is drawn in its cell kind's colour)
    "bigram": "#882255",     # wine: the character-bigram naive Bayes
    "majority": "#AAAAAA",   # light grey: always the largest class
    # the Architectures page: an encoder's cells are plain RNN cells ("rnn"); a decoder has its own weights
    "decoder": "#DDCC77",    # sand (Paul Tol's muted palette): not a cell kind, not a gate
    # text generation: the model's own next-character distribution, and the same after the temperature
    # (what is finally drawn from, after top-k too, is an output: "prediction")
    "model_probs": "#9E9E9E",
    "tempered": "#E69F00",   # orange: heat
    # the sentiment demo: the two sides a verdict can fall on, the two sentences read side by side, and
    # the bag-of-words naive Bayes (wine, like the surname demo's naive Bayes)
    "positive": "#009E73",   # bluish green
    "negative": "#D55E00",   # vermillion (Okabe–Ito: the pair stays apart for colour-blind eyes)
    "sentence": "#0072B2",   # the typed sentence: the LSTM's blue
    "compared": "#E69F00",   # the sentence it is compared with
    "bag_of_words": "#882255",
    "no_not": "#CC6677",     # Tol's rose: the sentiment LSTM trained without the made-up "not WORD" examples
    # the date-translation demo (encoder–decoder): the context vector, the beam search's kept partial
    # answers and its winner (Paul Tol's vibrant palette); the decoder's chosen symbol is a "prediction"
    "context": "#17BECF",    # cyan: c, the encoder's last state, all the decoder gets (reads on light and dark)
    "kept": "#0077BB",       # blue: a partial answer the beam keeps
    "winner": "#EE3377",     # magenta: the beam's winning answer and its path
    "char_accuracy": "#BBBBBB",  # light grey: the share of characters right (beside the whole answer's)
    # the forecasting demo: the series itself is "data"; the model's forecasts given the true past (teacher
    # forcing) in the GRU's colour, fed its own forecasts (free running) in purple, and the two naive baselines
    "one_step": "#009E73",   # the model is a GRU
    "free_run": "#AA4499",   # Paul Tol's muted purple: not a cell, not a gate
    "naive": "#AAAAAA",      # light grey, like the other "always the same answer" baselines
    "seasonal_naive": "#997700",   # Tol's dark yellow: readable on light and dark pages
    # the tagging demo: the left-to-right tagger is an LSTM ("lstm"); the one that also reads right to left,
    # and the most-frequent-tag-per-word baseline (knows words, not context)
    "bidirectional": "#EE7733",    # Tol's vibrant orange: apart from the LSTM's blue
    "tag_baseline": "#882255",     # wine, like the other count-based baselines (bigram, bag of words)
}

NAME = {"rnn": "RNN", "lstm": "LSTM", "gru": "GRU", "mingru": "minGRU", "selective": "Selective SSM"}

# A sequential colour scale for magnitudes (log10 of a gradient), and a diverging one for signed values.
MAGNITUDE_SCALE = "Viridis"
SIGNED_SCALE = "RdBu_r"

FONT = dict(family="Source Sans Pro, sans-serif", size=13)


def base_layout(title: str | None = None, **overrides) -> dict:
    """Layout shared by every figure: transparent background (follows the app's light/dark theme),
    the title at the top left and the legend in a row beneath it."""
    layout = dict(font=FONT, margin=dict(l=60, r=20, t=90, b=50), paper_bgcolor="rgba(0,0,0,0)",
                  plot_bgcolor="rgba(0,0,0,0)", legend=dict(orientation="h", y=1.0, yanchor="bottom",
                                                            x=0, xanchor="left"),
                  hovermode="x unified")
    if title:
        layout["title"] = dict(text=title, y=0.97, yanchor="top", x=0.01, xanchor="left", font=dict(size=16))
    layout.update(overrides)
    return layout


def figure(data: list[dict], layout: dict) -> go.Figure:
    """A plotly Figure from plain trace and layout dicts, without plotly's property-by-property checks.

    Those checks cost 7–22 ms per figure, most of a page's rerun (measured on the gradient lab), where
    building from dicts takes ~2 ms. So every key is spelt as plotly.js reads it: nested dicts and
    title=dict(text=...), never the xaxis_title shorthand, and each trace names its "type". The figure
    tests rebuild every such figure with full validation and require the same JSON, so a misspelt key
    fails a test instead of silently vanishing from the page."""
    return go.Figure(dict(data=data, layout=layout), _validate=False)


def for_projector(fig: go.Figure, k: float = 1.35) -> go.Figure:
    """A copy of `fig` with every font k times larger (presentation mode): Streamlit's own text grows with
    the page's root font size, but plotly sets its fonts in pixels, so they are scaled here. Fonts with no
    size of their own inherit the layout's (FONT, 13 px), which is scaled too."""
    spec = fig.to_plotly_json()

    def grow(node, in_font: bool = False) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if in_font and key == "size" and isinstance(value, (int, float)):
                    node[key] = round(value * k, 1)
                else:
                    grow(value, key.endswith("font"))
        elif isinstance(node, list):
            for item in node:
                grow(item, in_font)

    layout = spec.setdefault("layout", {})
    layout.setdefault("font", {}).setdefault("size", FONT["size"])
    grow(spec)
    if isinstance(layout.get("height"), (int, float)):
        layout["height"] = round(layout["height"] * (1 + (k - 1) / 2))    # room for the larger labels
    return go.Figure(spec, _validate=False)


def colorscale(name: str) -> list[list]:
    """A named colour scale spelt out as plotly's own check spells it (style.figure skips that name
    lookup): stop k of n at exactly k / (n − 1), where plotly.colors.get_colorscale gives positions
    such as 0.30000000000000004, so a figure built from dicts gives the same JSON as a checked one."""
    colors = [c for _, c in plotly.colors.get_colorscale(name)]
    return [[k / (len(colors) - 1), c] for k, c in enumerate(colors)]


def swatches(name: str, extra_style: str = "") -> str:
    """A colour scale's key as text: five squares (■) in every other of its colours, low to high, as HTML spans
    (read by plotly in a title, by the browser in a line under a chart)."""
    return "".join(f'<span style="color:{c}{";" + extra_style if extra_style else ""}">■</span>'
                   for _, c in colorscale(name)[::2])


def axis(title: str | None = None, **props) -> dict:
    """An axis dict for `figure`, e.g. axis("time step t", type="log")."""
    return dict(title=dict(text=title), **props) if title else props


# ----------------------------------------------------------------------------- contrast (WCAG 2.x)
# The page behind every figure is transparent (base_layout), so a colour must read on both of Streamlit's
# themes. WCAG asks 4.5:1 for text and 3:1 for the parts of a graphic one must see (1.4.3, 1.4.11).
BACKGROUND = {"light": "#FFFFFF", "dark": "#0E1117"}      # Streamlit's own page colours
TEXT_CONTRAST, GRAPHIC_CONTRAST = 4.5, 3.0
PENDING = "#8A8A8A"      # a mid grey: "not there yet" (3.4:1 on white, 5.5:1 on the dark page)


def luminance(color: str) -> float:
    """WCAG relative luminance of "#RRGGBB": 0 for black, 1 for white."""
    rgb = [int(color.lstrip("#")[k:k + 2], 16) / 255 for k in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours, 1 (the same) to 21 (black on white)."""
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def text_on(fill: str) -> str:
    """Black or white, whichever reads better on `fill` (a bar's label drawn inside the bar). Every colour
    in COLOR gets ≥ 4.5:1 this way; plotly's own choice (white below a brightness of 128, else #444)
    gave 3.2:1 on the candidate's purple and 4.2:1 on the input gate's sky blue."""
    return "#000000" if contrast(fill, "#000000") >= contrast(fill, "#FFFFFF") else "#FFFFFF"


# ----------------------------------------------------------------------------- numbers in heatmap cells
CHAR_WIDTH = 0.5         # a digit's width in ems: 0.49 measured for Source Sans Pro in Chromium ("-0.12" at 12 px: 29.6 px)


def _get(node, key: str, default=None):
    """node[key] for a plotly object or a plain dict, `default` when unset (None)."""
    try:
        value = node[key] if node is not None else None
    except (KeyError, ValueError):
        value = None
    return default if value is None else value


def _array(value) -> np.ndarray:
    """A data array as given: a list, a NumPy array, or plotly's typed array {"dtype", "bdata", "shape"}
    (what Figure.to_plotly_json makes of a NumPy array, e.g. in for_projector's copy)."""
    array = figure_dict.typed_array(value)
    return array if array is not None else np.asarray(value, dtype=object)


def _cell_labels(trace) -> list[str]:
    """The strings a heatmap trace prints in its cells ("%{text}" or "%{z:.2f}")."""
    template = _get(trace, "texttemplate", "")
    if "%{text}" in template and _get(trace, "text") is not None:
        return [str(v) for v in _array(_get(trace, "text")).ravel()]
    start = template.find("%{z:")
    if start >= 0 and _get(trace, "z") is not None:
        spec = template[start + 4:template.find("}", start)]
        z = _array(_get(trace, "z")).astype(float)
        return [format(v, spec) for v in z[np.isfinite(z)]]
    return []


def text_fit_width(fig) -> int | None:
    """The narrowest chart (px) at which every heatmap's cell numbers fit in their cells, or None when no
    heatmap prints numbers. Below that width the numbers overlap and are better hidden (ui.chart then
    hides them: ui.plot's element, below this width; the hover label and the CSV keep every number).

    Rule: a cell needs its widest label's length × CHAR_WIDTH × the font size, plus 4 px; a heatmap on an
    x axis with domain [d0, d1] and n columns needs n × that over (d1 − d0) of the plot area, plus the
    left and right margins and a colour bar's ~70 px. `fig`: a go.Figure or its dict (nothing is copied:
    this runs for every chart of every rerun, and returns at once for a figure with no such heatmap)."""
    data = _get(fig, "data", [])
    printed = [t for t in data if _get(t, "type") == "heatmap" and _get(t, "texttemplate")]
    if not printed:
        return None
    layout = _get(fig, "layout", {})
    base = _get(_get(layout, "font"), "size", FONT["size"])
    margin = _get(layout, "margin")
    sides = _get(margin, "l", 80) + _get(margin, "r", 80)
    need = 0.0
    for trace in printed:
        labels = _cell_labels(trace)
        if not labels:
            continue
        cell = max(len(s) for s in labels) * CHAR_WIDTH * _get(_get(trace, "textfont"), "size", base) + 4
        z = _array(_get(trace, "z"))
        cols = z.shape[1] if z.ndim == 2 else 1
        axis_name = "xaxis" + str(_get(trace, "xaxis", "x"))[1:]
        d0, d1 = _get(_get(layout, axis_name), "domain", (0, 1))
        bar = 70 if _get(trace, "showscale", True) else 0
        need = max(need, cols * cell / max(d1 - d0, 1e-6) + sides + bar)
    return round(need) if need else None
