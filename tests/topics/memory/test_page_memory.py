"""The Memory lab page through AppTest: it opens with nothing trained, Train trains the chosen cells in the
background and the page shows what they did (the same numbers as the core trained alone), Stop stops,
results survive a page switch, two sessions training at once do not disturb each other, the presets and
the question work, explosions are messages, and a bad URL is ignored, never an exception."""
from __future__ import annotations

import base64
import json
import re
import time

import numpy as np
import pytest
from common import reveal, widget

from kit.charts import charts
from rnnviz.topics.memory import compute as memory
from rnnviz.topics.memory import inside as memory_inside
from rnnviz.topics.memory import runs as memory_runs
from rnnviz.topics.memory import view, view_parts
from rnnviz.topics.memory.compute import Config
from rnnviz.topics.memory import words as text
from rnnviz import ui

PAGE = "pages/7_Memory_lab.py"
QUICK = {"T": 12, "steps": 200}                       # small enough to train in a few seconds on a busy machine
QUICK_CFG = Config(T=12, steps=200)


def array(value) -> np.ndarray:
    """A figure array as the browser receives it: a list, or plotly's binary form (numpy arrays)."""
    if isinstance(value, dict):
        return np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
    return np.asarray(value, dtype=float)


def labels(at) -> list[str]:
    return [b.label for b in at.button]


def train(at, key="memory_run", label="Train"):
    """Press the button, wait for the background threads, and run the page once more (the last tick)."""
    next(b for b in at.button if b.label == label).click().run()
    assert not at.exception
    run = at.session_state[key]
    assert run.job.join(timeout=300), "training did not finish"
    at.run()
    assert not at.exception
    return run


def opened(at, key: str):
    """Open one of the page's lazy expanders and rerun (a browser sends an open expander's state with every
    rerun; AppTest does not, so a test opens it again before it looks inside)."""
    at.session_state[key] = True
    return at.run()


def without_seconds(text: str) -> str:
    return re.sub(r"\(\d+\.\d s\)", "(… s)", text)


def test_opens_with_nothing_trained(apptest):
    at = apptest(PAGE)
    assert not at.exception and not at.warning
    assert at.title[0].value == "Memory lab"
    assert any("Press **Train**" in i.value for i in at.info)
    assert {"Train", "Run the sweep", "Reveal"} <= set(labels(at)) and not charts(at)
    assert "RNN: 64 units, 4,417 weights · LSTM: 64 units, 17,473 weights · GRU: 64 units, 13,121 weights" in \
        at.caption[0].value
    assert not at.latex                                                 # the equations wait in their expander
    opened(at, view.EQUATIONS)
    assert any(r"c_t = f_t \odot c_{t-1} + i_t \odot g_t" in x.value for x in at.latex)


def test_a_finished_run_is_shown_kept_across_pages_and_answers_the_question(apptest):
    """One quick run, trained once and looked at three ways: the finished comparison is what the core trains
    alone; the question's answer is read from it; and it survives a switch to another page and back."""
    at = apptest(PAGE, QUICK)
    next(b for b in at.button if b.label == "Train").click().run()
    assert "Stop" in labels(at) and "Train" not in labels(at)         # while it trains, the button stops it
    run = at.session_state["memory_run"]
    assert run.config == QUICK_CFG
    assert run.job.join(300)
    at.run()
    assert not at.exception and "Train" in labels(at)
    alone = {k: memory.train_cell(QUICK_CFG, k) for k in memory.CELLS}
    # predict before reveal (issue 22): the summary names who solved first and the cards give each verdict,
    # so both wait for the student's answer; the loss sentence gives each loss, not who came first
    assert not at.success and any(c.value == text.SUMMARY_HELD for c in at.caption)
    cards = [m.value for m in at.markdown if "font-weight:700" in m.value]
    assert len(cards) == 3 and all(ui.HELD_VERDICT in c for c in cards)
    assert "first, at step" not in " ".join(c.value for c in at.caption)
    assert set(charts(at)) == {"loss", "inside"}                        # the maps and the scope: when opened
    drawn = charts(opened(at, view_parts.DEPTH))
    assert set(drawn) == {"loss", "maps", "scope", "inside"}
    faint = [t for t in drawn["loss"]["data"] if t.get("opacity") == 0.3]        # every step's loss, per cell
    for trace, kind in zip(faint, memory.CELLS):
        np.testing.assert_allclose(array(trace["y"]), alone[kind].loss, rtol=1e-6)
    told = next(m.value for m in at.markdown if "held-out sequences" in m.value)
    assert told == memory_inside.explain(memory_inside.look_inside(alone["lstm"].model, QUICK_CFG))

    # predict, then reveal: the answer is the finished run's
    first = memory.first_solver(run.snapshot())
    shown = reveal(at, "the GRU")
    right = ["the RNN", "the LSTM", "the GRU"][memory.CELLS.index(first)] if first else "none"
    assert (at.success if right == "the GRU" else at.info)
    assert without_seconds(memory.summary(run.snapshot())) in without_seconds(" ".join(shown))
    assert shown[-1].startswith("**Right.**" if right == "the GRU" else "**Not quite")
    # ... and now the summary and the verdict cards say it too
    assert without_seconds(at.success[0].value) == without_seconds(memory.summary(alone))
    cards = [m.value for m in at.markdown if "font-weight:700" in m.value]
    assert len(cards) == 3 and all(memory.verdict(alone[k]).split(" (")[0] in c for k, c in zip(memory.CELLS, cards))
    summary = at.success[0].value

    # the results survive a page switch (the sidebar comes back at its defaults: "Showing the run of: …")
    at.switch_page("pages/3_Gradient_lab.py").run()
    assert not at.exception and at.title[0].value == "Gradient lab"
    at.switch_page(PAGE).run()
    assert not at.exception
    assert at.session_state["memory_run"] is run and at.success[0].value == summary
    assert set(charts(opened(at, view_parts.DEPTH))) == {"loss", "maps", "scope", "inside"}


