"""The Memory lab page: an RNN, an LSTM and a GRU trained live, side by side, on a task whose answer hides far
back in a long sequence; the loss curves, where the gradient dies, the verdicts, a look inside the trained LSTM,
and a sweep over lengths. Run by pages/7_Memory_lab.py; the words are in words.py, the numbers in compute.py,
the trainings in runs.py (each in a process of its own, through rnnviz.ui.training), the charts in figures.py,
the cached paces and the sections in view_parts.py."""
from dataclasses import replace

import streamlit as st

from rnnviz import ui
from rnnviz.shared.style import NAME
from rnnviz.topics.memory import TOPIC
from rnnviz.topics.memory import compute as memory
from rnnviz.topics.memory import runs as memory_runs
from rnnviz.topics.memory import view_parts as sections
from rnnviz.topics.memory import words as text
from rnnviz.ui import revealed, training

D, HELP = memory.Config(), text.HELP
LRS = ("0.0003", "0.001", "0.003", "0.01", "0.03", "0.1", "0.3", "1")
MAIN = [                        # beside the live view: what the lesson is about
    ui.Choice("task", "Task", tuple(memory.TASKS), D.task, help=HELP["task"]),
    ui.Slider("T", "Length T: how far back to remember", 5, 200, D.T, help=HELP["T"]),
    *(ui.Toggle(k, f"Train the {NAME[k]}", True, help=HELP["cells"]) for k in memory.CELLS),
]
RARE = [                        # in the sidebar: the two linear RNNs (off; a preset turns them on), how it trains
    *(ui.Toggle(k, f"Train the {NAME[k]}", False, help=HELP[k]) for k in memory.MODERN),
    ui.Slider("steps", "Step budget", 100, 3000, D.steps, step=100, help=HELP["steps"]),
    ui.Choice("opt", "Optimizer", memory.OPTIMIZERS, D.optimizer, horizontal=True, help=HELP["opt"]),
    ui.Choice("lr", "Learning rate", LRS, f"{D.lr:g}", help=HELP["lr"]),
    ui.Slider("clip", "Clip ‖∇θ L‖ at (0 = off)", 0.0, 10.0, D.clip, step=0.5, help=HELP["clip"]),
    ui.Slider("fb", "LSTM forget-gate bias b_f", -3.0, 5.0, D.forget_bias, step=0.5, help=HELP["fb"]),
    ui.Toggle("match", "Equal parameter counts", D.match, help=HELP["match"]),
    ui.Number("seed", "Seed", 0, 9999, D.seed, help=HELP["seed"]),
]
CONTROLS = MAIN + RARE
ABOUT, EQUATIONS = "memory_about", "memory_equations"      # the lazy expanders' keys


CFG, FULL = "memory_cfg", "memory_full_run"   # session keys: the settings the page was last drawn with, and
                                                # whether the whole page (not only the T fragment) is running


def settings(v: dict) -> memory.Config:
    """The lab's settings from the controls' values (no cell chosen: the three classic ones)."""
    chosen = tuple(k for k in memory.ALL_CELLS if v[k])
    return memory.Config(task=v["task"], T=v["T"], cells=chosen or memory.CELLS, steps=v["steps"], lr=float(v["lr"]),
                         optimizer=v["opt"], clip=v["clip"], forget_bias=v["fb"], seed=v["seed"], match=v["match"])


def _outside(cfg: memory.Config, run) -> tuple:
    """What the page outside the T fragment was drawn from, T aside: the other settings and the comparison run
    (which one, and whether it trains). Nothing there but the question's revealed answer reads T (the sweep sets
    T itself; the sizes and weights under Train do not depend on it)."""
    return replace(cfg, T=0), id(run), training.is_alive(run)


def pressed() -> memory.Config:
    """The settings when a button is pressed: T may have moved (in its fragment) since the button was drawn."""
    return st.session_state[CFG][0]


