"""The page table: per topic, what `make bench` times on its page (bench/run.py reads it).

A row is one page; each of its moves is timed as the page's rerun after a control moves, in process
(AppTest), against the goal of 150 ms median. Every move sets a value the page has not had in this process,
so no cache answers for it: this is the full cost a student waits for (text boxes get a new text each run).
A row with models loads each once first (timed: sha256 + safetensors) and counts the loads its page's runs
cause: a page takes its models from st.cache_resource, one load each per process.

One table rather than a module per page: every page owes the same figures in the same shape (a topic, its
moves, its models), so they read and compare in one place, and `make bench BENCH=<topic>` picks rows by the
topic's folder name (rnnviz/topics/<topic>). The page file comes from the topic's declaration (TOPIC.path),
written once. A page's bench beyond its reruns is a module of its own (bench_memory.py: the Memory lab).

BROWSER, at the end, is the browser bench's table (bench/browser.py): per topic, which controls it moves in
Chromium, found by their key wherever the page puts them (sidebar or main column).
"""
from __future__ import annotations

from typing import Callable, NamedTuple

LETTERS = "abcdefghijklmnopqrstuvwxyz"
TEXT_200 = ("HAMLET.\nWhat do you read, my lord? Words, words, words. [Exit Polonius.]\n"
            "POLONIUS.\nThough this be madness, yet there is method in't. Will you walk out of the air, "
            "my lord?\nHAMLET.\nInto my grave.\nPOLONIUS.\nIndeed, that is out o' the air.\n")[:200]   # 200 chars
OWN = {"passage": "your own text", "text": TEXT_200}      # the character-model pages reading TEXT_200
SENTENCE = "the actors are wonderful , but the story is a dull and tedious mess that goes on far too long"  # 20 words
WORDS = ["boat", "king", "sword", "crown", "night", "ghost", "letter", "castle", "horse", "storm"]
UNITS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def _number_words(i: int) -> str:
    """A six-digit number in words, new for each i (the attention page's typed input)."""
    return f"{UNITS[i % 9]} hundred and {UNITS[i // 9 % 9]} thousand, {UNITS[(i + 4) % 9]} hundred and sixty-{UNITS[(i + 2) % 9]}"


CAPTION_THINGS = [f"{size} {colour} {shape}" for size in ("large", "small") for colour in ("green", "blue", "yellow", "red")
                  for shape in ("square", "triangle", "circle")]      # the captions page's things (its first thing)
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")


class Move(NamedTuple):
    what: str                                   # as printed: "move T", "new typed name, 10 letters"
    move: Callable | None                       # move(at, i): run i's change (AppTest); None: rerun unchanged
    query: dict | None = None                   # the URL query the page opens with


class Page(NamedTuple):
    topic: str                                  # its folder, rnnviz/topics/<topic>: BENCH=<topic> picks it
    name: str                                   # short, for the printed lines and the summary table
    moves: tuple[Move, ...]
    models: tuple[str, ...] = ()                # the trained models it loads: each loaded once, loads counted
    before: Callable | None = None              # before(bench): a computation of its own, timed first


