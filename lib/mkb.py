"""MKB-kwetsbaarheid: exposure of each gemeente's businesses to the corona shock (no Streamlit).

Exposure index of a gemeente = Σ over sectors of (share of its establishments in the
sector × weight of the sector) × 100, with weights between 0 and 1. With weight 1 for
the sectors named in a scenario and 0 elsewhere, the index is simply the percentage of
establishments in those sectors. Regions are computed from summed counts.

Sectors are the KWB groups of the offline pack (G+I lumps trade and horeca), or the
SBI sections of CBS 81575NED after a live refresh (horeca = I on its own); the same
code serves both.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

import pandas as pd

from lib import indeling, indicators
from lib.catalog import SECTOR_GROUPS
from lib.config import data_dir
from lib.gemeenten import gemeenten
from lib.loaders import load_establishments_sbi, load_sector_figures
from lib.pack import pack_memo
from lib.world import built
from lib.texts_nl import TEXT, fmt_signed, t

PRESETS = ("eerste_golf", "tweede_golf")
#: Sectors each scenario names, per scheme (the seed: first horeca, culture/events and
#: retail; then construction, industry, trade and logistics).
PRESET_SECTORS = {
    "kwb": {"eerste_golf": ["GI", "RU"], "tweede_golf": ["BF", "GI", "HJ"]},
    "sbi": {"eerste_golf": ["G", "I", "R"], "tweede_golf": ["C", "F", "G", "H"]},
}
#: Cited national figures (ids in business/national_sector_figures_cited.csv) shown as
#: evidence beside a sector's weight.
EVIDENCE = {"GI": ["horeca_turnover_change_2020_vs_2019", "retail_turnover_change_July2020_vs_July2019"],
            "I": ["horeca_turnover_change_2020_vs_2019", "horeca_turnover_2021_vs_2019"],
            "G": ["retail_turnover_change_July2020_vs_July2019"]}
SMALL_TOTAL = 500  # fewer establishments than this: shares are easily over-read


class WeightError(ValueError):
    """Weights that cannot be used; the message is Dutch, for the page."""


@dataclass(frozen=True)
class SectorCounts:
    scheme: str  # "kwb" (groups, offline) or "sbi" (sections, after refresh)
    periode: str
    dataset: str  # catalog id
    counts: pd.DataFrame  # index gemeente_code (2023), one column per sector id
    totals: pd.Series | None = None  # the published total per gemeente (KWB), the index's denominator


@built("vestigingen_sectoren", datasets=("vestigingen2020", "vestigingen_sbi"))
def sector_table() -> pd.DataFrame:
    """Establishments per sector per 2023 gemeente (index ``gemeente_code``, one column per
    sector), SBI sections when the raw sources have them (after a refresh), else KWB groups.
    The scheme, period and dataset are in the frame's one-row companion :func:`sector_meta`."""
    sbi = load_establishments_sbi()
    if sbi is not None and not sbi.empty:
        periode = max(sbi["periode"])
        wide = sbi[sbi["periode"] == periode].pivot_table(
            index="gemeente_code", columns="sbi", values="vestigingen", aggfunc="sum").reset_index()
        cols = [c for c in wide.columns if c != "gemeente_code"]
        return indeling.to_2023(wide, cols).set_index("gemeente_code")
    counts = pd.DataFrame({g: indicators.base_values(f"vestigingen_{g.lower()}", "2020") for g, _, _ in SECTOR_GROUPS})
    counts.index.name = "gemeente_code"
    return counts


@built("vestigingen_sectoren_meta", kind="json", datasets=("vestigingen2020", "vestigingen_sbi"))
def sector_meta() -> dict:
    """Scheme (kwb/sbi), period and catalog dataset of :func:`sector_table`."""
    sbi = load_establishments_sbi()
    if sbi is not None and not sbi.empty:
        return {"scheme": "sbi", "periode": str(max(sbi["periode"])), "dataset": "vestigingen_sbi"}
    return {"scheme": "kwb", "periode": "2020", "dataset": "vestigingen2020"}


