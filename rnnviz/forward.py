"""The cells' forward pass once more, on NumPy, for when no gradient graph is wanted (the gradient lab).

cells.Cell.unroll is the readable version and the one autograd differentiates. When nothing will be
differentiated (the lab runs its own backward, bptt.py), the same equations run here on NumPy views of
preallocated arrays: a NumPy call on a (B, H) operand costs about a third of a torch call, each step
writes straight into its row of the trace (nothing is stacked afterwards), and the gates are activated
in place in the buffer that held their pre-activations, laid out gate-major (T, G, B, H) so that every
call works on contiguous memory. Tests hold every tensor this returns equal to cells.Cell.unroll and
to torch.nn (1e-12 in float64).

One exception to "NumPy": σ and tanh run as torch's in-place kernels on tensor views of the same
memory (`sig_t.sigmoid_()`). They are the kernels torch.nn itself uses, and in float64 NumPy has
vectorised exp and tanh only on AVX-512 CPUs: on an AVX2 laptop its σ over three (8, 64) gate blocks
took 17 µs against torch's 6 µs, and σ and tanh were a quarter of the lab's forward pass.

Shape legend: T time steps, B batch, I input, H hidden, G gates (RNN 1, LSTM 4, GRU 3).
The equations are the ones in cells.py's docstring; each line below names the one it computes.
"""
from __future__ import annotations

import numpy as np
import torch
from torch import Tensor

from rnnviz.cells import GATES, Cell, Trace


def unroll(cell: Cell, x: Tensor, state=None) -> Trace:
    """cell.unroll(x, state) without a graph: the same Trace (h, c, gates, pre, saved), as tensors that
    share memory with the NumPy arrays the loop filled. Float32 and float64."""
    if cell.weight_hh.dtype not in (torch.float32, torch.float64):
        raise ValueError(f"the NumPy forward runs float32 or float64; got {cell.weight_hh.dtype}")
    with torch.no_grad():
        xw = cell.input_side(x)                                       # (T, B, G*H): W_ih x_t + b, every t
        state = cell.initial_state(x.shape[1]) if state is None else state
        cell._check_state(state, x.shape[1])
        with np.errstate(all="ignore"):                               # overflow → inf/NaN is the lab's answer
            if cell.kind == "lstm":
                return _lstm(cell, xw, *state)
            if cell.kind == "gru":
                return _gru(cell, xw, state)
            return _rnn(cell, xw, state)


def _empty(like: Tensor, *shape: int) -> tuple[Tensor, np.ndarray]:
    """A new (shape) tensor of like's dtype and its NumPy view: one memory, two ways to call on it."""
    t = torch.empty(shape, dtype=like.dtype)
    return t, t.numpy()


def _rnn(cell: Cell, xw: Tensor, h0: Tensor) -> Trace:
    z = xw.numpy()                                                    # (T, B, H), a fresh array: ours to overwrite
    W_t, (T, B, H) = cell.weight_hh.detach().numpy().T, z.shape       # W_hh^T, a view
    h_all, h_np = _empty(xw, T, B, H)
    step = np.empty((B, H), z.dtype)
    h = h0.detach().numpy()
    for a, a_t, h_np_t, h_t in zip(z, xw.unbind(0), h_np, h_all.unbind(0)):
        np.dot(h, W_t, out=step)
        a += step                                                     # a_t = W_ih x_t + b_ih + W_hh h_{t-1} + b_hh
        if cell.nonlinearity == "tanh":
            torch.tanh(a_t, out=h_t)                                  # h_t = φ(a_t)
        elif cell.nonlinearity == "relu":
            np.maximum(a, 0, out=h_np_t)
        else:
            h_np_t[...] = a
        h = h_np_t
    return Trace(h=h_all, c=None, pre=xw, h0=h0, h_steps=list(h_all.unbind(0)))


def _gate_blocks(cell: Cell, xw: Tensor, order: list[int]) -> tuple[Tensor, np.ndarray]:
    """The input side as (T, G, B, H), gate blocks in `order`, and W_hh's blocks as (G, H, H), each
    transposed: h @ W[k] = W_hk h. Gate-major, each gate's (B, H) rows at a step are contiguous, so
    every element-wise call below runs on contiguous memory (a strided one costs about twice as much)."""
    (T, B, _), G, H = xw.shape, cell.n_blocks, cell.hidden_size
    blocks = xw.view(T, B, G, H).permute(0, 2, 1, 3)[:, order]        # one copy, gate-major
    return blocks, cell.weight_hh.detach().view(G, H, H)[order].transpose(1, 2).numpy()


