"""The registry of shipped weights: `pretrained/NAME.safetensors` plus one entry each in manifest.json.

    names()                          # the shipped models, as listed in the manifest
    model, meta = load("char_lstm")  # sha256 checked first; the model comes back in eval mode
    save(name, model, meta)          # what `python -m rnnviz.train NAME` calls at the end

Loading is safe by construction: safetensors holds only named tensors (no pickled code), the file's
sha256 must equal the manifest's before a byte is parsed, and the architecture is rebuilt from the
manifest's hyper-parameters, so a file can only ever fill in the numbers of a known model.

A corrupt file raises IntegrityError and a missing one FileNotFoundError, each with a message a page
can show as it is ("... rebuild it with `python -m rnnviz.train char_lstm`").
"""
from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path
from types import MappingProxyType

import torch
from safetensors.torch import load_file, save_file

from rnnviz import topics
from rnnviz.shared import char_model, classifier

ROOT = Path(__file__).resolve().parents[1] / "pretrained"
MANIFEST = "manifest.json"
FORMAT = 1


class IntegrityError(RuntimeError):
    """A weights file whose sha256 differs from the manifest's (truncated, edited or swapped)."""


def _root(root) -> Path:
    return Path(root) if root is not None else ROOT


def manifest(root=None) -> dict:
    path = _root(root) / MANIFEST
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: the shipped models cannot be listed.")
    data = json.loads(path.read_text())
    if data.get("format") != FORMAT:
        raise IntegrityError(f"{path}: unknown manifest format {data.get('format')!r}")
    return data


def names(root=None) -> list[str]:
    return sorted(manifest(root)["models"])


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def meta(name: str, root=None) -> dict:
    """A model's manifest entry (hyper-parameters, data, metrics, command) without loading its weights."""
    models = manifest(root)["models"]
    if name not in models:
        raise KeyError(f"no pretrained model named {name!r}; shipped: {', '.join(sorted(models)) or 'none'}")
    return models[name]


# The shared model modules, besides each topic's model.py: the character model (LSTM inside, GRU vs LSTM,
# Text generation) and the classifier (Sentiment, Surname).
SHARED_MODELS = (char_model, classifier)


@functools.cache
def architectures() -> MappingProxyType:
    """{class name: class} for every class a manifest entry may name: those each model module declares in
    its ARCHITECTURES, the topics' (rnnviz/topics/*/model.py) and the shared ones. Read-only, found once."""
    modules = [*topics.submodules("model").values(), *SHARED_MODELS]
    return MappingProxyType({cls.__name__: cls for module in modules for cls in getattr(module, "ARCHITECTURES", ())})


def build(arch: dict) -> torch.nn.Module:
    """The untrained architecture a manifest entry describes: only a declared class (architectures()),
    built from the entry's plain hyper-parameters with its from_arch (never code from a file)."""
    known = architectures()
    cls = known.get(arch.get("class"))
    if cls is None:
        raise IntegrityError(f"unknown model class {arch.get('class')!r}; known: {', '.join(sorted(known))}")
    return cls.from_arch(arch)


def load(name: str, root=None) -> tuple[torch.nn.Module, dict]:
    info = meta(name, root)
    path = _root(root) / info["file"]
    rebuild = f"rebuild it with `{info.get('command', f'python -m rnnviz.train {name}')}`"
    if not path.exists():
        raise FileNotFoundError(f"The weights of {name!r} ({path.name}) are missing; {rebuild}.")
    digest = sha256(path)
    if digest != info["sha256"]:
        raise IntegrityError(f"The weights of {name!r} ({path.name}) are corrupt: their sha256 "
                             f"{digest[:12]}… differs from the manifest's {info['sha256'][:12]}…; {rebuild}.")
    model = build(info["arch"])
    model.load_state_dict(load_file(str(path)), strict=True)
    return model.eval().requires_grad_(False), info


def save(name: str, model: torch.nn.Module, info: dict, root=None) -> dict:
    """Write NAME.safetensors and its manifest entry (sha256 and size added here); return the entry."""
    root = _root(root)
    root.mkdir(parents=True, exist_ok=True)
    path = root / f"{name}.safetensors"
    tensors = {k: v.detach().contiguous() for k, v in model.state_dict().items()}
    save_file(tensors, str(path), metadata={"name": name})
    entry = {**info, "file": path.name, "sha256": sha256(path), "bytes": path.stat().st_size}
    try:
        data = manifest(root)
    except FileNotFoundError:
        data = {"format": FORMAT, "models": {}}
    data["models"][name] = entry
    data["models"] = dict(sorted(data["models"].items()))
    (root / MANIFEST).write_text(json.dumps(data, indent=1, ensure_ascii=True) + "\n")
    return entry
