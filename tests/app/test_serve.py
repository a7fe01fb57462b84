"""serve.py: `python serve.py [flags]` is `streamlit run app.py [flags]` with torch imported from process start
(its cold-start figures are in `make bench BENCH=cold_start`). Here: it serves the app, and its warm-up thread
imports only libraries, never rnnviz.ui (whose st.cache_* functions belong to the running server)."""
from __future__ import annotations

import ast
import urllib.request

from kit import ROOT
from kit.server import healthy, serve


def test_serve_imports_no_app_module_early():
    tree = ast.parse((ROOT / "serve.py").read_text())
    pre = next(f for f in tree.body if isinstance(f, ast.FunctionDef) and f.name == "preimport")
    names = {a.name for node in ast.walk(pre) if isinstance(node, (ast.Import, ast.ImportFrom))
             for a in node.names} | {node.module for node in ast.walk(pre) if isinstance(node, ast.ImportFrom)}
    assert "torch" in names
    assert not any(n and (n.startswith("rnnviz") or n.startswith("streamlit")) for n in names), names


def test_serve_answers_like_streamlit_run(tmp_path):
    # started as the tests start `streamlit run app.py` (tests/kit/server.py: its flags, a free port, retried
    # if another server takes that port first), only through serve.py
    with serve(ROOT, command=("serve.py",), log=tmp_path / "serve.log") as server:
        assert healthy(server.url), server.log_tail()
        page = urllib.request.urlopen(server.url + "/Gradient_lab", timeout=10).read()
        assert b'<div id="root">' in page
