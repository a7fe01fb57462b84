"""The gradient lab's computation: one configuration in, everything the page draws out.

The same input runs through an RNN, an LSTM and a GRU built from the same seed; for each we take
‖∂L/∂h_t‖ per step (one backward pass), per-unit magnitudes, the spectrum of the recurrent matrix, the
Pascanu et al. bound for the RNN, the LSTM's ‖∂L/∂c_t‖ and forget-gate survival, the effect of
clipping, and a verdict. With a loss at every step, ‖∂L/∂h_t‖ also holds each step's own fresh loss,
which hides the decay; so every cell also gets the curve of the last step's loss alone (`travel`), and
the verdict reads that one: how a gradient fades as it travels back, whatever the loss. The default arithmetic is float64: in float32 (what training uses) a vanished
gradient underflows to 0 near 1e-38 (a default tanh RNN gets there by T≈300) and an exploding one
overflows to inf near 3e38; `precision="float32"` shows exactly that.

Shape legend: T time steps, B batch, I input size, H hidden units.
"""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field, replace

import numpy as np
import torch

from rnnviz import bptt, cells, flow, forward

INPUT_SIZE = 8
BATCH = 8                       # sequences per input: the curves are Frobenius norms over them
MAX_TEXT = 300                  # the longest typed sentence the lab reads (one step per character)
INITS = ("default", "orthogonal", "identity", "xavier")
PRECISIONS = {"float64": torch.float64, "float32": torch.float32}
INPUTS = ("random", "zeros", "sine", "text")
DEFAULT_TEXT = "the cat that the dog chased ran away"
FAR = 10                        # "far back": k ≥ FAR steps before the last step (far_share)


@dataclass(frozen=True)
class LabConfig:
    T: int = 100                 # sequence length (ignored for typed text: one step per character)
    H: int = 32                  # hidden units
    scale: float = 1.0           # multiply W_hh by this ("multiply") or set its spectral radius to it ("radius")
    scale_mode: str = "multiply"
    nonlinearity: str = "tanh"   # the RNN's φ
    init: str = "default"        # how W_hh is initialised, before scaling
    forget_bias: float = 1.0     # the LSTM's b_f = b_if + b_hf. PyTorch's default draws both near 0, so
                                 # f = σ(b_f + ...) rests near σ(0) = 0.5 and the cell state halves every
                                 # step; practitioners set b_f = 1 (Jozefowicz et al. 2015; Keras's
                                 # unit_forget_bias and TensorFlow's forget_bias=1.0 by default)
    input: str = "random"
    text: str = DEFAULT_TEXT
    loss: str = "last"           # a loss at the "last" step only, or at "every" step
    clip: float = 0.0            # gradient-norm clipping threshold; 0 is off
    seed: int = 0
    precision: str = "float64"   # or "float32": where underflow to 0 and overflow to inf happen


@dataclass
class CellResult:
    kind: str
    norms: np.ndarray                 # (T,) ‖∂L/∂h_t‖ for the configured loss
    travel: np.ndarray                # (T,) ‖∂L_T/∂h_t‖: the last step's loss alone (= norms for loss "last")
    units: np.ndarray                 # (T, H) per-unit RMS over the batch of ∂L/∂h_t
    verdict: flow.Verdict
    eig: np.ndarray                   # eigenvalues of the recurrent matrix (complex)
    radius: float                     # spectral radius ρ
    sigma_max: float                  # largest singular value σ_max
    grad_norm: float                  # ‖∂L/∂θ‖ before clipping
    clipped_norm: float               # after clipping (equal when clipping is off)
    bound: np.ndarray | None = None   # (T,) the RNN's theoretical upper bound on ‖∂L/∂h_t‖
    c_norms: np.ndarray | None = None  # (T,) LSTM ‖∂L/∂c_t‖
    survival: np.ndarray | None = None  # (T,) LSTM mean Π_{s>t} f_s
    forget_mean: float | None = None  # LSTM mean forget gate value
    update_mean: float | None = None  # GRU mean update gate z: the gain of its direct path h_{t−1} → h_t
    far_share: float | None = None    # ‖part of ∂L_T/∂W_hh from steps ≥ FAR back‖ / ‖∂L_T/∂W_hh‖ (None if T ≤ FAR)
    mean_slope: float | None = None   # RNN: mean φ'(a_t) over steps, batch and units (1 − h² for tanh,
                                      # the share of active units for relu, 1 for linear): what the bound's γ = 1 ignores


@dataclass
class LabResult:
    config: LabConfig
    T: int
    results: dict[str, CellResult]
    messages: list[str] = field(default_factory=list)   # what the student should know about their input


