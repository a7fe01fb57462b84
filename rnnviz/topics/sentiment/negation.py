"""Does the sentiment model understand "not"? Two models from one recipe read the same negations: the
shipped one, whose training had 5,574 made-up two-word examples "not WORD" (the label flipped), and
`sentiment_no_not`, the same recipe with that one switch off (recipes/sentiment.py).

    rows = compare(model, meta, plain, plain_meta)   # [Row]: both readings of each pair, and the training counts
    said = summary(rows, plain_meta)                 # what the table shows, in words, from the numbers
    question(meta, plain_meta), answer(model, plain)  # the predict-then-reveal, on a negation neither model saw

Which negation was "taught" is not assumed: each manifest entry counts how often every phrase below occurs
in that model's training examples (recipes.sentiment.negation_facts, from the data alone). The two models'
training examples differ only by the made-up ones, so the difference of their counts is how many made-up
examples held the phrase.
"""
from __future__ import annotations

from dataclasses import dataclass

from rnnviz.topics.sentiment import compute as lesson
from rnnviz.shared.classifier import SequenceClassifier

NEGATORS = ("not", "never", "n't")
ROWS = lesson.NEGATIONS
QUESTION = "not at all bad"         # the predict-then-reveal's negation (a row above: the table tells after)


def kernel(negated: str) -> str:
    """The negation itself: the words from the first negator on ("the film is not bad" → "not bad")."""
    words = lesson.tokenize(negated)
    at = next((i for i, w in enumerate(words) if w in NEGATORS), 0)
    return " ".join(words[at:])


def between(negated: str) -> int:
    """How many words stand between the negator and the last word ("not at all bad" → 2)."""
    return max(0, len(lesson.tokenize(kernel(negated))) - 2)


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
    shipped: lesson.Pair    # the shipped model's reading
    without: lesson.Pair    # the model trained without the made-up examples

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
    a, b = lesson.negation(model, rows), lesson.negation(plain, rows)
    out = []
    for (_, negated), pa, pb in zip(rows, a, b):
        k = kernel(negated)
        natural = seen(plain_meta, k)
        out.append(Row(pa.plain, negated, k, seen(meta, k) - natural, natural, pa, pb))
    return out


def table(rows: list[Row]) -> list[dict]:
    """The page's table: one row per pair, both models' p(positive) without and with the negation."""
    arrow = lambda p: f"{lesson.pct(p.p_plain)} → {lesson.pct(p.p_negated)}"           # noqa: E731
    turns = lambda p: "turns" if p.turned else "stays"                                  # noqa: E731
    return [{"negation": r.negated, "“not …” in training examples": r.in_training,
             "shipped: plain → negated": arrow(r.shipped), "shipped": turns(r.shipped),
             "without made-up: plain → negated": arrow(r.without), "without": turns(r.without)} for r in rows]


def _names(rows: list[Row]) -> str:
    return ", ".join(f"“{r.negated}”" for r in rows) or "none"


def _count(rows: list[Row], which: str) -> str:
    return f"{sum(getattr(r, which).turned for r in rows)} of {len(rows)}"


def help_note(meta: dict, rows: list[Row]) -> str:
    """Said before the question: what the shipped model was given (plain text; the page escapes it)."""
    taught = list(dict.fromkeys(r.kernel for r in rows if r.made_up))
    return (f"It was helped. Besides the rated sentences, its training held {meta['negations']['made_up']:,} made-up "
            "two-word examples, “not WORD” for every clear word of VADER's lexicon, labelled the opposite of the "
            f"word: {', '.join(f'“{k}”' for k in taught) or 'none of the pairs below'} among them. A second model, "
            "sentiment_no_not, comes from the same recipe with that one switch off (the same sentences otherwise, "
            "the same seed, the same size). The table after the question shows both reading negations, some taught "
            "and some that neither model ever saw.")


def summary(rows: list[Row], plain_meta: dict) -> str:
    """What the table shows, in words, every number and direction from the readings (plain text)."""
    taught = [r for r in rows if r.made_up]
    fresh = [r for r in rows if r.never_seen]
    near = [r for r in fresh if between(r.negated) == 0]
    far = [r for r in fresh if between(r.negated) > 0]
    negative = [r for r in rows if lesson.verdict(r.without.p_negated) == "negative"]
    facts = plain_meta["negations"]
    w, bad = facts["with_not"], facts["phrases"].get("not bad", {"examples": 0, "negative": 0})
    share = w["negative"] / max(w["examples"], 1)
    out = [f"The shipped model turns the verdict in {_count(taught, 'shipped')} taught negations, in "
           f"{_count(near, 'shipped')} it never saw with the word straight after the negator ({_names(near)}), "
           f"and in {_count(far, 'shipped')} with words between ({_names(far)})."]
    out.append(f"Without the made-up examples, the model turns {_count(taught, 'without')} taught and "
               f"{_count(fresh, 'without')} never-seen negations, and ends negative on {len(negative)} of the "
               f"{len(rows)}, whatever the word after the negator. Of its own training examples that hold “not” or "
               f"“n't”, {w['negative']:,} of {w['examples']:,} are negative ({share:.0%}), and of those holding "
               f"“not bad”, {bad['negative']} of {bad['examples']}"
               + (": to that model a “not” mostly marks a negative sentence." if share > 0.5 and
                  len(negative) >= 0.75 * len(rows) else "."))
    return " ".join(out)


def question(meta: dict, plain_meta: dict) -> str:
    words = lesson.tokenize(QUESTION)
    n = seen(meta, QUESTION) + seen(plain_meta, QUESTION)
    said = "in neither model's training examples" if n == 0 else f"in {n} training examples"
    return (f"“{QUESTION}” occurs {said}. The shipped model, taught {meta['negations']['made_up']:,} “not WORD” "
            f"examples, reads it. Where does its verdict end, after “{words[-1]}”?")


def answer(model: SequenceClassifier, plain: SequenceClassifier) -> tuple[int, str]:
    """(index into sentiment_text.NOT_ANSWERS, explanation in plain text), from both models' readings."""
    plain_words = next(plain for plain, negated in ROWS if negated == QUESTION)
    a = lesson.read_text(model, QUESTION)
    alone = lesson.read_text(model, plain_words)
    b = lesson.read_text(plain, QUESTION)
    turned = lesson.verdict(a.final) != lesson.verdict(alone.final)
    return lesson.bucket(a.final), (
        f"It ends {lesson.pct(a.final)} positive ({a.verdict}); “{plain_words}” alone ends "
        f"{lesson.pct(alone.final)}: the “not at all” {'turns' if turned else 'does not turn'} it. The model "
        f"without the made-up examples ends {lesson.pct(b.final)}. The table below shows where each one turns.")


def reminder(words: list[str] | tuple[str, ...], meta: dict) -> str | None:
    """Under a typed sentence that holds a negator, when the model had made-up "not WORD" examples: say so
    (plain text), so a turn on "not good" is not mistaken for understanding."""
    made_up = meta.get("negations", {}).get("made_up", 0)
    if not made_up or not any(w in NEGATORS for w in words):
        return None
    return (f"Mind the negation: this model's training held {made_up:,} made-up two-word examples “not WORD”, "
            "each labelled the opposite of its word. See “Does it understand “not”?” below for what that taught "
            "it, and what it did not.")
