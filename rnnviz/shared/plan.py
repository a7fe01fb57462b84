"""A lesson plan: a teacher's short sequence of views, one link per line, to step through in class.

    https://school.example/Gradient_lab?scale=3.0&T=300 | 5 min | Make the RNN explode | Predict first: how far?
    /Memory_lab | Train all three live: which one remembers?
    / | 5 min | Home: why order matters
    # a line starting with # is a comment

A link is any page's address (every control of every page is in its URL, so the address *is* the view);
only its page name and its query count, so links copied from another server work too ("/" is Home). After
the link, between `|`s and in any order: the minutes the step takes ("5 min"), the question the class
answers before the teacher reveals ("Predict first: ..."), and the note the class sees above the page.
The app ships two timed plans (PLANS: 20 and 90 minutes); a step's address names its plan (PLAN: a shipped
plan's name, or a teacher's own plan's whole text) and its step, so a reload or the browser's Back keeps
the plan. No streamlit here: the Lesson plan page and rnnviz.ui.frame wire it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit

from rnnviz import catalog

MAX_STEPS = 30            # a lesson, not a course
MAX_NOTE = 200            # characters of a note (or of a prediction) shown in the bar above a step
MAX_TEXT = 8000           # characters of a plan's text (its address carries them)
PLAN, STEP = "lesson_plan", "plan_step"    # a step's address: its plan (a name in PLANS, or the text), its number
_MINUTES = re.compile(r"([0-9]{1,3}) ?min(utes?)?", re.IGNORECASE)
_PREDICT = re.compile(r"predict( first)?:", re.IGNORECASE)


@dataclass(frozen=True)
class Step:
    page: str                                 # the page file, e.g. "pages/3_Gradient_lab.py"
    title: str                                # its title, as the page shows it
    note: str                                 # the teacher's words for this step
    query: dict[str, list[str]] = field(default_factory=dict)   # the view: every control's value
    minutes: int | None = None                # how long the step takes in class, if the plan says
    predict: str = ""                         # what the class predicts before the teacher reveals, if any

    def link(self) -> str:
        """The step's path and query, e.g. '/Gradient_lab?scale=3.0&T=300' ('/' for Home)."""
        name = url_name(self.page)
        query = urlencode([(k, v) for k, vs in self.query.items() for v in vs])
        return f"/{name}" + (f"?{query}" if query else "")


def url_name(page_file: str) -> str:
    """'pages/9_Surname_language.py' → 'Surname_language': the path Streamlit serves a page at ('' for
    Home, app.py, served at '/')."""
    if page_file == catalog.HOME.path:
        return ""
    stem = page_file.rsplit("/", 1)[-1].removesuffix(".py")
    head, _, rest = stem.partition("_")
    return rest if head.isdigit() and rest else stem


def pages() -> dict[str, tuple[str, str]]:
    """{url name: (page file, title)} of every page a step can open: Home, the lessons and the demos."""
    return {url_name(t.path): (t.path, t.title) for t in catalog.course() if t.group != "Teaching"}


def parse_link(link: str, pages: dict[str, str]) -> tuple[str, dict[str, list[str]]] | None:
    """'http://host/Gradient_lab?T=200&scale=3' or '/Gradient_lab?T=200' → (page file, query); None when
    it names none of `pages` ({url name: page file})."""
    parts = urlsplit(link.strip())
    path = parts.path.strip("/")
    name = path.split("/")[-1] if path else ""
    if name not in pages:
        return None
    query: dict[str, list[str]] = {}
    for k, v in parse_qsl(parts.query, keep_blank_values=True):
        query.setdefault(k, []).append(v)
    return pages[name], query


def parse(text: str, pages: dict[str, tuple[str, str]], present: bool = False) -> tuple[list[Step], list[str]]:
    """The steps written in `text`, and a message for each line that is not one.

    `pages` maps url name → (page file, title). With `present`, every step opens in presentation mode
    unless its link says otherwise.
    """
    files = {name: file for name, (file, _) in pages.items()}
    titles = {file: title for file, title in pages.values()}
    steps: list[Step] = []
    problems: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = "".join(ch for ch in line if ch.isprintable()).strip()
        if not line or line.startswith("#"):
            continue
        link, *fields = line.split("|")
        found = parse_link(link, files)
        if found is None:
            problems.append(f"Line {number}: “{_short(link.strip())}” is not a link to one of the pages "
                            f"(e.g. /Gradient_lab?T=300, or an address copied from a page).")
            continue
        if len(steps) == MAX_STEPS:
            problems.append(f"Line {number} and after: a plan has at most {MAX_STEPS} steps.")
            break
        page, query = found
        if present:
            query.setdefault("present", ["true"])
        minutes, predict, note = _fields(fields)
        steps.append(Step(page, titles[page], note[:MAX_NOTE] or titles[page], query, minutes, predict[:MAX_NOTE]))
    return steps, problems


def _fields(fields: list[str]) -> tuple[int | None, str, str]:
    """A line's fields after its link: (minutes, the prediction, the note). A field that is only a time
    ("5 min") is the minutes, one starting with "Predict first:" the prediction, the rest the note (a note
    may hold a | of its own: the fields that are neither are joined back)."""
    minutes, predict, note = None, "", []
    for text in (f.strip() for f in fields):
        if (m := _MINUTES.fullmatch(text)) and minutes is None:
            minutes = int(m.group(1))
        elif _PREDICT.match(text) and not predict:
            predict = text
        elif text:
            note.append(text)
    return minutes, predict, " | ".join(note)


