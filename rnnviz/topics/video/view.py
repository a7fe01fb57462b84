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

MODEL, GUNPOINT = "video", "video_gunpoint"
MAIN_KEY = "vid"                    # the main view's key (ui.stage): its container is stage_vid
HOW, SCORES, INSIDE, EQS, ABOUT_DATA = "vid_how", "vid_scores", "vid_inside", "vid_eqs", "vid_data"
LINES_PX, PRESENT_LINES_PX = 190, 150   # the main chart's lines; in presentation mode for_projector makes it 1.175× taller


# worst entry 0.05 MB (24 frames of 16×16 float64 and (24, 6) probabilities): 2 MB hold 40 clips; a miss costs ~10 ms
@bounded(max_entries=64, max_bytes=2 * MB)
def watched(s: compute.Settings, name: str = MODEL) -> compute.Watch:
    """The model's verdict after every frame of the clip `s` composes."""
    model, _ = pretrained_model(name)
    return compute.watch(model, s)


# worst entry 0.004 MB (150 positions and (150, 2) probabilities): the entries' bound holds first (150 × 0.004 MB)
@bounded(max_entries=150, max_bytes=1 * MB)
def watched_series(index: int, name: str = GUNPOINT) -> compute.SeriesWatch:
    """GunPoint's model on test clip `index`, after every frame."""
    model, _ = pretrained_model(name)
    return compute.watch_series(model, index)


def controls_of() -> list:
    """The clips (generated or GunPoint) and their settings: drawn in the main view's fragment (the generated
    clip's five, or GunPoint's clip number), set by the presets below it."""
    return [ui.Choice("data", "Clips", ("generated", "GunPoint"), "generated", horizontal=True, help=words.HELP["data"]),
            ui.Choice("motion", "Motion", data.MOTIONS, "right", help=words.HELP["motion"]),
            ui.Slider("speed", "Speed (pixels per frame)", 0.0, compute.SPEED_MAX, 1.0, step=0.25,
                      help=words.HELP["speed"]),
            ui.Slider("noise", "Noise", 0.0, compute.NOISE_MAX, 0.1, step=0.05, help=words.HELP["noise"]),
            ui.Slider("frames", "Frames", compute.MIN_FRAMES, compute.MAX_FRAMES, 12, help=words.HELP["frames"]),
            ui.Number("clip", "Clip number", 0, compute.MAX_SEED, 0, help=words.HELP["clip"]),
            ui.Number("gp", "GunPoint test clip", 0, compute.GUNPOINT_TEST - 1, 0, help=words.HELP["gp"])]


def main() -> None:
    """The page: run by pages/21_Video_activity.py on every rerun."""
    lead, rest = ui.stage.lead(words.INTRO, sentences=1)
    ui.page_setup(TOPIC, intro=lead)

    with ui.boundary():
        model, meta = ui.pretrained_or_stop(MODEL, "The video demo")
        controls, chart = ui.stage.main_view(MAIN_KEY, ratio=(1, 2.8))
        ui.stage.page_drawn(MAIN_KEY, None)
        which, shown = main_view(controls, chart)
        ui.stage.page_drawn(MAIN_KEY, shown)         # the clip the memory expander below draws
        how = ui.stage.deeper("How to read this chart", HOW, icon=":material/help:", where=chart)
        if how.open:
            how.caption(words.HOW_TO_READ_GUNPOINT if which == "GunPoint" else words.HOW_TO_READ)

        ui.predict_reveal(words.QUESTION, words.ANSWERS, lambda: words.answer(model))     # asked before the presets
        ui.experiments(words.PRESETS, controls_of(), show="watch")
        deeper_parts(model, meta, which, shown)
        ui.stage.about(rest, "vid_about")


@ui.fragment
def main_view(controls, chart) -> tuple[str, compute.Settings | None]:
    """The clips' settings (in `controls`) and the clip above the verdict after each frame (in `chart`): a
    fragment, so a move reruns and re-sends this part alone, unless the choice of clips changes, which the
    scores below follow (then the whole page reruns), or the memory's expander is open (it draws this clip).
    Returns ("generated", the clip's settings) or ("GunPoint", None)."""
    every = controls_of()
    which = ui.render(every[:1], where=controls)["data"]
    if st.session_state.get("_vid_page_data", which) != which:
        st.session_state["_vid_page_data"] = which
        st.rerun(scope="app")
    st.session_state["_vid_page_data"] = which
    if which == "GunPoint":
        gunpoint_view(controls, chart, every[-1])
        return which, None
    return which, generated_view(controls, chart, every[1:-1], every[-1])


