"""The "Your text" page: a student's own text, a character model trained on it live, and the model to take away.

Top to bottom: the text and the model's settings beside the live view (the learning curve against the text's own
baselines, what the model writes now, the samples written as it learned, the gradient reaching each step); then
the model to download, load back or open on another page; the question. The text lives in this session only
(never in the URL, never on disk); the settings are in the URL. The training runs in a process of its own
(rnnviz.ui.training: one per student, queued when the server is busy, bounded, ended with the session).
"""
from __future__ import annotations

import streamlit as st

from rnnviz import ui
from rnnviz.shared import bundle
from rnnviz.topics.yourtext import TOPIC, learn, words
from rnnviz.topics.yourtext import data as textdata
from rnnviz.topics.yourtext import view_parts as sections
from rnnviz.ui import own_data, training, yours

RUN = "yourtext_run"              # the session's run (ui.training keeps it)
READ = "_yourtext_read"           # the text, read once per new input (ui.own_data.checked)
TYPED, KEPT = "yourtext_typed", "_yourtext_typed_kept"   # the text box, and its copy kept across pages
LOADED = "_yourtext_loaded"       # the uploaded model file, read (ui.own_data.loaded_model)
KEPT_LOAD = "_yourtext_kept_load"  # the loaded model last kept as the session's own (ui.yours)
KEPT_RUN = "_yourtext_kept_run"   # the run whose model was last kept as the session's own (ui.yours)
HELD_OUT = "your text, held out"   # the passage LSTM inside reads with your model
FILE_MB = 2                       # an uploaded text file's limit (the model reads at most textdata.MAX_BYTES of it)
EXAMPLES = tuple(textdata.EXAMPLES)

SOURCE = ui.Choice("source", "Text", ("example", "typed", "file"), "example", horizontal=True,
                   help=words.HELP["source"])
EXAMPLE = ui.Choice("example", "Example", EXAMPLES, EXAMPLES[0], help=words.HELP["source"])
# three small dropdowns in one row: Train stays on the first screen at 1366×768 and on a 1280×720 projector
MODEL = [ui.Choice("cell", "Cell", learn.CELLS, "lstm", help=words.HELP["cell"]),
         ui.Choice("hidden", "Units", tuple(str(h) for h in learn.SIZES), "128", help=words.HELP["hidden"]),
         ui.Choice("seconds", "Seconds", tuple(str(s) for s in learn.SECONDS), "30", help=words.HELP["seconds"])]
CONTROLS = [SOURCE, EXAMPLE, *MODEL, sections.TEMP]


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
        data = own_data.checked(the_text(v["source"], controls), textdata.read_text, textdata.TextError, READ,
                                where=controls, missing="Choose a text file to upload.")
        for c, col in zip(MODEL, controls.columns([1.2, 1.1, 1.1])):   # (room for "lstm", "128" and "Seconds")
            v |= ui.render([c], where=col)
        cfg = config(v)
        train_buttons(controls, cfg, data)
        if data is not None:                   # under Train: Train stays on the first screen at 1366×768
            for message in data.messages():
                controls.caption(ui.escape_markdown(message))
        with chart:
            training.live(RUN, lambda run, alive: sections.live_view(run, alive, data))
        run = training.current(RUN)
        # the question right under the main view: it is asked before Train, whose live curve answers it
        ui.predict_reveal(words.QUESTION, words.ANSWERS, lambda: truth(run))
        take_away(data)
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
    left, right = st.columns(2)
    with right:                          # first: a model loaded now is the one the left column offers
        loaded = own_data.loaded_model(own_data.loader("text", "yourtext_load"), "text", LOADED)
        if loaded is not None and ss.get(KEPT_LOAD) != id(loaded[0]):    # kept once, not on every rerun
            ss[KEPT_LOAD] = id(loaded[0])
            yours.keep_text_model(*loaded)
    found = yours.text_model()
    with left:
        if found is None:
            st.caption("Train a model (or load one): it can then be downloaded here, and opened on the Text "
                       "generation page (and an LSTM on LSTM inside).")
        else:
            model, conf = found
            st.markdown(ui.escape_markdown(bundle.describe(conf)))
            name = f"rnnviz-text-{model.kind}-{model.hidden_size}"
            own_data.downloads(model, "text", conf, name,
                               "cell, sizes, alphabet, steps, scores, the text's sha256; not the text")
            st.page_link("pages/10_Text_generation.py", label="Write with it: Text generation",
                         icon=":material/edit_note:", query_params={"model": yours.OPTION})
            if model.kind == "lstm":
                st.page_link("pages/4_LSTM_inside.py", label="Look inside it: LSTM inside",
                             icon=":material/biotech:", query_params={"model": yours.OPTION})


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
