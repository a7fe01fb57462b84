"""The Memory lab (`make bench BENCH=memory`): how long the class waits, what the lab's loop costs over a
bare torch loop, how often the page redraws while it trains, and what a training run does to another
student's page.

Goals (issue 12):
  LSTM solves the adding problem at T=50 with the page's defaults ....... ≤ 8 s median (2 cores)
  the lab's training loop vs a bare torch loop with the same settings .... ≤ 1.3×
  the page redraws while training ....................................... at least every 0.5 s
  a page rerun in another session while one trains ...................... reported beside the idle figure
  all five cells (with minGRU and the selective layer) on adding and copy  reported: steps, seconds, loss
"""
from __future__ import annotations

import contextlib
import math
import re
import statistics
import time

import torch
from torch import nn

from kit.server import serve
from rnnviz.topics.memory import compute as memory
from rnnviz.topics.memory import runs as memory_runs
from rnnviz.topics.memory.compute import Config

SEEDS = (0, 1, 2)


def bare_loop(cfg: Config, kind: str, steps: int) -> float:
    """A bare torch loop with the lab's settings: the same model, init, batches, Adam, clipping and
    loss; no probe, no explosion guard, no progress. Milliseconds per step."""
    model = memory.make_model(cfg, kind)
    opt = torch.optim.Adam(model.parameters(), lr=cfg.lr)
    t0 = time.perf_counter()
    for step in range(steps):
        x, y = memory.batch(cfg, step)
        loss = nn.functional.mse_loss(model(x), y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), cfg.clip)
        opt.step()
    return 1000 * (time.perf_counter() - t0) / steps


def lab_loop(cfg: Config, kind: str, steps: int) -> float:
    """memory.train_cell as the page's threads run it (probe every PROBE_EVERY steps, guard, lock)."""
    t0 = time.perf_counter()
    p = memory.train_cell(Config(**{**cfg.__dict__, "steps": steps}), kind, lock=contextlib.nullcontext())
    assert p.steps == steps, p.status
    return 1000 * (time.perf_counter() - t0) / steps


def bench_time_to_solve(bench) -> None:
    waits, own, whole, rnn_ok = [], [], [], True
    for seed in SEEDS:
        run = memory_runs.start_comparison(Config(seed=seed))          # as Train does: side by side
        run.job.join()
        snap = run.snapshot()
        lstm = snap["lstm"]
        waits.append(lstm.solved_seconds if lstm.solved_at else math.inf)
        whole.append(run.job.seconds)
        rnn_ok &= snap["rnn"].status == "budget" and snap["rnn"].recent() > 0.05
        alone = memory.train_cell(Config(seed=seed), "lstm")           # the LSTM on its own
        own.append(alone.solved_seconds if alone.solved_at else math.inf)
        print(f"  seed {seed}: " + "; ".join(f"{k.upper()} {'step ' + str(p.solved_at) if p.solved_at else 'unsolved'} "
                                             f"at {p.solved_seconds or p.seconds:.1f} s (its own CPU {p.cpu_seconds:.1f} s)"
                                             for k, p in snap.items())
              + f"; LSTM alone: step {alone.solved_at}, {alone.seconds:.1f} s")
    med = statistics.median(waits)
    bench.line("LSTM solves adding T=50, defaults, 3 cells side by side", f"{med:.1f} s (seeds: "
               + ", ".join(f"{w:.1f}" for w in waits) + ")", "≤ 8 s", med <= 8)
    print(f"  the whole comparison (what the class waits for): median {statistics.median(whole):.1f} s; "
          f"the LSTM trained alone: median {statistics.median(own):.1f} s; the RNN stayed above 0.05: {rnn_ok}")


# The page's defaults and one harder setting, every task the issue asks about (issue 23: which cells solve the
# adding and copy tasks, in how many steps and seconds), all five cells side by side as Train runs them.
MODERN_SETTINGS = (("adding", 50), ("adding", 100), ("copy", 50), ("copy", 100))


def five_cells(task: str, T: int, seed: int = 0) -> tuple[dict, float, str]:
    """One comparison of all five cells, as the page's Train runs it (a training process, bounded):
    ({cell: Progress}, the whole run's seconds, how the job ended)."""
    run = memory_runs.start_comparison(Config(task=task, T=T, cells=memory.ALL_CELLS, seed=seed))
    run.job.join()
    return run.snapshot(), run.job.seconds, "; ".join(run.job.errors) or str(run.job.reason)


def bench_modern(bench=None) -> None:
    for task, T in MODERN_SETTINGS:
        snap, whole, ended = five_cells(task, T)
        print(f"{task} T={T} (all five side by side, {whole:.1f} s, {ended}):")
        for k, p in snap.items():
            print(f"  {memory.label(k):9s} {p.status:8s} " + (f"solved at step {p.solved_at} ({p.solved_seconds:.1f} s)"
                  if p.solved_at else f"{p.steps} steps ({p.seconds:.1f} s)")
                  + f", last loss {p.recent():.4g} (baseline {memory.TASKS[task].baseline(T):.3g}), "
                  f"{p.parameters:,} weights, own CPU {p.cpu_seconds:.1f} s", flush=True)


