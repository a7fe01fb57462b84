"""The unrolled diagram of the Architectures page: one picture for all five forms of a recurrent network.

    fig = unrolled("many-to-one", n_in=8, n_out=1)
    fig = unrolled("one-to-many", 3, 5, labels={"x": ["R", "O", "M"], "y": list("EO.↵H")}, highlight=5, loss=False)

Rows, bottom to top: the inputs x (only at the steps that take one), the cell copies (one W reused at
every step; the arrows between them carry h_t), the outputs y (only where one is produced) and the loss
terms L (where the loss sits). A dashed arrow feeds an output back in as the next step's input. An
encoder–decoder's two networks have different weights, so different colours, and the context c between them.

Boxes are scatter markers (one trace per quantity: the legend, the hover text and the tests read them);
arrows are lines with an arrowhead marker, one trace per colour, stopping short of a box by its size in
pixels at the planned width (annotations, as before, redrew several times slower in a browser). The step
layout comes from rnnviz.topics.architectures.compute.layout, the same rules the page states and the tests
hold.
"""
from __future__ import annotations

import html
from typing import Mapping, Sequence

import plotly.graph_objects as go

from rnnviz.shared.style import COLOR, base_layout, figure
from rnnviz.topics.architectures.compute import FORMS, Layout, layout

ROW = {"x": 0, "cell": 1, "y": 2, "L": 3}
WIDTH = 900                # the plot area's width in pixels the box size is planned for (a wide page)
DARK_TEXT, LIGHT_TEXT = "#1B1B1B", "#FFFFFF"   # fixed on the filled boxes, so both themes read the same
HIGHLIGHT = "rgba(230,159,0,0.20)"


def plain(text: str) -> str:
    """Text safe inside plotly's text and hover labels (it reads <b>, <br> and entities)."""
    return html.escape(str(text), quote=False)


def _x(step, lay: Layout) -> float:
    """The column's position: decoder steps move one to the right to make room for the context c."""
    return step.t - 1 + (1 if step.part == "decoder" else 0)


def _boxes(name: str, kind: str, points: list[tuple[float, float, str, str]], color: str, size: float,
           symbol: str = "square", text_color: str = LIGHT_TEXT, line: str | None = None) -> dict:
    """One trace of boxes: (x, y, text inside, hover) per box."""
    return dict(type="scatter", mode="markers+text", name=name, meta=kind, x=[p[0] for p in points],
                y=[p[1] for p in points], text=[p[2] for p in points], hovertext=[p[3] for p in points],
                hovertemplate="%{hovertext}<extra></extra>", textposition="middle center",
                textfont=dict(color=text_color, size=max(9, min(15, round(size * 0.4)))), cliponaxis=False,
                marker=dict(symbol=symbol, size=size, color=color, line=dict(color=line or color, width=1.5)))


def _arrow(x0: float, y0: float, x1: float, y1: float, color: str, start: float, end: float, width: float = 1.6) -> tuple:
    """An arrow from (x0, y0) to (x1, y1), to stop `start` / `end` pixels short of each point (_arrows draws it)."""
    return (x0, y0, x1, y1, color, start, end, width)


def _arrows(arrows: list[tuple], px_x: float, px_y: float) -> list[dict]:
    """Arrows as scatter traces, one per colour: a line per arrow and an arrowhead marker at its end, turned
    along it (angleref "previous"). Not plotly annotations: a diagram of ~100 annotation arrows took a browser
    several times longer to redraw than these few traces (issue 22). `px_x`, `px_y`: pixels per data unit,
    to stop each arrow short of the boxes it joins by their size in pixels."""
    groups: dict[tuple, dict] = {}
    for x0, y0, x1, y1, color, start, end, width in arrows:
        dx, dy = (x1 - x0) * px_x, (y1 - y0) * px_y
        length = max((dx * dx + dy * dy) ** 0.5, 1e-9)
        ux, uy = dx / length / px_x, dy / length / px_y                # one pixel along the arrow, in data units
        tip = end + 3                                                   # the head's centre sits before its tip
        g = groups.setdefault((color, width), dict(x=[], y=[], symbol=[], size=[]))
        g["x"] += [x0 + ux * start, x1 - ux * tip, None]
        g["y"] += [y0 + uy * start, y1 - uy * tip, None]
        g["symbol"] += ["circle", "arrow", "circle"]
        g["size"] += [0, 6 + 2 * width, 0]
    return [dict(type="scatter", mode="lines+markers", name="arrows", meta=f"arrows {color}", x=g["x"], y=g["y"],
                 hoverinfo="skip", showlegend=False, cliponaxis=False, line=dict(color=color, width=width),
                 marker=dict(symbol=g["symbol"], size=g["size"], angleref="previous", color=color))
            for (color, width), g in groups.items()]


