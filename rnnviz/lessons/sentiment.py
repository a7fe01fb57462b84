"""The sentiment demo (many-to-one): a trained word-level LSTM reads a sentence and, after every word,
says how positive the sentence so far looks.

    prep = prepare(model, typed)           # the words read, which ones the model never saw, messages
    r = read(model, prep.words)            # Reading: p(positive) after every word, Δ per word, h_t
    r.movers(3), story(r)                  # the words that moved it most, and the reading in words
    path = project(r.h, meta["projection"])  # (T + 1, 2): h_0 … h_T in the shipped 2-D view
    negation(model)                        # does "not good" turn against "good"? (computed, not assumed)

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

from rnnviz.models import SequenceClassifier

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
            out.append(f"{n} word{'s' if n != 1 else ''} the model never saw in training (read as one "
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


def story(r: Reading, k: int = 3) -> str:
    """The reading in one paragraph of plain text (the page escapes it)."""
    moves = "; ".join(f"“{w}” {100 * d:+.0f} points" for _, w, d in r.movers(k))
    return (f"Before the first word the model leans {pct(r.p0)} positive (its bias alone). After the last word "
            f"it says {pct(r.final)} positive: {r.verdict}. The words that moved it most: {moves}.")


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


NEGATIONS = (("good", "not good"), ("bad", "not bad"), ("the film is good", "the film is not good"),
             ("the film is bad", "the film is not bad"))


def negation(model: SequenceClassifier, pairs=NEGATIONS) -> list[Pair]:
    """Each (plain, negated) pair read by the model: its final p(positive) with and without the "not"."""
    out = []
    for plain, negated in pairs:
        a, b = read_text(model, plain), read_text(model, negated)
        out.append(Pair(plain, negated, a.final, b.final))
    return out


def negation_sentence(pair: Pair) -> str:
    """What a pair shows, in words (plain text): the turn, or honestly that there is none."""
    head = (f"“{pair.plain}” ends {pct(pair.p_plain)} positive ({verdict(pair.p_plain)}); “{pair.negated}” ends "
            f"{pct(pair.p_negated)} positive ({verdict(pair.p_negated)}).")
    if pair.turned:
        return head + " The “not” turns the verdict."
    moved = 100 * (pair.p_negated - pair.p_plain)
    return head + (f" The “not” moves it by {moved:+.0f} points but does not turn it: this model has not learnt "
                   "to reverse this one.")


# ----------------------------------------------------------------------------- the page's texts and presets

INTRO = ("**Many-to-one.** An LSTM reads a sentence one word at a time and, after the last word, says whether "
         "it is positive or negative. It was trained only on that final verdict, for movie-review sentences "
         "rated by people. But its hidden state after each word sums up everything read so far, so we can ask "
         "for its verdict *after every word* and watch it form: which words push it up or down, whether a "
         "“not” or a “but” turns it, and where the state travels on the way.")
HOW_TO_READ = ("Each point is the model's p(positive) after reading the sentence up to that word (the same "
               "read-out W_y h_t + b_y at every step); above the dashed 50 % line the verdict is positive. "
               "(start) is before any word: h_0 = 0, so only the bias speaks. A word marked (?) is one the model "
               "never saw: it reads the same <unk> symbol for all of them.")
MOVERS_NOTE = ("Δ is p(positive) after the word minus p(positive) before it. The same word can move the verdict "
               "differently in different places: what it does depends on the state it arrives in.")
PATH_NOTE = ("The hidden state has {H} numbers; this view keeps the two directions along which the final states of "
             "the held-out test sentences differ most (principal component analysis, fitted once and shipped with "
             "the model). Each faint dot is where one test sentence ended, coloured by how people rated it. Your "
             "sentence starts at h_0 = 0 (the open circle) and takes one step per word; the diamond is where it "
             "ends. The read-out only sees where the state ends up, so the side it lands on is the verdict.")
NEGATION_NOTE = ("The issue with bags of words: “not good” and “good not” hold the same words. A model that reads "
                 "in order can learn that “not” flips what comes after it, if the training sentences teach it. "
                 "Each row below is computed by the shipped model now.")
DATA = ("**Where the sentences come from.** The movie-review sentences of Pang & Lee (Rotten Tomatoes snippets, "
        "2004–2005), each rated from −4 to +4 by at least 20 people for Hutto & Gilbert's VADER paper (ICWSM 2014); "
        "the data ships in the `vadersentiment==3.3.2` source package on the Python package registry (MIT). "
        "Sentences whose mean rating is closer to 0 than 0.5 are left out (the raters did not agree on a side); "
        "the rest are positive when the mean is above 0. A fixed, seeded split keeps a tenth of them for "
        "validation (to choose when to stop training) and a tenth for the test the page reports: sentences the "
        "model never saw and nothing was tuned on.")
WORDS_NOTE = ("How a text becomes words: lower case; “isn't” becomes “is” + “n't”, “film's” becomes “film” + “'s”; "
              "each punctuation mark and each emoji is a word of its own; hyphenated words are split. The "
              "vocabulary is the {V:,} most frequent words of the training text seen at least twice; anything "
              "else is <unk>.")
NOT_QUESTION = "The model reads “not”, then “bad”. Where does its verdict end, after “bad”?"
NOT_ANSWERS = ["clearly negative (below 25 %)", "undecided (25–75 %)", "clearly positive (above 75 %)"]


def versus_bag_of_words(metrics: dict, n_test: int) -> str:
    """The LSTM against naive Bayes on the test sentences, said honestly: with n_test sentences a difference
    of one standard error of a difference of two accuracies near 79 % is about 1.8 points."""
    a, b = metrics["test_accuracy"], metrics["naive_bayes_accuracy"]
    se = float(np.sqrt(2 * a * (1 - a) / n_test))
    if abs(a - b) < 2 * se:
        return (f"On these sentences the two are level: {a:.1%} against {b:.1%}, closer than the test set can tell "
                f"apart (±{2 * se:.1%}). Most movie sentences carry their verdict in a few strong words, which a bag of "
                "words counts well; reading in order pays where order matters, as in the “not” table above.")
    better = "better" if a > b else "worse"
    return f"The LSTM does {better} than naive Bayes here: {a:.1%} against {b:.1%} (±{2 * se:.1%})."


def bucket(p: float) -> int:
    """Which of NOT_ANSWERS a final p(positive) falls in."""
    return 0 if p < 0.25 else (2 if p > 0.75 else 1)


def presets(model: SequenceClassifier, examples: dict) -> list[tuple[str, dict, str]]:
    """The "What to try" buttons: (label, controls they set, what to look at); every note that states what
    the model does is computed from the model here."""
    def ends(text: str) -> str:
        r = read_text(model, text)
        return f"it ends {pct(r.final)} positive" if r is not None else "nothing to read"

    out = [("“not good” against “good”", {"text": "not good", "other": "good"},
            f"Two words. Does the “not” turn the verdict? “good” alone: {ends('good')}; with the “not”: "
            f"{ends('not good')}.")]
    turn = "The actors are wonderful, but the story is a dull, tedious mess."
    r = read_text(model, turn)
    t, w, d = r.movers(1)[0]
    out.append(("A turn halfway: “…, but …”", {"text": turn, "other": ""},
                f"Watch where the line crosses 50 %: the biggest move is “{w}” (word {t + 1}, {100 * d:+.0f} "
                f"points); {ends(turn)}."))
    if "positive" in examples and "negative" in examples:
        pos, neg = examples["positive"], examples["negative"]
        out.append(("Two held-out reviews", {"text": pos["text"], "other": neg["text"]},
                    f"Test sentences it never saw, rated {pos['score']:+.1f} and {neg['score']:+.1f} by people "
                    f"(−4 … +4): the first {ends(pos['text'])}, the second {ends(neg['text'])}."))
    if "wrong" in examples:
        x = examples["wrong"]
        out.append(("A held-out review it gets wrong", {"text": x["text"], "other": ""},
                    f"People rated it {x['score']:+.1f} ({'positive' if x['label'] else 'negative'}); the model "
                    f"says {ends(x['text'])}. Which words misled it?"))
    return out
