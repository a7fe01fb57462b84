"""The BPTT page's cached runs, and its sections, each a block of st.* calls the page places in order:

    lesson = bptt_lesson_run(cfg)             # train, forward, full BPTT (cached: shared read-only)
    forward_section(lesson, cfg)              # 1: a prediction and a loss at every step
    backward_intro(lesson, cfg)               # 2: the equations of the backward pass ...
    at_step(lesson, cfg, t)                   #    ... and, inside the stepper, their numbers at step t
    truncation_section(lesson, cfg, window)   # 3: truncated BPTT with the window control `window`

The words are in rnnviz.topics.bptt.words, the equations and numbers in rnnviz.topics.bptt.compute.
"""
from __future__ import annotations

import math

import streamlit as st

from rnnviz import bptt
from rnnviz.shared.style import NAME
from rnnviz.topics.bptt import compute as bl
from rnnviz.topics.bptt import figures as figs
from rnnviz.topics.bptt import words as text
from rnnviz.ui.cache import MB, bounded
from rnnviz.ui.controls import Slider, render
from rnnviz.ui.export import chart

EQ = bl.EQUATIONS


# worst entry 0.69 MB (LSTM, T = 40, H = 16, 200 training steps): 11 of them; the defaults 0.02 MB
@bounded(max_entries=32, max_bytes=8 * MB, spinner="Training the model and running the backward pass…")
def bptt_lesson_run(cfg: bl.LessonConfig) -> bl.Lesson:
    """The BPTT lesson for one configuration: seeded training, forward, full BPTT, shares by step and
    by distance. 20–40 ms at the defaults; under a second at the largest (T = 40, H = 16, 200 steps)."""
    return bl.run(cfg)


# worst entry 0.014 MB (LSTM, T = 40, H = 16): the entries' bound holds first (64 × 0.014 = 0.9 MB)
@bounded(max_entries=64, max_bytes=1 * MB)
def bptt_truncated(cfg: bl.LessonConfig, k: int, scheme: str = "sliding") -> bl.Truncation:
    """Truncated BPTT with window k ("sliding" or "chunks") for the lesson of `cfg`."""
    return bl.truncated(bptt_lesson_run(cfg), k, scheme)


def forward_section(lesson: bl.Lesson, cfg: bl.LessonConfig) -> None:
    st.header("1 · Forward: a prediction and a loss at every step")
    left, right = st.columns([2, 3])
    left.markdown(text.forward_lead(NAME[cfg.kind], cfg.H, lesson.T))
    left.latex(EQ["output"])
    left.latex(EQ["loss"])
    left.metric("Total loss L", f"{lesson.total_loss:.4g}", help="The sum of the bars on the right.")
    chart(right, figs.forward(lesson), key="forward", summary=text.forward_summary(lesson))


def backward_intro(lesson: bl.Lesson, cfg: bl.LessonConfig) -> None:
    st.header("2 · Backward, one step at a time")
    st.markdown(text.BACKWARD_LEAD)
    st.latex(EQ["dh"][cfg.kind])
    st.latex(EQ["dz"][cfg.kind])
    st.markdown(text.SHARE_LEAD)
    st.latex(EQ["share"])
    st.markdown(text.backward_notice(lesson))


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
    st.header("3 · Truncated BPTT: cut at k steps, two ways")
    st.markdown(text.TRUNCATION_LEAD)
    st.latex(EQ["truncated"])
    st.latex(EQ["chunks"])
    st.code(text.CHUNK_CODE, language="python")
    top = st.columns(2, vertical_alignment="center")
    k = render([window], where=top[0])[window.key]
    top[1].caption(text.window_note(T))
    truncs = [bptt_truncated(cfg, k, scheme) for scheme in bptt.SCHEMES]
    help_h0 = {"sliding": f"What reaches the initial state. Every loss reaches h₀ only from k = {T + 1}.",
               "chunks": f"What reaches the initial state: the first chunk's losses always do; every loss from k = {T}."}
    for tr in truncs:
        m = st.columns([1.3, 1, 1, 1], vertical_alignment="center")
        m[0].markdown(f"**{figs.SCHEME_NAME[tr.scheme].capitalize()}**, k = {k}")
        m[1].metric("cosine(truncated, full)", _shown(tr.cosine),
                    help="Of ∂L/∂W_hh. 1: the same direction. 0: unrelated. Below 0: it points backwards.")
        m[2].metric("‖truncated‖ / ‖full‖", _shown(tr.ratio), help="Of ∂L/∂W_hh. Above 1 is possible: "
                    "far-travelled parts can cancel nearby ones, and truncation removes them.")
        m[3].metric(f"‖∂L/∂h₀‖ (full: {lesson.dh0_norm:.3g})", f"{tr.dh0_norm:.3g}", help=help_h0[tr.scheme])
    full = [figs.SCHEME_NAME[tr.scheme] for tr in truncs if tr.is_full]
    if full:
        st.info(f"k = {k}: the {' and the '.join(full)} cut nothing here: full BPTT, ∂L/∂h₀ included.",
                icon=":material/info:")
    a, b = st.columns(2)
    chart(a, figs.distance(lesson, truncs[0]), key="distance")
    chart(b, figs.window_curve(lesson, k, {s: bl.truncation_curve(lesson, s) for s in bptt.SCHEMES}), key="window")
    exists = int((lesson.pair_norms > 0).sum())
    kept = {tr.scheme: int((bl.kept_pairs(T, k, tr.scheme) & (lesson.pair_norms > 0)).sum()) for tr in truncs}
    chart(st, figs.kept_map(lesson, k), key="kept_map", summary=(
        f"Which pieces of ∂L/∂W_hh each way keeps at k = {k}: of the {exists} non-zero pieces (a loss at step s "
        f"reaching the use of W_hh at step t ≤ s), the sliding window keeps {kept['sliding']} and the chunks "
        f"{kept['chunks']}."))
    chart(st, figs.truncated_dh(lesson, truncs), key="truncated_dh")
