"""The sentiment model: a word-level LSTM that reads a movie-review sentence and says positive or negative.

    python -m rnnviz.train sentiment            # data → train → evaluate → pretrained/sentiment.safetensors
    python -m rnnviz.train sentiment --check    # retrain in a temporary folder, compare with the manifest
    python -m rnnviz.train sentiment_no_not     # the same recipe without the made-up "not WORD" examples

Data (rnnviz.topics.sentiment.data): Pang & Lee's Rotten Tomatoes sentences as rated by ≥ 20 people each for
Hutto & Gilbert (2014); a mean rating below 0.5 in size is dropped (the raters did not agree on a
side), which leaves 10,072 sentences, 49.6 % positive. A fixed, seeded, stratified split makes three
parts: train, validation (only to pick the epoch: early stopping) and test (the number the page shows).
The test sentences are movie sentences only and are never used to choose anything.

More training text from the same archive (the test set stays movie sentences): the other rated
collections (tweet-like texts, Amazon and New York Times sentences, same threshold) and VADER's lexicon,
each word one example labelled by the sign of its mean valence. The lexicon teaches single words such
as "good" or "dreadful" that the movie sentences use too rarely to learn alone. And, in `sentiment` only,
5,574 made-up two-word examples "not WORD", one for each clear lexicon word, labelled the opposite of the
word: "not good" and "not bad" are among them. `sentiment_no_not` is the same recipe with that one flag off
(Recipe.negated = False), so the page can show what those made-up examples taught and what they did not.

Baselines on the same test sentences: always the majority class of the training sentences, and naive
Bayes on which words occur (a bag of words: Pang & Lee's own baseline, word order thrown away), so the
page can show what reading in order adds.
"""
from __future__ import annotations

import collections
import copy
import math
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import torch
from torch import nn

from rnnviz import train
from rnnviz.topics.sentiment import data as vader
from rnnviz.topics.sentiment import negation
from rnnviz.topics.sentiment import compute as lesson
from rnnviz.topics.sentiment.compute import TOKENIZER, tokenize
from rnnviz.shared.layers import PAD, UNK
from rnnviz.shared.classifier import SequenceClassifier

CLASSES = ["negative", "positive"]
TOLERANCE = 0.01      # a rebuild's test accuracy must land within this of the manifest's
# One thread, as the surname recipe: batches of 64 short sentences are too small to share between two cores,
# and on a shared machine a second OpenMP thread mostly waits for a core (a 1.5-minute run took over 30).
THREADS = 1


@dataclass(frozen=True)
class Recipe:
    kind: str = "lstm"
    embed_size: int = 128         # chosen on validation: 64 / 96 reached 79.2 %, 128 / 128 79.8 % (2-thread trials)
    hidden_size: int = 128
    dropout: float = 0.5          # on the embeddings and on the read-out's input (Zaremba et al. 2014)
    word_dropout: float = 0.1     # share of training words replaced by <unk>: robust to unseen words
    min_count: int = 2            # a word seen fewer times in the training text is read as <unk>
    max_vocab: int = 8000         # the most frequent words only: keeps the file small
    epochs: int = 12
    batch: int = 64
    lr: float = 2e-3
    weight_decay: float = 1e-4    # AdamW's decoupled decay
    clip: float = 1.0
    extra: bool = True            # add tweets / amazon / nyt snippets and the lexicon's words
    negated: bool = True          # and "not" + each clear lexicon word, with the opposite label (VADER's rule)
    seed: int = 0
    split_seed: int = 2014
    val_share: float = 0.1
    test_share: float = 0.1


def split(rows: list, share_val: float, share_test: float, seed: int) -> tuple[list, list, list]:
    """Stratified (train, validation, test): within each label, a seeded shuffle, then the first
    share_test for test and the next share_val for validation. Deterministic: NumPy's PCG64 by seed."""
    rng = np.random.default_rng(seed)
    parts = ([], [], [])
    for label in sorted({r[1] for r in rows}):
        idx = [i for i, r in enumerate(rows) if r[1] == label]
        idx = [idx[i] for i in rng.permutation(len(idx))]
        n_test, n_val = round(share_test * len(idx)), round(share_val * len(idx))
        parts[2].extend(idx[:n_test])
        parts[1].extend(idx[n_test:n_test + n_val])
        parts[0].extend(idx[n_test + n_val:])
    return tuple([rows[i] for i in sorted(p)] for p in parts)


