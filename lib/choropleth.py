"""The shared choropleth map: classes, colours, legend and the folium map (no Streamlit).

* Colour classes are explicit and fixed per indicator and map level (declared in
  :data:`lib.catalog.INDICATORS`), so maps compare across gemeenten, periods and pages;
  an indicator or level without fixed classes gets natural breaks (Fisher-Jenks) of the map's own values, rounded to two significant digits.
* Missing values are grey and labelled "geen gegevens".
* Leaflet is loaded from the app itself (``/app/static/leaflet``), never a CDN; tiles
  are optional (:func:`lib.config.tiles_url`).
* A rerun carries only colours and labels per code: the geometry of each level is a
  static, browser-cached GeoJSON file built by the pack pipeline (:mod:`lib.geometry`).
* The map is built from folium's own extension points (a map class with local
  Leaflet, :class:`AreaLayer` and :class:`PointLayer` macro elements with their own
  templates); nothing of folium or branca is patched.
* User text is data, never code: it is written into the script as JSON with every
  template delimiter and markup character escaped (:func:`safe_json`), and shown
  through ``textContent``.
"""
from __future__ import annotations

import collections
import json
import math
import threading
from dataclasses import dataclass

import folium
import numpy as np
import pandas as pd

from lib import texts_nl
from lib.catalog import fixed_classes
from lib.config import PDOK_ATTRIBUTION, tiles_url
from branca.element import Element, MacroElement
from jinja2 import Template

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
    """Natural breaks (Fisher-Jenks, the exact optimum: the ``k`` classes with the smallest total
    squared deviation from their class means), each break halfway between two classes and rounded
    to two significant digits. Dynamic programming over the sorted values, O(k·n²) with numpy:
    a few milliseconds for 342 gemeenten (mapclassify would add seconds of scipy and scikit-learn
    imports to the first page)."""
    x = np.sort(values.dropna().to_numpy(dtype=float))
    k = min(k, len(np.unique(x)))
    if k < 2:
        return []
    n = len(x)
    s1, s2 = np.concatenate([[0.0], np.cumsum(x)]), np.concatenate([[0.0], np.cumsum(x * x)])
    cost = np.full((k + 1, n + 1), np.inf)
    start = np.zeros((k + 1, n + 1), dtype=int)
    cost[0, 0] = 0.0
    for c in range(1, k + 1):
        for j in range(c, n + 1):
            i = np.arange(c - 1, j)  # the last class is x[i:j]
            ssd = (s2[j] - s2[i]) - (s1[j] - s1[i]) ** 2 / (j - i)
            total = cost[c - 1, i] + ssd
            best = int(np.argmin(total))
            cost[c, j], start[c, j] = total[best], i[best]
    bounds, j = [], n
    for c in range(k, 1, -1):
        j = start[c, j]
        bounds.append(j)
    return sorted({float(_nice((x[b - 1] + x[b]) / 2)) for b in bounds})


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


_SHARED_JSON: "collections.OrderedDict[tuple, tuple[object, str]]" = collections.OrderedDict()
_SHARED_LOCK = threading.Lock()


def shared_safe_json(shared: object, key: tuple, build) -> str:
    """:func:`safe_json` of ``build()``, computed once while ``shared`` (a cached, never-modified
    object such as a map's colour table) is the same object. Keyed by its identity; the entry keeps
    it alive, so the identity cannot be reused by another object. A few dozen entries at most."""
    k = (id(shared), *key)
    with _SHARED_LOCK:
        hit = _SHARED_JSON.get(k)
        if hit is not None and hit[0] is shared:
            _SHARED_JSON.move_to_end(k)
            return hit[1]
    text = safe_json(build())
    with _SHARED_LOCK:
        _SHARED_JSON[k] = (shared, text)
        while len(_SHARED_JSON) > 64:
            _SHARED_JSON.popitem(last=False)
    return text


