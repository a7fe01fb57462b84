"""Every cache of the server is bounded by entries AND bytes, and the bounds add up to the budget that
docs/DEPLOY.md states (issue 19: 70 distinct 1,000-character texts took a server from 0.35 to 1.8 GB).

The caches are found, not listed: every rnnviz.memo.Memo and every st.cache_data / st.cache_resource in
rnnviz/ui and in the topics' views (rnnviz/topics/*/view*.py, where each topic's own cached calls live). Each
st.cache_* must bound its entries; each cached pure result needs its worst case below (the
largest input its page allows), where its worst entry is measured: a Memo must hold at least one worst entry
in its byte budget, and an st.cache_data's budget is its entries × its worst entry (pickled, as it keeps
them). The sum of the budgets must fit in rnnviz.budget.CACHES, and the ceiling in DEPLOY.md must be
rnnviz.budget's. (The ceiling itself is measured by bench/bench_server_memory.py, never in a test.)
"""
from __future__ import annotations

import ast
import importlib
import pickle
import random
import re
import string

import pytest

from kit import ROOT
from rnnviz import budget, memo

UI = ROOT / "rnnviz" / "ui"
MB = memo.MB


def text(n: int, alphabet: str = string.ascii_letters + "     ,.;:!?'\n", seed: int = 0) -> str:
    rng = random.Random(seed)
    return "".join(rng.choice(alphabet) for _ in range(n))


def words(n: int, seed: int = 0) -> tuple[str, ...]:
    rng = random.Random(seed)
    return tuple("".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(5, 12))) for _ in range(n))


def worst_cases() -> dict[str, list[tuple]]:
    """'module.function' → the argument tuples of its largest entries: each input at the largest its page
    allows (the pages cut typed text to these limits before they call)."""
    from rnnviz.topics.attention import compute as attention
    from rnnviz.topics.modern import compute as modern
    from rnnviz.topics.music import compute as music
    from rnnviz.topics.bptt import compute as bptt_lesson
    from rnnviz.shared import charlm
    from rnnviz.topics.dates import compute as dates
    from rnnviz.topics.generation import compute as generation
    from rnnviz.topics.lab import compute as lab
    from rnnviz.topics.sentiment import compute as sentiment
    from rnnviz.topics.video import compute as video
    from rnnviz.topics.surname import compute as surname
    from rnnviz.topics.tagging import compute as tagging
    from rnnviz.topics.unfold import compute as unfold
    from rnnviz.topics.lstm_inside.words import FEATURES
    from rnnviz.ui import cache

    chars = {name: charlm.prepare(cache.char_model(name)[0], text(charlm.MAX_CHARS)).text
             for name in ("char_lstm", "char_gru")}
    lessons = [bptt_lesson.LessonConfig(kind=k, T=bptt_lesson.MAX_T, H=16, train_steps=200) for k in ("lstm", "gru")]
    folds = [unfold.UnfoldConfig(cell=k, H=8, layers=unfold.MAX_LAYERS, text=text(unfold.MAX_STEPS)) for k in ("lstm", "gru")]
    return {
        "rnnviz.topics.lab.view_parts._lab_cell": [(lab.LabConfig(T=300, H=128, loss="every"), k) for k in ("rnn", "lstm", "gru")],
        "rnnviz.topics.lab.view_parts._depth_cell": [(lab.LabConfig(T=300, H=128, loss="every"), k, 4)
                                                    for k in ("rnn", "lstm", "gru")],
        "rnnviz.topics.bptt.view_parts.bptt_lesson_run": [(c,) for c in lessons],
        "rnnviz.topics.bptt.view_parts.bptt_truncated": [(c, bptt_lesson.MAX_T + 1) for c in lessons],
        "rnnviz.topics.unfold.view_parts.unfold_run": [(c,) for c in folds],
        "rnnviz.topics.unfold.view_parts.unfold_intervene": [(c, g, 2, 1, 0.0) for c, g in zip(folds, ("forget", "update"))],
        "rnnviz.topics.unfold.view_parts.unfold_first_input": [(c,) for c in folds],
        "rnnviz.topics.home.view.home_figures": [()],
        "rnnviz.ui.cache.char_reading": [(name, t) for name, t in chars.items()],
        "rnnviz.ui.cache.char_generate": [(name, t, 600, 1.5, 0) for name, t in chars.items()],
        "rnnviz.ui.cache.char_clamped": [("char_lstm", chars["char_lstm"], "forget", 3, 0.0, 0)],
        "rnnviz.topics.lstm_inside.view_parts.char_best_unit": [(name, t, FEATURES["column"], "hidden") for name, t in chars.items()],
        "rnnviz.topics.generation.view.generate": [(name, t, generation.MAX_NEW, 2.0, 0, 0) for name, t in chars.items()],
        "rnnviz.topics.surname.view.reading": [(text(surname.MAX_LETTERS, string.ascii_lowercase),)],
        "rnnviz.topics.speech.view.hearing": [("abcdefghijklmnopqrst", "British woman", "slow", "8 dB")],
        "rnnviz.topics.dates.view.reading": [(text(dates.MAX_CHARS, string.ascii_lowercase + string.digits + " /"),
                                              dates.WIDTHS[1])],
        "rnnviz.topics.dates.view.answer": [()],
        "rnnviz.topics.attention.view.reading": [(text(attention.MAX_CHARS, string.ascii_lowercase + " -,"),)],
        "rnnviz.topics.modern.view.example": [(modern.T_MAX, 0)],
        "rnnviz.topics.sentiment.view.reading": [(words(sentiment.MAX_WORDS),)],
        "rnnviz.topics.sentiment.view.presets": [()],
        "rnnviz.topics.tagging.view.reading": [(words(tagging.MAX_WORDS),)],
        "rnnviz.topics.forecast.view.one_step": [(name,) for name in ("sunspots", "co2")],
        "rnnviz.topics.forecast.view.curve": [(name, 120) for name in ("sunspots", "co2")],
        "rnnviz.topics.forecast.view.taught": [(name,) for name in ("sunspots", "co2")],
        "rnnviz.topics.forecast.view.longest": [(name, 12) for name in ("sunspots", "co2")],
        "rnnviz.topics.sentiment.view.negation_rows": [()],
        "rnnviz.topics.sentiment.view.answer": [()],
        "rnnviz.topics.dates.view.context_pairs": [("31 december 2099",), ("12/31/2099",)],
        "rnnviz.topics.tagging.view.ahead_note": [(words(tagging.MAX_WORDS),)],
        "rnnviz.topics.memory.view_parts.memory_pace": [("copy", "gru", 128, 128)],
        "rnnviz.topics.music.view.tune": [((60,) * 32, (0.25,) * 32, music.MAX_NEW, 2.0, 0)],
        "rnnviz.topics.video.view.watched": [(video.settings("anticlockwise", video.SPEED_MAX, video.NOISE_MAX,
                                                             video.MAX_FRAMES, video.MAX_SEED),)],
        "rnnviz.topics.video.view.watched_series": [(video.GUNPOINT_TEST - 1,)],
    }


