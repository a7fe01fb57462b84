"""The tagging demo (aligned many-to-many on words): two trained LSTMs give every word of a typed sentence
a part-of-speech tag; one reads left to right only, the other also right to left (bidirectional).

    prep = prepare(model, typed)              # the words read, unknown words, messages
    r = read(uni, bi, prep.words)             # Reading: probs (T, C) of each model, where they disagree
    fw, bw = directions(bi, words)            # the bidirectional model's two state sequences (T, H) each
    ahead(bi, r, t)                           # what reading ahead did at word t: bi cut after it vs bi whole
    base = MostFrequentTag.fit(sentences)     # the baseline; base.tag(words)

What the page says about a reading (the disagreements, what reading ahead did) is in words.py.

Shape legend: T words, C tags, H hidden units per direction. Arrays are numpy float64.
"""
from __future__ import annotations

import collections
import unicodedata
from dataclasses import dataclass, field

import numpy as np
import torch

from rnnviz.topics.tagging.data import tokenize
from rnnviz.topics.tagging.model import Tagger

MAX_CHARS = 300        # the box keeps this many characters
MAX_WORDS = 40         # the models read at most this many tokens (training sentences had at most 30)


# ----------------------------------------------------------------------------- the baseline and the score

@dataclass(frozen=True)
class MostFrequentTag:
    """Each (lowercased) word's most frequent tag in the training sentences, ties broken by the tag's
    overall frequency; a word never seen gets the overall most frequent tag. It knows words, not context:
    "can" gets one tag wherever it stands."""
    table: dict
    default: str

    @classmethod
    def fit(cls, sentences: list) -> "MostFrequentTag":
        overall = collections.Counter(t for _, tags in sentences for t in tags)
        rank = {t: i for i, (t, _) in enumerate(overall.most_common())}
        per = collections.defaultdict(collections.Counter)
        for words, tags in sentences:
            for w, t in zip(words, tags):
                per[w.lower()][t] += 1
        table = {w: min(c, key=lambda t: (-c[t], rank[t])) for w, c in per.items()}
        return cls(table, overall.most_common(1)[0][0])

    def tag(self, words: list[str]) -> list[str]:
        return [self.table.get(w.lower(), self.default) for w in words]


def accuracy(truth: list[list[str]], guess: list[list[str]], mask: list[list[bool]] | None = None) -> float:
    """Share of tokens (where mask is True, if given) whose guessed tag equals the true one."""
    right = total = 0
    for i, (t, g) in enumerate(zip(truth, guess)):
        for j, (a, b) in enumerate(zip(t, g)):
            if mask is None or mask[i][j]:
                right += a == b
                total += 1
    return right / total if total else float("nan")


# ----------------------------------------------------------------------------- typed text → words

@dataclass
class Prepared:
    words: list[str]
    typed: str = ""
    unknown: list[str] = field(default_factory=list)       # words the model never saw (tagged from their looks)
    dropped: collections.Counter = field(default_factory=collections.Counter)   # characters not read
    cut: int = 0                                           # tokens beyond MAX_WORDS

    def messages(self) -> list[str]:
        """Plain-text notes for the page (the page escapes them)."""
        if not self.typed.strip():
            return ["The box is empty: type an English sentence (e.g. I can can a can.)."]
        out = []
        if not self.words:
            out.append("Nothing in the box is a word the taggers can read (they read English letters, "
                       "digits and punctuation): type a sentence.")
        if self.dropped:
            n = sum(self.dropped.values())
            shown = ", ".join(visible(c) for c, _ in self.dropped.most_common(6))
            out.append(f"{n} character{'s' if n != 1 else ''} left out ({shown}): the taggers read English "
                       "letters, digits and punctuation only.")
        if self.cut:
            out.append(f"The taggers read at most {MAX_WORDS} words and marks; they left out the last {self.cut:,}.")
        if self.unknown:
            shown = ", ".join(dict.fromkeys(self.unknown))
            out.append(f"{len(self.unknown)} word{'s' if len(self.unknown) != 1 else ''} the taggers never learned "
                       f"({shown[:200]}), seen at most once in training: tagged from the last three letters, the capital "
                       "and the neighbours.")
        return out


def visible(ch: str) -> str:
    if unicodedata.category(ch).startswith(("C", "Z")):
        return f"U+{ord(ch):04X}"
    return ch


