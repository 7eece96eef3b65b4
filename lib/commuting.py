"""Woon-werk CO2: a commuting model from the wijk-to-wijk jobs matrix, and CO2 scenarios.

No Streamlit. The model (computed once, by the pack build, vectorised) describes the
**residents** of each gemeente: jobs are grouped by the wijk where the employee lives. The raw
matrix names that column ``werk`` (its names are swapped; the loader renames both by meaning,
``wijk_woon`` / ``wijk_werk``, see commuting/PROVENANCE.md).

1. Every 2015 wijk is assigned to a 2023 gemeente: by its code when its 2015 gemeente still
   exists, else by putting its centroid (RD New metres) in the 2023 polygons (nearest polygon
   when none holds it).
2. Per home-work pair the straight-line distance between wijk centroids. Trips within
   one wijk get one documented assumption: half the distance from that wijk's
   centroid to the nearest other wijk centroid (a typical wijk radius).
3. Straight-line km are turned into road km with one detour factor, calibrated so the
   national jobs-weighted average equals the CBS figure of the matrix's own year (22,6 km
   in 2015; the matrix holds 7.65 M jobs, CBS December 2015: 7.62 M).
4. Per home gemeente: employee jobs, average one-way road distance, and total
   commuting km per working day (there and back). The matrix lacks the residents of five
   2015 gemeenten (:func:`missing_home_gemeenten`); the 2023 gemeenten holding them get no
   figures ("geen gegevens", with that reason), never another gemeente's jobs.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from lib import texts_nl
from lib.catalog import source_line
from lib.errors import DataPackError
from lib.gemeenten import gemeenten
from lib.loaders import (load_boundaries, load_commuting_matrix, load_commuting_national,
                         load_emission_factors, load_wijk_centroids)
from lib.pack import pack_memo
from lib.world import built
from lib.texts_nl import fmt_number, t

#: The national average of the matrix's own year (about December 2015: 7.65 M jobs, CBS 7.62 M).
CALIBRATION_FIGURE = ("avg_commute_distance_employee_jobs", "2015")
#: Below this ratio of residents' jobs to jobs located there, a 2015 gemeente's residents are missing.
MISSING_HOME_SHARE = 0.01
MODAL_FIGURES = {"all": "commuters_weekday_all_modes", "car": "commuters_weekday_car_driver",
                 "pt": "commuters_weekday_public_transport"}
CAR_FACTOR_NAME = "Gemiddelde auto Brandstofsoort onbekend"
PT_FACTOR_NAME = "OV algemeen (trein, bus, metro, tram)"
WORKDAYS_PER_WEEK = 5


@pack_memo
def wijk_gemeente() -> pd.DataFrame:
    """2015 wijk → 2023 gemeente.

    A wijk whose 2015 gemeente (the first four digits of its code) still exists in 2023
    stays with it, as in :mod:`lib.indeling`; a wijk of a dissolved gemeente goes to the
    2023 polygon holding its centroid (nearest polygon if none does). Without the first
    rule an elongated gemeente whose wijk centroid falls just across the simplified
    border (Hardinxveld-Giessendam) would lose all its jobs.

    Columns: ``wijk_code``, ``x``, ``y``, ``gemeente_code``, ``methode``
    (code / binnen / dichtstbij), ``gemeente_polygoon`` (the point-in-polygon answer).
    """
    wijken = load_wijk_centroids()
    points = gpd.GeoDataFrame(wijken, geometry=gpd.points_from_xy(wijken["x"], wijken["y"]), crs=28992)
    polys = load_boundaries("gemeente", 2023).to_crs(28992)[["statcode", "geometry"]]
    inside = gpd.sjoin(points, polys, how="left", predicate="within").drop_duplicates("wijk_code")
    out = inside[["wijk_code", "x", "y", "statcode"]].rename(columns={"statcode": "gemeente_polygoon"})
    missing = out["gemeente_polygoon"].isna()
    if missing.any():
        near = gpd.sjoin_nearest(points[points["wijk_code"].isin(out.loc[missing, "wijk_code"])], polys)
        out.loc[missing, "gemeente_polygoon"] = out.loc[missing, "wijk_code"].map(
            near.drop_duplicates("wijk_code").set_index("wijk_code")["statcode"])
    own = "GM" + out["wijk_code"].str[2:6]
    keeps_code = own.isin(set(polys["statcode"]))
    out["gemeente_code"] = own.where(keeps_code, out["gemeente_polygoon"])
    out["methode"] = np.select([keeps_code, missing], ["code", "dichtstbij"], "binnen")
    return out.reset_index(drop=True)


def intra_wijk_km(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Half the distance to the nearest other centroid, per wijk (km)."""
    nearest = np.empty(len(x))
    for start in range(0, len(x), 512):  # chunks keep the distance block small
        d = np.hypot(x[start:start + 512, None] - x[None, :], y[start:start + 512, None] - y[None, :])
        d[np.arange(d.shape[0]), np.arange(start, start + d.shape[0])] = np.inf
        nearest[start:start + 512] = d.min(axis=1)
    return nearest / 2 / 1000


