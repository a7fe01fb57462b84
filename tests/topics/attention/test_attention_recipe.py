"""The recipe at a few steps (the manifest entry it writes, reproducible from its seeds), and the shipped
manifest: both models load (sha256 checked), their held-out exact match overall and per input-length bin, and
both baselines, recomputed here from the weights and the generated test set."""
from __future__ import annotations

import pytest
import torch

from rnnviz import pretrained
from rnnviz.topics.attention import compute, data, recipe
from rnnviz.topics.attention.model import greedy


def quiet(*_):
    pass


def test_recipe_at_a_few_steps_writes_a_full_entry(monkeypatch):
    # a small held-out set keeps this test quick: the recipe reads the sizes from the data module
    monkeypatch.setattr(data, "HELD_PER_DIGITS", {3: 20, 4: 20, 5: 20, 6: 20})
    monkeypatch.setattr(data, "HELD_OUT", {"validation": 20, "test": 60})
    model, info = recipe.build_attention(log=quiet, steps=3, batch=8)
    again, _ = recipe.build_attention(log=quiet, steps=3, batch=8)
    assert all(torch.equal(a, b) for a, b in zip(model.state_dict().values(), again.state_dict().values()))
    assert info["arch"]["class"] == "NumberReader" and info["arch"]["attention"] == "additive"
    assert info["check"]["metric"] in info["metrics"]
    rows = info["evaluation"]["by_length"]
    assert [r["bin"] for r in rows] == [data.bin_label(i) for i in range(len(data.BINS))]
    assert sum(r["n"] for r in rows) == data.HELD_OUT["test"] and all(r["n"] > 0 for r in rows)
    assert set(info["evaluation"]["baseline_by_length"]) == {"majority", "word_copy"}
    assert info["history"][-1]["step"] == 3 and recipe.RECIPES["numbers_plain"] is recipe.build_plain


@pytest.fixture(scope="module")
def shipped():
    return {name: pretrained.load(name) for name in recipe.NAMES.values()}


@pytest.mark.parametrize("name", list(recipe.NAMES.values()))
def test_manifest_metrics_are_recomputed(shipped, name):
    model, meta = shipped[name]
    test = data.held_out("test", meta["hyper"]["split_seed"])
    texts, truth = [p[0] for p in test], [p[1] for p in test]
    out = []
    for s in range(0, len(texts), 1000):
        out += greedy(model, texts[s:s + 1000]).texts
    m = meta["metrics"]
    assert abs(recipe.exact(out, truth) - m["test_exact"]) < 1e-4
    assert recipe.by_length(texts, out, truth) == meta["evaluation"]["by_length"]
    assert abs(recipe.exact([recipe.word_copy(t) for t in texts], truth) - m["word_copy_exact"]) < 1e-4
    assert m["majority_exact"] < 0.01 and model.count_parameters() == meta["parameters"]
    assert pretrained.manifest()["models"][name]["bytes"] < 5_000_000


def test_length_curves_and_verdict_come_from_the_manifest(shipped):
    (plain, p), (attentive, a) = shipped["numbers_plain"], shipped["numbers_attention"]
    assert (plain.hidden_size, plain.embed_size) == (attentive.hidden_size, attentive.embed_size)   # the same size
    assert {k: v for k, v in p["hyper"].items() if k != "attention"} == \
        {k: v for k, v in a["hyper"].items() if k != "attention"}                                # trained alike
    c = compute.by_length(p, a)
    assert c.bins == [data.bin_label(i) for i in range(len(data.BINS))]
    v = compute.verdict(c)
    assert v.plain_first == c.plain[0] and v.attentive_last == c.attentive[-1]
    assert v.plain_falls == (c.plain[0] - c.plain[-1] > compute.FALL)
