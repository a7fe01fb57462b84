"""What the Video activity page says: the intro, the controls' help, how to read the chart, the data and the
model, the presets, the question and its answer, and the sentences written from a watched clip or the held-out
scores (every number computed; tests/topics/video/ hold them).
"""
from __future__ import annotations

import numpy as np

from rnnviz.topics.video import compute, data

INTRO = (f"**Many-to-one over frames.** A clip is a sequence of frames, and one frame cannot say which way "
         "something moves: only the change from frame to frame can. A small recurrent network watches a clip "
         "one frame at a time; after every frame we ask it which of six motions it sees, and watch it become sure. "
         f"The clips are **generated** here, from the settings beside the chart: a bar on a {data.SIZE}×{data.SIZE} frame that moves "
         "right, left, up or down, or turns clockwise or anticlockwise, with still dots and noise to ignore. "
         "The frame wraps around like an old arcade screen (what leaves at the right comes back at the left), so "
         "the bar is just as likely to be anywhere, at any angle, whatever its motion: a single frame is no clue. "
         "Choose **Clips: GunPoint** for real ones: actors filmed drawing a gun or pointing, where each frame is "
         "the tracked position of the hand.")
HELP = {
    "motion": "Which way the bar moves: right, left, up, down, or turning clockwise / anticlockwise about its centre.",
    "speed": f"How many pixels the bar's ends move per frame. The model trained on {data.SPEED[0]} to "
             f"{data.SPEED[1]}; 0 keeps the bar still, above {data.SPEED[1]} it never saw.",
    "noise": f"The standard deviation of random grey added to every pixel. The model trained on up to "
             f"{data.NOISE[1]}.",
    "frames": f"How many frames the clip has. The model trained on clips of {data.FRAMES} frames, and was asked "
              "for the motion after every one of them.",
    "clip": "Draws where the bar starts, its angle, its length, the still dots and the noise: another number, "
            "another clip of the same motion.",
}
HELP["data"] = ("generated: clips drawn here from the settings below (a bar on a small frame). GunPoint: real "
                "video, two actors drawing a gun or pointing a finger; each frame is where the hand is across the "
                "picture, tracked by software: a number, not the picture's pixels.")
HELP["gp"] = ("One of GunPoint's 150 test clips, which its model never trained on (0 to 149). Greyed out until "
              "Clips is set to GunPoint.")
GUNPOINT = ("**GunPoint** (the UCR time-series archive, via the `sktime` package's data files): two actors, filmed, "
            "either draw a replica gun from a hip holster, point it at a target for about a second and put it back, "
            "or do the same with an empty hand, pointing a finger. Software tracked the centre of the hand in every "
            "video frame; the archive keeps its X coordinate, 150 frames a clip, each clip standardised (mean 0, "
            "standard deviation 1). So here **a frame is one number**, where the hand is, not the picture's pixels, "
            "and the model is a plain GRU of {hidden} units reading one number a frame ({params:,} parameters), "
            "trained on the archive's {train} training clips, scored on its {test} test clips.")
SYMBOL = {"right": "→", "left": "←", "up": "↑", "down": "↓", "clockwise": "↻", "anticlockwise": "↺"}
HOW_TO_READ = (f"Top: the frames, in order, each above the verdict the model gave after it. Middle: the motion the "
               f"model leads with after each frame, its arrow when it is at least {compute.THRESHOLD:.0%} sure, "
               "“?” otherwise. Bottom: p(motion | the frames so far), one line per motion; the dotted line is the "
               f"{compute.THRESHOLD:.0%} mark. “Sure from frame k”: from frame k to the last, one motion stays above it.")
MEMORY = ("Each row is one map of the memory h_t, each column one frame: grey is 0, white +1, black −1. The "
          "same 3×3 weights at every pixel make each map a picture of the frames so far, not one number. Look for "
          "maps that keep the bar's shape, and maps where a spot grows frame after frame as the verdict firms up; "
          "try another motion. The verdict reads only each map's mean and maximum.")


def memory_said(hs) -> str:
    """Under the memory maps: how much of the memory is far from 0 after the last frame (plain)."""
    last = np.abs(hs[-1])
    k = int(last.reshape(len(last), -1).mean(1).argmax())
    return (f"After the last frame, {float((last > 0.5).mean()):.0%} of the memory's pixels are beyond ±0.5; "
            f"map {k + 1} holds the most.")


HOW_TO_READ_GUNPOINT = ("Top: where the hand is across the picture at each frame (standardised: 0 is the clip's mean). "
                        "Bottom: p(motion | the frames so far) for gun-draw and point; the dotted line is the "
                        f"{compute.THRESHOLD:.0%} mark. “Sure from frame k”: from frame k to the last, one motion "
                        "stays above it.")
