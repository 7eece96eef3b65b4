"""Checks on an app-ready pack, each failure one Dutch sentence a person understands.

Run by the build before it writes a pack (a failing pack is never written) and by
:func:`lib.world.load` before the app uses one (a failing pack is refused). Three kinds:

* **shape**: every table the app needs is there, with its columns and types;
* **codes**: every gemeente code is one of the 342 of the 2023 indeling, regions likewise;
* **meaning**: national totals equal the raw sources' totals recorded at build time (no
  conversion lost or invented anyone), and the same figure is the same everywhere
  (:func:`consistency`: map, profile, export and ranks, checked by the build).
"""
from __future__ import annotations

import math

import pandas as pd

from lib.texts_nl import fmt_number

#: Every table of a complete pack (kept equal to the registered builders by a test).
REQUIRED_TABLES = (
    "gemeenten", "indicatoren_basis", "stedelijkheid", "gewichten_65plus", "eenzaamheid_65plus",
    "eenzaamheid_65plus_nl", "ww_nationaal", "bijstand_kwartaal", "kwb_nationaal", "vestigingen_sectoren",
    "vestigingen_sectoren_meta", "sector_nationaal", "woonwerk_nationaal", "emissiefactoren", "woonwerk_model",
    "woonwerk_model_kalibratie", "startvulling", "grenzen_gemeente", "grenzen_arbeidsmarktregio",
    "grenzen_provincie", "oude_codes", "buren",
)
N_GEMEENTEN = 342
GEO_COUNTS = {"grenzen_gemeente": 342, "grenzen_arbeidsmarktregio": 35, "grenzen_provincie": 12}
COLUMNS = {
    "gemeenten": ["gemeente_code", "gemeente_naam", "provincie_code", "provincie_naam", "arbeidsmarktregio_code",
                  "arbeidsmarktregio_naam", "coropgebied_code", "coropgebied_naam"],
    "indicatoren_basis": ["gemeente_code", "indicator", "periode", "waarde"],
    "woonwerk_model": ["gemeente_code", "werknemersbanen", "woonwerk_afstand_km", "woonwerk_km_per_werkdag",
                       "banen_in_matrix", "km_per_werkdag_in_matrix", "ontbrekende_woongemeenten_2015"],
    "startvulling": ["naam", "soort", "thema", "latitude", "longitude", "website", "bron", "bron_ref", "peildatum",
                     "gemeente_code", "toewijzing"],
    "stedelijkheid": ["gemeente_code", "inwoners", "omgevingsadressendichtheid"],
    "oude_codes": ["code", "naam", "opgeheven", "code_2023", "methode"],
}
#: National totals that every conversion must preserve: label → (indicator, periode) in the base table.
TOTALS = {
    "inwoners 2020": ("inwoners", "2020"), "inwoners 2019": ("inwoners", "2019"),
    "huishoudens 2020": ("huishoudens", "2020"),
    "WW-personen 2020": ("ww_personen", "2020"), "WW-personen 2019": ("ww_personen", "2019"),
    "bijstandspersonen 2020": ("bijstand_personen", "2020"), "AO-personen 2020": ("ao_personen", "2020"),
    "vestigingen 2020": ("vestigingen_totaal", "2020"),
}


def pack_totals(tables: dict) -> dict[str, float]:
    """The totals of :data:`TOTALS` (and the commuting jobs, the seed rows) as the pack holds them."""
    base = tables["indicatoren_basis"]
    out = {}
    for label, (ind, per) in TOTALS.items():
        sel = base[(base["indicator"] == ind) & (base["periode"] == per)]
        if len(sel):
            out[label] = float(sel["waarde"].sum())
    out["werknemersbanen (woon-werkmatrix)"] = float(tables["woonwerk_model"]["banen_in_matrix"].sum())
    out["initiatieven in de startvulling"] = float(len(tables["startvulling"]))
    return out


