"""What the Surname → language page says: the intro, the controls' help, how to read the charts, the data,
the presets, the question and its answer, and the sentences written from a reading or the held-out scores.

Fixed texts are constants (INTRO, HELP, PRESETS, QUESTION, ANSWERS, …), plain markdown with nothing typed in
them; a text that quotes the model is a function of it, every number computed (tests/topics/surname/ hold them).
"""
from __future__ import annotations

import numpy as np

from rnnviz.shared.classifier import SequenceClassifier
from rnnviz.topics.surname import compute

INTRO = ("**Many-to-one on characters.** A small GRU reads a surname one letter at a time and, after the last "
         "letter, names the language it comes from. Its hidden state after each letter is a summary of "
         "everything read so far, so we can ask it *after every letter* which language it would bet on, and "
         "watch the verdict form, change its mind, and settle.")
HELP = {
    "name": "One surname, in Latin letters (accents welcome: Müller, Łukasik). "
            f"The model reads at most {compute.MAX_LETTERS} letters; capitals make no difference; spaces, digits "
            "and symbols are dropped with a note. Names it never saw are the normal case: try your own.",
    "order": "likeliest: by the final verdict, the winner on top. alphabetical: always the same rows, "
             "to compare two names.",
    "both": "Also draw the character-bigram baseline's verdict after every letter, under the model's.",
}
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


def story(r: compute.Reading) -> str:
    """The model's changes of mind in one plain sentence (the page escapes it), e.g.
    'After “s”: Polish (31 %). After “sch”: German (64 %). It ends on German (97 %).'"""
    steps = r.story()
    parts = [f"After “{r.text[:t]}”: {lead} ({p:.0%})" for t, lead, p in steps]
    final = r.top(1)[0]
    if len(steps) == 1:
        return f"{parts[0]}, and it never changes its mind: it ends on {final[0]} ({final[1]:.0%})."
    return ". ".join(parts) + f". It ends on {final[0]} ({final[1]:.0%}), after changing its mind " \
        f"{len(steps) - 1} time{'s' if len(steps) > 2 else ''}."


def trajectory_said(r: compute.Reading) -> str:
    """Under the letter-by-letter chart: where the model ends, and how often it changed its mind (plain text)."""
    lead, p = r.top(1)[0]
    changes = len(r.story()) - 1
    how = "never changed" if changes == 0 else "changed once" if changes == 1 else f"changed {changes} times"
    return f"After the last letter of “{r.text}” the model's answer is {lead}, at {p:.0%}; its leader {how} on the way."


def top_said(r: compute.Reading, baseline: bool = False) -> str:
    """Under a top-5 chart: the first choice and how far ahead of the second it is (plain text)."""
    (first, p1), (second, p2) = r.top(2, baseline=baseline)
    who = "The bigram baseline" if baseline else "The model"
    return f"{who} puts {first} first at {p1:.0%}, {100 * (p1 - p2):.0f} points ahead of {second} ({p2:.0%})."


def proportions_caption(classes: list[str], support: list[int], majority: float) -> str:
    k = int(np.argmax(support))
    share = support[k] / sum(support)
    return ("The test names are a fixed share of each language's names that are in no other list, so the big "
            f"lists dominate ({share:.0%} are {classes[k]}) and plain accuracy rewards knowing the big languages; "
            "balanced accuracy, the mean over languages, counts each language once. "
            f"Always saying the largest language, {classes[k]}, scores its share, {majority:.0%}, and 1 in "
            f"{len(classes)} balanced.")


def mixups_caption(classes: list[str], confusion: list[list[int]]) -> str:
    said = "; ".join(f"{a} and {b} ({k} test names, either way)" for a, b, k in compute.mixups(classes, confusion))
    return ("Row: the true language of a test name; column: the guess. Off the diagonal are the mix-ups. The "
            f"pairs the model mixes up most: {said}.")


# ----- what to try, and the question

# "What to try": (button, controls it sets, what to look at). The notes describe the shipped model's
# behaviour; tests/topics/surname/test_surname.py holds each claim against the model, so a retrained model that
# behaves otherwise fails a test instead of leaving a wrong note on the page.
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
QUESTION = ("Every name that starts with “Mc” in the data is Irish or English. After reading only “Mc”, "
            "does the model's leading language say so?")
ANSWERS = ["Yes: Irish or English leads after “Mc”", "No: another language leads after “Mc”"]
QUESTION_LANGUAGES = ("Irish", "English")
QUESTION_NAMES = ("McGrath", "McDonald")   # whole names to compare with (Faker's Irish and English lists)
QUESTION_WHY = ("In Faker's lists, names that start with Mc are Irish (275, e.g. McGrath) or English (47, e.g. "
                "McDonald), and no other language has one. But the model was trained many-to-one: only its verdict "
                "after the *last* letter of a whole name was ever scored. Its verdicts after two letters were never "
                "asked to be right, so they show what the state holds on the way, not an answer. Type a whole Mc name "
                "and watch the rest of it settle the question.")


def answer(model: SequenceClassifier) -> tuple[int, str]:
    """The predict-then-reveal answer (index into ANSWERS) and its explanation (markdown, from the model):
    the top three after "mc", and the leader after each whole name of QUESTION_NAMES."""
    p = compute.model_steps(model, "mc")[-1]
    top3 = sorted(zip(model.classes, p.tolist()), key=lambda kv: -kv[1])[:3]
    index = 0 if top3[0][0] in QUESTION_LANGUAGES else 1
    wholes = []
    for name in QUESTION_NAMES:
        q = compute.model_steps(model, name.lower())[-1]
        k = int(q.argmax())
        wholes.append(f"“{name}”: {model.classes[k]} {q[k]:.0%}")
    ranked = ", ".join(f"{c} {x:.0%}" for c, x in top3)
    return index, (f"After “mc” the model's top three are {ranked}. After the whole name: {'; '.join(wholes)}. "
                   + QUESTION_WHY)
