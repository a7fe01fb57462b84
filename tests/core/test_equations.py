"""The equations a student reads are the equations the code computes.

Each LaTeX line from `cells.equations` is translated mechanically into Python (W_{if} x_t becomes
x_t @ blocks["W_if"].T, \\sigma becomes sigmoid, ...) and evaluated with x_t, h_{t-1} and c_{t-1} taken
from a trace. The result must equal what the cell computed. So a label can never drift from the code:
torch's own docstring once named the wrong blocks, and nothing noticed.
"""
from __future__ import annotations

import itertools
import re

import pytest
import torch
from torch import nn

from rnnviz import cells

CASES = [("rnn", "tanh"), ("rnn", "relu"), ("rnn", "linear"), ("lstm", "tanh"), ("gru", "tanh")]
IDS = ["rnn-tanh", "rnn-relu", "rnn-linear", "lstm", "gru"]
# The torch.nn docs: which gates squash with σ and which with tanh.
DOC_ACTIVATION = {"i": r"\sigma", "f": r"\sigma", "g": r"\tanh", "o": r"\sigma",
                  "r": r"\sigma", "z": r"\sigma", "n": r"\tanh"}
BLOCK = re.compile(r"\b([Wb])_\{(\w+)\}")


def translate(rhs: str) -> str:
    """LaTeX right-hand side → a Python expression over blocks B, xt (x_t), h_prev, c_prev and earlier symbols."""
    py = rhs
    py = re.sub(r"W_\{(\w+)\} x_t", r'(xt @ B["W_\1"].T)', py)
    py = re.sub(r"W_\{(\w+)\} h_\{t-1\}", r'(h_prev @ B["W_\1"].T)', py)
    py = re.sub(r"b_\{(\w+)\}", r'B["b_\1"]', py)
    py = py.replace(r"\sigma", "sigmoid").replace(r"\tanh", "tanh").replace(r"\mathrm{relu}", "relu")
    py = py.replace(r"\odot", "*").replace("h_{t-1}", "h_prev").replace("c_{t-1}", "c_prev")
    py = re.sub(r"\b([a-z])_t\b", r"S_\1", py)                 # i_t → S_i, the value of an earlier line
    assert "\\" not in py and "{" not in py, f"untranslated LaTeX in {rhs!r} → {py!r}"
    return py


def make_cell(kind, nl, I=3, H=5, seed=0):
    cell = cells.build(kind, I, H, seed=seed, nonlinearity=nl, dtype=torch.float64)
    with torch.no_grad():                                       # larger weights: gates use their whole range
        for p in cell.parameters():
            p.mul_(3.0)
    return cell


def trace_of(cell, T=6, B=4, seed=1):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(T, B, cell.input_size, generator=g, dtype=torch.float64)
    h0 = 0.5 * torch.randn(B, cell.hidden_size, generator=g, dtype=torch.float64)
    c0 = torch.randn(B, cell.hidden_size, generator=g, dtype=torch.float64)
    with torch.no_grad():
        return x, cell.unroll(x, (h0, c0) if cell.kind == "lstm" else h0)


def split(line: str) -> tuple[str, str]:
    m = re.fullmatch(r"\s*([a-z])_t = (.*)", line)
    assert m, f"an equation line should read 's_t = ...'; got {line!r}"
    return m.group(1), m.group(2)


def expected_names(kind):
    return (("hidden",) if kind == "rnn" else cells.GATES[kind] + (("c",) if kind == "lstm" else ()) + ("hidden",))


@pytest.mark.parametrize("kind,nl", CASES, ids=IDS)
def test_every_symbol_names_a_block_and_every_block_is_named(kind, nl):
    cell = make_cell(kind, nl)
    lines = cell.equations()
    assert lines == cells.equations(kind, nl)
    assert tuple(name for name, _ in lines) == expected_names(kind)
    named = {f"{w}_{sub}" for _, latex in lines for w, sub in BLOCK.findall(latex)}
    assert named == set(cell.blocks())
    G, H = cell.n_blocks, cell.hidden_size
    assert sum(b.numel() for b in cell.blocks().values()) == cell.n_parameters() == G * H * (cell.input_size + H + 2)


