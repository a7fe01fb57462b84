"""The one training loop (fit), its helpers, fit_task on the memory tasks, and the list of recipes.
The character recipe's pieces are tested in tests/shared/test_char_recipe.py."""
from __future__ import annotations

import math

import pytest
import torch
from torch import nn

from rnnviz import train
from rnnviz.shared import char_recipe
from rnnviz.shared.char_model import UNKNOWN, CharModel
from rnnviz.shared.classifier import SequenceClassifier
from rnnviz.shared.layers import PAD, UNK

ALPHABET = UNKNOWN + "\n abc"


def tiny(kind="lstm", seed=0) -> CharModel:
    model = CharModel(kind, ALPHABET, 8)
    train.init_parameters(model, torch.Generator().manual_seed(seed))
    return model


def _fit(seed, steps=25, on_step=None):
    model = tiny(seed=seed)
    data = CharModel("lstm", ALPHABET, 1).encode("abc ab\n" * 300)           # a pattern worth learning
    gen = torch.Generator().manual_seed(seed)

    def batch(step):
        starts = torch.randint(0, len(data) - 21, (4,), generator=gen).tolist()
        w = torch.stack([data[s:s + 21] for s in starts], 1)
        return w[:-1], w[1:]
    history = train.fit(model, batch, char_recipe.lm_loss, steps, lr=1e-2, on_step=on_step)
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


def _classifier_run(weight_decay, by_hand):
    """Three steps of a classifier with nn.Dropout and token dropout, evaluated after step 1: by fit, or by
    the loop each recipe wrote out before they shared fit (AdamW when there is weight decay)."""
    tokens = [PAD, UNK, *"abcdef"]
    with train.seeded_dropout(5):
        model = SequenceClassifier("lstm", tokens, ["x", "y"], 4, 6, dropout=0.3)
        gen = torch.Generator().manual_seed(5)
        train.init_parameters(model, gen)
        steps, losses = 3, []

        def batch(step):
            ids = torch.randint(0, len(tokens), (5, 8), generator=gen)            # (T, B), some padding
            return train.drop_tokens(ids, 0.2, gen), torch.randint(0, 2, (8,), generator=gen)

        def loss_fn(m, ids, y):
            return nn.functional.cross_entropy(m(ids)[0][-1], y)

        def evaluate(step, info):
            losses.append(info["loss"])
            if step == 1:
                model.eval()                                 # as a recipe's evaluation leaves it
        if not by_hand:
            train.fit(model, batch, loss_fn, steps, 1e-2, 0.5, evaluate, weight_decay=weight_decay)
            return model, losses
        opt = (torch.optim.AdamW(model.parameters(), lr=1e-2, weight_decay=weight_decay) if weight_decay
               else torch.optim.Adam(model.parameters(), lr=1e-2))
        schedule = torch.optim.lr_scheduler.LambdaLR(
            opt, lambda s: 0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * min(s, steps) / steps)))
        for step in range(steps):
            model.train()
            ids, y = batch(step)
            loss = loss_fn(model, ids, y)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 0.5)
            opt.step()
            schedule.step()
            evaluate(step, {"loss": loss.item()})
        return model.eval(), losses


@pytest.mark.parametrize("weight_decay", [0.0, 1e-2])
def test_fit_is_bit_for_bit_the_loop_the_recipes_wrote_by_hand(weight_decay):
    """The shipped weights were trained by hand-written loops; fit must do the same arithmetic in the same
    order (same draws, same dropout masks), or a rebuild would not give the same bytes."""
    a, loss_a = _classifier_run(weight_decay, by_hand=False)
    b, loss_b = _classifier_run(weight_decay, by_hand=True)
    assert loss_a == loss_b and not a.training
    for (name, p), q in zip(a.state_dict().items(), b.state_dict().values()):
        assert torch.equal(p, q), name


def test_drop_tokens_never_drops_padding_and_draws_nothing_at_zero():
    ids = torch.tensor([[2, 3, 0], [4, 0, 0]])                                 # (T, B), 0 = padding
    gen = torch.Generator().manual_seed(0)
    state = gen.get_state()
    assert train.drop_tokens(ids, 0.0, gen) is ids and torch.equal(gen.get_state(), state)
    assert train.drop_tokens(ids, 1.0, gen).tolist() == [[1, 1, 0], [1, 0, 0]]     # every word → <unk>
    a = train.drop_tokens(ids.repeat(50, 1), 0.3, torch.Generator().manual_seed(1))
    b = train.drop_tokens(ids.repeat(50, 1), 0.3, torch.Generator().manual_seed(1))
    assert torch.equal(a, b) and 0 < int((a == 1).sum()) < int((ids.repeat(50, 1) > 0).sum())


def test_the_cosine_schedule_runs_from_lr_to_a_tenth():
    f = train.cosine(100)
    assert f(0) == pytest.approx(1.0) and f(50) == pytest.approx(0.55) and f(100) == f(500) == pytest.approx(0.1)


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
