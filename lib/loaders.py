"""Loaders: one function per dataset of the pack, returning tidy validated tables.

Every loader reads through :mod:`lib.pack` (clear Dutch errors) and is memoised
per pack directory. Codes stay codes: ``gemeente_code`` is always ``GMxxxx``.
Column documentation is in each loader's docstring; the schemas enforce it.
"""
from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from lib.catalog import DATASETS, SECTOR_GROUPS
from lib.errors import DataPackError
from lib.world import raw_root
from lib.pack import GM_CODE, pa, pack_memo, pack_path, read_csv, read_geojson, validate
from lib.texts_nl import t

BOUNDARY_FILES = {
    ("gemeente", 2020): "geo/gemeente_2020.geojson",
    ("gemeente", 2021): "geo/gemeente_2021.geojson",
    ("gemeente", 2022): "geo/gemeente_2022.geojson",
    ("gemeente", 2023): "geo/gemeente_2023.geojson",
    ("provincie", 2023): "geo/provincie_2023.geojson",
    ("arbeidsmarktregio", 2020): "geo/arbeidsmarktregio_2020.geojson",
    ("arbeidsmarktregio", 2021): "geo/arbeidsmarktregio_2021.geojson",
    ("arbeidsmarktregio", 2022): "geo/arbeidsmarktregio_2022.geojson",
    ("coropgebied", 2022): "geo/coropgebied_2022.geojson",
}
_CODE_PATTERNS = {"gemeente": GM_CODE, "provincie": r"^PV\d{2}$",
                  "arbeidsmarktregio": r"^AM\d{2}$", "coropgebied": r"^CR\d{2}$"}
REGION_FILE = "geo/gemeente_regio_2020_2023.csv"
MONTHLY_BENEFITS_FILE = "unemployment/uitkeringen_gemeente_maand_80794ned.csv"
SBI_ESTABLISHMENTS_FILE = "business/vestigingen_sbi_gemeente_81575ned.csv"


def _num(nullable: bool = True, ge: float | None = 0) -> pa.Column:
    checks = [pa.Check.ge(ge)] if ge is not None else []
    return pa.Column(float, checks, nullable=nullable, coerce=True)


def _gm(unique: bool = False) -> pa.Column:
    return pa.Column(str, pa.Check.str_matches(GM_CODE), unique=unique)


@pack_memo
def load_boundaries(level: str, year: int) -> gpd.GeoDataFrame:
    """Region polygons in WGS84: ``statcode``, ``statnaam``, ``geometry``.

    ``level`` is gemeente (2020-2023), provincie (2023), arbeidsmarktregio
    (2020-2022) or coropgebied (2022).
    """
    if (level, year) not in BOUNDARY_FILES:
        raise ValueError(f"no boundaries for {level} {year}")
    return read_geojson(BOUNDARY_FILES[(level, year)], _CODE_PATTERNS[level])


def gemeente_codes(year: int) -> frozenset[str]:
    return frozenset(load_boundaries("gemeente", year)["statcode"])


def check_known_codes(codes: pd.Series, year: int | None, rel: str) -> None:
    """Raise DataPackError when a GM code does not exist in that year's indeling.

    ``year=None`` accepts a code of any indeling 2020-2023 (tables refreshed from
    CBS follow the indeling of their own year).
    """
    known = gemeente_codes(year) if year else frozenset().union(
        *(gemeente_codes(y) for y in (2020, 2021, 2022, 2023)))
    unknown = sorted(set(codes) - known)
    if unknown:
        raise DataPackError(rel, t("err.onbekende_code", code=unknown[0],
                                   jaar=year or "2020-2023"))


KWB_COUNTS = ["inwoners", "huishoudens", "ww_personen", "bijstand_personen", "ao_personen",
              "aow_personen", "opp_land_ha"]


