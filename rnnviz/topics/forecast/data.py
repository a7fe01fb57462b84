"""Two real time series for the forecasting demo: yearly sunspot numbers and the Mauna Loa CO₂ record.

Where they come from: the `statsmodels==0.15.0` wheel on the Python package registry ships both as CSV
files under `statsmodels/datasets/`. We never install or import statsmodels: `make data` fetches the
wheel once (sha256 pinned; the file name carries the platform tag pip picks on this machine, Linux
x86-64, CPython 3.11) and this module reads the two files with zipfile.

- `sunspots/sunspots.csv`: "YEAR","SUNACTIVITY": the yearly mean sunspot number (Wolf / Zürich, the
  version-1 series of SIDC Brussels), 1700–2008, 309 values, a cycle of about 11 years.
- `co2/co2.csv`: date (YYYYMMDD, weekly, 1958-03-29 … 2001-12-29), co2 (ppm, blank when no reading):
  the Scripps continuous record at Mauna Loa, 2,284 weeks, 59 of them blank.

The CO₂ record is resampled to monthly means: each calendar month is the mean of the weekly readings
whose date falls in it (blank weeks ignored). Five months have no reading at all (1958-06, 1958-10,
1964-02, 1964-03, 1964-04); each is filled by straight-line interpolation in time between the nearest
months before and after that have one (`fill_gaps`). That gives 526 months, 1958-03 … 2001-12.

At run time the app never needs the wheel: the model recipe copies both series into the model's manifest
entry (pretrained/manifest.json), which the page reads.

    years, values = sunspots()          # [1700, …, 2008], [5.0, …, 2.9]
    months, values, filled = co2_monthly()   # ["1958-03", …, "2001-12"], ppm, the indices filled in
"""
from __future__ import annotations

import csv
import io
import zipfile
from functools import lru_cache
from pathlib import Path

import numpy as np

from rnnviz.data import registry

PACKAGE = "statsmodels==0.15.0"
WHEEL = "statsmodels-0.15.0-cp311-cp311-manylinux_2_27_x86_64.manylinux_2_28_x86_64.whl"
SHA256 = "b67886b66d9c7ca118526accedb5c6de7ffd74c015dc0492ea0b1690192b65da"
SUNSPOTS_CSV = "statsmodels/datasets/sunspots/sunspots.csv"
CO2_CSV = "statsmodels/datasets/co2/co2.csv"
SOURCE = (f"{PACKAGE} wheel (Python package registry), {SUNSPOTS_CSV} and {CO2_CSV}, read with zipfile "
          "(statsmodels is never installed or imported)")
RESAMPLING = ("monthly mean of the weekly readings dated in that month (blank weeks ignored); a month with no "
              "reading is filled by straight-line interpolation between the nearest months that have one")


def archive_path() -> Path:
    return registry.cache_dir() / WHEEL


def fetch() -> Path:
    """Download the wheel into the cache (set-up time only), verify its sha256, return its path.
    `pip download --only-binary :all:` picks the wheel for this interpreter and platform: the pinned file
    name is the one it picks here (CPython 3.11, manylinux x86-64); elsewhere the download fails loudly."""
    return registry.download(PACKAGE, WHEEL, SHA256, kind="wheel")


def available() -> bool:
    return archive_path().exists()


def _read(member: str) -> list[list[str]]:
    path = registry.archive(WHEEL, PACKAGE)
    with zipfile.ZipFile(path) as wheel:
        text = wheel.read(member).decode("utf-8")
    return list(csv.reader(io.StringIO(text)))


@lru_cache(maxsize=1)
def sunspots() -> tuple[list[int], list[float]]:
    """(years, yearly mean sunspot numbers), 1700–2008."""
    rows = _read(SUNSPOTS_CSV)
    assert rows[0] == ["YEAR", "SUNACTIVITY"], rows[0]
    years = [int(float(y)) for y, _ in rows[1:]]
    values = [float(v) for _, v in rows[1:]]
    return years, values


@lru_cache(maxsize=1)
def co2_weekly() -> tuple[list[str], list[float | None]]:
    """(dates "YYYYMMDD", ppm or None for a blank week), as in the file."""
    rows = _read(CO2_CSV)
    assert rows[0] == ["date", "co2"], rows[0]
    return [d for d, _ in rows[1:]], [float(v) if v.strip() else None for _, v in rows[1:]]


def fill_gaps(values: list[float | None]) -> tuple[list[float], list[int]]:
    """Missing values (None) filled by straight-line interpolation between the nearest known neighbours
    (equally spaced steps); returns (filled values, indices that were filled). A gap at either end would
    have no neighbour on one side: it is refused rather than invented."""
    known = [i for i, v in enumerate(values) if v is not None]
    if not known or known[0] != 0 or known[-1] != len(values) - 1:
        raise ValueError("cannot interpolate a gap at the start or the end of a series")
    filled = [i for i, v in enumerate(values) if v is None]
    out = np.interp(np.arange(len(values)), known, [values[i] for i in known])
    return [float(v) for v in out], filled


@lru_cache(maxsize=1)
def co2_monthly() -> tuple[list[str], list[float], list[int]]:
    """(months "YYYY-MM", monthly mean ppm, indices of the months filled by interpolation)."""
    dates, weekly = co2_weekly()
    first, last = (int(dates[0][:4]), int(dates[0][4:6])), (int(dates[-1][:4]), int(dates[-1][4:6]))
    months, (y, m) = [], first
    while (y, m) <= last:                         # every calendar month, also those without a reading
        months.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    sums = {k: [] for k in months}
    for d, v in zip(dates, weekly):
        if v is not None:
            sums[f"{d[:4]}-{d[4:6]}"].append(v)
    means = [float(np.mean(sums[k])) if sums[k] else None for k in months]
    values, filled = fill_gaps(means)
    return months, values, filled


if __name__ == "__main__":
    print(fetch())
    years, spots = sunspots()
    print(f"sunspots: {len(years)} years, {years[0]}–{years[-1]}")
    months, ppm, filled = co2_monthly()
    print(f"co2: {len(months)} months, {months[0]}–{months[-1]}, filled {[months[i] for i in filled]}")
