"""A student's series from a CSV file, checked: which column, its numbers, its gaps, its split, its season.

    data = read_csv(uploaded_bytes)          # SeriesData, or a SeriesError whose message says what to do
    data.values, data.labels, data.name      # (N,) float64 with gaps filled; the dates (or "1".."N"); the header
    data.n_train, data.period                # the split (the last 20 %, at least 10, held out); the season or 0
    data.messages()                          # what was skipped, filled or cut, in plain text
    EXAMPLES["Sunspots (yearly mean number, 1700–2008)"]   # CSV bytes of a built-in series (examples.py)

What a file may look like: one column of numbers, or a label column (dates, years, anything) and a column
of numbers; a header row or none; commas, semicolons or tabs between fields (table.py); decimal points.

Which column is the series (a choice, made so that a typical file needs no setting):
- the first column holds the labels when it is text (dates like 1958-03 are text), or when it holds
  strictly increasing numbers and another column holds numbers too (years, an index, a timestamp);
- the series is the first column of numbers after it (`column=` picks another, by header or 1-based
  number); the other columns of numbers are named in messages() and in `columns`, so the page may
  offer them. Text columns besides the labels are ignored.
A column counts as numbers when it holds a finite number, and at least as many as it holds text.

Missing values (an empty cell, NA, N/A, null, -, ?), NaN and ±inf, text in the numbers' column, and a
row with more fields than the others (its value cannot be told apart) are missing: at either end they
are left out, inside they are filled by straight lines between the neighbours
(rnnviz.topics.forecast.data.fill_gaps), and when they are more than half of the rows the file is refused.
"""
from __future__ import annotations

import hashlib
import math
import re
from collections import Counter
from dataclasses import dataclass

import numpy as np

from rnnviz.topics.forecast.data import fill_gaps
from rnnviz.topics.yourseries import examples, patterns
from rnnviz.topics.yourseries.table import MAX_BYTES, MAX_ROWS, SeriesError, Table, decode, describe_delimiter, split

__all__ = ["MAX_BYTES", "MAX_ROWS", "MIN_ROWS", "EXAMPLES", "SeriesData", "SeriesError", "read_csv"]

MIN_ROWS = 30
HELD_OUT, MIN_HELD_OUT = 0.2, 10     # the last 20 % of the values, at least 10, are never trained on
MAX_ABS = 1e30                       # beyond this the model's 32-bit arithmetic overflows (3.4e38)
FLAT = 1e-4                          # the model reads 32-bit floats (forecast/model.py casts before it subtracts
                                     # μ), ~7 significant digits: a series varying by less than 1/10,000 of its
                                     # size would keep fewer than ~1,700 distinct levels there
MISSING = {"", "na", "n/a", "#n/a", "null", "none", "missing", "-", "--", "?", "."}
DECIMAL_COMMA = re.compile(r"^[-+]?\d+,\d+$")      # "315,7": a number written with a decimal comma
NAME_CHARS, LABEL_CHARS, SHOWN = 60, 40, 5
EXAMPLES = examples.EXAMPLES


@dataclass(frozen=True)
class SeriesData:
    values: np.ndarray              # (N,) float64, gaps filled
    labels: tuple[str, ...]         # (N,) the label column's text, or "1".."N" without one
    name: str                       # the value column's header (plain text, ≤ 60 chars) or "value"
    filled: tuple[int, ...]         # indices that were missing and were interpolated
    cut_rows: int                   # rows left out beyond MAX_ROWS (the last MAX_ROWS kept: the recent past)
    sha256: str                     # of the values (float64 bytes, little-endian)
    n_train: int                    # values[:n_train] train; the last 20 % (≥ 10) held out
    period: int                     # a seasonal period guessed from the training part (patterns.py) or 0
    notes: tuple[str, ...] = ()     # what messages() says
    columns: tuple[str, ...] = ()   # every column of numbers (header or "column k"), the series' among them

    @property
    def n(self) -> int:
        return len(self.values)

    def messages(self) -> list[str]:
        """Plain text, one sentence each: what was read, and every row skipped, value filled or cut."""
        return list(self.notes)


