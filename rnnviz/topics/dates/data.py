"""Date pairs for the encoder–decoder demo: a date written in one of many surface forms → ISO 8601.

    "Saturday, November 21st 2026"  → "2026-11-21"
    "21.11.2026"                    → "2026-11-21"
    "nov 21, 2026"                  → "2026-11-21"

Generated, not downloaded (nothing to fetch: `fetch()` only says so). Every draw comes from a
`np.random.default_rng(seed)` passed in, never from global state, so the same seed gives the same pairs.

The surface forms (Style) vary the order (day-month-year, month-day-year, year-month-day), the month
(full name, three-letter abbreviation, number with or without a leading zero), the day (number, padded,
ordinal "21st"), the weekday (none, full, abbreviated; always the true one), the separators and the case.
Numeric dates follow one convention each, so the text has one meaning: "/" with the year last is
month-first (US: 03/04/2026 is March 4), "." and "-" with the year last are day-first (04.03.2026 is
March 4), and the year first is always year-month-day (2026/03/04). The model can only learn these
conventions from its data; the page says so.

`parse(text)` is the inverse of `render` (it reads exactly the forms generated here, in any case),
so the page can tell whether a typed text is a date the model can know, and which date it is.
Dates run from 1900-01-01 to 2099-12-31; `split(seed)` holds out distinct dates for validation and test.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import numpy as np

FIRST, LAST = dt.date(1900, 1, 1), dt.date(2099, 12, 31)
DAYS = (LAST - FIRST).days + 1                    # 73,049 dates
SPLIT_SEED = 11
HELD_OUT = {"validation": 1_000, "test": 2_000}   # distinct dates, never seen in training in any form
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
ORDERS = ("DMY", "MDY", "YMD")
MONTH_FORMS = ("full", "abbr", "number")
DAY_FORMS = ("plain", "padded", "ordinal")
WEEKDAY_FORMS = ("none", "full", "abbr")
CASES = ("lower", "title", "upper")
NUMERIC_SEPARATORS = {"MDY": ("/",), "DMY": (".", "-"), "YMD": ("-", "/", ".")}
SOURCE = "generated: rnnviz.topics.dates.data (seeded; no download)"


def ordinal(day: int) -> str:
    """21 → "21st", 12 → "12th" (11–13 take "th")."""
    suffix = "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def iso(d: dt.date) -> str:
    """The target: YYYY-MM-DD, always ten characters."""
    return f"{d.year:04d}-{d.month:02d}-{d.day:02d}"


@dataclass(frozen=True)
class Style:
    """One surface form of a date. A numeric month has no weekday-free restriction; `sep` is the separator
    between numbers when the month is a number ("/", ".", "-"), and for named months one of " ", ", " or "-"."""
    order: str = "MDY"
    month: str = "full"
    day: str = "plain"
    weekday: str = "none"
    sep: str = " "
    case: str = "lower"

    def render(self, d: dt.date) -> str:
        if self.month == "number":
            m = f"{d.month:02d}" if self.day == "padded" else str(d.month)
            day = f"{d.day:02d}" if self.day == "padded" else str(d.day)
            parts = {"D": day, "M": m, "Y": f"{d.year:04d}"}
            body = self.sep.join(parts[k] for k in self.order)
        else:
            name = MONTHS[d.month - 1]
            m = name if self.month == "full" else name[:3]
            day = ordinal(d.day) if self.day == "ordinal" else f"{d.day:02d}" if self.day == "padded" else str(d.day)
            if self.order == "DMY":
                body = f"{day}{self.sep}{m}{self.sep}{d.year}" if self.sep != ", " else f"{day} {m}, {d.year}"
            elif self.order == "MDY":
                body = f"{m}{self.sep}{day}{self.sep}{d.year}" if self.sep != ", " else f"{m} {day}, {d.year}"
            else:
                body = f"{d.year}{self.sep}{m}{self.sep}{day}" if self.sep != ", " else f"{d.year}, {m} {day}"
        if self.weekday != "none":
            name = WEEKDAYS[d.weekday()]
            body = f"{name if self.weekday == 'full' else name[:3]}, {body}"
        if self.case == "upper":
            return body.upper()
        if self.case == "title":       # Words capitalised, ordinal suffixes not ("21st November", not "21St")
            return re.sub(r"[a-z]{3,}", lambda w: w[0].capitalize(), body)
        return body


def random_style(rng: np.random.Generator) -> Style:
    """A surface form drawn uniformly over its parts (numeric dates with their one convention each)."""
    month = MONTH_FORMS[rng.integers(len(MONTH_FORMS))]
    if month == "number":
        order = ORDERS[rng.integers(len(ORDERS))]
        seps = NUMERIC_SEPARATORS[order]
        sep = seps[rng.integers(len(seps))]
        day = ("plain", "padded")[rng.integers(2)]
    else:
        order = ORDERS[rng.integers(len(ORDERS))]
        sep = (" ", ", ", "-")[rng.integers(3)]
        day = DAY_FORMS[rng.integers(len(DAY_FORMS))]
    weekday = WEEKDAY_FORMS[rng.integers(len(WEEKDAY_FORMS))]
    case = CASES[rng.choice(len(CASES), p=(0.5, 0.3, 0.2))]
    return Style(order, month, day, weekday, sep, case)


def all_styles() -> list[Style]:
    """Every surface form random_style can draw (its space, enumerated): 594 of them."""
    out = []
    for month in MONTH_FORMS:
        for order in ORDERS:
            seps = NUMERIC_SEPARATORS[order] if month == "number" else (" ", ", ", "-")
            days = ("plain", "padded") if month == "number" else DAY_FORMS
            out += [Style(order, month, day, weekday, sep, case) for sep in seps for day in days
                    for weekday in WEEKDAY_FORMS for case in CASES]
    return out


def style_of(text: str, d: dt.date) -> Style | None:
    """A form in which `d` is written exactly as `text` (surrounding spaces aside), or None: a typed date
    that the data could have generated. Then the same form can write another date (the page's control)."""
    text = text.strip()
    return next((s for s in all_styles() if s.render(d) == text), None)


def date_at(k: int) -> dt.date:
    """The k-th date of the range (0 = 1900-01-01)."""
    return FIRST + dt.timedelta(days=int(k))


@dataclass(frozen=True)
class Split:
    train: np.ndarray        # day numbers (0 = 1900-01-01) the model may see, in any form
    validation: np.ndarray
    test: np.ndarray


def split(seed: int = SPLIT_SEED) -> Split:
    """Distinct dates held out for validation and test (a seeded permutation of all 73,049 days)."""
    perm = np.random.default_rng(seed).permutation(DAYS)
    nv, nt = HELD_OUT["validation"], HELD_OUT["test"]
    return Split(np.sort(perm[nv + nt:]), np.sort(perm[:nv]), np.sort(perm[nv:nv + nt]))


def pairs(days: np.ndarray, rng: np.random.Generator) -> list[tuple[str, str, Style]]:
    """(surface text, ISO target, style) for each day number, each in a form drawn from `rng`."""
    out = []
    for k in days:
        d, style = date_at(k), random_style(rng)
        out.append((style.render(d), iso(d), style))
    return out


def held_out(which: str, seed: int = SPLIT_SEED) -> list[tuple[str, str, Style]]:
    """The fixed validation or test pairs: each held-out date once, in a form drawn from a seeded rng."""
    days = getattr(split(seed), which)
    return pairs(days, np.random.default_rng(seed + {"validation": 1, "test": 2}[which]))


def fetch() -> str:
    """Nothing to download: the pairs are generated (python -m rnnviz.data calls every fetch())."""
    return "generated on the fly (no download)"


# ----------------------------------------------------------------------------- typed text → date

_WEEKDAY = re.compile(r"^\s*(" + "|".join(w for n in WEEKDAYS for w in (n, n[:3])) + r")\b\.?,?\s*")
_TOKEN = re.compile(r"[a-z]+|\d+")
_MONTH = {**{m: i + 1 for i, m in enumerate(MONTHS)}, **{m[:3]: i + 1 for i, m in enumerate(MONTHS)}}
_ORDINAL = re.compile(r"^(\d{1,2})(st|nd|rd|th)$")


@dataclass(frozen=True)
class Parsed:
    """What a typed text means. `date` is set for a real date in range; otherwise `problem` says why not.
    `iso` is set whenever the text names a year, a month and a day, real or not (e.g. 2026-02-30)."""
    date: dt.date | None
    iso: str | None
    problem: str | None
    weekday_typed: int | None = None      # 0 = Monday, when the text starts with a weekday


def check_iso(text: str) -> Parsed:
    """Is the model's answer a real date? (YYYY-MM-DD with a month 1–12 and a day that month has.)"""
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text)
    if not m:
        return Parsed(None, None, "it is not of the form YYYY-MM-DD")
    return _real(int(m[1]), int(m[2]), int(m[3]))


