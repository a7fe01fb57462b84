"""The sentiment demo (many-to-one): a trained word-level LSTM reads a sentence and, after every word,
says how positive the sentence so far looks.

    prep = prepare(model, typed)           # the words read, which ones are outside the vocabulary, messages
    r = read(model, prep.words)            # Reading: p(positive) after every word, Δ per word, h_t
    r.movers(3)                            # the words that moved it most
    path = project(r.h, meta["projection"])  # (T + 1, 2): h_0 … h_T in the shipped 2-D view
    line = decision_line(model, meta["projection"])   # where the read-out says 50 %, in that view's plane
    negation(model)                        # does "not" turn each pair of NEGATIONS? (negation.py: two models)

The page's words (words.story(r): the reading in one paragraph) are in words.py.

The verdict after word t is the model's own read-out of h_t, softmax(W_y h_t + b_y): the model is trained
only on the verdict after the last word, but h_t summarises words 1..t, so the same read-out at every t
shows the verdict forming (the sentiment trajectory). Before the first word, h_0 = 0 and the read-out
gives softmax(b_y): the model's prior.

Shape legend: T words read, H hidden units. Arrays are numpy float64.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import numpy as np
import torch

from rnnviz.shared.classifier import SequenceClassifier

MAX_CHARS = 2000        # the text boxes keep this many characters (a typed text lives in the URL)
MAX_WORDS = 60          # the model reads at most this many words: the charts stay legible (the longest
                        # movie sentence has 61 tokens; a typical one about 21)
POSITIVE = 1            # index of "positive" in model.classes

# ----------------------------------------------------------------------------- text → words

# Typographic characters a keyboard or the data make, written one way (the data writes “ ” as '' and ``).
NORMALISE = {"\u2019": "'", "\u2018": "'", "``": '"', "''": '"', "\u201c": '"', "\u201d": '"',
             "\u2013": " - ", "\u2014": " - ", "\u00a0": " "}
# Penn-Treebank-style splits: "isn't" → "is n't", "film's" → "film 's", so "n't" is one word the model
# learns once (as it learns "not" and "never"), instead of one rare word per contraction.
_NOT = re.compile(r"(\w)n't\b")
_CLITIC = re.compile(r"(\w)'(s|re|ve|ll|d|m)\b")
_TOKEN = re.compile(r"n't|'(?:s|re|ve|ll|d|m)\b|[^\W_]+(?:'[^\W_]+)*|[^\w\s]")
TOKENIZER = "words-v1"  # stored with the model: its weights are only meaningful with this tokenizer


def _is_control(ch: str) -> bool:
    return unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co") and ch not in "\t\n\r"


def tokenize(text: str) -> list[str]:
    """Lower-cased words, "n't" and "'s"-style endings split off, each punctuation mark or symbol its own
    token (so an emoji is one word), hyphenated words split at the hyphen, control characters dropped.

        tokenize("It isn't good.")  →  ['it', 'is', "n't", 'good', '.']
    """
    text = "".join(ch for ch in str(text) if not _is_control(ch)).lower()
    for fancy, plain in NORMALISE.items():
        text = text.replace(fancy, plain)
    text = text.replace("cannot", "can not")
    return _TOKEN.findall(_CLITIC.sub(r"\1 '\2", _NOT.sub(r"\1 n't", text)))


@dataclass
class Prepared:
    words: list[str]                                  # what the model reads (at most MAX_WORDS)
    unknown: list[str] = field(default_factory=list)  # distinct words outside the vocabulary, read as <unk>
    cut: int = 0                                      # words beyond MAX_WORDS, left out
    controls: int = 0                                 # control / invisible characters dropped
    blank: bool = False                               # the text was empty or only spaces

    def messages(self) -> list[str]:
        """Plain-text notes for the page (the page escapes them); empty when all is well."""
        out = []
        if self.blank:
            out.append("The sentence is empty: type a sentence (or a single word) for the model to read.")
        elif not self.words:
            out.append("There is no word in this text the model could read (only control characters).")
        if self.controls:
            out.append(f"{self.controls:,} control or invisible character{'s were' if self.controls != 1 else ' was'} "
                       "dropped.")
        if self.cut:
            out.append(f"The model reads at most {MAX_WORDS} words here; it read the first {MAX_WORDS} and left "
                       f"out the other {self.cut:,}.")
        if self.unknown:
            shown = ", ".join(f"“{w}”" for w in self.unknown[:10]) + (", …" if len(self.unknown) > 10 else "")
            n = len(self.unknown)
            out.append(f"{n} word{'s' if n != 1 else ''} outside the model's vocabulary, rare or unseen in training (read as one "
                       f"“unknown word” symbol, <unk>): {shown}.")
        return out


def prepare(model: SequenceClassifier, text: str) -> Prepared:
    text = str(text or "")
    controls = sum(_is_control(ch) for ch in text)
    words = tokenize(text)
    unknown = list(dict.fromkeys(w for w in words[:MAX_WORDS] if w not in model.index))
    return Prepared(words=words[:MAX_WORDS], unknown=unknown, cut=max(0, len(words) - MAX_WORDS),
                    controls=controls, blank=not text.strip())


# ----------------------------------------------------------------------------- the reading

@dataclass(frozen=True)
class Reading:
    words: tuple[str, ...]
    known: np.ndarray           # (T,) bool: False where the word was read as <unk>
    p0: float                   # p(positive) before any word: softmax(b_y), h_0 = 0
    p: np.ndarray               # (T,) p(positive | words 1..t)
    h: np.ndarray               # (T, H) hidden state after each word

    @property
    def delta(self) -> np.ndarray:
        """(T,) the change in p(positive) that reading word t caused: p_t − p_{t−1} (p_0 before any word)."""
        return np.diff(np.concatenate([[self.p0], self.p]))

    @property
    def final(self) -> float:
        return float(self.p[-1])

    @property
    def verdict(self) -> str:
        return verdict(self.final)

    def movers(self, k: int = 3) -> list[tuple[int, str, float]]:
        """The k words whose reading changed p(positive) most, largest |Δ| first: (position 0-based, word, Δ)."""
        d = self.delta
        order = sorted(range(len(d)), key=lambda t: (-abs(d[t]), t))[:k]
        return [(t, self.words[t], float(d[t])) for t in order]


def verdict(p: float) -> str:
    """The class a probability of "positive" names (0.5 exactly counts as positive, as argmax would)."""
    if not np.isfinite(p):
        return "undecided (not a number)"
    return "positive" if p >= 0.5 else "negative"


@torch.inference_mode()
def read(model: SequenceClassifier, words: list[str]) -> Reading:
    """Run `words` (non-empty) through the model; the read-out after every word (the model is in eval mode,
    so its dropout does nothing, and this is exactly model(ids))."""
    if not words:
        raise ValueError("nothing to read: no words")
    ids = model.encode(list(words))[:, None]                          # (T, 1)
    out, _ = model.rnn(model.embed(ids))                              # (T, 1, H)
    logits = model.head(out[:, 0]).double()                           # (T, C)
    p = torch.softmax(logits, -1)[:, POSITIVE]
    p0 = torch.softmax(model.head.bias.double(), -1)[POSITIVE]
    return Reading(words=tuple(words), known=(ids[:, 0] != 1).numpy(), p0=float(p0), p=p.numpy().copy(),
                   h=out[:, 0].double().numpy().copy())


def read_text(model: SequenceClassifier, text: str) -> Reading | None:
    """prepare + read; None when there is no word to read."""
    words = prepare(model, text).words
    return read(model, words) if words else None


def pct(p: float) -> str:
    return f"{100 * p:.0f}%" if np.isfinite(p) else "NaN"


# ----------------------------------------------------------------------------- the 2-D view of h_t

def fit_projection(states: np.ndarray, labels: np.ndarray) -> dict:
    """PCA of final hidden states (N, H): the two directions along which they vary most. PC 1 is turned so
    that positive sentences end up on its right on average (the sign of a principal component is arbitrary).
    Returns plain lists for the manifest: mean (H,), components (2, H), explained share of variance (2,)."""
    states = np.asarray(states, dtype=np.float64)
    mean = states.mean(0)
    _, s, vt = np.linalg.svd(states - mean, full_matrices=False)
    comps = vt[:2].copy()
    xy = (states - mean) @ comps.T
    labels = np.asarray(labels)
    for k in range(2):                                                 # positive: right (PC 1) and up (PC 2)
        if xy[labels == 1, k].mean() < xy[labels == 0, k].mean():
            comps[k] *= -1
    share = (s ** 2 / (s ** 2).sum())[:2]
    return {"mean": mean.tolist(), "components": comps.tolist(), "explained": share.tolist()}


def project(h: np.ndarray, projection: dict, start: bool = True) -> np.ndarray:
    """(T, H) hidden states → (T, 2) in the fixed 2-D view; with start=True, h_0 = 0 is prepended: (T + 1, 2)."""
    h = np.asarray(h, dtype=np.float64)
    if start:
        h = np.vstack([np.zeros((1, h.shape[1])), h])
    return (h - np.asarray(projection["mean"])) @ np.asarray(projection["components"]).T


@dataclass(frozen=True)
class Line:
    """Where the read-out says exactly 50 %, for states that lie in the 2-D view's plane: a·x + b·y + c = 0,
    positive where a·x + b·y + c > 0. A real state also has parts the view does not show (the other H − 2
    directions), so a point can sit on one side of this line and be read as the other."""
    a: float
    b: float
    c: float

    def positive(self, xy: np.ndarray) -> np.ndarray:
        """(N,) bool: the side of the line each projected point (N, 2) lies on."""
        xy = np.asarray(xy, dtype=np.float64)
        return self.a * xy[:, 0] + self.b * xy[:, 1] + self.c >= 0


def decision_line(model: SequenceClassifier, projection: dict) -> Line:
    """The read-out's 50 % boundary in the view. With two classes, p(positive) ≥ 0.5 exactly where the logit
    difference w·h + d ≥ 0 (w = W_y[pos] − W_y[neg], d = b_y[pos] − b_y[neg]). A state in the plane is
    h = mean + x·u_1 + y·u_2, so there w·h + d = (w·u_1) x + (w·u_2) y + (w·mean + d)."""
    W = model.head.weight.detach().double().numpy()
    bias = model.head.bias.detach().double().numpy()
    w, d = W[POSITIVE] - W[1 - POSITIVE], bias[POSITIVE] - bias[1 - POSITIVE]
    u = np.asarray(projection["components"], dtype=np.float64)                   # (2, H)
    return Line(float(w @ u[0]), float(w @ u[1]), float(w @ np.asarray(projection["mean"]) + d))


def agreement(r: Reading, projection: dict, line: Line) -> tuple[int, int]:
    """(how many of the T states after each word lie on the side of the line that names their own verdict, T)."""
    side = line.positive(project(r.h, projection, start=False))
    return int(np.sum(side == (r.p >= 0.5))), len(r.p)


# ----------------------------------------------------------------------------- negation

@dataclass(frozen=True)
class Pair:
    plain: str
    negated: str
    p_plain: float
    p_negated: float

    @property
    def turned(self) -> bool:
        """The final verdict changes side when the negation is put in front."""
        return verdict(self.p_plain) != verdict(self.p_negated)


# (plain, negated), read by both models on the page (negation.py): first what the shipped model's
# made-up "not WORD" examples held, then negations in neither model's training: straight after the negator,
# a lexicon word ("boring") and two words outside VADER's lexicon, which the made-up examples never negated
# ("tedious", "memorable"); then with words between the negator and the word.
NEGATIONS = (("good", "not good"), ("bad", "not bad"), ("the film is bad", "the film is not bad"),
             ("boring", "never boring"), ("tedious", "not tedious"), ("memorable", "not memorable"),
             ("bad", "not at all bad"), ("a masterpiece", "not a masterpiece"))


def negation(model: SequenceClassifier, pairs=NEGATIONS) -> list[Pair]:
    """Each (plain, negated) pair read by the model: its final p(positive) with and without the "not"."""
    out = []
    for plain, negated in pairs:
        a, b = read_text(model, plain), read_text(model, negated)
        out.append(Pair(plain, negated, a.final, b.final))
    return out


# ----------------------------------------------------------------------------- the verdict's course

def crossings(r: Reading) -> list[tuple[int, str, str]]:
    """Where the verdict changes side while reading: (position 0-based, word, "up" | "down")."""
    p = np.concatenate([[r.p0], r.p])
    return [(t, r.words[t], "up" if p[t + 1] >= 0.5 else "down") for t in range(len(r.p))
            if (p[t] >= 0.5) != (p[t + 1] >= 0.5)]


def bucket(p: float) -> int:
    """Which of words.ANSWERS a final p(positive) falls in: below 25 %, 25–75 %, above 75 %."""
    return 0 if p < 0.25 else (2 if p > 0.75 else 1)


