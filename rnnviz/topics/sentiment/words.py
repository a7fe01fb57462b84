"""What the Sentiment page says: the intro, the controls' help, how to read each chart, where the data comes
from, the comparisons with the baselines, one-sentence chart summaries, what the two models do with "not",
the presets, and the question with its answer. Every number in them is passed in or computed from the model
or its manifest entry (plain text and markdown; nothing typed goes in here unescaped).
"""
from __future__ import annotations

import numpy as np

from rnnviz.shared.classifier import SequenceClassifier
from rnnviz.topics.sentiment import compute, negation
from rnnviz.topics.sentiment.compute import Line, Reading, pct

INTRO = ("**Many-to-one.** An LSTM reads a sentence one word at a time and, after the last word, says whether "
         "it is positive or negative. It was trained only on that final verdict: for movie-review sentences rated "
         "by people, other rated snippets and words, and some made-up examples (the end of the page says which). "
         "But its hidden state after each word sums up everything read so far, so we can ask for its verdict "
         "*after every word* and watch it form: which words push it up or down, whether a “not” or a “but” turns "
         "it, and where the state travels on the way.")
HELP = {
    "text": "Any sentence or word, e.g. a line of a film review. Capitals make no difference; the model "
            f"reads at most {compute.MAX_WORDS} words. Words outside its vocabulary are read as one <unk> symbol.",
    "other": "A second sentence drawn beside the first (dashed), e.g. the same one without its “not”. "
             "Leave it empty to read one sentence only.",
}
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
    k, T = compute.agreement(r, projection, line)
    if k == T:
        return f"every one of its {T} states after a word lies on the side of its own verdict" if T > 1 else \
            "its state lies on the side of its own verdict"
    return (f"{k} of its {T} states after a word lie{'s' if k == 1 else ''} on the side of "
            f"{'its' if k == 1 else 'their'} own verdict")


def story(r: Reading, k: int = 3) -> str:
    """The reading in one paragraph of plain text (the page escapes it)."""
    moves = "; ".join(f"“{w}” {100 * d:+.0f} points" for _, w, d in r.movers(k))
    return (f"Before the first word the model leans {pct(r.p0)} positive (its bias alone). After the last word "
            f"it says {pct(r.final)} positive: {r.verdict}. The words that moved it most: {moves}.")


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


def crossings_said(r: Reading) -> str:
    """Under the verdict chart, the sentence a student reads: how often the verdict changes side while your
    sentence is read, and at which words (plain text; the chart's numbers hold every p)."""
    cross = compute.crossings(r)
    if not cross:
        side = "positive" if r.p0 >= 0.5 else "negative"
        return f"Your sentence never crosses the 50 % line: the verdict stays {side} from the first word to the last."
    return (f"Your sentence crosses the 50 % line {len(cross)} time{'s' if len(cross) != 1 else ''}: "
            + ", ".join(f"at “{w}” (word {t + 1}, {way})" for t, w, way in cross) + ".")


def movers_said(r: Reading) -> str:
    """Under the movers chart, the sentence a student reads: the word that moved the verdict most (plain text;
    every word's Δ is in the chart's numbers, movers_summary)."""
    t, w, d = r.movers(1)[0]
    if not np.isfinite(d):
        return f"After “{w}” (word {t + 1}) the verdict is not a number: the reading exploded."
    return (f"“{w}” (word {t + 1}) moved it most: {100 * d:+.0f} points, "
            f"{'towards positive' if d > 0 else 'towards negative'}.")


def path_summary(paths: list[tuple[str, Reading, np.ndarray]], line: Line) -> str:
    """Where each sentence's path ends in the 2-D view, and on which side of the 50 % line."""
    parts = []
    for name, r, xy in paths:
        x, y = xy[-1]
        side = "positive" if line.positive(xy[-1:])[0] else "negative"
        parts.append(f"{name.capitalize()} ends at ({x:.2f}, {y:.2f}), on the line's {side} side (its verdict: "
                     f"{r.verdict})")
    return "The hidden state's path in a fixed 2-D view, with the read-out's 50 % line. " + ". ".join(parts) + "."


# ----- does it understand “not”? (the two models' table, in words)

def _names(rows: list[negation.Row]) -> str:
    return ", ".join(f"“{r.negated}”" for r in rows) or "none"


def _count(rows: list[negation.Row], which: str) -> str:
    return f"{sum(getattr(r, which).turned for r in rows)} of {len(rows)}"


def help_note(meta: dict, rows: list[negation.Row]) -> str:
    """Said before the question: what the shipped model was given (plain text; the page escapes it)."""
    taught = list(dict.fromkeys(r.kernel for r in rows if r.made_up))
    return (f"It was helped. Besides the rated sentences, its training held {meta['negations']['made_up']:,} made-up "
            "two-word examples, “not WORD” for every clear word of VADER's lexicon, labelled the opposite of the "
            f"word: {', '.join(f'“{k}”' for k in taught) or 'none of the pairs below'} among them. A second model, "
            "sentiment_no_not, comes from the same recipe with that one switch off (the same sentences otherwise, "
            "the same seed, the same size). The table after the question (once answered) shows both reading negations, some taught "
            "and some that neither model ever saw.")


