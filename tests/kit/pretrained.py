"""Broken weights, written once: what a page says when a model is missing, corrupt or not in the manifest.

    root = damaged_copy(tmp_path, corrupt=["char_lstm"])     # a copy of pretrained/ with one file damaged
    pretrained.load("char_lstm", root=root)                   # -> pretrained.IntegrityError
    use(root)                                                 # or: the app reads its weights from root

The fixture `damaged_weights` (tests/conftest.py) does both for a page test and puts everything back.
"""
from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path
from typing import Iterable


def damaged_copy(dest: Path, *, missing: Iterable[str] = (), corrupt: Iterable[str] = (),
                 unlisted: Iterable[str] = (), empty: bool = False) -> Path:
    """A copy of pretrained/ (the manifest and every weights file) in `dest`, damaged: the weights of the
    `missing` models left out, those of the `corrupt` models with one byte flipped (its sha256 no longer
    matches the manifest), the `unlisted` models dropped from the manifest; `empty`: nothing at all, not even
    the manifest. Always real copies, never links: a test may write to any file here without touching the
    shipped weights."""
    from rnnviz import pretrained

    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    if empty:
        return dest
    manifest = json.loads((pretrained.ROOT / pretrained.MANIFEST).read_text())
    files = {name: entry["file"] for name, entry in manifest["models"].items()}
    for name in (*missing, *corrupt, *unlisted):
        assert name in files, f"no shipped model named {name}"
    if unlisted:
        for name in unlisted:
            del manifest["models"][name]
        (dest / pretrained.MANIFEST).write_text(json.dumps(manifest))
    else:
        shutil.copy(pretrained.ROOT / pretrained.MANIFEST, dest / pretrained.MANIFEST)
    for name, file in files.items():
        if name not in missing:
            shutil.copy(pretrained.ROOT / file, dest / file)
    for name in corrupt:
        path = dest / files[name]
        data = bytearray(path.read_bytes())
        data[len(data) // 2] ^= 0xFF                                   # one flipped byte in the weights
        path.write_bytes(bytes(data))
    return dest


def forget_models() -> None:
    """Empty every cache that could hold a loaded model or a result computed with one, wherever a topic
    keeps it: Streamlit's st.cache_resource and st.cache_data, and every rnnviz.memo.Memo of a loaded module.
    Before a test points the app at broken weights (a model loaded earlier would hide the damage) and after
    (no other test may meet the broken one)."""
    import streamlit as st

    from rnnviz import memo

    st.cache_resource.clear()
    st.cache_data.clear()
    for name, module in list(sys.modules.items()):
        if name.startswith("rnnviz") and module is not None:
            for value in list(vars(module).values()):
                if isinstance(value, memo.Memo):
                    value.clear()
