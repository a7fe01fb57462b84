"""Your text's live training: the loop lowers held-out bpc, is seeded, resumes exactly, stops when asked; a
run through a real training process ends finished with weights that predict; grad_by_step is autograd's
total ∂L/∂h_t. Tiny models and few steps (the whole file takes a few seconds)."""
from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest
import torch
from torch import nn

from rnnviz.shared import live
from rnnviz.shared.char_recipe import bits_per_char
from rnnviz.topics.yourtext import data, learn, measure
from rnnviz.topics.yourtext.learn import ConfigError, TextConfig, TextProgress

TINY = TextConfig(cell="lstm", hidden=16, seconds=60.0, lr=1e-2, window=32, batch=16, max_steps=40)


@pytest.fixture(autouse=True, scope="module")
def app_settings():
    """A training process flushes subnormals (live._configure): the same arithmetic here, put back after."""
    torch.set_flush_denormal(True)
    yield
    torch.set_flush_denormal(False)


@pytest.fixture(scope="module")
def text() -> data.TextData:
    """8,000 characters of real text that is always on disk (the argparse example)."""
    return data.read_text(data.example("Python code (argparse.py)")[:8000])


@pytest.fixture(scope="module")
def trained(text) -> TextProgress:
    return learn.train_here(TINY, text)


def test_training_lowers_held_out_bpc(text, trained):
    first, last = trained.checkpoints[0], trained.checkpoints[-1]
    assert (first.step, last.step, trained.steps, trained.status) == (0, 40, 40, "finished")
    assert first.val_bpc == pytest.approx(math.log2(len(text.alphabet)), abs=0.15)     # untrained: knows nothing
    assert last.val_bpc < first.val_bpc - 1.0 and last.val_bpc < text.baselines["unigram"]
    assert len(last.sample) == measure.SAMPLE_CHARS and set(last.sample) <= set(text.alphabet[1:])
    assert last.grad_by_step.shape == (TINY.window,) and np.all(np.isfinite(last.grad_by_step))
    assert trained.weights_step == 40 and trained.optimizer is not None
    assert trained.best() is min(trained.checkpoints, key=lambda c: c.val_bpc) and TextProgress().best() is None


def test_the_curve_is_the_mean_training_loss_every_few_steps(trained):
    steps = [s for s, _, _ in trained.curve]
    assert steps == list(range(learn.CURVE_EVERY, 41, learn.CURVE_EVERY))
    seconds = [t for _, t, _ in trained.curve]
    assert seconds == sorted(seconds) and seconds[-1] <= trained.seconds
    assert trained.curve[-1][2] < trained.curve[0][2]


def test_the_checkpoint_measures_the_weights_it_keeps(text, trained):
    model = learn.new_model(TINY, text.alphabet)
    model.load_state_dict(trained.weights)
    held_out = text.ids()[text.n_train:]
    assert bits_per_char(model.eval(), held_out, streams=(len(held_out) - 1) // 256) == pytest.approx(
        trained.checkpoints[-1].val_bpc, abs=1e-6)
    assert measure.sample(model, TINY.seed) == trained.checkpoints[-1].sample      # the same dice


def test_seeded_by_the_config_alone(text, trained):
    again = learn.train_here(replace(TINY, max_steps=10), text)
    other = learn.train_here(replace(TINY, max_steps=10, seed=1), text)
    shorter = learn.train_here(replace(TINY, max_steps=10), text)
    assert all(torch.equal(again.weights[k], shorter.weights[k]) for k in again.weights)
    assert not torch.equal(again.weights["head.weight"], other.weights["head.weight"])


def test_resume_continues_the_steps_and_equals_an_unbroken_run(text, trained):
    half = learn.train_here(replace(TINY, max_steps=20), text)
    rest = learn.train_here(replace(TINY, max_steps=20), text, resume=half)
    assert rest.steps == 40 and [s for s, _, _ in rest.curve] == [s for s, _, _ in trained.curve]
    assert rest.checkpoints[:len(half.checkpoints)] == half.checkpoints and rest.checkpoints[-1].step == 40
    # the same windows (seeded by step), weights and Adam state: bit for bit the 40-step run
    assert all(torch.equal(rest.weights[k], trained.weights[k]) for k in trained.weights)


def test_stop_is_obeyed_before_the_first_step(text):
    p = learn.train_here(TINY, text, stop=lambda: True)
    assert (p.status, p.steps, len(p.checkpoints)) == ("stopped", 0, 1) and p.weights is not None


