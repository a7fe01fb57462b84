"""What the Forecasting page says: the intro, the controls' help, what to look at, the presets, the question
and its answer, the equations, and the notes written from a forecast or a horizon curve.

Fixed texts are constants (INTRO, HELP, PRESETS, ANSWERS, EQUATIONS, …); a text that quotes the model or the
data is a function of it, every number computed, never assumed (tests/topics/forecast/ hold them).
"""
from __future__ import annotations

import numpy as np

from rnnviz.topics.forecast.model import Forecaster
from rnnviz.topics.forecast import compute

INTRO = ("**Many-to-many, aligned, on numbers.** A small GRU reads a real time series one value at a time and, "
         "after each, predicts the next. Trained that way (*one step ahead*, always given the true past), it can "
         "also forecast further: feed it **its own forecast** as if it were the next true value, and again, and "
         "again (*free running*). Errors then feed on themselves. Compare both with the simplest forecasts there "
         "are: the last value (**naive**) and the value one season before (**seasonal naive**).")
HELP = {
    "series": "sunspots: the yearly mean sunspot number, 1700–2008 (an ~11-year cycle of varying height). "
              "co2: carbon dioxide at Mauna Loa, monthly means 1958–2001 (a rising trend and a yearly wave).",
    "year": "The origin: the model reads the true sunspot numbers up to and including this year, then "
            "forecasts on its own. From 1979 on the data were held out of training.",
    "years": "How many years the model forecasts from the origin, each from its own previous forecast. "
             "Past 2008 there is no truth to compare with: it still forecasts, and says so.",
    "from": "The origin: the model reads the true monthly CO₂ up to December of this year, then forecasts "
            "on its own. From January 1997 on the data were held out of training.",
    "months": "How many months the model forecasts from the origin, each from its own previous forecast. "
              "Past December 2001 there is no truth to compare with: it still forecasts, and says so.",
    "onestep": "Green dots: for every year or month, the model's forecast given the TRUE value before it "
               "(teacher forcing). They show how good it is when it never has to trust itself.",
}
LOOK = ("**What to look at.** Left of the origin line the model has read the true series; right of it the purple "
        "line is its free run, each point computed from its previous forecast. The green dots are one-step "
        "forecasts: each is given the true value before it, so they cannot drift. Does the purple line keep the "
        "rhythm (the 11-year sunspot cycle, the yearly CO₂ breath) or flatten out? Where does it beat the grey "
        "naive line?")
TWO_WAYS = ("**One step ahead (teacher forcing)**: every input is the true previous value, so a mistake never "
            "becomes an input: the next step reads the truth again (the hidden state, which led to the mistake, "
            "still carries on). **Free running**: from the origin on, every input is the model's own previous "
            "forecast; a mistake is read as truth and carried along. At horizon 1 both are the same forecast.")


def notes(s: compute.Series, f: compute.Forecast) -> list[str]:
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


def horizon_note(c: compute.Curve, s: compute.Series) -> str:
    """Under the horizon chart: what each point averages, with the counts read off the curve."""
    counts = sorted(set(int(n) for n in c.origins))
    many = (f"the same {counts[0]} forecasts' worth at every horizon: as the horizon grows, the origins move back "
            "so that the targets stay in the tail" if len(counts) == 1 else
            f"from {int(c.origins[0])} forecasts at horizon 1 to {int(c.origins[-1])} at {len(c.origins)}")
    return (f"Each point is the RMSE over every forecast of that many {s.step}s whose target lies in the held-out "
            f"tail ({many}). At horizon 1 the free run *is* the one-step forecast.")


# ----- the sentences under the charts (a person's words; the numbers computed here, held by tests)

def scores(meta: dict, s: compute.Series, revealed: bool) -> str:
    """The caption over the chart: the held-out scores. How the free run does k steps ahead is the
    question's answer, so it waits for the reveal (ui.revealed)."""
    m, k = meta["metrics"], meta["metrics"]["horizon"]
    out = (f"Held-out tail ({meta['data']['held_out']}), RMSE in {s.unit}: one step ahead the model is "
           f"**{m['rmse_1']:.3g}**, the naive forecast (last value) {m['naive_rmse_1']:.3g}, the seasonal naive "
           f"({s.period} {s.step}s before) {m['seasonal_naive_rmse_1']:.3g}.")
    if not revealed:
        return out + " How it does running free, further ahead: answer the question below first."
    return out + (f" Free running {k} {s.step}s ahead: model **{m[f'rmse_{k}']:.3g}**, naive "
                  f"{m[f'naive_rmse_{k}']:.3g}, seasonal naive {m[f'seasonal_naive_rmse_{k}']:.3g}.")


