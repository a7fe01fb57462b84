"""The speech demo's figures from synthetic numbers: rebuilt with plotly's full validation they give the same
JSON (they are built from plain dicts), and they draw what they are given: the blank's row on top, only the
letters that reach 2 %, the best path's letters under their frames, the scores of each decoder and baseline."""
from __future__ import annotations

import numpy as np
from common import assert_plotly_accepts_unchanged

from rnnviz.topics.speech import figures

P = np.full((4, 27), 0.001)
P[[0, 1, 2, 3], [0, 3, 0, 5]] = 0.97                   # · c · e
P[1, 9] = 0.03                                          # i reaches 3 % once


def test_hearing_draws_the_blank_row_first_and_the_best_path():
    spec = np.arange(4 * 40, dtype=float).reshape(4, 40)
    fig = figures.hearing(spec, P, 0.015, np.linspace(60, 7000, 40), [0, 3, 0, 5])
    assert_plotly_accepts_unchanged(fig)
    heat = fig.data[1]
    assert list(heat.y) == ["blank ·", "c", "e", "i"]                       # the blank, then letters ≥ 2 %
    assert np.allclose(np.asarray(heat.z), P[:, [0, 3, 5, 9]].T)
    assert list(fig.layout.xaxis.ticktext) == ["c", "e"] and list(fig.layout.xaxis.tickvals) == [1, 3]  # letters only
    assert np.allclose(np.asarray(fig.data[0].z), spec.T)                    # bands × frames


def test_scoreboard_shows_every_decoder_and_baseline():
    m = {f"{k}_{x}": v for k in ("test", "test_new_voices")
         for x, v in (("cer_greedy", 0.3), ("cer_beam", 0.29), ("cer_dtw", 0.78), ("cer_empty", 1.0))}
    fig = figures.scoreboard(m)
    assert_plotly_accepts_unchanged(fig)
    assert [d.name for d in fig.data] == ["GRU + CTC, greedy", "GRU + CTC, beam", "nearest training word (DTW)",
                                          "saying nothing"]
    assert list(fig.data[2].y) == [0.78, 0.78] and list(fig.data[0].text) == ["30%", "30%"]
