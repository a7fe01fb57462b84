"""The video model and its numbers: the convolutional GRU follows torch.nn.GRU's equations, its verdict after
frame t reads frames 1..t only, the single-frame baseline reads frame t alone; "sure from frame k"; the shipped
model's manifest (held-out accuracy against the single-frame CNN and the majority guess) and a few test clips
recomputed; training reproducible to the bit; the page's sentences from the model's own numbers."""
from __future__ import annotations

import numpy as np
import pytest
import torch

from rnnviz import pretrained
from rnnviz.topics.video import compute, data, recipe, words
from rnnviz.topics.video.model import SingleFrame, VideoGRU


def seeded(model: torch.nn.Module, seed: int = 0) -> torch.nn.Module:
    recipe.init(model, torch.Generator().manual_seed(seed))
    return model.double().eval()


def test_the_conv_gru_is_torch_nn_gru_on_one_pixel():
    """On a 1×1 frame a circularly padded 3×3 convolution is a matrix product with the 9 taps summed: the
    convolutional GRU must then be torch.nn.GRU (gate order r, z, n; b_hn inside the reset gate) exactly."""
    model = seeded(VideoGRU(list(data.MOTIONS), size=1, maps=5))
    gru = torch.nn.GRU(1, 5).double()
    with torch.no_grad():
        gru.weight_ih_l0.copy_(model.x_gates.weight.sum((2, 3)))
        gru.weight_hh_l0.copy_(model.h_gates.weight.sum((2, 3)))
        gru.bias_ih_l0.copy_(model.x_gates.bias)
        gru.bias_hh_l0.copy_(model.h_gates.bias)
    x = torch.rand(7, 3, 1, 1, generator=torch.Generator().manual_seed(1), dtype=torch.float64)
    logits, hs = model(x)
    h, _ = gru(x.reshape(7, 3, 1))
    assert torch.allclose(hs.reshape(7, 3, 5), h, atol=1e-12)
    assert torch.allclose(logits, model.head(torch.cat([h, h], -1)), atol=1e-12)


def test_the_verdict_after_frame_t_reads_frames_1_to_t_only():
    model = seeded(VideoGRU(list(data.MOTIONS), data.SIZE))
    x, _ = data.clips(3, frames=6, seed=2)
    x = x.double()
    changed = x.clone()
    changed[4:] = torch.rand_like(changed[4:])                    # frames 5 and 6
    a, b = model(x)[0], model(changed)[0]
    assert torch.allclose(a[:4], b[:4], atol=1e-12) and not torch.allclose(a[4:], b[4:])


def test_the_single_frame_baseline_reads_one_frame():
    """Its verdict on frame t is the same whatever the other frames are, and in whatever order they come."""
    base = seeded(SingleFrame(list(data.MOTIONS), data.SIZE))
    x, _ = data.clips(3, frames=6, seed=2)
    x = x.double()
    out = base(x)                                                  # (T, B, C)
    assert out.shape == (6, 3, 6)
    assert torch.allclose(base(x.flip(0)).flip(0), out, atol=1e-12)
    assert torch.allclose(base(x[2:3])[0], out[2], atol=1e-12)


@pytest.mark.parametrize("probs, sure", [
    ([[.2, .8], [.95, .05], [.91, .09]], 2),
    ([[.95, .05], [.5, .5], [.97, .03]], 3),          # it fell below: sure again from the last frame only
    ([[.95, .05], [.95, .05], [.2, .8]], None),      # not sure at the end
    ([[.95, .05], [.05, .95], [.05, .95]], 2),       # sure of another motion before: it counts from the switch
    ([[.99, .01]], 1),
])
def test_sure_from(probs, sure):
    assert compute.sure_from(np.array(probs), 0.9) == sure


@pytest.fixture(scope="module")
def shipped():
    return pretrained.load("video")


def test_manifest_entry(shipped):
    model, meta = shipped
    m = meta["metrics"]
    assert meta["arch"]["class"] == "VideoGRU" and model.classes == list(data.MOTIONS)
    assert meta["command"] == "python -m rnnviz.train video" and meta["check"]["metric"] == "test_accuracy"
    assert meta["bytes"] <= 1_000_000 and meta["minutes"] > 0
    assert m["majority_accuracy"] == pytest.approx(1 / 6, abs=1e-4) == m["chance_accuracy"]
    assert abs(m["single_frame_accuracy"] - 1 / 6) < 0.03            # one frame: chance, as designed
    assert m["test_accuracy"] > 0.9 > m["single_frame_accuracy"] + 0.5
    ev = meta["evaluation"]
    assert len(ev["accuracy_by_frame"]) == data.FRAMES and ev["accuracy_by_frame"][-1] == m["test_accuracy"]
    assert abs(ev["accuracy_by_frame"][0] - 1 / 6) < 0.05            # after one frame the GRU cannot know either
    assert sum(ev["test_support"]) == meta["data"]["sizes"]["test"] == sum(ev["sure_from_counts"].values())


