"""Werkloosheid: WW, bijstand and AO per 1,000 inhabitants per gemeente and region.

Pure computations (no Streamlit). All per-1,000 rates come from
:mod:`lib.indicators` (counts converted to the 2023 indeling first, then divided;
regions aggregate counts, then divide). Which periods exist is read from the pack:
KWB years offline, and months too after a CBS refresh (80794ned).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from lib import indicators
from lib.catalog import DATASETS, source_line
from lib.gemeenten import gemeenten
from lib.loaders import load_bijstand_quarterly, load_kwb, load_ww_national
from lib.world import built
from lib.pack import pack_memo
from lib.texts_nl import fmt_number, fmt_pct, fmt_signed, indicator_label, t

MEASURES = ["ww_per_1000", "bijstand_per_1000", "ao_per_1000"]
SHOCK_MONTH = "2020-03"
INDEX_BASE_MONTH = "2020-02"


def is_month(periode: str) -> bool:
    return len(periode) == 7 and periode[4] == "-"


def measure_periods(measure: str, monthly: bool | None = None) -> list[str]:
    """Periods of a measure: all, only months (monthly=True) or only years (False)."""
    ps = indicators.periods(measure)
    if monthly is None:
        return ps
    return [p for p in ps if is_month(p) == monthly]


def has_monthly(measure: str = "ww_per_1000") -> bool:
    return bool(measure_periods(measure, monthly=True))


def change(before, after) -> tuple:
    """Absolute and relative (%) change from ``before`` to ``after``; % is missing when before ≤ 0."""
    absolute = after - before
    if isinstance(before, pd.Series):
        return absolute, absolute / before.where(before > 0) * 100
    return absolute, (absolute / before * 100 if before and before > 0 else float("nan"))


def index_series(series: pd.Series, base) -> pd.Series:
    """``series / series[base] × 100`` (base period = 100)."""
    if base not in series.index or pd.isna(series[base]) or series[base] == 0:
        raise ValueError(f"base period {base} missing or zero")
    return series / series[base] * 100


def rank_in_region(measure: str, code: str, periode: str, level: str = "arbeidsmarktregio") -> tuple:
    """(rank, number of gemeenten) of ``code`` within its region; 1 = highest."""
    g = gemeenten().set_index("gemeente_code")
    members = g.index[g[f"{level}_code"] == g.loc[code, f"{level}_code"]]
    vals = indicators.values(measure, periode).reindex(members)
    if pd.isna(vals.get(code)):
        return None, int(vals.notna().sum())
    return int(vals.rank(ascending=False, method="min")[code]), int(vals.notna().sum())


# compare, trend, gemeente_table and quickscan read pack data only (no live sources), so
# they are memoised per pack and arguments: reruns of the page do not recompute them.


@dataclass(frozen=True)
class Comparison:
    measure: str
    periode: str
    gemeente: float | None
    regio: float | None
    nederland: float
    rank: int | None
    total: int
    rank_region: int | None
    total_region: int


@pack_memo
def compare(code: str, measure: str, periode: str) -> Comparison:
    """The gemeente's value beside its arbeidsmarktregio and the Netherlands, with ranks."""
    g = gemeenten().set_index("gemeente_code")
    vals = indicators.values(measure, periode)
    region = indicators.region_values(measure, "arbeidsmarktregio", periode)
    value = vals.get(code)
    rr, nr = rank_in_region(measure, code, periode)
    return Comparison(
        measure, periode, None if pd.isna(value) else float(value),
        _get(region, g.loc[code, "arbeidsmarktregio_code"]), indicators.national_value(measure, periode),
        indicators.rank(measure, code, periode), int(vals.notna().sum()), rr, nr)


def _get(series: pd.Series, key) -> float | None:
    v = series.get(key)
    return None if v is None or pd.isna(v) else float(v)


@pack_memo
def trend(code: str, measure: str, monthly: bool) -> pd.DataFrame:
    """Per period: the gemeente, its arbeidsmarktregio and the Netherlands.

    Columns: ``periode``, ``gemeente``, ``regio``, ``nederland``.
    """
    amr = gemeenten().set_index("gemeente_code").loc[code, "arbeidsmarktregio_code"]
    rows = []
    for p in measure_periods(measure, monthly):
        rows.append({"periode": p, "gemeente": _get(indicators.values(measure, p), code),
                     "regio": _get(indicators.region_values(measure, "arbeidsmarktregio", p), amr),
                     "nederland": indicators.national_value(measure, p)})
    return pd.DataFrame(rows, columns=["periode", "gemeente", "regio", "nederland"])


