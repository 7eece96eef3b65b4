"""Process warm-up: load once what every session needs, then hide it from the cyclic GC.

Streamlit runs ``gc.collect(2)`` after every script run (``runner.postScriptGC``). A full
collection walks every GC-tracked object in the process: the imported libraries (pandas,
folium, SQLAlchemy, Streamlit itself) and the data world are a few hundred thousand objects, so
each rerun paid ~90 ms of CPU for a walk that never frees any of them. :func:`freeze` moves the
objects alive after the first complete run into the permanent generation (``gc.freeze()``):
later collections walk only what was created since, and still free the garbage of each run.
The post-script collection itself stays on (switching it off let the memory of a busy server
climb, see the README's load benchmark).

:func:`warm` does the same loads before any session arrives; ``server.py`` calls it from the
ASGI lifespan, so a workshop that opens a sleeping server does not wait for the loads in turn.
No Streamlit here.
"""
from __future__ import annotations

import contextlib
import gc
import importlib
import logging
import threading

_lock = threading.Lock()
_frozen = False

#: Libraries every page needs; importing them is most of a cold start. ``streamlit.emojis`` is
#: what ``st.set_page_config(page_icon=…)`` imports on the first run (0.25 s); ``folium.plugins``
#: (0.5 s, its templates compile at import) is what streamlit-folium imports.
MODULES = ("pandas", "pyarrow.parquet", "folium", "folium.plugins", "branca", "sqlalchemy", "altair", "streamlit.emojis",
           "lib.choropleth", "lib.indicators", "lib.profile", "lib.registry", "lib.civic", "lib.charts")
#: Not here: ``lib.ui`` and streamlit-folium. streamlit-folium declares its component when it is
#: imported, and Streamlit registers a component only when that happens inside a script run;
#: imported here, the map's iframe would get a 404 (seen). The first session imports it (0.4 s).


def _import(names: tuple[str, ...]) -> None:
    # Streamlit logs that no script is running when one of its modules is imported outside a
    # run; true, and harmless here.
    quiet = logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context")
    level = quiet.level
    quiet.setLevel(logging.ERROR)
    try:
        for name in names:
            with contextlib.suppress(ImportError):  # an optional library: the page that needs it says so
                importlib.import_module(name)
    finally:
        quiet.setLevel(level)


def warm() -> None:
    """Import the libraries, load the data world and the figures of the default page.

    Idempotent. Failures are left to the pages, which show them in Dutch: a damaged pack or an
    unreachable registry database does not stop the server from starting."""
    from lib.errors import DataPackError, SourceUnavailable
    _import(MODULES)
    from lib import gemeenten, indicators, profile, world
    with contextlib.suppress(DataPackError, SourceUnavailable):
        world.world()
        indicators.periods("inwoners")  # the pack index of every indicator
        profile.key_figures(gemeenten.DEFAULT_GEMEENTE)  # and the live one (the registry)
        profile.similar_gemeenten(gemeenten.DEFAULT_GEMEENTE)


def freeze() -> bool:
    """Once per process: collect, then freeze what is alive. Returns True on the call that froze."""
    global _frozen
    if _frozen:
        return False
    with _lock:
        if _frozen:
            return False
        gc.collect()
        gc.freeze()
        _frozen = True
        return True
