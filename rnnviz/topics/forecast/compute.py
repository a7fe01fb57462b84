"""The forecasting demo's computation: a trained GRU predicts a real series one step ahead (teacher forcing)
and many steps ahead (free running), against the naive baselines, over a held-out tail.

    s = Series.from_meta(meta)                     # the values, dates and split shipped in the manifest entry
    one = one_step(model, s.values)                # x̂_t for every t, each from the TRUE values before t
    run = free_run(model, s.values, origin, 12)    # x̂_{o+1..o+12}, each fed the model's own last forecast
    curve = horizon_curve(model, s, 24)            # RMSE at each horizon over the held-out tail: model vs naive
    f = forecast(model, s, origin, horizon)        # everything the page draws for one origin and horizon

Indices are 0-based positions in the series; "origin" o is the last value the forecast may look at.
A forecast at horizon k targets x_{o+k}. Arrays are NumPy float64; the model runs in float32.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch

from rnnviz.topics.forecast.model import Forecaster

# The two rules, written once: the page renders these, and the code below does exactly this.
TEACHER_LATEX = r"\hat x_{t+1} = f\big(h_t\big),\quad h_t = \mathrm{GRU}\big(\,\underbrace{x_t}_{\text{true value}},\ h_{t-1}\big)"
FREE_LATEX = (r"\hat x_{o+k+1} = f\big(h_{o+k}\big),\quad h_{o+k} = \mathrm{GRU}\big(\,\underbrace{\hat x_{o+k}}"
              r"_{\text{its own forecast}},\ h_{o+k-1}\big),\ k \ge 1")
RMSE_LATEX = r"\mathrm{RMSE}_k = \sqrt{\tfrac{1}{|O_k|}\textstyle\sum_{o \in O_k} \big(\hat x_{o+k} - x_{o+k}\big)^2}"
NAIVE_LATEX = r"\hat x^{\text{naive}}_{o+k} = x_o,\qquad \hat x^{\text{seasonal}}_{o+k} = x_{o+k-P\lceil k/P\rceil}"


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


def one_step(model: Forecaster, values: np.ndarray) -> np.ndarray:
    """(N,) x̂_t from the true values before t (teacher forcing); NaN where there is nothing before."""
    return _teacher(model, values)[0][:len(values)]


@torch.inference_mode()
def free_runs(model: Forecaster, values: np.ndarray, origins: list[int], horizon: int) -> np.ndarray:
    """(len(origins), horizon): from each origin o (the last true value read), x̂_{o+1}, then each next
    forecast from the model's own previous one. All origins run side by side as one batch: the state
    after reading x_o is the teacher-forced pass's h_o, so warming up costs one pass for every origin."""
    origins = [int(o) for o in origins]
    if not origins:
        return np.zeros((0, horizon))
    if min(origins) < model.first or max(origins) >= len(values):
        raise ValueError(f"an origin must lie in [{model.first}, {len(values) - 1}]")
    pred, states = _teacher(model, values)
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


def free_run(model: Forecaster, values: np.ndarray, origin: int, horizon: int) -> np.ndarray:
    """(horizon,) x̂_{o+1..o+horizon}, the model's own forecasts fed back."""
    return free_runs(model, values, [origin], horizon)[0]


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


def forecast(model: Forecaster, s: Series, origin: int, horizon: int) -> Forecast:
    """The model's free run and both baselines from `origin` for `horizon` steps; past the end of the data
    there is no truth (NaN) but the forecast goes on (the calendar of a future month is known)."""
    origin = int(min(max(origin, max(model.first, s.period)), s.n - 1))
    horizon = int(max(1, horizon))
    targets = np.arange(origin + 1, origin + horizon + 1)
    truth = np.full(horizon, np.nan)
    n_truth = int(max(0, min(horizon, s.n - 1 - origin)))
    truth[:n_truth] = s.values[origin + 1:origin + 1 + n_truth]
    return Forecast(origin, horizon, targets, free_run(model, s.values, origin, horizon),
                    naive(s.values, origin, horizon), seasonal_naive(s.values, origin, horizon, s.period),
                    truth, n_truth, int(np.sum(targets < s.n_train)))


