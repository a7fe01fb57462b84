"""The Unfolded-RNN lesson's core: input encoding and its messages, and the proof that every number the
step view shows (weight blocks, vectors, pre-activations, values, and the numbers typed into the LaTeX)
is the number the cell computed.

The references never call rnnviz.topics.unfold.step: weight blocks are sliced from torch.nn's layout by hand,
gates recomputed from the torch docs' equations, and each step replayed with torch.nn.*Cell.
Shape legend: T time, I input, H hidden.
"""
from __future__ import annotations

import json
import re

import numpy as np
import pytest
import torch
from torch import nn

from rnnviz import cells
from rnnviz.topics.unfold import compute as unfold
from rnnviz.topics.unfold import step as unfold_step
from rnnviz.topics.unfold import figures as figs

KINDS = ["rnn", "lstm", "gru"]
LETTERS = {"rnn": "h", "lstm": "ifgo", "gru": "rzn"}
CONFIGS = [unfold.UnfoldConfig(cell=k, H=H, input=inp, seed=s) for k in KINDS for H, inp, s in
           [(3, "text", 0), (5, "random", 3), (8, "numbers", 7)]]
LABEL = r"\{((?:[^{}]|\{[^{}]*\})*)\}"          # an underbrace's label: braces nest one level deep
sigmoid = lambda a: 1 / (1 + np.exp(-a))


# ----- encoding and parsing ------------------------------------------------------------------------------
def test_text_is_one_fixed_vector_per_character():
    seq = unfold.encode_text("Hello, hello!")
    assert seq.x.shape == (13, unfold.EMBED_DIM) and seq.labels == list("Hello, hello!") and not seq.messages
    np.testing.assert_array_equal(seq.x[0], seq.x[7])                      # "H" reads as "h"
    np.testing.assert_array_equal(seq.x[2], seq.x[3])                      # "l" == "l"
    assert not np.array_equal(seq.x[1], seq.x[2])
    np.testing.assert_array_equal(unfold.embedding_table(), unfold.embedding_table())   # fixed, seeded


def test_unknown_characters_share_one_symbol_and_are_counted():
    seq = unfold.encode_text("añb日本<")
    table = unfold.embedding_table()
    for k in (1, 3, 4, 5):
        np.testing.assert_array_equal(seq.x[k], table[-1])
    assert len(seq.messages) == 1 and seq.messages[0].startswith("4 character(s)")
    assert all(f"“{ch}”" in seq.messages[0] for ch in "ñ日本<")


@pytest.mark.parametrize("text", ["", "a"])
def test_too_short_text_falls_back_with_a_message(text):
    seq = unfold.encode_text(text)
    assert seq.labels == list(unfold.DEFAULT_TEXT)
    assert "at least 2 characters" in seq.messages[0]


def test_huge_text_is_cut_at_the_stated_limit():
    seq = unfold.encode_text("ab" * 5000)
    assert seq.x.shape[0] == unfold.MAX_STEPS
    assert f"at most {unfold.MAX_STEPS} steps" in seq.messages[0] and "10,000" in seq.messages[0]


def test_numbers_parse_and_name_the_bad_token():
    assert unfold.parse_numbers("1, 0, 2, 5").x[:, 0].tolist() == [1, 0, 2, 5]
    assert unfold.parse_numbers(" 1 0;2,,  -3.5e0 ").x[:, 0].tolist() == [1, 0, 2, -3.5]
    seq = unfold.parse_numbers("1, x, 3")
    assert seq.x[:, 0].tolist() == [1, 3] and seq.labels == ["1", "3"]
    assert seq.messages == ["Item 2, “x”, is not a number: it was left out."]
    seq = unfold.parse_numbers("nan, 2, inf, 1e999, 7")
    assert seq.x[:, 0].tolist() == [2, 7] and len(seq.messages) == 3
    assert "Item 1, “nan”, is not a finite number" in seq.messages[0]
    seq = unfold.parse_numbers("1, 5000")
    assert seq.x[:, 0].tolist() == [1, 100] and "clipped to 100" in seq.messages[0]


@pytest.mark.parametrize("typed", ["", "x", "5", "a, b, c"])
def test_too_few_numbers_fall_back(typed):
    seq = unfold.parse_numbers(typed)
    assert seq.x[:, 0].tolist() == [1, 0, 2, 5]
    assert "at least 2 numbers" in seq.messages[-1]


