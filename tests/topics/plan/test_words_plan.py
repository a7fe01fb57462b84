"""Issue 20, the Lesson plan's sample plan: each note says what its view shows, computed here from the core the
page runs (docs/claims/lessons-c.md)."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import numpy as np
import torch

from rnnviz.topics.lab import compute as lab
from rnnviz.topics.memory import compute as memory
from rnnviz.shared import plan
from rnnviz.topics.unfold import compute as unfold


def steps() -> dict[str, tuple[dict, str]]:
    """{the step's link: (its query, what the bar says: its note and its question)} of the 20-minute plan."""
    out = {}
    for line in plan.SAMPLE.splitlines():
        if line and not line.startswith("#"):
            link = line.split("|")[0].strip()
            (step,), _ = plan.parse(line, plan.pages())
            out[link] = ({k: v[0] for k, v in parse_qs(urlsplit(link).query).items()}, f"{step.note} {step.predict}")
    return out


def test_the_state_jumps_at_the_5_and_forgets_it():
    (query, note), = [v for k, v in steps().items() if k.startswith("/Unfolded_RNN")]
    cfg = unfold.UnfoldConfig(input=query["input"], numbers=query["numbers"])
    zeros = unfold.UnfoldConfig(input="numbers", numbers=",".join(["0"] * 12))
    gap = np.linalg.norm(unfold.run(cfg).h - unfold.run(zeros).h, axis=1)      # (T,) against no 5 at all
    five = query["numbers"].split(",").index("5")
    assert np.all(gap[:five] == 0) and gap[five] > 1.0                          # the jump at the 5
    forgot = five + int(np.argmax(gap[five:] < 0.01 * gap[five]))
    assert forgot - five <= 5 and np.all(gap[forgot:] < 0.01 * gap[five])        # gone within a few steps
    assert "jump at the 5" in note and "forget it within a few steps?" in note         # asked, then shown


def test_scale_3_makes_the_recurrent_weights_3_times_larger():
    (query, note), = [v for k, v in steps().items() if "scale" in k]
    base, big = lab.LabConfig(), lab.LabConfig(scale=float(query["scale"]))
    assert big.scale_mode == "multiply"
    a, b = lab.make_cell("rnn", base), lab.make_cell("rnn", big)
    assert torch.allclose(b.weight_hh, 3 * a.weight_hh) and torch.equal(b.weight_ih, a.weight_ih)
    assert "recurrent weights W_hh are 3× larger" in note


def test_a_forget_bias_of_5_lets_more_of_the_lstms_gradient_reach_the_first_steps():
    (query, note), = [v for k, v in steps().items() if "forget_bias" in k]
    reach = {}
    for bias in (0.0, float(query["forget_bias"])):
        n = lab.run(lab.LabConfig(forget_bias=bias), kinds=("lstm",)).results["lstm"].norms
        reach[bias] = n[0] / n.max()
    assert reach[5.0] > 100 * reach[0.0]
    assert "more of its gradient reaches the first steps than at 0" in note


def test_the_memory_lab_opens_on_50_steps():
    (query, note), = [v for k, v in steps().items() if k.startswith("/Memory_lab")]
    assert not query and memory.Config().T == 50 and memory.TASKS[memory.Config().task].length(50) == 50
    assert "a sequence of 50 steps?" in note
