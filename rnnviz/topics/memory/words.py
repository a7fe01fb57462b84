"""The Memory lab's prose: what the page says, kept apart so the page stays a short list of wiring.

Every sentence that states a number, a direction or an outcome is built here from what the code
computed: the maps' reading from the figure's own axes (figures.memory.map_reading), the run's own
gradient shares (memory.gradient_reach), the time a run takes from paces measured on this machine
(memory.measure_pace). Fixed sentences state only what the code does; docs/claims/lessons-c.md lists
each claim and the test that holds it.
"""
from __future__ import annotations

import math

from rnnviz import cells, flow, train
from rnnviz.topics.memory import compute as memory
from rnnviz.topics.memory import inside as memory_inside

INTRO = (
    "Three networks, an **RNN**, an **LSTM** and a **GRU**, learn the same task side by side, live on this "
    "computer. The task hides what matters far back in a long sequence: to answer at the end, a network must "
    "notice it, hold it for **T** steps, and ignore everything in between. Press **Train** and watch three "
    "things: the **loss** (does a cell get below its dashed baseline, the score of remembering nothing?), "
    "**where the gradient dies** (each map shows how much of the loss's gradient reaches each time step), "
    "and the **verdicts**. Two of today's linear RNNs can join them (switch them on under *More settings* in the "
    "sidebar, or press the preset *Today's linear RNNs* below): **minGRU** (Feng et al. "
    "2024) and a small **selective SSM** (Mamba's input-dependent step, Gu & Dao 2023), whose gates read only "
    "the input, so each step is h_t = a_t ⊙ h_{t−1} + b_t.")

TASKS = {
    "adding": "Each step reads a random value in [0, 1) and a marker; two steps are marked, one in each half. "
              "The answer is the sum of the two marked values (Hochreiter & Schmidhuber 1997).",
    "copy": f"The network reads {memory.COPY_MEMORY} random symbols, then blanks for T steps; a delimiter says "
            "*now write them back*, in order (Arjovsky et al. 2016). Ten symbols to hold at once, not one value: "
            "watch which loss leaves the baseline; the ✓ may not come within the step budget.",
    "temporal_order": "A long string of distractors a–d holds two X-or-Y symbols, one early and one in the "
                      "middle; the answer is their order: XX, XY, YX or YY (Hochreiter & Schmidhuber 1997).",
}

def units_to_match(kind: str, task: str = "adding") -> tuple[int, int]:
    """(the LSTM's weights at the default H, the H at which cell `kind` comes closest to them): what "Equal
    parameter counts" would take for a cell it leaves at the default H."""
    hidden = memory.Config().hidden
    target = memory.n_parameters("lstm", task, hidden)
    return target, min(range(1, 64 * hidden), key=lambda h: abs(memory.n_parameters(kind, task, h) - target))


def _linear_stay() -> str:
    """The match toggle's word on minGRU and the selective SSM: they keep their units (computed)."""
    target, h = units_to_match("mingru")
    return (f"minGRU and the selective SSM keep their {memory.Config().hidden} units: with no H×H matrix, a "
            f"minGRU would need {h:,} units to reach the LSTM's {target:,} weights on the adding task.")


HELP = {
    "task": "adding: sum the two marked values. copy: write back 10 symbols after T blanks. temporal_order: "
            "tell the order of two X/Y symbols hidden among distractors.",
    "T": "How far back the network must remember: the sequence length (copy memory: the delay between "
         "reading and writing). The sweep below trains every cell at several lengths.",
    "cells": "Train this cell (the three train side by side, one thread each).",
    "steps": "The most training steps each cell gets (a new batch of 128 sequences each). A cell stops early "
             "once it is solved.",
    "opt": "adam: scales each weight's step by its own gradient history (robust). sgd: plain gradient "
           "descent, where an exploding gradient throws the weights far: try it with clipping off.",
    "lr": "The step size. The default is Adam at 0.01; plain SGD at 1 explodes (the Explode preset).",
    "clip": "If ‖∇θ L‖ is larger than this, the whole gradient is scaled down to it (Pascanu et al. 2013). "
            "0 turns clipping off.",
    "fb": "The LSTM's forget-gate bias at the start: f_t = σ(b_f + W_f·…), so with small weights σ(b_f) is "
          "roughly how much of c_{t−1} a unit keeps per step before it has learnt anything (σ(0) = 0.5, "
          "σ(1) ≈ 0.73). +1 is the usual advice (Gers et al. 2000; Jozefowicz et al. 2015).",
    "match": f"Off: every cell has {memory.Config().hidden} hidden units, so the LSTM's recurrent layer has "
             "exactly 4× the RNN's weights (four gate blocks to one). On: the RNN and GRU get more units, so "
             "the three classic cells have about the LSTM's number of weights. " + _linear_stay(),
    "seed": "Seeds the weights and every batch: the same settings and seed give the same run, step for step.",
    "mingru": "minGRU (Feng et al. 2024, \"Were RNNs All We Needed?\"): a GRU whose gate and candidate read only "
              "x_t, never h_{t−1}: z_t = σ(W_z x_t + b_z), h̃_t = W_h x_t + b_h, h_t = (1 − z_t) ⊙ h_{t−1} + "
              "z_t ⊙ h̃_t (the paper's convention; torch.nn's GRU swaps z_t and 1 − z_t). A linear recurrence: "
              "the whole sequence can be computed by a parallel scan. No H×H matrix, so far fewer weights.",
    "selective": "A diagonal linear recurrence with a step Δ_t computed from the input, like Mamba's \"selective\" "
                 "state-space layer (Gu & Dao 2023): Δ_t = softplus(W_Δ x_t + b_Δ), ā_t = exp(−Δ_t·α) with a "
                 "learned α > 0, h_t = ā_t ⊙ h_{t−1} + (1 − ā_t) ⊙ (W_u x_t + b_u). A small Δ_t keeps the state; "
                 "a large one overwrites it.",
}