def _plain(text: str, limit: int) -> str:
    """Text safe to show: control characters gone, spaces collapsed, at most `limit` characters."""
    text = " ".join("".join(c if c.isprintable() else " " for c in text).split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _number(cell: str) -> float | None | str:
    """A cell as a float (NaN and ±inf included), None when marked missing, or the text itself."""
    if cell.lower() in MISSING:
        return None
    try:
        return float(cell.replace("\u2212", "-"))          # a typographic minus, as some exports write it
    except ValueError:
        return cell


def _finite(x) -> bool:
    return isinstance(x, float) and math.isfinite(x)


def _some(items: list) -> str:
    """'3', '3, 5 and 7', or '3, 5, 7, 9, 11 and 20 more'."""
    items = [str(i) for i in items]
    if len(items) > SHOWN:
        return ", ".join(items[:SHOWN]) + f" and {len(items) - SHOWN:,} more"
    return ", ".join(items[:-1]) + " and " + items[-1] if len(items) > 1 else "".join(items)


def _lines(lines: list[int]) -> str:
    return ("line " if len(lines) == 1 else "lines ") + _some(lines)


@dataclass
class _Columns:
    width: int
    parsed: list[list]               # every row's cells through _number, padded to `width`
    numeric: list[bool]
    label: int | None
    value: int
    candidates: list[int]


def _choose(table: Table, column: str | int | None) -> _Columns:
    width = Counter(map(len, table.rows)).most_common(1)[0][0]                  # the usual number of fields
    parsed = [[_number(c) for c in r[:width]] + [None] * (width - len(r)) for r in table.rows]
    counts = [(sum(_finite(r[j]) for r in parsed), sum(isinstance(r[j], str) for r in parsed)) for j in range(width)]
    numeric = [n >= 1 and n >= t for n, t in counts]
    firsts = [x for x in (r[0] for r in parsed) if _finite(x)]
    rising = len(firsts) > 1 and all(b > a for a, b in zip(firsts, firsts[1:]))
    label = 0 if width >= 2 and (not numeric[0] or (rising and sum(numeric) >= 2)) else None
    candidates = [j for j in range(width) if numeric[j] and j != label]
    if column is not None:
        value = _pick(table, column, width, numeric)
        if label == value:
            label = None
    elif candidates:
        value = candidates[0]
    else:
        j = width - 1                                                               # where a series would be
        texts = [i for i, r in enumerate(parsed) if isinstance(r[j], str)]
        below = [i for i in texts if i > 0]                                         # row 0 may be a header
        if not below and (len(parsed) > 1 or not texts):
            raise SeriesError(f"No column of numbers found: column {j + 1} is empty or marked missing in every row "
                              "(below its header). Upload a file with a column of numbers, one per row.")
        row = (below or texts)[0]
        cell = table.rows[row][j]
        comma = bool(DECIMAL_COMMA.match(cell))
        raise SeriesError(f"No column of numbers found: column {j + 1} (the one a series would be in) holds text, "
                          f"e.g. {_plain(cell, 30)!r} on line {table.line_of[row]}. "
                          + ("Its numbers seem to have a decimal comma: save the file with decimal points (3.5, "
                             "not 3,5) and upload it again." if comma else
                             "Upload a file with a column of numbers, one per row, e.g. 'month,value' and then "
                             "'2020-01,3.5'."))
    return _Columns(width, parsed, numeric, label, value, candidates)


def _pick(table: Table, column: str | int, width: int, numeric: list[bool]) -> int:
    header = table.rows[0]
    if isinstance(column, int) and not isinstance(column, bool):
        j = column - 1
    else:
        j = next((k for k, h in enumerate(header) if h == str(column)), -1)
    if not 0 <= j < width or not numeric[j]:
        choices = ", ".join(f"{k + 1} ({_plain(header[k], 20)!r})" if k < len(header) else str(k + 1)
                            for k in range(width) if numeric[k]) or "none"
        raise SeriesError(f"There is no column of numbers called {_plain(str(column), 30)!r} in this file. Its "
                          f"columns of numbers are: {choices}.")
    return j


def read_csv(raw: bytes | str, column: str | int | None = None) -> SeriesData:
    """The series in a CSV file's bytes (or text), checked; raises SeriesError with a plain-text message.
    `column`: the numbers' column by its header or 1-based number (default: module docstring)."""
    text, cut, resume = decode(raw)
    table = split(text, resume)
    if not table.rows:
        raise SeriesError("The file holds no rows of data (only blank or # comment lines). Upload a CSV with one "
                          "value per row.")
    c = _choose(table, column)
    j, notes = c.value, []
    top = 0                                        # leading rows whose value is text: the header line(s)
    while top < len(c.parsed) and isinstance(c.parsed[top][j], str):
        top += 1
    header = table.rows[top - 1] if top else []

    def title(k: int) -> str:
        return _plain(header[k], NAME_CHARS) if k < len(header) and header[k] else f"column {k + 1}"

    name = title(j) if j < len(header) and header[j] else "value"
    rows, lines = c.parsed[top:], table.line_of[top:]
    if len(rows) > MAX_ROWS:                       # the first line was data, not a header: one row too many
        cut += len(rows) - MAX_ROWS
        rows, lines = rows[-MAX_ROWS:], lines[-MAX_ROWS:]
    raw_rows = table.rows[top:][-len(rows):] if rows else []
    values, empty, infinite, text, ragged = [], [], [], [], []
    for cells, cell_row, line in zip(rows, raw_rows, lines):
        x = cells[j]
        if len(cell_row) > c.width:
            ragged.append(line)
            x = None
        elif isinstance(x, str):
            text.append((line, x))
            x = None
        elif x is None:
            empty.append(line)
        elif not math.isfinite(x):
            infinite.append(line)
            x = None
        values.append(x)
    missing = sum(v is None for v in values)
    if values and missing > len(values) / 2:
        raise SeriesError(f"Most of the series is missing: {missing:,} of {len(values):,} values are empty, "
                          f"NaN, infinite or not numbers ({len(empty):,} empty, {len(infinite):,} NaN or "
                          f"infinite, {len(text):,} text, {len(ragged):,} in rows with extra fields). Upload a "
                          "file whose column of numbers is mostly filled in.")
    known = [i for i, v in enumerate(values) if v is not None]
    if len(known) < 2:
        what = f"only one value ({values[known[0]]:g} on line {lines[known[0]]})" if known else "no values"
        raise SeriesError(f"The file has {what}: a series needs at least {MIN_ROWS} values, one per row.")
    first, last = known[0], known[-1]
    labels_col = [_plain(r[c.label], LABEL_CHARS) if c.label is not None and c.label < len(r) else ""
                  for r in raw_rows[first:last + 1]]
    values = values[first:last + 1]
    n = len(values)
    if n < MIN_ROWS:
        raise SeriesError(f"The series has {n} values; at least {MIN_ROWS} are needed: the model trains on the "
                          f"first 80 % and is scored on the last 20 % (at least {MIN_HELD_OUT}).")
    filled_values, filled = fill_gaps(values)
    x = np.asarray(filled_values, dtype=np.float64)
    big = float(np.max(np.abs(x)))
    if big > MAX_ABS:
        raise SeriesError(f"A value is {big:.3g}: beyond ±{MAX_ABS:.0e} the model's 32-bit arithmetic overflows. "
                          "Rescale the series (e.g. into thousands or millions) and upload it again.")
    spread = float(np.ptp(x))
    if spread == 0:
        raise SeriesError(f"All {n:,} values are {x[0]:g}: a constant series has nothing to learn. Upload a series "
                          "that changes.")
    if spread <= FLAT * big:
        raise SeriesError(f"The values vary by only {spread:.3g} around {x.mean():.10g}: too little for the model's "
                          "32-bit arithmetic (about 7 significant digits), which would see a nearly constant series. "
                          f"Subtract a constant from every value (e.g. {x.min():.10g}) and upload it again.")
    labels = tuple(lab or str(i + 1) for i, lab in enumerate(labels_col)) if c.label is not None else \
        tuple(str(i + 1) for i in range(n))
    n_train = n - max(MIN_HELD_OUT, round(HELD_OUT * n))
    period = patterns.guess_period(x[:n_train])

    # ----- what the page says about the reading, in plain text
    where = f"column {j + 1} ({name})" + (f", with labels from column {c.label + 1} ({title(c.label)})"
                                          if c.label is not None else f", numbered 1 to {n:,}")
    notes.append(f"Read {n:,} values from {where}; {describe_delimiter(table.delimiter)}.")
    others = [k for k in c.candidates if k != j]
    if others:
        notes.append(f"The file has {len(others) + 1} columns of numbers; this reads {name} (column {j + 1}) and "
                     f"leaves out {', '.join(title(k) for k in others)}. To forecast another, keep only that one "
                     "(and the labels) in the file.")
    if top > 1:
        notes.append(f"Skipped {top} lines of text at the top (the last of them read as the header).")
    if table.blank or table.comments:
        notes.append(f"Skipped {table.blank:,} blank line(s) and {table.comments:,} comment line(s) starting with #.")
    trailing = len(rows) - 1 - last
    if first or trailing:
        notes.append(f"Left out {first:,} missing value(s) at the start and {trailing:,} at the end: a gap at an "
                     "end has no neighbour on one side to fill it from.")
    if text:
        shown = "; ".join(f"line {ln}: {_plain(cell, 20)!r}" for ln, cell in text[:3])
        notes.append(f"{len(text):,} cell(s) of the numbers' column hold text, read as missing ({shown}).")
    if infinite:
        notes.append(f"{len(infinite):,} value(s) are NaN or infinite, read as missing ({_lines(infinite)}).")
    if ragged:
        notes.append(f"{len(ragged):,} row(s) have more fields than the others ({c.width}), so their value cannot be "
                     f"told; read as missing ({_lines(ragged)}).")
    if filled:
        notes.append(f"Filled {len(filled):,} missing value(s) by straight lines between their neighbours (at "
                     f"{_some([labels[i] for i in filled])}).")
    if cut:
        notes.append(f"The file has more than {MAX_ROWS:,} rows: the first {cut:,} were left out and the last "
                     f"{len(rows):,} kept (the recent past matters most to a forecast).")
    digest = hashlib.sha256(x.astype("<f8").tobytes()).hexdigest()
    columns = tuple(name if k == j else title(k) for k in sorted(set(c.candidates) | {j}))
    return SeriesData(x, labels, name, tuple(filled), cut, digest, n_train, period, tuple(notes), columns)
