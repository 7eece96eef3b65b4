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
from lib.texts_nl import t

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
    """Start ``streamlit run server.py`` (what is served) on a free port; always stopped afterwards."""
    port = _free_port()
    env = {**os.environ, "GEMEENTEN_TILES": "", **env_extra}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "server.py", "--server.port", str(port),
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


@pytest.fixture(scope="module")
def shared_server(tmp_path_factory):
    """One server for the tests that need no cold start, with a registry holding names full of
    markup and template syntax (each test has its own browser session)."""
    import sqlalchemy as sa

    from lib.registry import Registry
    url = f"sqlite:///{tmp_path_factory.mktemp('reg')}/browser.sqlite"
    reg = Registry(sa.create_engine(url))
    reg.seed_if_empty()
    for i, name in enumerate(XSS_NAMES + TEMPLATE_NAMES):
        reg.add({"naam": name, "thema": "overig", "gemeente_code": "GM0363", "latitude": 52.33 + i / 100,
                 "longitude": 4.90, "bron": "test"})
    with streamlit_server(GEMEENTEN_REGISTRY_URL=url) as server_url:
        yield server_url


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


def _map_frame(pg):
    return pg.frame_locator('iframe[title="streamlit_folium.st_folium"]').first


def _picker_text(pg) -> str:
    return pg.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"] input').first.input_value()


CENTRE_OF = """(_body, code) => {
    for (const k of Object.keys(window)) {
        const m = window[k];
        if (!(k.startsWith('map_') && m && m.eachLayer)) continue;
        let hit = null;
        m.eachLayer(l => { if (l.feature && l.feature.properties.code === code) hit = l; });
        if (hit) { const p = m.latLngToContainerPoint(hit.getCenter());
                   const r = m.getContainer().getBoundingClientRect();
                   return {x: p.x + r.left, y: p.y + r.top}; }
    }
    return null; }"""


def _click_gemeente(pg, code: str) -> None:
    """Click the centre of a gemeente's shape on the (first) map of the page."""
    point = None
    pg.locator('iframe[title="streamlit_folium.st_folium"]').first.scroll_into_view_if_needed()
    for _ in range(20):  # the areas arrive after the map (fetched static geometry), a rerun may remount it
        _wait_idle(pg)
        point = _map_frame(pg).locator("body").evaluate(CENTRE_OF, code)
        if point is not None:
            break
        pg.wait_for_timeout(500)
    assert point is not None, f"{code} not found in the map"
    box = pg.locator('iframe[title="streamlit_folium.st_folium"]').first.bounding_box()
    pg.mouse.click(box["x"] + point["x"], box["y"] + point["y"])


@pytest.mark.parametrize("path", ["werkloosheid", "mkb", "initiatieven", "woonwerk_co2"])
def test_the_map_selects_by_click_on_every_page(shared_server, page, path):
    page.goto(f"{shared_server}/{path}")  # no gemeente in the link: the whole country
    if path == "woonwerk_co2":  # its map is in the residents' view
        page.get_by_text(t("co2.modus.inwoners"), exact=True).first.click()
    _map_frame(page).locator("path.leaflet-interactive").nth(341).wait_for(state="attached", timeout=60_000)
    _click_gemeente(page, "GM0200")  # Apeldoorn
    page.wait_for_function("() => window.location.search.includes('gemeente=GM0200')", timeout=30_000)
    page.wait_for_function("""() => [...document.querySelectorAll('[data-testid="stSidebar"] input')]
                                  .some(i => i.value === 'Apeldoorn')""", timeout=30_000)
    assert page.external_requests == []


def test_overview_map_offline_and_click_selects(shared_server, page):
    server = shared_server
    page.goto(f"{server}/")  # the whole country (a link with ?gemeente= zooms to that gemeente)
    frame = _map_frame(page)
    shapes = frame.locator("path.leaflet-interactive")
    shapes.nth(341).wait_for(state="attached", timeout=60_000)
    assert shapes.count() == 342
    assert "Amsterdam" in _picker_text(page)
    assert page.external_requests == []

    _click_gemeente(page, "GM0200")  # Apeldoorn

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
    pg.locator('iframe[title="streamlit_folium.st_folium"]').first.scroll_into_view_if_needed()
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


def test_initiative_names_stay_text_in_the_map(shared_server, page):
    """Markup and template syntax in names are shown literally in the tooltip; nothing runs."""
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"{shared_server}/initiatieven?gemeente=GM0363")
    frame = _map_frame(page)
    frame.locator("path.leaflet-interactive").nth(400).wait_for(state="attached", timeout=60_000)
    for name in XSS_NAMES:
        marker = name[name.index("__xss"):name.index("__xss") + 9]
        tooltip = _hover_point(page, marker)
        assert name in tooltip.text_content()  # the markup is shown as literal text
        assert tooltip.locator("script, img").count() == 0
    for name in TEMPLATE_NAMES:
        tooltip = _hover_point(page, " ".join(name.split(" ")[:2]))
        assert name in tooltip.text_content()  # literally, not "Hulp 49 proef"
    assert page.get_by_text("Hulp 49 proef").count() == 0 and page.get_by_text("TemplateSyntaxError").count() == 0
    page.wait_for_timeout(500)
    assert page.evaluate("() => window.__xss") is None
    assert frame.locator("body").evaluate("() => window.top.__xss") is None
    assert dialogs == [] and page.external_requests == []

