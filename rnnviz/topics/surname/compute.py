"""The surname → language demo (many-to-one on characters): a trained GRU reads a surname letter by letter
and, after every letter, says how likely each language is; a character-bigram naive Bayes says the same
from letter pairs alone, to show what reading in order adds.

    prep = prepare(model, typed)           # the letters read, what was dropped or unknown, messages
    r = read(model, nb, prep.text)         # Reading: probs (T, C) of the model and of the baseline
    r.top(5), r.leaders, r.story()         # the final top 5, the leader after each letter, where it changes
    nb = BigramNB.fit(pairs, classes)      # the baseline; nb.to_json() / BigramNB.from_json(...)

What the page says (words.story(r): the reading in one sentence) is in words.py.

Shape legend: T letters read, C languages, B bigrams. Arrays are numpy float64.
"""
from __future__ import annotations

import collections
import unicodedata
from dataclasses import dataclass, field

import numpy as np
import torch

from rnnviz.topics.surname.data import normalise
from rnnviz.shared.classifier import SequenceClassifier

MAX_LETTERS = 40        # the box keeps this many characters, the model reads at most this many letters
KEEP = "'-"             # besides letters: O'Brien, Müller-Lang
START, END = "^", "$"   # the baseline's markers: "^s" is "starts with s", "t$" "ends with t"
UNK_SHOWN = "?"         # how a letter the model never saw is drawn


# ----------------------------------------------------------------------------- typed text → letters

@dataclass
class Prepared:
    text: str                                         # the letters read: normalised, lowercase
    typed: str = ""
    dropped: dict[str, collections.Counter] = field(default_factory=dict)   # kind → char → count
    unknown: collections.Counter = field(default_factory=collections.Counter)  # letters never seen in training
    cut: int = 0                                      # letters beyond MAX_LETTERS

    def messages(self) -> list[str]:
        """Plain-text notes for the page (the page escapes them); empty when the name is read as typed."""
        out = []
        if not self.typed.strip():
            return ["The box is empty: type a surname (letters only, e.g. Nakamura)."]
        if not self.text:
            out.append("Nothing in the box is a letter, so there is nothing to read: type a surname.")
        says = {"space": "A surname is one word here: {n} dropped",
                "digit": "Digits are not part of a surname: {n} dropped",
                "control": "{n} dropped: invisible characters are not part of a name",
                "symbol": "{n} dropped: the model reads letters, apostrophes and hyphens only"}
        for kind, counts in self.dropped.items():
            if counts:
                n = sum(counts.values())
                what = {"space": "space", "digit": "digit", "control": "control character",
                        "symbol": "character"}[kind]
                shown = ", ".join(visible(ch) for ch, _ in counts.most_common(6))
                out.append(says[kind].format(n=f"{n} {what}{'s' if n != 1 else ''} ({shown})") + ".")
        if self.cut:
            out.append(f"The model reads at most {MAX_LETTERS} letters; it left out the last {self.cut:,}.")
        if self.unknown:
            n = sum(self.unknown.values())
            shown = ", ".join(visible(ch) for ch, _ in self.unknown.most_common(6))
            out.append(f"{n} letter{'s' if n != 1 else ''} the model never saw in training ({shown}) "
                       f"{'are' if n != 1 else 'is'} read as one unknown symbol, drawn {UNK_SHOWN}.")
        if self.text and any(self.dropped.values()):
            out.append(f"It reads what is left: {self.text}.")
        return out


def visible(ch: str) -> str:
    """A character as a student can read it in a message: control and space characters by name."""
    if ch == " ":
        return "space"
    if unicodedata.category(ch) in ("Cc", "Cf", "Zs", "Zl", "Zp") or ch in "\t\n\r":
        return f"U+{ord(ch):04X}"
    return ch


def _kind(ch: str) -> str:
    cat = unicodedata.category(ch)
    if ch.isspace() or cat.startswith("Z"):
        return "space"
    if cat == "Nd" or ch.isdigit():
        return "digit"
    if cat in ("Cc", "Cf", "Cs", "Co", "Cn"):
        return "control"
    if cat.startswith("L") or ch in KEEP:
        return "letter"
    return "symbol"


