"""Serve the app: `python serve.py [streamlit flags]` is `streamlit run app.py [flags]`, with the heavy
libraries imported while the server starts instead of during the first student's first page.

Why: `import torch` (1.0–1.5 s on these 2-core machines) is most of a cold start's script run. With plain
`streamlit run`, nothing is imported until a browser connects, so the first page waits for it. Here a
thread imports torch, NumPy and plotly's figure classes from process start, overlapping Streamlit's own
start-up and the browser's loading of the page's HTML and scripts; a script run that reaches
`import torch` first simply waits for the import already under way (Python's per-module import lock).
Only libraries are imported early, never rnnviz.ui: its st.cache_* functions belong to the running server.
(This launcher sits beside app.py, not in rnnviz/: like the pages, it is app code that imports streamlit.)
`make bench BENCH=cold_start` measures both ways from process start.
"""
from __future__ import annotations

import sys
import threading
from pathlib import Path

APP = Path(__file__).resolve().parent / "app.py"


def preimport() -> None:
    """Libraries only (a script run importing the same module waits for this thread's import of it; no
    rnnviz module is imported here, so the two threads never wait on each other), then one throw-away
    figure through plotly's JSON path, which imports plotly's lazily loaded trace and encoder modules."""
    import numpy  # noqa: F401
    import plotly.graph_objects as go
    import plotly.io
    import torch  # noqa: F401

    fig = go.Figure({"data": [{"type": "scatter", "x": numpy.arange(3), "y": numpy.ones(3)},
                              {"type": "heatmap", "z": numpy.eye(2)}], "layout": {"title": {"text": "warm-up"}}})
    plotly.io.to_json(fig.to_dict(), validate=False)


def main(argv: list[str] | None = None) -> int:
    # pandas first, in this thread, before any other thread can meet it half-imported: plotly (imported by
    # streamlit here and by preimport there) looks pandas up in sys.modules while validating a figure, and a
    # concurrent import left it "partially initialized" there (the server then failed to start, seen in CI).
    import pandas  # noqa: F401
    threading.Thread(target=preimport, name="rnnviz-preimport", daemon=True).start()
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", str(APP), *(sys.argv[1:] if argv is None else argv)]
    return cli.main()


if __name__ == "__main__":
    sys.exit(main())