def total_minutes(steps: list[Step]) -> int | None:
    """The plan's length in minutes, when every step says how long it takes."""
    return sum(s.minutes for s in steps) if steps and all(s.minutes is not None for s in steps) else None


def steps_of(ref: str) -> list[Step]:
    """The steps of the plan a step's address names (PLAN=ref): a shipped plan's name, or a plan's text."""
    text = PLANS[ref][1] if ref in PLANS else ref[:MAX_TEXT]
    return parse(text, pages())[0]


def ref_of(text: str) -> str:
    """What a step's address carries to name the plan written in `text`: a shipped plan's short name,
    else the text itself (a teacher's own plan travels whole in its links)."""
    for name, (_, shipped) in PLANS.items():
        if text.strip() == shipped.strip():
            return name
    return text


def _short(text: str, n: int = 60) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


# The shipped plans, by the short name their steps' addresses carry: (title, text). Every step has its minutes
# (adding up to the plan's length) and a "Predict first" question asked before the view answers it; what a
# note states about a view, tests/topics/plan/test_words_plan.py computes, and test_page_plan.py opens every
# step's view and presses every preset a note names (“…”).
SAMPLE = """\
# A 20-minute lesson on memory. One view per line: a link (copy it from any page), then | the minutes | a note | a question.
/Unfolded_RNN?input=numbers&numbers=0,0,0,5,0,0,0,0,0,0,0,0 | 4 min | One cell, reused at every step: watch the state jump at the 5 | Predict first: does the state keep the 5, or forget it within a few steps?
/BPTT | 3 min | Training sends the loss's gradient back through every copy of the cell | Predict first: does the last step's loss reach only the last copy, or every copy before it?
/Gradient_lab?scale=3.0&T=300 | 5 min | The RNN's recurrent weights W_hh are 3× larger, over 300 steps | Predict first: does the RNN's gradient at the first steps explode as much as the bound says, less, or still vanish?
/Gradient_lab?forget_bias=5.0 | 3 min | With the LSTM's forget-gate bias at +5, more of its gradient reaches the first steps than at 0 | Predict first: how much more: twice as much, ten times, or over a hundred times?
/Memory_lab | 5 min | Now train all three live | Predict first: which cell can carry a value across a sequence of 50 steps?
"""

COURSE = """\
# A 90-minute lesson: the whole course, every lesson and two demos. One view per line: a link | the minutes | a note | a question.
/ | 5 min | Sequences: text, a series, audio, video; and why order carries the meaning | Predict first: “dog bites man” and “man bites dog”: can a model that only counts words tell them apart?
/Architectures | 7 min | The forms of a recurrent network, from one-to-one to encoder–decoder | Predict first: to tag every word of a sentence, does the network answer once at the end, or at every word?
/Unfolded_RNN?input=numbers&numbers=0,0,0,5,0,0,0,0,0,0,0,0 | 9 min | One cell, reused at every step: step through, then press “The same word twice” | Predict first: after the 5, does the state keep it, or forget it within a few steps?
/BPTT | 9 min | Every step's loss sends its gradient back through the copies of the cell; then press “Cut hard: k = 1” | Predict first: does a loss at the last step change the weights only through the last step, or through every step before it too?
/Gradient_lab?scale=3.0&T=300 | 10 min | The RNN's recurrent weights 3× larger, over 300 steps; then press “Give the LSTM a memory: forget bias +5” | Predict first: does the RNN's gradient at the first steps explode as much as the bound says, less, or still vanish?
/LSTM_inside | 8 min | A trained LSTM reads Shakespeare: its gates and cell state, character by character | Predict first: on average, which gate is the most open: input, forget or output?
/GRU_vs_LSTM | 6 min | The same text through a trained GRU and a trained LSTM: gates, states and parameters | Predict first: at the same width, which cell has more parameters, and by how much?
/Memory_lab | 8 min | Train an RNN, an LSTM and a GRU live on a long-range task; then press “Short memory: T = 10” | Predict first: which cell solves the 50-step task first, and does the plain RNN catch up when the sequence is short?
/Attention | 8 min | The encoder–decoder's single vector c against attention, on numbers written in words; then press “Long: 777,777 in words” | Predict first: as the words get longer, whose exact match falls: the model with one vector c, the one with attention, or neither?
/Modern_RNNs | 6 min | From the GRU to minGRU: take h(t−1) out of the gates and the recurrence turns linear; then press “Remove h_{t−1}: the minGRU” | Predict first: for a sequence of 4,096 steps, how many rounds that wait for each other does the parallel scan need?
/Sentiment | 7 min | Many-to-one: a verdict after every word of a review | Predict first: what does the model make of “not at all bad”: positive or negative?
/Text_generation | 7 min | One-to-many: a character model writes, one drawn character at a time | Predict first: with top-k = 1 (always the favourite character), what happens to the text after a while?
"""

PLANS = {"20": ("20 minutes: memory", SAMPLE), "90": ("90 minutes: the whole course", COURSE)}
