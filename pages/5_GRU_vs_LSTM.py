"""GRU vs LSTM: the same text through two trained character models, gate for gate, side by side."""
import streamlit as st

from rnnviz import pretrained, ui
from rnnviz.lessons import charlm, compare
from rnnviz.figures import compare as figs
from rnnviz.figures.style import COLOR, NAME
from rnnviz.ui.stepper import ranged_slider

ui.page_setup("GRU vs LSTM", "⚖️", intro=(
    "Two character-level language models, trained the same way on the same Shakespeare (Hamlet and Macbeth "
    "held out), read the same text and predict each next character. One is an **LSTM** (input, forget and "
    "output gates and a separate cell state $c_t$), the other a **GRU** (a reset and an update gate, and one "
    "state $h_t$). They were sized to about the same number of parameters, so differences come from the "
    "cell, not the budget. Compare which gates close where, how each keeps its memory, and who is less "
    "surprised by the text."))

MODELS = {"gru": "char_gru", "lstm": "char_lstm"}
OWN = "your own text"
FIRST = "Hamlet: the opening watch"
DEFAULT_TEXT = "HAMLET.\nAlas, poor Yorick! I knew him, Horatio: a fellow of infinite jest.\n"
LOAD_ERRORS = (FileNotFoundError, KeyError, pretrained.IntegrityError, ValueError, RuntimeError, OSError)

# ----- the two models: each half of the page works on its own ------------------------------------
loaded, broken, metas = {}, {}, {}
for kind, name in MODELS.items():
    try:
        metas[kind] = pretrained.meta(name)
        loaded[kind] = ui.cache.char_model(name)
    except LOAD_ERRORS as e:
        broken[kind] = e.args[0] if isinstance(e, KeyError) and e.args else str(e)
passages = next((m["passages"] for m in metas.values() if m.get("passages")), {})

CONTROLS = [
    ui.Choice("passage", "Text to read", (*passages, OWN), FIRST if FIRST in passages else next(iter(passages), OWN),
              help="A passage from Hamlet or Macbeth, which neither model saw in training, or your own text."),
    ui.Text("text", "Your text", DEFAULT_TEXT, height=110,
            help=f"Used when 'Text to read' is '{OWN}'. The models read at most {charlm.MAX_CHARS:,} characters, "
                 "and any character they never learned as one unknown symbol."),
]
VIEW = [
    ui.Slider("width", "Characters shown", 10, 200, 40, step=10,
              help="How many characters the heatmaps show, from the first one chosen above."),
    ui.Slider("units", "Units shown", 4, 128, 24, step=4,
              help="How many hidden units each heatmap shows (the GRU has 296, the LSTM 256)."),
    ui.Choice("order", "Order units by", compare.ORDERS, "change",
              help="change: the units whose value moves most over the text first. mean: the most open (or "
                   "largest) first. index: units 0, 1, 2, … as they are stored."),
]
PAIR = ui.Choice("pair", "Compare", tuple(compare.PAIRS), "keep", horizontal=True,
                 help="keep: GRU z vs LSTM f. write: GRU 1 − z vs LSTM i. reset: GRU r vs LSTM o. "
                      "candidate: GRU n vs LSTM g.")

with st.sidebar:
    st.header("Controls")
ui.cap_typed_text("text", charlm.MAX_CHARS, "the models read")
values = ui.render(CONTROLS, disabled=lambda key, v: key == "text" and v["passage"] != OWN)
raw = values["text"] if values["passage"] == OWN else passages.get(values["passage"], "")
preps = {kind: charlm.prepare(model, raw) for kind, (model, _, _) in loaded.items()}
for message in dict.fromkeys(m for p in preps.values() for m in p.messages()):
    ui.problem(ui.escape_markdown(message))
text = next(iter(preps.values())).text if preps else ""
if len(text) == 1:
    ui.problem("One character gives nothing to predict: type at least two to measure surprise.")
readings = {kind: ui.cache.char_reading(MODELS[kind], text) for kind in loaded} if text else {}
view = ui.render(VIEW[:1])
START = ui.Slider("start", "From character", 1, max(2, len(text) - view["width"] + 1), 1,
                  help="The first character the heatmaps show (shaded in the charts along the whole text).")