def _wijk_index(column: pd.Series, wijken: pd.DataFrame) -> np.ndarray:
    """Row positions in ``wijken`` of a (categorical or text) wijk-code column; -1 if unknown."""
    idx = pd.Index(wijken["wijk_code"])
    if isinstance(column.dtype, pd.CategoricalDtype):
        per_category = idx.get_indexer(column.cat.categories.astype(str))
        return np.where(column.cat.codes.to_numpy() < 0, -1, per_category[column.cat.codes.to_numpy()])
    return idx.get_indexer(column.astype(str))


def straight_km(matrix: pd.DataFrame, wijken: pd.DataFrame) -> np.ndarray:
    """Straight-line km per row of ``matrix`` (wijk_woon, wijk_werk), intra-wijk rule when they are equal."""
    w, k = _wijk_index(matrix["wijk_woon"], wijken), _wijk_index(matrix["wijk_werk"], wijken)
    if (w < 0).any() or (k < 0).any():
        bad = str(matrix["wijk_woon"].astype(str)[w < 0].iloc[0] if (w < 0).any() else
                  matrix["wijk_werk"].astype(str)[k < 0].iloc[0])
        raise DataPackError("commuting/wk_centers_2015_rd_edwindj_commute.geojson",
                            t("err.geen_rijen", wat=f"wijk {bad}"))
    x, y = wijken["x"].to_numpy(), wijken["y"].to_numpy()
    km = np.hypot(x[w] - x[k], y[w] - y[k]) / 1000
    same = w == k
    km[same] = intra_wijk_km(x, y)[w[same]]
    return km


national_table = built("woonwerk_nationaal", load_commuting_national, datasets=("woonwerk_nationaal",))
emission_factors = built("emissiefactoren", load_emission_factors, datasets=("emissiefactoren",))


def national_figure(figure: str, period: str | None = None) -> float:
    df = national_table()
    sel = df[(df["figure"] == figure) & ((df["period"] == period) if period else True)]
    if sel.empty:
        raise DataPackError("commuting/national_commuting_figures_cited.csv",
                            t("err.geen_rijen", wat=f"{figure} {period or ''}".strip()))
    return float(sel["value"].iloc[0])


@dataclass(frozen=True)
class Model:
    per_gemeente: pd.DataFrame  # gemeente_code, werknemersbanen, woonwerk_afstand_km, woonwerk_km_per_werkdag
    detour_factor: float
    straight_avg_km: float
    target_km: float
    total_jobs: float
    intra_share: float  # share of jobs within one wijk


def missing_home_gemeenten(matrix: pd.DataFrame) -> list[str]:
    """2015 gemeenten (codes) whose residents the matrix lacks.

    Every 2015 gemeente is a workplace in the matrix; one whose wijken hardly ever occur as a
    home wijk (fewer residents' jobs than :data:`MISSING_HOME_SHARE` of the jobs located there;
    all others have at least 48 %) has lost its residents' rows. These are the gemeenten
    changed on 1 January 2016 (Bussum, Naarden, Muiden → Gooise Meren; Zeevang → Edam-Volendam;
    Groesbeek → Berg en Dal, a new code): the home side evidently followed the 2016 division.
    """
    home = matrix.groupby(matrix["wijk_woon"].astype(str).str[2:6])["banen"].sum()
    work = matrix.groupby(matrix["wijk_werk"].astype(str).str[2:6])["banen"].sum()
    share = home.reindex(work.index).fillna(0) / work
    return sorted("GM" + g for g in share.index[share < MISSING_HOME_SHARE])


