"""The generated date pairs: every form renders the right date and parses back to it, the conventions keep one
meaning per text, the split holds distinct dates out, and a seed gives the same pairs."""
from __future__ import annotations

import datetime as dt
import itertools

import numpy as np
import pytest

from rnnviz.topics.dates import data as dates


def test_every_form_parses_back_to_its_date():
    rng = np.random.default_rng(0)
    days = rng.integers(dates.DAYS, size=3000)
    for text, answer, style in dates.pairs(days, rng):
        p = dates.parse(text)
        assert p.iso == answer and p.problem is None, (text, style)
        if style.weekday != "none":
            assert p.weekday_typed == p.date.weekday()


def test_all_styles_render_one_date_correctly():
    d = dt.date(2026, 3, 4)                                        # a Wednesday; day and month both ≤ 12
    seen = set()
    for order, month, day, weekday, case in itertools.product(dates.ORDERS, dates.MONTH_FORMS, dates.DAY_FORMS,
                                                              dates.WEEKDAY_FORMS, dates.CASES):
        seps = dates.NUMERIC_SEPARATORS[order] if month == "number" else (" ", ", ", "-")
        if month == "number" and day == "ordinal":
            continue
        for sep in seps:
            text = dates.Style(order, month, day, weekday, sep, case).render(d)
            seen.add(text)
            assert dates.parse(text).iso == "2026-03-04", text
    assert {"03/04/2026", "04.03.2026", "4-3-2026", "2026/03/04", "Wednesday, March 4th 2026", "4TH MAR 2026",
            "wed, 2026, mar 4"} <= seen


def test_conventions_and_examples():
    assert dates.Style("MDY", "full", "ordinal", "full", " ", "title").render(dt.date(2026, 11, 21)) \
        == "Saturday, November 21st 2026"
    assert [dates.ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 31)] == \
        ["1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd", "31st"]
    assert dates.parse("03/04/2026").iso == "2026-03-04"         # "/" with the year last: month first (US)
    assert dates.parse("03.04.2026").iso == "2026-04-03"         # "." and "-": day first
    assert dates.parse("03-04-2026").iso == "2026-04-03"
    assert dates.parse("2026/03/04").iso == "2026-03-04"         # year first: year-month-day


@pytest.mark.parametrize("text, iso, problem", [
    ("february 30 2026", "2026-02-30", "February 2026 has no day 30"),
    ("29.02.2026", "2026-02-29", "February 2026 has no day 29"),
    ("13/13/2026", "2026-13-13", "there is no month 13"),
    ("1 jan 1850", "1850-01-01", "outside the years the model learned"),
    ("hello world", None, "not written the way"),
    ("", None, "not written the way"),
    ("21th november 2026", None, "not written the way"),
    ("<script>alert(1)</script>", None, "not written the way"),
    ("2026-11-21 😀", None, "not written the way"),
])
def test_what_is_not_a_date_the_model_can_know(text, iso, problem):
    p = dates.parse(text)
    assert p.iso == iso and problem in p.problem


def test_leap_days_and_iso_check():
    assert dates.parse("february 29 2024").date == dt.date(2024, 2, 29)
    assert dates.parse("29 feb 2000").date == dt.date(2000, 2, 29)       # divisible by 400
    assert "no day 29" in dates.parse("29 feb 1900").problem             # divisible by 100 only
    assert dates.check_iso("2026-11-21").problem is None
    assert "no day 30" in dates.check_iso("2026-02-30").problem
    assert "YYYY-MM-DD" in dates.check_iso("2026-1-21").problem and dates.check_iso("").iso is None


def test_split_holds_distinct_dates_out_and_is_seeded():
    s = dates.split()
    assert len(s.train) + len(s.validation) + len(s.test) == dates.DAYS == 73_049
    assert not set(s.test) & set(s.train) and not set(s.validation) & set(s.train)
    assert not set(s.test) & set(s.validation)
    assert len(s.test) == dates.HELD_OUT["test"] == len(set(s.test))
    assert dates.held_out("test") == dates.held_out("test")
    a = dates.pairs(s.train[:50], np.random.default_rng(5))
    assert a == dates.pairs(s.train[:50], np.random.default_rng(5)) != dates.pairs(s.train[:50], np.random.default_rng(6))
    assert dates.date_at(0) == dates.FIRST and dates.date_at(dates.DAYS - 1) == dates.LAST
    assert "no download" in dates.fetch()


def test_the_held_out_test_pairs_are_pinned():
    """The manifest's metrics were measured on these exact pairs: a change to the generator that moves a single
    test date or form must be a deliberate retrain (python -m rnnviz.train dates), not a silent drift."""
    import hashlib

    text = "\n".join(f"{x}\t{y}" for x, y, _ in dates.held_out("test"))
    assert hashlib.sha256(text.encode()).hexdigest() == \
        "06e413b947b6df8b308b94400c568b31e24411940fd0323a2b2d8c4513669f8a"
