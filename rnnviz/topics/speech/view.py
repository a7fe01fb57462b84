"""Speech → letters: eSpeak NG says a typed word, a bidirectional GRU hears it and spells it through CTC.

One screen per idea: the page opens on its main view, the word, voice, speed and noise beside the sound, the
spectrogram over the per-frame letter probabilities, the collapse step by step and greedy against beam; all
in an st.fragment (a move reruns that part alone: nothing below depends on it). The question and what to try
under it; how to read the chart, the equations, the held-out scores and the data in closed expanders.

Cached: the shipped model once per process (read-only, shared); a hearing per (word, voice, speed, noise) as
a pure result, bounded.
"""
from __future__ import annotations

import streamlit as st

from rnnviz import ui
from rnnviz.topics.speech import TOPIC, audio, compute, figures, synth, words
from rnnviz.ui.cache import MB, bounded, pretrained_model

MODEL = "speech"
MAX_TYPED = 100             # characters kept in the box (and the URL); of them, compute.MAX_LETTERS letters are said
MAIN_KEY = "speech"
HOW, EQS, SCORES, DATA, MIC = "sp_how", "sp_eqs", "sp_scores", "sp_data", "sp_mic"


# worst entry 0.18 MB (20 letters at the slowest speed: 2 s of samples, ~135 frames × 40 bands and × 27 p); a
# word of one second about 0.1 MB: a hearing takes ~20 ms to recompute, so a small cache does (32 entries, 3 MB)
@bounded(max_entries=32, max_bytes=3 * MB)
def hearing(word: str, voice: str, speed: str, noise: str, name: str = MODEL) -> compute.Hearing:
    """The model's hearing of a prepared, non-empty word said with the labelled voice, speed and noise."""
    model, _ = pretrained_model(name)
    return compute.hear(model, word, compute.VOICES[voice], compute.SPEEDS[speed], 50, compute.NOISES[noise])


def controls_of() -> list:
    """The page's four controls, drawn in the main view's fragment, set by the presets below it."""
    return [ui.Text("word", "Word", "seven", help=words.HELP["word"]),
            ui.Choice("voice", "Voice", tuple(compute.VOICES), "American man", help=words.HELP["voice"]),
            ui.Choice("speed", "Speed", tuple(compute.SPEEDS), "normal", horizontal=True, help=words.HELP["speed"]),
            ui.Choice("noise", "Noise", tuple(compute.NOISES), "none", horizontal=True, help=words.HELP["noise"])]


def main() -> None:
    """The page: run by pages/20_Speech.py on every rerun."""
    lead, rest = ui.stage.lead(words.INTRO, sentences=2)
    ui.page_setup(TOPIC, intro=lead)

    with ui.boundary():
        model, meta = ui.pretrained_or_stop(MODEL, "The speech demo")
        ui.stage.page_drawn(MAIN_KEY, None)
        controls, chart = ui.stage.main_view(MAIN_KEY, ratio=(1, 2.8))
        typed = main_view(controls, chart)
        ui.stage.page_drawn(MAIN_KEY, typed)          # the microphone's expander asks for this word
        m = meta["metrics"]
        controls.caption(words.scores_short(m))
        how = ui.stage.deeper("How to read this chart", HOW, icon=":material/help:", where=chart)
        if how.open:
            how.markdown(words.HOW_TO_READ)

        ui.predict_reveal(words.QUESTION, words.ANSWERS, lambda: words.answer(
            hearing(words.QUESTION_WORD, words.QUESTION_VOICE, "normal", "8 dB")))
        ui.experiments(words.PRESETS, controls_of(), show="hearing")
        ui.stage.equations("CTC: from frames to letters", EQS, words.EQUATIONS)
        microphone(model)
        deeper_parts(model, meta)
        ui.stage.about(rest, "sp_about")


