"""The Memory lab's cached paces and its sections, each a block of st.* calls the page places in order:

    paces = memory_paces(cfg)              # how long a training step takes here, per cell (measured once, cached)
    comparison(cfg, run, alive)            # the live view of a comparison run: progress, verdicts, loss (maps: opened)
    inside_section(run)                    # the trained LSTM, looked inside (once a run has finished)
    sweep(s, alive)                        # the live view of a sweep over lengths
    truth(cfg, run)                        # the question's answer: what the student's own finished run shows

The words are in rnnviz.topics.memory.words, the numbers in compute.py (and runs.py, inside.py), the charts in
figures.py; the trainings run through rnnviz.ui.training.
"""
from __future__ import annotations

import streamlit as st

from rnnviz.shared.style import COLOR, NAME
from rnnviz.topics.memory import compute as memory
from rnnviz.topics.memory import figures as figs
from rnnviz.topics.memory import inside as memory_inside
from rnnviz.topics.memory import runs as memory_runs
from rnnviz.topics.memory import words as text
from rnnviz.ui import problem, revealed, stage, training, verdict_card
from rnnviz.ui.cache import MB, bounded
from rnnviz.ui.export import chart

DEPTH = "memory_depth"          # the lazy "Where the gradient dies" expander's key (tests open it)
STATUS_ICON = {"waiting": ":material/hourglass_empty:", "training": ":material/directions_run:",
               "solved": ":material/check_circle:", "budget": ":material/cancel:", "stopped": ":material/stop_circle:",
               "gave up": ":material/warning:"}


# ----- how long a training step takes on this machine (measured once per process and setting that changes it;
# T does not: a step's time is a line in T, memory.Pace)
@bounded(max_entries=32, max_bytes=1 * MB)                       # a few numbers per entry
def memory_pace(task: str, kind: str, hidden: int, batch: int) -> memory.Pace:
    """memory.measure_pace: a few training steps of one cell, timed here (a few hundred ms at most)."""
    return memory.measure_pace(task, kind, hidden, batch)


def memory_paces(cfg: memory.Config) -> dict[str, memory.Pace]:
    """The pace of each of cfg's cells at its own hidden size (Equal parameter counts changes it)."""
    return {k: memory_pace(cfg.task, k, memory.hidden_size(cfg, k), cfg.batch) for k in cfg.cells}


# ----- the sections
def comparison(cfg: memory.Config, run, alive: bool) -> None:
    """Before a run: what Train will cost. During and after: progress, a verdict per cell, the loss curves,
    the gradient maps and the clipping scope, and every explosion the run recovered from."""
    if run is None:
        paces = memory_paces(cfg)
        st.info(text.before_training(cfg, memory.estimate(cfg, paces, memory.cores()), paces,
                                     training.trainer().budget.cpu_seconds))
        st.caption(text.BENCH)
        return
    if training.waiting(run):
        return
    c, snap = run.config, run.snapshot()
    if not alive:
        training.why_it_ended(run)
    if alive:
        steps = max(p.steps for p in snap.values())
        remaining = run.seconds_left()
        st.progress(run.fraction(), text=f"Training: step {steps} of {c.steps}, {run.job.seconds:.1f} s so far"
                    + ("" if remaining is None else f", at most {remaining:.0f} s left") if steps else
                    "Starting the training in a process of its own…")
    if c != cfg:
        st.caption(f"Showing the run of: {memory.TASKS[c.task].title}, T = {c.T}, {c.optimizer} at lr {c.lr:g}, "
                   f"clip {c.clip:g}, seed {c.seed}. Press Train to run these settings.")
    for col, (k, p) in zip(st.columns(len(snap)), snap.items()):
        verdict_card(col, NAME[k], COLOR[k], STATUS_ICON[p.status], memory.verdict(p))
    for message in run.job.errors:
        st.error(f"Training stopped with an error: {message}")
    if not alive:                   # the summary names the first solver: the question's answer
        st.success(memory.summary(snap)) if revealed() else st.caption(text.summary_held(snap, c.steps))
    chart(st, figs.loss_curves(snap, c.task, c.T), key="loss", summary=text.loss_said(snap, c.task, c.T, revealed()))
    depth = stage.deeper("Where the gradient dies, and the clipping scope", DEPTH, icon=":material/grain:")
    if depth.open:                  # drawn only when asked for (and then redrawn live with the rest)
        with depth:
            gradient_depth(c, snap)
    for p in snap.values():
        for r in p.recoveries[:3]:
            problem(f"{NAME[p.kind]} exploded. {memory.recovery_text(r)}")
        if len(p.recoveries) > 3:
            problem(f"{NAME[p.kind]} exploded {len(p.recoveries) - 3} more times and recovered the same way.")


def gradient_depth(c: memory.Config, snap: dict) -> None:
    """The run's gradient maps (how much of the loss's gradient reaches each step) and its clipping scope."""
    maps, rows = figs.gradient_maps(snap), memory_inside.first_marks(c)
    reach = text.reach(snap, rows)
    chart(st, maps, key="maps", summary=f"{maps.layout.title.text}. {reach}" if reach else None)
    st.caption(text.what_to_see(c.task, memory.TASKS[c.task].length(c.T), figs.map_reading(maps), rows))
    chart(st, figs.clipping_scope(snap, c.clip), key="scope")
    st.caption(text.SCOPE)


def inside_section(run) -> None:
    """Inside the trained LSTM: one held-out sequence, its gates at the marked steps (once the run has ended)."""
    inside = run.look_inside() if run is not None and not training.is_alive(run) else None
    if inside is None:
        return
    st.subheader("Inside the trained LSTM")
    st.markdown(memory_inside.explain(inside))
    chart(st, figs.inside(inside, run.config.T), key="inside", summary=text.inside_summary(inside))
    st.caption(f"Shaded: the marked steps (blue) and the stretch the LSTM must hold across (grey). Answer "
               f"{inside.target}, the LSTM said {inside.answer}. Solid line: unit {inside.units[0]}.")


def sweep(s, alive: bool) -> None:
    """The sweep over lengths: progress, then which cell solved which length."""
    if s is None or training.waiting(s):
        return
    if not alive:
        training.why_it_ended(s)
    results, current = s.snapshot()
    squares = memory_runs.sweep_table(s.config, s.lengths, results, current)
    if alive:
        st.progress(s.fraction(), text=f"Sweep: {len(results)} of {len(squares)} runs done, {s.job.seconds:.0f} s")
    elif summary := memory_runs.sweep_summary(squares):
        st.success(summary)
    chart(st, figs.sweep_grid(squares, s.lengths), key="sweep")


def truth(cfg: memory.Config, run) -> tuple[int | None, str]:
    """The answer is what the student's own finished run shows; the reveal never trains."""
    done = run if run is not None and run.config == cfg and not training.is_alive(run) else None
    if done is None:
        going = training.is_alive(run) and run.config == cfg
        return None, ("Noted. " + ("Your run with these settings is training: " if going else
                                   "The answer is what a run with these settings shows: press **Train** above; ")
                      + "the answer appears here when it has finished.")
    snap = done.snapshot()
    first = memory.first_solver(snap)
    answer = memory.ALL_CELLS.index(first) if first else len(memory.ALL_CELLS)     # the last answer: none of them
    return answer, f"With these settings: {memory.summary(snap)}"
