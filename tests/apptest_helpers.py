"""Helpers for AppTest-based page tests."""
from __future__ import annotations

from streamlit.testing.v1 import AppTest

from conftest import ROOT

APP = str(ROOT / "app.py")


def run_app(gemeente: str | None = None, page: str | None = None, timeout: int = 120) -> AppTest:
    """Run the app (optionally with ?gemeente=… and then switched to ``page``)."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    if gemeente is not None:
        at.query_params["gemeente"] = gemeente
    at.run()
    if page is not None:
        at.switch_page(page).run()
    return at


def texts(elements) -> str:
    return " ".join(str(e.value) for e in elements)


def maps(at: AppTest) -> list:
    """The st_folium maps on the page (UnknownElement in AppTest)."""
    return at.get("component_instance")
