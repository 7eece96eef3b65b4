"""All per-gemeente indicators on the 2023 indeling, in one long table.

The export, the overview map and profile, and the theme pages read figures from
here, so a figure is computed once. Counts are converted with
:func:`lib.indeling.to_2023`; rates are recomputed from converted counts.

Long format: ``gemeente_code``, ``indicator``, ``periode``, ``waarde``.
"""
from __future__ import annotations

import importlib

import pandas as pd

from lib import indeling
from lib.catalog import DATASETS, INDICATORS
from lib.errors import SourceUnavailable
from lib.loaders import load_establishments, load_kwb, load_monthly_benefits
from lib.pack import pack_memo
from lib.world import built

_KWB_INDICATORS = ["inwoners", "huishoudens", "ww_personen", "bijstand_personen", "ao_personen"]


def _long(wide: pd.DataFrame, indicators: list[str], periode_col: str = "periode") -> pd.DataFrame:
    out = wide.melt(id_vars=["gemeente_code", periode_col], value_vars=indicators,
                    var_name="indicator", value_name="waarde")
    return out.rename(columns={periode_col: "periode"}).dropna(subset=["waarde"])


def _base_counts() -> pd.DataFrame:
    kwb = indeling.to_2023(load_kwb(), _KWB_INDICATORS, by=["jaar"])
    kwb["periode"] = kwb["jaar"].astype(str)
    est = load_establishments()
    est_cols = [c for c in est.columns if c.startswith("vestigingen_")]
    est = indeling.to_2023(est, est_cols)
    est["periode"] = "2020"
    parts = [_long(kwb, _KWB_INDICATORS), _long(est, est_cols)]
    monthly = load_monthly_benefits()  # only in a pack refreshed from CBS (80794ned)
    if monthly is not None:
        cols = ["ww_personen", "bijstand_personen"]
        parts.append(_long(indeling.to_2023(monthly, cols, by=["periode"]), cols))
    return pd.concat(parts, ignore_index=True)


def _denominator_period(periode: str, available: list[str]) -> str | None:
    """Which period's denominator a rate uses: the same period, else (for a month) the
    inhabitants of 1 January of that year, else the latest earlier year available."""
    if periode in available:
        return periode
    years = [p for p in available if len(p) == 4 and p <= periode[:4]]
    return max(years) if years else None


def _rates(counts: pd.DataFrame) -> pd.DataFrame:
    by_ind = {i: g.set_index(["gemeente_code", "periode"])["waarde"] for i, g in counts.groupby("indicator")}
    parts = []
    for ind in INDICATORS.values():
        if ind.kind != "rate" or ind.numerator not in by_ind or ind.denominator not in by_ind:
            continue
        num, den = by_ind[ind.numerator], by_ind[ind.denominator]
        den_periods = sorted(den.index.get_level_values("periode").unique())
        for periode, part in num.groupby(level="periode"):
            den_periode = _denominator_period(periode, den_periods)
            if den_periode is None:
                continue
            d = den.xs(den_periode, level="periode").reindex(part.index.get_level_values("gemeente_code"))
            value = indeling.rate(pd.Series(part.to_numpy(), index=d.index), d, ind.per)
            parts.append(pd.DataFrame({"gemeente_code": value.index, "periode": periode,
                                       "indicator": ind.id, "waarde": value.to_numpy()}).dropna(subset=["waarde"]))
    return pd.concat(parts, ignore_index=True)


@built("indicatoren_basis", datasets=("kwb2019", "kwb2020", "vestigingen2020"))
def base_table() -> pd.DataFrame:
    """Counts and rates per 2023 gemeente and period (long format), converted from the raw KWB."""
    counts = _base_counts()
    return pd.concat([counts, _rates(counts)], ignore_index=True)


def base_values(indicator: str, periode: str) -> pd.Series:
    """Like :func:`values` but from the base table only (for theme providers)."""
    found = _base_index().get((indicator, periode))
    if found is None:
        return pd.Series(dtype=float, name=indicator, index=pd.Index([], name="gemeente_code"))
    return found.rename(indicator)


@pack_memo
def _base_index() -> dict[tuple[str, str], pd.Series]:
    return _by_key(base_table())


def _provider_modules() -> list:
    return [importlib.import_module(p) for p in sorted({i.provider for i in INDICATORS.values() if i.provider})]


