"""The sidebar's page list (rnnviz.ui.page_list): one element, every page in course order under its group,
each at the address Streamlit serves it, the current page marked."""
from __future__ import annotations

import json

from kit import ROOT
from kit.browser import page_urls
from rnnviz import catalog
from rnnviz.ui import page_list


def page_list_data(at) -> dict:
    """The list's data as the page sends it to the browser (its one element, in the sidebar)."""
    found = [n for n in at.sidebar.get("bidi_component") if n.proto.component_name == page_list.NAME]
    assert len(found) == 1, f"{len(found)} page lists in the sidebar"
    return json.loads(found[0].proto.json)


def test_every_page_in_course_order_under_its_group():
    groups = page_list.groups()
    assert [g["title"] for g in groups] == ["", *catalog.GROUPS[1:]]
    listed = [p["path"] for g in groups for p in g["pages"]]
    assert listed == [t.path for t in catalog.course()]                   # Home, lessons, demos, teaching
    assert groups[0]["pages"][0] == {"path": catalog.HOME.path, "title": "Home", "icon": "home", "href": "./"}


def test_each_link_is_the_address_streamlit_serves_the_page_at():
    served = {path for _, path in page_urls(ROOT)}
    hrefs = {p["href"].removeprefix(".") for g in page_list.groups() for p in g["pages"]}
    assert hrefs == served                                 # "./Gradient_lab" → /Gradient_lab; "./" → /


def test_a_page_sends_one_list_with_itself_marked(apptest):
    at = apptest("pages/3_Gradient_lab.py")
    data = page_list_data(at)
    assert data["current"] == "pages/3_Gradient_lab.py"
    assert not at.sidebar.get("page_link")                 # not 17 st.page_link elements
    home = apptest()
    assert page_list_data(home)["current"] == catalog.HOME.path