def caches() -> dict[str, object]:
    """'module.function' → every Memo and st.cache_data function defined in rnnviz/ui or a topic's view."""
    from streamlit.runtime.caching.cache_utils import CachedFunc

    found = {}
    views = sorted(ROOT.glob("rnnviz/topics/*/view*.py"))          # the topics' cached wrappers live there
    for path in [*sorted(UI.glob("*.py")), *views]:
        module = importlib.import_module(".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__"))
        for name, value in vars(module).items():
            if isinstance(value, memo.Memo) or (isinstance(value, CachedFunc) and _is_data(value)):
                qual = f"{value.__module__}.{value.__name__}"
                if qual.startswith(module.__name__):
                    found[qual] = value
    return found


def _is_data(fn) -> bool:
    return type(fn._info).__name__.startswith("CachedData")


def worst_entry(fn, cases: list[tuple]) -> int:
    """Bytes of the largest entry among `cases`: weighed as the Memo weighs it, or pickled as st.cache_data
    keeps it."""
    if isinstance(fn, memo.Memo):
        return max(memo.nbytes(fn.fn(*args)) for args in cases)
    return max(len(pickle.dumps(fn.__wrapped__(*args))) for args in cases)


def bound(fn, worst: int) -> int:
    """The most bytes a cache can hold: a Memo its byte budget (or fewer, when its entries' bound is
    reached first even at the worst entry); st.cache_data its entries × its worst entry."""
    if isinstance(fn, memo.Memo):
        return min(fn.max_bytes, fn.max_entries * worst)
    return fn._info.max_entries * worst


@pytest.fixture(scope="module")
def measured():
    import logging

    found = caches()                                 # (imports streamlit, which sets its loggers' levels)
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").setLevel(logging.ERROR)
    cases = worst_cases()
    missing = sorted(set(found) - set(cases))
    assert not missing, f"a cache with no worst case here (add its largest input to worst_cases): {missing}"
    assert not set(cases) - set(found), f"worst cases of caches that no longer exist: {set(cases) - set(found)}"
    return {name: (fn, worst_entry(fn, cases[name])) for name, fn in found.items()}


