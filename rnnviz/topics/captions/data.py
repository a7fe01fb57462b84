"""Generated scenes and their captions: the data of the image-captioning demo.

Nothing is downloaded: every scene is drawn by this module from a seeded NumPy generator, so the data is
synthetic and says so. A scene holds one or two things; a thing is a size (small, large), a colour (red,
green, blue, yellow) and a shape (circle, square, triangle). One thing sits on the left, on the right, at
the top or at the bottom of the picture; two things sit side by side or one above the other. The picture
is SIZE × SIZE RGB pixels in [0, 1] on a dark background, each thing's colour jittered a little, plus
Gaussian pixel noise.

The caption comes from a small grammar, one caption per scene (so an exact match is a fair test):

    one thing   "a <size> <colour> <shape> on the left | on the right | at the top | at the bottom"
    two things  "<the left one> left of <the right one>"   or   "<the upper one> above <the lower one>"
    a thing     "a <size> <colour> <shape>"

Two things are always named left one first (or upper one first): there is no "right of" or "below", so a
picture has exactly one true caption.

Held-out combinations: the colour × shape pairs in HELD_OUT (a red triangle, a green square, a blue circle)
never appear in a training scene. The "unseen" test scenes each hold at least one of them, so a model can
only caption them by putting together a colour and a shape it has only ever seen apart. The "seen" test
scenes are new pictures (new positions, colour jitter and noise; drawn with another seed) of the training
kind of scene.

    Thing("small", "red", "circle"); Scene((thing, ...), "left")   # where the FIRST thing is
    caption(scene) -> list of words
    render(scene, rng, noise) -> (SIZE, SIZE, 3) float32
    sample(rng, n, split) -> list of scenes ("train" | "unseen")
    batch(rng, n, split) -> (images (n, 3, SIZE, SIZE) float32, captions)
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

SIZE = 32                                  # pixels per side: what the model sees
SIZES = ("small", "large")
COLOURS = ("red", "green", "blue", "yellow")
SHAPES = ("circle", "square", "triangle")
WHERE = ("left", "right", "top", "bottom")            # where the first thing is
HELD_OUT = (("red", "triangle"), ("green", "square"), ("blue", "circle"))   # never in a training scene
HALF = {"small": 4.0, "large": 6.5}                    # a thing's half-width in pixels
RGB = {"red": (0.90, 0.15, 0.12), "green": (0.15, 0.75, 0.25), "blue": (0.20, 0.35, 1.00),
       "yellow": (0.95, 0.85, 0.10)}
BACKGROUND = 0.08                          # dark grey: every colour stands out from it
JITTER = 0.08                              # each channel of a thing's colour moves by up to this much
TRAIN_NOISE = 0.15                         # training pictures draw their noise σ uniformly in [0, TRAIN_NOISE]
MAX_NOISE = 0.5
TWO_SHARE = 0.7                            # share of scenes with two things
PLACES = {"left": "on the left", "right": "on the right", "top": "at the top", "bottom": "at the bottom"}
WORDS = ("a", *SIZES, *COLOURS, *SHAPES, "left", "of", "above", "on", "the", "right", "at", "top", "bottom")
SPLIT_SEEDS = {"train": 0, "seen": 1001, "unseen": 2002}   # the recipe draws training scenes from its own seed
SOURCE = ("generated: seeded NumPy scenes of one or two shapes (rnnviz.topics.captions.data); "
          "captions from a fixed grammar")


@dataclass(frozen=True)
class Thing:
    size: str
    colour: str
    shape: str

    def words(self) -> list[str]:
        return ["a", self.size, self.colour, self.shape]

    @property
    def held_out(self) -> bool:
        return (self.colour, self.shape) in HELD_OUT

    def __str__(self) -> str:
        return f"{self.size} {self.colour} {self.shape}"


THINGS = tuple(Thing(*t) for t in itertools.product(SIZES, COLOURS, SHAPES))


def thing(text: str) -> Thing:
    """'small red circle' → Thing; ValueError for anything else."""
    parts = str(text).split()
    if len(parts) != 3 or parts[0] not in SIZES or parts[1] not in COLOURS or parts[2] not in SHAPES:
        raise ValueError(f"not a thing: {text!r} (size colour shape, e.g. 'small red circle')")
    return Thing(*parts)


@dataclass(frozen=True)
class Scene:
    things: tuple[Thing, ...]      # one or two
    where: str                     # where the first thing is: alone in the picture, or beside the second
    overlap: bool = False          # two things pushed together (never in the data: the page's experiment)

    def __post_init__(self):
        if not 1 <= len(self.things) <= 2 or self.where not in WHERE:
            raise ValueError(f"a scene holds one or two things and where is one of {WHERE}")

    @property
    def held_out(self) -> bool:
        return any(t.held_out for t in self.things)


def caption(scene: Scene) -> list[str]:
    """The scene's one caption, as words (see the module's grammar)."""
    if len(scene.things) == 1:
        return scene.things[0].words() + PLACES[scene.where].split()
    first, second = scene.things
    if scene.where in ("right", "bottom"):            # name the left (upper) one first
        first, second = second, first
    relation = ["left", "of"] if scene.where in ("left", "right") else ["above"]
    return first.words() + relation + second.words()


# ----------------------------------------------------------------------------- drawing

_GRID = np.mgrid[0:SIZE, 0:SIZE].astype(np.float32) + 0.5        # (2, SIZE, SIZE) pixel centres: y, x


def mask(t: Thing, cx: float, cy: float) -> np.ndarray:
    """(SIZE, SIZE) bool: the pixels of thing t centred at (cx, cy) (x to the right, y down)."""
    y, x = _GRID
    h = HALF[t.size]
    if t.shape == "square":
        return (np.abs(x - cx) <= h) & (np.abs(y - cy) <= h)
    if t.shape == "circle":
        return (x - cx) ** 2 + (y - cy) ** 2 <= (h + 0.5) ** 2
    top = cy - h                                                   # a triangle pointing up, base 2h + 1 wide
    return (y >= top) & (y <= cy + h) & (np.abs(x - cx) <= (y - top) * (h + 0.5) / (2 * h))


def _in_half(rng: np.random.Generator, h: float, first_half: bool) -> float:
    """A centre that keeps a thing of half-width h inside one half of the picture."""
    lo, hi = (h, SIZE / 2 - h) if first_half else (SIZE / 2 + h, SIZE - h)
    return float(rng.uniform(lo, hi))


def _across(rng: np.random.Generator, h: float) -> float:
    return float(rng.uniform(h, SIZE - h))


def _middle(rng: np.random.Generator) -> float:
    return float(rng.uniform(SIZE / 2 - 4, SIZE / 2 + 4))


def place(scene: Scene, rng: np.random.Generator) -> list[tuple[float, float]]:
    """(cx, cy) of each thing. Alone: inside the named half, near the middle of the other axis (so a thing
    on the left is never also at the top). Two: each inside its own half, anywhere along the other axis,
    so they never overlap; with overlap=True, both near the middle, 3 pixels from the centre either way."""
    hs = [HALF[t.size] for t in scene.things]
    horizontal = scene.where in ("left", "right")
    if len(scene.things) == 1:
        along = _in_half(rng, hs[0], scene.where in ("left", "top"))
        pos = [(along, _middle(rng))]
    elif scene.overlap:
        sign = -1 if scene.where in ("left", "top") else 1
        pos = [(SIZE / 2 + sign * 3, _middle(rng)), (SIZE / 2 - sign * 3, _middle(rng))]
    else:
        first = scene.where in ("left", "top")
        pos = [(_in_half(rng, h, first if k == 0 else not first), _across(rng, h)) for k, h in enumerate(hs)]
    return pos if horizontal else [(b, a) for a, b in pos]


def render(scene: Scene, rng: np.random.Generator, noise: float = 0.0) -> np.ndarray:
    """(SIZE, SIZE, 3) float32 in [0, 1]: the things drawn in order (a second thing covers the first where
    they overlap), each colour jittered by up to ±JITTER, then Gaussian noise of std `noise`, clipped."""
    noise = float(min(max(noise, 0.0), MAX_NOISE))
    image = np.full((SIZE, SIZE, 3), BACKGROUND, dtype=np.float32)
    for t, (cx, cy) in zip(scene.things, place(scene, rng)):
        colour = np.clip(np.array(RGB[t.colour]) + rng.uniform(-JITTER, JITTER, 3), 0, 1)
        image[mask(t, cx, cy)] = colour
    if noise:
        image += rng.normal(0.0, noise, image.shape).astype(np.float32)
    return np.clip(image, 0.0, 1.0)


# ----------------------------------------------------------------------------- sampling

TRAIN_THINGS = tuple(t for t in THINGS if not t.held_out)
HELD_THINGS = tuple(t for t in THINGS if t.held_out)


def _pick(rng: np.random.Generator, things: tuple[Thing, ...]) -> Thing:
    return things[int(rng.integers(len(things)))]


def sample(rng: np.random.Generator, n: int, split: str = "train") -> list[Scene]:
    """n scenes. "train" (and "seen"): things from TRAIN_THINGS only. "unseen": every scene holds at least
    one held-out thing (a two-thing scene puts it first or second at random, the other from all THINGS)."""
    if split not in ("train", "seen", "unseen"):
        raise ValueError(f"split must be train, seen or unseen, not {split!r}")
    out = []
    for _ in range(n):
        two = rng.random() < TWO_SHARE
        if split == "unseen":
            things = [_pick(rng, HELD_THINGS)] + ([_pick(rng, THINGS)] if two else [])
            if two and rng.random() < 0.5:
                things.reverse()
        else:
            things = [_pick(rng, TRAIN_THINGS) for _ in range(2 if two else 1)]
        out.append(Scene(tuple(things), WHERE[int(rng.integers(len(WHERE)))]))
    return out


def batch(rng: np.random.Generator, n: int, split: str = "train") -> tuple[np.ndarray, list[list[str]]]:
    """(images (n, 3, SIZE, SIZE) float32, their captions): n scenes drawn and rendered with training noise."""
    scenes = sample(rng, n, split)
    images = np.stack([render(s, rng, float(rng.uniform(0, TRAIN_NOISE))) for s in scenes])
    return images.transpose(0, 3, 1, 2).copy(), [caption(s) for s in scenes]


def test_set(split: str, n: int) -> tuple[np.ndarray, list[list[str]]]:
    """A fixed held-out set: "seen" (new pictures of the training kind) or "unseen" (held-out pairs)."""
    return batch(np.random.default_rng(SPLIT_SEEDS[split]), n, split)


def fetch() -> str:
    """Nothing to download: the scenes are generated (python -m rnnviz.data calls every fetch())."""
    return "generated on the fly (no download)"