#: Live sources that could not be reached at the last read of live indicators: {provider: message}.
UNAVAILABLE: dict[str, str] = {}


def live_token() -> tuple:
    """State of the live sources (the registry): part of the memo key of every live figure."""
    tokens = []
    for module in _provider_modules():
        if hasattr(module, "cache_token"):
            try:
                tokens.append(module.cache_token())
            except SourceUnavailable as exc:
                tokens.append(("unavailable", str(exc)))
    return tuple(tokens)


def token_for(indicator: str) -> tuple:
    """The live state an indicator's figures depend on: ``()`` for pack indicators, so a
    registry write never invalidates what is derived from the pack (the WW map, say)."""
    ind = INDICATORS.get(indicator)
    return live_token() if ind is not None and ind.live else ()


def _by_key(table: pd.DataFrame) -> dict[tuple[str, str], pd.Series]:
    """(indicator, periode) → values per gemeente."""
    return {key: grp.set_index("gemeente_code")["waarde"] for key, grp in table.groupby(["indicator", "periode"])}


_COLUMNS = ["gemeente_code", "indicator", "periode", "waarde"]


@pack_memo
def _pack_table() -> pd.DataFrame:
    """Every indicator derived from the pack: base counts and rates plus the theme providers' rows."""
    parts = [base_table()] + [m.indicator_rows() for m in _provider_modules() if hasattr(m, "indicator_rows")]
    return pd.concat(parts, ignore_index=True)[_COLUMNS]


@pack_memo
def _pack_index() -> dict[tuple[str, str], pd.Series]:
    return _by_key(_pack_table())


@pack_memo(maxsize=2)  # keyed by the live state: only the current one matters
def _live_table(token: tuple) -> pd.DataFrame:
    UNAVAILABLE.clear()
    parts = [pd.DataFrame(columns=_COLUMNS)]
    for module in _provider_modules():
        if hasattr(module, "live_indicator_rows"):
            try:
                parts.append(module.live_indicator_rows()[_COLUMNS])
            except SourceUnavailable as exc:
                UNAVAILABLE[module.__name__] = str(exc)
    return pd.concat(parts, ignore_index=True).astype({"waarde": float})


@pack_memo(maxsize=2)
def _live_index(token: tuple) -> dict[tuple[str, str], pd.Series]:
    return _by_key(_live_table(token))


def indicator_table() -> pd.DataFrame:
    """Every indicator per 2023 gemeente and period (long format): the pack's and the live ones.

    The pack's part is computed once per pack; the live part (the registry) once per registry
    state. A live source that cannot be reached is left out (its indicators then have no values;
    see :data:`UNAVAILABLE`), so one unreachable database does not take down every page.
    """
    table = pd.concat([_pack_table(), _live_table(live_token())], ignore_index=True)
    return table.sort_values(["indicator", "periode", "gemeente_code"]).reset_index(drop=True)


def _index_for(indicator: str) -> dict[tuple[str, str], pd.Series]:
    ind = INDICATORS.get(indicator)
    return _live_index(live_token()) if ind is not None and ind.live else _pack_index()


def periods(indicator: str) -> list[str]:
    return sorted(p for i, p in _index_for(indicator) if i == indicator)


def latest_period(indicator: str) -> str:
    return periods(indicator)[-1]


def values(indicator: str, periode: str | None = None) -> pd.Series:
    """Values of one indicator per gemeente (index ``gemeente_code``); latest period by default."""
    index = _index_for(indicator)
    periode = periode or latest_period(indicator)
    found = index.get((indicator, periode))
    if found is None:
        return pd.Series(dtype=float, name=indicator, index=pd.Index([], name="gemeente_code"))
    return found.rename(indicator)  # a new Series object; the memo's own stays untouched


def national_value(indicator: str, periode: str | None = None) -> float:
    """The Netherlands' value: a sum for counts, the ratio of national sums for rates."""
    periode = periode or latest_period(indicator)
    return _national_value(indicator, periode, token_for(indicator))


@pack_memo(maxsize=512)
def _national_value(indicator: str, periode: str, token: tuple) -> float:
    ind = INDICATORS[indicator]
    if ind.kind == "count":
        return float(values(indicator, periode).sum())
    if ind.provider:
        return float(importlib.import_module(ind.provider).region_values(indicator, "nederland", periode).iloc[0])
    num = values(ind.numerator, periode)
    den = denominator_values(indicator, periode).reindex(num.index)
    return float(num.sum() / den.sum() * ind.per)


