"""A trained model as one file a student downloads and later uploads again ("take it with you").

    raw = dump(model, "text", config)      # bytes: a safetensors file, the config in its header
    model, config = load(raw, expect="text")   # the same model (eval mode) and its config, or BundleError
    config_json(raw)                       # the config as readable JSON (the second download)
    describe(config)                       # "LSTM, 128 units, 71 characters, trained 1,234 steps (58 s), ..."

The file is plain safetensors: an 8-byte little-endian length N, N bytes of JSON header (each tensor's
dtype, shape and byte range, plus "__metadata__", a str → str map), then the raw numbers. Our config is
the JSON string under __metadata__["rnnviz"], so any safetensors tool can read both the weights and the
settings. There is no pickle anywhere: torch.load / pickle can run code hidden in a file, safetensors can
only ever hand back named arrays of numbers. The architecture is rebuilt from the config's plain "arch"
values by a class we know (KINDS), so an uploaded file can only fill in the numbers of a known model.

load() distrusts every byte: each check below has its own message that says what is wrong and what to do,
and the checks run in the order a file can go wrong (too big, not safetensors, not ours, the wrong model,
weights that do not fit, numbers that are not finite). Nothing touches the disk: bytes in, bytes out.
"""
from __future__ import annotations

import json
import math
from types import MappingProxyType

import torch
from safetensors.torch import load as st_load
from safetensors.torch import save as st_save

from rnnviz import pretrained
from rnnviz.shared.bundle_checks import FIELDS, BundleError, arch_problem, check_arch, read_header
from rnnviz.shared.char_model import CharModel

FORMAT = "rnnviz-model/1"
MAX_BYTES = 20 * 2**20          # 20 MiB: far above the largest model a student trains here (a few MB)
META_KEY = "rnnviz"             # the __metadata__ key that holds the config's JSON

# What a bundle may hold: its kind → the class that rebuilds it. Forecaster lives in the forecast topic,
# which rnnviz/shared may not import by name (tests/test_layout.py): pretrained finds it among the
# classes the topics declare.
KINDS = MappingProxyType({"text": CharModel, "series": pretrained.architectures()["Forecaster"]})
WHAT = {"text": "a text model (trained on characters)", "series": "a series model (trained on a time series)"}

__all__ = ["FORMAT", "MAX_BYTES", "KINDS", "BundleError", "dump", "load", "config_json", "describe"]


# ----- writing


def arch_of(model: torch.nn.Module, kind: str) -> dict:
    """The plain values that rebuild `model` (its class's from_arch reads them), "class" first as in the
    manifest of the shipped models (so pretrained.build(arch) rebuilds it too)."""
    return {"class": type(model).__name__, **{f: getattr(model, f) for f in FIELDS[kind]}}


def dump(model: torch.nn.Module, kind: str, config: dict) -> bytes:
    """The model's weights and `config` as one safetensors file (bytes). dump adds "format", "kind", "arch",
    "parameters" and "torch" to the config (its own values win). The same model and config give the same
    bytes: the JSON is written with sorted keys and safetensors orders tensors by name."""
    if kind not in KINDS:
        raise BundleError(f"Cannot save a model of kind {kind!r}: a bundle holds one of {', '.join(map(repr, KINDS))}.")
    if not isinstance(model, KINDS[kind]):
        raise BundleError(f"Cannot save this {type(model).__name__} as kind {kind!r}: that kind holds a "
                          f"{KINDS[kind].__name__}.")
    if not isinstance(config, dict):
        raise BundleError(f"Cannot save the model: its settings must be a dict, got {type(config).__name__}.")
    arch = arch_of(model, kind)
    problem = arch_problem(kind, arch)         # refuse to write what load() would refuse to read
    if problem:
        raise BundleError(f"Cannot save the model: {problem}. Train a model within these limits.")
    tensors = {name: t.detach().to("cpu").contiguous() for name, t in model.state_dict().items()}
    for name, t in tensors.items():
        if t.dtype != torch.float32:
            raise BundleError(f"Cannot save the model: its tensor {name} is {t.dtype}, a bundle holds float32.")
        _check_finite(name, t, "Cannot save the model")
    full = {**config, "format": FORMAT, "kind": kind, "arch": arch,
            "parameters": sum(t.numel() for t in tensors.values()), "torch": torch.__version__}
    try:
        text = json.dumps(full, sort_keys=True, ensure_ascii=True, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError) as e:       # a NaN metric, a tensor or a set among the settings
        raise BundleError(f"Cannot save the model: its settings must be plain JSON values (numbers, text, lists, "
                          f"dicts; no NaN or infinity): {e}.") from None
    raw = st_save(tensors, metadata={META_KEY: text})
    if len(raw) > MAX_BYTES:
        raise BundleError(f"Cannot save the model: the file would be {_mb(len(raw))}, more than the {_mb(MAX_BYTES)} "
                          "a bundle may hold. Train a smaller model (fewer hidden units).")
    return raw