def encode_text(text: str, seed: int = 0) -> tuple[torch.Tensor, list[str]]:
    """Characters → (T, 1, I): each character code gets a fixed random vector (a tiny embedding table,
    seeded, shared by every session). Returns the input and messages about anything cut or mapped."""
    messages = []
    if len(text) > MAX_TEXT:
        messages.append(f"The lab reads at most {MAX_TEXT} characters; it used the first {MAX_TEXT} "
                        f"of your {len(text):,}.")
        text = text[:MAX_TEXT]
    codes = [min(ord(ch), 256) for ch in text]            # everything past Latin-1 shares one vector
    if any(c == 256 for c in codes):
        messages.append(f"{sum(c == 256 for c in codes)} character(s) outside Latin-1 share one "
                        "'unknown' input vector.")
    table = torch.randn(257, INPUT_SIZE, generator=torch.Generator().manual_seed(1000 + seed),
                        dtype=torch.float64)
    return table[torch.tensor(codes)].unsqueeze(1), messages   # (T, 1, I)


def make_input(cfg: LabConfig) -> tuple[torch.Tensor, list[str]]:
    """The input every cell reads: (T, B, I), float64, from its own seeded generator."""
    gen = torch.Generator().manual_seed(int(cfg.seed))
    T = int(cfg.T)
    if cfg.input == "text":
        text = cfg.text.strip()
        if len(text) < 2:
            x, msgs = encode_text(DEFAULT_TEXT, cfg.seed)
            return x, ["Type a sentence of at least 2 characters; showing the example sentence "
                       f"“{DEFAULT_TEXT}” meanwhile."] + msgs
        return encode_text(text, cfg.seed)
    if cfg.input == "zeros":
        return torch.zeros(T, BATCH, INPUT_SIZE, dtype=torch.float64), []
    if cfg.input == "sine":
        t = torch.arange(T, dtype=torch.float64)[:, None, None]             # (T, 1, 1)
        freq = torch.linspace(0.05, 0.4, INPUT_SIZE, dtype=torch.float64)    # (I,)
        phase = torch.rand(1, BATCH, 1, generator=gen, dtype=torch.float64) * 2 * math.pi
        return torch.sin(2 * math.pi * freq * t + phase), []                 # (T, B, I)
    if cfg.input != "random":
        raise ValueError(f"unknown input {cfg.input!r}; choose one of {INPUTS}")
    return torch.randn(T, BATCH, INPUT_SIZE, generator=gen, dtype=torch.float64), []


def _init_block(w: torch.Tensor, how: str, gen: torch.Generator) -> None:
    """Re-initialise one H×H recurrent block in place (PyTorch's default is already there)."""
    n = w.shape[0]
    if how == "orthogonal":        # a random rotation: every singular value is exactly 1 (Saxe et al. 2014)
        q, r = torch.linalg.qr(torch.randn(n, n, generator=gen, dtype=w.dtype))
        w.copy_(q * torch.sign(torch.diagonal(r)))
    elif how == "identity":        # the IRNN of Le, Jaitly & Hinton (2015): start by copying h_{t-1}
        w.copy_(torch.eye(n, dtype=w.dtype))
    elif how == "xavier":          # Glorot & Bengio (2010): U(±√(6/(fan_in+fan_out)))
        a = math.sqrt(6.0 / (2 * n))
        w.uniform_(-a, a, generator=gen)


def make_cell(kind: str, cfg: LabConfig, layer: int = 0) -> cells.Cell:
    """A cell from the config's seed, its recurrent blocks initialised and scaled (in float64), then
    cast to the config's precision. `layer` > 0: a layer of a stack (depth.py), reading H inputs, own seeds."""
    if cfg.init not in INITS:
        raise ValueError(f"unknown initialisation {cfg.init!r}; choose one of {INITS}")
    size = INPUT_SIZE if layer == 0 else int(cfg.H)
    cell = cells.build(kind, size, int(cfg.H), seed=cfg.seed + layer, dtype=torch.float64,
                       nonlinearity=cfg.nonlinearity if kind == "rnn" else "tanh")
    gen = torch.Generator().manual_seed(int(cfg.seed) + 1 + 1000 * layer)
    H = cell.hidden_size
    with torch.no_grad():
        if cfg.init == "xavier":   # Xavier applies to the input weights too
            a = math.sqrt(6.0 / (size + H))
            cell.weight_ih.uniform_(-a, a, generator=gen)
        for k in range(cell.n_blocks):
            block = cell.weight_hh[k * H:(k + 1) * H]                       # (H, H), a view
            _init_block(block, cfg.init, gen)
            if cfg.scale_mode == "radius":   # set this block's spectral radius to `scale`
                rho = float(torch.linalg.eigvals(block).abs().max())
                block.mul_(cfg.scale / rho if rho > 0 else 0.0)
            elif cfg.scale_mode == "multiply":
                block.mul_(cfg.scale)
            else:
                raise ValueError(f"unknown scale_mode {cfg.scale_mode!r}; choose 'multiply' or 'radius'")
        if kind == "lstm":         # forget gate rows are block 1 (gate order i, f, g, o)
            cell.bias_ih[H:2 * H] = cfg.forget_bias
            cell.bias_hh[H:2 * H] = 0.0
    return cell if cfg.precision == "float64" else cell.to(PRECISIONS[cfg.precision])


