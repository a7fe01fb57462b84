"""The Modern RNNs page's numbers against theory and torch: the minGRU made from a GRU reads x_t alone (its a_t,
b_t by hand from the GRU's input weights; the gates identical from any start; h_T − h_T' = ∏a·(h_0 − h_0')), the
GRU is torch.nn's, the scan tree's every box is scan.py's round and its last row the loop, the costs chart's
formulas, and the words' numbers (the question's answer, the plan's 4,096, the sentences)."""
from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from rnnviz import scan
from rnnviz.shared import plan
from rnnviz.topics.modern import compute, figures, words


@pytest.fixture(scope="module", params=[(16, 0), (64, 3)], ids=["T16-seed0", "T64-seed3"])
def ex(request):
    return compute.example(*request.param), request.param


def test_the_gru_is_torch_nns_from_both_starts(ex):
    e, (T, seed) = ex
    cell = compute.gru_cell(seed)
    gru = torch.nn.GRU(compute.I, compute.H, dtype=torch.float64)
    with torch.no_grad():
        for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
            getattr(gru, f"{name}_l0").copy_(getattr(cell, name))
    x = compute.sequence(T, seed)
    out, _ = gru(x)
    out_alt, _ = gru(x, compute.other_start(seed)[None])
    assert np.allclose(e.gru_h, out[:, 0].detach().numpy(), atol=1e-12)
    assert np.allclose(e.gru_h_alt, out_alt[:, 0].detach().numpy(), atol=1e-12)


def test_the_mingru_a_and_b_come_from_x_alone_by_hand(ex):
    e, (T, seed) = ex
    w = compute.gru_cell(seed).blocks()
    x = e.x[:, None]                                                    # (T, I)
    z = 1 / (1 + np.exp(-(x @ w["W_iz"].detach().numpy().T + w["b_iz"].detach().numpy())))
    n = x @ w["W_in"].detach().numpy().T + w["b_in"].detach().numpy()   # no tanh, no r, no h_{t−1}
    assert np.allclose(e.a, z, atol=1e-12) and np.allclose(e.b, (1 - z) * n, atol=1e-12)
    assert np.array_equal(e.a, e.a_alt)                                 # the start changes no gate at all
    h, prev = [], np.zeros(compute.H)
    for t in range(T):
        prev = e.a[t] * prev + e.b[t]                                   # h_t = a_t ⊙ h_{t−1} + b_t
        h.append(prev)
    assert np.allclose(e.min_h, h, atol=1e-12) and np.allclose(e.min_h_loop, h, atol=1e-12)
    # linear in the start: h_T − h_T' = (∏_t a_t) ⊙ (h_0 − h_0'), the gap the sentence quotes
    assert np.allclose(e.min_h[-1] - e.min_h_alt[-1], np.prod(e.a, axis=0) * (0 - e.h0_alt), atol=1e-12)


def test_the_gru_gates_read_the_start_and_the_mingru_ones_do_not(ex):
    e, (T, _) = ex
    gru, mini = compute.starts(e, False), compute.starts(e, True)
    assert gru.gate_gap > 0.05 and mini.gate_gap == 0.0
    assert gru.gate_gap == pytest.approx(np.abs(e.gru_z - e.gru_z_alt).max())
    assert mini.last_gap == pytest.approx(np.abs(e.min_h[-1] - e.min_h_alt[-1]).max()) and mini.last_gap < mini.first_gap
    said = words.starts_said(mini, True, T)
    assert "do not change at all (largest difference 0)" in said and f"{mini.last_gap:.1e}" in said
    assert f"{gru.gate_gap:.2f} (step {gru.gate_step})" in words.starts_said(gru, False, T)


def test_a_longer_t_only_adds_steps():
    short, long = compute.example(8, 5), compute.example(64, 5)
    assert np.array_equal(short.x, long.x[:8]) and np.allclose(short.min_h, long.min_h[:8])