def _new(text: str, i: int) -> str:
    """`text` with its last two characters replaced by two that name run i: a text never read before."""
    return text[:-2] + LETTERS[i % 26] + LETTERS[i // 26 % 26]


def _suffix(i: int) -> str:
    return f"{LETTERS[i % 26]}{LETTERS[i // 26]}"


def _switch_form(at, i: int) -> None:
    from rnnviz.topics.architectures import compute as arch

    (group,) = [w for w in at.get("button_group") if w.key == "form"]
    group.set_value(arch.ORDER[i % len(arch.ORDER)])


def _step(at):
    return next(s for s in at.slider if s.label == "Generated step t")


def _dates_read(bench) -> None:
    """The date model's own reading of one date (encode, greedy and beam search), outside the page."""
    from rnnviz import pretrained
    from rnnviz.topics.dates import compute as lesson

    model, _ = pretrained.load("dates")
    ms = bench.timed(lambda: lesson.read(model, "Saturday, November 21st 2026", 3), repeat=20)
    bench.line("dates: encode + greedy + beam (width 3), 28 characters", f"{sorted(ms)[len(ms) // 2]:.1f} ms",
               "-", True)


def _music_synth(bench) -> None:
    """The Music page's WAV, synthesised with NumPy at a press of "Hear the tune": a 20 s tune (40 beats at
    120 a minute, 48 notes, as the page's default writes), goal ≤ 300 ms."""
    from rnnviz.topics.music import synth

    pitches = [60, 62, 64, 65, 67, 69, 71, -1] * 6
    durations = [1.0, 0.5, 0.5, 1.0, 1.5, 0.5, 0.5, 1.0] * 6        # 6 × 6.5 = 39 beats ...
    durations[-1] = 2.0                                                 # ... + 1 = 40 beats: 20 s
    ms = bench.timed(lambda: synth.wav(synth.render(pitches, durations, 120)), repeat=20)
    median = sorted(ms)[len(ms) // 2]
    bench.line("music: synthesise a 20 s tune to WAV (NumPy)", f"{median:.1f} ms", "≤ 300 ms", median <= 300)


def _speech_hear(bench) -> None:
    """The speech page's work outside the page: eSpeak NG saying the longest word a student may type (20
    letters, slow), then the whole hearing (synthesis, log-mel, the GRU, greedy and beam). Goal: ≤ 300 ms."""
    from rnnviz import pretrained
    from rnnviz.topics.speech import compute as lesson, synth

    word = "abcdefghijklmnopqrst"
    ms = bench.timed(lambda: synth.say(word, "en-us+m3", 130), repeat=10)
    bench.line("speech: eSpeak NG says 20 letters, slow", f"{sorted(ms)[len(ms) // 2]:.1f} ms", "300 ms",
               sorted(ms)[len(ms) // 2] <= 300)
    model, _ = pretrained.load("speech")
    ms = bench.timed(lambda: lesson.hear(model, word, "en-us+m3", 130), repeat=10)
    bench.line("speech: say + log-mel + GRU + greedy + beam, 20 letters", f"{sorted(ms)[len(ms) // 2]:.1f} ms",
               "300 ms", sorted(ms)[len(ms) // 2] <= 300)


PAGES: tuple[Page, ...] = (
    Page("home", "Home", (Move("rerun", None),)),
    Page("unfold", "Unfolded RNN", (
        Move("move seed", lambda at, i: at.number_input(key="seed").set_value(1 + i)),
        Move("new typed word", lambda at, i: at.text_input(key="text").set_value(_new("hello world", i))),
    )),
    Page("bptt", "BPTT", (
        Move("move T", lambda at, i: at.slider(key="T").set_value(4 + i)),
        Move("new typed numbers", lambda at, i: at.text_input(key="seq").set_value(
            f"1, 0, 2, 5, 1, 0, 2, {i % 10}, {i // 10}"), {"source": "typed"}),
    )),
    Page("lab", "Gradient lab", (
        Move("move T", lambda at, i: at.slider(key="T").set_value(60 + 7 * i)),
        Move("move forget_bias", lambda at, i: at.slider(key="forget_bias").set_value(-3.0 + 0.5 * (i % 17))),
        Move("new typed sentence", lambda at, i: at.text_input(key="text").set_value(
            _new("the cat that the dog chased ran away", i)), {"input": "text"}),
    )),
    Page("lstm_inside", "LSTM inside", (
        Move("new 200-char text", lambda at, i: at.text_area(key="text").set_value(_new(TEXT_200, i)), OWN),
        Move("move unit, 200-char text", lambda at, i: at.number_input(key="unit").set_value(3 + i), OWN),
    ), models=("char_lstm",)),
    Page("compare", "GRU vs LSTM", (
        Move("move units shown", lambda at, i: at.slider(key="units").set_value(8 + 4 * (i % 30)), OWN),
        Move("new 200-char text", lambda at, i: at.text_area(key="text").set_value(_new(TEXT_200, i)), OWN),
    ), models=("char_lstm", "char_gru")),
    Page("architectures", "Architectures", (
        Move("move n_in", lambda at, i: at.slider(key="n_in").set_value(1 + (i % 12)), {"form": "encoder-decoder"}),
        Move("switch form", _switch_form, {"n_in": 12, "n_out": 12}),
    )),
    Page("sentiment", "Sentiment", (
        Move("new typed sentence, 20 words",
             lambda at, i: at.text_input(key="text").set_value(f"{SENTENCE} {_suffix(i)}")),
        Move("new compared sentence, 20 words",
             lambda at, i: at.text_input(key="other").set_value(f"{_suffix(i)} {SENTENCE}"), {"text": SENTENCE}),
    ), models=("sentiment", "sentiment_no_not")),   # the second: trained without the made-up "not WORD" examples
    Page("surname", "Surname → language", (
        Move("new typed name, 10 letters",
             lambda at, i: at.text_input(key="name").set_value(f"Kowals{_suffix(i)}ki")),
        Move("new name + bigram chart, 10 letters",
             lambda at, i: at.text_input(key="name").set_value(f"Schmi{_suffix(i)}dtz"), {"both": "true"}),
    ), models=("surname",)),
    Page("video", "Video activity", (
        Move("new clip number", lambda at, i: at.number_input(key="clip").set_value(1 + i)),
        Move("move speed, 24 frames", lambda at, i: at.slider(key="speed").set_value(0.25 * (1 + i % 12)),
             {"frames": 24}),
    ), models=("video",)),
    Page("speech", "Speech → letters", (
        Move("new typed word, 8 letters", lambda at, i: at.text_input(key="word").set_value(f"garden{_suffix(i)}")),
        Move("new word, a voice it never heard, noise", lambda at, i: at.text_input(key="word").set_value(
            f"mount{_suffix(i)}"), {"voice": "Scottish man (never heard)", "noise": "20 dB"}),
    ), models=("speech",), before=_speech_hear),
    Page("generation", "Text generation", (
        Move("new typed prompt, 120 chars", lambda at, i: at.text_area(key="prompt").set_value(
            f"ROMEO.\nBut soft, {LETTERS[i % 26]}{LETTERS[i // 26]}")),
        Move("move step t", lambda at, i: _step(at).set_value(2 + i)),
    ), models=("char_lstm",)),
    Page("tagging", "Tagging", (
        Move("new typed sentence, 12 words", lambda at, i: at.text_input(key="sentence").set_value(
            f"The old man saw the {WORDS[i % 10]} and the {WORDS[i // 10 % 10]} {i} times by night.")),
        Move("new 40-word sentence, only the tags used", lambda at, i: at.text_input(key="sentence").set_value(
            f"{i} " + " ".join(f"I can see the {WORDS[(i + k) % 10]} ," for k in range(8))),
             {"tags": "only the tags used"}),
    ), models=("tagger", "tagger_bi")),
    Page("dates", "Date translation", (
        Move("new typed date, beam width 3",
             lambda at, i: at.text_input(key="date").set_value(f"{MONTHS[i % 12]} {1 + i % 28}, {1950 + i}")),
        Move("new typed date, beam width 8",
             lambda at, i: at.text_input(key="date").set_value(f"{MONTHS[i % 12]} {1 + i % 28}, {1950 + i}"),
             {"width": "8"}),
    ), models=("dates",), before=_dates_read),
    Page("attention", "Attention", (
        Move("new typed number, about 60 characters", lambda at, i: at.text_input(key="number").set_value(
            _number_words(i))),
    ), models=("numbers_plain", "numbers_attention")),
    Page("modern", "Modern RNNs", (
        Move("move T", lambda at, i: at.slider(key="T").set_value(9 + i % 56)),
        Move("new seed, minGRU", lambda at, i: at.number_input(key="seed").set_value(1 + i), {"minimal": "true"}),
    )),
    Page("forecast", "Forecasting", (
        Move("sunspots, move the horizon", lambda at, i: at.slider(key="years").set_value(1 + i)),
        Move("co2, move the origin (60 months)", lambda at, i: at.slider(key="from").set_value(1960 + 2 * i),
             {"series": "co2", "months": "60"}),
    ), models=("sunspots", "co2")),
    Page("music", "Music", (
        Move("new seed: a new tune and its piano roll", lambda at, i: at.number_input(key="seed").set_value(1 + i)),
        Move("press Hear the tune: the 20 s WAV", lambda at, i: at.button(key="hear").click()),
        Move("new typed opening, 8 notes", lambda at, i: at.text_input(key="notes").set_value(
            f"C D E F G:2 {'CDEFGAB'[i % 7]} {'CDEFGAB'[i // 7 % 7]}5 C"), {"song": "my own notes"}),
    ), models=("melody",), before=_music_synth),
    Page("captions", "Image captions", (                      # nothing cached but the model: every move is full cost
        Move("choose the first thing", lambda at, i: at.selectbox(key="a").set_value(CAPTION_THINGS[i % 24])),
        Move("move the noise, beam width 5", lambda at, i: at.slider(key="noise").set_value(0.05 * (1 + i % 10)),
             {"width": "5"}),
    ), models=("captions",)),
)


# ----- the browser bench's table (bench/browser.py) --------------------------------------------------------

class Touch(NamedTuple):
    """One control the browser bench moves on a page, found by its key (Streamlit's `st-key-<key>` class;
    a stepper's slider by its stepper's key) wherever it sits, sidebar or main column. A slider gets ArrowRight (ArrowLeft near its end); a text box
    gets a new text and Enter (Ctrl+Enter in a text area)."""
    key: str
    text: Callable[[int], str] | None = None    # a typed input's text for repetition i; None: its own text
                                                # with the last two characters changed (a text never sent)


# Per topic (its folder's name), the controls the browser bench moves. A page not named here, or whose named
# control is gone, gets its first visible slider, else its first visible text box: the bench keeps working
# Pages whose main view is a live training (issue 24): opened with these settings, Train pressed, and the
# browser watched while it trains (the live view redraws itself every 0.4 s): the long tasks of those redraws.
# Then the controls below are moved on the trained page.
TRAIN_FIRST = {"yourtext": "hidden=32&seconds=15", "yourseries": "hidden=16&seconds=10"}

# while controls move. Pinned here: the slider the page is about, where the first one is something else.
BROWSER: dict[str, tuple[Touch, ...]] = {
    # the step t (the stepper's slider, key t__<generation>): what a student moves most on this page; its length
    # T applies to the generated inputs only (greyed out for the default typed word) and stays in the sidebar
    "unfold": (Touch("t"),),
    "bptt": (Touch("T"),),                      # under the cell, over the stepper, beside the step chart (main column)
    "lab": (Touch("T"),),
    "lstm_inside": (Touch("t"),),               # the stepper's slider over the characters (key t__<generation>)
    "compare": (Touch("start"),),               # the window's "From character", a stepper-style slider
                                                # (key start__<generation>); "units" sits in a closed expander
    "architectures": (Touch("n_in"),),
    "memory": (Touch("T"),),
    "yourtext": (Touch("temp"),),              # τ of the sample the trained model writes (trained first: TRAIN_FIRST)
    "sentiment": (Touch("text", lambda i: f"{SENTENCE} {_suffix(i)}"),),
    "surname": (Touch("name", lambda i: f"Kowals{_suffix(i)}ki"),),
    "video": (Touch("speed"),),                 # the clip's speed, beside the frames and the verdict (main column)
    "tagging": (Touch("sentence", lambda i: f"The old man saw the {WORDS[i % 10]} and the {WORDS[(i + 3) % 10]} "
                                            f"{i} times by night."),),
    "dates": (Touch("width"), Touch("date", lambda i: f"{MONTHS[i % 12]} {1 + i % 28}, {1950 + i}")),
    "forecast": (Touch("years"),),
    "generation": (Touch("temp"), Touch("t")),  # τ (redraws the text and the step view), the step t (the stepper)
    "attention": (Touch("number", _number_words),),
    "modern": (Touch("T"),),                    # the example's length, beside the chart (the toggle: a switch)
    "music": (Touch("tau"),),                   # τ: redraws the piano roll (the tune is heard on request)
    "captions": (Touch("noise"),),              # the pixel noise: a new picture, both searches, the decoder's chart
    "speech": (Touch("word", lambda i: f"garden{_suffix(i)}"),),   # a new word: eSpeak says it, the GRU spells it
}