MODEL = ("**The model** is a convolutional GRU: a GRU whose memory is a stack of {maps} small images ({size}×{size}) "
         "instead of a vector. Each pixel of the memory is a GRU unit that sees the 3×3 neighbourhood of that "
         "pixel in the new frame and in its own memory, with the same weights everywhere; after every frame "
         "the memory's mean and maximum over the pixels give the verdict. {params:,} parameters. It was "
         "trained on fresh clips at every step ({clips:,} in all), scored on its verdict after **every** frame: "
         "after frame 1, where one frame cannot tell, the best it can do is spread its vote over the six. Rebuilt "
         "by `{command}` in {minutes:.1f} minutes on one CPU thread.")
DATA = ("**The clips are generated**, not filmed: nothing is downloaded. Each clip is drawn from a seeded random "
        f"generator: a bar {2 * data.HALF_LENGTH[0]:g} to {2 * data.HALF_LENGTH[1]:g} pixels long at a random "
        f"place and angle, speed {data.SPEED[0]}–{data.SPEED[1]} pixels per frame, 0–{data.DOTS} still dots and "
        f"noise up to {data.NOISE[1]}, in {data.SIZE}×{data.SIZE} frames that wrap around. Training drew new "
        "clips at every step; the validation and test clips come from seeds of their own, 1 in 6 of each motion.")


def frames_said(w: compute.Watch) -> str:
    """Under the chart: where the model ends, whether that is the clip's motion, and where it became sure (plain)."""
    final, p = w.final
    verdict = "correct" if w.right else f"wrong: the bar moves {w.settings.motion}"   # not "right": a motion's name
    sure = w.sure
    if sure is None:
        when = f"it is not {compute.THRESHOLD:.0%} sure by the last frame"
    elif sure == 1:
        when = "it is sure from the first frame on"
    else:
        when = f"it is sure from frame {sure} on"
    first = w.probs[0]
    return (f"After frame 1 its top motion has {first.max():.0%}. After the last frame (frame {len(w.probs)}) it says "
            f"{final} at {p:.0%} ({verdict}); {when}.")


def series_said(w: compute.SeriesWatch) -> str:
    """Under the GunPoint chart: the clip's true motion, the last verdict, right or wrong, and where it became sure."""
    final, p = w.final
    sure = w.sure
    when = (f"it is not {compute.THRESHOLD:.0%} sure by the last frame" if sure is None
            else f"it is sure from frame {sure} on")
    return (f"Test clip {w.index} is a {w.truth}. After the last frame (frame {len(w.probs)}) the model says {final} "
            f"at {p:.0%} ({'correct' if w.right else 'wrong'}); {when}.")


def gunpoint_caption(meta: dict) -> str:
    """Beside the controls, for GunPoint: held-out accuracy against the single-frame stumps and the majority."""
    m, ev, n = meta["metrics"], meta["evaluation"], meta["data"]["sizes"]["test"]
    return (f"On GunPoint's {n} test clips, after the last of {meta['data']['frames']} frames it names the motion right "
            f"**{m['test_accuracy']:.0%}** of the time. A threshold on the hand's position at one frame: "
            f"{m['single_frame_best_accuracy']:.0%} at frame {ev['single_frame_best_frame']} (the best in training), "
            f"{m['single_frame_accuracy']:.0%} on average over the frames; always “{meta['data']['majority_motion']}” "
            f"{m['majority_accuracy']:.0%}. Real frames do say something on their own: at some moments the hand "
            "is elsewhere on a gun draw than on a point.")


def scores_caption(meta: dict) -> str:
    """Beside the controls: the held-out accuracy after the last frame against both baselines (markdown)."""
    m, n = meta["metrics"], meta["data"]["sizes"]["test"]
    return (f"On {n:,} test clips it never saw, after the last of {meta['data']['frames']} frames it names the motion "
            f"right **{m['test_accuracy']:.0%}** of the time; a CNN that sees one frame {m['single_frame_accuracy']:.0%}; "
            f"always saying “{meta['data']['majority_motion']}” {m['majority_accuracy']:.0%}.")


def accuracy_said(meta: dict) -> str:
    """Under the accuracy-by-frame chart: from which frame the model is right on most clips (plain)."""
    acc = meta["evaluation"]["accuracy_by_frame"]
    single = meta["evaluation"]["single_frame_by_frame"]
    half = next((t + 1 for t, a in enumerate(acc) if a >= 0.5), None)
    chance = round(1 / meta["metrics"]["chance_accuracy"])
    first = f"After frame 1 it is right on {acc[0]:.0%} of the test clips (chance: 1 in {chance})"
    rest = (f"; from frame {half} on, on more than half; after frame {len(acc)}, on {acc[-1]:.0%}" if half
            else f"; after frame {len(acc)}, on {acc[-1]:.0%}")
    return (first + rest + f". The single-frame baseline stays between {min(single):.0%} and {max(single):.0%}.")


