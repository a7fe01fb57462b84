"""The surname demo's figures from synthetic numbers: each rebuilt with plotly's full validation must give the
same JSON (they are built from plain dicts), and each draws what it is given: rows, cells, labels, leaders,
percentages; nothing reaches plotly unescaped."""
from __future__ import annotations

import numpy as np
import pytest
from common import assert_plotly_accepts_unchanged

from rnnviz.topics.surname import figures as figs
from rnnviz.shared.style import COLOR

CLASSES = ["English", "German", "Polish"]
PROBS = np.array([[0.50, 0.30, 0.20], [0.20, 0.70, 0.10], [0.10, 0.86, 0.04], [0.03, 0.02, 0.95]])
METRICS = {"test_accuracy": 0.74, "test_balanced_accuracy": 0.73, "bigram_accuracy": 0.71,
           "bigram_balanced_accuracy": 0.66, "majority_accuracy": 0.22, "majority_balanced_accuracy": 0.0588,
           "chance_balanced_accuracy": 0.0588}


def test_trajectory_draws_every_step_and_names_the_leaders():
    known = np.array([True, True, False, True])
    fig = figs.trajectory("ab<k", CLASSES, PROBS, [2, 1, 0], known, "t")
    assert_plotly_accepts_unchanged(fig)
    heat = fig.data[0]
    assert list(heat.y) == ["Polish", "German", "English"]                    # rows in the given order
    assert np.allclose(np.asarray(heat.z), PROBS[:, [2, 1, 0]].T)            # (languages, letters)
    assert list(fig.layout.xaxis.ticktext) == ["a", "b", "?", "k"]           # never-seen letter drawn as ?
    assert heat.text[0].tolist() == ["20", "10", "", "95"]                   # % from 5 % up, blank below
    notes = [a.text for a in fig.layout.annotations]
    assert notes == ["English", "German", "·", "Polish"]                     # named where the leader changes
    assert fig.layout.yaxis.autorange == "reversed" and (heat.zmin, heat.zmax) == (0.0, 1.0)


def test_trajectory_escapes_labels():
    fig = figs.trajectory("<b", ["<i>x</i>", "y"], np.array([[0.9, 0.1], [0.2, 0.8]]), [0, 1],
                          np.array([True, True]), "t")
    assert fig.layout.xaxis.ticktext[0] == "&lt;" and fig.layout.annotations[0].text == "&lt;i&gt;x&lt;/i&gt;"
    assert "<b" not in str(fig.data[0].customdata.tolist())


def test_top_bars():
    fig = figs.top_bars([("Polish", 0.95), ("German", 0.02), ("English", 0.001)], COLOR["bigram"], "t")
    assert_plotly_accepts_unchanged(fig)
    bars = fig.data[0]
    assert list(bars.y) == ["Polish", "German", "English"] and list(bars.text) == ["95%", "2%", "<1%"]
    assert bars.marker.color == COLOR["bigram"]


def test_scoreboard_shows_model_baselines_and_chance():
    fig = figs.scoreboard(METRICS)
    assert_plotly_accepts_unchanged(fig)
    bars = {d.name: list(d.y) for d in fig.data if d.type == "bar"}
    assert bars == {"GRU (reads in order)": [0.74, 0.73], "bigram naive Bayes": [0.71, 0.66],
                    "majority (always the largest)": [0.22, 0.0588]}
    assert fig.layout.shapes[0].y0 == pytest.approx(0.0588) and "1 in 17" in fig.layout.annotations[0].text
    assert [d.marker.color for d in fig.data if d.type == "bar"] == [figs.MODEL_COLOR, COLOR["bigram"],
                                                                     COLOR["majority"]]


def test_per_language_sorted_by_the_model():
    fig = figs.per_language(CLASSES, [0.4, 0.9, 0.7], [0.5, 0.6, 0.8], [10, 20, 30])
    assert_plotly_accepts_unchanged(fig)
    gru, bigram = fig.data
    assert list(gru.y) == ["German (20)", "Polish (30)", "English (10)"]
    assert list(gru.x) == [0.9, 0.7, 0.4] and list(bigram.x) == [0.6, 0.8, 0.5]


def test_confusion_colours_by_row_share_and_writes_counts():
    m = [[8, 2, 0], [1, 1, 0], [0, 0, 0]]
    fig = figs.confusion(CLASSES, m, "t")
    assert_plotly_accepts_unchanged(fig)
    heat = fig.data[0]
    assert np.allclose(np.asarray(heat.z), [[0.8, 0.2, 0], [0.5, 0.5, 0], [0, 0, 0]])   # an empty row stays 0
    assert heat.text.tolist() == [["8", "2", ""], ["1", "1", ""], ["", "", ""]]