@pack_memo
def load_kwb() -> pd.DataFrame:
    """KWB per gemeente: 2019 and 2020 in the offline pack (indeling 2020; the 2019
    codes are the same), also 2021-2022 after a refresh (each on its own indeling).

    Columns: ``jaar`` (2019/2020), ``gemeente_code``, ``gemeente_naam``,
    ``inwoners`` (1 January of ``jaar``), ``huishoudens``, ``ww_personen``,
    ``bijstand_personen``, ``ao_personen``, ``aow_personen`` (empty for 2019),
    ``opp_land_ha``. Counts are persons (CBS rounds to 10); empty = not published.
    """
    rel = DATASETS["kwb2020"].file
    schema = pa.DataFrameSchema(
        {"jaar": pa.Column(int, pa.Check.in_range(2015, 2100), coerce=True),
         "gemeente_code": _gm(), "gemeente_naam": pa.Column(str),
         **{c: _num() for c in KWB_COUNTS}},
        unique=["jaar", "gemeente_code"],
    )
    df = read_csv(rel, schema)[["jaar", "gemeente_code", "gemeente_naam", *KWB_COUNTS]]
    check_known_codes(df["gemeente_code"], None, rel)
    if df["inwoners"].isna().any():
        row = int(df.index[df["inwoners"].isna()][0]) + 2
        raise DataPackError(rel, t("err.ongeldige_waarde", kolom="inwoners", waarde="", rij=row,
                                   controle="inwoners ontbreken"))
    return df.reset_index(drop=True)


@pack_memo
def load_establishments() -> pd.DataFrame:
    """Business establishments on 1 January 2020 per KWB sector group (indeling 2020).

    Columns: ``gemeente_code``, ``gemeente_naam``, ``vestigingen_totaal`` (excl. O-Q)
    and ``vestigingen_<group>`` for group in A, BF, GI, HJ, KL, MN, RU.
    """
    rel = DATASETS["vestigingen2020"].file
    cols = {"vest_totaal_excl_OQ": "vestigingen_totaal",
            **{col: f"vestigingen_{g.lower()}" for g, col, _ in SECTOR_GROUPS}}
    schema = pa.DataFrameSchema({"gm_code": _gm(unique=True), "gm_name": pa.Column(str),
                                 **{c: _num() for c in cols}})
    df = read_csv(rel, schema)
    check_known_codes(df["gm_code"], 2020, rel)
    df = df.rename(columns={"gm_code": "gemeente_code", "gm_name": "gemeente_naam", **cols})
    return df[["gemeente_code", "gemeente_naam", *cols.values()]].reset_index(drop=True)


@pack_memo
def load_gemeente_context() -> pd.DataFrame:
    """KWB 2020 context per gemeente (indeling 2020).

    Columns: ``gemeente_code``, ``inwoners``, ``omgevingsadressendichtheid``
    (addresses per km², CBS's measure of urbanity), ``inwoners_65plus`` (inhabitants ×
    the share aged 65 or over; CBS publishes the share rounded to whole percents).
    """
    rel = DATASETS["kwb2020_kenmerken"].file
    src, old = "Omgevingsadressendichtheid (per km2)", "Personen 65 jaar en ouder (%)"
    schema = pa.DataFrameSchema({"GM_CODE": _gm(unique=True), "Aantal inwoners": _num(False),
                                 src: _num(), old: pa.Column(float, [pa.Check.ge(0), pa.Check.le(100)],
                                                             nullable=True, coerce=True)})
    df = read_csv(rel, schema, usecols=lambda c: c in {"GM_CODE", "Aantal inwoners", src, old})
    check_known_codes(df["GM_CODE"], 2020, rel)
    df["inwoners_65plus"] = df["Aantal inwoners"] * df[old] / 100
    return df.rename(columns={"GM_CODE": "gemeente_code", "Aantal inwoners": "inwoners",
                              src: "omgevingsadressendichtheid"})[
        ["gemeente_code", "inwoners", "omgevingsadressendichtheid", "inwoners_65plus"]].reset_index(drop=True)