def analyse(kind: str, cfg: LabConfig, x: torch.Tensor) -> CellResult:
    """One cell through the lab: one forward pass, one backward pass, then the numbers."""
    cell, (eig, radius, sigma) = weights(kind, cfg)
    T, B, _ = x.shape
    v = flow.readout_vector(cell.hidden_size, cfg.seed, x.dtype)                # L = Σ v·h_t (see flow.linear_readout)
    with torch.inference_mode(), np.errstate(over="ignore", invalid="ignore"):
        trace = forward.unroll(cell, x)                                  # forward on NumPy, no graph
        back = bptt.backward(cell, trace, flow.readout_local_grads(v, T, B, cfg.loss))   # BPTT by hand
        dh = back.dh.numpy()
        norms = flow.step_norms(dh)
        last = back if cfg.loss == "last" else bptt.backward(cell, trace, flow.readout_local_grads(v, T, B, "last"))
        travel = norms if last is back else flow.step_norms(last.dh.numpy())   # the last step's loss alone
        far = far_share_of(last, FAR)
        units = flow.unit_grad_magnitudes(dh)
        param_grads = {k: g.numpy() for k, g in back.param_grads(x).items()}
    raw, clipped = flow.clip_norm(param_grads, cfg.clip or None)
    res = CellResult(kind=kind, norms=norms, travel=travel, units=units, eig=eig, radius=radius, sigma_max=sigma,
                     verdict=flow.verdict(travel, flow.first_nonfinite(trace.h)),
                     grad_norm=raw, clipped_norm=clipped, far_share=far)
    if kind == "rnn":
        h = trace.h.detach()
        with np.errstate(over="ignore", invalid="ignore"):
            slope = {"tanh": 1 - h * h, "relu": (trace.pre.detach() > 0).to(h.dtype),
                     "linear": torch.ones_like(h)}[cell.nonlinearity]
            res.mean_slope = float(slope.mean())
        local = math.sqrt(B)               # ‖ℓ_t‖ = ‖v‖·√B = √B for the linear readout
        res.bound = flow.rnn_bound(sigma, T, local, cfg.loss, flow.GAMMA[cell.nonlinearity])
    if kind == "lstm":
        with np.errstate(over="ignore", invalid="ignore"):
            res.c_norms = flow.step_norms(back.dc.numpy())
        f = trace.gates["forget"]
        res.survival = flow.forget_survival(f)
        res.forget_mean = float(f.detach().mean())
    if kind == "gru":
        res.update_mean = float(trace.gates["update"].detach().mean())
    return res


def far_share(shares: np.ndarray, far: int = FAR) -> float | None:
    """‖Σ_{t ≤ T−far} share_t‖ / ‖Σ_t share_t‖ for the per-step shares δz_t h_{t−1}^T (T, G*H, H) of
    ∂L_T/∂W_hh: how much of what the last step's loss teaches the shared weights comes from steps at
    least `far` back. When the gradient vanishes, this is tiny: the loss says almost nothing about
    inputs that far back, even though the same weights were used there. None when T ≤ far."""
    T = len(shares)
    if T <= far:
        return None
    with np.errstate(over="ignore", invalid="ignore"):
        total = float(np.linalg.norm(shares.sum(axis=0)))
        part = float(np.linalg.norm(shares[:T - far].sum(axis=0)))
        return part / total if total > 0 and math.isfinite(total) else math.nan


def far_share_of(back: bptt.Backward, far: int = FAR) -> float | None:
    """far_share of the shares δz_t h_{t−1}^T of one backward pass, without building them: each sum over steps
    (and the batch) is one matrix product over its T·B rows, as bptt.Backward.param_grads sums them (the
    (T, G*H, H) tensor of shares took a fifth of the lab's run, for two sums)."""
    T = back.dz_h.shape[0]
    if T <= far:
        return None
    dz, h = (np.ascontiguousarray(a.numpy()).reshape(-1, a.shape[-1]) for a in (back.dz_h, back.h_prev))
    rows = (T - far) * back.dz_h.shape[1]                          # the steps t ≤ T − far, every example
    with np.errstate(over="ignore", invalid="ignore"):
        total = float(np.linalg.norm(dz.T @ h))
        part = float(np.linalg.norm(dz[:rows].T @ h[:rows]))
        return part / total if total > 0 and math.isfinite(total) else math.nan


