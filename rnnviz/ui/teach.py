"""The teaching blocks every lesson and demo shares: "what to try" presets, a predict-then-reveal
question, and a shipped model loaded once (or a clear message instead of the page).

    ui.experiments([("Cold: temperature 0.2", {"temp": 0.2}, "What you will see."), ...], CONTROLS)
    ui.predict_reveal("What happens when …?", ["A", "B", "C"], lambda: (1, "**B.** Because …"))
    model, meta = ui.pretrained_or_stop("sentiment")

Keys are spelt here once: the question's radio is `predict_guess` and its button `predict_reveal`
(tests/common.reveal answers any page's question through them).
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

import streamlit as st

from rnnviz import pretrained
from rnnviz.ui import cache, frame
from rnnviz.ui.controls import Control, preset

GUESS, REVEAL = "predict_guess", "predict_reveal"


def experiments(items: Sequence[tuple[str, dict[str, Any], str]], controls: Sequence[Control],
                title: str = "What to try", ratio: Sequence[float] = (3, 5)) -> None:
    """A "What to try" section: one button per (label, overrides, note) that sets every control of
    `controls` (the overrides, the rest to their defaults), with the note of what to look for beside it."""
    if frame.is_hidden("What to try"):
        return
    st.subheader(title)
    for n, (label, overrides, note) in enumerate(items):
        left, right = st.columns(list(ratio), vertical_alignment="center")
        preset(left, label, controls, overrides, key=f"try_{n}")
        right.markdown(note)


def predict_reveal(question: str, answers: Sequence[str], truth: Callable[[], tuple[int | None, str]],
                   title: str = "Predict, then reveal") -> None:
    """Ask `question` (markdown; escape anything typed) with `answers`; once the student has picked one
    and pressed Reveal, call truth() -> (index of the right answer, explanation in markdown) and show it
    as a success (right) or an info (not quite). truth() may return (None, message) when the answer does
    not exist yet (the Memory lab's needs a finished run): the message is shown, and the answer appears by
    itself on a later run once truth() has it. The reveal stays until the guess changes, so moving
    another control does not hide it; truth() is only computed when it is shown, and never trains."""
    if frame.is_hidden("Predict, then reveal"):
        return
    st.subheader(title)
    ss = st.session_state
    guess = st.radio(question, list(answers), index=None, key=GUESS)
    shown_for = f"{REVEAL}__for"
    if ss.get(shown_for) is not None and ss.get(shown_for) != guess:
        ss[shown_for] = None                             # a new guess: ask again
    if st.button("Reveal", key=REVEAL, disabled=guess is None, icon=":material/visibility:"):
        ss[shown_for] = guess
    if guess is None or ss.get(shown_for) != guess:
        return
    right, explanation = truth()
    if right is None:                                    # nothing to reveal yet (e.g. "train first"): say so,
        st.info(explanation, icon=":material/hourglass_empty:")   # and reveal by itself once it can
        return
    frame.answered(answers[right] == guess)
    lead = "Right." if answers[right] == guess else f"Not quite: {answers[right]}."
    (st.success if answers[right] == guess else st.info)(f"**{lead}** {explanation}")


def pretrained_or_stop(name: str, what: str = "This demo"):
    """(model, manifest entry) of a shipped model, loaded and sha256-checked once per process (shared
    read-only by every session); when the file is missing or corrupt, a clear message and the page
    stops there (the other pages keep working)."""
    try:
        return cache.pretrained_model(name)
    except (FileNotFoundError, KeyError, pretrained.IntegrityError, ValueError, RuntimeError, OSError) as e:
        st.error(f"{what} needs the trained model `{name}`, which could not be loaded. {e}", icon=":material/inventory_2:")
        st.caption("The other pages do not need this model and keep working.")
        st.stop()
