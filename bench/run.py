"""rnnviz benchmark: `make bench`. Prints figures and ratios measured side by side in one run.

Goals (from the issues; a goal is a target to read, never a test that can flake):
  lab computation, three cells, T=200, H=64 ............ ≤ 1.5× the same computation the torch.nn way
  every page's rerun after a control moves (AppTest) .... ≤ 150 ms median (the table in bench/pages.py)
  one-pass per-step ‖∂L/∂h_t‖ vs T backward passes ...... ≥ 20× faster
  transparent LSTM fwd+bwd vs torch.nn.LSTM ............. ≤ 3× slower
  cold start to the first page painted in Chromium ...... ≤ 4 s median (bench_cold_start)
  a move on every page in Chromium settles in ........... ≤ 2× the bare-page yardstick of the same run,
                                                          ≤ 150 ms of main-thread long tasks (bench/browser.py)

    python -m bench.run                  everything (what `make bench` runs)
    python -m bench.run sentiment lab    a topic (its folder under rnnviz/topics): its page's reruns, and its
                                         computation or bench module where it has one (lab, memory)
    python -m bench.run core | pages     the core computations | every page of the table
    python -m bench.run cold_start | server_memory    the app-wide benches
    python -m bench.run browser          every page in Chromium against the yardstick (bench/browser.py)
    python -m bench.run browser:lab browser:bptt      the same for these topics' pages only
"""
from __future__ import annotations

import contextlib
import importlib
import os
import statistics
import sys
import time

import torch

from bench import ROOT, browser, pages, yardstick
from rnnviz import bptt, catalog, cells, flow, forward, runtime, scan
from rnnviz.topics.lab import compute as lab

os.chdir(ROOT)                   # AppTest reads app.py and pages/ from here

SETTINGS = runtime.configure()   # the app's process settings (ui.page_setup calls the same)


def timed(fn, repeat: int, warmup: int = 2) -> list[float]:
    """Wall-clock milliseconds of `repeat` calls, after `warmup` untimed ones."""
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append(1000 * (time.perf_counter() - t0))
    return out


def p95(xs: list[float]) -> float:
    return sorted(xs)[max(0, int(round(0.95 * len(xs))) - 1)]


def line(name: str, value: str, goal: str, ok: bool) -> None:
    print(f"{name:<72} {value:>26}   goal {goal:<10} {'ok' if ok else 'MISSED'}")


def bench_lab() -> None:
    """The lab's computation against the same computation done the torch.nn way (bench/yardstick.py says
    exactly what each side includes), measured alternately in small blocks in this run: the shared
    machine's speed drifts by up to 1.5× within an hour, so only the ratio is comparable across runs.
    (Blocks, not single calls: a run of the other side in between evicts the caches of both alike.)"""
    cfg = lab.LabConfig(T=200, H=64)
    diff = yardstick.check(cfg)
    ours, theirs = (lambda: lab.run(cfg)), (lambda: yardstick.run(cfg))
    ref_fn = _torch_lstm_reference()
    for _ in range(2):
        ours(), theirs(), ref_fn()
    ms, yard, ref = [], [], []
    for _ in range(6):
        ms += timed(ours, repeat=3, warmup=1)
        yard += timed(theirs, repeat=3, warmup=1)
        ref += timed(ref_fn, repeat=2, warmup=0)
    med, yard_med, ref_med = statistics.median(ms), statistics.median(yard), statistics.median(ref)
    floor = statistics.median(timed(_lab_library_calls(cfg), repeat=12))
    line("lab computation, 3 cells, T=200, H=64, B=8, float64 (median)", f"{med:.1f} ms (p95 {p95(ms):.1f})", "-", True)
    line("  the same computation the torch.nn way (nn.*Cell + autograd)", f"{yard_med:.1f} ms (p95 {p95(yard):.1f})",
         "-", True)
    line("lab / torch.nn yardstick, measured alternately", f"{med / yard_med:.2f}×", "≤ 1.5×", med / yard_med <= 1.5)
    print(f"  the two agree: largest relative difference of ‖∂L/∂h_t‖, ‖∂L/∂c_t‖, survival, ‖∂L/∂θ‖ {diff:.1e}\n"
          f"  machine speed meanwhile: torch.nn.LSTM T=100 B=64 H=64 float32 fwd+bwd {ref_med:.1f} ms "
          f"(the lab is {med / ref_med:.2f}× it; 10.0–10.8 ms on the AVX-512 machine of issue 4)\n"
          f"  the lab's library calls alone, no Python between them (its floor): {floor:.1f} ms")