def indexed_trend(code: str, measure: str, base: str = INDEX_BASE_MONTH) -> pd.DataFrame:
    """Monthly trend as an index, ``base`` = 100, for gemeente, region and NL."""
    df = trend(code, measure, monthly=True).set_index("periode")
    return df.apply(lambda col: index_series(col, base)).reset_index()


@pack_memo
def gemeente_table(measure: str) -> pd.DataFrame:
    """All gemeenten: value per annual period, change first → last, ranks; sortable/downloadable.

    Columns: ``gemeente_code``, ``gemeente_naam``, ``arbeidsmarktregio``, ``provincie``, one
    column per period, ``verschil``, ``verschil_pct``, ``rang``, ``rang_in_regio``.
    """
    g = gemeenten()
    out = g[["gemeente_code", "gemeente_naam", "arbeidsmarktregio_naam", "provincie_naam"]].rename(
        columns={"arbeidsmarktregio_naam": "arbeidsmarktregio", "provincie_naam": "provincie"})
    periods = measure_periods(measure, monthly=False)
    for p in periods:
        out[p] = out["gemeente_code"].map(indicators.values(measure, p))
    last = periods[-1]
    if len(periods) > 1:
        out["verschil"], out["verschil_pct"] = change(out[periods[0]], out[last])
    out["rang"] = out[last].rank(ascending=False, method="min").astype("Int64")
    region = g.set_index("gemeente_code")["arbeidsmarktregio_code"]
    out["rang_in_regio"] = out.groupby(out["gemeente_code"].map(region))[last].rank(
        ascending=False, method="min").astype("Int64")
    return out


ww_national = built("ww_nationaal", load_ww_national, datasets=("ww_nationaal",))
bijstand_quarterly = built("bijstand_kwartaal", load_bijstand_quarterly, datasets=("bijstand_kwartaal",))


@built("kwb_nationaal", datasets=("kwb2019", "kwb2020"))
def kwb_national() -> pd.DataFrame:
    """National persons with WW and bijstand per KWB year (sum of the published gemeente counts)."""
    return load_kwb().groupby("jaar", as_index=False)[["ww_personen", "bijstand_personen"]].sum(min_count=1)


def national_trend() -> pd.DataFrame:
    """National series for the trend chart, never mixed: each has its own unit and source.

    Columns: ``datum``, ``periode``, ``reeks`` (label), ``waarde``, ``eenheid``, ``bron``, ``soort``.
    """
    ww = ww_national()
    ww_rows = pd.DataFrame({
        "datum": ww["datum"], "periode": ww["periode"], "waarde": ww["waarde"],
        "reeks": ww["soort"].map({"maand": t("wl.reeks.ww_maand"), "jaarultimo": t("wl.reeks.ww_jaar")}),
        "eenheid": t("wl.eenheid.uitkeringen"), "bron": "UWV: " + ww["bron_naam"], "soort": ww["soort"],
        # a point computed from a reported change (Nov 2020 = Dec 2020 − 9,000) is marked in the series itself
        "punt": ww["bron_naam"].str.lower().str.startswith("afgeleid").map(
            {True: t("wl.punt.afgeleid"), False: t("wl.punt.gemeten")})})
    bij = bijstand_quarterly()
    bij_rows = pd.DataFrame({"datum": bij["datum"], "periode": bij["periode"], "waarde": bij["waarde"],
                             "reeks": t("wl.reeks.bijstand_kwartaal"), "eenheid": t("wl.eenheid.personen"),
                             "bron": source_line("bijstand_kwartaal"), "soort": "kwartaal",
                             "punt": t("wl.punt.gemeten")})
    kwb = kwb_national().set_index("jaar")
    kwb_rows = []
    for year, row in kwb.iterrows():
        for col, key in (("ww_personen", "wl.reeks.ww_kwb"), ("bijstand_personen", "wl.reeks.bijstand_kwb")):
            if pd.notna(row[col]):
                kwb_rows.append({"datum": pd.Timestamp(year, 1, 1), "periode": str(year), "waarde": row[col],
                                 "reeks": t(key), "eenheid": t("wl.eenheid.personen"),
                                 "bron": source_line(f"kwb{year}") if f"kwb{year}" in DATASETS else "CBS KWB",
                                 "soort": "kwb", "punt": t("wl.punt.gemeten")})
    return pd.concat([ww_rows, bij_rows, pd.DataFrame(kwb_rows)], ignore_index=True).sort_values("datum")


# --- quickscan arbeidsmarktregio ------------------------------------------------------------

HIT_FIRST = ["vestigingen_gi", "vestigingen_ru"]  # trade+horeca, culture/recreation (KWB groups)


