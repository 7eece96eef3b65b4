"""Served entry point: the app of ``app.py`` with a warm-up at server start.

    streamlit run server.py

Streamlit's ``st.App`` runs ``app.py`` as usual; its lifespan hook (ASGI startup) loads the
data world, the libraries and the default page's figures before the server answers
(:func:`lib.warmup.warm`), so a room full of people opening a cold server waits for one load,
not for the loads in turn. ``streamlit run app.py`` runs the same app without the warm-up (as
AppTest does).
"""
from __future__ import annotations

import asyncio
import contextlib

import streamlit as st


@contextlib.asynccontextmanager
async def lifespan(_app):
    from lib import warmup
    await asyncio.get_running_loop().run_in_executor(None, warmup.warm)
    yield


app = st.App("app.py", lifespan=lifespan)
