"""The part-of-speech taggers: a one-directional and a bidirectional LSTM that tag every word (aligned
many-to-many).

    python -m rnnviz.train tagger             # data → train → evaluate → pretrained/tagger.safetensors
    python -m rnnviz.train tagger_bi          # the same recipe, bidirectional
    python -m rnnviz.train tagger --check     # retrain in a temporary folder, compare with the manifest

Data (rnnviz.topics.tagging.data): Shakespeare's sentences of 3-30 tokens, tagged automatically by textblob's
bundled tagger at set-up time, Penn tags mapped to 12 universal tags; split by work: Hamlet and Macbeth
held out whole. So the models learn to imitate an automatic tagger, and their accuracy is agreement with
it on plays they never read.

Baselines on the same held-out tokens:
- most frequent tag per word (lowercased) in the training sentences; a word never seen gets the overall
  most frequent tag (NOUN). This is the classic baseline of tagging: it knows words, not context.
- majority: always NOUN.
The "unknown" scores are on words outside the taggers' vocabulary (seen fewer than min_count = 2 times
in training); the baseline knows the words seen once among them.

The two models differ only in `bidirectional`: the same embeddings (word, last-three-letters suffix, shape),
the same H units per direction, so the bidirectional one has a second cell reading right to left (about
1.3x the parameters here, most of which are the shared word embeddings).

Reproducible: one torch.Generator seeded by the recipe draws the initial weights, the batches and the
word dropout (a few training words replaced by <unk>, so unknown words on the page are read as something
met in training); train.seeded_dropout seeds nn.Dropout; one thread; a fixed number of steps.
"""
from __future__ import annotations

import collections
import time
from dataclasses import asdict, dataclass, replace

import torch
from torch import nn

from rnnviz import train
from rnnviz.topics.tagging import data as tagging
from rnnviz.topics.tagging.compute import MostFrequentTag, accuracy
from rnnviz.shared.layers import PAD, UNK
from rnnviz.topics.tagging.model import Tagger

TOLERANCE = 0.005     # a rebuild's held-out token accuracy must land within this of the manifest's
THREADS = 1           # tiny tensors: one thread is faster on the shared machine, and as deterministic


@dataclass(frozen=True)
class Recipe:
    kind: str = "lstm"
    bidirectional: bool = False
    embed_size: int = 32
    suffix_size: int = 16
    hidden_size: int = 64         # per direction
    dropout: float = 0.2
    word_dropout: float = 0.05    # share of training words read as <unk> (suffix and shape kept)
    min_count: int = 2            # a word seen fewer times in training is <unk>
    min_suffix: int = 5           # likewise for a last-three-letters suffix
    steps: int = 2000
    batch: int = 64               # sentences per step
    lr: float = 3e-3
    clip: float = 1.0
    seed: int = 0


def vocabulary(items, min_count: int) -> list[str]:
    counts = collections.Counter(items)
    return [PAD, UNK, *sorted(k for k, n in counts.items() if n >= min_count)]


def batch_of(model: Tagger, sentences: list) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """(feats (T, B, 3) padded with 0 at the end, tags (T, B) padded with -100, lengths (B,))."""
    index = {t: i for i, t in enumerate(model.tags)}
    feats = nn.utils.rnn.pad_sequence([model.encode(w) for w, _ in sentences])
    tags = nn.utils.rnn.pad_sequence([torch.tensor([index[t] for t in tg]) for _, tg in sentences],
                                     padding_value=-100)
    return feats, tags, torch.tensor([len(w) for w, _ in sentences])


@torch.no_grad()
def predict(model: Tagger, sentences: list, batch: int = 256) -> list[list[str]]:
    model.eval()
    out = []
    for s in range(0, len(sentences), batch):
        part = sentences[s:s + batch]
        feats, _, lengths = batch_of(model, part)
        best = model(feats, lengths).argmax(-1)                       # (T, B)
        out += [[model.tags[i] for i in best[:n, b].tolist()] for b, n in enumerate(lengths.tolist())]
    return out


