"""The gradient lab's computation done the torch.nn way: the yardstick `make bench` divides the lab's time by.

What both sides do, for the RNN, the LSTM and the GRU at the lab's settings:
  shared set-up, the same code on both sides: the input (lab.make_input) and each cell's seeded, scaled
    weights (lab.make_cell);
  forward + backward, where they differ: the lab runs its NumPy forward and hand-written BPTT (no graph);
    the yardstick copies the weights into nn.RNNCell / nn.LSTMCell / nn.GRUCell (torch.nn.utils.skip_init:
    no throw-away random init), unrolls them in a Python loop with retain_grad() on every h_t (and c_t), and
    takes ONE autograd backward pass of L = Σ v·h_t (at the last or every step): the standard way to get the
    per-step ∂L/∂h_t, which the fused nn.RNN / LSTM / GRU cannot give (they do not expose h_t's total
    derivative, only the output's direct one);
  shared read-out, the same functions on both sides: per-step ‖∂L/∂h_t‖, per-unit magnitudes, ‖∂L/∂θ‖ and
    its clipping, eigen- and singular values of the recurrent matrix, the verdict, the RNN's bound, and the
    LSTM's ‖∂L/∂c_t‖ and forget-gate survival. nn.LSTMCell does not return its gates, so the yardstick
    recomputes the forget gates from the stored h_{t−1} in one batched product (the lab's forward keeps
    them): that is work torch must do to draw the same figure. With a loss at every step, both sides also
    take the last step's loss alone (`travel`, which the verdict reads): a second backward pass each.
    Not on the torch side: the lab's share of ∂L_T/∂W_hh from 10 or more steps back (far_share, one einsum
    over values its BPTT keeps; autograd would need a pass with h_{T−10} detached). The lab does that work
    and the yardstick does not, so the ratio, if anything, flatters the yardstick.
Nothing is cached between calls on either side. `check(cfg)` holds the yardstick's numbers against the lab's.
Shape legend: T time steps, B batch, I input size, H hidden units.
"""
from __future__ import annotations

import math

import numpy as np
import torch
from torch import nn

from rnnviz import flow
from rnnviz.topics.lab import compute as lab

MODULES = {"rnn": nn.RNNCell, "lstm": nn.LSTMCell, "gru": nn.GRUCell}


def torch_cell(cell) -> nn.Module:
    """nn.RNNCell / LSTMCell / GRUCell with exactly `cell`'s weights (same gate order, i f g o and r z n)."""
    kw = {"nonlinearity": cell.nonlinearity} if cell.kind == "rnn" else {}
    m = nn.utils.skip_init(MODULES[cell.kind], cell.input_size, cell.hidden_size, dtype=cell.weight_hh.dtype, **kw)
    with torch.no_grad():
        for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
            getattr(m, name).copy_(getattr(cell, name))
    return m


def analyse(kind: str, cfg: lab.LabConfig, x: torch.Tensor) -> lab.CellResult:
    """lab.analyse, with the forward and backward done by torch.nn cells and autograd."""
    cell = lab.make_cell(kind, cfg)
    m, (T, B, _), H = torch_cell(cell), x.shape, cell.hidden_size
    v = flow.readout_vector(H, cfg.seed, x.dtype)                                 # (H,)
    h = x.new_zeros(B, H)
    c, hs, cs = h.clone(), [], []
    for x_t in x.unbind(0):                                                      # x_t (B, I)
        if kind == "lstm":
            h, c = m(x_t, (h, c))
            c.retain_grad()
            cs.append(c)
        else:
            h = m(x_t, h)
        h.retain_grad()
        hs.append(h)
    h_all = torch.stack(hs)                                                      # (T, B, H)
    loss = (h_all @ v).sum() if cfg.loss == "every" else (hs[-1] @ v).sum()
    with np.errstate(over="ignore", invalid="ignore"):
        loss.backward(retain_graph=cfg.loss == "every")
        dh = torch.stack([h.grad for h in hs]).numpy()                           # (T, B, H) total ∂L/∂h_t
        dc = torch.stack([c.grad for c in cs]).numpy() if kind == "lstm" else None   # (T, B, H) ∂L/∂c_t
        norms = flow.step_norms(dh)
        if cfg.loss == "every":     # the last step's loss alone as well, which the verdict reads (after the
            last = torch.autograd.grad((hs[-1] @ v).sum(), hs)   # reads above: retained grads take this in too)
        travel = norms if cfg.loss == "last" else flow.step_norms(torch.stack(last).numpy())
        units = flow.unit_grad_magnitudes(dh)
        param_grads = {k: p.grad.numpy() for k, p in m.named_parameters()}
    eig, radius, sigma = flow.spectrum(flow.recurrent_matrix(cell))
    raw, clipped = flow.clip_norm(param_grads, cfg.clip or None)
    res = lab.CellResult(kind=kind, norms=norms, travel=travel, units=units, eig=eig, radius=radius, sigma_max=sigma,
                         verdict=flow.verdict(travel, flow.first_nonfinite(h_all)), grad_norm=raw, clipped_norm=clipped)
    if kind == "rnn":
        res.bound = flow.rnn_bound(sigma, T, math.sqrt(B), cfg.loss, flow.GAMMA[cell.nonlinearity])
    if kind == "lstm":
        with np.errstate(over="ignore", invalid="ignore"):
            res.c_norms = flow.step_norms(dc)
        with torch.no_grad():                                                    # f_t = σ(W_if x_t + b_if + W_hf h_{t−1} + b_hf)
            h_prev = torch.cat([h_all.new_zeros(1, B, H), h_all[:-1].detach()])  # (T, B, H)
            f = torch.sigmoid(x @ m.weight_ih[H:2 * H].T + h_prev @ m.weight_hh[H:2 * H].T
                              + m.bias_ih[H:2 * H] + m.bias_hh[H:2 * H])        # (T, B, H)
        res.survival = flow.forget_survival(f)
        res.forget_mean = float(f.mean())
    return res


def run(cfg: lab.LabConfig) -> dict[str, lab.CellResult]:
    """What lab.run(cfg) computes, the torch.nn way (the same set-up: one input, each cell's settings)."""
    x, _ = lab.make_input(cfg)
    xp = lab._cast(cfg, x)
    return {k: analyse(k, lab.relevant(cfg, k), xp) for k in MODULES}


def check(cfg: lab.LabConfig) -> float:
    """The largest relative difference between the lab's and the yardstick's per-step ‖∂L/∂h_t‖, ‖∂L/∂c_t‖
    and forget-gate survival (float64: expect ~1e-12): the two compute the same thing."""
    ours, theirs = lab.run(cfg).results, run(cfg)
    worst = 0.0
    for k, a in ours.items():
        b = theirs[k]
        for name in ("norms", "travel", "units", "c_norms", "survival"):
            p, q = getattr(a, name), getattr(b, name)
            if p is not None:
                worst = max(worst, float(np.max(np.abs(p - q) / np.maximum(np.abs(q), 1e-300))))
        worst = max(worst, abs(a.grad_norm - b.grad_norm) / b.grad_norm)
    return worst
