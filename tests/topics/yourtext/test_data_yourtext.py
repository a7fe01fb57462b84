"""Your text's data: every bad input a student can give gets its own plain message; any script works; the
cut, the alphabet, the split and the baselines are what a hand count says."""
from __future__ import annotations

import collections
import math

import pytest

from rnnviz.shared import shakespeare
from rnnviz.shared.char_model import UNKNOWN
from rnnviz.topics.yourtext import data
from rnnviz.topics.yourtext.data import MAX_BYTES, MAX_VOCAB, MIN_CHARS, TextError, read_text

PROSE = ("It was a bright cold day in April, and the clocks were striking thirteen. "
         "Winston Smith, his chin nuzzled into his breast, slipped quickly through the glass doors.\n") * 4


def message(raw) -> str:
    with pytest.raises(TextError) as caught:
        read_text(raw)
    text = str(caught.value)
    assert "\n" not in text and "<" not in text and text.endswith("."), text        # plain text, one sentence or more
    return text


# ----- bad input, one by one

@pytest.mark.parametrize("raw", [b"", ""])
def test_empty(raw):
    assert "empty" in message(raw) and str(MIN_CHARS) in message(raw)


@pytest.mark.parametrize("raw", [b"   \n\t\r\n  ", "\n" * 500])
def test_only_white_space(raw):
    n = len(raw.replace(b"\r\n", b"\n") if isinstance(raw, bytes) else raw)
    assert f"only white space ({n:,} " in message(raw)


def test_one_character():
    assert "1 character, too few" in message("x")
    assert "one character ('x') repeated 500 times" in message("x" * 500)