# ----- reading


def _config(raw: bytes) -> tuple[dict, dict]:
    """(header, config) after the checks that need no model: size, safetensors, metadata, format, kind."""
    if not isinstance(raw, (bytes, bytearray, memoryview)):
        raise BundleError(f"Expected the file's bytes, got {type(raw).__name__}: pass the uploaded file's content.")
    raw = bytes(raw)
    if not raw:
        raise BundleError("The file is empty (0 bytes). Choose the model file you downloaded (.safetensors) "
                          "and upload it again.")
    if len(raw) > MAX_BYTES:
        raise BundleError(f"The file is {_mb(len(raw))}; a model file is at most {_mb(MAX_BYTES)}. "
                          "Upload the .safetensors file this app let you download.")
    header = read_header(raw, FORMAT)
    meta = header.get("__metadata__") or {}
    if not isinstance(meta, dict) or META_KEY not in meta:
        keys = ", ".join(sorted(map(str, meta))) if isinstance(meta, dict) and meta else "none"
        raise BundleError(f"This safetensors file was not saved by this app: its header has no {META_KEY!r} "
                          f"settings (metadata keys: {keys}). Upload a model downloaded from this app.")
    try:
        config = json.loads(meta[META_KEY], parse_constant=_no_constant)
    except (TypeError, ValueError, RecursionError) as e:
        raise BundleError(f"The model's settings in this file are damaged (not valid JSON: {str(e)[:80]}). "
                          "Download the model again and upload the new file.") from None
    if not isinstance(config, dict):
        raise BundleError(f"The model's settings in this file are a JSON {type(config).__name__}, not an object. "
                          "Download the model again and upload the new file.")
    if config.get("format") != FORMAT:
        raise BundleError(f"This file has the format {str(config.get('format'))[:40]!r}; this app reads {FORMAT!r}. "
                          "Download the model again from this version of the app.")
    kind = config.get("kind")
    if kind not in KINDS:
        raise BundleError(f"This file holds a model of kind {str(kind)[:40]!r}; this app knows "
                          f"{' and '.join(map(repr, KINDS))}. Upload a model downloaded from this app.")
    return header, config


