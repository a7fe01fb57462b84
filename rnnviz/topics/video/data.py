"""Generated video clips for the activity demo: a bar moving on a small grey frame, in one of six motions.

Nothing is downloaded for them: every clip is drawn from a seeded torch.Generator, so the same seed gives the
same clip on every machine, and the page can compose one from the student's settings. (The `fetch` here, which
`make data` runs, is GunPoint's, the demo's real clips: rnnviz.topics.video.gunpoint.)

The six motions are chosen so that ONE frame cannot tell them apart:
- the same object in every class: a bar (a thick line segment) of random length and orientation;
- right / left / up / down move it in a straight line; clockwise / anticlockwise turn it about its centre;
- the frame wraps around (like an old arcade screen: what leaves at the right comes back at the left), so
  the bar's position in any frame is uniform over the frame whatever the motion, and its orientation is
  uniform over [0, π) whatever the motion. The distribution of a single frame is the same for all six classes:
  a classifier that sees one frame can only guess (1 in 6). Only the change between frames says the motion.
- distractors: a few still dots and per-pixel noise, the same in every class.

Speed is how far the bar's ends move per frame, in pixels, for every motion (a turning bar of half-length ℓ
turns by speed/ℓ radians per frame), at most 2 px in training: well under the 90° per frame at which a bar,
the same after a half turn, would seem to turn the other way.

    x, y = clips(n=64, frames=16, seed=0)     # x (T, N, S, S) float32 in [0, 1], y (N,) long: index into MOTIONS
    x = compose("clockwise", speed=1.0, noise=0.1, frames=12, seed=3)   # one clip (T, S, S), for the page

Shape legend: T frames, N clips, S pixels a side, P = S·S pixels.
"""
from __future__ import annotations

import math

import torch

from rnnviz.topics.video.gunpoint import fetch  # noqa: F401  (`make data`: the real clips, GunPoint)

MOTIONS = ("right", "left", "up", "down", "clockwise", "anticlockwise")
SIZE = 16                     # pixels a side
FRAMES = 12                   # frames per training clip
SPEED = (0.5, 2.0)            # training range: pixels per frame the bar's ends move
NOISE = (0.0, 0.3)            # training range: the per-pixel noise's standard deviation
HALF_LENGTH = (2.5, 5.0)      # the bar's half-length, pixels
HALF_WIDTH = 0.8              # half its thickness, pixels (anti-aliased edges)
DOTS = 3                      # at most this many still distractor dots per clip
VAL_SEED, TEST_SEED = 7001, 7002
CHUNK = 128                   # clips rendered at once
SOURCE = ("generated (rnnviz.topics.video.data): a bar moving right / left / up / down or turning clockwise / "
          "anticlockwise on a 16×16 frame that wraps around, random start, length, speed, dots and noise")


def draw(labels: torch.Tensor, gen: torch.Generator, speed: tuple[float, float] = SPEED,
         noise: tuple[float, float] = NOISE) -> dict[str, torch.Tensor]:
    """Each clip's random settings, (N,) each, drawn from `gen` in a fixed order: where it starts, its
    orientation, length, speed and noise, and its still dots."""
    n = len(labels)
    u = lambda lo, hi, *shape: lo + (hi - lo) * torch.rand(*(shape or (n,)), generator=gen)  # noqa: E731
    return {"label": labels.long(), "x0": u(0, SIZE), "y0": u(0, SIZE), "angle0": u(0, math.pi),
            "half": u(*HALF_LENGTH), "speed": u(*speed), "noise": u(*noise),
            "dots": torch.randint(0, DOTS + 1, (n,), generator=gen), "dot_xy": u(0, SIZE, n, DOTS, 2),
            "dot_level": u(0.4, 0.9, n, DOTS), "seed": torch.randint(0, 2**31 - 1, (n,), generator=gen)}