def notes(s: Series, f: Forecast) -> list[str]:
    """Plain-text remarks about this view (the page shows them as messages): no truth past the end, targets
    the model trained on."""
    out = []
    unit = s.step + "s"
    if f.n_truth < f.horizon:
        said = (f"The data end in {s.labels[-1]}: the last {f.horizon - f.n_truth} of the {f.horizon} forecast "
                f"{unit} have no true value to compare with. The model still forecasts them (it only needs its own "
                "forecasts), but nobody can score them")
        out.append(said + (f"; the errors below use the first {f.n_truth}." if f.n_truth else
                           ": pick an earlier origin to see errors."))
    if f.in_training:
        out.append(f"{f.in_training} of the {f.horizon} forecast {unit} lie in the training part "
                   f"(before {s.labels[s.n_train]}): the model trained on those values one step ahead, so its "
                   "errors there flatter it. The held-out tail is the honest test.")
    return out


def model_latex(model: Forecaster) -> list[str]:
    """The model's equations with its own numbers (μ, σ, P), as the code computes them."""
    mu, sigma = f"{model.offset:.4g}", f"{model.scale:.4g}"
    if model.mode == "difference":
        z = rf"z_t = \dfrac{{(x_t - x_{{t-1}}) - {mu}}}{{{sigma}}}"
        back = rf"\hat x_{{t+1}} = x_t + {mu} + {sigma}\,\hat z_{{t+1}}"
    elif model.transform == "sqrt":
        z = rf"z_t = \dfrac{{\sqrt{{x_t}} - {mu}}}{{{sigma}}}"
        back = rf"\hat x_{{t+1}} = \big(\max(0,\ {mu} + {sigma}\,\hat z_{{t+1}})\big)^2"
    else:
        z = rf"z_t = \dfrac{{x_t - {mu}}}{{{sigma}}}"
        back = rf"\hat x_{{t+1}} = {mu} + {sigma}\,\hat z_{{t+1}}"
    a = (rf"a_t = \big[\,z_t,\ \sin\tfrac{{2\pi\,m_{{t+1}}}}{{{model.period}}},\ \cos\tfrac{{2\pi\,m_{{t+1}}}}"
         rf"{{{model.period}}}\,\big]" if model.period else r"a_t = z_t")
    h = rf"h_t = \mathrm{{GRU}}(a_t,\ h_{{t-1}}) \in \mathbb{{R}}^{{{model.hidden_size}}},\quad \hat z_{{t+1}} = w_y^\top h_t + b_y"
    return [z, a, h, back]


# ----------------------------------------------------------------------------- the page's texts

INTRO = ("**Many-to-many, aligned, on numbers.** A small GRU reads a real time series one value at a time and, "
         "after each, predicts the next. Trained that way (*one step ahead*, always given the true past), it can "
         "also forecast further: feed it **its own forecast** as if it were the next true value, and again, and "
         "again (*free running*). Errors then feed on themselves. Compare both with the simplest forecasts there "
         "are: the last value (**naive**) and the value one season before (**seasonal naive**).")
LOOK = ("**What to look at.** Left of the origin line the model has read the true series; right of it the purple "
        "line is its free run, each point computed from its previous forecast. The green dots are one-step "
        "forecasts: each is given the true value before it, so they cannot drift. Does the purple line keep the "
        "rhythm (the 11-year sunspot cycle, the yearly CO₂ breath) or flatten out? Where does it beat the grey "
        "naive line?")
TWO_WAYS = ("**One step ahead (teacher forcing)**: every input is the true previous value, so a mistake never "
            "becomes an input: the next step reads the truth again (the hidden state, which led to the mistake, "
            "still carries on). **Free running**: from the origin on, every input is the model's own previous "
            "forecast; a mistake is read as truth and carried along. At horizon 1 both are the same forecast.")