def safe_json(obj) -> str:
    """JSON for a ``<script>`` that folium/branca render as a Jinja template.

    Every ``{`` and ``}`` inside a string becomes ``\\u007b`` / ``\\u007d`` and every ``<``, ``>``,
    ``&`` a ``\\u003c``-style escape: JavaScript reads back exactly the same text, but the rendered
    script contains no Jinja delimiter (``{{``, ``{%``, ``{#``) and no ``</script>`` coming from
    data. branca compiles rendered output as a template again; user text must never be code there.
    """
    def strings(o):
        if isinstance(o, str):
            return o.translate(_PRIVATE)
        if isinstance(o, dict):
            return {strings(k): strings(v) for k, v in o.items()}
        if isinstance(o, (list, tuple)):
            return [strings(v) for v in o]
        return o
    text = json.dumps(strings(obj), ensure_ascii=True, separators=(",", ":"), allow_nan=False)
    for private, escape in _ESCAPES.items():
        text = text.replace(private, escape)
    return text


# Characters of user text that must not appear literally in a rendered script, parked on private-use
# code points (which json.dumps writes as \\ue0xx) and then written as their own \\u escapes.
_UNSAFE = "{}<>&%#"
_PRIVATE = {ord(c): 0xE000 + i for i, c in enumerate(_UNSAFE)}
_ESCAPES = {f"\\ue{i:03x}": f"\\u{ord(c):04x}" for i, c in enumerate(_UNSAFE)}


def area_data(values: pd.Series, colors: pd.Series, value_text: pd.Series) -> dict:
    """Per code the map's colour and tooltip text: all a rerun needs (geometry is a static file)."""
    return {str(code): [colors.get(code, MISSING_COLOR), str(value_text.get(code, texts_nl.MISSING))]
            for code in values.index}


def point_data(df: pd.DataFrame, fields: list[str], coded: tuple[str, ...] = (), max_points: int | None = None) -> dict:
    """Points (``latitude``/``longitude`` columns) as compact rows ``[lat, lon, field…]`` (4 decimals,
    about 10 m). A field in ``coded`` (few distinct values, such as a theme) is sent as an index
    into ``codes[field]``, so repeated text does not travel with every point."""
    max_points = MAX_POINTS if max_points is None else max_points
    df = df.dropna(subset=["latitude", "longitude"])
    codes = {f: sorted({"" if v is None or v != v else str(v) for v in df[f]}) for f in coded}
    lookup = {f: {v: i for i, v in enumerate(vals)} for f, vals in codes.items()}

    def cell(field, v):
        text = "" if v is None or v != v else str(v)
        return lookup[field][text] if field in lookup else text
    if len(df) > max_points:
        return _aggregated(df, fields, codes, lookup, max_points)
    rows = [[round(float(lat), 4), round(float(lon), 4), *(cell(f, v) for f, v in zip(fields, vals))]
            for lat, lon, *vals in df[["latitude", "longitude", *fields]].itertuples(index=False)]
    return {"rows": rows, "codes": codes}


#: Above this many points the layer is aggregated to squares (the map's data per rerun stays
#: within its budget: about 30 bytes per point, 40 KB in all).
MAX_POINTS = 1200


def _aggregated(df: pd.DataFrame, fields: list[str], codes: dict, lookup: dict, max_points: int) -> dict:
    """Points merged per square of ``cell`` degrees (doubled from 0.01° until at most ``max_points``
    squares remain): one circle per square at the mean position, sized by its count, with the
    first names as examples. ``aggregated`` says the square size for the page's caption."""
    cell = 0.01
    while True:
        keys = np.floor(df["latitude"].to_numpy(float) / cell).astype(int) * 100_000 + \
            np.floor(df["longitude"].to_numpy(float) / cell).astype(int)
        if len(np.unique(keys)) <= max_points:
            break
        cell *= 2
    grouped = df.assign(_vak=keys).groupby("_vak", sort=True)
    rows, counts = [], []
    for _, part in grouped:
        n = len(part)
        row = [round(float(part["latitude"].mean()), 4), round(float(part["longitude"].mean()), 4)]
        for f in fields:
            values = ["" if v is None or v != v else str(v) for v in part[f]]
            if f in lookup:  # a coded field: the most common value
                row.append(lookup[f][max(set(values), key=values.count)])
            elif n == 1:
                row.append(values[0])
            else:
                row.append(texts_nl.t("kaart.punten_samen", n=n, voorbeelden="; ".join(values[:2])))
        rows.append(row)
        counts.append(n)
    return {"rows": rows, "codes": codes, "counts": counts, "aggregated": cell, "total": int(len(df))}


