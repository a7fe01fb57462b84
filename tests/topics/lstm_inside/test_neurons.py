"""The neuron hunt: text features, Pearson correlations, and finding a planted unit."""
from __future__ import annotations

import numpy as np
import pytest

from rnnviz.topics.lstm_inside import neurons

TEXT = 'Ham.\n[Aside] "To be" or NOT.\nAy.'


def test_features_by_hand():
    f = neurons.features(TEXT)
    assert set(f) >= {'inside "quotes"', "inside [stage directions]", "position in the line", "vowel",
                      "space", "capital letter"}
    inside_q = "".join(ch for ch, v in zip(TEXT, f['inside "quotes"']) if v)
    assert inside_q == "To be"
    inside_b = "".join(ch for ch, v in zip(TEXT, f["inside [stage directions]"]) if v)
    assert inside_b == "Aside"
    assert list(f["position in the line"][:6]) == [0, 1, 2, 3, 4, 0]          # "Ham.\n" then "["
    assert "".join(ch for ch, v in zip(TEXT, f["vowel"]) if v) == "aAieoeoOA"
    assert f["space"].sum() == TEXT.count(" ")
    assert "".join(ch for ch, v in zip(TEXT, f["capital letter"]) if v) == "HATNOTA"


def test_correlations_equal_numpy_corrcoef_and_nan_when_flat():
    rng = np.random.default_rng(0)
    acts = rng.normal(size=(50, 6))
    acts[:, 5] = 0.3                                                           # a unit that never moves
    feature = rng.normal(size=50)
    r = neurons.correlations(acts, feature)
    for u in range(5):
        assert r[u] == pytest.approx(np.corrcoef(acts[:, u], feature)[0, 1])
    assert np.isnan(r[5])
    assert np.all(np.isnan(neurons.correlations(acts, np.ones(50))))


def test_hunt_finds_a_planted_unit():
    text = ("The king's [Exit] speech\n" * 6)
    inside = neurons.features(text)["inside [stage directions]"]
    rng = np.random.default_rng(1)
    acts = rng.normal(scale=0.3, size=(len(text), 32))
    acts[:, 17] += 2 * inside                                                  # unit 17 tracks stage directions
    found = {m.feature: m for m in neurons.hunt(acts, text)}
    best = found["inside [stage directions]"]
    assert best.unit == 17 and best.r > 0.9 and abs(best.runner_up_r) < 0.5
    matches = neurons.hunt(acts, text)
    assert matches[0].feature == "inside [stage directions]"                    # strongest first
    assert np.isnan(found['inside "quotes"'].r) and matches[-1].feature == 'inside "quotes"'
