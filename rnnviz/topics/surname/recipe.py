"""The surname model: a character-level GRU that reads a surname and names its language (many-to-one).

    python -m rnnviz.train surname            # data → train → evaluate → pretrained/surname.safetensors
    python -m rnnviz.train surname --check    # retrain in a temporary folder, compare with the manifest

Data (rnnviz.topics.surname.data): Faker's per-locale surname lists in 17 Latin-script languages, one word
each, lowercase; a fixed, seeded split by name, stratified by language (75 / 10 / 15 %); a name found
under several languages is kept for training only, once under each.

Balanced sampling: the lists are very unbalanced (Polish 3,890 names, Indonesian 173), so each training
example first draws a language uniformly, then one of its training names. Without it the model learns
that a name is probably Polish; with it every language weighs the same, which is what the per-language
(balanced) accuracy measures. The test split keeps the lists' own proportions, so both accuracies are
reported, each against its baselines:
- majority: always the largest language of the training names (Polish);
- a character-bigram naive Bayes (lessons.surname.BigramNB), fitted on the same training pairs, with a
  uniform prior like the GRU's balanced batches. It sees which letter pairs occur, not their order.

The model (rnnviz.shared.classifier.SequenceClassifier, level="char"): each letter's embedding → one GRU layer → a
softmax over the languages after every letter. Only the last letter's output is trained (the
many-to-one form); the page reads every step's output to show the verdict forming. A few training
letters are replaced by the unknown token (letter dropout), so a letter the model never saw on the
page is read as something it has met in training.

Reproducible: one torch.Generator seeded by the recipe draws the initial weights, the batches and the
letter dropout; train.seeded_dropout seeds nn.Dropout's masks; one thread (THREADS); a fixed number of
steps (no early stopping). `--check` must land within TOLERANCE of the shipped test accuracy.
"""
from __future__ import annotations

import collections
import time
from dataclasses import asdict, dataclass, replace

import torch
from torch import nn

from rnnviz import train
from rnnviz.topics.surname import data as surnames
from rnnviz.topics.surname.compute import BigramNB, scores
from rnnviz.shared.layers import PAD, UNK
from rnnviz.shared.classifier import SequenceClassifier

TOLERANCE = 0.01      # a rebuild's test accuracy must land within this of the manifest's
# One thread, not train.THREADS: these tensors are tiny (128 names × ~12 letters × 128 units), and on the
# shared 2-core machine a training step took 16-23 ms on one thread against 150-1,100 ms on two (OpenMP
# threads waiting for a core another process holds). One thread is as deterministic, and is how the app runs.
THREADS = 1


@dataclass(frozen=True)
class Recipe:
    kind: str = "gru"
    embed_size: int = 32
    hidden_size: int = 128
    dropout: float = 0.3          # on the embeddings and on the read-out's input: at 0.1 the model knew
                                  # 93 % of its training names and 71 % of the validation ones; at 0.3, 86 / 72
    letter_dropout: float = 0.05  # share of training letters replaced by <unk>
    min_count: int = 3            # a letter seen fewer times in the training names is read as <unk>
    steps: int = 6000
    batch: int = 128              # names per step, each from a uniformly drawn language
    lr: float = 3e-3
    clip: float = 1.0
    seed: int = 0
    split_seed: int = surnames.SPLIT_SEED


def alphabet(examples: list[tuple[str, str]], min_count: int) -> list[str]:
    """PAD, UNK, then every letter seen at least min_count times in the training names, in code-point order."""
    counts = collections.Counter(ch for name, _ in examples for ch in name)
    return [PAD, UNK, *sorted(ch for ch, n in counts.items() if n >= min_count)]


def _batch(model: SequenceClassifier, names: list[str]) -> tuple[torch.Tensor, torch.Tensor]:
    """(ids (T, B) padded with 0 at the end, lengths (B,))."""
    seqs = [model.encode(list(n)) for n in names]
    return nn.utils.rnn.pad_sequence(seqs), torch.tensor([len(s) for s in seqs])


@torch.no_grad()
def predict(model: SequenceClassifier, names: list[str], batch: int = 512) -> list[int]:
    model.eval()
    out = []
    for s in range(0, len(names), batch):
        ids, lengths = _batch(model, names[s:s + batch])
        out += model.last_logits(ids, lengths).argmax(1).tolist()
    return out


