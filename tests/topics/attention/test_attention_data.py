"""The number-words data: every phrasing reads back (parse ∘ render = id), the held-out numbers are distinct and
never drawn for training, the length bins cover every input, and the word-copy baseline does what it says."""
from __future__ import annotations

import numpy as np
import pytest

from rnnviz.topics.attention import data, recipe

SAMPLES = [0, 5, 13, 40, 42, 100, 105, 999, 1000, 1005, 12_345, 100_000, 312_005, 777_777, 999_999]


@pytest.mark.parametrize("style", data.STYLES)
def test_render_parse_round_trip(style):
    for n in [*SAMPLES, *np.random.default_rng(0).integers(0, data.LIMIT, 200).tolist()]:
        text = style.render(n)
        assert data.parse(text) == n and data.parse(text.upper()) == n, text


def test_phrasings():
    assert data.Style(True, "-", True).render(312_005) == "three hundred and twelve thousand and five"
    assert data.Style(False, " ", True).render(777_100) == "seven hundred seventy seven thousand, one hundred"
    assert data.parse("hello world") is None and data.parse("twelve hundred") is None
    with pytest.raises(ValueError):
        data.Style().render(data.LIMIT)


def test_held_out_numbers_are_never_drawn():
    s = data.split()
    assert len(s.validation) == 1000 and len(s.test) == 4000 and not set(s.validation) & set(s.test)
    drawn = data.draw_numbers(np.random.default_rng(0), 5000, s.held)
    assert not set(drawn) & s.held and min(s.held) >= 100
    assert {len(str(n)) for n in drawn} == {1, 2, 3, 4, 5, 6}


def test_bins_cover_every_input():
    lengths = [len(st.render(n)) for st in data.STYLES for n in SAMPLES]
    assert data.BINS[0][0] == 1 and max(lengths) <= data.BINS[-1][1]
    assert all(data.BINS[i][1] + 1 == data.BINS[i + 1][0] for i in range(len(data.BINS) - 1))


def test_word_copy_baseline():
    assert recipe.word_copy("three hundred twelve") == "312"
    assert recipe.word_copy("three hundred five") == "35"                # no word says the zero
    assert recipe.word_copy("twenty one thousand, forty-two") == "2142"
    assert recipe.majority_answer(["12", "34", "15", "7"]) == "12"    # length 2; then 1, then a tie: lowest


def test_the_presets_say_true_things_about_their_inputs():
    from rnnviz.topics.attention import words
    longest = max(len(s.below_1000(n)) for s in data.STYLES for n in range(1000))
    bound = longest + len(" thousand, ") + longest                # the longest an input can be, by its parts
    long_one, zeros, short, not_a_number = (p[1]["number"] for p in words.PRESETS)
    assert len(long_one) == bound == 73 and data.parse(long_one) == 777_777
    assert data.parse(zeros) == 312_005 and data.digits(312_005).count("0") == 2 and "zero" not in zeros
    assert data.parse(short) == 42 and data.parse(not_a_number) is None
    assert len(data.STYLES) == 8