def test_the_clock_ends_a_run(text):
    p = learn.train_here(replace(TINY, seconds=0.3, max_steps=None, checkpoint_seconds=0.1), text)
    assert p.status == "finished" and 0.3 <= p.seconds < 2 and p.steps > 0
    assert len(p.checkpoints) >= 3 and p.checkpoints[-1].step == p.steps


def test_delta_and_apply_carry_a_run_across(trained):
    server, sent = TextProgress(), {}
    server.apply(trained.delta(sent))
    assert (server.status, server.steps, server.curve, server.checkpoints) == (
        trained.status, trained.steps, trained.curve, trained.checkpoints)
    assert all(torch.equal(server.weights[k], trained.weights[k]) for k in trained.weights)
    again = trained.delta(sent)                      # nothing new: no lists, no weights, no optimizer
    assert again["curve"] == [] and again["checkpoints"] == [] and "weights" not in again and "optimizer" not in again


@pytest.mark.parametrize("change, words", [
    ({"cell": "transformer"}, "cell must be one of"), ({"hidden": 0}, "hidden size"),
    ({"seconds": 0}, "training time"), ({"window": 100}, "window must be 2 to 99"), ({"lr": -1}, "positive")])
def test_bad_settings(change, words):
    with pytest.raises(ConfigError, match=words):
        replace(TextConfig(), **change)


@pytest.mark.parametrize("kind", learn.CELLS)
def test_grad_by_step_is_autograds_total_derivative(text, kind):
    """The reference: torch.nn's own cell, stepped by hand in float64, each h_t kept in the graph."""
    model = learn.new_model(replace(TINY, cell=kind), text.alphabet)
    ids = text.ids()[text.n_train:text.n_train + TINY.window + 1]
    got = measure.grad_by_step(model, ids)
    cell = {"lstm": nn.LSTMCell, "gru": nn.GRUCell, "rnn": nn.RNNCell}[kind](len(text.alphabet), 16).double()
    with torch.no_grad():
        for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
            getattr(cell, name).copy_(getattr(model.rnn, f"{name}_l0"))
    x = model.onehot(ids[:-1]).double()                                              # (W, V)
    state, hs = None, []
    for t in range(TINY.window):
        state = cell(x[t:t + 1], state)
        h = state[0] if kind == "lstm" else state
        h.retain_grad()
        hs.append(h)
    logits = torch.cat(hs) @ model.head.weight.double().T + model.head.bias.double()
    nn.functional.cross_entropy(logits, ids[1:]).backward()
    want = np.array([h.grad.norm().item() for h in hs])
    np.testing.assert_allclose(got, want, rtol=1e-9)


def test_a_run_in_a_real_training_process_finishes_and_its_model_predicts(text, trained):
    trainer = live.Trainer(slots=1)
    run = learn.start(TINY, text, trainer, owner="student")
    assert run.job.join(timeout=120), "the training process did not end"
    snap = run.snapshot()
    assert run.job.errors == [] and (snap.status, snap.steps) == ("finished", 40)
    model = run.model()
    assert model is run.model() and not model.training                          # built once per checkpoint
    held_out = text.ids()[text.n_train:]
    assert bits_per_char(model, held_out, streams=(len(held_out) - 1) // 256) == pytest.approx(
        snap.checkpoints[-1].val_bpc, abs=1e-6)
    for k, w in trained.weights.items():                                         # the same as in this process
        torch.testing.assert_close(snap.weights[k], w, rtol=1e-5, atol=1e-6)

    more = learn.start(replace(TINY, max_steps=10), text, trainer, owner="student", resume=run)
    assert more.job.join(timeout=120)
    after = more.snapshot()
    assert (after.status, after.steps, after.curve[:4]) == ("finished", 50, snap.curve)
    assert after.checkpoints[-1].step == 50 and more.model() is not model


def test_resume_needs_the_same_text_and_model(text):
    other = data.read_text(data.example("Python code (argparse.py)")[8000:16000])
    run = learn.TextRun(TINY, text, TextProgress(), job=None)
    with pytest.raises(ValueError, match="text has changed"):
        learn.start(TINY, other, resume=run)
    with pytest.raises(ValueError, match="same cell and size"):
        learn.start(replace(TINY, cell="gru"), text, resume=run)
