"""The Unfolded-RNN page's cached runs, and its sections, each a block of st.* calls the page places in order:

    u = unfold_run(cfg)                                          # the run (cached, as are unfold_intervene, unfold_first_input)
    shown, mark = intervention_section(cfg, u, clamp_controls)   # clamp a gate; the run the stepper shows
    diagram(u, shown, mark, t)                                   # the stepper's main view: the unrolled cells
    same_weights(u)                                              # the caption under them, the same at every step
    boxes = step_boxes()                                         # under it: two lazy expanders, drawn by the page
    step_section(u, shown, mark, t, boxes)                       # step t's sentence; its lines and the path in boxes
    weights_section(u)                                           # the same weights at every step (an expander)

The words are in rnnviz.topics.unfold.words; the numbers in rnnviz.topics.unfold.compute and .step.
"""
from __future__ import annotations

from typing import Any, Sequence

import streamlit as st

from rnnviz.shared.style import NAME
from rnnviz.topics.unfold import compute as unfold
from rnnviz.topics.unfold import figures as figs
from rnnviz.topics.unfold import step as unfold_step
from rnnviz.topics.unfold import words as text
from rnnviz.ui.cache import MB, bounded
from rnnviz.ui.controls import Control, render
from rnnviz.ui.export import chart
from rnnviz.ui.markup import escape_markdown
from rnnviz.ui.stage import deeper
from rnnviz.ui.stepper import ranged_slider

_SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
RANGED = ("unit", "at")            # sliders whose range follows H and T: kept by ranged_slider, not bound


# ----- cached runs (T ≤ 40, H ≤ 8, L ≤ 4: each takes milliseconds; cached all the same, so a play tick or a step
# button never recomputes the sequence). Worst entries (LSTM, T = 40, H = 8, L = 4): a run 0.09 MB, an
# intervention 0.18 MB, a reach 0.001 MB (tests/ui/test_cache_budget.py).
@bounded(max_entries=64, max_bytes=2 * MB)
def unfold_run(cfg: unfold.UnfoldConfig) -> unfold.Unfolded:
    return unfold.run(cfg)


@bounded(max_entries=64, max_bytes=3 * MB)
def unfold_intervene(cfg: unfold.UnfoldConfig, gate: str, step: int, unit: int, value: float) -> unfold.Intervention:
    return unfold.intervene(cfg, gate, step, unit, value)


@bounded(max_entries=64, max_bytes=1 * MB)
def unfold_first_input(cfg: unfold.UnfoldConfig) -> unfold.Reach:
    return unfold.first_input_effect(cfg)


def intervention_section(cfg: unfold.UnfoldConfig, u: unfold.Unfolded,
                         controls: Sequence[Control]) -> tuple[unfold.Unfolded, dict]:
    """Clamp one gate of one unit at one step and compare with the free run. Returns the run the stepper
    should show (the clamped one when the student asks for it) and the diagram's marks for it."""
    st.subheader("Intervene: clamp a gate, watch the future change")
    st.markdown(text.INTERVENE + (text.INTERVENE_DEEP.format(L=u.L) if u.L > 1 else ""))
    rnn = u.kind == "rnn"
    cv = {c.key: ranged_slider(c, col, disabled=rnn) if c.key in RANGED else
          render([c], where=col, disabled=lambda *_: rnn)[c.key]
          for c, col in zip(controls, st.columns([2, 2, 2, 1.4, 2.2]))}
    if rnn:
        st.info(text.NO_GATES, icon=":material/info:")
        return u, {}
    iv = unfold_intervene(cfg, cv["gate"], cv["at"], cv["unit"], float(cv["to"]))
    chart(st, figs.intervention(iv, cv["gate"], cv["unit"], cv["at"], float(cv["to"])), key="intervention")
    first = iv.first_change
    st.caption(text.clamp_effect(cv["at"], first, iv.dh[first - 1] if first else 0.0, iv.dh[-1], u.T, cv["gate"]))
    if not cv["clamped"]:
        return u, {}
    return iv.clamped, dict(clamp_step=cv["at"], clamp_label=f"{cv['gate']} of unit {cv['unit']} := {cv['to']}")


def diagram(u: unfold.Unfolded, shown: unfold.Unfolded, mark: dict, t: int) -> None:
    """Beside the step control: the unrolled cells with step t highlighted, and the one sentence under it."""
    h_t = ", ".join(f"{v:+.2f}" for v in shown.layers[-1].h[t - 1][:6]) + (" …" if shown.H > 6 else "")
    deep = f" in each of {u.L} layers" if u.L > 1 else ""
    top = f" (top layer {u.L})" if u.L > 1 else ""
    chart(st, figs.unrolled(shown, t, **mark), key="unrolled",
          summary=f"The {NAME[u.kind]} unrolled into {u.T} copies of one cell{deep}; copy {t} has read x_{t} = "
                  f"“{shown.seq.labels[t - 1]}” and holds h_{t}{top} = ({h_t}).")


