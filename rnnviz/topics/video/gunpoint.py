"""GunPoint: real motion tracked in video frames, the second data set of the video activity demo.

Where it comes from: the `sktime==1.2.0` wheel on the Python package registry ships the UCR archive's
GunPoint as `sktime/datasets/data/GunPoint/GunPoint_{TRAIN,TEST}.ts` (text). We never install or import
sktime: `make data` fetches the wheel once (sha256 pinned) and this module reads the two files with zipfile.

What it is (the file's own header): two actors, one female and one male, filmed making one of two motions
with their right hand. Gun-draw: the hand by the side draws a replica gun from a hip holster, points it at a
target for about a second, puts it back. Point: the same, with the index finger and no gun. The centroid of the
hand was tracked in every video frame; the archive keeps its X coordinate, 150 frames a clip, each clip
standardised (mean 0, standard deviation 1). So a "frame" here is one number, where the hand is across the
picture, not the picture's pixels. 50 training clips, 150 test clips (the archive's own split).

    x, y = split("train")         # x (N, 150) float32, y (N,) long: 0 gun-draw, 1 point
"""
from __future__ import annotations

import zipfile
from functools import lru_cache

import numpy as np

from rnnviz.data import registry

PACKAGE = "sktime==1.2.0"
WHEEL = "sktime-1.2.0-py3-none-any.whl"
SHA256 = "dbffc6731d2d683b668dceb5e2bbc5804bebc8446b4c580803a281684d90e4ae"
MEMBER = "sktime/datasets/data/GunPoint/GunPoint_{part}.ts"
CLASSES = ("gun-draw", "point")            # the files' labels 1 and 2
FRAMES = 150
SOURCE = (f"{PACKAGE} wheel (Python package registry), {MEMBER.format(part='TRAIN|TEST')}: the UCR archive's "
          "GunPoint (Ratanamahatana and Keogh), read with zipfile (sktime is never installed)")


def fetch():
    """Download the wheel into the cache (set-up time only), verify its sha256, return its path."""
    return registry.download(PACKAGE, WHEEL, SHA256, kind="wheel")


def available() -> bool:
    return (registry.cache_dir() / WHEEL).exists()


def parse(text: str) -> tuple[np.ndarray, np.ndarray]:
    """A .ts file's data lines, "v1,v2,...,v150:label", into (x (N, T) float32, y (N,) long, label − 1)."""
    rows, labels = [], []
    in_data = False
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.lower() == "@data":
            in_data = True
            continue
        if in_data:
            values, label = line.rsplit(":", 1)
            rows.append([float(v) for v in values.split(",")])
            labels.append(int(label) - 1)
    return np.array(rows, dtype=np.float32), np.array(labels, dtype=np.int64)


@lru_cache(maxsize=2)
def split(part: str) -> tuple[np.ndarray, np.ndarray]:
    """The archive's "train" (50 clips) or "test" (150 clips) part; read-only arrays."""
    if part not in ("train", "test"):
        raise ValueError(f"part must be 'train' or 'test'; got {part!r}")
    with zipfile.ZipFile(registry.archive(WHEEL, PACKAGE)) as z:
        x, y = parse(z.read(MEMBER.format(part=part.upper())).decode("utf-8"))
    x.flags.writeable = y.flags.writeable = False
    return x, y
