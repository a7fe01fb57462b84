"""The speech page through AppTest, with the shipped model: it opens on "seven" with the sound, the spectrogram
over the per-frame probabilities (the model's own numbers), the collapse and greedy against beam; each control
changes what is drawn; bad input gives a message and never an exception or live HTML; presets and the URL set
the view; the answer to the question comes from the model; missing weights are a message on this page only."""
from __future__ import annotations

import json

import numpy as np
import pytest
import common
from common import reveal, widget

from kit.charts import array, charts
from rnnviz import pretrained
from rnnviz.topics.speech import words

PAGE = "pages/20_Speech.py"
DEEPER = ("sp_how", "sp_eqs", "sp_scores", "sp_data", "sp_mic")

apptest = common.deeper_open(DEEPER)


def warnings(at) -> str:
    return " ".join(w.value for w in at.warning).replace("\\", "")


def shown(at) -> str:
    return " ".join(x.value for x in [*at.markdown, *at.caption, *at.warning, *at.code]).replace("\\", "")


def frames(spec: dict) -> int:
    return len(array(spec["hearing"]["data"][1]["x"]))      # the frames: the x axis of p(symbol)


def test_opens_on_its_main_view_with_the_rest_closed(apptest):
    at = apptest(PAGE)
    assert not at.exception and not at.warning
    assert at.title[0].value == "Speech → letters"
    assert set(charts(at)) == {"hearing"} and all(at.session_state[k] is False for k in DEEPER)
    text = shown(at)
    assert "Hearing “seven”" in text and "→ drop blanks `seven`" in text and "**Greedy** `seven`" in text
    spec = charts(at)["hearing"]
    assert spec["data"][1]["y"][0] == "blank ·"                          # the blank's own row, on top
    assert not at.get("audio") and at.text_input(key="word").value == "seven"       # sound on request:
    at.button(key="hear").click().run()
    (player,) = at.get("audio")                                                    # the word, playing
    assert player.proto.autoplay and not at.exception
    m = pretrained.meta("speech")["metrics"]
    assert words.scores_short(m) in [c.value for c in at.caption]              # the manifest's own numbers
    assert f"{m['test_cer_greedy']:.0%} of the letters wrong" in words.scores_short(m)


def test_each_control_changes_what_is_drawn_and_the_deeper_parts(apptest):
    at = apptest(PAGE)
    before = charts(at)
    assert {"hearing", "scoreboard"} <= set(before)
    at.text_input(key="word").set_value("international").run()
    after = charts(at)
    assert not at.exception and frames(after) > frames(before) and "Hearing “international”" in shown(at)
    assert after["scoreboard"] == before["scoreboard"]
    for key, value in (("speed", "fast"), ("noise", "8 dB"), ("voice", "Caribbean woman (never heard)")):
        prev = charts(at)["hearing"]
        widget(at, key).set_value(value).run()
        assert not at.exception and charts(at)["hearing"] != prev, key
    m_caption = [c.value for c in at.caption if "never heard" in c.value]
    assert m_caption


def test_the_microphone_part_warns_first_and_asks_for_the_word_in_the_box(apptest):
    at = apptest(PAGE, {"word": "Garden"})
    assert not at.exception
    assert words.MIC.split(".")[0] in warnings(at)
    assert "The word in the box: **garden**" in shown(at)
    assert [w for w in at.get("audio_input")]                                   # the recorder is drawn


@pytest.mark.parametrize("typed, said, says", [
    ("12345", "No letters a–z left", None),
    ("two words", "One word at a time", "twowords"),
    ("Café", None, "cafe"),
    ("seven!", "left out: !", "seven"),
    ("<script>alert('x')</script>", "left out", "scriptalertxscript"),
    ("a" * 30, "Only the first 20 letters", "a" * 20),
])
def test_bad_input_gives_a_message_and_the_rest_works(apptest, typed, said, says):
    at = apptest(PAGE, {"word": typed})
    assert not at.exception
    if said:
        assert said in warnings(at), warnings(at)
    page = shown(at) + json.dumps(charts(at))
    assert "<script" not in page
    assert "scoreboard" in charts(at)                                           # the rest still works
    if says:
        assert f"Hearing “{says}”" in shown(at)
    else:
        assert "hearing" not in charts(at)


def test_empty_and_huge_input(apptest):
    at = apptest(PAGE)
    at.text_input(key="word").set_value("").run()
    assert not at.exception and "Type a word" in warnings(at) and "hearing" not in charts(at)
    at.text_input(key="word").set_value("seven" * 20_000).run()
    assert not at.exception and "You typed 100,000 characters" in warnings(at)
    assert "Only the first 20 letters" in warnings(at)


def test_presets_set_every_control(apptest):
    at = apptest(PAGE, {"noise": "8 dB"})
    for n, (label, overrides, _) in enumerate(words.PRESETS):
        at.button(key=f"try_{n}").click().run()
        assert not at.exception, label
        assert at.text_input(key="word").value == overrides["word"]
        assert widget(at, "noise").value == overrides.get("noise", "none")
        assert f"Hearing “{overrides['word']}”" in shown(at)


def test_predict_then_reveal_comes_from_the_model(apptest):
    from rnnviz.topics.speech import view
    best, why = words.answer(view.hearing(words.QUESTION_WORD, words.QUESTION_VOICE, "normal", "8 dB"))
    at = apptest(PAGE)
    wrong = next(a for i, a in enumerate(words.ANSWERS) if i != best)
    assert f"Not quite: {words.ANSWERS[best]}" in " ".join(reveal(at, wrong))
    assert " ".join(reveal(at, words.ANSWERS[best])).startswith("**Right.**")


def test_missing_weights_are_a_message_on_this_page_only(apptest, damaged_weights):
    damaged_weights(missing=["speech"])
    at = apptest(PAGE)
    assert not at.exception
    assert "are missing" in " ".join(e.value for e in at.error) and "python -m rnnviz.train speech" in at.error[0].value
    assert not charts(at)
