"""A page's plotly figures as Streamlit sends them to the browser, read from an AppTest.

    figs = charts(at)                      # {key: figure JSON}, e.g. figs["loss"]["data"][0]["y"]
    array(figs["maps"]["data"][0]["z"])    # a plotly array as NumPy, whichever way plotly sent it

A chart drawn with ui.chart(..., key="loss") has the element id "...-loss": its key is the id's tail.
"""
from __future__ import annotations

import base64
import json

import numpy as np


def charts(at) -> dict[str, dict]:
    """Every plotly chart on the page, by its key (the element id's tail), as the JSON figure Streamlit sends."""
    return {el.proto.id.rsplit("-", 1)[-1]: json.loads(el.proto.spec) for el in at.get("plotly_chart")}


def array(value) -> np.ndarray:
    """A plotly array as NumPy: plotly sends a NumPy array as {"dtype", "bdata" (base64), "shape"?}, in
    its own dtype and shape; a plain list comes back as floats."""
    if isinstance(value, dict) and "bdata" in value:
        a = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
        return a.reshape([int(n) for n in str(value["shape"]).split(",")]) if "shape" in value else a
    return np.asarray(value, dtype=float)