def velocity(p: dict[str, torch.Tensor]) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Per clip (N,) each: pixels per frame along x (right) and y (down, as an image's rows go), and radians
    per frame the bar turns (positive = clockwise on screen, since y points down)."""
    lab, s = p["label"], p["speed"]
    vx = torch.where(lab == 0, s, torch.where(lab == 1, -s, 0.0))
    vy = torch.where(lab == 3, s, torch.where(lab == 2, -s, 0.0))
    turn = torch.where(lab == 4, s / p["half"], torch.where(lab == 5, -s / p["half"], 0.0))
    return vx, vy, turn


def render(p: dict[str, torch.Tensor], frames: int) -> torch.Tensor:
    """The clips (T, N, S, S) in [0, 1]: the bar at each frame (drawn from each pixel centre's distance to the
    segment, on the wrapped frame), the dots, the noise (from each clip's own seed)."""
    vx, vy, turn = velocity(p)
    t = torch.arange(frames, dtype=torch.float32)[:, None]                          # (T, 1)
    cx = (p["x0"] + vx * t) % SIZE                                                  # (T, N)
    cy = (p["y0"] + vy * t) % SIZE
    angle = p["angle0"] + turn * t
    dx, dy = torch.cos(angle) * p["half"], torch.sin(angle) * p["half"]             # (T, N) centre → one end
    grid = torch.arange(SIZE, dtype=torch.float32) + 0.5
    py, px = torch.meshgrid(grid, grid, indexing="ij")
    px, py = px.reshape(-1), py.reshape(-1)                                          # (P,)
    # the pixel relative to the centre of the nearest wrapped copy of the bar, each coordinate in [−S/2, S/2):
    # a pixel the bar reaches (within ℓ + 1.3 < S/2 of a centre) is nearest to that copy's centre. (T, N, P)
    rx = (px - cx[..., None] + SIZE / 2) % SIZE - SIZE / 2
    ry = (py - cy[..., None] + SIZE / 2) % SIZE - SIZE / 2
    ux, uy = dx[..., None], dy[..., None]                                           # (T, N, 1)
    along = ((rx * ux + ry * uy) / (ux * ux + uy * uy)).clamp(-1, 1)                # where on the segment
    d = torch.sqrt((rx - along * ux) ** 2 + (ry - along * uy) ** 2)                 # (T, N, P)
    bar = (HALF_WIDTH + 0.5 - d).clamp(0, 1)
    # still dots: one pixel each, the same in every frame
    n = len(p["label"])
    ix = p["dot_xy"].long().clamp(0, SIZE - 1)                                      # (N, DOTS, 2)
    on = torch.arange(DOTS)[None] < p["dots"][:, None]                              # (N, DOTS)
    dots = torch.zeros(n, SIZE * SIZE)
    dots.scatter_reduce_(1, ix[..., 1] * SIZE + ix[..., 0], p["dot_level"] * on, reduce="amax")
    clip = torch.maximum(bar, dots[None])                                           # (T, N, P)
    noise = torch.stack([torch.randn(frames, SIZE * SIZE, generator=torch.Generator().manual_seed(int(s)))
                         for s in p["seed"]], 1)                                   # (T, N, P), one seed a clip
    clip = (clip + noise * p["noise"][None, :, None]).clamp(0, 1)
    return clip.reshape(frames, n, SIZE, SIZE)


def clips(n: int, frames: int = FRAMES, seed: int = 0, gen: torch.Generator | None = None,
          balanced: bool = False) -> tuple[torch.Tensor, torch.Tensor]:
    """n clips: (x (T, n, S, S), y (n,)). Labels uniform at random, or `balanced` (n/6 of each, in turn).
    From `gen` when given (a training run's own generator), else from a fresh one seeded with `seed`."""
    gen = gen if gen is not None else torch.Generator().manual_seed(int(seed))
    y = (torch.arange(n) % len(MOTIONS)) if balanced else torch.randint(0, len(MOTIONS), (n,), generator=gen)
    p = draw(y, gen)
    # in chunks of CHUNK clips: render's (T, N, P) arrays stay small
    parts = [render({k: v[s:s + CHUNK] for k, v in p.items()}, frames) for s in range(0, n, CHUNK)]
    return torch.cat(parts, 1), y


def validation(n: int = 600) -> tuple[torch.Tensor, torch.Tensor]:
    return clips(n, seed=VAL_SEED, balanced=True)


def held_out(n: int = 1800) -> tuple[torch.Tensor, torch.Tensor]:
    """The held-out clips: n / 6 of each motion, from their own seed (never a training draw)."""
    return clips(n, seed=TEST_SEED, balanced=True)


def compose(motion: str, speed: float, noise: float, frames: int, seed: int) -> torch.Tensor:
    """One clip (T, S, S) from the page's settings: the motion, its speed (px per frame), the noise's standard
    deviation and the length are the student's; `seed` draws the rest (start, orientation, length, dots)."""
    if motion not in MOTIONS:
        raise ValueError(f"motion must be one of {', '.join(MOTIONS)}; got {motion!r}")
    gen = torch.Generator().manual_seed(int(seed))
    p = draw(torch.tensor([MOTIONS.index(motion)]), gen, speed=(speed, speed), noise=(noise, noise))
    return render(p, int(frames))[:, 0]
