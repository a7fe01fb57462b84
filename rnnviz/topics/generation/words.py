"""What the Text generation page says: the intro, the controls' help, how it writes, the presets, and the
question with its answer, read off a greedy generation (plain markdown unless said).

What a preset's note states about the shipped models is held by tests/topics/generation/test_words_generation.py.
"""
from __future__ import annotations

from rnnviz.shared import charlm
from rnnviz.topics.generation import compute

INTRO = ("A character-level model trained on Shakespeare continues your prompt, one character at a time. Each "
         "character is **drawn** from a probability distribution over the next character; the temperature and "
         "top-k decide how adventurous the draw is. Below, every step's distribution, and the drawn one marked.")
HELP = {
    "prompt": f"What the model reads first (at most {charlm.MAX_CHARS:,} characters). Characters it never "
              "saw in training are read as one unknown symbol; an empty prompt starts from a new line.",
    "model": "lstm: the LSTM of the LSTM-inside lesson (256 units). gru: the GRU of GRU vs LSTM (296 "
             "units). Both were trained on the same Shakespeare.",
    "temp": "The scores are divided by τ before the softmax: below 1 the favourite gets even likelier "
            "(safer, fewer surprises); above 1 the distribution flattens (inventive, misspelt).",
    "k": "Draw only from the k likeliest characters (renormalised). 0 = no cut. 1 = always the favourite: greedy, "
         "no randomness left.",
    "seed": "Seeds the draws: the same settings and seed write the same text, so a shared link shows the same page.",
    "t": "Which generated character to look at: its distribution, and the diagram around it.",
}
HOW = ("**How it writes.** First the model reads the whole prompt, one character per step, and writes "
       "nothing: that only sets its state (many-to-one priming). Then it runs **one-to-many**: at every step "
       "it scores each of its characters, the scores become a distribution (softmax, sharpened or flattened "
       "by the temperature τ, cut to the k likeliest by top-k), one character is drawn from it, written, "
       "and fed back in as the next input. So one unlikely draw is read back and steers everything after it. "
       "The model was *trained* aligned many-to-many (predict the next character at every position); "
       "generation reuses the same weights in the one-to-many form.")


# ----- what to try, and the question

def presets(keep: dict) -> list[tuple[str, dict, str]]:
    """The "what to try" buttons: (label, the controls each sets, what to look at); `keep` holds the prompt
    and the model. The question below them asks what greedy decoding does after a while, so no note says
    it; what a note states about the shipped models is held by tests/topics/generation/test_words_generation.py."""
    return [
        ("Cold: τ = 0.2", {"temp": 0.2, **keep},
         "About 6 draws in 7 are the model's favourite (the caption counts them): mostly real words."),
        ("Hot: τ = 1.5", {"temp": 1.5, **keep},
         "The heatmap's rows even out (from the same state, a higher τ always means a flatter distribution: more "
         "bits of entropy); unlikely characters get drawn and made-up words appear."),
        ("Greedy: top-k = 1, 400 characters", {"k": 1, "n": 400, **keep},
         "No randomness: only the top row of the heatmap lights up, at p = 1. What does the end of the text do?"),
        ("Top-k = 5 at τ = 1", {"k": 5, "temp": 1.0, **keep},
         "Only five rows can light up: the long tail of unlikely characters is cut away. Compare the made-up "
         "words with τ = 1 and no cut."),
    ]


QUESTION = ("With top-k = 1 (always the model's favourite character), what happens to the text after a "
            "while?")
ANSWERS = ["It keeps writing new words and lines", "It falls into a loop: the same piece repeats",
           "It stops: nothing more comes", "It turns into random letters"]


def answer(g: compute.Generation) -> tuple[int, str]:
    """The predict-then-reveal's answer for a greedy generation: (index into ANSWERS: 1 if it fell into a loop,
    else 0; a plain-text account of where and how long)."""
    loop = compute.find_loop(g.text)
    if loop is None:
        return 0, (f"In {len(g.text)} characters from this prompt, greedy decoding did not settle into a "
                   "repeating piece (it usually does: try another prompt or a longer text).")
    piece = "".join(ch if ch == " " else compute.visible(ch) for ch in loop.piece(g.text))
    return 1, (f"From character {loop.start + 1} on, the same {loop.period} characters repeat to the end "
               f"({loop.repeats:.1f} times): “{piece}”. With top-k = 1 nothing is random: the next "
               "character depends only on the state, and the next state only on that state and the character "
               "fed back, so once a state comes back, everything after it comes back too.")


def step_said(g: compute.Generation, t: int) -> str:
    """Under the heatmap at step t: what was drawn, how likely, and the model's rank for it (plain text)."""
    s = t - 1
    drawn = compute.visible(g.text[s])
    return (f"At step {t} it drew “{drawn}”, the model's number {int(g.rank[s])} choice, with p = {g.p_chosen[s]:.1%} "
            f"after τ and top-k; the distribution it drew from had {g.entropy_bits[s]:.2f} bits of entropy.")


# The lead under the page's title (issue 22: one or two sentences, then the main view at once).
LEAD = INTRO.split(" Below,")[0]
LEAD_YOURS = LEAD.replace("A character-level model trained on Shakespeare continues",
                          "Your own character-level model, trained or loaded on the Your text page, continues")