def forecast_said(s: compute.Series, f: compute.Forecast) -> str:
    """Under the forecast chart: where the free run starts, and its largest miss (or that there is no truth)."""
    start = f"The model reads the true series up to {s.label(f.origin)}, then forecasts {f.horizon} {s.step}" \
            f"{'s' if f.horizon != 1 else ''} on its own, each forecast fed back as its next input"
    if f.n_truth == 0:
        return start + f": past {s.label(s.n - 1)} there is no truth to score it against, only its guess."
    miss = np.abs(f.free[:f.n_truth] - f.truth[:f.n_truth])
    worst = int(np.argmax(miss))
    gone = "" if f.n_truth == f.horizon else f" ({f.horizon - f.n_truth} of them past the end of the data)"
    return start + (f"{gone}: it misses most in {s.label(int(f.targets[worst]))}, by {miss[worst]:.3g} ({s.unit}).")


def horizon_said(c: compute.Curve, s: compute.Series, revealed: bool) -> str:
    """Under the horizon chart (its answer to the question once revealed): the free run's error at the
    first and the last horizon, read off the curve."""
    if not revealed:
        return (f"The error of the free run, and of both naive forecasts, at every horizon from 1 to "
                f"{len(c.model)} {s.step}s, averaged over the held-out tail: answer the question above first, "
                "then read it.")
    return (f"Running free, the model's error grows from {c.model[0]:.3g} {s.unit} one {s.step} ahead to "
            f"{c.model[-1]:.3g} at {len(c.model)} {s.step}s ({c.model[-1] / c.model[0]:.1f}×); the naive "
            f"forecast's ends at {c.naive[-1]:.3g}, the seasonal naive's at {c.seasonal[-1]:.3g}.")


# ----- what to try, and the question

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


def question(s: compute.Series, one_step_rmse: float) -> str:
    k = QUESTION_HORIZON[s.name]
    return (f"On the held-out tail, the model's one-step error is RMSE {one_step_rmse:.3g} {s.unit}. Running free "
            f"(fed its own forecasts), how good is it **{k} {s.step}s ahead**?")


def answer(model: Forecaster, s: compute.Series) -> tuple[int, str]:
    """The predict-then-reveal answer, from the model's own free runs over the held-out tail; how the errors
    change with the horizon is read off the same curves, never assumed."""
    k = QUESTION_HORIZON[s.name]
    c = compute.horizon_curve(model, s, k)
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


# ----- the equations, with this model's numbers

# The two ways to feed the model, and how the page scores them: compute.py does exactly this.
TEACHER_LATEX = r"\hat x_{t+1} = f\big(h_t\big),\quad h_t = \mathrm{GRU}\big(\,\underbrace{x_t}_{\text{true value}},\ h_{t-1}\big)"
FREE_LATEX = (r"\hat x_{o+k+1} = f\big(h_{o+k}\big),\quad h_{o+k} = \mathrm{GRU}\big(\,\underbrace{\hat x_{o+k}}"
              r"_{\text{its own forecast}},\ h_{o+k-1}\big),\ k \ge 1")
RMSE_LATEX = r"\mathrm{RMSE}_k = \sqrt{\tfrac{1}{|O_k|}\textstyle\sum_{o \in O_k} \big(\hat x_{o+k} - x_{o+k}\big)^2}"
NAIVE_LATEX = r"\hat x^{\text{naive}}_{o+k} = x_o,\qquad \hat x^{\text{seasonal}}_{o+k} = x_{o+k-P\lceil k/P\rceil}"
EQUATIONS = (TEACHER_LATEX, FREE_LATEX, NAIVE_LATEX, RMSE_LATEX)         # in the order the page shows them


def model_equations(model: Forecaster) -> list[str]:
    """The model's equations with its own numbers (μ, σ, P), as compute.py computes them."""
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