def fit(recipe: Recipe, name: str, log=print) -> tuple[Tagger, dict]:
    torch.set_num_threads(THREADS)
    gen = torch.Generator().manual_seed(recipe.seed)
    train_set, test_set = tagging.split()
    words = [w.lower() for ws, _ in train_set for w in ws]
    model = Tagger(recipe.kind, vocabulary(words, recipe.min_count),
                   vocabulary((w[-3:] for w in words), recipe.min_suffix), list(tagging.TAGS),
                   recipe.embed_size, recipe.suffix_size, recipe.hidden_size, recipe.bidirectional, recipe.dropout)
    train.init_parameters(model, gen)
    history = []

    def batch(step):
        picks = torch.randint(0, len(train_set), (recipe.batch,), generator=gen).tolist()
        feats, tags, lengths = batch_of(model, [train_set[i] for i in picks])
        feats[..., 0] = train.drop_tokens(feats[..., 0], recipe.word_dropout, gen)   # suffix and shape kept
        return (feats, lengths), tags

    def loss_fn(m, inputs, tags):
        logits = m(*inputs)                                                       # (T, B, C)
        return nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), tags.reshape(-1),
                                           ignore_index=-100)

    def report(step, info):
        if (step + 1) % 250 == 0:
            history.append({"step": step + 1, "loss": round(info["loss"], 4)})
            log(f"{name}: step {step + 1:5d}  loss {info['loss']:.3f}")

    start = time.perf_counter()
    train.fit(model, batch, loss_fn, recipe.steps, recipe.lr, recipe.clip, report)
    minutes = (time.perf_counter() - start) / 60

    known = set(model.tokens[2:])
    truth = [tg for _, tg in test_set]
    unknown_mask = [[w.lower() not in known for w in ws] for ws, _ in test_set]
    guess = predict(model, test_set)
    base = MostFrequentTag.fit(train_set)
    base_guess = [base.tag(ws) for ws, _ in test_set]
    majority = [[base.default] * len(tg) for tg in truth]
    r4 = lambda x: round(float(x), 4)                                                   # noqa: E731
    metrics = {
        "test_accuracy": r4(accuracy(truth, guess)),
        "baseline_accuracy": r4(accuracy(truth, base_guess)),
        "majority_accuracy": r4(accuracy(truth, majority)),
        "test_unknown_accuracy": r4(accuracy(truth, guess, unknown_mask)),
        "baseline_unknown_accuracy": r4(accuracy(truth, base_guess, unknown_mask)),
        "test_unknown_share": r4(sum(map(sum, unknown_mask)) / sum(map(len, truth))),
        "train_accuracy_sample": r4(accuracy([tg for _, tg in train_set[:3000]], predict(model, train_set[:3000]))),
    }
    log(f"{name}: held-out accuracy {metrics['test_accuracy']:.4f} vs most-frequent-tag "
        f"{metrics['baseline_accuracy']:.4f} (unknown words {metrics['test_unknown_accuracy']:.4f} vs "
        f"{metrics['baseline_unknown_accuracy']:.4f})")
    info = {
        "arch": {"class": "Tagger", "kind": recipe.kind, "tokens": model.tokens, "suffixes": model.suffixes,
                 "tags": model.tags, "embed_size": recipe.embed_size, "suffix_size": recipe.suffix_size,
                 "hidden_size": recipe.hidden_size, "bidirectional": recipe.bidirectional},
        "task": "part-of-speech tagging (aligned many-to-many on words; automatic tags)",
        "data": {"source": tagging.SOURCE, "sha256": tagging.sha256(),
                 "wheel_sha256": tagging.WHEEL_SHA256, "held_out": list(tagging.HELD_OUT),
                 "sizes": {"train_sentences": len(train_set), "test_sentences": len(test_set),
                           "train_tokens": len(words), "test_tokens": sum(map(len, truth))},
                 "tags": {t: tagging.TAG_MEANING[t] for t in tagging.TAGS}},
        "hyper": asdict(recipe),
        "parameters": model.count_parameters(),
        "metrics": metrics,
        "check": {"metric": "test_accuracy", "tolerance": TOLERANCE},
        "baseline": {"kind": "most frequent tag per lowercased training word; unseen words get the overall "
                             f"most frequent tag ({base.default}) (rnnviz.topics.tagging.compute.MostFrequentTag)"},
        "history": history,
        "command": f"python -m rnnviz.train {name}",
        "minutes": round(minutes, 2),
        "threads": THREADS,
        "torch": torch.__version__,
    }
    return model, info


def build(name: str, bidirectional: bool, log=print, **changes) -> tuple[Tagger, dict]:
    """Fetch and tag the data (set-up time only), train by the recipe (fields overridden by `changes`,
    e.g. steps=20 in a test), evaluate; return the model and its manifest entry."""
    tagging.fetch()
    recipe = replace(Recipe(bidirectional=bidirectional), **changes)
    with train.seeded_dropout(recipe.seed):
        return fit(recipe, name, log=log)


RECIPES = {
    "tagger": lambda log=print, **changes: build("tagger", False, log, **changes),
    "tagger_bi": lambda log=print, **changes: build("tagger_bi", True, log, **changes),
}
