"""The sequences the BPTT lesson reads: a sine, a square wave, or numbers a student types.

Typed text is read token by token; anything unreadable raises SequenceError with a message that names
the token (“token 2, “x”, is not a number”), and the lesson falls back to its example. The limits are
stated in the messages: at most MAX_CHARS characters, MIN_NUMBERS..MAX_T + 1 numbers, |x| ≤ MAX_ABS.
Messages are plain text; the page escapes them (they quote what the student typed).
"""
from __future__ import annotations

import math
import re

import numpy as np

SOURCES = ("sine", "steps", "typed")
DEFAULT_TEXT = "1, 0, 2, 5, 1, 0, 2, 5, 1, 0, 2, 5"
MAX_CHARS = 500          # the longest typed text read at all
MAX_T = 40               # at most 41 numbers: 40 predictions
MIN_NUMBERS = 3          # two predictions at least, so there is a "future" to backpropagate from
MAX_ABS = 100.0          # typed values beyond ±100 are refused (the squared loss would dwarf everything)
SINE_PERIOD = 8          # steps per period of the sine
STEPS_HALF = 4           # the square wave holds each level this many steps


class SequenceError(ValueError):
    """Typed text that cannot be read as a sequence; the message says why, naming the tokens."""


def _show(token: str, width: int = 20) -> str:
    """A token as quoted in a message: shortened if long (the page escapes it before display)."""
    return "“" + (token if len(token) <= width else token[:width] + "…") + "”"


def split_tokens(text: str) -> list[str]:
    """Typed numbers → tokens: commas, semicolons and white space all separate (shared by every lesson
    that reads typed numbers, so "1, 0;2  5" means the same everywhere)."""
    return [t for t in re.split(r"[,;\s]+", text.strip()) if t]


def read_number(token: str) -> tuple[float, str | None]:
    """(value, None), or (nan, what is wrong: "is not a number" / "is not a finite number").
    Each lesson decides what to do with a bad token (refuse the sequence, or leave the token out)."""
    try:
        v = float(token.replace("−", "-"))          # accept the typographic minus sign
    except ValueError:
        return math.nan, "is not a number"
    return (v, None) if math.isfinite(v) else (math.nan, "is not a finite number")


def parse_sequence(text: str) -> tuple[list[float], list[str]]:
    """Numbers separated by commas, semicolons or spaces → (values, notes). A note is not an error
    (e.g. "used the first 41"); anything unreadable raises SequenceError with a per-token message."""
    if len(text) > MAX_CHARS:
        raise SequenceError(f"That is {len(text):,} characters; the lesson reads at most {MAX_CHARS}. "
                            f"Type at most {MAX_T + 1} numbers, e.g. “{DEFAULT_TEXT}”.")
    tokens = split_tokens(text)
    if not tokens:
        raise SequenceError(f"The sequence is empty: type at least {MIN_NUMBERS} numbers separated by "
                            f"commas, e.g. “{DEFAULT_TEXT}”.")
    values, bad = [], []
    for n, token in enumerate(tokens, start=1):
        v, problem = read_number(token)
        if problem:
            bad.append(f"token {n}, {_show(token)}, {problem}")
        elif abs(v) > MAX_ABS:
            bad.append(f"token {n}, {_show(token)}, is too large (values must lie between "
                       f"−{MAX_ABS:g} and {MAX_ABS:g})")
        else:
            values.append(v)
    if bad:
        more = f" (and {len(bad) - 3} more)" if len(bad) > 3 else ""
        raise SequenceError("Cannot read the sequence: " + "; ".join(bad[:3]) + more + ".")
    if len(values) < MIN_NUMBERS:
        raise SequenceError(f"Only {len(values)} number(s): type at least {MIN_NUMBERS}, so the model "
                            "makes at least two predictions.")
    notes = []
    if len(values) > MAX_T + 1:
        notes.append(f"The lesson reads at most {MAX_T + 1} numbers ({MAX_T} predictions); it used the "
                     f"first {MAX_T + 1} of your {len(values)}.")
        values = values[:MAX_T + 1]
    return values, notes


def make_sequence(source: str, T: int, text: str = DEFAULT_TEXT) -> tuple[np.ndarray, list[str]]:
    """x_1..x_{T+1} (float64) and messages for the student; T is ignored for typed text (its length
    decides). Bad typed text falls back to the example, with a message saying why."""
    if source == "typed":
        try:
            values, notes = parse_sequence(text)
        except SequenceError as e:
            values, _ = parse_sequence(DEFAULT_TEXT)
            return np.array(values), [f"{e} Showing the example “{DEFAULT_TEXT}” meanwhile."]
        return np.array(values), notes
    if not 2 <= T <= MAX_T:
        raise ValueError(f"T must be between 2 and {MAX_T}; got {T}")
    t = np.arange(1, T + 2)
    if source == "sine":
        wave = np.sin(2 * np.pi * t / SINE_PERIOD)
        return np.where(np.abs(wave) < 1e-12, 0.0, wave), []   # sin(2π) is 0, not float's −2.4e−16
    if source == "steps":                      # 0,0,0,0,1,1,1,1,0,...: when it flips needs memory
        return ((t - 1) // STEPS_HALF % 2).astype(float), []
    raise ValueError(f"unknown source {source!r}; choose one of {SOURCES}")
