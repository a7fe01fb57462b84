"""LSTM inside: a trained character-level LSTM reads a text; its gates, cell state and units, per character."""
import numpy as np
import streamlit as st

from rnnviz import cells, pretrained, ui
from rnnviz.lessons import charlm, neurons
from rnnviz.figures import conveyor as belt_figs
from rnnviz.figures import gates, lstm_inside as figs
from rnnviz.figures import text as colored
from rnnviz.ui.stepper import Steps, ranged_slider, stepper

MODEL = "char_lstm"
OWN = "your own text"
DEFAULT_TEXT = 'HAMLET.\nWhat do you read, my lord? "Words, words, words."\n[Exit Polonius.]\n'
FEATURES = {"strongest": None, "quotes": 'inside "quotes"', "stage": "inside [stage directions]",
            "column": "position in the line", "vowel": "vowel", "space": "space", "capital": "capital letter",
            "newline": "end of line"}
MEANING = {"input": "input gate: how much of the candidate to write", "forget": "forget gate: how much of the "
           "old cell state to keep", "cell": "candidate: what could be written", "output": "output gate: how much "
           "of the cell to show", "c": "the cell state: the conveyor belt", "hidden": "the hidden state: what the "
           "read-out and the next step see"}

ui.page_setup("LSTM inside", "🔬", intro=(
    "An LSTM with 256 units was trained to predict the next character of Shakespeare. Give it a passage it "
    "never saw, and watch it read, one character at a time: what its **gates** let through, what its **cell "
    "state** remembers, which **units** track something you can name, and what it expects to come next."))
try:
    model, _, meta = ui.cache.char_model(MODEL)
except (FileNotFoundError, pretrained.IntegrityError, KeyError, ValueError) as e:
    ui.problem(str(e.args[0] if e.args else e) + "  \nThe other lessons do not need "   # the core words it for a page
               "this model and keep working.")
    st.stop()

passages, H, metrics = meta.get("passages") or {}, model.hidden_size, meta["metrics"]
first = "Hamlet: To be, or not to be" if "Hamlet: To be, or not to be" in passages else next(iter(passages), OWN)
# The page opens on the unit whose cell state best follows the position in the line on the opening passage
# (a fixed choice for these weights, so a link without ?unit= always means the same unit).
LINE_UNIT, line_r = ui.cache.char_best_unit(MODEL, charlm.prepare(model, passages[first]).text,
                                            FEATURES["column"]) if passages else (0, 0.0)
LINE_UNIT = max(LINE_UNIT, 0)
line_note = (f"Unit {LINE_UNIT} is the unit whose cell state best follows the position in the line in “{first}” "
             f"(r = {line_r:+.2f}): watch it change along each line and jump back at ↵.")
TEXT = [
    ui.Choice("passage", "Passage", (*passages, OWN), first,
              help="Held-out scenes from Hamlet and Macbeth (the model never trained on them), or your own text."),
    ui.Text("text", "Your text", DEFAULT_TEXT, height=140,
            help=f"Used when the passage is '{OWN}'. The model reads at most {charlm.MAX_CHARS:,} characters; "
                 "any character it never saw in training is read as one unknown symbol, shown as �."),
    ui.Number("unit", "Unit to follow", 0, H - 1, LINE_UNIT,
              help=f"One of the {H} hidden units (0 to {H - 1}): the coloured text, the step view, the conveyor "
                   "belt and the intervention follow it. The neuron hunt below suggests interesting ones."),
    ui.Choice("q", "Quantity", tuple(figs.QUANTITIES), "cell", horizontal=True,
              help="input, forget, output: the three gates (0 = shut, 1 = open). candidate: g_t, what could be "
                   "written. cell: the cell state c_t, the memory. hidden: h_t = o_t · tanh(c_t)."),
]
VIEW = [ui.Choice("order", "Order the units", ("number", "busiest", "feature"), "number", horizontal=True,
                  help="number: 0 at the top. busiest: the units that vary most over this text first. "
                       "feature: the units that correlate most with the neuron hunt's feature first.")]
HUNT = [ui.Choice("feature", "Feature", tuple(FEATURES), "strongest", horizontal=True,
                  help="strongest: whichever feature some unit tracks best. quotes / stage: inside \"…\" or […]. "
                       "column: position in the line. vowel, space, capital, newline: that kind of character.")]
