"""rnnviz.shared.classifier.SequenceClassifier: the many-to-one model the sentiment and surname demos ship."""
from __future__ import annotations

import pytest
import torch

from rnnviz import cells, pretrained
from rnnviz.shared.classifier import SequenceClassifier
from rnnviz.shared.layers import PAD, UNK

TOKENS = [PAD, UNK, "not", "good", "bad", "movie"]


@pytest.mark.parametrize("kind", ["lstm", "gru"])
def test_last_logits_ignore_padding_and_match_the_transparent_cell(kind):
    torch.manual_seed(0)   # only the weights' init here; the models' own code never uses global state
    m = SequenceClassifier(kind, TOKENS, ["negative", "positive"], embed_size=4, hidden_size=6).eval()
    ids = m.encode("not good movie".split())                                 # (3,)
    alone = m(ids[:, None])[0][:, 0]                                         # (T, C) read by itself
    batch = torch.stack([ids, torch.tensor([3, 0, 0])], 1)                   # padded beside a 1-token one
    last = m.last_logits(batch, torch.tensor([3, 1]))
    torch.testing.assert_close(last[0], alone[-1])
    torch.testing.assert_close(last[1], m(torch.tensor([[3]]))[0][0, 0])
    # the transparent cell, fed the same embeddings, gives the same states, so the same logits
    cell = cells.from_torch(m.rnn)
    with torch.no_grad():
        trace = cell.unroll(m.embed(ids)[:, None])
        torch.testing.assert_close(m.head(trace.h[:, 0]), alone, atol=1e-5, rtol=1e-5)


def test_unknown_tokens_and_bad_vocabularies():
    m = SequenceClassifier("gru", TOKENS, ["a", "b"], 3, 3)
    assert m.encode(["good", "never-seen"]).tolist() == [3, 1]
    with pytest.raises(ValueError):
        SequenceClassifier("gru", ["good", "bad"], ["a", "b"], 3, 3)       # no <pad>, <unk> first
    with pytest.raises(ValueError):
        SequenceClassifier("transformer", TOKENS, ["a", "b"], 3, 3)


def test_round_trip_through_the_registry(tmp_path):
    m = SequenceClassifier("lstm", TOKENS, ["neg", "pos"], 4, 5, level="word")
    arch = {"class": "SequenceClassifier", "kind": "lstm", "tokens": TOKENS, "classes": ["neg", "pos"],
            "embed_size": 4, "hidden_size": 5, "level": "word"}
    pretrained.save("tiny", m, {"arch": arch, "metrics": {}}, root=tmp_path)
    back, meta = pretrained.load("tiny", root=tmp_path)
    ids = m.encode(["not", "good"])[:, None]
    torch.testing.assert_close(back(ids)[0], m.eval()(ids)[0])
    assert back.level == "word" and back.classes == ["neg", "pos"]
