"""bench/: the performance figures and their goals (`make bench`, `make load`); measurements, never tests.

    run.py           `make bench [BENCH=<name>]`: the core computations, every page's rerun, the benches below
    pages.py         the page table: per topic, which controls a student moves and the goal a rerun must meet
    yardstick.py     the Gradient lab's computation done the torch.nn way (the ratio's denominator)
    bench_memory.py         the Memory lab: time to solve, the loop's cost, redraws, other students' pages
    bench_cold_start.py     a fresh server to the first page painted in Chromium
    bench_server_memory.py  one server's memory under an adversarial room, against its stated ceiling
    browser.py       every page's move in Chromium: settle time and long tasks, against a yardstick page
    bare_page.py     that yardstick: one sidebar slider redrawing one small plotly chart
    shots.py         `make shots`: every page's first screen, 4 profiles × light/dark, to look at (not a measurement)
    load.py          `make load`: a room of users against a local server; the report and its goals
    client.py        one browser-like session speaking Streamlit's websocket protocol
    students.py      what each student in the room does, page by page; trainers, reloaders, the room
    processes.py     the servers' memory and CPU, read from /proc

Run them as modules from the repo (`python -m bench.run sentiment`, `python -m bench.load --sessions 10`).
Every live server comes from tests/kit/server.py, the launcher the tests use: importing this package puts
tests/ on sys.path (at the end: it shadows nothing) so that `kit.server` is the same module here as under
pytest. tests/app/test_load.py and tests/app/test_docker.py, in turn, drive bench/client.py against a live server.
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"        # server logs, as the tests keep theirs

if str(ROOT / "tests") not in sys.path:
    sys.path.append(str(ROOT / "tests"))         # tests/kit: the server launcher, shared with the tests
