"""A minimal Streamlit client that speaks the browser's websocket protocol (benchmarks only).

It connects to ``/_stcore/stream`` as the frontend does, asks for a script run with a
``BackMsg.rerun_script`` (query string, page, widget states, and the hashes of the large
messages it already holds, like the browser's message cache), and reads ``ForwardMsg``
protobufs until ``script_finished``. Per run it reports the latency, the bytes received, the
bytes of the map component and any exception element the page drew.

Used by ``bench/load.py`` (many sessions at once) and ``bench/run.py`` (map bytes per rerun).
"""
from __future__ import annotations

import asyncio
import time
import urllib.request
from dataclasses import dataclass, field
from http.cookies import SimpleCookie

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

#: ForwardMsg.script_finished values that end a run.
FINISHED = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_WITH_COMPILE_ERROR,
            ForwardMsg.FINISHED_EARLY_FOR_RERUN}


@dataclass
class Run:
    """What one script run sent to this client."""
    seconds: float
    bytes: int = 0
    map_bytes: int = 0
    messages: int = 0
    exceptions: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)  # markdown, alerts and metrics ("label: value")
    finished: int = -1


@dataclass
class Widget:
    id: str
    kind: str
    label: str
    options: list[str]


class Session:
    """One browser tab: a websocket, the page it is on and the widgets it last saw."""

    def __init__(self, base: str, page: str = "", query: str = ""):
        self.base = base.rstrip("/")
        self.url = self.base.replace("http://", "ws://") + "/_stcore/stream"
        self.cookies: dict[str, str] = {}
        self.upstream = ""  # the replica that served the page (deploy/'s nginx says so)
        self.page = page
        self.query = query
        self.page_hash = ""
        self.page_title = ""
        self.widgets: dict[str, Widget] = {}
        self.cache: set[str] = set()  # hashes of cacheable messages held (the browser's cache)
        self.ws = None

    async def connect(self, timeout: float = 60) -> None:
        """Load the page as a browser does (its cookies: a load balancer's sticky-session cookie),
        then open the websocket with them."""
        await asyncio.to_thread(self._get_page, timeout)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else None
        self.ws = await websockets.connect(self.url, subprotocols=["streamlit"], max_size=None,
                                           open_timeout=timeout, ping_interval=None, additional_headers=headers)

    def _get_page(self, timeout: float) -> None:
        with urllib.request.urlopen(f"{self.base}/{self.page}", timeout=timeout) as response:
            response.read()
            self.upstream = response.headers.get("X-Upstream", "")
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    self.cookies[name] = morsel.value

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
            self.ws = None

    async def run(self, states: dict[str, object] | None = None, timeout: float = 300) -> Run:
        """One rerun with these widget values (label → value); the others keep their defaults."""
        msg = BackMsg()
        cs = msg.rerun_script
        cs.query_string = self.query
        cs.page_name = self.page
        if self.page_hash:
            cs.page_script_hash = self.page_hash
        cs.cached_message_hashes.extend(sorted(self.cache))
        for label, value in (states or {}).items():
            cs.widget_states.widgets.append(self._state(label, value))
        start = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        result = Run(seconds=0.0)
        while True:
            raw = await asyncio.wait_for(self.ws.recv(), timeout)
            fwd = ForwardMsg()
            fwd.ParseFromString(raw)
            result.bytes += len(raw)
            result.messages += 1
            kind = fwd.WhichOneof("type")
            if fwd.metadata.cacheable and fwd.hash:
                self.cache.add(fwd.hash)
            if kind == "navigation":  # the page actually run (st.navigation picks it)
                self.page_hash = fwd.navigation.page_script_hash or self.page_hash
                self.page_title = next((p.page_name for p in fwd.navigation.app_pages
                                        if p.page_script_hash == self.page_hash), "")
            elif kind == "page_info_changed":
                self.query = fwd.page_info_changed.query_string
            elif kind == "delta":
                self._read_delta(fwd, len(raw), result)
            elif kind == "ref_hash":
                if fwd.metadata.delta_path and self._is_map_ref(fwd):
                    result.map_bytes += len(raw)
            elif kind == "script_finished":
                # st.rerun() ends a run early and the server starts the next one itself: the
                # user sees the page once that one has finished.
                if fwd.script_finished in FINISHED and fwd.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    result.finished = fwd.script_finished
                    break
        result.seconds = time.perf_counter() - start
        return result

    # --- internals -------------------------------------------------------------------

    def _is_map_ref(self, fwd: ForwardMsg) -> bool:
        return fwd.ref_hash in getattr(self, "_map_hashes", set())

    def _read_delta(self, fwd: ForwardMsg, size: int, result: Run) -> None:
        delta = fwd.delta
        if delta.WhichOneof("type") != "new_element":
            return
        el = delta.new_element
        which = el.WhichOneof("type")
        if which == "exception":
            result.exceptions.append(f"{el.exception.type}: {el.exception.message}")
        elif which == "markdown":
            result.texts.append(el.markdown.body)
        elif which == "alert":
            result.texts.append(el.alert.body)
        elif which == "metric":
            result.texts.append(f"{el.metric.label}: {el.metric.body}")
        elif which == "component_instance":
            result.map_bytes += size
            self._map_hashes = getattr(self, "_map_hashes", set()) | {fwd.hash}
        elif which in ("selectbox", "radio", "multiselect", "checkbox", "toggle", "text_input",
                       "segmented_control", "button_group", "button"):
            proto = getattr(el, which)
            options = list(getattr(proto, "options", []) or [])
            if options and not isinstance(options[0], str):  # button_group options are messages
                options = [o.content for o in options]
            self.widgets[proto.label] = Widget(proto.id, which, proto.label, options)

    def _state(self, label: str, value: object) -> WidgetState:
        w = self.widgets[label]
        state = WidgetState(id=w.id)
        if w.kind == "button":  # a click (also a form's submit button)
            state.trigger_value = bool(value)
        elif w.kind in ("checkbox", "toggle"):
            state.bool_value = bool(value)
        elif w.kind == "radio":
            state.int_value = w.options.index(value) if isinstance(value, str) else int(value)
        elif w.kind in ("segmented_control", "button_group"):
            state.int_array_value.data.append(w.options.index(value))
        else:
            state.string_value = str(value)
        return state
