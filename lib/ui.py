"""Streamlit glue shared by all pages: the only lib module that imports Streamlit.

* the data boundary: cached wrappers around the pack loaders and map payloads;
* one gemeente followed everywhere: sidebar picker ⇄ session state ⇄ ``?gemeente=``;
* the shared map widget (:func:`indicator_map`), whose clicks select a gemeente;
* "Bron:" captions from the catalog and a guard that turns pack errors into a
  Dutch message instead of a traceback.
"""
from __future__ import annotations

import contextlib
import html
import re
import urllib.parse

import pandas as pd
import streamlit as st
from sqlalchemy.exc import SQLAlchemyError
from streamlit_folium import st_folium

from lib import choropleth, geometry, indicators, warmup, world
from lib.catalog import INDICATORS, source_line
from lib.config import data_dir, registry_url, tiles_url
from lib.errors import DataPackError, SourceUnavailable
from lib.gemeenten import DEFAULT_GEMEENTE, gemeenten, normalise_code, old_code, picker_labels
from lib.gemeenten import names as names_of_gemeenten
from lib.registry import Registry
from lib.texts_nl import (NumberError, decimals_for, fmt_date, fmt_indicator, fmt_input, fmt_number, fmt_value, indicator_label,
                          parse_number, t)

#: The pages, in menu order: (file, title key, icon). URL paths are the file stems, so a
#: deep link resolves the same whether Streamlit runs the router (st.navigation) or, on
#: the first run of a fresh server, still runs a file from pages/ directly.
NAV = [
    ("pages/overzicht.py", "nav.overzicht", ":material/map:"),
    ("pages/vergelijken.py", "nav.vergelijken", ":material/compare_arrows:"),
    ("pages/werkloosheid.py", "nav.werkloosheid", ":material/trending_up:"),
    ("pages/mkb.py", "nav.mkb", ":material/storefront:"),
    ("pages/initiatieven.py", "nav.initiatieven", ":material/volunteer_activism:"),
    ("pages/woonwerk_co2.py", "nav.co2", ":material/co2:"),
    ("pages/bronnen.py", "nav.bronnen", ":material/menu_book:"),
]

SELECTED = "gemeente"  # session key: the selected 2023 GM code
PICKER = "gemeente_picker"  # widget key of the sidebar select box
QUERY_PARAM = "gemeente"


# --- data boundary -------------------------------------------------------------------

@st.cache_resource(show_spinner=False)
def gemeenten_table(pack: str) -> pd.DataFrame:
    """The 342 gemeenten; shared and read-only (callers derive new frames from it)."""
    return gemeenten()


def gemeenten_df() -> pd.DataFrame:
    return gemeenten_table(str(data_dir()))


@st.cache_resource(show_spinner=False, max_entries=64)
def map_collection(indicator: str, level: str, periode: str, pack: str, token: tuple = ()) -> tuple[dict, list]:
    """Colours and labels per code, and the legend, for one indicator/level/period (computed once).

    Shared, not copied (callers never modify it). ``token`` is the state of the live sources
    the indicator depends on (``()`` for pack indicators)."""
    small = indicators.small_flags(indicator, periode) if level == "gemeente" else None
    return _collection_and_legend(indicator, indicators.region_values(indicator, level, periode), small)


def _collection_and_legend(indicator: str, vals: pd.Series, small: pd.Series | None = None) -> tuple[dict, list]:
    """The map's data (colour and tooltip text per code) and its legend, from one set of breaks.

    ``small`` marks gemeenten whose figure rests on a small count: their tooltip says so."""
    unit = INDICATORS[indicator].unit if indicator in INDICATORS else ""
    level = _level_of(vals)
    breaks = choropleth.breaks_for(indicator, vals, level)
    text = vals.map(lambda v: fmt_indicator(v, indicator)) if indicator in INDICATORS else vals.map(
        lambda v: fmt_value(v, unit))
    if small is not None and small.any():
        flagged = small.reindex(text.index, fill_value=False).astype(bool)
        text = text.where(~flagged, text + " " + t("klein_aantal_kort"))
    data = choropleth.area_data(vals, choropleth.colors_for(vals, breaks), text)
    decimals = decimals_for(unit)
    while decimals < 3 and len({f"{b:.{decimals}f}" for b in breaks}) < len(breaks):
        decimals += 1  # e.g. 0,10 – 0,25: enough decimals to tell the breaks apart
    return data, choropleth.legend(breaks, decimals)


