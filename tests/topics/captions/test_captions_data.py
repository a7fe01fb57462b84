"""The generated scenes: the same seed draws the same pictures and captions, every caption follows the grammar
(one caption per scene, left or upper thing first), things never overlap unless asked, and the held-out colour ×
shape pairs are absent from training scenes and present in every unseen test scene."""
from __future__ import annotations

import re

import numpy as np
import pytest

from rnnviz.topics.captions import data

THING = r"a (small|large) (red|green|blue|yellow) (circle|square|triangle)"
GRAMMAR = re.compile(rf"^{THING} (on the left|on the right|at the top|at the bottom)$|^{THING} (left of|above) {THING}$")


def test_the_same_seed_draws_the_same_scenes_and_another_seed_does_not():
    a, ca = data.batch(np.random.default_rng(5), 16)
    b, cb = data.batch(np.random.default_rng(5), 16)
    c, cc = data.batch(np.random.default_rng(6), 16)
    assert np.array_equal(a, b) and ca == cb
    assert not np.array_equal(a, c)
    assert a.shape == (16, 3, data.SIZE, data.SIZE) and a.dtype == np.float32 and 0 <= a.min() and a.max() <= 1


def test_every_caption_follows_the_grammar_and_uses_only_its_words():
    scenes = data.sample(np.random.default_rng(0), 300) + data.sample(np.random.default_rng(1), 300, "unseen")
    for s in scenes:
        words = data.caption(s)
        assert GRAMMAR.match(" ".join(words)), words
        assert set(words) <= set(data.WORDS)


@pytest.mark.parametrize("where, first", [("left", 0), ("right", 1), ("top", 0), ("bottom", 1)])
def test_two_things_are_named_left_or_upper_one_first_and_are_drawn_there(where, first):
    a, b = data.Thing("small", "red", "circle"), data.Thing("large", "yellow", "square")
    scene = data.Scene((a, b), where)
    words = data.caption(scene)
    named_first = (a, b)[first]
    assert words[:4] == named_first.words() and words[4] == ("above" if where in ("top", "bottom") else "left")
    for seed in range(20):
        (x0, y0), (x1, y1) = data.place(scene, np.random.default_rng(seed))
        ax, bx = (x0, x1) if where in ("left", "right") else (y0, y1)
        assert (ax < bx) == (where in ("left", "top"))
        masks = [data.mask(t, x, y) for t, (x, y) in zip((a, b), [(x0, y0), (x1, y1)])]
        assert not (masks[0] & masks[1]).any()                              # they never touch
    over = data.Scene((a, b), where, overlap=True)
    pos = data.place(over, np.random.default_rng(0))
    assert (data.mask(a, *pos[0]) & data.mask(b, *pos[1])).any()            # unless pushed together


def test_one_thing_stays_in_its_part_of_the_picture():
    for where in data.WHERE:
        t = data.Thing("large", "blue", "triangle")
        for seed in range(20):
            m = data.mask(t, *data.place(data.Scene((t,), where), np.random.default_rng(seed))[0])
            ys, xs = np.nonzero(m)
            half = data.SIZE / 2
            inside = {"left": xs.max() < half, "right": xs.min() >= half, "top": ys.max() < half,
                      "bottom": ys.min() >= half}[where]
            assert inside and m.any()


def test_held_out_pairs_never_train_and_every_unseen_scene_holds_one():
    train = data.sample(np.random.default_rng(0), 2000)
    unseen = data.sample(np.random.default_rng(1), 500, "unseen")
    assert not any(s.held_out for s in train)
    assert all(s.held_out for s in unseen)
    seen_pairs = {(t.colour, t.shape) for s in train for t in s.things}
    assert seen_pairs == {(c, s) for c in data.COLOURS for s in data.SHAPES} - set(data.HELD_OUT)
    colours = {c for c, _ in data.HELD_OUT}
    shapes = {s for _, s in data.HELD_OUT}
    assert colours <= {c for c, _ in seen_pairs} and shapes <= {s for _, s in seen_pairs}   # seen apart


def test_noise_is_clipped_and_pictures_stay_in_range():
    s = data.Scene((data.Thing("small", "green", "circle"),), "left")
    clean = data.render(s, np.random.default_rng(0), 0.0)
    noisy = data.render(s, np.random.default_rng(0), 99.0)                  # clamped to MAX_NOISE
    assert 0 <= noisy.min() and noisy.max() <= 1 and not np.array_equal(clean, noisy)
    assert np.isclose(clean, data.BACKGROUND).all(-1).mean() > 0.8          # mostly the plain background


@pytest.mark.parametrize("text", ["", "red circle", "huge red circle", "small red circle extra", "<b>x</b> red circle"])
def test_a_thing_that_is_not_one_is_an_error(text):
    with pytest.raises(ValueError):
        data.thing(text)
