"""The BPTT page's sections, each a block of st.* calls the page places in order:

    forward_section(lesson, cfg)              # 1: a prediction and a loss at every step
    backward_intro(cfg)                       # 2: the equations of the backward pass ...
    at_step(lesson, cfg, t)                   #    ... and, inside the stepper, their numbers at step t
    truncation_section(lesson, cfg, window)   # 3: truncated BPTT with the window control `window`

The words are in rnnviz.lessons.bptt_text, the equations and numbers in rnnviz.lessons.bptt_lesson.
"""
from __future__ import annotations

import math

import streamlit as st

from rnnviz.figures import bptt as figs
from rnnviz.figures.style import NAME
from rnnviz.lessons import bptt_lesson as bl
from rnnviz.lessons import bptt_text as text
from rnnviz.ui import cache
from rnnviz.ui.controls import Slider, render
from rnnviz.ui.export import chart

EQ = bl.EQUATIONS


def forward_section(lesson: bl.Lesson, cfg: bl.LessonConfig) -> None:
    st.header("1 · Forward: a prediction and a loss at every step")
    left, right = st.columns([2, 3])
    left.markdown(text.forward_lead(NAME[cfg.kind], cfg.H, lesson.T))
    left.latex(EQ["output"])
    left.latex(EQ["loss"])
    left.metric("Total loss L", f"{lesson.total_loss:.4g}", help="The sum of the bars on the right.")
    chart(right, figs.forward(lesson), key="forward")


def backward_intro(cfg: bl.LessonConfig) -> None:
    st.header("2 · Backward, one step at a time")
    st.markdown(text.BACKWARD_LEAD)
    st.latex(EQ["dh"][cfg.kind])
    st.latex(EQ["dz"][cfg.kind])
    st.markdown(text.SHARE_LEAD)
    st.latex(EQ["share"])
    st.markdown(text.BACKWARD_NOTICE)


def at_step(lesson: bl.Lesson, cfg: bl.LessonConfig, t: int) -> None:
    """Everything that depends on the backward pass's current step (redrawn on its own)."""
    nums = bl.with_numbers(lesson, t)
    st.markdown(f"**With the numbers at t = {t}**" + (f" (the first {bl.MAX_SHOWN - 1} of {cfg.H} units)"
                                                      if cfg.H > bl.MAX_SHOWN else ""))
    for name in ("loss", "local", "dh", "share"):
        st.latex(nums[name])
    a, b = st.columns(2)
    chart(a, figs.backward_so_far(lesson, t), key="so_far")
    chart(b, figs.parts_at_step(lesson, t), key="parts")
    chart(st, figs.whh_shares(lesson, t), key="shares")


def _shown(x: float) -> str:
    return f"{x:.3f}" if math.isfinite(x) else "undefined (∂L/∂W_hh = 0)"


def truncation_section(lesson: bl.Lesson, cfg: bl.LessonConfig, window: Slider) -> None:
    T = lesson.T
    st.header("3 · Truncated BPTT: a window of k steps")
    st.markdown(text.TRUNCATION_LEAD)
    st.latex(EQ["truncated"])
    top = st.columns(2, vertical_alignment="center")
    k = render([window], where=top[0])[window.key]
    top[1].caption(text.window_note(T))
    trunc = cache.bptt_truncated(cfg, k)
    cos, ratio = bl.truncation_curve(lesson)
    m = st.columns(4)
    m[0].metric("cosine(truncated, full)", _shown(trunc.cosine),
                help="Of ∂L/∂W_hh. 1: the same direction. 0: unrelated. Below 0: it points backwards.")
    m[1].metric("‖truncated‖ / ‖full‖", _shown(trunc.ratio), help="Of ∂L/∂W_hh. Above 1 is possible: "
                "far-travelled parts can cancel nearby ones, and truncation removes them.")
    m[2].metric(f"‖∂L/∂h₀‖ with k = {k}", f"{trunc.dh0_norm:.3g}",
                help="What reaches the initial state. Only k ≥ T + 1 lets every loss reach h₀.")
    m[3].metric("‖∂L/∂h₀‖ full", f"{lesson.dh0_norm:.3g}", help="What full BPTT sends to the initial state.")
    if trunc.is_full:
        st.info(f"k = {k} ≥ T + 1 = {T + 1}: nothing is cut, this is full BPTT.", icon=":material/info:")
    a, b = st.columns(2)
    chart(a, figs.distance(lesson, trunc), key="distance")
    chart(b, figs.window_curve(lesson, trunc, cos, ratio), key="window")
    chart(st, figs.truncated_dh(lesson, trunc), key="truncated_dh")
