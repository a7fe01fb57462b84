"""The "Your text" page's live part (rnnviz.topics.yourtext.view draws it in ui.training.live's fragment): where the
run stands, the learning curve against the text's baselines, τ beside what the model writes now (a fragment of its
own), the samples written as it learned, and the gradient by step (a lazy expander).
"""
from __future__ import annotations

import html

import streamlit as st

from rnnviz import ui
from rnnviz.shared import charlm
from rnnviz.topics.yourtext import figures, learn, measure, words
from rnnviz.ui import training

SAMPLE = "_yourtext_sample"       # (what it was written from, the text): one sample per checkpoint and τ
TEMP = ui.Slider("temp", "Temperature τ of the sample", 0.1, 2.0, 0.8, step=0.1, help=words.HELP["temp"])


def live_view(run, alive: bool, data) -> None:
    """The live part (a fragment redrawn while the run trains): where it stands, the learning curve, what it
    writes now, the samples so far, the gradient by step."""
    if run is None:
        if data is not None:
            st.markdown(f"It starts knowing nothing. Before training, on this text: guessing **every character alike** costs "
                        f"{data.baselines['uniform']:.2f} bits per character; **letter frequencies** "
                        f"{data.baselines['unigram']:.2f}; **the one character before** {data.baselines['bigram']:.2f}. "
                        "Press **Train** and watch the model's line come down through them.")
            ui.chart(st, figures.learning_curve(learn.TextProgress(), data.baselines, 30.0), key="curve")
        return
    if training.waiting(run):
        return
    p, cfg, base = run.snapshot(), run.config, run.data.baselines
    last = p.checkpoints[-1] if p.checkpoints else None
    state = {"waiting": "Starting", "training": "Training", "finished": "Finished", "stopped": "Stopped"}[p.status]
    st.markdown(f"**{state}**: {p.seconds:.0f} s, step {p.steps:,}"
                + (f" · held-out **{last.val_bpc:.2f}** bits per character (bigram baseline {base['bigram']:.2f})"
                   if last else ""))
    if alive:
        st.progress(min(1.0, p.seconds / max(cfg.seconds, 1e-9)))
    ui.chart(st, figures.learning_curve(p, base, cfg.seconds), key="curve",
             summary=curve_said(p, base))
    if last is not None:
        sample_view(run, len(p.checkpoints))
        samples(p)
        more = ui.stage.deeper("The gradient reaching each step of a window", "yourtext_grad", icon=":material/trending_down:")
        if more.open:
            ui.chart(more, figures.gradient_by_step(last), key="grad")
    if not alive:
        training.why_it_ended(run)


def curve_said(p, base: dict) -> str:
    if not p.checkpoints:
        return "No held-out score yet."
    c = p.checkpoints[-1]
    return (f"After {c.seconds:.0f} s (step {c.step:,}) the model scores {c.val_bpc:.2f} bits per character on the "
            f"held-out text; baselines: uniform {base['uniform']:.2f}, unigram {base['unigram']:.2f}, bigram "
            f"{base['bigram']:.2f}.")


@ui.fragment
def sample_view(run, checkpoints: int) -> None:
    """τ beside what the latest weights write at it: a fragment, so a move of τ redraws these two alone."""
    temp = ui.render([TEMP], where=st)["temp"]
    st.markdown(f"**What it writes now** (τ = {temp:g}, {measure.SAMPLE_CHARS} characters after a new line)")
    st.html(sample_box(sample_now(run, checkpoints, temp)))


def sample_now(run, checkpoints: int, temp: float) -> str:
    """measure.SAMPLE_CHARS characters from the latest weights at τ (seeded), written once per checkpoint and τ."""
    ss = st.session_state
    key = (id(run), checkpoints, temp)
    if ss.get(SAMPLE, (None,))[0] != key:
        ss[SAMPLE] = key, charlm.generate(run.model(), "\n", measure.SAMPLE_CHARS, temperature=temp, seed=0)
    return ss[SAMPLE][1]


def sample_box(text: str) -> str:
    """A sample as escaped, pre-formatted text in a light box (plain HTML: lighter for the browser than a code
    block, which loads a highlighter on its first use)."""
    return ('<pre style="white-space: pre-wrap; word-break: break-word; margin: 0; padding: .6rem .8rem; '
            'border-radius: .5rem; background: rgba(128, 132, 149, .12); font-size: .85rem; line-height: 1.45">'
            + html.escape(text) + "</pre>")


def samples(p, shown: int = 5) -> None:
    """A few of the samples written at checkpoints, evenly spaced from the first: gibberish becoming words."""
    cps = p.checkpoints
    n = min(shown, len(cps))
    pick = sorted({round(i * (len(cps) - 1) / max(n - 1, 1)) for i in range(n)})     # the first and the last
    with st.expander(f"What it wrote as it learned ({len(pick)} of {len(cps)} checkpoints)", expanded=True,
                     icon=":material/history:"):
        for i in pick:
            c = cps[i]
            st.caption(f"after {c.seconds:.0f} s, step {c.step:,}: {c.val_bpc:.2f} bits per character")
            st.html(sample_box(c.sample))
