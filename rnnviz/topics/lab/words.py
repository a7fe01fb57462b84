"""What the Gradient lab says to the student: its intro, the help of its controls that states facts, the
captions that quote measured numbers, the "what to try" notes and the predict-then-reveal question.
Plain strings and small functions of a lab.LabResult (no streamlit), so every sentence that states a
number, a direction or a cause either is computed here from the result or is held by a test
(docs/claims/lessons-a.md lists which).

The chart's x axis is k = T − t, "steps back from the last step" (rnnviz.topics.lab.figures): a vanishing
gradient FALLS from left to right, an exploding one rises. Every direction word below follows that axis.
"""
from __future__ import annotations

import math

from rnnviz import flow
from rnnviz.topics.lab import compute as lab


def name(kind: str) -> str:
    return kind.upper()          # "RNN", "LSTM", "GRU", as figures.style.NAME writes them


def sigmoid(b: float) -> float:
    return 1.0 / (1.0 + math.exp(-b))


INTRO = (
    "The same input runs through a vanilla **RNN**, an **LSTM** and a **GRU**; backpropagation sends the "
    "loss's gradient back through time. The chart shows how much reaches each hidden state $h_t$, $k = T - t$ "
    "steps back from the last step: a curve that **falls** from left to right is a **vanishing** gradient, one "
    "that **rises** an **exploding** one. When it vanishes, the loss can teach the network almost nothing about "
    "early inputs: the shared weights still get a gradient, but from the last few steps. Every number is "
    "computed live (float64 unless you choose float32).")

# The controls' help (their tooltips), by the control's key.
HELP = {
    "input": "What the three cells read: random noise, all zeros, sine waves, or text you type (one time step "
             "per character).",
    "text": f"One time step per character (at most {lab.MAX_TEXT} are read).",
    "T": "How many time steps the gradient travels back.",
    "H": "The size of each cell's hidden state h_t.",
    "scale_mode": "multiply: W_hh ← scale·W_hh. radius: rescale W_hh so its spectral radius ρ "
                  "(largest |eigenvalue|) equals the scale.",
    "scale": "multiply: W_hh ← scale·W_hh. radius: rescale W_hh so its spectral radius ρ equals the scale. "
             "ρ is the largest |eigenvalue| of W_hh (what many steps do in the long run); σ_max is its largest "
             "singular value (the most one step can stretch a vector), and always ρ ≤ σ_max. Only σ_max < 1 "
             "guarantees that the RNN's gradient vanishes; ρ > 1 lets it explode (tanh may still tame it); in "
             "between, it can grow for a while and then decay.",
    "nonlinearity": "tanh saturates (φ' ≤ 1); relu passes gradient 1 where active; linear always 1.",
    "init": "default: PyTorch's U(±1/√H). orthogonal: a random rotation. identity: W_hh = I (Le et al. 2015). "
            "xavier: Glorot & Bengio (2010). Applied to every H×H block, then scaled.",
    "forget_bias": f"The forget gate rests near σ(b_f): {sigmoid(0):.2f} at PyTorch's default b_f ≈ 0 (the cell "
                   f"state halves at every step), {sigmoid(1):.2f} at b_f = 1, the usual choice (Jozefowicz et al. "
                   f"2015; Keras's and TensorFlow's default), {sigmoid(3):.2f} at b_f = 3.",
    "loss": "last: L = v·h_T. every: L = Σ_t v·h_t (v a fixed random unit vector). With a loss at every step the "
            "chart also draws the last step's loss alone (dotted), which the verdicts read.",
    "clip": "Norm clipping (Pascanu et al. 2013): rescale ∂L/∂θ when its norm exceeds this.",
    "precision": "float64 for exact analysis; float32 is what training uses: it turns gradients below ~1e-38 into "
                 "exactly 0 and values above ~3e38 into inf.",
    "seed": "Seeds the weights and the input; the same seed gives the same picture.",
    "L": "Stack this many layers of each cell: layer l reads layer l−1's states h_t^(l−1) at the same step (layer 1 "
         "reads x_t); the loss reads the top layer. Layer 1 is the one-layer lab's cell; each layer above has its "
         "own weights, initialised and scaled the same way.",
}