start = ranged_slider(START, disabled=len(text) <= view["width"])
view |= ui.render(VIEW[1:])
lo, hi = compare.window(max(len(text), 1), start, view["width"])

# ----- the cards ------------------------------------------------------------------------------------
duel = compare.duel(readings["gru"], readings["lstm"]) if len(readings) == 2 else None
cols = dict(zip(compare.KINDS, st.columns(2)))
for kind, col in cols.items():
    box = col.container(border=True)
    box.markdown(f'<span style="color:{COLOR[kind]};font-weight:700;font-size:1.25rem">{NAME[kind]}</span>',
                 unsafe_allow_html=True)
    if kind in broken:
        parts = broken[kind].split("`")                  # literal text; the rebuild command stays code
        box.error(f"The {NAME[kind]} half of this page is unavailable. " + "`".join(
            part if n % 2 else ui.escape_markdown(part) for n, part in enumerate(parts)), icon="🚫")
        continue
    model, meta = loaded[kind][0], loaded[kind][2]
    box.markdown(f"{model.hidden_size} hidden units · {model.count_parameters():,} parameters")
    m = box.columns(2)
    m[0].metric("validation bpc", f"{meta['metrics']['val_bpc']:.3f}", help="Bits per character on held-out "
                "Hamlet and Macbeth (277,374 characters): lower means better predictions.")
    bpc = readings[kind].bpc if kind in readings else float("nan")
    m[1].metric("bpc on this text", "–" if bpc != bpc else f"{bpc:.3f}",
                help="The mean surprise, in bits, at each character of the text after the first.")

# ----- equations -----------------------------------------------------------------------------------
st.subheader("The two cells, from the code")
for kind, col in zip(compare.KINDS, st.columns(2)):
    col.latex(figs.equations_latex(kind))
    col.caption(figs.equation_roles(kind))
st.caption("Both read a one-hot character $x_t$ and predict the next one from $h_t$ with the same read-out "
           "$\\mathrm{softmax}(W_y h_t + b_y)$. σ squashes to (0, 1): a gate near 1 lets through, near 0 blocks.")

# ----- gates ---------------------------------------------------------------------------------------
st.subheader("Gates side by side")
pair = compare.PAIRS[ui.render([PAIR], where=st.container())["pair"]]
st.markdown(f"**{pair.title}.** {pair.note}")
heat_cols = dict(zip(compare.KINDS, st.columns(2)))


def show(kind: str, quantity: str, where, key: str) -> None:
    """One model's heatmap of the window (or why it is missing)."""
    if kind not in readings:
        where.info(f"No {NAME[kind]} reading: " + ("its weights did not load (see above)." if kind in broken
                                                    else "there is no text."), icon="ℹ️")
        return
    q = compare.quantity(readings[kind], quantity)
    units = compare.pick_units(q, view["units"], view["order"])
    where.plotly_chart(figs.heatmap(q, text, quantity, lo, hi, units, f"{NAME[kind]}: {figs.label(quantity)}"),
                       key=key)


for kind, col in heat_cols.items():
    show(kind, getattr(pair, kind), col, f"gate_{kind}")
if pair is compare.PAIRS["write"] and "lstm" in readings:
    st.caption(f"On this text the LSTM keeps *and* writes ($f_t > 0.8$ and $i_t > 0.8$) in "
               f"{compare.keep_and_write(readings['lstm']):.0%} of its unit-steps. A GRU unit never can: $z_t$ and "
               "$1 - z_t$ cannot both exceed 0.5.")
if readings:
    quantities = {k: getattr(pair, k) for k in readings}
    means = {k: compare.quantity(r, quantities[k]).mean(1) for k, r in readings.items()}
    st.plotly_chart(figs.gate_means(text, means, quantities, lo, hi), key="gate_means")
    st.plotly_chart(figs.class_bars({k: compare.by_class(r, figs.CLASS_GATES[k]) for k, r in readings.items()}),
                    key="class_bars")
    st.caption("Orange keeps the past, sky blue writes new values (for the GRU that is 1 − z), yellow and dark "
               "blue decide what of the past the next step sees. Averages over all units hide a lot: the "
               "heatmaps show single units doing very different things.")