def unrolled(form: str, n_in: int, n_out: int, highlight: int | None = None,
             labels: Mapping[str, Sequence[str]] | None = None, loss: bool = True,
             title: str | None = None, height: int = 420, width: int = WIDTH, legend: bool = True,
             layers: int = 1) -> go.Figure:
    """The unrolled network of `form` (see lessons.architectures.layout for the rules).

    highlight: a step (1-based column) to mark with a band. labels: optional real tokens for the boxes,
    {"x": one per input, "y": one per output, "start": the text on the state entering step 1, "t": one
    tick label per column, "axis": the x axis's title}; they are escaped here. loss=False draws the network at inference, with no loss terms. width: the plot's width
    in pixels the boxes are sized for (a narrow column needs smaller ones). layers: a stack of L cell rows
    (a deep RNN), row l reading the states of row l − 1 at the same step, each with its own weights; the
    outputs read the top row."""
    lay = layout(form, n_in, n_out, loss=loss)
    labels = labels or {}
    L = max(1, int(layers))
    up = L - 1                                                      # how far the output and loss rows move up
    if L > 1:               # a deep stack keeps the diagram's height (one screen): no legend, its rows packed closer
        legend = False
    row = {"x": ROW["x"], "cell": ROW["cell"], "top": ROW["cell"] + up, "y": ROW["y"] + up, "L": ROW["L"] + up}
    cols = len(lay.steps) + (1 if lay.context else 0)
    size = max(16.0, min(34.0, 0.55 * width / (cols + 1)))          # box size in pixels (rows ~70 px apart)
    if L > 1:                                                       # rows closer together: boxes no taller than 55 %
        rows_px = max(height - 90, 100) / (row["L"] + 0.5 + (0.95 if lay.context else 0.6))
        size = max(12.0, min(size, 0.55 * rows_px))
    cell = size * 1.15
    decoder = [s for s in lay.steps if s.part == "decoder"]
    cell_name = {"feed-forward": "W", "rnn": "W", "encoder": "W<sub>e</sub>", "decoder": "W<sub>d</sub>"}
    sub = lambda name, k: f"{name}<sub>{k}</sub>"                     # noqa: E731
    given = lambda key, k, default: plain(labels[key][k]) if key in labels and k < len(labels[key]) else default  # noqa: E731

    xs, cells_, ys, losses, ann, shapes, arrows = [], {}, [], [], [], [], []
    n_x = n_y = 0
    for s in lay.steps:
        x = _x(s, lay)
        if s.reads:
            n_x += 1
            xs.append((x, row["x"], given("x", n_x - 1, sub("x", n_x)), f"input x<sub>{n_x}</sub> at step {s.t}: "
                       f"{given('x', n_x - 1, 'given from outside')}"))
            arrows.append(_arrow(x, row["x"], x, row["cell"], COLOR["data"], size / 2 + 1, cell / 2 + 1))
        for level in range(1, L + 1):
            sup = f"<sup>({level})</sup>" if L > 1 else ""
            below = (f" + W<sub>xh</sub>{sup} h<sub>{s.t}</sub><sup>({level - 1})</sup>" if level > 1 else
                     " + W<sub>xh</sub> x" if s.reads else " + W<sub>xh</sub> y<sub>prev</sub>" if s.fed_back else "")
            what = (f"h{sup} = f(W{sup} h<sup>({level - 1})</sup> + b): no state in, none out" if s.part == "feed-forward"
                    and level > 1 else "h = f(W x + b): no state in, none out" if s.part == "feed-forward" else
                    f"h<sub>{s.t}</sub>{sup} = tanh(W<sub>hh</sub>{sup} h<sub>{s.t - 1}</sub>{sup}" + below + " + b)")
            where = f", layer {level}" if L > 1 else ""
            cells_.setdefault(s.part, []).append((x, row["cell"] + level - 1, cell_name[s.part] + sup.replace("(", "")
                                                  .replace(")", ""), f"step {s.t} ({s.part}{where}): {what}"))
            if level > 1:                                              # h_t of the layer below, up into this one
                arrows.append(_arrow(x, row["cell"] + level - 2, x, row["cell"] + level - 1, COLOR["h"],
                                     cell / 2 + 1, cell / 2 + 1, 1.6))
        if s.writes:
            n_y += 1
            label = given("y", n_y - 1, sub("y", n_y))
            ys.append((x, row["y"], label, f"output y<sub>{n_y}</sub> at step {s.t}" +
                       (f": {label}" if "y" in labels else "")))
            arrows.append(_arrow(x, row["top"], x, row["y"], COLOR["prediction"], cell / 2 + 1, size / 2 + 1))
        if s.loss:
            k = "" if len(lay.loss_steps) == 1 else len(losses) + 1
            losses.append((x, row["L"], sub("L", k) if k else "L", f"loss L{'' if not k else f'<sub>{k}</sub>'}: "
                           f"y<sub>{n_y}</sub> against its target"))
            arrows.append(_arrow(x, row["y"], x, row["L"], COLOR["loss"], size / 2 + 1, size / 2 + 1))
    # the recurrent arrows (h_t, the same W_hh at every step), the context, the state entering step 1
    recur = [(lay.steps[k], lay.steps[k + 1]) for k in range(len(lay.steps) - 1)] if lay.recurrent else []
    h_labels: list[tuple[float, str]] = []        # h_t over each recurrent arrow: one text trace, not annotations
    for a, b in recur:
        x0, x1 = _x(a, lay), _x(b, lay)
        for r in range(row["cell"], row["top"] + 1):               # along every layer's row
            if lay.context and a.t == lay.context:                 # encoder → c → decoder
                arrows += [_arrow(x0, r, x0 + 1, r, COLOR["h"], cell / 2 + 1, size / 2 + 1, 2),
                           _arrow(x0 + 1, r, x1, r, COLOR["h"], size / 2 + 1, cell / 2 + 1, 2)]
            else:
                arrows.append(_arrow(x0, r, x1, r, COLOR["h"], cell / 2 + 1, cell / 2 + 1, 2))
        if cols <= 14 and not labels:             # h_t's index is the step's only when the columns are steps 1..n
            h_labels.append(((x0 + x1) / 2, sub("h", a.t)))
    if lay.recurrent:
        arrows += [_arrow(-0.85, r, 0, r, COLOR["h"], 0, cell / 2 + 1, 2) for r in range(row["cell"], row["top"] + 1)]
        ann.append(dict(x=-0.95, y=1.38, text=plain(labels.get("start", "h₀ = 0")), showarrow=False,
                        xanchor="left", font=dict(size=11), xref="x", yref="y"))
    traces = [_boxes("input x", "x", xs, COLOR["data"], size)] if xs else []
    names = {"feed-forward": "layer (no recurrence)", "rnn": "cell: one W, reused at every step",
             "encoder": "encoder cell: W_e", "decoder": "decoder cell: its own W_d"}
    for part, pts in cells_.items():
        traces.append(_boxes(names[part], "cell", pts, COLOR["decoder" if part == "decoder" else "rnn"], cell,
                             text_color=DARK_TEXT if part == "decoder" else LIGHT_TEXT))
    if lay.context:
        traces.append(_boxes("context c (the encoder's last h)", "context",
                             [(lay.context, r, "c", "context c: the encoder's final state starts the decoder" +
                               (f" (layer {r}'s, for the decoder's layer {r})" if L > 1 else ""))
                              for r in range(row["cell"], row["top"] + 1)],
                             COLOR["h"], size, symbol="circle"))
    traces.append(_boxes("output y", "y", ys, COLOR["prediction"], size, text_color=DARK_TEXT))
    if losses:
        traces.append(_boxes("loss L", "L", losses, COLOR["loss"], size * 1.25, symbol="diamond"))
    # fed-back outputs: a dotted line from y_{t-1} to the next cell, an arrowhead halfway along it
    fed = [s for s in lay.steps if s.fed_back]
    if fed:
        fx, fy, sym, msize = [], [], [], []
        for s in fed:
            x0, x1 = _x(s, lay) - 1, _x(s, lay)
            fx += [x0, (x0 + x1) / 2, x1, None]
            fy += [row["y"], (row["y"] + row["cell"]) / 2, row["cell"], None]            # into layer 1
            sym += ["circle", "arrow", "circle", "circle"]
            msize += [0, 11, 0, 0]
        traces.insert(0, dict(type="scatter", mode="lines+markers", name="output fed back as the next input",
                              meta="fed back", x=fx, y=fy, hoverinfo="skip",
                              line=dict(color=COLOR["prediction"], dash="dot", width=2),
                              marker=dict(symbol=sym, size=msize, angleref="previous", color=COLOR["prediction"])))
    last = _x(lay.steps[-1], lay)
    if len(losses) > 1:                         # the total, centred above the loss terms it adds up
        ann.append(dict(x=(losses[0][0] + losses[-1][0]) / 2, y=row["L"] + 0.62, showarrow=False, xref="x",
                        yref="y", text=f"L = L<sub>1</sub> + … + L<sub>{len(losses)}</sub>",
                        font=dict(color=COLOR["loss"], size=13)))
    if decoder:
        mid = lambda steps: sum(_x(s, lay) for s in steps) / len(steps)              # noqa: E731
        enc = [s for s in lay.steps if s.part == "encoder"]
        ann += [dict(x=mid(enc), y=-0.72, text="encoder (W<sub>e</sub>): reads, writes nothing", showarrow=False,
                     xref="x", yref="y", font=dict(size=12)),
                dict(x=mid(decoder), y=-0.72, text="decoder (W<sub>d</sub>, other weights): writes", showarrow=False,
                     xref="x", yref="y", font=dict(size=12))]
    if highlight is not None and 1 <= highlight <= len(lay.steps):
        hx = _x(lay.steps[highlight - 1], lay)
        shapes.append(dict(type="rect", x0=hx - 0.48, x1=hx + 0.48, y0=-0.45, y1=(3.45 if losses else 2.45) + up,
                           xref="x", yref="y", fillcolor=HIGHLIGHT, line=dict(width=0), layer="below"))
    f = FORMS[form]
    top = row["L"] + (0.85 if len(losses) > 1 else 0.5) if losses else row["y"] + 0.5
    ticks = [_x(s, lay) for s in lay.steps]
    bottom = -0.95 if decoder else -0.6
    px_x = max(width - 90, 100) / (last + 1.8)               # the plot area's pixels per data unit, as planned
    px_y = max(height - (90 if L > 1 else 130), 100) / (top - bottom)
    if h_labels:
        traces.insert(0, dict(type="scatter", mode="text", name="h", meta="h labels", x=[p[0] for p in h_labels],
                              y=[1.2] * len(h_labels), text=[p[1] for p in h_labels], hoverinfo="skip",
                              showlegend=False, textfont=dict(size=11)))
    traces[:0] = _arrows(arrows, px_x, px_y)                   # under the boxes
    layout_ = base_layout(title if title is not None else f"{f.name}: {_lengths(lay)}", height=height,
                          hovermode="closest", showlegend=legend,
                          # the legend grows up from the plot as it wraps: room for a second row of entries (five
                          # and more wrap on a tablet), so it never covers the title
                          margin=dict(l=70, r=20, t=50 if L > 1 else 90 if sum(t.get("showlegend", True) for t in traces) <= 4
                                      or not legend else 118,
                                      b=40),
                          xaxis=dict(range=[-1.0, last + 0.8], tickvals=ticks,
                                     ticktext=[plain(t) for t in labels["t"]][:len(ticks)] if "t" in labels else
                                     [str(s.t) if len(ticks) <= 16 or s.t % 2 else "" for s in lay.steps],
                                     showgrid=False, zeroline=False, fixedrange=True, tickangle=0,
                                     title=dict(text=labels.get("axis", "step t"))),
                          yaxis=dict(range=[bottom, top],
                                     tickvals=[row["x"], *range(row["cell"], row["top"] + 1), row["y"], row["L"]]
                                     [:3 + up + (1 if losses else 0)],
                                     ticktext=["input", *(["cell"] if L == 1 else [f"layer {k}" for k in range(1, L + 1)]),
                                               "output", "loss"][:3 + up + (1 if losses else 0)],
                                     showgrid=False, zeroline=False, fixedrange=True))
    if shapes:                                  # an empty list would differ from plotly's own JSON
        layout_["shapes"] = shapes
    if ann:
        layout_["annotations"] = ann
    return figure(traces, layout_)


def _lengths(lay: Layout) -> str:
    n_x, n_y = len(lay.input_steps), len(lay.output_steps)
    return f"{n_x} input{'s' if n_x != 1 else ''} → {n_y} output{'s' if n_y != 1 else ''}"
