"""What a page says under its charts, read from an AppTest: the visible sentence (the page's own, written by
a person) and the automatic summary kept in "The numbers" popover (for screen readers, not the eye).

    said = chart_words(at)        # {chart key: ChartWords(sentence, numbers)}
    visible_text(at)              # every markdown and caption a student sees without opening anything
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from kit.charts import as_chart, is_chart


@dataclass
class ChartWords:
    sentence: str | None          # the caption right under the chart, outside the popover (None: no sentence)
    numbers: str | None           # the automatic summary inside the chart's "The numbers" popover


def _walk(node, inside: tuple[str, ...] = ()) -> Iterator[tuple[object, tuple[str, ...]]]:
    """Every element in page order, with the kinds of the blocks around it ("popover", "expander", ...)."""
    children = getattr(node, "children", None)
    if children is None:
        yield node, inside
        return
    kind = getattr(node, "type", None) or ""
    proto = getattr(node, "proto", None)
    if proto is not None and hasattr(proto, "WhichOneof"):
        try:
            kind = proto.WhichOneof("type") or kind
        except (TypeError, ValueError):
            pass
    for k in sorted(children):
        yield from _walk(children[k], (*inside, str(kind)))


def elements(at) -> list[tuple[object, tuple[str, ...]]]:
    return list(_walk(at._tree))


def chart_words(at) -> dict[str, ChartWords]:
    """Per plotly chart (by its key): the caption just after it outside a popover, and the summary inside
    the popover that follows it."""
    out: dict[str, ChartWords] = {}
    els = elements(at)
    for n, (el, _) in enumerate(els):
        if not is_chart(el):
            continue
        key = as_chart(el).key
        sentence = numbers = None
        for other, inside in els[n + 1:]:
            kind = getattr(other, "type", None)
            if is_chart(other):
                break
            if kind == "caption" and "popover" in inside:
                numbers = other.value
                break
            if kind == "caption" and sentence is None:
                sentence = other.value
        out[key] = ChartWords(sentence, numbers)
    return out


def visible_text(at) -> str:
    """The text a student sees without opening a popover (expanders count as seen: a click away, and
    their content is on the page)."""
    said = []
    for el, inside in elements(at):
        if "popover" in inside:
            continue
        value = getattr(el, "value", None)
        if getattr(el, "type", None) in ("markdown", "caption", "alert", "success", "info", "warning", "error",
                                         "subheader", "header", "title", "latex") and isinstance(value, str):
            said.append(value)
    return "\n".join(said)