def config_json(raw: bytes) -> str:
    """The config a bundle holds, as pretty JSON (sorted keys, 2-space indent): the readable settings."""
    return json.dumps(_config(raw)[1], indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def load(raw: bytes, expect: str | None = None) -> tuple[torch.nn.Module, dict]:
    """(the model in eval mode, its config) from a bundle's bytes; BundleError with a plain message if
    anything is off. `expect` ("text" or "series") is the kind the calling page needs."""
    header, config = _config(raw)
    kind = config["kind"]
    if expect is not None and kind != expect:
        raise BundleError(f"This is {WHAT[kind]}, and this page needs {WHAT.get(expect, repr(expect))}. "
                          "Upload it on the page that trained it, or choose another file.")
    model = check_arch(KINDS[kind], kind, config.get("arch"))
    expected = {name: tuple(t.shape) for name, t in model.state_dict().items()}
    found = {name: spec for name, spec in header.items() if name != "__metadata__"}
    missing, extra = sorted(set(expected) - set(found)), sorted(set(found) - set(expected))
    if missing or extra:
        parts = ([f"missing {', '.join(missing)}"] if missing else []) + ([f"unexpected {', '.join(extra)[:200]}"]
                                                                          if extra else [])
        raise BundleError(f"The weights in this file do not belong to the model its settings describe "
                          f"({'; '.join(parts)}). The file was edited or mixed up: download the model again.")
    for name, shape in expected.items():
        if tuple(found[name]["shape"]) != shape:
            raise BundleError(f"The weight {name} has shape {_shape(found[name]['shape'])}, but the model its "
                              f"settings describe needs {_shape(shape)}. The file was edited or mixed up: "
                              "download the model again.")
    for name in expected:
        if found[name]["dtype"] != "F32":
            raise BundleError(f"The weight {name} is stored as {found[name]['dtype']}; this app reads 32-bit "
                              "floats (F32) only. Save the model with this app's download button.")
    try:
        tensors = st_load(bytes(raw))          # safetensors is the last word on the layout
    except Exception as e:                     # SafetensorError and friends: a layout read_header missed
        raise BundleError(f"The weights in this file cannot be read ({str(e)[:120]}). Download the model again "
                          "and upload the new file.") from None
    for name, t in tensors.items():
        _check_finite(name, t, "This model cannot be used")
    model.load_state_dict(tensors, strict=True)
    return model.eval(), config


# ----- describing


def describe(config: dict) -> str:
    """One plain line about a bundle's model, from the parts of its config that are there and well-formed:
    "LSTM, 128 units, 71 characters, trained 1,234 steps (58 s), held-out 2.31 bits per character".
    The held-out metric read is metrics["val_bpc"] for text, metrics["rmse_1"] for series (the names the
    shipped models' recipes use)."""
    config = config if isinstance(config, dict) else {}
    arch = config.get("arch") if isinstance(config.get("arch"), dict) else {}
    parts = [str(arch["kind"]).upper()] if arch.get("kind") in ("lstm", "gru", "rnn") else []
    if _is_int(arch.get("hidden_size")):
        parts.append(f"{arch['hidden_size']:,} unit{'s' if arch['hidden_size'] != 1 else ''}")
    if isinstance(arch.get("alphabet"), str):
        parts.append(f"{len(arch['alphabet']):,} characters")    # V: the unknown symbol is one of them
    if _is_int(config.get("steps")):
        took = f" ({_duration(config['seconds'])})" if _is_number(config.get("seconds")) else ""
        parts.append(f"trained {config['steps']:,} step{'s' if config['steps'] != 1 else ''}{took}")
    metrics = config.get("metrics") if isinstance(config.get("metrics"), dict) else {}
    if config.get("kind") == "text" and _is_number(metrics.get("val_bpc")):
        parts.append(f"held-out {metrics['val_bpc']:.2f} bits per character")
    if config.get("kind") == "series" and _is_number(metrics.get("rmse_1")):
        parts.append(f"held-out error {metrics['rmse_1']:.3g} one step ahead (RMSE)")
    return ", ".join(parts) or "a model with no description"


# ----- small helpers


def _check_finite(name: str, t: torch.Tensor, what: str) -> None:
    """Training that diverged leaves NaN or ±inf in the weights; such a model outputs NaN for every input."""
    bad = (~torch.isfinite(t)).sum().item()
    if bad:
        nan = torch.isnan(t).sum().item()
        raise BundleError(f"{what}: its weight {name} holds {nan:,} NaN and {bad - nan:,} infinite value(s) out of "
                          f"{t.numel():,}, so training diverged. Train it again (a smaller learning rate helps).")


def _no_constant(name: str):
    raise ValueError(f"{name} is not a JSON number")


def _is_int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _is_number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def _duration(seconds: float) -> str:
    s = round(seconds)
    return f"{s} s" if s < 60 else f"{s // 60} min {s % 60} s"


def _mb(n: int) -> str:
    return f"{n / 2**20:.1f} MB"


def _shape(shape) -> str:
    return "(" + ", ".join(str(d) for d in shape) + ")"
