"""What the video page says, held to the numbers it names: the presets against the training ranges, the help
and the data note against the generator's constants, the sentences under the charts against the manifest."""
from __future__ import annotations

import numpy as np

from rnnviz.topics.video import compute, data, words


def test_the_presets_notes_match_the_training_ranges():
    by_label = {label: (overrides, note) for label, overrides, note in words.PRESETS}
    slow, note = by_label["Turning slowly"]
    assert slow["speed"] == data.SPEED[0] and "slowest speed it trained on" in note
    noisy, note = by_label["Noisier than training"]
    assert noisy["noise"] == 2 * data.NOISE[1] and "Twice the noise" in note and f"{data.NOISE[1]}" in note
    fast, note = by_label["Faster than training"]
    assert fast["speed"] > data.SPEED[1] and f"{fast['speed']:g} pixels" in note
    assert by_label["One frame"][0] == {"frames": 1}
    for overrides, _ in by_label.values():          # every preset sets values the page's controls can hold
        assert overrides.get("motion", "right") in data.MOTIONS
        assert 0 <= overrides.get("speed", 1) <= compute.SPEED_MAX and 0 <= overrides.get("noise", 0) <= compute.NOISE_MAX


def test_the_help_and_the_data_note_quote_the_generator():
    assert f"{data.SPEED[0]} to {data.SPEED[1]}" in words.HELP["speed"] and f"{data.NOISE[1]}" in words.HELP["noise"]
    assert f"clips of {data.FRAMES} frames" in words.HELP["frames"]
    assert f"{data.SIZE}×{data.SIZE}" in words.INTRO and f"{data.SIZE}×{data.SIZE}" in words.DATA
    assert f"{2 * data.HALF_LENGTH[0]:g} to {2 * data.HALF_LENGTH[1]:g} pixels long" in words.DATA
    assert f"{compute.THRESHOLD:.0%}" in words.HOW_TO_READ
    assert set(words.SYMBOL) == set(data.MOTIONS)


def meta(by_frame, single, sure_counts) -> dict:
    return {"evaluation": {"accuracy_by_frame": by_frame, "single_frame_by_frame": single,
                           "sure_from_counts": sure_counts}, "metrics": {"chance_accuracy": 1 / 6}}


def test_the_sentences_under_the_scores():
    m = meta([0.17, 0.4, 0.7, 0.95], [0.16, 0.18, 0.17, 0.165], {"0": 10, "3": 60, "4": 30})
    said = words.accuracy_said(m)
    assert "After frame 1 it is right on 17% of the test clips (chance: 1 in 6)" in said and "from frame 3 on, on more than half" in said
    assert "after frame 4, on 95%" in said and "between 16% and 18%" in said
    sure = words.sure_said(m)
    assert "90% sure on 90% of the test clips" in sure and "from frame 3 on or earlier" in sure
    assert "never" in words.sure_said(meta([0.2], [0.2], {"0": 5}))


def test_frames_said_when_never_sure():
    s = compute.settings("up", 1.0, 0.1, 3, 0)
    probs = np.array([[.3, .2, .2, .1, .1, .1], [.2, .2, .4, .1, .05, .05], [.1, .1, .5, .1, .1, .1]])
    w = compute.Watch(s, np.zeros((3, data.SIZE, data.SIZE)), probs, data.MOTIONS)
    said = words.frames_said(w)
    assert "After frame 1 its top motion has 30%" in said and "it says up at 50% (correct)" in said
    assert "it is not 90% sure by the last frame" in said