@st.cache_resource(show_spinner=False)
def _geojson(level: str, pack: str) -> dict:
    """The level's GeoJSON, parsed once: the inline geometry, the selection outline, the names."""
    return geometry.geometry_json(level)


@st.cache_resource(show_spinner=False)
def _outlines(level: str, pack: str) -> dict[str, dict]:
    """Geometry per code (GeoJSON geometry dicts) for the selection outline."""
    return {f["properties"]["statcode"]: f["geometry"] for f in _geojson(level, pack)["features"]}


@st.cache_resource(show_spinner=False)
def _area_names(level: str, pack: str) -> dict[str, str]:
    return {f["properties"]["statcode"]: f["properties"]["statnaam"] for f in _geojson(level, pack)["features"]}


def map_table(data: dict, legend_items: list, level: str, label: str, selected: str | None) -> pd.DataFrame:
    """The map as a table (for screen readers and keyboard users): area, value, colour class."""
    names = _area_names(level, str(data_dir()))
    classes = {item.color: item.label for item in legend_items}
    rows = [{t("kaart.tabel.gebied"): names.get(code, code), label: text,
             t("kaart.tabel.klasse"): classes.get(color, ""),
             t("kaart.tabel.gekozen"): "◀" if code == selected else ""}
            for code, (color, text) in data.items()]
    return pd.DataFrame(rows).sort_values(t("kaart.tabel.gebied"), key=lambda s: s.str.lower())


@st.cache_resource(show_spinner=False)
def _bounds(level: str, pack: str) -> dict[str, tuple]:
    gdf = geometry.boundaries(level)
    return {code: tuple(b) for code, b in zip(gdf["statcode"], gdf.geometry.bounds.to_numpy())}




def _level_of(vals: pd.Series) -> str:
    first = str(vals.index[0]) if len(vals) else "GM"
    return {"AM": "arbeidsmarktregio", "PV": "provincie"}.get(first[:2], "gemeente")


# --- errors ----------------------------------------------------------------------------

@contextlib.contextmanager
def guard():
    """Show a pack error as a Dutch message and stop the page (no traceback)."""
    try:
        yield
    except DataPackError as exc:
        st.error(t("data.fout_titel") + " " + str(exc))
        st.caption(t("data.fout_hulp"))
        st.stop()
    except SourceUnavailable as exc:
        st.error(str(exc))
        st.stop()


def footer() -> None:
    """The last line of every page: the pack's "stand van" date."""
    with contextlib.suppress(DataPackError):
        stand = world.world().stand
        if stand is not None:
            st.caption(t("footer.stand", stand=fmt_date(stand)))
    # The first complete run has imported and loaded what every later run shares: freeze it,
    # so that Streamlit's collection after each run no longer walks it (lib.warmup).
    warmup.freeze()


def registry_kind() -> str:
    """"sqlite", "postgresql", … : the kind of database the registry uses (Bronnen says so)."""
    import sqlalchemy as sa
    return sa.engine.make_url(registry_url()).get_backend_name()


def key_figure(label: str, value: str, note: str = "", where=None, help: str | None = None) -> None:
    """A figure with its whole label above it: Streamlit cuts a metric's own label off with "…"
    in a narrow column ("WW per 1.000 inwon…"); the metric keeps the label for screen readers."""
    where = where or st
    where.markdown(f"**{md_escape(label)}**", help=help)
    where.metric(label, value, label_visibility="collapsed")
    if note:
        where.caption(note)


def source_caption(*dataset_ids: str) -> None:
    st.caption("  \n".join(source_line(d) for d in dict.fromkeys(dataset_ids)))


# --- the selected gemeente -----------------------------------------------------------

def selected_code() -> str:
    return st.session_state.get(SELECTED, DEFAULT_GEMEENTE)


def select(code: str) -> None:
    """Select a gemeente (sidebar and URL follow on the next run)."""
    st.session_state[SELECTED] = code


def _on_pick() -> None:
    st.session_state[SELECTED] = st.session_state[PICKER]
    st.session_state[FOCUS] = st.session_state[PICKER]  # chosen outside the map: the map zooms to it


