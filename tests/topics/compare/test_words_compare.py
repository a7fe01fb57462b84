"""Issue 20, GRU vs LSTM: what the page says about the two cells and the two shipped models, each held by a test
that computes it (docs/claims/lessons-c.md)."""
from __future__ import annotations

import math
import re

import numpy as np
import pytest
import torch
from kit.charts import chart_nodes

from rnnviz import cells, pretrained
from rnnviz.topics.compare import figures as figs
from rnnviz.shared.style import COLOR
from rnnviz.shared import charlm
from rnnviz.topics.compare import compute as compare
from rnnviz.topics.compare import words as text

F64 = torch.float64


@pytest.fixture(scope="module")
def models():
    return {k: pretrained.load(f"char_{k}")[0] for k in compare.KINDS}


@pytest.fixture(scope="module")
def metas():
    return {k: pretrained.meta(f"char_{k}") for k in compare.KINDS}


def read(models, passage=None, own=None):
    raw = own if own is not None else pretrained.meta("char_gru")["passages"][passage]
    return {k: charlm.read(m, charlm.prepare(m, raw).text) for k, m in models.items()}


# ----- Misleading: "sized to about the same number of parameters, so differences come from the cell" --------------

def test_one_run_says_what_one_run_can_and_cannot_show(metas):
    assert "differences come from the cell" not in text.INTRO and "trained once each" in text.INTRO
    g, l = metas["gru"], metas["lstm"]
    same = {k: v for k, v in g["hyper"].items() if k not in ("kind", "hidden_size")}
    assert same == {k: v for k, v in l["hyper"].items() if k not in ("kind", "hidden_size")}   # one recipe ...
    assert g["data"] == l["data"]                                                               # ... one data set
    said = text.one_run(metas)
    h = g["hyper"]
    passes = h["steps"] * h["batch"] * h["window"] / 4_779_985
    assert text.count(g["data"]["train"]) == 4_779_985 and round(passes) == 4
    for number in ("3,000 steps", "64 windows of 100", "about 4 passes", "from seed 0", "4,779,985"):
        assert number in said
    assert (g["metrics"]["val_bpc"], l["metrics"]["val_bpc"]) == (2.2391, 2.3493)              # the 2.24 / 2.35
    assert "2.24 (GRU) and 2.35 (LSTM)" in said and "1.94 and 2.11 on training text" in said
    assert "the GRU predicts better, by 0.11 bits" in said
    assert "7.7 min for the GRU, 9.7 for the LSTM" in said and "learning rate, 0.003" in said
    assert "another seed" in said and "train longer" in said
    assert abs(g["parameters"] - l["parameters"]) / l["parameters"] < 0.02                    # "about the same"


# ----- Smaller: the reset gate "decides what of the past the next step sees" --------------------------------------

def test_the_reset_gate_acts_inside_its_own_step():
    """Clamping r at step k changes h_k itself (the same step's candidate), and nothing before k."""
    cell = cells.build("gru", 3, 5, seed=0, dtype=F64)
    x = torch.randn(8, 1, 3, generator=torch.Generator().manual_seed(1), dtype=F64)
    free = cell.unroll(x).h
    k = 4
    shut = cell.unroll(x, clamps=tuple(cells.Clamp("reset", k, u, 0.0) for u in range(5))).h
    assert torch.equal(free[:k], shut[:k]) and (free[k] - shut[k]).abs().max() > 1e-3
    eq = dict(cells.equations("gru"))["new"]
    assert r"r_t \odot (W_{hn} h_{t-1} + b_{hn})" in eq
    for words in (text.COLOURS, compare.PAIRS["reset"].note, text.GRU_CONVENTION):
        assert "same step" in words and "next step sees" not in words


def test_the_reset_gate_after_the_product_is_a_different_function_than_before_it():
    """GRU_CONVENTION: PyTorch's r_t ⊙ (W h + b) against the papers' W (r_t ⊙ h) + b, same numbers."""
    g = torch.Generator().manual_seed(0)
    W, h, b = torch.randn(4, 4, generator=g, dtype=F64), torch.randn(4, generator=g, dtype=F64), torch.randn(4, generator=g, dtype=F64)
    r = torch.rand(4, generator=g, dtype=F64)
    assert (r * (W @ h + b) - (W @ (r * h) + b)).abs().max() > 0.1