NEGATED_VALENCE = 1.0   # lexicon words at least this clear in size also appear as "not WORD", label flipped


def extra_examples(negated: bool = True) -> list[tuple[list[str], int]]:
    """(tokens, label) from the rest of the archive: the other collections' sentences, and each lexicon
    entry whose mean valence is at least THRESHOLD in size, as a one-word (or one-emoticon) example.

    With `negated`, each clear lexicon word (|valence| ≥ NEGATED_VALENCE, letters only) also appears as
    "not WORD" with the opposite label: VADER's own negation rule (Hutto & Gilbert 2014 multiply the valence
    after a negation by −0.74, so the sign flips). Without these pairs (the shipped `sentiment_no_not`) the
    LSTM reads "not bad" as negative: most training sentences that hold a "not" are negative ones, so "not"
    becomes one more negative word (tests/topics/sentiment/test_sentiment.py::test_without_the_made_up_examples_not_bad_stays_negative)."""
    out = []
    for name in ("tweets", "amazon", "nyt"):
        out += [(tokenize(text), label) for text, label, _ in vader.labelled(name)]
    for token, valence in sorted(vader.lexicon().items()):
        if abs(valence) >= vader.THRESHOLD and (words := tokenize(token)):
            out.append((words, int(valence > 0)))
            if negated and abs(valence) >= NEGATED_VALENCE and token.isalpha():
                out.append((["not", *words], int(valence < 0)))
    return [(t, y) for t, y in out if t]


def vocabulary(examples: list[tuple[list[str], int]], min_count: int, max_vocab: int) -> list[str]:
    """PAD, UNK, then the words seen at least min_count times, most frequent first (ties alphabetical)."""
    counts = collections.Counter(w for words, _ in examples for w in words)
    kept = sorted((w for w, n in counts.items() if n >= min_count), key=lambda w: (-counts[w], w))
    return [PAD, UNK, *kept[: max_vocab - 2]]


def naive_bayes(train_set: list[tuple[list[str], int]], test_set: list[tuple[list[str], int]]) -> float:
    """Accuracy of binarised multinomial naive Bayes with add-one smoothing (each word counted once per
    sentence; Wang & Manning 2012 found this the stronger variant on short texts): a bag of words."""
    counts = [collections.Counter(), collections.Counter()]
    docs = collections.Counter(y for _, y in train_set)
    for words, y in train_set:
        counts[y].update(set(words))
    vocab = set(counts[0]) | set(counts[1])
    totals = [sum(c.values()) + len(vocab) for c in counts]
    prior = [math.log(docs[y] / len(train_set)) for y in (0, 1)]
    right = 0
    for words, y in test_set:
        score = [prior[c] + sum(math.log((counts[c][w] + 1) / totals[c]) for w in set(words) if w in vocab)
                 for c in (0, 1)]
        right += int(int(score[1] > score[0]) == y)
    return right / len(test_set)


def _batch(model: SequenceClassifier, examples: list) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """(ids (T, B) padded with 0 at the end, lengths (B,), labels (B,))."""
    seqs = [model.encode(words) for words, _ in examples]
    lengths = torch.tensor([len(s) for s in seqs])
    ids = nn.utils.rnn.pad_sequence(seqs)                                   # (T, B)
    return ids, lengths, torch.tensor([y for _, y in examples])


def batches(lengths: list[int], size: int, gen: torch.Generator, pool: int = 50) -> list[list[int]]:
    """One epoch's batches of example indices: a seeded shuffle, then within each pool of `pool` batches
    the examples sorted by length, so a batch pads little (a one-word lexicon example does not wait for
    a 60-word sentence); the batches themselves are then shuffled."""
    order = torch.randperm(len(lengths), generator=gen).tolist()
    out = []
    for s in range(0, len(order), size * pool):
        chunk = sorted(order[s:s + size * pool], key=lambda i: lengths[i])
        out += [chunk[b:b + size] for b in range(0, len(chunk), size)]
    return [out[i] for i in torch.randperm(len(out), generator=gen).tolist()]


@torch.no_grad()
def accuracy(model: SequenceClassifier, examples: list, batch: int = 256) -> float:
    model.eval()
    right = 0
    for s in range(0, len(examples), batch):
        ids, lengths, y = _batch(model, examples[s:s + batch])
        right += int((model.last_logits(ids, lengths).argmax(1) == y).sum())
    return right / len(examples)


