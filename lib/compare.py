"""Gemeenten side by side: every theme's headline figures for 2–6 gemeenten and the Netherlands.

No Streamlit. The figures are the report's (:data:`lib.catalog.RAPPORT` per theme), read from
:mod:`lib.indicators` like the map, the profile and the export, so a figure here is the figure
everywhere. The selection travels in the URL as ``?vergelijk=GM0363,GM0599`` (:func:`parse`).
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from lib import indicators, profile
from lib.catalog import INDICATORS, RAPPORT, THEMES, shown_in
from lib.gemeenten import gemeenten, normalise_code
from lib.gemeenten import names as gemeente_names
from lib.texts_nl import fmt_indicator, indicator_label, t

MIN, MAX = 2, 6
#: The indicators compared, theme by theme (the report's headline figures).
ROWS = [(theme, ind) for theme in THEMES for ind in shown_in(RAPPORT, theme)]


@dataclass(frozen=True)
class Selection:
    codes: list[str]
    notes: list[str]  # Dutch sentences about what was left out


def parse(text: str | None) -> Selection:
    """Codes from ``?vergelijk=``: comma-separated, normalised, known, distinct, at most :data:`MAX`."""
    known = set(gemeenten()["gemeente_code"])
    codes, notes = [], []
    for part in (text or "").split(","):
        if not part.strip():
            continue
        code = normalise_code(part)
        if code is None or code not in known:
            notes.append(t("vgl.onbekend", code=part.strip()[:20]))
        elif code not in codes:
            codes.append(code)
    if len(codes) > MAX:
        notes.append(t("vgl.te_veel", max=MAX, n=len(codes)))
        codes = codes[:MAX]
    return Selection(codes, notes)


def similar_set(code: str) -> list[str]:
    """The gemeente and its most similar ones (the overview's "vergelijkbare gemeenten")."""
    return [code, *profile.similar_gemeenten(code, n=MAX - 1)["gemeente_code"]]


def region_set(code: str) -> list[str]:
    """The gemeente and the largest others of its arbeidsmarktregio (by inhabitants), up to :data:`MAX`."""
    g = gemeenten()
    amr = g.loc[g["gemeente_code"] == code, "arbeidsmarktregio_code"].iloc[0]
    members = g.loc[g["arbeidsmarktregio_code"] == amr, "gemeente_code"]
    inhabitants = indicators.values("inwoners").reindex(members)
    others = inhabitants.drop(code, errors="ignore").sort_values(ascending=False).index
    return [code, *others[: MAX - 1]]


def table(codes: list[str]) -> pd.DataFrame:
    """One row per (theme, indicator): ``thema``, ``indicator``, ``periode``, ``eenheid``, one column
    per code (the value, NaN when the pack has none) and ``NL``."""
    rows = []
    for theme, ind in ROWS:
        periods = indicators.periods(ind)
        if not periods:  # a live source that is unreachable: the page says so
            continue
        periode = periods[-1]
        vals = indicators.values(ind, periode)
        rows.append({"thema": theme, "indicator": ind, "periode": periode, "eenheid": INDICATORS[ind].unit,
                     **{c: (float(vals[c]) if c in vals.index and pd.notna(vals[c]) else float("nan")) for c in codes},
                     "NL": indicators.national_value(ind, periode)})
    return pd.DataFrame(rows)


def shown(tab: pd.DataFrame, codes: list[str]) -> pd.DataFrame:
    """The table as the page shows it: Dutch labels and formatted values ("–" when missing)."""
    names = gemeente_names()
    out = pd.DataFrame({
        t("vgl.kol.thema"): tab["thema"].map(lambda th: t(f"rapport.thema.{th}")),
        t("vgl.kol.indicator"): [f"{indicator_label(i)} ({p})" for i, p in zip(tab["indicator"], tab["periode"])],
    })
    for col in [*codes, "NL"]:
        out[names.get(col, t("vgl.nederland"))] = [fmt_indicator(v, i) for v, i in zip(tab[col], tab["indicator"])]
    return out


def download(tab: pd.DataFrame, codes: list[str]) -> pd.DataFrame:
    """The table for a download: names as columns, numbers as numbers."""
    names = gemeente_names()
    out = tab.rename(columns={c: f"{names[c]} ({c})" for c in codes} | {"NL": t("vgl.nederland")})
    out["indicator"] = [indicator_label(i) for i in tab["indicator"]]
    out["thema"] = [t(f"rapport.thema.{th}") for th in tab["thema"]]
    return out


def long(tab: pd.DataFrame, codes: list[str]) -> pd.DataFrame:
    """Rows (indicator, gebied, waarde) for the small charts; the Netherlands included."""
    names = gemeente_names()
    parts = []
    for _, r in tab.iterrows():
        for col in [*codes, "NL"]:
            parts.append({"indicator": r["indicator"], "code": col, "gebied": names.get(col, t("vgl.nederland")),
                          "waarde": r[col], "tekst": fmt_indicator(r[col], r["indicator"])})
    return pd.DataFrame(parts)
