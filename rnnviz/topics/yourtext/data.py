"""Your text, checked: what a student pastes or uploads becomes the text a character model learns.

    data = read_text(uploaded_bytes)      # or a str; raises TextError with a message to show as it is
    data.text, data.alphabet              # what is learned, and the characters the model knows
    data.ids()                            # (N,) long over the alphabet (0: a character read as UNKNOWN)
    data.n_train, data.baselines          # text[:n_train] trains; bpc of simple counters on the rest
    data.messages()                       # plain-text notes: what was cut, what is unknown, the split

Any script works: the model reads characters (Unicode code points), not bytes and not words, so Chinese,
Arabic or emoji are characters like any other. It knows at most MAX_VOCAB of them, the most frequent; the
rest are read as one "unknown" symbol (alphabet[0], CharModel's rule), because a character seen only once
or twice cannot be learned, and each one kept costs a row and a column of weights.

Why the held-out part: a model can learn a text by heart. Its bits per character on text it never
trained on (the last 10 %) says whether it learned the *language* of the text; the same number on the
training part only says it remembers. The baselines are what counting alone achieves on the same
held-out part (rnnviz.shared.char_recipe.ngram_bpc):
    uniform   log2 V                           every character equally likely (knows nothing)
    unigram   −mean log2 p(c)                  knows how common each character is
    bigram    −mean log2 p(c_t | c_{t−1})      also knows which character follows which
(counts from the training part, plus one for every pair, so nothing gets probability 0). A recurrent
model that beats the bigram has learned something a table of pairs cannot hold.
"""
from __future__ import annotations

import collections
import hashlib
import importlib.util
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch

from rnnviz.shared import shakespeare
from rnnviz.shared.char_model import UNKNOWN
from rnnviz.shared.char_recipe import ngram_bpc

MAX_BYTES = 200_000          # of UTF-8; longer is cut (on a character boundary) and said
MIN_CHARS = 300              # shorter: too little to learn from
MAX_VOCAB = 200              # characters kept (the most frequent; ties by code point); the rest → UNKNOWN
HELD_OUT_SHARE = 0.10        # the last 10 % of the text is held out ...
MIN_HELD_OUT = 100           # ... and at least this many characters
BINARY_SHARE = 0.10          # more control characters than this share: a binary file, not text

BOM = b"\xef\xbb\xbf"                                         # UTF-8's byte-order mark (Windows editors add it)
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# Control characters no text uses (tab, line feed, vertical tab, form feed and carriage return are text).
CONTROL = re.compile("[\x01-\x08\x0e-\x1f\x7f]")
CONTROL_BYTES = bytes([*range(1, 9), *range(14, 32), 127])


class TextError(ValueError):
    """The text cannot be learned from; str() is the plain-text message the page shows."""


@dataclass(frozen=True)
class TextData:
    text: str                # what is learned: \r\n and \r → \n, a leading BOM dropped; ≤ MAX_BYTES UTF-8
    alphabet: str            # UNKNOWN + kept characters in code-point order (CharModel's rule)
    cut_bytes: int           # bytes left out beyond MAX_BYTES (0: none)
    unknown: int             # characters of `text` read as UNKNOWN
    sha256: str              # hex of text's UTF-8 bytes
    n_train: int             # text[:n_train] trains, text[n_train:] is held out (last 10 %, ≥ 100 chars)
    baselines: dict          # bpc on the held-out part: "uniform", "unigram", "bigram" (counts from training)
    unknown_chars: str = ""  # the distinct characters read as UNKNOWN, most frequent first
    codes: np.ndarray = field(default=None, repr=False, compare=False)   # (N,) uint8: ids() without a copy

    @property
    def n_held_out(self) -> int:
        return len(self.text) - self.n_train

    def ids(self) -> torch.Tensor:
        """(N,) long: each character's index in the alphabet, 0 for a character read as UNKNOWN."""
        return torch.from_numpy(self.codes.astype(np.int64))

    def messages(self) -> list[str]:
        """Plain-text notes for the page (it escapes them): what was cut, what is unknown, the split."""
        out = []
        if self.cut_bytes:
            out.append(f"The text was {len(self.text.encode('utf-8')) + self.cut_bytes:,} bytes long; a model "
                       f"here learns from at most {MAX_BYTES:,}, so the first {len(self.text):,} characters are "
                       f"kept and the last {self.cut_bytes:,} bytes were left out.")
        if self.unknown:
            shown = ", ".join(repr(ch) for ch in self.unknown_chars[:8])
            more = len(self.unknown_chars) - 8
            out.append(f"The text uses more than {MAX_VOCAB} different characters: the model knows the "
                       f"{MAX_VOCAB} most frequent, and reads the other {len(self.unknown_chars):,} ({shown}"
                       f"{f' and {more:,} more' if more > 0 else ''}; {self.unknown:,} characters in all) as "
                       "one unknown symbol.")
        out.append(f"It learns from the first {self.n_train:,} characters and is tested on the last "
                   f"{self.n_held_out:,}, which it never trains on.")
        return out