def test_held_out_numbers_recomputed_on_the_first_test_clips(shipped):
    """The first 120 test clips (balanced, in turn), read again: their verdicts match the manifest's confusion
    matrix's rows within what 120 clips can move, and the model's verdict after frame 1 is near 1 in 6 each."""
    model, meta = shipped
    x, y = data.clips(120, seed=data.TEST_SEED, balanced=True)
    p = compute.model_steps(model, x)
    acc = float((p[-1].argmax(1) == y.numpy()).mean())
    assert acc == pytest.approx(meta["metrics"]["test_accuracy"], abs=0.05)
    assert np.abs(p[0] - 1 / 6).max() < 0.15


def test_training_is_reproducible_to_the_bit():
    tiny = dict(steps=2, batch=2, baseline_steps=2, test_clips=6, val_clips=6, log=lambda *_: None)
    a, info = recipe.build(**tiny)
    b, _ = recipe.build(**tiny)
    assert all(torch.equal(a.state_dict()[k], b.state_dict()[k]) for k in a.state_dict())
    assert info["hyper"]["steps"] == 2 and set(info["metrics"]) >= {"test_accuracy", "single_frame_accuracy",
                                                                     "majority_accuracy"}


def test_the_sentences_quote_the_watch(shipped):
    model, meta = shipped
    w = compute.watch(model, compute.settings("down", 1.0, 0.1, 12, 0))
    said = words.frames_said(w)
    final, p = w.final
    assert f"it says {final} at {p:.0%}" in said and f"{w.probs[0].max():.0%}" in said
    assert ("(correct)" in said) == (final == "down")
    assert (f"sure from frame {w.sure} on" in said) if w.sure and w.sure > 1 else True
    caption = words.scores_caption(meta)
    assert f"**{meta['metrics']['test_accuracy']:.0%}**" in caption and f"{meta['metrics']['single_frame_accuracy']:.0%}" in caption


def test_the_answer_comes_from_the_model(shipped):
    model, _ = shipped
    index, why = words.answer(model)
    ends = [compute.watch(model, compute.settings("right", 0.0, 0.1, 12, s)).probs[-1] for s in range(words.QUESTION_CLIPS)]
    sure = sum(e.max() >= compute.THRESHOLD for e in ends)
    assert index == (0 if sure > words.QUESTION_CLIPS / 2 else 1)
    assert f"it ends {compute.THRESHOLD:.0%} sure on {sure}." in why


def test_figures_are_what_plotly_accepts(shipped):
    """Each figure, built without plotly's checks (style.figure), is the same JSON with them: no misspelt key."""
    from common import assert_plotly_accepts_unchanged

    from rnnviz.topics.video import figures

    model, meta = shipped
    w = compute.watch(model, compute.settings("up", 1.0, 0.1, 5, 0))
    fig = figures.watch(w.clip, w.probs, list(w.classes), words.SYMBOL, compute.THRESHOLD, w.sure)
    assert len(fig.layout.images) == 5 and fig.layout.images[0].source.startswith("data:image/png;base64,")
    ev, m = meta["evaluation"], meta["metrics"]
    for f in (fig, figures.accuracy_by_frame(ev["accuracy_by_frame"], ev["single_frame_by_frame"],
                                             m["majority_accuracy"], m["chance_accuracy"]),
              figures.confusion(list(model.classes), ev["confusion"])):
        assert_plotly_accepts_unchanged(f)


def test_a_frame_is_drawn_pixel_for_pixel():
    import base64
    import io

    from PIL import Image

    from rnnviz.topics.video import figures

    frame = np.zeros((data.SIZE, data.SIZE))
    frame[3, 5] = 1.0
    frame[0, 0] = np.nan                                   # not a number: drawn black, never an error
    img = np.asarray(Image.open(io.BytesIO(base64.b64decode(figures.png_uri(frame).split(",", 1)[1]))))
    k = figures.PIXEL
    assert img.shape == (data.SIZE * k, data.SIZE * k)
    assert (img[3 * k:4 * k, 5 * k:6 * k] == 255).all() and img.sum() == 255 * k * k


def test_the_memory_is_the_models_own(shipped):
    model, _ = shipped
    clip = data.compose("left", 1.0, 0.1, 5, 2)
    _, hs = model(clip[:, None])
    memory = compute.memory(model, clip.numpy())
    assert memory.shape == (5, model.maps, data.SIZE, data.SIZE) and np.allclose(memory, hs[:, 0].detach().numpy())
    assert np.abs(memory).max() < 1
