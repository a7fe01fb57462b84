"""What the Speech → letters page says: the intro, the controls' help, how to read the chart, the data, the
presets, the question and its answer, and the sentences written from a hearing or the held-out scores.

Fixed texts are constants; a text that quotes the model is a function of it, every number computed
(tests/topics/speech/ hold them). Typed words reach these sentences only as a–z (compute.prepare).
"""
from __future__ import annotations

import numpy as np

from rnnviz.topics.speech import compute

INTRO = ("**Many-to-many, unequal lengths.** A spoken word is a few dozen frames of sound, one every 15 ms; its "
         "spelling, a few letters. A bidirectional GRU hears every frame of a log-mel spectrogram and gives each "
         "letter, and one extra symbol, the **blank** (·: no new letter), a probability. "
         "Connectionist Temporal Classification (CTC) turns those frames into letters: take the likeliest "
         "symbol at every frame (the best path), merge repeats, drop the blanks. Training sums over every path "
         "that collapses to the right spelling, so nobody had to mark which frame is which letter. "
         "**It has only ever heard synthetic voices**: eSpeak NG, a rule-based speech synthesiser, said every "
         "word it learned from, in 40 voice settings, at different speeds and pitches, with and without noise. "
         "It has never heard a human, and it spells English as it sounds, so it makes the mistakes a child "
         "makes who writes by ear.")
HELP = {
    "hear": "Plays the word as the network heard it: this voice, speed and noise (synthesised by eSpeak NG on "
            "the app's server, nothing downloaded).",
    "word": f"One English word, letters a–z (at most {compute.MAX_LETTERS}). eSpeak NG says it, the network hears "
            "it. Capitals and accents are ignored; digits, spaces and symbols are left out with a note. Try words "
            "it never heard: most words you can think of are.",
    "voice": "Who says the word. The first four are among the training voices; the last two (a Scottish and a "
             "Caribbean English voice, in voice variants it never heard) were kept out of training entirely.",
    "speed": "slow 130, normal 175, fast 250 words per minute (training drew 130–259).",
    "noise": "White noise added to the sound: none; 20 dB (the noise's power 1/100 of the speech's); 8 dB "
             "(about 1/6). Training used none, 30, 20 and 12 dB.",
}
HOW_TO_READ = ("**Top: what it hears.** Each column is one frame (a 23 ms window, one every 15 ms); each row "
               "a mel band, low pitches at the bottom, high at the top; bright is loud. Vowels show "
               "as horizontal stripes (formants); s, f and "
               "sh as noise high up; silences dark. **Bottom: what it says.** At every frame, p(symbol), the blank "
               "on top; only the letters that reach 2 % somewhere get a row. Each frame's likeliest symbol is the "
               "**best path**: its letters are written under their columns, and where no letter is, the blank "
               "(·) won (the line under the chart spells the whole path, dots and all). Where no new letter "
               "starts, the blank can win; "
               "a blank is also what keeps a double letter two (in “letter”: t · t), for the collapse merges "
               "repeats before it drops blanks.")
DATA = ("**Where the voices come from.** Every sound here is synthetic, made by eSpeak NG 1.52 (the "
        "`espeakng-loader` package ships its library and voice data), a formant synthesiser that builds speech "
        "from rules, not recordings. Training: four English language voices (American, British RP, New York, "
        "English) × ten voice variants (male, female, Klatt), speeds 130–259 words per minute, pitches 20–79 "
        "on eSpeak's scale, white noise at none, 30, 20 or 12 dB. Words: the ten digits and about 500 everyday "
        "English words, **split by word**: the test words were never heard in training in any voice; they are "
        "scored in the training voices and in held-out voices (Scottish and Caribbean English, in four variants "
        "never used). A real voice, a room and a microphone sound different in ways these voices never do: "
        "expect it to do much worse on you than on them.")
BASELINES = ("**The baselines.** *Saying nothing* deletes every letter: CER 100 %. *The nearest training word by "
             "dynamic time warping* (DTW, the classic template recogniser of the 1970s) stretches and squeezes the "
             "new spectrogram in time to fit each training word's (one clean template each, said by the American "
             "voice at normal speed) and answers with the closest. It can only ever answer with a word it knows, "
             "so on new words it is always wrong: its CER says how far the nearest word it knows is "
             "from the right one.")
MIC = ("**Honestly: it has never heard a human.** Every word it learned was said by eSpeak NG, a synthesiser "
       "whose voices are cleaner, steadier and more alike than any person's, in a silent room with no microphone. "
       "Your voice, your accent, the room's echo and the microphone's colour are all new to it; even 50 ms of "
       "silence before and after a digit it spells right makes it misspell most of them (eSpeak's words start at "
       "once; the page cuts your recording to the word, as well as it can). Expect it to do much worse "
       "on you than on its test words: that gap is the lesson. Say the word in the box above, once, close to "
       "the microphone. The recording stays in this browser tab's session on the server and is never stored.")
EQUATIONS = [
    ("A **path** π is one symbol per frame (letters or the blank ·); ℬ merges repeats, then drops blanks:",
     r"\mathcal{B}(\texttt{ss\cdot eee\cdot vv\cdot e\cdot nn}) = \texttt{seven}, \qquad "
     r"p(\pi \mid x) = \prod_{t=1}^{T} p_t(\pi_t \mid x)"),
    ("The probability of a spelling y sums over every path that collapses to it (the forward recursion computes "
     "it in O(T·|y|)); CTC training minimises its negative log:",
     r"p(y \mid x) = \sum_{\pi:\ \mathcal{B}(\pi) = y} p(\pi \mid x), \qquad "
     r"\mathcal{L}_{\text{CTC}} = -\ln p(y \mid x)"),
    ("**Greedy** decoding collapses the single best path; **beam search** keeps the few likeliest prefixes, each "
     "with its probability summed over the paths seen so far, ending in a blank or in its last letter:",
     r"\hat y_{\text{greedy}} = \mathcal{B}\big(\arg\max_{\pi} p(\pi\mid x)\big) \quad\text{vs}\quad "
     r"\hat y \approx \arg\max_{y} p(y\mid x)"),
]