@pack_memo
def load_region_lookup() -> pd.DataFrame:
    """Gemeente (2023 indeling) → provincie, arbeidsmarktregio (2022 indeling), COROP.

    Columns: ``gemeente_code``, ``gemeente_naam``, ``provincie_code``, ``provincie_naam``,
    ``arbeidsmarktregio_code``, ``arbeidsmarktregio_naam``, ``coropgebied_code``,
    ``coropgebied_naam``. Derived from boundary overlap (see geo/PROVENANCE.md).
    """
    schema = pa.DataFrameSchema({
        "jaar": pa.Column(int, coerce=True), "statcode": _gm(), "statnaam": pa.Column(str),
        "provincie_code": pa.Column(str, pa.Check.str_matches(r"^PV\d{2}$")),
        "provincie_naam": pa.Column(str),
        "arbeidsmarktregio_code": pa.Column(str, pa.Check.str_matches(r"^AM\d{2}$")),
        "arbeidsmarktregio_naam": pa.Column(str),
        "coropgebied_code": pa.Column(str, pa.Check.str_matches(r"^CR\d{2}$")),
        "coropgebied_naam": pa.Column(str),
    }, unique=["jaar", "statcode"])
    df = read_csv(REGION_FILE, schema)
    df = df[df["jaar"] == 2023].rename(columns={"statcode": "gemeente_code", "statnaam": "gemeente_naam"})
    if df.empty:
        raise DataPackError(REGION_FILE, t("err.geen_rijen", wat="2023"))
    check_known_codes(df["gemeente_code"], 2023, REGION_FILE)
    missing = gemeente_codes(2023) - set(df["gemeente_code"])
    if missing:
        raise DataPackError(REGION_FILE, t("err.geen_rijen", wat=sorted(missing)[0]))
    keep = ["gemeente_code", "gemeente_naam", "provincie_code", "provincie_naam",
            "arbeidsmarktregio_code", "arbeidsmarktregio_naam", "coropgebied_code", "coropgebied_naam"]
    return df[keep].sort_values("gemeente_code").reset_index(drop=True)


def _end_of_period(periode: str) -> pd.Timestamp:
    if "-Q" in periode:
        return pd.Period(periode.replace("-", ""), freq="Q").end_time.normalize()
    if "-" in periode:
        return pd.Period(periode, freq="M").end_time.normalize()
    return pd.Timestamp(int(periode), 12, 31)


@pack_memo
def load_ww_national() -> pd.DataFrame:
    """National running WW benefits (UWV): **benefits, not persons**.

    Columns: ``periode`` (``2019`` = year-end, ``2020-05`` = end of month), ``datum``
    (the day the count refers to), ``soort`` (jaarultimo / maand), ``waarde``,
    ``eenheid``, ``bron_naam``, ``bron_url``.
    """
    rel = DATASETS["ww_nationaal"].file
    schema = pa.DataFrameSchema({
        "periode": pa.Column(str, pa.Check.str_matches(r"^\d{4}(-\d{2})?$"), coerce=True),
        "waarde": _num(False), "eenheid": pa.Column(str), "bron_naam": pa.Column(str),
        "bron_url": pa.Column(str, pa.Check.str_startswith("http")),
    }, unique=["periode"])
    df = read_csv(rel, schema, dtype={"periode": str})
    df["soort"] = np.where(df["periode"].str.len() == 4, "jaarultimo", "maand")
    df["datum"] = df["periode"].map(_end_of_period)
    return df[["periode", "datum", "soort", "waarde", "eenheid", "bron_naam", "bron_url"]] \
        .sort_values("datum").reset_index(drop=True)


@pack_memo
def load_bijstand_quarterly() -> pd.DataFrame:
    """National persons with bijstand per quarter (CBS 85585NED).

    Columns: ``periode`` (``2020-Q1``), ``datum`` (last day of the quarter), ``waarde`` (persons).
    """
    rel = DATASETS["bijstand_kwartaal"].file
    value = "Personen met bijstand (aantal)"
    schema = pa.DataFrameSchema({
        "Perioden_code_assumed": pa.Column(str, pa.Check.str_matches(r"^\d{4}KW0[1-4]$"), unique=True),
        value: _num(False),
    })
    df = read_csv(rel, schema)
    code = df["Perioden_code_assumed"]
    df["periode"] = code.str[:4] + "-Q" + code.str[-1]
    df["datum"] = df["periode"].map(_end_of_period)
    return df.rename(columns={value: "waarde"})[["periode", "datum", "waarde"]].reset_index(drop=True)


