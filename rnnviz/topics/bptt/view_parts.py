"""The BPTT page's cached runs, and its sections, each a block of st.* calls the page places in order:

    lesson = bptt_lesson_run(cfg)             # train, forward, full BPTT (cached: shared read-only)
    step_view(lesson, cfg, t)                 # the stepper's main view: the gradient reaching each h_t so far
    at_step(lesson, cfg, t)                   #    ... and under it, the step's numbers (a lazy expander)
    forward_section(lesson, cfg)              # a prediction and a loss at every step (in an expander)
    backward_intro(lesson, cfg)               # the equations of the backward pass (in an expander)
    truncation_section(lesson, cfg, window)   # truncated BPTT: the window control beside its chart (a fragment,
                                              #    in an expander: nothing of it is sent while that is closed)

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
from rnnviz.ui.fragment import fragment
from rnnviz.ui.export import chart
from rnnviz.ui.frame import presenting
from rnnviz.ui.stage import deeper, main_view

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


# the step view's chart, beside the step control, under the cell and T: one screen with the title at 1366×768,
# and in presentation mode at 1280×720 (whose larger type makes the chart 1.175× as tall: ui.export)
STEP_CHART_HEIGHT = {False: 330, True: 250}


def forward_section(lesson: bl.Lesson, cfg: bl.LessonConfig) -> None:
    left, right = st.columns([2, 3])
    left.markdown(text.forward_lead(NAME[cfg.kind], cfg.H, lesson.T))
    left.latex(EQ["output"])
    left.latex(EQ["loss"])
    left.metric("Total loss L", f"{lesson.total_loss:.4g}", help="The sum of the bars on the right.")
    chart(right, figs.forward(lesson), key="forward", summary=text.forward_summary(lesson))


def backward_intro(lesson: bl.Lesson, cfg: bl.LessonConfig) -> None:
    st.markdown(text.BACKWARD_LEAD)
    st.latex(EQ["dh"][cfg.kind])
    st.latex(EQ["dz"][cfg.kind])
    st.markdown(text.SHARE_LEAD)
    st.latex(EQ["share"])
    st.markdown(text.backward_notice(lesson))


def step_view(lesson: bl.Lesson, cfg: bl.LessonConfig, t: int) -> None:
    """Beside the step control: what has reached each h_t so far."""
    chart(st, figs.backward_so_far(lesson, t, STEP_CHART_HEIGHT[presenting()]), key="so_far",
          summary=text.so_far_said(lesson, t))


def at_step(lesson: bl.Lesson, cfg: bl.LessonConfig, t: int) -> None:
    """Under the step view: the step's equations with their numbers, each unit's parts, the shares of ∂L/∂W_hh
    (a lazy expander inside the stepper's fragment: nothing of it is sent, or redrawn per step, while closed)."""
    st.markdown(f"**With the numbers at t = {t}**" + (f" (the first {bl.MAX_SHOWN - 1} of {cfg.H} units)"
                                                      if cfg.H > bl.MAX_SHOWN else ""))
    more = deeper("This step's equations with their numbers, unit by unit", "bptt_numbers",
                  icon=":material/functions:")
    if not more.open:
        return
    nums = bl.with_numbers(lesson, t)
    with more:
        for name in ("loss", "local", "dh", "share"):
            st.latex(nums[name])
        a, b = st.columns(2)
        chart(a, figs.parts_at_step(lesson, t), key="parts")
        chart(b, figs.whh_shares(lesson, t), key="shares")


def _shown(x: float) -> str:
    return f"{x:.3f}" if math.isfinite(x) else "undefined (∂L/∂W_hh = 0)"


@fragment
def truncation_section(lesson: bl.Lesson, cfg: bl.LessonConfig, window: Slider) -> None:
    """Truncated BPTT: the window k beside the chart it moves along, both ways' metrics, and the rest in a
    lazy expander. A fragment: moving k reruns this part alone (nothing else on the page depends on k)."""
    T = lesson.T
    side, wide = main_view("bptt_k", ratio=(1.25, 3))
    k = render([window], where=side)[window.key]
    side.caption(text.window_note(T))
    truncs = [bptt_truncated(cfg, k, scheme) for scheme in bptt.SCHEMES]
    chart(wide, figs.window_curve(lesson, k, {s: bl.truncation_curve(lesson, s) for s in bptt.SCHEMES}), key="window")
    help_h0 = {"sliding": f"What reaches the initial state. Every loss reaches h₀ only from k = {T + 1}.",
               "chunks": f"What reaches the initial state: the first chunk's losses always do; every loss from k = {T}."}
    for tr in truncs:          # one row per way: a flex row, not columns (4 fewer elements to redraw per row)
        m = [st.container(horizontal=True, vertical_alignment="center", gap="medium")] * 4
        m[0].markdown(f"**{figs.SCHEME_NAME[tr.scheme].capitalize()}**, k = {k}", width=190)
        m[1].metric("cosine(truncated, full)", _shown(tr.cosine),
                    help="Of ∂L/∂W_hh. 1: the same direction. 0: unrelated. Below 0: it points backwards.")
        m[2].metric("‖truncated‖ / ‖full‖", _shown(tr.ratio), help="Of ∂L/∂W_hh. Above 1 is possible: "
                    "far-travelled parts can cancel nearby ones, and truncation removes them.")
        m[3].metric(f"‖∂L/∂h₀‖ (full: {lesson.dh0_norm:.3g})", f"{tr.dh0_norm:.3g}", help=help_h0[tr.scheme])
    full = [figs.SCHEME_NAME[tr.scheme] for tr in truncs if tr.is_full]
    if full:
        st.info(f"k = {k}: the {' and the '.join(full)} cut nothing here: full BPTT, ∂L/∂h₀ included.",
                icon=":material/info:")
    more = deeper("How truncation works, and what each way keeps", "bptt_trunc_more", icon=":material/content_cut:")
    if not more.open:
        return
    with more:
        truncation_more(lesson, cfg, k, truncs)


def truncation_more(lesson: bl.Lesson, cfg: bl.LessonConfig, k: int, truncs: list) -> None:
    """The two ways in equations and code, what reaches each step, and which pieces each way keeps."""
    T = lesson.T
    st.markdown(text.TRUNCATION_LEAD)
    st.latex(EQ["truncated"])
    st.latex(EQ["chunks"])
    st.code(text.CHUNK_CODE, language="python")
    chart(st, figs.distance(lesson, truncs[0]), key="distance")
    exists = int((lesson.pair_norms > 0).sum())
    kept = {tr.scheme: int((bl.kept_pairs(T, k, tr.scheme) & (lesson.pair_norms > 0)).sum()) for tr in truncs}
    chart(st, figs.kept_map(lesson, k), key="kept_map", summary=(
        f"Which pieces of ∂L/∂W_hh each way keeps at k = {k}: of the {exists} non-zero pieces (a loss at step s "
        f"reaching the use of W_hh at step t ≤ s), the sliding window keeps {kept['sliding']} and the chunks "
        f"{kept['chunks']}."))
    chart(st, figs.truncated_dh(lesson, truncs), key="truncated_dh")
