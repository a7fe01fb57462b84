"""Memory lab: an RNN, an LSTM and a GRU trained live on a long-range task; which one remembers?"""
import streamlit as st

from rnnviz import cells, flow, ui
from rnnviz.topics.memory import figures as figs
from rnnviz.shared.style import COLOR, NAME
from rnnviz.topics.memory import compute as memory
from rnnviz.topics.memory import inside as memory_inside
from rnnviz.topics.memory import runs as memory_runs
from rnnviz.topics.memory import words as text
from rnnviz.ui import training
from rnnviz.topics.memory import TOPIC


def main() -> None:
    """The page: run by pages/7_Memory_lab.py on every rerun."""
    ui.page_setup(TOPIC, intro=text.INTRO)

    with ui.boundary():
        D = memory.Config()
        LRS = ("0.0003", "0.001", "0.003", "0.01", "0.03", "0.1", "0.3", "1")
        CONTROLS = [
            ui.Choice("task", "Task", tuple(memory.TASKS), D.task, help=text.HELP["task"]),
            ui.Slider("T", "Length T: how far back to remember", 5, 200, D.T, help=text.HELP["T"]),
            *(ui.Toggle(k, f"Train the {NAME[k]}", True, help=text.HELP["cells"]) for k in memory.CELLS),
            ui.Slider("steps", "Step budget", 100, 3000, D.steps, step=100, help=text.HELP["steps"]),
            ui.Choice("opt", "Optimizer", memory.OPTIMIZERS, D.optimizer, horizontal=True, help=text.HELP["opt"]),
            ui.Choice("lr", "Learning rate", LRS, f"{D.lr:g}", help=text.HELP["lr"]),
            ui.Slider("clip", "Clip ‖∇θ L‖ at (0 = off)", 0.0, 10.0, D.clip, step=0.5, help=text.HELP["clip"]),
            ui.Slider("fb", "LSTM forget-gate bias b_f", -3.0, 5.0, D.forget_bias, step=0.5, help=text.HELP["fb"]),
            ui.Toggle("match", "Equal parameter counts", D.match, help=text.HELP["match"]),
            ui.Number("seed", "Seed", 0, 9999, D.seed, help=text.HELP["seed"]),
        ]
        with st.sidebar:
            st.header("Controls")
        v = ui.render(CONTROLS)
        chosen = tuple(k for k in memory.CELLS if v[k])
        cfg = memory.Config(task=v["task"], T=v["T"], cells=chosen or memory.CELLS, steps=v["steps"], lr=float(v["lr"]),
                            optimizer=v["opt"], clip=v["clip"], forget_bias=v["fb"], seed=v["seed"], match=v["match"])
        task = memory.TASKS[cfg.task]
        if not chosen:
            ui.problem("No cell is chosen: switch on at least one of RNN, LSTM and GRU in the sidebar to train.")

        st.markdown(f"**{task.title}.** {text.TASKS[cfg.task]} It reads {task.length(cfg.T)} steps. Remembering nothing "
                    f"scores the **baseline**: {task.baseline_rule}. **Solved** means the mean of the last "
                    f"{memory.SOLVE_WINDOW} training losses is {task.solved_rule}.")
        with st.expander("The equations behind the lab, as the code computes them", icon=":material/functions:"):
            st.markdown("Why gates help: the LSTM's cell state changes only by a forget-gate scaling and an added write,")
            st.latex(dict(cells.equations("lstm"))["c"])
            st.markdown(r"with no squashing and no matrix, so $\partial c_t / \partial c_{t-1} = \operatorname{diag}(f_t)$ "
                        r"along it: with $f_t$ near 1 the gradient survives many steps. The RNN's state passes through "
                        r"$\tanh(W_{hh} h_{t-1} + \dots)$ at every step, so its gradient is multiplied at every step by "
                        r"$W_{hh}^\top \operatorname{diag}(1 - h_t^2)$: it shrinks where that product shrinks vectors and "
                        r"grows where it stretches them (see the Gradient lab). Clipping rescales the whole gradient $g$ "
                        r"when its norm exceeds $c$:")
            st.latex(flow.EQUATIONS["clip"])

        # ----- the comparison: Train / Stop, then the live view ---------------------------------------------------
        ICON = {"waiting": ":material/hourglass_empty:", "training": ":material/directions_run:",
                "solved": ":material/check_circle:", "budget": ":material/cancel:", "stopped": ":material/stop_circle:",
                "gave up": ":material/warning:"}
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


        def comparison(run, alive: bool) -> None:
            if run is None:
                paces = ui.cache.memory_paces(cfg)
                st.info(text.before_training(cfg, memory.estimate(cfg, paces, memory.cores()), paces,
                                             training.trainer().budget.cpu_seconds))
                st.caption(text.BENCH)
                return
            if training.waiting(run):
                return
            c, snap = run.config, run.snapshot()
            if not alive:
                training.why_it_ended(run)
            if alive:
                steps = max(p.steps for p in snap.values())
                remaining = run.seconds_left()
                st.progress(run.fraction(), text=f"Training: step {steps} of {c.steps}, {run.job.seconds:.1f} s so far"
                            + ("" if remaining is None else f", at most {remaining:.0f} s left") if steps else
                            "Starting the training in a process of its own…")
            if c != cfg:
                st.caption(f"Showing the run of: {memory.TASKS[c.task].title}, T = {c.T}, {c.optimizer} at lr {c.lr:g}, "
                           f"clip {c.clip:g}, seed {c.seed}. Press Train to run the sidebar's settings.")
            for col, (k, p) in zip(st.columns(len(snap)), snap.items()):
                ui.verdict_card(col, NAME[k], COLOR[k], ICON[p.status], memory.verdict(p))
            for message in run.job.errors:
                st.error(f"Training stopped with an error: {message}")
            if not alive:
                st.success(memory.summary(snap))
            ui.chart(st, figs.loss_curves(snap, c.task, c.T), key="loss")
            maps, rows = figs.gradient_maps(snap), memory_inside.first_marks(c)
            reach = text.reach(snap, rows)
            ui.chart(st, maps, key="maps", summary=f"{maps.layout.title.text}. {reach}" if reach else None)
            st.caption(text.what_to_see(c.task, memory.TASKS[c.task].length(c.T), figs.map_reading(maps), rows))
            ui.chart(st, figs.clipping_scope(snap, c.clip), key="scope")
            st.caption(text.SCOPE)
            for p in snap.values():
                for r in p.recoveries[:3]:
                    ui.problem(f"{NAME[p.kind]} exploded. {memory.recovery_text(r)}")
                if len(p.recoveries) > 3:
                    ui.problem(f"{NAME[p.kind]} exploded {len(p.recoveries) - 3} more times and recovered the same way.")


        training.live("memory_run", comparison)

        run = training.current("memory_run")
        inside = run.look_inside() if run is not None and not training.is_alive(run) else None
        if inside is not None:
            st.subheader("Inside the trained LSTM")
            st.markdown(memory_inside.explain(inside))
            ui.chart(st, figs.inside(inside, run.config.T), key="inside", summary=text.inside_summary(inside))
            st.caption(f"Shaded: the marked steps (blue) and the stretch the LSTM must hold across (grey). Answer "
                       f"{inside.target}, the LSTM said {inside.answer}. Solid line: unit {inside.units[0]}.")

        # ----- the sweep over lengths ---------------------------------------------------------------------------
        st.subheader("Sweep: which cell solves which length?")
        st.markdown(text.SWEEP)
        comparing = training.is_alive(training.current("memory_run"))
        training.button("memory_sweep", lambda trainer, me: memory_runs.start_sweep(cfg, trainer, me), "Run the sweep",
                        disabled=not chosen or comparing,
                        help=text.sweep_help(memory.estimate(cfg, ui.cache.memory_paces(cfg), memory.cores(),
                                                             memory.LENGTHS))
                             + ("Your comparison is training: one training at a time per student. " if comparing else "")
                             + training.limits())


        def sweep(s, alive: bool) -> None:
            if s is None or training.waiting(s):
                return
            if not alive:
                training.why_it_ended(s)
            results, current = s.snapshot()
            squares = memory_runs.sweep_table(s.config, s.lengths, results, current)
            if alive:
                st.progress(s.fraction(), text=f"Sweep: {len(results)} of {len(squares)} runs done, {s.job.seconds:.0f} s")
            elif summary := memory_runs.sweep_summary(squares):
                st.success(summary)
            ui.chart(st, figs.sweep_grid(squares, s.lengths), key="sweep")


        training.live("memory_sweep", sweep)

        ui.experiments(text.EXPERIMENTS, CONTROLS)


        def truth() -> tuple[int | None, str]:
            """The answer is what the student's own finished run shows; the reveal never trains."""
            done = run if run is not None and run.config == cfg and not training.is_alive(run) else None
            if done is None:
                going = training.is_alive(run) and run.config == cfg
                return None, ("Noted. " + ("Your run with these settings is training: " if going else
                                           "The answer is what a run with these settings shows: press **Train** above; ")
                              + "the answer appears here when it has finished.")
            snap = done.snapshot()
            first = memory.first_solver(snap)
            return (memory.CELLS.index(first) if first else 3), f"With these settings: {memory.summary(snap)}"


        ui.predict_reveal(text.QUESTION, text.ANSWERS, truth)
