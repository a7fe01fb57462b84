"""Gradient lab: watch ‖∂L/∂h_t‖ vanish or explode through time, for RNN, LSTM and GRU side by side."""
from dataclasses import replace

import streamlit as st

from rnnviz import flow, ui
from rnnviz.lessons import lab
from rnnviz.figures import lab as figs
from rnnviz.figures.style import COLOR, NAME

ui.page_setup("Gradient lab", ":material/trending_down:", intro=(
    "The same input runs through a vanilla **RNN**, an **LSTM** and a **GRU**. A loss sits at the end "
    "(or at every step), and backpropagation sends its gradient back through time. The chart shows how "
    "much of it reaches each hidden state $h_t$: a falling curve is a **vanishing** gradient (early steps "
    "cannot learn), a rising one is **exploding**. Every number is computed live (in float64 unless you "
    "choose float32)."))

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
        ui.Slider("scale", "Recurrent weight scale", 0.1, 3.0, 1.0, step=0.05,
                  help="Above ~1 (as a spectral radius) gradients can explode; below it they must vanish."),
        ui.Choice("nonlinearity", "RNN nonlinearity φ", ("tanh", "relu", "linear"), "tanh", horizontal=True,
                  help="tanh saturates (φ' ≤ 1); relu passes gradient 1 where active; linear always 1."),
        ui.Choice("init", "Initialisation of W_hh", lab.INITS, "default",
                  help="default: PyTorch's U(±1/√H). orthogonal: a random rotation. identity: W_hh = I "
                       "(Le et al. 2015). xavier: Glorot & Bengio (2010). Applied to every H×H block, then scaled."),
        ui.Slider("forget_bias", "LSTM forget-gate bias b_f", -3.0, 5.0, 0.0, step=0.5,
                  help="σ(b_f) is the forget gate's resting value: +1…+3 keeps memories (Jozefowicz et al. 2015)."),
        ui.Choice("loss", "Where the loss sits", ("last", "every"), "last", horizontal=True,
                  help="last: L = v·h_T. every: L = Σ_t v·h_t (v a fixed random unit vector)."),
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
    ui.chart(st, figs.grad_norms(res), key="grad_norms")
    st.caption(f"{res.T} steps, batch of {1 if cfg.input == 'text' else lab.BATCH}. The dashed grey line is the "
               "most the RNN's gradient could be, by the bound below; the real curve may sit far beneath it.")

    with st.expander("The math behind the curves", icon=":material/functions:"):
        st.markdown("Backpropagation through time: each $h_t$ gets the gradient of its own loss plus what "
                    "arrives from the future through the next step's Jacobian:")
        st.latex(flow.EQUATIONS["bptt"])
        st.markdown("For the RNN that Jacobian is a matrix product, so the signal is multiplied by $W_{hh}$ "
                    "once per step, which gives the bound of Pascanu, Mikolov & Bengio (2013), with $\\gamma = 1$ "
                    "for tanh, relu and linear:")
        st.latex(flow.EQUATIONS["rnn_jacobian"])
        st.latex(flow.EQUATIONS["bound"])
        st.markdown("The LSTM's cell state has an extra, additive path whose gain is just the forget gate:")
        st.latex(flow.EQUATIONS["lstm_path"])
        st.markdown("Clipping rescales the whole gradient $g$ when its norm exceeds $c$:")
        st.latex(flow.EQUATIONS["clip"])

    left, right = st.columns(2)
    ui.chart(left, figs.spectrum(res), key="spectrum", summary="Eigenvalues of the recurrent matrix: spectral "
             "radius ρ = " + ", ".join(f"{NAME[k]} {r.radius:.2f}" for k, r in res.results.items()) +
             " (the unit circle is ρ = 1).")
    left.caption("RNN: " + f"ρ = {res.results['rnn'].radius:.3f}, σ_max = {res.results['rnn'].sigma_max:.3f}. "
                 "Eigenvalues outside the dashed unit circle can make the signal grow each step.")
    ui.chart(right, figs.clipping(res), key="clipping")
    right.caption("Clipping tames an explosion but keeps the direction, so it cannot revive a vanished gradient.")
    ui.chart(st, figs.unit_heatmaps(res), key="units")
    ui.chart(st, figs.lstm_memory(res), key="lstm_memory")
    st.caption("The LSTM's cell-state gradient follows the forget gates: raise b_f and watch the dotted line "
               "(the share of c_t that survives to the end) and the brown curve flatten together.")

    # ----- experiments and a question ---------------------------------------------------------------
    EXPERIMENTS = [
        ("Make the RNN explode: scale 3, T = 300", dict(scale=3.0, T=300),
         "The RNN's curve rises; the bound rises far faster, because saturating tanh units cut φ' below 1."),
        ("Give the LSTM a memory: forget bias +5", dict(forget_bias=5.0),
         "The forget gates sit near σ(5) ≈ 0.99, so the cell-state path barely decays over 100 steps."),
        ("Starve it: forget bias −3", dict(forget_bias=-3.0),
         "σ(−3) ≈ 0.05: the LSTM forgets almost everything every step and vanishes faster than the RNN."),
        ("An IRNN: identity init with relu", dict(init="identity", nonlinearity="relu"),
         "Le et al. (2015): W_hh = I and relu copy h_{t−1} forward, so the gradient neither shrinks nor grows much."),
    ]
    ui.experiments(EXPERIMENTS, CONTROLS)

    answers = ["It explodes as much as the bound says", "It grows, but far less than the bound",
               "It still vanishes"]

    def truth() -> tuple[int, str]:
        tripled = ui.cache.lab_run(replace(cfg, scale=3.0, scale_mode="multiply"))
        measured, bound = lab.bound_gap(tripled)
        v = tripled.results["rnn"].verdict
        right = 2 if v.kind == "vanishing" else 0 if v.kind == "exploded" or measured > bound - 1 else 1
        return right, (f"At scale 3 the RNN's verdict is *{v.text()}*: the gradient at step 1 is "
                       f"10^{measured:.1f} times the last step's, while the linear bound allows up to 10^{bound:.1f}. "
                       "tanh saturates when |a| is large, and φ'(a) = 1 − tanh²(a) then shrinks the signal at every step.")

    ui.predict_reveal("Triple the recurrent weights (scale 3, as multiplier) at your current settings. "
                      "What does the RNN's gradient at step 1 do?", answers, truth)
