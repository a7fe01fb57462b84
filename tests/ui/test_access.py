"""ui.access and ui.export's plotly options: pure strings, checked without a browser (the browser's side:
tests/app/test_browser_touch.py)."""
from __future__ import annotations

import plotly.graph_objects as go

from rnnviz.shared import style
from rnnviz.ui import access, export


def test_touch_lets_a_swipe_through_and_the_toolbar_keeps_touch_buttons():
    assert "(hover: none), (pointer: coarse)" in access.CSS
    assert ".draglayer * { pointer-events: none !important; }" in access.CSS
    removed = export.config("loss")["modeBarButtonsToRemove"]
    assert {"zoom2d", "pan2d", "lasso2d", "select2d"} <= set(removed)
    assert not {"zoomIn2d", "zoomOut2d", "resetScale2d", "toImage"} & set(removed)


def test_a_heatmap_with_numbers_gets_a_fit_width_and_others_none():
    """The width under which ui.plot's element hides a heatmap's cell numbers (the rnnviz-narrow class; the
    browser's side: tests/app/test_browser_touch.py, on a phone)."""
    fig = go.Figure(dict(data=[dict(type="heatmap", z=[[0.5, -0.25]] * 2, texttemplate="%{z:.2f}")]), _validate=False)
    assert style.text_fit_width(fig) > 100
    assert style.text_fit_width(go.Figure(dict(data=[dict(type="heatmap", z=[[1]])]), _validate=False)) is None
    assert ".rnnviz-plot.rnnviz-narrow .heatmaplayer text { display: none; }" in access.CSS
