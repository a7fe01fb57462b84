"""Issue 22, Home: where to start (above the fold: tests/app/test_browser_classroom.py), the lessons numbered in
course order with their minutes and their total, the demos apart, and the way on ("Next: ...")."""
from __future__ import annotations

import re

from rnnviz import catalog


def page_links(at) -> list[tuple[str, str]]:
    """(label, url name) of the main body's page links, in order (the sidebar's are left out)."""
    sidebar = {link.proto.label for link in at.sidebar.get("page_link")}
    return [(x.proto.label, x.proto.page) for x in at.main.get("page_link") if x.proto.label not in sidebar]


def test_home_says_where_to_start_and_numbers_the_lessons_with_their_minutes(apptest):
    at = apptest()
    assert not at.exception
    lessons, demos = catalog.in_group("Lessons"), catalog.in_group("Demos")
    first = lessons[0]
    shown = page_links(at)
    # Start here: the first lesson, before anything else on the page
    assert shown[0] == (f"1. {first.title}", "Architectures")
    said = " ".join(m.value for m in at.markdown)
    assert f"Start here:** lesson 1 of {len(lessons)}, {first.minutes} minutes" in said
    # the lessons, numbered in course order, each with its minutes; the total is their sum
    numbered = [label for label, _ in shown if re.match(r"\d+\. ", label)][1:]
    assert numbered == [f"{k}. {t.title} · {t.minutes} min" for k, t in enumerate(lessons, start=1)]
    total = sum(t.minutes for t in lessons)
    assert 60 <= total <= 120 and all(5 <= t.minutes <= 15 for t in lessons + demos)
    captions = " ".join(c.value for c in at.caption)
    assert f"{len(lessons)} lessons, {total} minutes in all" in captions
    # the demos apart, after the lessons, with their minutes
    assert [label for label, _ in shown if " min" in label and not re.match(r"\d+\. ", label)] == [
        f"{t.title} · {t.minutes} min" for t in demos]
    assert [h.value for h in at.header][:2] == ["The lessons", "The demos"]
    assert f"{len(demos)} trained models at work, {sum(t.minutes for t in demos)} minutes" in captions
    # and the way on
    assert shown[-1] == (f"Next: {first.title}", "Architectures")


def test_the_course_order_leads_every_page_on_and_back_home():
    pages = [t for t in catalog.course() if t.group != "Teaching"]
    walked, here = [], catalog.HOME
    for _ in pages:
        walked.append(here)
        here = catalog.next_after(here.path)
    assert walked == pages and here is catalog.HOME                      # every page once, then Home again
    lessons, demos = catalog.in_group("Lessons"), catalog.in_group("Demos")
    assert catalog.next_after(lessons[-1].path) == demos[0]             # the last lesson: the first demo
    assert catalog.next_after("pages/14_Lesson_plan.py") is catalog.HOME
