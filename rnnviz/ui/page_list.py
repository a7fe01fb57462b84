"""The sidebar's list of pages as one element: Home, the lessons, the demos, the teacher's pages.

    page_list.draw(st.sidebar, current="pages/3_Gradient_lab.py")      # ui.page_setup calls it

Why one element: a move of any control costs the browser time for the elements it did not change too, outside
its fragment and in the sidebar as well. Drawn as 17 st.page_link elements and two group captions, the list
was half a page's elements: measured in Chromium on a toy page (a fragment with a slider and a chart) against
the same page without them, 17 st.page_link cost +20-25 ms per move (the bare page's move ~70 ms in all), this
element +5-10 ms. Its script builds plain links once and leaves them alone while its data (the pages, the
current one) stays the same.

What a student gets is what st.page_link gave: a link per page with its icon, the current page marked
(aria-current), the group names, the keyboard (Tab, Enter), the list closing after a tap on a tablet or a
phone. A click opens the page in the same session, as st.page_link does (what the student opened and
answered stays, as the Home page's progress needs): the address becomes the page's, and Streamlit's
frontend opens the page an address names, as it does on the browser's Back. (Not st.switch_page from the server: it must clear the address's query, which Streamlit
refuses while widgets are bound to it, as every rnnviz control is.) A middle click or Ctrl-click opens
the page's address in a new tab, as any link does.
"""
from __future__ import annotations

from typing import Any

import streamlit as st

from rnnviz import catalog
from rnnviz.shared.plan import url_name     # the address Streamlit serves a page file at
from rnnviz.ui import access

NAME = "rnnviz_pages"
KEY = "page_list"

# The browser's half: the links, built again only when the list or the current page changes.
JS = r"""
%(collapse_js)s
export default function ({ parentElement, data }) {
  const drawn = JSON.stringify(data);
  if (parentElement.__rnnvizPages === drawn) return;
  parentElement.__rnnvizPages = drawn;
  let nav = parentElement.querySelector("nav.rnnviz-pages");
  if (!nav) {
    nav = document.createElement("nav");
    nav.className = "rnnviz-pages";
    nav.setAttribute("aria-label", "Pages");
    parentElement.appendChild(nav);
  }
  nav.replaceChildren();
  for (const group of data.groups) {
    if (group.title) {
      const h = document.createElement("div");
      h.className = "rnnviz-pages-group";
      h.textContent = group.title;
      nav.appendChild(h);
    }
    for (const page of group.pages) {
      const a = document.createElement("a");
      a.href = page.href;
      a.dataset.path = page.path;
      if (page.path === data.current) a.setAttribute("aria-current", "page");
      const icon = document.createElement("span");
      icon.className = "rnnviz-pages-icon";
      icon.setAttribute("aria-hidden", "true");
      icon.textContent = page.icon;
      const label = document.createElement("span");
      label.textContent = page.title;
      a.append(icon, label);
      a.addEventListener("click", (event) => {
        if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
        // The same session, as st.page_link: the address becomes the page's, and Streamlit opens the page
        // the address names, as it does on the browser's Back and Forward (its popstate handler).
        event.preventDefault();
        if (a.getAttribute("aria-current") === "page") return;
        window.history.pushState(null, "", a.href);
        window.dispatchEvent(new PopStateEvent("popstate"));
        // On a tablet or a phone the sidebar lies over the page: close it, as st.page_link does there
        // (without Streamlit remembering it as the student's choice: ui.access)
        const bar = a.closest('[data-testid="stSidebar"]');
        if (bar && window.innerWidth < %(small)d) collapseUnremembered(bar, window.localStorage);
      });
      nav.appendChild(a);
    }
  }
}
""" % {"collapse_js": access.COLLAPSE_JS, "small": access.SMALL}

# Streamlit's own look for a page link (st.page_link in the sidebar), from its theme's variables.
CSS = """
nav.rnnviz-pages { display: flex; flex-direction: column; gap: .125rem; font-family: var(--st-font); }
nav.rnnviz-pages a { display: flex; align-items: center; gap: .5rem; padding: .375rem .5rem;
  border-radius: var(--st-base-radius, .5rem); color: var(--st-text-color); text-decoration: none;
  line-height: 1.6; font-size: .875rem; }
nav.rnnviz-pages a:hover, nav.rnnviz-pages a[aria-current="page"] {
  background: color-mix(in srgb, var(--st-text-color) 10%, transparent); color: var(--st-text-color); }
nav.rnnviz-pages a[aria-current="page"] { font-weight: 600; }
nav.rnnviz-pages a:focus-visible { outline: 2px solid var(--st-primary-color); outline-offset: -2px; }
nav.rnnviz-pages .rnnviz-pages-icon { font-family: "Material Symbols Rounded"; font-size: 1rem; line-height: 1;
  width: 1rem; font-weight: 400; font-feature-settings: "liga"; -webkit-font-feature-settings: "liga"; }
nav.rnnviz-pages .rnnviz-pages-group { margin: .75rem 0 .25rem; font-size: .875rem; opacity: .6; }
"""


def _registered() -> None:
    """Register the element with this server's runtime, once (as ui.plot does)."""
    from streamlit.components.v2.get_bidi_component_manager import get_bidi_component_manager

    if get_bidi_component_manager().get(NAME) is None:
        st.components.v2.component(NAME, js=JS, css=CSS, isolate_styles=False)


def groups() -> list[dict[str, Any]]:
    """The list as drawn: Home and the first group's pages without a heading, then each other group under
    its name, in course order (rnnviz.catalog). (17 small dicts, some microseconds a full run: not cached,
    as the house keeps its caches bounded and measured: tests/ui/test_cache_budget.py.)"""
    def page(topic: catalog.Topic) -> dict[str, str]:
        # "./Gradient_lab" from any page's address (pages sit one level under the app, whatever its base path)
        return {"path": topic.path, "title": "Home" if topic is catalog.HOME else topic.title,
                "icon": topic.icon.removeprefix(":material/").removesuffix(":"), "href": f"./{url_name(topic.path)}"}
    first, *rest = catalog.GROUPS
    out = [{"title": "", "pages": [page(catalog.HOME), *map(page, catalog.in_group(first))]}]
    return out + [{"title": g, "pages": [page(t) for t in catalog.in_group(g)]} for g in rest if catalog.in_group(g)]


def draw(where: Any, current: str) -> None:
    """The list in `where` (the sidebar), `current` (a page file) marked."""
    _registered()
    where._bidi_component(NAME, key=KEY, data={"groups": groups(), "current": current}, isolate_styles=False)