# "The equations behind the lab": (what to read, then the equation it introduces), from the code's own.
EQUATIONS = [
    ("Why gates help: the LSTM's cell state changes only by a forget-gate scaling and an added write,",
     dict(cells.equations("lstm"))["c"]),
    (r"with no squashing and no matrix, so $\partial c_t / \partial c_{t-1} = \operatorname{diag}(f_t)$ "
     r"along it: with $f_t$ near 1 the gradient survives many steps. The RNN's state passes through "
     r"$\tanh(W_{hh} h_{t-1} + \dots)$ at every step, so its gradient is multiplied at every step by "
     r"$W_{hh}^\top \operatorname{diag}(1 - h_t^2)$: it shrinks where that product shrinks vectors and "
     r"grows where it stretches them (see the Gradient lab). Clipping rescales the whole gradient $g$ "
     r"when its norm exceeds $c$:", flow.EQUATIONS["clip"]),
    (r"**minGRU** (Feng et al. 2024; rnnviz/linear_cells.py), in the paper's convention, where $z_t$ near 1 "
     r"writes (torch.nn's GRU swaps $z_t$ and $1 - z_t$): its gate and candidate read $x_t$ only,",
     r"z_t = \sigma(W_z x_t + b_z), \quad \tilde h_t = W_h x_t + b_h, \quad "
     r"h_t = (1 - z_t) \odot h_{t-1} + z_t \odot \tilde h_t"),
    (r"so $\partial h_t / \partial h_{t-1} = \operatorname{diag}(1 - z_t)$ depends on the input alone. The "
     r"**selective SSM** (Mamba's input-dependent step, Gu & Dao 2023), discretised by zero-order hold:",
     r"\Delta_t = \operatorname{softplus}(W_\Delta x_t + b_\Delta), \quad \bar a_t = e^{-\Delta_t \alpha}, \quad "
     r"h_t = \bar a_t \odot h_{t-1} + (1 - \bar a_t) \odot (W_u x_t + b_u)"),
]


def task_note(cfg: memory.Config) -> str:
    """The task in one paragraph: what it asks, how long it reads, its baseline and when it counts as solved."""
    task = memory.TASKS[cfg.task]
    return (f"**{task.title}.** {TASKS[cfg.task]} It reads {task.length(cfg.T)} steps. Remembering nothing scores the "
            f"**baseline**: {task.baseline_rule}. **Solved** means the mean of the last {memory.SOLVE_WINDOW} training "
            f"losses is {task.solved_rule}.")


# The colour scale's two ends, by name (tests/topics/memory/test_words_memory.py holds them against the figure's colour scale).
COLOUR_NAMES = {"#440154": "dark purple", "#fde725": "yellow"}


def power(v: float) -> str:
    """log10 share → "10^−7.4", "10^−12" (the minus a true minus sign)."""
    return (f"10^{v:.0f}" if float(v).is_integer() else f"10^{v:.1f}").replace("-", "−")


