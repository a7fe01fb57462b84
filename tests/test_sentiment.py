"""The sentiment demo's core: the tokenizer, typed text → words (bad input gives messages), the reading
against the fused torch model, the 2-D projection, and the recipe's parts (split, vocabulary, batches,
naive Bayes) on small data whose answers are known."""
from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from rnnviz import models
from rnnviz.lessons import sentiment as lesson
from rnnviz.recipes import sentiment as recipe


@pytest.mark.parametrize("text, words", [
    ("It isn't good.", ["it", "is", "n't", "good", "."]),
    ("The film's ''Conan'' won't", ["the", "film", "'s", '"', "conan", '"', "wo", "n't"]),
    ("We\u2019ve seen it \u2013 twice", ["we", "'ve", "seen", "it", "-", "twice"]),
    ("well-made, I cannot", ["well", "-", "made", ",", "i", "can", "not"]),
    ("Clichés 😀!!", ["clichés", "😀", "!", "!"]),
    ("a\x00b\x07c\u200bd", ["abcd"]),                           # control and invisible characters dropped
    ("", []), ("   \n ", []),
])
def test_tokenize(text, words):
    assert lesson.tokenize(text) == words


@pytest.fixture(scope="module")
def tiny():
    tokens = [models.PAD, models.UNK, "not", "good", "bad", "."]
    model = models.SequenceClassifier("lstm", tokens, recipe.CLASSES, 4, 5, dropout=0.5)
    gen = torch.Generator().manual_seed(0)
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.randn(p.shape, generator=gen))
    return model.eval()


def test_prepare_messages(tiny):
    ok = lesson.prepare(tiny, "Not good.")
    assert ok.words == ["not", "good", "."] and ok.messages() == []
    empty = lesson.prepare(tiny, "  ")
    assert empty.blank and not empty.words and "empty" in empty.messages()[0]
    only_controls = lesson.prepare(tiny, "\x00\x01")
    assert not only_controls.words and only_controls.controls == 2
    assert any("no word" in m for m in only_controls.messages())
    long = lesson.prepare(tiny, "good " * 20_000)                      # 100,000 characters
    assert len(long.words) == lesson.MAX_WORDS and long.cut == 20_000 - lesson.MAX_WORDS
    assert any("at most 60 words" in m for m in long.messages())
    odd = lesson.prepare(tiny, "<script>alert(1)</script> 😀 zebra zebra")
    assert odd.unknown == ["<", "script", ">", "alert", "(", "1", ")", "/", "😀", "zebra"]
    assert any("10 words the model never saw" in m and "…" not in m for m in odd.messages())


def test_read_is_the_fused_model_after_every_word(tiny):
    r = lesson.read(tiny, ["not", "good", "zebra", "."])
    logits, _ = tiny(tiny.encode(["not", "good", "zebra", "."])[:, None])
    expect = torch.softmax(logits[:, 0].double(), -1)[:, 1].detach().numpy()
    assert np.allclose(r.p, expect, atol=1e-6)
    assert math.isclose(r.p0, torch.softmax(tiny.head.bias.double(), -1)[1].item())
    assert list(r.known) == [True, True, False, True]
    assert np.isclose(r.delta.sum(), r.final - r.p0) and np.isclose(r.delta[0], r.p[0] - r.p0)
    assert r.verdict == ("positive" if r.final >= 0.5 else "negative")
    top = r.movers(2)
    assert abs(top[0][2]) >= abs(top[1][2]) and top[0][2] == pytest.approx(r.delta[top[0][0]])
    assert r.h.shape == (4, 5)
    with pytest.raises(ValueError):
        lesson.read(tiny, [])
    assert lesson.read_text(tiny, "   ") is None


def test_story_and_verdicts(tiny):
    r = lesson.read(tiny, ["good"])
    s = lesson.story(r)
    assert lesson.pct(r.p0) in s and lesson.pct(r.final) in s and "“good”" in s
    assert lesson.verdict(0.5) == "positive" and lesson.verdict(0.49) == "negative"
    assert lesson.verdict(float("nan")).startswith("undecided") and lesson.pct(float("nan")) == "NaN"
    assert [lesson.bucket(p) for p in (0.1, 0.25, 0.5, 0.75, 0.9)] == [0, 1, 1, 1, 2]


def test_projection_is_pca_turned_so_positive_is_right():
    rng = np.random.default_rng(0)
    labels = np.repeat([0, 1], 50)
    states = rng.standard_normal((100, 6)) * [5, 2, 0.1, 0.1, 0.1, 0.1]
    states[:, 0] += np.where(labels == 1, -8, 8)                      # positive sentences on the left in unit 0
    view = lesson.fit_projection(states, labels)
    xy = lesson.project(states, view, start=False)
    assert xy[labels == 1, 0].mean() > xy[labels == 0, 0].mean()       # turned: positive on the right
    assert xy[labels == 1, 1].mean() >= xy[labels == 0, 1].mean()
    cov = np.cov(xy.T)
    assert abs(cov[0, 1]) < 1e-8 and cov[0, 0] > cov[1, 1]             # uncorrelated, largest first
    total = np.var(states - states.mean(0), axis=0, ddof=1).sum()
    assert np.isclose(view["explained"][0], cov[0, 0] / total)
    with_start = lesson.project(states[:3], view)
    assert with_start.shape == (4, 2)
    assert np.allclose(with_start[0], (-np.asarray(view["mean"])) @ np.asarray(view["components"]).T)