def test_long_number_lists_are_cut():
    seq = unfold.parse_numbers(", ".join(["1"] * 100))
    assert seq.x.shape == (unfold.MAX_STEPS, 1) and "first 40 of your 100" in seq.messages[0]


@pytest.mark.parametrize("kind", ["sine", "steps", "random"])
def test_generated_sequences(kind):
    seq = unfold.generated(kind, 12, seed=0)
    assert seq.x.shape == (12, 1) and len(seq.labels) == 12
    assert unfold.generated(kind, 1000, 0).x.shape[0] == unfold.MAX_STEPS
    if kind == "steps":
        assert seq.x[:, 0].tolist() == [0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0]
    if kind == "random":
        assert not np.array_equal(seq.x, unfold.generated(kind, 12, seed=1).x)


# ----- the run equals torch.nn -------------------------------------------------------------------------
@pytest.mark.parametrize("cfg", CONFIGS, ids=lambda c: f"{c.cell}-H{c.H}-{c.input}")
def test_run_equals_torch_nn(cfg):
    u = unfold.run(cfg)
    module = unfold.make_cell(cfg, u.I).to_torch()
    with torch.no_grad():
        out = module(torch.from_numpy(u.seq.x).unsqueeze(1))
    np.testing.assert_allclose(u.h, out[0][:, 0].numpy(), rtol=0, atol=1e-12)
    if cfg.cell == "lstm":
        np.testing.assert_allclose(u.c[-1], out[1][1][0, 0].numpy(), rtol=0, atol=1e-12)


def test_the_parameter_count_does_not_depend_on_T():
    for kind, G in [("rnn", 1), ("lstm", 4), ("gru", 3)]:
        counts = {unfold.parameter_formula(unfold.run(unfold.UnfoldConfig(cell=kind, input="sine", T=T, H=4)))
                  for T in (2, 17, 40)}
        assert counts == {(f"G·H·(I + H + 2) = {G}·4·(1 + 4 + 2)", G * 4 * 7)}


# ----- the step view: every number shown equals the trace ------------------------------------------------
def reference_blocks(module: nn.Module, kind: str, H: int) -> dict[str, np.ndarray]:
    """W_{if} etc. sliced by hand from torch.nn's weight_ih_l0 = (W_ii|W_if|W_ig|W_io) layout."""
    out = {}
    for k, s in enumerate(LETTERS[kind]):
        rows = slice(k * H, (k + 1) * H)
        i, h = ("ih", "hh") if kind == "rnn" else (f"i{s}", f"h{s}")
        for name, w in [(f"W_{{{i}}}", "weight_ih_l0"), (f"W_{{{h}}}", "weight_hh_l0"),
                        (f"b_{{{i}}}", "bias_ih_l0"), (f"b_{{{h}}}", "bias_hh_l0")]:
            out[name] = getattr(module, w)[rows].detach().numpy()
    return out


def reference_lines(W, kind, x, h, c):
    """{symbol: (pre-activation or None, value)} for one step, from the torch docs' equations."""
    a = lambda s: W[f"W_{{i{s}}}"] @ x + W[f"b_{{i{s}}}"] + W[f"W_{{h{s}}}"] @ h + W[f"b_{{h{s}}}"]
    if kind == "rnn":
        pre = W["W_{ih}"] @ x + W["b_{ih}"] + W["W_{hh}"] @ h + W["b_{hh}"]
        return {"h": (pre, np.tanh(pre))}
    if kind == "lstm":
        i, f, g, o = sigmoid(a("i")), sigmoid(a("f")), np.tanh(a("g")), sigmoid(a("o"))
        c_new = f * c + i * g
        return {"i": (a("i"), i), "f": (a("f"), f), "g": (a("g"), g), "o": (a("o"), o), "c": (None, c_new),
                "h": (None, o * np.tanh(c_new))}
    r, z = sigmoid(a("r")), sigmoid(a("z"))
    pre_n = W["W_{in}"] @ x + W["b_{in}"] + r * (W["W_{hn}"] @ h + W["b_{hn}"])
    n = np.tanh(pre_n)
    return {"r": (a("r"), r), "z": (a("z"), z), "n": (pre_n, n), "h": (None, (1 - z) * n + z * h)}


