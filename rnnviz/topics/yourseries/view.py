"""The "Your series" page: a student's own series (a CSV), a GRU forecaster trained on it live, and the model to
take away.

Top to bottom: the series and the settings beside the live view (before training: the series and what the naive
forecasts miss by; while training: the held-out error as it learns; at the end: the forecasts against the truth
and every baseline); then the model to download or load back; the question. The file lives in this session
only (never in the URL, never on disk); the settings are in the URL. The training runs in a process of its own
(rnnviz.ui.training: one per student, queued when the server is busy, bounded, ended with the session).
"""
from __future__ import annotations


import streamlit as st

from rnnviz import ui
from rnnviz.shared import bundle
from rnnviz.topics.yourseries import TOPIC, figures, learn, words
from rnnviz.topics.yourseries import data as seriesdata
from rnnviz.topics.yourseries import verdict as v
from rnnviz.ui import own_data, training

RUN = "yourseries_run"             # the session's run (ui.training keeps it)
READ = "_yourseries_read"          # the CSV, read once per new file (ui.own_data.checked)
VERDICT = "_yourseries_verdict"    # (the model it is for, Verdict): computed once per finished run or loaded model
LOADED = "_yourseries_loaded"      # the uploaded model file, read (ui.own_data.loaded_model)
FILE_MB = seriesdata.MAX_BYTES // 2 ** 20
EXAMPLES = tuple(seriesdata.EXAMPLES)

SOURCE = ui.Choice("source", "Series", ("example", "file"), "example", horizontal=True, help=words.HELP["source"])
EXAMPLE = ui.Choice("example", "Example", EXAMPLES, EXAMPLES[0], help=words.HELP["source"])
MODEL = [ui.Choice("hidden", "Units", tuple(str(h) for h in learn.SIZES), "32", help=words.HELP["hidden"]),
         ui.Choice("seconds", "Seconds", tuple(str(s) for s in learn.SECONDS), "20", help=words.HELP["seconds"])]
CONTROLS = [SOURCE, EXAMPLE, *MODEL]


def the_file(source: str, where) -> bytes | None:
    if source == "example":
        return seriesdata.EXAMPLES[ui.render([EXAMPLE], where=where)["example"]]
    up = where.file_uploader("A CSV file", key="yourseries_file", type=["csv", "txt", "tsv"], max_upload_size=FILE_MB,
                             help="One column of numbers, or a date (or label) column and a column of numbers; up "
                                  f"to {seriesdata.MAX_ROWS:,} rows and {FILE_MB} MB. Missing values are filled in "
                                  "(and said).")
    return None if up is None else up.getvalue()


def main() -> None:
    ui.page_setup(TOPIC, intro=words.LEAD)
    with ui.boundary():
        controls, chart = ui.stage.main_view("yourseries", ratio=(1, 2.4))
        vals = ui.render([SOURCE], where=controls)
        data = own_data.checked(the_file(vals["source"], controls), seriesdata.read_csv, seriesdata.SeriesError,
                                READ, where=controls, missing="Choose a CSV file to upload.")
        for c, col in zip(MODEL, controls.columns(len(MODEL))):       # one row: Train on the first screen
            vals |= ui.render([c], where=col)
        cfg = learn.SeriesConfig(hidden=int(vals["hidden"]), seconds=float(vals["seconds"]))
        training.button(RUN, lambda trainer, me: learn.start(cfg, data, trainer, me), "Train", where=controls,
                        disabled=data is None, help="Train a new forecaster on this series from scratch. "
                                                    + training.limits())
        if data is not None:
            for message in data.messages():
                controls.caption(ui.escape_markdown(message))
        with chart:
            training.live(RUN, lambda run, alive: live_view(run, alive, data))
        run = training.current(RUN)
        # the question right under the main view: it is asked before Train, whose live curve answers it
        ui.predict_reveal(words.QUESTION, words.ANSWERS, lambda: truth(run))
        take_away(data)
        ui.experiments(words.presets(EXAMPLES), CONTROLS)


