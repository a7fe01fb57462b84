"""The sentiment page's words: intro, how to read each chart, where the data comes from, the comparisons
with the baselines, and one-sentence chart summaries; every number in them is passed in, computed from the
model or its manifest entry (plain text and markdown; nothing typed goes in here unescaped)."""
from __future__ import annotations

import numpy as np

from rnnviz.topics.sentiment.compute import Line, Reading, agreement, pct

INTRO = ("**Many-to-one.** An LSTM reads a sentence one word at a time and, after the last word, says whether "
         "it is positive or negative. It was trained only on that final verdict: for movie-review sentences rated "
         "by people, other rated snippets and words, and some made-up examples (the end of the page says which). "
         "But its hidden state after each word sums up everything read so far, so we can ask for its verdict "
         "*after every word* and watch it form: which words push it up or down, whether a “not” or a “but” turns "
         "it, and where the state travels on the way.")
HOW_TO_READ = ("Each point is the model's p(positive) after reading the sentence up to that word (the same "
               "read-out W_y h_t + b_y at every step); above the dashed 50 % line the verdict is positive. "
               "(start) is before any word: h_0 = 0, so only the bias speaks. A word marked (?) is outside the "
               "model's vocabulary (seen fewer than twice in training, or too rare to make the list): it reads the "
               "same <unk> symbol for all such words.")
MOVERS_NOTE = ("Δ is p(positive) after the word minus p(positive) before it. The same word can move the verdict "
               "differently in different places: what it does depends on the state it arrives in.")
PATH_NOTE = ("The hidden state has {H} numbers; this view keeps the two directions along which the final states of "
             "the held-out test sentences differ most (principal component analysis, fitted once and shipped with "
             "the model). Each faint dot is where one test sentence ended, coloured by how people rated it. Your "
             "sentence starts at h_0 = 0 (the open circle) and takes one step per word; the diamond is where it "
             "ends. The dashed line is where the read-out would say exactly 50 % if the state lay in this plane. "
             "It does not: the other {rest} directions, which the view leaves out, also reach the read-out, so the "
             "side of the line only approximates the verdict. For the held-out sentences' final states it almost "
             "always agrees; for your sentence, {agreement}.")
NEGATION_NOTE = ("A bag of single words cannot tell “not bad” from “bad, not”: they hold the same words (a bag of "
                 "word pairs could, for the pairs it has counted). A model that reads in order can learn that “not” "
                 "turns what follows, if its training examples teach it. Did they?")
DATA = ("**Where the sentences come from.** The movie-review sentences of Pang & Lee (Rotten Tomatoes snippets, "
        "2004–2005), each rated from −4 to +4 by at least 20 people for Hutto & Gilbert's VADER paper (ICWSM 2014); "
        "the data ships in the `vadersentiment==3.3.2` source package on the Python package registry (MIT). "
        "Sentences whose mean rating is closer to 0 than 0.5 are left out (the raters did not agree on a side); "
        "the rest are positive when the mean is above 0. A fixed, seeded split keeps a tenth of them for "
        "validation (to choose when to stop training) and a tenth for the test the page reports: sentences the "
        "model never saw and nothing was tuned on.")
WORDS_NOTE = ("How a text becomes words: lower case; “isn't” becomes “is” + “n't”, “film's” becomes “film” + “'s”; "
              "each punctuation mark and each emoji is a word of its own; hyphenated words are split. The "
              "vocabulary is the {V:,} most frequent words of the training text seen at least {n} times; anything "
              "else is <unk>.")
NOT_ANSWERS = ["clearly negative (below 25 %)", "undecided (25–75 %)", "clearly positive (above 75 %)"]


def _level(a: float, b: float, n_test: int) -> tuple[bool, float]:
    """(are two test accuracies closer than the test set can tell apart?, that margin): twice the standard
    error of a difference of two accuracies near a, on n_test sentences (about ±3.6 points at 79 %, 1,008)."""
    margin = 2 * float(np.sqrt(2 * a * (1 - a) / n_test))
    return abs(a - b) < margin, margin


