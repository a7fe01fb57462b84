"""The pieces of the character models' recipe (the full recipe runs by hand:
`python -m rnnviz.train char_lstm --check`, minutes long, outside the test suite)."""
from __future__ import annotations

import math

import pytest
import torch
from torch import nn

from rnnviz import train
from rnnviz.shared import char_recipe
from rnnviz.shared.char_model import UNKNOWN, CharModel

ALPHABET = UNKNOWN + "\n abc"


def tiny(kind="lstm", seed=0) -> CharModel:
    model = CharModel(kind, ALPHABET, 8)
    train.init_parameters(model, torch.Generator().manual_seed(seed))
    return model


def ids(n, seed=0):
    return torch.randint(0, len(ALPHABET), (n,), generator=torch.Generator().manual_seed(seed))


def test_alphabet_keeps_characters_seen_often_enough():
    text = "a" * char_recipe.MIN_COUNT + "b" * (char_recipe.MIN_COUNT - 1) + "\n" * 50
    assert char_recipe.alphabet(text) == UNKNOWN + "\na"


@pytest.mark.parametrize("kind", ["lstm", "gru"])
def test_bits_per_char_carries_the_state_across_chunks(kind):
    model, x = tiny(kind), ids(301)
    logits, _ = model(x[:-1, None])                                          # one pass over everything
    want = nn.functional.cross_entropy(logits[:, 0], x[1:]).item() / math.log(2)
    assert char_recipe.bits_per_char(model, x, streams=1, chunk=7) == pytest.approx(want, rel=1e-6)
    # three streams: each third read from a zero state, averaged over all predictions
    n, parts = 100, []
    for s in range(3):
        piece = x[s * n: s * n + n + 1]
        lg, _ = model(piece[:-1, None])
        parts.append(nn.functional.cross_entropy(lg[:, 0], piece[1:], reduction="sum").item())
    assert char_recipe.bits_per_char(model, x, streams=3, chunk=13) == pytest.approx(sum(parts) / 300 / math.log(2), rel=1e-6)


def test_ngram_baselines_by_hand():
    V = 3
    tr = torch.tensor([0, 1, 1, 2, 1])
    va = torch.tensor([1, 2, 2])
    uni = torch.tensor([1, 3, 1]) + 1.0                                     # counts + 1
    p_uni = uni / uni.sum()
    want_uni = -(torch.log2(p_uni[2]) * 2) / 2
    # bigram counts from training pairs (0,1) (1,1) (1,2) (2,1), add-one over 3 next characters
    p_12 = (1 + 1) / (2 + 3)
    p_22 = (0 + 1) / (1 + 3)
    want_bi = -(math.log2(p_12) + math.log2(p_22)) / 2
    got = char_recipe.ngram_bpc(tr, va, V)
    assert got["unigram"] == pytest.approx(want_uni.item())
    assert got["bigram"] == pytest.approx(want_bi)
    assert got["uniform"] == pytest.approx(math.log2(3))


def test_recipes_have_about_equal_parameter_counts():
    counts = {name: CharModel(r.kind, UNKNOWN + "x" * 0 + "".join(chr(i) for i in range(40, 113)), r.hidden_size)
              .count_parameters() for name, r in char_recipe.RECIPE_OF.items()}
    lstm, gru = counts["char_lstm"], counts["char_gru"]
    assert abs(lstm - gru) / lstm < 0.03, counts
    assert max(counts.values()) * 4 <= 2 * 1024 * 1024                       # ≤ 2 MB of float32