def test_z_is_the_share_of_the_old_state_kept():
    """PyTorch: h_t = (1 − z_t) ⊙ n_t + z_t ⊙ h_{t−1}; z = 1 keeps h, z = 0 takes the candidate n."""
    cell = cells.build("gru", 3, 5, seed=2, dtype=F64)
    x = torch.randn(6, 1, 3, generator=torch.Generator().manual_seed(3), dtype=F64)
    keep = cell.unroll(x, clamps=tuple(cells.Clamp("update", 3, u, 1.0) for u in range(5)))
    assert torch.allclose(keep.h[3], keep.h[2])
    take = cell.unroll(x, clamps=tuple(cells.Clamp("update", 3, u, 0.0) for u in range(5)))
    assert torch.allclose(take.h[3], take.gates["new"][3])
    assert r"h_t = (1 - z_t) \odot n_t + z_t \odot h_{t-1}" in dict(cells.equations("gru"))["hidden"]
    assert r"(1 - z_t) \\odot n_t + z_t \\odot h_{t-1}".replace("\\\\", "\\") in text.GRU_CONVENTION
    assert "*kept*" in text.GRU_CONVENTION and "*written*" in text.GRU_CONVENTION


# ----- Misleading: the two biases in H(I + H + 2) ------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["lstm", "gru"])
def test_only_the_sum_of_the_two_biases_matters_except_in_the_grus_candidate(kind):
    torch.manual_seed(0)
    net = {"lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[kind](3, 4).double()
    x = torch.randn(7, 2, 3, dtype=F64)
    before = net(x)[0]
    blocks = {"lstm": ("i", "f", "g", "o"), "gru": ("r", "z", "n")}[kind]
    for b, name in enumerate(blocks):
        moved = {"lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[kind](3, 4).double()
        moved.load_state_dict(net.state_dict())
        with torch.no_grad():
            shift = torch.randn(4, dtype=F64)
            moved.bias_ih_l0[4 * b:4 * (b + 1)] += shift             # the sum b_i + b_h unchanged
            moved.bias_hh_l0[4 * b:4 * (b + 1)] -= shift
        same = torch.allclose(moved(x)[0], before, atol=1e-12)
        assert same == (name != "n"), (kind, name)                   # the GRU's b_hn sits inside r ⊙ (…)
    assert "only their sum matters" in text.TWO_BIASES and "$b_{hn}$ sits inside" in text.TWO_BIASES


def test_the_budget_note_names_the_models_own_sizes(models):
    note = text.budget_note(74, {k: m.hidden_size for k, m in models.items()})
    assert "(296 vs 256)" in note and models["gru"].hidden_size == 296 and models["lstm"].hidden_size == 256
    counts = {k: sum(compare.parameter_count(k, m.hidden_size, m.vocab_size)) for k, m in models.items()}
    assert abs(counts["gru"] - counts["lstm"]) / counts["lstm"] < 0.02       # "about the same number"


# ----- bits per character, defined where first shown -----------------------------------------------------------

def test_bits_per_character_is_the_mean_surprise_and_uniform_guessing_costs_log2_v(models, metas):
    V = models["gru"].vocab_size
    assert V == 74 and f"{math.log2(V):.2f}" == "6.21" == f"{metas['gru']['metrics']['uniform_bpc']:.2f}"
    assert "$\\log_2 74 = 6.21$" in charlm.bpc_definition(V)
    r = read(models, own="To be, or not to be.")["lstm"]
    p = r.probs[np.arange(len(r.ids) - 1), r.ids[1:]]
    assert r.bpc == pytest.approx(float(np.mean(-np.log2(p))))
    assert "277,374 held-out characters" in text.validation_note(metas["gru"])


# ----- the colours the caption names ------------------------------------------------------------------------------

def test_the_colours_named_are_the_colours_drawn(models):
    r = read(models, own="HAMLET.\nWho's there?\n")
    bars = figs.class_bars({k: compare.by_class(v, figs.CLASS_GATES[k]) for k, v in r.items()})
    colour = {tr.name: tr.marker.color for tr in bars.data}
    assert colour[figs.label("update")] == colour[figs.label("forget")] == COLOR["forget"] == "#E69F00"   # orange
    assert colour[figs.label("1-update")] == colour[figs.label("input")] == "#56B4E9"                     # sky blue
    assert colour[figs.label("reset")] == "#F0E442" and colour[figs.label("output")] == "#0072B2"         # yellow, dark blue


# ----- "What to try" notes, against the shipped models -------------------------------------------------------------

def test_the_witches_note(models):
    passage = "Macbeth: the witches"
    assert text.PRESETS[0][1] == {"passage": passage}
    raw = pretrained.meta("char_gru")["passages"][passage]
    names = list(re.finditer(r"\n\n([A-Z]+) WITCH\.\n", raw))
    assert len(names) == 7                                                        # "even the seventh"
    for kind, r in read(models, passage).items():
        s = r.surprisal                                     # s[k − 1]: the surprise at character k (0-based)
        for m in re.finditer(r"\n\n([A-Z ]+)\.\n", raw):                          # every speaker's name
            assert 3.4 <= s[m.start(1) - 1] <= 5.1, (kind, m.group(1))              # its first letter
            assert s[m.end(1)] < 0.1                                                 # the line break after it
        for m in names:
            a, w = m.start(1), m.end(1) + 1                                          # the ordinal; the W
            assert max(s[m.end(1) - 3], s[m.end(1) - 2]) < 0.5                       # its last two letters
            assert 6 <= s[w - 1] <= 9, (kind, m.group(1))                            # the W of WITCH
    assert "about 4 bits (3.4 to 5.1)" in text.PRESETS[0][2] and "6–9 bits" in text.PRESETS[0][2]


def test_the_who_keeps_the_most_note(models):
    assert text.PRESETS[1][1] == {"pair": "keep", "order": "mean"}               # on the opening passage
    r = read(models, text.FIRST)
    z, f = r["gru"].gates["update"].mean(0), r["lstm"].gates["forget"].mean(0)
    assert (z < 0.1).mean() > 0.5                                                    # most GRU units: z < 0.1
    assert f.min() > 1 / 6                                                           # every LSTM unit: f > 1/6
    for kind, gate in (("gru", "update"), ("lstm", "forget")):
        per = compare.by_class(r[kind], (gate,))[gate]
        assert min(per, key=per.get) == "new line", (kind, per)                     # both keep least at ↵


def test_the_name_it_never_saw_note(models):
    label, controls, note = text.PRESETS[3]
    own = controls["text"]
    for kind, r in read(models, own=own).items():
        bits = [float(r.surprisal[m.start() - 1:m.start() + 4].sum()) for m in re.finditer("Frodo", own)]
        assert len(bits) == 3 and all(21 <= b <= 27 for b in bits), (kind, bits)
        assert min(bits[1:]) > 0.9 * bits[0], (kind, bits)                            # no easier the 2nd, 3rd time
    assert "21–27" in note


def test_the_states_note_reads_the_heatmaps_own_scale(models):
    """"c_t goes beyond ±1, both h_t stay inside": h_t never leaves (−1, 1) (GRU: a blend of tanh values and
    h_0 = 0; LSTM: o_t · tanh(c_t)); the note quotes the c_t heatmap's own colour bound, and a window where
    c_t stays inside ±1 is told so."""
    r = read(models, text.FIRST)
    assert np.abs(r["gru"].h).max() < 1 and np.abs(r["lstm"].h).max() < 1
    c = r["lstm"].c
    units = compare.pick_units(c, 24, "change")
    fig = figs.heatmap(c, r["lstm"].text, "cell state", 0, 40, units, "c")
    bound = fig.data[0].zmax
    assert bound == pytest.approx(np.abs(c[:40][:, units]).max()) and bound > 1
    assert f"reaches ±{bound:.2f}, beyond ±1, while both $h_t$ stay inside" in text.states_note(bound)
    assert "inside ±1 like both $h_t$" in text.states_note(0.8)


def test_the_page_quotes_the_drawn_scale(apptest):
    import json

    at = apptest("pages/5_GRU_vs_LSTM.py")
    for part in ("cmp_states", "cmp_validation", "cmp_models"):     # the lazy parts that say these
        at.session_state[part] = True
    at.run()
    spec = next(json.loads(e.spec) for e in chart_nodes(at) if e.id.endswith("state_lstm_c"))
    bound = spec["data"][0]["zmax"]
    assert any(f"reaches ±{bound:.2f}, beyond ±1" in m.value for m in at.markdown)
    assert any("**One run each.**" in m.value for m in at.markdown)
    assert any("Bits per character (bpc)" in c.value for c in at.caption)


def test_the_sentence_under_the_averaged_gates():
    """Issue 22: each model's gate averaged over units and text, with its range, as computed from the means."""
    means = {"gru": np.array([0.3, 0.1, 0.2]), "lstm": np.array([0.5, 0.7, 0.6])}
    said = text.gate_means_said(means, {"gru": "update gate z_t", "lstm": "forget gate f_t"})
    assert "the GRU's update gate z_t averages 0.20 (from 0.10 to 0.30" in said
    assert "the LSTM's forget gate f_t averages 0.60 (from 0.50 to 0.70" in said
    assert text.gate_means_said({}, {}) == "No reading to average."
