"""The date-translation demo (encoder–decoder): a GRU reads a date written any way, its last state c is all
the decoder gets, and the decoder writes the date as YYYY-MM-DD, greedy or by beam search.

    prep = prepare(model, typed)        # the characters read, what was dropped or unknown, messages
    r = read(model, prep.text, width)   # Reading: encoder states, c, greedy steps, the beam tree, what the input means
    least_sure(model, r.greedy)         # the step greedy was least sure of, named by its place in YYYY-MM-DD
    context_pairs(model, text)          # c of one date in other forms, and of the next day (the control)

What the page says about a reading (is the input a date? is each answer a real date?) is in words.py.

Shape legend: T characters read, K output steps, H hidden units, V output symbols.
"""
from __future__ import annotations

import collections
import datetime as dt
import unicodedata
from dataclasses import dataclass, field

import numpy as np

from rnnviz.shared import typed as typed_text
from rnnviz.topics.dates import data as dates
from rnnviz.topics.dates import decoding
from rnnviz.topics.dates.model import EOS, Seq2Seq

MAX_CHARS = 60          # the box keeps this many characters (the data's longest date has 34)
WIDTHS = (1, 8)         # the beam width slider's range
END_SHOWN = "⟨end⟩"     # how </s> is drawn (never the raw "</s>": plotly would read it as a tag)


@dataclass
class Prepared:
    text: str                                          # what the encoder reads
    typed: str = ""
    control: collections.Counter = field(default_factory=collections.Counter)   # dropped invisible characters
    unknown: collections.Counter = field(default_factory=collections.Counter)   # read as UNK
    cut: int = 0

    def messages(self) -> list[str]:
        """Plain-text notes for the page (the page escapes them)."""
        if not self.typed.strip():
            return ["The box is empty: type a date (for example 21 November 2026 or 11/21/2026)."]
        out = typed_text.notes(self.control, self.cut, self.unknown, MAX_CHARS, plural=False)
        return out


def prepare(model: Seq2Seq, typed: str) -> Prepared:
    """The characters the encoder reads: surrounding spaces and control characters dropped, at most MAX_CHARS
    characters; characters outside the model's vocabulary are kept and read as the unknown symbol."""
    kept = [ch for ch in typed if unicodedata.category(ch) not in ("Cc", "Cf") or ch == " "]
    control = collections.Counter(ch for ch in typed if ch not in kept)
    text = "".join(kept).strip()
    cut = max(0, len(text) - MAX_CHARS)
    text = text[:MAX_CHARS]
    unknown = collections.Counter(ch for ch in text if ch not in model.source_index)
    return Prepared(text, typed, control, unknown, cut)


@dataclass
class Reading:
    text: str
    shown: list[str]                  # the characters as drawn (unknown ones as "?")
    states: np.ndarray                # (T, H) encoder states; states[-1] is c
    greedy: decoding.Greedy
    beam: decoding.Beam
    parsed: dates.Parsed              # what the input means, when it is one of the data's forms
    symbols: list[str]                # the output vocabulary as drawn

    @property
    def c(self) -> np.ndarray:
        return self.states[-1]


def read(model: Seq2Seq, text: str, width: int) -> Reading:
    """Everything the page draws for a prepared, non-empty text."""
    enc = decoding.encode(model, text)
    shown = [ch if ch in model.source_index else "?" for ch in text]
    symbols = [END_SHOWN if s == EOS else s for s in model.target]
    return Reading(text, shown, enc.states, decoding.greedy(model, enc), decoding.beam(model, enc, width),
                   dates.parse(text), symbols)


# ----------------------------------------------------------------------------- where each output step sits

SLOTS = ("the year's first digit", "the year's second digit", "the year's third digit", "the year's last digit",
         "the first “-”", "the month's first digit", "the month's second digit", "the second “-”",
         "the day's first digit", "the day's second digit", "the end symbol")
_ISO_SHAPE = "dddd-dd-dd"


