"""Words and a table for any figure: the one-sentence summary under it, and the CSV of its data.

Both are read from the figure itself, so they can never disagree with what is drawn: a screen reader,
a student who cannot tell two colours apart, or a teacher pasting numbers into a slide gets the same
numbers the chart shows.

    describe.summary(fig)   # "‖∂L/∂h_t‖ per time step. RNN: 1 at t = 100 → 3.2e-20 at t = 1; ..."
    describe.to_csv(fig)    # trace,type,x,y,value rows: one per point (lines, bars) or cell (heatmaps)
"""
from __future__ import annotations

import csv
import html
import io
import math
import re
from typing import Any, Iterable

import numpy as np

from rnnviz.shared import figure_dict

_TAG = re.compile(r"<[^>]+>")
MAX_TRACES = 4           # a summary names at most this many traces (the rest: "and 3 more")


def _plain(text: Any) -> str:
    """Plotly's label markup (<b>, <br>, <sub>, &amp;) as plain words. A 0 is a value, not "nothing":
    `text or ""` once turned the training step 0 into an empty place ("at 50, ")."""
    return " ".join(html.unescape(_TAG.sub(" ", "" if text is None else str(text))).split())


def _title(obj: Any) -> str:
    t = getattr(obj, "title", None)
    return _plain(getattr(t, "text", None) if t is not None else None)


def _num(v: Any) -> str:
    """3 significant digits; an overflow is called what it is."""
    try:
        f = float(v)
    except (TypeError, ValueError):
        return _plain(v)
    if math.isnan(f):
        return "NaN (overflowed)"
    if math.isinf(f):
        return "inf (exploded)" if f > 0 else "−inf (exploded)"
    return f"{f:.3g}"


def _at(x: Any, axis: str = "") -> str:
    """Where a value sits: "t = 12" on a short-named numeric axis, else the position or category."""
    if isinstance(x, (int, float, np.integer, np.floating)) and not isinstance(x, bool):
        if not math.isfinite(float(x)):
            return _num(x)
        # 3 significant digits, but never fewer than the whole part: a month drawn at the year 1996.958 is
        # "1997", not "2e+03" (seen under the CO₂ chart)
        digits = max(3, len(str(int(abs(float(x))))) + 1)
        where = f"{x:.{digits}g}" if isinstance(x, (float, np.floating)) and not float(x).is_integer() else str(int(x))
        return f"{axis} = {where}" if axis and len(axis) <= 16 else where
    return _plain(x)


def _values(seq: Any) -> list:
    if seq is None:
        return []
    if isinstance(seq, np.ndarray):
        return seq.tolist()
    return list(seq)


def _floats(seq: list) -> np.ndarray | None:
    try:
        return np.asarray(seq, dtype=float)
    except (TypeError, ValueError):
        return None


def _axis(fig, which: str, trace):
    ref = getattr(trace, f"{which}axis", None) or which          # "y", "y2", ...
    return getattr(fig.layout, f"{which}axis{ref[1:]}", None)


def _axis_name(fig, which: str, trace) -> str:
    axis = _axis(fig, which, trace)
    return _title(axis) if axis is not None else ""


def _place(fig, which: str, trace, value: Any) -> str:
    """One coordinate of a heatmap cell in words, named by its axis: "time step t = 50", "unit = 118",
    "next symbol = “-”", or "x = 4 (“o”)" when the axis has no title but labels its ticks. An axis
    title's explanation in brackets is left out ("output step k (the symbol written)" → "output step k")."""
    axis = _axis(fig, which, trace)
    name = _title(axis).split(" (")[0] if axis is not None else ""
    shown = _plain(value)
    try:
        float(shown)
        numeric = True
    except ValueError:
        numeric = False
    said = shown if numeric else f"“{shown}”"
    ticks, labels = (_values(getattr(axis, "tickvals", None)), _values(getattr(axis, "ticktext", None))) \
        if axis is not None else ([], [])
    for tick, label in zip(ticks, labels):
        if _plain(tick) == shown and _plain(label) != shown:
            said += f" (“{_plain(label)}”)"
            break
    return f"{name or which} = {said}"


def _value_name(fig, tr) -> str:
    """What a heatmap's colour means: its colour bar's title (its own, or the shared colour axis's)."""
    bar = getattr(tr, "colorbar", None)
    title = _title(bar) if bar is not None else ""
    if not title and getattr(tr, "coloraxis", None):
        ca = getattr(fig.layout, str(tr.coloraxis), None)
        title = _title(getattr(ca, "colorbar", None)) if ca is not None else ""
    return title


