"""The "Your text" page: a student's own text, a character model trained on it live, and the model to take away.

Top to bottom: the text and the model's settings beside the live view (the learning curve against the text's own
baselines, what the model writes now, the samples written as it learned, the gradient reaching each step); then
the model to download, load back or open on another page; the question. The text lives in this session only
(never in the URL, never on disk); the settings are in the URL. The training runs in a process of its own
(rnnviz.ui.training: one per student, queued when the server is busy, bounded, ended with the session).
"""
from __future__ import annotations

import hashlib
import html

import streamlit as st

from rnnviz import ui
from rnnviz.shared import bundle, charlm
from rnnviz.topics.yourtext import TOPIC, figures, learn, measure, words
from rnnviz.topics.yourtext import data as textdata
from rnnviz.ui import training, yours

RUN = "yourtext_run"              # the session's run (ui.training keeps it)
READ = "_yourtext_read"           # (digest of the raw input, TextData | TextError): read once per new input
TYPED, KEPT = "yourtext_typed", "_yourtext_typed_kept"   # the text box, and its copy kept across pages
LOADED = "_yourtext_loaded"       # (the uploaded model file's id, whether it loaded, what loading it said)
KEPT_RUN = "_yourtext_kept_run"   # the run whose model was last kept as the session's own (ui.yours)
HELD_OUT = "your text, held out"   # the passage LSTM inside reads with your model
SAMPLE = "_yourtext_sample"       # (what it was written from, the text): one sample per checkpoint and τ
FILE_MB = 2                       # an uploaded text file's limit (the model reads at most textdata.MAX_BYTES of it)
EXAMPLES = tuple(textdata.EXAMPLES)

SOURCE = ui.Choice("source", "Text", ("example", "typed", "file"), "example", horizontal=True,
                   help=words.HELP["source"])
EXAMPLE = ui.Choice("example", "Example", EXAMPLES, EXAMPLES[0], help=words.HELP["source"])
# three small dropdowns in one row: Train stays on the first screen at 1366×768 and on a 1280×720 projector
MODEL = [ui.Choice("cell", "Cell", learn.CELLS, "lstm", help=words.HELP["cell"]),
         ui.Choice("hidden", "Units", tuple(str(h) for h in learn.SIZES), "128", help=words.HELP["hidden"]),
         ui.Choice("seconds", "Seconds", tuple(str(s) for s in learn.SECONDS), "30", help=words.HELP["seconds"])]
TEMP = ui.Slider("temp", "Temperature τ of the sample", 0.1, 2.0, 0.8, step=0.1, help=words.HELP["temp"])
CONTROLS = [SOURCE, EXAMPLE, *MODEL, TEMP]


def read(raw: bytes | str) -> textdata.TextData | textdata.TextError:
    """The text checked (textdata.read_text), once per new input in this session (a 200 kB text costs tens of ms)."""
    ss = st.session_state
    digest = hashlib.sha256(raw if isinstance(raw, bytes) else raw.encode("utf-8", "surrogatepass")).hexdigest()
    if ss.get(READ, (None,))[0] != digest:
        try:
            ss[READ] = digest, textdata.read_text(raw)
        except textdata.TextError as error:
            ss[READ] = digest, error
    return ss[READ][1]


def the_text(source: str, where) -> bytes | str | None:
    """The raw text from its source, drawn in `where`: the example, the text box, or an uploaded file."""
    ss = st.session_state
    if source == "example":
        return textdata.example(ui.render([EXAMPLE], where=where)["example"])
    if source == "typed":
        if TYPED not in ss:
            ss[TYPED] = ss.get(KEPT, "")
        typed = where.text_area("Your text", key=TYPED, height=150, max_chars=textdata.MAX_BYTES,
                                placeholder="Paste a text here: a few pages at least (a model needs examples).")
        ss[KEPT] = typed
        return typed
    up = where.file_uploader("A text file (UTF-8)", key="yourtext_file", max_upload_size=FILE_MB,
                             help=f"Any plain-text file up to {FILE_MB} MB; the model reads its first "
                                  f"{textdata.MAX_BYTES // 1000} kB.")
    return None if up is None else up.getvalue()


def config(v: dict) -> learn.TextConfig:
    return learn.TextConfig(cell=v["cell"], hidden=int(v["hidden"]), seconds=float(v["seconds"]))


def main() -> None:
    ui.page_setup(TOPIC, intro=words.LEAD)
    with ui.boundary():
        controls, chart = ui.stage.main_view("yourtext", ratio=(1, 2.4))
        v = ui.render([SOURCE], where=controls)
        raw = the_text(v["source"], controls)
        data = None
        if raw is None:
            controls.info("Choose a text file to upload.", icon=":material/upload_file:")
        else:
            data = read(raw)
            if isinstance(data, textdata.TextError):
                with controls:
                    ui.problem(ui.escape_markdown(str(data)))
                data = None
        for c, col in zip(MODEL, controls.columns([1.25, 1, 1.25])):   # (room for "lstm" and "Seconds")
            v |= ui.render([c], where=col)
        cfg = config(v)
        train_buttons(controls, cfg, data)
        if data is not None:                   # under Train: Train stays on the first screen at 1366×768
            for message in data.messages():
                controls.caption(ui.escape_markdown(message))
        with chart:
            training.live(RUN, lambda run, alive: live_view(run, alive, data))
        take_away(data)
        run = training.current(RUN)
        ui.predict_reveal(words.QUESTION, words.ANSWERS, lambda: truth(run))
        ui.experiments(words.PRESETS, CONTROLS)


