"""Issue 20, the Memory lab: every sentence that states a number, a direction or an outcome is computed from
the figure, the run or this machine, or held here by a test that computes it (docs/claims/lessons-c.md)."""
from __future__ import annotations

import math
import re

import numpy as np
import plotly.graph_objects as go
import pytest

from rnnviz.topics.memory import figures as figs
from rnnviz.shared.style import COLOR
from rnnviz.topics.memory import compute as memory
from rnnviz.topics.memory import inside as memory_inside
from rnnviz.topics.memory import words as text
from rnnviz.topics.memory.compute import Config


def progress(kind, probes, T=6, steps=100):
    p = memory.new_progress(Config(T=T, steps=steps), kind)
    p.loss, p.grad_norm = [1.0] * (probes[-1][0] + 1), [1.0] * (probes[-1][0] + 1)
    p.probe_steps, p.probe = [s for s, _ in probes], [np.asarray(n, float) for _, n in probes]
    return p


@pytest.fixture
def snap():
    return {"rnn": progress("rnn", [(0, [1e-9, 1e-6, 1e-3, 0.1, 0.5, 1.0]), (10, [1e-20, 1e-15, 1e-9, 1e-3, 0.5, 1.0])]),
            "lstm": progress("lstm", [(0, [1e-4, 1e-3, 1e-2, 0.1, 0.5, 1.0]), (10, [0.1, 0.2, 0.3, 0.5, 1.0, 0.9])])}


def test_the_maps_words_are_read_from_the_figures_own_axes(snap):
    """Wrong 4: "read the maps from right to left: the loss reads the last step (top row)" and "dark: a
    millionth or less". Time step t runs up the vertical axis (t = 1 at the bottom), training across."""
    fig = figs.gradient_maps(snap)
    t = np.asarray(fig.data[0].y, dtype=float)
    assert fig.layout.yaxis.title.text.startswith("time step t") and np.all(np.diff(t) > 0)
    assert fig.layout.yaxis.autorange != "reversed"               # plotly draws larger y higher: t = 6 on top
    assert all(fig.layout[f"xaxis{'' if j == 0 else j + 1}"].title.text == "training step" for j in range(2))
    reading = figs.map_reading(fig)
    assert (reading["last"], reading["first"], reading["training"]) == ("top", "bottom", "left to right")
    words = text.what_to_see("adding", 6, reading, (1, 3))
    assert "t = 1 at the bottom and t = 6 at the top" in words
    assert "reads only the last step, t = 6 (the top row)" in words
    assert "training steps run left to right" in words
    assert "right to left" not in words and "a millionth or less" not in words
    # the colours: the scale's own ends and floor
    scale = fig.layout.coloraxis
    assert (scale.cmin, scale.cmax) == (memory.MAP_FLOOR, 0) == (-12, 0)
    assert text.COLOUR_NAMES[scale.colorscale[0][1].lower()] == "dark purple"
    assert text.COLOUR_NAMES[scale.colorscale[-1][1].lower()] == "yellow"
    assert "dark purple is 10^−12 or less" in words and "yellow is the largest" in words
    assert f"a millionth, 10^−6, is {(-6 - scale.cmin) / (scale.cmax - scale.cmin):.0%} of the way up" in words
    assert "is 50% of the way up" in words
    # drawn the other way up, the words follow
    flipped = go.Figure(fig)
    flipped.layout.yaxis.autorange = "reversed"
    assert "t = 1 at the top and t = 6 at the bottom" in text.what_to_see("adding", 6, figs.map_reading(flipped), (1, 3))


def test_copy_memorys_loss_reads_every_step():
    words = text.what_to_see("copy", 70, {"last": "top", "first": "bottom", "training": "left to right",
                                          "floor": -12.0, "top": 0.0, "low_colour": "#440154",
                                          "high_colour": "#fde725"}, (1, 10))
    assert "reads every step, and what must be recalled is written at the last 10, t = 61 … 70" in words
    assert "the symbols to copy sit at t = 1 … 10" in words


@pytest.mark.parametrize("task,T", [("adding", 50), ("adding", 10), ("copy", 30), ("temporal_order", 100)])
def test_the_rows_named_are_where_the_task_puts_what_must_be_remembered(task, T):
    cfg = Config(task=task, T=T)
    lo, hi = memory_inside.first_marks(cfg)
    x, _ = memory.batch(cfg, -1, memory.PROBE_BATCH)                  # the probe's own sequences
    if task == "adding":
        first = [int(np.nonzero(x[:, n, 1].numpy())[0][0]) + 1 for n in range(x.shape[1])]
        assert (lo, hi) == (min(first), max(first)) and hi <= T // 2
    elif task == "copy":
        assert (lo, hi) == (1, memory.COPY_MEMORY)
    else:
        assert T // 10 + 1 <= lo <= hi <= T // 5 + 1                 # tasks.temporal_order: [T//10, T//5], 0-based