def _tile_summary(fig, tr, name: str) -> str | None:
    """A map drawn as a scatter of coloured tiles (one marker per cell, its colour the value: a heatmap that
    redraws faster, e.g. the Date translation's decoder) is read like a heatmap: the range of the colours and
    the cell of the highest, by its axes. None when the markers' colour is not one number per point."""
    marker = getattr(tr, "marker", None)
    color = _floats(_values(getattr(marker, "color", None))) if marker is not None else None
    xs, ys = _values(getattr(tr, "x", None)), _values(getattr(tr, "y", None))
    if color is None or color.ndim != 1 or color.size < 2 or not (len(xs) == len(ys) == color.size):
        return None
    finite = np.isfinite(color)
    if not finite.any():
        return f"{name or 'the map'}: no finite value"
    top = np.max(color[finite])
    k = int(np.nanargmax(np.where(finite, color, -np.inf)))
    at = f"{_place(fig, 'y', tr, ys[k])}, {_place(fig, 'x', tr, xs[k])}"
    ties = int((color[finite] == top).sum())
    where = f", the highest at {at}" if ties == 1 else f", the highest in {ties} cells, the first at {at}"
    bar = getattr(marker, "colorbar", None)
    what = _title(bar) if bar is not None else ""
    if what and what.split(" (")[0].lower() in name.lower():
        what = ""
    return (f"{name + ': ' if name else ''}{color.size} cells{' of ' + what if what else ''} from "
            f"{_num(np.min(color[finite]))} to {_num(top)}{where}")


def _trace_summary(fig, tr) -> str | None:
    name = _plain(getattr(tr, "name", None)) or ""
    kind = getattr(tr, "type", None) or "scatter"
    if kind == "heatmap":
        z = _floats(_values(getattr(tr, "z", None)))
        if z is None or z.size == 0:
            return None
        finite = np.isfinite(z)
        if not finite.any():
            return f"{name or 'the map'}: no finite value"
        top = np.max(z[finite])
        i, j = np.unravel_index(np.nanargmax(np.where(finite, z, -np.inf)), z.shape) if z.ndim == 2 else (0, 0)
        xs, ys = _values(getattr(tr, "x", None)), _values(getattr(tr, "y", None))
        where = ""
        if z.ndim == 2:
            # A heatmap draws z[i][j] at (x[j], y[i]); without x or y plotly numbers the columns and rows from 0.
            at = (f"{_place(fig, 'y', tr, ys[i] if len(ys) > i else i)}, "
                  f"{_place(fig, 'x', tr, xs[j] if len(xs) > j else j)}")
            ties = int((z[finite] == top).sum())
            where = (f", the highest at {at}" if ties == 1 else
                     f", the highest in {ties} cells, the first at {at}")
        shape = "×".join(str(s) for s in z.shape)
        what = _value_name(fig, tr)
        if what.split(" (")[0].lower() in name.lower():      # "cell state c_t" already names them
            what = ""
        return (f"{name + ': ' if name else ''}{shape} values{' of ' + what if what else ''} from "
                f"{_num(np.min(z[finite]))} to {_num(top)}{where}")
    tiles = _tile_summary(fig, tr, name) if kind == "scatter" else None
    if tiles is not None:
        return tiles
    ys = _values(getattr(tr, "y", None))
    xs = _values(getattr(tr, "x", None))
    if kind == "bar" and getattr(tr, "orientation", None) == "h":
        xs, ys = ys, xs
    y = _floats(ys)
    if y is None or y.size == 0:
        return None
    if not xs:
        xs = list(range(len(ys)))
    finite = np.isfinite(y)
    # None is a gap the figure leaves on purpose (no value there); only a computed NaN or ±inf exploded
    gaps = np.array([v is None for v in ys], dtype=bool) if len(ys) == y.size else np.zeros(y.size, bool)
    bad = int((~finite & ~gaps).sum())
    tail = f", {bad} value{'s' if bad != 1 else ''} overflowed (exploded)" if bad else ""
    if not finite.any():
        return (f"{name or 'values'}: all {y.size} overflowed (exploded)" if bad
                else None)
    k = int(np.nanargmax(np.where(finite, y, -np.inf)))
    label = name or _axis_name(fig, "y", tr) or "value"
    x_title = _axis_name(fig, "x", tr).lower()
    ax = "k" if x_title.startswith("steps back") else "t" if x_title.startswith(("time step", "step")) else ""
    if kind != "bar" and finite.sum() == 2 and np.ptp(y[finite]) == 0:
        return f"{label}: a level line at {_num(y[k])}{tail}"      # a threshold or baseline drawn across
    if kind == "bar" or y.size <= 2:
        return f"{label}: highest {_num(y[k])} ({_at(xs[k]) if k < len(xs) else k}){tail}"
    if np.ptp(y[finite]) == 0:
        return f"{label}: {int(finite.sum())} points, all {_num(y[k])}{tail}"
    if "lines" not in (getattr(tr, "mode", None) or "lines"):
        return f"{label}: {y.size} points, from {_num(np.min(y[finite]))} to {_num(y[k])}{tail}"
    first, last = int(np.argmax(finite)), int(len(y) - 1 - np.argmax(finite[::-1]))
    return (f"{label}: {_num(y[first])} at {_at(xs[first], ax)} → {_num(y[last])} at {_at(xs[last], ax)} "
            f"(highest {_num(y[k])} at {_at(xs[k], ax)}){tail}")


