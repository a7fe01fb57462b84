"""The speech model: a bidirectional GRU that hears a synthetic spoken word and spells it, trained with CTC.

    python -m rnnviz.train speech            # synthesise → train → evaluate → pretrained/speech.safetensors
    python -m rnnviz.train speech --check    # retrain in a temporary folder, compare with the manifest

Data (rnnviz.topics.speech.data): eSpeak NG says each training word PER_WORD times, each time in a voice,
rate, pitch and noise level drawn from one seeded generator; the features are log-mel spectrograms
(rnnviz.topics.speech.audio). Held out by word (the test words are never heard in training) and scored
twice: in the training voices and in held-out voices.

Batches: utterances of similar length together (sorted by length with a little seeded jitter, then cut),
each padded at its end with copies of its last frame (silence: eSpeak's words end in silence), so the GRU
runs on a plain padded tensor (packing cost three times the time) and the padding sounds like more quiet.

Scored by the character error rate (edit distance / letters) of the greedy and the beam-search transcripts,
against two honest baselines: saying nothing (CER 1) and the nearest training word by dynamic time warping
(compute.DTW: a template of each training word in one reference voice, the closest by DTW distance on the
log-mel frames), the classic pre-neural recogniser, which can only ever answer with a word it knows.
"""
from __future__ import annotations

import time
from dataclasses import asdict, dataclass, replace

import numpy as np
import torch
from torch import nn

from rnnviz import train
from rnnviz.topics.speech import audio, ctc, data
from rnnviz.topics.speech.compute import DTW
from rnnviz.topics.speech.model import ALPHABET, SpeechCTC, encode

TOLERANCE = 0.03      # a rebuild's greedy test CER must land within this of the manifest's
THREADS = 1


@dataclass(frozen=True)
class Recipe:
    hidden_size: int = 96
    num_layers: int = 2
    dropout: float = 0.2          # between the two GRU layers
    per_word: int = 12            # utterances of each training word
    eval_per_word: int = 3        # of each validation / test word, per voice group
    steps: int = 2000
    batch: int = 48
    lr: float = 3e-3
    clip: float = 1.0
    seed: int = 0
    split_seed: int = data.SPLIT_SEED
    beam: int = 8


def _pad(feats: list[np.ndarray]) -> tuple[torch.Tensor, torch.Tensor]:
    """(x (T, B, M) each padded with its own last frame, lengths (B,))."""
    T = max(len(f) for f in feats)
    x = np.stack([np.concatenate([f, np.repeat(f[-1:], T - len(f), 0)]) for f in feats], axis=1)
    return torch.from_numpy(x), torch.tensor([len(f) for f in feats])


@torch.no_grad()
def transcribe(model: SpeechCTC, feats: list[np.ndarray], beam: int = 0) -> list[str]:
    """Greedy (beam = 0) or beam-search transcripts, one utterance at a time (no padding at all)."""
    model.eval()
    out = []
    for f in feats:
        p = model.probs(f).numpy()
        letters = ctc.beam_search(p, beam)[0] if beam else ctc.greedy(p)[0]
        out.append("".join(ALPHABET[k] for k in letters))
    return out


def mean_cer(hyps: list[str], refs: list[str]) -> float:
    return float(np.mean([ctc.cer(h, r) for h, r in zip(hyps, refs)]))


