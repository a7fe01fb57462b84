"""The Gradient lab page: the same input through an RNN, an LSTM and a GRU, and how much of the loss's gradient
reaches each step back in time (‖∂L/∂h_t‖), with verdicts, the bound it obeys, the weights' spectrum, clipping
and the LSTM's forget gates. Run by pages/3_Gradient_lab.py; the words are in words.py, the numbers in
compute.py, the charts in figures.py, the cached runs in view_parts.py.

One screen per idea: the page opens on its main view, the four controls a class moves most beside the curve
they change, in an st.fragment (a move reruns and re-sends that part alone). The rare settings stay in the
sidebar; the math, the spectrum and clipping, each unit and the LSTM's memory wait in closed expanders."""
from dataclasses import replace

import streamlit as st

from rnnviz import ui
from rnnviz.shared.style import COLOR, NAME
from rnnviz.topics.lab import TOPIC
from rnnviz.topics.lab import compute as lab
from rnnviz.topics.lab import depth
from rnnviz.topics.lab import figures as figs
from rnnviz.topics.lab import view_parts as cached
from rnnviz.topics.lab import words as text

HELP = text.HELP
CONTROLS = [
    ui.Choice("input", "Input", lab.INPUTS, "random", help=HELP["input"]),
    ui.Text("text", "Your sentence", lab.DEFAULT_TEXT, max_chars=2000, help=HELP["text"]),
    ui.Slider("T", "Sequence length T", 5, 300, 100, help=HELP["T"]),
    ui.Slider("H", "Hidden units H", 2, 128, 32, help=HELP["H"]),
    ui.Choice("scale_mode", "Recurrent weight scale means", ("multiply", "radius"), "multiply",
              help=HELP["scale_mode"]),
    ui.Slider("scale", "Recurrent weight scale", 0.1, 3.0, 1.0, step=0.05, help=HELP["scale"]),
    ui.Choice("nonlinearity", "RNN nonlinearity φ", ("tanh", "relu", "linear"), "tanh", horizontal=True,
              help=HELP["nonlinearity"]),
    ui.Choice("init", "Initialisation of W_hh", lab.INITS, "default", help=HELP["init"]),
    ui.Slider("forget_bias", "LSTM forget-gate bias b_f", -3.0, 5.0, lab.LabConfig.forget_bias, step=0.5,
              help=HELP["forget_bias"]),
    ui.Choice("loss", "Where the loss sits", ("last", "every"), "last", horizontal=True, help=HELP["loss"]),
    ui.Slider("clip", "Clip the gradient norm at (0 = off)", 0.0, 10.0, 0.0, step=0.5, help=HELP["clip"]),
    ui.Choice("precision", "Arithmetic", tuple(lab.PRECISIONS), "float64", horizontal=True, help=HELP["precision"]),
    ui.Number("seed", "Seed", 0, 9999, 0, help=HELP["seed"]),
]
VERDICT_ICON = {"vanishing": ":material/trending_down:", "stable": ":material/check_circle:",
                "exploding": ":material/trending_up:", "exploded": ":material/warning:"}
MAIN = ("scale", "T", "nonlinearity", "forget_bias")      # beside the chart; the rest in the sidebar
MAIN_CONTROLS = [next(c for c in CONTROLS if c.key == k) for k in MAIN]
AT_T = MAIN.index("T")             # T has a fragment of its own (curves), in its place among the others
SIDE_CONTROLS = [c for c in CONTROLS if c.key not in MAIN]
CHART_HEIGHT = 345                 # the main curve's height: with the title and one sentence, one screen
# The closed-at-first parts below the main view that draw the current settings, by their expander's key.
LIVE = {"lab_spectrum": "The spectrum and clipping", "lab_units": "Each unit, each step",
        "lab_memory": "The LSTM's memory"}
DEPTH = "lab_depth"                # the stacked lab's expander: its own depth control beside its map
LAYERS = ui.Slider("L", "Layers L (stacked)", *depth.LAYERS, 1, help=HELP["L"])


def unused(key: str, values: dict) -> bool:
    """The typed sentence is read only when the input is text, and then it sets T itself."""
    return (key == "text" and values.get("input") != "text") or (key == "T" and values.get("input") == "text")


def main() -> None:
    """The page, top to bottom: the main view (controls, the curves, the verdicts), what to try, the question;
    then the deeper parts, each drawn only once opened."""
    lead, rest = ui.stage.lead(text.INTRO)
    ui.page_setup(TOPIC, intro=lead)
    with ui.boundary():
        side = ui.render(SIDE_CONTROLS, where=ui.stage.settings("input, size, initialisation, loss, seed"),
                         disabled=unused)
        ui.stage.page_drawn("lab", None)
        cfg = main_view(side)
        ui.stage.page_drawn("lab", cfg)             # what the rest of the page below draws
        res = cached.lab_run(cfg)

        # ----- a question, then what to try (right under the main view; a preset scrolls back to the chart) --
        ui.predict_reveal(text.QUESTION, text.ANSWERS, lambda: text.reveal(
            cached.lab_run(replace(cfg, scale=3.0, scale_mode="multiply"))))
        ui.experiments(text.experiments(lambda name, kind: cached.lab_cell(text.preset_config(name), kind)), CONTROLS,
                       show="grad_norms")
        deeper_parts(res)
        ui.stage.about(rest, "lab_about")


