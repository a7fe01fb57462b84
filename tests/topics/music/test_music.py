"""The Music demo with the shipped model: it loads with its sha256 checked, the NumPy stepper that writes tunes
is torch.nn.LSTM to 1e-6, a generation is reproducible and its distributions are the model's own at τ, a loop
is found where there is one, the manifest's held-out scores beat both baselines, and the page's sentences say
what the numbers are."""
from __future__ import annotations

import numpy as np
import pytest
import torch

from kit.charts import array
from rnnviz import pretrained
from rnnviz.topics.music import compute, figures, notes, words


@pytest.fixture(scope="module")
def shipped():
    return pretrained.load("melody")


@pytest.fixture(scope="module")
def vogel(shipped):
    model, _ = shipped
    return words.opening(words.DEFAULT_SONG, "", model)


def test_the_model_loads_with_its_sha256_and_is_small(shipped):
    model, meta = shipped
    assert meta["sha256"] == pretrained.sha256(pretrained.ROOT / meta["file"])
    assert meta["bytes"] <= 1.5e6 and model.count_parameters() == meta["parameters"]
    assert model.kind == "lstm" and not model.training


def test_the_stepper_is_torchs_lstm(shipped, vogel):
    model, _ = shipped
    g = compute.generate(model, vogel.pitches, vogel.durations, 24, 0.8, 5)
    p, d = model.encode(g.pitches, g.durations)
    lp, ld = model.logits(p[:, None], d[:, None])                              # teacher forcing, torch
    assert np.allclose(torch.softmax(lp[:, 0].double() / 0.8, -1).numpy(), g.pitch_probs, atol=1e-6)
    assert np.allclose(torch.softmax(ld[:, 0].double() / 0.8, -1).numpy(), g.duration_probs, atol=1e-6)
    assert g.pitches[:len(vogel.pitches)] == vogel.pitches and len(g.pitches) == len(vogel.pitches) + 24
    rows = np.arange(len(g.pitches))
    assert np.allclose(g.chosen, g.pitch_probs[rows, p] * g.duration_probs[rows, d])


def test_generation_is_reproducible_and_temperature_sharpens(shipped, vogel):
    model, _ = shipped
    a, b = (compute.generate(model, vogel.pitches, vogel.durations, 32, 1.0, 3) for _ in range(2))
    assert a.pitches == b.pitches and a.durations == b.durations
    assert compute.generate(model, vogel.pitches, vogel.durations, 32, 1.0, 4).pitches != a.pitches
    cold = compute.generate(model, vogel.pitches, vogel.durations, 32, 0.1, 3)
    hot = compute.generate(model, vogel.pitches, vogel.durations, 32, 2.0, 3)
    n = len(vogel.pitches)
    assert cold.pitch_probs[n:].max(1).mean() > a.pitch_probs[n:].max(1).mean() > hot.pitch_probs[n:].max(1).mean()
    assert np.isfinite(cold.pitch_probs).all() and np.allclose(cold.pitch_probs.sum(1), 1)


def test_period():
    assert compute.period([1, 2, 3] * 6, 16) == 3
    assert compute.period([5] * 16, 16) == 1
    assert compute.period(list(range(16)), 16) is None and compute.period([1, 1], 16) is None


def test_the_lstm_beats_both_baselines_on_held_out_songs(shipped):
    m = shipped[1]["metrics"]
    assert m["test_nll"] < m["bigram_nll"] < m["repeat_nll"]
    assert m["test_pitch_accuracy"] > m["bigram_pitch_accuracy"] and m["test_pitch_accuracy"] > m["repeat_pitch_accuracy"]
    assert m["test_duration_accuracy"] > m["bigram_duration_accuracy"]
    said = words.scores_said(m)
    assert f"{m['test_pitch_accuracy']:.0%} of the time against {m['bigram_pitch_accuracy']:.0%}" in said


def test_the_intro_says_how_many_songs_it_learned_from(shipped):
    n = shipped[1]["data"]["sizes"]["train"]
    assert f"about {round(n, -2):,} German folk songs" in words.INTRO