def fit(recipe: Recipe, log=print) -> tuple[SequenceClassifier, dict]:
    """Train by the recipe; return the model (the epoch best on validation), its manifest entry, and the
    (train, validation, test) movie rows, each (text, label, score)."""
    torch.set_num_threads(THREADS)
    gen = torch.Generator().manual_seed(recipe.seed)
    rows = split(vader.labelled("movie"), recipe.val_share, recipe.test_share, recipe.split_seed)
    tr, va, te = ([(tokenize(text), label) for text, label, _ in part] for part in rows)
    extra = extra_examples(recipe.negated) if recipe.extra else []
    examples = tr + extra
    model = SequenceClassifier(recipe.kind, vocabulary(examples, recipe.min_count, recipe.max_vocab), CLASSES,
                               recipe.embed_size, recipe.hidden_size, "word", recipe.dropout)
    train.init_parameters(model, gen)
    lengths_all = [len(words) for words, _ in examples]
    per_epoch = len(batches([0] * len(examples), recipe.batch, torch.Generator()))   # the same every epoch
    epoch = {"batches": [], "loss": 0.0}
    best, history = (-1.0, 0, None), []

    def batch(step):
        if step % per_epoch == 0:                                            # a new epoch, a new order
            epoch["batches"], epoch["loss"] = batches(lengths_all, recipe.batch, gen), 0.0
        ids, lengths, y = _batch(model, [examples[i] for i in epoch["batches"][step % per_epoch]])
        return (train.drop_tokens(ids, recipe.word_dropout, gen), lengths), y   # a word becomes <unk>

    def loss_fn(model, inputs, y):                       # only the verdict after each sentence's last word
        ids, lengths = inputs
        return nn.functional.cross_entropy(model.last_logits(ids, lengths), y)

    def end_of_epoch(step, info):
        nonlocal best
        epoch["loss"] += info["loss"] * len(epoch["batches"][step % per_epoch])
        if (step + 1) % per_epoch:
            return
        n, val, total = (step + 1) // per_epoch, accuracy(model, va), epoch["loss"]
        history.append({"epoch": n, "loss": round(total / len(examples), 4), "val_accuracy": round(val, 4)})
        log(f"sentiment: epoch {n:2d}  loss {total / len(examples):.4f}  validation accuracy {val:.4f}")
        if val > best[0]:                                                    # early stopping: keep the best
            best = (val, n, copy.deepcopy(model.state_dict()))

    start, cpu_start = time.perf_counter(), time.process_time()
    train.fit(model, batch, loss_fn, recipe.epochs * per_epoch, recipe.lr, recipe.clip, end_of_epoch,
              weight_decay=recipe.weight_decay)
    model.load_state_dict(best[2])
    model.eval()
    majority = collections.Counter(y for _, y in tr).most_common(1)[0][0]
    metrics = {
        "test_accuracy": round(accuracy(model, te), 4),
        "val_accuracy": round(best[0], 4),
        "train_accuracy": round(accuracy(model, tr), 4),
        "majority_accuracy": round(sum(y == majority for _, y in te) / len(te), 4),
        "naive_bayes_accuracy": round(naive_bayes(tr, te), 4),
        "naive_bayes_accuracy_with_extra": round(naive_bayes(examples, te), 4),
    }
    info = {
        "arch": {"class": "SequenceClassifier", "kind": recipe.kind, "tokens": model.tokens, "classes": CLASSES,
                 "embed_size": recipe.embed_size, "hidden_size": recipe.hidden_size, "level": "word",
                 "tokenizer": TOKENIZER},
        "task": "sentence sentiment, positive or negative (many-to-one; a verdict after every word)",
        "metrics": metrics,
        "epoch": best[1],
        "history": history,
        "minutes": round((time.perf_counter() - start) / 60, 2),
        "cpu_minutes_per_core": round((time.process_time() - cpu_start) / 60 / THREADS, 2),
        "sizes": {"train": len(tr), "validation": len(va), "test": len(te), "extra": len(extra)},
    }
    return model, info, rows


# ----------------------------------------------------------------------------- what the page needs

BACKGROUND = 500      # held-out sentences drawn behind the hidden-state path (of the ~1,000 test ones)


