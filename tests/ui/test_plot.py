"""rnnviz/ui/plot.py: the chart element that the browser updates in place.

What the browser does with it (the same plot, the new figure, after a slider move) is held by
tests/app/test_browser.py::test_slider_round_trips_through_url; its theme is looked at in the screenshots.
"""
from __future__ import annotations

import json
import os

import numpy as np
import plotly.graph_objects as go
from kit.charts import array, chart_nodes
from streamlit.testing.v1 import AppTest

from rnnviz.ui import export, plot


def test_plotly_js_is_copied_once_and_again_when_it_differs(tmp_path):
    source = tmp_path / "plotly.min.js"
    source.write_text("/* plotly.js v1 */")
    static = tmp_path / "static"
    served = plot.install_plotly_js(source, static)
    assert served == static / plot.SERVED and served.read_text() == "/* plotly.js v1 */"
    os.utime(served, (1, 1))
    plot.install_plotly_js(source, static)
    assert served.stat().st_mtime == 1                       # the same file: not written again
    source.write_text("/* plotly.js v2 */")                  # an upgrade of the plotly package
    plot.install_plotly_js(source, static)
    assert served.read_text() == "/* plotly.js v2 */" and not list(static.glob("*.tmp"))


def test_copies_made_at_once_never_trip_over_each_other(tmp_path):
    """Two test workers (or a server and a worker) importing the app at the same moment each copy plotly.js:
    each through a temporary file of its own, so no rename finds its file gone (CI on a fresh clone did)."""
    import concurrent.futures
    source = tmp_path / "plotly.min.js"
    source.write_bytes(b"/* plotly.js */" * 100_000)
    static = tmp_path / "static"
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        served = set(pool.map(lambda _: plot.install_plotly_js(source, static), range(16)))
    assert served == {static / plot.SERVED} and (static / plot.SERVED).read_bytes() == source.read_bytes()
    assert not list(static.glob("*.tmp"))


def test_the_served_copy_is_the_installed_plotly_js():
    assert plot.STATIC.joinpath(plot.SERVED).read_bytes() == plot.SOURCE.read_bytes()
    assert plot.src() == "/app/static/plotly.min.js"


def test_the_figure_travels_whole_without_plotly_pys_template():
    z = np.arange(6.0).reshape(2, 3)
    fig = go.Figure([go.Heatmap(z=z, name="<b>h</b>")], layout=dict(title=dict(text="T"), height=300))
    spec = json.loads(plot.figure_json(fig))
    assert "template" in fig.to_plotly_json()["layout"] and "template" not in spec["layout"]
    assert spec["layout"]["title"]["text"] == "T" and spec["layout"]["height"] == 300
    np.testing.assert_array_equal(array(spec["data"][0]["z"]), z)
    assert spec["data"][0]["name"] == "<b>h</b>"


SCRIPT = """
import plotly.graph_objects as go
import streamlit as st
from rnnviz import ui
n = st.slider("n", 1, 9, 3)
ui.chart(st, go.Figure(go.Scatter(y=list(range(n)))), key="line")
"""


def test_a_chart_is_one_element_keyed_by_its_key_whatever_its_figure():
    at = AppTest.from_string(SCRIPT, default_timeout=30).run()
    (first,) = chart_nodes(at)
    assert first.key == "line" and json.loads(first.spec)["data"][0]["y"] == [0, 1, 2]
    at.slider[0].set_value(5).run()
    (moved,) = chart_nodes(at)
    assert moved.id == first.id                                # same element: the browser updates it in place
    assert json.loads(moved.spec)["data"][0]["y"] == [0, 1, 2, 3, 4]


def test_no_toolbar_button_sends_the_chart_away():
    """plotly.js 4 offers "Share chart..." (an upload to Plotly Cloud) unless told not to."""
    config = export.config("line")
    assert config["showSendToCloud"] is False and config["showLink"] is False
    assert "sendChartToCloud" in config["modeBarButtonsToRemove"]