@pack_memo
def _computed_model() -> Model:
    """The commuting model per 2023 home gemeente (see module docstring); build time only."""
    matrix = load_commuting_matrix()
    wijken = wijk_gemeente()
    km = straight_km(matrix, wijken)
    jobs = matrix["banen"].to_numpy(dtype=float)
    straight_avg = float((km * jobs).sum() / jobs.sum())
    target = national_figure(*CALIBRATION_FIGURE)
    factor = target / straight_avg
    # Sum per home gemeente (the wijk where the employee lives) with integer group ids.
    gem_codes, gem_of_wijk = np.unique(wijken["gemeente_code"].to_numpy(dtype=str), return_inverse=True)
    home_idx = _wijk_index(matrix["wijk_woon"], wijken)
    home = gem_of_wijk[home_idx]
    per = pd.DataFrame({"banen_in_matrix": np.bincount(home, weights=jobs, minlength=len(gem_codes)),
                        "km_in_matrix": np.bincount(home, weights=km * factor * jobs, minlength=len(gem_codes))},
                       index=pd.Index(gem_codes, name="gemeente_code"))
    per = per.reindex(sorted(gemeenten()["gemeente_code"]))
    # A 2023 gemeente holding a 2015 gemeente without residents' rows gets no figures: its jobs
    # would be those of only part of its residents (or none: Berg en Dal, Gooise Meren).
    missing = missing_home_gemeenten(matrix)
    own = "GM" + wijken["wijk_code"].str[2:6]
    holders = wijken[own.isin(missing)].assign(oud=own[own.isin(missing)])
    reason = holders.groupby("gemeente_code")["oud"].agg(lambda s: ", ".join(sorted(set(s))))
    per["ontbrekende_woongemeenten_2015"] = reason.reindex(per.index).fillna("")
    complete = per["ontbrekende_woongemeenten_2015"] == ""
    per["werknemersbanen"] = per["banen_in_matrix"].where(complete)
    per["woonwerk_afstand_km"] = (per["km_in_matrix"] / per["banen_in_matrix"]).where(complete)
    per["woonwerk_km_per_werkdag"] = (per["km_in_matrix"] * 2).where(complete)  # there and back
    per["km_per_werkdag_in_matrix"] = per.pop("km_in_matrix") * 2
    same = home_idx == _wijk_index(matrix["wijk_werk"], wijken)
    return Model(per.reset_index(), factor, straight_avg, target, float(jobs.sum()),
                 float(jobs[same].sum() / jobs.sum()))


_MODEL_DATASETS = ("woonwerk_matrix", "woonwerk_nationaal", "grenzen_gemeente_2023")


@built("woonwerk_model", datasets=_MODEL_DATASETS)
def model_table() -> pd.DataFrame:
    """Per 2023 home gemeente: employee jobs, average one-way road km, km per working day."""
    return _computed_model().per_gemeente


@built("woonwerk_model_kalibratie", kind="json", datasets=_MODEL_DATASETS)
def model_calibration() -> dict:
    """The model's national figures: detour factor, straight-line and target km, jobs, intra-wijk share."""
    m = _computed_model()
    return {"detour_factor": m.detour_factor, "straight_avg_km": m.straight_avg_km, "target_km": m.target_km,
            "total_jobs": m.total_jobs, "intra_share": m.intra_share}


@pack_memo
def model() -> Model:
    """The commuting model, as built into the pack."""
    return Model(model_table(), **model_calibration())


# --- scenarios --------------------------------------------------------------------------

class ScenarioError(ValueError):
    """An input out of range; the message is Dutch, for the page."""