def page_start() -> str:
    """First call of every page: the shared sidebar; returns the selected GM code.

    Called from each page rather than once in ``app.py``: Streamlit runs a file from
    ``pages/`` directly on the first run of a fresh server (and in AppTest), and the
    sidebar, the menu and the URL handling must be there too.
    """
    st.set_page_config(page_title=t("app.titel"), page_icon="🏛️", layout="wide")
    _unknown_page_notice()
    _presentation_from_url()
    if presenting():
        st.html(f"<style>{PRESENTATION_CSS}</style>")
    with guard():
        code = selection_from_url()
        with st.sidebar:
            for path, title_key, icon in NAV:  # the links keep the gemeente (also ctrl-click)
                st.page_link(path, label=t(title_key), icon=icon, query_params={QUERY_PARAM: code})
            st.divider()
            st.markdown(f"**{t('app.titel')}**  \n{t('app.ondertitel')}")
        return sidebar(code)


def _unknown_page_notice() -> None:
    """A link to a page that does not exist: Streamlit shows its own (English) "Page not found"
    and runs the overview; we say in Dutch what happened, once per session."""
    if st.session_state.get("_pad_gezien"):
        return
    st.session_state["_pad_gezien"] = True
    with contextlib.suppress(Exception):  # no browser URL (AppTest, bare mode): nothing to check
        path = urllib.parse.urlparse(st.context.url or "").path.strip("/")
        base = str(st.get_option("server.baseUrlPath") or "").strip("/")  # served under a prefix
        if base and (path == base or path.startswith(base + "/")):
            path = path[len(base):].strip("/")
        known = {p.removeprefix("pages/").removesuffix(".py") for p, _, _ in NAV}
        last = path.rsplit("/", 1)[-1] if path else ""
        if last and last not in known:
            st.warning(t("url.pagina_onbekend", pad=md_escape(last[:40]), overzicht=t("nav.overzicht")), icon="⚠️")


# --- presentation mode ---------------------------------------------------------------

PRESENT = "presentatie"  # session key and URL parameter (?presentatie=1)
#: No sidebar, no Streamlit toolbar, larger type: readable from the back of a room on a projector.
PRESENTATION_CSS = """
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"],
[data-testid="stToolbar"], [data-testid="stDecoration"] { display: none !important; }
[data-testid="stHeader"] { height: 0; min-height: 0; }
[data-testid="stMainBlockContainer"] { padding-top: 0.75rem; padding-bottom: 1rem; max-width: 100%; }
[data-testid="stMain"] p, [data-testid="stMain"] li, [data-testid="stMain"] label { font-size: 1.15rem; }
[data-testid="stMain"] h1 { font-size: 2.4rem; padding: 0 0 0.25rem 0; }
[data-testid="stMetricValue"], [data-testid="stMetricValue"] * { font-size: 2.6rem !important; line-height: 1.15; }
[data-testid="stMetricLabel"] p { font-size: 1.2rem !important; }
[data-testid="stMain"] [data-testid="stCaptionContainer"] p { font-size: 1rem; }
"""


def presenting() -> bool:
    """Presentation mode: the toggle, or ``?presentatie=1`` in the link."""
    return bool(st.session_state.get(PRESENT, False))


def _presentation_from_url() -> None:
    raw = st.query_params.get(PRESENT)
    if raw is not None and raw != st.session_state.get("_presentatie_url"):
        st.session_state["_presentatie_url"] = raw
        st.session_state[PRESENT] = raw.strip().lower() in ("1", "ja", "true", "aan")


def _sync_presentation_url() -> None:
    if presenting():
        st.query_params[PRESENT] = "1"
    elif PRESENT in st.query_params:
        del st.query_params[PRESENT]
    st.session_state["_presentatie_url"] = st.query_params.get(PRESENT)


def intro(text: str) -> None:
    """A page's introduction (left out in presentation mode)."""
    if not presenting():
        st.write(text)


def advice(theme: str) -> None:
    """One line: what the April 2020 advice asks of a gemeente on this theme ("wat kunt u doen")."""
    st.info(f"**{t('advies.titel')}** {t('rapport.advies.' + theme)}", icon=":material/lightbulb:")


