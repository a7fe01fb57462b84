"""What the Speech → letters page computes (no Streamlit): a typed word made ready, said, heard and spelled.

    prep = prepare("Seven!")                 # Prepared(word="seven", messages=[...])
    h = hear(model, "seven", "en-us", 175, 50, snr_db=inf)   # Hearing: wave, spectrogram, p, collapse, transcripts
    DTW(words, templates).nearest(feats)     # the baseline: the nearest training word by dynamic time warping
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import numpy as np

from rnnviz.topics.speech import audio, ctc, synth
from rnnviz.topics.speech.model import ALPHABET, SpeechCTC

MAX_LETTERS = synth.MAX_LETTERS
VOICES = {                                   # label → eSpeak voice; the first four are training voices
    "American man": "en-us+m3", "British woman": "en-gb-x-rp+f2", "New York woman": "en-us-nyc+f1",
    "English robot": "en+klatt", "Scottish man (never heard)": "en-gb-scotland+m4",
    "Caribbean woman (never heard)": "en-029+f4",
}
SPEEDS = {"slow": 130, "normal": 175, "fast": 250}
NOISES = {"none": np.inf, "20 dB": 20.0, "8 dB": 8.0}


@dataclass
class Prepared:
    word: str
    messages: list[str] = field(default_factory=list)


def prepare(typed: str) -> Prepared:
    """Lowercase; accents dropped (é → e); anything but a–z removed with a note; at most MAX_LETTERS kept."""
    text = (typed or "").strip()
    if not text:
        return Prepared("", ["Type a word (letters a–z) to hear it and see what the network spells."])
    plain = unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode()
    word = re.sub(r"[^a-z]", "", plain)
    messages = []
    if " " in text.strip():
        messages.append("One word at a time: the spaces were removed and the words run together.")
    dropped = sorted(set(c for c in text.lower() if not ("a" <= c <= "z")) - {" "})
    if dropped:
        messages.append("Only the letters a–z are said and spelled; left out: " + " ".join(dropped[:12]) + ".")
    if len(word) > MAX_LETTERS:
        messages.append(f"Only the first {MAX_LETTERS} letters are said ({len(word)} typed).")
        word = word[:MAX_LETTERS]
    if not word:
        messages.append("No letters a–z left to say.")
    return Prepared(word, messages)


@dataclass
class Hearing:
    word: str
    wave: np.ndarray             # (N,) float samples at `rate`
    rate: int
    spectrogram: np.ndarray      # (T, M) ln mel power (what the chart shows)
    p: np.ndarray                # (T, K) p(symbol) per frame; column 0 the blank
    collapse: ctc.Collapse       # best path → merged → letters
    greedy: str
    greedy_logp: float           # ln p(best path): one path
    beam: str
    beam_logp: float             # ln p(beam's text): summed over its paths (those the beam kept)
    greedy_text_logp: float      # ln p(greedy's text), summed over all its paths (exact)

    @property
    def seconds(self) -> float:
        return len(self.wave) / self.rate

    def cer(self, which: str = "greedy") -> float:
        return ctc.cer(self.greedy if which == "greedy" else self.beam, self.word)


def letters(ks) -> str:
    return "".join(ALPHABET[k] for k in ks)


def hear(model: SpeechCTC, word: str, voice: str, rate: int, pitch: int = 50, snr_db: float = np.inf,
         seed: int = 0, beam: int = 8) -> Hearing:
    """Say `word` (prepared), add noise (seeded), compute its log-mel frames and run the model on them."""
    wave = synth.say(word, voice, rate, pitch)
    wave = audio.add_noise(wave, snr_db, np.random.default_rng(seed))
    sr = synth.sample_rate()
    raw = audio.log_mel_raw(wave, sr)
    p = model.probs(audio.normalise(raw)).numpy().astype(np.float64)
    g, g_logp = ctc.greedy(p)
    b, b_logp = ctc.beam_search(p, beam)
    return Hearing(word, wave, sr, raw, p, ctc.collapse_steps(p.argmax(1)), letters(g), g_logp,
                   letters(b), b_logp, ctc.text_logprob(p, g))


class DTW:
    """Nearest-template recognition by dynamic time warping: the distance between two utterances is the least
    total Euclidean frame distance along a monotone alignment (steps (1,0), (0,1), (1,1)), divided by the two
    lengths summed; the answer is the template word at the least distance. Vectorised over the templates."""

    def __init__(self, words: list[str], templates: list[np.ndarray]):
        self.words = list(words)
        self.lengths = np.array([len(t) for t in templates])
        width = int(self.lengths.max())
        self.stack = np.zeros((len(templates), width, templates[0].shape[1]), np.float32)   # (K, Tmax, M)
        for k, t in enumerate(templates):
            self.stack[k, :len(t)] = t

    def distances(self, feats: np.ndarray) -> np.ndarray:
        sq = (feats ** 2).sum(1)[None, :, None] + (self.stack ** 2).sum(2)[:, None, :] \
            - 2 * np.einsum("tm,kwm->ktw", feats, self.stack)                                   # (K, T, Tmax)
        cost = np.sqrt(np.maximum(sq, 0.0))
        K, T, W = cost.shape
        D = np.full((K, T + 1, W + 1), np.inf)
        D[:, 0, 0] = 0.0
        for d in range(2, T + W + 1):                   # anti-diagonals i + j = d: each needs only d - 1 and d - 2
            i = np.arange(max(1, d - W), min(T, d - 1) + 1)
            j = d - i
            D[:, i, j] = cost[:, i - 1, j - 1] + np.minimum(np.minimum(D[:, i - 1, j], D[:, i, j - 1]),
                                                            D[:, i - 1, j - 1])
        return D[np.arange(K), T, self.lengths] / (T + self.lengths)

    def nearest(self, feats: np.ndarray) -> str:
        return self.words[int(np.argmin(self.distances(feats)))]
