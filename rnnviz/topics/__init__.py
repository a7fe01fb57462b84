"""The topics: one folder per lesson or demo, holding everything that topic is made of.

    rnnviz/topics/<topic>/
        __init__.py   the declaration (title, icon, group, page file, blurb, minutes)
        data.py       its data set's loader (fetch() at set-up time, never at run time)
        model.py      its model class            recipe.py   train -> evaluate -> manifest entry
        compute.py    its computations           words.py    what the page says (see below)
        figures.py    its charts (plotly)        view.py     the page: main(), run by its file in pages/
                                                 view_parts.py  the view's cached calls and sections

Only view*.py speak Streamlit. A words.py names things the same way on every page: INTRO (the paragraph
under the title), HELP ({control key: its tooltip}), PRESETS ("what to try": (label, controls it sets, note),
or the presets a function experiments(...) completes with measured numbers), QUESTION and ANSWERS (or
question(...) when the question quotes the view) with reveal(...) -> (index of the right answer,
explanation), and EQUATIONS ((what to read, then its equations), for the page's equations) where it has them.

A topic builds on the flat core (rnnviz/*.py) and on rnnviz/shared; no topic imports another's view.
A model.py whose weights ship lists its classes in ARCHITECTURES (pretrained.build rebuilds only those);
a recipe.py lists RECIPES = {name: build} (`python -m rnnviz.train NAME`, `make models`).
"""
from __future__ import annotations

import importlib
import importlib.util
import pkgutil
from types import ModuleType
from typing import NamedTuple


# A topic's declaration, in its __init__.py as TOPIC = Topic(...); rnnviz.catalog collects them (it lives
# apart, so that importing one topic never makes the catalog import the others half-initialised).
class Topic(NamedTuple):
    path: str       # the page file, relative to the app folder ("pages/7_Memory_lab.py"; Home is "app.py")
    title: str      # the page's title, tab title and sidebar label
    icon: str       # a Material symbol, ":material/psychology:" (the tab shows it from assets/icons)
    group: str      # "Home" | one of GROUPS
    blurb: str      # one line for the Home page
    # The minutes a class needs for the page's main view, its question and a preset or two, as a teacher
    # plans a lesson with them (Home lists them and their total); 0 for a page that is not taught (the
    # Lesson plan). Honest, not hopeful: a live training or a long read takes what it takes.
    minutes: int = 0


def names() -> list[str]:
    """Every topic folder's name, alphabetically."""
    return sorted(info.name for info in pkgutil.iter_modules(__path__) if info.ispkg)


def submodules(part: str) -> dict[str, ModuleType]:
    """{topic: its module `part`} for the topics that have one (e.g. "recipe", "data")."""
    out = {}
    for topic in names():
        name = f"{__name__}.{topic}.{part}"
        if importlib.util.find_spec(name) is not None:
            out[topic] = importlib.import_module(name)
    return out
