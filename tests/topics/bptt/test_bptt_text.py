"""The BPTT page's words (rnnviz.topics.bptt.words) against the numbers they quote: each number is the
measured one, each direction or cause is held here, and nothing above the question gives its answer
(issue 20; docs/claims/lessons-a.md)."""
from __future__ import annotations

import colorsys

import numpy as np
import pytest

from rnnviz.shared.style import COLOR
from rnnviz.topics.bptt import compute as bl
from rnnviz.topics.bptt import words as text
from rnnviz.shared import sequences


def measured(name: str) -> bl.Lesson:
    return bl.run(text.preset_config(name))


@pytest.fixture(scope="module")
def notes() -> dict[str, str]:
    return {name: note for name, (_, _, note) in zip(text.PRESETS, text.experiments(measured))}


def test_the_cut_hard_note_quotes_the_default_lessons_k1_numbers_and_its_cause_holds(notes):
    les = measured("cut")
    assert text.preset_config("cut") == bl.LessonConfig()           # k is not part of the lesson
    cos, ratio = (float(a[0]) for a in bl.truncation_curve(les))
    assert f"cosine to the full gradient is {cos:.3f} and the length ×{ratio:.2f}" in notes["cut"]
    kept, full = les.truncated_whh()[0], les.whh_grad
    assert ratio > 1 and "longer than the full gradient" in notes["cut"]
    assert float(np.sum(kept * (full - kept))) < 0                    # the dropped pieces point against the rest
    for scheme in ("sliding", "chunks"):                               # "both schemes agree at k = 1"
        np.testing.assert_allclose(bl.truncated(les, 1, scheme).whh_grad, kept, rtol=0, atol=1e-12)


def test_the_untrained_note_counts_the_steps_where_the_local_loss_is_the_bigger_part(notes):
    parts = measured("untrained").part_norms()
    n = int((parts["local"] > parts["future"]).sum())
    assert f"bigger part at {n} of {len(parts['local'])} steps" in notes["untrained"] and n == 9
    hue = lambda c: colorsys.rgb_to_hsv(*(int(c[i:i + 2], 16) / 255 for i in (1, 3, 5)))[0] * 360
    assert hue(COLOR["loss"]) < 15 or hue(COLOR["loss"]) > 345        # "ℓ_t (red)"
    assert 255 < hue(COLOR["future"]) < 290                            # "from the future (purple)"
    assert 25 < hue(COLOR["running"]) < 45                             # "the orange running sum"


def test_the_square_wave_needs_the_last_4_inputs_and_flips_after_4_equal_values():
    x, _ = sequences.make_sequence("steps", 40, "")
    seen: dict[tuple, set] = {}
    for t in range(3, len(x) - 1):                                     # the next value from the last 4 ...
        last4 = tuple(x[t - 3:t + 1])
        assert x[t + 1] == (1 - x[t] if len(set(last4)) == 1 else x[t])
        seen.setdefault(tuple(x[t - 2:t + 1]), set()).add(x[t + 1])
    assert any(len(v) > 1 for v in seen.values())                      # ... but not from the last 3


def test_the_long_sine_climbs_far_above_the_full_gradient_then_falls_back_onto_it():
    les = measured("long")
    running = les.running_norms()                                      # index t − 1: Σ_{s ≥ t} shares
    assert running.max() > 3 * les.whh_norm and running.argmax() > 0
    assert running[0] == pytest.approx(les.whh_norm)


def test_chunks_keep_only_some_of_what_the_sliding_window_keeps():
    for T in (2, 12, 40):
        for k in range(1, T + 1):
            sl, ch = bl.kept_pairs(T, k, "sliding"), bl.kept_pairs(T, k, "chunks")
            assert not (ch & ~sl).any()
            assert (ch.sum() < sl.sum()) == (1 < k < T)                 # equal at k = 1 and k = T


def test_nothing_above_the_question_gives_its_answer(notes):
    """The question: with a sliding window of 3, whose ∂L/∂W_hh points further away, trained or untrained?"""
    for note in notes.values():
        low = note.lower()
        for giveaway in ("falls far below", "keeps almost all", "cosine falls", "trained one"):
            assert giveaway not in low, (giveaway, note)
    assert "predict first" in notes["memory"]