def note(text: str) -> None:
    """A long explanatory caption (left out in presentation mode)."""
    if not presenting():
        st.caption(text)


def map_height(default: int = 560) -> int:
    """The map's height: lower in presentation mode, so map and key figure fit a 1280×720 screen."""
    return 420 if presenting() else default


def selection_from_url() -> str:
    """The selected gemeente after reading ``?gemeente=`` (a new link wins, once): also an old code
    of a dissolved gemeente (GM0003 → Eemsdelta, with a note); a bad value keeps the choice."""
    names = gemeente_names()
    raw = st.query_params.get(QUERY_PARAM)
    if raw is not None and raw != st.session_state.get("_url_seen"):
        st.session_state["_url_seen"] = raw
        code = normalise_code(raw)
        old = None if code is None or code in names else old_code(code)
        if old is not None:
            key = "url.oude_code_verdeeld" if str(old["methode"]).startswith("verdeeld") else "url.oude_code"
            st.session_state["_url_notice"] = t(key, code=code, oud=old["naam"], jaar=old["opgeheven"],
                                                naam=names[old["code_2023"]])
            code = old["code_2023"]
        if code in names:
            st.session_state[SELECTED] = code
            st.session_state[FOCUS] = code  # a link to a gemeente: the map zooms to it
        else:
            fallback = st.session_state.get(SELECTED, DEFAULT_GEMEENTE)
            key = "url.onbekend" if code else "url.ongeldig"
            st.session_state["_url_notice"] = t(key, code=md_escape(str(raw)[:40]),
                                                naam=names.get(fallback, fallback), default=fallback)
    if st.session_state.get(SELECTED) not in names:
        st.session_state[SELECTED] = DEFAULT_GEMEENTE
    return st.session_state[SELECTED]


@st.cache_resource(show_spinner=False)
def _gemeente_names(pack: str) -> dict[str, str]:
    return names_of_gemeenten()


def gemeente_names() -> dict[str, str]:
    """Code → name of the 342 gemeenten; shared and read-only."""
    return _gemeente_names(str(data_dir()))


@st.cache_resource(show_spinner=False)
def _picker_labels(pack: str) -> dict[str, str]:
    return picker_labels()


def sidebar(code: str) -> str:
    """The shared sidebar for the selected gemeente ``code`` (:func:`selection_from_url`): the
    picker kept in session state and in ``?gemeente=``."""
    df = gemeenten_df()
    names = gemeente_names()
    st.session_state[PICKER] = code  # set before the widget exists: no widget-state conflict
    st.session_state[PRESENT + "_knop"] = presenting()
    if presenting():  # no sidebar: the picker and the way out sit above the page
        a, b = st.columns([3, 1], vertical_alignment="bottom")
        picker_box, toggle_box, info_box = a, b, None
    else:
        picker_box = toggle_box = info_box = st.sidebar
    with picker_box:
        labels = _picker_labels(str(data_dir()))  # once per run, not once per option
        st.selectbox(t("sidebar.kies_gemeente"), options=list(df["gemeente_code"]),
                     format_func=labels.__getitem__, key=PICKER, on_change=_on_pick,
                     help=t("sidebar.kies_gemeente_hulp"), placeholder=t("sidebar.zoek"),
                     label_visibility="collapsed" if presenting() else "visible")
    with toggle_box:
        st.toggle(t("presentatie.toggle"), key=PRESENT + "_knop", on_change=_on_presentation,
                  help=t("presentatie.hulp"))
    if info_box is not None:
        with info_box:
            row = df.set_index("gemeente_code").loc[code]
            st.caption(f"{t('sidebar.provincie')}: {row['provincie_naam']}  \n"
                       f"{t('sidebar.amr')}: {row['arbeidsmarktregio_naam']}  \n{t('sidebar.indeling')}")
            report_button(code, key="rapport_zijbalk")
        # On a phone the sidebar is folded away: the chosen gemeente stays visible at the top.
        st.html(f"<div class='gekozen-gemeente'>{html.escape(t('sidebar.gekozen', naam=names[code]))}</div>"
                "<style>.gekozen-gemeente{display:none;color:#555;font-size:.9rem}"
                "@media (max-width: 640px){.gekozen-gemeente{display:block}}</style>")
    notice = st.session_state.pop("_url_notice", None)
    if notice:
        st.warning(notice, icon="⚠️")
    st.query_params[QUERY_PARAM] = code
    st.session_state["_url_seen"] = code
    _sync_presentation_url()
    return code