MAP_JS = """() => { const m = window.map_div; const out = {};
    m.eachLayer(l => { if (l.feature && l.feature.properties && l.feature.properties.statcode)
                         out[l.feature.properties.statcode] = l.options.fillColor + '|' + l.options.color + '|' + l.options.weight; });
    return {fills: out, zoom: m.getZoom(), center: m.getCenter(), bounds: m.getBounds().toBBoxString()}; }"""


def _map_state(pg):
    return _map_frame(pg).locator("body").evaluate(MAP_JS)


def _open_map(pg, url):
    pg.goto(url)
    _map_frame(pg).locator("path.leaflet-interactive").nth(341).wait_for(state="attached", timeout=60_000)
    _wait_idle(pg)


def test_hover_keeps_the_class_colours(shared_server, page):
    _open_map(page, f"{shared_server}/")
    before = _map_state(page)["fills"]
    assert len(before) == 342 and len(set(before.values())) >= 4  # several classes, so a change would show
    box = page.locator('iframe[title="streamlit_folium.st_folium"]').first.bounding_box()
    for i in range(60):  # sweep diagonally across the country, then leave the map
        page.mouse.move(box["x"] + box["width"] * (0.2 + i / 100), box["y"] + box["height"] * (0.2 + i / 90))
    page.mouse.move(5, 5)
    page.wait_for_timeout(300)
    after = _map_state(page)["fills"]
    assert after == before
    assert not [v for v in after.values() if v.startswith("#3388ff")]  # Leaflet's default blue


def test_click_keeps_the_view_and_picker_zooms_to_the_gemeente(shared_server, page):
    _open_map(page, f"{shared_server}/")
    frame = _map_frame(page)
    for _ in range(5):  # a rerun still in flight may remount the map: set the view until it stays
        _wait_idle(page)
        frame.locator("body").evaluate("() => window.map_div.setView([52.09, 5.12], 10, {animate: false})")
        page.wait_for_timeout(700)
        if _map_state(page)["zoom"] == 10:
            break
    assert _map_state(page)["zoom"] == 10
    box = page.locator('iframe[title="streamlit_folium.st_folium"]').first.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)  # Utrecht, at the centre
    page.wait_for_function("() => window.location.search.includes('gemeente=GM0344')", timeout=30_000)
    page.get_by_text("Profiel van Utrecht").wait_for(timeout=30_000)
    _wait_idle(page)
    state = _map_state(page)
    assert state["zoom"] == 10 and abs(state["center"]["lat"] - 52.09) < 0.01  # the user's view is kept
    # chosen in the sidebar: the map goes to that gemeente
    picker = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first
    picker.click()
    page.keyboard.type("Vaals")
    page.keyboard.press("Enter")
    page.get_by_text("Profiel van Vaals").wait_for(timeout=30_000)
    page.wait_for_function("""() => { const f = document.querySelector('iframe[title="streamlit_folium.st_folium"]');
        const m = f && f.contentWindow.map_div; if (!m || !m.getBounds) return false;  // remounting
        return m.getBounds().contains([50.77, 6.0]) && m.getZoom() >= 9; }""", timeout=30_000)
    assert page.external_requests == []


TEMPLATE_NAMES = ["Hulp {{ 7*7 }} proef", "Lijst {% for x in range(3) %}x{% endfor %} einde",
                  "Omgeving {{ cycler.__init__.__globals__.os.environ.setdefault('GEMEENTEN_SSTI', '1') }} x",
                  "Quote {{ ' kapot"]


# --- council and workshop (#17) ---------------------------------------------------------------

def _fits(pg) -> list[str]:
    """Charts wider than their column or the window: their test ids and widths (empty: all fit)."""
    return pg.evaluate("""() => {
        const out = [], vw = document.documentElement.clientWidth;
        document.querySelectorAll('[data-testid="stVegaLiteChart"]').forEach((el, i) => {
            const box = el.closest('[data-testid="stElementContainer"]') || el.parentElement;
            const drawn = el.querySelector('canvas, svg');
            const w = drawn ? drawn.getBoundingClientRect().width : el.getBoundingClientRect().width;
            const right = (drawn || el).getBoundingClientRect().right;
            if (w > box.getBoundingClientRect().width + 1 || right > vw + 1)
                out.push(`chart ${i}: ${Math.round(w)} px in ${Math.round(box.getBoundingClientRect().width)} px`);
        });
        return out; }""")


@pytest.mark.parametrize("width", [390, 1280, 1400])
def test_every_chart_fits_its_column(shared_server, page, width):
    page.set_viewport_size({"width": width, "height": 900})
    for path in ("werkloosheid", "mkb", "initiatieven"):
        page.goto(f"{shared_server}/{path}?gemeente=GM0981")
        page.locator('[data-testid="stVegaLiteChart"] canvas, [data-testid="stVegaLiteChart"] svg').first \
            .wait_for(timeout=60_000)
        _wait_idle(page)
        page.wait_for_timeout(500)  # Vega re-lays out to the container width
        assert _fits(page) == [], (path, width)


