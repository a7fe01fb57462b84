"""Sound on request: a button that plays a WAV only when pressed (Speech's word, Music's tune).

    ui.hear(where, "Hear it", make_wav, key="hear", help=...)

The WAV is made in the run of the press alone, and the player is drawn there with autoplay: the press is a
click on the page, so the browser lets it start by itself. Any later run (a move of a control) draws the button
without a player, so an old sound never plays beside a new chart. Why not a player at every run: each move
then made, stored and sent a new WAV (a 20 s tune ~900 kB) that the browser fetched and decoded, sound nobody
had asked for: a third of Music's move on the server, ~50 ms of Speech's in the browser (issue 22, measured).
"""
from __future__ import annotations

from typing import Any, Callable

ICON = ":material/volume_up:"


def hear(where: Any, label: str, wav: Callable[[], bytes], key: str, help: str | None = None) -> bool:
    """The button in `where`; pressed, the player beside it, playing `wav()`. Returns whether it was pressed."""
    pressed = where.button(label, key=key, icon=ICON, help=help)
    if pressed:
        where.audio(wav(), format="audio/wav", autoplay=True)
    return pressed
