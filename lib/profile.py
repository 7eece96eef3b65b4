"""The profile of one gemeente on the overview page: key figures and similar gemeenten."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from lib import indeling, indicators
from lib.catalog import INDICATORS, PROFIEL, shown_in
from lib.texts_nl import fmt_rank, fmt_small
from lib.gemeenten import gemeenten
from lib.loaders import load_gemeente_context
from lib.pack import pack_memo
from lib.world import built

#: Key figures of the profile, in order (indicator ids).
KEY_FIGURES = shown_in(PROFIEL)


@dataclass(frozen=True)
class KeyFigure:
    indicator: str
    periode: str
    value: float | None
    national: float
    rank: int | None
    total: int  # gemeenten with a value
    ties: int = 0  # other gemeenten sharing the rank
    small: tuple[float, float] | None = None  # (count, threshold) when resting on a small count

    @property
    def rank_text(self) -> str:
        return fmt_rank(self.rank, self.total, self.ties)

    @property
    def small_text(self) -> str:
        spec = INDICATORS[self.indicator].small_count
        return fmt_small(self.small, spec[0]) if spec else ""


def key_figures(code: str, ids: list[str] | None = None) -> list[KeyFigure]:
    out = []
    for ind in ids or KEY_FIGURES:
        if not indicators.periods(ind):  # e.g. the registry is unreachable
            out.append(KeyFigure(ind, "–", None, float("nan"), None, 0))
            continue
        periode = indicators.latest_period(ind)
        vals = indicators.values(ind, periode)
        value = float(vals[code]) if code in vals.index and pd.notna(vals[code]) else None
        rank, ties = indicators.rank_and_ties(vals, code)
        out.append(KeyFigure(ind, periode, value, indicators.national_value(ind, periode), rank,
                             int(vals.notna().sum()), ties, indicators.small_count(ind, code, periode)))
    return out


@built("stedelijkheid", datasets=("kwb2020_kenmerken",))
def urbanity() -> pd.DataFrame:
    """Inhabitants (1 Jan 2020) and address density per 2023 gemeente.

    Address density (omgevingsadressendichtheid) of merged gemeenten is the
    inhabitant-weighted mean of the parts, an approximation.
    """
    ctx = load_gemeente_context()
    counts = indeling.to_2023(ctx, ["inwoners"])
    dens = indeling.weighted_mean(ctx, ["omgevingsadressendichtheid"], "inwoners")
    return counts.merge(dens, on="gemeente_code")


@pack_memo
def _standardised() -> tuple[pd.DataFrame, pd.DataFrame]:
    df = urbanity().dropna()
    feats = np.log(df[["inwoners", "omgevingsadressendichtheid"]].clip(lower=1))
    z = (feats - feats.mean()) / feats.std()
    z.index = df["gemeente_code"]
    return df, z


def similar_gemeenten(code: str, n: int = 5) -> pd.DataFrame:
    """The ``n`` gemeenten nearest in log(inhabitants) and log(address density), standardised.

    Columns: ``gemeente_code``, ``gemeente_naam``, ``inwoners``, ``omgevingsadressendichtheid``,
    ``afstand`` (distance in standard deviations).
    """
    df, z = _standardised()
    if code not in z.index:
        return df.iloc[0:0].assign(gemeente_naam=[], afstand=[])
    dist = np.sqrt(((z - z.loc[code]) ** 2).sum(axis=1)).drop(code).nsmallest(n)
    out = df.set_index("gemeente_code").loc[dist.index].reset_index()
    out["afstand"] = dist.to_numpy()
    names = gemeenten().set_index("gemeente_code")["gemeente_naam"]
    out["gemeente_naam"] = out["gemeente_code"].map(names)
    return out[["gemeente_code", "gemeente_naam", "inwoners", "omgevingsadressendichtheid", "afstand"]]
