"""The Memory lab page: an RNN, an LSTM and a GRU trained live, side by side, on a task whose answer hides far
back in a long sequence; the loss curves, where the gradient dies, the verdicts, a look inside the trained LSTM,
and a sweep over lengths. Run by pages/7_Memory_lab.py; the words are in words.py, the numbers in compute.py,
the trainings in runs.py (each in a process of its own, through rnnviz.ui.training), the charts in figures.py,
the cached paces and the sections in view_parts.py."""
import streamlit as st

from rnnviz import ui
from rnnviz.shared.style import NAME
from rnnviz.topics.memory import TOPIC
from rnnviz.topics.memory import compute as memory
from rnnviz.topics.memory import runs as memory_runs
from rnnviz.topics.memory import view_parts as sections
from rnnviz.topics.memory import words as text
from rnnviz.ui import training

D, HELP = memory.Config(), text.HELP
LRS = ("0.0003", "0.001", "0.003", "0.01", "0.03", "0.1", "0.3", "1")
CONTROLS = [
    ui.Choice("task", "Task", tuple(memory.TASKS), D.task, help=HELP["task"]),
    ui.Slider("T", "Length T: how far back to remember", 5, 200, D.T, help=HELP["T"]),
    *(ui.Toggle(k, f"Train the {NAME[k]}", True, help=HELP["cells"]) for k in memory.CELLS),
    ui.Slider("steps", "Step budget", 100, 3000, D.steps, step=100, help=HELP["steps"]),
    ui.Choice("opt", "Optimizer", memory.OPTIMIZERS, D.optimizer, horizontal=True, help=HELP["opt"]),
    ui.Choice("lr", "Learning rate", LRS, f"{D.lr:g}", help=HELP["lr"]),
    ui.Slider("clip", "Clip ‖∇θ L‖ at (0 = off)", 0.0, 10.0, D.clip, step=0.5, help=HELP["clip"]),
    ui.Slider("fb", "LSTM forget-gate bias b_f", -3.0, 5.0, D.forget_bias, step=0.5, help=HELP["fb"]),
    ui.Toggle("match", "Equal parameter counts", D.match, help=HELP["match"]),
    ui.Number("seed", "Seed", 0, 9999, D.seed, help=HELP["seed"]),
]


def main() -> None:
    """The page, top to bottom: the task, the equations, Train and the live comparison, inside the trained LSTM,
    the sweep; then what to try and the question. One training at a time per student."""
    ui.page_setup(TOPIC, intro=text.INTRO)
    with ui.boundary():
        with st.sidebar:
            st.header("Controls")
        v = ui.render(CONTROLS)
        chosen = tuple(k for k in memory.CELLS if v[k])
        cfg = memory.Config(task=v["task"], T=v["T"], cells=chosen or memory.CELLS, steps=v["steps"], lr=float(v["lr"]),
                            optimizer=v["opt"], clip=v["clip"], forget_bias=v["fb"], seed=v["seed"], match=v["match"])
        if not chosen:
            ui.problem("No cell is chosen: switch on at least one of RNN, LSTM and GRU in the sidebar to train.")

        st.markdown(text.task_note(cfg))
        with st.expander("The equations behind the lab, as the code computes them", icon=":material/functions:"):
            for lead, equation in text.EQUATIONS:
                st.markdown(lead)
                st.latex(equation)

        # ----- the comparison: Train / Stop, then the live view ---------------------------------------------------
        left, right = st.columns([1, 4], vertical_alignment="center")
        sweeping = training.is_alive(training.current("memory_sweep"))
        training.button("memory_run", lambda trainer, me: memory_runs.start_comparison(cfg, trainer, me), "Train",
                        where=left, disabled=not chosen or sweeping,
                        help="Train every chosen cell from scratch with the settings in the sidebar, side by side. "
                             + ("Your sweep is running: one training at a time per student. " if sweeping else "")
                             + training.limits())
        right.caption(" · ".join(f"{NAME[k]}: {memory.hidden_size(cfg, k)} units, "
                                 f"{memory.n_parameters(k, cfg.task, memory.hidden_size(cfg, k)):,} weights" for k in cfg.cells)
                      + f" · batch {cfg.batch}, one new batch per step")
        training.live("memory_run", lambda run, alive: sections.comparison(cfg, run, alive))
        run = training.current("memory_run")
        sections.inside_section(run)

        # ----- the sweep over lengths ---------------------------------------------------------------------------
        st.subheader("Sweep: which cell solves which length?")
        st.markdown(text.SWEEP)
        comparing = training.is_alive(run)
        training.button("memory_sweep", lambda trainer, me: memory_runs.start_sweep(cfg, trainer, me), "Run the sweep",
                        disabled=not chosen or comparing,
                        help=text.sweep_help(memory.estimate(cfg, sections.memory_paces(cfg), memory.cores(),
                                                             memory.LENGTHS))
                             + ("Your comparison is training: one training at a time per student. " if comparing else "")
                             + training.limits())
        training.live("memory_sweep", sections.sweep)

        # ----- what to try, and a question ----------------------------------------------------------------------
        # the question first: the presets' runs would answer it (issue 22, predict before reveal)
        ui.predict_reveal(text.QUESTION, text.ANSWERS, lambda: sections.truth(cfg, run))
        ui.experiments(text.PRESETS, CONTROLS)