def _lab_library_calls(cfg: lab.LabConfig):
    """What the lab cannot avoid, whatever the Python around it: per step and per cell the recurrent
    matrix product forward and backward and the σ / tanh kernels on the same shapes, then the
    parameter-gradient products and the eigen- and singular values. Timing this gives the floor of
    the design (NumPy + torch kernels, one call per operation), on this machine."""
    import numpy as np

    rng, T, B, H, I = np.random.default_rng(0), cfg.T, lab.BATCH, cfg.H, lab.INPUT_SIZE
    h = rng.standard_normal((B, H))
    calls = []
    for G, n_sigmoid, n_tanh in ((1, 0, 1), (4, 3, 2), (3, 2, 1)):              # RNN, LSTM, GRU
        W_f, W_b = rng.standard_normal((H, G * H)) * 0.1, np.asfortranarray(rng.standard_normal((G * H, H)) * 0.1)
        out_f, dz, out_b = np.empty((B, G * H)), rng.standard_normal((B, G * H)), np.empty((B, H))
        sig = torch.from_numpy(rng.standard_normal((2, max(n_sigmoid, 1), B, H)))   # (input, output) pairs:
        tanh = torch.from_numpy(rng.standard_normal((2, B, H)))                     # the values stay typical
        rows, cols = rng.standard_normal((T * B, G * H)), rng.standard_normal((T * B, H + I))
        calls.append((W_f, out_f, dz, W_b, out_b, sig if n_sigmoid else None, tanh, n_tanh, rows, cols,
                      rng.standard_normal((H, H))))

    def run():
        for W_f, out_f, dz, W_b, out_b, sig, tanh, n_tanh, rows, cols, w in calls:
            for _ in range(T):
                np.dot(h, W_f, out=out_f)                                       # the step's W_hh h_{t-1}
                np.dot(dz, W_b, out=out_b)                                      # the step's W_hh^T δz_t
                if sig is not None:
                    torch.sigmoid(sig[0], out=sig[1])
                for _ in range(n_tanh):
                    torch.tanh(tanh[0], out=tanh[1])
            rows.T @ cols                                                       # Σ_t δz_t [h_{t-1}; x_t]^T
            flow.spectrum(w)
    return run


def _torch_lstm_reference():
    """torch.nn.LSTM forward + backward, T=100, B=64, H=64, float32: a fixed yardstick for the machine."""
    x = torch.randn(100, 64, 64, generator=torch.Generator().manual_seed(0))
    fused = cells.build("lstm", 64, 64, seed=0).to_torch()

    def run():
        fused.zero_grad()
        fused(x)[0].sum().backward()
    return run


def bench_one_pass_vs_T_passes() -> None:
    T, H, B = 200, 64, 16
    gen = torch.Generator().manual_seed(0)
    x = torch.randn(T, B, 8, generator=gen)
    cell = cells.build("rnn", 8, H, seed=0)
    loss_fn = flow.linear_readout(H, "every", dtype=torch.float32)

    def one_pass():
        flow.hidden_grad_norms(cell, x, loss_fn)

    def t_passes():          # the naive way: one backward pass per step, each from the full loss
        trace = cell.unroll(x)
        loss = loss_fn(trace)
        for h_t in trace.h_steps:
            torch.autograd.grad(loss, h_t, retain_graph=True)

    a = statistics.median(timed(one_pass, repeat=7))
    b = statistics.median(timed(t_passes, repeat=3, warmup=1))
    line("per-step ‖∂L/∂h_t‖, T=200: one pass vs T backward passes", f"{a:.1f} vs {b:.0f} ms = {b / a:.0f}×",
         "≥ 20×", b / a >= 20)


def bench_transparent_vs_torch() -> None:
    T, B, H = 100, 64, 64
    gen = torch.Generator().manual_seed(0)
    x = torch.randn(T, B, H, generator=gen)
    cell = cells.build("lstm", H, H, seed=0)

    def transparent():
        cell.zero_grad()
        cell.unroll(x).h.sum().backward()

    torch_lstm = _torch_lstm_reference()       # the same x, weights and loss as `transparent`

    def by_hand():           # the lab's path: the NumPy forward and the hand-written BPTT (no graph)
        with torch.inference_mode():
            trace = forward.unroll(cell, x)
            bptt.backward(cell, trace, torch.ones_like(trace.h)).param_grads(x)   # L = Σ h: ℓ_t = 1

    fns, ms = (transparent, torch_lstm, by_hand), ([], [], [])
    for fn in fns:
        timed(fn, repeat=0)                    # warm up
    for _ in range(9):                         # alternately, so a drift in machine speed hits all three
        for fn, out in zip(fns, ms):
            out += timed(fn, repeat=1, warmup=0)
    a, b, c = (statistics.median(m) for m in ms)
    line("LSTM fwd+bwd T=100 B=64 H=64: transparent vs torch.nn", f"{a:.1f} vs {b:.1f} ms = {a / b:.2f}×",
         "≤ 3×", a / b <= 3)
    line("  the same, as the lab runs it (NumPy forward, BPTT by hand)", f"{c:.1f} vs {b:.1f} ms = {c / b:.2f}×",
         "≤ 3×", c / b <= 3)


