"""One browser-like session: a student's tab speaking Streamlit's own websocket protocol, as the browser does.

bench/load.py runs a room of them against one server (30 cost the client little, so the figures measure the
server, not 30 Chromiums on a 2-core machine); tests/app/test_load.py and tests/app/test_docker.py drive one.

  connect  ws://127.0.0.1:PORT/_stcore/stream (subprotocol "streamlit")
  send     BackMsg.rerun_script = ClientState(query_string, page_name | page_script_hash, widget_states,
           cached_message_hashes)                    # a page load, a slider move, a typed text, a click
  receive  ForwardMsg: new_session (the run started), navigation (the pages and their hashes), deltas (the
           page's elements, widgets with their ids, `...-T` for the widget keyed "T"), auto_rerun (an
           st.fragment(run_every=...): the client must ask for it, as the browser's timer does), ref_hash (an
           element the client said it has cached), script_finished (the run is over).

A "move" sends the changed widget's value in widget_states (the server keeps the others' last values, as it
does for the browser); its latency is send → script_finished of the run it started (also: send → first
element). Each call returns a Sample.
"""
from __future__ import annotations

import asyncio
import contextlib
import json
import time
from dataclasses import dataclass

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

RUN_TIMEOUT_S = 60                          # one interaction; longer counts as an error ("timeout")
FINISHED = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_WITH_COMPILE_ERROR}


@dataclass
class Sample:
    """One interaction, as the student waited for it."""
    page: str
    kind: str            # open, move, type, train, tick (and connection, room: errors)
    seconds: float       # send → script_finished
    first: float | None  # send → first element
    error: str | None = None
    cpu: float | None = None   # the server's CPU seconds in that time (measured when alone only)


