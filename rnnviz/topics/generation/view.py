"""Text generation: a shipped character model writes, one drawn character at a time (one-to-many).

The page (main) and its cached calls: every generation, with each step's distributions, is a pure result
shared read-only (rnnviz.ui.cache.bounded); the shipped models are loaded once per process.
"""
from __future__ import annotations

import math

import numpy as np
import streamlit as st

from rnnviz import ui
from rnnviz.shared import bundle, charlm, describe
from rnnviz.shared import colored_text as colored
from rnnviz.topics.architectures import figures as architectures
from rnnviz.topics.generation import TOPIC, compute, figures, words
from rnnviz.ui.cache import MB, bounded, pretrained_model
from rnnviz.ui import yours
from rnnviz.ui.stepper import Steps, playing, stepper

MODELS = {"lstm": "char_lstm", "gru": "char_gru"}
GREEDY_CHARS = 400       # how far the predict-then-reveal looks for a loop
TEXT_BOX_PX = 112        # the written text's box: four lines, more scroll inside it
HEATMAP_PX = 310         # the heatmap's plot area beside the step controls at 1366 px (sizes its cells)
HEATMAP_HEIGHT = {False: 270, True: 210}    # on a laptop, and on a projector (1280x720, larger type)
BARS_PX = {False: 170, True: 130}           # the step's bars (their plot area), on a laptop and on a projector
DIAGRAM, HOW = "gen_diagram", "gen_how"   # the lazy expanders' keys (tests open them through st.session_state)
PAGE, STEP = "gen", "t"                   # the page's key (ui.stage.follow_page), the stepper's key


# Every step's four (N, V) distributions: worst entry 0.95 MB (N = compute.MAX_NEW = 400, a 1,000-character
# prompt); the default 120 characters 0.3 MB. 16 MB hold 16 of the longest or ~50 of the default.
@bounded(max_entries=128, max_bytes=16 * MB)
def generate(name: str, prompt: str, n: int, temperature: float, top_k: int, seed: int) -> compute.Generation:
    """n characters after `prompt` from the shipped model `name`, with every step's distributions."""
    model, _ = model_named(name)
    return compute.sample(model, prompt, n, temperature=temperature, top_k=top_k, seed=seed)


def model_named(name: str):
    """(model, notes) of a shipped model, or of the student's own (a name from ui.yours.cache_name: this
    session's model trained or loaded on the Your text page)."""
    if name.startswith(yours.OPTION + ":"):
        model, conf = yours.text_model()
        return model, {"parameters": model.count_parameters(), "metrics": conf.get("metrics", {}), "yours": conf}
    return pretrained_model(name)


def greedy(name: str, prompt: str) -> compute.Generation:
    """Greedy decoding (top-k = 1: no randomness, so the seed and τ do not matter)."""
    return generate(name, prompt, GREEDY_CHARS, 1.0, 1, 0)


def presets_beside(where, items, controls) -> None:
    """The "What to try" buttons stacked in the controls' column, each with its note under it: pressing one
    changes the chart right beside it (issue 22: a preset shows the chart it changed on the same screen)."""
    if ui.frame.is_hidden("What to try"):
        return
    where.markdown("**What to try**")
    for n, (label, overrides, note) in enumerate(items):
        ui.preset(where, label, controls, overrides, key=f"try_{n}")
        where.caption(note)


def main() -> None:
    """The page: run by pages/10_Text_generation.py on every rerun. Its main view (a fragment: main_view): the
    prompt, the model, τ and top-k beside what the model wrote and the step view (stepper + heatmap of every
    step's distribution); the step's bars, the diagram and the notes below, the diagram and notes only when
    opened; then the question and how the model writes, outside the fragment."""
    chosen = st.session_state.get("model", st.query_params.get("model"))
    ui.page_setup(TOPIC, intro=words.LEAD_YOURS if chosen == yours.OPTION and yours.cache_name() else words.LEAD)

    with ui.boundary():
        ui.stage.page_drawn(PAGE, None)
        name, prompt, meta = main_view()
        ui.stage.page_drawn(PAGE, drawn(name, prompt))      # what the rest of the page below draws
        model, _ = model_named(name)

        def truth() -> tuple[int, str]:
            index, account = words.answer(greedy(name, prompt))
            return index, ui.escape_markdown(account)

        ui.predict_reveal(words.QUESTION, words.ANSWERS, truth)
        how = ui.stage.deeper("How the model writes", HOW, icon=":material/menu_book:")
        if how.open:
            with how:
                st.markdown(words.HOW)
                if "yours" in meta:
                    st.caption(f"Model: yours, {meta['parameters']:,} parameters, trained on the Your text page "
                               f"({ui.escape_markdown(bundle.describe(meta['yours']))}).")
                else:
                    st.caption(f"Model: {meta['parameters']:,} parameters, {meta['metrics']['val_bpc']:.2f} bits per "
                               "character on held-out Hamlet and Macbeth (the surprise at each next character, "
                               f"$-\\log_2 p$, averaged; guessing all {model.vocab_size} characters alike costs "
                               f"{math.log2(model.vocab_size):.2f}).")