@dataclass(frozen=True)
class Scenario:
    thuiswerk_aandeel: float  # share of jobs that can be done from home, 0-1
    thuiswerkdagen: float  # days per week worked from home, 0-5
    werkweken: float  # working weeks per year, 1-52
    auto_aandeel: float  # share of commuting km driven by car (vehicle-km), 0-1
    ov_aandeel: float  # share of commuting km by public transport, 0-1
    kg_co2_auto: float  # kg CO2 per vehicle-km
    kg_co2_ov: float  # kg CO2 per passenger-km


def check(s: Scenario) -> Scenario:
    """Refuse inputs out of range with a Dutch message naming every field out of range."""
    problems = problems_of(s)
    if problems:
        raise ScenarioError(" ".join(problems))
    return s


def problems_of(s: Scenario) -> list[str]:
    """Every input out of range, as Dutch sentences (empty when the scenario can be computed)."""
    problems = []
    # (field, lowest, highest, how the bounds are shown: shares as percentages)
    rules = [("thuiswerk_aandeel", 0, 1, "0 %", "100 %"), ("thuiswerkdagen", 0, WORKDAYS_PER_WEEK, "0", "5"),
             ("werkweken", 1, 52, "1", "52"), ("auto_aandeel", 0, 1, "0 %", "100 %"),
             ("ov_aandeel", 0, 1, "0 %", "100 %"), ("kg_co2_auto", 0, 2, "0", "2"), ("kg_co2_ov", 0, 2, "0", "2")]
    for name, lo, hi, shown_lo, shown_hi in rules:
        v = getattr(s, name)
        if v is None or not np.isfinite(v) or v < lo or v > hi:
            problems.append(t("co2.fout_bereik", veld=t(f"co2.veld.{name}"), min=shown_lo, max=shown_hi))
    if not problems and s.auto_aandeel + s.ov_aandeel > 1 + 1e-9:
        problems.append(t("co2.fout_som"))
    return problems


@dataclass(frozen=True)
class Default:
    value: float
    source: str


def defaults() -> dict[str, Default]:
    """Default scenario inputs, each with its source (figures read from the pack)."""
    ef = emission_factors().set_index("naam")
    all_km = national_figure(MODAL_FIGURES["all"]) * _avg_km(MODAL_FIGURES["all"])
    car_km = national_figure(MODAL_FIGURES["car"]) * _avg_km(MODAL_FIGURES["car"])
    pt_km = national_figure(MODAL_FIGURES["pt"]) * _avg_km(MODAL_FIGURES["pt"])
    modal = t("co2.bron.modal")
    return {
        "thuiswerk_aandeel": Default(0.5, t("co2.bron.thuiswerk_aandeel")),
        "thuiswerkdagen": Default(2.0, t("co2.bron.thuiswerkdagen")),
        "werkweken": Default(46.0, t("co2.bron.werkweken")),
        "auto_aandeel": Default(round(car_km / all_km, 3), modal),
        "ov_aandeel": Default(round(pt_km / all_km, 3), modal),
        "kg_co2_auto": Default(float(ef.loc[CAR_FACTOR_NAME, "kg_co2_per_eenheid"]), t("co2.bron.ef_auto")),
        "kg_co2_ov": Default(float(ef.loc[PT_FACTOR_NAME, "kg_co2_per_eenheid"]), t("co2.bron.ef_ov")),
    }


def _avg_km(figure: str) -> float:
    """Average distance per commuter by mode (CBS 37774, 2003), from the figure's source note."""
    df = national_table()
    note = df.loc[df["figure"] == figure, "source_note"].iloc[0]
    m = re.search(r"average distance ([\d.]+) km|avg distance ([\d.]+) km", note)
    if not m:
        raise DataPackError("commuting/national_commuting_figures_cited.csv",
                            t("err.geen_rijen", wat=f"gemiddelde afstand bij {figure}"))
    return float(m.group(1) or m.group(2))


def default_scenario() -> Scenario:
    return Scenario(**{k: d.value for k, d in defaults().items()})