def chromium(what: str) -> str | None:
    """Debian's chromium for a browser bench, if it and playwright are installed; else None, said once."""
    import shutil

    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        path = None
    else:
        path = shutil.which("chromium")
    if path is None:
        print(f"{what}: skipped (needs chromium on PATH and playwright)")
    return path


PAGE_GOAL_MS = 150      # issue 13: every page's rerun after a control moves, median, in process
RESULTS: list[tuple[str, str, float, float, float]] = []   # (page, move, median, p95, goal): the summary table


@contextlib.contextmanager
def server_script_cache():
    """AppTest runs as the server does in one respect it otherwise lacks: one ScriptCache for every run.
    A server compiles each page once (Runtime's ScriptCache) and reuses its bytecode for every rerun of
    every session; AppTest makes a new cache for each run, so each rerun it times would also read the page
    file, rewrite its AST for "magic" and compile it again (~17 ms of a 120 ms rerun) — a cost no student
    waits for."""
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import app_test, local_script_runner

    shared = ScriptCache()
    saved = app_test.ScriptCache, local_script_runner.ScriptCache
    app_test.ScriptCache = local_script_runner.ScriptCache = lambda: shared
    try:
        yield
    finally:
        app_test.ScriptCache, local_script_runner.ScriptCache = saved


def page_rerun(name: str, page: str | None, what: str, move, goal_ms: float = PAGE_GOAL_MS,
               query: dict | None = None, repeat: int = 20) -> float:
    """One page's in-process rerun (AppTest) after `move(at, i)` changes a control to a new value (so no
    cache answers for it; move=None reruns unchanged); prints the median of the last repeat-2 runs against
    `goal_ms`, records it for the summary table and returns it."""
    import logging

    from streamlit.testing.v1 import AppTest

    # AppTest's runs leave the process looking "started by streamlit run", so every cached call made outside
    # a script run (the benches' own model loads) logs a harmless "missing ScriptRunContext" line
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").setLevel(logging.ERROR)
    with server_script_cache():
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
        if page:
            at.switch_page(page)
        for k, v in (query or {}).items():
            at.query_params[k] = v
        at.run()
        assert not at.exception, at.exception
        ms = []
        for i in range(repeat):
            if move:
                move(at, i)
            t0 = time.perf_counter()
            at.run()
            ms.append(1000 * (time.perf_counter() - t0))
            assert not at.exception, at.exception
    med, worst = statistics.median(ms[2:]), p95(ms[2:])
    line(f"page rerun: {name} ({what}, AppTest)", f"{med:.0f} ms (p95 {worst:.0f})", f"≤ {goal_ms:g} ms",
         med <= goal_ms)
    RESULTS.append((name, what, med, worst, goal_ms))
    return med


def bench_page(page: pages.Page) -> None:
    """One row of the page table: its own computation first (if any), then each move as a page_rerun of
    its page. With models: each loads once (timed: sha256 + safetensors), then the loads its runs cause are
    counted: the page must take its models from st.cache_resource, one load each per process."""
    from rnnviz import catalog, pretrained

    path = {**catalog.TOPICS, "home": catalog.HOME}[page.topic].path
    path = None if path == "app.py" else path                    # Home: app.py itself, no switch
    if page.before:
        page.before(THIS)
    real, loads = pretrained.load, []
    if page.models:
        t0 = time.perf_counter()
        for model in page.models:
            real(model)
        line(f"load {' + '.join(page.models)} (sha256 + safetensors)",
             f"{1000 * (time.perf_counter() - t0):.0f} ms", "once", True)
        import streamlit as st

        st.cache_resource.clear()          # every cached model, wherever its page caches it: loads start at 0

        def counted(*args, **kwargs):
            loads.append(args)
            return real(*args, **kwargs)

        pretrained.load = counted          # count the loads the page's runs below cause
    try:
        for move in page.moves:
            page_rerun(page.name, path, move.what, move.move, query=move.query)
    finally:
        pretrained.load = real
    if page.models:
        line(f"{page.name}: model loads during {len(page.moves)} × 21 page runs", f"{len(loads)}",
             f"{len(page.models)}", len(loads) == len(page.models))


