"""Forecasting: a GRU predicts a real series (sunspots, CO₂) one step ahead and free running, against naive baselines."""
import streamlit as st

from rnnviz import ui
from rnnviz.topics.forecast import figures as figs
from rnnviz.topics.forecast import compute as lesson
from rnnviz.topics.forecast import view_parts as cached
from rnnviz.topics.forecast import TOPIC


def main() -> None:
    """The page: run by pages/13_Forecasting.py on every rerun."""
    ui.page_setup(TOPIC, intro=lesson.INTRO)

    with ui.boundary():
        SERIES = ui.Choice("series", "Series", cached.MODELS, "sunspots", horizontal=True,
                           help="sunspots: the yearly mean sunspot number, 1700–2008 (an ~11-year cycle of varying height). "
                                "co2: carbon dioxide at Mauna Loa, monthly means 1958–2001 (a rising trend and a yearly wave).")
        YEAR = ui.Slider("year", "Forecast from (the last year the model reads)", 1720, 2008, 1978,
                         help="The origin: the model reads the true sunspot numbers up to and including this year, then "
                              "forecasts on its own. From 1979 on the data were held out of training.")
        YEARS = ui.Slider("years", "Horizon (years ahead)", 1, 40, 11,
                          help="How many years the model forecasts from the origin, each from its own previous forecast. "
                               "Past 2008 there is no truth to compare with: it still forecasts, and says so.")
        FROM = ui.Slider("from", "Forecast from (December of this year)", 1960, 2001, 1996,
                         help="The origin: the model reads the true monthly CO₂ up to December of this year, then forecasts "
                              "on its own. From January 1997 on the data were held out of training.")
        MONTHS = ui.Slider("months", "Horizon (months ahead)", 1, 120, 24,
                           help="How many months the model forecasts from the origin, each from its own previous forecast. "
                                "Past December 2001 there is no truth to compare with: it still forecasts, and says so.")
        ONESTEP = ui.Toggle("onestep", "One-step dots", True,
                            help="Green dots: for every year or month, the model's forecast given the TRUE value before it "
                                 "(teacher forcing). They show how good it is when it never has to trust itself.")
        CONTROLS = [SERIES, YEAR, YEARS, FROM, MONTHS, ONESTEP]

        top = st.columns([1.2, 2, 2, 1.3], vertical_alignment="bottom")
        name = ui.render([SERIES], where=top[0])["series"]
        origin_c, horizon_c = (YEAR, YEARS) if name == "sunspots" else (FROM, MONTHS)
        v = ui.render([origin_c], where=top[1]) | ui.render([horizon_c], where=top[2]) | ui.render([ONESTEP], where=top[3])

        model, meta = ui.pretrained_or_stop(name, "The forecasting demo")
        s, m = cached.series(name), meta["metrics"]
        k, unit = m["horizon"], s.unit
        st.caption(f"Held-out tail ({meta['data']['held_out']}), RMSE in {unit}: one step ahead the model is "
                   f"**{m['rmse_1']:.3g}**, the naive forecast (last value) {m['naive_rmse_1']:.3g}, the seasonal naive "
                   f"({s.period} {s.step}s before) {m['seasonal_naive_rmse_1']:.3g}. Free running {k} {s.step}s ahead: model "
                   f"**{m[f'rmse_{k}']:.3g}**, naive {m[f'naive_rmse_{k}']:.3g}, seasonal naive "
                   f"{m[f'seasonal_naive_rmse_{k}']:.3g}.")

        f = cached.forecast(name, lesson.origin_index(s, v[origin_c.key]), v[horizon_c.key])
        for note in lesson.notes(s, f):
            ui.problem(note)
        ui.chart(st, figs.forecast_chart(s, f, cached.one_step(name) if v["onestep"] else None, s.title), key="forecast")
        st.markdown(lesson.LOOK)

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
        ui.predict_reveal(lesson.question(s, cached.curve(name, max_h).model[0]), lesson.ANSWERS,
                          lambda: cached.answer(name))

        st.subheader("Error against the horizon, over the whole held-out tail")
        left, right = st.columns([3, 2])
        ui.chart(left, figs.horizon_chart(s, cached.curve(name, max_h), f.horizon), key="horizon")
        left.caption(lesson.horizon_note(cached.curve(name, max_h), s))
        ui.chart(right, figs.feeding_diagram(), key="diagram", summary="Two ways to feed the same model: one step "
                 "ahead reads the true value x_t at every step; free running feeds its own forecast x̂ back in.")
        right.markdown(lesson.TWO_WAYS)

        with st.expander("The equations, with this model's numbers", icon=":material/functions:"):
            st.markdown("What the model reads and how its output becomes a forecast (μ, σ from the training part):")
            for eq in lesson.model_latex(model):
                st.latex(eq)
            st.markdown("The two ways to feed it, and how the page scores them (over the origins O_k of the tail):")
            for eq in (lesson.TEACHER_LATEX, lesson.FREE_LATEX, lesson.NAIVE_LATEX, lesson.RMSE_LATEX):
                st.latex(eq)

        ui.experiments(lesson.PRESETS, CONTROLS)

        with st.expander("Where the data come from, and the model", icon=":material/inventory_2:"):
            d = meta["data"]
            st.markdown(f"**Data.** {d['source']}. Trained on {d['train']}; held out: {d['held_out']}. "
                        f"Resampling: {d['resampling']}.")
            if s.step == "month":
                st.caption("Months filled by interpolation (no weekly reading at all): "
                           + ", ".join(s.labels[i] for i in meta["series"]["filled"]) + ".")
            h = meta["hyper"]
            st.markdown(f"**Model.** One GRU layer of {model.hidden_size} units and a linear read-out, "
                        f"{meta['parameters']:,} parameters, trained one step ahead (teacher forcing) on random windows "
                        f"of {h['window']} {s.step}s for {h['steps']:,} steps. Rebuilt by `{meta['command']}` in "
                        f"{meta['minutes']:.1f} minutes on a CPU; the weights are checked against their sha256 before "
                        f"loading. Fit on the training part, one step ahead: RMSE {m['train_rmse_1']:.3g} {unit} (held "
                        f"out: {m['rmse_1']:.3g}).")