def fit(recipe: Recipe, log=print) -> tuple[SequenceClassifier, dict]:
    torch.set_num_threads(THREADS)
    gen = torch.Generator().manual_seed(recipe.seed)
    data = surnames.split(recipe.split_seed)
    classes = list(surnames.languages())
    index = {c: i for i, c in enumerate(classes)}
    by_language = [[n for n, lang in data.train if lang == c] for c in classes]
    model = SequenceClassifier(recipe.kind, alphabet(data.train, recipe.min_count), classes,
                               recipe.embed_size, recipe.hidden_size, "char", recipe.dropout)
    train.init_parameters(model, gen)
    val_names, val_y = [n for n, _ in data.validation], [index[c] for _, c in data.validation]
    history = []

    def batch(step):
        langs = torch.randint(0, len(classes), (recipe.batch,), generator=gen)          # uniform languages,
        picks = [int(torch.randint(0, len(by_language[c]), (1,), generator=gen)) for c in langs.tolist()]
        names = [by_language[c][k] for c, k in zip(langs.tolist(), picks)]              # then one name each
        ids, lengths = _batch(model, names)
        return (train.drop_tokens(ids, recipe.letter_dropout, gen), lengths), langs     # a letter → <unk>

    def loss_fn(m, inputs, langs):
        return nn.functional.cross_entropy(m.last_logits(*inputs), langs)

    def report(step, info):
        if (step + 1) % 500:
            return
        val = scores(val_y, predict(model, val_names), len(classes))
        history.append({"step": step + 1, "loss": round(info["loss"], 4), "val_accuracy": round(val["accuracy"], 4),
                        "val_balanced_accuracy": round(val["balanced_accuracy"], 4)})
        log(f"surname: step {step + 1:5d}  loss {info['loss']:.3f}  validation accuracy {val['accuracy']:.3f} "
            f"(balanced {val['balanced_accuracy']:.3f})")

    start, cpu_start = time.perf_counter(), time.process_time()
    train.fit(model, batch, loss_fn, recipe.steps, recipe.lr, recipe.clip, report)
    minutes = (time.perf_counter() - start) / 60
    cpu_minutes = (time.process_time() - cpu_start) / 60 / THREADS

    test_names, test_y = [n for n, _ in data.test], [index[c] for _, c in data.test]
    nb = BigramNB.fit(data.train, classes)
    rnn, bigram = scores(test_y, predict(model, test_names), len(classes)), scores(test_y, nb.predict(test_names),
                                                                                    len(classes))
    majority = index[collections.Counter(lang for _, lang in data.train).most_common(1)[0][0]]
    major = scores(test_y, [majority] * len(test_y), len(classes))
    val = scores(val_y, predict(model, val_names), len(classes))
    train_pairs = [(n, c) for n, c in data.train if n not in data.ambiguous]
    trained = scores([index[c] for _, c in train_pairs], predict(model, [n for n, _ in train_pairs]), len(classes))
    r4 = lambda x: round(float(x), 4)                                                     # noqa: E731
    metrics = {
        "test_accuracy": r4(rnn["accuracy"]), "test_balanced_accuracy": r4(rnn["balanced_accuracy"]),
        "bigram_accuracy": r4(bigram["accuracy"]), "bigram_balanced_accuracy": r4(bigram["balanced_accuracy"]),
        "majority_accuracy": r4(major["accuracy"]), "majority_balanced_accuracy": r4(major["balanced_accuracy"]),
        "chance_balanced_accuracy": r4(1 / len(classes)),
        "val_accuracy": r4(val["accuracy"]), "val_balanced_accuracy": r4(val["balanced_accuracy"]),
        "train_accuracy": r4(trained["accuracy"]),
    }
    counts = {c: {"names": len(surnames.languages()[c]),
                  "train": sum(lang == c for _, lang in data.train),
                  "validation": sum(lang == c for _, lang in data.validation),
                  "test": sum(lang == c for _, lang in data.test),
                  "shared": sum(c in langs for langs in data.ambiguous.values()),
                  "locales": [f"{loc}.{attr}" for loc, attr in surnames.SOURCES[c]]} for c in classes}
    info = {
        "arch": {"class": "SequenceClassifier", "kind": recipe.kind, "tokens": model.tokens, "classes": classes,
                 "embed_size": recipe.embed_size, "hidden_size": recipe.hidden_size, "level": "char",
                 "normalise": "NFC, straight apostrophes, lowercase (rnnviz.topics.surname.data.normalise)"},
        "task": "surname → language (many-to-one on characters; a verdict after every letter)",
        "data": {"source": surnames.SOURCE, "sha256": surnames.SHA256, "split_seed": recipe.split_seed,
                 "sizes": {"train": len(data.train), "validation": len(data.validation), "test": len(data.test),
                           "ambiguous_names": len(data.ambiguous)},
                 "languages": counts, "too_few": surnames.too_few(), "min_names": surnames.MIN_NAMES,
                 "left_out_not_one_word": {c: n for c, (_, n) in surnames.candidates().items()
                                           if c in counts and n}},
        "hyper": asdict(recipe),
        "parameters": model.count_parameters(),
        "metrics": metrics,
        "check": {"metric": "test_accuracy", "tolerance": TOLERANCE},
        "evaluation": {"test_support": rnn["support"],
                       "gru": {"per_language": [r4(x) for x in rnn["per_language"]], "confusion": rnn["confusion"]},
                       "bigram": {"per_language": [r4(x) for x in bigram["per_language"]],
                                  "confusion": bigram["confusion"]}},
        "baseline": {"kind": "character-bigram multinomial naive Bayes, add-one smoothing, uniform prior, "
                             "start/end markers ^ and $ (rnnviz.topics.surname.compute.BigramNB)",
                     "counts": nb.to_json()},
        "history": history,
        "command": "python -m rnnviz.train surname",
        "minutes": round(minutes, 2),
        "cpu_minutes_per_core": round(cpu_minutes, 2),
        "threads": THREADS,
        "torch": torch.__version__,
    }
    return model, info


def build(log=print, **changes) -> tuple[SequenceClassifier, dict]:
    """Fetch the data (set-up time only), train by the recipe (fields overridden by `changes`, e.g.
    steps=50 in a test), evaluate; return the model and its manifest entry."""
    surnames.fetch()
    recipe = replace(Recipe(), **changes)
    with train.seeded_dropout(recipe.seed):
        return fit(recipe, log=log)


RECIPES = {"surname": build}
