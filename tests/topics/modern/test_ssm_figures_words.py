"""The state-space section's figures (plotly accepts them unchanged; they draw rnnviz.ssm's numbers) and words
(every number a sentence states is the one rnnviz.ssm computes; the papers are named where their ideas are)."""
from __future__ import annotations

import re

import numpy as np
import pytest
from common import assert_plotly_accepts_unchanged

from rnnviz import ssm
from rnnviz.topics.modern import ssm_figures as figs
from rnnviz.topics.modern import ssm_words as words
from rnnviz.topics.modern import view_ssm


@pytest.mark.parametrize("modes", words.MODES)
@pytest.mark.parametrize("delta", [0.01, 0.1, 0.37, 1.0])
def test_the_plane_draws_the_eigenvalues_and_their_paths_from_one(modes, delta):
    A = words.continuous(modes)
    fig = figs.plane(A, delta)
    assert_plotly_accepts_unchanged(fig)
    circle, paths, dots = fig.data
    assert np.allclose(np.asarray(dots.x) + 1j * np.asarray(dots.y), ssm.eigenvalues(A, delta))
    starts = [i + 1 for i, v in enumerate(paths.x) if v is None][:-1]          # every path after a gap
    assert paths.x[0] == 1 and paths.y[0] == 0 and all(paths.x[i] == 1 for i in starts)   # Δ = 0: λ = 1
    assert max(np.hypot(x, y) for x, y in zip(circle.x, circle.y)) == pytest.approx(1, abs=1e-4)


@pytest.mark.parametrize("w, spike", [(10.0, 8), (0.0, 8), (10.0, 1), (12.0, words.T), (3.5, 20)])
def test_the_gate_draws_the_input_the_gate_the_states_and_the_product(w, spike):
    sel, steady = words.runs(w, spike)
    fig = figs.gate(sel, steady)
    assert_plotly_accepts_unchanged(fig)
    x, g, h_sel, h_steady, d_sel, d_steady = fig.data
    assert np.allclose(np.array(x.y[1::3], dtype=float), sel.x, atol=1e-4)          # each stem: 0, x_t, gap
    assert set(x.y[0::3]) == {0.0} and list(x.x[1::3]) == list(range(1, words.T + 1))
    assert np.allclose(g.y, 1 - sel.a, atol=1e-5)
    assert np.allclose(h_sel.y, sel.h, atol=1e-5) and np.allclose(h_steady.y, steady.h, atol=1e-5)
    prod = [np.prod(sel.a[t + 1:]) for t in range(words.T)]                   # ∏_{k=t+1}^{T} Ā_k
    assert np.allclose([v for v in d_sel.y], prod, rtol=1e-12)
    assert fig.layout.yaxis2.type == "log" and d_steady.y[-1] == 1.0


def test_the_plane_sentence_quotes_the_time_constants_and_periods_computed():
    said = words.plane_said("S4D-Lin", 0.1)
    tau = ssm.time_constant(ssm.eigenvalues(ssm.s4d_lin(words.N_UNITS), 0.1))
    assert f"last {tau[0]:.0f} steps" in said and "7 of them turn" in said and "aliasing" not in said
    per = ssm.period(ssm.eigenvalues(ssm.s4d_lin(words.N_UNITS), 0.1))
    assert f"{per[-1]:.2g}…{per[1]:.0f} steps" in said                            # 2/(nΔ) for n = 7 … 1
    real = words.plane_said("S4D-Real", 0.5)
    assert "None turns" in real and "0.25…2 steps" in real                         # 1/((n+1)·0.5), n = 7 … 0
    assert "5 would turn more than half a circle" in words.plane_said("S4D-Lin", 0.5)   # πnΔ > π for n = 3 … 7


def test_the_gate_and_gradient_sentences_quote_the_runs():
    sel, steady = words.runs(10.0, 8)
    said = words.gate_said(sel, steady, 8)
    assert f"Δ = {sel.delta[7]:.3g}" in said and f"writes {sel.write[7]:.0%}" in said
    assert f"h_T = {sel.h[-1]:.2f}" in said and f"h_T = {steady.h[-1]:.2f}" in said and "24 steps later" in said
    grad = words.grad_said(sel, steady, 8)
    assert "cuts it to" in grad and f"{sel.grad[6]:.2g} at step 7" in grad and f"{steady.grad[0]:.2g}" in grad
    assert "nothing comes before it" in words.grad_said(*words.runs(10.0, 1), 1)
    assert "At the last step" in words.gate_said(*words.runs(10.0, words.T), words.T)
    calm = words.grad_said(*words.runs(0.0, 8), 8)
    assert "keeps most of the state" in calm and "cuts" not in calm


def test_the_units_rows_and_numbers_are_the_memories():
    rows = words.memory_rows("S4D-Real", 0.2)
    assert [r["|λ|"] for r in rows] == [round(float(np.exp(-0.2 * (n + 1))), 4) for n in range(words.N_UNITS)]
    assert all(r["period (steps)"] == "never" for r in rows)
    assert words.plane_numbers("S4D-Real", 0.2).count("unit ") == words.N_UNITS


def test_the_papers_are_named_and_every_control_has_its_help():
    text = " ".join([words.LEAD, words.SELECT_LEAD, *(lead for lead, *_ in words.EQUATIONS)])
    for paper in ("Gu et al. 2022", "Orvieto et al. 2023", "Gu & Dao 2023"):
        assert paper in text
    assert set(words.HELP) == {c.key for c in view_ssm.CONTROLS}
    assert "softplus" in words.HELP["ssm_w"] and "zero-order hold" in words.HELP["ssm_delta"]
    # the help's numbers are the code's: softplus(b) at w = 0
    assert re.search(r"softplus\(-6\)", words.HELP["ssm_w"].replace("−", "-"))


def test_the_gate_numbers_list_every_step():
    sel, steady = words.runs(10.0, 8)
    said = words.gate_numbers(sel, steady, 8)
    assert said.startswith("Spike x = 1 at step 8 of 32")
    assert f"gate g_t: {sel.write[0]:.3f}, " in said and said.count(", ") >= 6 * (words.T - 1)
