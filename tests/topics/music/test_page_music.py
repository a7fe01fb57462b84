"""The Music page through AppTest, with the shipped model: it opens on a held-out song's opening continued by the
model (the piano roll is the model's own numbers), the tune drawn is heard on request (its WAV, autoplaying, only
after a press of "Hear the tune", gone at any move), each main control changes the tune, a bad typed opening is a
message and never an exception or live HTML, presets and the URL set the view, and the predict-then-reveal answer
comes from the model."""
from __future__ import annotations

import json

import pytest
import common
from common import reveal

from kit.charts import charts
from rnnviz import pretrained
from rnnviz.topics.music import compute, notes, synth, words

PAGE = "pages/19_Music.py"
DEEPER = ("mus_how", "mus_rhythm", "mus_scores", "mus_data")

apptest = common.deeper_open(DEEPER)


@pytest.fixture(scope="module")
def shipped():
    return pretrained.load("melody")


def roll_notes(spec: dict) -> list[str]:
    """The note names the piano roll draws (the opening's, then the written ones)."""
    return [y for trace in spec["roll"]["data"][1:] for y in trace["y"][::3]]


def texts(at) -> str:
    return " ".join(x.value for x in [*at.markdown, *at.caption, *at.warning, *at.info]).replace("\\", "")


def test_opens_on_its_main_view_with_the_rest_closed(apptest, shipped):
    model, _ = shipped
    at = apptest(PAGE)
    assert not at.exception and not at.warning
    assert at.title[0].value == "Music"
    assert set(charts(at)) == {"roll"}
    assert all(at.session_state[k] is False for k in DEEPER)
    opening = words.opening(words.DEFAULT_SONG, "", model)
    g = compute.generate(model, opening.pitches, opening.durations, 48, 1.0, 0)
    assert roll_notes(charts(at)) == [notes.name(p) for p in g.pitches]
    assert words.tune_said(g) in texts(at)
    assert not at.get("audio") and at.button(key="hear").label == "Hear the tune"       # the sound on request


def wav_of(at) -> str:
    """The media file id of the page's one player (which the media file manager derives from the WAV's bytes)."""
    (player,) = at.get("audio")
    assert player.proto.autoplay                                            # the press starts it
    return player.proto.url.rsplit("/", 1)[-1].removesuffix(".wav")


def heard(model, song: str, n: int, tau: float, seed: int) -> str:
    """The media file id the WAV of this tune gets: the sound of the tune the roll draws."""
    from streamlit.runtime.memory_media_file_storage import _calculate_file_id

    opening = words.opening(song, "", model)
    g = compute.generate(model, opening.pitches, opening.durations, n, tau, seed)
    return _calculate_file_id(synth.wav(synth.render(g.pitches, g.durations, words.BPM)), "audio/wav")


def test_the_tune_plays_on_request_and_a_move_takes_its_player_away(apptest, shipped):
    model, _ = shipped
    at = apptest(PAGE)
    at.button(key="hear").click().run()
    assert not at.exception and wav_of(at) == heard(model, words.DEFAULT_SONG, 48, 1.0, 0)   # the tune drawn
    moves = [lambda: at.slider(key="tau").set_value(0.5), lambda: at.number_input(key="seed").set_value(4),
             lambda: at.slider(key="n").set_value(16), lambda: at.selectbox(key="song").set_value("Fuchs im Loche")]
    for move in moves:                          # never an old tune under a new roll: each move hides the player
        move().run()
        assert not at.exception and not at.get("audio")
        at.button(key="hear").click().run()
        assert len(at.get("audio")) == 1
    assert wav_of(at) == heard(model, "Fuchs im Loche", 16, 0.5, 4)            # the new tune's sound
    at.slider(key="tau").set_value(0.6).run()
    assert not at.get("audio")


def test_the_deeper_parts_draw_the_same_tune(apptest):
    at = apptest(PAGE)
    assert {"roll", "rhythm", "scoreboard"} <= set(charts(at)) and not at.exception
    spec = charts(at)
    assert len(spec["rhythm"]["data"][0]["x"]) == len(spec["roll"]["data"][0]["x"])


