"""The student's own models in this session: trained on the "Your text" page or loaded from a file there,
opened by other pages (Text generation writes with it, LSTM inside looks inside it when it is an LSTM).

    yours.keep_text_model(model, config)     # the page that trained or loaded it
    found = yours.text_model()               # (model, config) or None: another page
    yours.cache_name()                       # "yours:<weights' sha256>": a name for caches keyed by model

It lives in st.session_state under a "_" key (ui.frame.clean_slate keeps those when the page changes): this
student's alone, gone with the session, never written to disk. The framework imports no topic, so this
module holds the objects without knowing their class.
"""
from __future__ import annotations

import hashlib
from typing import Any

import streamlit as st

from rnnviz.shared import charlm

TEXT = "_yours_text_model"       # (model, config, name, passages) of the latest text model trained or loaded here
CELL = "_yours_text_cell"        # (name, its transparent cell): built once per model, for the pages that look inside
OPTION = "yours"                 # the value of a page's model choice that opens it


def fingerprint(model: Any) -> str:
    """sha256 of the weights (names, shapes, bytes): the same only for the very same model."""
    h = hashlib.sha256()
    for name, tensor in sorted(model.state_dict().items()):
        h.update(f"{name}{tuple(tensor.shape)}".encode())
        h.update(tensor.detach().contiguous().numpy().tobytes())
    return h.hexdigest()


def keep_text_model(model: Any, config: dict, passages: dict | None = None) -> None:
    """Keep (model, its config) as this session's own; `passages`: {title: text} to read with it on LSTM inside
    (a piece of the held-out text; kept in the session, never in the downloaded file's settings)."""
    st.session_state[TEXT] = (model, config, f"{OPTION}:{fingerprint(model)[:24]}", dict(passages or {}))


def text_model() -> tuple[Any, dict] | None:
    """(model, config) of this session's text model, or None."""
    found = st.session_state.get(TEXT)
    return None if found is None else found[:2]


def is_own(name: str) -> bool:
    return name.startswith(OPTION + ":")


def char_model(name: str) -> tuple[Any, Any, dict]:
    """(model, transparent cell, notes) of this session's own model named `name`, as ui.cache.char_model gives a
    shipped one: the notes hold its passages and its config ("yours"). KeyError (with a message for the page)
    when this session no longer holds it (another model was trained or loaded since)."""
    found = st.session_state.get(TEXT)
    if found is None or found[2] != name:
        raise KeyError("This page was opened with a model trained or loaded on the Your text page, and this browser "
                       "session no longer holds it: train or load it there again.")
    model, config, _, passages = found
    cell = st.session_state.get(CELL)
    if cell is None or cell[0] != name:
        cell = st.session_state[CELL] = name, charlm.transparent(model)
    return model, cell[1], {"passages": passages, "yours": config, "parameters": model.count_parameters()}


def cache_name() -> str | None:
    """"yours:<fingerprint>": a name for a cache shared by sessions (two sessions share an entry only when
    their weights are the same bytes, so they would compute the same). None without a model."""
    found = st.session_state.get(TEXT)
    return None if found is None else found[2]