def test_the_sentences_under_the_tune_are_its_numbers(shipped, vogel):
    model, _ = shipped
    g = compute.generate(model, vogel.pitches, vogel.durations, 16, 1.0, 0)
    said = words.tune_said(g)
    written = [p for p in g.pitches[g.n_open:] if p != notes.REST]
    assert f"wrote 16 notes ({sum(g.durations[g.n_open:]):g} beats) after the {g.n_open}-note opening" in said
    assert f"from {notes.name(min(written))} to {notes.name(max(written))}" in said
    assert f"{g.surprise():.1f} bits" in said
    assert f"{g.beats * 60 / words.BPM:.1f} s" in words.audio_said(g)


def test_the_answer_comes_from_the_model(shipped, vogel):
    model, _ = shipped
    index, why = words.answer(model, vogel.pitches, vogel.durations)
    cold = compute.generate(model, vogel.pitches, vogel.durations, words.QUESTION_N, 0.1, 0)
    assert index == (0 if cold.loop() else 1)
    assert notes.write(cold.pitches[-compute.LOOP_TAIL:], cold.durations[-compute.LOOP_TAIL:]) in why


def test_the_piano_roll_draws_every_note_over_its_distribution(shipped, vogel):
    model, _ = shipped
    g = compute.generate(model, vogel.pitches, vogel.durations, 8, 1.0, 0)
    spec = figures.roll(g, model.pitches).to_plotly_json()
    heat, opening, written = spec["data"]
    assert len(array(heat["x"])) == len(g.pitches) + 1
    assert np.allclose(array(heat["z"]), g.pitch_probs.T)
    assert opening["y"][::3] == [notes.name(p) for p in vogel.pitches]
    assert written["y"][::3] == [notes.name(p) for p in g.pitches[g.n_open:]]
    assert spec["layout"]["shapes"][0]["x0"] == pytest.approx(sum(vogel.durations))


def test_every_control_has_help_and_the_presets_set_only_controls():
    from rnnviz.topics.music import view

    keys = [c.key for c in view.controls_of()]
    assert set(keys) | {"hear"} == set(words.HELP)                 # the controls and the "Hear the tune" button
    for label, overrides, *_ in words.PRESETS:
        assert set(overrides) <= set(keys), label
    assert words.DEFAULT_SONG in words.SONGS and words.OWN not in words.SONGS


def test_the_loop_is_not_said_before_the_question_is_answered(shipped, vogel):
    model, _ = shipped
    g = compute.generate(model, vogel.pitches, vogel.durations, 32, 0.1, 0)
    assert "repeat" not in words.tune_said(g, held=True) and "Answer the question below first" in words.tune_said(g, True)
    assert ("repeat every" in words.tune_said(g)) == bool(g.loop())


def test_a_long_tune_says_where_the_player_stops(shipped):
    model, _ = shipped
    g = compute.generate(model, [60], [12.0], 0, 1.0, 0)
    long = compute.Generation([60] * 40, [4.0] * 40, 1, g.pitch_probs, g.duration_probs, g.chosen, 1.0)
    assert "80.0 s; the player stops at 60 s" in words.audio_said(long)
    assert "stops" not in words.audio_said(g)


def test_the_cold_and_hot_presets_notes(shipped, vogel):
    """Cold (τ = 0.1, the default opening and seed): every written column has a cell at the top of the scale
    (figures.TOP: deep blue); hot (τ = 1.8): none has."""
    model, _ = shipped
    n = len(vogel.pitches)
    cold = compute.generate(model, vogel.pitches, vogel.durations, 48, 0.1, 0)
    hot = compute.generate(model, vogel.pitches, vogel.durations, 48, 1.8, 0)
    assert cold.pitch_probs[n:].max(1).min() >= figures.TOP > hot.pitch_probs[n:].max(1).max()


def test_every_figure_is_valid_plotly(shipped, vogel):
    from common import assert_plotly_accepts_unchanged

    model, meta = shipped
    g = compute.generate(model, vogel.pitches, vogel.durations, 8, 1.0, 0)
    for fig in (figures.roll(g, model.pitches), figures.rhythm(g, model.durations), figures.scoreboard(meta["metrics"])):
        assert_plotly_accepts_unchanged(fig)