class Session:
    """One student's tab, speaking Streamlit's websocket protocol. Not thread-safe: one asyncio task."""

    def __init__(self, url: str, ident: int = 0):
        self.url, self.ident = url, ident
        self.ws = None
        self.pages: dict[str, str] = {}          # url path → page_script_hash (from new_session)
        self.page = ""                           # the url path shown ("" is Home)
        self.query = ""
        self.widgets: dict[str, tuple[str, str]] = {}   # user key → (widget id, element kind), last run
        self.elements: dict[tuple, object] = {}  # delta path → Element of the current run
        self.states: dict[str, WidgetState] = {}  # widget id → the value this tab holds
        self.cache: dict[str, ForwardMsg] = {}   # hash → cacheable ForwardMsg (the browser's message cache)
        self.fragments: dict[str, float] = {}    # fragment id → auto-rerun interval (s)
        self.exceptions: list[str] = []
        self.progress_text = ""
        self.finished = asyncio.Event()
        self.started_run = False                 # a new_session arrived since our last request
        self.fragment_done = asyncio.Event()
        self.first_element: float | None = None
        self.received_bytes = 0
        self.references = 0                      # elements the server sent as a reference to our cache
        self._reader: asyncio.Task | None = None
        self._busy = asyncio.Lock()

    # ----- connection
    async def connect(self) -> None:
        self.ws = await websockets.connect(self.url.replace("http", "ws", 1) + "/_stcore/stream",
                                           subprotocols=["streamlit"], max_size=None, open_timeout=30,
                                           ping_interval=None)
        self._reader = asyncio.create_task(self._read())

    async def close(self) -> None:
        if self._reader:
            self._reader.cancel()
            with contextlib.suppress(BaseException):
                await self._reader
        if self.ws:
            with contextlib.suppress(Exception):
                await self.ws.close()

    # ----- what a user does
    async def open(self, page: str, query: str = "") -> Sample:
        """Load a lesson as a link would (a new page: its widgets start from the URL)."""
        self.page, self.query, self.states = page, query, {}
        return await self._rerun("open", page_name=page)

    async def set(self, key: str, value) -> Sample:
        """Move the widget keyed `key` to `value` (a slider, number, text box, toggle or dropdown)."""
        wid, kind = self.widgets[key]
        ws = WidgetState(id=wid)
        if kind == "slider":
            ws.double_array_value.data.append(float(value))
        elif kind == "number_input":
            ws.double_value = float(value)
        elif kind == "checkbox":
            ws.bool_value = bool(value)
        elif kind in ("text_input", "text_area", "selectbox", "radio"):
            ws.string_value = str(value)
        else:
            raise ValueError(f"widget {key!r} is a {kind}: not driven here")
        self.states[wid] = ws
        return await self._rerun("type" if isinstance(value, str) else "move")

    async def click(self, key: str, kind: str = "click") -> Sample:
        wid, _ = self.widgets[key]
        trigger = WidgetState(id=wid, trigger_value=True)   # a button is true for one run only
        return await self._rerun(kind, extra=[trigger])

    # ----- the protocol
    def _client_state(self, extra=(), fragment_id: str = "", page_name: str | None = None) -> BackMsg:
        msg = BackMsg()
        cs = msg.rerun_script
        cs.query_string = self.query
        if page_name is not None and page_name not in self.pages:
            cs.page_name = page_name                 # a first visit: the server finds the page by its URL
        else:
            cs.page_script_hash = self.pages.get(self.page, "")
        cs.widget_states.widgets.extend([*self.states.values(), *extra])
        cs.cached_message_hashes.extend(list(self.cache)[-500:])
        if fragment_id:
            cs.fragment_id, cs.is_auto_rerun = fragment_id, True
        return msg

    async def _rerun(self, kind: str, extra=(), page_name: str | None = None) -> Sample:
        async with self._busy:
            self.finished.clear()
            self.started_run, self.first_element = False, None
            n_exceptions = len(self.exceptions)
            t0 = time.monotonic()
            await self.ws.send(self._client_state(extra, page_name=page_name).SerializeToString())
            error = None
            try:
                await asyncio.wait_for(self.finished.wait(), RUN_TIMEOUT_S)
            except asyncio.TimeoutError:
                error = "timeout"
            seconds = time.monotonic() - t0
            if len(self.exceptions) > n_exceptions:
                error = "exception: " + self.exceptions[-1][:200]
            first = None if self.first_element is None else self.first_element - t0
            return Sample(self.page, kind, seconds, first, error)

    async def tick(self, fragment_id: str) -> Sample | None:
        """One auto-rerun of a fragment, as the browser's timer sends it; None if the tab is busy."""
        if self._busy.locked():
            return None
        async with self._busy:
            self.fragment_done.clear()
            self.first_element = None
            t0 = time.monotonic()
            await self.ws.send(self._client_state(fragment_id=fragment_id).SerializeToString())
            error = None
            try:
                await asyncio.wait_for(self.fragment_done.wait(), RUN_TIMEOUT_S)
            except asyncio.TimeoutError:
                error = "timeout"
            first = None if self.first_element is None else self.first_element - t0
            return Sample(self.page, "tick", time.monotonic() - t0, first, error)

    async def _read(self) -> None:
        async for data in self.ws:
            self.received_bytes += len(data)
            msg = ForwardMsg()
            msg.ParseFromString(data)
            self._handle(msg)

    def _handle(self, msg: ForwardMsg) -> None:
        kind = msg.WhichOneof("type")
        if kind == "ref_hash":                       # the server trusts our cache for this element
            cached = self.cache.get(msg.ref_hash)
            if cached is None:
                self.exceptions.append(f"server referred to an element this tab never received: {msg.ref_hash}")
                return
            self.references += 1
            path = tuple(msg.metadata.delta_path)
            msg = ForwardMsg()
            msg.CopyFrom(cached)
            msg.metadata.delta_path[:] = path
            kind = "delta"
        elif msg.metadata.cacheable and msg.hash:
            self.cache[msg.hash] = msg
        if kind == "navigation":                     # the pages, by URL, with the hashes a rerun names
            self.pages = {p.url_pathname: p.page_script_hash for p in msg.navigation.app_pages}
        elif kind == "new_session":
            if not msg.new_session.fragment_ids_this_run:    # a full run: the page is drawn anew, and
                self.elements, self.widgets, self.fragments = {}, {}, {}   # re-arms the timers it needs
                self.started_run = True
        elif kind == "delta" and msg.delta.WhichOneof("type") == "add_block":
            block = msg.delta.add_block               # a keyed (lazy) expander is a widget too: its open state
            if block.WhichOneof("type") == "expandable" and "-" in block.expandable.id:     # is a bool
                self.widgets[block.expandable.id.rsplit("-", 1)[1]] = (block.expandable.id, "checkbox")
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            if self.first_element is None:
                self.first_element = time.monotonic()
            el = msg.delta.new_element
            ek = el.WhichOneof("type")
            self.elements[tuple(msg.metadata.delta_path)] = el
            inner = getattr(el, ek)
            wid = getattr(inner, "id", "") if ek not in ("plotly_chart", "bidi_component") else ""
            if wid and "-" in wid:
                self.widgets[wid.rsplit("-", 1)[1]] = (wid, ek)
            if ek == "exception":
                self.exceptions.append(f"{el.exception.type}: {el.exception.message}")
            elif ek == "progress":
                self.progress_text = el.progress.text
        elif kind == "auto_rerun":
            self.fragments[msg.auto_rerun.fragment_id] = msg.auto_rerun.interval
        elif kind == "stop_auto_rerun":
            for fid in msg.stop_auto_rerun.fragment_ids or list(self.fragments):
                self.fragments.pop(fid, None)
        elif kind == "page_not_found":
            self.exceptions.append(f"page not found: {msg.page_not_found.page_name}")
        elif kind == "script_finished":
            if msg.script_finished == ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY:
                self.fragment_done.set()
            elif msg.script_finished in FINISHED and self.started_run:
                self.finished.set()
                self.fragment_done.set()     # a fragment that calls st.rerun() ends in a full run

    # ----- what the page shows (for tests and the report)
    def chart(self, key: str) -> str | None:
        """The plotly figure keyed `key` as the server last sent it (JSON), or None."""
        for el in self.elements.values():
            if el.WhichOneof("type") == "bidi_component" and el.bidi_component.id.endswith("-" + key):
                return json.loads(el.bidi_component.json)["figure"]           # ui.plot's element
        return None

    def texts(self) -> str:
        """Every text the page shows (markdown, alerts, captions, code, figures' JSON), one string."""
        out = []
        for el in self.elements.values():
            ek = el.WhichOneof("type")
            inner = getattr(el, ek)
            if ek == "bidi_component" and inner.json:
                out.append(json.loads(inner.json).get("figure", ""))        # ui.plot's figure
            for name in ("body", "text", "spec", "message"):
                value = getattr(inner, name, None)
                if isinstance(value, str):
                    out.append(value)
        return "\n".join(out)