@pytest.mark.parametrize("kind", ["lstm", "gru"])
def test_gate_lines_name_their_own_blocks_and_the_documented_activation(kind):
    cell = make_cell(kind, "tanh")
    for name, latex in cell.equations():
        if name not in cells.GATES[kind]:
            continue
        s, rhs = split(latex)
        assert s == cells.SYMBOLS[name]
        act = re.match(r"(\\sigma|\\tanh)\(", rhs)
        assert act and act.group(1) == DOC_ACTIVATION[s], latex
        assert {f"{w}_{sub}" for w, sub in BLOCK.findall(rhs)} == {f"W_i{s}", f"b_i{s}", f"W_h{s}", f"b_h{s}"}


def test_blocks_are_the_rows_torch_documents():
    """blocks()['W_if'] is rows H..2H of weight_ih, as torch.nn.LSTM's docs lay out (W_ii|W_if|W_ig|W_io)."""
    H = 4
    for kind, letters in [("lstm", "ifgo"), ("gru", "rzn")]:
        cell = make_cell(kind, "tanh", H=H)
        b = cell.blocks()
        for k, s in enumerate(letters):
            rows = slice(k * H, (k + 1) * H)
            assert torch.equal(b[f"W_i{s}"], cell.weight_ih[rows]) and torch.equal(b[f"W_h{s}"], cell.weight_hh[rows])
            assert torch.equal(b[f"b_i{s}"], cell.bias_ih[rows]) and torch.equal(b[f"b_h{s}"], cell.bias_hh[rows])
    rnn = make_cell("rnn", "tanh")
    assert set(rnn.blocks()) == {"W_ih", "W_hh", "b_ih", "b_hh"}
    assert torch.equal(rnn.blocks()["W_hh"], rnn.weight_hh)


@pytest.mark.parametrize("kind,nl", CASES, ids=IDS)
def test_each_line_recomputed_from_its_latex_equals_the_trace(kind, nl):
    cell = make_cell(kind, nl)
    x, tr = trace_of(cell)
    B = {k: v.detach() for k, v in cell.blocks().items()}
    fns = {"sigmoid": torch.sigmoid, "tanh": torch.tanh, "relu": torch.relu}
    programs = [(name, *split(latex)) for name, latex in cell.equations()]
    compiled = [(name, s, compile(translate(rhs), f"<{name}: {rhs}>", "eval"))
                for name, s, rhs in programs]
    assert compiled
    for t in range(x.shape[0]):
        env = {"B": B, "xt": x[t], **fns,
               "h_prev": tr.h0 if t == 0 else tr.h[t - 1],
               "c_prev": (tr.c0 if t == 0 else tr.c[t - 1]) if kind == "lstm" else None}
        for name, s, code in compiled:
            value = eval(code, {"__builtins__": {}}, env)            # noqa: S307 (our own translated LaTeX)
            env[f"S_{s}"] = value
            if name in cells.GATES[kind]:
                got = tr.gates[name][t]
            elif name == "c":
                got = tr.c[t]
            else:
                assert name == "hidden" and s == "h"
                got = tr.h[t]
            torch.testing.assert_close(value, got, rtol=0, atol=1e-12, msg=f"{kind} line {name!r} at t={t}")
    if kind == "rnn":                                                # the argument of φ is trace.pre
        pre_latex = re.search(r"\((W_\{ih\}.*)\)$", programs[0][2]).group(1)
        pre = eval(translate(pre_latex), {"__builtins__": {}}, {"B": B, "xt": x[0], "h_prev": tr.h0})
        torch.testing.assert_close(pre, tr.pre[0], rtol=0, atol=1e-12)


def test_a_wrong_label_would_be_caught():
    """The translation really depends on the labels: swapping two block names changes the numbers."""
    cell = make_cell("lstm", "tanh")
    x, tr = trace_of(cell)
    name, latex = cell.equations()[1]                               # the forget gate
    wrong = latex.replace("W_{if}", "W_{ig}")
    B = {k: v.detach() for k, v in cell.blocks().items()}
    env = {"B": B, "xt": x[0], "h_prev": tr.h0, "sigmoid": torch.sigmoid, "tanh": torch.tanh}
    right = eval(translate(split(latex)[1]), {"__builtins__": {}}, env)
    swapped = eval(translate(split(wrong)[1]), {"__builtins__": {}}, env)
    torch.testing.assert_close(right, tr.gates[name][0], rtol=0, atol=1e-12)
    assert (swapped - tr.gates[name][0]).abs().max() > 1e-3