def _on_presentation() -> None:
    st.session_state[PRESENT] = bool(st.session_state.get(PRESENT + "_knop"))


def session_id() -> str:
    """A random id of this browser session (for per-session limits such as the password back-off)."""
    if "_sessie_id" not in st.session_state:
        import uuid
        st.session_state["_sessie_id"] = uuid.uuid4().hex
    return st.session_state["_sessie_id"]


# --- Dutch number input ---------------------------------------------------------------------------

def dutch_number(label: str, default: float | None, key: str, decimals: int = 1, help: str | None = None,
                 placeholder: str | None = None, container=None) -> tuple[float | None, str | None]:
    """A number field that reads Dutch (``12,5``, ``1.500``; Streamlit's number_input cannot):
    returns (value, None), (None, None) when left empty without a default, or (None, Dutch error).
    The value understood is echoed under the field."""
    where = container or st
    if key not in st.session_state:
        st.session_state[key] = fmt_input(default, decimals) if default is not None else ""
    text = where.text_input(label, key=key, help=help, placeholder=placeholder)
    if not text.strip() and default is None:
        return None, None
    try:
        value = parse_number(text, label)
    except NumberError as exc:
        return None, str(exc)
    where.caption(t("invoer.begrepen", waarde=fmt_number(value, decimals)))
    return value, None


# --- map widget ------------------------------------------------------------------------

def level_switch(key: str, levels=("gemeente", "arbeidsmarktregio", "provincie"),
                 label_visibility: str = "visible") -> str:
    if len(levels) == 1:
        return levels[0]
    return st.radio(t("kaart.niveau"), levels, format_func=lambda lv: t(f"kaart.niveau.{lv}"),
                    horizontal=True, key=f"{key}_niveau", label_visibility=label_visibility)


def legend_html(items: list) -> str:
    boxes = "".join(
        f'<span style="display:inline-flex;align-items:center;margin-right:0.9em;white-space:nowrap">'
        f'<span style="width:14px;height:14px;background:{it.color};border:1px solid #999;'
        f'display:inline-block;margin-right:4px"></span>{html.escape(it.label)}</span>'
        for it in items)
    return f'<div class="legenda" style="font-size:0.85rem;line-height:1.8">{boxes}</div>'


def indicator_map(indicator: str, level: str = "gemeente", periode: str | None = None,
               key: str = "kaart", height: int = 560) -> None:
    """Draw the shared map of ``indicator``; a click on a gemeente selects it."""
    periode = periode or indicators.latest_period(indicator)
    pack = str(data_dir())
    data, legend_items = map_collection(indicator, level, periode, pack, indicators.token_for(indicator))
    _draw(data, legend_items, indicator_label(indicator), level, key, height, note=legend_note(indicator, level),
          source=source_line(indicators.source_dataset(indicator, periode)), periode=periode)


def values_map(values: pd.Series, indicator: str, level: str = "gemeente",
               key: str = "kaart", height: int = 560, label: str | None = None,
               points: dict | None = None, point_fields: list[str] | None = None,
               point_labels: list[str] | None = None, source: str = "") -> None:
    """Like :func:`indicator_map` for values computed on the page (e.g. a scenario).

    ``indicator`` gives the unit and colour classes; ``label`` the tooltip title;
    ``points`` an optional point layer (:func:`lib.choropleth.point_data` rows of ``point_fields``).
    """
    digest = int(pd.util.hash_pandas_object(values, index=True).sum())
    data, legend_items = _values_collection(values, indicator, digest, str(data_dir()))
    _draw(data, legend_items, label or indicator_label(indicator), level, key, height,
          points=points, point_fields=point_fields, point_labels=point_labels, note=legend_note(indicator, level),
          source=source)


@st.cache_resource(show_spinner=False, max_entries=32)
def _values_collection(_values: pd.Series, indicator: str, digest: int, pack: str) -> tuple[dict, list]:
    """Feature collection and legend for page-computed values, keyed by a hash of the values."""
    return _collection_and_legend(indicator, _values)