@pack_memo
def load_sector_figures() -> pd.DataFrame:
    """National corona figures per sector, each with its source.

    Columns: ``figure``, ``value``, ``unit``, ``period``, ``geography``,
    ``source_publisher``, ``source_url``.
    """
    schema = pa.DataFrameSchema({
        "figure": pa.Column(str, unique=True), "value": _num(False, ge=None), "unit": pa.Column(str),
        "period": pa.Column(str, coerce=True), "source_publisher": pa.Column(str),
        "source_url": pa.Column(str, pa.Check.str_startswith("http")),
    })
    return read_csv(DATASETS["sector_nationaal"].file, schema)


LONELINESS_COLS = ["eenzaam_pct", "ernstig_zeer_ernstig_eenzaam_pct", "sociaal_eenzaam_pct",
                   "emotioneel_eenzaam_pct", "mantelzorger_pct", "vrijwilligerswerk_pct"]


@pack_memo
def load_loneliness() -> pd.DataFrame:
    """Gezondheidsmonitor (RIVM 50090NED): percentages per gemeente (indeling 2020) and NL.

    Columns: ``gemeente_code`` (``NL01`` for the Netherlands), ``gemeente_naam``,
    ``region_type`` (Gemeente/Land), ``jaar`` (2016/2020), ``leeftijd`` (18+/65+) and
    the percentages ``eenzaam_pct``, ``ernstig_zeer_ernstig_eenzaam_pct``,
    ``sociaal_eenzaam_pct``, ``emotioneel_eenzaam_pct``, ``mantelzorger_pct``,
    ``vrijwilligerswerk_pct``.
    """
    rel = DATASETS["gezondheidsmonitor"].file
    pct = pa.Column(float, [pa.Check.ge(0), pa.Check.le(100)], nullable=True, coerce=True)
    schema = pa.DataFrameSchema({
        "gm_code": pa.Column(str, pa.Check.str_matches(r"^(GM\d{4}|NL01)$")),
        "gm_name": pa.Column(str), "region_type": pa.Column(str, pa.Check.isin(["Gemeente", "Land"])),
        "year": pa.Column(int, coerce=True), "age_group": pa.Column(str, pa.Check.isin(["18+", "65+"])),
        **{c: pct for c in LONELINESS_COLS},
    }, unique=["gm_code", "year", "age_group"])
    df = read_csv(rel, schema)
    check_known_codes(df.loc[df["region_type"] == "Gemeente", "gm_code"], 2020, rel)
    return df.rename(columns={"gm_code": "gemeente_code", "gm_name": "gemeente_naam",
                              "year": "jaar", "age_group": "leeftijd"})[
        ["gemeente_code", "gemeente_naam", "region_type", "jaar", "leeftijd", *LONELINESS_COLS]
    ].reset_index(drop=True)


# Valid WGS84 only: some scraped geocodes lie outside the Netherlands; the registry
# counts those as "locatie onbekend" rather than rejecting the file.
def _lat() -> pa.Column:
    return pa.Column(float, pa.Check.in_range(-90, 90), nullable=True, coerce=True)


def _lon() -> pa.Column:
    return pa.Column(float, pa.Check.in_range(-180, 180), nullable=True, coerce=True)