def train_buttons(where, cfg: learn.TextConfig, data) -> None:
    """Train (or Stop), and Continue for a stopped or finished run of the same text, cell and size."""
    ss = st.session_state
    run = training.current(RUN)
    training.button(RUN, lambda trainer, me: learn.start(cfg, data, trainer, me), "Train", where=where,
                    disabled=data is None,
                    help="Train a new model on this text from scratch. " + training.limits())
    if run is None or training.is_alive(run) or data is None or run.snapshot().weights is None:
        return
    same = (run.data.sha256 == data.sha256 and run.config.cell == cfg.cell and run.config.hidden == cfg.hidden)

    def more() -> None:
        if not training.is_alive(ss.get(RUN)):
            ss[RUN] = learn.start(cfg, data, training.trainer(), training.owner(), resume=run)

    where.button(f"Continue training ({cfg.seconds:.0f} s more)", key="yourtext_more", on_click=more,
                 icon=":material/resume:", width="stretch", disabled=not same,
                 help="Go on from where it stopped: the same weights and optimizer state, the step count going on."
                      if same else "Continue needs the same text, cell and size as the run you trained.")


def live_view(run, alive: bool, data) -> None:
    """The live part (a fragment redrawn while the run trains): where it stands, the learning curve, what it
    writes now, the samples so far, the gradient by step."""
    if run is None:
        if data is not None:
            st.markdown(f"It starts knowing nothing. Before training, on this text: guessing **every character alike** costs "
                        f"{data.baselines['uniform']:.2f} bits per character; **letter frequencies** "
                        f"{data.baselines['unigram']:.2f}; **the one character before** {data.baselines['bigram']:.2f}. "
                        "Press **Train** and watch the model's line come down through them.")
            ui.chart(st, figures.learning_curve(learn.TextProgress(), data.baselines, 30.0), key="curve")
        return
    if training.waiting(run):
        return
    p, cfg, base = run.snapshot(), run.config, run.data.baselines
    last = p.checkpoints[-1] if p.checkpoints else None
    state = {"waiting": "Starting", "training": "Training", "finished": "Finished", "stopped": "Stopped"}[p.status]
    st.markdown(f"**{state}**: {p.seconds:.0f} s, step {p.steps:,}"
                + (f" · held-out **{last.val_bpc:.2f}** bits per character (bigram baseline {base['bigram']:.2f})"
                   if last else ""))
    if alive:
        st.progress(min(1.0, p.seconds / max(cfg.seconds, 1e-9)))
    ui.chart(st, figures.learning_curve(p, base, cfg.seconds), key="curve",
             summary=curve_said(p, base))
    if last is not None:
        sample_view(run, len(p.checkpoints))
        samples(p)
        more = ui.stage.deeper("The gradient reaching each step of a window", "yourtext_grad", icon=":material/trending_down:")
        if more.open:
            ui.chart(more, figures.gradient_by_step(last), key="grad")
    if not alive:
        training.why_it_ended(run)


def curve_said(p, base: dict) -> str:
    if not p.checkpoints:
        return "No held-out score yet."
    c = p.checkpoints[-1]
    return (f"After {c.seconds:.0f} s (step {c.step:,}) the model scores {c.val_bpc:.2f} bits per character on the "
            f"held-out text; baselines: uniform {base['uniform']:.2f}, unigram {base['unigram']:.2f}, bigram "
            f"{base['bigram']:.2f}.")


@st.fragment
def sample_view(run, checkpoints: int) -> None:
    """τ beside what the latest weights write at it: a fragment, so a move of τ redraws these two alone."""
    temp = ui.render([TEMP], where=st)["temp"]
    st.markdown(f"**What it writes now** (τ = {temp:g}, {measure.SAMPLE_CHARS} characters after a new line)")
    st.html(sample_box(sample_now(run, checkpoints, temp)))


def sample_now(run, checkpoints: int, temp: float) -> str:
    """measure.SAMPLE_CHARS characters from the latest weights at τ (seeded), written once per checkpoint and τ."""
    ss = st.session_state
    key = (id(run), checkpoints, temp)
    if ss.get(SAMPLE, (None,))[0] != key:
        ss[SAMPLE] = key, charlm.generate(run.model(), "\n", measure.SAMPLE_CHARS, temperature=temp, seed=0)
    return ss[SAMPLE][1]


def sample_box(text: str) -> str:
    """A sample as escaped, pre-formatted text in a light box (plain HTML: lighter for the browser than a code
    block, which loads a highlighter on its first use)."""
    return ('<pre style="white-space: pre-wrap; word-break: break-word; margin: 0; padding: .6rem .8rem; '
            'border-radius: .5rem; background: rgba(128, 132, 149, .12); font-size: .85rem; line-height: 1.45">'
            + html.escape(text) + "</pre>")


