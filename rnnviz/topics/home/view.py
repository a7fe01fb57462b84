"""rnnviz: the Home page. Streamlit's native multipage mode serves the lessons in pages/."""
import streamlit as st

from rnnviz import cells, ui
from rnnviz.topics.home import figures as home
from rnnviz.topics.home import TOPIC


def main() -> None:
    """The page: run by app.py on every rerun."""
    ui.page_setup(TOPIC, intro=(
        "An interactive explainer for a class or for home. Every chart is computed live, on the computer that runs "
        "this app (a laptop's CPU is enough), by small transparent cells that agree with PyTorch's `torch.nn` number "
        "for number (to 10⁻⁵ in the 32-bit floats torch uses by default, a test checks every one), so the numbers "
        "you see are the numbers a real network computes."))

    with ui.boundary():
        # This student's progress, kept in this browser tab's session only (ui.frame): nothing is stored.
        progress = ui.frame.progress()
        learning = [lesson for lesson in ui.LESSONS if lesson.group != "Teaching"]
        seen = [lesson for lesson in learning if lesson.title in progress["visited"]]
        answered = {t: right for t, right in progress["answered"].items() if t in {x.title for x in learning}}
        if seen:
            box = st.container(border=True, key="progress")
            box.markdown(f"**Your progress in this visit:** {len(seen)} of {len(learning)} lessons and demos opened; "
                         f"{len(answered)} of {len(learning)} questions answered, {sum(answered.values())} right "
                         "(it starts again in a new browser tab: nothing is stored).")
            box.progress(len(seen) / len(learning))

        st.header("Sequences: when order is the information")
        st.markdown("A **sequence** is an ordered list of vectors $x_1, x_2, \\dots, x_T$. Text is a sequence of "
                    "characters or words, a time series of readings, audio of samples, video of frames.")
        sequences_fig, unrolled_fig = ui.cache.home_figures()
        ui.chart(st, sequences_fig, key="sequences", summary=home.sequence_summary())
        a, b = home.order_matters()
        st.markdown(f"Order carries meaning: *{a}* and *{b}* contain exactly the same words. A model that only "
                    "counts words cannot tell them apart; a model that reads in order can.")

        st.header("The idea: one small network, reused at every step")
        st.markdown("A feed-forward network would need a separate input slot (and separate weights) for every "
                    "position, and a fixed length. A recurrent network instead applies **the same cell, with the "
                    "same weights**, at every step, and passes a hidden state $h_t$ forward as its memory:")
        st.latex(cells.equations("rnn")[0][1])
        steps = len(unrolled_fig.layout.shapes)                  # one box per copy of the cell
        ui.chart(st, unrolled_fig, key="unrolled", summary=f"One RNN cell unrolled over {steps} steps: every copy has "
                 "the same weights W_ih and W_hh, reads x_t and passes h_t to the next copy.")
        cell = cells.build("rnn", input_size=8, hidden_size=32)
        st.caption(home.parameter_caption(steps, cell.input_size, cell.hidden_size, cell.n_parameters()))

        for group in ui.GROUPS:
            members = [lesson for lesson in ui.LESSONS if lesson.group == group]
            if not members:
                continue
            st.header(f"The {group.lower()}")
            for lesson in members:
                with st.container(border=True):
                    top = st.columns([5, 2], vertical_alignment="center")
                    top[0].page_link(lesson.path, label=lesson.title, icon=lesson.icon)
                    if lesson.title in answered:
                        top[1].markdown(":material/task_alt: answered, right" if answered[lesson.title]
                                        else ":material/task_alt: answered")
                    elif lesson in seen:
                        top[1].markdown(":material/visibility: opened")
                    st.markdown(lesson.blurb)
