"""The checks rnnviz.shared.bundle runs on an uploaded file before any of its numbers reach a model.

    read_header(raw, FORMAT)     # the safetensors header (dict), or BundleError saying what the file is instead
    check_arch(cls, kind, arch)  # an untrained cls rebuilt from the file's plain "arch" values, or BundleError
    arch_problem(kind, arch)     # what is wrong with a complete arch's values, or None

A safetensors file is laid out as

    bytes 0..8        N, the header's length (unsigned 64-bit, little-endian)
    bytes 8..8+N      the header: JSON {tensor name: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__"}
    bytes 8+N..       the tensors' raw bytes; data_offsets count from here, and cover it exactly

so a file that is not one (a text, an image, a pickle, random bytes) shows it in its first 8 bytes: read
as N they claim a header longer than the whole file. A file cut off during a download keeps a readable
header whose offsets point past its end. Each case gets its own message; a file safetensors itself would
refuse for a subtler reason is caught where bundle.load hands the bytes to it.
"""
from __future__ import annotations

import json
import math

import torch


class BundleError(ValueError):
    """A model file that cannot be saved or loaded; str() is a plain-text message for the page: what is
    wrong with the file, and what to do about it."""


UPLOAD = "Upload the .safetensors file this app let you download."

# What a file that is not safetensors usually is, by its first bytes (its "magic number").
MAGIC = (
    (b"PK\x03\x04", "a ZIP archive (a PyTorch .pt or .pth file saved with torch.save is one). This app never "
                    "opens those: loading them runs pickle, which can execute code hidden in the file"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image, not a model"),
    (b"\xff\xd8\xff", "a JPEG image, not a model"),
    (b"GIF8", "a GIF image, not a model"),
    (b"%PDF", "a PDF document, not a model"),
    (b"\x1f\x8b", "a gzip-compressed file, not a model"),
)


def sniff(raw: bytes, fmt: str) -> None:
    """Raise a BundleError naming what a non-safetensors file looks like, if we can tell; else return."""
    for magic, what in MAGIC:
        if raw.startswith(magic):
            raise BundleError(f"This file is {what}. {UPLOAD}")
    if len(raw) > 1 and raw[0] == 0x80 and 2 <= raw[1] <= 5:      # PROTO opcode, protocol 2..5
        raise BundleError("This file is a Python pickle (an old PyTorch .pt file, say). This app never opens "
                          f"pickles: loading one can execute code hidden in the file. {UPLOAD}")
    head = raw[:4096]
    if b"\x00" not in head and head.decode("utf-8", "replace").count("\ufffd") <= 1:
        try:
            settings = json.loads(raw.decode("utf-8"))
        except (ValueError, RecursionError):
            settings = None
        if isinstance(settings, dict) and settings.get("format") == fmt:
            raise BundleError("This is the model's settings file (readable JSON), not the model itself. Upload the "
                              ".safetensors file you downloaded with it.")
        raise BundleError(f"This is a text file ({len(raw):,} bytes), not a model. {UPLOAD}")


def read_header(raw: bytes, fmt: str) -> dict:
    """The parsed safetensors header of `raw`, after checking that its sizes are consistent."""
    if len(raw) < 8:
        sniff(raw, fmt)
        raise BundleError(f"The file is only {len(raw)} bytes, too short to be a model file. {UPLOAD}")
    n = int.from_bytes(raw[:8], "little")
    if n > len(raw) - 8:
        sniff(raw, fmt)
        if n <= 100_000_000 and raw[8:9] == b"{":           # a real header, cut short
            raise BundleError(f"The file is cut off: its header alone should be {n:,} bytes, but only "
                              f"{len(raw) - 8:,} bytes follow. The download or upload was interrupted: "
                              "download the model again.")
        raise BundleError(f"This is not a safetensors model file: read as one, its first 8 bytes claim a "
                          f"{n:,}-byte header in a {len(raw):,}-byte file. {UPLOAD}")
    try:
        header = json.loads(raw[8:8 + n].decode("utf-8"))
    except (ValueError, RecursionError):
        header = None
    if not isinstance(header, dict):
        sniff(raw, fmt)
        if raw[8:9] == b"{":                                   # it was a header once: bytes changed in transit
            raise BundleError(f"The file's header ({n:,} bytes) is damaged: it is no longer readable JSON. "
                              "Download the model again.")
        raise BundleError(f"This is not a safetensors model file: its first {n + 8:,} bytes are not a readable "
                          f"header. {UPLOAD}")
    end = 0
    for name, spec in header.items():
        if name == "__metadata__":
            continue
        ok = (isinstance(spec, dict) and isinstance(spec.get("dtype"), str) and isinstance(spec.get("shape"), list)
              and all(_is_int(d) and d >= 0 for d in spec["shape"]) and isinstance(spec.get("data_offsets"), list)
              and len(spec["data_offsets"]) == 2 and all(_is_int(o) for o in spec["data_offsets"])
              and 0 <= spec["data_offsets"][0] <= spec["data_offsets"][1])
        if not ok:
            raise BundleError(f"The file's header is damaged: its entry for the tensor {str(name)[:60]!r} is not "
                              "a dtype, a shape and a byte range. Download the model again.")
        end = max(end, spec["data_offsets"][1])
    body = len(raw) - 8 - n
    if end > body:
        raise BundleError(f"The file is cut off: its header describes {end:,} bytes of weights, but only {body:,} "
                          "follow. The download or upload was interrupted: download the model again.")
    if end < body:
        extra = body - end
        raise BundleError(f"The file has {extra:,} byte{'s' if extra > 1 else ''} after its weights that its header "
                          "does not describe: it was damaged or joined to something else. Download the model again.")
    return header


# ----- the architecture: plain values only, each within the range a student's model can have

HIDDEN_MAX = 1024               # units; a bigger model would not train live on a laptop CPU anyway
ALPHABET_MAX = 1000             # characters a text model may know (its one-hot input and output size)
PERIOD_MAX = 10_000             # a calendar period (12 months, 7 days, 24 hours, ...)


# The fields of each kind's "arch": exactly what its class's from_arch reads (bundle.dump reads them off the
# model's attributes of the same names).
FIELDS = {"text": ("kind", "alphabet", "hidden_size"),
          "series": ("kind", "hidden_size", "mode", "transform", "offset", "scale", "period", "phase0")}


def check_arch(cls: type, kind: str, arch) -> torch.nn.Module:
    """The untrained model `arch` describes, rebuilt by cls.from_arch once every value is checked."""
    if not isinstance(arch, dict):
        raise BundleError(f"The model's settings have no architecture (\"arch\" is {type(arch).__name__}). "
                          "Download the model again.")
    fields = set(FIELDS[kind])
    missing, extra = sorted(fields - set(arch)), sorted(set(arch) - fields - {"class"})
    if missing or extra:
        said = ([f"missing {', '.join(missing)}"] if missing else []) + ([f"unknown {', '.join(map(str, extra))[:120]}"]
                                                                         if extra else [])
        raise BundleError(f"The model's architecture is incomplete or unknown ({'; '.join(said)}). Download the "
                          "model again from this version of the app.")
    if arch.get("class", cls.__name__) != cls.__name__:
        raise BundleError(f"The file's settings name the class {str(arch['class'])[:40]!r}, but a {kind} model is a "
                          f"{cls.__name__}. Download the model again.")
    problem = arch_problem(kind, arch)
    if problem:
        raise BundleError(f"The model's architecture is not one this app can build: {problem}. Download the "
                          "model again, or train a new one.")
    try:
        return cls.from_arch(arch)
    except (ValueError, TypeError, KeyError) as e:
        raise BundleError(f"The model's architecture is not one this app can build ({e}). Train a new one.") from None


def arch_problem(kind: str, arch: dict) -> str | None:
    """What is wrong with the values of a complete arch (None when nothing is)."""
    h = arch["hidden_size"]
    if not _is_int(h) or not 1 <= h <= HIDDEN_MAX:
        return f"the hidden size must be a whole number from 1 to {HIDDEN_MAX:,}, and it is {str(h)[:20]}"
    if kind == "text":
        if arch["kind"] not in ("lstm", "gru", "rnn"):
            return f"the cell must be 'lstm', 'gru' or 'rnn', and it is {str(arch['kind'])[:20]!r}"
        a = arch["alphabet"]
        if not isinstance(a, str) or not 2 <= len(a) <= ALPHABET_MAX:
            size = f"{len(a):,} characters" if isinstance(a, str) else type(a).__name__
            return f"the alphabet must hold 2 to {ALPHABET_MAX:,} characters, and it is {size}"
        if a[0] != "\x00":
            return "the alphabet must start with the unknown symbol (\\x00)"
        if len(set(a)) != len(a):
            return f"the alphabet lists {len(a) - len(set(a)):,} character(s) more than once"
        return None
    if arch["kind"] != "gru":
        return f"a series model's cell is 'gru', and it is {str(arch['kind'])[:20]!r}"
    if arch["mode"] not in ("level", "difference") or arch["transform"] not in ("none", "sqrt") or (
            arch["transform"] == "sqrt" and arch["mode"] != "level"):
        return (f"mode {str(arch['mode'])[:20]!r} with transform {str(arch['transform'])[:20]!r} is not one of "
                "level/none, level/sqrt, difference/none")
    for name in ("offset", "scale"):
        v = arch[name]
        if not isinstance(v, (int, float)) or isinstance(v, bool) or not math.isfinite(v):
            return f"the {name} must be a finite number, and it is {str(v)[:20]}"
    if arch["scale"] <= 0:          # z = (x − offset) / scale: 0 divides by zero, a negative flips the series
        return f"the scale must be above 0, and it is {arch['scale']}"
    p, p0 = arch["period"], arch["phase0"]
    if not _is_int(p) or not 0 <= p <= PERIOD_MAX or not _is_int(p0) or not 0 <= p0 <= max(p, 0):
        return (f"the period must be a whole number from 0 to {PERIOD_MAX:,} and the phase one from 0 to it, "
                f"and they are {repr(p)[:20]} and {repr(p0)[:20]}")
    return None


def _is_int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)
