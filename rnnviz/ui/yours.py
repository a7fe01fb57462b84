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

from typing import Any

import hashlib

import streamlit as st

TEXT = "_yours_text_model"       # (model, config) of the latest text model trained or loaded here
OPTION = "yours"                 # the value of a page's model choice that opens it


def fingerprint(model: Any) -> str:
    """sha256 of the weights (names, shapes, bytes): the same only for the very same model."""
    h = hashlib.sha256()
    for name, tensor in sorted(model.state_dict().items()):
        h.update(f"{name}{tuple(tensor.shape)}".encode())
        h.update(tensor.detach().contiguous().numpy().tobytes())
    return h.hexdigest()


def keep_text_model(model: Any, config: dict) -> None:
    st.session_state[TEXT] = (model, config, f"{OPTION}:{fingerprint(model)[:24]}")


def text_model() -> tuple[Any, dict] | None:
    """(model, config) of this session's text model, or None."""
    found = st.session_state.get(TEXT)
    return None if found is None else found[:2]


def cache_name() -> str | None:
    """"yours:<fingerprint>": a name for a cache shared by sessions (two sessions share an entry only when
    their weights are the same bytes, so they would compute the same). None without a model."""
    found = st.session_state.get(TEXT)
    return None if found is None else found[2]