@pack_memo
def load_helpradar() -> pd.DataFrame:
    """Helpradar initiatives (April 2020). Descriptions are not in this file and never loaded.

    Columns: ``id``, ``naam`` (may be empty), ``categorie``, ``groep`` (offer/demand),
    ``platform``, ``bron_url``, ``locatie`` (free text), ``osm_adres``, ``latitude``,
    ``longitude`` (WGS84, may be empty).
    """
    rel = DATASETS["helpradar"].file
    schema = pa.DataFrameSchema({
        "id": pa.Column(int, unique=True, coerce=True), "name": pa.Column(str, nullable=True),
        "platform": pa.Column(str), "latitude": _lat(), "longitude": _lon(),
    })
    df = read_csv(rel, schema, usecols=lambda c: c != "description")
    return df.rename(columns={"name": "naam", "category": "categorie", "group": "groep",
                              "source": "bron_url", "location": "locatie", "osm_address": "osm_adres"})[
        ["id", "naam", "categorie", "groep", "platform", "bron_url", "locatie", "osm_adres",
         "latitude", "longitude"]].reset_index(drop=True)


@pack_memo
def load_coronapioniers() -> pd.DataFrame:
    """VPRO Coronapioniers posts (2020). Columns: ``id``, ``naam``, ``url``, ``latitude``, ``longitude``."""
    rel = DATASETS["coronapioniers"].file
    schema = pa.DataFrameSchema({
        "id": pa.Column(int, unique=True, coerce=True), "title": pa.Column(str),
        "latitude": _lat(), "longitude": _lon(), "url": pa.Column(str, nullable=True),
    })
    df = read_csv(rel, schema)
    return df.rename(columns={"title": "naam"})[["id", "naam", "url", "latitude", "longitude"]]


#: The raw matrix's columns are named the wrong way round (commuting/PROVENANCE.md): ``werk``
#: holds the employee's home wijk, ``woon`` the job's wijk. Renamed by meaning on reading.
COMMUTING_COLUMNS = {"werk": "wijk_woon", "woon": "wijk_werk"}


def load_commuting_matrix() -> pd.DataFrame:
    """Employee jobs by home wijk × work wijk (2015 wijk division).

    Columns, named by meaning: ``wijk_woon`` (the wijk where the employee lives; the raw
    column ``werk``), ``wijk_werk`` (the wijk of the job; the raw column ``woon``), both
    categorical WKxxxxxx codes, and ``banen`` (jobs, > 0). The raw names are swapped; see
    :data:`COMMUTING_COLUMNS` and commuting/PROVENANCE.md for the evidence. Categorical codes keep
    661,470 rows small; the code pattern is checked on the 2,816 distinct codes. Not memoised:
    read once by the (memoised) commuting model at build time, then released.
    """
    rel = DATASETS["woonwerk_matrix"].file
    schema = pa.DataFrameSchema({"woon": pa.Column("category"), "werk": pa.Column("category"),
                                 "banen": pa.Column(int, pa.Check.gt(0), coerce=True)})
    df = read_csv(rel, schema, dtype={"woon": "category", "werk": "category"}, compression="gzip")
    for col in ("woon", "werk"):
        cats = pd.Series(df[col].cat.categories.astype(str))
        bad = cats[~cats.str.fullmatch(r"WK\d{6}")]
        if len(bad) or df[col].isna().any():
            value = bad.iloc[0] if len(bad) else ""
            row = int(df.index[df[col].astype(str) == value][0]) + 2 if len(bad) else "?"
            raise DataPackError(rel, t("err.ongeldige_waarde", kolom=col, waarde=value, rij=row,
                                       controle="verwacht een wijkcode als WK036300"))
    return df.rename(columns=COMMUTING_COLUMNS)[["wijk_woon", "wijk_werk", "banen"]]


@pack_memo
def load_wijk_centroids() -> pd.DataFrame:
    """Centroid of every 2015 wijk in RD New metres (EPSG:28992).

    Columns: ``wijk_code`` (WKxxxxxx), ``wijk_naam``, ``x``, ``y``.
    """
    rel = DATASETS["woonwerk_matrix"].extra_files[0]
    path = pack_path(rel)
    try:
        gdf = gpd.read_file(path)
    except Exception as exc:
        raise DataPackError(rel, t("err.onleesbaar", detail=str(exc)[:200])) from None
    df = pd.DataFrame({"wijk_code": gdf.get("code"), "wijk_naam": gdf.get("name"),
                       "x": gdf.geometry.x, "y": gdf.geometry.y})
    schema = pa.DataFrameSchema({
        "wijk_code": pa.Column(str, pa.Check.str_matches(r"^WK\d{6}$"), unique=True),
        "x": pa.Column(float, pa.Check.in_range(0, 300_000)),
        "y": pa.Column(float, pa.Check.in_range(289_000, 629_000)),
    })
    return validate(df, schema, rel)


