"""The catalog: every topic's declaration (rnnviz/topics/<topic>/__init__.py), read once.

A topic is declared once, in its own folder: its title, icon, group, page file and one-line blurb. The page
list (the sidebar and Home), each page's title and tab icon (ui.page_setup), and the manifest of
models (`python -m rnnviz.train`, through the topics' recipes) all read it from here, so a title or an icon
is written once. Importing this module imports only the topics' __init__.py files, which hold declarations
and nothing heavy; no streamlit here.
"""
from __future__ import annotations

import importlib
from pathlib import Path
from rnnviz import topics as _topics

ROOT = Path(__file__).resolve().parent.parent
GROUPS = ("Lessons", "Demos", "Teaching")      # the sidebar's sections, in this order (Home sits above them)

# The course order, in which the sidebar and Home list the topics of each group (a topic not named here
# comes last in its group, alphabetically): first the forms of an RNN, then how it computes and learns,
# then what it remembers; the demos go from one answer per sequence to a sequence per sequence.
ORDER = ("architectures", "unfold", "bptt", "lab", "lstm_inside", "compare", "memory", "attention", "modern",
         "sentiment", "surname", "video", "generation", "music", "captions", "tagging", "speech", "dates", "forecast",
         "yourtext", "yourseries", "plan")


Topic = _topics.Topic


def _declared() -> dict[str, Topic]:
    out = {}
    for name in _topics.names():
        topic = getattr(importlib.import_module(f"{_topics.__name__}.{name}"), "TOPIC", None)
        if not isinstance(topic, Topic):
            raise ImportError(f"rnnviz/topics/{name}/__init__.py must declare TOPIC = Topic(...)")
        out[name] = topic
    return out


def _course_key(item: tuple[str, Topic]) -> tuple:
    name, topic = item
    return (ORDER.index(name) if name in ORDER else len(ORDER), name)


TOPICS: dict[str, Topic] = dict(sorted(_declared().items(), key=_course_key))
HOME = TOPICS.pop("home")
# The lessons and demos whose page exists (no placeholder pages), in course order.
LESSONS: list[Topic] = [t for t in TOPICS.values() if t.group in GROUPS and (ROOT / t.path).is_file()]


def in_group(group: str) -> list[Topic]:
    """The lessons (or demos, or ...) of `group`, in course order."""
    return [t for t in LESSONS if t.group == group]


def course() -> list[Topic]:
    """Every page in the order a class meets them: Home, the lessons, the demos, then the teacher's pages."""
    return [HOME, *(t for group in GROUPS for t in in_group(group))]


def next_after(path: str) -> Topic:
    """The page that follows the page file `path` in course order: Home leads to the first lesson, the last
    lesson to the first demo, each demo to the next, and the last page back to Home."""
    paths = [t.path for t in course() if t.group != "Teaching"]
    if path not in paths or path == paths[-1]:
        return HOME                                  # the last demo, and the teacher's pages
    return topic_of(paths[paths.index(path) + 1])


def topic_of(path: str) -> Topic:
    """The declaration of the topic whose page file is `path`."""
    for topic in [HOME, *TOPICS.values()]:
        if topic.path == path:
            return topic
    raise KeyError(path)