# "The math behind the curves": (what to read, then the equations it introduces), from rnnviz.flow.
EQUATIONS = [
    ("Backpropagation through time: each $h_t$ gets the gradient of its own loss plus what arrives from the future "
     "through the next step's Jacobian:", flow.EQUATIONS["bptt"]),
    ("For the RNN that Jacobian is a matrix product, so the signal is multiplied by $W_{hh}$ once per step, which "
     "gives the bound of Pascanu, Mikolov & Bengio (2013), with $\\gamma = 1$ for tanh, relu and linear "
     "($\\sigma_{\\max}$, the largest singular value of $W_{hh}$, is the most one step can stretch a vector):",
     flow.EQUATIONS["rnn_jacobian"], flow.EQUATIONS["bound"]),
    ("The LSTM's cell state has an extra, additive path whose gain is just the forget gate:",
     flow.EQUATIONS["lstm_path"]),
    ("The GRU's $h_{t-1}$ also reaches $h_t$ directly, with the update gate as its gain:", flow.EQUATIONS["gru_path"]),
    ("Clipping rescales the whole gradient $g$ when its norm exceeds $c$:", flow.EQUATIONS["clip"]),
]

BOUND_CAPTION = ("The dashed grey line is the most the RNN's gradient could be, by the bound in "
                 "“The math behind the curves”.")


def batch_caption(res: lab.LabResult) -> str:
    n = 1 if res.config.input == "text" else lab.BATCH
    return f"{res.T} steps, batch of {n}. " + BOUND_CAPTION


def _pct(x: float) -> str:
    if not math.isfinite(x):
        return "undefined (overflow)"
    return f"{100 * x:.2g}%" if x < 0.995 else f"{100 * x:.0f}%"


def far_caption(res: lab.LabResult) -> str | None:
    """What the shared weights learn from far back, measured: the share of the last step's ∂L_T/∂W_hh
    that comes from steps at least lab.FAR back. None when the sequence is too short."""
    parts = [(name(k), r.far_share) for k, r in res.results.items() if r.far_share is not None]
    if not parts or res.results["rnn"].verdict.kind == "exploded":
        return None
    said = ", ".join(f"{n} {_pct(v)}" for n, v in parts)
    return (f"Of what the last step's loss teaches the shared recurrent weights (∂L_T/∂W_hh), the part that "
            f"comes from steps {lab.FAR} or more back, as a share of its norm: {said}. Only gradient that "
            f"travels that far can teach the network a dependence that spans {lab.FAR} steps or more.")


def every_caption(res: lab.LabResult) -> str | None:
    """With a loss at every step the solid curves hold each step's own fresh loss: say so, with numbers."""
    if res.config.loss != "every":
        return None
    ratios = ", ".join(f"{name(k)} {r.norms[0] / r.norms[-1]:.2g}" for k, r in res.results.items()
                       if math.isfinite(r.norms[0]) and math.isfinite(r.norms[-1]) and r.norms[-1] > 0)
    return ("With a loss at every step, each $h_t$ also receives its own loss's gradient fresh, so the solid "
            "curves hide the decay" + (f" (‖∂L/∂h₁‖ / ‖∂L/∂h_T‖: {ratios})" if ratios else "") +
            ". The verdicts read the dotted curves, the last step's loss alone: how a gradient fades as it "
            "travels back, which is what decides whether a late loss can teach anything about an early input.")


def spectrum_caption(res: lab.LabResult) -> str:
    """ρ against σ_max for the RNN, with what that case means, and what the gated cells' eigenvalues miss."""
    r = res.results["rnn"]
    rho, sigma, steps = r.radius, r.sigma_max, res.T - 1
    head = (f"RNN: ρ = {rho:.3f}, σ_max = {sigma:.3f}. ρ is the largest |eigenvalue| of W_hh: it decides what "
            "many multiplications do in the long run; σ_max, its largest singular value, is the most one "
            "multiplication can stretch a vector, so ρ ≤ σ_max always. ")
    if sigma < 1:
        case = (f"Here σ_max < 1: the bound guarantees that the RNN's gradient shrinks by at least ×{sigma:.3f} "
                "per step.")
    elif rho < 1:
        growth = sigma ** steps
        case = (f"Here ρ < 1 ≤ σ_max: the bound allows ×{sigma:.3f} per step ({growth:.3g}× over {steps} steps), "
                "so it guarantees nothing; a linear RNN with ρ < 1 decays in the long run, but can grow for a "
                "while first.")
    elif abs(rho - 1) <= 1e-6:
        case = ("Here ρ = 1: the largest eigenvalues sit on the dashed unit circle; a linear RNN's gradient then "
                "neither dies out nor grows exponentially in the long run (an orthogonal W_hh keeps every norm).")
    else:
        case = ("Here ρ > 1: an eigenvalue outside the dashed unit circle; a linear RNN's gradient grows like ρ^k "
                "in the long run, and only the nonlinearity can tame it.")
    gated = ""
    lstm, gru = res.results.get("lstm"), res.results.get("gru")
    if lstm is not None and gru is not None:
        gated = (" For the LSTM and GRU these are the eigenvalues of one block only, the candidate's (W_hg, "
                 "W_hn). Their gradient also takes a path no weight matrix multiplies: the LSTM's cell state, "
                 f"scaled by the forget gate at every step (mean f = {lstm.forget_mean:.2f} here), and the GRU's "
                 f"h_(t−1) → h_t, scaled by its update gate (mean z = {gru.update_mean:.2f} here).")
    return head + case + gated


