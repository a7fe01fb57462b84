"""Gradient lab: watch ‖∂L/∂h_t‖ vanish or explode through time, for RNN, LSTM and GRU side by side."""
from dataclasses import replace

import streamlit as st

from rnnviz import flow, ui
from rnnviz.topics.lab import compute as lab
from rnnviz.topics.lab import words as text
from rnnviz.topics.lab import figures as figs
from rnnviz.shared.style import COLOR, NAME
from rnnviz.topics.lab import TOPIC


def main() -> None:
    """The page: run by pages/3_Gradient_lab.py on every rerun."""
    ui.page_setup(TOPIC, intro=text.INTRO)

    with ui.boundary():
        CONTROLS = [
            ui.Choice("input", "Input", lab.INPUTS, "random",
                      help="What the three cells read: random noise, all zeros, sine waves, or text you type "
                           "(one time step per character)."),
            ui.Text("text", "Your sentence", lab.DEFAULT_TEXT, max_chars=2000,
                    help=f"One time step per character (at most {lab.MAX_TEXT} are read)."),
            ui.Slider("T", "Sequence length T", 5, 300, 100, help="How many time steps the gradient travels back."),
            ui.Slider("H", "Hidden units H", 2, 128, 32, help="The size of each cell's hidden state h_t."),
            ui.Choice("scale_mode", "Recurrent weight scale means", ("multiply", "radius"), "multiply",
                      help="multiply: W_hh ← scale·W_hh. radius: rescale W_hh so its spectral radius ρ "
                           "(largest |eigenvalue|) equals the scale."),
            ui.Slider("scale", "Recurrent weight scale", 0.1, 3.0, 1.0, step=0.05, help=text.SCALE_HELP),
            ui.Choice("nonlinearity", "RNN nonlinearity φ", ("tanh", "relu", "linear"), "tanh", horizontal=True,
                      help="tanh saturates (φ' ≤ 1); relu passes gradient 1 where active; linear always 1."),
            ui.Choice("init", "Initialisation of W_hh", lab.INITS, "default",
                      help="default: PyTorch's U(±1/√H). orthogonal: a random rotation. identity: W_hh = I "
                           "(Le et al. 2015). xavier: Glorot & Bengio (2010). Applied to every H×H block, then scaled."),
            ui.Slider("forget_bias", "LSTM forget-gate bias b_f", -3.0, 5.0, lab.LabConfig.forget_bias, step=0.5,
                      help=text.FORGET_HELP),
            ui.Choice("loss", "Where the loss sits", ("last", "every"), "last", horizontal=True, help=text.LOSS_HELP),
            ui.Slider("clip", "Clip the gradient norm at (0 = off)", 0.0, 10.0, 0.0, step=0.5,
                      help="Norm clipping (Pascanu et al. 2013): rescale ∂L/∂θ when its norm exceeds this."),
            ui.Choice("precision", "Arithmetic", tuple(lab.PRECISIONS), "float64", horizontal=True,
                      help="float64 for exact analysis; float32 is what training uses: it turns gradients below "
                           "~1e-38 into exactly 0 and values above ~3e38 into inf."),
            ui.Number("seed", "Seed", 0, 9999, 0, help="Seeds the weights and the input; the same seed gives the same picture."),
        ]

        with st.sidebar:
            st.header("Controls")
        values = ui.render(CONTROLS, disabled=lambda key, v: (key == "text" and v.get("input") != "text")
                           or (key == "T" and v.get("input") == "text"))
        cfg = lab.LabConfig(**values)
        res = ui.cache.lab_run(cfg)
        for message in res.messages:
            ui.problem(message)

        # ----- the verdicts and the main curve ------------------------------------------------------------
        ICON = {"vanishing": ":material/trending_down:", "stable": ":material/check_circle:",
                "exploding": ":material/trending_up:", "exploded": ":material/warning:"}
        for col, (kind, r) in zip(st.columns(3), res.results.items()):
            ui.verdict_card(col, NAME[kind], COLOR[kind], ICON[r.verdict.kind], r.verdict.text())
        if (every := text.every_caption(res)) is not None:
            st.caption(every)
        ui.chart(st, figs.grad_norms(res), key="grad_norms")
        st.caption(" ".join(s for s in (text.batch_caption(res), text.far_caption(res)) if s))

        with st.expander("The math behind the curves", icon=":material/functions:"):
            st.markdown("Backpropagation through time: each $h_t$ gets the gradient of its own loss plus what "
                        "arrives from the future through the next step's Jacobian:")
            st.latex(flow.EQUATIONS["bptt"])
            st.markdown("For the RNN that Jacobian is a matrix product, so the signal is multiplied by $W_{hh}$ "
                        "once per step, which gives the bound of Pascanu, Mikolov & Bengio (2013), with $\\gamma = 1$ "
                        "for tanh, relu and linear ($\\sigma_{\\max}$, the largest singular value of $W_{hh}$, is the "
                        "most one step can stretch a vector):")
            st.latex(flow.EQUATIONS["rnn_jacobian"])
            st.latex(flow.EQUATIONS["bound"])
            st.markdown("The LSTM's cell state has an extra, additive path whose gain is just the forget gate:")
            st.latex(flow.EQUATIONS["lstm_path"])
            st.markdown("The GRU's $h_{t-1}$ also reaches $h_t$ directly, with the update gate as its gain:")
            st.latex(flow.EQUATIONS["gru_path"])
            st.markdown("Clipping rescales the whole gradient $g$ when its norm exceeds $c$:")
            st.latex(flow.EQUATIONS["clip"])

        left, right = st.columns(2)
        ui.chart(left, figs.spectrum(res), key="spectrum", summary="Eigenvalues: spectral radius ρ = " +
                 ", ".join(f"{NAME[k]} {r.radius:.2f}" for k, r in res.results.items()) +
                 " (the RNN's W_hh; the LSTM's W_hg and the GRU's W_hn blocks; the unit circle is ρ = 1).")
        left.caption(text.spectrum_caption(res))
        ui.chart(right, figs.clipping(res), key="clipping")
        right.caption(text.CLIP_CAPTION)
        ui.chart(st, figs.unit_heatmaps(res), key="units")
        ui.chart(st, figs.lstm_memory(res), key="lstm_memory")
        st.caption(text.memory_caption(res))

        # ----- experiments and a question ---------------------------------------------------------------
        ui.experiments(text.experiments(lambda name, kind: ui.cache.lab_cell(text.preset_config(name), kind)),
                       CONTROLS)
        ui.predict_reveal(text.QUESTION, text.ANSWERS, lambda: text.reveal(
            ui.cache.lab_run(replace(cfg, scale=3.0, scale_mode="multiply"))))
