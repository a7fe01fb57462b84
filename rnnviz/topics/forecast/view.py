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


# worst entries: 0.005 MB each (the whole series, horizons up to 120): the entries' bounds hold first
@bounded(max_entries=4, max_bytes=1 * MB)
def one_step(name: str) -> np.ndarray:
    model, _ = pretrained_model(name)
    return compute.one_step(model, series(name).values)


@bounded(max_entries=8, max_bytes=1 * MB)
def curve(name: str, max_horizon: int) -> compute.Curve:
    model, _ = pretrained_model(name)
    return compute.horizon_curve(model, series(name), max_horizon)


@bounded(max_entries=256, max_bytes=2 * MB)
def forecast(name: str, origin: int, horizon: int) -> compute.Forecast:
    model, _ = pretrained_model(name)
    return compute.forecast(model, series(name), origin, horizon)


def answer(name: str) -> tuple[int, str]:
    model, _ = pretrained_model(name)
    return words.answer(model, series(name))


def main() -> None:
    """The page: run by pages/13_Forecasting.py on every rerun."""
    ui.page_setup(TOPIC, intro=words.INTRO)

    with ui.boundary():
        SERIES = ui.Choice("series", "Series", MODELS, "sunspots", horizontal=True, help=words.HELP["series"])
        YEAR = ui.Slider("year", "Forecast from (the last year the model reads)", 1720, 2008, 1978,
                         help=words.HELP["year"])
        YEARS = ui.Slider("years", "Horizon (years ahead)", 1, 40, 11, help=words.HELP["years"])
        FROM = ui.Slider("from", "Forecast from (December of this year)", 1960, 2001, 1996, help=words.HELP["from"])
        MONTHS = ui.Slider("months", "Horizon (months ahead)", 1, 120, 24, help=words.HELP["months"])
        ONESTEP = ui.Toggle("onestep", "One-step dots", True, help=words.HELP["onestep"])
        CONTROLS = [SERIES, YEAR, YEARS, FROM, MONTHS, ONESTEP]

        top = st.columns([1.2, 2, 2, 1.3], vertical_alignment="bottom")
        name = ui.render([SERIES], where=top[0])["series"]
        origin_c, horizon_c = (YEAR, YEARS) if name == "sunspots" else (FROM, MONTHS)
        v = (ui.render([origin_c], where=top[1]) | ui.render([horizon_c], where=top[2])
             | ui.render([ONESTEP], where=top[3]))

        model, meta = ui.pretrained_or_stop(name, "The forecasting demo")
        s, m = series(name), meta["metrics"]
        k, unit = m["horizon"], s.unit
        st.caption(words.scores(meta, s, ui.revealed()))      # its free-running part answers the question

        f = forecast(name, compute.origin_index(s, v[origin_c.key]), v[horizon_c.key])
        for note in words.notes(s, f):
            ui.problem(note)
        ui.chart(st, figures.forecast_chart(s, f, one_step(name) if v["onestep"] else None, s.title), key="forecast",
                 summary=words.forecast_said(s, f))
        st.markdown(words.LOOK)

        e = f.errors()
        cols = st.columns(4)
        cols[0].metric(f"Forecasts scored (of {f.horizon})", f"{f.n_truth}")
        for col, (label, key) in zip(cols[1:], (("Model, free running", "free"), ("Naive", "naive"),
                                                ("Seasonal naive", "seasonal"))):
            col.metric(f"{label}: RMSE", "no truth" if f.n_truth == 0 else f"{e[key]:.3g}")
        st.caption(f"RMSE in {unit}, of this one forecast from {s.label(f.origin)} for {f.horizon} {s.step}s; "
                   "a single forecast can be lucky. The horizon chart below averages over every origin of the held-out "
                   "tail.")

        max_h = meta["hyper"]["max_horizon"]
        # asked before the horizon chart, which shows its answer
        ui.predict_reveal(words.question(s, curve(name, max_h).model[0]), words.ANSWERS, lambda: answer(name))

        st.subheader("Error against the horizon, over the whole held-out tail")
        left, right = st.columns([3, 2])
        ui.chart(left, figures.horizon_chart(s, curve(name, max_h), f.horizon), key="horizon",
                 summary=words.horizon_said(curve(name, max_h), s, ui.revealed()))
        left.caption(words.horizon_note(curve(name, max_h), s))
        ui.chart(right, figures.feeding_diagram(), key="diagram", summary="Two ways to feed the same model: one step "
                 "ahead reads the true value x_t at every step; free running feeds its own forecast x̂ back in.")
        right.markdown(words.TWO_WAYS)

        with st.expander("The equations, with this model's numbers", icon=":material/functions:"):
            st.markdown("What the model reads and how its output becomes a forecast (μ, σ from the training part):")
            for eq in words.model_equations(model):
                st.latex(eq)
            st.markdown("The two ways to feed it, and how the page scores them (over the origins O_k of the tail):")
            for eq in words.EQUATIONS:
                st.latex(eq)

        ui.experiments(words.PRESETS, CONTROLS, show="forecast")

        with st.expander("Where the data come from, and the model", icon=":material/inventory_2:"):
            d = meta["data"]
            st.markdown(f"**Data.** {d['source']}. Trained on {d['train']}; held out: {d['held_out']}. "
                        f"Resampling: {d['resampling']}.")
            if s.step == "month":
                st.caption("Months filled by interpolation (no weekly reading at all): "
                           + ", ".join(s.labels[i] for i in meta["series"]["filled"]) + ".")
            h = meta["hyper"]
            st.markdown(f"**Model.** One GRU layer of {model.hidden_size} units and a linear read-out, "
                        f"{meta['parameters']:,} parameters, trained one step ahead (teacher forcing) on random "
                        f"windows of {h['window']} {s.step}s for {h['steps']:,} steps. Rebuilt by `{meta['command']}` "
                        f"in {meta['minutes']:.1f} minutes on a CPU; the weights are checked against their sha256 "
                        f"before loading. Fit on the training part, one step ahead: RMSE {m['train_rmse_1']:.3g} "
                        f"{unit} (held out: {m['rmse_1']:.3g}).")