def test_two_sessions_training_at_once_do_not_disturb_each_other(apptest):
    a = apptest(PAGE, {"T": 10, "steps": 150, "seed": 1})
    b = apptest(PAGE, {"T": 16, "steps": 150, "task": "temporal_order", "lr": "0.003", "rnn": "false"})
    for at in (a, b):
        next(x for x in at.button if x.label == "Train").click().run()
    runs = [at.session_state["memory_run"] for at in (a, b)]
    assert runs[0] is not runs[1] and set(runs[1].progress) == {"lstm", "gru"}
    for at, run in zip((a, b), runs):
        assert run.job.join(300)
        at.run()
        assert not at.exception
        for kind, p in run.snapshot().items():                         # exactly what each trains alone
            assert p.loss == memory.train_cell(run.config, kind).loss, (run.config.task, kind)
    assert "Temporal order" in json.dumps(charts(b)["loss"]) and "Adding" in json.dumps(charts(a)["loss"])


def wait_for_steps(run, n: int = 1, timeout: float = 120) -> None:
    """Until every cell of the run has made n steps (its process starts, then trains)."""
    deadline = time.monotonic() + timeout
    while min(p.steps for p in run.snapshot().values()) < n:
        assert run.job.alive and time.monotonic() < deadline, "the run made no steps"
        time.sleep(0.1)


def test_stop_stops_every_cell(apptest):
    at = apptest(PAGE, {"T": 100, "steps": 3000})
    next(b for b in at.button if b.label == "Train").click().run()
    wait_for_steps(at.session_state["memory_run"])
    next(b for b in at.button if b.label == "Stop").click().run()
    run = at.session_state["memory_run"]
    assert run.job.join(60)
    at.run()
    assert not at.exception and "Train" in labels(at)
    snap = run.snapshot()
    assert {p.status for p in snap.values()} == {"stopped"} and all(p.steps < 3000 for p in snap.values())
    reveal(at, "the RNN")                          # the run's summary names who solved first: it waits for an answer
    assert "when stopped at step" in at.success[0].value


def test_controls_change_what_is_said_and_drawn(apptest):
    at = apptest(PAGE)
    task_text = lambda: next(m.value for m in at.markdown if m.value.startswith("**"))   # noqa: E731
    assert "**Adding problem.**" in task_text() and "reads 50 steps" in task_text()
    widget(at, "task").set_value("copy").run()
    assert "**Copy memory.**" in task_text() and "reads 70 steps" in task_text()    # T + 2·10
    at.slider(key="T").set_value(30).run()
    assert "reads 50 steps" in task_text()
    widget(at, "match").set_value(True).run()
    counts = [int(n.replace(",", "")) for n in re.findall(r"([\d,]+) weights", at.caption[0].value)]
    assert len(counts) == 3 and max(counts) / min(counts) < 1.03
    for k in memory.CELLS:
        widget(at, k).set_value(False).run()
    assert not at.exception and "No cell is chosen" in at.warning[0].value
    assert next(b for b in at.button if b.label == "Train").disabled


def test_presets_set_every_control(apptest):
    at = apptest(PAGE, {"seed": 7, "T": 80})
    next(b for b in at.button if b.label.startswith("Explode")).click().run()
    assert (widget(at, "opt").value, widget(at, "lr").value, at.slider(key="clip").value) == ("sgd", "1", 0.0)
    assert at.slider(key="T").value == 50 and at.number_input(key="seed").value == 0
    next(b for b in at.button if b.label.startswith("Short memory")).click().run()
    assert at.slider(key="T").value == 10 and widget(at, "opt").value == "adam"


def test_an_explosion_is_a_message_and_the_run_goes_on(apptest):
    at = apptest(PAGE, {"opt": "sgd", "lr": "1", "clip": 0.0, "steps": 60, "gru": "false"})
    run = train(at)
    said = " ".join(w.value for w in at.warning)
    assert "RNN exploded. Step " in said and "weights of step" in said and "learning rate halved" in said
    assert all(p.status in ("budget", "solved") for p in run.snapshot().values())
    assert any("exploded" in (t.get("name") or "") for t in charts(at)["loss"]["data"])