# ----- states --------------------------------------------------------------------------------------
st.subheader("The merged state")
st.markdown("The LSTM keeps two vectors: the cell state $c_t$, its memory, a running sum that can grow beyond "
            "±1, and $h_t = o_t \\odot \\tanh(c_t)$, the part it shows to the read-out and to its gates. The GRU "
            "merges them: its one $h_t$ is both its memory and its output, always inside (−1, 1).")
left, right = st.columns(2)
show("gru", "hidden", left, "state_gru_h")
left.markdown("**The GRU's $h_t$** is memory and output in one: what it keeps for later is exactly what the "
              "read-out and the gates see now. **The LSTM** (right) can hold a large value in $c_t$ while showing "
              "little of it in $h_t$ (a closed output gate), and show it later. Compare the colour scales: "
              "$c_t$ goes beyond ±1, both $h_t$ stay inside.")
show("lstm", "cell state", right, "state_lstm_c")
show("lstm", "hidden", right, "state_lstm_h")
if "lstm" in readings:
    r = compare.state_ranges(readings["lstm"])
    right.caption(f"LSTM: largest |c| = {r['c_max']:.2f} ({r['c_beyond_1']:.0%} of the values beyond ±1); "
                  f"largest |h| = {r['h_max']:.2f}.")

# ----- surprise ------------------------------------------------------------------------------------
st.subheader("Who is less surprised?")
if readings and len(text) > 1:
    st.plotly_chart(figs.surprisal(text, {k: r.surprisal for k, r in readings.items()}, lo, hi, duel),
                    key="surprisal")
if duel is not None and len(text) > 1:
    st.markdown(f"The GRU was less surprised at **{duel.gru_wins}** characters, the LSTM at "
                f"**{duel.lstm_wins}**; {duel.ties} were within {duel.tie} bits. Where each won by most:")
    for kind, col in zip(compare.KINDS, st.columns(2)):
        col.dataframe(figs.biggest_table(duel, kind), hide_index=True, width="stretch")

# ----- parameters ----------------------------------------------------------------------------------
st.subheader("Parameters per gate")
st.markdown("Every gate block has its own input weights $W_{i\\cdot}$ ($H \\times V$), recurrent weights "
            "$W_{h\\cdot}$ ($H \\times H$) and two biases ($H$ each): $H\\,(V + H + 2)$. The LSTM has four "
            "blocks, the GRU three; the read-out $W_y$ ($V \\times H$) and $b_y$ ($V$) add $V\\,(H + 1)$.")
tables = {k: charlm.parameter_table(loaded[k][0]) for k in compare.KINDS if k in loaded}
NUMBER = st.column_config.NumberColumn(format="localized")
for kind, col in zip(compare.KINDS, st.columns(2)):
    if kind in tables:
        model = loaded[kind][0]
        col.markdown(f"**{NAME[kind]}**, $H$ = {model.hidden_size}, $V$ = {model.vocab_size}:")
        col.latex(compare.parameter_latex(kind, model.hidden_size, model.vocab_size))
        rows = figs.parameter_rows(tables[kind])
        col.dataframe(rows, hide_index=True, width="stretch",
                      column_config={k: NUMBER for k in rows[0] if k != "block"})
        col.caption(f"The rows add up to {sum(r['total'] for r in tables[kind]):,}: exactly what PyTorch "
                    f"counts in the loaded model ({model.count_parameters():,}).")
if tables:
    st.plotly_chart(figs.parameters(tables), key="parameters")
    st.caption(f"V = {next(iter(loaded.values()))[0].vocab_size} characters in the alphabet. A GRU unit costs "
               "three blocks instead of four, so for the same budget the GRU gets more units (296 vs 256).")