def same_weights(u: unfold.Unfolded) -> str:
    """The caption under the diagram, the same at every step: one cell (or one per layer) in every copy."""
    return text.same_stack(unfold.layer_parameters(u)) if u.L > 1 else text.same_cell(unfold.parameter_formula(u)[1])


def sub(n: int) -> str:
    """A step number as a subscript in plain text: sub(12) == "₁₂"."""
    return str(n).translate(_SUB)


def step_boxes() -> tuple[Any, Any]:
    """The two lazy expanders under the step view (nothing sent while closed): each line of the step with its
    numbers, and the hidden state's path. The page draws them once per full run, outside the step's fragment,
    and step_section fills them at every step when they are open."""
    return (deeper("Each line of this step, with its numbers", "unfold_lines", icon=":material/functions:"),
            deeper("The hidden state's path", "unfold_path", icon=":material/timeline:"))


def step_section(u: unfold.Unfolded, shown: unfold.Unfolded, mark: dict, t: int, boxes: tuple[Any, Any]) -> None:
    """Under the step view: what the cell reads at step t; then, in `boxes` (step_boxes) when open, each line of
    the step with its numbers, and the hidden state's path (each in a container of this run, which may hold a
    widget: the layer's choice)."""
    which = " of the clamped run" if shown is not u else ""
    label = escape_markdown(shown.seq.labels[t - 1])
    # subscripts as characters, not LaTeX: this line is redrawn at every step, and typesetting costs the browser
    if u.L > 1:
        st.markdown(text.stacked_step(t, u.T, u.L, label, which))
    else:
        st.markdown(f"**Step {t} of {u.T}{which}**: the cell reads x{sub(t)} = “{label}” and h{sub(t - 1)}, "
                    "and computes, line by line:")
    lines_box, path_box = boxes
    if lines_box.open:
        with lines_box.container():
            if u.L > 1:                      # one layer's lines at a time; a layer above reads h_t below as its x_t
                layer = st.segmented_control("Layer", list(range(1, u.L + 1)), default=1, key="unfold_layer",
                                             required=True, help=text.HELP["layers"])
                layer = min(int(layer or 1), u.L)
                if layer > 1:
                    st.caption(f"In layer {layer}, x{sub(t)} is layer {layer - 1}'s h{sub(t)}: "
                               f"{u.H} numbers, so its W_i· blocks are {u.H} × {u.H}.")
                step_lines(u.layers[layer - 1], shown.layers[layer - 1], t)
            else:
                step_lines(u, shown, t)
    if path_box.open:
        with path_box.container():
            left, right = st.columns(2, vertical_alignment="center")
            chart(left, figs.state_path(shown, t), key="path",
                  summary=f"The hidden state's path over {u.T} steps (units 1 and 2); at step {t} it is at "
                          f"({shown.h[t - 1][0]:+.2f}, {shown.h[t - 1][min(1, shown.H - 1)]:+.2f}).")
            right.markdown(text.PATH)


def step_lines(u: unfold.Unfolded, shown: unfold.Unfolded, t: int) -> None:
    """One tab per line of the cell's equations at step t: what it means, its numbers as squares, the LaTeX."""
    lines = unfold_step.step_view(shown, t)
    for tab, line in zip(st.tabs([f"${ln.symbol}_t$ {unfold.TITLES[ln.name]}" for ln in lines]), lines):
        tab.markdown(unfold.meaning(u.kind, line.name))
        chart(tab, figs.equation_line(line, t), key=f"line_{line.name}",
              summary=f"Step {t}: {line.symbol}_{t} = (" + ", ".join(f"{v:+.3f}" for v in line.value[:6]) +
                      (" …" if len(line.value) > 6 else "") + "), each square one number of the line below.")
        if line.clamped:
            tab.warning(f"Clamped: unit {line.clamped[0]} of ${line.symbol}_t$ is forced to "
                        f"{line.value[line.clamped[0] - 1]:g}; the cell computed {line.clamped[1]:.2f}.", icon=":material/content_cut:")
        tab.latex(line.numbers)
    st.caption(text.SQUARES)


def weights_section(u: unfold.Unfolded) -> None:
    """The parameter count does not grow with T: shared weights against one set per step (a lazy expander)."""
    formula, count = unfold.parameter_formula(u)
    more = deeper("The same weights at every step", "unfold_weights", icon=":material/share:")
    if not more.open:
        return
    with more:
        weights_table(u, formula, count)


def weights_table(u: unfold.Unfolded, formula: str, count: int) -> None:
    if u.L > 1:
        formulas = unfold.layer_parameters(u)
        st.markdown(text.stacked_weights(NAME[u.kind], formulas))
        st.table(text.weights_table(NAME[u.kind], sum(n for _, n in formulas), u.T))
        return
    st.markdown(text.shared_weights(NAME[u.kind], formula, count))
    st.table(text.weights_table(NAME[u.kind], count, u.T))
