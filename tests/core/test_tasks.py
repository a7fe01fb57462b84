"""The synthetic long-range tasks: shapes, the rules of each task, seeding, private randomness."""
from __future__ import annotations

import math

import pytest
import torch

from rnnviz import tasks

# name → small arguments for the generic checks.
SMALL = {"adding": {"seq_len": 20, "n": 64}, "copy": {"seq_len": 12, "n": 64, "memory": 4},
         "temporal_order": {"seq_len": 30, "n": 64}}


def test_tasks_registry():
    assert tasks.TASKS == {"adding": tasks.adding_problem, "copy": tasks.copy_memory,
                           "temporal_order": tasks.temporal_order}


@pytest.mark.parametrize("name", list(tasks.TASKS))
def test_seeded_and_private_randomness(name):
    fn, kw = tasks.TASKS[name], SMALL[name]
    before = torch.random.get_rng_state()
    x1, y1 = fn(**kw, seed=7)
    x2, y2 = fn(**kw, seed=7)
    x3, y3 = fn(**kw, seed=8)
    assert torch.equal(torch.random.get_rng_state(), before)
    assert torch.equal(x1, x2) and torch.equal(y1, y2)
    assert not torch.equal(x1, x3) and not torch.equal(y1, y3)
    # and the global seed does not leak in
    torch.manual_seed(123)
    x4, _ = fn(**kw, seed=7)
    torch.set_rng_state(before)
    assert torch.equal(x1, x4)


@pytest.mark.parametrize("name", list(tasks.TASKS))
@pytest.mark.parametrize("bad", [{"seq_len": 1}, {"seq_len": 0}, {"seq_len": -5}, {"n": 0}, {"n": -1}, {"seq_len": 2.5}])
def test_bad_arguments_raise(name, bad):
    kw = {**SMALL[name], **bad}
    with pytest.raises(ValueError, match="seq_len" if "seq_len" in bad else "n "):
        tasks.TASKS[name](**kw)


# ----- adding problem ---------------------------------------------------------------------------
@pytest.mark.parametrize("T", [2, 3, 7, 50])
def test_adding_problem_shapes_and_rules(T):
    n = 300
    x, y = tasks.adding_problem(seq_len=T, n=n, seed=1)
    assert x.shape == (T, n, 2) and y.shape == (n, 1)
    assert x.dtype == y.dtype == torch.float32
    values, markers = x[..., 0], x[..., 1]
    assert values.min() >= 0 and values.max() < 1
    assert set(markers.unique().tolist()) <= {0.0, 1.0}
    half = T // 2
    assert torch.all(markers[:half].sum(0) == 1)             # exactly one marker in the first half
    assert torch.all(markers[half:].sum(0) == 1)             # and exactly one in the second half
    torch.testing.assert_close(y[:, 0], (values * markers).sum(0), rtol=0, atol=1e-6)


def test_adding_problem_covers_positions_and_its_baseline_is_one_sixth():
    T, n = 10, 20000
    x, y = tasks.adding_problem(seq_len=T, n=n, seed=0)
    first = x[:5, :, 1].argmax(0)
    second = 5 + x[5:, :, 1].argmax(0)
    assert set(first.tolist()) == set(range(5)) and set(second.tolist()) == set(range(5, 10))
    mse_of_mean = ((y - 1.0) ** 2).mean().item()             # predict E[y] = 1 for everyone
    assert abs(mse_of_mean - 1 / 6) < 0.01
    assert abs(y.mean().item() - 1.0) < 0.02