def read_text(raw: bytes | str) -> TextData:
    """Check and prepare a student's text (the bytes of an uploaded file, or pasted text); raises TextError."""
    if not isinstance(raw, (bytes, bytearray, str)):
        raise TextError(f"Expected text or the bytes of a text file, got {type(raw).__name__}.")
    from_str = isinstance(raw, str)
    # A str goes the same way as bytes; "surrogatepass" lets a lone surrogate through, to be named below.
    body = raw.encode("utf-8", "surrogatepass") if from_str else bytes(raw)
    if body.startswith(UTF16_BOMS):
        raise TextError("This file is saved as UTF-16, not UTF-8: open it in a text editor and save it "
                        "again as UTF-8 (often called 'UTF-8' or 'Unicode (UTF-8)' in the save dialog).")
    skipped = len(BOM) if body.startswith(BOM) else 0
    body = body[skipped:]
    kept = _cut(body, MAX_BYTES)                 # slice the bytes first: 50 MB is never decoded whole
    nul = kept.count(b"\x00")
    if nul:
        raise TextError(f"This looks like a binary file, not text: it holds {nul:,} zero bytes (the first at "
                        f"byte {skipped + kept.index(0):,}). Upload a plain-text file (.txt), saved as UTF-8.")
    try:
        text = kept.decode("utf-8")
    except UnicodeDecodeError as e:
        raise TextError(_decode_message(kept, e, skipped, from_str)) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    _check(text)
    return _prepare(text, len(body) - len(kept))


def _cut(body: bytes, limit: int) -> bytes:
    """The first `limit` bytes, less the start of a character the limit would split (UTF-8's continuation
    bytes are 10xxxxxx: step back over them, at most three, to the first byte of that character)."""
    if len(body) <= limit:
        return body
    end = limit
    for _ in range(3):
        if body[end] & 0xC0 != 0x80:              # body[end] starts a character: cut before it
            break
        end -= 1
    return body[:end]


def _decode_message(kept: bytes, e: UnicodeDecodeError, skipped: int, from_str: bool) -> str:
    if from_str:                                  # only a surrogate code point fails here (see read_text)
        at = len(kept[:e.start].decode("utf-8"))
        code = ord(kept[e.start:e.start + 3].decode("utf-8", "surrogatepass"))
        return (f"Character {at + 1:,} of the text is broken: it is half of a character (U+{code:04X}, a lone "
                "surrogate), as happens when an emoji is cut in two while copying. Delete it, or copy the "
                "text again.")
    head = kept[:4096]
    if sum(head.count(b) for b in CONTROL_BYTES) > BINARY_SHARE * len(head):
        return ("This looks like a binary file, not text: it is not UTF-8 and is full of control bytes. "
                "Upload a plain-text file (.txt), saved as UTF-8.")
    bad = kept[e.start:e.end].hex(" ").upper()
    return (f"This file is not valid UTF-8: byte {skipped + e.start:,} (counting from 0) is 0x{bad}, which "
            "UTF-8 does not allow there. It was probably saved in another encoding (such as Latin-1 or "
            "Windows-1252): open it in a text editor and save it again as UTF-8.")