class LocalMap(folium.Map):
    """A folium map that loads Leaflet from the app itself (no CDN, no jQuery or Bootstrap)."""
    default_js = [("leaflet", LEAFLET_JS)]
    default_css = [("leaflet_css", LEAFLET_CSS)]


class _Text(Element):
    """Text placed into the figure as it is: never compiled as a template."""

    def __init__(self, text: str):
        super().__init__()
        self._text = text

    def render(self, **kwargs) -> str:
        return self._text


class LiteralMacro(MacroElement):
    """A macro element whose rendered script goes into the figure as text.

    branca's own ``MacroElement.render`` wraps each rendered macro in a new ``Element``, which
    compiles it as a Jinja template again: a second template pass over text that holds data
    (all of the points' JSON), and most of a map's render time. Our layers have only a script
    macro and no template syntax in their output, so they override ``render`` (an extension
    point, not a patch) and add the text itself.
    """

    def render(self, **kwargs) -> None:
        script = self._template.module.__dict__.get("script")
        if script is not None:
            self.get_root().script.add_child(_Text(script(self, kwargs)), name=self.get_name())
        for child in self._children.values():
            child.render(**kwargs)


class AreaLayer(LiteralMacro):
    """The choropleth: geometry fetched from a static, browser-cached GeoJSON file (or given
    inline), coloured and labelled from a small per-code table (:func:`area_data`).

    Text reaches the page only through ``textContent`` (tooltips are DOM nodes, not HTML). The
    layer restores a feature's own style on mouse-out (hover never leaves Leaflet's default blue).
    The (empty) layer exists when the map is created, so streamlit-folium's click handler is on
    it; features added after the fetch pass their clicks up to it.
    """
    _template = Template("""
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = (function () {
  var cfg = {{ this.config }};
  function style(f) {
    var d = cfg.data[f.properties.statcode];
    return {fillColor: d ? cfg.colors[d[0]] : cfg.missingColor, color: cfg.border, weight: 0.6, opacity: 1,
            fillOpacity: 0.9};
  }
  function tip(f) {
    var d = cfg.data[f.properties.statcode];
    var box = document.createElement("div"), name = document.createElement("strong"), line = document.createElement("div");
    name.textContent = f.properties.statnaam;
    line.textContent = cfg.label + ": " + (d ? d[1] : cfg.missing);
    box.appendChild(name); box.appendChild(line);
    return box;
  }
  var layer = L.geoJson(null, {
    style: style,
    onEachFeature: function (f, l) {
      f.properties.code = f.properties.statcode;
      l.bindTooltip(function () { return tip(f); }, {sticky: true, direction: "auto", className: "gemeente-tip"});
      l.on("mouseover", function () { l.setStyle({weight: 2.5, color: "#333333"}); });
      l.on("mouseout", function () { l.setStyle(style(f)); });
      l.on("click", function () { l.closeTooltip(); });
    }
  }).addTo({{ this._parent.get_name() }});
  // Areas arrive after the selection outline and the points: keep them underneath.
  if (cfg.geometry) { layer.addData(cfg.geometry); layer.bringToBack(); }
  else { fetch(cfg.url).then(function (r) { return r.json(); }).then(function (g) { layer.addData(g); layer.bringToBack(); }); }
  return layer;
})();
{% endmacro %}
""")

    def __init__(self, data: dict, label: str, url: str | None = None, geometry: dict | None = None):
        super().__init__()
        self._name = "AreaLayer"
        self.config = shared_safe_json(data, ("area", label, url, id(geometry)),
                                       lambda: {**_coded_colours(data), "label": label, "url": url, "geometry": geometry,
                                                "missing": texts_nl.MISSING, "missingColor": MISSING_COLOR,
                                                "border": BORDER_COLOR})


def _coded_colours(data: dict) -> dict:
    """``{"colors": [...], "data": {code: [colour index, text]}}``: the five class colours travel
    once, not with each of 342 gemeenten (3 KB less per map)."""
    colours = sorted({colour for colour, _ in data.values()})
    index = {c: i for i, c in enumerate(colours)}
    return {"colors": colours, "data": {code: [index[colour], text] for code, (colour, text) in data.items()}}