CLAMP = [ui.Slider("clamp", "Clamp the forget gate to", 0.0, 1.0, 0.0, step=0.05,
                   help="0 wipes the unit's memory at every step; 1 keeps all of it (the cell only adds).")]
FROM = ui.Slider("from", "From step", 1, charlm.MAX_CHARS, 40, help="The clamp holds from this step to the end "
                 "of the text; the steps before it run free.")
STEP = ui.Slider("t", "Step t (the t-th character)", 1, charlm.MAX_CHARS, 1)
GEN = [ui.Text("prompt", "Prompt", "HAMLET.\n", height=80, help="The model reads this first, then continues it."),
       ui.Slider("temp", "Temperature", 0.1, 2.0, 0.8, step=0.1,
                 help="Divides the scores before the softmax: low = safe and repetitive, high = inventive and "
                      "misspelt, 1 = the model's own probabilities."),
       ui.Slider("n", "Characters to write", 50, 600, 300, step=50, help="How many characters to sample."),
       ui.Number("seed", "Seed", 0, 9999, 0, help="Seeds the sampling: the same seed gives the same text.")]
ALL = TEXT + VIEW + HUNT + CLAMP + GEN + [FROM, STEP]

with st.sidebar:
    st.header("Text and unit")
ui.cap_typed_text("text", charlm.MAX_CHARS)
v = ui.render(TEXT, disabled=lambda key, vals: key == "text" and vals.get("passage") != OWN)
prep = charlm.prepare(model, v["text"] if v["passage"] == OWN else passages.get(v["passage"], ""))
for message in prep.messages():
    ui.problem(ui.escape_markdown(message))
st.caption(f"{H} units, {meta['parameters']:,} parameters, trained on {meta['data']['train']} of Shakespeare. "
           f"On held-out Hamlet and Macbeth it needs **{metrics['val_bpc']:.2f} bits per character** (guessing "
           f"by letter frequency: {metrics['unigram_bpc']:.2f}; by the previous letter: {metrics['bigram_bpc']:.2f}).")
with st.expander("The LSTM's step, as the code computes it", icon="🧮"):
    st.latex(r"\begin{aligned}" + r"\\".join(eq.replace("=", "&=", 1) + rf"&&\text{{{MEANING[name]}}}"
                                             for name, eq in cells.equations("lstm")) + r"\end{aligned}")
    st.markdown("σ squashes into (0, 1), so a gate is a dimmer: 0 blocks, 1 lets through. ⊙ multiplies unit by "
                "unit: each of the 256 units has its own gates. $x_t$ is the character as a one-hot vector.")

if len(prep.text) < 2:
    if prep.text:
        ui.problem("One character is too little to watch: type at least two.")
    r = None
