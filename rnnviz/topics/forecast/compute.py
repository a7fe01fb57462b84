"""The forecasting demo's computation: a trained GRU predicts a real series one step ahead (teacher forcing)
and many steps ahead (free running), against the naive baselines, over a held-out tail.

    s = Series.from_meta(meta)                     # the values, dates and split shipped in the manifest entry
    one = one_step(model, s.values)                # x̂_t for every t, each from the TRUE values before t
    run = free_run(model, s.values, origin, 12)    # x̂_{o+1..o+12}, each fed the model's own last forecast
    curve = horizon_curve(model, s, 24)            # RMSE at each horizon over the held-out tail: model vs naive
    f = forecast(model, s, origin, horizon)        # everything the page draws for one origin and horizon

Indices are 0-based positions in the series; "origin" o is the last value the forecast may look at.
A forecast at horizon k targets x_{o+k}. Arrays are NumPy float64; the model runs in float32. What the page
says about them, and the equations it shows for this code, are in words.py.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch

from rnnviz.topics.forecast.model import Forecaster


@dataclass(frozen=True)
class Series:
    name: str                 # "sunspots" | "co2"
    title: str                # for the page
    labels: tuple[str, ...]   # (N,) the date of each value: "1700" or "1958-03"
    values: np.ndarray        # (N,) float64
    n_train: int              # values[:n_train] trained the model; values[n_train:] is the held-out tail
    unit: str                 # "sunspot number" | "ppm"
    step: str                 # "year" | "month"
    period: int               # the seasonal naive's period P, in steps (11 years, 12 months)

    @property
    def n(self) -> int:
        return len(self.values)

    @classmethod
    def from_meta(cls, meta: dict) -> "Series":
        s = meta["series"]
        return cls(s["name"], s["title"], tuple(s["labels"]), np.asarray(s["values"], dtype=float),
                   int(s["n_train"]), s["unit"], s["step"], int(s["period"]))

    def label(self, i: int) -> str:
        """The date of index i, also past the end of the data (the forecast's own future)."""
        if i < self.n:
            return self.labels[i]
        if self.step == "year":
            return str(int(self.labels[-1]) + i - self.n + 1)
        y, m = (int(x) for x in self.labels[-1].split("-"))
        k = (y * 12 + m - 1) + i - self.n + 1
        return f"{k // 12:04d}-{k % 12 + 1:02d}"

    def time(self, i) -> np.ndarray:
        """Index → decimal year (the chart's x axis): 1700.0, 1958.17 (March = 2/12), …; past the end too."""
        i = np.asarray(i, dtype=float)
        y0 = int(self.labels[0].split("-")[0])
        m0 = int(self.labels[0].split("-")[1]) - 1 if self.step == "month" else 0
        return y0 + (m0 + i) / 12 if self.step == "month" else y0 + i


# ----------------------------------------------------------------------------- the model, both ways

@torch.inference_mode()
def _teacher(model: Forecaster, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(x̂ (N + 1,), h (N, H)): x̂[t] predicted from the true x_0..x_{t−1} (NaN for t < first + 1; x̂[N] is
    the forecast past the end), h[t] the state after reading x_t (zeros for t < first)."""
    x = torch.as_tensor(values, dtype=torch.float32)
    z = model.encode(x)[:, None]                                           # (N − first, 1)
    t = torch.arange(model.first, len(x))[:, None]
    z_next, h = model(z, t)                                                # (N − first, 1), (N − first, 1, H)
    pred = np.full(len(x) + 1, np.nan)
    pred[model.first + 1:] = model.decode(z_next[:, 0], x[model.first:]).double().numpy()
    states = np.zeros((len(x), model.hidden_size))
    states[model.first:] = h[:, 0].double().numpy()
    return pred, states


def teacher(model: Forecaster, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The teacher-forced pass (x̂, h) over a whole series, for a caller that keeps it (free_runs' `taught`)."""
    return _teacher(model, values)


def one_step(model: Forecaster, values: np.ndarray) -> np.ndarray:
    """(N,) x̂_t from the true values before t (teacher forcing); NaN where there is nothing before."""
    return _teacher(model, values)[0][:len(values)]


@torch.inference_mode()
def free_runs(model: Forecaster, values: np.ndarray, origins: list[int], horizon: int,
              taught: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray:
    """(len(origins), horizon): from each origin o (the last true value read), x̂_{o+1}, then each next
    forecast from the model's own previous one. All origins run side by side as one batch: the state
    after reading x_o is the teacher-forced pass's h_o, so warming up costs one pass for every origin.
    `taught`: that pass, _teacher(model, values), when the caller already has it (a page caches it)."""
    origins = [int(o) for o in origins]
    if not origins:
        return np.zeros((0, horizon))
    if min(origins) < model.first or max(origins) >= len(values):
        raise ValueError(f"an origin must lie in [{model.first}, {len(values) - 1}]")
    pred, states = taught if taught is not None else _teacher(model, values)
    x = torch.as_tensor(values, dtype=torch.float32)
    o = torch.tensor(origins)
    h = torch.as_tensor(states[origins], dtype=torch.float32)[None]        # (1, B, H): the state after x_o
    x_now = torch.as_tensor(pred[[i + 1 for i in origins]], dtype=torch.float32)   # x̂_{o+1}, (B,)
    x_prev = x[o]                                                          # x_o
    out = np.empty((len(origins), horizon))
    for k in range(horizon):
        out[:, k] = x_now.double().numpy()
        if k == horizon - 1:
            break
        # feed x̂_{o+k+1} back as if it were true; for differences the step is x̂_{o+k+1} − x_{o+k}
        pair = torch.stack([x_prev, x_now])                                # (2, B)
        z = model.encode(pair)[-1:]                                        # (1, B)
        z_next, h_seq = model(z, (o + k + 1)[None], h)
        h = h_seq[-1:]                                                     # (1, B, H)
        x_prev, x_now = x_now, model.decode(z_next[0], x_now)
    return out


def free_run(model: Forecaster, values: np.ndarray, origin: int, horizon: int,
             taught: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray:
    """(horizon,) x̂_{o+1..o+horizon}, the model's own forecasts fed back."""
    return free_runs(model, values, [origin], horizon, taught)[0]


# ----------------------------------------------------------------------------- the baselines

def naive(values: np.ndarray, origin: int, horizon: int) -> np.ndarray:
    """The last value, carried forward: x̂_{o+k} = x_o."""
    return np.full(horizon, float(values[origin]))


def seasonal_naive(values: np.ndarray, origin: int, horizon: int, period: int) -> np.ndarray:
    """The value one season before, from the data the origin can see: x̂_{o+k} = x_{o+k−P⌈k/P⌉}."""
    k = np.arange(1, horizon + 1)
    return np.asarray(values, dtype=float)[origin + k - period * np.ceil(k / period).astype(int)]


def rmse(errors: np.ndarray) -> float:
    errors = np.asarray(errors, dtype=float)
    return float(np.sqrt(np.mean(errors ** 2))) if errors.size else math.nan


@dataclass(frozen=True)
class Curve:
    horizons: np.ndarray       # (K,) 1..K
    model: np.ndarray          # (K,) RMSE of the free-running model at each horizon (k = 1: one step ahead)
    naive: np.ndarray          # (K,) the last value
    seasonal: np.ndarray       # (K,) the value one season before
    origins: np.ndarray        # (K,) how many origins each RMSE averages over


def tail_origins(s: Series, k: int) -> list[int]:
    """The origins whose k-step target lies in the held-out tail: o + k ∈ [n_train, N)."""
    return list(range(max(s.n_train - k, s.period), s.n - k))


def horizon_curve(model: Forecaster, s: Series, max_horizon: int) -> Curve:
    """RMSE over the held-out tail at every horizon 1..max_horizon (each horizon averages over its own
    origins O_k = tail_origins(s, k): every forecast whose target is a held-out value)."""
    ks = np.arange(1, max_horizon + 1)
    all_origins = sorted(set().union(*(tail_origins(s, k) for k in ks)))
    runs = dict(zip(all_origins, free_runs(model, s.values, all_origins, max_horizon)))
    m, nv, sn, count = [], [], [], []
    for k in ks:
        os_ = tail_origins(s, k)
        truth = s.values[[o + k for o in os_]]
        m.append(rmse(np.array([runs[o][k - 1] for o in os_]) - truth))
        nv.append(rmse(s.values[os_] - truth))
        sn.append(rmse(np.array([seasonal_naive(s.values, o, k, s.period)[-1] for o in os_]) - truth))
        count.append(len(os_))
    return Curve(ks, np.array(m), np.array(nv), np.array(sn), np.array(count))


# ----------------------------------------------------------------------------- one origin, one horizon

def origin_index(s: Series, year: int) -> int:
    """The index of the origin the page's slider names: that year for yearly data, its December for monthly."""
    y0 = int(s.labels[0].split("-")[0])
    if s.step == "year":
        return int(year) - y0
    m0 = int(s.labels[0].split("-")[1]) - 1
    return (int(year) - y0) * 12 + 11 - m0


@dataclass(frozen=True)
class Forecast:
    origin: int                # the last true value the forecast may read
    horizon: int
    targets: np.ndarray        # (horizon,) indices o+1..o+horizon (some may lie past the end)
    free: np.ndarray           # (horizon,) the model, free running
    naive: np.ndarray          # (horizon,)
    seasonal: np.ndarray       # (horizon,)
    truth: np.ndarray          # (horizon,) the true values, NaN past the end of the data
    n_truth: int               # how many targets have a true value
    in_training: int           # how many targets lie in the training part (the model has seen them)

    def errors(self) -> dict[str, float]:
        """RMSE over the targets that have a true value (NaN when none has)."""
        k = self.n_truth
        return {name: rmse(pred[:k] - self.truth[:k]) for name, pred in
                (("free", self.free), ("naive", self.naive), ("seasonal", self.seasonal))}

    def first(self, horizon: int) -> "Forecast":
        """The same forecast cut to its first `horizon` steps: each step of a free run depends only on those
        before it, so it is exactly forecast(..., horizon) (a page computes the longest once per origin)."""
        k = int(min(max(1, horizon), self.horizon))
        # the targets rise one by one: those with a truth, and those in the training part, come first
        return Forecast(self.origin, k, self.targets[:k], self.free[:k], self.naive[:k], self.seasonal[:k],
                        self.truth[:k], min(self.n_truth, k), min(self.in_training, k))


def forecast(model: Forecaster, s: Series, origin: int, horizon: int,
             taught: tuple[np.ndarray, np.ndarray] | None = None) -> Forecast:
    """The model's free run and both baselines from `origin` for `horizon` steps; past the end of the data
    there is no truth (NaN) but the forecast goes on (the calendar of a future month is known). `taught`:
    the teacher-forced pass over the series, when the caller has it (free_runs)."""
    origin = int(min(max(origin, max(model.first, s.period)), s.n - 1))
    horizon = int(max(1, horizon))
    targets = np.arange(origin + 1, origin + horizon + 1)
    truth = np.full(horizon, np.nan)
    n_truth = int(max(0, min(horizon, s.n - 1 - origin)))
    truth[:n_truth] = s.values[origin + 1:origin + 1 + n_truth]
    return Forecast(origin, horizon, targets, free_run(model, s.values, origin, horizon, taught),
                    naive(s.values, origin, horizon), seasonal_naive(s.values, origin, horizon, s.period),
                    truth, n_truth, int(np.sum(targets < s.n_train)))