def bench_loop_ratio(bench) -> None:
    cfg, steps = Config(seed=0), 120            # the first 120 steps: none is solved yet at T = 50
    for kind in ("lstm", "rnn"):
        lab_loop(cfg, kind, 20), bare_loop(cfg, kind, 20)               # warm up
        lab, bare = [], []
        for _ in range(4):                                               # alternately: drift hits both
            lab.append(lab_loop(cfg, kind, steps))
            bare.append(bare_loop(cfg, kind, steps))
        a, b = statistics.median(lab), statistics.median(bare)
        bench.line(f"training loop per step, {kind.upper()} T=50: lab vs bare torch", f"{a:.2f} vs {b:.2f} ms = {a / b:.2f}×",
                   "≤ 1.3×", a / b <= 1.3)


def bench_rerun_while_training(bench) -> None:
    """Another student's page (the gradient lab, moving T) in the server's process, idle and while two
    comparisons train in their processes (T = 100 and a 3,000-step budget: they train throughout; two,
    as many as the server's default slots on a 2-core machine)."""
    idle = bench.page_rerun("Gradient lab", "pages/3_Gradient_lab.py", "move T, nothing training",
                            lambda at, i: at.slider(key="T").set_value(60 + 7 * i))
    trainer = memory_runs.live.Trainer(slots=2)
    runs = [memory_runs.start_comparison(Config(steps=3000, T=100, seed=s), trainer, owner=str(s)) for s in (0, 1)]
    while any(min(p.steps for p in r.snapshot().values()) < 1 for r in runs):
        time.sleep(0.1)                                                  # both processes are training
    try:
        busy = bench.page_rerun("Gradient lab", "pages/3_Gradient_lab.py", "move T, two Memory lab runs training",
                                lambda at, i: at.slider(key="T").set_value(61 + 7 * i))
        alive = all(r.job.alive for r in runs)
    finally:
        trainer.stop_all()
    bench.line("a page rerun while two trainings run (processes at nice "
               f"+{memory_runs.live.NICE}) vs idle", f"{busy:.0f} vs {idle:.0f} ms = {busy / idle:.2f}×", "≤ 1.5×",
               busy / idle <= 1.5 and alive)


def bench_page(bench) -> None:
    bench.page_rerun("Memory lab", "pages/7_Memory_lab.py", "move T, nothing trained",
                     lambda at, i: at.slider(key="T").set_value(20 + i))
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(bench.ROOT / "app.py"), default_timeout=120).run()
    at.switch_page("pages/7_Memory_lab.py").run()
    next(b for b in at.button if b.label == "Train").click().run()
    at.session_state["memory_run"].job.join()
    at.run()
    ms = []
    for i in range(12):
        at.slider(key="T").set_value(20 + i)
        t0 = time.perf_counter()
        at.run()
        ms.append(1000 * (time.perf_counter() - t0))
    med, worst = statistics.median(ms[2:]), bench.p95(ms[2:])
    bench.line("page rerun: Memory lab (move T, a finished run drawn)", f"{med:.0f} ms (p95 {worst:.0f})",
               f"≤ {bench.PAGE_GOAL_MS} ms", med <= bench.PAGE_GOAL_MS)
    bench.RESULTS.append(("Memory lab", "move T, a finished run drawn", med, worst, bench.PAGE_GOAL_MS))


# ----- the redraw interval, measured in a real browser ------------------------------------------------
OBSERVE = """() => { window.__ticks = []; const seen = new Set();
  new MutationObserver(() => {
    for (const p of document.querySelectorAll('[data-testid="stMain"] p')) {
      const m = p.innerText.match(/^Training: step (\\d+)/);
      if (m && !seen.has(m[1])) { seen.add(m[1]); window.__ticks.push(performance.now()); }
    }
  }).observe(document.body, {subtree: true, childList: true, characterData: true}); }"""


def bench_redraw(bench) -> None:
    chromium = bench.chromium("redraw interval")
    if chromium is None:
        return
    from playwright.sync_api import sync_playwright

    with serve(bench.ROOT, timeout=120) as server:
        url = server.url
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page()
            page.goto(url + "/Memory_lab", timeout=120_000)
            page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=120_000)
            page.evaluate(OBSERVE)
            page.get_by_role("button", name=re.compile(r"^(\S+ )?Train$")).click()
            page.get_by_role("button", name=re.compile(r"^(\S+ )?Stop$")).wait_for(timeout=120_000)
            page.get_by_role("button", name=re.compile(r"^(\S+ )?Train$")).wait_for(timeout=300_000)
            ticks = page.evaluate("window.__ticks")
            browser.close()
    gaps = [b - a for a, b in zip(ticks, ticks[1:])]
    if len(gaps) < 3:
        print(f"redraw interval: too few redraws seen ({len(ticks)})")
        return
    med, worst = statistics.median(gaps) / 1000, bench.p95(gaps) / 1000
    bench.line("Memory lab redraw while training (Chromium)", f"{med:.2f} s (p95 {worst:.2f}, {len(ticks)} redraws)",
               "≤ 0.5 s", med <= 0.5)


def run(bench) -> None:
    bench_time_to_solve(bench)
    bench_modern(bench)
    bench_loop_ratio(bench)
    bench_redraw(bench)
    bench_rerun_while_training(bench)
    bench_page(bench)