def versus_bag_of_words(metrics: dict, n_test: int) -> str:
    """The LSTM against naive Bayes on the test sentences, said honestly."""
    a, b = metrics["test_accuracy"], metrics["naive_bayes_accuracy"]
    level, margin = _level(a, b, n_test)
    if level:
        return (f"On these sentences the two are level: {a:.1%} against {b:.1%}, closer than the test set can tell "
                f"apart (±{margin:.1%}). A bag of words, blind to order, does as well here: whatever reading in "
                "order adds, these test sentences do not show it. Where order decides, as in “not bad”, see the "
                "table above.")
    better = "better" if a > b else "worse"
    return f"The LSTM does {better} than naive Bayes here: {a:.1%} against {b:.1%} (±{margin:.1%})."


def versus_without(metrics: dict, without: dict, n_test: int) -> str:
    """The shipped LSTM against the one trained without the made-up "not WORD" examples, on the test sentences."""
    a, b = metrics["test_accuracy"], without["test_accuracy"]
    level, margin = _level(a, b, n_test)
    head = f"Trained without the made-up “not WORD” examples, the LSTM is right for {b:.1%} (the shipped one {a:.1%})"
    if level:
        return head + (f": level, closer than the test set can tell apart (±{margin:.1%}). The made-up examples "
                       "change how it reads “not”, not how often it is right on real movie sentences.")
    return head + f": {'better' if b > a else 'worse'}, beyond the test set's ±{margin:.1%}."


def agreement_said(r: Reading, projection: dict, line: Line) -> str:
    k, T = agreement(r, projection, line)
    if k == T:
        return f"every one of its {T} states after a word lies on the side of its own verdict" if T > 1 else \
            "its state lies on the side of its own verdict"
    return f"{k} of its {T} states after a word lie{'s' if k == 1 else ''} on the side of {'its' if k == 1 else 'their'} own verdict"


# ----- one sentence under each chart, for screen readers and the back row (ui.chart's summary=)
def _q(word: str) -> str:
    return f"“{word}”"


def trajectory_summary(readings: list[tuple[str, Reading]]) -> str:
    """p(positive) before the first word, after the last, and where it was highest and lowest."""
    parts = []
    for name, r in readings:
        said = (f"{name.capitalize()}: {pct(r.p0)} before any word, {pct(r.final)} after the last "
                f"({_q(r.words[-1])}, {r.verdict})")
        if len(r.p) > 1 and np.isfinite(r.p).any():
            hi, lo = int(np.nanargmax(r.p)), int(np.nanargmin(r.p))
            said += f"; highest {pct(r.p[hi])} after {_q(r.words[hi])}, lowest {pct(r.p[lo])} after {_q(r.words[lo])}"
        parts.append(said)
    return "p(positive) after every word. " + ". ".join(parts) + "."


def movers_summary(r: Reading, most: int = 12) -> str:
    """Each word's Δ in points, in reading order (the first `most` words)."""
    moves = ", ".join(f"{_q(w)} {100 * d:+.0f}" for w, d in zip(r.words[:most], r.delta[:most]))
    return f"How much each word moved p(positive), in points: {moves}" + (", …" if len(r.words) > most else "") + "."


def path_summary(paths: list[tuple[str, Reading, np.ndarray]], line: Line) -> str:
    """Where each sentence's path ends in the 2-D view, and on which side of the 50 % line."""
    parts = []
    for name, r, xy in paths:
        x, y = xy[-1]
        side = "positive" if line.positive(xy[-1:])[0] else "negative"
        parts.append(f"{name.capitalize()} ends at ({x:.2f}, {y:.2f}), on the line's {side} side (its verdict: "
                     f"{r.verdict})")
    return "The hidden state's path in a fixed 2-D view, with the read-out's 50 % line. " + ". ".join(parts) + "."
