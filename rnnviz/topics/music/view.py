"""Music: a note-level LSTM continues a folk melody note by note (one-to-many), and the class hears it.

One screen per idea: the page opens on its main view, the opening, τ, the length and the seed beside the piano
roll over the model's distribution at every note and "Hear the tune" above it, in an st.fragment (a move reruns
and re-sends that part alone); the question and what to try under it; the rhythm, the held-out scores and the
data wait in closed expanders.

The page (main) and its cached calls: the shipped model is loaded once per process and shared read-only by
every session; a generation per (opening, τ, length, seed) is cached as a pure result. The WAV is synthesised
on request, at a press of "Hear the tune" (NumPy, about 50 ms for a 20 s tune: bench/pages.py times it), never
cached: a minute of sound is 2.6 MB.
"""
from __future__ import annotations

import streamlit as st

from rnnviz import ui
from rnnviz.topics.music import TOPIC, compute, figures, notes, synth, words
from rnnviz.ui.cache import MB, bounded, pretrained_model

MODEL = "melody"
MAIN_KEY = "mus"                    # the main view's key (ui.stage): its container is stage_mus
HOW, RHYTHM, SCORES, DATA = "mus_how", "mus_rhythm", "mus_scores", "mus_data"
LIVE = (RHYTHM,)                    # the closed-at-first parts below that draw the tune
ROW_PX, PRESENT_ROW_PX = 8, 6       # a pitch row's height: 37 rows and the sound's row fit one screen
HELD_BELOW = 0.5                    # at τ this low, whether the tune loops answers the question: held until answered
MAX_TYPED = 400                     # characters of the notes box that are read (32 notes fit easily)


@st.cache_resource(max_entries=1, show_spinner=False)
def stepper(name: str = MODEL) -> compute.Stepper:
    """The shipped LSTM's weights laid out for one note at a time (compute.Stepper), once per process, read-only."""
    model, _ = pretrained_model(name)
    return compute.Stepper(model)


# worst entry: 32 + 96 notes, (128, 37) and (128, 13) float64: 0.05 MB
@bounded(max_entries=64, max_bytes=2 * MB)
def tune(pitches: tuple, durations: tuple, n: int, temperature: float, seed: int) -> compute.Generation:
    """The opening (already checked by notes.parse), then n notes written by the shipped model."""
    model, _ = pretrained_model(MODEL)
    return compute.generate(model, list(pitches), list(durations), n, temperature, seed, stepper())


def controls_of() -> list:
    """The page's controls: the opening (a held-out song, or typed notes), τ, the length and the seed, all
    drawn in the main view's fragment and set by the presets below it."""
    return [ui.Choice("song", "Opening", (*words.SONGS, words.OWN), words.DEFAULT_SONG, help=words.HELP["song"]),
            ui.Text("notes", "Your notes", words.OWN_DEFAULT, help=words.HELP["notes"]),
            ui.Slider("tau", "Temperature τ", 0.1, 2.0, 1.0, step=0.1, help=words.HELP["tau"]),
            ui.Slider("n", "Notes to write", 8, compute.MAX_NEW, 48, step=8, help=words.HELP["n"]),
            ui.Number("seed", "Seed", 0, 9999, 0, help=words.HELP["seed"])]


def main() -> None:
    """The page: run by pages/19_Music.py on every rerun."""
    lead, rest = ui.stage.lead(words.INTRO, sentences=2)
    ui.page_setup(TOPIC, intro=lead)

    with ui.boundary():
        model, meta = ui.pretrained_or_stop(MODEL, "The music demo")
        ui.stage.page_drawn(MAIN_KEY, None)
        controls, chart = ui.stage.main_view(MAIN_KEY, ratio=(1, 2.8))
        drawn = main_view(model, meta, controls, chart)
        how = ui.stage.deeper("How to read this chart", HOW, icon=":material/help:", where=chart)
        if how.open:
            how.caption(words.HOW_TO_READ)
        ui.stage.page_drawn(MAIN_KEY, drawn)          # what the parts below draw

        opening = words.opening(*drawn[:2], model) if drawn else None
        if opening is None or not opening.ok:         # a bad typed opening: the question asks about the default
            opening = words.opening(words.DEFAULT_SONG, "", model)
        ui.predict_reveal(words.QUESTION, words.ANSWERS,
                          lambda: words.answer(model, opening.pitches, opening.durations))
        ui.experiments(words.PRESETS, controls_of(), show="roll")
        deeper_parts(meta, drawn)
        ui.stage.about(rest, "mus_about")


