"""The forecasting demo (`bench/run.py forecast`): each model loads once per process, and the page answers a
slider move in ≤ 150 ms median (in process, AppTest). Every run moves to a horizon or origin the page has not
drawn before, so no cache answers for the forecast."""
from __future__ import annotations

PAGE = "pages/13_Forecasting.py"


def run(bench) -> None:
    bench.demo_bench("Forecasting", PAGE, ("sunspots", "co2"), [
        ("sunspots, move the horizon", lambda at, i: at.slider(key="years").set_value(1 + i), None),
        ("co2, move the origin (60 months)", lambda at, i: at.slider(key="from").set_value(1960 + 2 * i),
         {"series": "co2", "months": "60"}),
    ])