def test_the_tree_is_scan_pys_rounds_and_ends_on_the_loop():
    e = compute.example(16, 0)
    t = compute.tree(e)
    a, b = torch.from_numpy(e.a[:8, 0].copy()), torch.from_numpy(e.b[:8, 0].copy())
    rounds: list[scan.Round] = []
    scan.scan(a, b, rounds=rounds)
    assert t.rounds == 3 == scan.n_rounds(8) == len(rounds)
    for (A, B), r in zip(t.rows[1:], rounds):
        assert np.array_equal(A, r.a.numpy()) and np.array_equal(B, r.b.numpy())
    assert t.reads == [[-1, 0, 1, 2, 3, 4, 5, 6], [-1, -1, 0, 1, 2, 3, 4, 5], [-1, -1, -1, -1, 0, 1, 2, 3]]
    # after round k, position t is the composition of steps max(1, t − 2^k + 1) … t, by hand with combine
    for k, (A, B) in enumerate(t.rows):
        for pos in range(8):
            pair = (a[max(0, pos - 2 ** k + 1)], b[max(0, pos - 2 ** k + 1)])
            for s in range(max(0, pos - 2 ** k + 1) + 1, pos + 1):
                pair = scan.combine(pair, (a[s], b[s]))
            assert A[pos] == pytest.approx(float(pair[0]), abs=1e-12) and B[pos] == pytest.approx(float(pair[1]), abs=1e-12)
    assert np.allclose(t.rows[-1][1], e.min_h[:8, 0], atol=1e-12) and np.allclose(t.loop, e.min_h[:8, 0], atol=1e-12)
    assert t.compositions == 7 + 6 + 4 == compute.hillis_steele_compositions(8)
    said = words.tree_said(t)
    assert "After 3 rounds" in said and f"h_8 = {t.loop[-1]:+.4f}" in said and "scan 17, in 3 rounds" in said
    spec = figures.tree_chart(t).to_plotly_json()
    assert len(spec["data"][2]["x"]) == 8 * 4 and spec["data"][2]["text"][-1].startswith(f"A {t.rows[-1][0][-1]:.2f}")


@pytest.mark.parametrize("T", [2, 3, 8, 100, 4096])
def test_the_scans_work_formula_counts_its_compositions(T):
    rounds: list[scan.Round] = []
    scan.scan(torch.rand(T), torch.rand(T), rounds=rounds)
    assert compute.hillis_steele_compositions(T) == sum(sum(r >= 0 for r in x.reads) for x in rounds)


def test_the_costs_are_their_formulas():
    c = compute.costs()
    T, d = c.T, compute.D_MODEL
    assert list(T) == [2 ** k for k in range(4, 17)]
    assert np.array_equal(c.depth["rnn"], T) and (c.depth["attention"] == 1).all()
    assert list(c.depth["linear"]) == [scan.n_rounds(int(t)) for t in T]           # log2 T for powers of 2
    assert (c.memory["rnn"] == d).all() and (c.memory["linear"] == d).all()
    assert np.array_equal(c.memory["attention"], 2 * T * d)                          # a key and a value per token
    assert np.array_equal(c.work["attention"], 4 * T * d * d + 2 * T ** 2 * d)
    assert list(c.work["linear"]) == [2 * t * d * d + 2 * d * compute.hillis_steele_compositions(int(t)) for t in T]
    # the shapes the chart shows: attention's work grows as T², the others' about as T
    assert c.work["attention"][-1] / c.work["attention"][-2] > 3.9 and c.work["rnn"][-1] / c.work["rnn"][-2] == 2
    said = words.costs_said(c)
    assert "At T = 4,096 tokens: an RNN takes 4,096 steps one after another, attention 1 and a linear RNN's scan 12" \
        in said and "attention keeps 524,288 numbers per layer, the RNN and the linear RNN 64" in said
    assert "multiplies attention's work by 3.9, the RNN's by 2.0" in said
    spec = figures.costs_chart(c).to_plotly_json()
    assert len(spec["data"]) == 9 and spec["layout"]["xaxis3"]["type"] == "log"


def test_the_question_answer_and_the_plans_step_are_computed():
    right, why = words.answer()
    assert words.ANSWERS[right] == str(math.ceil(math.log2(compute.MARK))) == "12"
    assert "45,057 compositions" in why and why.startswith("⌈log₂ 4,096⌉ = 12")
    step = next(s for s in plan.parse(plan.COURSE, plan.pages())[0] if s.title == "Modern RNNs")
    assert f"{compute.MARK:,} steps" in step.predict and f"{compute.MARK:,} steps" in words.QUESTION


def test_the_step_table_is_the_recurrence():
    e = compute.example(20, 1)
    rows = words.steps_table(e).splitlines()[2:]
    assert len(rows) == words.STEPS_SHOWN
    for t, row in enumerate(rows):
        cells = [float(c) for c in row.strip("|").split("|")]
        assert cells[0] == t + 1 and cells[5] == pytest.approx(cells[2] * cells[4] + cells[3], abs=2e-3)
        assert cells[6] == pytest.approx(float(e.min_h[t, 0]), abs=5e-4)
    assert "the first 12 of 20 steps" in words.steps_said(e)


def test_the_presets_outcomes_hold_at_their_settings():
    """"The two gate lines lie on each other" (minGRU); at T = 64 the two state lines "meet", each a_t below 1."""
    e = compute.example(64, 0)
    s = compute.starts(e, True)
    assert s.gate_gap == 0.0 and (e.a < 1).all() and s.last_gap < 1e-3 * s.first_gap
    assert words.PRESETS[2][1] == {"minimal": True, "T": 64}