def _lstm(cell: Cell, xw: Tensor, h0: Tensor, c0: Tensor) -> Trace:
    (T, B, _), H = xw.shape, cell.hidden_size
    tz, W = _gate_blocks(cell, xw, [0, 1, 3, 2])                       # blocks i, f, o, g: the σ ones first
    buf = tz.numpy()                                                  # (T, 4, B, H), activated in place
    (h_all, h_np), (c_all, c_np), (tanh_c, tc_np) = (_empty(xw, T, B, H) for _ in range(3))
    step, ig = np.empty((4, B, H), buf.dtype), np.empty((B, H), buf.dtype)
    h, c = h0.detach().numpy(), c0.detach().numpy()
    per_step = zip(buf, tz[:, :3].unbind(0), tz[:, 3].unbind(0), c_all.unbind(0), tanh_c.unbind(0), c_np, tc_np, h_np)
    for b_t, sig_t, g_t, c_t, tc_t, c_np_t, tc_np_t, h_t in per_step:
        np.matmul(h, W, out=step)
        b_t += step                                                   # the four pre-activations
        sig_t.sigmoid_()                                              # i_t, f_t, o_t = σ(·)
        g_t.tanh_()                                                   # g_t = tanh(·)
        i, f, o, g = b_t
        np.multiply(f, c, out=c_np_t)
        np.multiply(i, g, out=ig)
        c_np_t += ig                                                  # c_t = f⊙c_{t-1} + i⊙g
        torch.tanh(c_t, out=tc_t)
        np.multiply(o, tc_np_t, out=h_t)                              # h_t = o⊙tanh(c_t)
        h, c = h_t, c_np_t
    gates = dict(zip(("input", "forget", "output", "cell"), tz.unbind(1)))
    return Trace(h=h_all, c=c_all, h0=h0, c0=c0, h_steps=list(h_all.unbind(0)), c_steps=list(c_all.unbind(0)),
                 gates={name: gates[name] for name in GATES["lstm"]}, saved={"tanh_c": tanh_c})


def _gru(cell: Cell, xw: Tensor, h0: Tensor) -> Trace:
    (T, B, _), H = xw.shape, cell.hidden_size
    tz, W = _gate_blocks(cell, xw, [0, 1, 2])                          # blocks r, z, n (b_hr, b_hz included)
    buf = tz.numpy()                                                  # (T, 3, B, H), activated in place
    b_hn = cell.bias_hh.detach().numpy()[2 * H:]
    (h_all, h_np), (hn_all, hn_np) = _empty(xw, T, B, H), _empty(xw, T, B, H)
    step, rh = np.empty((3, B, H), buf.dtype), np.empty((B, H), buf.dtype)
    h = h0.detach().numpy()
    per_step = zip(buf, tz[:, :2].unbind(0), tz[:, 2].unbind(0), hn_np, h_np)
    for b_t, sig_t, n_t, hn, h_t in per_step:
        np.matmul(h, W, out=step)                                     # W_hr h, W_hz h, W_hn h
        b_t[:2] += step[:2]
        sig_t.sigmoid_()                                              # r_t, z_t = σ(·)
        r, z, n = b_t
        np.add(step[2], b_hn, out=hn)                                 # W_hn h_{t-1} + b_hn
        np.multiply(r, hn, out=rh)
        n += rh
        n_t.tanh_()                                                   # n_t = tanh(W_in x_t + b_in + r⊙(W_hn h + b_hn))
        np.subtract(h, n, out=h_t)
        h_t *= z
        h_t += n                                                      # h_t = n + z⊙(h_{t-1} − n) = (1−z)⊙n + z⊙h_{t-1}
        h = h_t
    return Trace(h=h_all, c=None, h0=h0, h_steps=list(h_all.unbind(0)), saved={"hn": hn_all},
                 gates=dict(zip(GATES["gru"], tz.unbind(1))))