def prepare(model: SequenceClassifier, typed: str) -> Prepared:
    """What the model reads of `typed`: normalised like the training names (NFC, straight apostrophes,
    lowercase), keeping letters, apostrophes and hyphens; every other character is dropped with a note.
    A letter the model never saw stays in place and is read as the unknown token."""
    typed = str(typed or "")
    dropped = {kind: collections.Counter() for kind in ("space", "digit", "control", "symbol")}
    letters = []
    for ch in normalise(typed) if typed.strip() else "":
        kind = _kind(ch)
        if kind == "letter":
            letters.append(ch)
        else:
            dropped[kind][ch] += 1
    text = "".join(letters).strip(KEEP)
    cut = max(0, len(text) - MAX_LETTERS)
    text = text[:MAX_LETTERS]
    unknown = collections.Counter(ch for ch in text if ch not in model.index)
    return Prepared(text=text, typed=typed, dropped=dropped, unknown=unknown, cut=cut)


# ----------------------------------------------------------------------------- the baseline

@dataclass(frozen=True)
class BigramNB:
    """Multinomial naive Bayes over character bigrams with start and end markers ("^k", "ki", "i$"):

        log p(lang | name) = log p(lang) + Σ_b log p(b | lang) + const,  p(b | lang) = (n_lang,b + 1) / (N_lang + B)

    add-one (Laplace) smoothing over the B bigrams seen in training; a bigram never seen carries no
    evidence and is skipped. The prior is uniform, as for the GRU, which trains on batches that draw
    every language equally often. The order of the bigrams is thrown away: a bag of letter pairs."""
    classes: tuple[str, ...]
    bigrams: tuple[str, ...]         # (B,) sorted
    counts: np.ndarray               # (C, B) how often each language's training names hold each bigram

    @staticmethod
    def pairs(text: str, end: bool = True) -> list[str]:
        w = START + text + (END if end else "")
        return [w[i:i + 2] for i in range(len(w) - 1)]

    @classmethod
    def fit(cls, examples: list[tuple[str, str]], classes: list[str]) -> "BigramNB":
        index = {c: i for i, c in enumerate(classes)}
        per = [collections.Counter() for _ in classes]
        for name, language in examples:
            per[index[language]].update(cls.pairs(name))
        bigrams = tuple(sorted(set().union(*per)))
        counts = np.array([[c[b] for b in bigrams] for c in per], dtype=np.int64)
        return cls(tuple(classes), bigrams, counts)

    @property
    def log_p(self) -> np.ndarray:
        """(C, B) log p(bigram | language)."""
        totals = self.counts.sum(1, keepdims=True) + len(self.bigrams)
        return np.log((self.counts + 1) / totals)

    def steps(self, text: str) -> np.ndarray:
        """(T, C) p(language | the first t letters), t = 1..T; the last step adds the end marker (the
        name is over), so the last row is the baseline's verdict on the whole name."""
        col = {b: i for i, b in enumerate(self.bigrams)}
        log_p = self.log_p
        score = np.zeros(len(self.classes))
        out = np.empty((len(text), len(self.classes)))
        for t, b in enumerate(self.pairs(text, end=False)):      # the t-th pair ends at letter t
            if b in col:
                score = score + log_p[:, col[b]]
            final = score + log_p[:, col[text[-1] + END]] if t == len(text) - 1 and text[-1] + END in col else score
            out[t] = softmax(final)
        return out

    def predict(self, names: list[str]) -> list[int]:
        return [int(self.steps(n)[-1].argmax()) for n in names]

    def to_json(self) -> dict:
        """Sparse and readable: {language: {bigram: count}} for the manifest."""
        return {c: {b: int(n) for b, n in zip(self.bigrams, row) if n} for c, row in zip(self.classes, self.counts)}

    @classmethod
    def from_json(cls, data: dict) -> "BigramNB":
        classes = list(data)
        bigrams = tuple(sorted(set().union(*(set(v) for v in data.values()))))
        counts = np.array([[data[c].get(b, 0) for b in bigrams] for c in classes], dtype=np.int64)
        return cls(tuple(classes), bigrams, counts)


def softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


# ----------------------------------------------------------------------------- the model reading