def drawn(name: str, prompt: str) -> tuple:
    """What the parts outside main_view show of its settings: the question's answer (once shown) and "How the
    model writes" (once opened) are about the model and the prompt; the intro says whose model it is; and
    Play's state, which only a whole run switches (its timer is set per full run). main_view reruns the whole
    page when this changes."""
    shows = ui.stage.answer_shown() or bool(st.session_state.get(HOW))
    # whose model writes: the intro above names it (the student's own, or the one trained on Shakespeare)
    return playing(STEP), yours.is_own(name), (name, prompt) if shows else None


def main_view() -> tuple[str, str, dict]:
    """The controls beside what the model wrote and the step view. The prompt, the model and the "What to
    try" buttons are drawn by the whole page's run (a new prompt or model reruns it all); τ, top-k, the
    length and the seed, what the model wrote and the step view by `writing`, a fragment that a move of
    those reruns alone. Returns the model's name, the prompt it read and the model's notes."""
    own = yours.cache_name()              # the student's own model (Your text page), when this session has one
    MODEL = ui.Choice("model", "Model", tuple(MODELS) + ((yours.OPTION,) if own else ()), "lstm", horizontal=True,
                      help=words.HELP["model"])

    controls, chart = ui.stage.main_view("gen", ratio=(1, 2.8))
    ui.cap_typed_text("prompt", charlm.MAX_CHARS)
    v = ui.render([PROMPT, MODEL], where=controls)
    live = controls.container()           # τ, top-k and the popover: drawn by the fragment, above the presets
    keep = {"prompt": v["prompt"], "model": v["model"]}
    if v["model"] != yours.OPTION:          # (the presets' notes describe the shipped models)
        # Outside the fragment: a move of τ does not draw the four buttons and their notes again (they cost the
        # browser ~60 ms of a ~220 ms move); a press reruns the whole page, which shows its chart beside it.
        presets_beside(controls, words.presets(keep), [PROMPT, MODEL, *MAIN, *RARE])
    name = own if v["model"] == yours.OPTION else MODELS[v["model"]]
    with chart:
        model, meta = model_named(name) if own and name == own else ui.pretrained_or_stop(name, "The text generation demo")

    prep = charlm.prepare(model, v["prompt"])
    for message in prep.messages():
        if not prep.text:
            message = "The prompt is empty: the model starts from a new line (↵)."
        with chart:
            ui.problem(ui.escape_markdown(message))
    writing(name, prep.text or "\n", live, chart)
    return name, prep.text or "\n", meta


PROMPT = ui.Text("prompt", "Prompt", "ROMEO.\n", height=80, help=words.HELP["prompt"])
MAIN = [ui.Slider("temp", "Temperature τ", 0.1, 2.0, 0.8, step=0.1, help=words.HELP["temp"]),
        ui.Slider("k", "Top-k", 0, 20, 0, help=words.HELP["k"])]
# "Characters to write" says what n is: no help icon (each one is drawn again on every move in this fragment)
RARE = [ui.Slider("n", "Characters to write", 10, compute.MAX_NEW, 120, step=10),
        ui.Number("seed", "Seed", 0, 9999, 0, help=words.HELP["seed"])]


