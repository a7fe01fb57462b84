"""The generated clips: seeded (the same seed, the same clip), labels that match the motion drawn (the bar's
centre moves the named way, its angle turns the named way), a frame that wraps around, and single frames
that look alike whatever the motion (the design that makes one frame useless)."""
from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from rnnviz.topics.video import compute, data


def test_the_same_seed_gives_the_same_clips_and_another_seed_others():
    a, ya = data.clips(12, frames=5, seed=3)
    b, yb = data.clips(12, frames=5, seed=3)
    c, _ = data.clips(12, frames=5, seed=4)
    assert a.shape == (5, 12, data.SIZE, data.SIZE) and a.dtype == torch.float32
    assert torch.equal(a, b) and torch.equal(ya, yb) and not torch.equal(a, c)
    assert 0 <= a.min() and a.max() <= 1
    one = data.compose("up", 1.0, 0.1, 6, seed=9)
    assert torch.equal(one, data.compose("up", 1.0, 0.1, 6, seed=9)) and one.shape == (6, data.SIZE, data.SIZE)


def test_a_clip_does_not_depend_on_the_batch_it_is_drawn_in():
    """Rendering in chunks (data.CHUNK) gives the same clips as one by one: each clip's noise has its own seed."""
    x, y = data.clips(data.CHUNK + 3, frames=3, seed=5)
    gen = torch.Generator().manual_seed(5)
    y2 = torch.randint(0, len(data.MOTIONS), (data.CHUNK + 3,), generator=gen)
    p = data.draw(y2, gen)
    last = data.render({k: v[-2:] for k, v in p.items()}, 3)
    assert torch.equal(y, y2) and torch.allclose(x[:, -2:], last)


def bar_only(motion: str, speed: float, frames: int, seed: int) -> np.ndarray:
    """A clip as compose draws it, without the still dots and the noise: the bar alone, anti-aliased edges kept."""
    p = data.draw(torch.tensor([data.MOTIONS.index(motion)]), torch.Generator().manual_seed(seed),
                  speed=(speed, speed), noise=(0.0, 0.0))
    p["dots"] = torch.zeros_like(p["dots"])
    return data.render(p, frames)[:, 0].numpy()


def circular_centre(frame: np.ndarray) -> tuple[float, float]:
    """The brightness-weighted centre (x, y) of a wrapped frame: the angle of the mean of e^{iθ} per axis."""
    s = frame.shape[0]
    theta = 2 * np.pi * (np.arange(s) + 0.5) / s
    cx = np.angle((frame.sum(0) * np.exp(1j * theta)).sum()) * s / (2 * np.pi)
    cy = np.angle((frame.sum(1) * np.exp(1j * theta)).sum()) * s / (2 * np.pi)
    return cx, cy


def wrapped(d: float, s: int = data.SIZE) -> float:
    return (d + s / 2) % s - s / 2


def orientation(frame: np.ndarray) -> float:
    """The bar's angle in [0, π) from its pixels' second moments (about the circular centre), y pointing down."""
    s = frame.shape[0]
    cx, cy = circular_centre(frame)
    g = np.arange(s) + 0.5
    dx = np.vectorize(wrapped)(g[None, :] - cx) * np.ones((s, 1))
    dy = np.vectorize(wrapped)(g[:, None] - cy) * np.ones((1, s))
    w = frame
    sxx, syy, sxy = (w * dx * dx).sum(), (w * dy * dy).sum(), (w * dx * dy).sum()
    return 0.5 * math.atan2(2 * sxy, sxx - syy) % math.pi


@pytest.mark.parametrize("motion, vx, vy", [("right", 1, 0), ("left", -1, 0), ("up", 0, -1), ("down", 0, 1)])
def test_a_moving_bar_moves_the_named_way(motion, vx, vy):
    for seed in range(4):
        clip = bar_only(motion, 1.0, 4, seed)
        (x0, y0), (x1, y1) = circular_centre(clip[0]), circular_centre(clip[3])
        assert wrapped(x1 - x0) == pytest.approx(3 * vx, abs=0.35) and wrapped(y1 - y0) == pytest.approx(3 * vy, abs=0.35)


@pytest.mark.parametrize("motion, sign", [("clockwise", 1), ("anticlockwise", -1)])
def test_a_turning_bar_turns_the_named_way_on_screen(motion, sign):
    """Clockwise as the student sees it: rows go down the screen, so the angle from +x towards +y grows."""
    for seed in range(4):
        clip = bar_only(motion, 1.0, 3, seed)
        turn = (orientation(clip[1]) - orientation(clip[0]) + math.pi / 2) % math.pi - math.pi / 2
        p = data.draw(torch.tensor([data.MOTIONS.index(motion)]), torch.Generator().manual_seed(seed),
                      speed=(1.0, 1.0), noise=(0.0, 0.0))
        assert turn == pytest.approx(sign / float(p["half"][0]), abs=0.12)
        cx0, cy0 = circular_centre(clip[0])
        cx1, cy1 = circular_centre(clip[1])
        assert abs(wrapped(cx1 - cx0)) < 0.3 and abs(wrapped(cy1 - cy0)) < 0.3        # it turns in place


def test_the_frame_wraps_around():
    """A bar leaving at the right edge comes back at the left: nothing of it is lost."""
    clip = bar_only("right", 2.0, 12, seed=1)
    ink = clip.sum((1, 2))
    assert ink.min() >= 0.9 * ink.max()


def test_one_frame_looks_the_same_whatever_the_motion():
    """Per motion, frame t's brightness by column and by row is near uniform: the position is no clue (the
    wrapped frame), at the first frame and the last."""
    x, y = data.clips(600, frames=12, seed=11, balanced=True)
    for t in (0, 11):
        for k in range(len(data.MOTIONS)):
            frames = x[t, y == k].numpy()
            cols, rows = frames.mean((0, 1)), frames.mean((0, 2))
            assert cols.std() / cols.mean() < 0.2 and rows.std() / rows.mean() < 0.2


def test_held_out_clips_are_balanced_and_come_from_their_own_seed():
    x, y = data.clips(60, seed=data.TEST_SEED, balanced=True)
    assert np.bincount(y.numpy()).tolist() == [10] * 6
    assert data.TEST_SEED != data.VAL_SEED


@pytest.mark.parametrize("given, said", [
    (("dance", 1, 0.1, 12, 0), "is not one of the motions"),
    (("right", float("nan"), 0.1, 12, 0), "The speed must be a number"),
    (("right", 9, 0.1, 12, 0), "The speed goes from 0.0 to 3.0"),
    (("right", 1, -1, 12, 0), "The noise goes from"),
    (("right", 1, 0.1, 1000, 0), "number of frames goes from"),
])
def test_settings_clamp_with_a_message(given, said):
    s = compute.settings(*given)
    assert any(said in m for m in s.messages()), s.messages()
    assert s.motion in data.MOTIONS and 0 <= s.speed <= compute.SPEED_MAX and 1 <= s.frames <= compute.MAX_FRAMES
    assert not compute.settings("left", 1.0, 0.1, 12, 0).messages()
