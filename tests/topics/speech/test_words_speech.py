"""Every fixed sentence of the speech page that states a number or a fact is held here against the code and
the data it describes (voices, rates, noise levels, the split), and the model-quoting sentences against the model."""
from __future__ import annotations

import numpy as np
import pytest

from rnnviz import pretrained
from rnnviz.topics.speech import audio, compute, ctc, data, words
from rnnviz.topics.speech.model import ALPHABET


@pytest.fixture(scope="module")
def model():
    return pretrained.load("speech")[0]


def test_fixed_texts_match_the_data():
    assert "one every 15 ms" in words.INTRO and audio.HOP_SECONDS == 0.015
    assert "in 40 voice settings" in words.INTRO and len(data.train_voices()) == 40
    labels = list(compute.VOICES)
    assert all(compute.VOICES[v] in data.train_voices() for v in labels[:4])
    assert all(compute.VOICES[v] in data.test_voices() and "never heard" in v for v in labels[4:])
    assert compute.SPEEDS == {"slow": 130, "normal": 175, "fast": 250} and data.RATES == (130, 260)
    assert "slow 130, normal 175, fast 250" in words.HELP["speed"] and "130–259" in words.HELP["speed"]
    assert sorted(s for s in data.SNRS if np.isfinite(s)) == [12.0, 20.0, 30.0]
    assert "none, 30, 20 and 12 dB" in words.HELP["noise"] and "down to 12 dB" in words.QUESTION
    assert compute.NOISES["8 dB"] == 8.0 and 8.0 < min(data.SNRS)           # more than it ever heard
    assert len(data.TRAIN_LANGUAGES) == 4 and len(data.TRAIN_VARIANTS) == 10 and data.PITCHES == (20, 80)
    assert "pitches 20–79" in words.DATA and 450 < len(data.WORDS) < 550 and "about 500" in words.DATA
    assert f"at most {compute.MAX_LETTERS}" in words.HELP["word"]


def test_presets_say_true_things():
    split = data.split()
    by_label = {label: over for label, over, _ in words.PRESETS}
    assert by_label["seven: a word it trained on"]["word"] in split.train
    unheard = [over["word"] for label, over, note in words.PRESETS if "test word" in note]
    assert len(unheard) == 2 and all(w in split.test for w in unheard)
    assert all(compute.VOICES[over["voice"]] in data.test_voices() for label, over, _ in words.PRESETS
               if "voice it never heard" in label)
    assert "tt" in by_label["letter: a double t"]["word"]
    for _, over, _ in words.PRESETS:
        assert compute.prepare(over["word"]).word == over["word"] and not compute.prepare(over["word"]).messages


def test_the_equations_collapse():
    path = [ALPHABET.index(c) for c in "ss·eee·vv·e·nn"]
    assert compute.letters(ctc.collapse_steps(path).letters) == "seven"


def test_a_double_letter_keeps_its_blank(model):
    """HOW_TO_READ and the "letter" preset: in "letter" a blank between the two t's keeps them two."""
    h = compute.hear(model, "letter", compute.VOICES["American man"], 175)
    merged = compute.letters(h.collapse.merged)
    assert "t·t" in merged and "tt" in h.greedy


def test_model_sentences(model):
    h = compute.hear(model, "seven", compute.VOICES["American man"], 175)
    said = words.heard_said(h)
    assert f"{len(h.p)} frames for 5 letters" in said and f"“{h.greedy}”" in said
    verdict = words.verdict(h)
    assert f"**Greedy** `{h.greedy or '(nothing)'}`" in verdict and f"CER {h.cer('greedy'):.0%}" in verdict
    assert f"`{h.beam or '(nothing)'}`: p ≈ {np.exp(h.beam_logp):.0%}, CER {h.cer('beam'):.0%}" in verdict
    index, why = words.answer(compute.hear(model, "seven", compute.VOICES["American man"], 175, snr_db=8.0))
    assert 0 <= index < len(words.ANSWERS) and "8 dB" in why
    lines = words.collapse_lines(h)
    assert [s for _, s in lines][0] == compute.letters(h.collapse.path) and lines[-1][1] == (h.greedy or "(nothing)")


def test_silence_around_a_word_throws_it(model):
    """The microphone's warning: 50 ms of silence before and after a digit it spells right makes it misspell
    most of them (so the page cuts a recording to the word: compute.trim)."""
    pad = np.zeros(int(0.05 * 22050), np.float32)
    right = thrown = 0
    for word in data.DIGITS:
        x = compute.synth.say(word, "en-us+m3")
        if compute.listen(model, word, x, 22050).greedy == word:
            right += 1
            thrown += compute.listen(model, word, np.concatenate([pad, x, pad]), 22050).greedy != word
    assert right >= 8 and thrown > right / 2
    assert "50 ms of silence before and after a digit it spells right makes it misspell most" in words.MIC


def test_seven_fires_five_short_spikes_between_blanks(model):
    """The "seven" preset: five short runs (≤ 3 frames) of s, e, v, e, n, with blanks between them."""
    h = compute.hear(model, "seven", compute.VOICES["American man"], 175)
    merged = compute.letters(h.collapse.merged)
    assert merged.replace("·", "") == "seven" and "·" in merged[1:-1]
    runs = [len(r) for r in "".join("x" if k else " " for k in h.collapse.path).split()]
    assert len(runs) == 5 and max(runs) <= 3
