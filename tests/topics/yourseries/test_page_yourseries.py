"""The "Your series" page through AppTest: it opens on an example with what the naive forecasts miss by,
trains live in a process of its own, stops, shows every RMSE as evaluate() computes it, offers the model as a
file that loads back, and answers its question from the run."""
from __future__ import annotations

import time

from common import reveal

from kit.charts import charts
from rnnviz.shared import bundle
from rnnviz.topics.yourseries import data as seriesdata
from rnnviz.topics.forecast.model import Forecaster
from rnnviz.topics.yourseries import learn, verdict, view, words

PAGE = "pages/18_Your_series.py"


def button(at, label: str):
    return next(b for b in at.button if b.label.startswith(label))


def test_opens_on_an_example_with_what_the_naive_forecasts_miss_by(apptest):
    at = apptest(PAGE)
    assert not at.exception and not at.warning
    data = seriesdata.read_csv(seriesdata.EXAMPLES[view.EXAMPLES[0]])
    base = verdict.baselines(data)
    said = " ".join(m.value for m in at.markdown)
    assert all(f"{x:.4g}" in said for x in base.values()) and set(charts(at)) == {"series"}
    any_model = Forecaster("gru", 4).eval()              # the baselines evaluate() reports do not depend on it
    full = learn.evaluate(any_model, data).rmse
    assert base == {k: full[k] for k in base} and len(base) == 2          # the sunspots: a season of 11 years


def test_train_stop_every_rmse_download_and_the_answer(apptest):
    at = apptest(PAGE, {"hidden": "16", "seconds": "10"})
    button(at, "Train").click().run()
    run = at.session_state[view.RUN]
    end = time.monotonic() + 60
    while not run.snapshot().checks and time.monotonic() < end:
        time.sleep(0.1)
    button(at, "Stop").click().run()
    assert run.job.join(30)
    at.run()
    assert not at.exception and {"error", "forecast"} <= set(charts(at))
    v = learn.evaluate(run.model(), run.data)
    (table,) = at.table
    shown = dict(zip(table.value["forecast"], table.value["RMSE on the held-out part"]))
    assert shown == {k: f"{x:.4g}" for k, x in v.rmse.items()}
    assert at.get("download_button")
    model, conf = bundle.load(bundle.dump(run.model(), "series", {"steps": run.snapshot().steps}), expect="series")
    assert conf["kind"] == "series"
    index, _ = words.reveal(v.rmse, False)
    reveal(at, words.ANSWERS[index])
    assert any(s.value.startswith("**Right.**") for s in at.success)


def test_a_bad_link_is_said_and_the_page_shows_its_defaults(apptest):
    at = apptest(PAGE, {"hidden": "999", "example": "nope"})
    said = " ".join(w.value for w in at.warning)
    assert not at.exception and "“999”, which is not one of its choices" in said and "“nope”" in said
    assert at.selectbox(key="hidden").value == "32" and set(charts(at)) == {"series"}