TABLE_HELD = ("Both models' readings of every negation, taught or never seen, come in a table here once you "
              "have answered: it holds the question's phrase.")


def summary(rows: list[negation.Row], plain_meta: dict) -> str:
    """What the table shows, in words, every number and direction from the readings (plain text)."""
    taught = [r for r in rows if r.made_up]
    fresh = [r for r in rows if r.never_seen]
    near = [r for r in fresh if negation.between(r.negated) == 0]
    far = [r for r in fresh if negation.between(r.negated) > 0]
    negative = [r for r in rows if compute.verdict(r.without.p_negated) == "negative"]
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


def reminder(words: list[str] | tuple[str, ...], meta: dict) -> str | None:
    """Under a typed sentence that holds a negator, when the model had made-up "not WORD" examples: say so
    (plain text), so a turn on "not good" is not mistaken for understanding."""
    made_up = meta.get("negations", {}).get("made_up", 0)
    if not made_up or not any(w in negation.NEGATORS for w in words):
        return None
    return (f"Mind the negation: this model's training held {made_up:,} made-up two-word examples “not WORD”, "
            "each labelled the opposite of its word. See “Does it understand “not”?” below for what that taught "
            "it, and what it did not.")


# ----- what to try, and the question

def presets(model: SequenceClassifier, examples: dict) -> list[tuple[str, dict, str]]:
    """The "What to try" buttons: (label, controls they set, what to look at); every note that states what
    the model does is computed from the model here."""
    def ends(text: str) -> str:
        r = compute.read_text(model, text)
        return f"it ends {pct(r.final)} positive" if r is not None else "nothing to read"

    out = [("“not good” against “good”", {"text": "not good", "other": "good"},
            f"Two words. Does the “not” turn the verdict? “good” alone: {ends('good')}; with the “not”: "
            f"{ends('not good')}. (“not good” was one of its made-up training examples: see the “not” section "
            "below.)")]
    turn = "The actors are wonderful, but the story is a dull, tedious mess."
    r = compute.read_text(model, turn)
    t, w, d = r.movers(1)[0]
    cross = compute.crossings(r)
    said = (f"It crosses 50 % {len(cross)} time{'s' if len(cross) != 1 else ''}: "
            + ", ".join(f"at “{cw}” (word {ct + 1}, {way})" for ct, cw, way in cross) if cross
            else "It never crosses 50 %")
    out.append(("A turn halfway: “…, but …”", {"text": turn, "other": ""},
                f"{said}. The biggest move is “{w}” (word {t + 1}, {100 * d:+.0f} points); {ends(turn)}."))
    if "positive" in examples and "negative" in examples:
        pos, neg = examples["positive"], examples["negative"]
        out.append(("Two held-out reviews", {"text": pos["text"], "other": neg["text"]},
                    f"Test sentences it never saw, rated {pos['score']:+.1f} and {neg['score']:+.1f} by people "
                    f"(−4 … +4). The first: {ends(pos['text'])}; the second: {ends(neg['text'])}."))
    if "wrong" in examples:
        x = examples["wrong"]
        out.append(("A held-out review it gets wrong", {"text": x["text"], "other": ""},
                    f"People rated it {x['score']:+.1f} ({'positive' if x['label'] else 'negative'}); for the "
                    f"model {ends(x['text'])}. Which words misled it?"))
    return out


QUESTION_INPUT = "not at all bad"   # the predict-then-reveal's negation (a row of the table, which tells after)
ANSWERS = ["clearly negative (below 25 %)", "undecided (25–75 %)", "clearly positive (above 75 %)"]


def question(meta: dict, plain_meta: dict) -> str:
    """The predict-then-reveal's question; how often its negation occurs in training is counted, not assumed."""
    words = compute.tokenize(QUESTION_INPUT)
    n = negation.seen(meta, QUESTION_INPUT) + negation.seen(plain_meta, QUESTION_INPUT)
    said = "in neither model's training examples" if n == 0 else f"in {n} training examples"
    return (f"“{QUESTION_INPUT}” occurs {said}. The shipped model, taught {meta['negations']['made_up']:,} "
            f"“not WORD” examples, reads it. Where does its verdict end, after “{words[-1]}”?")


def answer(model: SequenceClassifier, plain: SequenceClassifier) -> tuple[int, str]:
    """(index into ANSWERS, explanation in plain text), from both models' readings."""
    plain_words = next(plain for plain, negated in negation.ROWS if negated == QUESTION_INPUT)
    a = compute.read_text(model, QUESTION_INPUT)
    alone = compute.read_text(model, plain_words)
    b = compute.read_text(plain, QUESTION_INPUT)
    turned = compute.verdict(a.final) != compute.verdict(alone.final)
    return compute.bucket(a.final), (
        f"It ends {pct(a.final)} positive ({a.verdict}); “{plain_words}” alone ends "
        f"{pct(alone.final)}: the “not at all” {'turns' if turned else 'does not turn'} it. The model "
        f"without the made-up examples ends {pct(b.final)}. The table below shows where each one turns.")