def test_backward_notice_counts_where_the_pass_grew_and_shrank_the_gradient():
    les = bl.run(bl.LessonConfig())
    gains = les.passing_gains()
    said = text.backward_notice(les)
    assert f"grew at {(gains > 1).sum()} and shrank at {(gains < 1).sum()} of the {les.T - 1} steps" in said
    assert "shrunk at each step" not in said


def test_window_note_says_exactly_what_each_k_keeps():
    note = text.window_note(12)
    assert "k = 12 every piece of ∂L/∂W_hh" in note and "k = 13 lets every loss reach h₀" in note
    assert "Chunks of k ≥ 12 are one chunk" in note and "k ≥ 13 keeps everything" not in note
    les = bl.run(bl.LessonConfig())
    assert les.T == 12
    np.testing.assert_allclose(bl.truncated(les, 12).whh_grad, les.whh_grad, rtol=0, atol=1e-12)
    assert not np.allclose(bl.truncated(les, 12).dh0, les.dh0)          # the last loss misses h₀ at k = T
    np.testing.assert_allclose(bl.truncated(les, 13).dh0, les.dh0, rtol=0, atol=1e-12)
    np.testing.assert_allclose(bl.truncated(les, 12, "chunks").dh0, les.dh0, rtol=0, atol=1e-12)


def test_step_1s_share_is_zero_because_h0_is_zero():
    les = bl.run(bl.LessonConfig())
    trace, _, _ = bl.forward(les.model, les.values)
    assert not trace.h0.any() and les.share_norms()[0] == 0.0        # δz₁ h₀ᵀ with h₀ = 0


@pytest.mark.parametrize("kind,source", [("rnn", "sine"), ("rnn", "steps"), ("lstm", "sine"), ("gru", "sine")])
def test_the_reveal_quotes_the_measured_numbers_and_picks_the_measured_answer(kind, source):
    trained = bl.run(bl.LessonConfig(kind=kind, source=source, train_steps=text.TRAINED))
    untrained = bl.run(bl.LessonConfig(kind=kind, source=source, train_steps=0))
    right, said = text.reveal(untrained, trained)
    cu, ct = bl.truncation_cosine(untrained, 3), bl.truncation_cosine(trained, 3)
    assert f"{cu:.3f} untrained and {ct:.3f}" in said
    assert right == (2 if min(cu, ct) > 0.99 else 0 if ct < cu else 1)
    if "lean on longer paths" in said:                                 # a cause, said only when measured
        assert trained.far_share(3) > untrained.far_share(3) and right == 0


def test_the_forward_summary_names_the_largest_error_and_loss():
    les = bl.run(bl.LessonConfig())
    err = les.y - les.target
    i = int(np.abs(err).argmax())
    said = text.forward_summary(les)
    assert f"y_{i + 1} − x_{i + 2} = {err[i]:.3g} at step {i + 1}" in said
    assert f"L_{int(les.losses.argmax()) + 1} = {les.losses.max():.3g}" in said
    assert np.isclose(les.losses.max(), 0.5 * err[int(les.losses.argmax())] ** 2)


def test_the_untrained_note_quotes_both_total_losses(notes):
    u, d = measured("untrained"), measured("cut")
    assert f"total loss is {u.total_loss:.3g} (the default 20 training steps bring it to {d.total_loss:.3g})" in notes["untrained"]
    assert u.total_loss > d.total_loss


def test_the_sentence_under_the_backward_chart_adds_up():
    """Issue 22: at step t, ‖δh_t‖ and its two parts as the lesson measures them; the bigger one named."""
    lesson = measured("untrained")
    parts = lesson.part_norms()
    for t in (1, lesson.T // 2, lesson.T):
        said = text.so_far_said(lesson, t)
        assert f"‖δh_{t}‖ = {parts['dh'][t - 1]:.3g}" in said
        if t < lesson.T:
            bigger = "its own loss" if parts["local"][t - 1] > parts["future"][t - 1] else "the future"
            assert f"{parts['local'][t - 1]:.3g} from its own loss" in said and said.endswith(f"from {bigger}.")
