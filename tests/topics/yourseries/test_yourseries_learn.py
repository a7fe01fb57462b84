"""Your series, the live training: the mode decision, a short seeded training that beats the naive forecast,
the held-out checks against evaluate, the baselines against hand computation, delta/apply round trips, and
a run through a real live.Trainer that ends "finished" (and one stopped)."""
from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from rnnviz.shared import live
from rnnviz.topics.forecast import compute as forecast
from rnnviz.topics.forecast.model import Forecaster
from rnnviz.topics.yourseries import learn, verdict
from rnnviz.topics.yourseries.data import SeriesError, read_csv
from rnnviz.topics.yourseries.learn import SeriesConfig, SeriesProgress

# tiny and quick: a few hundred steps of H = 16 on windows of 24 take about a second on one thread
TINY = SeriesConfig(hidden=16, seconds=60.0, window=24, batch=16, lr=1e-2, check_every=3600.0, max_steps=300)


def csv_of(values) -> bytes:
    return ("value\n" + "\n".join(f"{v:.6f}" for v in values) + "\n").encode()


def seasonal(n=240, period=12, noise=0.1, seed=0) -> np.ndarray:
    """A season plus a little noise: the last value is a poor guess of the next, the season a good one."""
    t = np.arange(n)
    return 5 + 2 * np.sin(2 * np.pi * t / period) + noise * np.random.default_rng(seed).normal(size=n)


@pytest.fixture(scope="module")
def data():
    return read_csv(csv_of(seasonal()))


@pytest.fixture(scope="module")
def trained(data):
    checks = []
    p = learn.train_here(TINY, data, on_check=lambda q: checks.append(q.checks[-1]))
    model = Forecaster.from_arch(p.arch)
    model.load_state_dict({k: torch.from_numpy(v) for k, v in p.weights.items()})
    return p, model.eval(), checks


def test_config_checked():
    for bad in (dict(hidden=0), dict(hidden=10_000), dict(seconds=-1), dict(seconds=math.inf),
                dict(mode="sideways"), dict(lr=float("nan")), dict(batch=True), dict(max_steps=-1)):
        with pytest.raises(SeriesError, match="The setting"):
            SeriesConfig(**bad).checked()


def test_mode_auto_follows_the_trend(data):
    trend = read_csv(csv_of(np.arange(100) * 0.3 + np.sin(np.arange(100))))
    mode, why = learn.decide_mode(SeriesConfig(), trend.values, trend.n_train)
    assert mode == "difference" and "trends" in why
    assert learn.decide_mode(SeriesConfig(), data.values, data.n_train)[0] == "level"
    assert learn.decide_mode(SeriesConfig(mode="difference"), data.values, data.n_train)[0] == "difference"


def test_arch_from_the_training_part_alone(data):
    arch, _ = learn.plan(SeriesConfig(hidden=16), data.values, data.n_train, data.period)
    train = data.values[:data.n_train]
    assert arch["offset"] == pytest.approx(train.mean()) and arch["scale"] == pytest.approx(train.std(ddof=1))
    assert arch["period"] == data.period == 12 and arch["hidden_size"] == 16
    assert learn.plan(SeriesConfig(calendar=False), data.values, data.n_train, 12)[0]["period"] == 0
    line = np.arange(40.0)                                          # equal steps: σ of the steps is 0, read as 1
    arch, _ = learn.plan(SeriesConfig(mode="difference"), line, 30, 0)
    assert arch["offset"] == pytest.approx(1.0) and arch["scale"] == 1.0


def test_training_beats_the_naive_forecast(data, trained):
    p, model, checks = trained
    assert p.status == "finished" and p.steps == TINY.max_steps == len(p.curve)
    assert np.mean([c[2] for c in p.curve[-20:]]) < 0.5 * np.mean([c[2] for c in p.curve[:20]])
    v = learn.evaluate(model, data)
    assert v.rmse[verdict.MODEL_ONE] < 0.6 * v.rmse[verdict.NAIVE_ONE]
    assert checks == p.checks and p.checks[-1][0] == p.steps            # the final check, at the last step
    assert p.checks[-1][2] == pytest.approx(v.rmse[verdict.MODEL_ONE], rel=1e-9)


def test_same_seed_same_weights(data):
    few = SeriesConfig(hidden=8, window=12, batch=4, max_steps=5)
    a, b = learn.train_here(few, data), learn.train_here(few, data)
    assert all(np.array_equal(a.weights[k], b.weights[k]) for k in a.weights)
    c = learn.train_here(SeriesConfig(hidden=8, window=12, batch=4, max_steps=5, seed=1), data)
    assert not np.array_equal(a.weights["head.weight"], c.weights["head.weight"])