def summary(fig) -> str:
    """One sentence naming the figure and, per trace, its key numbers (first → last, highest)."""
    fig = figure_dict.view(fig)             # its dict, read as its objects (or the view ui.chart made)
    title = _title(fig.layout)
    visible = [tr for tr in fig.data or () if getattr(tr, "visible", True) not in (False, "legendonly")]
    parts = [s for s in (_trace_summary(fig, tr) for tr in visible[:MAX_TRACES] if _shown_in_legend(tr)) if s]
    if not parts:
        parts = [s for s in (_trace_summary(fig, tr) for tr in visible[:MAX_TRACES]) if s]
    more = len(visible) - MAX_TRACES
    text = "; ".join(parts) + (f"; and {more} more series" if more > 0 and parts else "")
    if not text:
        notes = [_plain(a.text) for a in (fig.layout.annotations or ())][:6]
        text = "a diagram" + (f" labelled {', '.join(n for n in notes if n)}" if notes else "")
    first = text.split(" ", 1)[0].rstrip(":;,")
    if first.isalpha() and first.islower():          # a word: "gate" → "Gate"; a symbol stays: "c_t free"
        text = text[0].upper() + text[1:]
    return f"{title + '. ' if title else ''}{text}."


def _shown_in_legend(tr) -> bool:
    return getattr(tr, "showlegend", None) is not False and bool(getattr(tr, "name", None))


def rows(fig) -> Iterable[list]:
    """(trace, type, x, y, value) per drawn point or heatmap cell."""
    for n, tr in enumerate(figure_dict.view(fig).data or ()):
        name = _plain(getattr(tr, "name", None)) or f"trace {n + 1}"
        kind = getattr(tr, "type", None) or "scatter"
        xs, ys = _values(getattr(tr, "x", None)), _values(getattr(tr, "y", None))
        if kind == "heatmap":
            z = _values(getattr(tr, "z", None))
            for i, row in enumerate(z):
                for j, v in enumerate(_values(row)):
                    yield [name, kind, xs[j] if j < len(xs) else j, ys[i] if i < len(ys) else i, v]
            continue
        for k in range(max(len(xs), len(ys))):
            x = xs[k] if k < len(xs) else k
            y = ys[k] if k < len(ys) else ""
            yield [name, kind, x, y, y]


# A spreadsheet runs a cell that starts with one of these as a formula: "=HYPERLINK(…)" or "=cmd|…" in a
# chart's label (a typed word is one) would run when the teacher opens the CSV. OWASP's rule: such a text
# cell gets a leading apostrophe, which spreadsheets read as "this is text" (and do not show).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """A value as a CSV cell: numbers stay numbers; text is plain words, never a formula."""
    if not isinstance(value, str):
        return value
    text = _plain(value)
    return "'" + text if value.startswith(FORMULA_START) or text.startswith(FORMULA_START) else text


_PIECE_START = re.compile(r"(,\s*)(?=[=+\-@])")


def csv_comment(text: str) -> str:
    """The comment line over the table, safe too: a spreadsheet splits even a comment at its commas and
    starts a quoted cell at a quote, so quotes become apostrophes and a piece that starts like a formula
    gets the same leading apostrophe as a cell."""
    line = "# " + " ".join(text.replace('"', "'").split())
    return _PIECE_START.sub(r"\1'", line)


def to_csv(fig) -> str:
    """The figure's data as CSV (one row per point or cell), with the figure's summary as a comment line.
    Safe to open in a spreadsheet whatever the labels say (csv_cell, csv_comment)."""
    out = io.StringIO()
    out.write(csv_comment(summary(fig)) + "\n")
    w = csv.writer(out)
    w.writerow(["trace", "type", "x", "y", "value"])
    for r in rows(fig):
        w.writerow([csv_cell(v) for v in r])
    return out.getvalue()
