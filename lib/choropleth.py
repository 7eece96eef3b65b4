"""The shared choropleth map: classes, colours, legend and the folium map (no Streamlit).

* Colour classes are explicit and fixed per indicator and map level (declared in
  :data:`lib.catalog.INDICATORS`), so maps compare across gemeenten, periods and pages;
  an indicator or level without fixed classes gets natural breaks (Jenks-Caspall,
  ``mapclassify``) of the map's own values, rounded to two significant digits.
* Missing values are grey and labelled "geen gegevens".
* Leaflet is loaded from the app itself (``/app/static/leaflet``), never a CDN; tiles
  are optional (:func:`lib.config.tiles_url`).
* The payload stays small: geometry is pre-serialised once per level with
  coordinates rounded to 4 decimals (the source grid is ~0.001°), and each feature
  carries only its code, name, formatted value and colour.
* Every text property is HTML-escaped: tooltips show text, never markup.
"""
from __future__ import annotations

import functools
import html
import json
import math
import types
from dataclasses import dataclass

import branca.element
import folium
import jinja2
import mapclassify
import numpy as np
import pandas as pd

from lib import texts_nl
from lib.catalog import fixed_classes
from lib.config import PDOK_ATTRIBUTION, tiles_url
from lib.geometry import boundaries

LEAFLET_JS = "/app/static/leaflet/leaflet.js"
LEAFLET_CSS = "/app/static/leaflet/leaflet.css"
MISSING_COLOR = "#c8c8c8"
SELECTED_COLOR = "#d62728"
BORDER_COLOR = "#ffffff"
# Sequential blues (ColorBrewer "Blues", 5 classes).
PALETTE = ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"]
NL_CENTER = (52.2, 5.3)


def _nice(x: float) -> float:
    if x == 0 or not math.isfinite(x):
        return x
    digits = 1 - int(math.floor(math.log10(abs(x))))
    return round(x, digits)


def breaks_for(indicator: str, values: pd.Series, level: str = "gemeente") -> list[float]:
    """Class breaks: the catalog's fixed breaks for this level, else natural breaks of ``values``."""
    fixed = fixed_classes(indicator, level)
    if fixed is not None:
        return list(fixed)
    return natural_breaks(values)


def class_method(indicator: str, level: str = "gemeente") -> str:
    """``vast`` (fixed breaks from the catalog) or ``natuurlijk`` (natural breaks of the map's values)."""
    return "vast" if fixed_classes(indicator, level) is not None else "natuurlijk"


def natural_breaks(values: pd.Series, k: int = 5) -> list[float]:
    """Natural breaks (Jenks-Caspall, mapclassify) of the values, rounded to two significant digits."""
    clean = values.dropna().astype(float)
    if clean.nunique() < 2:
        return []
    k = min(k, int(clean.nunique()))
    # Jenks-Caspall: deterministic (starts from quantiles) and fast; Fisher-Jenks needs numba to be quick
    bins = mapclassify.JenksCaspall(clean.to_numpy(), k=k).bins[:-1]  # upper bounds; the last is the maximum
    return sorted({_nice(float(b)) for b in bins})


def classify(values: pd.Series, breaks: list[float]) -> pd.Series:
    """Class index per value (0 … len(breaks)); -1 for missing."""
    idx = np.searchsorted(np.asarray(breaks, dtype=float), values.to_numpy(dtype=float), side="right")
    return pd.Series(np.where(values.isna(), -1, idx), index=values.index)


def colors_for(values: pd.Series, breaks: list[float]) -> pd.Series:
    palette = _palette(len(breaks) + 1)
    return classify(values, breaks).map(lambda i: MISSING_COLOR if i < 0 else palette[i])


def _palette(n: int) -> list[str]:
    if n <= len(PALETTE):
        return PALETTE[len(PALETTE) - n:] if n > 1 else [PALETTE[2]]
    return PALETTE + [PALETTE[-1]] * (n - len(PALETTE))


def _fmt(v: float, decimals: int) -> str:
    return texts_nl.fmt_number(v, decimals)