def summary() -> None:
    """Every page rerun of this run, one row each: the table the README carries."""
    if not RESULTS:
        return
    print(f"\n{'page':<22} {'move':<44} {'median':>7} {'p95':>7} {'goal':>7}  ok")
    for name, what, med, worst, goal in RESULTS:
        print(f"{name:<22} {what:<44} {med:>4.0f} ms {worst:>4.0f} ms {goal:>4g} ms  {'ok' if med <= goal else 'MISSED'}")
    missed = sum(med > goal for _, _, med, _, goal in RESULTS)
    print(f"{len(RESULTS)} page moves on {len({r[0] for r in RESULTS})} pages; "
          f"{'all within' if not missed else f'{missed} missed'} the {PAGE_GOAL_MS} ms goal")


# The benches with a module of their own, by the name that picks them (`python -m bench.run memory`).
MODULES = {"memory": "bench.bench_memory", "cold_start": "bench.bench_cold_start",
           "server_memory": "bench.bench_server_memory", "yourtext": "bench.bench_yourtext"}


# This module itself, captured at import: after an AppTest run sys.modules["__main__"] is the app's script,
# so sys.modules[__name__] would hand the benches the wrong module when this file runs as __main__.
THIS = sys.modules[__name__]


def bench_stack() -> None:
    """Issue 23: a stack of L layers unrolls in ≤ L × 1.3 the time of one layer (the same cell, the same x)."""
    T, B, H = 100, 16, 64
    x = torch.randn(T, B, H, generator=torch.Generator().manual_seed(0))
    for kind in ("rnn", "lstm", "gru"):
        one = cells.build_stack(kind, H, H, 1, seed=0)
        for L in (2, 4):
            deep = cells.build_stack(kind, H, H, L, seed=0)
            ms1, msL = [], []
            with torch.no_grad():
                for _ in range(15):            # alternately, so a drift in machine speed hits both
                    ms1 += timed(lambda: one.unroll(x), repeat=1, warmup=1)
                    msL += timed(lambda: deep.unroll(x), repeat=1, warmup=1)
            a, b = statistics.median(ms1), statistics.median(msL)
            line(f"{kind} stack of {L}, T={T} B={B} H={H}: vs 1 layer", f"{b:.1f} vs {a:.1f} ms = {b / a:.2f}×",
                 f"≤ {1.3 * L:.1f}×", b / a <= 1.3 * L)


def bench_scan() -> None:
    """Issue 23: the minGRU's linear recurrence h_t = a_t ⊙ h_{t−1} + b_t, step by step against the parallel
    scan (⌈log2 T⌉ rounds of T·H work each), B=1, H=64, float32. On a CPU the scan's rounds are vectorised
    calls on one core, not T processors: it does T·log2 T compositions against the loop's T, and wins only
    where the loop's per-step Python and call overhead costs more than that extra work."""
    H = 64
    for T in (64, 256, 1024, 4096):
        gen = torch.Generator().manual_seed(T)
        a, b = torch.rand(T, 1, H, generator=gen), torch.randn(T, 1, H, generator=gen)
        ml, ms = [], []
        with torch.no_grad():
            for _ in range(5):
                ml += timed(lambda: scan.loop(a, b), repeat=1, warmup=1)
                ms += timed(lambda: scan.scan(a, b), repeat=1, warmup=1)
        lo, sc = statistics.median(ml), statistics.median(ms)
        print(f"  minGRU recurrence T={T:5d}: loop {lo:8.2f} ms ({T} steps), scan {sc:7.2f} ms "
              f"({scan.n_rounds(T)} rounds): the scan takes {sc / lo:.2f}× the loop's time", flush=True)


def main() -> None:
    print(f"load average {', '.join(f'{x:.1f}' for x in os.getloadavg())} (this machine is shared: read ratios and "
          "alternate measurements, not absolute times, when it is high)")
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, {os.cpu_count()} cores; "
          f"process settings as in the app: {', '.join(k for k, on in SETTINGS.items() if on)}\n")
    only = set(sys.argv[1:])
    in_browser = {f"browser:{topic}" for topic in ("home", *catalog.TOPICS)}    # every page, Memory lab included
    known = {"core", "pages", *(p.topic for p in pages.PAGES), *MODULES, "lab", "browser", *in_browser}
    if only - known:
        raise SystemExit(f"no bench named {', '.join(sorted(only - known))}; choose from {', '.join(sorted(known))}")
    if not only or only & {"core", "lab"}:
        bench_lab()
    if not only or "core" in only:
        bench_one_pass_vs_T_passes()
        bench_transparent_vs_torch()
        bench_stack()
        bench_scan()
    for page in pages.PAGES:
        if not only or "pages" in only or page.topic in only:
            bench_page(page)
    for name, module in MODULES.items():
        if not only or name in only:
            importlib.import_module(module).run(THIS)
    summary()
    if not only or "browser" in only or only & in_browser:          # last: its table ends the report
        picked = {name.split(":", 1)[1] for name in only & in_browser}
        browser.run(THIS, topics=None if not only or "browser" in only else picked)


if __name__ == "__main__":
    main()
