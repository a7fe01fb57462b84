"""The parts of a page where a student brings their own data and takes a model away (Your text, Your series):

    data = own_data.checked(raw, read_text, TextError, "_yourtext_read", where=controls)   # None: a message said why
    found = own_data.loaded_model(up, "text", "_yourtext_loaded")                          # (model, config) or None

Each input is read once per new content (kept in st.session_state under the page's "_" key, so it stays with
this student only and survives the page's reruns and a visit to another page); each message is plain text,
escaped here before it is shown. Nothing is written to disk.
"""
from __future__ import annotations

import hashlib
from typing import Any, Callable

import streamlit as st

from rnnviz.shared import bundle
from rnnviz.ui.markup import escape_markdown

LOAD_HELP = ("A .safetensors file this page made. It is checked (format, sizes, shapes, numbers) before it is used; "
             "nothing is kept after this session.")


def checked(raw: bytes | str | None, reader: Callable[[Any], Any], error: type, key: str, where: Any,
            missing: str = "Choose a file to upload.") -> Any:
    """reader(raw) once per new content (a 200 kB text or a 100,000-row CSV takes tens to hundreds of ms);
    None with the reader's message (an `error`) or `missing` shown in `where` when there is nothing to use."""
    ss = st.session_state
    if raw is None:
        where.info(missing, icon=":material/upload_file:")
        return None
    digest = hashlib.sha256(raw if isinstance(raw, bytes) else raw.encode("utf-8", "surrogatepass")).hexdigest()
    if ss.get(key, (None,))[0] != digest:
        try:
            ss[key] = digest, reader(raw)
        except error as e:
            ss[key] = digest, e
    data = ss[key][1]
    if isinstance(data, error):
        where.warning(escape_markdown(str(data)), icon=":material/warning:")        # (as ui.problem says it)
        return None
    return data


def loader(kind: str, key: str) -> Any:
    """The uploader for a model of `kind` ("text" | "series") downloaded from this page before."""
    return st.file_uploader("Load a model downloaded here before", type=["safetensors"], key=key,
                            max_upload_size=bundle.MAX_BYTES // 2 ** 20, help=LOAD_HELP)


def loaded_model(up: Any, kind: str, key: str) -> tuple[Any, dict] | None:
    """(model, config) of the uploaded file, checked by bundle.load once per file (not on every rerun), with
    "Loaded: …" or what is wrong with it shown; None without a file or when it was refused."""
    if up is None:
        return None
    ss = st.session_state
    if ss.get(key, (None,))[0] != up.file_id:
        try:
            model, conf = bundle.load(up.getvalue(), expect=kind)
        except bundle.BundleError as e:
            ss[key] = up.file_id, None, str(e)
        else:
            ss[key] = up.file_id, (model, conf), "Loaded: " + bundle.describe(conf)
    _, found, said = ss[key]
    if found is None:
        st.warning(escape_markdown(said), icon=":material/warning:")
    else:
        st.success(escape_markdown(said), icon=":material/check:")
    return found


def downloads(model: Any, kind: str, config: dict, name: str, what: str) -> None:
    """The model as one .safetensors file (its settings inside: `what` names them in the help) and its settings
    alone as JSON, side by side. Both are made when clicked (bundle.dump: a few ms), not on every rerun."""
    row = st.container(horizontal=True)
    row.download_button("Download the model (.safetensors)", data=lambda: bundle.dump(model, kind, config),
                        file_name=f"{name}.safetensors", mime="application/octet-stream", icon=":material/download:",
                        key=f"own_{kind}_download",
                        help=f"The weights and, inside the same file, its settings ({what}). No pickle: safe to open.")
    row.download_button("Its settings (.json)", data=lambda: bundle.config_json(bundle.dump(model, kind, config)),
                        file_name=f"{name}.json", mime="application/json", icon=":material/data_object:",
                        key=f"own_{kind}_settings", help="The same settings as the model file holds, to read.")