@dataclass
class Quickscan:
    regio_code: str
    regio_naam: str
    gemeente_naam: str
    gemeenten: list[str]
    levels: list[dict] = field(default_factory=list)  # per measure: regio, NL, change
    largest: pd.DataFrame | None = None
    sectors: list[dict] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)


@pack_memo
def quickscan(code: str) -> Quickscan:
    """The labour-market quickscan of the selected gemeente's arbeidsmarktregio."""
    g = gemeenten().set_index("gemeente_code")
    amr, naam = g.loc[code, "arbeidsmarktregio_code"], g.loc[code, "arbeidsmarktregio_naam"]
    members = g[g["arbeidsmarktregio_code"] == amr]
    qs = Quickscan(amr, naam, g.loc[code, "gemeente_naam"], sorted(members["gemeente_naam"]))
    periods = measure_periods("ww_per_1000", monthly=has_monthly())
    first, last = periods[0], periods[-1]
    for m in MEASURES:
        if not {first, last} <= set(indicators.periods(m)):
            continue  # e.g. AO has no monthly series
        reg = indicators.region_values(m, "arbeidsmarktregio", last).get(amr)
        reg0 = indicators.region_values(m, "arbeidsmarktregio", first).get(amr)
        nl, nl0 = indicators.national_value(m, last), indicators.national_value(m, first)
        qs.levels.append({"measure": m, "first": first, "last": last, "regio": reg, "nederland": nl,
                          "regio_verschil_pct": change(reg0, reg)[1], "nl_verschil_pct": change(nl0, nl)[1]})
    inw = indicators.values("inwoners").reindex(members.index).sort_values(ascending=False)
    qs.largest = pd.DataFrame({"gemeente": members.loc[inw.index[:5], "gemeente_naam"].to_numpy(),
                               "inwoners": inw.iloc[:5].to_numpy()})
    total_reg = indicators.region_values("vestigingen_totaal", "arbeidsmarktregio").get(amr)
    total_nl = indicators.national_value("vestigingen_totaal")
    for s in HIT_FIRST:
        reg = indicators.region_values(s, "arbeidsmarktregio").get(amr)
        qs.sectors.append({"indicator": s, "regio": reg, "aandeel_regio": reg / total_reg * 100,
                           "aandeel_nl": indicators.national_value(s) / total_nl * 100})
    qs.sources = [source_line(indicators.source_dataset("ww_per_1000", last)),
                  source_line("vestigingen2020"), source_line("grenzen_regio")]
    return qs


def quickscan_markdown(qs: Quickscan, level: int = 1) -> str:
    """The quickscan as a Markdown document (download), every figure with its source.

    ``level`` is the heading level of the title; sections are one level deeper.
    """
    h1, h2 = "#" * level, "#" * (level + 1)
    lines = [f"{h1} {t('wl.qs.titel', regio=qs.regio_naam)}", "",
             t("wl.qs.intro", gemeente=qs.gemeente_naam, regio=qs.regio_naam, n=len(qs.gemeenten)), "",
             f"**{t('wl.qs.gemeenten')}:** " + ", ".join(qs.gemeenten), "", f"{h2} {t('wl.qs.niveau')}", "",
             f"| {t('wl.qs.maat')} | {t('wl.qs.regio')} | {t('nederland')} | {t('wl.qs.verandering_regio')} "
             f"| {t('wl.qs.verandering_nl')} |", "|---|---|---|---|---|"]
    for lv in qs.levels:
        lines.append(f"| {indicator_label(lv['measure'])} ({lv['last']}) | {fmt_number(lv['regio'], 1)} "
                     f"| {fmt_number(lv['nederland'], 1)} | {fmt_signed(lv['regio_verschil_pct'], 1, ' %')} "
                     f"| {fmt_signed(lv['nl_verschil_pct'], 1, ' %')} |")
    lines += ["", t("wl.qs.verandering_uitleg", van=qs.levels[0]["first"], tot=qs.levels[0]["last"])
              if qs.levels else "", "", f"{h2} {t('wl.qs.grootste')}", ""]
    lines += [f"- {r.gemeente}: {fmt_number(r.inwoners)} {t('wl.qs.inwoners')}" for r in qs.largest.itertuples()]
    lines += ["", f"{h2} {t('wl.qs.sectoren')}", ""]
    for s in qs.sectors:
        lines.append(f"- {indicator_label(s['indicator'])}: {fmt_number(s['regio'])} "
                     f"({fmt_pct(s['aandeel_regio'])} {t('wl.qs.van_alle')}; {t('nederland')} {fmt_pct(s['aandeel_nl'])})")
    lines += ["", t("wl.qs.gi_let_op"), "", f"{h2} {t('wl.qs.bronnen')}", ""]
    lines += [f"- {s}" for s in qs.sources]
    return "\n".join(lines) + "\n"