def denominator_values(indicator: str, periode: str) -> pd.Series:
    """The denominator of a rate for ``periode`` (a month uses inhabitants of its year)."""
    ind = INDICATORS[indicator]
    den_periode = _denominator_period(periode, periods(ind.denominator))
    if den_periode is None:
        return pd.Series(dtype=float)
    return values(ind.denominator, den_periode)


def rank(indicator: str, code: str, periode: str | None = None) -> int | None:
    """Rank of a gemeente, 1 = highest value; None when it has no value."""
    series = values(indicator, periode)
    if code not in series.index or pd.isna(series[code]):
        return None
    return int(series.rank(ascending=False, method="min")[code])


def rank_and_ties(series: pd.Series, code: str) -> tuple[int | None, int]:
    """Rank of ``code`` in ``series`` (1 = highest; equal values share the lowest rank) and how
    many other gemeenten share it."""
    if code not in series.index or pd.isna(series[code]):
        return None, 0
    clean = series.dropna()
    rank = int(clean.rank(ascending=False, method="min")[code])
    return rank, int((clean == clean[code]).sum()) - 1


def small_count(indicator: str, code: str, periode: str | None = None) -> tuple[float, float] | None:
    """``(count, threshold)`` when the gemeente's figure rests on fewer than the indicator's
    small-count threshold (:attr:`lib.catalog.Indicator.small_count`), else None."""
    ind = INDICATORS.get(indicator)
    if ind is None or ind.small_count is None:
        return None
    count_id, threshold = ind.small_count
    periode = periode or latest_period(indicator)
    counts = values(count_id, periode)
    if not len(counts):
        counts = values(count_id)  # e.g. an index of 2020 resting on the establishments of 2020
    count = counts.get(code)
    return (float(count), float(threshold)) if count is not None and pd.notna(count) and count < threshold else None


def small_flags(indicator: str, periode: str | None = None) -> pd.Series:
    """Per gemeente: True where its figure rests on a small count (see :func:`small_count`)."""
    ind = INDICATORS.get(indicator)
    if ind is None or ind.small_count is None:
        return pd.Series(dtype=bool)
    count_id, threshold = ind.small_count
    periode = periode or latest_period(indicator)
    counts = values(count_id, periode)
    if not len(counts):
        counts = values(count_id)
    return counts < threshold


def source_dataset(indicator: str, periode: str) -> str:
    """The dataset id behind one indicator value (KWB year follows the period)."""
    ind = INDICATORS[indicator]
    if ind.provider and hasattr(importlib.import_module(ind.provider), "dataset_for"):
        return importlib.import_module(ind.provider).dataset_for(indicator)
    ds = ind.dataset
    if ds.startswith("kwb") and "-" in periode and len(periode) == 7:
        return "uitkeringen_maand"  # a month: CBS 80794ned after a refresh
    if ds.startswith("kwb") and f"kwb{periode}" in DATASETS:
        return f"kwb{periode}"
    return ds


def region_values(indicator: str, level: str, periode: str | None = None) -> pd.Series:
    """Values per region (``arbeidsmarktregio`` / ``provincie`` / ``coropgebied``) or per gemeente.

    Counts are summed over the region's gemeenten; rates are recomputed from the
    summed numerator and denominator (never averaged).
    """
    if level == "gemeente":
        return values(indicator, periode)
    return _region_values(indicator, level, periode or latest_period(indicator), token_for(indicator))


@pack_memo(maxsize=256)
def _region_values(indicator: str, level: str, periode: str, token: tuple) -> pd.Series:
    from lib.gemeenten import gemeenten  # local: gemeenten imports loaders only
    region = gemeenten().set_index("gemeente_code")[f"{level}_code"]
    ind = INDICATORS[indicator]
    if ind.provider:
        return importlib.import_module(ind.provider).region_values(indicator, level, periode)

    def summed(v: pd.Series) -> pd.Series:
        return v.groupby(region.reindex(v.index)).sum(min_count=1)

    if ind.kind == "count":
        return summed(values(indicator, periode)).rename(indicator)
    num = summed(values(ind.numerator, periode))
    den = summed(denominator_values(indicator, periode))
    return indeling.rate(num, den.reindex(num.index), ind.per).rename(indicator)