@pack_memo
def sector_counts() -> SectorCounts:
    """Establishments per sector per 2023 gemeente, SBI sections when the pack has them.

    With KWB groups the denominator is CBS's published total (excl. O-Q), the figure the
    overview and the export show too; the groups are rounded separately and need not add up
    to it (Vaals: 675 summed, 670 published). SBI sections are summed (no total row is kept).
    """
    meta = sector_meta()
    totals = indicators.base_values("vestigingen_totaal", meta["periode"]) if meta["scheme"] == "kwb" else None
    return SectorCounts(counts=sector_table(), totals=totals, **meta)


sector_figures = built("sector_nationaal", load_sector_figures, datasets=("sector_nationaal",))


def sector_label(sector: str) -> str:
    key = f"mkb.sector.{sector}"
    return t(key) if key in TEXT else sector


def preset_weights(preset: str, scheme: str, sectors: list[str]) -> dict[str, float]:
    named = PRESET_SECTORS[scheme][preset]
    return {s: 1.0 if s in named else 0.0 for s in sectors}


def check_weights(weights: dict[str, float], sectors: list[str]) -> dict[str, float]:
    """Refuse unknown sectors, negative weights and an all-zero set (Dutch message)."""
    unknown = sorted(set(weights) - set(sectors))
    if unknown:
        raise WeightError(t("mkb.fout_onbekend", sector=unknown[0]))
    for s, w in weights.items():
        if pd.isna(w) or w < 0:
            raise WeightError(t("mkb.fout_negatief", sector=sector_label(s)))
    if sum(weights.values()) <= 0:
        raise WeightError(t("mkb.fout_nul"))
    return {s: float(weights.get(s, 0.0)) for s in sectors}


def exposure(counts: pd.DataFrame, weights: dict[str, float], totals: pd.Series | None = None) -> pd.DataFrame:
    """Per row of ``counts``: ``totaal``, ``blootgesteld`` (establishments in sectors with
    weight > 0), ``aandeel_blootgesteld`` (%) and ``index`` (weighted share, %).

    The denominator is ``totals`` (the published total) when given, else the sum of the sectors."""
    w = pd.Series(check_weights(weights, list(counts.columns)))
    total = totals.reindex(counts.index) if totals is not None else counts.sum(axis=1, min_count=1)
    exposed_cols = list(w.index[w > 0])
    out = pd.DataFrame({"totaal": total, "blootgesteld": counts[exposed_cols].sum(axis=1, min_count=1)})
    den = total.where(total > 0)
    out["aandeel_blootgesteld"] = out["blootgesteld"] / den * 100
    out["index"] = (counts * w).sum(axis=1, min_count=1) / den * 100
    return out


def region_counts(counts: pd.DataFrame, level: str) -> pd.DataFrame:
    """Counts summed per region (``nederland`` gives one row)."""
    if level == "gemeente":
        return counts
    if level == "nederland":
        return counts.sum().to_frame("NL").T
    region = gemeenten().set_index("gemeente_code")[f"{level}_code"]
    return counts.groupby(region.reindex(counts.index)).sum(min_count=1)


def area_exposure(weights: dict[str, float], level: str) -> pd.DataFrame:
    """Exposure per region of ``level`` (``gemeente``, ``arbeidsmarktregio``, ``provincie``,
    ``nederland``), from summed counts and summed published totals (a copy; computed once per
    pack, weights and level)."""
    return _area_exposure(str(data_dir()), tuple(sorted(weights.items())), level).copy()


@functools.lru_cache(maxsize=64)  # a few recent weight sets per level
def _area_exposure(pack: str, weights: tuple, level: str) -> pd.DataFrame:
    weights = dict(weights)
    sc = sector_counts()
    totals = None
    if sc.totals is not None:
        totals = region_counts(sc.totals.to_frame("totaal"), level)["totaal"]
    return exposure(region_counts(sc.counts, level), weights, totals)


def gemeente_exposure(weights: dict[str, float]) -> pd.DataFrame:
    """Exposure of every 2023 gemeente with names, inhabitants, per-1,000 and ranks."""
    return _gemeente_exposure(str(data_dir()), tuple(sorted(check_weights(
        weights, list(sector_counts().counts.columns)).items()))).copy()


