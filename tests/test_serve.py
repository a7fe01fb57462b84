"""serve.py: `python serve.py [flags]` is `streamlit run app.py [flags]` with torch imported from process start
(its cold-start figures are in `make bench BENCH=cold_start`). Here: it serves the app, and its warm-up thread
imports only libraries, never rnnviz.ui (whose st.cache_* functions belong to the running server)."""
from __future__ import annotations

import ast
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_serve_imports_no_app_module_early():
    tree = ast.parse((ROOT / "serve.py").read_text())
    pre = next(f for f in tree.body if isinstance(f, ast.FunctionDef) and f.name == "preimport")
    names = {a.name for node in ast.walk(pre) if isinstance(node, (ast.Import, ast.ImportFrom))
             for a in node.names} | {node.module for node in ast.walk(pre) if isinstance(node, ast.ImportFrom)}
    assert "torch" in names
    assert not any(n and (n.startswith("rnnviz") or n.startswith("streamlit")) for n in names), names


def _start(tmp_path, attempt: int):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = tmp_path / f"serve-{attempt}.log"
    proc = subprocess.Popen([sys.executable, "serve.py", "--server.headless=true", "--server.address=127.0.0.1",
                             f"--server.port={port}", "--browser.gatherUsageStats=false",
                             "--server.fileWatcherType=none"], cwd=ROOT, stdout=log.open("wb"),
                            stderr=subprocess.STDOUT, start_new_session=True)
    return proc, port, log


def _stop(proc) -> None:
    try:                                   # already gone: the assertion says why, not this
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    proc.wait(10)


def test_serve_answers_like_streamlit_run(tmp_path):
    # The free port is found by binding and releasing it; with many servers starting at once (pytest -n)
    # another may take it first, and the server then exits "port already in use": try another port.
    for attempt in range(3):
        proc, port, log = _start(tmp_path, attempt)
        try:
            deadline, health = time.monotonic() + 60, b""
            while time.monotonic() < deadline and proc.poll() is None:
                try:
                    health = urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2).read()
                    break
                except OSError:
                    time.sleep(0.2)
            if proc.poll() is not None and b"already in use" in log.read_bytes() and attempt < 2:
                continue
            assert health.strip() == b"ok", (f"no health answer (exit code {proc.poll()}):\n"
                                             + log.read_text(errors="replace")[-2000:])
            page = urllib.request.urlopen(f"http://127.0.0.1:{port}/Gradient_lab", timeout=10).read()
            assert b'<div id="root">' in page
            return
        finally:
            _stop(proc)