@dataclass(frozen=True)
class Breakdown:
    km_vermeden: float  # per year
    km_auto: float
    km_ov: float
    kg_auto: float
    kg_ov: float

    @property
    def ton(self) -> float:
        return (self.kg_auto + self.kg_ov) / 1000


def savings(km_per_workday: float | pd.Series, s: Scenario):
    """CO2 saved per year from round-trip commuting km per working day (all jobs).

    km avoided per year = km per workday × share that can work from home × days at home
    per week × working weeks (each job counted as a five-day week).
    """
    check(s)
    km = km_per_workday * s.thuiswerk_aandeel * s.thuiswerkdagen * s.werkweken
    km_car, km_pt = km * s.auto_aandeel, km * s.ov_aandeel
    return Breakdown(km, km_car, km_pt, km_car * s.kg_co2_auto, km_pt * s.kg_co2_ov)


def own_staff(employees: float, one_way_km: float, s: Scenario) -> Breakdown:
    """Savings for the gemeente's own organisation."""
    if employees is None or not np.isfinite(employees) or employees < 0 or employees > 100_000:
        raise ScenarioError(t("co2.fout_bereik", veld=t("co2.veld.medewerkers"), min="0", max="100.000"))
    if one_way_km is None or not np.isfinite(one_way_km) or one_way_km < 0 or one_way_km > 300:
        raise ScenarioError(t("co2.fout_bereik", veld=t("co2.veld.afstand"), min="0", max="300"))
    return savings(employees * one_way_km * 2, s)


def residents(s: Scenario) -> pd.DataFrame:
    """Savings of all residents' commutes per 2023 gemeente.

    Columns: ``gemeente_code``, ``gemeente_naam``, ``werknemersbanen``, ``woonwerk_afstand_km``,
    ``woonwerk_km_per_werkdag``, ``inwoners``, ``km_vermeden``, ``co2_ton``, ``co2_kg_per_inwoner``, ``rang``.
    """
    from lib import indicators
    per = model().per_gemeente.copy()
    b = savings(per["woonwerk_km_per_werkdag"], s)
    per["km_vermeden"] = b.km_vermeden
    per["co2_ton"] = (b.kg_auto + b.kg_ov) / 1000
    per["inwoners"] = per["gemeente_code"].map(indicators.base_values("inwoners", "2020"))
    per["co2_kg_per_inwoner"] = per["co2_ton"] * 1000 / per["inwoners"]
    per["gemeente_naam"] = per["gemeente_code"].map(gemeenten().set_index("gemeente_code")["gemeente_naam"])
    per["rang"] = per["co2_ton"].rank(ascending=False, method="min").astype("Int64")
    return per


def national_totals(s: Scenario) -> dict[str, float]:
    """The Netherlands under scenario ``s``: every job in the matrix (also those of gemeenten
    whose own figures are withheld) and the inhabitants of 1 January 2020."""
    from lib import indicators
    per = model().per_gemeente
    b = savings(per["km_per_werkdag_in_matrix"], s)
    ton = float((b.kg_auto + b.kg_ov).sum() / 1000)
    return {"werknemersbanen": float(per["banen_in_matrix"].sum()),
            "woonwerk_km_per_werkdag": float(per["km_per_werkdag_in_matrix"].sum()),
            "co2_ton": ton, "co2_kg_per_inwoner": ton * 1000 / indicators.national_value("inwoners", "2020")}


def withheld() -> list[str]:
    """Names of the 2023 gemeenten without commuting figures (see :func:`missing_reason`)."""
    per = model().per_gemeente
    codes = per.loc[per["ontbrekende_woongemeenten_2015"] != "", "gemeente_code"]
    return sorted(gemeenten().set_index("gemeente_code").loc[codes, "gemeente_naam"])


def memo_text(name: str, employees: float, one_way_km: float, s: Scenario, b: Breakdown) -> str:
    """A short paragraph for a staff-policy memo (Dutch)."""
    return t("co2.memo", gemeente=name, medewerkers=fmt_number(employees), afstand=fmt_number(one_way_km, 1),
             aandeel=texts_nl.fmt_pct(s.thuiswerk_aandeel * 100, 0), dagen=texts_nl.fmt_count(s.thuiswerkdagen, "dag", "dagen"),
             weken=fmt_number(s.werkweken), km=fmt_number(b.km_vermeden), ton=fmt_number(b.ton, 1),
             bron=source_line("emissiefactoren"))


