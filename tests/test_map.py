"""The shared map: user text never becomes template code, nothing third-party is patched, a rerun
carries colours and labels only (geometry is a static file), classes per level."""
from __future__ import annotations

import html
import json
import os
import re

import branca.element
import folium
import folium.features
import jinja2
import pandas as pd
import pytest
from streamlit_folium import generate_leaflet_string

from apptest_helpers import maps, run_app, texts
from conftest import ROOT
from lib import choropleth, geometry, indicators, ui

PAYLOADS = ["Hulp {{ 7*7 }} proef", "Lijst {% for x in range(3) %}x{% endfor %} einde", "Commentaar {# weg #} niet",
            "Hulp {{ cycler.__init__.__globals__.os.environ.setdefault(cycler.__name__, cycler.__name__) }}",
            "Quote {{ ' kapot", "</script><script>alert(1)</script>", "Ampersand & <b>vet</b>"]


def _render_like_streamlit_folium(fmap: folium.Map) -> str:
    """What streamlit-folium does with a map: render the figure (branca compiles the output of
    every element as a template again), then generate the Leaflet script."""
    fmap.get_root().render()
    return generate_leaflet_string(fmap)


def _config(script: str, layer: str) -> dict:
    match = re.search(r"var cfg = (\{.*?\});\n", script[script.index(layer):])
    return json.loads(match.group(1))


def test_template_syntax_in_user_text_is_never_evaluated():
    os.environ.pop("cycler", None)
    points = {"rows": [[52.37, 4.89, name, 0] for name in PAYLOADS], "codes": {"thema": ["{{ 5*5 }}"]}}
    fmap = choropleth.build_map({"GM0363": ["#08519c", "{{ 6*7 }}"]}, "{% if 1 %}label{% endif %}",
                                geometry_url="/app/static/x.geojson", points=points,
                                point_fields=["naam", "thema"], point_labels=["Initiatief", "Thema"])
    script = _render_like_streamlit_folium(fmap)
    html = fmap.get_root().render()
    layers = [c for c in fmap._children.values() if isinstance(c, choropleth.LiteralMacro)]
    assert len(layers) == 2 and all(f"var {c.get_name()} = " in html for c in layers)  # the page has the scripts
    for text in (script, html):
        assert "Hulp 49 proef" not in text and "Lijst xxx einde" not in text and "Commentaar  niet" not in text
        assert "{{" not in text.split("var cfg")[1] and "{%" not in text and "</script><script>" not in text
    assert "cycler" not in os.environ  # the remote-code payload did not run
    cfg = _config(script, "PointLayer") if "PointLayer" in script else _config(script, "point_layer")
    assert [p[2] for p in cfg["points"]] == PAYLOADS  # JavaScript reads back exactly the literal text
    assert cfg["codes"]["thema"] == ["{{ 5*5 }}"] and "25" not in str(cfg)
    area = _config(script, "area_layer")
    assert area["label"] == "{% if 1 %}label{% endif %}" and area["data"]["GM0363"][1] == "{{ 6*7 }}"


def test_safe_json_round_trips_and_hides_delimiters():
    obj = {"naam": "{{ x }} {% y %} {# z #} <script> & %", "n": 1.5, "lijst": ["{", "}"]}
    text = choropleth.safe_json(obj)
    assert json.loads(text) == obj
    assert not set("{}<>&%#") & set("".join(re.findall(r'"((?:[^"\\]|\\.)*)"', text)))


def test_no_third_party_module_is_patched():
    import lib.ui  # noqa: F401  (imports every map module)
    assert branca.element.Template is jinja2.Template
    import folium.template
    assert folium.features.Template is folium.template.Template  # folium's own, not an lru_cache wrapper
    assert folium.GeoJson._template.environment.policies.get("json.dumps_function") is None
    assignment = re.compile(r"^\s*(folium|branca|jinja2|streamlit|st|pd|pandas|np|numpy|gpd|alt)\.[\w.]+\s*=[^=]",
                            re.MULTILINE)
    offenders = [f"{p.name}: {m.group(0).strip()}" for p in (ROOT / "lib").glob("*.py")
                 for m in assignment.finditer(p.read_text())]
    assert offenders == []