def torch_step(module, kind, x, h, c):
    """h_t (and c_t) from torch.nn's own cell, given x_t and the state the trace holds for t − 1."""
    cls = {"rnn": nn.RNNCell, "lstm": nn.LSTMCell, "gru": nn.GRUCell}[kind]
    step = cls(module.input_size, module.hidden_size).double()
    with torch.no_grad():
        for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
            getattr(step, name).copy_(getattr(module, f"{name}_l0"))
        t = lambda a: torch.from_numpy(np.asarray(a)).unsqueeze(0)
        out = step(t(x), (t(h), t(c)) if kind == "lstm" else t(h))
    return (out[0][0].numpy(), out[1][0].numpy()) if kind == "lstm" else (out[0].numpy(), None)


def shown_vectors(latex: str) -> dict[str, list[np.ndarray]]:
    """Every column of numbers typed into a with-numbers line, by the label under it."""
    found = re.findall(r"\\underbrace\{\\begin\{pmatrix\}(.*?)\\end\{pmatrix\}\}_" + LABEL, latex)
    out: dict[str, list[np.ndarray]] = {}
    for body, label in found:
        out.setdefault(label, []).append(np.array([float(v) for v in body.split(r" \\ ")]))
    return out


@pytest.mark.parametrize("cfg", CONFIGS, ids=lambda c: f"{c.cell}-H{c.H}-{c.input}")
def test_every_number_in_the_step_view_equals_the_trace(cfg):
    u = unfold.run(cfg)
    module = unfold.make_cell(cfg, u.I).to_torch()
    W = reference_blocks(module, cfg.cell, cfg.H)
    rng = np.random.default_rng(hash(cfg) % 2**32)
    for t in sorted({1, u.T, *rng.integers(1, u.T + 1, size=3).tolist()}):
        x = u.seq.x[t - 1]
        h_prev = np.zeros(cfg.H) if t == 1 else u.h[t - 2]
        c_prev = None if cfg.cell != "lstm" else (np.zeros(cfg.H) if t == 1 else u.c[t - 2])
        ref = reference_lines(W, cfg.cell, x, h_prev, c_prev)
        lines = unfold_step.step_view(u, t)
        assert [ln.symbol for ln in lines] == list(ref)
        assert [ln.latex for ln in lines] == [latex for _, latex in cells.equations(cfg.cell)]
        for ln in lines:
            where = f"{cfg.cell} line {ln.symbol} at t={t}"
            pre, value = ref[ln.symbol]
            np.testing.assert_allclose(ln.value, value, rtol=0, atol=1e-12, err_msg=where)
            np.testing.assert_array_equal(ln.value, u.value(ln.name, t))          # straight from the trace
            if pre is not None:
                np.testing.assert_allclose(ln.pre, pre, rtol=0, atol=1e-12, err_msg=where)
            for op in ln.operands:                                             # the heatmaps' contents
                expect = W.get(op.symbol)
                if expect is None:
                    expect = {"x_t": x, "h_{t-1}": h_prev, "c_{t-1}": c_prev}.get(op.symbol)
                if expect is None:                                             # an earlier line's value
                    expect = ref[op.symbol[0]][1]
                np.testing.assert_allclose(op.value, expect, rtol=0, atol=1e-12, err_msg=f"{where}: {op.symbol}")
            numbers = shown_vectors(ln.numbers)                                # what the LaTeX says
            np.testing.assert_allclose(numbers[f"{ln.symbol}_t"][-1], value, atol=0.005 + 1e-12, err_msg=where)
            if pre is not None:
                np.testing.assert_allclose(numbers[unfold_step.PRE_LABEL][0], pre, atol=0.005 + 1e-12)
            products = [label for label in numbers if " " in label]
            assert len(products) == (2 if ln.pre is not None else 0), (where, list(numbers))
            for label, vecs in numbers.items():
                if " " in label:                                               # a product W v
                    block, vec = label.split(" ")
                    expect = W[block] @ {"x_t": x, "h_{t-1}": h_prev}[vec]
                    np.testing.assert_allclose(vecs[0], expect, atol=0.005 + 1e-12, err_msg=f"{where}: {label}")
        h_t, c_t = torch_step(module, cfg.cell, x, h_prev, c_prev)             # torch.nn's own step
        np.testing.assert_allclose(lines[-1].value, h_t, rtol=0, atol=1e-12)
        if c_t is not None:
            np.testing.assert_allclose(next(ln for ln in lines if ln.name == "c").value, c_t, rtol=0, atol=1e-12)


