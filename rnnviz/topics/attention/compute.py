"""The attention page's computations: a typed number in words, read by both shipped models, with every
step's alignment and context vector; and the held-out exact match by input length, from the manifest.

    prep = prepare(model, typed)            # the characters read (lower case), what was dropped or unknown, messages
    r = read(plain, attentive, prep.text)   # Reading: both models' answers, α (K × T), c_k (K × H) and the single c
    curves = by_length(plain_meta, attentive_meta)   # LengthCurves: exact match per length bin, both models, baselines
    verdict(curves)                         # does the plain model fall with length, does attention hold? (numbers)

Shape legend: T characters read, K output steps, H hidden units.
"""
from __future__ import annotations

import collections
import unicodedata
from dataclasses import dataclass, field

import numpy as np

from rnnviz.shared import typed as typed_text
from rnnviz.topics.attention import data
from rnnviz.topics.attention.model import EOS, NumberReader, greedy

MAX_CHARS = 100         # the box keeps this many characters (the data's longest input has 73)
END_SHOWN = "⟨end⟩"     # how </s> is drawn (never the raw "</s>": plotly would read it as a tag)


@dataclass
class Prepared:
    text: str                                          # what both encoders read
    typed: str = ""
    control: collections.Counter = field(default_factory=collections.Counter)
    unknown: collections.Counter = field(default_factory=collections.Counter)
    cut: int = 0
    number: int | None = None                          # the number the text names, when the data could write it

    def messages(self) -> list[str]:
        """Plain-text notes for the page (the page escapes them)."""
        if not self.typed.strip():
            return ["The box is empty: type a number in words, for example three hundred twelve thousand and five."]
        out = typed_text.notes(self.control, self.cut, self.unknown, MAX_CHARS, plural=True)
        if self.text and self.number is None:
            out.append("This is not a number written the way the models learned (English words for 0 to 999,999, "
                       "such as “forty-two” or “three hundred and twelve thousand, five”): below is what they make "
                       "of it anyway.")
        return out


def prepare(model: NumberReader, typed: str) -> Prepared:
    """What the encoders read: control characters dropped, lower case (the data is), runs of spaces made one,
    at most MAX_CHARS characters; characters outside the vocabulary are kept and read as the unknown symbol."""
    kept = [ch for ch in typed if unicodedata.category(ch) not in ("Cc", "Cf")]
    control = collections.Counter(ch for ch in typed if unicodedata.category(ch) in ("Cc", "Cf"))
    text = " ".join("".join(kept).lower().split())
    cut = max(0, len(text) - MAX_CHARS)
    text = text[:MAX_CHARS].strip()
    unknown = collections.Counter(ch for ch in text if ch not in model.source_index)
    return Prepared(text, typed, control, unknown, cut, data.parse(text) if text else None)


@dataclass
class Answer:
    text: str                  # the digits written, without </s>
    symbols: list[str]         # what each step wrote, </s> drawn END_SHOWN
    confidence: list[float]    # p of the written symbol at each step
    contexts: np.ndarray       # (K, H) c_k; for the plain model every row is the same c = h_T
    alphas: np.ndarray | None  # (K, T) α_kj, attention only; each row sums to 1


@dataclass
class Reading:
    text: str
    shown: list[str]           # the characters as drawn (unknown ones as "?")
    number: int | None         # what the text names, when the data could write it
    plain: Answer
    attentive: Answer
    states: np.ndarray         # (T, H) the attentive model's encoder states h_j

    def right(self, answer: Answer) -> bool | None:
        return None if self.number is None else answer.text == data.digits(self.number)


def answer_of(model: NumberReader, text: str) -> tuple[Answer, np.ndarray]:
    """One model's greedy answer to a prepared, non-empty text, with its contexts and alignment; and its h_j."""
    d = greedy(model, [text])
    tokens = d.tokens[0]
    symbols = [END_SHOWN if model.target[t] == EOS else model.target[t] for t in tokens]
    K = len(tokens)
    conf = [float(d.probs[k, 0, t]) for k, t in enumerate(tokens)]
    alphas = d.alphas[:K, :, 0] if d.alphas is not None else None
    return Answer(d.texts[0], symbols, conf, d.contexts[:K, 0], alphas), d.states[:, 0]


