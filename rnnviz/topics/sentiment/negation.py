"""Does the sentiment model understand "not"? Two models from one recipe read the same negations: the
shipped one, whose training had 5,574 made-up two-word examples "not WORD" (the label flipped), and
`sentiment_no_not`, the same recipe with that one switch off (rnnviz/topics/sentiment/recipe.py).

    rows = compare(model, meta, plain, plain_meta)   # [Row]: both readings of each pair, and the training counts
    table(rows)                                      # the page's table, one row per pair

What the page says about them (words.summary, words.help_note, words.question and words.answer: the
predict-then-reveal on a negation neither model saw) is in words.py.

Which negation was "taught" is not assumed: each manifest entry counts how often every phrase below occurs
in that model's training examples (recipe.negation_facts, from the data alone). The two models'
training examples differ only by the made-up ones, so the difference of their counts is how many made-up
examples held the phrase.
"""
from __future__ import annotations

from dataclasses import dataclass

from rnnviz.topics.sentiment import compute
from rnnviz.shared.classifier import SequenceClassifier

NEGATORS = ("not", "never", "n't")
ROWS = compute.NEGATIONS


def kernel(negated: str) -> str:
    """The negation itself: the words from the first negator on ("the film is not bad" → "not bad")."""
    words = compute.tokenize(negated)
    at = next((i for i, w in enumerate(words) if w in NEGATORS), 0)
    return " ".join(words[at:])


def between(negated: str) -> int:
    """How many words stand between the negator and the last word ("not at all bad" → 2)."""
    return max(0, len(compute.tokenize(kernel(negated))) - 2)


# Every phrase the page needs counted in the training examples (the recipe stores the counts).
PHRASES = tuple(dict.fromkeys(p for plain, negated in ROWS for p in (plain, negated, kernel(negated))))


def seen(meta: dict, phrase: str) -> int:
    """Training examples of this model holding `phrase` (consecutive words), from its manifest entry."""
    return int(meta["negations"]["phrases"][phrase]["examples"])


@dataclass(frozen=True)
class Row:
    plain: str
    negated: str
    kernel: str
    made_up: int            # made-up "not WORD" examples holding the kernel (only the shipped model had them)
    natural: int            # the other training examples holding the kernel (the same for both models)
    shipped: compute.Pair    # the shipped model's reading
    without: compute.Pair    # the model trained without the made-up examples

    @property
    def never_seen(self) -> bool:
        return self.made_up == 0 and self.natural == 0

    @property
    def in_training(self) -> str:
        """The kernel's training examples in words: "1 made up + 7 real", "never"."""
        if self.never_seen:
            return "never"
        parts = ([f"{self.made_up} made up"] if self.made_up else []) + ([f"{self.natural} real"] if self.natural else [])
        return " + ".join(parts)


def compare(model: SequenceClassifier, meta: dict, plain: SequenceClassifier, plain_meta: dict,
            rows=ROWS) -> list[Row]:
    a, b = compute.negation(model, rows), compute.negation(plain, rows)
    out = []
    for (_, negated), pa, pb in zip(rows, a, b):
        k = kernel(negated)
        natural = seen(plain_meta, k)
        out.append(Row(pa.plain, negated, k, seen(meta, k) - natural, natural, pa, pb))
    return out


def table(rows: list[Row]) -> list[dict]:
    """The page's table: one row per pair, both models' p(positive) without and with the negation."""
    arrow = lambda p: f"{compute.pct(p.p_plain)} → {compute.pct(p.p_negated)}"           # noqa: E731
    turns = lambda p: "turns" if p.turned else "stays"                                  # noqa: E731
    return [{"negation": r.negated, "“not …” in training examples": r.in_training,
             "shipped: plain → negated": arrow(r.shipped), "shipped": turns(r.shipped),
             "without made-up: plain → negated": arrow(r.without), "without": turns(r.without)} for r in rows]


