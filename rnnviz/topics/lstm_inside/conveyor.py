"""The LSTM's cell state as a conveyor belt, at one step and for one unit (the "LSTM inside" lesson):

    c_t = f_t ⊙ c_{t−1} + i_t ⊙ g_t        (what is kept + what is written)

`conveyor` draws that update with the real numbers from charlm.conveyor; `survival` draws how long what
the belt carries at step t lasts if nothing new is written: f_{t+1}·…·f_{t+k}.

Both are redrawn on every move of the page's stepper, so they are built from plain dicts (style.figure):
plotly's per-property checks would cost more than the numbers they show.
"""
from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go

from rnnviz.topics.lstm_inside.figures import char_label
from rnnviz.shared.style import COLOR, axis, base_layout, figure


def _box(x, y, text, color, **kw) -> dict:
    return dict(x=x, y=y, text=text, showarrow=False, bordercolor=color, borderwidth=2, borderpad=6,
                bgcolor="rgba(128,128,128,0.08)", font=dict(size=14), **kw)


def _arrow(x, y, ax, ay, color) -> dict:
    return dict(x=x, y=y, ax=ax, ay=ay, xref="x", yref="y", axref="x", ayref="y", showarrow=True, arrowhead=2,
                arrowwidth=2, arrowcolor=color, text="")


def conveyor(belt: dict, t: int, unit: int, char: str) -> go.Figure:
    """c_{t−1} → × f_t → + i_t ⊙ g_t → c_t for one unit at step t, with the real numbers (belt from
    charlm.conveyor), and the read-out h_t = o_t ⊙ tanh(c_t) off the end of the belt."""
    b, brown = belt, COLOR["c"]
    circles = [dict(type="circle", xref="x", yref="y", x0=x - 0.3, x1=x + 0.3, y0=2.1, y1=2.9,
                    line=dict(color=COLOR[g], width=3), fillcolor="rgba(128,128,128,0.06)")
               for x, g in ((3.4, "forget"), (6.6, "input"), (10.4, "output"))]
    sub = lambda name, k=t: f"{name}<sub>{k}</sub>"                                    # noqa: E731
    notes = [
        _box(0.9, 2.5, f"{sub('c', t - 1)}<br><b>{b['c_prev']:+.3f}</b>", brown),
        dict(x=3.4, y=2.5, text="<b>×</b>", showarrow=False, font=dict(size=22, color=COLOR["forget"])),
        dict(x=3.4, y=3.5, text=f"forget gate {sub('f')} = <b>{b['f']:.3f}</b>", showarrow=False),
        dict(x=5.0, y=2.78, text=f"kept <b>{b['kept']:+.3f}</b>", showarrow=False),
        dict(x=6.6, y=2.5, text="<b>+</b>", showarrow=False, font=dict(size=22, color=COLOR["input"])),
        _box(6.6, 0.75, f"input gate {sub('i')} × candidate {sub('g')}<br>{b['i']:.3f} × {b['g']:+.3f} = written "
             f"<b>{b['written']:+.3f}</b>", COLOR["input"]),
        _box(8.4, 2.5, f"{sub('c')}<br><b>{b['c']:+.3f}</b>", brown),
        dict(x=10.4, y=2.5, text="<b>×</b>", showarrow=False, font=dict(size=22, color=COLOR["output"])),
        dict(x=10.4, y=3.5, text=f"output gate {sub('o')} = <b>{b['o']:.3f}</b>", showarrow=False),
        dict(x=9.5, y=2.78, text=f"tanh <b>{math.tanh(b['c']):+.3f}</b>", showarrow=False),
        _box(12.0, 2.5, f"{sub('h')}<br><b>{b['h']:+.3f}</b>", COLOR["h"]),
        dict(x=12.0, y=1.5, text="to the read-out<br>and the next step", showarrow=False, font=dict(size=12)),
        _arrow(3.05, 2.5, 1.75, 2.5, brown), _arrow(6.25, 2.5, 3.75, 2.5, brown), _arrow(7.8, 2.5, 6.95, 2.5, brown),
        _arrow(6.6, 2.08, 6.6, 1.3, COLOR["input"]), _arrow(10.05, 2.5, 9.0, 2.5, COLOR["h"]),
        _arrow(11.5, 2.5, 10.75, 2.5, COLOR["h"]),
    ]
    return figure([], base_layout(
        f"The conveyor belt of unit {unit} at step {t}, reading '{char_label(char)}': the cell state rides from left "
        "to right", height=280, shapes=circles, annotations=notes, hovermode=False, margin=dict(l=10, r=10, t=45, b=5),
        xaxis=dict(visible=False, range=[0.1, 12.8], fixedrange=True),
        yaxis=dict(visible=False, range=[0.2, 3.8], fixedrange=True)))


def survival(surv: np.ndarray, t: int, half: int | None, unit: int) -> go.Figure:
    """How much of c_t would remain k steps later if nothing new were written: f_{t+1}·…·f_{t+k}.
    The x-range stops a little after the share falls below 1 % (the rest is a flat zero)."""
    xs = np.arange(t, t + len(surv))
    gone = np.nonzero(surv < 0.01)[0]
    shown = len(surv) if not len(gone) else min(len(surv), max(12, int(1.5 * gone[0]) + 2))
    note = (f"half gone after {half} step{'s' if half != 1 else ''}" if half is not None
            else "more than half is still there at the end of the text")
    curve = dict(type="scatter", x=xs, y=surv, mode="lines+markers" if shown <= 40 else "lines", marker=dict(size=5),
                 line=dict(color=COLOR["forget"], width=2.5), fill="tozeroy", fillcolor="rgba(230,159,0,0.15)",
                 hovertemplate="step %{x}: %{y:.3f} of c_t left<extra></extra>")
    end = int(xs[shown - 1])
    return figure([curve], base_layout(
        f"How long unit {unit}'s memory of step {t} lasts", height=300, hovermode="closest", showlegend=False,
        margin=dict(l=60, r=20, t=45, b=45),
        shapes=[dict(type="line", xref="paper", x0=0, x1=1, y0=0.5, y1=0.5,
                     line=dict(color=COLOR["bound"], dash="dash", width=1))],
        annotations=[dict(x=(t + half) if half is not None else end, y=0.5, text=note,
                          showarrow=half is not None, ax=30, ay=-35, xanchor="left" if half is not None else "right",
                          yanchor="bottom")],
        xaxis=axis("step", range=[t - 0.5, end + 0.5]),
        yaxis=axis("share of c<sub>t</sub> left", range=[0, 1.05])))
