"""Home and the five lessons (`bench/run.py pages`): each page's rerun after a control moves, in process
(AppTest), goal ≤ 150 ms median. Every move is to a value the page has not had in this process, so no
cache answers for it: this is the full cost a student waits for. Text boxes get a new text each run.
The trained-model pages take their models from st.cache_resource: one load per process (timed here)."""
from __future__ import annotations

import time

LETTERS = "abcdefghijklmnopqrstuvwxyz"
TEXT_200 = ("HAMLET.\nWhat do you read, my lord? Words, words, words. [Exit Polonius.]\n"
            "POLONIUS.\nThough this be madness, yet there is method in't. Will you walk out of the air, "
            "my lord?\nHAMLET.\nInto my grave.\nPOLONIUS.\nIndeed, that is out o' the air.\n")[:200]
OWN = {"passage": "your own text", "text": TEXT_200}      # the character-model pages reading TEXT_200


def _new(text: str, i: int) -> str:
    """`text` with its last two characters replaced by two that name run i: a text never read before."""
    return text[:-2] + LETTERS[i % 26] + LETTERS[i // 26 % 26]


def run(bench) -> None:
    from rnnviz import pretrained

    assert len(TEXT_200) == 200
    for name in ("char_lstm", "char_gru"):
        t0 = time.perf_counter()
        pretrained.load(name)
        bench.line(f"load {name} (sha256 + safetensors), once per process",
                   f"{1000 * (time.perf_counter() - t0):.0f} ms", "once", True)
    rerun = bench.page_rerun
    rerun("Home", None, "rerun", None)

    page = "pages/1_Unfolded_RNN.py"
    rerun("Unfolded RNN", page, "move seed", lambda at, i: at.number_input(key="seed").set_value(1 + i))
    rerun("Unfolded RNN", page, "new typed word", lambda at, i: at.text_input(key="text").set_value(_new("hello world", i)))

    page = "pages/2_BPTT.py"
    rerun("BPTT", page, "move T", lambda at, i: at.slider(key="T").set_value(4 + i))
    rerun("BPTT", page, "new typed numbers", lambda at, i: at.text_input(key="seq").set_value(
        f"1, 0, 2, 5, 1, 0, 2, {i % 10}, {i // 10}"), query={"source": "typed"})

    page = "pages/3_Gradient_lab.py"
    rerun("Gradient lab", page, "move T", lambda at, i: at.slider(key="T").set_value(60 + 7 * i))
    rerun("Gradient lab", page, "move forget_bias", lambda at, i: at.slider(key="forget_bias").set_value(
        -3.0 + 0.5 * (i % 17)))
    rerun("Gradient lab", page, "new typed sentence", lambda at, i: at.text_input(key="text").set_value(
        _new("the cat that the dog chased ran away", i)), query={"input": "text"})

    page = "pages/4_LSTM_inside.py"
    rerun("LSTM inside", page, "new 200-char text", lambda at, i: at.text_area(key="text").set_value(_new(TEXT_200, i)),
          query=OWN)
    rerun("LSTM inside", page, "move unit, 200-char text", lambda at, i: at.number_input(key="unit").set_value(3 + i),
          query=OWN)

    page = "pages/5_GRU_vs_LSTM.py"
    rerun("GRU vs LSTM", page, "move units shown", lambda at, i: at.slider(key="units").set_value(8 + 4 * (i % 30)),
          query=OWN)
    rerun("GRU vs LSTM", page, "new 200-char text", lambda at, i: at.text_area(key="text").set_value(_new(TEXT_200, i)),
          query=OWN)
