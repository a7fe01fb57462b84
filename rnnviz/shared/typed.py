"""What a page says about a typed text it had to clean: control characters dropped, a text cut to the
model's length, characters the model never saw (Date translation and Attention read typed text the same way).
Plain text: the page escapes it."""
from __future__ import annotations

import collections
import unicodedata


def visible(ch: str) -> str:
    """A character as a student can read it in a message: control and space characters by code point."""
    if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") or (ch.isspace() and ch != " "):
        return f"U+{ord(ch):04X}"
    return ch


def notes(control: collections.Counter, cut: int, unknown: collections.Counter, max_chars: int,
          plural: bool = False) -> list[str]:
    """One sentence per thing done to the typed text; `plural`: two models read it ("the models read")."""
    model, reads, it = ("models", "read", "they") if plural else ("model", "reads", "it")
    out = []
    if control:
        n = sum(control.values())
        out.append(f"{n} invisible control character{'s' if n != 1 else ''} dropped "
                   f"({', '.join(visible(c) for c, _ in control.most_common(6))}).")
    if cut:
        out.append(f"The {model} {reads} at most {max_chars} characters; {it} left out the last {cut:,}.")
    if unknown:
        n = sum(unknown.values())
        out.append(f"{n} character{'s' if n != 1 else ''} the {model} never saw in training "
                   f"({', '.join(visible(c) for c, _ in unknown.most_common(6))}) "
                   f"{'are' if n != 1 else 'is'} read as one unknown symbol, drawn ?.")
    return out
