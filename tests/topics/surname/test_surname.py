"""The shipped surname model: its manifest entry (held-out metric and both baselines), the metric recomputed
from the held-out names, the baseline it ships equal to one fitted on the training names, training that is
reproducible to the bit, and every claim the page's notes make about it."""
from __future__ import annotations

import collections

import numpy as np
import pytest
import torch

from rnnviz import pretrained
from rnnviz.topics.surname import data as surnames
from rnnviz.topics.surname import compute as lesson
from rnnviz.topics.surname import words
from rnnviz.topics.surname import recipe


@pytest.fixture(scope="module")
def shipped():
    surnames.fetch()
    model, meta = pretrained.load("surname")
    return model, meta, lesson.BigramNB.from_json(meta["baseline"]["counts"]), surnames.split()


def test_manifest_entry(shipped):
    model, meta, _, _ = shipped
    m = meta["metrics"]
    assert meta["arch"]["class"] == "SequenceClassifier" and meta["arch"]["level"] == "char"
    assert meta["data"]["sha256"] == surnames.SHA256 and meta["command"] == "python -m rnnviz.train surname"
    assert meta["check"] == {"metric": "test_accuracy", "tolerance": recipe.TOLERANCE}
    assert meta["bytes"] <= 1_000_000 and meta["minutes"] > 0
    assert model.classes == list(surnames.languages())
    # the model beats both baselines, on both accuracies
    assert m["test_accuracy"] > m["bigram_accuracy"] > m["majority_accuracy"]
    assert m["test_balanced_accuracy"] > m["bigram_balanced_accuracy"] > m["majority_balanced_accuracy"]
    assert m["majority_balanced_accuracy"] == pytest.approx(1 / 17, abs=1e-4) == m["chance_balanced_accuracy"]


def test_metrics_recomputed_from_the_held_out_names(shipped):
    model, meta, nb, sp = shipped
    index = {c: i for i, c in enumerate(model.classes)}
    names, truth = [n for n, _ in sp.test], [index[c] for _, c in sp.test]
    rnn = lesson.scores(truth, recipe.predict(model, names), len(index))
    assert rnn["accuracy"] == pytest.approx(meta["metrics"]["test_accuracy"], abs=1e-4)
    assert rnn["confusion"] == meta["evaluation"]["gru"]["confusion"]
    bigram = lesson.scores(truth, nb.predict(names), len(index))
    assert bigram["accuracy"] == pytest.approx(meta["metrics"]["bigram_accuracy"], abs=1e-4)
    majority = collections.Counter(c for _, c in sp.train).most_common(1)[0][0]
    assert majority == "Polish"
    assert sum(c == majority for _, c in sp.test) / len(names) == pytest.approx(meta["metrics"]["majority_accuracy"],
                                                                               abs=1e-4)


def test_shipped_baseline_is_the_one_fitted_on_the_training_names(shipped):
    _, _, nb, sp = shipped
    fitted = lesson.BigramNB.fit(sp.train, list(nb.classes))
    assert fitted.bigrams == nb.bigrams and (fitted.counts == nb.counts).all()


def test_per_step_verdict_ends_on_the_many_to_one_answer(shipped):
    model, _, _, _ = shipped
    ids, lengths = recipe._batch(model, ["kowalski", "schmidt"])
    last = torch.softmax(model.last_logits(ids, lengths).double(), -1).numpy()
    assert np.allclose(lesson.model_steps(model, "kowalski")[-1], last[0], atol=1e-6)
    assert np.allclose(lesson.model_steps(model, "schmidt")[-1], last[1], atol=1e-6)


def test_training_is_reproducible():
    a, info_a = recipe.build(log=lambda *_: None, steps=20)
    b, info_b = recipe.build(log=lambda *_: None, steps=20)
    for (k, x), (_, y) in zip(a.state_dict().items(), b.state_dict().items()):
        assert torch.equal(x, y), k
    assert info_a["metrics"] == info_b["metrics"]


# ----- what the page says about the shipped model (words.PRESETS, the question) ---------------------------
def reading(shipped, name):
    model, _, nb, _ = shipped
    return lesson.read(model, nb, lesson.prepare(model, name).text)


def test_schmidt_changes_its_mind_and_ends_german(shipped):
    r = reading(shipped, "Schmidt")
    assert len(r.story()) >= 2 and r.leaders[0] != "German" and r.top(1)[0][0] == "German"


def test_kowalski_becomes_polish_at_the_end(shipped):
    r = reading(shipped, "Kowalski")
    assert r.top(1)[0][0] == "Polish" and r.top(1)[0][1] > 0.8
    assert r.probs[-1, r.classes.index("Polish")] > r.probs[4, r.classes.index("Polish")]   # "-ski" adds to it


def test_martin_splits_its_vote(shipped):
    r = reading(shipped, "Martin")
    assert r.top(1)[0][1] < 0.75
    assert shipped[3].ambiguous["martin"] == ("English", "Irish", "German", "French", "Spanish", "Polish", "Slovak")


def test_mc_answer_is_the_models_leader_after_mc(shipped):
    model = shipped[0]
    answer, why = words.answer(model)
    p = lesson.model_steps(model, "mc")[-1]
    leader = model.classes[int(p.argmax())]
    assert answer == (0 if leader in ("Irish", "English") else 1)
    assert why.startswith(f"After “mc” the model's top three are {leader} {p.max():.0%}")
    q = lesson.model_steps(model, "mcgrath")[-1]
    assert f"“McGrath”: {model.classes[int(q.argmax())]} {q.max():.0%}" in why
    mc = collections.Counter(lang for lang, names in surnames.languages().items() for n in names if n.startswith("mc"))
    assert mc == {"Irish": 275, "English": 47}              # what words.QUESTION_WHY says