def test_fewer_than_min_chars_says_how_many():
    assert f"has {MIN_CHARS - 1} characters" in message("a b " * 74 + "abc")
    read_text("ab" * (MIN_CHARS // 2))                                             # exactly MIN_CHARS: fine


def test_binary_with_zero_bytes():
    msg = message(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 100)
    assert "looks like a binary file, not text" in msg and "300 zero bytes (the first at byte 8)" in msg


def test_binary_of_control_characters_without_zero_bytes():
    assert "looks like a binary file, not text" in message(bytes(range(1, 32)) * 20 + b"some text " * 10)
    # not UTF-8 either: still called binary, not an encoding problem
    assert "looks like a binary file, not text" in message(bytes([1, 2, 3, 0xFF, 4, 5]) * 100)


def test_invalid_utf8_names_the_byte_and_suggests_utf8():
    latin1 = ("A caf\u00e9 in the old town. " * 20).encode("latin-1")
    msg = message(latin1)
    assert "not valid UTF-8: byte 5 (counting from 0) is 0xE9" in msg and "save it again as UTF-8" in msg
    assert "byte 8 " in message(data.BOM + latin1)                   # counted in the file, its BOM included


def test_utf16_is_named():
    assert "saved as UTF-16" in message(("hello world " * 40).encode("utf-16"))      # Python writes its BOM


def test_a_lone_surrogate_in_a_str_names_the_character():
    msg = message("ab" + "\ud83d" + PROSE)
    assert "Character 3 of the text is broken" in msg and "U+D83D" in msg


def test_not_text_at_all():
    assert "got int" in message(42)


def test_50_megabytes_are_cut_and_said():
    """(Its speed, 0.05 s for 50 MB, is no test here: a busy machine would flake it.)"""
    raw = PROSE.encode() * (50_000_000 // len(PROSE))
    d = read_text(raw)
    assert len(d.text.encode()) == MAX_BYTES and d.cut_bytes == len(raw) - MAX_BYTES
    assert d.text == raw[:MAX_BYTES].decode()
    assert f"the last {len(raw) - MAX_BYTES:,} bytes were left out" in d.messages()[0]


@pytest.mark.parametrize("char, width", [("\u00e9", 2), ("\u4e2d", 3), ("\U0001f600", 4)])
def test_the_cut_never_splits_a_character(char, width):
    raw = ("a" + char * (MAX_BYTES // width + 10)).encode()
    d = read_text(raw)
    kept = d.text.encode()
    assert MAX_BYTES - width < len(kept) <= MAX_BYTES and raw.startswith(kept)
    assert d.cut_bytes == len(raw) - len(kept) and set(d.text[1:]) == {char}


# ----- what a good text becomes

def test_line_ends_and_bom_are_normalised():
    for raw in (data.BOM + PROSE.replace("\n", "\r\n").encode(), "\ufeff" + PROSE.replace("\n", "\r")):
        d = read_text(raw)
        assert d.text == PROSE and d.cut_bytes == 0


@pytest.mark.parametrize("text", [
    "床前明月光，疑是地上霜。举头望明月，低头思故乡。\n" * 20,                                  # Chinese
    "في البدء كانت الكلمة، والكلمة كانت عند الله.\n" * 10,                                   # Arabic
    "Party tonight 🎉🎉 bring snacks 🍕🍿 and good vibes ✨😀!\n" * 10,                        # emoji
])
def test_any_script(text):
    d = read_text(text)
    assert d.unknown == 0 and set(d.alphabet[1:]) == set(text)
    assert d.alphabet[0] == UNKNOWN and list(d.alphabet[1:]) == sorted(set(text))   # CharModel's rule
    assert "".join(d.alphabet[i] for i in d.ids().tolist()) == text


def test_more_than_max_vocab_characters_keeps_the_most_frequent():
    # 250 CJK characters; character k appears 300 - k times, and two pairs tie at the border
    chars = [chr(0x4E00 + k) for k in range(250)]
    counts = {ch: 300 - k for k, ch in enumerate(chars)}
    counts[chars[199]] = counts[chars[200]] = counts[chars[201]] = 101     # a three-way tie at the 200th place
    text = "".join(ch * n for ch, n in counts.items())
    d = read_text(text)
    kept = set(chars[:199]) | {chars[199]}                                 # the tie goes to the lower code point
    assert len(d.alphabet) == MAX_VOCAB + 1 and set(d.alphabet[1:]) == kept
    unknown = sum(n for ch, n in counts.items() if ch not in kept)
    assert d.unknown == unknown == int((d.ids() == 0).sum())
    assert d.unknown_chars[:2] == chars[200] + chars[201]                  # most frequent first
    assert f"the other 50 ({chars[200]!r}" in d.messages()[0] and f"{unknown:,} characters in all" in d.messages()[0]


@pytest.mark.parametrize("n, n_train", [(300, 200), (1000, 900), (1001, 900), (5001, 4500), (200_000, 180_000)])
def test_the_split_holds_out_the_last_ten_percent_and_at_least_100(n, n_train):
    d = read_text(("abcdefghij " * 20_000)[:n])
    assert d.n_train == n_train and len(d.ids()) == n
    assert f"first {n_train:,} characters and is tested on the last {n - n_train:,}" in d.messages()[-1]


def test_baselines_against_a_hand_count():
    d = read_text("aab" * 100)                      # 300 characters: 200 train ("aab" * 66 + "aa"), 100 held out
    assert d.alphabet == UNKNOWN + "ab" and d.n_train == 200
    train, held = d.text[:200], d.text[200:]
    assert held == "b" + "aab" * 33
    # unigram: counts + 1 over the training part (a 134, b 66, unknown 0: 203 in all), scored on held[1:]
    assert d.baselines["unigram"] == pytest.approx(-(66 * math.log2(135 / 203) + 33 * math.log2(67 / 203)) / 99)
    # bigram: p(next | previous) = (pair count + 1) / (previous count as a first element + 3)
    pairs, firsts = collections.Counter(zip(train, train[1:])), collections.Counter(train[:-1])
    bits = [-math.log2((pairs[a, b] + 1) / (firsts[a] + 3)) for a, b in zip(held, held[1:])]
    assert d.baselines["bigram"] == pytest.approx(sum(bits) / len(bits))
    assert d.baselines["uniform"] == pytest.approx(math.log2(3))


def test_sha256_is_of_the_text_learned():
    import hashlib

    assert read_text(PROSE.replace("\n", "\r\n")).sha256 == hashlib.sha256(PROSE.encode()).hexdigest()


# ----- the examples

def test_python_example():
    d = read_text(data.example("Python code (argparse.py)"))
    assert "def " in d.text and d.unknown == 0 and d.baselines["bigram"] < d.baselines["unigram"]


@pytest.mark.skipif(not shakespeare.available(), reason="the Shakespeare archive is fetched by `make data`")
def test_shakespeare_example_is_the_first_100_kB_in_whole_lines():
    text = data.example("Shakespeare (100 kB)")
    assert 99_000 < len(text.encode()) <= 100_000 and text.endswith("\n")
    assert shakespeare.split()[0].startswith(text)


def test_an_unknown_example_lists_the_real_ones():
    with pytest.raises(TextError, match="Shakespeare"):
        data.example("Tolstoy")
