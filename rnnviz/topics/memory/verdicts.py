"""The Memory lab's verdicts: one line per cell a student reads ('LSTM solved at step 430 (4.1 s)'), the
run's summary, its first solver, and what an explosion did. Importable from compute too."""
from __future__ import annotations

import math

from rnnviz.topics.memory.config import ALL_CELLS, TASKS, label


def recovery_text(r: Recovery) -> str:
    what = f"the loss reached {r.value:.3g}" if r.what == "loss" else f"the gradient's norm was {r.value:.3g}"
    return (f"Step {r.step}: {what}. Its update was not taken; the weights of step {r.restored} came back "
            f"and the learning rate halved to {r.lr:.3g}.")


# ----------------------------------------------------------------------------- verdicts

def verdict(p: Progress) -> str:
    """One line a student reads: 'LSTM solved at step 430 (4.1 s)', 'RNN stayed at the baseline'."""
    name, task = label(p.kind), TASKS[p.task]
    base, last = task.baseline(p.T), p.recent()
    fixes = (f"; recovered from {len(p.recoveries)} explosion{'s' * (len(p.recoveries) > 1)}"
             if p.recoveries else "")
    if p.status == "solved":
        return f"{name} solved at step {p.solved_at} ({p.solved_seconds:.1f} s){fixes}"
    if p.status == "waiting":
        return f"{name}: waiting to start"
    if p.status == "gave up":
        return f"{name} kept exploding: stopped after {len(p.recoveries)} recoveries at step {p.steps}"
    if p.status == "stopped" and p.steps == 0:
        return f"{name} was stopped before its first step"
    if not math.isfinite(last):
        return f"{name}: no finite loss yet{fixes}"
    where = (f"ended above the baseline ({last:.3g} vs {base:.3g})" if last > 1.5 * base else
             f"stayed at the baseline ({last:.3g} vs {base:.3g})" if last > 0.7 * base else
             f"learned part of it: {last:.3g}, {last / base:.0%} of the baseline")
    if p.status == "training":
        return f"{name} at step {p.steps}: {where.replace('stayed', 'still').replace('ended', 'now')}{fixes}"
    ended = {"budget": f"after all {p.steps} steps", "stopped": f"when stopped at step {p.steps}"}[p.status]
    return f"{name} {where} {ended}{fixes}"


def summary(progress: dict[str, Progress]) -> str:
    """The lab's verdict in one sentence, solved cells first (fewest steps first)."""
    done = sorted(progress.values(), key=lambda p: (p.solved_at is None, p.solved_at or 0, ALL_CELLS.index(p.kind)))
    return "; ".join(verdict(p) for p in done) + "."


def first_solver(progress: dict[str, Progress]) -> str | None:
    """The cell that solved in the fewest steps (None if none did)."""
    solved = [p for p in progress.values() if p.solved_at is not None]
    return min(solved, key=lambda p: (p.solved_at, ALL_CELLS.index(p.kind))).kind if solved else None