@dataclass
class Reading:
    text: str
    classes: list[str]
    probs: np.ndarray            # (T, C) the GRU: p(language | letters 1..t)
    baseline: np.ndarray         # (T, C) the bigram naive Bayes, likewise
    known: np.ndarray            # (T,) bool: the letter is in the model's alphabet

    @property
    def leaders(self) -> list[str]:
        """The model's top language after each letter."""
        return [self.classes[i] for i in self.probs.argmax(1)]

    def top(self, k: int = 5, baseline: bool = False) -> list[tuple[str, float]]:
        p = (self.baseline if baseline else self.probs)[-1]
        return [(self.classes[i], float(p[i])) for i in np.argsort(-p, kind="stable")[:k]]

    def story(self) -> list[tuple[int, str, float]]:
        """(step t, new leader, its probability) each time the model changes its mind (t = 1 included)."""
        out, last = [], None
        for t, (lead, row) in enumerate(zip(self.leaders, self.probs), start=1):
            if lead != last:
                out.append((t, lead, float(row.max())))
                last = lead
        return out

    def order(self, how: str) -> list[int]:
        """Row order for the chart: "likeliest" (by the final probability, top first) or "alphabetical"."""
        if how == "alphabetical":
            return sorted(range(len(self.classes)), key=lambda i: self.classes[i])
        return [int(i) for i in np.argsort(-self.probs[-1], kind="stable")]


@torch.inference_mode()
def model_steps(model: SequenceClassifier, text: str) -> np.ndarray:
    """(T, C) softmax(logits_t): the model's verdict after each letter (one forward pass)."""
    ids = model.encode(list(text))[:, None]                               # (T, 1)
    logits, _ = model(ids)                                                # (T, 1, C)
    return torch.softmax(logits[:, 0].double(), -1).numpy()


def read(model: SequenceClassifier, nb: BigramNB, text: str) -> Reading:
    """The model and the baseline on `text` (non-empty, from prepare)."""
    if not text:
        raise ValueError("nothing to read: no letters")
    if list(nb.classes) != list(model.classes):
        raise ValueError("the baseline and the model name different languages")
    known = np.array([ch in model.index for ch in text])
    return Reading(text, list(model.classes), model_steps(model, text), nb.steps(text), known)


# ----------------------------------------------------------------------------- held-out scores

def data_table(meta: dict) -> list[dict]:
    """One row per language from the manifest entry: distinct names, the split, shared names, Faker lists."""
    return [{"language": lang, "distinct names": row["names"], "train": row["train"],
             "validation": row["validation"], "test": row["test"], "also in another list": row["shared"],
             "Faker lists": ", ".join(row["locales"])} for lang, row in meta["data"]["languages"].items()]


def scores(truth: list[int], guess: list[int], n_classes: int) -> dict:
    """Accuracy, balanced accuracy (the mean of the per-language accuracies, which does not reward
    guessing the biggest language), per-language accuracy and the confusion matrix (row: truth)."""
    m = np.zeros((n_classes, n_classes), dtype=np.int64)
    np.add.at(m, (np.asarray(truth), np.asarray(guess)), 1)
    support = m.sum(1)
    per = np.where(support > 0, np.diag(m) / np.maximum(support, 1), np.nan)
    return {"accuracy": float(np.trace(m) / max(m.sum(), 1)), "balanced_accuracy": float(np.nanmean(per)),
            "per_language": [float(x) for x in per], "confusion": m.tolist(), "support": support.tolist()}


def mixups(classes: list[str], confusion: list[list[int]], n: int = 3) -> list[tuple[str, str, int]]:
    """The n pairs of languages the confusion matrix (row: truth, column: guess) mixes up most, counting
    both directions: [(language, language, test names), ...], most first."""
    m = np.asarray(confusion)
    pairs = [(classes[i], classes[j], int(m[i, j] + m[j, i])) for i in range(len(classes))
             for j in range(i + 1, len(classes))]
    return sorted(pairs, key=lambda p: -p[2])[:n]


def predicted_leader(model: SequenceClassifier, prefix: str, among: list[str]) -> tuple[int, list[tuple[str, float]]]:
    """The predict-then-reveal answer: which of `among` the model ranks first after reading `prefix`,
    and its top 3 overall, (language, probability)."""
    p = model_steps(model, prefix)[-1]
    rank = {c: float(p[i]) for i, c in enumerate(model.classes)}
    best = max(range(len(among)), key=lambda i: rank.get(among[i], -1.0))
    top3 = sorted(rank.items(), key=lambda kv: -kv[1])[:3]
    return best, top3