def fit(recipe: Recipe, log=print) -> tuple[SpeechCTC, dict]:
    torch.set_num_threads(THREADS)
    start, cpu_start = time.perf_counter(), time.process_time()
    words = data.split(recipe.split_seed)
    train_set = data.renditions(words.train, data.train_voices(), recipe.per_word, recipe.seed + 1)
    feats = [data.features(u) for u in train_set]
    targets = [torch.tensor(encode(u.word)) for u in train_set]
    lengths = np.array([len(f) for f in feats])
    evals = {"val": data.renditions(words.validation, data.train_voices(), recipe.eval_per_word, recipe.seed + 2),
             "test": data.renditions(words.test, data.train_voices(), recipe.eval_per_word, recipe.seed + 3),
             "test_new_voices": data.renditions(words.test, data.test_voices(), recipe.eval_per_word, recipe.seed + 4)}
    eval_feats = {k: [data.features(u) for u in us] for k, us in evals.items()}
    log(f"speech: {len(train_set):,} training utterances synthesised in {time.perf_counter() - start:.0f} s")

    model = SpeechCTC(audio.N_MELS, recipe.hidden_size, recipe.num_layers, recipe.dropout)
    train.init_parameters(model, torch.Generator().manual_seed(recipe.seed))
    gen = np.random.default_rng(recipe.seed)
    order: list[np.ndarray] = []
    loss_ctc = nn.CTCLoss(blank=0, zero_infinity=True)
    history = []

    def batch(step):
        if not order:                                  # a new epoch: length-sorted with jitter, cut, shuffled
            ranked = np.argsort(lengths + gen.uniform(0, 4, len(lengths)), kind="stable")
            cuts = [ranked[i:i + recipe.batch] for i in range(0, len(ranked), recipe.batch)]
            order.extend(cuts[i] for i in gen.permutation(len(cuts)))
        idx = order.pop()
        x, x_len = _pad([feats[i] for i in idx])
        y = [targets[i] for i in idx]
        return (x, x_len), (torch.cat(y), torch.tensor([len(t) for t in y]))

    def loss_fn(m, inputs, ys):
        x, x_len = inputs
        return loss_ctc(m(x), ys[0], x_len, ys[1])

    def report(step, info):
        if (step + 1) % 250:
            return
        refs = [u.word for u in evals["val"]]
        val = mean_cer(transcribe(model, eval_feats["val"]), refs)
        history.append({"step": step + 1, "loss": round(info["loss"], 4), "val_cer_greedy": round(val, 4)})
        log(f"speech: step {step + 1:5d}  loss {info['loss']:.3f}  validation CER (greedy) {val:.3f}")

    train.fit(model, batch, loss_fn, recipe.steps, recipe.lr, recipe.clip, report)
    train_minutes = (time.perf_counter() - start) / 60

    r4 = lambda x: round(float(x), 4)                                                      # noqa: E731
    ref_voice = data.Utterance  # the DTW templates: every training word once, in the reference voice, clean
    templates = [data.features(ref_voice(w, "en-us", 175, 50, float("inf"), 0)) for w in words.train]
    dtw = DTW(words.train, templates)
    metrics, examples = {}, {}
    for key, us in evals.items():
        refs = [u.word for u in us]
        greedy, beam = transcribe(model, eval_feats[key]), transcribe(model, eval_feats[key], recipe.beam)
        metrics[f"{key}_cer_greedy"] = r4(mean_cer(greedy, refs))
        metrics[f"{key}_cer_beam"] = r4(mean_cer(beam, refs))
        metrics[f"{key}_word_accuracy_greedy"] = r4(np.mean([h == r for h, r in zip(greedy, refs)]))
        if key != "val":
            nearest = [dtw.nearest(f) for f in eval_feats[key]]
            metrics[f"{key}_cer_dtw"] = r4(mean_cer(nearest, refs))
            metrics[f"{key}_cer_empty"] = 1.0
            examples[key] = [[r, g, b, n] for r, g, b, n in list(zip(refs, greedy, beam, nearest))[::9][:12]]
    seen = data.renditions(words.train[:60], data.train_voices(), 1, recipe.seed + 5)
    metrics["train_words_cer_greedy"] = r4(mean_cer(transcribe(model, [data.features(u) for u in seen]),
                                                    [u.word for u in seen]))
    metrics["train_words_cer_dtw"] = r4(mean_cer([dtw.nearest(data.features(u)) for u in seen], [u.word for u in seen]))
    minutes = (time.perf_counter() - start) / 60
    info = {
        "arch": {"class": "SpeechCTC", "n_mels": audio.N_MELS, "hidden_size": recipe.hidden_size,
                 "num_layers": recipe.num_layers, "alphabet": ALPHABET},
        "task": "spoken word → letters (many-to-many, unequal lengths; bidirectional GRU + CTC)",
        "data": {"source": "synthesised with eSpeak NG (espeakng-loader==0.2.4) at training time: no recording",
                 "split_seed": recipe.split_seed,
                 "words": {"train": len(words.train), "validation": len(words.validation), "test": len(words.test)},
                 "test_words": words.test,
                 "utterances": {"train": len(train_set), **{k: len(v) for k, v in evals.items()}},
                 "train_voices": data.train_voices(), "test_voices": data.test_voices(),
                 "rates": list(data.RATES), "pitches": list(data.PITCHES),
                 "snr_db": [None if not np.isfinite(s) else s for s in data.SNRS],
                 "features": {"n_fft": audio.N_FFT, "hop_seconds": audio.HOP_SECONDS, "n_mels": audio.N_MELS,
                              "f_min": audio.F_MIN, "f_max": audio.F_MAX}},
        "hyper": asdict(recipe),
        "parameters": model.count_parameters(),
        "metrics": metrics,
        "examples": examples,
        "check": {"metric": "test_cer_greedy", "tolerance": TOLERANCE},
        "rebuild": "eSpeak NG is not bit-for-bit repeatable (rnnviz/topics/speech/synth.py): a rebuild hears "
                   "slightly different samples, so its weights differ; its test CER lands within the tolerance",
        "baseline": {"dtw": "nearest training word by dynamic time warping (Euclidean frame distance, steps "
                            "(1,0), (0,1), (1,1)) to one clean template per training word in the voice en-us "
                            "at 175 words per minute (rnnviz.topics.speech.compute.DTW)",
                     "empty": "saying nothing: every letter deleted, CER 1"},
        "history": history,
        "command": "python -m rnnviz.train speech",
        "train_minutes": round(train_minutes, 2),
        "minutes": round(minutes, 2),
        "cpu_minutes_per_core": round((time.process_time() - cpu_start) / 60 / THREADS, 2),
        "threads": THREADS,
        "torch": torch.__version__,
    }
    return model, info


def build(log=print, **changes) -> tuple[SpeechCTC, dict]:
    """Synthesise, train by the recipe (fields overridden by `changes`, e.g. steps=20 in a test), evaluate."""
    recipe = replace(Recipe(), **changes)
    with train.seeded_dropout(recipe.seed):
        return fit(recipe, log=log)


RECIPES = {"speech": build}