def test_every_st_cache_bounds_its_entries():
    """An st.cache_data or st.cache_resource with no max_entries keeps every distinct argument forever;
    one that takes no argument has a single entry."""
    unbounded = []
    for path in sorted((ROOT / "rnnviz").rglob("*.py")):
        for fn in ast.walk(ast.parse(path.read_text(), str(path))):
            if not isinstance(fn, ast.FunctionDef):
                continue
            takes = fn.args.args or fn.args.kwonlyargs or fn.args.vararg or fn.args.kwarg
            for dec in fn.decorator_list:
                call = dec if isinstance(dec, ast.Call) else None
                target = ast.unparse(call.func if call else dec)
                if target.endswith(("cache_data", "cache_resource")) and takes and not (
                        call and any(k.arg == "max_entries" for k in call.keywords)):
                    unbounded.append(f"{path.relative_to(ROOT)}:{fn.lineno} {fn.name}")
                if target.endswith(("lru_cache", "functools.cache")) and (path.parent == UI or path.name.startswith("view")):
                    unbounded.append(f"{path.relative_to(ROOT)}:{fn.lineno} {fn.name} (use cache.bounded)")
    assert not unbounded, "caches with no bound on their entries:\n" + "\n".join(unbounded)


def test_each_cache_holds_its_worst_entry_within_its_budget(measured):
    for name, (fn, worst) in measured.items():
        if isinstance(fn, memo.Memo):
            assert worst <= fn.max_bytes, (f"{name}: its worst entry ({worst / MB:.2f} MB) is larger than its whole "
                                           f"budget ({fn.max_bytes / MB:.0f} MB), so it would never be kept")
        else:
            assert fn._info.max_entries, f"{name}: st.cache_data with no max_entries"


def test_the_caches_add_up_to_the_stated_budget(measured):
    rows = sorted(((bound(fn, w), name, w) for name, (fn, w) in measured.items()), reverse=True)
    total = sum(b for b, _, _ in rows)
    table = "\n".join(f"  {name:<36} worst entry {w / MB:7.3f} MB   at most {b / MB:7.1f} MB" for b, name, w in rows)
    print(f"\n{table}\n  {'all caches':<36} {'':>25}   at most {total / MB:7.1f} MB (budget.CACHES "
          f"{budget.CACHES / MB:.0f} MB)")
    assert total <= budget.CACHES, f"the caches can hold {total / MB:.0f} MB, more than budget.CACHES:\n{table}"
    assert total >= 0.8 * budget.CACHES, "budget.CACHES is far above what the caches can hold: lower it"


def test_the_big_results_are_the_ones_measured(measured):
    """The comments in rnnviz/ui/cache.py quote these sizes: a reading of 1,000 characters by the LSTM is
    six (1000, 256) float64 arrays (12.3 MB) and its probabilities."""
    _, reading = measured["rnnviz.ui.cache.char_reading"]
    assert 12 * MB <= reading <= 13.5 * MB


def test_the_stated_ceiling_is_the_budget_and_deploy_says_it():
    assert budget.ceiling(30) == budget.BASELINE + budget.CACHES + 30 * budget.SESSION + budget.SLACK
    assert budget.ceiling(30) - budget.ceiling(0) == 30 * budget.SESSION
    deploy = (ROOT / "docs" / "DEPLOY.md").read_text()
    stated = f"{budget.ceiling(30) / 1024 ** 3:.2f} GB"
    assert stated in deploy, f"docs/DEPLOY.md should state the ceiling for 30 sessions, {stated}"
    assert re.search(rf"{budget.SESSION // MB} MB (for |per )each (more )?session", deploy), \
        "docs/DEPLOY.md should say what each session adds"


def test_seventy_distinct_long_texts_stay_within_the_budget():
    """The issue's reproduction, in process: 70 distinct 1,000-character texts read by the LSTM (and held at
    a gate) filled st.cache_data's 48 + 64 entries with 12.9 MB each (1.4 GB). Now each cache stays within
    its bytes, the oldest texts leave first, and the newest is still there."""
    from rnnviz.shared import charlm
    from rnnviz.ui import cache

    model = cache.char_model("char_lstm")[0]
    cache.char_reading.clear(), cache.char_clamped.clear()
    texts = [charlm.prepare(model, text(charlm.MAX_CHARS, seed=i)).text for i in range(70)]
    for t in texts:
        cache.char_reading("char_lstm", t)
        cache.char_clamped("char_lstm", t, "forget", 3, 0.0, 500)
    for fn in (cache.char_reading, cache.char_clamped):
        s = fn.stats()
        assert s.bytes <= s.max_bytes and 0 < s.entries < 70, s
    misses = cache.char_reading.stats().misses
    cache.char_reading("char_lstm", texts[-1])
    assert cache.char_reading.stats().misses == misses          # the newest: kept
    cache.char_reading("char_lstm", texts[0])
    assert cache.char_reading.stats().misses == misses + 1      # the oldest: gone
