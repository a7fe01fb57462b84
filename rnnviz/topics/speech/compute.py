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
    return listen(model, word, wave, synth.sample_rate(), beam)


def listen(model: SpeechCTC, word: str, wave: np.ndarray, sr: int, beam: int = 8) -> Hearing:
    """The model's hearing of `wave` (samples at `sr`), its CER counted against `word`."""
    raw = audio.log_mel_raw(wave, sr)
    p = model.probs(audio.normalise(raw)).numpy().astype(np.float64)   # (T, K): on the run's own thread, set up by
    #     ui.fragment (an earlier long-lived thread here hid a thread's default of one OpenMP thread per core)
    g, g_logp = ctc.greedy(p)
    b, b_logp = ctc.beam_search(p, beam)
    return Hearing(word, wave, sr, raw, p, ctc.collapse_steps(p.argmax(1)), letters(g), g_logp,
                   letters(b), b_logp, ctc.text_logprob(p, g))


# ----- a recording (st.audio_input): a WAV file from the browser's microphone

MAX_SECONDS = 4.0            # of a recording, read; the word itself is cut out of it (trim) and kept to 2.5 s
MAX_WORD_SECONDS = 2.5


@dataclass
class Recording:
    wave: np.ndarray             # (N,) float32 at synth.sample_rate(), the word cut out of the silence around it
    messages: list[str] = field(default_factory=list)


def read_recording(data: bytes) -> Recording:
    """A WAV file (PCM 8/16/32-bit, mono or stereo, any rate) → the word in it, at eSpeak's rate, or a message."""
    import io
    import wave as wavmod
    try:
        with wavmod.open(io.BytesIO(data)) as w:
            channels, width, rate = w.getnchannels(), w.getsampwidth(), w.getframerate()
            frames = w.readframes(min(w.getnframes(), int(MAX_SECONDS * rate)))
            cut = w.getnframes() > MAX_SECONDS * rate
    except (wavmod.Error, EOFError, ValueError) as e:
        return Recording(np.zeros(0, np.float32), [f"That recording could not be read as a WAV file ({e})."])
    if width not in (1, 2, 4) or rate < 4000:
        return Recording(np.zeros(0, np.float32), ["That recording's format is not one this page reads."])
    kind = {1: np.uint8, 2: "<i2", 4: "<i4"}[width]
    x = np.frombuffer(frames[:len(frames) // (width * channels) * width * channels], dtype=kind).astype(np.float64)
    x = (x - 128) / 128 if width == 1 else x / float(2 ** (8 * width - 1))
    x = x.reshape(-1, channels).mean(1)
    target = synth.sample_rate()
    if rate != target and len(x):                                    # linear interpolation onto eSpeak's rate
        x = np.interp(np.arange(int(len(x) * target / rate)) * rate / target, np.arange(len(x)), x)
    messages = [f"Only the first {MAX_SECONDS:.0f} s were read."] if cut else []
    word = trim(x.astype(np.float32), target)
    if len(word) > MAX_WORD_SECONDS * target:
        word = word[:int(MAX_WORD_SECONDS * target)]
        messages.append(f"The sound lasts more than {MAX_WORD_SECONDS} s: only its first {MAX_WORD_SECONDS} s "
                        "are heard.")
    if not len(word):
        messages.append("The recording is silent: nothing to hear. Check the microphone, and speak a little louder.")
    return Recording(word, messages)


def trim(x: np.ndarray, sr: int, share: float = 0.02, pad_s: float = 0.01) -> np.ndarray:
    """The stretch from the first to the last 10 ms block louder than `share` of the loudest block, with pad_s
    of margin: eSpeak's words start and end within a few ms of sound, a recording within seconds of quiet, and
    the model never heard a long silence (measured on eSpeak's words padded with 0.6 s of quiet: 6 in 8 came
    back spelled as without it at 2 % and 10 ms, 1 to 4 in 8 at 5–10 % or 20–50 ms)."""
    block = int(0.01 * sr)
    n = len(x) // block
    if n == 0:
        return x[:0]
    rms = np.sqrt((x[:n * block].reshape(n, block).astype(np.float64) ** 2).mean(1))
    if rms.max() < 1e-3:                                              # below -60 dBFS: silence
        return x[:0]
    loud = np.nonzero(rms >= share * rms.max())[0]
    start, end = max(loud[0] * block - int(pad_s * sr), 0), min((loud[-1] + 1) * block + int(pad_s * sr), len(x))
    return x[start:end]


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