def test_presentation_mode_fits_a_projector(shared_server, page):
    page.set_viewport_size({"width": 1280, "height": 720})
    _open_map(page, f"{shared_server}/?gemeente=GM0981&presentatie=1")
    title = page.locator("h1").first
    assert title.text_content().strip() == "Vaals · WW per 1.000 inwoners"
    assert float(title.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) >= 32  # readable from the back
    assert not page.locator('[data-testid="stSidebar"]').is_visible()
    frame_box = page.locator('iframe[title="streamlit_folium.st_folium"]').first.bounding_box()
    metric_box = page.locator('[data-testid="stMetric"]').first.bounding_box()
    assert frame_box["y"] + frame_box["height"] <= 720 and frame_box["height"] >= 380  # the whole map, no scrolling
    assert metric_box["y"] + metric_box["height"] <= 720 and metric_box["x"] > frame_box["x"]  # key figure beside it
    assert page.external_requests == []


def test_comparison_page_from_a_link(shared_server, page):
    page.goto(f"{shared_server}/vergelijken?gemeente=GM0981&vergelijk=GM0981,GM0088,GM0363")
    page.get_by_text("Kerncijfers per thema").wait_for(timeout=60_000)
    _wait_idle(page)
    page.locator('[data-testid="stDataFrame"]').first.wait_for(timeout=30_000)  # the table (a canvas grid)
    chosen = page.locator('[data-testid="stMultiSelect"]').first.inner_text()
    assert "Vaals" in chosen and "Schiermonnikoog" in chosen and "Amsterdam" in chosen
    page.locator('[data-testid="stVegaLiteChart"]').nth(7).wait_for(timeout=30_000)  # a chart per figure
    assert "vergelijk=GM0981%2CGM0088%2CGM0363" in page.url or "vergelijk=GM0981,GM0088,GM0363" in page.url
    assert page.external_requests == []


def test_dutch_number_input_on_the_co2_page(shared_server, page):
    page.goto(f"{shared_server}/woonwerk_co2?gemeente=GM0363")
    field = page.get_by_label("Aantal medewerkers")
    field.wait_for(timeout=60_000)
    field.fill("1.500")
    field.press("Enter")
    page.get_by_text("Begrepen als 1.500").wait_for(timeout=30_000)
    distance = page.get_by_label("Gemiddelde enkele reisafstand (km)")
    distance.fill("12,5")
    distance.press("Enter")
    page.get_by_text("Begrepen als 12,5").wait_for(timeout=30_000)
    distance.fill("12.5")
    distance.press("Enter")
    page.get_by_text("dubbelzinnig", exact=False).first.wait_for(timeout=30_000)


def test_an_unknown_page_is_explained_in_dutch(shared_server, page):
    page.goto(f"{shared_server}/bestaat-niet?gemeente=GM0981")
    page.get_by_text("De pagina ‘bestaat-niet’ bestaat niet in deze app").wait_for(timeout=60_000)
    page.goto(f"{shared_server}/mkb?gemeente=GM0981")  # a real page: no such notice
    page.get_by_role("heading", name="MKB").first.wait_for(timeout=60_000)
    _wait_idle(page)
    assert page.get_by_text("bestaat niet in deze app").count() == 0


@pytest.mark.parametrize("path", ["", "werkloosheid"])
def test_a_link_to_a_gemeente_opens_the_map_on_it(shared_server, page, path):
    _open_map(page, f"{shared_server}/{path}?gemeente=GM0981")  # Vaals
    state = _map_state(page)
    west, south, east, north = (float(v) for v in state["bounds"].split(","))
    assert state["zoom"] >= 9 and west < 6.0 < east and south < 50.77 < north  # not the whole country


def test_one_history_entry_per_page_and_links_keep_the_gemeente(shared_server, page):
    """Back goes to the page before, once per page: no extra entry (a URL written by a page) and
    none missing."""
    page.goto(f"{shared_server}/?gemeente=GM0981")
    page.get_by_text("Profiel van Vaals").wait_for(timeout=60_000)
    _wait_idle(page)
    visited = ["", "werkloosheid", "vergelijken", "mkb"]
    for name, path in [("Werkloosheid", "werkloosheid"), ("Vergelijken", "vergelijken"), ("MKB-kwetsbaarheid", "mkb")]:
        page.locator('[data-testid="stSidebar"]').get_by_text(name, exact=True).click()
        page.wait_for_function(f"() => location.pathname.endsWith('/{path}')", timeout=30_000)
        page.wait_for_timeout(800)
        _wait_idle(page)
        assert "gemeente=GM0981" in page.url  # the link kept the gemeente
    for path in reversed(visited[:-1]):
        page.go_back()
        page.wait_for_function(f"() => location.pathname.replace(/\\/$/, '').endsWith('/{path}')"
                               if path else "() => location.pathname === '/'", timeout=30_000)
        page.wait_for_timeout(800)  # the page it went back to reruns; a person reads it before going on
        _wait_idle(page)