# ----- the gate order torch really uses, found by experiment ------------------------------------
def _zero_weight_module(cls, H, seed):
    g = torch.Generator().manual_seed(seed)
    m = cls(1, H).double()
    with torch.no_grad():
        m.weight_ih_l0.zero_()
        m.weight_hh_l0.zero_()
        m.bias_ih_l0.copy_(2 * torch.randn(m.bias_ih_l0.shape, generator=g, dtype=torch.float64))
        m.bias_hh_l0.copy_(2 * torch.randn(m.bias_hh_l0.shape, generator=g, dtype=torch.float64))
    return m, g


def test_lstm_gate_order_is_torchs_chunk_order():
    """Which of torch's four blocks acts as i, f, g, o? Try all 24 assignments; exactly one fits."""
    H = 6
    m, g = _zero_weight_module(nn.LSTM, H, seed=3)
    h0 = torch.randn(1, 1, H, generator=g, dtype=torch.float64)
    c0 = torch.randn(1, 1, H, generator=g, dtype=torch.float64)
    with torch.no_grad():
        _, (h1, c1) = m(torch.zeros(1, 1, 1, dtype=torch.float64), (h0, c0))
        bias = (m.bias_ih_l0 + m.bias_hh_l0).chunk(4)                  # the only input to each gate
    fits = []
    for perm in itertools.permutations(range(4)):                       # perm[k]: the block playing role k
        i, f, gg, o = (bias[perm[0]].sigmoid(), bias[perm[1]].sigmoid(), bias[perm[2]].tanh(), bias[perm[3]].sigmoid())
        c = f * c0[0, 0] + i * gg
        if torch.allclose(c, c1[0, 0]) and torch.allclose(o * c.tanh(), h1[0, 0]):
            fits.append(perm)
    assert fits == [(0, 1, 2, 3)]
    assert cells.GATES["lstm"] == ("input", "forget", "cell", "output")
    assert tuple(cells.SYMBOLS[n] for n in cells.GATES["lstm"]) == cells.LETTERS["lstm"] == tuple("ifgo")
    # And the cell reads each gate from that block.
    with torch.no_grad():
        tr = cells.from_torch(m).unroll(torch.zeros(1, 1, 1, dtype=torch.float64), (h0[0], c0[0]))
    for k, name in enumerate(cells.GATES["lstm"]):
        act = torch.tanh if name == "cell" else torch.sigmoid
        torch.testing.assert_close(tr.gates[name][0, 0], act(bias[k]), rtol=0, atol=1e-12)


def test_gru_gate_order_is_torchs_chunk_order():
    """Which of torch's three blocks acts as r, z, n? Try all 6 assignments; exactly one fits."""
    H = 6
    m, g = _zero_weight_module(nn.GRU, H, seed=4)
    h0 = torch.randn(1, 1, H, generator=g, dtype=torch.float64)
    with torch.no_grad():
        _, h1 = m(torch.zeros(1, 1, 1, dtype=torch.float64), h0)
        b_i, b_h = m.bias_ih_l0.chunk(3), m.bias_hh_l0.chunk(3)
    fits = []
    for perm in itertools.permutations(range(3)):
        r = (b_i[perm[0]] + b_h[perm[0]]).sigmoid()
        z = (b_i[perm[1]] + b_h[perm[1]]).sigmoid()
        n = (b_i[perm[2]] + r * b_h[perm[2]]).tanh()
        if torch.allclose((1 - z) * n + z * h0[0, 0], h1[0, 0]):
            fits.append(perm)
    assert fits == [(0, 1, 2)]
    assert cells.GATES["gru"] == ("reset", "update", "new")
    assert tuple(cells.SYMBOLS[n] for n in cells.GATES["gru"]) == cells.LETTERS["gru"] == tuple("rzn")


def test_equations_reject_unknown_names():
    with pytest.raises(ValueError, match="unknown cell kind 'transformer'"):
        cells.equations("transformer")
    with pytest.raises(ValueError, match="unknown nonlinearity 'sigmoid'"):
        cells.equations("rnn", "sigmoid")
    assert cells.EQUATIONS == {k: cells.equations(k) for k in cells.KINDS}
