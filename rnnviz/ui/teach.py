"""The teaching blocks every lesson and demo shares: "what to try" presets, a predict-then-reveal
question, and a shipped model loaded once (or a clear message instead of the page).

    ui.experiments([("Cold: temperature 0.2", {"temp": 0.2}, "What to look at.", "What it shows."), ...],
                   CONTROLS, show="heatmap")
    ui.predict_reveal("What happens when …?", ["A", "B", "C"], lambda: (1, "**B.** Because …"))
    if ui.revealed(): st.caption("the sentence that states the outcome")
    model, meta = ui.pretrained_or_stop("sentiment")

Predict before reveal: nothing on a page gives the question's answer before the student has given theirs.
A preset's note says what to look at; the part that says what happens (its fourth item) waits for the
reveal, as do the verdict cards (ui.verdict_card) and any caption a page guards with revealed(). A
teacher who hides the question in presentation mode ("Predict, then reveal") gets them all at once.

After a preset is pressed, the page scrolls to the chart it changed (`show`: that chart's key) or to
the top of the main view: the buttons sit below the charts, and a student must see what moved.

Keys are spelt here once: the question's radio is `predict_guess` and its button `predict_reveal`
(tests/common.reveal answers any page's question through them).
"""
from __future__ import annotations

import json
import re
from typing import Any, Callable, Sequence

import streamlit as st

from rnnviz import pretrained
from rnnviz.ui import cache, frame
from rnnviz.ui.controls import Control, preset

GUESS, REVEAL = "predict_guess", "predict_reveal"


def experiments(items: Sequence[tuple], controls: Sequence[Control], title: str = "What to try",
                ratio: Sequence[float] = (3, 5), show: str | None = None) -> None:
    """A "What to try" section: one button per (label, overrides, note[, outcome]) that sets every control
    of `controls` (the overrides, the rest to their defaults), with the note of what to look for beside
    it. The outcome (what the preset shows, when that could give the question's answer away) joins the
    note once the answer is revealed. After a press the page scrolls to the chart `show` (its key), or
    to the top of the main view."""
    if frame.is_hidden("What to try"):
        return
    st.subheader(title)
    open_ = revealed()
    for n, (label, overrides, note, *outcome) in enumerate(items):
        left, right = st.columns(list(ratio), vertical_alignment="center")
        preset(left, label, controls, overrides, key=f"try_{n}")
        after = " ".join(o for o in outcome if o)
        right.markdown(note + (f" {after}" if after and open_ else f" {HELD_NOTE}" if after else ""))
    if any(st.session_state.get(f"try_{n}") is True for n in range(len(items))):
        scroll_to(show)


HELD_NOTE = "*What it shows: once you have answered the question.*"
SCROLL = "_rnnviz_scrolls"


def scroll_to(key: str | None = None) -> None:
    """Scroll the browser to the element keyed `key` (a chart: st.plotly_chart(key=...)), or to the top of
    the main view. A tiny script, as frame.finish's: it touches neither the address nor the run. Each call
    carries a new number, so a second press in a row scrolls again (an unchanged script is not run twice)."""
    ss = st.session_state
    ss[SCROLL] = ss.get(SCROLL, 0) + 1
    st.html(scroll_script(ss[SCROLL], key), unsafe_allow_javascript=True)


_KEY = re.compile(r"[A-Za-z0-9_]+")


def scroll_script(n: int, key: str | None) -> str:
    """The script itself: the only script a page's presets add, built from a number and a key of letters,
    digits and "_" (anything else scrolls to the top), so nothing typed can reach it. The top margin keeps
    the chart's top clear of Streamlit's fixed header."""
    target = f".st-key-{key}" if key and _KEY.fullmatch(key) else ""
    return (f"<script>/* scroll {int(n)} */ (() => {{ const d = document;"
            f" const el = ({json.dumps(target)} && d.querySelector({json.dumps(target)}))"
            " || d.querySelector('[data-testid=\"stMainBlockContainer\"]');"
            " if (el) { el.style.scrollMarginTop = '4rem'; el.scrollIntoView({block: 'start'}); } })();</script>")


def is_scroll_script(body: str) -> bool:
    """Is this HTML exactly a script scroll_script builds? (tests/ui/test_hardening.py allows it, and no other.)"""
    n = re.match(r"<script>/\* scroll ([0-9]{1,9}) \*/", body)
    key = re.search(r'"\.st-key-([A-Za-z0-9_]+)"', body)
    return bool(n) and body == scroll_script(int(n[1]), key[1] if key else None)


def revealed() -> bool:
    """This page's answer may be shown: the student has answered its question and pressed Reveal (the
    reveal stays until the guess changes), or answered it earlier in this session (the student's progress
    keeps it across pages: they know the answer now), or the teacher hides the question in presentation mode."""
    ss = st.session_state
    guess = ss.get(GUESS)
    pressed = ss.get(REVEAL) is True             # this very run's press: predict_reveal may come later on the page
    page = (ss.get(frame._RUN) or {}).get("title")
    return frame.is_hidden("Predict, then reveal") or (page is not None and page in frame.progress()["answered"]) \
        or (guess is not None and (pressed or ss.get(f"{REVEAL}__for") == guess))


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
