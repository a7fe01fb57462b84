"""A lesson plan: a teacher's short sequence of views, one link per line, to step through in class.

    https://school.example/Gradient_lab?scale=3.0&T=300 | Make the RNN explode
    /Memory_lab | Train all three live: which one remembers?
    # a line starting with # is a comment

A link is any page's address (every control of every page is in its URL, so the address *is* the view);
only its page name and its query count, so links copied from another server work too. After a `|` comes
the note the class sees above the page. No streamlit here: the Lesson plan page wires it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit

MAX_STEPS = 30            # a lesson, not a course
MAX_NOTE = 200            # characters of a note shown in the bar above a step


@dataclass(frozen=True)
class Step:
    page: str                                 # the page file, e.g. "pages/3_Gradient_lab.py"
    title: str                                # its title, as the page shows it
    note: str                                 # the teacher's words for this step
    query: dict[str, list[str]] = field(default_factory=dict)   # the view: every control's value

    def link(self) -> str:
        """The step's path and query, e.g. '/Gradient_lab?scale=3.0&T=300'."""
        name = url_name(self.page)
        query = urlencode([(k, v) for k, vs in self.query.items() for v in vs])
        return f"/{name}" + (f"?{query}" if query else "")


def url_name(page_file: str) -> str:
    """'pages/9_Surname_language.py' → 'Surname_language': the path Streamlit serves a page at."""
    stem = page_file.rsplit("/", 1)[-1].removesuffix(".py")
    head, _, rest = stem.partition("_")
    return rest if head.isdigit() and rest else stem


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
        link, _, note = line.partition("|")
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
        note = note.strip()[:MAX_NOTE] or titles[page]
        steps.append(Step(page, titles[page], note, query))
    return steps, problems


def _short(text: str, n: int = 60) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


# The sample plan's notes state what each view shows; tests/topics/plan/test_words_plan.py computes each of them.
SAMPLE = """\
# A 20-minute lesson on memory. One view per line: a link (copy it from any page), then | and a note.
/Unfolded_RNN?input=numbers&numbers=0,0,0,5,0,0,0,0,0,0,0,0 | One cell, reused at every step: watch the state jump at the 5, then forget it within a few steps
/BPTT | Training sends the loss's gradient back through every copy of the cell
/Gradient_lab?scale=3.0&T=300 | Predict first: what happens to the RNN's gradient when its recurrent weights W_hh are 3× larger?
/Gradient_lab?forget_bias=5.0 | With the LSTM's forget-gate bias at +5, more of its gradient reaches the first steps than at 0: how much more?
/Memory_lab | Now train all three live: which cell can carry a value across a sequence of 50 steps?
"""
