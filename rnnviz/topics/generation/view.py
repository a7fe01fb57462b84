"""Text generation: a shipped character model writes, one drawn character at a time (one-to-many)."""
import math

import numpy as np
import streamlit as st

from rnnviz import ui
from rnnviz.topics.architectures import figures as arch_figs
from rnnviz.topics.generation import figures as figs
from rnnviz.shared import colored_text as colored
from rnnviz.shared import charlm
from rnnviz.topics.generation import compute as generation
from rnnviz.topics.generation import view_parts as cached
from rnnviz.ui.stepper import Steps, stepper
from rnnviz.topics.generation import TOPIC


def main() -> None:
    """The page: run by pages/10_Text_generation.py on every rerun."""
    MODELS = {"lstm": "char_lstm", "gru": "char_gru"}

    ui.page_setup(TOPIC, intro=(
        "A character-level model trained on Shakespeare continues your prompt, one character at a time. Each "
        "character is **drawn** from a probability distribution over the next character; the temperature and "
        "top-k decide how adventurous the draw is. Below, every step's distribution, and the drawn one marked."))

    with ui.boundary():
        PROMPT = ui.Text("prompt", "Prompt", "ROMEO.\n", height=80,
                         help=f"What the model reads first (at most {charlm.MAX_CHARS:,} characters). Characters it never "
                              "saw in training are read as one unknown symbol; an empty prompt starts from a new line.")
        MODEL = ui.Choice("model", "Model", tuple(MODELS), "lstm", horizontal=True,
                          help="lstm: the LSTM of the LSTM-inside lesson (256 units). gru: the GRU of GRU vs LSTM (296 "
                               "units). Both were trained on the same Shakespeare.")
        KNOBS = [ui.Slider("temp", "Temperature τ", 0.1, 2.0, 0.8, step=0.1,
                           help="The scores are divided by τ before the softmax: below 1 the favourite gets even likelier "
                                "(safer, fewer surprises); above 1 the distribution flattens (inventive, misspelt)."),
                 ui.Slider("k", "Top-k", 0, 20, 0, help="Draw only from the k likeliest characters (renormalised). "
                           "0 = no cut. 1 = always the favourite: greedy, no randomness left."),
                 ui.Slider("n", "Characters to write", 10, generation.MAX_NEW, 120, step=10,
                           help="How many characters to generate."),
                 ui.Number("seed", "Seed", 0, 9999, 0, help="Seeds the draws: the same settings and seed write the same "
                           "text, so a shared link shows the same page.")]
        CONTROLS = [PROMPT, MODEL, *KNOBS]

        top = st.columns([3, 1], vertical_alignment="top")
        ui.cap_typed_text("prompt", charlm.MAX_CHARS)
        v = ui.render([PROMPT], where=top[0]) | ui.render([MODEL], where=top[1])
        for control, where in zip(KNOBS, st.columns(4)):
            v |= ui.render([control], where=where)
        name = MODELS[v["model"]]
        model, meta = ui.pretrained_or_stop(name, "The text generation demo")

        prep = charlm.prepare(model, v["prompt"])
        for message in prep.messages():
            if not prep.text:
                message = "The prompt is empty: the model starts from a new line (↵)."
            ui.problem(ui.escape_markdown(message))
        g = cached.generate(name, prep.text or "\n", v["n"], v["temp"], v["k"], v["seed"])

        st.subheader("What it wrote")
        P = len(g.prompt)
        st.html(colored.colored_text(g.prompt + g.text, np.r_[np.full(P, np.nan), g.p_chosen], signed=False,
                                     label="p drawn", unknown=[ch not in model.index or ch == "\x00" for ch in g.prompt]
                                     + [False] * len(g.text)))
        st.html(colored.legend(False, 1.0))
        st.caption(f"The prompt ({P} character{'s' if P != 1 else ''}) has no colour; each written character sits on a "
                   "yellow as strong as the probability it was drawn with: pale ones were long shots. "
                   f"{len(g.text)} characters; the drawn one was the model's favourite at {int((g.rank == 1).sum())} "
                   f"steps. Model: {meta['parameters']:,} parameters, {meta['metrics']['val_bpc']:.2f} bits per character "
                   "on held-out Hamlet and Macbeth (the surprise at each next character, $-\\log_2 p$, averaged; "
                   f"guessing all {model.vocab_size} characters alike costs {math.log2(model.vocab_size):.2f}).")
        st.markdown(generation.HOW)


        def show_step(t: int) -> None:
            ui.chart(st, figs.steps_heatmap(g, picked=t, steps=figs.around(t, len(g.text))), key="heatmap")
            st.caption("Each column is a step, each row a rank in the model's own order (1 = its favourite). Colour: the "
                       "probability used for the draw; blank: cut by top-k; pink box: what was drawn; orange: step t.")
            left, right = st.columns([1, 1])
            ui.chart(left, figs.step_bars(g, t), key="bars")
            w = generation.window(g, t)
            ui.chart(right, arch_figs.unrolled("one-to-many", w.n_in, w.n_out, highlight=w.highlight, labels=w.labels,
                                                  loss=False, height=360, width=480, legend=False,
                                                  title=f"Step {t} in the one-to-many diagram"), key="diagram",
                     summary=f"Step {t} in the one-to-many diagram: the character drawn at step {t} is fed back as "
                             f"the input of step {t + 1}; the state h carries everything read before.")
            right.caption("Columns are generated steps; the orange band is step t. Each drawn character (top) is fed "
                          "back as the next step's input (dotted); the state h carries everything read before.")
            s = t - 1
            read = g.prompt[-1] if t == 1 else g.text[t - 2]
            st.markdown(f"**Step {t}** reads “{ui.escape_markdown(generation.visible(read))}” "
                        f"({'the prompt’s last character' if t == 1 else 'the character drawn at step ' + str(t - 1)}) and "
                        f"draws “{ui.escape_markdown(generation.visible(g.text[s]))}”: p = {g.p_chosen[s]:.1%} after τ and "
                        f"top-k, {g.model_probs[s, g.chosen[s]]:.1%} by the model's own reckoning, its number "
                        f"{g.rank[s]} choice. The distribution it drew from has {g.entropy_bits[s]:.2f} bits of entropy.")


        st.subheader("Step by step")
        stepper(Steps("t", "Generated step t", first=1, last=len(g.text), start=1,
                      help="Which generated character to look at: its distribution, and the diagram around it."), show_step)

        keep = {"prompt": v["prompt"], "model": v["model"]}
        ui.experiments(generation.presets(keep), CONTROLS)


        def truth() -> tuple[int, str]:
            looped, account = generation.loop_answer(cached.greedy(name, prep.text or "\n"))
            return (1 if looped else 0), ui.escape_markdown(account)


        ui.predict_reveal("With top-k = 1 (always the model's favourite character), what happens to the text after a "
                          "while?", ["It keeps writing new words and lines", "It falls into a loop: the same piece repeats",
                                     "It stops: nothing more comes", "It turns into random letters"], truth)