@ui.fragment
def writing(name: str, prompt: str, live, chart) -> None:
    """τ, top-k and (in a popover) the length and the seed, in `live`; what the model `name` wrote after
    `prompt` and the step view, in `chart`. A fragment: a move of its controls reruns it alone."""
    # The fragment's own containers inside the two columns made outside it: a rerun replaces what they hold
    # (the stepper, a fragment of its own, lives in `chart`'s; drawn into `chart` itself, a τ move drew a
    # second stepper under the first)
    live, chart = live.container(), chart.container()
    v = ui.render(MAIN, where=live)
    # (a popover, not an expander: closed, the browser has none of it to draw again on each move)
    v |= ui.render(RARE, where=live.popover("More settings: length, seed", icon=":material/tune:", width="stretch"))
    model, _ = model_named(name)
    ui.stage.follow_page(PAGE, drawn(name, prompt), True)
    g = generate(name, prompt, v["n"], v["temp"], v["k"], v["seed"])

    P = len(g.prompt)
    # What it wrote, in a box of its own height: a long text scrolls inside it, the step view stays in sight
    chart.container(height=TEXT_BOX_PX, border=False).html(
        colored.colored_text(g.prompt + g.text, np.r_[np.full(P, np.nan), g.p_chosen], signed=False,
                             label="p drawn", unknown=[ch not in model.index or ch == "\x00" for ch in g.prompt]
                             + [False] * len(g.text)))

    def heatmap(t: int) -> None:
        """Beside the step controls: every step's distribution in the window holding t (the stepper's
        fragment); the same figure for every t of a window, and t's box drawn over it (figures.step_mark)."""
        steps = figures.page_of(t, len(g.text))
        fig = figures.steps_heatmap(g, steps=steps, height=HEATMAP_HEIGHT[ui.frame.presenting()], width=HEATMAP_PX)
        said = (f"{describe.summary(fig).replace(figures.KEY_READ, figures.KEY_SAID)} Pink boxes: the character "
                f"drawn at each step, the model's favourite at "
                f"{int((g.rank[steps.start - 1:steps.stop - 1] == 1).sum())} of these {len(steps)}.")
        ui.chart(st, fig, key="heatmap", numbers=said)
        st.html(figures.step_mark("heatmap", t, steps))

    def show_step(t: int) -> None:
        """Under the step view, rerun with it when the step moves: step t's bars and sentence; the diagram
        only when opened."""
        st.caption(f"The text above: yellow shows how likely each drawn character was (pale: a long shot). "
                   f"Drawn: the model's favourite at {int((g.rank == 1).sum())} steps of {len(g.text)}.")
        st.html(figures.step_bars(g, t, height=BARS_PX[ui.frame.presenting()]))
        s = t - 1
        read = g.prompt[-1] if t == 1 else g.text[t - 2]
        st.markdown(f"**Step {t}** reads “{ui.escape_markdown(compute.visible(read))}” "
                    f"({'the prompt’s last character' if t == 1 else 'the character drawn at step ' + str(t - 1)}) "
                    f"and draws “{ui.escape_markdown(compute.visible(g.text[s]))}”: p = {g.p_chosen[s]:.1%} after "
                    f"τ and top-k, {g.model_probs[s, g.chosen[s]]:.1%} by the model's own reckoning, its number "
                    f"{g.rank[s]} choice. The distribution it drew from has {g.entropy_bits[s]:.2f} bits of "
                    "entropy.")
        more = ui.stage.deeper("How to read these charts, and step t in the one-to-many diagram", DIAGRAM,
                               icon=":material/schema:")
        if more.open:
            with more:
                st.html(colored.legend(False, 1.0))
                st.caption("The text: the prompt has no colour; each written character sits on a yellow as "
                           "strong as the probability it was drawn with. Heatmap: each column is a step, each row a rank in the model's own order (1 = its "
                           "favourite). Colour: the probability used for the draw; blank: cut by top-k; pink "
                           "box: what was drawn; orange: step t.")
                w = compute.window(g, t)
                ui.chart(st, architectures.unrolled("one-to-many", w.n_in, w.n_out, highlight=w.highlight,
                                                    labels=w.labels, loss=False, height=360, width=640,
                                                    legend=False, title=f"Step {t} in the one-to-many diagram"),
                         key="diagram",
                         summary=f"Step {t} in the one-to-many diagram: the character drawn at step {t} is fed "
                                 f"back as the input of step {t + 1}; the state h carries everything read before.")
                st.caption("Columns are generated steps; the orange band is step t. Each drawn character (top) "
                           "is fed back as the next step's input (dotted); the state h carries everything read "
                           "before.")

    with chart:      # the step's slider and buttons beside the heatmap: text, stepper and heatmap on one screen
        stepper(Steps(STEP, "Generated step t", first=1, last=len(g.text), start=1, help=words.HELP["t"],
                      stage="gen_step"), heatmap, below=show_step)
