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

import gc
import importlib
import threading

_lock = threading.Lock()
_frozen = False

#: Libraries every page needs; importing them is most of a cold start.
MODULES = ("pandas", "pyarrow.parquet", "folium", "branca", "streamlit_folium", "sqlalchemy", "altair",
           "lib.choropleth", "lib.indicators", "lib.profile", "lib.registry", "lib.civic", "lib.charts")


def warm() -> None:
    """Import the libraries and load the data world (idempotent; errors are left to the pages)."""
    from lib import world
    from lib.errors import DataPackError
    for name in MODULES:
        try:
            importlib.import_module(name)
        except ImportError:  # an optional library: the page that needs it says so
            pass
    try:
        world.world()
    except DataPackError:  # the pages show the Dutch message
        pass


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


def frozen() -> bool:
    return _frozen


def tracked() -> dict:
    """How many objects a full collection walks now, and how many it skips (frozen)."""
    return {"tracked": len(gc.get_objects()), "frozen": gc.get_freeze_count()}
