"""The Architectures page: one unrolled diagram for the five forms of a recurrent network (one-to-one,
one-to-many, many-to-one, aligned many-to-many, encoder–decoder): which steps read, which write, where the
loss sits; what each form is used for, each linked to its live demo; a depth slider stacks the cell rows (a deep
RNN, rnnviz.stack) with the parameters per layer; the lessons past the five forms. Run by pages/6_Architectures.py; the
words are in words.py, the forms and their layouts in compute.py, the diagram in figures.py."""
from typing import Any

import streamlit as st

from rnnviz import catalog, ui
from rnnviz.topics.architectures import TOPIC
from rnnviz.topics.architectures import compute as arch
from rnnviz.topics.architectures import figures as figs
from rnnviz.topics.architectures import words as text

BPTT_PAGE = "pages/2_BPTT.py"
TABLE = "arch_table"           # the lazy "All five forms" expander's key
HEIGHT = {False: 410, True: 330}   # the diagram's, in pixels: on a laptop, and on a projector (larger type, 720 px)
WIDTH = {False: 640, True: 860}    # the chart column's, in pixels, at 1366 (sidebar open) and at 1280 presenting
HELP = text.HELP
CONTROLS = [
    ui.Choice("form", "Form", arch.ORDER, "many-to-one", horizontal=True, help=HELP["form"]),
    ui.Slider("n_in", "Input length n_in", 1, 12, 6, help=HELP["n_in"]),
    ui.Slider("n_out", "Output length n_out", 1, 12, 4, help=HELP["n_out"]),
    ui.Slider("layers", "Depth: layers L", 1, arch.MAX_LAYERS, 1, help=HELP["layers"]),
]
UNFOLD_PAGE = "pages/1_Unfolded_RNN.py"
# The newer lessons the page points to, by topic name: listed only when the catalog has their page.
NEW = (("attention", {}), ("unfold", {"layers": "2"}), ("modern", {}))


def form_section(form: arch.Form) -> Any:
    """The form in words: its description, where the loss sits, what to notice; a link to the BPTT lesson.
    Returns the place of the notice, which quotes n_in: the main view's fragment writes it at every move of a
    length, and nothing else here is re-sent then."""
    st.subheader(f"{form.name}: {form.rule}")
    st.markdown(f"{form.description}\n\n**Where the loss sits.** {form.loss}")
    notice = st.container()
    if BPTT_PAGE in {lesson.path for lesson in ui.LESSONS} and form.key != "one-to-one":
        st.page_link(BPTT_PAGE, label="How the gradient travels back through the steps: the BPTT lesson",
                     icon=":material/fast_rewind:")
    return notice


def uses_section(form: arch.Form) -> None:
    """What the form is used for, and a link to each of its demos that this copy of the app has."""
    st.subheader("Used for")
    st.markdown("\n".join(f"- **{name}.** {sentence}" for name, sentence in form.applications))
    pages = {lesson.path for lesson in ui.LESSONS}
    for demo in form.demos:
        if demo.path in pages:
            st.page_link(demo.path, label=f"Try it live: {demo.title}", icon=":material/play_arrow:", query_params=demo.query,
                         help="Opens the demo with a ready input: " + "; ".join(f"{k} = {val!r}"
                                                                                 for k, val in demo.query.items()))
        else:
            st.caption(text.demo_missing(demo.title, demo.coming))
    if not form.demos:
        st.caption(text.NO_DEMO)


@ui.fragment
def main_view(form: arch.Form, notice: Any) -> None:
    """The main view: the lengths and the depth beside the diagram they change, and the form's notice (it quotes
    n_in; in `notice`, under the form's description). A length slider reruns only this (a fragment): the form in
    words and its uses, drawn by the page, are not re-sent; the form above reruns the page (the question and the
    presets below do not depend on the lengths)."""
    with ui.boundary("main view"):
        controls, chart = ui.stage.main_view("arch", ratio=(1, 3))
        v = ui.render(CONTROLS[1:], where=controls, disabled=lambda key, _: key in form.fixed)
        n_in, n_out = arch.lengths(form.key, v["n_in"], v["n_out"])
        lay = arch.layout(form.key, n_in, n_out)
        controls.markdown(f"**{form.name}**: {form.rule}.")
        presenting = ui.frame.presenting()       # projector type: no legend (the boxes and the rows say it)
        L = v["layers"]
        ui.chart(chart, figs.unrolled(form.key, n_in, n_out, height=HEIGHT[presenting],
                                      width=WIDTH[presenting], legend=not presenting, layers=L),
                 key="diagram", summary=arch.summary(lay))
        note = text.fixed_note([f"{k} = {val} (set by the form)" for k, val in (("n_in", n_in), ("n_out", n_out))
                                if k in form.fixed])
        if L > 1:                                # one caption under the diagram (one element fewer to redraw)
            note += "\n\n" + text.depth_note(L, arch.depth_paths(lay, L),
                                              {k: arch.layer_parameters(k, L) for k in ("rnn", "lstm", "gru")})
        chart.caption(note)
        notice.markdown(text.notice(form.key, n_in))


def new_lessons() -> None:
    """The lessons past the five forms (issue 23): each linked by its catalog entry, so a page this copy of the
    app does not have is not named at all."""
    found = [(catalog.TOPICS[name], query) for name, query in NEW if name in catalog.TOPICS]
    found = [(t, q) for t, q in found if t.path in {lesson.path for lesson in ui.LESSONS}]
    if not found:
        return
    st.markdown(text.NEW_LESSONS)
    for topic, query in found:
        label = f"{topic.title}, with {query['layers']} layers: a time × depth grid" if query else topic.title
        st.page_link(topic.path, label=label, icon=topic.icon, query_params=query, help=topic.blurb)


def main() -> None:
    """The page, top to bottom: the form (a row of five), its main view (lengths beside the diagram, then the
    form in words and its uses), what to try and the question; all five side by side when opened."""
    ui.page_setup(TOPIC, intro=text.LEAD)
    with ui.boundary():
        v = ui.render(CONTROLS[:1], where=st.container())          # the five forms in one row, above the view
        form = arch.FORMS[v["form"]]
        view = st.container()                  # the main view (a fragment), above the form in words
        left, right = st.columns([3, 2])
        with left:
            notice = form_section(form)
        with right:
            uses_section(form)
        with view:
            main_view(form, notice)
        new_lessons()
        ui.predict_reveal(text.QUESTION, text.ANSWERS, text.reveal)        # the question, then the presets
        ui.experiments(text.PRESETS, CONTROLS, show="diagram")
        table = ui.stage.deeper("All five forms side by side", TABLE, icon=":material/table_rows:")
        if table.open:
            with table:
                st.dataframe([{"form": f.name, "lengths": f.rule, "loss": f.loss.split(":")[0].split(";")[0],
                               "for example": ", ".join(name for name, _ in f.applications)}
                              for f in arch.FORMS.values()], hide_index=True, key="forms_table")
