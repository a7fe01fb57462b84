"""Video activity: a convolutional GRU watches a generated clip and names its motion after every frame.

One screen per idea: the page opens on its main view, the clip's settings beside the frames and the verdict
after each of them, in an st.fragment (a move reruns and re-sends that part alone); the question and what to
try under it; how to read the chart, the held-out scores and the data and model wait in closed expanders.

The shipped model is loaded once per process and shared read-only; a watched clip is cached as a pure result.
"""
from __future__ import annotations

import streamlit as st

from rnnviz import ui
from rnnviz.topics.video import TOPIC, compute, data, figures, words
from rnnviz.ui.cache import MB, bounded, pretrained_model

MODEL = "video"
MAIN_KEY = "vid"                    # the main view's key (ui.stage): its container is stage_vid
HOW, SCORES, EQS, ABOUT_DATA = "vid_how", "vid_scores", "vid_eqs", "vid_data"
LINES_PX, PRESENT_LINES_PX = 190, 150   # the main chart's lines; in presentation mode for_projector makes it 1.175× taller


# worst entry 0.05 MB (24 frames of 16×16 float64 and (24, 6) probabilities): 2 MB hold 40 clips; a miss costs ~10 ms
@bounded(max_entries=64, max_bytes=2 * MB)
def watched(s: compute.Settings, name: str = MODEL) -> compute.Watch:
    """The model's verdict after every frame of the clip `s` composes."""
    model, _ = pretrained_model(name)
    return compute.watch(model, s)


def controls_of() -> list:
    """The clip's settings: drawn in the main view's fragment, set by the presets below it."""
    return [ui.Choice("motion", "Motion", data.MOTIONS, "right", help=words.HELP["motion"]),
            ui.Slider("speed", "Speed (pixels per frame)", 0.0, compute.SPEED_MAX, 1.0, step=0.25,
                      help=words.HELP["speed"]),
            ui.Slider("noise", "Noise", 0.0, compute.NOISE_MAX, 0.1, step=0.05, help=words.HELP["noise"]),
            ui.Slider("frames", "Frames", compute.MIN_FRAMES, compute.MAX_FRAMES, 12, help=words.HELP["frames"]),
            ui.Number("clip", "Clip number", 0, compute.MAX_SEED, 0, help=words.HELP["clip"])]


def main() -> None:
    """The page: run by pages/21_Video_activity.py on every rerun."""
    lead, rest = ui.stage.lead(words.INTRO, sentences=1)
    ui.page_setup(TOPIC, intro=lead)

    with ui.boundary():
        model, meta = ui.pretrained_or_stop(MODEL, "The video demo")
        controls, chart = ui.stage.main_view(MAIN_KEY, ratio=(1, 2.8))
        main_view(controls, chart)
        controls.caption(words.scores_caption(meta))
        how = ui.stage.deeper("How to read this chart", HOW, icon=":material/help:", where=chart)
        if how.open:
            how.caption(words.HOW_TO_READ)

        ui.predict_reveal(words.QUESTION, words.ANSWERS, lambda: words.answer(model))     # asked before the presets
        ui.experiments(words.PRESETS, controls_of(), show="watch")
        deeper_parts(model, meta)
        ui.stage.about(rest, "vid_about")


@st.fragment
def main_view(controls, chart) -> None:
    """The clip's settings (in `controls`) and its frames above the verdict after each (in `chart`): a
    fragment, so a move reruns and re-sends this part alone (nothing else on the page depends on it)."""
    values = ui.render(controls_of(), where=controls)
    s = compute.settings(values["motion"], values["speed"], values["noise"], values["frames"], values["clip"])
    with controls:
        for message in s.messages():
            ui.problem(ui.escape_markdown(message))
    w = watched(s)
    head = (f"A bar moving {s.motion}" if s.motion in ("right", "left", "up", "down") else f"A bar turning {s.motion}")
    chart.markdown(f"**{ui.escape_markdown(head)}**, {len(w.probs)} frame{'s' if len(w.probs) != 1 else ''}: "
                   "the model's verdict after each frame")
    lines_px = PRESENT_LINES_PX if ui.frame.presenting() else LINES_PX
    ui.chart(chart, figures.watch(w.clip, w.probs, list(w.classes), words.SYMBOL, compute.THRESHOLD, w.sure,
                                  lines_px=lines_px),
             key="watch", summary=words.frames_said(w))


def deeper_parts(model, meta: dict) -> None:
    """The held-out scores and the data and model: each in an expander drawn only once opened."""
    scores = ui.stage.deeper("How good is it? Clips it never saw", SCORES, icon=":material/scoreboard:")
    if scores.open:
        m, ev = meta["metrics"], meta["evaluation"]
        left, right = scores.columns([3, 2])
        ui.chart(left, figures.accuracy_by_frame(ev["accuracy_by_frame"], ev["single_frame_by_frame"],
                                                 m["majority_accuracy"], m["chance_accuracy"]),
                 key="by_frame", summary=words.accuracy_said(meta))
        ui.chart(right, figures.confusion(list(model.classes), ev["confusion"]), key="confusion")
        scores.caption(words.sure_said(meta))

    ui.stage.equations("The equations: a GRU whose memory is a stack of images", EQS,
                       [(lead.format(size=model.size, maps=model.maps), *lines) for lead, *lines in words.EQUATIONS])
    about = ui.stage.deeper("Where the clips come from, and the model", ABOUT_DATA, icon=":material/inventory_2:")
    if about.open:
        about.markdown(words.DATA)
        about.markdown(words.MODEL.format(maps=model.maps, size=model.size, params=meta["parameters"],
                                          clips=meta["data"]["sizes"]["train_clips_drawn"],
                                          command=meta["command"], minutes=meta["minutes"]))
