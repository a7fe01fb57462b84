"""Background trainings on a shared server (rnnviz/shared/live.py): each in a process of its own, a few at
once with a queue, bounded in CPU time, memory and wall-clock time, owned by a session it cannot outlive.
The works are tiny stand-ins (tests/live_works.py); the Memory lab's real runs are tested in test_memory.py."""
from __future__ import annotations

import os
import time
from pathlib import Path

import live_works
import pytest

from rnnviz.shared import live


def collect(into: list):
    """An `apply` that keeps every update (called under the job's lock)."""
    return into.append


def gone(pid: int) -> bool:
    """The process has ended and been reaped (no zombie left behind)."""
    return not Path(f"/proc/{pid}").exists()


def wait_until(check, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


@pytest.fixture
def trainer():
    t = live.Trainer(slots=1, budget=live.Budget(cpu_seconds=20, memory_mb=4096, wall_seconds=60), grace=0.5,
                     kill_after=1.0)
    yield t
    t.stop_all()


def test_a_job_runs_in_a_lower_priority_process_and_sends_its_updates(trainer):
    seen = []
    job = trainer.submit("a", live_works.report_and_finish, (5,), collect(seen))
    assert job.join(60) and job.reason == live.FINISHED and not job.errors
    first, *rest = seen
    assert first["pid"] != os.getpid() and first["nice"] == min(19, os.nice(0) + trainer.nice)
    assert trainer.nice == 10 and first["policy"] == os.SCHED_OTHER         # the test run's setting (conftest)
    assert rest == [{"i": i} for i in range(5)]
    assert gone(first["pid"]) and job.cpu_seconds >= 0 and job.peak_mb > 0


def test_by_default_a_training_runs_only_when_a_core_would_idle():
    assert live.default_nice({}) == 19 and live.default_nice({"RNNVIZ_TRAINING_NICE": "x"}) == 19
    t = live.Trainer(slots=1, nice=live.NICE)
    seen = []
    assert t.submit("a", live_works.report_and_finish, (0,), collect(seen)).join(60)
    assert seen[0]["nice"] == 19 and seen[0]["policy"] == os.SCHED_IDLE


def test_an_error_in_the_work_is_kept_for_the_page_not_raised(trainer):
    seen = []
    job = trainer.submit("a", live_works.fail, (), collect(seen))
    assert job.join(60) and job.reason == live.FAILED
    assert job.errors == ["RuntimeError: out of cheese"] and gone(seen[0]["pid"])


def test_jobs_beyond_the_slots_wait_in_a_queue_and_see_their_place(trainer):
    first_seen, second_seen = [], []
    first = trainer.submit("a", live_works.spin, (), collect(first_seen))
    second = trainer.submit("b", live_works.report_and_finish, (1,), collect(second_seen))
    third = trainer.submit("c", live_works.report_and_finish, (1,), collect([]))
    wait_until(lambda: first_seen)
    assert first.state == "running" and second.state == "queued" and not second_seen
    assert (trainer.position(first), trainer.position(second), trainer.position(third)) == (None, 1, 2)
    first.stop()
    assert first.join(30) and first.reason == live.STOPPED
    assert second.join(60) and third.join(60) and second_seen[0]["pid"] != first_seen[0]["pid"]


def test_stopping_a_queued_job_means_it_never_starts(trainer):
    blocker = trainer.submit("a", live_works.spin, (), collect([]))
    seen = []
    queued = trainer.submit("b", live_works.report_and_finish, (1,), collect(seen))
    queued.stop()
    assert queued.join(10) and queued.reason == live.STOPPED and not seen and queued.started is None
    blocker.stop()
    assert blocker.join(30)


def test_the_cpu_budget_stops_a_job():
    t = live.Trainer(slots=1, budget=live.Budget(cpu_seconds=1.0, memory_mb=4096, wall_seconds=60))
    seen = []
    job = t.submit("a", live_works.spin, (), collect(seen))
    assert job.join(30) and job.reason == live.CPU_BUDGET
    assert 1.0 <= job.cpu_seconds < 3.0 and gone(seen[0]["pid"])


def test_the_memory_budget_stops_a_job():
    probe = live.Trainer(slots=1).submit("a", live_works.report_and_finish, (0,), collect([]))
    assert probe.join(60)
    base = probe.peak_mb                                   # a child's own size (torch, shared with the fork server)
    t = live.Trainer(slots=1, budget=live.Budget(cpu_seconds=30, memory_mb=base + 200, wall_seconds=60))
    job = t.submit("a", live_works.hog_memory, (2000,), collect([]))
    assert job.join(60) and job.reason == live.MEMORY_BUDGET and base + 200 < job.peak_mb < base + 400


def test_the_wall_clock_limit_stops_a_job_and_one_that_ignores_stop_is_killed():
    t = live.Trainer(slots=1, budget=live.Budget(cpu_seconds=30, memory_mb=4096, wall_seconds=1.0), kill_after=1.0)
    seen = []
    job = t.submit("a", live_works.ignore_stop, (), collect(seen))
    assert job.join(30) and job.reason == live.TIME_LIMIT
    assert 2.0 <= job.seconds < 10 and gone(seen[0]["pid"])


def test_a_job_ends_with_its_session():
    alive = {"a": True, "b": True}
    t = live.Trainer(slots=2, owner_alive=lambda owner: alive[owner], grace=0.5)
    seen_a, seen_b = [], []
    a = t.submit("a", live_works.spin, (), collect(seen_a))
    b = t.submit("b", live_works.spin, (), collect(seen_b))
    wait_until(lambda: seen_a and seen_b)
    alive["a"] = False                                   # a's tab closed
    assert a.join(10) and a.reason == live.SESSION_ENDED and gone(seen_a[0]["pid"])
    assert b.alive                                       # b's training is b's: untouched
    b.stop()
    assert b.join(10)


def test_a_session_that_comes_back_within_the_grace_keeps_its_job():
    alive = {"a": False}
    t = live.Trainer(slots=1, owner_alive=lambda owner: alive[owner], grace=2.0)
    seen = []
    job = t.submit("a", live_works.spin, (), collect(seen))
    wait_until(lambda: seen)
    alive["a"] = True                                    # a network blip: reconnected in time
    time.sleep(2.5)
    assert job.alive
    job.stop()
    assert job.join(10) and job.reason == live.STOPPED


def test_a_new_job_of_the_same_owner_replaces_the_old(trainer):
    old = trainer.submit("a", live_works.spin, (), collect([]))
    new = trainer.submit("a", live_works.report_and_finish, (1,), collect([]))
    assert old.join(30) and old.reason == live.REPLACED
    assert new.join(60) and new.reason == live.FINISHED


def test_no_thread_or_process_outlives_the_jobs():
    import threading

    before = {t.ident for t in threading.enumerate()}
    t = live.Trainer(slots=2)
    pids = []
    jobs = [t.submit(str(i), live_works.report_and_finish, (2,), lambda u: pids.append(u.get("pid"))) for i in range(3)]
    assert all(j.join(60) for j in jobs)
    wait_until(lambda: {x.ident for x in threading.enumerate()} <= before | {0}, timeout=5)
    assert all(gone(p) for p in pids if p)


def test_budgets_come_from_the_environment_and_a_typo_cannot_lift_them():
    env = {"RNNVIZ_TRAINING_CPU_SECONDS": "30", "RNNVIZ_TRAINING_MEMORY_MB": "lots", "RNNVIZ_TRAINING_SECONDS": "inf",
           "RNNVIZ_TRAININGS": "3"}
    b = live.Budget.from_env(env)
    assert (b.cpu_seconds, b.memory_mb, b.wall_seconds) == (30.0, live.Budget().memory_mb, live.Budget().wall_seconds)
    assert live.default_slots(env) == 3 and live.default_slots({}) == (os.cpu_count() or 1)