def sure_said(meta: dict) -> str:
    counts = {int(k): v for k, v in meta["evaluation"]["sure_from_counts"].items()}
    total = sum(counts.values())
    never = counts.get(0, 0)
    frames = np.repeat([k for k in counts if k], [counts[k] for k in counts if k])
    if not len(frames):
        return f"It is never {compute.THRESHOLD:.0%} sure at the last frame of a test clip."
    return (f"It ends {compute.THRESHOLD:.0%} sure on {1 - never / total:.0%} of the test clips; half of those from "
            f"frame {int(np.median(frames))} on or earlier.")


# ----- the equations (rnnviz.topics.video.model.VideoGRU computes them in this order; ∗ is a 3×3 convolution)
EQUATIONS = [
    ("Every product with a weight matrix in torch.nn.GRU's equations becomes a 3×3 convolution (∗), with circular "
     "padding since the frames wrap around. $x_t$ is frame $t$ ({size}×{size}), $h_t$ the memory ({maps} maps of "
     "{size}×{size}), $\\odot$ a product pixel by pixel:",
     r"r_t = \sigma(W_r \ast x_t + b_{ir} + U_r \ast h_{t-1} + b_{hr})",
     r"z_t = \sigma(W_z \ast x_t + b_{iz} + U_z \ast h_{t-1} + b_{hz})",
     r"n_t = \tanh\big(W_n \ast x_t + b_{in} + r_t \odot (U_n \ast h_{t-1} + b_{hn})\big)",
     r"h_t = (1 - z_t) \odot n_t + z_t \odot h_{t-1}"),
    ("The verdict after frame $t$: the mean and the maximum of each memory map over its pixels, then a softmax "
     "over the six motions:",
     r"p_t = \operatorname{softmax}\big(W_y\,[\operatorname{mean}(h_t),\ \max(h_t)] + b_y\big)"),
]


# ----- what to try, and the question

PRESETS = [
    ("One frame", {"frames": 1},
     "A clip of a single frame: what can the model say after it? Then add frames one by one (the Frames slider)."),
    ("Turning slowly", {"motion": "clockwise", "speed": 0.5},
     "The slowest speed it trained on, turning: how many frames until it is sure?"),
    ("Noisier than training", {"motion": "up", "noise": 0.6},
     f"Twice the noise it ever saw (training went up to {data.NOISE[1]}): does it still get sure, and when?"),
    ("Faster than training", {"motion": "left", "speed": 3.0},
     f"3 pixels a frame, beyond the {data.SPEED[1]} it trained on: try a few clip numbers."),
]
QUESTION = ("Set the speed to 0: the bar stands still for the whole clip, so it moves neither way. After 12 frames "
            "of it, what will the model say?")
ANSWERS = ["It picks one of the six motions and is sure of it",
           f"It stays unsure: no motion reaches {compute.THRESHOLD:.0%}"]
QUESTION_CLIPS = 24           # clip numbers 0..23 of each motion's settings, speed 0


def answer(model) -> tuple[int, str]:
    """The predict-then-reveal answer from the model: QUESTION_CLIPS still clips (speed 0, noise 0.1,
    12 frames), how many it ends sure on, and its average verdict after the last frame."""
    ends, sure = [], 0
    for seed in range(QUESTION_CLIPS):
        w = compute.watch(model, compute.settings("right", 0.0, 0.1, 12, seed))
        ends.append(w.probs[-1])
        sure += w.probs[-1].max() >= compute.THRESHOLD
    mean = np.mean(ends, 0)
    order = np.argsort(-mean)[:3]
    top = ", ".join(f"{model.classes[i]} {mean[i]:.0%}" for i in order)
    index = 0 if sure > QUESTION_CLIPS / 2 else 1
    why = ("Standing still is not one of its six motions and it never saw a still bar, yet it must share its whole "
           "vote among the six it knows. ")
    why += ("Here it commits anyway: what a model does with a clip unlike any in training is whatever its weights "
            "happen to do, not an answer it learnt. A model can be sure and wrong." if index == 0 else
            "Here the bar never moves (only the noise changes), so nothing pushes one motion up: its vote stays spread, "
            "and the spread is the answer “I cannot tell”.")
    return index, (f"On {QUESTION_CLIPS} still clips it ends {compute.THRESHOLD:.0%} sure on {sure}. Its verdict after "
                   f"frame 12, averaged over them: {top}. " + why)