@ui.fragment
def main_view(side: dict) -> lab.LabConfig:
    """The main controls beside the curves they change, then the three verdicts. A fragment: moving one of
    these controls reruns this part alone, unless a part below that draws the same settings is open (or the
    question's answer is shown): then the whole page reruns, so nothing on screen is left stale. T, the
    control a class moves most, sits in a fragment of its own inside it (curves): a new T re-sends the
    curves, the verdicts and T's own slider, not the other three controls or the columns."""
    controls, chart = ui.stage.main_view("lab")
    off = lambda key, values: unused(key, {**side, **values})             # noqa: E731
    main = ui.render(MAIN_CONTROLS[:AT_T], where=controls, disabled=off)      # the scale, T's place, the rest
    t_box = controls.container()
    main |= ui.render(MAIN_CONTROLS[AT_T + 1:], where=controls, disabled=off)
    return curves(side, main, t_box, chart)


@ui.fragment
def curves(side: dict, main: dict, t_box, chart) -> lab.LabConfig:
    """T in its place among the main controls (t_box), the curves in the chart's column, the verdicts and the
    captions under both: what a new T changes. `main` holds the other main controls' values (main_view calls
    this again whenever one of them moves, so a rerun of this part alone always has the current ones)."""
    main = {**main, **ui.render([MAIN_CONTROLS[AT_T]], where=t_box, disabled=lambda key, values: unused(key, side))}
    cfg = lab.LabConfig(**side, **main)
    ui.stage.follow_page("lab", cfg, any(st.session_state.get(k) for k in (*LIVE, DEPTH)) or ui.stage.answer_shown())
    res = cached.lab_run(cfg)
    for message in res.messages:
        ui.problem(message)
    with chart:
        ui.chart(st, figs.grad_norms(res, CHART_HEIGHT), key="grad_norms", summary=text.grad_said(res, ui.revealed()))
    st.markdown(verdict_row(res, held=not ui.revealed()), unsafe_allow_html=True)
    st.caption(" ".join(s for s in (text.every_caption(res), text.batch_caption(res), text.far_caption(res)) if s))
    return cfg


# The three verdict cards as one element: a row of bordered boxes (wrapping to a column on a narrow screen) in
# one markdown block, not three columns of bordered containers: a move of T re-sends and redraws 2 elements
# instead of 11 (each one a React render, its styles and its markdown parsed again in the browser). Each card's
# words stand between blank lines, so they are read as markdown (the icon's :material/...: code), not raw HTML.
CARDS = '<div style="display:flex;flex-wrap:wrap;gap:1rem;margin-bottom:1rem">\n{}</div>'
CARD = ('<div style="flex:1 1 11rem;border:1px solid var(--st-border-color, rgba(128,132,149,.3));'
        'border-radius:.5rem;padding:calc(1rem - 1px) calc(1rem - 1px) 0">\n\n{}\n\n</div>\n')


def verdict_row(res: lab.LabResult, held: bool) -> str:
    """Each cell's card: its name in its colour, then its verdict (as ui.verdict_card words it, all text
    escaped); while `held` (the question not answered yet: predict before reveal), the held note instead."""
    def card(kind: str, r: lab.CellResult) -> str:
        name = (f'<span style="color:{ui.escape(COLOR[kind])};font-weight:700;font-size:1.1rem">'
                f'{ui.escape(NAME[kind])}</span> ')
        shown = (f'<br><span style="opacity:.75">{ui.escape(ui.HELD_VERDICT)}</span>' if held
                 else f"{ui.escape(VERDICT_ICON[r.verdict.kind])}<br>{ui.escape(r.verdict.text())}")
        return CARD.format(name + shown)
    return CARDS.format("".join(card(kind, r) for kind, r in res.results.items()))


def deeper_parts(res: lab.LabResult) -> None:
    """The math, the spectrum and clipping, each unit, the LSTM's memory: each in an expander drawn once opened."""
    ui.stage.equations("The math behind the curves", "lab_math", text.EQUATIONS)
    parts = {key: ui.stage.deeper(label, key) for key, label in LIVE.items()}
    if parts["lab_spectrum"].open:
        left, right = parts["lab_spectrum"].columns(2)
        ui.chart(left, figs.spectrum(res), key="spectrum", summary="Eigenvalues: spectral radius ρ = " +
                 ", ".join(f"{NAME[k]} {r.radius:.2f}" for k, r in res.results.items()) +
                 " (the RNN's W_hh; the LSTM's W_hg and the GRU's W_hn blocks; the unit circle is ρ = 1).")
        left.caption(text.spectrum_caption(res))
        ui.chart(right, figs.clipping(res), key="clipping")
        right.caption(text.CLIP_CAPTION)
    if parts["lab_units"].open:
        ui.chart(parts["lab_units"], figs.unit_heatmaps(res), key="units")
    if parts["lab_memory"].open:
        ui.chart(parts["lab_memory"], figs.lstm_memory(res), key="lstm_memory")
        parts["lab_memory"].caption(text.memory_caption(res))
    stacked(res.config)


def stacked(cfg: lab.LabConfig) -> None:
    """The cells stacked L layers high: the depth control beside the (layer × time) map of ‖∂L/∂h_t^(l)‖ (one
    backward pass per cell, cached), the paths the gradient takes to x₁, the parameters per layer. A link that
    sets L opens it (once per session: a student may close it again)."""
    if LAYERS.key in st.query_params and not st.session_state.get(f"{DEPTH}__linked"):
        st.session_state[DEPTH] = st.session_state[f"{DEPTH}__linked"] = True
    part = ui.stage.deeper("Stacked layers: the gradient through depth", DEPTH, icon=":material/layers:")
    if not part.open:
        return
    controls, chart = part.columns((1, 4))
    L = int(ui.render([LAYERS], where=controls)[LAYERS.key])
    results = cached.depth_run(cfg, L)
    T = next(iter(results.values())).norms.shape[1]
    controls.caption(text.params_said(results))
    ui.chart(chart, figs.depth_map(results, T), key="depth_map",
             summary=text.depth_said(depth.paths(T, L), results, ui.revealed()))