@functools.lru_cache(maxsize=32)  # a few recent weight sets (sliders make them unbounded)
def _gemeente_exposure(pack: str, weights: tuple) -> pd.DataFrame:
    weights = dict(weights)
    out = area_exposure(weights, "gemeente")
    names = gemeenten().set_index("gemeente_code")
    out["gemeente_naam"] = names["gemeente_naam"].reindex(out.index)
    out["inwoners"] = indicators.base_values("inwoners", "2020").reindex(out.index)
    out["vestigingen_per_1000"] = indeling.rate(out["totaal"], out["inwoners"])
    out["rang"] = out["index"].rank(ascending=False, method="min").astype("Int64")
    out["klein_aantal"] = out["totaal"] < SMALL_TOTAL
    for col in ("totaal", "blootgesteld"):  # whole establishments
        out[col] = out[col].round().astype("Int64")
    return out.reset_index()


def top(exp: pd.DataFrame, n: int = 20) -> pd.DataFrame:
    return exp.sort_values(["index", "totaal"], ascending=[False, False]).head(n)


def sector_mix(code: str) -> pd.DataFrame:
    """Shares of the gemeente's establishments per sector beside the Netherlands.

    Columns: ``sector``, ``label``, ``aantal``, ``aandeel_gemeente`` (%), ``aandeel_nl`` (%).
    """
    counts = sector_counts().counts
    nl = counts.sum()
    row = counts.loc[code] if code in counts.index else pd.Series(float("nan"), index=counts.columns)
    return pd.DataFrame({"sector": counts.columns, "label": [sector_label(s) for s in counts.columns],
                         "aantal": row.to_numpy(), "aandeel_gemeente": (row / row.sum() * 100).to_numpy(),
                         "aandeel_nl": (nl / nl.sum() * 100).to_numpy()})


@pack_memo
def evidence(sector: str) -> list[str]:
    """Cited national figures behind a sector's scenario weight, each with its source."""
    figs = sector_figures().set_index("figure")
    out = []
    for fid in EVIDENCE.get(sector, []):
        if fid in figs.index:
            r = figs.loc[fid]
            value = float(r["value"])
            out.append(t(f"mkb.bewijs.{fid}", waarde=fmt_signed(value, 0 if value.is_integer() else 1))
                       + f" ({r['source_publisher']})")
    return out


def horeca_share_of_gi() -> dict | None:
    """Horeca's share of the KWB group G+I nationally (1 January 2020), for the caveat beside the
    first-wave index: the group is mostly trade. None with SBI sections (horeca is I on its own)."""
    sc = sector_counts()
    figs = sector_figures().set_index("figure")
    if sc.scheme != "kwb" or "GI" not in sc.counts.columns or "horeca_establishments" not in figs.index:
        return None
    horeca, gi = float(figs.loc["horeca_establishments", "value"]), float(sc.counts["GI"].sum())
    return {"horeca": horeca, "gi": gi, "aandeel": horeca / gi * 100,
            "bron": str(figs.loc["horeca_establishments", "source_publisher"])}


# --- export / overview provider (lib.indicators) -----------------------------------------

def _preset_of(indicator: str) -> str:
    return indicator.removeprefix("mkb_blootstelling_")


def indicator_rows() -> pd.DataFrame:
    sc = sector_counts()
    parts = []
    for preset in PRESETS:
        exp = area_exposure(preset_weights(preset, sc.scheme, list(sc.counts.columns)), "gemeente")
        parts.append(pd.DataFrame({"gemeente_code": exp.index, "indicator": f"mkb_blootstelling_{preset}",
                                   "periode": sc.periode, "waarde": exp["index"].to_numpy()}))
    return pd.concat(parts, ignore_index=True).dropna(subset=["waarde"])


def dataset_for(indicator: str) -> str:
    return sector_counts().dataset


def region_values(indicator: str, level: str, periode: str) -> pd.Series:
    sc = sector_counts()
    weights = preset_weights(_preset_of(indicator), sc.scheme, list(sc.counts.columns))
    return area_exposure(weights, level)["index"].rename(indicator)
