"""Architectures: one unrolled diagram for the five forms of a recurrent network, each linked to its demo."""
import streamlit as st

from rnnviz import ui
from rnnviz.topics.architectures import figures as figs
from rnnviz.topics.architectures import compute as arch
from rnnviz.topics.architectures import TOPIC


def main() -> None:
    """The page: run by pages/6_Architectures.py on every rerun."""
    ui.page_setup(TOPIC, intro=(
        "The same recurrent cell, wired five ways. What changes is **which steps take an input**, **which "
        "produce an output**, and **where the loss sits**, and so which tasks a network can learn. Pick a form "
        "and move the lengths; every box in the diagram is one step's input, cell, output or loss term."))

    with ui.boundary():
        CONTROLS = [
            ui.Choice("form", "Form", arch.ORDER, "many-to-one", horizontal=True,
                      help="one-to-one: no sequence (feed-forward). one-to-many: one input, a sequence out. many-to-one: "
                           "a sequence in, one answer. many-to-many: one output per input, aligned. encoder-decoder: a "
                           "sequence in, another of any length out."),
            ui.Slider("n_in", "Input length n_in", 1, 12, 6,
                      help="How many steps read an input. Greyed out where the form fixes it (one input for one-to-one "
                           "and one-to-many)."),
            ui.Slider("n_out", "Output length n_out", 1, 12, 4,
                      help="How many outputs. Greyed out where the form fixes it: 1 for one-to-one and many-to-one; "
                           "equal to n_in for aligned many-to-many."),
        ]
        v = ui.render(CONTROLS[:1], where=st.container())
        form = arch.FORMS[v["form"]]
        row = st.columns([4, 3, 3], vertical_alignment="bottom")
        for control, where in zip(CONTROLS[1:], row[1:]):
            v |= ui.render([control], where=where, disabled=lambda key, _: key in form.fixed)
        n_in, n_out = arch.lengths(form.key, v["n_in"], v["n_out"])
        lay = arch.layout(form.key, n_in, n_out)
        row[0].markdown(f"**{form.name}**: {form.rule}.")

        ui.chart(st, figs.unrolled(form.key, n_in, n_out), key="diagram", summary=arch.summary(lay))
        fixed = [f"{k} = {val} (set by the form)" for k, val in (("n_in", n_in), ("n_out", n_out)) if k in form.fixed]
        st.caption(("; ".join(fixed) + ". " if fixed else "") + "Hover a box for what it computes.")

        left, right = st.columns([3, 2])
        with left:
            st.subheader(f"{form.name}: {form.rule}")
            st.markdown(form.description)
            st.markdown(f"**Where the loss sits.** {form.loss}")
            if form.key == "many-to-one":
                st.markdown(f"**Notice:** with {n_in} inputs there is one loss term, at step {n_in}. To learn anything "
                            f"from the first input, its gradient must travel back through all {n_in - 1} recurrent "
                            "steps, each multiplying it by W_hh and a tanh slope: backpropagation through time.")
            elif form.key == "encoder-decoder":
                st.markdown("**Notice:** the whole input reaches the decoder only through the one vector c. For long "
                            "inputs that is a bottleneck (Cho et al. 2014 measured translations getting worse as sentences "
                            "grew longer); attention (Bahdanau et al. 2015) lets every decoder step look back at every "
                            "encoder state instead.")
            elif form.key == "one-to-many":
                st.markdown("**Notice:** after the first step the network's only input is its own last output (dotted). "
                            "One odd choice early on is read back in and shapes everything after it.")
            elif form.key == "many-to-many":
                st.markdown("**Notice:** the output at step t has seen x_1..x_t, never what comes after. A tagger that "
                            "must know the next word runs a second RNN backwards and joins the two (bidirectional).")
            else:
                st.markdown("**Notice:** no arrow between steps, so no memory: the same W, but nothing carried along.")
            if "pages/2_BPTT.py" in {lesson.path for lesson in ui.LESSONS} and form.key != "one-to-one":
                st.page_link("pages/2_BPTT.py", label="How the gradient travels back through the steps: the BPTT lesson",
                             icon=":material/fast_rewind:")
        with right:
            st.subheader("Used for")
            st.markdown("\n".join(f"- **{name}.** {sentence}" for name, sentence in form.applications))
            pages = {lesson.path for lesson in ui.LESSONS}
            for demo in form.demos:
                if demo.path in pages:
                    st.page_link(demo.path, label=f"Try it live: {demo.title}", icon=":material/play_arrow:", query_params=demo.query,
                                 help="Opens the demo with a ready input: " + "; ".join(f"{k} = {val!r}"
                                                                                         for k, val in demo.query.items()))
                else:
                    st.caption(f"{demo.title}: " + ("its live demo comes with the next issue." if demo.coming else
                                                    "its live demo is not installed in this copy of the app."))
            if not form.demos:
                st.caption("No demo: a feed-forward network has no steps to show.")

        with st.expander("All five forms side by side", icon=":material/table_rows:"):
            st.dataframe([{"form": f.name, "lengths": f.rule, "loss": f.loss.split(":")[0].split(";")[0],
                           "for example": ", ".join(name for name, _ in f.applications)} for f in arch.FORMS.values()],
                         hide_index=True, key="forms_table")

        ui.experiments(arch.presets(), CONTROLS)

        question, answers, right_index, explanation = arch.predict_question(8)
        ui.predict_reveal(question, answers, lambda: (right_index, explanation))
