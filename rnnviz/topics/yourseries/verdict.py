"""How well the live-trained model forecasts the held-out tail of a student's series, against the baselines
every forecast must beat. learn.py re-exports evaluate and Verdict (the page imports them from there).

The held-out part is t ∈ [n_train, N): never trained on. Each RMSE = √(mean over those t of (x̂_t − x_t)²),
in the series' own units:

    model (one step)                             x̂_t from the true x_0 … x_{t−1} (teacher forcing)
    naive (last value)                           x̂_t = x_{t−1}
    seasonal naive (when the data has a season)  x̂_t = x_{t−P}
    model (free running)                         from the origin o = n_train − 1 on, x̂_{o+k} from the
                                                 model's own forecasts x̂_{o+1} … x̂_{o+k−1}
    naive (free running: the last value held)    x̂_{o+k} = x_o

The free runs cover the first FREE_STEPS held-out values at most: a free run is one step at a time
(~0.5 ms each), so 1,000 steps take about half a second; a 100,000-value series' 20,000 held-out values
would take ten seconds, for a forecast that long since forgot its origin.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rnnviz.topics.forecast import compute as forecast
from rnnviz.topics.forecast.model import Forecaster

FREE_STEPS = 1000     # the free runs' horizon, at most
WARM_UP = 1000        # a check reads at most this many values before the held-out part (held_out_rmse)
MODEL_ONE, NAIVE_ONE, SEASONAL = "model (one step)", "naive (last value)", "seasonal naive"
MODEL_FREE, NAIVE_FREE = "model (free running)", "naive (free running: the last value held)"


@dataclass
class Verdict:
    one_step: np.ndarray        # (N,) x̂_t from the true values before t; NaN where nothing comes before
    rmse: dict                  # {MODEL_ONE, NAIVE_ONE, SEASONAL (when a season), MODEL_FREE, NAIVE_FREE: RMSE}
    free: np.ndarray            # (N,) the model's free run over the held-out part's first free_steps; NaN elsewhere
    n_train: int
    free_steps: int             # how many held-out values the free runs cover


def held_out_rmse(model: Forecaster, values: np.ndarray, n_train: int) -> float:
    """The one-step RMSE over values[n_train:], from a teacher-forced pass that starts at most WARM_UP values
    before them (a whole 100,000-value series takes ~1 s; its last 21,000 values ~0.2 s, every check). The
    GRU's state forgets where it began long before a thousand steps; for n_train ≤ WARM_UP the pass reads
    everything and the number equals evaluate's. The start is a whole number of seasons in, so the season's
    phase the model reads is the same as in a pass from 0."""
    begin = max(0, n_train - WARM_UP)
    if model.period:
        begin -= begin % model.period
    pred = forecast.one_step(model, values[begin:])
    return forecast.rmse(pred[n_train - begin:] - values[n_train:])


def evaluate(model: Forecaster, data) -> Verdict:
    """The model and the baselines on data's held-out part (module docstring); data: a SeriesData."""
    x, n, n_train, period = np.asarray(data.values, dtype=float), len(data.values), data.n_train, data.period
    tail = slice(n_train, n)
    one = forecast.one_step(model, x)
    steps = min(FREE_STEPS, n - n_train)
    free = np.full(n, np.nan)
    free[n_train:n_train + steps] = forecast.free_run(model, x, n_train - 1, steps)
    truth = x[n_train:n_train + steps]
    rmse = {MODEL_ONE: forecast.rmse(one[tail] - x[tail]),
            NAIVE_ONE: forecast.rmse(x[n_train - 1:n - 1] - x[tail])}
    if period:
        rmse[SEASONAL] = forecast.rmse(x[n_train - period:n - period] - x[tail])
    rmse[MODEL_FREE] = forecast.rmse(free[n_train:n_train + steps] - truth)
    rmse[NAIVE_FREE] = forecast.rmse(x[n_train - 1] - truth)
    return Verdict(one, rmse, free, n_train, steps)


def baselines(data) -> dict:
    """The baselines' one-step RMSE on the held-out part, before any model: {NAIVE_ONE, SEASONAL (when a season)}
    (the same numbers evaluate() gives them)."""
    x, n, n_train, period = np.asarray(data.values, dtype=float), len(data.values), data.n_train, data.period
    out = {NAIVE_ONE: forecast.rmse(x[n_train - 1:n - 1] - x[n_train:])}
    if period:
        out[SEASONAL] = forecast.rmse(x[n_train - period:n - period] - x[n_train:])
    return out
