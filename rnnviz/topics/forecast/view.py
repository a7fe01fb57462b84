"""Forecasting: a GRU predicts a real series (sunspots, CO₂) one step ahead and free running, against naive baselines.

The page (main) and its cached calls: each shipped model and its series (from the manifest entry) are loaded
once per process and shared read-only; the one-step pass, the horizon curves and each origin's forecast are
pure results, cached by their few numbers.
"""
from __future__ import annotations

import numpy as np
import streamlit as st

from rnnviz import ui
from rnnviz.topics.forecast import TOPIC, compute, figures, words
from rnnviz.ui.cache import MB, bounded, pretrained_model

MODELS = ("sunspots", "co2")


@st.cache_resource(max_entries=len(MODELS), show_spinner=False)
def series(name: str) -> compute.Series:
    _, meta = pretrained_model(name)
    return compute.Series.from_meta(meta)


# the teacher-forced pass over a whole series (x̂ and the states h, ~600 × H numbers): ~0.2 MB each
@bounded(max_entries=len(MODELS), max_bytes=4 * MB)
def taught(name: str) -> tuple[np.ndarray, np.ndarray]:
    """One pass over the true series: the one-step forecasts, and the state each origin's free run starts from."""
    model, _ = pretrained_model(name)
    return compute.teacher(model, series(name).values)


# worst entries: 0.005 MB each (the whole series, horizons up to 120): the entries' bounds hold first
@bounded(max_entries=4, max_bytes=1 * MB)
def one_step(name: str) -> np.ndarray:
    return taught(name)[0][:series(name).n]


@bounded(max_entries=8, max_bytes=1 * MB)
def curve(name: str, max_horizon: int) -> compute.Curve:
    model, _ = pretrained_model(name)
    return compute.horizon_curve(model, series(name), max_horizon)


# worst entry ~0.006 MB (120 steps × 6 arrays): 256 entries hold in 2 MB
@bounded(max_entries=256, max_bytes=2 * MB)
def longest(name: str, origin: int) -> compute.Forecast:
    """The forecast from `origin` as far as the page's horizon slider goes: computed once per origin."""
    model, _ = pretrained_model(name)
    return compute.forecast(model, series(name), origin, LONGEST[name], taught(name))


def forecast(name: str, origin: int, horizon: int) -> compute.Forecast:
    """The forecast from `origin` for `horizon` steps: the longest one, cut (a horizon move computes nothing)."""
    if horizon > LONGEST[name]:                                 # beyond the slider: computed as asked
        model, _ = pretrained_model(name)
        return compute.forecast(model, series(name), origin, horizon, taught(name))
    return longest(name, origin).first(horizon)


def answer(name: str) -> tuple[int, str]:
    model, _ = pretrained_model(name)
    return words.answer(model, series(name))


SERIES = ui.Choice("series", "Series", MODELS, "sunspots", horizontal=True, help=words.HELP["series"])
YEAR = ui.Slider("year", "Forecast from (the last year the model reads)", 1720, 2008, 1978, help=words.HELP["year"])
YEARS = ui.Slider("years", "Horizon (years ahead)", 1, 40, 11, help=words.HELP["years"])
FROM = ui.Slider("from", "Forecast from (December of this year)", 1960, 2001, 1996, help=words.HELP["from"])
MONTHS = ui.Slider("months", "Horizon (months ahead)", 1, 120, 24, help=words.HELP["months"])
ONESTEP = ui.Toggle("onestep", "One-step dots", True, help=words.HELP["onestep"])
CONTROLS = [SERIES, YEAR, YEARS, FROM, MONTHS, ONESTEP]
LONGEST = {"sunspots": YEARS.max, "co2": MONTHS.max}      # the longest horizon each series' slider offers
HEIGHT = {False: 380, True: 330}    # the forecast chart's: on a laptop, and on a projector (larger type, 720 px)
HORIZON = "fc_horizon"              # the lazy expander whose chart marks this view's horizon (tests open it)