def test_each_control_changes_the_tune(apptest):
    at = apptest(PAGE)
    first = roll_notes(charts(at))
    at.number_input(key="seed").set_value(11).run()
    assert not at.exception and roll_notes(charts(at)) != first
    at.slider(key="n").set_value(16).run()
    assert len(roll_notes(charts(at))) == 16 + 16                      # the Vogel opening has 16 notes
    at.slider(key="tau").set_value(0.1).run()
    assert "at τ = 0.1" in texts(at)
    at.selectbox(key="song").set_value("Staedt und Land").run()
    assert roll_notes(charts(at))[:7] == ["C4", "G4", "A4", "B4", "G4", "A4", "B4"]


def test_a_typed_opening_is_continued(apptest):
    at = apptest(PAGE, {"song": words.OWN})
    assert not at.text_input(key="notes").disabled
    at.text_input(key="notes").set_value("E F G A:2 | r C5:0.5").run()
    assert not at.exception and not at.warning
    assert roll_notes(charts(at))[:6] == ["E4", "F4", "G4", "A4", "rest", "C5"]


@pytest.mark.parametrize("typed, said", [
    ("", "The opening is empty"),
    ("C D <b>Bold</b><img src=x onerror=alert(1)>", "are not notes"),
    ("C D:0.3", "has a length the model does not know"),
    ("C9", "outside the range of the songs"),
    ("C " * 40, "at most 32 notes"),
])
def test_bad_input_gives_a_message_and_the_rest_works(apptest, typed, said):
    at = apptest(PAGE, {"song": words.OWN})
    at.text_input(key="notes").set_value(typed).run()
    assert not at.exception
    assert said in " ".join(w.value for w in at.warning).replace("\\", "")
    page = " ".join(x.value for x in [*at.markdown, *at.caption, *at.warning, *at.info]) + json.dumps(charts(at))
    assert "<b>" not in page and "<img" not in page                            # escaped: \<b\> shows as <b>
    assert "roll" not in charts(at) and {"scoreboard"} <= set(charts(at))      # the rest still works
    assert at.radio(key="predict_guess") is not None


def test_a_pasted_book_is_cut_with_a_message(apptest):
    at = apptest(PAGE, {"song": words.OWN})
    at.text_input(key="notes").set_value("C D " * 25_000).run()
    assert not at.exception and "You typed 100,000 characters" in " ".join(w.value for w in at.warning)


def test_the_url_opens_a_view(apptest):
    at = apptest(PAGE, {"song": words.OWN, "notes": "G A B C5", "tau": "0.5", "n": "8", "seed": "3"})
    assert not at.exception
    assert roll_notes(charts(at))[:4] == ["G4", "A4", "B4", "C5"] and len(roll_notes(charts(at))) == 12
    assert "at τ = 0.5" in texts(at)


def test_presets_set_every_control(apptest):
    at = apptest(PAGE, {"seed": "5"})
    for n, (label, overrides, *_) in enumerate(words.PRESETS):
        at.button(key=f"try_{n}").click().run()
        assert not at.exception, label
        assert at.slider(key="tau").value == overrides.get("tau", 1.0)
        assert at.number_input(key="seed").value == overrides.get("seed", 0)
        assert at.selectbox(key="song").value == overrides.get("song", words.DEFAULT_SONG)


def test_predict_then_reveal_comes_from_the_model(apptest, shipped):
    model, _ = shipped
    opening = words.opening(words.DEFAULT_SONG, "", model)
    best, why = words.answer(model, opening.pitches, opening.durations)
    at = apptest(PAGE)
    wrong = next(a for i, a in enumerate(words.ANSWERS) if i != best)
    shown = " ".join(reveal(at, wrong))
    assert f"Not quite: {words.ANSWERS[best]}" in shown and why.split(":")[0] in shown
    assert " ".join(reveal(at, words.ANSWERS[best])).startswith("**Right.**")


@pytest.mark.parametrize("damage, message", [("missing", "are missing"), ("corrupt", "are corrupt")])
def test_missing_or_corrupt_weights_are_a_message_on_this_page_only(apptest, damaged_weights, damage, message):
    damaged_weights(**{damage: ["melody"]})
    at = apptest(PAGE)
    assert not at.exception
    assert message in " ".join(e.value for e in at.error) and "python -m rnnviz.train melody" in at.error[0].value
    assert not charts(at)
    assert not apptest().exception
