"""The server's memory budget: what docs/DEPLOY.md states one replica needs, added up from its parts.

    budget.ceiling(30)      # bytes: one server with 30 sessions stays below this, whatever they ask

    ceiling(N) = BASELINE + CACHES + N × SESSION + SLACK

- BASELINE: the server after a warm-up (every page visited once: Python, torch, NumPy, plotly, Streamlit and
  every shipped model loaded, the first-run imports done), measured by bench/bench_server_memory.py.
- CACHES: every cache's byte budget added up (rnnviz.ui.cache and each topic's cached calls; a Memo enforces its
  bound as it stores, st.cache_data's bound is its entries × the measured worst entry).
  tests/ui/test_cache_budget.py finds every cache, holds each bound and checks that they add up to at most this.
- SESSION: what one session keeps between its runs at the heaviest view (its widget values, the figures its
  CSV buttons draw from, Streamlit's own bookkeeping): measured with sessions held open on the heaviest page.
  A closed tab's session stays for server.disconnectedSessionTTL (120 s) and counts as a session until then.
- SLACK: what the runs in flight hold beyond the caches (a reading being computed, a figure being serialised)
  and the allocator's free memory it keeps for the next run (rnnviz.runtime), measured as the rest.

Not included: the Memory lab's training workers, which run in child processes with their own budget each
(docs/DEPLOY.md).
"""
from __future__ import annotations

MB = 1024 * 1024

# Measured on the 2-core development machine, 2026-12-06 (bench/bench_server_memory.py, 300 new heaviest views
# each time): the server process peaked at 0.94 GB with 10 sessions, 1.07 GB with 30, 1.26 GB with 60; on
# 2026-12-07, with issue 24's and 25's six pages and four more models, 1.19 GB with 30.
BASELINE = 540 * MB          # the server after the warm-up: 0.52 GB measured (0.43 GB before issues 24 and 25)
CACHES = 256 * MB            # every cache's byte budget (tests/ui/test_cache_budget.py adds them up: 252 MB)
SESSION = 8 * MB             # each more session: 6.4 MB measured (the slope from 10 to 60 sessions); of it ~3 MB
#                              kept between runs at the heaviest view (LSTM inside, 1,000 characters), the rest its
#                              run in flight
SLACK = 256 * MB             # runs in flight and the free memory the allocator keeps (rnnviz.runtime releases it
#                              beyond 64 MB): 10 sessions peaked 0.18 GB above the three terms above

def ceiling(sessions: int) -> int:
    """Bytes one server process stays below with `sessions` sessions (open tabs, and closed ones for 120 s)."""
    return BASELINE + CACHES + sessions * SESSION + SLACK