def test_the_run_sentence_reports_the_runs_own_shares(snap):
    said = text.reach(snap, (1, 3))
    rnn_after = np.median(np.log10([1e-20, 1e-15, 1e-9]).clip(memory.MAP_FLOOR))
    lstm_before = np.median(np.log10([1e-4, 1e-3, 1e-2]))
    assert rnn_after == -12 and lstm_before == -3
    assert said == ("In this run, the median share that reaches t = 1 … 3: RNN 10^−6 after 0 steps → 10^−12 or less "
                    "after 10; LSTM 10^−3 after 0 steps → 10^−0.7 after 10.")
    assert memory.gradient_reach(snap["lstm"], (1, 3))[1] == (10, pytest.approx(math.log10(0.2)))


def test_the_time_estimate_is_the_measured_pace_times_the_budget():
    """Smaller: "it takes a few seconds at the defaults" became a time computed from paces measured here."""
    paces = {"rnn": memory.Pace(0.001, 0.0001), "lstm": memory.Pace(0.002, 0.0002), "gru": memory.Pace(0.002, 0.0003)}
    cfg = Config(T=50, steps=800)
    est = memory.estimate(cfg, paces, cores=2)
    each = {k: 800 * (p.fixed + 50 * p.per_step) for k, p in paces.items()}
    assert est.each == pytest.approx(each) and est.cpu == pytest.approx(sum(each.values()))
    assert est.wall == pytest.approx(max(max(each.values()), sum(each.values()) / 2))       # 3 cells, 2 cores
    assert memory.estimate(cfg, paces, cores=8).wall == pytest.approx(max(each.values()))   # a core each
    words = text.before_training(cfg, est, paces, cpu_budget=120)
    assert f"about **{est.wall:.0f} s**" in words and "RNN 6 ms, LSTM 12 ms, GRU 17 ms" in words
    assert "× 800 steps" in words and "2 cores" in words and "stop at that limit" not in words
    assert "stop at that limit" in text.before_training(cfg, est, paces, cpu_budget=est.cpu / 2)
    sweep = memory.estimate(cfg, paces, 2, memory.LENGTHS)
    assert sweep.each["gru"] == pytest.approx(sum(800 * (0.002 + 0.0003 * T) for T in memory.LENGTHS))
    assert f"about {text.seconds(sweep.wall)}" in text.sweep_help(sweep)


def test_a_pace_is_measured_here():
    pace = memory.measure_pace("adding", "rnn", 8, 16)
    assert pace.fixed >= 0 and pace.per_step >= 0 and 0 < pace.step(50) < 1.0


def test_the_bench_measures_what_the_page_says_it_does():
    import bench.bench_memory as bench

    import inspect

    assert bench.SEEDS == (0, 1, 2) and "seeds 0–2" in text.BENCH
    waits = inspect.getsource(bench.bench_time_to_solve)                # the defaults, side by side, the LSTM
    assert "start_comparison(Config(seed=seed))" in waits and 'snap["lstm"]' in waits and "side by side" in text.BENCH
    assert "bare_loop" in inspect.getsource(bench.bench_loop_ratio) and "bare torch loop" in text.BENCH
    assert "redraws" in text.BENCH and "Training: step" in bench.OBSERVE


OUTCOME = re.compile(r"\b(RNN|LSTM|GRU)\b[^.?]*\b(learns?|solves?|solved|dives?|stays?|forgets?|fails?|wins?)\b")


def test_no_what_to_try_note_answers_the_question_below_it():
    """The question asks which cell is solved first; the notes above it must not say how a run turns out."""
    for label, _, note in text.PRESETS:
        assert not OUTCOME.search(note) and not OUTCOME.search(label), (label, note)


