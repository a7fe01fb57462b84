"""The captions page's figures: plotly accepts each unchanged (built from dicts without its checks), the tiles are
the probabilities given, each number in the one text trace of its colour, and the picture is enlarged pixel by pixel."""
from __future__ import annotations

import numpy as np
from common import assert_plotly_accepts_unchanged

from rnnviz.topics.captions import compute, figures

METRICS = {f"{s}_{m}_{k}": 0.5 for s in ("seen", "unseen") for m in ("greedy", "beam", "nearest", "template")
           for k in ("exact", "word")}


def test_the_next_word_tiles_and_their_numbers():
    vocab = compute.VOCAB
    probs = np.random.default_rng(0).dirichlet(np.ones(len(vocab)) * 0.2, size=4)
    chosen = [int(i) for i in probs.argmax(1)]
    rows = compute.top_words(probs, vocab, k=6, always=chosen)
    fig = figures.next_words(vocab, probs, chosen, rows)
    assert_plotly_accepts_unchanged(fig)
    tiles, dark, light, ring = fig.data
    assert np.allclose(tiles.marker.color, probs[:, rows].T.ravel())
    assert all(float(t) >= 50 for t in dark.text) and all(5 <= float(t) < 50 for t in light.text)
    assert len(dark.text) + len(light.text) == int((probs[:, rows] >= 0.05).sum())
    assert figures.next_words(vocab, np.full((1, len(vocab)), 0.996), [3], [3]).data[1].text[0] == "99"   # not 100
    assert list(ring.y) == [figures.shown(vocab[t]) for t in chosen]


def test_the_scoreboards():
    for kind in ("exact", "word"):
        fig = figures.scoreboard(METRICS, kind)
        assert_plotly_accepts_unchanged(fig)
        assert [d.name for d in fig.data] == [name for _, name, _ in figures.METHODS]


def test_the_picture_is_enlarged_pixel_by_pixel():
    image = np.random.default_rng(1).random((32, 32, 3)).astype(np.float32)
    big = figures.enlarge(image, 5)
    assert big.shape == (160, 160, 3) and big.dtype == np.uint8
    assert np.array_equal(big[::5, ::5], (image * 255 + 0.5).astype(np.uint8))