def _real(y: int, m: int, d: int) -> Parsed:
    name = f"{y:04d}-{m:02d}-{d:02d}"
    if not 1 <= m <= 12:
        return Parsed(None, name, f"there is no month {m}")
    try:
        date = dt.date(y, m, d)
    except ValueError:
        return Parsed(None, name, f"{MONTHS[m - 1].title()} {y} has no day {d}")
    if not FIRST <= date <= LAST:
        return Parsed(date, name, f"{y} is outside the years the model learned ({FIRST.year}–{LAST.year})")
    return Parsed(date, name, None)


def parse(text: str) -> Parsed:
    """Read `text` the way the data writes dates (any case); Parsed.problem says what is wrong when it is
    not a date the model could know: unparseable, impossible (february 30) or out of range."""
    low = text.strip().lower()
    weekday = None
    w = _WEEKDAY.match(low)
    if w:
        weekday = next(i for i, n in enumerate(WEEKDAYS) if w[1] in (n, n[:3]))
        low = low[w.end():]
    tokens = _TOKEN.findall(low)
    rest = _TOKEN.sub("", low)
    if not tokens or re.search(r"[^\s,./\-]", rest):
        return Parsed(None, None, "it is not written the way the model's dates are", weekday)
    words = [t for t in tokens if not t.isdigit() and t not in ("st", "nd", "rd", "th")]
    joined = [t for t in tokens if t not in ("st", "nd", "rd", "th")]
    if len(words) == 1 and words[0] in _MONTH and len(joined) == 3:
        month = _MONTH[words[0]]
        numbers = [t for t in joined if t.isdigit()]
        years = [t for t in numbers if len(t) == 4]
        days = [t for t in numbers if len(t) <= 2]
        if len(years) == 1 and len(days) == 1 and _ordinal_ok(low, days[0]):
            return _with_weekday(_real(int(years[0]), month, int(days[0])), weekday)
    elif not words and len(joined) == 3:
        seps = set(re.sub(r"\d+", " ", low).split())
        a, b, c = joined
        if len(seps) == 1 and len(a) == 4 and len(b) <= 2 and len(c) <= 2:
            return _with_weekday(_real(int(a), int(b), int(c)), weekday)
        if len(seps) == 1 and len(c) == 4 and len(a) <= 2 and len(b) <= 2:
            first_month = seps == {"/"}        # the data's convention: "/" is US month-first, "." and "-" day-first
            m, d = (int(a), int(b)) if first_month else (int(b), int(a))
            return _with_weekday(_real(int(c), m, d), weekday)
    return Parsed(None, None, "it is not written the way the model's dates are", weekday)


def _ordinal_ok(low: str, day: str) -> bool:
    """A suffix after the day must be the right one (21st, not 21th)."""
    m = re.search(rf"\b{day}(st|nd|rd|th)\b", low)
    return m is None or ordinal(int(day)) == m[0]


def _with_weekday(p: Parsed, weekday: int | None) -> Parsed:
    return Parsed(p.date, p.iso, p.problem, weekday)
