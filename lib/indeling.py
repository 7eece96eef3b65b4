"""Conversion of older gemeente codes (2019-2022) to the 2023 indeling (342 gemeenten).

The rule (also shown on the sources page):

* a code that still exists in 2023 maps wholly to itself;
* a dissolved code maps wholly to the 2023 gemeente holding most of its area;
* only a gemeente divided over several successors (no successor holds at least
  :data:`WHOLE_SHARE` of its area; in 2020-2023 that is Haaren, dissolved in 2021)
  is shared out over its successors by **where its residents live**: the employee jobs of
  residents per home wijk (the commuting matrix, about 2015), each wijk going to the 2023
  gemeente holding its centroid. For Haaren that gives Oisterwijk 40 % (the village Haaren),
  Vught 34 % (Helvoirt), Boxtel 17 % (Esch), Tilburg 9 % (Biezenmortel), close to the villages'
  populations; area (44 % Vught, mostly forest) would overstate the emptier parts. Without
  residents' jobs for its wijken the split falls back to area (successors holding at least
  :data:`MIN_PART` of it). Either way it is an approximation.

The simplified boundaries of different years do not line up exactly, so raw area
overlaps leak a few tenths of a percent over every border; the thresholds keep
that noise out. Codes are unique over time (a merger gets a new code), so one
table serves every source year.

Counts are converted by summing weighted rows; rates and percentages are then
recomputed from converted counts (:func:`rate`) or population-weighted
(:func:`weighted_mean`), never summed. The weights of each old code sum to 1, so
national totals are preserved.
"""
from __future__ import annotations

import geopandas as gpd
import pandas as pd

from lib.loaders import load_boundaries
from lib.pack import pack_memo
from lib.world import built

TARGET_YEAR = 2023
SOURCE_YEARS = (2020, 2021, 2022)
WHOLE_SHARE = 0.80
MIN_PART = 0.05
_EQUAL_AREA_CRS = 28992  # RD New, metres


@pack_memo
def conversion_table() -> pd.DataFrame:
    """One row per (old code, 2023 code) with the ``weight`` of that part.

    Columns: ``code`` (any GM code of 2020-2023), ``code_2023``, ``weight`` (sum 1 per
    ``code``), ``methode`` (``zelfde`` = unchanged, ``opgegaan`` = wholly merged,
    ``verdeeld_inwoners`` = shared out by residents' jobs per wijk, ``verdeeld`` = by area).
    """
    target = load_boundaries("gemeente", TARGET_YEAR).to_crs(_EQUAL_AREA_CRS)
    rows = [{"code": c, "code_2023": c, "weight": 1.0, "methode": "zelfde"} for c in target["statcode"]]
    seen = set(target["statcode"])
    for year in SOURCE_YEARS:
        src = load_boundaries("gemeente", year).to_crs(_EQUAL_AREA_CRS)
        gone = src[~src["statcode"].isin(seen)]
        if gone.empty:
            continue
        overlap = gpd.overlay(
            gone[["statcode", "geometry"]],
            target[["statcode", "geometry"]].rename(columns={"statcode": "code_2023"}),
            how="intersection", keep_geom_type=True,
        )
        overlap["area"] = overlap.area
        overlap["share"] = overlap["area"] / overlap.groupby("statcode")["area"].transform("sum")
        for code, parts in overlap.groupby("statcode"):
            parts = parts.sort_values("share", ascending=False)
            if parts["share"].iloc[0] >= WHOLE_SHARE:
                rows.append({"code": code, "code_2023": parts["code_2023"].iloc[0],
                             "weight": 1.0, "methode": "opgegaan"})
            else:
                by_residents = _resident_shares(code)
                if by_residents is not None:
                    for code_2023, share in by_residents.items():
                        rows.append({"code": code, "code_2023": code_2023, "weight": share,
                                     "methode": "verdeeld_inwoners"})
                    seen.add(code)
                    continue
                kept = parts[parts["share"] >= MIN_PART]
                for _, part in kept.iterrows():
                    rows.append({"code": code, "code_2023": part["code_2023"],
                                 "weight": part["share"] / kept["share"].sum(), "methode": "verdeeld"})
            seen.add(code)
    return pd.DataFrame(rows)


