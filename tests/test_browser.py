"""Real-browser test of the overview map: Playwright driving Debian's Chromium, headless.

The app is started by the test on a free port and always stopped. Checks: 342
gemeente shapes, no request outside localhost, and a click on a gemeente selects
it in the sidebar and the URL. A screenshot is saved to tests/artifacts on failure.
"""
from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = ROOT / "tests" / "artifacts"
pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not Path(CHROMIUM).exists() and not os.environ.get("CI"),
                                 reason="Debian chromium not installed (CI installs it)")]
LOCAL = ("http://localhost", "http://127.0.0.1", "ws://localhost", "ws://127.0.0.1", "data:", "blob:", "about:")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def streamlit_server(**env_extra):
    """Start ``streamlit run app.py`` on a free port; always stopped afterwards."""
    port = _free_port()
    env = {**os.environ, "GEMEENTEN_TILES": "", **env_extra}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while True:
            try:
                if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                    break
            except OSError:
                pass
            if proc.poll() is not None or time.time() > deadline:
                raise RuntimeError("streamlit did not start:\n" + proc.stdout.read().decode()[-3000:])
            time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture
def server():
    """A fresh server per test (its first request is then a cold start)."""
    with streamlit_server() as url:
        yield url


@pytest.fixture
def page(request):
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        pg = browser.new_page(viewport={"width": 1400, "height": 1100})
        pg.external_requests = []
        pg.on("request", lambda r: None if r.url.startswith(LOCAL) else pg.external_requests.append(r.url))
        try:
            yield pg
        finally:
            report = getattr(request.node, "rep_call", None)
            if report is None or report.failed:
                ARTIFACTS.mkdir(exist_ok=True)
                pg.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
            browser.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    setattr(item, f"rep_{rep.when}", rep)


def _map_frame(pg):
    return pg.frame_locator('iframe[title="streamlit_folium.st_folium"]').first


def _picker_text(pg) -> str:
    return pg.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"] input').first.input_value()


def test_overview_map_offline_and_click_selects(server, page):
    page.goto(f"{server}/?gemeente=GM0363")
    frame = _map_frame(page)
    shapes = frame.locator("path.leaflet-interactive")
    shapes.nth(341).wait_for(state="attached", timeout=60_000)
    assert shapes.count() == 342
    assert "Amsterdam" in _picker_text(page)
    assert page.external_requests == []

    # Click inside Apeldoorn (GM0200): find its layer and its centre in screen coordinates.
    _wait_idle(page)
    frame = _map_frame(page)
    point = frame.locator("body").evaluate("""() => {
        for (const k of Object.keys(window)) {
            const m = window[k];
            if (!(k.startsWith('map_') && m && m.eachLayer)) continue;
            let hit = null;
            m.eachLayer(l => { if (l.feature && l.feature.properties.code === 'GM0200') hit = l; });
            if (hit) { const p = m.latLngToContainerPoint(hit.getCenter());
                       const r = m.getContainer().getBoundingClientRect();
                       return {x: p.x + r.left, y: p.y + r.top}; }
        }
        return null; }""")
    assert point is not None, "Apeldoorn layer not found in the map"
    box = page.locator('iframe[title="streamlit_folium.st_folium"]').first.bounding_box()
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])

    page.wait_for_function("() => window.location.search.includes('gemeente=GM0200')", timeout=30_000)
    page.wait_for_function("""() => [...document.querySelectorAll('[data-testid="stSidebar"] input')]
                                  .some(i => i.value === 'Apeldoorn')""", timeout=30_000)
    assert _picker_text(page) == "Apeldoorn"
    page.get_by_text("Profiel van Apeldoorn").wait_for(timeout=30_000)
    assert page.external_requests == []


