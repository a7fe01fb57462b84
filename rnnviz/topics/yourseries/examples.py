"""Built-in CSV files for "Your series", so a class can try the page before anyone has a file of their own.

    EXAMPLES: {title: CSV bytes}, read-only, in the order the page offers them

- two real series the Forecasting demo ships in pretrained/manifest.json (its model entries store their
  series: yearly sunspot numbers and the monthly Mauna Loa CO₂ record), written back out as CSV. Nothing is
  downloaded; if the manifest is missing, they are simply absent.
- one made-up series, generated here from a seeded generator: two years of daily visitors to a museum,
  with a weekly rhythm (busy weekends), a slow rise and noise. It shows a season the autocorrelation
  finds (7 days) and a trend (the model then reads the daily changes).

Built once when the module is imported (a JSON read of ~1 MB and a few hundred rows: milliseconds), and
never changed after: a MappingProxyType, so no session can alter what another sees.
"""
from __future__ import annotations

import csv
import datetime
import io
from types import MappingProxyType

import numpy as np

from rnnviz import pretrained

FROM_MANIFEST = ("sunspots", "co2")
VISITORS_TITLE = "Museum visitors (made up: daily, two years, busy weekends)"
VISITORS_SEED = 2026


def to_csv(header: tuple[str, str], labels, values) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(zip(labels, values))
    return out.getvalue().encode("utf-8")


def visitors(days: int = 730, seed: int = VISITORS_SEED) -> tuple[list[str], list[int]]:
    """(dates "YYYY-MM-DD", visitors): base 200 rising by 60 a year, ×1.6 on Saturdays and Sundays,
    Poisson counts (their noise grows with the level, as real counts do). Seeded: the same file always."""
    rng = np.random.default_rng(seed)
    start = datetime.date(2024, 1, 1)                  # a Monday
    t = np.arange(days)
    weekend = (t % 7) >= 5
    level = (200 + 60 * t / 365) * np.where(weekend, 1.6, 1.0)
    counts = rng.poisson(level)
    return [(start + datetime.timedelta(days=int(d))).isoformat() for d in t], [int(c) for c in counts]


def _from_manifest() -> dict[str, bytes]:
    try:
        models = pretrained.manifest()["models"]
    except (OSError, ValueError, pretrained.IntegrityError):   # no manifest: the made-up example still works
        return {}
    out = {}
    for name in FROM_MANIFEST:
        s = models.get(name, {}).get("series")
        if s:
            out[s["title"]] = to_csv((s["step"], s["unit"]), s["labels"], s["values"])
    return out


def _build() -> MappingProxyType:
    dates, counts = visitors()
    return MappingProxyType({**_from_manifest(), VISITORS_TITLE: to_csv(("day", "visitors"), dates, counts)})


EXAMPLES = _build()
