"""Text coloured by a number per character, as HTML built from escaped text (never from raw input).

    html = colored_text("To be", values, signed=True)     # one <span> per character
    st.html(html)                                          # no markdown pass: `*`, `$`, `_` stay literal

Each character sits on a background whose strength is its value: a gate in [0, 1] lights up in the
gate heatmap's "open" yellow (as bright as the gate is open); a signed state is red above 0 and blue
below, like the heatmaps' diverging scale. Hovering a character shows its step and value.
"""
from __future__ import annotations

import html
import math
from typing import Sequence

OPEN = (247, 227, 91)          # the gate heatmap's "open" end (rnnviz.shared.gates.GATE_SCALE)
POSITIVE = (178, 24, 43)       # the red end of RdBu_r (SIGNED_SCALE)
NEGATIVE = (33, 102, 172)      # its blue end
MAX_ALPHA = 0.85               # the strongest background still lets the letter show through
SHOWN = {" ": " ", "\n": "↵", "\x00": "�"}


def shown(ch: str) -> str:
    """A character as drawn: a newline as ↵ (the line then breaks), anything unprintable as �."""
    if ch in SHOWN:
        return SHOWN[ch]
    return ch if ch.isprintable() else "�"


def _background(value: float, signed: bool, scale: float) -> str:
    if not math.isfinite(value):
        return "transparent"
    if signed:
        rgb, alpha = (POSITIVE if value >= 0 else NEGATIVE), min(1.0, abs(value) / scale)
    else:
        rgb, alpha = OPEN, min(1.0, max(0.0, value))
    return f"rgba({rgb[0]},{rgb[1]},{rgb[2]},{alpha * MAX_ALPHA:.2f})"


def colored_text(text: str, values: Sequence[float], signed: bool, scale: float | None = None,
                 label: str = "value", unknown: Sequence[bool] | None = None) -> str:
    """HTML of `text`, one span per character with a background set by `values` (same length).

    signed: values around 0 (states, tanh): red/blue, strength |v| / scale (scale: the largest |v|).
    not signed: gates in [0, 1]: yellow, strength v. Non-finite values get no colour ("n/a" on hover).
    unknown: per character, True where the model read the unknown symbol (underlined with dots).
    Every character and the label are escaped here; the result is safe to render as HTML.
    """
    vals = [float(v) for v in values][:len(text)]
    finite = [abs(v) for v in vals if math.isfinite(v)]
    scale = scale if scale and scale > 0 else (max(finite) if finite and max(finite) > 0 else 1.0)
    label = html.escape(label, quote=True)
    unknown = list(unknown) if unknown is not None else [False] * len(vals)
    spans = []
    for t, (ch, v, odd) in enumerate(zip(text, vals, unknown), start=1):
        number = f"{v:+.3f}" if math.isfinite(v) else "n/a"
        tip = html.escape(f"{t}: {shown(ch)!r}", quote=True) + (" (read as unknown)" if odd else "")
        style = f"background:{_background(v, signed, scale)}" + (";text-decoration:underline dotted" if odd else "")
        spans.append(f'<span title="{tip} · {label} {number}" style="{style}">'
                     f"{html.escape(shown(ch), quote=True)}</span>" + ("<br>" if ch == "\n" else ""))
    return ('<div style="font-family:\'Source Code Pro\',monospace;font-size:0.95rem;line-height:1.9;'
            'white-space:pre-wrap;overflow-wrap:anywhere;padding:0.6rem 0.8rem;border-radius:0.5rem;'
            'border:1px solid rgba(128,128,128,0.35)">' + "".join(spans) + "</div>")


def legend(signed: bool, scale: float | None = None) -> str:
    """A one-line key to the colours of `colored_text` (HTML, no user text)."""
    def chip(rgb, alpha, text):
        return (f'<span style="background:rgba({rgb[0]},{rgb[1]},{rgb[2]},{alpha * MAX_ALPHA:.2f});'
                f'padding:0 0.4rem;border-radius:0.25rem">{text}</span>')
    if signed:
        s = f"{scale:.2f}" if scale else "max"
        parts = [chip(NEGATIVE, 1, f"−{s}"), chip(NEGATIVE, 0.4, "−"), chip(POSITIVE, 0, "0"),
                 chip(POSITIVE, 0.4, "+"), chip(POSITIVE, 1, f"+{s}")]
    else:
        parts = [chip(OPEN, a, f"{a:g}") for a in (0, 0.25, 0.5, 0.75, 1)]
    return ('<div style="font-size:0.85rem;opacity:0.85">colour: ' + " ".join(parts)
            + " · hover a character for its step and value</div>")