@ui.fragment
def length_view(v: dict, slot) -> None:
    """T (drawn in `slot`, its place among the controls) and what depends on it beside them: the task's note and
    the live comparison. A fragment: a move of T (what a student moves most) redraws only this, not the other
    controls, Train, the sidebar, the question, the presets or the sweep. `v`: the other controls' values, from
    the page's last full run (each of them reruns the whole page). Once the question's answer is shown (it reads
    the student's run with these settings), a move of T reruns the whole page, so nothing there says something old."""
    ss = st.session_state
    with ui.boundary("main view"):
        v = v | ui.render(MAIN[1:2], where=slot.container())
        cfg, run = settings(v), training.current("memory_run")
        drawn = ss.get(CFG)
        if not ss.get(FULL) and (drawn is None or cfg != drawn[0] and (_outside(cfg, run) != drawn[1] or revealed())):
            st.rerun()                          # the page outside this view depends on it: redraw it all
        ss[CFG] = cfg, _outside(cfg, run)
        st.markdown(text.task_note(cfg))
        training.live("memory_run", lambda run, alive: sections.comparison(cfg, run, alive))


def main() -> None:
    """The page, top to bottom: its main view (the task, T, the cells and Train beside the task and the live
    comparison; T and what it changes are a fragment), the trained LSTM looked inside, the question, what to try,
    the sweep; the intro's rest and the equations when opened. The rarer settings stay in the sidebar. One
    training at a time per student."""
    ui.page_setup(TOPIC, intro=text.LEAD)
    ss = st.session_state
    with ui.boundary():
        controls, chart = ui.stage.main_view("memory", ratio=(1, 3))
        v = ui.render(MAIN[:1], where=controls)
        length = controls.container()            # T, under the task: drawn by length_view
        v |= ui.render(MAIN[2:], where=controls)
        v |= ui.render(RARE, where=ui.stage.settings("linear RNNs, how it trains"))
        chosen = tuple(k for k in memory.ALL_CELLS if v[k])
        partial = settings(v | {"T": D.T})       # T aside: what the controls' column says does not depend on it
        if not chosen:
            with controls:
                ui.problem("No cell is chosen: switch on at least one of the five cells to train.")
        ss[FULL] = True
        ss.pop(CFG, None)
        try:
            with chart:
                length_view(v, length)
        finally:
            ss[FULL] = False
        if CFG not in ss:                       # the main view failed before it read T (it says so)
            return
        cfg = ss[CFG][0]

        # ----- the comparison: Train / Stop beside the task and the live view -----------------------------------
        sweeping = training.is_alive(training.current("memory_sweep"))
        training.button("memory_run", lambda trainer, me: memory_runs.start_comparison(pressed(), trainer, me), "Train",
                        where=controls, disabled=not chosen or sweeping,
                        help="Train every chosen cell from scratch with these settings (and the sidebar's), side by "
                             "side. " + ("Your sweep is running: one training at a time per student. " if sweeping else "")
                             + training.limits())
        controls.caption(" · ".join(f"{NAME[k]}: {memory.hidden_size(partial, k)} units, "
                                    f"{memory.n_parameters(k, partial.task, memory.hidden_size(partial, k)):,} weights"
                                    for k in partial.cells) + f" · batch {partial.batch}, one new batch per step")
        run = training.current("memory_run")
        sections.inside_section(run)
        ui.predict_reveal(text.QUESTION, text.ANSWERS, lambda: sections.truth(cfg, run))
        ui.experiments(text.PRESETS, CONTROLS)

        # ----- the sweep over lengths ---------------------------------------------------------------------------
        st.subheader("Sweep: which cell solves which length?")
        st.markdown(text.SWEEP)
        comparing = training.is_alive(run)
        training.button("memory_sweep", lambda trainer, me: memory_runs.start_sweep(pressed(), trainer, me),
                        "Run the sweep",
                        disabled=not chosen or comparing,
                        help=text.sweep_help(memory.estimate(cfg, sections.memory_paces(cfg), memory.cores(),
                                                             memory.LENGTHS))
                             + ("Your comparison is training: one training at a time per student. " if comparing else "")
                             + training.limits())
        training.live("memory_sweep", sections.sweep)

        # ----- deeper: the rest of the intro, the equations ------------------------------------------------------
        about = ui.stage.deeper("About this page: what to watch", ABOUT, icon=":material/info:")
        if about.open:
            about.markdown(text.ABOUT)
        eqs = ui.stage.deeper("The equations behind the lab, as the code computes them", EQUATIONS,
                              icon=":material/functions:")
        if eqs.open:
            with eqs:
                for lead, equation in text.EQUATIONS:
                    st.markdown(lead)
                    st.latex(equation)
