"""rnnviz.shared.bundle: a model and its config as one safetensors file, and every way an upload can be wrong.

Every bad file is made here from a good one (tiny models: a 6-character LSTM with 8 units, a 4-unit GRU
forecaster), so each test names exactly what is broken and the message that must say so.
"""
from __future__ import annotations

import builtins
import io
import json
import pickle

import numpy as np
import pytest
import torch
from safetensors.torch import save as st_save

from rnnviz import pretrained
from rnnviz.shared import bundle
from rnnviz.shared.bundle import BundleError
from rnnviz.shared.char_model import CharModel

Forecaster = bundle.KINDS["series"]
ALPHABET = "\x00 abcd"
CONFIG = {"data": {"sha256": "ab" * 32, "size": 1234, "name": "poem.txt"}, "steps": 1234, "seconds": 58.4,
          "metrics": {"val_bpc": 2.3149, "train_bpc": 2.2}, "training": {"lr": 0.003, "batch": 16, "seed": 0},
          "note": "anything the caller adds"}


def seeded(model: torch.nn.Module, seed: int) -> torch.nn.Module:
    """Fill every parameter from a per-call generator (no global random state)."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.randn(p.shape, generator=g) * 0.5)
    return model


@pytest.fixture(scope="module")
def text_model() -> CharModel:
    return seeded(CharModel("lstm", ALPHABET, 8), 0).eval()


@pytest.fixture(scope="module")
def series_model():
    return seeded(Forecaster("gru", 4, "difference", "none", 0.0995, 1.1785, 12, 2), 1).eval()


@pytest.fixture(scope="module")
def text_raw(text_model) -> bytes:
    return bundle.dump(text_model, "text", CONFIG)


def parts(raw: bytes) -> tuple[dict, dict]:
    """(tensors, config) of a good bundle, to break one piece and reassemble with remake()."""
    model, config = bundle.load(raw)
    return {k: v.clone() for k, v in model.state_dict().items()}, config


def remake(tensors: dict, config: dict | None = None, metadata: dict | None = None) -> bytes:
    meta = metadata if metadata is not None else {"rnnviz": json.dumps(config)}
    return st_save(tensors, metadata=meta)


def refused(raw, *phrases, expect=None) -> str:
    with pytest.raises(BundleError) as info:
        bundle.load(raw, expect=expect)
    message = str(info.value)
    for phrase in phrases:
        assert phrase in message, message
    assert "<" not in message and "\n" not in message, message          # plain text, one paragraph
    return message


# ----- round trips


def test_text_round_trip_gives_the_same_outputs_and_keeps_the_config(text_model, text_raw):
    model, config = bundle.load(text_raw, expect="text")
    assert isinstance(model, CharModel) and not model.training
    assert (model.kind, model.alphabet, model.hidden_size) == ("lstm", ALPHABET, 8)
    ids = torch.randint(0, len(ALPHABET), (12, 3), generator=torch.Generator().manual_seed(2))   # (T, B)
    with torch.no_grad():
        (a, (ha, ca)), (b, (hb, cb)) = text_model(ids), model(ids)
    assert torch.equal(a, b) and torch.equal(ha, hb) and torch.equal(ca, cb)          # to 0, not to 1e-6
    assert {k: config[k] for k in CONFIG} == CONFIG
    assert config["format"] == bundle.FORMAT == "rnnviz-model/1" and config["kind"] == "text"
    assert config["arch"] == {"class": "CharModel", "kind": "lstm", "alphabet": ALPHABET, "hidden_size": 8}
    assert config["parameters"] == sum(p.numel() for p in text_model.parameters()) == 4 * 8 * (6 + 8 + 2) + 8 * 6 + 6
    assert config["torch"] == torch.__version__
    assert pretrained.build(config["arch"]).alphabet == ALPHABET     # the arch is a manifest-style arch too


def test_series_round_trip_gives_the_same_outputs_and_keeps_the_config(series_model):
    raw = bundle.dump(series_model, "series", {"steps": 5, "seconds": 125.0, "metrics": {"rmse_1": 0.36021}})
    model, config = bundle.load(raw, expect="series")
    assert isinstance(model, Forecaster) and not model.training
    z = torch.randn(20, 2, generator=torch.Generator().manual_seed(3))                  # (T, B)
    t = torch.arange(20).unsqueeze(1).expand(20, 2)
    with torch.no_grad():
        (a, ha), (b, hb) = series_model(z, t), model(z, t)
    assert torch.equal(a, b) and torch.equal(ha, hb)
    assert config["arch"] == {"class": "Forecaster", "kind": "gru", "hidden_size": 4, "mode": "difference",
                              "transform": "none", "offset": 0.0995, "scale": 1.1785, "period": 12, "phase0": 2}
    assert (config["steps"], config["metrics"]) == (5, {"rmse_1": 0.36021})


def test_the_bytes_are_deterministic_and_readable_by_any_safetensors_tool(text_model, text_raw):
    twin = seeded(CharModel("lstm", ALPHABET, 8), 0)            # built apart, same numbers
    shuffled = dict(reversed(list(CONFIG.items())))             # key order does not matter either
    assert bundle.dump(twin, "text", shuffled) == text_raw == bundle.dump(text_model, "text", CONFIG)
    n = int.from_bytes(text_raw[:8], "little")
    header = json.loads(text_raw[8:8 + n])
    assert json.loads(header["__metadata__"]["rnnviz"])["steps"] == 1234
    assert set(header) - {"__metadata__"} == set(text_model.state_dict())


def test_config_json_is_the_pretty_config(text_raw):
    text = bundle.config_json(text_raw)
    assert json.loads(text) == bundle.load(text_raw)[1]
    assert text.startswith("{\n  \"arch\": {") and text.endswith("}\n")


def test_load_never_unpickles_and_nothing_touches_the_disk(text_model, monkeypatch):
    def forbidden(*args, **kwargs):
        raise AssertionError("a bundle must not use torch.load, pickle or files")
    for target, name in [(torch, "load"), (pickle, "load"), (pickle, "loads"), (builtins, "open"), (io, "open")]:
        monkeypatch.setattr(target, name, forbidden)
    model, _ = bundle.load(bundle.dump(text_model, "text", CONFIG))
    assert torch.equal(model.head.bias, text_model.head.bias)


def test_describe_says_one_line_from_the_config(text_raw):
    assert bundle.describe(bundle.load(text_raw)[1]) == \
        "LSTM, 8 units, 6 characters, trained 1,234 steps (58 s), held-out 2.31 bits per character"
    series = {"kind": "series", "arch": {"kind": "gru", "hidden_size": 32}, "steps": 800, "seconds": 125.4,
              "metrics": {"rmse_1": 0.36021}}
    assert bundle.describe(series) == \
        "GRU, 32 units, trained 800 steps (2 min 5 s), held-out error 0.36 one step ahead (RMSE)"
    # a config from a strange file: only the well-formed parts are said, nothing raises
    assert bundle.describe({"kind": "text", "arch": {"kind": "<b>x</b>", "hidden_size": "8"}, "steps": True,
                            "metrics": {"val_bpc": float("nan")}}) == "a model with no description"
    assert bundle.describe("not a dict") == "a model with no description"


# ----- dump refuses what load would refuse


def test_dump_refuses_a_wrong_kind_a_nan_setting_and_diverged_weights(text_model, series_model):
    with pytest.raises(BundleError, match="kind 'image'"):
        bundle.dump(text_model, "image", CONFIG)
    with pytest.raises(BundleError, match="Cannot save this Forecaster as kind 'text'"):
        bundle.dump(series_model, "text", CONFIG)
    with pytest.raises(BundleError, match="plain JSON values"):
        bundle.dump(text_model, "text", {**CONFIG, "metrics": {"val_bpc": float("nan")}})
    broken = seeded(CharModel("lstm", ALPHABET, 8), 0)
    with torch.no_grad():
        broken.head.bias[2] = float("inf")
    with pytest.raises(BundleError, match=r"head.bias holds 0 NaN and 1 infinite value\(s\) out of 6"):
        bundle.dump(broken, "text", CONFIG)
    with pytest.raises(BundleError, match="hidden size must be a whole number from 1 to 1,024, and it is 1025"):
        bundle.dump(CharModel("gru", ALPHABET, 1025), "text", CONFIG)


# ----- every bad upload, with its message


def test_size_empty_and_over_the_limit():
    refused(b"", "empty (0 bytes)")
    refused(bytes(21 * 2**20), "21.0 MB", "at most 20.0 MB")
    refused("not bytes", "Expected the file's bytes, got str")


@pytest.mark.parametrize("make, phrases", [
    (lambda m: _torch_save(m, zipped=True), ["ZIP archive", "torch.save", "pickle"]),
    (lambda m: _torch_save(m, zipped=False), ["Python pickle", "execute code"]),
    (lambda m: pickle.dumps({"w": [1.0, 2.0]}), ["Python pickle"]),
    (lambda m: b"\x89PNG\r\n\x1a\n" + bytes(100), ["PNG image"]),
    (lambda m: "To be, or not to be\n".encode() * 50, ["text file (1,000 bytes)"]),
    (lambda m: np.random.default_rng(0).bytes(5000), ["not a safetensors model file", "5,000-byte file"]),
    (lambda m: b"\x05\x00\x00", ["only 3 bytes"]),
    (lambda m: (10**15).to_bytes(8, "little") + b"{}", ["1,000,000,000,000,000-byte header in a 10-byte file"]),
    (lambda m: (2).to_bytes(8, "little") + b"[]", ["not a readable header"]),
])
def test_files_that_are_not_safetensors_say_what_they_are(text_model, make, phrases):
    refused(make(text_model), *phrases)


def _torch_save(model, zipped: bool) -> bytes:
    buf = io.BytesIO()
    torch.save(model.state_dict(), buf, _use_new_zipfile_serialization=zipped)
    return buf.getvalue()


def test_the_settings_file_uploaded_in_place_of_the_model(text_raw):
    refused(bundle.config_json(text_raw).encode(), "settings file", "not the model itself")


def test_a_truncated_file_in_the_weights_and_in_the_header(text_raw):
    n = int.from_bytes(text_raw[:8], "little")
    body = len(text_raw) - 8 - n
    refused(text_raw[:-10], "cut off", f"describes {body:,} bytes of weights, but only {body - 10:,} follow")
    refused(text_raw[:200], "cut off", f"header alone should be {n:,} bytes, but only 192 bytes follow")
    refused(text_raw + b"junk", "4 bytes after its weights")
    refused(text_raw + b"j", "1 byte after its weights")


def test_metadata_missing_bad_json_and_not_an_object(text_raw):
    tensors, config = parts(text_raw)
    refused(remake(tensors, metadata={}), "has no 'rnnviz' settings", "metadata keys: none")
    refused(remake(tensors, metadata={"format": "pt"}), "metadata keys: format")
    refused(remake(tensors, metadata={"rnnviz": "{\"format\": \"rnnviz-model/1\","}), "damaged", "not valid JSON")
    refused(remake(tensors, metadata={"rnnviz": "[1, 2]"}), "a JSON list, not an object")
    refused(remake(tensors, metadata={"rnnviz": '{"x": NaN}'}), "not valid JSON")
    refused(remake(tensors, metadata={"rnnviz": "[" * 100_000}), "not valid JSON")      # too deep to parse


def test_a_header_damaged_in_transit(text_raw):
    broken = bytearray(text_raw)
    broken[9] = ord("}")                     # the header's second byte: '{"' becomes '{}'
    refused(bytes(broken), "header", "is damaged", "no longer readable JSON")


def test_wrong_format_unknown_kind_and_the_wrong_kind_for_the_page(text_raw, series_model):
    tensors, config = parts(text_raw)
    refused(remake(tensors, {**config, "format": "rnnviz-model/99"}), "'rnnviz-model/99'", "reads 'rnnviz-model/1'")
    refused(remake(tensors, {**config, "kind": "audio"}), "kind 'audio'", "'text' and 'series'")
    series_raw = bundle.dump(series_model, "series", {})
    refused(series_raw, "This is a series model", "this page needs a text model", expect="text")
    refused(text_raw, "This is a text model", "this page needs a series model", expect="series")


@pytest.mark.parametrize("change, phrases", [
    ({"hidden_size": 0}, ["from 1 to 1,024, and it is 0"]),
    ({"hidden_size": 4096}, ["and it is 4096"]),
    ({"hidden_size": 8.0}, ["and it is 8.0"]),
    ({"alphabet": "\x00" + "".join(map(chr, range(256, 1256)))}, ["2 to 1,000 characters, and it is 1,001 characters"]),
    ({"alphabet": " abcd\x00"}, ["start with the unknown symbol"]),
    ({"alphabet": "\x00 abca"}, ["lists 1 character(s) more than once"]),
    ({"alphabet": ["\x00", "a"]}, ["and it is list"]),
    ({"kind": "transformer"}, ["'lstm', 'gru' or 'rnn'", "'transformer'"]),
    ({"class": "Seq2Seq"}, ["class 'Seq2Seq'", "a text model is a CharModel"]),
    ({"hidden_size": None, "extra": 1}, ["unknown extra"]),
])
def test_an_architecture_out_of_bounds(text_raw, change, phrases):
    tensors, config = parts(text_raw)
    arch = {k: v for k, v in {**config["arch"], **change}.items() if v is not None}
    refused(remake(tensors, {**config, "arch": arch}), *phrases)


def test_a_series_architecture_out_of_bounds(series_model):
    tensors, config = parts(bundle.dump(series_model, "series", {}))
    for change, phrase in [({"scale": 0.0}, "scale must be above 0, and it is 0.0"),
                           ({"mode": "difference", "transform": "sqrt"}, "not one of level/none"),
                           ({"period": -1}, "period must be a whole number from 0 to 10,000"),
                           ({"kind": "lstm"}, "a series model's cell is 'gru'")]:
        refused(remake(tensors, {**config, "arch": {**config["arch"], **change}}), phrase)
    refused(remake(tensors, {**config, "arch": "gru"}), "no architecture")
    missing = {k: v for k, v in config["arch"].items() if k != "scale"}
    refused(remake(tensors, {**config, "arch": missing}), "missing scale")


def test_tensors_missing_extra_wrong_shape_wrong_dtype_and_not_finite(text_raw):
    tensors, config = parts(text_raw)
    less = {k: v for k, v in tensors.items() if k != "head.bias"}
    refused(remake(less, config), "missing head.bias")
    refused(remake({**tensors, "head.scale": torch.ones(3)}, config), "unexpected head.scale")
    refused(remake({**tensors, "head.bias": torch.zeros(7)}, config), "head.bias has shape (7)", "needs (6)")
    refused(remake({**tensors, "rnn.weight_hh_l0": torch.zeros(32, 9)}, config),
            "rnn.weight_hh_l0 has shape (32, 9)", "needs (32, 8)")
    refused(remake({**tensors, "head.weight": tensors["head.weight"].double()}, config),
            "head.weight is stored as F64", "32-bit floats (F32)")
    nan = tensors["rnn.weight_ih_l0"].clone()
    nan[0, 0], nan[1, 1], nan[2, 2] = float("nan"), float("nan"), float("-inf")
    refused(remake({**tensors, "rnn.weight_ih_l0": nan}, config),
            "rnn.weight_ih_l0 holds 2 NaN and 1 infinite value(s) out of 192", "training diverged")


def test_a_damaged_header_entry(text_raw):
    n = int.from_bytes(text_raw[:8], "little")
    header = json.loads(text_raw[8:8 + n])
    header["head.bias"]["shape"] = "six"
    text = json.dumps(header).encode()
    refused(len(text).to_bytes(8, "little") + text + text_raw[8 + n:], "entry for the tensor 'head.bias'")