@torch.no_grad()
def final_states(model: SequenceClassifier, examples: list) -> np.ndarray:
    """(N, H): the hidden state after each sentence's last word."""
    out = []
    for s in range(0, len(examples), 256):
        ids, lengths, _ = _batch(model, examples[s:s + 256])
        h, _ = model.rnn(model.embed(ids))                                    # (T, B, H)
        out.append(h[lengths - 1, torch.arange(len(lengths))].double().numpy())
    return np.concatenate(out)


def projection(model: SequenceClassifier, test: list, seed: int) -> dict:
    """The fixed 2-D view of h_t: PCA of the test sentences' final states, and BACKGROUND of them projected
    (x, y rounded, with the human rating's side) for the page to draw."""
    states = final_states(model, test)
    labels = np.array([y for _, y in test])
    view = lesson.fit_projection(states, labels)
    pick = np.sort(np.random.default_rng(seed).permutation(len(test))[:BACKGROUND])
    xy = lesson.project(states[pick], view, start=False)
    view["points"] = [[round(float(x), 3), round(float(y), 3), int(labels[i])] for (x, y), i in zip(xy, pick)]
    view["fitted_on"] = f"the final hidden states of the {len(test):,} test sentences"
    return view


def held_out_examples(model: SequenceClassifier, test_rows: list[tuple[str, int, float]]) -> dict[str, dict]:
    """Test sentences for the page's presets, chosen by rules on the model's own readings (never by hand):
    "turn": the shortest with "but" whose verdict crosses 0.5 after the "but" and ends on the raters' side;
    "positive" / "negative": the most strongly rated of 8-20 words that the model gets right;
    "wrong": the most strongly rated of 8-20 words that the model gets wrong."""
    rows = []
    for text, label, score in test_rows:
        words = tokenize(text)
        if not 0 < len(words) <= lesson.MAX_WORDS:
            continue
        r = lesson.read(model, words)
        rows.append(dict(text=text, label=label, score=score, p=round(r.final, 4), words=words, r=r))
    right = [x for x in rows if int(x["p"] >= 0.5) == x["label"] and 8 <= len(x["words"]) <= 20]
    wrong = [x for x in rows if int(x["p"] >= 0.5) != x["label"] and 8 <= len(x["words"]) <= 20]

    def turns(x) -> bool:
        if "but" not in x["words"] or int(x["p"] >= 0.5) != x["label"]:
            return False
        at = x["words"].index("but")
        before = x["r"].p[at - 1] if at else x["r"].p0
        return (before >= 0.5) != (x["p"] >= 0.5)

    picks = {"turn": min((x for x in rows if turns(x)), key=lambda x: (len(x["words"]), x["text"]), default=None),
             "positive": max(right, key=lambda x: (x["score"], x["text"]), default=None),
             "negative": min(right, key=lambda x: (x["score"], x["text"]), default=None),
             "wrong": max(wrong, key=lambda x: (abs(x["score"]), x["text"]), default=None)}
    return {k: {key: x[key] for key in ("text", "label", "score", "p")} for k, x in picks.items() if x}


def negation_note(recipe: Recipe, n_negated: int) -> str:
    """What was added to training, in words (the manifest's data.extra; the page shows it as it is)."""
    if not recipe.extra:
        return "none"
    note = ("added to training: the tweet-like, Amazon and New York Times snippets (same threshold) and the "
            "lexicon's words as one-word examples")
    if recipe.negated:
        note += (f", and {n_negated:,} made-up two-word examples “not WORD”, one for each lexicon word whose mean "
                 f"valence is at least {NEGATED_VALENCE:g} in size (letters only), labelled the opposite of the word "
                 "(VADER's own negation rule)")
    return note


NEGATORS = ("not", "n't")     # the words whose training examples negation_facts counts