else:
    r = ui.cache.char_reading(MODEL, prep.text, ())
    T, unit, key = len(r.text), v["unit"], v["q"]
    acts = figs.values(r, key)
    signed = figs.QUANTITIES[key][2]
    scale = None if key == "cell" else 1.0

    # ----- 1. the text through one unit ---------------------------------------------------------------
    st.subheader(f"Unit {unit}: its {figs.label(key)}, character by character")
    st.html(colored.colored_text(r.text, acts[:, unit], signed, scale, label=figs.label(key), unknown=r.ids == 0))
    st.html(colored.legend(signed, scale or float(np.abs(acts[:, unit]).max())))
    opening_view = (unit, key, v["passage"]) == (LINE_UNIT, "cell", first)
    st.caption((line_note + " " if opening_view else "") + f"On this text the model needs {r.bpc:.2f} bits per "
               "character. Try another unit or quantity in the sidebar; the neuron hunt below finds units worth "
               "following.")

    # ----- 2. every unit at once ----------------------------------------------------------------------
    st.subheader("Every unit at once")
    feats = neurons.features(r.text)
    matches = neurons.hunt(acts, r.text)
    o_col, f_col = st.columns([2, 5])
    hv = ui.render(VIEW, where=o_col) | ui.render(HUNT, where=f_col)
    wanted = FEATURES[hv["feature"]]
    m = next(x for x in matches if x.feature == wanted) if wanted else matches[0]        # strongest: the first
    order = figs.order_units(acts, hv["order"], neurons.correlations(acts, feats[m.feature]))
    st.plotly_chart(figs.unit_heatmap(acts, r.text, key, order, unit, f"{figs.label(key)}: {T} characters × {H} "
                                      "units"), key="heatmap")
    st.caption("Each column is one character, each row one unit (◀ the unit you follow). Gates: dark = shut, "
               "bright = open. States: red above 0, blue below. Look for rows that switch at line ends or spaces.")

    # ----- 3. step by step: one unit, the predictions, the conveyor belt ---------------------------------
    st.subheader(f"Step by step: unit {unit} and what the model expects next")
    top_chars, top_probs = charlm.top_k(r, 5)

    def show_step(t: int) -> None:
        st.plotly_chart(figs.step_view(r, unit, t, top_chars, top_probs), key="step_view")
        say = lambda ch: f"“{ui.escape_markdown(gates.visible(ch))}”"                   # noqa: E731
        pct = lambda p: f"{p:.0%}" if p >= 0.005 else "<1%"                                   # noqa: E731
        expects = " · ".join(f"{say(c)} {pct(p)}" for c, p in zip(top_chars[t - 1], top_probs[t - 1]))
        came = f"; what came: {say(r.text[t])} ({pct(r.probs[t - 1, r.ids[t]])})" if t < T else ""
        st.markdown(f"**After step {t}** ({say(r.text[t - 1])}) the model expects {expects}{came}.")
        belt = charlm.conveyor(r, t - 1, unit)
        half = charlm.half_life(belt["survival"])
        st.plotly_chart(belt_figs.conveyor(belt, t, unit, r.text[t - 1]), key="conveyor")
        st.latex(rf"c_{{{t}}} = f_{{{t}}}\,c_{{{t - 1}}} + i_{{{t}}}\,g_{{{t}}} = "
                 rf"{belt['f']:.3f}\times({belt['c_prev']:+.3f}) + {belt['i']:.3f}\times({belt['g']:+.3f}) = "
                 rf"{belt['kept']:+.3f} {belt['written']:+.3f} = {belt['c']:+.3f}")
        left, right = st.columns([3, 2], vertical_alignment="center")
        left.plotly_chart(belt_figs.survival(belt["survival"], t, half, unit), key="survival")
        right.markdown("**Why the belt remembers.** Only two things touch the cell state: the forget gate "
                       "scales it, the input gate adds to it. No squashing, no matrix. So if nothing new is "
                       f"written, what unit {unit} holds after step {t} is still there $k$ steps later times "
                       r"$f_{t+1} f_{t+2} \cdots f_{t+k}$: the curve. Forget gates near 1 make a long memory; "
                       "one gate near 0 wipes it.")

    stepper(Steps("t", "Step t (the t-th character)", first=1, last=T, start=1,
                  help="Which character to look at: the dotted line in the step view, the conveyor belt below it. "
                       "Play walks through the text."), show_step)

    # ----- 4. the neuron hunt ---------------------------------------------------------------------------
    st.subheader("Neuron hunt: which unit tracks what?")
    st.markdown(f"Each feature below is a number per character; every unit's {figs.label(key)} is scored by its "
                "correlation *r* with it (±1: in lockstep, 0: unrelated). Change the quantity in the sidebar to "
                "hunt among gates or states; choose the feature above the heatmap.")
    rows, absent = figs.hunt_rows(matches)
    st.dataframe(rows, hide_index=True, key="hunt_table")
    if absent:
        st.caption("Not in this text, so nothing to correlate with: " + ui.escape_markdown(", ".join(absent)) + ".")
    if m.unit < 0:
        ui.problem(ui.escape_markdown(f"'{m.feature}' never changes in this text, so no unit can track it."))
    else:
        st.plotly_chart(figs.hunt_match(r.text, acts[:, m.unit], feats[m.feature], m, key), key="hunt_match")
        st.button(f"Follow unit {m.unit}", icon="🔎", key="follow", disabled=m.unit == unit,
                  on_click=lambda u=m.unit: st.session_state.update(unit=u),
                  help="Makes it the unit you follow, above and below.")
        st.caption("A correlation on one passage is a hint, not proof: switch passages and see whether the same "
                   "unit wins again (Karpathy, Johnson & Fei-Fei 2015 found quote- and line-length units this way).")

    # ----- 5. intervene ---------------------------------------------------------------------------------
    st.subheader(f"Intervene: hold unit {unit}'s forget gate")
    st.markdown("Force the forget gate of the unit you follow to one value from a chosen step to the end, run "
                "the same text again, and compare. Everything before that step is untouched.")
    c1, c2 = st.columns(2)
    clamp = ui.render(CLAMP, where=c1)["clamp"]
    start = ranged_slider(FROM, where=c2)
    clamped = ui.cache.char_clamped(MODEL, r.text, "forget", unit, clamp, start - 1)
    fx = charlm.effect(r, clamped)
    st.plotly_chart(figs.intervention(r, clamped, fx, unit, start, clamp), key="intervention")
    st.caption("Nothing changes at all: the unit's forget gate was already at that value." if fx.first is None else
               f"The first change is at step {fx.first}. The whole hidden state moves by up to {fx.dh.max():.2f}, "
               f"the likeliest next character changes at {fx.top1_changed} of {T} steps, and the text costs "
               f"{fx.dbpc:+.3f} bits per character ({'worse' if fx.dbpc > 0 else 'better'} than free).")