def horizon_note(c: Curve, s: Series) -> str:
    """Under the horizon chart: what each point averages, with the counts read off the curve."""
    counts = sorted(set(int(n) for n in c.origins))
    many = (f"the same {counts[0]} forecasts' worth at every horizon: as the horizon grows, the origins move back "
            "so that the targets stay in the tail" if len(counts) == 1 else
            f"from {int(c.origins[0])} forecasts at horizon 1 to {int(c.origins[-1])} at {len(c.origins)}")
    return (f"Each point is the RMSE over every forecast of that many {s.step}s whose target lies in the held-out "
            f"tail ({many}). At horizon 1 the free run *is* the one-step forecast.")

# (button, controls it sets, what to look at); tests/topics/forecast/test_page_forecast.py runs each.
PRESETS = [
    ("Sunspots: one cycle from the last training year", {"series": "sunspots", "year": 1978, "years": 11},
     "The model saw up to 1978. Does its free run find the 1979 and 1989 peaks, and how wide is its miss?"),
    ("Sunspots: past the end of the data", {"series": "sunspots", "year": 2000, "years": 30},
     "A forecast to 2030: after 2008 there is no truth, so no error, only the model's guess of the next cycles."),
    ("CO₂: five years ahead, free running", {"series": "co2", "from": 1996, "months": 60},
     "Every month after 1996 is the model's own forecast fed back: does it keep the seasonal wave and the "
     "upward trend? The naive line stays flat; the seasonal naive repeats the last year it saw, so it falls "
     "one more year behind the trend every year."),
    ("CO₂: one year ahead, one-step dots hidden", {"series": "co2", "from": 1990, "months": 12, "onestep": False},
     "An origin in the training years (1990): the model has seen these months, so this is not a fair test; "
     "compare with the held-out view above."),
]

QUESTION_HORIZON = {"sunspots": 10, "co2": 24}
ANSWERS = ["About as good as one step ahead (less than 1.5× its error)",
           "Clearly worse than one step ahead, but still better than both naive baselines",
           "Worse than one step ahead, and no better than a naive baseline"]


def question(s: Series, one_step_rmse: float) -> str:
    k = QUESTION_HORIZON[s.name]
    return (f"On the held-out tail, the model's one-step error is RMSE {one_step_rmse:.3g} {s.unit}. Running free "
            f"(fed its own forecasts), how good is it **{k} {s.step}s ahead**?")


def answer(model: Forecaster, s: Series) -> tuple[int, str]:
    """The predict-then-reveal answer, from the model's own free runs over the held-out tail; how the errors
    change with the horizon is read off the same curves, never assumed."""
    k = QUESTION_HORIZON[s.name]
    c = horizon_curve(model, s, k)
    m, one, nv, sn = c.model[-1], c.model[0], c.naive[-1], c.seasonal[-1]
    ratio = m / one
    right = 0 if ratio < 1.5 else 1 if m < min(nv, sn) else 2
    out = (f"Over the {c.origins[-1]} held-out forecasts {k} {s.step}s ahead, the free run's RMSE is "
           f"{m:.3g} {s.unit}, {ratio:.1f}× its one-step {one:.3g}; the naive forecast's is {nv:.3g} and the "
           f"seasonal naive's {sn:.3g}. ")
    top = float(np.max(c.model))
    reach = int(np.argmax(c.model >= 0.9 * top)) + 1          # the first horizon within 10 % of the largest error
    if reach > k / 2:                                          # still growing in the second half
        out += f"The free run's error grows with the horizon, from {one:.3g} at 1 to {m:.3g} at {k}"
    else:
        out += (f"The free run's error grows to {c.model[reach - 1]:.3g} by horizon {reach} and then stays near it "
                f"(at most {top:.3g})")
    out += ": every forecast it reads back carries the last one's error."
    dip = int(np.argmax(c.naive))
    if c.naive[-1] < 0.75 * c.naive[dip]:
        out += (f" The naive forecast's error is not monotone: {c.naive[dip]:.3g} at horizon {dip + 1}, "
                f"{nv:.3g} at {k}: the series has come round its cycle again (about {s.period} {s.step}s).")
    return right, out