@dataclass(frozen=True)
class LegendItem:
    color: str
    label: str


def legend(breaks: list[float], decimals: int = 1) -> list[LegendItem]:
    """Explicit legend: ``< 10,0``, ``10,0 – 12,0``, …, ``≥ 16,0`` and ``geen gegevens``."""
    palette = _palette(len(breaks) + 1)
    items = []
    if breaks:
        items.append(LegendItem(palette[0], f"< {_fmt(breaks[0], decimals)}"))
        for i in range(1, len(breaks)):
            items.append(LegendItem(palette[i], f"{_fmt(breaks[i - 1], decimals)} – {_fmt(breaks[i], decimals)}"))
        items.append(LegendItem(palette[len(breaks)], f"≥ {_fmt(breaks[-1], decimals)}"))
    items.append(LegendItem(MISSING_COLOR, texts_nl.t("kaart.geen_gegevens")))
    return items


def _round_coords(obj, nd: int = 4):
    if isinstance(obj, (list, tuple)):
        if obj and isinstance(obj[0], (int, float)):
            return [round(float(c), nd) for c in obj]
        return [_round_coords(o, nd) for o in obj]
    return obj


def base_features(level: str) -> list[dict]:
    """Pre-serialised features of one map level: ``{"code", "naam", "geometry"}`` dicts."""
    gdf = boundaries(level)
    feats = json.loads(gdf.to_json(drop_id=True))["features"]
    return [{"code": f["properties"]["statcode"], "naam": f["properties"]["statnaam"],
             "geometry": {"type": f["geometry"]["type"],
                          "coordinates": _round_coords(f["geometry"]["coordinates"])}}
            for f in feats]


class SerializedCollection(dict):
    """A GeoJSON FeatureCollection that carries its JSON text, serialised once.

    Folium would otherwise serialise ~200 KB of geometry on every rerun; its templates
    use :func:`_json_dumps` (below), which returns this text as is.
    """

    def __init__(self, data: dict):
        super().__init__(data)
        self.json_text = json.dumps(data, separators=(",", ":"))
        self.bounds = folium.utilities.get_bounds(data, lonlat=True) if data.get("features") else None


class _GeoJson(folium.GeoJson):
    """folium.GeoJson whose bounds come precomputed with a SerializedCollection (st_folium asks
    for the map's bounds on every rerun, which otherwise walks every coordinate)."""

    def _get_self_bounds(self):
        bounds = getattr(self.data, "bounds", None)
        return bounds if bounds is not None else super()._get_self_bounds()


def _json_dumps(obj, **kwargs) -> str:
    if isinstance(obj, SerializedCollection):
        return obj.json_text
    return json.dumps(obj, **kwargs)


class _LiteralTemplate:
    """Stands in for a Jinja template whose source has no Jinja syntax: renders as is."""

    def __init__(self, source: str):
        self.source = source
        self.module = types.SimpleNamespace()

    def render(self, *args, **kwargs) -> str:
        return self.source


@functools.lru_cache(maxsize=128)
def _compiled(source: str) -> jinja2.Template:
    return _BRANCA_TEMPLATE(source)


def _branca_template(source: str):
    """branca wraps every rendered script (for a map, ~200 KB of GeoJSON JavaScript) in a
    new Element, compiling that output as a Jinja template on every render. Output with no
    Jinja syntax needs no compiling; small templates are compiled once."""
    if not any(tag in source for tag in ("{{", "{%", "{#")):
        return _LiteralTemplate(source)
    return _compiled(source) if len(source) < 4000 else _BRANCA_TEMPLATE(source)


_BRANCA_TEMPLATE = branca.element.Template
branca.element.Template = _branca_template
# folium's tooltip (GeoJsonDetail.render) compiles the same small template on every render.
_FOLIUM_TEMPLATE = folium.features.Template
folium.features.Template = functools.lru_cache(maxsize=32)(_FOLIUM_TEMPLATE)

# Jinja's tojson in folium's templates serialises with this function (one shared environment).
folium.GeoJson._template.environment.policies["json.dumps_function"] = _json_dumps


