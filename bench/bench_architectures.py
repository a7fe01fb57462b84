"""The Architectures page's rerun (goal ≤ 150 ms median, in process): moving the input length, and
switching the form, each to a value it did not have the run before."""
from __future__ import annotations

from rnnviz.topics.architectures import compute as arch

PAGE = "pages/6_Architectures.py"


def run(bench) -> None:
    bench.page_rerun("Architectures", PAGE, "move n_in", lambda at, i: at.slider(key="n_in").set_value(1 + (i % 12)),
                     query={"form": "encoder-decoder"})

    def switch(at, i):
        (group,) = [w for w in at.get("button_group") if w.key == "form"]
        group.set_value(arch.ORDER[i % len(arch.ORDER)])

    bench.page_rerun("Architectures", PAGE, "switch form", switch, query={"n_in": 12, "n_out": 12})