# ----- 6. generate --------------------------------------------------------------------------------------
st.subheader("Let it write")
ui.cap_typed_text("prompt", charlm.MAX_CHARS)
gv = {k: val for c, col in zip(GEN, st.columns([3, 2, 2, 1.2])) for k, val in ui.render([c], where=col).items()}
gprep = charlm.prepare(model, gv["prompt"])
for message in gprep.messages():
    if not gprep.text:
        message = "The prompt is empty: the model starts from a new line."
    ui.problem(ui.escape_markdown(message))
written = ui.cache.char_generate(MODEL, gprep.text or "\n", gv["n"], gv["temp"], gv["seed"])
st.code(gprep.text + written, language=None, wrap_lines=True)
st.caption(f"Sampled one character at a time from softmax(scores / {gv['temp']:g}), each fed back in as the next "
           "input. The prompt is shown first; the rest is the model's.")

# ----- what to try --------------------------------------------------------------------------------------
st.subheader("What to try")
keep = {"passage": v["passage"], "text": v["text"]}
EXPERIMENTS = [("Cold: temperature 0.2", dict(temp=0.2, **keep),
                "Almost always the likeliest character: common words, repeated phrases."),
               ("Hot: temperature 1.5", dict(temp=1.5, **keep),
                "The distribution flattens: rare letters and made-up words appear.")]
if "Macbeth: the witches" in passages:
    stage, stage_r = ui.cache.char_best_unit(MODEL, charlm.prepare(model, passages["Macbeth: the witches"]).text,
                                             FEATURES["stage"])
    EXPERIMENTS.insert(0, ("Find the [stage directions] unit", dict(passage="Macbeth: the witches", feature="stage",
                                                                      order="feature", unit=max(stage, 0)),
                           f"Unit {stage}'s cell state correlates with being inside […] (r = {stage_r:+.2f}) "
                           "in this scene. Does it switch on and off at the brackets?"))
if r is not None:
    memory = int(np.argmax(r.gates["forget"].mean(0)))
    EXPERIMENTS.insert(1, ("Wipe a long memory: forget gate 0", dict(unit=memory, clamp=0.0, q="cell",
                                                                       **{"from": T // 2, "t": T // 2}, **keep),
                           f"Unit {memory} keeps the most (mean f = {r.gates['forget'][:, memory].mean():.2f}). "
                           "Clamped to 0 halfway, its cell state resets to i·g at every step."))
for n, (title, params, note) in enumerate(EXPERIMENTS):
    c1, c2 = st.columns([2, 5], vertical_alignment="center")
    ui.preset(c1, title, ALL, params, key=f"try_{n}")
    c2.markdown(note)

with st.expander("About this model", icon="📦"):
    st.markdown(f"One `nn.LSTM` layer of {H} units over one-hot characters ({model.vocab_size} symbols, the first "
                f"being 'unknown'), then a linear read-out to the next character. Rebuilt by `{meta['command']}` "
                f"in {meta['minutes']:.0f} minutes on a CPU. Training text: {meta['data']['train']}; held out: "
                f"{meta['data']['validation']}.")
    st.table(charlm.parameter_table(model))