def slot(text: str, k: int) -> str:
    """What output step k (0-based) writes, named from its place in YYYY-MM-DD when the answer so far has that
    shape ("the day's first digit"); otherwise by number ("step 4")."""
    so_far = text[:k]
    fits = len(so_far) == k and all((c == "-") if s == "-" else c.isdigit() for c, s in zip(so_far, _ISO_SHAPE))
    if fits and k < len(SLOTS) and (k == len(text) == 10 or k < 10):
        return SLOTS[k]
    return f"step {k + 1}"


def least_sure(model: Seq2Seq, g: decoding.Greedy, top: int = 3) -> tuple[int, str, list[tuple[str, float]]]:
    """The greedy step whose chosen symbol had the lowest probability: (k 0-based, its slot's name, the `top`
    likeliest symbols there with their p)."""
    chosen = [g.probs[k][t] for k, t in enumerate(g.tokens)]
    k = int(np.argmin(chosen))
    p = g.probs[k]
    shown = [(END_SHOWN if model.target[i] == EOS else model.target[i], float(p[i])) for i in np.argsort(-p)[:top]]
    return k, slot(g.text, k), shown


# ----------------------------------------------------------------------------- is c the same for the same date?

# Three forms every date can be written in, to compare c across forms (the page's control: another date).
REFERENCE = (dates.Style("MDY", "number", "padded", "none", "/", "lower"),     # 03/04/2026
             dates.Style("DMY", "full", "plain", "none", " ", "lower"),        # 4 march 2026
             dates.Style("YMD", "number", "padded", "none", "-", "lower"))     # 2026-03-04


def distance(a: np.ndarray, b: np.ndarray) -> float:
    """Relative distance between two context vectors: ‖a − b‖ over the mean of ‖a‖ and ‖b‖ (0: the same)."""
    scale = (np.linalg.norm(a) + np.linalg.norm(b)) / 2
    return float(np.linalg.norm(a - b) / scale) if scale > 0 else 0.0


@dataclass(frozen=True)
class ContextPair:
    a: str
    b: str
    differs: str            # "the form" (one date, two forms) | "the date" (two dates, one form)
    distance: float         # distance(c_a, c_b)
    right: bool             # greedy writes the right date from both


def context_pairs(model: Seq2Seq, text: str) -> list[ContextPair]:
    """For a typed real date D: c of the typed text against c of D in each REFERENCE form (the form differs),
    and, as the control, c of D against c of the next day D' in the same form, for the typed form when the
    data could have written it (dates.style_of) and for each REFERENCE form (the date differs). [] when the
    text is not a date the model could know."""
    p = dates.parse(text)
    if p.date is None or p.problem:
        return []
    d = p.date
    other = d + dt.timedelta(days=1) if d < dates.LAST else d - dt.timedelta(days=1)
    c = {}

    def ctx(t: str) -> np.ndarray:
        if t not in c:
            c[t] = decoding.encode(model, t).states[-1]
        return c[t]

    def right(t: str, day: dt.date) -> bool:
        return decoding.greedy(model, decoding.encode(model, t)).text == dates.iso(day)

    typed = text.strip()
    out = [ContextPair(typed, r.render(d), "the form", distance(ctx(typed), ctx(r.render(d))),
                       right(typed, d) and right(r.render(d), d)) for r in REFERENCE if r.render(d) != typed]
    own = dates.style_of(typed, d)
    forms = ([own] if own is not None else []) + list(REFERENCE)
    for a, b in dict.fromkeys((f.render(d), f.render(other)) for f in forms):       # one row per pair of texts
        out.append(ContextPair(a, b, "the date", distance(ctx(a), ctx(b)), right(a, d) and right(b, other)))
    return out


def context_table(pairs: list[ContextPair]) -> list[dict]:
    return [{"A": x.a, "B": x.b, "what differs": x.differs, "distance": round(x.distance, 2),
             "greedy right on both": "yes" if x.right else "no"} for x in pairs]