def test_sweep_fills_the_grid(apptest):
    at = apptest(PAGE, {"steps": 100, "lstm": "false", "gru": "false"})
    sweep = train(at, "memory_sweep", "Run the sweep")
    results, _ = sweep.snapshot()
    assert sorted(results) == [("rnn", T) for T in memory.LENGTHS]
    grid = charts(at)["sweep"]["data"][0]
    assert grid["x"] == [f"T = {T}" for T in memory.LENGTHS] and len(grid["text"]) == 1
    squares = memory_runs.sweep_table(sweep.config, sweep.lengths, results, {})
    assert any(s.value == memory_runs.sweep_summary(squares) for s in at.success)


def test_reveal_without_a_run_never_trains(apptest):
    """Revealing before any run says "train first" and trains nothing (a reveal used to train the whole
    comparison in the foreground, with no Stop); once the student's own run has finished, the answer
    appears by itself, from that run."""
    at = apptest(PAGE, {"T": 8, "steps": 120, "gru": "false"})
    shown = " ".join(reveal(at, "the LSTM"))
    assert "press **Train** above" in shown and "memory_run" not in at.session_state
    assert "Stop" not in labels(at) and not at.success                         # nothing trains, nothing answered
    run = train(at)
    shown = " ".join([m.value for m in at.success] + [m.value for m in at.info])
    first = memory.first_solver(run.snapshot())
    assert without_seconds(memory.summary(run.snapshot())) in without_seconds(shown)
    assert ("**Right.**" in shown) == (first == "lstm")


@pytest.mark.parametrize("query", [{"T": "abc", "steps": "-5", "task": "sorting", "lr": "5"},
                                   {"T": 200, "steps": 3000, "seed": 9999, "fb": 5.0, "clip": 10.0},
                                   {"task": "<script>alert(1)</script>", "seed": "1e99"}])
def test_a_bad_or_extreme_url_never_raises(apptest, query):
    at = apptest(PAGE, query)
    assert not at.exception
    assert widget(at, "task").value in memory.TASKS


# ----- a class shares the server (issue 19): bounded, queued, owned ----------------------------------------
RED_TEAM = {"task": "copy", "T": 200, "steps": 3000, "opt": "sgd", "lr": "0.0003", "clip": 0.0}


def one_slot(monkeypatch, cpu_seconds: float):
    """The page's trainer replaced by one with one slot and a CPU budget of `cpu_seconds` (the server's own
    reads its bounds from the environment once per process)."""
    from rnnviz.shared import live
    from rnnviz.ui import training

    t = live.Trainer(slots=1, budget=live.Budget(cpu_seconds=cpu_seconds, memory_mb=4096, wall_seconds=120))
    monkeypatch.setattr(training, "trainer", lambda: t)
    return t


@pytest.fixture
def small_server(monkeypatch):
    """One slot, a 3-second CPU budget."""
    t = one_slot(monkeypatch, 3)
    yield t
    t.stop_all()


@pytest.fixture
def busy_server(monkeypatch):
    """One slot, a budget the first run cannot spend before it is stopped: it holds the slot until Stop (with 3 s,
    a run whose process had spent its start-up on importing torch once ran out before the second student
    pressed Train on a busy CI machine, and the second run found the slot free)."""
    t = one_slot(monkeypatch, 60)
    yield t
    t.stop_all()


def test_the_red_team_link_trains_within_the_budget_and_says_so(apptest, small_server):
    at = apptest(PAGE, RED_TEAM)
    run = train(at)
    assert run.job.reason == "cpu budget" and 3 <= run.job.cpu_seconds < 6
    assert {p.status for p in run.snapshot().values()} == {"stopped"}
    said = " ".join(w.value for w in at.warning)
    assert "It stopped at this server's limit of 3 s of computing time per training" in said
    reveal(at, "the RNN")                          # the run's summary names who solved first: it waits for an answer
    assert "when stopped at step" in at.success[0].value


def test_a_student_beyond_the_slots_sees_their_place_in_the_queue(apptest, busy_server):
    a, b = apptest(PAGE, RED_TEAM), apptest(PAGE, QUICK)
    next(x for x in a.button if x.label == "Train").click().run()
    wait_for_steps(a.session_state["memory_run"])                                  # a holds the one slot
    next(x for x in b.button if x.label == "Train").click().run()
    run_b = b.session_state["memory_run"]
    assert run_b.job.state == "queued" and busy_server.position(run_b.job) == 1
    assert any("yours is number 1 in the queue" in i.value for i in b.info) and "Stop" in labels(b)
    next(x for x in a.button if x.label == "Stop").click().run()
    assert run_b.job.join(300) and run_b.job.started is not None                    # it started by itself
    assert min(p.steps for p in run_b.snapshot().values()) > 0
    b.run()
    assert not b.exception and not any("queue" in i.value for i in b.info)