def _style(color: str) -> dict:
    return {"fillColor": color, "color": BORDER_COLOR, "weight": 0.6, "fillOpacity": 0.9}


def feature_collection(features: list[dict], values: pd.Series, colors: pd.Series,
                       value_text: pd.Series) -> SerializedCollection:
    """GeoJSON with the few properties the map needs (all text HTML-escaped).

    Each feature carries its own style (folium applies ``properties.style`` when no Python
    style function is given) and its code as ``id``, so rendering neither styles nor
    modifies the features.
    """
    out = []
    for f in features:
        code = f["code"]
        color = colors.get(code, MISSING_COLOR)
        out.append({"type": "Feature", "id": code, "geometry": f["geometry"], "properties": {
            "code": code,
            "naam": html.escape(f["naam"]),
            "waarde": html.escape(value_text.get(code, texts_nl.MISSING)),
            "kleur": color,
            "style": _style(color),
        }})
    return SerializedCollection({"type": "FeatureCollection", "features": out})


def _area_layer(collection: dict, value_label: str) -> folium.GeoJson:
    return _GeoJson(
        collection,
        name="gebieden",  # no style_function: each feature's properties.style is applied
        highlight_function=lambda f: {"weight": 2.5, "color": "#333333"},
        tooltip=folium.GeoJsonTooltip(fields=["naam", "waarde"], aliases=["", value_label],
                                      labels=True, sticky=True),
    )


def point_collection(df: pd.DataFrame, fields: list[str]) -> dict:
    """Point features (``latitude``/``longitude`` columns) with the given text fields,
    HTML-escaped: user text in a tooltip stays text."""
    df = df.dropna(subset=["latitude", "longitude"])
    return SerializedCollection({"type": "FeatureCollection", "features": [
        {"type": "Feature",
         "geometry": {"type": "Point", "coordinates": [round(float(lon), 5), round(float(lat), 5)]},
         "properties": {f: html.escape(str(v)) if v is not None and v == v else "" for f, v in zip(fields, vals)}}
        for lat, lon, *vals in df[["latitude", "longitude", *fields]].itertuples(index=False)]})


def build_map(collection: dict, value_label: str, selected: dict | None = None,
              height_bounds: tuple = ((50.75, 3.36), (53.56, 7.22)), points: dict | None = None,
              point_labels: list[str] | None = None) -> folium.Map:
    """A folium map of ``collection`` (from :func:`feature_collection`).

    ``selected`` is one feature (geometry dict) drawn as an outline on top; ``points``
    (from :func:`point_collection`) are drawn as small circles with a tooltip.
    """
    tiles = tiles_url()
    fmap = folium.Map(location=NL_CENTER, zoom_start=7, tiles=None, control_scale=True,
                      prefer_canvas=False, zoom_snap=0.25)
    # Leaflet from the app itself: no CDN, no jQuery/Bootstrap (the map needs neither).
    fmap.default_js = [("leaflet", LEAFLET_JS)]
    fmap.default_css = [("leaflet_css", LEAFLET_CSS)]
    if tiles:
        folium.TileLayer(tiles=tiles, attr=PDOK_ATTRIBUTION, name="PDOK", max_zoom=19).add_to(fmap)
    if collection["features"]:
        _area_layer(collection, value_label).add_to(fmap)
    if selected is not None:
        folium.GeoJson(
            {"type": "Feature", "geometry": selected, "properties": {}},
            name="selectie", interactive=False,
            style_function=lambda f: {"fill": False, "color": SELECTED_COLOR, "weight": 3},
        ).add_to(fmap)
    if points is not None and points["features"]:
        fields = list(points["features"][0]["properties"])
        _GeoJson(
            points, name="punten",
            marker=folium.CircleMarker(radius=4, weight=1, color="#7f2704", fill=True,
                                       fill_color="#fd8d3c", fill_opacity=0.9),
            tooltip=folium.GeoJsonTooltip(fields=fields, aliases=point_labels or fields, labels=True),
        ).add_to(fmap)
    fmap.fit_bounds(list(height_bounds))
    return fmap