# The settings each cell ignores: the RNN has no forget gate, the LSTM and GRU no choice of φ.
IGNORED = {"rnn": ("forget_bias",), "lstm": ("nonlinearity",), "gru": ("forget_bias", "nonlinearity")}


def relevant(cfg: LabConfig, kind: str) -> LabConfig:
    """`cfg` with the settings `kind` ignores put back to their defaults: a cache key that lets a
    forget-bias move recompute the LSTM alone."""
    return replace(cfg, **{name: getattr(LabConfig, name) for name in IGNORED[kind]})


# What a cell's weights do not depend on: the sequence (its length, kind, typed text) and what is done with
# the gradient (where the loss sits, clipping). A new T builds no new weights.
NOT_WEIGHTS = ("T", "input", "text", "loss", "clip")


def weights(kind: str, cfg: LabConfig) -> tuple[cells.Cell, tuple[np.ndarray, float, float]]:
    """The cell of `cfg` and the spectrum of its recurrent matrix (flow.spectrum), built once per weight
    setting: moving T (the slider a class moves most) reruns the cells on new inputs with the same weights,
    and the eigenvalues and the largest singular value were a tenth of each cell's run. The cell is only
    read (forward and backward passes by hand, without autograd), so one copy serves every run."""
    return _weights(kind, replace(cfg, **{name: getattr(LabConfig, name) for name in NOT_WEIGHTS}))


@functools.lru_cache(maxsize=12)       # worst entry (LSTM, H = 128, float64): 0.6 MB
def _weights(kind: str, cfg: LabConfig) -> tuple[cells.Cell, tuple[np.ndarray, float, float]]:
    cell = make_cell(kind, cfg)
    return cell, flow.spectrum(flow.recurrent_matrix(cell))


def _cast(cfg: LabConfig, x: torch.Tensor) -> torch.Tensor:
    if cfg.precision not in PRECISIONS:
        raise ValueError(f"unknown precision {cfg.precision!r}; choose one of {tuple(PRECISIONS)}")
    return x.to(PRECISIONS[cfg.precision])


def run_cell(cfg: LabConfig, kind: str) -> CellResult:
    """One cell of the lab, on the configuration's shared input."""
    return analyse(kind, cfg, _cast(cfg, make_input(cfg)[0]))


def run(cfg: LabConfig, kinds: tuple[str, ...] = cells.KINDS, cell_runner=None) -> LabResult:
    """Everything the gradient lab shows, for each cell kind, on one shared input.
    `cell_runner(cfg, kind)` may be a cached run_cell (the page passes one); by default every cell
    reads the one input made here."""
    x, messages = make_input(cfg)
    if cell_runner is None:
        xp = _cast(cfg, x)
        results = {k: analyse(k, relevant(cfg, k), xp) for k in kinds}
    else:
        results = {k: cell_runner(relevant(cfg, k), k) for k in kinds}
    return LabResult(config=cfg, T=x.shape[0], results=results, messages=messages)


def bound_gap(res: LabResult) -> tuple[float, float]:
    """(measured, bound): log10 of ‖∂L_T/∂h_1‖/‖∂L_T/∂h_T‖ for the RNN (the last step's loss, travelling
    T − 1 steps back) and of what the linear bound allows over those steps, (γ σ_max)^(T−1).
    Saturating tanh units keep the measured growth far below the bound (φ' < 1 where |a| is large)."""
    r = res.results["rnn"]
    gamma = flow.GAMMA[res.config.nonlinearity]
    with np.errstate(divide="ignore", invalid="ignore"):
        measured = float(np.log10(r.travel[0] / r.travel[-1]))
    bound = (res.T - 1) * math.log10(gamma * r.sigma_max) if r.sigma_max > 0 else -math.inf
    return measured, bound


@dataclass(frozen=True)
class LstmMemory:
    """What the LSTM's forget gates keep over the whole sequence (for the page's words)."""
    forget_mean: float        # mean forget gate f
    kept: float               # mean over units of Π_{s=2..T} f_s: the share of c_1 the forget gates pass to c_T
    ratio: float              # ‖∂L_T/∂h_1‖ / ‖∂L_T/∂h_T‖: what reaches h_1 of the last step's gradient
    steps: int                # T − 1


def lstm_memory(r: CellResult) -> LstmMemory:
    """The numbers behind "the cell-state path keeps its content": measured, never assumed."""
    return LstmMemory(forget_mean=float(r.forget_mean), kept=float(r.survival[0]),
                  ratio=float(r.travel[0] / r.travel[-1]) if r.travel[-1] else math.nan,
                  steps=len(r.travel) - 1)