def test_split_is_stratified_disjoint_and_seeded():
    rows = [(f"s{i}", int(i % 3 == 0), 1.0) for i in range(300)]
    tr, va, te = recipe.split(rows, 0.1, 0.1, seed=1)
    assert len(tr) + len(va) + len(te) == 300 and not {r[0] for r in te} & {r[0] for r in tr + va}
    assert sum(r[1] for r in te) == 10 and len(te) == 30                # 10 % of each label
    assert recipe.split(rows, 0.1, 0.1, seed=1) == (tr, va, te)
    assert recipe.split(rows, 0.1, 0.1, seed=2)[2] != te


def test_vocabulary_min_count_cap_and_order():
    ex = [(["a", "b", "b", "c"], 1), (["b", "c", "d"], 0)]
    assert recipe.vocabulary(ex, 2, 10) == [models.PAD, models.UNK, "b", "c"]
    assert recipe.vocabulary(ex, 1, 4) == [models.PAD, models.UNK, "b", "c"]
    assert recipe.vocabulary(ex, 1, 10)[2:] == ["b", "c", "a", "d"]


def test_batches_cover_every_example_once_with_little_padding():
    lengths = [1] * 100 + [30] * 100
    gen = torch.Generator().manual_seed(0)
    out = recipe.batches(lengths, 20, gen, pool=10)
    assert sorted(i for b in out for i in b) == list(range(200))
    assert all(len({lengths[i] for i in b}) == 1 for b in out)       # sorted within the pool: no mixing


def test_naive_bayes_by_hand():
    train = [(["good", "fun"], 1), (["good"], 1), (["bad"], 0), (["bad", "dull", "dull"], 0)]
    # binarised counts: positive {good: 2, fun: 1} (3), negative {bad: 2, dull: 1} (3); vocabulary 4
    # "fun bad": positive log(2/7) + log(1/7), negative log(1/7) + log(3/7): negative wins
    assert recipe.naive_bayes(train, [(["fun", "bad"], 0), (["good", "zebra"], 1)]) == 1.0
    assert recipe.naive_bayes(train, [(["fun", "bad"], 1)]) == 0.0


# ----- the shipped model: its manifest metrics, recomputed from the held-out sentences ---------------------
@pytest.fixture(scope="module")
def shipped():
    from rnnviz import pretrained
    from rnnviz.data import vader

    vader.fetch()
    model, meta = pretrained.load("sentiment")
    return model, meta, vader


def test_shipped_metrics_beat_the_majority_and_are_recomputed(shipped):
    model, meta, vader = shipped
    m, h = meta["metrics"], meta["hyper"]
    assert meta["command"] == "python -m rnnviz.train sentiment" and meta["bytes"] <= 5_000_000
    assert m["test_accuracy"] >= 0.75 > m["majority_accuracy"] + 0.2                      # issue 10: ≥ 75 %
    tr, va, te = recipe.split(vader.labelled("movie"), h["val_share"], h["test_share"], h["split_seed"])
    assert (len(tr), len(va), len(te)) == tuple(meta["data"]["sizes"][k] for k in ("train", "validation", "test"))
    test = [(lesson.tokenize(t), y) for t, y, _ in te]
    assert recipe.accuracy(model, test) == pytest.approx(m["test_accuracy"], abs=1e-4)
    train_rows = [(lesson.tokenize(t), y) for t, y, _ in tr]
    assert recipe.naive_bayes(train_rows, test) == pytest.approx(m["naive_bayes_accuracy"], abs=1e-4)
    majority = max((0, 1), key=lambda c: sum(y == c for _, y in train_rows))
    assert sum(y == majority for _, y in test) / len(test) == pytest.approx(m["majority_accuracy"], abs=1e-4)


def test_versus_bag_of_words_is_honest():
    level = lesson.versus_bag_of_words({"test_accuracy": 0.787, "naive_bayes_accuracy": 0.793}, 1007)
    assert level.startswith("On these sentences the two are level: 78.7% against 79.3%")
    assert "better" in lesson.versus_bag_of_words({"test_accuracy": 0.85, "naive_bayes_accuracy": 0.79}, 1007)


def test_negated_lexicon_pairs_flip_the_label():
    extra = recipe.extra_examples(negated=True)
    pairs = {tuple(w): y for w, y in extra if len(w) == 2 and w[0] == "not"}
    assert pairs[("not", "good")] == 0 and pairs[("not", "bad")] == 1
    assert len(extra) - len(recipe.extra_examples(negated=False)) == len(pairs)