def what_to_see(task: str, L: int, reading: dict, rows: tuple[int, int]) -> str:
    """How to read the gradient maps, built from the figure's own axes and colours (`reading`, from
    figures.memory.map_reading) and the task: L steps read, the first thing to remember at t = rows."""
    last, first = reading["last"], reading["first"]
    every_step = train.TASK_SHAPES[task][2]
    m = memory.COPY_MEMORY
    reads = (f"reads every step, and what must be recalled is written at the last {m}, t = {L - m + 1} … {L} "
             f"(the {last} rows)" if every_step else f"reads only the last step, t = {L} (the {last} row)")
    low, high = COLOUR_NAMES.get(reading["low_colour"].lower(), "the darkest colour"), \
        COLOUR_NAMES.get(reading["high_colour"].lower(), "the brightest colour")
    floor, top = reading["floor"], reading["top"]
    millionth = (-6 - floor) / (top - floor)
    what = "the symbols to copy sit" if task == "copy" else "the first thing to remember sits"
    return (f"**Read the maps** column by column. Each column is one moment of training (training steps run "
            f"{reading['training']}); each row is a time step t, t = 1 at the {first} and t = {L} at the {last}. "
            f"The loss {reads}. The colour is each step's ‖∂L/∂hₜ‖ as a share of the largest in its column: "
            f"{high} is the largest ({power(top)} = 1), {low} is {power(floor)} or less (the scale stops there); "
            f"a millionth, {power(-6)}, is {millionth:.0%} of the way up the colour bar. In these sequences {what} "
            f"at t = {rows[0]} … {rows[1]}, toward the {first}: where those rows are dark, the loss sends almost "
            "nothing back to the steps that hold it, so training gets no signal to keep it.")


def reach(snap: dict, rows: tuple[int, int]) -> str:
    """What this run's maps show at the rows that matter, first probe against last (memory.gradient_reach)."""
    said = []
    for kind, p in snap.items():
        r = memory.gradient_reach(p, rows)
        if not r:
            continue
        fmt = lambda v: "none" if v != v else (f"{power(memory.MAP_FLOOR)} or less" if v <= memory.MAP_FLOOR  # noqa: E731
                                               else power(v))
        said.append(f"{memory.label(kind)} {fmt(r[0][1])} after {r[0][0]} steps" +
                    (f" → {fmt(r[-1][1])} after {r[-1][0]}" if len(r) > 1 else ""))
    if not said:
        return ""
    return (f"In this run, the median share that reaches t = {rows[0]} … {rows[1]}: " + "; ".join(said) + ".")


def loss_said(snap: dict, task: str, T: int, revealed: bool) -> str:
    """Under the loss curves: each cell's loss now against the baseline of a model that remembers nothing.
    Which cell got there first is the question's answer, so that part waits for the reveal (ui.revealed)."""
    base, line = memory.TASKS[task].baseline(T), memory.TASKS[task].solved_below(T)
    steps = max((p.steps for p in snap.values()), default=0)
    out = (f"Each cell's training loss, step by step: the dashed line, {base:.3g}, is the loss of a model that "
           f"remembers nothing; below the dotted one, {line:.3g}, a cell has solved the task")
    if not steps:
        return out + "."
    now = ", ".join(f"{memory.label(p.kind)} {_loss(p.recent())}" for p in snap.values())
    out += f". After {steps:,} steps (mean of the last few): {now}."
    if not revealed:
        return out + " Which cell solved it first: answer the question below."
    first = memory.first_solver(snap)
    if first is None:
        return out + " None has gone below the solved line yet."
    return out + f" The {memory.label(first)} went below the solved line first, at step {snap[first].solved_at:,}."


def _loss(v: float) -> str:
    return f"{v:.3g}" if math.isfinite(v) else "exploded"


SUMMARY_HELD = "The run has ended. Which cell solved it first? Answer the question below, then read the verdicts."


def summary_held(snap: dict, budget: int) -> str:
    """What stands in for the held summary (memory.summary names the first solver: the question's answer).
    A stopped run says where it stopped, as its summary would ("when stopped at step …"): the furthest any
    stopped cell got, which tells no more than the loss sentence's step count does, not who solved first."""
    stopped = [p.steps for p in snap.values() if p.status == "stopped"]
    if not stopped:
        return SUMMARY_HELD
    where = f"at step {max(stopped):,} of {budget:,}" if max(stopped) else "before its first step"
    return SUMMARY_HELD.replace("The run has ended.", f"The run was stopped {where}.")


def seconds(s: float) -> str:
    return f"{s:.0f} s" if s < 90 else f"{s / 60:.1f} min"


