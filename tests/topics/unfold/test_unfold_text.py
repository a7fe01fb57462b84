"""The Unfolded-RNN page's words (rnnviz.topics.unfold.words) against what the cell computes: every
number is the measured one, each cause and direction is held here, and nothing above the question gives
its answer (issue 20; docs/claims/lessons-a.md)."""
from __future__ import annotations

import numpy as np
import pytest
import torch
from plotly.colors import sample_colorscale, unlabel_rgb

from rnnviz import cells
from rnnviz.shared.style import SIGNED_SCALE
from rnnviz.topics.unfold import compute as unfold
from rnnviz.topics.unfold import words as text

SATURATED = unfold.UnfoldConfig(input="numbers", numbers=", ".join(["100"] + ["0"] * 39))


def test_the_reveal_says_every_state_changed_only_when_every_state_did():
    reach = unfold.first_input_effect(unfold.UnfoldConfig())
    right, said = text.reveal(reach)
    assert reach.answer == "all" and list(text.ANSWERS)[right] == "all"
    assert f"‖Δh_T‖ is {reach.dh[-1] / reach.dh[0]:.2g} × ‖Δh₁‖" in said
    # a saturating first input and a long run of zeros: the difference rounds to exactly 0 in float64
    reach = unfold.first_input_effect(SATURATED)
    right, said = text.reveal(reach)
    assert reach.answer == "some" and list(text.ANSWERS)[right] == "some"
    z = reach.zero_from
    assert z is not None and np.all(reach.dh[z - 1:] == 0) and reach.dh[z - 2] > 0
    assert f"From step {z} on the difference is exactly 0" in said and "reaches every later state" not in said
    assert unfold.Reach("", np.array([0.3, 0.0, 0.0])).zero_from == 2
    assert unfold.Reach("", np.array([0.3, 0.1, 0.2])).zero_from is None


def test_the_clamp_caption_gives_the_forget_gate_reason_only_where_it_holds():
    assert "nothing to forget yet" in text.clamp_effect(1, None, 0.0, 0.0, 11, "forget")
    assert "nothing to forget" not in text.clamp_effect(3, None, 0.0, 0.0, 11, "input")
    iv = unfold.intervene(unfold.UnfoldConfig(cell="lstm"), "forget", 1, 1, 0.0)
    assert iv.first_change is None                                   # c₀ = 0: forgetting it changes nothing
    for gate in ("input", "output"):                                 # any other gate at step 1 does change
        assert unfold.intervene(unfold.UnfoldConfig(cell="lstm"), gate, 1, 1, 0.0).first_change == 1
    for gate in ("update", "reset"):
        assert unfold.intervene(unfold.UnfoldConfig(cell="gru"), gate, 1, 1, 1.0 if gate == "update" else 0.0).first_change == 1


def test_shutting_the_forget_gate_leaves_only_what_the_input_gate_writes():
    cfg = unfold.UnfoldConfig(cell="lstm", text="the cat sat on the mat")
    c = unfold.intervene(cfg, "forget", 6, 1, 0.0).clamped
    assert c.c[5][0] == pytest.approx(c.gates["input"][5][0] * c.gates["cell"][5][0], abs=1e-15)   # c₆ = i₆ ⊙ g₆


def test_two_biases_where_the_textbook_has_one():
    for kind, module in (("rnn", torch.nn.RNN(4, 3)), ("lstm", torch.nn.LSTM(4, 3)), ("gru", torch.nn.GRU(4, 3))):
        names = {n for n, _ in module.named_parameters()}
        assert {"bias_ih_l0", "bias_hh_l0"} <= names
        G = len(cells.LETTERS[kind])
        assert sum(p.numel() for p in module.parameters()) == G * 3 * (4 + 3 + 2)
    assert "two bias vectors" in text.shared_weights("RNN", "G·H·(I + H + 2)", 27)


def test_the_squares_colours_are_blue_white_red():
    lo, mid, hi = (unlabel_rgb(c) for c in sample_colorscale(SIGNED_SCALE, [0.0, 0.5, 1.0]))
    assert lo[2] > 2 * lo[0] and hi[0] > 2 * hi[2] and min(mid) > 240     # −1 blue, 0 white, +1 red
    assert "blue −1, white 0, red +1" in text.same_cell(27) and "−1 blue, 0 white, +1 red" in text.SQUARES


def test_no_preset_note_answers_the_question():
    """The question: change x₁ only; which hidden states change? The notes point, they do not tell."""
    for _, _, note in text.PRESETS:
        low = note.lower()
        for giveaway in ("fade", "forgotten", "almost agree", "drifts back", "every later", "exactly 0"):
            assert giveaway not in low, (giveaway, note)


def test_the_gru_update_convention_is_torchs():
    """MEANING says z = 1 copies h_{t−1}: the cell's own equation line reads that way round."""
    eq = dict(cells.build("gru", 2, 2).equations())["hidden"]
    assert eq.replace(" ", "") == r"h_t=(1-z_t)\odotn_t+z_t\odoth_{t-1}"
    assert "swap $z_t$ and $1 - z_t$" in unfold.MEANING["update"]


def test_squares_show_2_decimals_and_hover_gives_4():
    from rnnviz.topics.unfold import figures as figs
    from rnnviz.topics.unfold import step as unfold_step

    u = unfold.run(unfold.UnfoldConfig(cell="gru"))
    line = unfold_step.step_view(u, 2)[0]
    heat = [tr for tr in figs.equation_line(line, 2).data if tr.type == "heatmap"]
    assert heat and all(tr.texttemplate == "%{z:.2f}" and "%{z:.4f}" in tr.hovertemplate for tr in heat)
    assert "0.12" in unfold_step.vector(np.array([0.1234])) and "0.1234" not in unfold_step.vector(np.array([0.1234]))
    assert "hover one for 4 decimals. The equations round to 2." in text.SQUARES
