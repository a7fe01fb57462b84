"""The BPTT page: a small network predicts the next value at every step, so every step has a loss; the
backward pass walks from the last step to the first, one step at a time, with the numbers; then truncated
BPTT cuts it at k steps, two ways. Run by pages/2_BPTT.py; the words are in words.py, the numbers in
compute.py, the charts in figures.py, the cached runs and the sections in view_parts.py."""
from dataclasses import replace

import streamlit as st

from rnnviz import cells, ui
from rnnviz.shared.style import NAME
from rnnviz.topics.bptt import TOPIC
from rnnviz.topics.bptt import compute as bl
from rnnviz.topics.bptt import view_parts as sections
from rnnviz.topics.bptt import words as text
from rnnviz.ui.stepper import Steps, playing, stepper

HELP = text.HELP
CONTROLS = [
    ui.Choice("cell", "Cell", cells.KINDS, "rnn", horizontal=True, help=HELP["cell"]),
    ui.Choice("source", "Sequence", bl.SOURCES, "sine", horizontal=True, help=HELP["source"]),
    ui.Text("seq", "Your numbers", bl.DEFAULT_TEXT, help=HELP["seq"]),
    ui.Slider("T", "Predictions T", 2, bl.MAX_T, 12, help=HELP["T"]),
    ui.Slider("H", "Hidden units H", 1, 16, 4, help=HELP["H"]),
    ui.Slider("train", "Training steps before we look", 0, 200, 20, step=5, help=HELP["train"]),
    ui.Number("seed", "Seed", 0, 9999, 0, help=HELP["seed"]),
]
K = ui.Slider("k", "Truncation window k", 1, bl.MAX_T + 1, 3, help=HELP["k"])   # beside truncation's chart
FORWARD, EQUATIONS, TRUNCATION = "bptt_forward", "bptt_equations", "bptt_truncation"   # the lazy expanders below
DEEPER = (FORWARD, EQUATIONS, TRUNCATION)      # (truncation: its window k beside its chart, and the metrics)


def unused(key: str, values: dict) -> bool:
    """Typed numbers are read only for the typed sequence, and then they set T themselves."""
    return (key == "seq" and values.get("source") != "typed") or (key == "T" and values.get("source") == "typed")


MAIN = ("cell", "T")          # beside the step chart, over the stepper: the two a class changes most (T, the
                              # second, has a fragment of its own with the stepper: steps_view)
MAIN_CONTROLS = [c for c in CONTROLS if c.key in MAIN]
SIDE_CONTROLS = [c for c in CONTROLS if c.key not in MAIN]    # the rare settings stay in the sidebar
STEP = "step"                 # the stepper's key: the step t in the URL, and whether Play is running


def main() -> None:
    """The page, top to bottom: the cell, T and the step control beside the backward pass stepped (its chart);
    the forward pass, the equations and truncation (its window beside its chart) in closed expanders; then the
    question and what to try. The cell, T and the step view are one fragment (lesson_view): a new T
    or cell reruns that alone, not the page's frame, sidebar or expanders (while they are closed; an open one
    shows the settings, so then the whole page reruns); inside it the step view is a fragment of its own,
    and so is truncation's window, so a step or a new k reruns only its part."""
    lead, rest = ui.stage.lead(text.INTRO, 1)
    ui.page_setup(TOPIC, intro=lead)
    with ui.boundary():
        side = ui.render(SIDE_CONTROLS, where=ui.stage.settings("sequence, size, training, seed"),
                         disabled=unused)
        ui.stage.page_drawn("bptt", None)
        cfg = lesson_view(side)
        deeper_parts(cfg)
        ui.stage.page_drawn("bptt", drawn(cfg))         # what the rest of the page below draws

        # ----- a question, then what to try (a preset scrolls back to the step chart it changed) ----------------
        def truth() -> tuple[int, str]:
            """The question's answer, measured: the same network untrained and trained, both cut at k = 3."""
            return text.reveal(*(sections.bptt_lesson_run(replace(cfg, train_steps=n)) for n in (0, text.TRAINED)))

        ui.predict_reveal(text.question(NAME[cfg.kind]), text.ANSWERS, truth)
        ui.experiments(text.experiments(lambda name: sections.bptt_lesson_run(text.preset_config(name))),
                       CONTROLS + [K], show="so_far")
        ui.stage.about(rest, "bptt_about")


