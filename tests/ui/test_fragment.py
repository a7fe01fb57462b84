"""ui.fragment: every fragment of the app runs with the app's per-thread computation settings (one OpenMP
thread, subnormals flushed), on whatever thread Streamlit runs it; and no view calls st.fragment itself."""
from __future__ import annotations

import os
import threading
import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = '''
import os
import streamlit as st
import torch
from rnnviz import ui

GRU, X = torch.nn.GRU(40, 96, num_layers=2, bidirectional=True), torch.randn(100, 1, 40)   # the Speech page's size

def settings():
    """Whether a GRU's forward pass started threads (an OpenMP team), and whether subnormals are flushed."""
    before = set(os.listdir("/proc/self/task"))
    with torch.no_grad():
        GRU(X)
    started = set(os.listdir("/proc/self/task")) - before
    return f"{len(started)} {(torch.tensor([1e-39]) * 1.0).item() == 0.0}"

@DECORATOR
def main_view():
    st.text(settings())

main_view()
'''


def in_a_fresh_thread(decorator: str) -> str:
    """The script with its fragment under `decorator`, run on a thread of its own (as Streamlit runs every rerun,
    a fragment's too); the script never calls ui.page_setup (nor does a fragment's rerun)."""
    at = AppTest.from_string(SCRIPT.replace("DECORATOR", decorator), default_timeout=60)
    run = threading.Thread(target=at.run)
    run.start()
    run.join()
    assert not at.exception
    return at.text[0].value


def test_a_fragment_runs_on_one_openmp_thread_with_subnormals_flushed():
    assert in_a_fresh_thread("ui.fragment") == "0 True", \
        "the fragment's GRU started threads of its own (an OpenMP team), or subnormals are not flushed"
    if (os.cpu_count() or 1) > 1 and "OMP_NUM_THREADS" not in os.environ:       # the control: st.fragment alone
        assert in_a_fresh_thread("st.fragment") != "0 True"


def test_no_view_calls_st_fragment_itself():
    found = [f"{p.relative_to(ROOT)}:{n}" for p in (ROOT / "rnnviz").rglob("*.py") if p.name != "fragment.py"
             for n, line in enumerate(p.read_text().splitlines(), 1)
             if re.search(r"@st\.fragment|\bst\.fragment\(", line)]
    assert not found, f"use ui.fragment (rnnviz/ui/fragment.py), which sets the thread up first: {found}"
