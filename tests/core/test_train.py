"""The training loop and the pieces of the character-model recipe (the full recipe runs by hand:
`python -m rnnviz.train char_lstm --check`, minutes long, outside the test suite)."""
from __future__ import annotations

import math

import pytest
import torch
from torch import nn

from rnnviz import train
from rnnviz.models import UNKNOWN, CharModel

ALPHABET = UNKNOWN + "\n abc"


def tiny(kind="lstm", seed=0) -> CharModel:
    model = CharModel(kind, ALPHABET, 8)
    train.init_parameters(model, torch.Generator().manual_seed(seed))
    return model


def ids(n, seed=0):
    return torch.randint(0, len(ALPHABET), (n,), generator=torch.Generator().manual_seed(seed))


def test_alphabet_keeps_characters_seen_often_enough():
    text = "a" * train.MIN_COUNT + "b" * (train.MIN_COUNT - 1) + "\n" * 50
    assert train.alphabet(text) == UNKNOWN + "\na"


@pytest.mark.parametrize("kind", ["lstm", "gru"])
def test_bits_per_char_carries_the_state_across_chunks(kind):
    model, x = tiny(kind), ids(301)
    logits, _ = model(x[:-1, None])                                          # one pass over everything
    want = nn.functional.cross_entropy(logits[:, 0], x[1:]).item() / math.log(2)
    assert train.bits_per_char(model, x, streams=1, chunk=7) == pytest.approx(want, rel=1e-6)
    # three streams: each third read from a zero state, averaged over all predictions
    n, parts = 100, []
    for s in range(3):
        piece = x[s * n: s * n + n + 1]
        lg, _ = model(piece[:-1, None])
        parts.append(nn.functional.cross_entropy(lg[:, 0], piece[1:], reduction="sum").item())
    assert train.bits_per_char(model, x, streams=3, chunk=13) == pytest.approx(sum(parts) / 300 / math.log(2), rel=1e-6)


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
    got = train.ngram_bpc(tr, va, V)
    assert got["unigram"] == pytest.approx(want_uni.item())
    assert got["bigram"] == pytest.approx(want_bi)
    assert got["uniform"] == pytest.approx(math.log2(3))


def _fit(seed, steps=25, on_step=None):
    model = tiny(seed=seed)
    data = CharModel("lstm", ALPHABET, 1).encode("abc ab\n" * 300)           # a pattern worth learning
    gen = torch.Generator().manual_seed(seed)

    def batch(step):
        starts = torch.randint(0, len(data) - 21, (4,), generator=gen).tolist()
        w = torch.stack([data[s:s + 21] for s in starts], 1)
        return w[:-1], w[1:]
    history = train.fit(model, batch, train._lm_loss, steps, lr=1e-2, on_step=on_step)
    return model, history


def test_fit_learns_and_reports_every_step():
    seen = []
    model, history = _fit(0, steps=60, on_step=lambda step, info: seen.append((step, info["loss"])))
    assert [s for s, _ in seen] == list(range(60))
    assert len(history.loss) == len(history.grad_norm) == 60 and history.seconds > 0
    assert sum(history.loss[-10:]) < sum(history.loss[:10]) * 0.75
    assert not model.training


def test_fit_is_reproducible_and_stops_when_asked():
    a, _ = _fit(3)
    b, _ = _fit(3)
    for (name, p), q in zip(a.state_dict().items(), b.state_dict().values()):
        assert torch.equal(p, q), name
    _, history = _fit(3, on_step=lambda step, info: step < 4)
    assert len(history.loss) == 5


def test_recipes_have_about_equal_parameter_counts():
    counts = {name: CharModel(r.kind, UNKNOWN + "x" * 0 + "".join(chr(i) for i in range(40, 113)), r.hidden_size)
              .count_parameters() for name, r in train.RECIPES.items()}
    lstm, gru = counts["char_lstm"], counts["char_gru"]
    assert abs(lstm - gru) / lstm < 0.03, counts
    assert max(counts.values()) * 4 <= 2 * 1024 * 1024                       # ≤ 2 MB of float32


# ----- train.fit_task: the memory tasks (DESIGN.md's public surface)

def test_fit_task_learns_the_adding_problem_far_below_the_mean_baseline():
    """A GRU on the adding problem at T = 10: Var(y) = 1/6 is what predicting the mean scores."""
    history = train.fit_task("adding", cell="gru", seq_len=10, steps=200, seed=0, hidden_size=32, batch=64)
    assert len(history.loss) == len(history.grad_norm) == 200 and history.seconds > 0
    late = sum(history.loss[-20:]) / 20
    assert late < 0.05 < 1 / 6, late                          # learnt, not the predict-the-mean plateau
    assert all(math.isfinite(g) and g >= 0 for g in history.grad_norm)


def test_fit_task_is_seeded_by_its_arguments_alone():
    torch.manual_seed(123)                                    # the global state must not matter ...
    a = train.fit_task("temporal_order", cell="lstm", seq_len=8, steps=4, seed=3, hidden_size=8, batch=16)
    torch.manual_seed(456)
    b = train.fit_task("temporal_order", cell="lstm", seq_len=8, steps=4, seed=3, hidden_size=8, batch=16)
    c = train.fit_task("temporal_order", cell="lstm", seq_len=8, steps=4, seed=4, hidden_size=8, batch=16)
    assert a.loss == b.loss and a.loss != c.loss              # ... only the seed does


@pytest.mark.parametrize("task,cell", [("copy", "rnn"), ("temporal_order", "gru"), ("adding", "lstm")])
def test_fit_task_scores_each_task_against_its_baseline_at_the_start(task, cell):
    """Before learning, the loss sits near what knowing nothing scores: cross-entropy near log(classes)."""
    history = train.fit_task(task, cell=cell, seq_len=6, steps=1, seed=0, hidden_size=8, batch=32)
    first = history.loss[0]
    if task == "adding":
        assert 0.1 < first < 3                                # MSE of a near-zero output against y ∈ [0, 2)
    else:
        classes = train.TASK_SHAPES[task][1]
        assert abs(first - math.log(classes)) < 0.5, first


def test_fit_task_stops_when_the_callback_says_so_and_refuses_unknown_names():
    seen = []
    history = train.fit_task("adding", cell="rnn", seq_len=5, steps=50, hidden_size=4, batch=8,
                             on_step=lambda step, info: seen.append(info["loss"]) or step < 2)
    assert len(history.loss) == 3 and seen == history.loss
    with pytest.raises(ValueError, match="task must be one of"):
        train.fit_task("sorting")
    with pytest.raises(ValueError, match="cell must be one of"):
        train.fit_task("adding", cell="transformer")