def test_cold_deep_link_has_dutch_menu_and_keeps_gemeente(server, page):
    # The very first request to a fresh server is a deep link: Streamlit then runs the
    # page file directly; the page must still show our menu, layout and picker.
    page.goto(f"{server}/bronnen?gemeente=GM0014")
    page.get_by_role("heading", name="Bronnen").first.wait_for(timeout=60_000)
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_text("Woon-werk CO2").first.wait_for(timeout=30_000)
    assert _picker_text(page) == "Groningen"
    assert page.get_by_text("Page not found").count() == 0
    assert sidebar.get_by_text("woonwerk_co2", exact=True).count() == 0  # no file-name menu
    sidebar.get_by_text("Werkloosheid").first.click()
    page.get_by_role("heading", name="Werkloosheid").first.wait_for(timeout=60_000)
    page.wait_for_function("() => window.location.search.includes('gemeente=GM0014')", timeout=30_000)
    assert _picker_text(page) == "Groningen"
    assert page.external_requests == []


ZOOM_TO_POINT = """(body, marker) => {
    for (const k of Object.keys(window)) {
        const m = window[k];
        if (!(k.startsWith('map_') && m && m.eachLayer)) continue;
        let hit = null;
        m.eachLayer(l => { if (l.feature && l.feature.geometry.type === 'Point' &&
                               l.feature.properties.naam.includes(marker)) hit = l; });
        if (!hit) continue;
        m.setView(hit.getLatLng(), 17, {animate: false});
        const p = m.latLngToContainerPoint(hit.getLatLng());
        const r = m.getContainer().getBoundingClientRect();
        return {x: p.x + r.left, y: p.y + r.top};
    }
    return null; }"""


def _wait_idle(pg):
    """Until Streamlit has no script run in progress (a rerun may remount the map)."""
    pg.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000)


def _hover_point(pg, marker: str, tries: int = 3):
    """Zoom to the point whose name holds ``marker`` and hover it; returns its tooltip."""
    for attempt in range(tries):
        _wait_idle(pg)
        frame = _map_frame(pg)
        point = frame.locator("body").evaluate(ZOOM_TO_POINT, marker)
        assert point is not None, f"no point with {marker!r} on the map"
        box = pg.locator('iframe[title="streamlit_folium.st_folium"]').first.bounding_box()
        pg.mouse.move(box["x"] + point["x"] + 1, box["y"] + point["y"] + 1)
        tooltip = frame.locator(".leaflet-tooltip").filter(has_text=marker).first
        try:
            tooltip.wait_for(state="visible", timeout=5_000)
            return tooltip
        except Exception:
            if attempt == tries - 1:
                raise
            pg.mouse.move(0, 0)


XSS_NAMES = ['<script>window.top.__xss = 1</script>', '<img src=x onerror="window.top.__xss = 2">']


def test_initiative_names_stay_text_in_the_map(tmp_path, page):
    import sqlalchemy as sa

    from lib.registry import Registry
    url = f"sqlite:///{tmp_path}/xss.sqlite"
    reg = Registry(sa.create_engine(url))
    reg.seed_if_empty()
    for i, name in enumerate(XSS_NAMES):
        reg.add({"naam": name, "thema": "overig", "gemeente_code": "GM0363", "latitude": 52.37 + i / 100,
                 "longitude": 4.89, "bron": "test"})
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    with streamlit_server(GEMEENTEN_REGISTRY_URL=url) as server:
        page.goto(f"{server}/initiatieven?gemeente=GM0363")
        frame = _map_frame(page)
        frame.locator("path.leaflet-interactive").nth(400).wait_for(state="attached", timeout=60_000)
        for name in XSS_NAMES:
            marker = name[name.index("__xss"):name.index("__xss") + 9]
            tooltip = _hover_point(page, marker)
            assert name in tooltip.text_content()  # the markup is shown as literal text
            assert tooltip.locator("script, img").count() == 0
        page.wait_for_timeout(500)
        assert page.evaluate("() => window.__xss") is None
        assert frame.locator("body").evaluate("() => window.top.__xss") is None
        assert dialogs == [] and page.external_requests == []