# --- export / overview provider (lib.indicators) -------------------------------------------

#: The staff count the CO2 page starts with: an example organisation (said so on the page), not a
#: figure of any gemeente; the user types their own.
EXAMPLE_STAFF = 500

MODEL_PERIOD = "2015"  # jobs of about December 2015 on the 2015 wijk division, calibrated to 2015
_MODEL_COLS = ["werknemersbanen", "woonwerk_afstand_km", "woonwerk_km_per_werkdag"]


def indicator_rows() -> pd.DataFrame:
    per = residents(default_scenario())
    long = per.melt(id_vars="gemeente_code", value_vars=[*_MODEL_COLS, "co2_ton"], var_name="indicator",
                    value_name="waarde").replace({"indicator": {"co2_ton": "co2_besparing_ton_per_jaar"}})
    long["periode"] = MODEL_PERIOD
    return long.dropna(subset=["waarde"])


def dataset_for(indicator: str) -> str:
    return "co2_besparing" if indicator == "co2_besparing_ton_per_jaar" else "woonwerk_matrix"


#: Names of the 2015 gemeenten :func:`missing_home_gemeenten` finds (the raw sources list only
#: gemeenten of 2020 and later); used in the reason shown instead of figures.
GEMEENTEN_2015 = {"GM0241": "Groesbeek", "GM0381": "Bussum", "GM0424": "Muiden", "GM0425": "Naarden",
                  "GM0478": "Zeevang"}


def missing_reason(code: str) -> str | None:
    """Why a 2023 gemeente has no commuting figures (Dutch), or None when it has them."""
    per = model().per_gemeente.set_index("gemeente_code")
    if code not in per.index or not per.loc[code, "ontbrekende_woongemeenten_2015"]:
        return None
    old = [GEMEENTEN_2015.get(c, c) for c in per.loc[code, "ontbrekende_woongemeenten_2015"].split(", ")]
    listed = old[0] if len(old) == 1 else ", ".join(old[:-1]) + " en " + old[-1]
    return t("co2.geen_gegevens", gemeente=gemeenten().set_index("gemeente_code").loc[code, "gemeente_naam"],
             oud=listed)


def region_values(indicator: str, level: str, periode: str) -> pd.Series:
    """Per region: sums of its gemeenten, missing when one of them has no figures (a partial sum
    would look like a complete one). The Netherlands: every job in the matrix."""
    s = default_scenario()
    per = residents(s).set_index("gemeente_code")
    if level == "nederland":
        all_jobs = model().per_gemeente.set_index("gemeente_code")
        b = savings(all_jobs["km_per_werkdag_in_matrix"], s)
        sums = pd.DataFrame({"werknemersbanen": all_jobs["banen_in_matrix"],
                             "woonwerk_km_per_werkdag": all_jobs["km_per_werkdag_in_matrix"],
                             "co2_ton": (b.kg_auto + b.kg_ov) / 1000}).sum().to_frame("NL").T
    else:
        key = gemeenten().set_index("gemeente_code")[f"{level}_code"].reindex(per.index)
        cols = per[["werknemersbanen", "woonwerk_km_per_werkdag", "co2_ton"]]
        sums = cols.groupby(key).sum(min_count=1)
        incomplete = cols["werknemersbanen"].isna().groupby(key).any()
        sums = sums.mask(incomplete.reindex(sums.index), np.nan)
    values = {"werknemersbanen": sums["werknemersbanen"],
              "woonwerk_km_per_werkdag": sums["woonwerk_km_per_werkdag"],
              "woonwerk_afstand_km": sums["woonwerk_km_per_werkdag"] / 2 / sums["werknemersbanen"],
              "co2_besparing_ton_per_jaar": sums["co2_ton"]}
    return values[indicator].rename(indicator)