def grad_said(res: lab.LabResult, revealed: bool) -> str:
    """The sentence under the main chart. What reaches h₁ is what the verdict cards say, and the question
    asks it (at scale 3), so before the reveal the sentence names what to read and the bound's rate only;
    after it, the share of the last step's gradient that arrives T − 1 steps back, per cell, measured on
    the travel curve (the last step's loss alone, which the verdicts read)."""
    rnn, steps = res.results["rnn"], res.T - 1
    out = (f"How much of the last step's gradient reaches each of the {res.T} steps, k steps back, for the "
           f"RNN, the LSTM and the GRU; the dashed line is the most the RNN's could be (×{rnn.sigma_max:.3f} per "
           "step at most, the bound).")
    if not revealed:
        return out + " Predict first: the question below asks what tripling the weights does."
    def share(r) -> str:
        first, last = float(r.travel[0]), float(r.travel[-1])
        if not (math.isfinite(first) and math.isfinite(last)):
            return "exploded (overflow)"
        return "nothing (exactly 0)" if first == 0 else f"×{first / last:.2g}" if last > 0 else "undefined"
    said = ", ".join(f"{name(k)} {share(r)}" for k, r in res.results.items())
    return out + f" At h₁, {steps} steps back, of what left h_T: {said}."


CLIP_CAPTION = ("Clipping rescales the whole gradient and keeps its direction: it tames an explosion but can "
                "never make a gradient larger, so it cannot revive a vanished one.")


def memory_caption(res: lab.LabResult) -> str:
    """The LSTM chart's caption: the forget gates' numbers, measured, and why b_f ≈ 0 vanishes too."""
    r = res.results["lstm"]
    m = lab.lstm_memory(r)
    b = res.config.forget_bias
    return (f"b_f = {b:g}: the forget gates rest near σ({b:g}) = {sigmoid(b):.2f} and measure f = {m.forget_mean:.2f} "
            f"on average. The cell state's direct path multiplies by f at every step: over the {m.steps} steps "
            f"the forget gates alone pass {m.kept:.2g} of c₁'s content to the last step (dotted, right axis). "
            f"At PyTorch's default b_f ≈ 0 they rest near σ(0) = 0.5 and halve the memory at every step: that "
            "is why a default-initialised LSTM vanishes too.")


# ----- what to try ---------------------------------------------------------------------------------
# Each preset sets the controls it names and every other control to its default, so each note describes
# one fixed configuration; the numbers in the notes are measured on exactly that configuration
# (preset_config), at run time. The first preset's note says where to look, not what happens: the
# question below asks that.
PRESETS = {
    # the label names the setting, not its outcome: the question asks what scale 3 does
    "explode": ("Triple the RNN's weights: scale 3, T = 300", dict(scale=3.0, T=300)),
    "keep": ("Give the LSTM a memory: forget bias +5", dict(forget_bias=5.0)),
    "torch": ("PyTorch's default: forget bias 0", dict(forget_bias=0.0)),
    "every": ("A loss at every step", dict(loss="every")),
}


def preset_config(name: str) -> lab.LabConfig:
    return lab.LabConfig(**PRESETS[name][1])


def experiments(measured) -> list[tuple[str, dict, str]]:
    """The "what to try" rows. `measured(name, kind)` returns the CellResult of cell `kind` on preset
    `name`'s configuration (the page passes a cached lab run)."""
    keep = lab.lstm_memory(measured("keep", "lstm"))
    torch_lstm, rnn = measured("torch", "lstm").verdict, measured("torch", "rnn").verdict
    b = PRESETS
    return [
        (*b["explode"], "Compare the RNN's curve with the dashed bound, out at k = 299. "
                        "The question below asks what you will see: predict first."),
        (*b["keep"], f"The forget gates rest near σ(5) = {sigmoid(5):.3f} (measured mean {keep.forget_mean:.3f}). "
                     f"Their product over the {keep.steps} steps is {keep.kept:.2f}: that share of c₁ reaches the "
                     f"last step through the forget gates alone; and ‖∂L/∂h₁‖ / ‖∂L/∂h_T‖ = {keep.ratio:.2f}."),
        (*b["torch"], f"σ(0) = 0.5: the forget gate halves the cell state at every step. The LSTM now shrinks by "
                      f"×{torch_lstm.factor:.3f} per step, the RNN by ×{rnn.factor:.3f}."),
        (*b["every"], "Compare each solid curve with its dotted twin, the last step's loss alone, "
                      "and read the caption under the cards."),
    ]


