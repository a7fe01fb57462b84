"""Modern RNNs: from the GRU to minGRU, the parallel scan, and why recurrence came back.

The page, top to bottom: the main view (a fragment: the toggle, T and the seed beside the chart they change),
the two sets of equations side by side, the question, what to try, then the deeper parts, each in a lazy
expander (sent to the browser only once opened). The parts are a list (PARTS), numbered on the page from 2 on
(part 1 is the main view): a new part is one more Part(...) in the list, placed where it belongs.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import streamlit as st

from rnnviz import ui
from rnnviz.topics.modern import TOPIC, compute, figures, view_ssm, words
from rnnviz.ui.cache import MB, bounded

HELP = words.HELP
MAIN = [ui.Toggle("minimal", "Remove h(t−1): minGRU", False, help=HELP["minimal"]),
        ui.Slider("T", "Sequence length T", compute.TREE_T, compute.T_MAX, 16, help=HELP["T"]),
        ui.Number("seed", "Seed", 0, 9999, 0, help=HELP["seed"])]
CHART = "modern_starts"                      # the main chart's key (the presets scroll to it)
STEPS = "modern_steps"                       # the step-by-step table's expander


# an entry: twelve (T, H) float64 arrays, T ≤ 64, H = 3: at most 20 kB; 1 MB holds 50 or more examples
@bounded(max_entries=128, max_bytes=1 * MB)
def example(T: int, seed: int) -> compute.Example:
    """The GRU and the minGRU on one example, a pure result shared read-only."""
    return compute.example(T, seed)


@dataclass(frozen=True)
class Part:
    """A deeper part of the page: a lazy expander titled "n · title", drawn by draw(T, seed) once opened.
    follows_main: it shows the main view's example, so moving T or the seed while it is open reruns the page."""

    title: str
    key: str
    icon: str
    draw: Callable[[int, int], None]
    follows_main: bool = False


def scan_part(T: int, seed: int) -> None:
    """2 · The parallel scan, drawn for the first 8 steps of the main view's minGRU."""
    tree = compute.tree(example(T, seed))
    st.markdown(words.TREE_NOTE)
    ui.chart(st, figures.tree_chart(tree), key="modern_tree", summary=words.tree_said(tree))
    st.caption("The code: `rnnviz/scan.py` (combine, scan, loop); Hillis & Steele 1986, Blelloch 1990, "
               "Martin & Cundy 2018.")


def costs_part(T: int, seed: int) -> None:
    """Why attention took over, and why recurrence came back: the costs against T (no controls)."""
    if not ui.revealed():
        st.info("Predict first: this chart answers the question above. It appears once you have answered.",
                icon=":material/visibility_off:")
        return
    c = compute.costs()
    ui.chart(st, figures.costs_chart(c), key="modern_costs", summary=words.costs_said(c))
    st.caption(words.COSTS_NOTE)


# The deeper parts in page order, numbered 2, 3, … on the page. A part whose section takes no arguments goes in
# as Part(title, key, icon, lambda T, seed: section()): e.g. the state-space part, between the scan and the costs.
PARTS: list[Part] = [
    Part("The parallel scan: the tree for T = 8, with this example's numbers", "modern_part_scan",
         ":material/account_tree:", scan_part, follows_main=True),
    Part("A linear recurrence as a state-space model: eigenvalues, the step Δ, a selective gate", "modern_part_ssm",
         ":material/radio_button_checked:", lambda T, seed: view_ssm.section()),
    Part("Why attention took over, and why recurrence came back", "modern_part_costs", ":material/balance:", costs_part),
]


def main() -> None:
    """The page: run by pages/16_Modern_RNNs.py on every rerun."""
    lead, rest = ui.stage.lead(words.INTRO, sentences=1)     # under the title; the rest in "About this page"
    ui.page_setup(TOPIC, intro=lead)
    with ui.boundary():
        ui.stage.page_drawn("modern", None)
        v = main_view() or ui.defaults(MAIN)          # (the defaults when the main view failed: its message shows)
        ui.stage.page_drawn("modern", (v["T"], v["seed"]))     # what the deeper parts below draw

        left, right = st.columns(2)
        for where, name, lines, note in ((left, "GRU", words.GRU_EQUATIONS, words.GRU_NOTE),
                                         (right, "minGRU", words.MIN_EQUATIONS, words.MIN_NOTE)):
            where.markdown(f"**{name}**")
            for tex in lines:
                where.latex(tex)
            where.caption(note)

        ui.predict_reveal(words.QUESTION, words.ANSWERS, words.answer)
        ui.experiments(words.PRESETS, MAIN, show=CHART)

        steps = ui.stage.deeper("1 · The numbers of each step: h_t = a_t ⊙ h_{t−1} + b_t", STEPS,
                                icon=":material/table_rows:")
        if steps.open:
            e = example(v["T"], v["seed"])
            steps.markdown(words.steps_table(e))
            steps.caption(words.steps_said(e))
        for n, part in enumerate(PARTS, start=2):
            more = ui.stage.deeper(f"{n} · {part.title}", part.key, icon=part.icon)
            if more.open:
                with more:
                    part.draw(v["T"], v["seed"])
        ui.stage.about(rest, "modern_about")


@ui.fragment
def main_view() -> dict:
    """The toggle, T and the seed beside the chart of both starts. A fragment: a move reruns this part alone,
    unless an open part below shows the same example (then the whole page follows)."""
    with ui.boundary("main view"):
        controls, chart = ui.stage.main_view("modern", ratio=(1, 3))
        v = ui.render(MAIN, where=controls)
        live = st.session_state.get(STEPS) or any(st.session_state.get(p.key) for p in PARTS if p.follows_main)
        ui.stage.follow_page("modern", (v["T"], v["seed"]), bool(live))
        e = example(v["T"], v["seed"])
        s = compute.starts(e, v["minimal"])
        ui.chart(chart, figures.starts_chart(e, v["minimal"]), key=CHART,
                 summary=words.starts_said(s, v["minimal"], e.T))
        return v