def test_the_explode_and_clip_presets_say_what_training_does():
    """"Explode": at SGD, learning rate 1, no clipping, every cell's loss shoots up (a recovery). "Clip it":
    the LSTM and GRU no longer explode, and a learning rate of 1 is still not a good one (not solved, unlike the
    defaults: tests/topics/memory/test_memory.py::test_done_when_lstm_and_gru_solve_adding_at_T50_and_the_rnn_stays_above_005)."""
    presets = {label.split(":")[0]: controls for label, controls, _ in text.PRESETS}
    explode, clip = presets["Explode"], presets["Clip it"]
    assert explode == {"opt": "sgd", "lr": "1", "clip": 0.0, "steps": 300} and clip == {**explode, "clip": 1.0}
    exploding = Config(optimizer="sgd", lr=1.0, clip=0.0, steps=300)
    for kind in memory.CELLS:                     # (a run is seeded: it may stop at its first recovery)
        p = memory.new_progress(exploding, kind)
        memory.train_cell(exploding, kind, p, should_stop=lambda: bool(p.recoveries), probe=False)
        assert p.recoveries, kind
    for kind in ("lstm", "gru"):
        p = memory.train_cell(Config(optimizer="sgd", lr=1.0, clip=1.0, steps=300), kind, probe=False)
        assert not p.recoveries and p.status == "budget" and p.recent() > memory.TASKS["adding"].solved_below(50)


def test_help_numbers():
    for task in memory.TASKS:
        out = memory.train.TASK_SHAPES[task][1]
        readout = (64 + 1) * out
        assert memory.n_parameters("lstm", task, 64) - readout == 4 * (memory.n_parameters("rnn", task, 64) - readout)
    assert "exactly 4× the RNN's" in text.HELP["match"] and Config().hidden == 64
    assert "a new batch of 128 sequences" in text.HELP["steps"] and Config().batch == 128
    sig = lambda v: 1 / (1 + math.exp(-v))                                      # noqa: E731
    assert sig(0) == 0.5 and round(sig(1), 2) == 0.73 and "σ(1) ≈ 0.73" in text.HELP["fb"]
    assert "10 times the larger of the first loss" in text.SCOPE and memory.EXPLODED_ABOVE == 10


def test_the_inside_caption_names_the_shading_colours():
    r = memory_inside.Inside(task="adding", marks=[1, 4], hold=(2, 4), labels=["a"] * 6, values=np.zeros(6),
                             units=[0], input_gate=np.zeros((6, 1)), forget_gate=np.zeros((6, 1)),
                             cell=np.zeros((6, 1)), i_at_marks=np.zeros(1), i_elsewhere=np.zeros(1),
                             f_between=np.zeros(1), kept=np.zeros(1), target="1", answer="1")
    fills = [s.fillcolor for s in figs.inside(r, 6).layout.shapes]
    assert fills == [COLOR["bound"], COLOR["input"], COLOR["input"]]            # the hold grey, the marks blue
    assert (COLOR["bound"], COLOR["input"]) == ("#7F7F7F", "#56B4E9")           # grey, sky blue


def test_the_solved_lines_in_words():
    """"MSE below 0.01 (an answer off by about 0.1 or less)"; temporal order: a tenth of log 4 per sequence is a
    typical p(right order) of 4^−0.1 ≈ 0.87."""
    assert memory.TASKS["adding"].solved_below(50) == 0.01 and math.sqrt(0.01) == 0.1
    line = memory.TASKS["temporal_order"].solved_below(50)
    assert line == pytest.approx(math.log(4) / 10) and round(math.exp(-line), 2) == 0.87 == round(4 ** -0.1, 2)
    assert "p ≈ 0.87" in memory.TASKS["temporal_order"].solved_rule


# ----- the page says it (AppTest) ----------------------------------------------------------------------------

def test_the_page_shows_the_estimate_then_the_maps_words_of_the_run(apptest):
    from rnnviz.topics.memory import view_parts as cached

    at = apptest("pages/7_Memory_lab.py", {"T": 12, "steps": 200, "gru": "false"})
    cfg = Config(T=12, steps=200, cells=("rnn", "lstm"))
    paces = cached.memory_paces(cfg)                               # the cached paces the page used
    est = memory.estimate(cfg, paces, memory.cores())
    before = " ".join(i.value for i in at.info)
    assert f"about **{text.seconds(est.wall)}**" in before and "a few seconds" not in before
    sweep = next(b for b in at.button if b.label == "Run the sweep").help
    assert text.seconds(memory.estimate(cfg, paces, memory.cores(), memory.LENGTHS).wall) in sweep
    assert "about a minute" not in sweep
    next(b for b in at.button if b.label == "Train").click().run()
    run = at.session_state["memory_run"]
    assert run.job.join(timeout=300)
    at.run()
    at.session_state[cached.DEPTH] = True                          # the maps and their words: when opened
    at.run()
    captions = " ".join(c.value for c in at.caption)
    rows = memory_inside.first_marks(cfg)
    assert "t = 1 at the bottom and t = 12 at the top" in captions
    assert f"sits at t = {rows[0]} … {rows[1]}" in captions
    from rnnviz import ui

    said = text.reach(run.snapshot(), rows)                       # the maps' summary: this run's own shares
    assert said.startswith("In this run, the median share") and ui.escape_markdown(said) in captions