@built("oude_codes", datasets=("grenzen_gemeente_2023",))
def old_codes() -> pd.DataFrame:
    """Gemeenten of 2020–2022 that no longer exist in 2023, for links and searches with an old code.

    Columns: ``code`` (old GM code), ``naam`` (its name in the last year it existed), ``opgeheven``
    (the year from which it no longer exists: it merged on 1 January of that year), ``code_2023``
    (the successor with the largest part; the only one unless divided) and ``methode`` (as in
    :func:`conversion_table`).
    """
    conv = conversion_table()
    gone = conv[conv["methode"] != "zelfde"].sort_values("weight", ascending=False).drop_duplicates("code")
    last = {}
    for year in SOURCE_YEARS:
        for code, name in zip(*(load_boundaries("gemeente", year)[c] for c in ("statcode", "statnaam"))):
            last[code] = (name, year)
    return pd.DataFrame({
        "code": gone["code"], "naam": [last[c][0] for c in gone["code"]],
        "opgeheven": [last[c][1] + 1 for c in gone["code"]],
        "code_2023": gone["code_2023"], "methode": gone["methode"],
    }).sort_values("code").reset_index(drop=True)


def _resident_shares(code: str) -> pd.Series | None:
    """Shares of a dissolved gemeente's residents per 2023 gemeente, from the employee jobs of
    residents per home wijk (commuting matrix, 2015 wijken); None when the matrix has none."""
    from lib import commuting
    from lib.loaders import load_commuting_matrix
    matrix = load_commuting_matrix()
    prefix = "WK" + code[2:]
    homes = matrix[matrix["wijk_woon"].astype(str).str.startswith(prefix)]
    if homes.empty:
        return None
    jobs = homes.groupby(homes["wijk_woon"].astype(str))["banen"].sum()
    where = commuting.wijk_gemeente().set_index("wijk_code")["gemeente_polygoon"].reindex(jobs.index)
    shares = jobs.groupby(where).sum()
    return shares / shares.sum()


def _apportion(merged: pd.DataFrame, col: str, keys: list[str]) -> pd.Series:
    """Share ``col`` out by ``weight``; whole numbers stay whole (largest remainder).

    A count of persons split over successors gives whole persons per successor
    whose sum is exactly the original count, so totals are preserved exactly.
    """
    exact = merged[col] * merged["weight"]
    values = merged[col].dropna()
    if not (values == values.round()).all() or (merged["weight"] == 1).all():
        return exact
    floor = exact.apply(lambda v: float(int(v)) if pd.notna(v) else v)
    deficit = (merged[col] - floor.groupby([merged[k] for k in keys]).transform("sum"))
    order = (exact - floor).groupby([merged[k] for k in keys]).rank(method="first", ascending=False)
    return floor + (order <= deficit.round()).astype(float).where(exact.notna())


def unknown_codes(codes) -> list[str]:
    """Codes that the conversion does not know (neither 2023 nor dissolved 2020-2022)."""
    known = set(conversion_table()["code"])
    return sorted(set(codes) - known)


def to_2023(df: pd.DataFrame, count_cols: list[str], code_col: str = "gemeente_code",
            by: list[str] | None = None) -> pd.DataFrame:
    """Convert counts per old gemeente to the 2023 indeling by summing weighted rows.

    ``by`` are extra key columns kept apart (e.g. ``jaar``). A missing count stays
    missing only if every contributing part is missing (``min_count=1``).
    Returns ``gemeente_code`` (2023), the ``by`` columns and ``count_cols``.
    """
    by = list(by or [])
    unknown = unknown_codes(df[code_col])
    if unknown:
        raise ValueError(f"unknown gemeente codes: {unknown[:5]}")
    merged = df[[code_col, *by, *count_cols]].merge(
        conversion_table()[["code", "code_2023", "weight"]], left_on=code_col, right_on="code")
    for col in count_cols:
        merged[col] = _apportion(merged, col, [code_col, *by])
    out = merged.groupby(["code_2023", *by], as_index=False)[count_cols].sum(min_count=1)
    return out.rename(columns={"code_2023": "gemeente_code"})


def rate(numerator: pd.Series, denominator: pd.Series, per: float = 1000.0) -> pd.Series:
    """``numerator / denominator × per``; missing where the denominator is 0 or missing."""
    den = denominator.where(denominator > 0)
    return numerator / den * per


def weighted_mean(df: pd.DataFrame, value_cols: list[str], weight_col: str,
                  code_col: str = "gemeente_code", by: list[str] | None = None) -> pd.DataFrame:
    """Convert percentages/averages to 2023 as weight-weighted means (e.g. by inhabitants).

    Parts whose value is missing do not count in the weight of that value.
    """
    by = list(by or [])
    work = df[[code_col, *by, weight_col, *value_cols]].copy()
    for col in value_cols:
        w = work[weight_col].where(work[col].notna())
        work[f"_w_{col}"] = w
        work[f"_x_{col}"] = work[col] * w
    summed = to_2023(work, [*(f"_x_{c}" for c in value_cols), *(f"_w_{c}" for c in value_cols)],
                     code_col=code_col, by=by)
    for col in value_cols:
        summed[col] = summed[f"_x_{col}"] / summed[f"_w_{col}"].where(summed[f"_w_{col}"] > 0)
    return summed[["gemeente_code", *by, *value_cols]]