def _check(text: str) -> None:
    """Raise TextError if there is too little to learn from, or the text is really a binary file."""
    n = len(text)
    if n == 0:
        raise TextError(f"The text is empty: paste or upload a text of at least {MIN_CHARS} characters "
                        "(a few pages is better), or pick an example.")
    if not text.strip():
        raise TextError(f"The text holds only white space ({n:,} spaces, tabs or line breaks): paste a text "
                        f"of at least {MIN_CHARS} characters, or pick an example.")
    if n < MIN_CHARS:
        raise TextError(f"The text has {n:,} character{'s' if n != 1 else ''}, too few to learn from: a model "
                        f"needs at least {MIN_CHARS} (a few pages is better). Paste a longer text, or pick an example.")
    if len(set(text)) == 1:
        raise TextError(f"The text is one character ({text[0]!r}) repeated {n:,} times: there is nothing to "
                        "learn, the next character is always the same. Paste a real text, or pick an example.")
    control = len(CONTROL.findall(text))
    if control > BINARY_SHARE * n:
        raise TextError(f"This looks like a binary file, not text: {control:,} of its {n:,} characters "
                        f"({control / n:.0%}) are control characters no text uses. Upload a plain-text "
                        "file (.txt), saved as UTF-8.")


def _prepare(text: str, cut_bytes: int) -> TextData:
    """The alphabet, the ids, the split and the baselines of a checked text."""
    counts = collections.Counter(text)
    counts.pop(UNKNOWN, None)
    ranked = sorted(counts, key=lambda ch: (-counts[ch], ch))         # most frequent first, ties by code point
    alphabet = UNKNOWN + "".join(sorted(ranked[:MAX_VOCAB]))
    index = {ch: i for i, ch in enumerate(alphabet)}
    codes = np.fromiter((index.get(ch, 0) for ch in text), dtype=np.uint8, count=len(text))   # V ≤ 201 < 256
    held_out = max(MIN_HELD_OUT, math.ceil(HELD_OUT_SHARE * len(text)))
    n_train = len(text) - held_out
    ids = torch.from_numpy(codes.astype(np.int64))
    baselines = ngram_bpc(ids[:n_train], ids[n_train:], len(alphabet))
    return TextData(text=text, alphabet=alphabet, cut_bytes=cut_bytes, unknown=int((codes == 0).sum()),
                    sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(), n_train=n_train,
                    baselines=baselines, unknown_chars="".join(ranked[MAX_VOCAB:]), codes=codes)


# ----------------------------------------------------------------------------- built-in examples

EXAMPLE_BYTES = 100_000
EXAMPLES = {   # name → where it comes from (plain text for the page); every one is on disk, nothing is fetched
    "Shakespeare (100 kB)": "The first 100 kB of the Shakespeare works the app's character models train on "
                            "(All's Well That Ends Well and the start of Antony and Cleopatra).",
    "Python code (argparse.py)": "The Python standard library's argparse module, about 100 kB of code, "
                                 "comments and docstrings: indentation and brackets to learn.",
}


def example(name: str) -> str:
    """The text of a built-in example (a key of EXAMPLES), read from data already on disk."""
    if name == "Shakespeare (100 kB)":
        try:
            train_text, _ = shakespeare.split()
        except (FileNotFoundError, RuntimeError) as e:
            raise TextError(f"The Shakespeare text is not on this machine ({e}). Paste a text of your own.") from None
        head = train_text[:EXAMPLE_BYTES]                              # ASCII: 100,000 characters = 100 kB
        return head[:head.rfind("\n") + 1]                             # ending with a whole line
    if name == "Python code (argparse.py)":
        return Path(importlib.util.find_spec("argparse").origin).read_text(encoding="utf-8")
    raise TextError(f"There is no example called {name!r}; the examples are: {', '.join(EXAMPLES)}.")