def test_the_inside_summary_says_the_numbers_of_the_unit_drawn_solid():
    r = memory_inside.Inside(task="adding", marks=[1, 4], hold=(2, 4), labels=["a"] * 6, values=np.zeros(6),
                             units=[7, 3], input_gate=np.zeros((6, 2)), forget_gate=np.zeros((6, 2)),
                             cell=np.zeros((6, 2)), i_at_marks=np.array([0.81, 0.5]), i_elsewhere=np.array([0.04, 0.5]),
                             f_between=np.array([0.9961, 0.5]), kept=np.zeros(2), target="1.084", answer="1.081")
    said = text.inside_summary(r)
    assert "unit 7, whose input gate averages 0.81 at the marked steps (2, 5 here) and 0.04 elsewhere" in said
    assert "forget gate averages 0.996" in said and "Answer 1.084, the LSTM said 1.081" in said
    fig = figs.inside(r, 6)
    solid = [tr for tr in fig.data if tr.type == "scatter" and tr.line.dash == "solid"]
    assert {tr.name for tr in solid} == {"unit 7"}                                   # the solid lines: unit 7


def test_the_rnns_gradient_is_multiplied_by_w_hh_transposed_diag_one_minus_h_squared():
    """The equations expander: "multiplied at every step by W_hhᵀ diag(1 − h_t²): it shrinks where that
    product shrinks vectors and grows where it stretches them" (it said "which shrinks it")."""
    import torch

    from rnnviz import cells

    torch.manual_seed(0)
    for gain, grows in ((1.0, False), (4.0, True)):
        cell = cells.build("rnn", 2, 6, seed=0, dtype=torch.float64)
        with torch.no_grad():
            cell.weight_hh.mul_(gain)
        h_prev = torch.zeros(1, 6, dtype=torch.float64, requires_grad=True)
        x = torch.randn(1, 1, 2, dtype=torch.float64) * 0.1
        h = cell.unroll(x, state=h_prev).h[0]                              # (1, H)
        g = torch.randn(1, 6, dtype=torch.float64)
        (back,) = torch.autograd.grad(h, h_prev, g)
        W = cell.weight_hh.detach()
        by_hand = (W.T @ ((1 - h.detach() ** 2) * g).T).T
        assert torch.allclose(back, by_hand, atol=1e-12)
        s = torch.linalg.svdvals(W.T @ torch.diag((1 - h.detach() ** 2)[0]))
        assert (s.max() > 1) == grows                                      # it can stretch a gradient


def test_the_loss_sentence_names_the_first_solver_only_after_the_reveal(snap):
    """Issue 22: under the loss curves, each cell's loss now and the baseline; who solved first (the question's
    answer) only once revealed."""
    snap["lstm"].loss = [1.0] * 9 + [0.001] * 3
    snap["lstm"].solved_at = 12
    base = memory.TASKS["adding"].baseline(6)
    held = text.loss_said(snap, "adding", 6, revealed=False)
    assert f"the dashed line, {base:.3g}" in held and "below the dotted one, 0.01" in held
    assert f"LSTM {snap['lstm'].recent():.3g}" in held and "answer the question below" in held and "first, at" not in held
    shown = text.loss_said(snap, "adding", 6, revealed=True)
    assert shown.endswith("The LSTM went below the solved line first, at step 12.")
    snap["rnn"].loss[-1] = float("inf")
    snap["rnn"].loss[-memory.SOLVE_WINDOW:] = [float("nan")] * memory.SOLVE_WINDOW
    assert "RNN exploded" in text.loss_said(snap, "adding", 6, revealed=True)
    assert text.loss_said({}, "adding", 6, revealed=True).endswith("has solved the task.")


def test_the_match_help_says_what_the_linear_cells_would_need():
    """'Equal parameter counts' leaves minGRU and the selective SSM at the default H; the help says so, with the H a
    minGRU would need to reach the LSTM's weights: the closest count there is, computed by the page's own formula."""
    hidden = Config().hidden
    target = memory.n_parameters("lstm", "adding", hidden)
    told, h = text.units_to_match("mingru")
    gap = [abs(memory.n_parameters("mingru", "adding", k) - target) for k in (h - 1, h, h + 1)]
    assert told == target and gap[1] < gap[0] and gap[1] <= gap[2] and gap[1] < 0.01 * target
    assert f"keep their {hidden} units" in text.HELP["match"] and f"{h:,} units" in text.HELP["match"]
    for kind in ("mingru", "selective"):
        assert memory.hidden_size(Config(match=True), kind) == hidden
