"""A figure as its plain dict (its plotly JSON), read as plotly's own objects are read.

    v = figure_dict.view(fig)        # a go.Figure, its plotly JSON, or a view already
    v.layout.xaxis.title.text        # what fig.layout.xaxis.title.text gives; None where nothing is set
    v.data[0].z                      # a NumPy array, also where the JSON holds plotly's typed array

Why: reading a go.Figure's attributes makes an object per nested property (a marker, a colour bar): ~8 ms for
the Unfolded RNN's diagram on every step, where its dict reads in ~0.1 ms. ui.chart makes the dict once per
chart and describe reads it.
"""
from __future__ import annotations

import base64
from typing import Any

import numpy as np


def typed_array(value: Any) -> np.ndarray | None:
    """plotly's typed array ({"dtype", "bdata", "shape"}: NumPy's bytes in base64, as Figure.to_plotly_json
    writes a NumPy array) as that array; None for anything else."""
    if not (isinstance(value, dict) and isinstance(value.get("bdata"), str) and "dtype" in value):
        return None
    flat = np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]))
    shape = value.get("shape")
    return flat.reshape([int(n) for n in str(shape).split(",")]) if shape else flat


class View:
    """A dict read by attribute: fig.layout.xaxis.title.text; None for what is not set, as plotly's objects."""
    __slots__ = ("_d",)

    def __init__(self, d: dict):
        self._d = d

    def __getattr__(self, name: str) -> Any:
        return _wrap(self._d.get(name))


def _wrap(v: Any) -> Any:
    if isinstance(v, dict):
        array = typed_array(v)
        return array if array is not None else View(v)
    if isinstance(v, (list, tuple)) and v and isinstance(v[0], dict):
        return [_wrap(x) for x in v]
    return v


def view(fig) -> View:
    """`fig` (a go.Figure, its plotly JSON as a dict, or a view already) as a View of its dict."""
    if isinstance(fig, View):
        return fig
    return View(fig.to_plotly_json() if hasattr(fig, "to_plotly_json") else dict(fig))
