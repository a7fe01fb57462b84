"""What the Image captions page says, held against the data and the shipped model: the intro's facts, the notes
on a composed scene, the sentences written from a caption, the presets (every value one the page offers), the
predict-then-reveal answer (computed from the model) and the score sentence (from the manifest)."""
from __future__ import annotations

import re

import numpy as np
import pytest

from rnnviz import pretrained
from rnnviz.topics.captions import compute, data, view, words


@pytest.fixture(scope="module")
def shipped():
    return pretrained.load("captions")


def test_the_intro_and_the_help_state_the_data_as_it_is():
    held = ", ".join(f"a {c} {s}" for c, s in data.HELD_OUT)
    assert f"({held})" in words.INTRO and "three colour × shape pairs" in words.INTRO and len(data.HELD_OUT) == 3
    assert f"{data.SIZE} × {data.SIZE} picture" in words.INTRO
    assert f"rest of the {len(compute.VOCAB)} symbols" in words.HOW_TO_READ
    assert f"up to {data.TRAIN_NOISE:g}" in words.HELP["noise"]


def test_notes_say_what_the_model_never_saw():
    red_triangle = compute.compose("large red triangle", compute.NONE, "left", overlap=True)
    said = words.notes(red_triangle, 0.3, True)
    kinds = [k for k, _ in said]
    text = " ".join(t for _, t in said)
    assert "Overlap needs two things" in text and "never saw a red triangle" in text and "Noise 0.3" in text
    assert kinds.count("warn") == 2
    plain = compute.compose("small red circle", "large yellow triangle", "left")
    assert words.notes(plain, 0.05, False) == []
    over = compute.compose("small red circle", "large blue circle", "left", overlap=True)
    assert any("overlap" in t and "blue circle" not in t for _, t in words.notes(over, 0.0, True))


def test_the_presets_set_only_controls_the_page_offers():
    controls = {c.key: c for c in view.CONTROLS}
    for label, overrides, note in words.PRESETS:
        for key, value in overrides.items():
            c = controls[key]
            if hasattr(c, "options"):
                assert value in c.options, (label, key, value)
    stacked = words.PRESETS[0][1]
    scene = compute.compose(stacked["a"], stacked["b"], stacked["where"])
    caption = data.caption(scene)
    assert caption[1] == data.thing(stacked["b"]).size and caption[4:5] == ["above"]       # "Look at step 2"
    assert 2 <= len(words.PRESETS) <= 4                               # tests/ui/test_frame.py's rule
    unseen = words.PRESETS[-1][1]
    assert data.thing(unseen["a"]).held_out


def test_the_sentences_on_a_caption_quote_its_numbers(shipped):
    model, _ = shipped
    scene = compute.compose("small red circle", "large yellow triangle", "left")
    c = compute.describe(model, compute.picture(scene, 0, 0.05), 3)
    said = words.verdict(c, data.caption(scene))
    assert f"greedy Σ log p = {c.greedy.logp:.2f}" in said and f"beam {c.beam.logp:.2f}" in said
    p = c.probs[np.arange(len(c.greedy.tokens)), c.greedy.tokens]
    k = int(np.argmin(p))
    assert f"step {k + 1}" in words.steps_said(c) and f"p = {words.percent(float(p[k]))}" in words.steps_said(c)


@pytest.mark.parametrize("p, shown", [(1.0, "100 %"), (0.99995, "> 99.9 %"), (0.9951, "99.5 %"), (0.55, "55 %"),
                                      (0.0116, "1 %"), (0.0042, "0.4 %"), (0.00001, "< 0.1 %"), (0.0, "0 %")])
def test_a_probability_is_never_rounded_to_a_certainty_it_is_not(p, shown):
    assert words.percent(p) == shown


def test_the_answer_is_the_models_own_caption(shipped):
    model, _ = shipped
    index, why = words.answer(model)
    scene = compute.compose(*words.QUESTION_SCENE)
    got = compute.describe(model, compute.picture(scene, words.QUESTION_SEED, words.QUESTION_NOISE), 1).greedy_words
    assert f"“{' '.join(got)}”" in why
    assert (index == 0) == (got == data.caption(scene))
    assert "red triangle" in words.QUESTION and ("red", "triangle") in data.HELD_OUT


def test_the_score_sentence_comes_from_the_manifest(shipped):
    _, meta = shipped
    m = meta["metrics"]
    said = words.scores_said(m, meta["beam_width"])
    for key in ("seen_greedy_exact", "seen_beam_exact", "seen_nearest_exact", "unseen_greedy_exact"):
        assert f"{m[key]:.0%}" in said
    assert m["unseen_nearest_exact"] == 0 and "none holds such a pair" in said       # it can only copy
    assert re.search(r"width \d", said)


def test_the_beam_preset_is_a_scene_where_beam_finds_a_likelier_caption(shipped):
    model, _ = shipped
    p = words.BEAM_PRESET
    scene = compute.compose(p["a"], p["b"], p["where"])
    c = compute.describe(model, compute.picture(scene, p["seed"], p["noise"]), view.WIDTH.default)
    assert not c.agree and c.beam.logp > c.greedy.logp                  # "the two searches part ways"
    assert p["noise"] <= data.TRAIN_NOISE