def collapse_lines(h: compute.Hearing) -> list[tuple[str, str]]:
    """(step, symbols) for the collapse shown step by step: the best path, merged, blanks dropped."""
    c = h.collapse
    return [("best path (one symbol per frame)", compute.letters(c.path)),
            ("merge repeats", compute.letters(c.merged)),
            ("drop blanks", compute.letters(c.letters) or "(nothing)")]


def verdict(h: compute.Hearing, beam_width: int = 8) -> str:
    """Greedy against beam, with their probabilities and the CER against the typed word (markdown; only a–z)."""
    g, b = h.greedy or "(nothing)", h.beam or "(nothing)"
    return (f"**Greedy** `{g}`: its best path alone p = {np.exp(h.greedy_logp):.2g}, the spelling over all its "
            f"paths {np.exp(h.greedy_text_logp):.0%}, CER {h.cer('greedy'):.0%}. **Beam** (width {beam_width}) "
            f"`{b}`: p ≈ {np.exp(h.beam_logp):.0%}, CER {h.cer('beam'):.0%}.")


def result(h: compute.Hearing, beam_width: int = 8) -> str:
    """Under the chart, two lines of markdown: the collapse step by step, then greedy against beam."""
    (_, path), (_, merged), (_, out) = collapse_lines(h)
    return (f"Best path `{path}` → merge repeats `{merged}` → drop blanks `{out}`  \n" + verdict(h, beam_width))


def mic_said(h: compute.Hearing) -> str:
    """Under a recording's chart: what it spelled against the word in the box (plain words; only a–z)."""
    return (f"From your {h.seconds:.2f} s ({len(h.p)} frames) it spells “{h.greedy or '(nothing)'}” (greedy) and "
            f"“{h.beam or '(nothing)'}” (beam): character error rate {h.cer('greedy'):.0%} and {h.cer('beam'):.0%} "
            f"against “{h.word}”, the word in the box.")


def heard_said(h: compute.Hearing) -> str:
    blank = float(np.mean(h.collapse.path == 0)) if isinstance(h.collapse.path, np.ndarray) else \
        float(np.mean([k == 0 for k in h.collapse.path]))
    return (f"“{h.word}” lasts {h.seconds:.2f} s: {len(h.p)} frames for {len(h.word)} letters; the blank is the "
            f"likeliest symbol in {blank:.0%} of them. Greedy spells “{h.greedy}”, beam search “{h.beam}”.")


def scores_short(m: dict) -> str:
    """Under the controls: the held-out scores in one sentence."""
    return (f"On words it never heard: {m['test_cer_greedy']:.0%} of the letters wrong (greedy; beam "
            f"{m['test_cer_beam']:.0%}), against {m['test_cer_dtw']:.0%} for the nearest training word by DTW.")


def scores_caption(m: dict) -> str:
    return (f"On words it never heard, said in its training voices, the network gets {m['test_cer_greedy']:.0%} of "
            f"the letters wrong with greedy decoding ({m['test_cer_beam']:.0%} with beam search; "
            f"{m['test_word_accuracy_greedy']:.0%} of the words exactly right); the nearest training word by DTW "
            f"{m['test_cer_dtw']:.0%}; saying nothing 100 %. In voices it never heard: greedy "
            f"{m['test_new_voices_cer_greedy']:.0%}, DTW {m['test_new_voices_cer_dtw']:.0%}.")


# ----- what to try, and the question

PRESETS = [
    ("seven: a word it trained on", {"word": "seven"},
     "The digits were all in training, in many voices. Find the five spikes of s, e, v, e, n between the blanks."),
    ("monkey: a word it never heard", {"word": "monkey"},
     "“monkey” is one of the test words, never heard in training in any voice. Which letters does it hear, "
     "and which does it spell the way they sound?"),
    ("family: greedy against beam", {"word": "family"},
     "Another test word. Compare the two transcripts under the chart: greedy follows the single best path, "
     "beam search adds up all the paths to each spelling."),
    ("letter: a double t", {"word": "letter"},
     "To spell a double letter, the best path needs a blank between the two t's, or the merge step joins "
     "them into one. Look at the best path under the chart."),
]
QUESTION_WORD, QUESTION_VOICE = "seven", "American man"
QUESTION = ("“seven” was in training, in many voices, some with noise down to 12 dB. Now it is said with "
            "**a lot of noise (8 dB)**, more than it ever heard. What will greedy decoding spell?")
ANSWERS = ["still “seven”, exactly", "a near miss: one or two letters wrong", "mostly wrong, or nothing"]
QUESTION_WHY = ("A network trained on clean-ish speech has never seen noise this strong: the quiet parts of the "
                "spectrogram (the s, the v) drown first, the loud vowels survive longest. Set noise to “a lot” "
                "above and compare the two spectrograms and the blank row.")


def answer(h: compute.Hearing) -> tuple[int, str]:
    """The question's answer from the hearing of QUESTION_WORD at 8 dB (computed, not hoped)."""
    err = h.cer("greedy")
    index = 0 if err == 0 else 1 if err <= 0.4 else 2
    return index, (f"With 8 dB of noise greedy decoding spells “{h.greedy or '(nothing)'}” (CER {err:.0%}), beam "
                   f"search “{h.beam or '(nothing)'}”. " + QUESTION_WHY)