def negation_facts(recipe: Recipe, phrases=None) -> dict:
    """What this recipe's training examples (movie training sentences and the extra ones) say about
    negation, computed from the data alone (no model, so it holds for any seed): how many made-up "not WORD"
    examples it added; how many examples hold "not" or "n't" and how many of those are negative; and, for
    each phrase the page reads (negation.PHRASES), how many examples hold it as consecutive words
    and how many of those are negative. The page says from these which negations a model was shown."""
    rows = split(vader.labelled("movie"), recipe.val_share, recipe.test_share, recipe.split_seed)[0]
    examples = [(tokenize(text), label) for text, label, _ in rows]
    extra = extra_examples(recipe.negated) if recipe.extra else []
    made_up = len(extra) - len(extra_examples(False)) if recipe.extra and recipe.negated else 0
    examples += extra
    phrases = negation.PHRASES if phrases is None else phrases
    wanted = {tuple(tokenize(p)) for p in phrases}
    longest = max((len(w) for w in wanted), default=1)
    seen, negative = collections.Counter(), collections.Counter()
    with_not = {"examples": 0, "negative": 0}
    for words, label in examples:                 # each example counted once per phrase
        grams = {tuple(words[i:i + n]) for n in range(1, longest + 1) for i in range(len(words) - n + 1)}
        seen.update(grams & wanted)
        negative.update(grams & wanted if label == 0 else ())
        if any(w in NEGATORS for w in words):
            with_not["examples"] += 1
            with_not["negative"] += int(label == 0)
    return {"made_up": made_up, "with_not": with_not,
            "phrases": {p: {"examples": seen[tuple(tokenize(p))], "negative": negative[tuple(tokenize(p))]}
                        for p in phrases}}


def build(log=print, recipe: Recipe | None = None, name: str = "sentiment") -> tuple[SequenceClassifier, dict]:
    """`python -m rnnviz.train NAME`: fetch (set-up only), train, evaluate; the manifest entry."""
    vader.fetch()
    recipe = recipe or Recipe()
    with train.seeded_dropout(recipe.seed):                  # nn.Dropout's masks, reproducibly
        model, info, (tr, va, te) = fit(recipe, log)
    movie = vader.labelled("movie")
    negations = negation_facts(recipe)
    info["sizes"]["negated"] = negations["made_up"]
    info.update({
        "data": {"source": vader.SOURCE, "sha256": vader.SHA256, "cite": vader.CITATION,
                 "movie": f"{len(movie):,} of {len(vader.snippets('movie')):,} movie-review sentences "
                          f"(|mean rating| ≥ {vader.THRESHOLD})",
                 "threshold": vader.THRESHOLD,
                 "split": f"stratified, seeded ({recipe.split_seed}): {len(tr):,} train / {len(va):,} validation "
                          f"/ {len(te):,} test sentences",
                 "extra": negation_note(recipe, negations["made_up"]),
                 "sizes": info.pop("sizes")},
        "negations": negations,
        "hyper": asdict(recipe),
        "parameters": model.count_parameters(),
        "check": {"metric": "test_accuracy", "tolerance": TOLERANCE},
        "command": f"python -m rnnviz.train {name}",
        "threads": THREADS,
        "torch": torch.__version__,
        "projection": projection(model, [(tokenize(t), y) for t, y, _ in te], recipe.split_seed),
        "examples": held_out_examples(model, te),
    })
    return model, info


def build_no_not(log=print) -> tuple[SequenceClassifier, dict]:
    """`python -m rnnviz.train sentiment_no_not`: the same recipe, seed and split without the made-up
    "not WORD" examples, so the two models differ by that one flag (and the vocabulary it changes: a lexicon
    word seen once becomes <unk> without its "not" twin)."""
    return build(log, Recipe(negated=False), "sentiment_no_not")


RECIPES = {"sentiment": build, "sentiment_no_not": build_no_not}
RECIPE_OF = {"sentiment": Recipe(), "sentiment_no_not": Recipe(negated=False)}


def refresh_notes(root=None) -> None:
    """Rewrite the data note and the negation facts of both shipped entries from their recipes, weights
    untouched (both come from the data alone, never from training): run after changing negation.PHRASES
    or negation_note. `python -c "from rnnviz.topics.sentiment import recipe; recipe.refresh_notes()"`."""
    import json

    from rnnviz import pretrained

    data = pretrained.manifest(root)
    for name, recipe in RECIPE_OF.items():
        entry = data["models"][name]
        assert entry["hyper"] == asdict(recipe), f"{name}: the manifest's recipe is not RECIPE_OF's"
        facts = negation_facts(recipe)
        entry["negations"] = facts
        entry["data"]["extra"] = negation_note(recipe, facts["made_up"])
        entry["data"]["sizes"]["negated"] = facts["made_up"]
    path = (pretrained.ROOT if root is None else Path(root)) / pretrained.MANIFEST
    path.write_text(json.dumps(data, indent=1, ensure_ascii=True) + "\n")      # as pretrained.save writes it