def _area_code(level: str, code: str) -> str | None:
    """The code of ``level`` that holds gemeente ``code`` (itself at gemeente level)."""
    if level == "gemeente":
        return code
    return gemeenten_df().set_index("gemeente_code").loc[code, f"{level}_code"]


def legend_note(indicator: str, level: str) -> str:
    """How the classes were made and which way is worse, in one line under the legend."""
    method = t(f"kaart.klassen.{choropleth.class_method(indicator, level)}")
    ind = INDICATORS.get(indicator)
    direction = t("kaart.richting.hoger_slechter" if ind is None or ind.higher_is_worse
                  else "kaart.richting.hoger_beter")
    return f"{method} {direction}"


FOCUS = "_kaart_focus"  # session key: the gemeente the map should zoom to (chosen outside the map)


def _draw(data: dict, legend_items: list, label: str, level: str, key: str, height: int,
          points: dict | None = None, point_fields: list[str] | None = None,
          point_labels: list[str] | None = None, note: str = "", source: str = "", periode: str = "") -> None:
    """The map: a script that stays the same while indicator, level and points do (so the browser
    keeps the user's pan and zoom), the selection as a separate layer, and a zoom to the gemeente
    when it was chosen elsewhere (picker, link)."""
    pack = str(data_dir())
    height = map_height(height)
    url = geometry.static_url(level)
    area = _area_code(level, selected_code())
    center = zoom = None
    focus = st.session_state.get(FOCUS)
    if focus is not None:
        bounds = _bounds(level, pack).get(_area_code(level, focus))
        if bounds is not None:
            center, zoom = choropleth.view_of(bounds)
    # The map starts at the gemeente chosen outside it (a link, the picker): streamlit-folium
    # applies center/zoom only when they change after the first render, so a deep link would
    # otherwise open on the whole country. A click on the map does not change the focus, so the
    # script stays the same and the user's own view is kept.
    fmap = choropleth.build_map(data, label, geometry_url=url,
                                geometry=None if url else _geojson(level, pack),
                                points=points, point_fields=point_fields, point_labels=point_labels,
                                view=(center, zoom) if center is not None else None)
    # render=False: st_folium then renders the map itself once, not the whole figure first
    # (whose HTML page it does not use); the component receives the same arguments.
    out = st_folium(fmap, height=height, use_container_width=True, key=f"{key}_{level}", render=False,
                    feature_group_to_add=choropleth.selection_layer(_outlines(level, pack).get(area)),
                    center=center, zoom=zoom, returned_objects=["last_active_drawing", "last_object_clicked"])
    st.markdown(legend_html(legend_items), unsafe_allow_html=True)
    if level == "gemeente":
        neighbour_links(key)
    hints = ([note] if note else []) + ([t("kaart.klik_hint")] if level == "gemeente" else [])
    if tiles_url() is None:
        hints.append(t("kaart.zonder_achtergrond"))
    st.caption(" ".join(hints))
    title = f"{label} ({periode})" if periode else label
    st.download_button(t("kaart.download"), lambda: _map_image(level, data, legend_items, title, source, area),
                       file_name=f"kaart_{re.sub(r'[^a-z0-9]+', '_', label.lower()).strip('_')}_{level}.svg",
                       mime="image/svg+xml", key=f"{key}_{level}_svg", icon=":material/download:")
    # The same figures without the map; built and sent only while the expander is open
    # (a 342-row table on every rerun was a third of the page's bytes).
    table = st.expander(t("kaart.tabel"), key=f"{key}_{level}_tabel", on_change="rerun")
    if table.open:
        with table:
            st.dataframe(map_table(data, legend_items, level, label, area), hide_index=True, width="stretch",
                         height=300)
    out = out or {}
    clicked = (out.get("last_active_drawing") or {}).get("properties", {}).get("code")
    where = out.get("last_object_clicked") or {}
    click = (clicked, where.get("lat"), where.get("lng"))
    handled = f"_{key}_{level}_klik"
    # The component keeps returning its last click: act on each click once, and only on a new one.
    if level == "gemeente" and clicked and click != st.session_state.get(handled):
        st.session_state[handled] = click
        if clicked != selected_code() and clicked in _outlines(level, pack):
            select(clicked)
            st.rerun()