@ui.fragment
def main_view(model, meta: dict, controls, chart) -> tuple | None:
    """The controls (in `controls`) and the piano roll, "Hear the tune" and the tune's sentence (in `chart`): a
    fragment, so a move reruns and re-sends this part alone, unless a part below that draws the tune is open
    (or the question's answer is shown): then the whole page reruns, so nothing on screen is left stale.
    Returns the settings drawn, (song, typed notes, τ, n, seed)."""
    ui.cap_typed_text("notes", MAX_TYPED, reader="the page reads")
    v = ui.render(controls_of(), where=controls,
                  disabled=lambda key, values: key == "notes" and values.get("song") != words.OWN)
    drawn = (v["song"], v["notes"] if v["song"] == words.OWN else "", float(v["tau"]), int(v["n"]), int(v["seed"]))
    ui.stage.follow_page(MAIN_KEY, drawn, ui.stage.answer_shown() or any(st.session_state.get(k) for k in LIVE))

    opening = words.opening(v["song"], v["notes"], model)
    with controls:
        if v["song"] != words.OWN:
            title, source, text = words.SONGS[v["song"]]
            st.caption(f"“{title}” (Essen collection, {source}), held out from training: {text}")
        for message in opening.problems:
            ui.problem(ui.escape_markdown(message))
        m = meta["metrics"]
        st.caption(f"On held-out songs it names the next pitch {m['test_pitch_accuracy']:.0%} of the time (bigram "
                   f"{m['bigram_pitch_accuracy']:.0%}, repeating the last note {m['repeat_pitch_accuracy']:.0%}).")
    if not opening.ok:
        chart.info("Fix the opening (the warning under the controls says what is wrong) and the model writes on "
                   "from it.",
                   icon=":material/music_off:")
        return drawn
    g = tune(tuple(opening.pitches), tuple(opening.durations), drawn[3], drawn[2], drawn[4])
    row_px = PRESENT_ROW_PX if ui.frame.presenting() else ROW_PX
    held = drawn[2] <= HELD_BELOW and not ui.revealed()           # the question's answer, at low τ
    # the sound first, on request (ui.sound), above the roll (what one hears, then what it weighed): a move redraws
    # the roll alone and takes the player away with the tune it played
    ui.hear(chart.container(horizontal=True, vertical_alignment="center", key="mus_sound"), "Hear the tune",
            lambda: synth.wav(synth.render(g.pitches, g.durations, words.BPM)), key="hear", help=words.HELP["hear"])
    ui.chart(chart, figures.roll(g, model.pitches, row_px=row_px), key="roll",
             summary=words.tune_said(g, held) + " " + words.audio_said(g))
    return drawn


def deeper_parts(meta: dict, drawn: tuple | None) -> None:
    """The rhythm of this tune, the held-out scores and the data: each in an expander drawn only once opened."""
    model, _ = pretrained_model(MODEL)
    rhythm = ui.stage.deeper("The rhythm: the lengths it weighed at every note", RHYTHM, icon=":material/timer:")
    if rhythm.open and drawn:
        opening = words.opening(*drawn[:2], model)
        if opening.ok:
            g = tune(tuple(opening.pitches), tuple(opening.durations), drawn[3], drawn[2], drawn[4])
            ui.chart(rhythm, figures.rhythm(g, model.durations), key="rhythm")
            rhythm.caption("Each column: p(length of this note | the notes before), at τ; the diamonds are the "
                           "lengths played (grey: the opening's, orange: drawn by the model).")

    scores = ui.stage.deeper("How good is it? Songs it never heard", SCORES, icon=":material/scoreboard:")
    if scores.open:
        m = meta["metrics"]
        ui.chart(scores, figures.scoreboard(m), key="scoreboard", summary=words.scores_said(m))
        scores.markdown(words.BASELINES)

    data = ui.stage.deeper("Where the tunes come from, and the model", DATA, icon=":material/inventory_2:")
    if data.open:
        d, h = meta["data"], meta["hyper"]
        data.markdown(words.DATA)
        data.markdown(
            f"{d['kept']:,} of the {d['parsed']:,} songs read are kept: {d['sizes']['train']:,} for training, "
            f"{d['sizes']['validation']:,} for validation and {d['sizes']['test']:,} held out "
            f"({d['notes']['train']:,}, {d['notes']['validation']:,} and {d['notes']['test']:,} notes). "
            f"The model: each note's pitch and length as embeddings ({h['pitch_embed']} + {h['duration_embed']} "
            f"numbers) → one {model.kind.upper()} layer of {model.hidden_size} units → two softmaxes, over "
            f"{len(model.pitches)} pitches (a rest included) and {len(model.durations)} lengths; "
            f"{meta['parameters']:,} parameters. Rebuilt by `{meta['command']}` in {meta['minutes']:.1f} minutes "
            f"on a shared 2-core machine, {meta['cpu_minutes_per_core']:.1f} minutes of one core's time "
            f"({h['steps']:,} steps of {h['batch']} songs).")
        data.caption("Pitches it knows: " + ", ".join(notes.name(p) for p in model.pitches) + ". Lengths, in beats: "
                     + ", ".join(notes.beats(x) for x in model.durations) + ".")
