"""The surname → language demo (many-to-one on characters): a trained GRU reads a surname letter by letter
and, after every letter, says how likely each language is; a character-bigram naive Bayes says the same
from letter pairs alone, to show what reading in order adds.

    prep = prepare(model, typed)           # the letters read, what was dropped or unknown, messages
    r = read(model, nb, prep.text)         # Reading: probs (T, C) of the model and of the baseline
    r.top(5), r.leaders, r.story()         # the final top 5, the leader after each letter, in words
    nb = BigramNB.fit(pairs, classes)      # the baseline; nb.to_json() / BigramNB.from_json(...)

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

# ----- the page's longer texts (plain markdown; nothing typed goes into them)
INTRO = ("**Many-to-one on characters.** A small GRU reads a surname one letter at a time and, after the last "
         "letter, names the language it comes from. Its hidden state after each letter is a summary of "
         "everything read so far, so we can ask it *after every letter* which language it would bet on, and "
         "watch the verdict form, change its mind, and settle.")
HOW_TO_READ = ("Each column is one more letter read; each row a language. A cell is p(language | the letters so "
               "far), written in % when it is 5 % or more; the name above a column is the leader, named where it "
               "changes (· : same as before). The model was only ever trained on the verdict after the *last* "
               "letter: the earlier columns show what its memory holds halfway.")
BASELINE = ("The **bigram baseline** counts letter pairs (“^s” = starts with s, “sc”, “ch”, …, “t$” = ends with t) "
            "in each language's training names and multiplies their probabilities (naive Bayes). It knows which "
            "pairs occur, not in what order or how far apart: that is what reading in order can add.")
DATA = ("**Where the names come from.** Faker, a Python package that makes up test data, ships a list of surnames "
        "for each locale (`faker/providers/person/<locale>`). Those lists are compiled by contributors from "
        "frequency tables and lists of common names, some weighted by frequency: **generated-data lists, not a "
        "census**, and a few hold names of immigrants or neighbours (the Swedish list has *Abbas*, the US list "
        "*Nguyen*). Locales of one language are merged (en\\_US, en\\_GB, en\\_NZ → English). "
        "**Latin script only**: a name in Cyrillic, Greek or Chinese characters gives its language away with its "
        "first letter, so the model would learn alphabets, not languages; Russian and Ukrainian come in Faker's "
        "own transliteration, Chinese in its romanised surnames. Names with a space (*van Dijk*, *Ó Briain*) are "
        "left out: the model reads one word. A name in the lists of several languages (*Martin*, *Adam*) is "
        "ambiguous: it is kept for training only, under each of its languages, so the test has one right answer "
        "per name. The split is by name, fixed and seeded; training draws a language uniformly, then a name "
        "(balanced sampling), because the lists are very unbalanced.")
# "What to try": (button, controls it sets, what to look at). The notes describe the shipped model's
# behaviour; tests/topics/surname/test_surname.py holds each claim against the model, so a retrained model that behaves
# otherwise fails a test instead of leaving a wrong note on the page.
PRESETS = [
    ("Schmidt: surest halfway", {"name": "Schmidt"},
     "The leader changes once, after “sc”. Watch German's share climb to its peak at “schm”, then fall as "
     "“idt” arrives: the model was trained only on whole names, and it is less sure of this one than of its start."),
    ("Kowalski: the ending decides", {"name": "Kowalski", "both": True},
     "“-ski” is Polish: see the Polish row light up at the end. The baseline sees “sk”, “ki”, “i$” too."),
    ("Martin: in many lists", {"name": "Martin", "order": "alphabetical"},
     "Martin is in seven of the lists (English, Irish, German, French, Spanish, Polish, Slovak): such names "
     "trained under each of their languages. Does the model commit, or split its vote?"),
    ("Nakamura: none of its languages", {"name": "Nakamura"},
     "Japanese is not one of its languages: it must still share out its whole vote among those it knows. Which "
     "one sounds closest?"),
]
MC_QUESTION = ("Every name that starts with “Mc” in the data is Irish or English. After reading only “Mc”, "
               "does the model's leading language say so?")
MC_ANSWERS = ["Yes: Irish or English leads after “Mc”", "No: another language leads after “Mc”"]
MC_LANGUAGES = ("Irish", "English")
MC_NAMES = ("McGrath", "McDonald")   # whole names to compare with (Faker's Irish and English lists)
MC_WHY = ("In Faker's lists, names that start with Mc are Irish (275, e.g. McGrath) or English (47, e.g. McDonald), "
          "and no other language has one. But the model was trained many-to-one: only its verdict after the "
          "*last* letter of a whole name was ever scored. Its verdicts after two letters were never asked to be "
          "right, so they show what the state holds on the way, not an answer. Type a whole Mc name and watch "
          "the rest of it settle the question.")


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


def story(r: Reading) -> str:
    """The model's changes of mind in one plain sentence (the page escapes it), e.g.
    'After “s”: Polish (31 %). After “sch”: German (64 %). It ends on German (97 %).'"""
    steps = r.story()
    parts = [f"After “{r.text[:t]}”: {lead} ({p:.0%})" for t, lead, p in steps]
    final = r.top(1)[0]
    if len(steps) == 1:
        return f"{parts[0]}, and it never changes its mind: it ends on {final[0]} ({final[1]:.0%})."
    return ". ".join(parts) + f". It ends on {final[0]} ({final[1]:.0%}), after changing its mind " \
        f"{len(steps) - 1} time{'s' if len(steps) > 2 else ''}."


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


def mixups_caption(classes: list[str], confusion: list[list[int]]) -> str:
    said = "; ".join(f"{a} and {b} ({k} test names, either way)" for a, b, k in mixups(classes, confusion))
    return ("Row: the true language of a test name; column: the guess. Off the diagonal are the mix-ups. The "
            f"pairs the model mixes up most: {said}.")


def proportions_caption(classes: list[str], support: list[int], majority: float) -> str:
    k = int(np.argmax(support))
    share = support[k] / sum(support)
    return ("The test names are a fixed share of each language's names that are in no other list, so the big "
            f"lists dominate ({share:.0%} are {classes[k]}) and plain accuracy rewards knowing the big languages; balanced accuracy, the mean over languages, counts each language once. "
            f"Always saying the largest language, {classes[k]}, scores its share, {majority:.0%}, and 1 in "
            f"{len(classes)} balanced.")


def mc_answer(model: SequenceClassifier) -> tuple[int, str]:
    """The predict-then-reveal answer (index into MC_ANSWERS) and its explanation (markdown, from the model):
    the top three after "mc", and the leader after each whole name of MC_NAMES."""
    p = model_steps(model, "mc")[-1]
    top3 = sorted(zip(model.classes, p.tolist()), key=lambda kv: -kv[1])[:3]
    answer = 0 if top3[0][0] in MC_LANGUAGES else 1
    wholes = []
    for name in MC_NAMES:
        q = model_steps(model, name.lower())[-1]
        k = int(q.argmax())
        wholes.append(f"“{name}”: {model.classes[k]} {q[k]:.0%}")
    ranked = ", ".join(f"{c} {x:.0%}" for c, x in top3)
    return answer, (f"After “mc” the model's top three are {ranked}. After the whole name: {'; '.join(wholes)}. "
                    + MC_WHY)


def predicted_leader(model: SequenceClassifier, prefix: str, among: list[str]) -> tuple[int, list[tuple[str, float]]]:
    """The predict-then-reveal answer: which of `among` the model ranks first after reading `prefix`,
    and its top 3 overall, (language, probability)."""
    p = model_steps(model, prefix)[-1]
    rank = {c: float(p[i]) for i, c in enumerate(model.classes)}
    best = max(range(len(among)), key=lambda i: rank.get(among[i], -1.0))
    top3 = sorted(rank.items(), key=lambda kv: -kv[1])[:3]
    return best, top3
