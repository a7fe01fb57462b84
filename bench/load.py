"""A room of users: `make load`. N browser-like sessions against one `streamlit run app.py` (issue 13, item 7).

It starts its own server on a free loopback port (tests/kit/server.py, the launcher the tests use), warms
it with one student alone visiting every page (the yardstick: the same interactions with nobody else on the
server), then lets N sessions (default 30) loose for a bounded time (default 75 s, hard cap 300 s).
The parts:
  bench/client.py     one browser-like session: Streamlit's own websocket protocol, as the browser speaks it
  bench/students.py   what each student does (per page, the controls moved), the trainers, the room
  bench/processes.py  the servers' memory and CPU, read from /proc
  this file           the command line, the report and the goals

Memory: the server's resident set (VmRSS of the server and any children, sampled twice a second; VmHWM
of the server: the kernel's own peak). Goals (issue 13): p95 ≤ 1 s over every interaction; peak ≤ 2 GB.

    python -m bench.load [--sessions 30] [--training 2] [--seconds 75] [--seed 0] [--think 1-3] [--replicas 1]
    python -m bench.load --training 5 --heavy --reloaders 2     # the worst case (issue 19): `make load-worst`
    python -m bench.load --training 0 --text-trainers 5 --seconds 90   # fair to a room (issue 24)

--heavy: the trainers open the Memory lab at the heaviest settings its controls allow (HEAVY_QUERY) and run
the sweep after the comparison; --reloaders K: K more sessions press Train there and reload every few
seconds (each reload a new session). The latency goal is then for the students' interactions, the memory
goal for the server and every training process (proportional set sizes: shared pages once), and after the
room no training may outlive its session by more than the grace (aftermath).

--text-trainers K (default 0): K more sessions open the Your text page with its text box (source=typed, the
page's default 30 s of training), each paste a ~100 kB text of its own (a distinct slice of the Shakespeare
text: students.own_texts), press Train at once and drive the live view until the run ends, then stay
connected. Their page loads, paste, click and ticks are reported apart (page Your_text); the latency goal is
for the other students, the memory goal for the server and every training process. The server trains one
run per core at once (live.py: RNNVIZ_TRAININGS), so on 2 cores the others wait in its queue: the report
says, per run, how long it waited and whether it reached its end within the room's time.

--replicas K starts K servers and keeps each session on one of them (i mod K), as a load balancer with
sticky sessions does (docs/DEPLOY.md); memory and CPU are then summed over the K servers.

Loopback only: it refuses any other host. Nothing here is a test; tests/app/test_load.py drives a small room.
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

from bench import ARTIFACTS, ROOT           # bench/__init__.py also puts tests/ on sys.path, for kit
from bench.client import Sample
from bench.processes import MemoryWatch, threads, trainings
from bench.students import TEXT_PAGE, TRAIN_PAGE, Training, room, warm_up
from kit.server import is_loopback, serve

P95_GOAL_S, RSS_GOAL_BYTES = 1.0, 2 * 1024 ** 3
MAX_SESSIONS, MAX_SECONDS, MAX_REPLICAS = 60, 300, 4        # bounds: a load test must never become a denial of service
# RNNVIZ_STRICT: a page's unexpected error still draws its friendly box, then is raised, so the client
# sees an exception element and counts it (as the tests do)
SERVER_ENV = {"RNNVIZ_STRICT": "1"}


def check_loopback(host: str) -> str:
    if not is_loopback(host):
        raise SystemExit(f"refusing host {host!r}: the load test only ever runs against the loopback address")
    return host


def quantile(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, max(0, int(round(q * len(xs))) - 1))] if xs else float("nan")


def ms(x: float) -> str:
    return "—" if x != x else f"{1000 * x:.0f} ms"


def table(title: str, groups: dict[str, list[Sample]]) -> None:
    cpu = any(r.cpu is not None for rows in groups.values() for r in rows)
    print(f"\n{title:<22} {'n':>5} {'err':>4} {'p50':>8} {'p95':>8} {'p99':>8} {'max':>8} {'1st elem p50':>13}"
          + (f" {'server CPU mean':>16}" if cpu else ""))
    for name, rows in groups.items():
        ok = [r.seconds for r in rows if r.error is None]
        first = [r.first for r in rows if r.first is not None]
        cpus = [r.cpu for r in rows if r.cpu is not None]
        print(f"{name:<22} {len(rows):>5} {len(rows) - len(ok):>4} {ms(quantile(ok, .5)):>8} "
              f"{ms(quantile(ok, .95)):>8} {ms(quantile(ok, .99)):>8} {ms(max(ok, default=float('nan'))):>8} "
              f"{ms(quantile(first, .5)):>13}"
              + (f" {ms(statistics.fmean(cpus) if cpus else float('nan')):>16}" if cpu else ""))


def report(samples: list[Sample], trainings: list[Training], walk: list[Sample], solo: list[Sample], seconds: float,
           sessions: int, peak: int, hwm: int, idle: int, cpu: tuple[float, float, float] = (0, 0, 0),
           replicas: int = 1, think: tuple[float, float] = (1, 3), after: dict | None = None) -> bool:
    """Prints the tables and the goals; True when every goal holds. The latency goal is for the students'
    interactions (every page but the Memory lab and Your text, where only the trainers and reloaders go)."""
    work = [r for r in samples if r.kind != "tick"]
    others = [r for r in work if r.page not in (TRAIN_PAGE, TEXT_PAGE)]
    by_page: dict[str, list[Sample]] = defaultdict(list)
    by_kind: dict[str, list[Sample]] = defaultdict(list)
    texting: dict[str, list[Sample]] = defaultdict(list)     # the text trainers' own, apart
    for r in samples:
        (texting if r.page == TEXT_PAGE else by_kind)[r.kind].append(r)
        if r.kind != "tick":
            by_page[r.page or "Home"].append(r)
    table("per interaction kind", dict(sorted(by_kind.items())))
    if texting:
        table("text trainers (Your text)", dict(sorted(texting.items())))
    table("per page (no ticks)", dict(sorted(by_page.items())))
    solo_by_page: dict[str, list[Sample]] = defaultdict(list)
    for r in solo:
        solo_by_page[(r.page or "Home") + ("" if r.kind in ("open", "move", "type") else " " + r.kind)].append(r)
    table("yardstick: 1 student alone", dict(sorted(solo_by_page.items())))

    print("\ntrainings (Train pressed while the room works):")
    for t in trainings:
        state = ("finished" if t.finished_at else "still training at the end") if t.pressed else "never pressed"
        took = f", {t.finished_at - t.started:.1f} s" if t.finished_at and t.started else ""
        if t.page == TEXT_PAGE:
            queued = f"queued ~{t.queued_until - t.started:.0f} s, " if t.queued_until and t.started else ""
            waited = (f"{queued}training {t.running_at - t.started:.1f} s after Train" if t.running_at and t.started
                      else f"{queued}never seen training")
            print(f"  session {t.session} (Your text, {t.budget} s): {state}{took} (its view says "
                  f"{t.state or 'nothing'}); {waited}; step {t.steps:,}")
        else:
            print(f"  session {t.session} (Memory lab): {state}{took}; step {t.steps} of {t.budget or '?'} "
                  f"({t.steps_per_s():.0f} steps/s)")
    errors = [r for r in samples if r.error]
    for e in sorted({f"{r.page or 'Home'} {r.kind}: {r.error}" for r in errors})[:10]:
        print("  error:", e)
    for e in sorted({f"{r.page or 'Home'} {r.kind}: {r.error}" for r in walk + solo if r.error})[:10]:
        print("  error while warming up (one student walking every page in one tab, then alone):", e)

    ok = [r.seconds for r in others if r.error is None]
    p50, p95, p99 = quantile(ok, .5), quantile(ok, .95), quantile(ok, .99)
    solo_work = [r for r in solo if r.error is None and r.kind in ("open", "move", "type")]
    solo_p50 = quantile([r.seconds for r in solo_work], .5)
    cpu_each = statistics.fmean([r.cpu for r in solo_work if r.cpu is not None] or [float("nan")])
    cpu_tick = statistics.fmean([r.cpu for r in solo if r.kind == "tick" and r.cpu is not None] or [float("nan")])
    lat_ok, mem_ok = p95 <= P95_GOAL_S and not errors, peak <= RSS_GOAL_BYTES
    gb = peak / 1024 ** 3
    wall, server_cpu, client_cpu = cpu
    if wall:
        print(f"\nCPU over the room's {wall:.0f} s: the server{'s' if replicas > 1 else ''} used "
              f"{server_cpu / wall:.2f} cores, this client {client_cpu / wall:.2f} (machine: {os.cpu_count()} cores, "
              f"shared: load average {os.getloadavg()[1]:.1f} over the last 5 min); {len(work) / wall:.1f} interactions/s "
              f"and {(len(samples) - len(work)) / wall:.1f} live-view ticks/s served")
    print(f"capacity: alone, an interaction cost the server {ms(cpu_each)} of CPU on average and a live-view tick "
          f"{ms(cpu_tick)} (with its training threads); one server process runs Python one thread at a time, so it "
          f"serves at most ~{1 / cpu_each:.1f} interactions/s, and p95 ≤ 1 s needs well under that")
    where = f" on {replicas} replicas" if replicas > 1 else ""
    texts = [t for t in trainings if t.page == TEXT_PAGE]
    print(f"\n{sessions} sessions{where}, {len(trainings) - len(texts)} training in the Memory lab, {len(texts)} "
          f"on their own text, think {think[0]:g}–{think[1]:g} s, {seconds:.0f} s: {len(work)} interactions, "
          f"{len(errors)} errors; the students' {len(others)}: p50 {ms(p50)}, p95 {ms(p95)}, p99 {ms(p99)}, max "
          f"{ms(max(ok, default=float('nan')))} (goal p95 ≤ {P95_GOAL_S:g} s) {'ok' if lat_ok else 'MISSED'}; "
          f"memory peak {gb:.2f} GB (the server and its trainings, each shared page once; the server process "
          f"alone {hwm / 1024 ** 3:.2f} GB; idle after warm-up {idle / 1024 ** 3:.2f} GB; goal ≤ 2 GB) "
          f"{'ok' if mem_ok else 'MISSED'}")
    if texts:
        mine = [r for r in samples if r.page == TEXT_PAGE and r.error is None]
        acts = [r.seconds for r in mine if r.kind != "tick"]
        ticks = [r.seconds for r in mine if r.kind == "tick"]
        done = sum(t.state == "Finished" for t in texts)
        print(f"the text trainers: their {len(acts)} page loads, pastes and clicks p95 {ms(quantile(acts, .95))}, "
              f"max {ms(max(acts, default=float('nan')))}; their {len(ticks)} live-view ticks p95 "
              f"{ms(quantile(ticks, .95))}, p99 {ms(quantile(ticks, .99))}; "
              f"{done} of {len(texts)} trainings reached their end (Finished) within the room's {seconds:.0f} s")
    print(f"yardstick: the same interactions with one student alone, p50 {ms(solo_p50)}: the room makes the "
          f"median {p50 / solo_p50:.1f}× slower")
    ended_ok = True
    if after:
        ended_ok = after["left"] == 0 and after["threads"] <= after["threads_idle"] + 2
        print(f"after the room (every session closed): trainings at most {after['peak']} at once during it; "
              f"{after['left']} still running {after['seconds']:.1f} s after the last session closed (goal: none "
              f"within the grace of {after['grace']:g} s + 10 s); server threads {after['threads']} "
              f"(idle after warm-up: {after['threads_idle']}) {'ok' if ended_ok else 'MISSED'}")
    return lat_ok and mem_ok and ended_ok


def aftermath(pids: list[int], threads_idle: int, peak: int) -> dict:
    """Once every session has closed: how long until no training runs (each must end within the grace a
    disconnected session gets, live.GRACE_SECONDS, and a few seconds), and the servers' thread count."""
    from rnnviz.shared import live

    grace, t0 = live.default_grace(), time.monotonic()
    while any(trainings(pid) for pid in pids) and time.monotonic() - t0 < grace + 10:
        time.sleep(0.2)
    time.sleep(1.0)                                   # the trainer's own thread ends a poll after its last job
    return {"left": sum(len(trainings(pid)) for pid in pids), "seconds": time.monotonic() - t0, "grace": grace,
            "threads": sum(threads(pid) for pid in pids), "threads_idle": threads_idle, "peak": peak}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sessions", type=int, default=30, help=f"concurrent sessions (≤ {MAX_SESSIONS})")
    ap.add_argument("--training", type=int, default=2, help="of which press Train in the Memory lab")
    ap.add_argument("--seconds", type=float, default=75, help=f"how long the room works (≤ {MAX_SECONDS})")
    ap.add_argument("--heavy", action="store_true",
                    help="the trainers use the heaviest settings the Memory lab allows, then run the sweep too")
    ap.add_argument("--text-trainers", type=int, default=0,
                    help="sessions that paste a ~100 kB text of their own into Your text and train on it at once")
    ap.add_argument("--reloaders", type=int, default=0,
                    help="sessions that press Train (heaviest settings) and reload the tab every few seconds")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--think", default="1-3", help="a student's pause between actions, LO-HI seconds")
    ap.add_argument("--replicas", type=int, default=1,
                    help="servers, each session sticking to one (i mod replicas), as behind a sticky balancer")
    ap.add_argument("--host", default="127.0.0.1", help="loopback only")
    ap.add_argument("--app-dir", type=Path, default=Path(os.environ.get("RNNVIZ_APP_DIR") or ROOT),
                    help="the folder holding app.py and pages/ (default: $RNNVIZ_APP_DIR, else the repo)")
    a = ap.parse_args(argv)
    check_loopback(a.host)
    think = tuple(float(x) for x in a.think.split("-", 1))
    if not (1 <= a.sessions <= MAX_SESSIONS and 0 <= a.training and 0 <= a.reloaders and 0 <= a.text_trainers
            and a.training + a.text_trainers + a.reloaders <= a.sessions and 5 <= a.seconds <= MAX_SECONDS
            and 1 <= a.replicas <= MAX_REPLICAS and len(think) == 2 and 0 <= think[0] <= think[1] <= 60):
        raise SystemExit(f"bounds: 1 ≤ sessions ≤ {MAX_SESSIONS}, 0 ≤ training + text trainers + reloaders ≤ sessions, 5 ≤ seconds ≤ "
                         f"{MAX_SECONDS}, 1 ≤ replicas ≤ {MAX_REPLICAS}, think LO-HI within 0–60 s")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with contextlib.ExitStack() as stack:
        servers = [stack.enter_context(serve(a.app_dir.resolve(), host=a.host, env=SERVER_ENV,
                                             log=ARTIFACTS / f"load-server-{k}.log"))
                   for k in range(a.replicas)]
        urls, pids = [s.url for s in servers], [s.pid for s in servers]
        print(f"{len(servers)} server(s) {', '.join(urls)} (logs tests/artifacts/load-server-*.log); "
              "warming up: one student visits every page on each")
        walk, solo = [], []
        for server in servers:
            w, y = asyncio.run(warm_up(server.url, server.pid, text_page=a.text_trainers > 0))
            walk, solo = walk + w, solo + y
        with MemoryWatch(pids) as mem:
            idle = mem.now()
            print(f"warm: {len(walk) + len(solo)} interactions alone, server RSS {idle / 1024 ** 3:.2f} GB; "
                  f"now {a.sessions} sessions for {a.seconds:.0f} s ({a.training} training"
                  f"{' at the heaviest settings' if a.heavy else ''}, {a.text_trainers} training on their own "
                  f"text, {a.reloaders} pressing Train and reloading)")
            threads_idle = sum(threads(pid) for pid in pids)
            t0, cpu0, me0 = time.monotonic(), mem.cpu(), time.process_time()
            samples, trainings = asyncio.run(room(urls, a.sessions, a.training, a.seconds, a.seed, think,
                                                  heavy=a.heavy, reloaders=a.reloaders,
                                                  text_trainers=a.text_trainers))
            cpu = (time.monotonic() - t0, mem.cpu() - cpu0, time.process_time() - me0)
            after = aftermath(pids, threads_idle, mem.trainings_peak)
        good = report(samples, trainings, walk, solo, a.seconds, a.sessions, mem.peak, mem.server_peak, idle, cpu,
                      a.replicas, think, after)
    return 0 if good else 1


if __name__ == "__main__":
    sys.exit(main())