def drawn(cfg: bl.LessonConfig) -> tuple:
    """What the parts outside lesson_view show of its settings: the question names the cell, and its answer
    (once shown) is measured on the whole configuration, as is every open expander below the step view; and
    Play's state, which only a whole run switches (its timer is set per full run). lesson_view reruns the
    whole page when this changes."""
    shows_all = ui.stage.answer_shown() or any(st.session_state.get(key) for key in DEEPER)
    return cfg.kind, playing(STEP), cfg if shows_all else None


@ui.fragment
def lesson_view(side: dict) -> bl.LessonConfig:
    """The cell, T and the step control beside the backward pass stepped. A fragment: moving the cell reruns
    this part alone (and the whole page when an open part below shows the settings: drawn). T, with the
    stepper it sets the range of, is a fragment of its own inside it (steps_view): a new T re-sends T's slider
    and the stepper, not the cell's control or the columns."""
    # One main view: the cell and T, then Play, the step slider and the step buttons in the narrow column, the
    # step chart beside them (ui.stepper's `at`). Fewer elements to re-send and redraw per move than a row of
    # the two above a row for Play above the stepper's own two columns (and one screen, shorter).
    controls, chart = ui.stage.main_view("bptt", ratio=(1.4, 3))
    cell = ui.render(MAIN_CONTROLS[:1], where=controls)["cell"]
    t_box, step_box = controls.container(), controls.container()
    return steps_view(side, cell, t_box, step_box, chart)


@ui.fragment
def steps_view(side: dict, cell: str, t_box, step_box, chart) -> bl.LessonConfig:
    """T and what a typed sequence's problems say in t_box, the stepper in step_box (Play, its slider and
    buttons) beside its chart. lesson_view calls this again whenever the cell moves, so a rerun of this part
    alone always has the current cell."""
    v = {**side, "cell": cell,
         **ui.render(MAIN_CONTROLS[1:], where=t_box, disabled=lambda key, values: unused(key, side))}
    cfg = bl.LessonConfig(kind=v["cell"], source=v["source"], text=v["seq"], T=v["T"], H=v["H"],
                          train_steps=v["train"], seed=v["seed"])
    ui.stage.follow_page("bptt", drawn(cfg), True)
    lesson = sections.bptt_lesson_run(cfg)
    with t_box:                      # under the controls they are about (a typed sequence's problems)
        for message in lesson.messages:
            ui.problem(ui.escape_markdown(message))
    T = lesson.T

    stepper(Steps(STEP, "Backward pass at step t", first=1, last=T, start=T, direction=-1, hold=True,
                  seconds=max(0.5, min(1.0, 10 / T)), stage="bptt",
                  buttons=(f"t = {T}", "t − 1", "t + 1", "Play to t = 1", "Stop"), help=HELP["step"]),
            lambda t: sections.step_view(lesson, cfg, t), below=lambda t: sections.at_step(lesson, cfg, t),
            at=(step_box, chart))
    return cfg


def deeper_parts(cfg: bl.LessonConfig) -> None:
    """Under the step view: the forward pass, the equations and truncation, each a lazy expander (closed, it
    costs one element, and a new T or cell reruns nothing of it)."""
    lesson = sections.bptt_lesson_run(cfg)           # (cached: the run lesson_view just made)
    forward = ui.stage.deeper("The forward pass: a prediction and a loss at every step", FORWARD,
                              icon=":material/arrow_forward:")
    if forward.open:
        with forward:
            sections.forward_section(lesson, cfg)
    equations = ui.stage.deeper("The backward pass's equations", EQUATIONS, icon=":material/functions:")
    if equations.open:
        with equations:
            sections.backward_intro(lesson, cfg)
    opens_truncation()
    truncation = ui.stage.deeper("Truncated BPTT: cut at k steps, two ways", TRUNCATION, icon=":material/content_cut:")
    if truncation.open:
        with truncation:
            sections.truncation_section(lesson, cfg, K)


def opens_truncation() -> None:
    """Truncation opens by itself for a link that sets its window k (on the session's first run), and for the
    preset that sets k (Cut hard: the first of "What to try"). Not for Memory task, whose note points to it:
    its link carries no k (k stays at its default), so a shared link could not open it again, and a link must
    reproduce the view it was copied from (tests/app/test_browser_links.py)."""
    ss = st.session_state
    if (TRUNCATION not in ss and K.key in st.query_params) or ss.get("try_0") is True:
        ss[TRUNCATION] = True
