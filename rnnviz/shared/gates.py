"""What the gate lessons' figures share: how a character is drawn, what each quantity is called, and
the colour scale of a gate (rnnviz.topics.lstm_inside.figures and rnnviz.topics.compare.figures draw with these).

Characters are drawn as visible symbols (a space as ␣, a newline as ↵, the unknown symbol as �).
"""
from __future__ import annotations

VISIBLE = {" ": "␣", "\n": "↵", "\x00": "�"}

# What each quantity is, for titles and colour bars; gates live in [0, 1] (tanh ones in [−1, 1]).
LABELS = {
    "input": "input gate i_t", "forget": "forget gate f_t", "cell": "candidate g_t", "output": "output gate o_t",
    "reset": "reset gate r_t", "update": "update gate z_t", "new": "candidate n_t",
    "cell state": "cell state c_t", "hidden": "hidden state h_t",
}
GATE_SCALE = [[0.0, "#0b1d3a"], [0.5, "#3f7fb5"], [1.0, "#f7e35b"]]  # dark → light: closed → open


def visible(ch: str) -> str:
    return VISIBLE.get(ch, ch)
