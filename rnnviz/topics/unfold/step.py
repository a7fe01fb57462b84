"""One step of an unfolded cell with its real numbers: each line of `cells.equations`, rebuilt from the
LaTeX the student reads.

Every symbol the LaTeX names (W_{if}, x_t, h_{t-1}, b_{hf}, r_t, ...) is looked up by that very name:
weight blocks from `cell.blocks()`, vectors from the trace. So the numbers under a symbol are the
numbers that symbol stands for in the code, and a test holds each line's pre-activation and value
against an independent recomputation and the trace.

Shape legend: I input size, H hidden units.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from rnnviz.topics.unfold.compute import Unfolded

# A symbol of the equations: a weight block, a bias, the input, the previous state, or an earlier line's value.
SYMBOL = re.compile(r"W_\{\w+\}|b_\{\w+\}|x_t|[hc]_\{t-1\}|[a-z]_t")
# In the with-numbers line a product W x is shown as the one vector it makes.
TERM = re.compile(r"W_\{\w+\} (?:x_t|h_\{t-1\})|" + SYMBOL.pattern)
PRE_LABEL = r"\text{pre-activation}"
ACTIVATION = re.compile(r"(\\sigma|\\tanh|\\mathrm\{relu\})\((.*)\)")
APPLY = {r"\sigma": lambda a: 1 / (1 + np.exp(-a)), r"\tanh": np.tanh, r"\mathrm{relu}": lambda a: np.maximum(a, 0)}


@dataclass
class Operand:
    symbol: str              # as the LaTeX writes it: "W_{if}", "x_t", "h_{t-1}", "b_{if}", "r_t"
    value: np.ndarray        # a weight block (H, I) or (H, H), or a vector (H,) / (I,)


@dataclass
class Line:
    name: str                # the line's name in cells.equations: "forget", "c", "hidden", ...
    symbol: str              # what it computes: "f" for f_t
    latex: str               # the line exactly as cells.equations writes it
    operands: list[Operand]  # every symbol of the right-hand side (inside the activation), in reading order
    between: list[str]       # the LaTeX around them: between[k] precedes operands[k], between[-1] follows the last
    activation: str | None   # r"\sigma", r"\tanh" or r"\mathrm{relu}" when the line is s_t = act(pre), else None
    pre: np.ndarray | None   # (H,) the activation's argument, recomputed from the blocks
    value: np.ndarray        # (H,) what the cell computed at this step, from the trace
    numbers: str             # LaTeX: the line, then the same line with every symbol replaced by its numbers
    clamped: tuple[int, float] | None = None   # (unit, what the cell computed) where an intervention overrode it


def symbols(u: Unfolded, t: int, done: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Every symbol's value at step t (1-based): blocks by their LaTeX names, x_t, h_{t-1}, c_{t-1}, and
    the values of the lines already computed at this step (`done`, by symbol: {"f": f_t, ...})."""
    h_prev, c_prev = u.previous(t)
    env = {"x_t": u.seq.x[t - 1], "h_{t-1}": h_prev, "c_{t-1}": c_prev}
    env.update({f"{name[0]}_{{{name[2:]}}}": block for name, block in u.blocks.items()})   # W_if → W_{if}
    env.update({f"{s}_t": v for s, v in done.items()})
    return env


def term_value(term: str, env: dict[str, np.ndarray]) -> np.ndarray:
    """A term of the with-numbers line: a product W_{..} v is the vector W v, any other symbol itself."""
    if " " in term:
        block, vector = term.split(" ")
        return env[block] @ env[vector]
    return env[term]


def pre_activation(u: Unfolded, symbol: str, env: dict[str, np.ndarray]) -> np.ndarray:
    """The argument of the activation, as the cell computes it (cells.Cell.unroll):
    W_i· x_t + b_i· + W_h· h_{t-1} + b_h·, except the GRU's candidate, whose reset gate multiplies the
    whole hidden part: W_in x_t + b_in + r_t ⊙ (W_hn h_{t-1} + b_hn)."""
    i, h = ("ih", "hh") if u.kind == "rnn" else (f"i{symbol}", f"h{symbol}")
    from_x = env[f"W_{{{i}}}"] @ env["x_t"] + env[f"b_{{{i}}}"]                     # (H,)
    from_h = env[f"W_{{{h}}}"] @ env["h_{t-1}"] + env[f"b_{{{h}}}"]                 # (H,)
    return from_x + (env["r_t"] * from_h if symbol == "n" else from_h)


def vector(v: np.ndarray) -> str:
    """A column of numbers, two decimals (−0.00 shows as 0.00)."""
    return r"\begin{pmatrix}" + r" \\ ".join(f"{x + 0.0:.2f}" for x in np.round(v, 2)) + r"\end{pmatrix}"


def labelled(v: np.ndarray, label: str) -> str:
    return rf"\underbrace{{{vector(v)}}}_{{{label}}}"


def step_view(u: Unfolded, t: int) -> list[Line]:
    """Every equation line of the cell at step t (1-based), in the order the cell computes them."""
    if not 1 <= t <= u.T:
        raise ValueError(f"step t must be between 1 and T = {u.T}; got {t}")
    lines, done = [], {}
    for name, latex in u.equations:
        symbol, rhs = re.fullmatch(r"([a-z])_t = (.*)", latex).groups()
        env = symbols(u, t, done)
        act = ACTIVATION.fullmatch(rhs)
        inner = act.group(2) if act else rhs
        value = u.value(name, t)
        pre = pre_activation(u, symbol, env) if act else None
        found = list(SYMBOL.finditer(inner))
        between = [inner[a.end() if a else 0:b.start()] for a, b in zip([None] + found[:-1], found)]
        between.append(inner[found[-1].end():])
        tall = rhs.replace("(", r"\left(").replace(")", r"\right)")     # brackets that grow around columns
        filled = TERM.sub(lambda m: labelled(term_value(m.group(0), env), m.group(0)), tall)
        rows = [rf"{symbol}_t &= {rhs}", rf"&= {filled}"]
        if act:
            rows.append(rf"&= {act.group(1)}\left({labelled(pre, PRE_LABEL)}\right)")
        rows.append(rf"&= {labelled(value, f'{symbol}_t')}")
        lines.append(Line(name=name, symbol=symbol, latex=latex, activation=act.group(1) if act else None,
                          operands=[Operand(m.group(0), env[m.group(0)]) for m in found], between=between,
                          pre=pre, value=value,
                          numbers=r"\begin{aligned}" + r" \\[4pt] ".join(rows) + r"\end{aligned}"))
        if u.clamp and u.clamp.gate == name and u.clamp.step == t - 1:    # the intervention, at this step
            lines[-1].clamped = (u.clamp.unit + 1, float(APPLY[act.group(1)](pre)[u.clamp.unit]))
        done[symbol] = value
    return lines
