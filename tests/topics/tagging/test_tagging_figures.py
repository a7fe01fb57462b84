"""The tagging figures: plotly accepts them unchanged, typed words reach plotly escaped, disagreements are
boxed, and "only the tags used" keeps the columns asked for."""
from __future__ import annotations

import numpy as np
from common import assert_plotly_accepts_unchanged

from rnnviz.topics.tagging.data import TAGS
from rnnviz.topics.tagging import figures as figs

WORDS = ["<b>x</b>", "can", "fly", "."]


def probs(seed: int) -> np.ndarray:
    p = np.random.default_rng(seed).random((len(WORDS), len(TAGS)))
    return p / p.sum(1, keepdims=True)


def test_heatmap_is_valid_escaped_and_boxes_the_disagreements():
    fig = figs.tag_heatmap(WORDS, list(TAGS), probs(0), np.array([False, True, True, True]), [1, 2], "t",
                           figs.BI_COLOR)
    assert_plotly_accepts_unchanged(fig)
    ticks = fig.layout.yaxis.ticktext
    assert ticks[0].startswith("1 · &lt;b&gt;x&lt;/b&gt;*") and "<b>" not in str(fig.to_json())
    assert [s.y0 for s in fig.layout.shapes] == [0.5, 1.5]
    narrow = figs.tag_heatmap(WORDS, list(TAGS), probs(0), np.ones(4, bool), [], "t", figs.UNI_COLOR, [0, 1, 10])
    assert list(narrow.data[0].x) == ["NOUN", "VERB", "PUNCT"] and narrow.data[0].z.shape == (4, 3)


def test_scoreboard_is_valid():
    m = {"test_accuracy": 0.99, "test_unknown_accuracy": 0.8, "baseline_accuracy": 0.98,
         "baseline_unknown_accuracy": 0.83, "majority_accuracy": 0.2}
    fig = figs.scoreboard(m, m)
    assert_plotly_accepts_unchanged(fig)
    assert [d.name for d in fig.data][2] == "most frequent tag per word"
