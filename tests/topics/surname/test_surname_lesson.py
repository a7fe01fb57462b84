"""The surname lesson's core without the shipped model: what a typed name becomes (and every note about
what was dropped), the bigram naive Bayes against a hand computation, the per-letter verdict against the
model's own last-step logits, and the held-out scores."""
from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from rnnviz import train
from rnnviz.topics.surname import compute as lesson
from rnnviz.topics.surname import words
from rnnviz.shared.layers import PAD, UNK
from rnnviz.shared.classifier import SequenceClassifier

LETTERS = list("abcdehiklmnorstwzéł'-")
CLASSES = ["A", "B", "C"]


@pytest.fixture(scope="module")
def model():
    m = SequenceClassifier("gru", [PAD, UNK, *LETTERS], CLASSES, 4, 6, level="char")
    train.init_parameters(m, torch.Generator().manual_seed(0))
    return m.eval()


def notes(model, typed):
    prep = lesson.prepare(model, typed)
    return prep, " ".join(prep.messages())


def test_a_plain_name_is_read_as_typed_lowercase(model):
    prep, said = notes(model, "Schmidt")
    assert prep.text == "schmidt" and said == ""
    assert lesson.prepare(model, "O’Brien").text == "o'brien"                  # curly apostrophe straightened
    assert lesson.prepare(model, "Mu\u0308ller").text == "müller"              # NFC: one ü


def test_empty_and_blank(model):
    for typed in ("", "   ", None):
        prep, said = notes(model, typed)
        assert prep.text == "" and "The box is empty" in said


@pytest.mark.parametrize("typed, text, expected", [
    ("van Dijk", "vandijk", ["one word here: 1 space (space) dropped", "It reads what is left: vandijk."]),
    ("Smith2000", "smith", ["Digits are not part of a surname: 4 digits (0, 2) dropped"]),
    ("Bell\x07\x1b", "bell", ["2 control characters (U+0007, U+001B) dropped"]),
    ("Nakamura😀🎉", "nakamura", ["2 characters (😀, 🎉) dropped: the model reads letters"]),
    ("<script>alert(1)</script>", "scriptalertscript",
     ["Digits are not part of a surname: 1 digit", "characters (", "dropped: the model reads letters"]),
    ("-O'Neil-", "o'neil", []),                                               # stray hyphens at the ends
])
def test_bad_characters_are_dropped_with_a_note(model, typed, text, expected):
    prep, said = notes(model, typed)
    assert prep.text == text
    for part in expected:
        assert part in said, said


def test_nothing_but_symbols(model):
    prep, said = notes(model, "12 34 !!")
    assert prep.text == "" and "Nothing in the box is a letter" in said and "Digits" in said


def test_unknown_letters_stay_and_are_named(model):
    prep, said = notes(model, "Øster")
    assert prep.text == "øster" and prep.unknown == {"ø": 1}
    assert "1 letter the model never saw in training (ø) is read as one unknown symbol" in said
    ids = model.encode(list(prep.text))
    assert int(ids[0]) == 1 and (ids[1:] > 1).all()                        # ø → <unk>, the rest known


def test_long_input_is_cut(model):
    prep, said = notes(model, "ab" * 50_000)
    assert len(prep.text) == lesson.MAX_LETTERS and prep.cut == 100_000 - lesson.MAX_LETTERS
    assert f"at most {lesson.MAX_LETTERS} letters" in said


def test_per_letter_verdict_is_the_models_own(model):
    text = "schmidt"
    probs = lesson.model_steps(model, text)
    assert probs.shape == (len(text), len(CLASSES)) and np.allclose(probs.sum(1), 1)
    ids = model.encode(list(text))
    for t in range(1, len(text) + 1):                # step t = the many-to-one answer for the first t letters
        last = model.last_logits(ids[:t, None], torch.tensor([t]))
        assert np.allclose(probs[t - 1], torch.softmax(last.detach().double(), -1)[0].numpy(), atol=1e-6)