# ----- validation ----------------------------------------------------------------------------------
st.subheader("How well does each predict?")
if metas:
    st.plotly_chart(figs.validation({k: metas[k]["metrics"] for k in compare.KINDS if k in metas}),
                    key="validation")
    st.caption("Bits per character: the average surprise over 277,374 held-out characters. The baselines "
               "predict from letter frequencies alone (unigram) or from the previous character (bigram); "
               "everything below the bigram bar the models learned from longer context.")

# ----- experiments and a question ------------------------------------------------------------------
st.subheader("What to try")
VIEW_ALL = CONTROLS + VIEW + [START, PAIR]
EXPERIMENTS = [
    ("Speakers' names: the witches", dict(passage="Macbeth: the witches"),
     "Hover the surprise chart at each name: the first letter after a blank line costs about 4 bits, the rest of "
     "FIRST almost nothing, the W of WITCH 6–8 bits every time (neither remembers who spoke before), and the line "
     "break after the name 0 bits: both learned that a speaker's name ends its line."),
    ("Who keeps the most?", dict(pair="keep", order="mean"),
     "Units ordered by their mean: the top rows keep the most. Most GRU units have z near 0: they rewrite "
     "themselves at every character, and their memory travels through the candidate $n_t$, which reads "
     "$h_{t-1}$. Every LSTM unit keeps something. In the bars: both forget most at a new line."),
    ("Write: coupled or free", dict(pair="write"),
     "The GRU's 1 − z is the mirror image of its z; the LSTM's input gate is free. The caption under the "
     "heatmaps counts how often the LSTM keeps and writes at once."),
    ("A name it never saw", dict(passage=OWN, text="Enter Gandalf and Frodo.\n\nGANDALF.\nRun, Frodo! Frodo, run!\n"),
     "Hover the surprise at each “Frodo”: the second and third are hardly easier than the first. A character "
     "model this size does not copy a new name it has just read."),
    ("Characters outside the alphabet", dict(passage=OWN, text="Ophelia — “I’m fine 🙂” <b>says</b> she."),
     "Curly quotes and dashes become Shakespeare's plain ones; the emoji and the < > of the tag are read as the "
     "unknown symbol, and the message at the top counts them. Nothing is drawn as HTML."),
]
for n, (label, params, note) in enumerate(EXPERIMENTS):
    c1, c2 = st.columns([3, 5], vertical_alignment="center")
    ui.preset(c1, label, VIEW_ALL, params, key=f"try_{n}")
    c2.markdown(note)

if duel is not None and len(text) > 1:
    st.subheader("Predict, then reveal")
    answers = {"gru": "Only the GRU's", "lstm": "Only the LSTM's", "both": "Both", "neither": "Neither"}
    lo_f, hi_f = len(text) // 2, min(len(text), len(text) // 2 + 60)
    guess = st.radio(f"For characters {lo_f + 1} to {hi_f}, stop both models writing to their memory: every GRU "
                     "unit's update gate z = 1, every LSTM unit's forget gate f = 1 and input gate i = 0. Whose "
                     "hidden state h stops changing?", list(answers.values()), index=None, key="predict_guess")
    if st.button("Reveal", key="predict_reveal", disabled=guess is None):
        moved = {kind: compare.drift(charlm.read(model, text, cell, compare.freeze_clamps(
            kind, model.hidden_size, lo_f, hi_f)), lo_f, hi_f) for kind, (model, cell, _) in loaded.items()}
        frozen = [k for k in compare.KINDS if moved[k]["h"] < compare.FROZEN]
        truth = "both" if len(frozen) == 2 else frozen[0] if frozen else "neither"
        (st.success if guess == answers[truth] else st.info)(
            f"**{answers[truth]}.** The GRU's $h$ " + ("did not move at all" if moved["gru"]["h"] == 0 else
                                                      f"moved by {moved['gru']['h']:.0e} (float rounding)")
            + ": with $z_t = 1$, $h_t = h_{t-1}$, because its memory *is* its output. The LSTM's cell state froze "
            f"too, but its $h$ moved by up to {moved['lstm']['h']:.2f}: "
            "$h_t = o_t \\odot \\tanh(c_t)$, and the output gate $o_t$ still follows the text, showing different "
            "parts of a fixed memory.")