def read(plain: NumberReader, attentive: NumberReader, text: str) -> Reading:
    """Everything the page draws for a prepared, non-empty text: both models read it."""
    p, _ = answer_of(plain, text)
    a, states = answer_of(attentive, text)
    shown = [ch if ch in attentive.source_index else "?" for ch in text]
    return Reading(text, shown, data.parse(text), p, a, states)


def focus(r: Reading) -> list[tuple[str, int, str]]:
    """For each step of the attentive model: (symbol written, the position it looked at most (0-based), the
    word around that position): where its attention peaked."""
    out = []
    for sym, row in zip(r.attentive.symbols, r.attentive.alphas):
        j = int(np.argmax(row))
        out.append((sym, j, word_at(r.text, j)))
    return out


def word_at(text: str, j: int) -> str:
    """The word (letters and hyphens) that holds character j; a space or comma is shown as itself."""
    if not text[j].isalpha() and text[j] != "-":
        return text[j]
    lo, hi = j, j + 1
    while lo > 0 and (text[lo - 1].isalpha() or text[lo - 1] == "-"):
        lo -= 1
    while hi < len(text) and (text[hi].isalpha() or text[hi] == "-"):
        hi += 1
    return text[lo:hi]


def strongest_units(contexts: np.ndarray, n: int | None) -> np.ndarray:
    """The n units whose c_k varies most over the steps, then largest |c|; all units when n is None. Unit order."""
    H = contexts.shape[1]
    if n is None or n >= H:
        return np.arange(H)
    score = contexts.std(0) + 1e-3 * np.abs(contexts).mean(0)
    return np.sort(np.argsort(-score, kind="stable")[:n])


# ----------------------------------------------------------------------------- exact match against input length

@dataclass(frozen=True)
class LengthCurves:
    bins: list[str]            # "1–25", ...
    n: list[int]               # held-out pairs in each bin
    plain: list[float | None]
    attentive: list[float | None]
    majority: list[float | None]
    word_copy: list[float | None]


def by_length(plain_meta: dict, attentive_meta: dict) -> LengthCurves:
    """The held-out exact match per input-length bin of both models and the baselines, as the recipe saved it."""
    p, a = plain_meta["evaluation"]["by_length"], attentive_meta["evaluation"]["by_length"]
    base = attentive_meta["evaluation"]["baseline_by_length"]
    if [b["bin"] for b in p] != [b["bin"] for b in a]:
        raise ValueError("the two models were scored on different length bins: retrain both")
    pick = lambda rows: [r["exact"] for r in rows]                                     # noqa: E731
    return LengthCurves([b["bin"] for b in a], [b["n"] for b in a], pick(p), pick(a),
                        pick(base["majority"]), pick(base["word_copy"]))


@dataclass(frozen=True)
class Verdict:
    plain_first: float         # the plain model's exact match in the shortest bin with data
    plain_last: float          # ... and in the longest
    attentive_first: float
    attentive_last: float
    plain_falls: bool          # by more than FALL
    attentive_holds: bool      # within HOLD of its shortest bin's
    first_bin: str
    last_bin: str
    plain_best: float          # the plain model's best bin, and which
    plain_best_bin: str
    plain_worst_bin: str


FALL, HOLD = 0.05, 0.05        # a drop of more than 5 points is a fall; within 5 points it holds


def verdict(c: LengthCurves) -> Verdict:
    have = [i for i, (x, y) in enumerate(zip(c.plain, c.attentive)) if x is not None and y is not None]
    i, j = have[0], have[-1]
    best, worst = max(have, key=lambda k: c.plain[k]), min(have, key=lambda k: c.plain[k])
    return Verdict(c.plain[i], c.plain[j], c.attentive[i], c.attentive[j],
                   c.plain[i] - c.plain[j] > FALL, c.attentive[i] - c.attentive[j] <= HOLD, c.bins[i], c.bins[j],
                   c.plain[best], c.bins[best], c.bins[worst])