# ----- the question --------------------------------------------------------------------------------
ANSWERS = ["It explodes as much as the bound says", "It grows, but far less than the bound", "It still vanishes"]
QUESTION = ("Triple the recurrent weights (scale 3, as multiplier) at your current settings. What happens to "
            "the last step's gradient by the time it reaches h₁, T − 1 steps back?")

def why(res: lab.LabResult) -> str:
    """Why the measured growth stays below the bound, for the nonlinearity that ran, with its mean slope."""
    r = res.results["rnn"]
    nl, m = res.config.nonlinearity, r.mean_slope
    if nl == "tanh":
        return (f"tanh saturates when |a| is large: φ'(a) = 1 − tanh²(a), {m:.2f} on average here, multiplies the "
                "signal at every step, while the bound assumes φ' = 1.")
    if nl == "relu":
        return (f"relu passes the gradient only through active units (φ' = 0 where a < 0): {m:.0%} of them here, "
                "while the bound assumes every unit passes it.")
    return ("with no nonlinearity the signal is multiplied by W_hhᵀ at every step: in the long run it grows like "
            f"ρ^k (ρ = {r.radius:.2f}), while the bound uses σ_max^k (σ_max = {r.sigma_max:.2f}), and ρ ≤ σ_max.")


def reveal(tripled: lab.LabResult) -> tuple[int, str]:
    """(index of the right answer, explanation) from the lab run at scale 3."""
    measured, bound = lab.bound_gap(tripled)
    v = tripled.results["rnn"].verdict
    right = 2 if v.kind == "vanishing" else 0 if v.kind == "exploded" or measured > bound - 1 else 1
    if v.kind == "exploded":
        return right, (f"At scale 3 the RNN's verdict is *{v.text()}*: it grew past what the number format holds, "
                       f"as the linear bound (up to 10^{bound:.1f}) allows.")
    return right, (f"At scale 3 the RNN's verdict is *{v.text()}*: the gradient at h₁ is 10^{measured:.1f} times "
                   f"the last step's, while the linear bound allows up to 10^{bound:.1f}. " + why(tripled))


# ----------------------------------------------------------------------------- the stacked lab (depth.py)
def depth_said(paths, results: dict, revealed: bool) -> str:
    """The sentence under the (layer × time) map: how many Jacobian factors the last step's loss's gradient
    crosses to reach x₁ (stack.path_length, T + L − 1, on every path: T − 1 back in time, L down the layers
    and into x₁) and how many paths there are (stack.path_count, C(T+L−2, L−1)); after the question's
    reveal (what reaches the first step is what it asks about), the share that arrives at h₁⁽¹⁾, per cell."""
    T, L = paths.T, paths.L
    out = (f"From the last step's loss to x₁ the gradient crosses T + L − 1 = {paths.length} Jacobian factors on "
           f"every path ({T - 1} steps back in time, "
           + (f"{L} down the layers and into x₁: L − 1 = {L - 1} more than one layer's T = {T}" if L > 1
              else "1 into x₁")
           + f"), and there {'is' if paths.count == 1 else 'are'} C(T+L−2, L−1) = {paths.count:,} "
           f"such path{'' if paths.count == 1 else 's'}.")
    if not revealed:
        return out
    def share(r) -> str:
        if r.exploded is not None:
            return "exploded (overflow)"
        reach = r.reach
        return "undefined" if not math.isfinite(reach) else "nothing (exactly 0)" if reach == 0 else f"×{reach:.2g}"
    said = ", ".join(f"{name(k)} {share(r)}" for k, r in results.items())
    return out + f" Where x₁ enters, ‖∂L/∂h₁⁽¹⁾‖ / ‖∂L/∂h_T⁽ᴸ⁾‖ is: {said}."


def params_said(results: dict) -> str:
    """Parameters per layer, from the core (Stack.n_parameters_per_layer), and whether torch.nn's module with
    the same weights counts the same (DepthResult.torch_params, counted on every run)."""
    def one(k, r) -> str:
        layers = " + ".join(f"{n:,}" for n in r.params)
        return f"{name(k)} {layers} = {sum(r.params):,}"
    same = all(r.params == r.torch_params for r in results.values())
    L = next(iter(results.values())).L
    module = f"num_layers={L}" if L > 1 else "one layer"
    return (f"Parameters per layer (layer 1 reads the {lab.INPUT_SIZE} inputs; each layer above reads H): "
            + "; ".join(one(k, r) for k, r in results.items())
            + (f". torch.nn's RNN, LSTM and GRU ({module}) count the same." if same
               else ". torch.nn's modules count differently: a bug, please report it."))