# ----- the bigram baseline ---------------------------------------------------------------------------------
TRAIN = [("abc", "A"), ("abd", "A"), ("cba", "B"), ("dba", "B"), ("cab", "C")]


def test_bigram_naive_bayes_by_hand():
    nb = lesson.BigramNB.fit(TRAIN, CLASSES)
    assert set(nb.bigrams) == {"^a", "ab", "bc", "c$", "bd", "d$", "^c", "cb", "ba", "a$", "^d", "db", "ca", "b$"}
    B = len(nb.bigrams)
    # p(b | A) = (n + 1) / (N_A + B): A's names hold 8 bigrams
    def log_lik(lang_names, pairs):
        counts = {}
        for n in lang_names:
            for b in lesson.BigramNB.pairs(n):
                counts[b] = counts.get(b, 0) + 1
        total = sum(counts.values()) + B
        return sum(math.log((counts.get(b, 0) + 1) / total) for b in pairs if b in nb.bigrams)
    pairs = lesson.BigramNB.pairs("abx")                      # "bx", "x$" never seen: skipped
    scores = np.array([log_lik([n for n, l in TRAIN if l == c], pairs) for c in CLASSES])
    expected = np.exp(scores - scores.max()) / np.exp(scores - scores.max()).sum()     # uniform prior
    steps = nb.steps("abx")
    assert np.allclose(steps[-1], expected)
    assert np.allclose(steps[0], lesson.softmax(np.array([log_lik([n for n, l in TRAIN if l == c], ["^a"])
                                                           for c in CLASSES])))
    assert nb.predict(["abc", "cba"]) == [0, 1]
    back = lesson.BigramNB.from_json(nb.to_json())
    assert back.classes == nb.classes and back.bigrams == nb.bigrams and (back.counts == nb.counts).all()


def test_the_last_step_of_the_baseline_adds_the_end_marker():
    nb = lesson.BigramNB.fit(TRAIN, CLASSES)
    with_end, without = nb.steps("ab")[-1], nb.steps("abz")[1]      # "ab" then end, vs "ab" then more
    assert not np.allclose(with_end, without)                        # "b$" is evidence for C ("cab")
    assert with_end[2] > without[2]


def test_reading_story_and_order(model):
    nb = lesson.BigramNB.fit(TRAIN, CLASSES)
    r = lesson.read(model, nb, "abc")
    assert r.probs.shape == r.baseline.shape == (3, 3) and r.known.all()
    probs = np.array([[0.6, 0.3, 0.1], [0.2, 0.7, 0.1], [0.1, 0.2, 0.7]])
    r = lesson.Reading("abc", CLASSES, probs, probs, np.ones(3, bool))
    assert r.leaders == ["A", "B", "C"] and r.story() == [(1, "A", 0.6), (2, "B", 0.7), (3, "C", 0.7)]
    assert words.story(r) == ("After “a”: A (60%). After “ab”: B (70%). After “abc”: C (70%). It ends on C (70%), "
                               "after changing its mind 2 times.")
    assert r.order("likeliest") == [2, 1, 0] and r.order("alphabetical") == [0, 1, 2]
    assert r.top(2) == [("C", 0.7), ("B", 0.2)]
    with pytest.raises(ValueError):
        lesson.read(model, nb, "")


def test_scores():
    s = lesson.scores([0, 0, 0, 0, 1, 2], [0, 0, 0, 1, 1, 0], 3)
    assert s["accuracy"] == pytest.approx(4 / 6)
    assert s["per_language"] == pytest.approx([0.75, 1.0, 0.0])
    assert s["balanced_accuracy"] == pytest.approx((0.75 + 1 + 0) / 3)
    assert s["confusion"] == [[3, 1, 0], [0, 1, 0], [1, 0, 0]] and s["support"] == [4, 1, 1]