def prepare(model: Tagger, typed: str) -> Prepared:
    """The tokens the models read: the corpus's own tokenizer on the typed text after NFKC (curly
    quotes → straight); characters outside ASCII (emoji, other scripts) and control characters are left
    out with a note. At most MAX_WORDS tokens."""
    typed = str(typed or "")
    text = unicodedata.normalize("NFKC", typed).replace("’", "'").replace("‘", "'")
    dropped = collections.Counter(ch for ch in text if not (ch.isascii() and (ch.isprintable() or ch.isspace())))
    clean = "".join(" " if ch in dropped else ch for ch in text)
    words = tokenize(clean)
    cut = max(0, len(words) - MAX_WORDS)
    words = words[:MAX_WORDS]
    unknown = [w for w in words if w[0].isalpha() and w.lower() not in model.index]
    return Prepared(words, typed, unknown, dropped, cut)


# ----------------------------------------------------------------------------- the models reading

@torch.inference_mode()
def tag_probs(model: Tagger, words: list[str]) -> np.ndarray:
    """(T, C) p(tag_t | the words the model can see) for one sentence (one forward pass)."""
    logits = model(model.encode(words)[:, None])                   # (T, 1, C)
    return torch.softmax(logits[:, 0].double(), -1).numpy()


@torch.inference_mode()
def directions(model: Tagger, words: list[str]) -> tuple[np.ndarray, np.ndarray | None]:
    """(h→ (T, H), h← (T, H) or None): the states of each direction, computed separately: the forward
    cell on words 1..T, the backward cell on words T..1 (its outputs flipped back into word order).
    model.head on [h→_t ; h←_t] gives exactly model(...)'s logits (tests/topics/tagging/test_tagging.py)."""
    x = model.inputs(model.encode(words)[:, None])                   # (T, 1, D+U+4)
    rnn = model.rnn
    one = type(rnn)(rnn.input_size, rnn.hidden_size)
    sd = rnn.state_dict()
    one.load_state_dict({k: sd[k] for k in one.state_dict()})
    fw = one(x)[0][:, 0].double().numpy()
    if not model.bidirectional:
        return fw, None
    one.load_state_dict({k: sd[k + "_reverse"] for k in one.state_dict()})
    bw = one(x.flip(0))[0].flip(0)[:, 0].double().numpy()
    return fw, bw


@dataclass
class Reading:
    words: list[str]
    tags: list[str]
    uni: np.ndarray          # (T, C) the one-directional tagger
    bi: np.ndarray           # (T, C) the bidirectional tagger
    known: np.ndarray        # (T,) bool: the word (or mark) is in the vocabulary

    def best(self, which: str) -> list[str]:
        p = self.uni if which == "uni" else self.bi
        return [self.tags[i] for i in p.argmax(1)]

    @property
    def disagree(self) -> list[int]:
        """Positions where the two models' top tags differ."""
        return [t for t, (a, b) in enumerate(zip(self.best("uni"), self.best("bi"))) if a != b]


def read(uni: Tagger, bi: Tagger, words: list[str]) -> Reading:
    if not words:
        raise ValueError("nothing to read: no words")
    if uni.tags != bi.tags:
        raise ValueError("the two taggers use different tag sets")
    known = np.array([(not w[0].isalpha()) or w.lower() in uni.index for w in words])
    return Reading(list(words), list(uni.tags), tag_probs(uni, words), tag_probs(bi, words), known)


def used_tags(r: Reading) -> list[int]:
    """Columns worth showing: tags either tagger gives some word 5 % or more (in tag order)."""
    return [i for i in range(len(r.tags)) if max(r.uni[:, i].max(), r.bi[:, i].max()) >= 0.05]


@dataclass(frozen=True)
class Ahead:
    """What reading ahead did at one word where the taggers disagree: the bidirectional tagger run on the
    sentence cut off after the word (it cannot read ahead) against the same tagger on the whole sentence."""
    t: int                   # the word's position, 0-based
    word: str
    uni: tuple[str, float]   # the left-to-right tagger's tag and p
    cut: tuple[str, float]   # the bidirectional tagger on words 1..t+1
    full: tuple[str, float]  # the bidirectional tagger on the whole sentence

    @property
    def changed(self) -> bool:
        """Reading the words after it changed the bidirectional tagger's tag."""
        return self.cut[0] != self.full[0]


def ahead(bi: Tagger, r: Reading, t: int) -> Ahead:
    top = lambda p: (r.tags[int(np.argmax(p))], float(np.max(p)))                      # noqa: E731
    cut = tag_probs(bi, r.words[:t + 1])[t]
    return Ahead(t, r.words[t], top(r.uni[t]), top(cut), top(r.bi[t]))


def tag_table(meta: dict) -> list[dict]:
    """The 12 tags and what they mean, from the manifest entry."""
    return [{"tag": t, "meaning": m} for t, m in meta["data"]["tags"].items()]