@pack_memo
def load_commuting_national() -> pd.DataFrame:
    """National commuting figures, each with source. Columns as in the file:
    ``figure``, ``value``, ``unit``, ``period``, ``geography``, ``source_publisher``, ``source_url``."""
    schema = pa.DataFrameSchema({
        "figure": pa.Column(str), "value": pa.Column(str), "unit": pa.Column(str),
        "period": pa.Column(str, coerce=True), "source_url": pa.Column(str, pa.Check.str_startswith("http")),
    }, unique=["figure", "period"])
    return read_csv(DATASETS["woonwerk_nationaal"].file, schema, dtype={"value": str, "period": str})


@pack_memo
def load_emission_factors() -> pd.DataFrame:
    """CO2 emission factors for passenger transport (CO2emissiefactoren.nl, 2026 list).

    Columns: ``categorie``, ``naam``, ``kg_co2_per_eenheid`` (well-to-wheel), ``eenheid``
    (voertuigkilometer / reizigerskilometer).
    """
    schema = pa.DataFrameSchema({
        "subcategory": pa.Column(str), "name": pa.Column(str),
        "kg_co2eq_per_unit_WTW": _num(False), "unit": pa.Column(str, nullable=True),
    })
    df = read_csv(DATASETS["emissiefactoren"].file, schema)
    return df.rename(columns={"subcategory": "categorie", "name": "naam",
                              "kg_co2eq_per_unit_WTW": "kg_co2_per_eenheid", "unit": "eenheid"})[
        ["categorie", "naam", "kg_co2_per_eenheid", "eenheid"]]


@pack_memo
def load_monthly_benefits() -> pd.DataFrame | None:
    """Monthly persons with WW and bijstand per gemeente (CBS 80794ned), or None.

    Present only in a pack refreshed from CBS (``python -m lib.refresh``).
    Columns: ``gemeente_code``, ``periode`` (``2020-03``), ``ww_personen``,
    ``bijstand_personen`` (persons; bijstand = up to AOW age).
    """
    if not (raw_root() / MONTHLY_BENEFITS_FILE).exists():
        return None
    schema = pa.DataFrameSchema({
        "gemeente_code": _gm(), "periode": pa.Column(str, pa.Check.str_matches(r"^\d{4}-\d{2}$")),
        "ww_personen": _num(), "bijstand_personen": _num(),
    }, unique=["gemeente_code", "periode"])
    return read_csv(MONTHLY_BENEFITS_FILE, schema, dtype={"periode": str})


@pack_memo
def load_establishments_sbi() -> pd.DataFrame | None:
    """Establishments per SBI section per gemeente (CBS 81575NED), or None.

    Present only in a pack refreshed from CBS. Columns: ``gemeente_code``, ``periode``
    (year), ``sbi`` (section letter, e.g. ``I`` = horeca; grouped rows are dropped),
    ``vestigingen``.
    """
    if not (raw_root() / SBI_ESTABLISHMENTS_FILE).exists():
        return None
    schema = pa.DataFrameSchema({
        "gemeente_code": _gm(), "periode": pa.Column(str, pa.Check.str_matches(r"^\d{4}$")),
        "sbi": pa.Column(str), "vestigingen": _num(),
    })
    df = read_csv(SBI_ESTABLISHMENTS_FILE, schema, dtype={"periode": str, "sbi": str})
    check_known_codes(df["gemeente_code"], None, SBI_ESTABLISHMENTS_FILE)
    return df[df["sbi"].str.fullmatch(r"[A-U]")][["gemeente_code", "periode", "sbi", "vestigingen"]] \
        .reset_index(drop=True)