def test_a_rerun_carries_colours_and_labels_not_geometry():
    data, legend = ui._collection_and_legend("ww_per_1000", indicators.values("ww_per_1000", "2020"))
    url = geometry.static_url("gemeente")
    assert url and url.startswith("/app/static/pack/") and (ROOT / "static" / url.removeprefix("/app/static/")).is_file()
    fmap = choropleth.build_map(data, "WW per 1.000 inwoners", geometry_url=url)
    script = _render_like_streamlit_folium(fmap)
    assert len(script.encode()) < 40_000  # the budget per rerun for a 342-gemeente map
    assert "coordinates" not in script and len(data) == 342
    assert len({c for c, _ in data.values()}) >= 4  # several colour classes
    served = json.loads((ROOT / "static" / url.removeprefix("/app/static/")).read_text())
    assert len(served["features"]) == 342 and set(served["features"][0]["properties"]) == {"statcode", "statnaam"}


def test_classes_per_map_level():
    gem = choropleth.breaks_for("inwoners", indicators.values("inwoners", "2020"), "gemeente")
    prov_values = indicators.region_values("inwoners", "provincie", "2020")
    prov = choropleth.breaks_for("inwoners", prov_values, "provincie")
    assert gem != prov
    classes = choropleth.classify(prov_values, prov)
    assert classes.nunique() >= 4  # the twelve provinces are no longer all in one class
    assert choropleth.class_method("mkb_blootstelling_eerste_golf") == "natuurlijk"
    assert choropleth.class_method("ww_per_1000", "provincie") == "vast"
    breaks = choropleth.natural_breaks(pd.Series(range(100), dtype=float))
    assert breaks == choropleth.natural_breaks(pd.Series(range(100), dtype=float)) and len(breaks) == 4


def test_view_of_a_gemeente_fits_it():
    center, zoom = choropleth.view_of((4.729, 52.2785, 5.105, 52.4314))  # Amsterdam
    assert center == pytest.approx([52.355, 4.917], abs=0.01) and 9 <= zoom <= 11


def test_pages_with_template_names_in_a_full_registry(tmp_path, monkeypatch):
    """Through the form and CSV on the seeded (full) registry: the page still draws its map."""
    monkeypatch.setenv("GEMEENTEN_REGISTRY_URL", f"sqlite:///{tmp_path}/r.sqlite")
    at = run_app("GM0363", "pages/initiatieven.py")
    for i, name in enumerate(PAYLOADS[:4]):
        at.text_input(key="ini_naam").set_value(name)
        at.text_input(key="ini_lat").set_value(str(52.30 + i / 50))
        at.text_input(key="ini_lon").set_value("4.90")
        at.text_input(key="ini_bron").set_value("test")
        at.button(key="ini_opslaan").click().run()
        assert not at.exception, at.exception
    assert "cycler" not in os.environ and maps(at)
    assert "Opgeslagen" in texts(at.success) or not at.error


def test_every_map_has_a_table_alternative():
    at = run_app("GM0981")
    assert not at.exception
    assert any("Kaart als tabel" in e.label for e in at.expander)
    # closed, the table is neither built nor sent with each rerun
    assert not any("Klasse op de kaart" in df.value.columns for df in at.dataframe)
    at.session_state["overzicht_gemeente_tabel"] = True  # the user opens the expander
    at.run()
    table = next(df.value for df in at.dataframe if "Klasse op de kaart" in df.value.columns)
    assert len(table) == 342
    row = table[table["Gebied"] == "Vaals"].iloc[0]
    assert row["Gekozen"] == "◀" and row["WW per 1.000 inwoners"] and row["Klasse op de kaart"]


def test_the_map_downloads_as_svg_with_legend_and_source():
    from lib import report
    from lib.catalog import source_line
    data, legend = ui._collection_and_legend("ww_per_1000", indicators.values("ww_per_1000", "2020"))
    svg = report.map_svg("gemeente", data, legend, "WW per 1.000 inwoners (2020)", source_line("kwb2020"),
                         selected="GM0363").decode()
    assert svg.startswith("<svg") and "WW per 1.000 inwoners (2020)" in svg and "84799NED" in svg
    assert all(item.label in html.unescape(svg) for item in legend) and "<script" not in svg
    at = run_app("GM0363")
    assert any(b.label.startswith("Download kaart") for b in at.get("download_button"))


