"""Human-rated sentences for the sentiment demo: the data of the VADER paper, from its registry sdist.

Where it comes from: the `vadersentiment==3.3.2` source distribution on the Python package registry
(MIT licence) holds `additional_resources/hutto_ICWSM_2014.tar.gz`, a tar inside the tar, with the
data sets of

    Hutto, C.J. & Gilbert, E.E. (2014). VADER: A Parsimonious Rule-based Model for Sentiment Analysis
    of Social Media Text. Eighth International AAAI Conference on Weblogs and Social Media (ICWSM-14).

Each `*_GroundTruth.txt` is `id \\t mean rating \\t text`, one snippet a line (UTF-8, CRLF). The mean is
over at least 20 people, each rating from −4 (extremely negative) to +4 (extremely positive).
The movie snippets (10,605 sentences) are Rotten Tomatoes review sentences of Pang & Lee's sentence
polarity data (Pang & Lee 2004, 2005), re-rated by VADER's raters. `vader_sentiment_lexicon.txt` holds
7,517 words, emoticons and slang with their mean valence (Latin-1: two emoticons use the byte 0xDE, Þ).
Only the sdist has these files (the wheel lacks them). We never install the package: `make data`
fetches the archive once (`fetch()`), and the readers below open it with tarfile.

    rows = snippets("movie")      # [Snippet(id, score, text)], 10,605 of them, in file order
    labelled("movie")             # [(text, label, score)]: |score| ≥ 0.5 kept, label 1 if score > 0 (10,072)
    lexicon()                     # {token: mean valence}
"""
from __future__ import annotations

import io
import tarfile
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from rnnviz.data import registry

PACKAGE = "vadersentiment==3.3.2"
ARCHIVE = "vaderSentiment-3.3.2.tar.gz"
SHA256 = "5d7c06e027fc8b99238edb0d53d970cf97066ef97654009890b83703849632f9"
INNER = "vaderSentiment-3.3.2/additional_resources/hutto_ICWSM_2014.tar.gz"
FOLDER = "hutto_ICWSM_2014/"
SOURCE = (f"{PACKAGE} sdist (Python package registry, MIT), additional_resources/hutto_ICWSM_2014.tar.gz: "
          "the human-rated snippets of Hutto & Gilbert (2014)")
CITATION = ("Hutto & Gilbert (2014), VADER, ICWSM-14 (the ratings); Pang & Lee (2004, 2005) "
            "(the Rotten Tomatoes movie-review sentences)")

# The four rated collections: short name → file in the inner archive.
FILES = {
    "movie": "movieReviewSnippets_GroundTruth.txt",        # 10,605 Rotten Tomatoes sentences (Pang & Lee)
    "tweets": "tweets_GroundTruth.txt",                    # 4,200 tweet-like texts
    "amazon": "amazonReviewSnippets_GroundTruth.txt",      # 3,708 product-review sentences (Hu & Liu 2004)
    "nyt": "nytEditorialSnippets_GroundTruth.txt",         # 5,190 New York Times opinion sentences
}
LEXICON = "vader_sentiment_lexicon.txt"
THRESHOLD = 0.5      # |mean rating| below this: the raters did not agree on a side, so it is dropped


class Snippet(NamedTuple):
    id: str
    score: float         # mean rating, −4 … +4
    text: str


def archive_path() -> Path:
    return registry.cache_dir() / ARCHIVE


def fetch() -> Path:
    """Download the sdist into the cache (set-up time only), verify its sha256, return its path."""
    return registry.download(PACKAGE, ARCHIVE, SHA256)


def available() -> bool:
    return archive_path().exists()


@lru_cache(maxsize=1)
def _files() -> dict[str, bytes]:
    """{file name: bytes} of the inner archive's data files. FileNotFoundError before `make data`."""
    path = registry.archive(ARCHIVE, PACKAGE)
    with tarfile.open(path, "r:gz") as outer:
        inner = outer.extractfile(INNER).read()
    wanted = {*FILES.values(), LEXICON}
    out = {}
    with tarfile.open(fileobj=io.BytesIO(inner), mode="r:gz") as tar:
        for member in tar.getmembers():
            name = member.name.removeprefix(FOLDER)
            if member.isfile() and name in wanted:
                out[name] = tar.extractfile(member).read()
    missing = wanted - set(out)
    if missing:
        raise RuntimeError(f"{INNER} lacks {sorted(missing)}")
    return out


def _lines(raw: bytes, encoding: str) -> list[str]:
    return [line for line in raw.decode(encoding).replace("\r\n", "\n").split("\n") if line.strip()]


@lru_cache(maxsize=None)
def snippets(name: str) -> tuple[Snippet, ...]:
    """Every rated snippet of one collection (a key of FILES), in file order."""
    if name not in FILES:
        raise ValueError(f"collection must be one of {sorted(FILES)}; got {name!r}")
    rows = []
    for line in _lines(_files()[FILES[name]], "utf-8"):
        ident, score, text = line.split("\t", 2)
        rows.append(Snippet(ident, float(score), text.strip()))
    return tuple(rows)


def labelled(name: str = "movie", threshold: float = THRESHOLD) -> list[tuple[str, int, float]]:
    """[(text, label, score)]: snippets with |score| ≥ threshold, label 1 (positive) if score > 0, else 0."""
    return [(s.text, int(s.score > 0), s.score) for s in snippets(name) if abs(s.score) >= threshold]


@lru_cache(maxsize=1)
def lexicon() -> dict[str, float]:
    """{token: mean valence (−4 … +4)} of VADER's lexicon: words, emoticons, slang (rated by 10 people)."""
    out = {}
    for line in _lines(_files()[LEXICON], "latin-1"):
        token, mean = line.split("\t")[:2]
        out[token] = float(mean)
    return out


if __name__ == "__main__":
    print(f"{fetch()}: " + ", ".join(f"{name} {len(snippets(name)):,}" for name in FILES)
          + f", lexicon {len(lexicon()):,}")
