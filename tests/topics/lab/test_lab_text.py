"""The Gradient lab's words (rnnviz.topics.lab.words) against the numbers they quote: every number in a
caption or a "what to try" note is the measured one, every direction word follows the chart's axis, and
nothing above the question gives its answer (issue 20; docs/claims/lessons-a.md)."""
from __future__ import annotations

import re

import numpy as np
import pytest

from rnnviz.topics.lab import compute as lab
from rnnviz.topics.lab import words as text


def measured(name: str, kind: str) -> lab.CellResult:
    return lab.run_cell(lab.relevant(text.preset_config(name), kind), kind)


@pytest.fixture(scope="module")
def notes() -> dict[str, str]:
    return {name: note for name, (_, _, note) in zip(text.PRESETS, text.experiments(measured))}


def test_each_preset_note_quotes_what_its_own_configuration_measures(notes):
    keep = lab.lstm_memory(measured("keep", "lstm"))
    assert f"product over the 99 steps is {keep.kept:.2f}" in notes["keep"] and f"{keep.kept:.2f}" == "0.51"
    assert f"= {keep.ratio:.2f}" in notes["keep"] and f"{keep.ratio:.2f}" == "0.27"
    assert f"measured mean {keep.forget_mean:.3f}" in notes["keep"]
    rnn = measured("torch", "rnn").verdict.factor
    assert f"×{measured('torch', 'lstm').verdict.factor:.3f}" in notes["torch"] and f"×{rnn:.3f}" in notes["torch"]
    # each preset really is that configuration: the button sets these and the rest to the defaults
    assert text.preset_config("keep") == lab.LabConfig(forget_bias=5.0)


def test_the_note_of_the_questions_preset_says_where_to_look_not_what_happens(notes):
    """The question asks what scale 3 does; its preset's note must not answer it."""
    note = notes["explode"].lower()
    for word in ("grow", "less", "vanish", "saturat", "rises", "falls", "far below", "explod"):
        assert word not in note, word
    for answer in text.ANSWERS:
        assert answer.lower() not in note


def test_sigmoid_values_in_the_help_are_the_sigmoids():
    assert "0.50 at PyTorch's default" in text.HELP["forget_bias"] and "0.73 at b_f = 1" in text.HELP["forget_bias"]
    assert "0.95 at b_f = 3" in text.HELP["forget_bias"]
    assert text.sigmoid(5) == pytest.approx(0.9933, abs=1e-4)


def test_the_spectrum_caption_names_the_case_the_numbers_are_in():
    d = lab.run(lab.LabConfig())
    cap = text.spectrum_caption(d)
    r = d.results["rnn"]
    assert r.radius < 1 <= r.sigma_max and "Here ρ < 1 ≤ σ_max" in cap
    assert f"{r.sigma_max ** 99:.3g}× over 99 steps" in cap and f"{r.sigma_max ** 99:.3g}" == "315"
    assert f"mean f = {d.results['lstm'].forget_mean:.2f}" in cap and f"mean z = {d.results['gru'].update_mean:.2f}" in cap
    small = lab.run(lab.LabConfig(scale=0.5))
    assert small.results["rnn"].sigma_max < 1 and "Here σ_max < 1" in text.spectrum_caption(small)
    big = lab.run(lab.LabConfig(scale=3.0))
    assert big.results["rnn"].radius > 1 and "Here ρ > 1" in text.spectrum_caption(big)
    for init in ("orthogonal", "identity"):                  # ρ = σ_max = 1: neither case above
        one = lab.run(lab.LabConfig(init=init, T=30, H=8))
        assert one.results["rnn"].radius == pytest.approx(1.0, abs=1e-9)
        assert "Here ρ = 1" in text.spectrum_caption(one)
    # the one sentence that defines σ_max against ρ appears wherever both do
    for words in (cap, text.HELP["scale"]):
        assert "largest |eigenvalue|" in words and "largest singular value" in words.replace("\n", " ")
        assert "ρ ≤ σ_max" in words


def test_the_far_caption_quotes_the_measured_shares():
    res = lab.run(lab.LabConfig())
    cap = text.far_caption(res)
    for kind, r in res.results.items():
        assert f"{kind.upper()} {text._pct(r.far_share)}" in cap
    assert text.far_caption(lab.run(lab.LabConfig(T=5))) is None


def test_the_every_step_caption_appears_only_then_and_quotes_the_solid_curves():
    assert text.every_caption(lab.run(lab.LabConfig())) is None
    res = lab.run(lab.LabConfig(loss="every"))
    cap = text.every_caption(res)
    for kind, r in res.results.items():
        assert f"{kind.upper()} {r.norms[0] / r.norms[-1]:.2g}" in cap


def test_the_memory_caption_quotes_the_forget_gates():
    res = lab.run(lab.LabConfig(forget_bias=3.0))
    m = lab.lstm_memory(res.results["lstm"])
    cap = text.memory_caption(res)
    assert "σ(3) = 0.95" in cap and f"measure f = {m.forget_mean:.2f}" in cap and f"pass {m.kept:.2g} of" in cap


@pytest.mark.parametrize("nl", ["tanh", "relu", "linear"])
def test_the_reveal_explains_with_the_nonlinearity_it_ran(nl):
    res = lab.run(lab.LabConfig(scale=3.0, nonlinearity=nl, T=60))
    right, why = text.reveal(res)
    measured, bound = lab.bound_gap(res)
    assert f"10^{measured:.1f}" in why and f"10^{bound:.1f}" in why and text.why(res) in why
    r = res.results["rnn"]
    h = lab.make_cell("rnn", res.config).unroll(lab.make_input(res.config)[0]).h.detach()
    slope = {"tanh": (1 - h ** 2).mean(), "linear": 1.0,
             "relu": (h > 0).double().mean()}[nl]                  # relu: h > 0 exactly where a > 0
    assert r.mean_slope == pytest.approx(float(slope), rel=1e-9)
    if nl == "tanh":
        assert r.mean_slope < 0.7 and f"{r.mean_slope:.2f} on average" in why   # saturated: well below 1
    assert right == (0 if measured > bound - 1 else 1)
    assert measured < bound                                  # the bound holds, for every φ
    r = res.results["rnn"]
    if nl == "linear":                                       # "grows like ρ^k in the long run"
        assert r.verdict.factor == pytest.approx(r.radius, rel=0.05)


def test_no_figure_axis_or_word_puts_time_the_old_way_round():
    """Every direction word on the page follows k = T − t: nothing says "the loss sits at the right"."""
    words = " ".join([text.INTRO, text.HELP["scale"], text.HELP["forget_bias"], text.HELP["loss"], text.QUESTION,
                      text.spectrum_caption(lab.run(lab.LabConfig(T=20)))])
    assert not re.search(r"at the right|flow leftwards|early steps cannot learn|must vanish", words)
    assert "falls** from left to right is a **vanishing" in text.INTRO


def test_the_sentence_under_the_main_chart_waits_for_the_answer():
    """Issue 22: what reaches h₁ is what the verdicts say and the question asks; before the reveal the sentence
    under the main chart says what to read and the bound's rate, after it the measured share per cell."""
    res = lab.run(lab.LabConfig())
    held, shown = text.grad_said(res, False), text.grad_said(res, True)
    rnn = res.results["rnn"]
    assert f"×{rnn.sigma_max:.3f} per step at most" in held and "Predict first" in held and "At h₁" not in held
    for kind, r in res.results.items():
        assert f"{text.name(kind)} ×{r.travel[0] / r.travel[-1]:.2g}" in shown
    assert "At h₁, 99 steps back" in shown