def test_points_within_the_map_budget_and_requests_apart(tmp_path, monkeypatch):
    monkeypatch.setenv("GEMEENTEN_REGISTRY_URL", f"sqlite:///{tmp_path}/pts.sqlite")
    at = run_app("GM0363", "pages/initiatieven.py")
    payload = maps(at)[0].proto.json_args
    script = json.loads(payload)["script"]
    assert len(payload.encode()) < 40_000  # colours, labels and every initiative point
    cfg = _config(script, "point_layer") if "point_layer" in script else _config(script, "PointLayer")
    from lib import civic
    rows = civic.open_registry(f"sqlite:///{tmp_path}/pts.sqlite").rows().dropna(subset=["latitude"])
    requests = rows[rows["soort"] == "hulpvraag"]
    assert len(requests) > 50 and len(cfg["points"]) == len(rows) - len(requests)  # requests not drawn


def test_very_many_points_are_aggregated_within_the_budget():
    import numpy as np
    rng = np.random.default_rng(7)
    n = 5000  # an import of the maximum size
    df = pd.DataFrame({"latitude": rng.uniform(50.8, 53.4, n), "longitude": rng.uniform(3.5, 7.1, n),
                       "naam": [f"Initiatief nummer {i}" for i in range(n)],
                       "thema": rng.choice(["voedsel", "zorg", "eenzaamheid"], n)})
    few = choropleth.point_data(df.head(300), ["naam", "thema"], coded=("thema",))
    assert len(few["rows"]) == 300 and "aggregated" not in few  # few points: each one shown
    pts = choropleth.point_data(df, ["naam", "thema"], coded=("thema",))
    assert pts["aggregated"] and len(pts["rows"]) <= choropleth.MAX_POINTS and sum(pts["counts"]) == n
    fmap = choropleth.build_map({"GM0363": ["#08519c", "1"]}, "x", geometry_url="/app/static/x.geojson",
                                points=pts, point_fields=["naam", "thema"], point_labels=["Initiatief", "Thema"])
    script = generate_leaflet_string(fmap)
    assert len(script.encode()) < 40_000
    cfg = _config(script, "point_layer") if "point_layer" in script else _config(script, "PointLayer")
    merged = [row for row, c in zip(cfg["points"], cfg["counts"]) if c > 1]
    assert merged and "initiatieven, o.a. Initiatief nummer" in merged[0][2]


def test_neighbours_reachable_without_a_mouse():
    nb = geometry.gemeente_neighbours()
    assert len(nb) == 342 and nb["GM0981"] == ["GM1729"]  # Vaals borders Gulpen-Wittem only
    assert nb["GM0088"] == []  # Schiermonnikoog: an island
    assert all(a in nb[b] for a, bs in nb.items() for b in bs)  # symmetric
    at = run_app("GM0981")
    pills = at.get("button_group")
    assert pills and "Buurgemeenten van Vaals" in pills[0].proto.label
    pills[0].select("GM1729").run()  # the keyboard user picks Gulpen-Wittem
    assert at.session_state[ui.SELECTED] == "GM1729" and at.session_state[ui.FOCUS] == "GM1729"
    assert "Buurgemeenten van Gulpen-Wittem" in at.get("button_group")[0].proto.label  # and can go on from there


def test_layer_json_is_built_once_per_shared_object():
    calls = []
    data = {"GM0363": ["#08519c", "{{ 1 }}"]}
    build = lambda: calls.append(1) or {"data": data}  # noqa: E731
    first = choropleth.shared_safe_json(data, ("t",), build)
    assert choropleth.shared_safe_json(data, ("t",), build) == first and len(calls) == 1  # the same object: reused
    other = {"GM0363": ["#08519c", "{{ 2 }}"]}  # another object: its own text
    assert choropleth.shared_safe_json(other, ("t",), lambda: {"data": other}) != first
    assert "{{" not in first  # still the escaped form
