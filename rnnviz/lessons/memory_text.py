"""The Memory lab's prose: what the page says, kept apart so the page stays a short list of wiring."""

INTRO = (
    "Three networks, an **RNN**, an **LSTM** and a **GRU**, learn the same task side by side, live on this "
    "computer. The task hides what matters far back in a long sequence: to answer at the end, a network must "
    "notice it, hold it for **T** steps, and ignore everything in between. Press **Train** and watch three "
    "things: the **loss** (does a cell get below its dashed baseline, the score of remembering nothing?), "
    "**where the gradient dies** (each map shows how much of the loss's gradient reaches each time step), "
    "and the **verdicts**.")

TASKS = {
    "adding": "Each step reads a random value in [0, 1) and a marker; two steps are marked, one in each half. "
              "The answer is the sum of the two marked values (Hochreiter & Schmidhuber 1997).",
    "copy": "The network reads 10 random symbols, then blanks for T steps; a delimiter says *now write them "
            "back*, in order (Arjovsky et al. 2016). The hardest of the three: even the gated cells need thousands "
            "of steps, so watch which loss leaves the baseline rather than wait for a ✓.",
    "temporal_order": "A long string of distractors a–d holds two X-or-Y symbols, one early and one in the "
                      "middle; the answer is their order: XX, XY, YX or YY (Hochreiter & Schmidhuber 1997).",
}

HELP = {
    "task": "adding: sum the two marked values. copy: write back 10 symbols after T blanks. temporal_order: "
            "tell the order of two X/Y symbols hidden among distractors.",
    "T": "How far back the network must remember: the sequence length (copy memory: the delay between "
         "reading and writing). Longer is harder for every cell, and hopeless for the RNN first.",
    "cells": "Train this cell (the three train side by side, one thread each).",
    "steps": "The most training steps each cell gets (a new batch of 128 sequences each). A cell stops early "
             "once it is solved.",
    "opt": "adam: scales each weight's step by its own gradient history (robust). sgd: plain gradient "
           "descent, where an exploding gradient throws the weights far: try it with clipping off.",
    "lr": "The step size. 0.01 suits Adam here; plain SGD needs larger ones, and very large ones explode.",
    "clip": "If ‖∇θ L‖ is larger than this, the whole gradient is scaled down to it (Pascanu et al. 2013). "
            "0 turns clipping off.",
    "fb": "The LSTM's forget-gate bias at the start: σ(b_f) is how much of c_t a unit keeps per step before "
          "it has learnt anything. +1 is the usual advice (Gers et al. 2000; Jozefowicz et al. 2015).",
    "match": "Off: every cell has 64 hidden units (the LSTM then has 4× the RNN's weights). On: the RNN and "
             "GRU get more units, so all three have about the LSTM's number of weights.",
    "seed": "Seeds the weights and every batch: the same settings and seed give the same run, step for step.",
}

WHAT_TO_SEE = (
    "**Read the maps** from right to left: the loss reads the last step (top row), and the colour says what "
    "share of its gradient reaches each earlier step (yellow: all of it; dark: a millionth or less). Where a "
    "cell's map is dark at the bottom, the early steps, where the marked values are, get no signal to learn "
    "from. Watch what training does to it: the gated cells' maps brighten as they learn; the RNN's stays dim, or "
    "swings to too bright (its loss spikes: the gradient explodes) and then goes dark for good, its tanh units "
    "saturated.")

SCOPE = (
    "Above the dashed line a step's gradient was scaled down to the threshold. A red ✕ is an explosion: a "
    "loss or gradient that overflowed, or a loss ten times above the start. That step is not taken: the "
    "last good weights come back and the learning rate halves.")

SWEEP = (
    "The same training at T = 10, 20, 50 and 100, each cell from scratch, all other settings from the "
    "sidebar. A square says ✓ and the step a cell was solved at, or ✗ and where its loss stayed as a share "
    "of the baseline. The parameter counts are in the row labels; turn on *Equal parameter counts* to give "
    "every cell about the LSTM's number of weights.")

EXPERIMENTS = [
    ("The RNN forgets at T = 50", {},
     "The defaults: within a few hundred steps the GRU and then the LSTM dive below the line; the RNN's loss "
     "stays on the baseline, and its map stays dark below the last few steps."),
    ("Short memory: T = 10", {"T": 10},
     "Ten steps are short enough for the RNN's gradient to arrive: now it learns too, if more slowly."),
    ("Explode: SGD, learning rate 1, no clipping", {"opt": "sgd", "lr": "1", "clip": 0.0, "steps": 300},
     "Plain gradient descent with a big step: losses shoot up (red ✕). Each time the run restores the last "
     "good weights and halves the learning rate, and goes on."),
    ("Clip it: the same, clipped at 1", {"opt": "sgd", "lr": "1", "clip": 1.0, "steps": 300},
     "The gradient's norm is capped at 1 (the clipping scope shows it biting at almost every step): the LSTM "
     "and GRU no longer blow up. Clipping bounds each step; it does not make a learning rate of 1 a good one."),
]

QUESTION = "At the settings in the sidebar, which cell will be solved first (in the fewest steps)?"
ANSWERS = ["the RNN", "the LSTM", "the GRU", "none of them, within the step budget"]