def test_evaluate_baselines_by_hand(data, trained):
    _, model, _ = trained
    v = learn.evaluate(model, data)
    x, n0, P = data.values, data.n_train, data.period
    held = range(n0, data.n)
    by_hand = lambda guess: math.sqrt(sum((guess(t) - x[t]) ** 2 for t in held) / len(held))   # noqa: E731
    assert v.rmse[verdict.NAIVE_ONE] == pytest.approx(by_hand(lambda t: x[t - 1]), rel=1e-12)
    assert v.rmse[verdict.SEASONAL] == pytest.approx(by_hand(lambda t: x[t - P]), rel=1e-12)
    assert v.rmse[verdict.NAIVE_FREE] == pytest.approx(by_hand(lambda t: x[n0 - 1]), rel=1e-12)
    one = forecast.one_step(model, x)
    assert v.rmse[verdict.MODEL_ONE] == pytest.approx(by_hand(lambda t: one[t]), rel=1e-12)
    free = forecast.free_run(model, x, n0 - 1, data.n - n0)
    assert v.rmse[verdict.MODEL_FREE] == pytest.approx(by_hand(lambda t: free[t - n0]), rel=1e-12)
    assert np.isnan(v.one_step[0]) and np.isnan(v.free[:n0]).all() and v.free_steps == data.n - n0
    flat = read_csv(csv_of(np.random.default_rng(1).normal(size=60)))             # no season: no seasonal naive
    assert flat.period == 0 and verdict.SEASONAL not in learn.evaluate(
        Forecaster.from_arch(learn.plan(SeriesConfig(hidden=4), flat.values, flat.n_train, 0)[0]).eval(), flat).rmse


def test_a_check_on_a_long_series_reads_a_window_before_the_held_out_part():
    long = read_csv(csv_of(seasonal(n=3000, seed=2)))
    arch, _ = learn.plan(SeriesConfig(hidden=8), long.values, long.n_train, long.period)
    model = Forecaster.from_arch(arch)
    torch.nn.init.uniform_(model.rnn.weight_hh_l0, -0.3, 0.3, generator=torch.Generator().manual_seed(0))
    model.eval()
    full = learn.evaluate(model, long).rmse[verdict.MODEL_ONE]
    assert verdict.held_out_rmse(model, long.values, long.n_train) == pytest.approx(full, rel=1e-5)


def test_delta_apply_round_trip(trained):
    p, _, _ = trained
    mirror, sent = SeriesProgress(arch=p.arch), {}
    partial = SeriesProgress(arch=p.arch, status="training", curve=p.curve[:100], checks=[], steps=100)
    mirror.apply(partial.delta(sent))
    assert mirror.weights is None and len(mirror.curve) == 100
    full = p.snapshot()
    mirror.apply(full.delta(sent))
    assert mirror.curve == p.curve and mirror.checks == p.checks and mirror.status == "finished"
    assert mirror.weights is p.weights
    again = full.delta(sent)
    assert again["curve"] == [] and "weights" not in again                     # nothing new: nothing sent


def test_best_check_and_its_weights(data):
    seen = []
    p = learn.train_here(SeriesConfig(hidden=8, window=12, batch=4, max_steps=40, check_every=0.01), data,
                         on_check=lambda q: seen.append((q.checks[-1], q.weights)))
    assert len(p.checks) >= 2 and [c for c, _ in seen] == p.checks
    best = min(range(len(seen)), key=lambda i: seen[i][0][2])
    assert p.best() == seen[best][0] and p.best_weights is seen[best][1] and p.weights is seen[-1][1]
    assert SeriesProgress().best() is None


@pytest.fixture(scope="module")
def trainer():
    t = live.Trainer(slots=1)
    yield t
    t.stop_all(wait=20)


def test_a_live_run_ends_finished(data, trainer):
    run = learn.start(SeriesConfig(hidden=8, seconds=0.6, window=12, batch=8, check_every=0.2), data, trainer, "me")
    assert run.job.join(60), "the training process did not end"
    view = run.snapshot()
    assert run.job.reason == live.FINISHED and view.status == "finished", (run.job.reason, run.job.errors)
    assert view.steps > 0 and view.curve[-1][0] == view.steps and view.checks[-1][0] == view.steps
    model = run.model()
    assert model is not None and not model.training and run.model() is model       # cached per check
    assert run.model(best=True) is not None and run.model(best=True) is run.model(best=True)
    assert learn.evaluate(model, data).rmse[verdict.MODEL_ONE] == pytest.approx(view.checks[-1][2], rel=1e-6)


def test_a_live_run_stopped(data, trainer):
    run = learn.start(SeriesConfig(hidden=8, seconds=60, window=12, batch=8), data, trainer, "you")
    assert run.model() is None                                  # no weights before the first check (2 s in)
    while run.snapshot().steps < 5 and run.job.alive:
        run.job.join(0.05)
    run.job.stop()
    assert run.job.join(30)
    assert run.snapshot().status == "stopped" and run.job.reason == live.STOPPED
    assert run.model() is not None                                                   # the check at the stop


def test_start_refuses_what_is_not_a_series(trainer):
    with pytest.raises(SeriesError, match="read_csv"):
        learn.start(SeriesConfig(), np.arange(50.0), trainer)
