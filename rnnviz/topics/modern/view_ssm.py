"""The state-space section of the Modern RNNs lesson: `section()` draws it where the lesson's page calls it.

Two parts, each an st.fragment (a move reruns and re-sends that part alone, not the page):
  1. the eigenvalues λ = exp(Δ·A) on the complex plane against the unit circle, with the step Δ (zero-order
     hold) as a slider and a choice of initialisation (S4D-Lin, S4D-Real);
  2. a selective step Δ_t = softplus(w·x_t + b) on a spike among noise: the gate it makes, the state, and
     the gradient ∏ Ā_k, beside the same unit with one Δ for every step.
The equations and their sources wait in a closed expander. Controls are URL-bound (ui.render), keys "ssm_…".
(Named view_ssm.py, not ssm_view.py: only a topic's view*.py may speak Streamlit, tests/test_imports.py.)
"""
from __future__ import annotations

import streamlit as st

from rnnviz import ui
from rnnviz.topics.modern import ssm_figures as figs
from rnnviz.topics.modern import ssm_words as text

HELP = text.HELP
PLANE_CONTROLS = [
    ui.Choice("ssm_modes", "Eigenvalues from", text.MODES, text.MODES[0], horizontal=True, help=HELP["ssm_modes"]),
    ui.Slider("ssm_delta", "Step Δ", text.DELTA_RANGE[0], text.DELTA_RANGE[1], 0.1, step=0.01, format="%.2f",
              help=HELP["ssm_delta"]),
]
GATE_CONTROLS = [
    ui.Slider("ssm_w", "Selectivity w", 0.0, 12.0, 10.0, step=0.5, help=HELP["ssm_w"]),
    ui.Slider("ssm_spike", "Spike at step", 1, text.T, 8, help=HELP["ssm_spike"]),
]
CONTROLS = PLANE_CONTROLS + GATE_CONTROLS
KEYS = [c.key for c in CONTROLS] + ["ssm_eqs"]      # every session key the section owns


def section() -> None:
    """The whole section, top to bottom (under a title of the page's): the lead, the eigenvalues, the selective step, the equations."""
    st.markdown(text.LEAD)          # (the title is the lesson page's: the expander this section opens in)
    plane_part()
    st.markdown(text.SELECT_LEAD)
    gate_part()
    ui.stage.equations("The equations, and the papers they come from", "ssm_eqs", text.EQUATIONS)


@ui.fragment
def plane_part() -> None:
    """Δ and the initialisation beside the complex plane; each unit's numbers in the chart's "The numbers"
    (no expander or table here: every element in a fragment is re-sent and redrawn on each move)."""
    controls, chart = ui.stage.main_view("ssm_plane", ratio=(1, 2))
    v = ui.render(PLANE_CONTROLS, where=controls)
    A = text.continuous(v["ssm_modes"])
    ui.chart(chart, figs.plane(A, v["ssm_delta"]), key="ssm_plane", summary=text.plane_said(v["ssm_modes"], v["ssm_delta"]),
             numbers=text.plane_numbers(v["ssm_modes"], v["ssm_delta"]))


@ui.fragment
def gate_part() -> None:
    """The selectivity and the spike's place beside the gate, the state and the gradient."""
    controls, chart = ui.stage.main_view("ssm_gate", ratio=(1, 3))
    v = ui.render(GATE_CONTROLS, where=controls)
    sel, steady = text.runs(v["ssm_w"], v["ssm_spike"])
    said = text.gate_said(sel, steady, v["ssm_spike"]) + " " + text.grad_said(sel, steady, v["ssm_spike"])
    ui.chart(chart, figs.gate(sel, steady), key="ssm_gate", summary=said,
             numbers=text.gate_numbers(sel, steady, v["ssm_spike"]))