class PointLayer(LiteralMacro):
    """Small circles for points with a text tooltip (``textContent``; no markup, no template)."""
    _template = Template("""
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = (function () {
  var cfg = {{ this.config }};
  var group = L.featureGroup().addTo({{ this._parent.get_name() }});
  function value(i, p) { var f = cfg.fields[i], c = cfg.codes[f]; return c ? c[p[2 + i]] : p[2 + i]; }
  cfg.points.forEach(function (p, k) {
    var n = cfg.counts ? cfg.counts[k] : 1;  // aggregated squares: a larger circle for more points
    var m = L.circleMarker([p[0], p[1]], {radius: 4 + 2 * Math.log2(n), weight: 1, color: "#7f2704",
                                          fillColor: "#fd8d3c", fillOpacity: 0.85});
    var props = {};
    cfg.fields.forEach(function (f, i) { props[f] = value(i, p); });
    m.feature = {type: "Feature", geometry: {type: "Point", coordinates: [p[1], p[0]]}, properties: props};
    m.bindTooltip(function () {
      var box = document.createElement("div");
      cfg.fields.forEach(function (f, i) {
        var line = document.createElement("div");
        line.textContent = cfg.labels[i] + ": " + value(i, p);
        box.appendChild(line);
      });
      return box;
    });
    group.addLayer(m);
  });
  return group;
})();
{% endmacro %}
""")

    def __init__(self, points: dict, fields: list[str], labels: list[str]):
        super().__init__()
        self._name = "PointLayer"
        self.config = shared_safe_json(points, ("points", tuple(fields), tuple(labels)), lambda: {
            "points": points["rows"], "codes": points.get("codes", {}), "fields": fields, "labels": labels,
            "counts": points.get("counts")})


def build_map(data: dict, value_label: str, geometry_url: str | None = None, geometry: dict | None = None,
              points: dict | None = None, point_fields: list[str] | None = None,
              point_labels: list[str] | None = None,
              bounds: tuple = ((50.75, 3.36), (53.56, 7.22)), view: tuple | None = None) -> folium.Map:
    """A map of one level: areas from ``geometry_url`` (static file) or inline ``geometry``,
    coloured by ``data`` (:func:`area_data`); optional ``points`` (:func:`point_data`); the whole
    country, or ``view`` = (centre, zoom).

    The result depends only on its arguments, so the same map on the next rerun is the same
    script (streamlit-folium then keeps the user's view). The selection is drawn separately
    (:func:`selection_layer`).
    """
    tiles = tiles_url()
    center, zoom = view if view is not None else (NL_CENTER, 7)
    fmap = LocalMap(location=list(center), zoom_start=zoom, tiles=None, control_scale=True, zoom_snap=0.25)
    if tiles:
        folium.TileLayer(tiles=tiles, attr=PDOK_ATTRIBUTION, name="PDOK", max_zoom=19).add_to(fmap)
    AreaLayer(data, value_label, geometry_url, geometry).add_to(fmap)
    if points and points.get("rows"):
        PointLayer(points, point_fields or [], point_labels or point_fields or []).add_to(fmap)
    if view is None:  # the whole country, else the given view (see lib.ui: a gemeente chosen elsewhere)
        fmap.fit_bounds([list(b) for b in bounds])
    return fmap


def selection_layer(geometry: dict | None) -> folium.FeatureGroup:
    """The selected area as a red outline, in its own layer (replaced without rebuilding the map)."""
    group = folium.FeatureGroup(name="selectie", control=False)
    if geometry is not None:
        folium.GeoJson({"type": "Feature", "geometry": geometry, "properties": {}}, interactive=False,
                       style_function=lambda f: {"fill": False, "color": SELECTED_COLOR, "weight": 3}).add_to(group)
    return group


def view_of(bounds: tuple[float, float, float, float], width_px: int = 520, height_px: int = 560) -> tuple[list, float]:
    """Centre and zoom (Web Mercator) that show ``bounds`` (minx, miny, maxx, maxy in degrees)."""
    minx, miny, maxx, maxy = bounds
    def merc(lat):
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))
    lon_span = max(maxx - minx, 1e-6) / 360
    lat_span = max(merc(maxy) - merc(miny), 1e-9) / (2 * math.pi)
    zoom = math.log2(min(width_px / 256 / lon_span, height_px / 256 / lat_span)) - 1  # some context around it
    return [(miny + maxy) / 2, (minx + maxx) / 2], max(7.0, min(12.0, math.floor(zoom * 4) / 4))