def live_view(run, alive: bool, data) -> None:
    """Before training: the series and what the naive forecasts miss by. While training: the held-out error as it
    learns. At the end: the forecasts against the truth, and every RMSE."""
    if run is None or (data is not None and run.data.sha256 != data.sha256):
        if data is not None:
            base = v.baselines(data)
            st.markdown("Before training, on the held-out end (shaded): the **naive** forecast (the next value = "
                        f"the last one) misses by {base[v.NAIVE_ONE]:.4g} (RMSE)"
                        + (f"; the **seasonal naive** (the value {data.period} steps before, a season found in the "
                           f"data) by {base[v.SEASONAL]:.4g}" if v.SEASONAL in base else "")
                        + ". Press **Train**: can a network do better?")
            ui.chart(st, figures.series_chart(data), key="series")
        if run is None:
            return
    if training.waiting(run):
        return
    p, cfg = run.snapshot(), run.config
    last = p.checks[-1] if p.checks else None
    state = {"waiting": "Starting", "training": "Training", "finished": "Finished", "stopped": "Stopped",
             "diverged": "Stopped (its numbers exploded)", "failed": "Failed"}.get(p.status, p.status)
    base = v.baselines(run.data)
    st.markdown(f"**{state}**: {p.seconds:.0f} s, step {p.steps:,}"
                + (f" · held-out error **{last[2]:.4g}** (naive {base[v.NAIVE_ONE]:.4g})" if last else ""))
    if alive:
        st.progress(min(1.0, p.seconds / max(cfg.seconds, 1e-9)))
    if p.why:
        st.caption(ui.escape_markdown(p.why))
    ui.chart(st, figures.error_curve(p, base, cfg.seconds), key="error")
    if not alive and p.weights is not None:
        model = run.model()
        verdict = verdict_of(model, run.data)
        ui.chart(st, figures.series_chart(run.data, verdict, title="The forecasts on the held-out part"),
                 key="forecast")
        st.table({"forecast": list(verdict.rmse), "RMSE on the held-out part": [f"{x:.4g}" for x in verdict.rmse.values()]})
    if not alive:
        training.why_it_ended(run)


def verdict_of(model, data) -> v.Verdict:
    """evaluate() once per model (a 100,000-value series takes ~2 s); kept in this session."""
    ss = st.session_state
    if ss.get(VERDICT, (None,))[0] is not model:
        ss[VERDICT] = model, learn.evaluate(model, data)
    return ss[VERDICT][1]


def take_away(data) -> None:
    """The model to download, or one to load back (drawn on this series when it was trained on it)."""
    run = training.current(RUN)
    st.subheader("Take it with you")
    left, right = st.columns(2)
    with left:
        p = None if run is None or training.is_alive(run) else run.snapshot()
        if p is None or p.weights is None:
            st.caption("Train a forecaster and it can be downloaded here.")
        else:
            model = run.model()
            verdict = verdict_of(model, run.data)
            conf = {"data": {"sha256": run.data.sha256, "size": len(run.data.values)}, "steps": p.steps,
                    "seconds": round(p.seconds, 1), "metrics": {"rmse_1": verdict.rmse[v.MODEL_ONE],
                                                                "naive_rmse_1": verdict.rmse[v.NAIVE_ONE]},
                    "training": {"hidden": run.config.hidden, "seed": run.config.seed},
                    "kind": "series", "arch": bundle.arch_of(model, "series")}      # (dump sets these too)
            st.markdown(ui.escape_markdown(bundle.describe(conf)))
            own_data.downloads(model, "series", conf, f"rnnviz-series-gru-{model.hidden_size}",
                               "sizes, scaling, season, steps, scores, the series' sha256; not the series")
    with right:
        found = own_data.loaded_model(own_data.loader("series", "yourseries_load"), "series", LOADED)
    if found is None:
        return
    model, conf = found
    if data is not None and conf.get("data", {}).get("sha256") == data.sha256:
        verdict = verdict_of(model, data)
        ui.chart(st, figures.series_chart(data, verdict, title="The loaded model's forecasts on this series"),
                 key="loaded_forecast")
    else:
        st.caption("The loaded model was trained on another series than the one chosen above, so it is not "
                   "drawn on it (its scale and season are that series').")


def truth(run) -> tuple[int | None, str]:
    if run is None or training.is_alive(run) or run.snapshot().weights is None:
        return words.reveal(None, run is not None and training.is_alive(run))
    return words.reveal(verdict_of(run.model(), run.data).rmse, False)
