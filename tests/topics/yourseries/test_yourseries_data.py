"""Your series, reading a student's CSV: every bad input the brief names refused with a message that says what
and what to do (numbers in it real), the layouts accepted, gaps filled against hand numbers, the cut of a long
file, the season guessed on a sine, and the built-in examples."""
from __future__ import annotations

import hashlib

import numpy as np
import pytest

from rnnviz.topics.yourseries import data, patterns
from rnnviz.topics.yourseries.data import MAX_BYTES, MAX_ROWS, MIN_ROWS, SeriesError, read_csv


def csv_of(values, header="value", labels=None, sep=",") -> bytes:
    rows = [header] if header is not None else []
    for i, v in enumerate(values):
        cell = "" if v is None else str(v)
        rows.append(cell if labels is None else f"{labels[i]}{sep}{cell}")
    return ("\n".join(rows) + "\n").encode()


def wave(n=60, period=12, noise=0.0, seed=0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    return np.round(10 + 3 * np.sin(2 * np.pi * t / period) + noise * rng.normal(size=n), 6)


def refused(raw, *words) -> str:
    with pytest.raises(SeriesError) as info:
        read_csv(raw)
    message = str(info.value)
    for w in words:
        assert w in message, (w, message)
    return message


# ----------------------------------------------------------------------------- every bad input

def test_empty():
    refused(b"", "empty")
    refused("  \n\r\n\t\n", "empty")
    refused(b"# only a comment\n\n", "no rows of data")


def test_text_only_names_the_column_it_tried():
    refused(b"name,fruit\nann,apple\nbob,pear\n", "No column of numbers", "column 2", "'apple'", "line 2")
    refused(b"apple\npear\n", "column 1")
    refused(b"day,value\nmon,\ntue,NA\n", "column 2 is empty or marked missing in every row")
    refused("month;ppm\n" + "\n".join(f"1958-{m:02d};315,{m}" for m in range(1, 13)), "decimal comma", "315,1")


def test_one_row_and_too_few_rows():
    refused(b"5\n", "only one value", "5 on line 1", str(MIN_ROWS))
    refused(b"date,value\n2020-01,7.5\n", "only one value", "7.5 on line 2")
    refused(csv_of(range(12)), "has 12 values", f"at least {MIN_ROWS}")


def test_nan_and_inf_mostly_refused_with_the_count():
    values = [1.0, "nan", "inf", "", "-inf"] * 10                # 40 of 50 missing
    message = refused(csv_of(values, "t,v", labels=range(50)), "Most of the series is missing", "40 of 50")
    assert "30 NaN or infinite" in message and "10 empty" in message


def test_ten_million_rows_refused_before_parsing(monkeypatch):
    """Refused on its size alone: the CSV reader is never reached (no timing here: a busy machine would flake it)."""
    def parse(*_):
        raise AssertionError("a file over the limit was parsed")
    monkeypatch.setattr(data, "split", parse)
    raw = b"1\n" * 10_000_000
    refused(raw, "19.1 MB", "limit is 8.0 MB", f"{MAX_ROWS:,} rows")
    monkeypatch.undo()
    refused("1\n" * (MAX_BYTES // 2 + 1), "characters")               # the same bound for pasted text


def test_many_short_rows_cut_to_the_recent_past():
    values = [i % 97 for i in range(MAX_ROWS + 2345)]
    raw = csv_of(values, header="count")
    assert len(raw) < MAX_BYTES
    d = read_csv(raw)
    assert d.n == MAX_ROWS and d.cut_rows == 2345
    assert d.values[0] == values[2345] and d.values[-1] == values[-1]          # the last rows are kept
    assert any("first 2,345 were left out" in m for m in d.messages())
    no_header = read_csv(csv_of(values, header=None))                          # the first line is data too
    assert no_header.n == MAX_ROWS and no_header.cut_rows == 2345 and no_header.name == "value"


def test_binary_and_invalid_utf8():
    refused(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary", "zero byte at position 8")
    refused("value\n1\n2\n".encode("utf-16"), "binary")
    refused(b"value\n1\n\x07\x08\n", "binary", "0x07 on line 3")
    refused(b"value\n1\n2\n\xff\xfe3\n", "not UTF-8", "0xff on line 4", "CSV UTF-8")
    with pytest.raises(SeriesError, match="bytes or text"):
        read_csv(None)


def test_constant_series():
    refused(csv_of([5] * 40), "All 40 values are 5", "nothing to learn")
    refused(csv_of([1e9 + 23 * (i % 2) for i in range(40)]), "vary by only 23 around 1000000012",
            "Subtract a constant", "1000000000")


def test_three_numeric_columns_reads_the_first_and_says_so():
    rows = ["date,open,high,close"] + [f"2020-{i:03d},{i},{2 * i + 1},{i % 5}" for i in range(40)]
    d = read_csv("\n".join(rows))
    assert d.name == "open" and d.columns == ("open", "high", "close")
    assert np.array_equal(d.values, np.arange(40.0))
    assert any("3 columns of numbers" in m and "leaves out high, close" in m for m in d.messages())
    assert np.array_equal(read_csv("\n".join(rows), column="close").values, np.arange(40.0) % 5)
    assert np.array_equal(read_csv("\n".join(rows), column=3).values, 2 * np.arange(40.0) + 1)
    with pytest.raises(SeriesError, match="no column of numbers called 'volume'.*2 \\('open'\\), 3 \\('high'\\)"):
        read_csv("\n".join(rows), column="volume")


def test_huge_values_refused():
    refused(csv_of([1e31 * (1 + i % 3) for i in range(40)]), "overflows", "Rescale")


def test_a_quote_left_open():
    refused(b'value\n1\n"2\n3\n' + b"4\n" * 70_000, "quote", "line 3")    # the field grows past csv's limit


# ----------------------------------------------------------------------------- what is accepted

@pytest.mark.parametrize("sep", [",", ";", "\t"])
def test_separators_labels_and_header(sep):
    x = wave(40)
    labels = [f"2001-{m:02d}" for m in range(1, 41)]
    d = read_csv(csv_of(x, header=f"month{sep}temp", labels=labels, sep=sep))
    assert np.array_equal(d.values, x) and d.labels == tuple(labels) and d.name == "temp"
    assert d.sha256 == hashlib.sha256(x.astype("<f8").tobytes()).hexdigest()


def test_no_header_no_labels_quotes_and_years():
    x = wave(40)
    d = read_csv("\n".join(f'"{v}"' for v in x))
    assert np.array_equal(d.values, x) and d.labels == tuple(str(i) for i in range(1, 41)) and d.name == "value"
    years = read_csv(csv_of(x, header="year,level", labels=list(range(1900, 1940))))  # numbers, rising: labels
    assert years.labels[0] == "1900" and years.name == "level" and np.array_equal(years.values, x)


def test_split_and_season():
    assert read_csv(csv_of(wave(50))).n_train == 40                    # 20 % of 50 = 10 held out
    assert read_csv(csv_of(wave(200))).n_train == 160
    assert read_csv(csv_of(wave(30))).n_train == 20                    # at least 10 held out
    d = read_csv(csv_of(wave(240, period=12, noise=0.3)))
    assert d.period == 12


def test_gaps_filled_by_straight_lines_between_neighbours():
    values = [float(v) for v in wave(40)]
    holes = {3: "", 4: "NA", 10: "nan", 20: "inf", 30: "hello"}
    given = [holes.get(i, v) for i, v in enumerate(values)]
    d = read_csv(csv_of(given))
    assert d.filled == (3, 4, 10, 20, 30)
    # by hand: x_3 = x_2 + (x_5 − x_2)/3, x_4 = x_2 + 2(x_5 − x_2)/3, a lone gap is the mean of its neighbours
    assert d.values[3] == pytest.approx(values[2] + (values[5] - values[2]) / 3)
    assert d.values[4] == pytest.approx(values[2] + 2 * (values[5] - values[2]) / 3)
    for i in (10, 20, 30):
        assert d.values[i] == pytest.approx((values[i - 1] + values[i + 1]) / 2)
    text = "\n".join(d.messages())
    assert "Filled 5 missing value(s)" in text and "2 value(s) are NaN or infinite, read as missing (lines 12 and 22)" in text and "'hello'" in text


def test_missing_at_the_ends_left_out():
    values = ["", "NA"] + [float(v) for v in wave(40)] + ["nan"]
    d = read_csv(csv_of(values, "day,value", labels=[f"d{i}" for i in range(43)]))
    assert d.n == 40 and d.labels[0] == "d2" and d.filled == ()
    assert any("2 missing value(s) at the start and 1 at the end" in m for m in d.messages())


def test_a_row_with_extra_fields_is_missing_not_guessed():
    rows = ["t,v"] + [f"{i},{i * i % 7}" for i in range(40)]
    rows[10] = "9,1,234"                                                # a thousands comma: the value is unclear
    d = read_csv("\n".join(rows))
    assert d.filled == (9,) and d.values[9] == pytest.approx((d.values[8] + d.values[10]) / 2)
    assert any("more fields than the others (2)" in m and "line 11" in m for m in d.messages())


def test_examples_read():
    assert len(data.EXAMPLES) >= 1
    for title, raw in data.EXAMPLES.items():
        d = read_csv(raw)
        assert d.n >= 300 and d.period > 0, title
    with pytest.raises(TypeError):
        data.EXAMPLES["mine"] = b"1\n2\n"                                 # read-only: shared by every session


def test_period_guess_on_a_sine():
    assert patterns.guess_period(np.sin(2 * np.pi * np.arange(120) / 12)) == 12
    assert patterns.guess_period(np.random.default_rng(0).normal(size=500)) == 0           # white noise
    trend = np.arange(240) * 0.5 + np.sin(2 * np.pi * np.arange(240) / 12)
    assert patterns.trends(trend) and patterns.guess_period(trend) == 12       # the season under a trend