@st.cache_resource(show_spinner=False)
def _neighbours(pack: str) -> dict[str, list[str]]:
    return geometry.gemeente_neighbours()


def neighbour_links(key: str) -> None:
    """The chosen gemeente's neighbours as buttons under the map: reachable with the keyboard (Tab,
    Enter) and by screen readers, which the map's shapes are not."""
    code = selected_code()
    nb = _neighbours(str(data_dir())).get(code, [])
    names = gemeente_names()
    widget = f"{key}_buren"
    if not nb:
        st.caption(t("kaart.geen_buren", naam=names.get(code, code)))
        return
    st.pills(t("kaart.buren", naam=names.get(code, code)), nb, format_func=names.get, key=widget,
             selection_mode="single", on_change=_on_neighbour, args=(widget,), help=t("kaart.buren_hulp"))


def _on_neighbour(widget: str) -> None:
    code = st.session_state.get(widget)
    if code:
        st.session_state[SELECTED] = code
        st.session_state[FOCUS] = code  # chosen outside the map: the map goes there
    st.session_state[widget] = None


@st.cache_resource(show_spinner=False, max_entries=256)
def _chart_spec(_builder, name: str, args: tuple, pack: str, token: tuple) -> dict:
    spec = _builder(*args).to_dict()
    # The data as Arrow IPC bytes, once: Streamlit then passes them on as they are instead of
    # converting every dataset on every rerun (st.vega_lite_chart accepts bytes datasets).
    spec["datasets"] = {name: _arrow_bytes(rows) for name, rows in spec.get("datasets", {}).items()}
    return spec


def _arrow_bytes(rows: list[dict]) -> bytes:
    import pyarrow as pa
    table = pa.Table.from_pandas(pd.DataFrame(rows), preserve_index=False)
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


@st.cache_resource(show_spinner=False)
def _national_units(pack: str) -> list[str]:
    from lib import charts
    return charts.unemployment_national_units()


def national_units() -> list[str]:
    """The units of the national unemployment series (one chart each), once per pack."""
    return list(_national_units(str(data_dir())))


def chart(builder, *args) -> None:
    """Draw ``builder(*args)`` (an Altair chart from :mod:`lib.charts`); the Vega-Lite spec is
    built once per input and pack state, not on every rerun."""
    name = f"{builder.__module__}.{builder.__qualname__}"
    st.vega_lite_chart(_chart_spec(builder, name, args, str(data_dir()), indicators.live_token()), width="stretch")


def csv_downloads(df, file_stem: str, key: str, decimals: dict[str, int] | None = None,
                  label: str | None = None, default_decimals: int | None = None) -> None:
    """Two download buttons: a CSV for Dutch Excel (BOM, ``;``, decimal comma, rounded as shown,
    ja/nee) and a plain machine-readable one (:mod:`lib.downloads`). ``df`` may be a callable:
    the file is then built only when asked for."""
    from lib import downloads
    frame = df if callable(df) else (lambda: df)
    a, b = st.columns(2)
    default = downloads.DEFAULT_DECIMALS if default_decimals is None else default_decimals
    a.download_button(label or t("download.excel"), lambda: downloads.excel_csv(frame(), decimals, default),
                      file_name=f"{file_stem}.csv", mime="text/csv", key=f"{key}_excel",
                      help=t("download.excel_hulp"), icon=":material/table:")
    b.download_button(t("download.plain"), lambda: downloads.plain_csv(frame()), file_name=f"{file_stem}_data.csv",
                      mime="text/csv", key=f"{key}_plain", help=t("download.plain_hulp"),
                      icon=":material/data_object:")


@st.cache_data(show_spinner=False)
def export_csv(pack: str) -> bytes:
    """The full export (python -m lib.export) as CSV bytes, built once per pack."""
    from lib import export
    return export.to_csv_bytes(export.export_table())


def _map_image(level: str, data: dict, legend_items: list, title: str, source: str, selected: str | None) -> bytes:
    from lib import report  # matplotlib only when asked for
    return report.map_svg(level, data, legend_items, title, source or t("kaart.bron_onbekend"), selected)