def before_training(cfg: memory.Config, est: memory.Estimate, paces: dict, cpu_budget: float) -> str:
    """What Train will cost, before it is pressed: the estimate from paces measured on this machine."""
    L = memory.TASKS[cfg.task].length(cfg.T)
    each = ", ".join(f"{memory.label(k)} {1000 * paces[k].step(L):.0f} ms" for k in cfg.cells)
    text = (f"Press **Train** to start: nothing is trained until you do. With these settings the run takes about "
            f"**{seconds(est.wall)}** on this computer when it has nothing else to do, if no cell is solved early "
            f"(a solved cell stops at once): one training step, {cfg.batch} sequences of {L} steps, took {each} "
            f"here (measured when this page first ran on this server), × {cfg.steps:,} steps, the cells side by "
            f"side on {est.cores} core{'s' if est.cores != 1 else ''}.")
    if est.cpu > cpu_budget:
        text += (f" That is about {seconds(est.cpu)} of computing in all, more than the {cpu_budget:.0f} s a "
                 "training may use here: it will stop at that limit.")
    return text


def inside_summary(r) -> str:
    """The summary under the look inside the trained LSTM (memory_inside.Inside), for a reader who cannot see
    the chart: the unit drawn solid, in the numbers explain() gives."""
    return (f"Inside the trained LSTM: one held-out sequence. Solid lines: unit {r.units[0]}, whose input gate averages "
            f"{r.i_at_marks[0]:.2f} at the marked steps ({', '.join(str(m + 1) for m in r.marks)} here) and "
            f"{r.i_elsewhere[0]:.2f} elsewhere, and whose forget gate averages {r.f_between[0]:.3f} across the stretch "
            f"to hold (means over {memory_inside.HELD_OUT} held-out sequences). Answer {r.target}, the LSTM said {r.answer}.")


BENCH = ("`bench/bench_memory.py` measures, at the defaults and seeds 0–2, how long the class waits until the "
         "LSTM is solved with the three cells side by side, what the lab's training loop costs over a bare "
         "torch loop, and how often the page redraws while it trains.")


def sweep_help(est: memory.Estimate) -> str:
    return (f"Train every chosen cell at T = {', '.join(map(str, memory.LENGTHS))}, one length after another: "
            f"about {seconds(est.wall)} on this computer when it has nothing else to do, if no cell is solved "
            "early. ")


SCOPE = (
    "Above the dashed line a step's gradient was scaled down to the threshold. A red ✕ is an explosion: a "
    f"loss or gradient that overflowed, or a loss more than {memory.EXPLODED_ABOVE:g} times the larger of the "
    "first loss and the baseline. That step is not taken: the last weights whose loss was within "
    f"{memory.SANE_BELOW:g}× of it come back and the learning rate halves.")

SWEEP = (
    f"The same training at T = {', '.join(map(str, memory.LENGTHS[:-1]))} and {memory.LENGTHS[-1]}, each cell "
    "from scratch, all other settings as set on this page. A square says ✓ and the step a cell was solved at, or ✗ and where its loss stayed as a share "
    "of the baseline. The parameter counts are in the row labels; turn on *Equal parameter counts* to give "
    "every cell about the LSTM's number of weights.")

# "What to try": (button, controls it sets, what to look at). The question below asks which cell is solved
# first, so no note says how a run turns out: the run shows it. What a note does state is held by a test.
PRESETS = [
    ("Short memory: T = 10", {"T": 10},
     "Five times shorter. Does the RNN's loss leave the baseline now? Compare how bright its map's rows that "
     "hold the first marked value are with those at T = 50."),
    ("Today's linear RNNs: all five cells", {"mingru": True, "selective": True},
     "minGRU and the selective SSM join the three: their gates read only the input, so each step is "
     "h_t = a_t ⊙ h_{t−1} + b_t. Which of the five leaves its baseline, in how many steps and seconds?"),
    ("Explode: SGD, learning rate 1, no clipping", {"opt": "sgd", "lr": "1", "clip": 0.0, "steps": 300},
     "Plain gradient descent with a big step: losses shoot up (red ✕). Each time the run restores the last "
     "good weights and halves the learning rate, and goes on."),
    ("Clip it: the same, clipped at 1", {"opt": "sgd", "lr": "1", "clip": 1.0, "steps": 300},
     "The gradient's norm is capped at 1: the clipping scope shows at which steps it bites. Which cells still "
     "explode? Clipping bounds each step; it does not make a learning rate of 1 a good one: compare the "
     "losses with the defaults'."),
]

QUESTION = "At these settings, which cell will be solved first (in the fewest steps)?"
ANSWERS = ["the RNN", "the LSTM", "the GRU", "the minGRU", "the selective SSM", "none of them, within the step budget"]


# The lead under the page's title (issue 22: one or two sentences, then the main view at once); the rest of the
# intro (what to watch) is under "About this page".
LEAD, ABOUT = INTRO.split(" Press **Train**")[0], "Press **Train**" + INTRO.split(" Press **Train**", 1)[-1]