def main() -> None:
    """The page: run by pages/13_Forecasting.py on every rerun. Its main view (a fragment): the series, the
    origin, the horizon and the one-step dots beside the forecast they change, this forecast's errors under it;
    then the held-out scores and the question, what to try, and the deeper parts in lazy expanders."""
    lead, rest = ui.stage.lead(words.INTRO)
    ui.page_setup(TOPIC, intro=lead)

    with ui.boundary():
        ui.stage.page_drawn("forecast", None)
        # The series and the one-step dots are drawn here (rarer moves, which rerun the page), the origin, the
        # horizon and what they change in the fragment: a move of either re-sends two sliders, the chart, its
        # errors and their sentence, nothing else.
        controls, chart = ui.stage.main_view("forecast", ratio=(1, 3))
        picked = ui.render([SERIES], where=controls)["series"]
        sliders = controls.container()
        onestep = ui.render([ONESTEP], where=controls)["onestep"]
        shown = main_view(picked, onestep, sliders, chart)
        if shown is None:                      # the model is missing: the main view said so
            return
        name, horizon = shown
        ui.stage.page_drawn("forecast", drawn(name, horizon))      # what the rest of the page below draws

        model, meta = pretrained_model(name)
        s, m = series(name), meta["metrics"]
        max_h = meta["hyper"]["max_horizon"]
        st.caption(words.scores(meta, s, ui.revealed()))      # its free-running part answers the question
        # asked before the horizon chart, which shows its answer
        ui.predict_reveal(words.question(s, curve(name, max_h).model[0]), words.ANSWERS, lambda: answer(name))
        ui.experiments(words.PRESETS, CONTROLS, show="forecast")

        more = ui.stage.deeper("Error against the horizon, over the whole held-out tail", HORIZON,
                               icon=":material/show_chart:")
        if more.open:
            ui.chart(more, figures.horizon_chart(s, curve(name, max_h), horizon), key="horizon",
                     summary=words.horizon_said(curve(name, max_h), s, ui.revealed()))
            more.caption(words.horizon_note(curve(name, max_h), s))
        ways = ui.stage.deeper("What to look at, and the two ways to feed a forecaster", "fc_ways",
                               icon=":material/alt_route:")
        if ways.open:
            ways.markdown(words.LOOK)
            left, right = ways.columns([3, 2])
            ui.chart(left, figures.feeding_diagram(), key="diagram", summary="Two ways to feed the same model: one "
                     "step ahead reads the true value x_t at every step; free running feeds its own forecast x̂ back in.")
            right.markdown(words.TWO_WAYS)

        eqs = ui.stage.deeper("The equations, with this model's numbers", "fc_equations", icon=":material/functions:")
        if eqs.open:
            with eqs:
                st.markdown("What the model reads and how its output becomes a forecast (μ, σ from the training part):")
                for eq in words.model_equations(model):
                    st.latex(eq)
                st.markdown("The two ways to feed it, and how the page scores them (over the origins O_k of the tail):")
                for eq in words.EQUATIONS:
                    st.latex(eq)

        data = ui.stage.deeper("Where the data come from, and the model", "fc_data", icon=":material/inventory_2:")
        if data.open:
            with data:
                d = meta["data"]
                st.markdown(f"**Data.** {d['source']}. Trained on {d['train']}; held out: {d['held_out']}. "
                            f"Resampling: {d['resampling']}.")
                if s.step == "month":
                    st.caption("Months filled by interpolation (no weekly reading at all): "
                               + ", ".join(s.labels[i] for i in meta["series"]["filled"]) + ".")
                h = meta["hyper"]
                st.markdown(f"**Model.** One GRU layer of {model.hidden_size} units and a linear read-out, "
                            f"{meta['parameters']:,} parameters, trained one step ahead (teacher forcing) on random "
                            f"windows of {h['window']} {s.step}s for {h['steps']:,} steps. Rebuilt by "
                            f"`{meta['command']}` in {meta['minutes']:.1f} minutes on a CPU; the weights are checked "
                            f"against their sha256 before loading. Fit on the training part, one step ahead: RMSE "
                            f"{m['train_rmse_1']:.3g} {s.unit} (held out: {m['rmse_1']:.3g}).")
        ui.stage.about(rest, "fc_about")


def drawn(name: str, horizon: int) -> tuple:
    """What the page below the main view draws from the main view's settings: the series always (the scores,
    the question), the horizon only while the horizon chart (which marks it) is open."""
    return name, (horizon if st.session_state.get(HORIZON) else None)


@ui.fragment
def main_view(name: str, onestep: bool, controls, chart) -> tuple[str, int] | None:
    """The origin and the horizon (in `controls`) and the forecast they change, with this forecast's errors
    under it (in `chart`). A fragment: moving the origin or the horizon reruns and re-sends this part alone;
    the series and the one-step dots are chosen by the page (a move of theirs reruns it) and come in as
    arguments; a horizon the open horizon chart marks reruns the page, so nothing below is left stale."""
    with ui.boundary("main view"):
        origin_c, horizon_c = (YEAR, YEARS) if name == "sunspots" else (FROM, MONTHS)
        v = ui.render([origin_c, horizon_c], where=controls)
        ui.stage.follow_page("forecast", drawn(name, v[horizon_c.key]), True)

        with chart:
            ui.pretrained_or_stop(name, "The forecasting demo")      # a message, and the page stops
        s = series(name)
        f = forecast(name, compute.origin_index(s, v[origin_c.key]), v[horizon_c.key])
        for note in words.notes(s, f):
            with controls:
                ui.problem(note)
        ui.chart(chart, figures.forecast_chart(s, f, one_step(name) if onestep else None, s.title,
                                               height=HEIGHT[ui.frame.presenting()]),
                 key="forecast", summary=words.forecast_said(s, f))

        e = f.errors()
        cols = chart.columns(4)
        cols[0].metric(f"Forecasts scored (of {f.horizon})", f"{f.n_truth}")
        for col, (label, key) in zip(cols[1:], (("Model, free running", "free"), ("Naive", "naive"),
                                                ("Seasonal naive", "seasonal"))):
            col.metric(f"{label}: RMSE", "no truth" if f.n_truth == 0 else f"{e[key]:.3g}")
        chart.caption(f"RMSE in {s.unit}, of this one forecast from {s.label(f.origin)} for {f.horizon} {s.step}s; "
                      "a single forecast can be lucky. The horizon chart below averages over every origin of the "
                      "held-out tail.")
        return name, f.horizon