def quickscan_document(qs) -> bytes:
    from lib import report  # matplotlib only when asked for
    return report.quickscan_html(qs)


def _report_html(code: str) -> bytes:
    from lib import report  # imported on the first click: matplotlib is not needed before
    return report.html_report(code)


def report_button(code: str, key: str) -> None:
    """Download the gemeenterapport; built only when clicked (deferred data)."""
    name = gemeenten_df().set_index("gemeente_code").loc[code, "gemeente_naam"]
    st.download_button(t("rapport.knop"), lambda: _report_html(code), key=key, mime="text/html",
                       file_name=f"gemeenterapport_{code}_{re.sub(r'[^A-Za-z0-9]+', '_', name)}.html",
                       help=t("rapport.knop_hulp"), icon=":material/description:")


# --- registry ----------------------------------------------------------------------------------

def md_escape(text: str) -> str:
    """Escape Markdown so user text in a message is shown as text (no links, images, HTML)."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|<>~])", r"\\\1", str(text))


def registry() -> Registry:
    """The registry: the one object per database (:func:`lib.civic.open_registry`), shared with
    the overview figures and the export. Raises SourceUnavailable (shown by :func:`guard`) when the
    database cannot be reached."""
    from lib import civic
    return civic.open_registry(registry_url())


@st.cache_data(ttl=300, show_spinner=False, max_entries=4)
def _registry_rows(url: str, token: tuple) -> pd.DataFrame:
    return registry().rows()


@st.cache_resource(show_spinner=False, max_entries=4)
def _registry_summary(url: str, token: tuple) -> dict:
    from lib import civic
    return civic.summary(_registry_rows(url, token))


def registry_summary() -> dict:
    """The registry's headline counts, once per registry state."""
    return dict(_registry_summary(registry_url(), indicators.live_token()))


@st.cache_resource(show_spinner=False, max_entries=64)
def _registry_view(url: str, token: tuple, code: str | None, themes: tuple, query: str) -> tuple:
    from lib import civic
    return civic.registry_view(_registry_rows(url, token), code, themes, query)


def registry_view(code: str | None, themes: tuple = (), query: str = "") -> tuple:
    """(rows, table) of the registry as the page shows it (:func:`lib.civic.registry_view`), once per
    registry state and filter; shared, read-only."""
    return _registry_view(registry_url(), indicators.live_token(), code, tuple(themes), query)


def registry_rows() -> pd.DataFrame:
    """Registry rows, read again when the registry changes (token), at most five minutes
    old otherwise; cleared after every write here."""
    try:
        return _registry_rows(registry_url(), indicators.live_token())
    except SQLAlchemyError as exc:
        raise SourceUnavailable(t("reg.db_fout", detail=type(exc).__name__)) from None


@st.cache_resource(show_spinner=False, max_entries=4)
def _registry_points(url: str, token: tuple, fields: tuple) -> dict:
    from lib import civic  # requests for help are counted apart and not drawn as initiatives
    return choropleth.point_data(civic.counted(_registry_rows(url, token)), list(fields), coded=("thema",))


def registry_points(fields: tuple[str, ...]) -> dict:
    """The registry's initiatives as a point layer, built once per registry state."""
    return _registry_points(registry_url(), indicators.live_token(), fields)


@st.cache_resource(show_spinner=False, max_entries=4)
def _density_table(url: str, token: tuple) -> pd.DataFrame:
    from lib import civic
    return civic.density(_registry_rows(url, token))


def density_table() -> pd.DataFrame:
    """Initiatives per 10,000 inhabitants next to loneliness, per registry state (read-only)."""
    return _density_table(registry_url(), indicators.live_token())


@st.cache_resource(show_spinner=False, max_entries=4)
def _blind_spots(url: str, token: tuple) -> pd.DataFrame:
    from lib import civic
    return civic.blind_spots(_density_table(url, token), _registry_rows(url, token))


def blind_spots() -> pd.DataFrame:
    """High loneliness, few initiatives (lib.civic.blind_spots), per registry state (read-only)."""
    return _blind_spots(registry_url(), indicators.live_token())


def registry_written() -> None:
    """Call after a successful write: the next read sees it (map, tables, overview).

    The registry token changes with the write as well; clearing also drops old rows."""
    _registry_rows.clear()