@ui.fragment
def main_view(controls, chart) -> str:
    """The four controls (in `controls`), and in `chart` the sound, the two heatmaps, the collapse and the
    transcripts: a fragment, so typing reruns and re-sends this part alone, unless the microphone's expander
    (which asks for the typed word) is open: then the whole page reruns. Returns the typed word."""
    with controls:                  # a link or a paste beyond MAX_TYPED characters is cut, said beside the box
        ui.cap_typed_text("word", MAX_TYPED, reader="the box keeps")
    values = ui.render(controls_of(), where=controls)
    ui.stage.follow_page(MAIN_KEY, values["word"], bool(st.session_state.get(MIC)))
    prep = compute.prepare(values["word"])
    with controls:
        for message in prep.messages:
            ui.problem(ui.escape_markdown(message))
    if not prep.word:
        return values["word"]
    h = hearing(prep.word, values["voice"], values["speed"], values["noise"])
    # the sound, under the word box, on request (ui.sound): a typed word redraws the chart alone
    ui.hear(controls, "Hear it", lambda: synth.wav_bytes(h.wave, h.rate), key="hear", help=words.HELP["hear"])
    controls.markdown(f"**Hearing “{ui.escape_markdown(h.word)}”**: {h.seconds:.2f} s, {len(h.p)} frames for "
                      f"{len(h.word)} letters")
    mel_hz = audio.mel_centres()[1:-1]
    ui.chart(chart, figures.hearing(h.spectrogram, h.p, audio.HOP_SECONDS, mel_hz, h.collapse.path,
                                    row_px=14 if ui.frame.presenting() else figures.ROW_PX),
             key="hearing", numbers=words.heard_said(h), under=figures.key_html())
    chart.markdown(words.result(h))         # the collapse step by step, greedy against beam: two lines
    return values["word"]


def microphone(model) -> None:
    """Your own voice: a recording from the browser's microphone, heard by the same model, with the honest
    warning first. Per session, never cached, never stored; the word in the box is the reference."""
    mic = ui.stage.deeper("Your own voice (microphone): how it does on a real voice", MIC, icon=":material/mic:")
    if not mic.open:
        return
    mic.warning(words.MIC, icon=":material/info:")
    word = compute.prepare(st.session_state.get("word", "seven")).word or "seven"
    mic.markdown(f"The word in the box: **{ui.escape_markdown(word)}**. Record yourself saying it:")
    recorded = mic.audio_input("Record a word", sample_rate=synth.sample_rate(), key="mic",
                               help="Press the microphone, say the word, press stop. The browser asks first.")
    if recorded is None:
        return
    rec = compute.read_recording(recorded.getvalue())
    for message in rec.messages:
        mic.warning(ui.escape_markdown(message), icon=":material/warning:")
    if not len(rec.wave):
        return
    h = compute.listen(model, word, rec.wave, synth.sample_rate())
    ui.chart(mic, figures.hearing(h.spectrogram, h.p, audio.HOP_SECONDS, audio.mel_centres()[1:-1],
                                  h.collapse.path), key="mic_hearing", summary=words.mic_said(h), under=figures.key_html())
    mic.markdown(words.result(h))


def deeper_parts(model, meta: dict) -> None:
    """The held-out scores and examples, the data and the model: each in an expander drawn only once opened."""
    m = meta["metrics"]
    scores = ui.stage.deeper("How good is it? Words it never heard", SCORES, icon=":material/scoreboard:")
    if scores.open:
        ui.chart(scores, figures.scoreboard(m), key="scoreboard", summary=words.scores_caption(m))
        scores.markdown(words.BASELINES)
        rows = [{"word": r, "greedy": g, "beam": b, "nearest by DTW": n}
                for r, g, b, n in meta["examples"]["test"]]
        scores.caption("Some test words (never heard in training), said in training voices:")
        scores.dataframe(rows, hide_index=True, key="examples")

    data = ui.stage.deeper("Where the voices come from, and the model", DATA, icon=":material/inventory_2:")
    if data.open:
        d = meta["data"]
        data.markdown(words.DATA)
        data.markdown(f"{d['words']['train']} training words ({d['utterances']['train']:,} utterances), "
                      f"{d['words']['validation']} validation words, {d['words']['test']} test words "
                      f"({d['utterances']['test']:,} utterances in training voices, "
                      f"{d['utterances']['test_new_voices']:,} in new ones). The test words: "
                      + ", ".join(d["test_words"]) + ".")
        data.markdown(f"The model: {audio.N_MELS} mel bands per frame → {model.num_layers} bidirectional GRU "
                      f"layers of {model.hidden_size} units each way → a linear layer and a softmax over 26 letters "
                      f"and the blank at every frame; {meta['parameters']:,} parameters, trained with CTC. "
                      f"Rebuilt by `{meta['command']}` in {meta['minutes']:.1f} minutes on one CPU thread "
                      f"({meta['hyper']['steps']:,} steps of {meta['hyper']['batch']} utterances).")