def generated_view(controls, chart, settings: list, number) -> compute.Settings:
    _, meta = pretrained_model(MODEL)
    values = ui.render(settings, where=controls)
    ui.render([number], where=controls, disabled=lambda key, _: True)     # greyed: it belongs to GunPoint
    s = compute.settings(values["motion"], values["speed"], values["noise"], values["frames"], values["clip"])
    with controls:
        for message in s.messages():
            ui.problem(ui.escape_markdown(message))
    controls.caption(words.scores_caption(meta))
    ui.stage.follow_page(MAIN_KEY, s, bool(st.session_state.get(INSIDE)))
    w = watched(s)
    head = (f"A bar moving {s.motion}" if s.motion in ("right", "left", "up", "down") else f"A bar turning {s.motion}")
    chart.markdown(f"**{ui.escape_markdown(head)}**, {len(w.probs)} frame{'s' if len(w.probs) != 1 else ''}: "
                   "the model's verdict after each frame")
    lines_px = PRESENT_LINES_PX if ui.frame.presenting() else LINES_PX
    ui.chart(chart, figures.watch(w.clip, w.probs, list(w.classes), words.SYMBOL, compute.THRESHOLD, w.sure,
                                  lines_px=lines_px),
             key="watch", summary=words.frames_said(w))
    return s


def gunpoint_view(controls, chart, number) -> None:
    index = ui.render([number], where=controls)["gp"]
    with controls:
        _, meta = ui.pretrained_or_stop(GUNPOINT, "GunPoint")
    controls.caption(words.gunpoint_caption(meta))
    try:
        w = watched_series(int(index))
    except FileNotFoundError as e:          # the wheel holding the clips is fetched by `make data`
        ui.problem(f"GunPoint's clips are not on this computer: {e}")
        return
    chart.markdown(f"**GunPoint test clip {w.index}**: the hand's tracked X position (a number per frame, "
                   "not pixels), and the model's verdict after each frame")
    ui.chart(chart, figures.series_watch(w.values, w.probs, list(w.classes), compute.THRESHOLD, w.sure),
             key="watch", summary=words.series_said(w))


def deeper_parts(model, meta: dict, which: str, shown: compute.Settings | None) -> None:
    """The held-out scores (of the clips shown: generated or GunPoint) and the data and model: each in an
    expander drawn only once opened."""
    scores = ui.stage.deeper("How good is it? Clips it never saw", SCORES, icon=":material/scoreboard:")
    if scores.open:
        scored, scored_meta = pretrained_model(GUNPOINT) if which == "GunPoint" else (model, meta)
        m, ev = scored_meta["metrics"], scored_meta["evaluation"]
        single = "a stump on frame t's position only" if which == "GunPoint" else "a CNN that sees frame t only"
        left, right = scores.columns([3, 2])
        ui.chart(left, figures.accuracy_by_frame(ev["accuracy_by_frame"], ev["single_frame_by_frame"],
                                                 m["majority_accuracy"], m["chance_accuracy"], single),
                 key="by_frame", summary=words.accuracy_said(scored_meta))
        ui.chart(right, figures.confusion(list(scored.classes), ev["confusion"]), key="confusion")
        scores.caption(words.sure_said(scored_meta))

    if shown is not None:
        inside = ui.stage.deeper(f"Inside the memory: its {model.maps} maps after every frame", INSIDE,
                                 icon=":material/grid_view:")
        if inside.open:
            w = watched(shown)
            memory = compute.memory(model, w.clip)
            ui.chart(inside, figures.memory(memory), key="memory", summary=words.memory_said(memory))
            inside.caption(words.MEMORY)

    ui.stage.equations("The equations: a GRU whose memory is a stack of images", EQS,
                       [(lead.format(size=model.size, maps=model.maps), *lines) for lead, *lines in words.EQUATIONS])
    about = ui.stage.deeper("Where the clips come from, and the model", ABOUT_DATA, icon=":material/inventory_2:")
    if about.open:
        about.markdown(words.DATA)
        if which == "GunPoint":
            gp_model, gp_meta = pretrained_model(GUNPOINT)
            about.markdown(words.GUNPOINT.format(hidden=gp_model.hidden_size, params=gp_meta["parameters"],
                                                 train=gp_meta["data"]["sizes"]["train"],
                                                 test=gp_meta["data"]["sizes"]["test"]))
        about.markdown(words.MODEL.format(maps=model.maps, size=model.size, params=meta["parameters"],
                                          clips=meta["data"]["sizes"]["train_clips_drawn"],
                                          command=meta["command"], minutes=meta["minutes"]))
