"""The spoken words: synthesised with eSpeak NG (synth.py) from a fixed vocabulary, voices, rates, pitches
and noise levels, all drawn from one seeded NumPy generator: synthetic speech, nothing recorded.

    split(seed)                    # Split(train, validation, test): lists of words, disjoint (split BY WORD)
    renditions(words, voices, n, seed)   # [Utterance(word, voice, rate, pitch, snr_db)], n per word
    features(u)                    # (T, N_MELS) log-mel of the utterance (audio.logmel)

Held out by word: the test words were never heard in training, in any voice, so the character error rate
measures spelling from sound, not remembering a list. Held out by voice too: the TEST_VOICES variants
(and the Scottish and Caribbean English language voices) are never used in training; the test set is
scored in the training voices and, separately, in those.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rnnviz.topics.speech import audio, synth

# Digits and about 500 common English words (letters only), each once. A hand-made list: everyday words
# of one to four syllables, so the test words are ordinary too.
DIGITS = "zero one two three four five six seven eight nine".split()
WORDS = DIGITS + """
ten eleven twelve twenty thirty hundred thousand million first second third half
about above across after again against almost alone along already also always among animal another answer
anything apple area around arrive arm army art ask away baby back bad bag ball bank basket bed before begin
behind believe below best better between big bird black blue boat body book both bottle bottom box boy bread
break bright bring brother brown build burn busy buy cake call camera candle car card care carry castle cat
catch chair change cheap cheese child choose church circle city class clean clear clock close cloud coat coffee
cold colour come common cook cool corner count country cover cow cross crowd cry cup cut dance dark daughter
day dead dear deep desk dinner dirty doctor dog dollar door down draw dream dress drink drive drop dry duck
during early earth east easy eat egg empty end enough evening every example eye face fact fall family far
farm fast father fear feel few field fight fill find fine finger finish fire fish fix flat floor flower fly
follow food foot forest forget fork free fresh friend front fruit full funny game garden gate girl give glad
glass gold good grass great green ground group grow guess hair hand happy hard hat have head hear heart
heavy hello help here high hill hold hole home hope horse hot hour house hungry hurry ice idea inside island
jacket job join juice jump keep key kind king kitchen knife know lake lamp land large last late laugh lazy
learn leave left leg lemon letter light like line lion listen little live long look lose loud love low lucky
lunch machine make man many map market matter meat meet milk minute mirror money monkey month moon morning
mother mountain mouth move music name narrow near neck need never new news next nice night noise north nose
nothing number ocean office often old open orange other outside over paint paper parent park party pass pen
pencil people pepper person picture piece pink place plant plate play please pocket point poor potato power
present pretty problem pull purple push queen question quick quiet rabbit rain read ready real red remember
rest rice rich right river road rock room round rule run sad safe salt same sand school sea season seat see
sell send shape sheep shirt shoe short shout show sick side silver simple sing sister sit sky sleep slow
small smile snow soft song soon sound soup south speak spoon spring square stand star start station stay
stone stop story street strong student study sugar summer sun supper sure sweet swim table tail talk tall
teacher team tell thank thick thin thing think tiger today together tomorrow tongue tooth top town toy train
tree true turn uncle under until upon useful valley very village visit voice wait walk wall warm wash watch
water weak weather week welcome west wet wheel white window winter wish woman wonder wood word work world
write wrong yard year yellow young zebra
""".split()
assert len(set(WORDS)) == len(WORDS), "a word is listed twice"

# Voices: eSpeak NG's English language voices × its voice variants (espeak-ng-data/voices/!v). Training uses
# TRAIN_LANGUAGES × TRAIN_VARIANTS; the held-out voices are the other language voices with the other variants.
TRAIN_LANGUAGES = ("en-us", "en", "en-gb-x-rp", "en-us-nyc")
TRAIN_VARIANTS = ("m1", "m2", "m3", "m5", "f1", "f2", "f3", "klatt", "klatt3", "")
TEST_LANGUAGES = ("en-gb-scotland", "en-029")
TEST_VARIANTS = ("m4", "m6", "f4", "f5")
RATES = (130, 260)          # words per minute, drawn uniformly (eSpeak's default 175)
PITCHES = (20, 80)          # eSpeak's 0–99 scale, drawn uniformly
SNRS = (np.inf, np.inf, 30.0, 20.0, 12.0)   # dB: two in five clean, the rest with white noise
SPLIT_SEED = 2513
VAL_SHARE, TEST_SHARE = 0.08, 0.15


def voice_name(language: str, variant: str) -> str:
    return f"{language}+{variant}" if variant else language


def train_voices() -> list[str]:
    return [voice_name(lang, v) for lang in TRAIN_LANGUAGES for v in TRAIN_VARIANTS]


def test_voices() -> list[str]:
    return [voice_name(lang, v) for lang in TEST_LANGUAGES for v in TEST_VARIANTS]


@dataclass(frozen=True)
class Split:
    train: list[str]
    validation: list[str]
    test: list[str]


def split(seed: int = SPLIT_SEED) -> Split:
    """The words, shuffled by a seeded generator, cut into train / validation / test (disjoint words). The
    ten digit words are always in training (the page's presets say them)."""
    rng = np.random.default_rng(seed)
    rest = [w for w in WORDS if w not in DIGITS]
    order = [rest[i] for i in rng.permutation(len(rest))]
    n_test, n_val = round(TEST_SHARE * len(WORDS)), round(VAL_SHARE * len(WORDS))
    return Split(train=sorted(DIGITS + order[n_test + n_val:]), validation=sorted(order[n_test:n_test + n_val]),
                 test=sorted(order[:n_test]))


@dataclass(frozen=True)
class Utterance:
    word: str
    voice: str
    rate: int
    pitch: int
    snr_db: float
    noise_seed: int

    def wave(self) -> np.ndarray:
        clean = synth.say(self.word, self.voice, self.rate, self.pitch)
        return audio.add_noise(clean, self.snr_db, np.random.default_rng(self.noise_seed))


def renditions(words: list[str], voices: list[str], per_word: int, seed: int) -> list[Utterance]:
    """per_word utterances of each word: voice, rate, pitch and noise level drawn from one seeded generator."""
    rng = np.random.default_rng(seed)
    out = []
    for word in words:
        for _ in range(per_word):
            out.append(Utterance(word, voices[int(rng.integers(len(voices)))], int(rng.integers(*RATES)),
                                 int(rng.integers(*PITCHES)), float(SNRS[int(rng.integers(len(SNRS)))]),
                                 int(rng.integers(2 ** 31))))
    return out


def features(u: Utterance) -> np.ndarray:
    return audio.logmel(u.wave(), synth.sample_rate())