def samples(p, shown: int = 5) -> None:
    """A few of the samples written at checkpoints, evenly spaced from the first: gibberish becoming words."""
    cps = p.checkpoints
    n = min(shown, len(cps))
    pick = sorted({round(i * (len(cps) - 1) / max(n - 1, 1)) for i in range(n)})     # the first and the last
    with st.expander(f"What it wrote as it learned ({len(pick)} of {len(cps)} checkpoints)", expanded=True,
                     icon=":material/history:"):
        for i in pick:
            c = cps[i]
            st.caption(f"after {c.seconds:.0f} s, step {c.step:,}: {c.val_bpc:.2f} bits per character")
            st.html(sample_box(c.sample))


def take_away(data) -> None:
    """The model to download, load back, or open on another page."""
    run, ss = training.current(RUN), st.session_state
    if run is not None and not training.is_alive(run) and run.snapshot().weights is not None:
        p = run.snapshot()
        if ss.get(KEPT_RUN) != (id(run), p.steps):      # a run that just ended: its model becomes "yours"
            ss[KEPT_RUN] = id(run), p.steps              # (once: a model loaded later is not overwritten)
            model = run.model()
            yours.keep_text_model(model, {"kind": "text", "arch": bundle.arch_of(model, "text"),   # (dump sets these too)
                "data": {"sha256": run.data.sha256, "size": len(run.data.text)}, "steps": p.steps,
                "seconds": round(p.seconds, 1),
                "metrics": {"val_bpc": p.checkpoints[-1].val_bpc if p.checkpoints else None,
                            **{f"{k}_bpc": v for k, v in run.data.baselines.items()}},
                "training": {"cell": run.config.cell, "hidden": run.config.hidden, "seed": run.config.seed}},
                passages={HELD_OUT: passage(run.data)})
    st.subheader("Take it with you")
    found = yours.text_model()
    left, right = st.columns(2)
    with left:
        if found is None:
            st.caption("Train a model (or load one): it can then be downloaded here, and opened on the Text "
                       "generation page (and an LSTM on LSTM inside).")
        else:
            model, conf = found
            st.markdown(ui.escape_markdown(bundle.describe(conf)))
            name = f"rnnviz-text-{model.kind}-{model.hidden_size}"
            row = st.container(horizontal=True)
            row.download_button("Download the model (.safetensors)", data=lambda: bundle.dump(model, "text", conf),
                                file_name=f"{name}.safetensors", mime="application/octet-stream",
                                icon=":material/download:", key="yourtext_download",
                                help="The weights and, inside the same file, its settings (cell, sizes, alphabet, "
                                     "steps, scores, the text's sha256; not the text). No pickle: safe to open.")
            row.download_button("Its settings (.json)", data=lambda: bundle.config_json(bundle.dump(model, "text", conf)),
                                file_name=f"{name}.json", mime="application/json", icon=":material/data_object:",
                                key="yourtext_settings", help="The same settings as the model file holds, to read.")
            st.page_link("pages/10_Text_generation.py", label="Write with it: Text generation",
                         icon=":material/edit_note:", query_params={"model": yours.OPTION})
            if model.kind == "lstm":
                st.page_link("pages/4_LSTM_inside.py", label="Look inside it: LSTM inside",
                             icon=":material/biotech:", query_params={"model": yours.OPTION})
    with right:
        up = st.file_uploader("Load a model downloaded here before", type=["safetensors"], key="yourtext_load",
                              max_upload_size=bundle.MAX_BYTES // 2 ** 20,
                              help="A .safetensors file this page made. It is checked (format, sizes, shapes, "
                                   "numbers) before it is used; nothing is kept after this session.")
        if up is not None:
            if ss.get(LOADED, (None,))[0] != up.file_id:    # read once per file, not on every rerun
                try:
                    model, conf = bundle.load(up.getvalue(), expect="text")
                except bundle.BundleError as error:
                    ss[LOADED] = up.file_id, False, str(error)
                else:
                    yours.keep_text_model(model, conf)
                    ss[LOADED] = up.file_id, True, "Loaded: " + bundle.describe(conf)
            _, ok, said = ss[LOADED]
            if ok:
                st.success(ui.escape_markdown(said), icon=":material/check:")
            else:
                ui.problem(ui.escape_markdown(said))


def passage(data, chars: int = 420) -> str:
    """The start of the held-out text, to whole lines where it can (LSTM inside reads it with your model)."""
    held = data.text[data.n_train:]
    end = held.rfind("\n", 0, chars) + 1
    return held[:end if end > chars // 2 else chars]


def truth(run) -> tuple[int | None, str]:
    if run is None:
        return words.reveal([], 0.0, 0.0, False)
    p = run.snapshot()
    return words.reveal(p.checkpoints, run.data.baselines["bigram"], run.config.seconds,
                        training.is_alive(run))