def check_pack(tables: dict, manifest: dict) -> list[str]:
    """All problems of a pack, as Dutch sentences (empty: the pack may be used)."""
    problems = [f"de tabel '{name}' ontbreekt in het pakket." for name in REQUIRED_TABLES if name not in tables]
    if problems:
        return problems
    for name, cols in COLUMNS.items():
        missing = [c for c in cols if c not in tables[name].columns]
        if missing:
            problems.append(f"in de tabel '{name}' ontbreekt de kolom '{missing[0]}'.")
    if problems:
        return problems

    gem = tables["gemeenten"]
    codes = set(gem["gemeente_code"])
    if len(gem) != N_GEMEENTEN or len(codes) != N_GEMEENTEN:
        problems.append(f"het pakket telt {len(codes)} verschillende gemeenten in {len(gem)} rijen, "
                        f"de indeling 2023 heeft er {N_GEMEENTEN}.")
    bad = sorted(c for c in codes if not (isinstance(c, str) and len(c) == 6 and c.startswith("GM")
                                          and c[2:].isdigit()))
    if bad:
        problems.append(f"'{bad[0]}' is geen gemeentecode zoals GM0363.")
    for prefix, col in (("PV", "provincie_code"), ("AM", "arbeidsmarktregio_code"), ("CR", "coropgebied_code")):
        wrong = gem[~gem[col].astype(str).str.fullmatch(prefix + r"\d{2}")]
        if len(wrong):
            problems.append(f"{wrong.iloc[0]['gemeente_naam']} heeft geen geldige {col} ({wrong.iloc[0][col]}).")

    for name in ("indicatoren_basis", "woonwerk_model", "stedelijkheid", "startvulling"):
        found = tables[name]["gemeente_code"].dropna()
        unknown = sorted(set(found) - codes)
        if unknown:
            problems.append(f"de tabel '{name}' noemt de gemeentecode {unknown[0]}, die niet tot de 342 "
                            f"gemeenten van 2023 hoort.")
    buren = tables["buren"]
    if set(buren) != codes or any(set(v) - codes for v in buren.values()):
        problems.append("de tabel 'buren' hoort voor elk van de 342 gemeenten van 2023 hun buurgemeenten te noemen.")
    old = tables["oude_codes"]
    if set(old["code"]) & codes:
        problems.append(f"de tabel 'oude_codes' noemt {sorted(set(old['code']) & codes)[0]} als opgeheven, "
                        f"maar die gemeente bestaat in 2023.")
    unknown = sorted(set(old["code_2023"]) - codes)
    if unknown:
        problems.append(f"de tabel 'oude_codes' verwijst naar {unknown[0]}, dat niet tot de 342 gemeenten van 2023 hoort.")
    for name in ("eenzaamheid_65plus", "vestigingen_sectoren"):
        unknown = sorted(set(tables[name].index) - codes)
        if unknown:
            problems.append(f"de tabel '{name}' noemt de gemeentecode {unknown[0]}, die niet tot de 342 "
                            f"gemeenten van 2023 hoort.")

    base = tables["indicatoren_basis"]
    dup = base.duplicated(["gemeente_code", "indicator", "periode"])
    if dup.any():
        r = base[dup].iloc[0]
        problems.append(f"{r['indicator']} {r['periode']} staat voor {r['gemeente_code']} meer dan één keer in het pakket.")
    values = pd.to_numeric(base["waarde"], errors="coerce")
    if values.isna().any() or not values.map(math.isfinite).all() or (values < 0).any():
        r = base[values.isna() | (values < 0) | ~values.fillna(0).map(math.isfinite)].iloc[0]
        problems.append(f"{r['indicator']} {r['periode']} van {r['gemeente_code']} is geen bruikbaar getal "
                        f"({r['waarde']}).")

    pct = tables["eenzaamheid_65plus"]
    out_of_range = ((pct < 0) | (pct > 100)).any(axis=1)
    if out_of_range.any():
        problems.append(f"een percentage eenzaamheid van {out_of_range[out_of_range].index[0]} ligt buiten 0-100.")

    for name, n in GEO_COUNTS.items():
        geo = tables[name]
        if len(geo) != n or geo["statcode"].nunique() != n:
            problems.append(f"de kaart '{name}' heeft {geo['statcode'].nunique()} gebieden in plaats van {n}.")
        elif (~geo.geometry.is_valid | geo.geometry.is_empty).any():
            problems.append(f"de kaart '{name}' heeft een ongeldige vorm voor "
                            f"{geo.loc[~geo.geometry.is_valid | geo.geometry.is_empty, 'statcode'].iloc[0]}.")
        elif not set(geo.geom_type) <= {"Polygon", "MultiPolygon"}:
            problems.append(f"de kaart '{name}' bevat vormen die geen vlak zijn.")
    if set(tables["grenzen_gemeente"]["statcode"]) != codes:
        problems.append("de gemeentekaart en de gemeentelijst van het pakket noemen niet dezelfde gemeenten.")

    recorded = manifest.get("totalen", {})
    for label, value in pack_totals(tables).items():
        expected = recorded.get(label, {}).get("bron")
        if expected is None:
            problems.append(f"het manifest noemt geen brontotaal voor {label}.")
        elif not math.isclose(value, expected, rel_tol=1e-9, abs_tol=1e-6):
            problems.append(f"het landelijke totaal van {label} is {fmt_number(value)} in het pakket, maar "
                            f"{fmt_number(expected)} in de bron: een omrekening heeft aantallen verloren of toegevoegd.")
    return problems


def consistency() -> list[str]:
    """The same figure is the same everywhere, on the pack in use (run by the build after writing).

    For every pack indicator: the map's value per gemeente (region_values at gemeente level)
    equals the profile's (values) and the export's; ranks follow the values (rank 1 = highest).
    """
    from lib import export, indicators, profile
    from lib.catalog import INDICATORS

    problems = []
    table = export.export_table()
    for ind, spec in INDICATORS.items():
        if spec.live:
            continue  # live registry: not part of the pack
        for periode in indicators.periods(ind):
            vals = indicators.values(ind, periode)
            on_map = indicators.region_values(ind, "gemeente", periode)
            in_export = table[(table["indicator"] == ind) & (table["periode"] == periode)].set_index(
                "gemeente_code")["waarde"]
            for code in vals.index[:: max(1, len(vals) // 40)]:  # a spread of gemeenten, fast enough
                v = float(vals[code])
                if not (math.isclose(v, float(on_map[code]), rel_tol=1e-12)
                        and math.isclose(v, float(in_export[code]), rel_tol=1e-9)):
                    problems.append(f"{ind} {periode} van {code} is {v} in het profiel, {on_map[code]} op de "
                                    f"kaart en {in_export[code]} in de export.")
            ranks = vals.rank(ascending=False, method="min")
            order = vals.sort_values(ascending=False, kind="stable")
            if not ranks[order.index].is_monotonic_increasing:
                problems.append(f"de rangen van {ind} {periode} volgen de waarden niet.")
            for code in order.index[:3]:
                if indicators.rank(ind, code, periode) != int(ranks[code]):
                    problems.append(f"de rang van {code} bij {ind} {periode} klopt niet met de waarde.")
    for kf in profile.key_figures("GM0363"):
        if kf.value is not None and not INDICATORS[kf.indicator].live:
            v = indicators.values(kf.indicator, kf.periode)["GM0363"]
            if not math.isclose(kf.value, float(v), rel_tol=1e-12):
                problems.append(f"het profiel van Amsterdam toont {kf.value} voor {kf.indicator}, de tabel {v}.")
    return problems