def test_the_numbers_line_is_the_symbolic_line_filled_in():
    u = unfold.run(unfold.UnfoldConfig(cell="gru"))
    for ln in unfold_step.step_view(u, 2):
        assert ln.numbers.startswith(r"\begin{aligned}" + f"{ln.symbol}_t &= ")
        symbols = unfold_step.TERM.findall(ln.latex.split(" = ", 1)[1])
        labels = re.findall(r"\\end\{pmatrix\}\}_" + LABEL, ln.numbers)
        assert labels[:len(symbols)] == symbols                                # every symbol, in order
    with pytest.raises(ValueError, match="between 1 and T"):
        unfold_step.step_view(u, u.T + 1)


# ----- interventions ---------------------------------------------------------------------------------
@pytest.mark.parametrize("kind,gate,value", [("lstm", "forget", 0.0), ("lstm", "forget", 1.0),
                                              ("lstm", "input", 0.0), ("gru", "update", 1.0), ("gru", "reset", 0.0)])
def test_an_intervention_changes_only_steps_from_the_clamp_on(kind, gate, value):
    cfg = unfold.UnfoldConfig(cell=kind, H=4, text="the cat sat on the mat")
    for step in (1, 6, 22):
        iv = unfold.intervene(cfg, gate, step=step, unit=2, value=value)
        np.testing.assert_array_equal(iv.clamped.h[:step - 1], iv.original.h[:step - 1])   # exactly equal
        assert np.all(iv.dh[:step - 1] == 0)
        if gate == "forget" and step == 1:               # f_1 multiplies c_0 = 0: forcing it changes nothing
            assert iv.first_change is None and not iv.dh.any()
            continue
        assert iv.dh[step - 1] > 0 and iv.first_change == step
        if step < 22 and not (gate == "update" and value == 1.0):
            assert np.all(iv.dh[step:] > 0)                                     # every later state moves
        np.testing.assert_array_equal(iv.clamped.gates[gate][step - 1, 1], value)
        line = next(ln for ln in unfold_step.step_view(iv.clamped, step) if ln.name == gate)
        assert line.clamped[0] == 2 and line.value[1] == value
        act = np.tanh if gate == "new" else sigmoid
        assert line.clamped[1] == pytest.approx(act(line.pre[1]))              # what the cell would have said


def test_a_frozen_gru_unit_copies_its_state():
    """Update gate z = 1 for unit 3 at step 4: h_4 = h_3 for that unit, exactly."""
    iv = unfold.intervene(unfold.UnfoldConfig(cell="gru", H=4), "update", step=4, unit=3, value=1.0)
    assert iv.clamped.h[3, 2] == iv.clamped.h[2, 2]


def test_intervention_rejects_what_cannot_be_clamped():
    with pytest.raises(ValueError, match="no clampable gate"):
        unfold.intervene(unfold.UnfoldConfig(cell="rnn"), "forget", 1, 1, 0.0)
    with pytest.raises(ValueError, match="outside"):
        unfold.run(unfold.UnfoldConfig(cell="lstm"), cells.Clamp("forget", step=99, unit=0, value=0.0))


def test_the_first_input_reaches_every_later_state():
    for kind in KINDS:
        for cfg in (unfold.UnfoldConfig(cell=kind), unfold.UnfoldConfig(cell=kind, input="numbers")):
            reach = unfold.first_input_effect(cfg)
            assert reach.dh.shape == (unfold.run(cfg).T,) and np.all(reach.dh > 0), (kind, reach.dh)
            assert reach.answer == "all" and "first" in reach.change
    assert unfold.Reach("", np.array([0.3, 0.0, 0.0])).answer == "first"
    assert unfold.Reach("", np.array([0.3, 0.1, 0.0])).answer == "some"


# ----- figures draw the data, and escape what the student typed -------------------------------------------
def test_figures_escape_typed_text_and_show_the_trace():
    u = unfold.run(unfold.UnfoldConfig(cell="lstm", text="<b>hi</b> & <a href='x'>"))
    spec = json.dumps(figs.unrolled(u, 3).to_plotly_json(), ensure_ascii=False)
    assert "<b>hi" not in spec and "&lt;" in spec and "<a href" not in spec
    path = json.dumps(figs.state_path(u, 3).to_plotly_json(), ensure_ascii=False)
    assert "<b>h" not in path and "&lt;" in path
    line = unfold_step.step_view(u, 3)[1]                                   # the forget gate
    fig = figs.equation_line(line, 3)
    heat = [tr for tr in fig.data if tr.type == "heatmap"]
    assert len(heat) == len(line.operands) + 2                              # operands, pre-activation, value
    np.testing.assert_array_equal(np.asarray(heat[-1].z)[:, 0], line.value)
    np.testing.assert_array_equal(np.asarray(heat[0].z), u.blocks["W_if"])
