"""A page's plotly figures as Streamlit sends them to the browser, read from an AppTest.

    figs = charts(at)                      # {key: figure JSON}, e.g. figs["loss"]["data"][0]["y"]
    array(figs["maps"]["data"][0]["z"])    # a plotly array as NumPy, whichever way plotly sent it
    for c in chart_nodes(at): c.key, c.spec    # in page order: the key, the figure's JSON text

A chart drawn with ui.chart(..., key="loss") is a ui.plot element (a components-v2 element named
"rnnviz_plot") with the id "...-loss": its key is the id's tail; its data carries the figure's JSON.
"""
from __future__ import annotations

import base64
import json
from dataclasses import dataclass

import numpy as np


PLOT = "rnnviz_plot"           # rnnviz.ui.plot.NAME


@dataclass(frozen=True)
class Chart:
    id: str          # the element id ("$$ID-…-loss")
    key: str         # its tail: the key given to ui.chart
    spec: str        # the figure as plotly JSON text


def is_chart(node) -> bool:
    """Whether an AppTest node is a chart drawn by ui.chart."""
    return getattr(node, "type", None) == "bidi_component" and node.proto.component_name == PLOT


def as_chart(node) -> Chart:
    return Chart(node.proto.id, node.proto.id.rsplit("-", 1)[-1], json.loads(node.proto.json)["figure"])


def chart_nodes(at) -> list[Chart]:
    """Every chart on the page (main and sidebar, open or not), in page order."""
    return [as_chart(n) for n in at.get("bidi_component") if is_chart(n)]


def charts(at) -> dict[str, dict]:
    """Every plotly chart on the page, by its key (the element id's tail), as the JSON figure Streamlit sends."""
    return {c.key: json.loads(c.spec) for c in chart_nodes(at)}


def array(value) -> np.ndarray:
    """A plotly array as NumPy: plotly sends a NumPy array as {"dtype", "bdata" (base64), "shape"?}, in
    its own dtype and shape; a plain list comes back as floats."""
    if isinstance(value, dict) and "bdata" in value:
        a = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
        return a.reshape([int(n) for n in str(value["shape"]).split(",")]) if "shape" in value else a
    return np.asarray(value, dtype=float)


def strings(spec):
    """Every string inside a plotly figure's JSON (keys and values)."""
    if isinstance(spec, str):
        yield spec
    elif isinstance(spec, dict):
        for k, v in spec.items():
            yield from strings(k)
            yield from strings(v)
    elif isinstance(spec, list):
        for v in spec:
            yield from strings(v)