# ----- copy memory --------------------------------------------------------------------------------
@pytest.mark.parametrize("T,m,S", [(2, 1, 2), (12, 4, 8), (30, 10, 8)])
def test_copy_memory_layout(T, m, S):
    n = 50
    x, y = tasks.copy_memory(seq_len=T, n=n, n_symbols=S, memory=m, seed=3)
    L = T + 2 * m
    blank, delim = S, S + 1
    assert x.shape == (L, n, S + 2) and x.dtype == torch.float32
    assert y.shape == (L, n) and y.dtype == torch.int64
    assert torch.all(x.sum(2) == 1)                          # one-hot
    sym = x.argmax(2)                                        # (L, n) input symbol per step
    data = sym[:m]
    assert torch.all(data < S)                               # data symbols first
    assert torch.all(sym[m:m + T - 1] == blank)              # then blanks while waiting
    assert torch.all(sym[m + T - 1] == delim)                # the delimiter: "recall now"
    assert torch.all(sym[m + T:] == blank)
    assert torch.all(y[:m + T] == blank)                     # nothing to say until the recall
    assert torch.equal(y[m + T:], data)                      # then the same symbols, same order
    assert y.max() <= S                                      # n_symbols + 1 classes


def test_copy_memory_uses_every_symbol_and_documents_its_baseline():
    S, m, T = 8, 10, 20
    x, y = tasks.copy_memory(seq_len=T, n=200, n_symbols=S, memory=m, seed=0)
    assert set(y[-m:].unique().tolist()) == set(range(S))
    assert f"{m * math.log(S) / (T + 2 * m):.2f}" in tasks.copy_memory.__doc__


@pytest.mark.parametrize("bad", [{"n_symbols": 1}, {"memory": 0}])
def test_copy_memory_bad_arguments(bad):
    with pytest.raises(ValueError, match=next(iter(bad))):
        tasks.copy_memory(seq_len=10, n=4, **bad)


# ----- temporal order ---------------------------------------------------------------------------
@pytest.mark.parametrize("T", [4, 5, 10, 100, 111])
def test_temporal_order_rules(T):
    n = 400
    x, y = tasks.temporal_order(seq_len=T, n=n, seed=2)
    S = tasks.TEMPORAL_SYMBOLS
    assert x.shape == (T, n, len(S)) == (T, n, 8) and x.dtype == torch.float32
    assert y.shape == (n,) and y.dtype == torch.int64
    assert torch.all(x.sum(2) == 1)
    sym = x.argmax(2)                                         # (T, n)
    assert torch.all(sym[0] == S.index("B")) and torch.all(sym[-1] == S.index("E"))
    relevant = (sym == S.index("X")) | (sym == S.index("Y"))
    assert torch.all(relevant.sum(0) == 2)                    # exactly two relevant symbols
    assert torch.all(sym[1:-1][~relevant[1:-1]] < 4)          # everything else a distractor a–d
    steps = torch.arange(T)[:, None].expand(T, n)
    first = torch.where(relevant, steps, T).min(0).values
    second = torch.where(relevant, steps, -1).max(0).values
    cols = torch.arange(n)
    first_is_y = (sym[first, cols] == S.index("Y")).long()
    second_is_y = (sym[second, cols] == S.index("Y")).long()
    assert torch.equal(y, 2 * first_is_y + second_is_y)
    assert [tasks.TEMPORAL_CLASSES[c] for c in y[:3].tolist()] == [
        S[sym[first[k], k]] + S[sym[second[k], k]] for k in range(3)]
    assert set(y.tolist()) == {0, 1, 2, 3}
    assert first.min() >= max(1, T // 10) and first.max() <= max(1, T // 5)
    assert second.min() >= T // 2 and second.max() <= T - 2


def test_temporal_order_matches_the_paper_at_T_100():
    """Hochreiter & Schmidhuber 1997: first relevant symbol in steps 10–20, second in 50–60."""
    x, _ = tasks.temporal_order(seq_len=100, n=3000, seed=0)
    sym = x.argmax(2)
    rel = (sym == 4) | (sym == 5)
    steps = sorted(set(torch.nonzero(rel)[:, 0].tolist()))
    assert steps == list(range(10, 21)) + list(range(50, 61))


def test_temporal_order_needs_room_for_two_symbols():
    with pytest.raises(ValueError, match=">= 4"):
        tasks.temporal_order(seq_len=3, n=2)
