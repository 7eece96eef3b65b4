"""Initiatieven: density of registered initiatives next to loneliness and volunteering (no Streamlit).

* Density = initiatives in the registry per 10,000 inhabitants (1 January 2020) per 2023
  gemeente; rows with "locatie onbekend" are counted apart, not spread out.
* Loneliness and volunteering of people aged 65+ (Gezondheidsmonitor 2020, 2020 indeling)
  are converted to 2023 as means weighted by the 65+ population (KWB 2020); regions the
  same way. The national values are the source's own NL figures.
* "Blinde vlekken": gemeenten where loneliness among the 65+ is above the national value
  and the registry holds fewer initiatives per 10,000 inhabitants than nationally.
"""
from __future__ import annotations

import threading
import time
from datetime import date

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from lib import indeling, indicators
from lib.config import registry_url
from lib.gemeenten import gemeenten
from lib.gemeenten import names as gemeente_names
from lib.loaders import load_gemeente_context, load_loneliness
from lib.world import built
from lib.errors import SourceUnavailable
from lib import registry as registry_module
from lib.registry import Registry, prepare_url
from lib.texts_nl import t

LONELINESS = {"eenzaam_65plus_pct": "eenzaam_pct", "ernstig_eenzaam_65plus_pct": "ernstig_zeer_ernstig_eenzaam_pct",
              "vrijwilligerswerk_65plus_pct": "vrijwilligerswerk_pct"}
_REGISTRIES: dict[str, Registry] = {}
_REGISTRY_LOCK = threading.Lock()
#: A database found unreachable is not tried again for this many seconds (one attempt per rerun
#: at most, not one per figure): {url: (when, Dutch message)}.
OUTAGE_TTL_S = 5.0
_OUTAGES: dict[str, tuple[float, str]] = {}


def open_registry(url: str | None = None) -> Registry:
    """The one registry object (one engine) per database URL in this process, created and seeded
    on first use; every read and write of the app goes through it. Raises SourceUnavailable when the
    database cannot be reached (remembered for :data:`OUTAGE_TTL_S` seconds)."""
    url = url or registry_url()
    found = _REGISTRIES.get(url)
    if found is not None:
        return found
    _raise_if_recent_outage(url)
    with _REGISTRY_LOCK:  # single-flight: one process-wide creation and seed
        if url not in _REGISTRIES:
            try:
                reg = Registry(sa.create_engine(prepare_url(url), pool_pre_ping=True))
                reg.seed_if_empty()
            except (SQLAlchemyError, OSError) as exc:
                _outage(url, exc)
            _REGISTRIES[url] = reg
    return _REGISTRIES[url]


def _raise_if_recent_outage(url: str) -> None:
    seen = _OUTAGES.get(url)
    if seen and time.monotonic() - seen[0] < OUTAGE_TTL_S:
        raise SourceUnavailable(seen[1])


def _outage(url: str, exc: Exception):
    message = t("reg.db_fout", detail=type(getattr(exc, "orig", exc)).__name__)
    _OUTAGES[url] = (time.monotonic(), message)
    raise SourceUnavailable(message) from None


TOKEN_TTL_S = 1.0
_token_cache: dict[str, tuple[float, int, tuple]] = {}


def cache_token() -> tuple:
    """Changes whenever the registry changes (see lib.indicators.indicator_table).

    One SQL query at most every TOKEN_TTL_S seconds; a write by this process refreshes it
    at once, a write by another process is seen within that second.
    """
    url = registry_url()
    now = time.monotonic()
    cached = _token_cache.get(url)
    if cached and cached[1] == registry_module.WRITES and now - cached[0] < TOKEN_TTL_S:
        return cached[2]
    _raise_if_recent_outage(url)
    try:
        token = (url, *open_registry(url).token())
    except (SQLAlchemyError, OSError) as exc:
        _outage(url, exc)
    _OUTAGES.pop(url, None)
    _token_cache[url] = (now, registry_module.WRITES, token)
    return token


@built("gewichten_65plus", datasets=("kwb2020_kenmerken",))
def _weights_65plus() -> pd.DataFrame:
    """Inhabitants aged 65+ per gemeente (indeling 2020): the weights of the 65+ percentages."""
    return load_gemeente_context()[["gemeente_code", "inwoners_65plus"]]


@built("eenzaamheid_65plus", datasets=("gezondheidsmonitor", "kwb2020_kenmerken"))
def loneliness() -> pd.DataFrame:
    """65+ loneliness and volunteering in 2020 per 2023 gemeente (weighted by 65+ population)."""
    df = load_loneliness()
    df = df[(df["region_type"] == "Gemeente") & (df["jaar"] == 2020) & (df["leeftijd"] == "65+")]
    df = df.merge(_weights_65plus(), on="gemeente_code", how="left")
    out = indeling.weighted_mean(df, list(LONELINESS.values()), "inwoners_65plus")
    return out.rename(columns={v: k for k, v in LONELINESS.items()}).set_index("gemeente_code")


@built("eenzaamheid_65plus_nl", kind="json", datasets=("gezondheidsmonitor",))
def national_loneliness() -> dict[str, float]:
    """The Netherlands' own 65+ figures of the Gezondheidsmonitor 2020."""
    df = load_loneliness()
    nl = df[(df["region_type"] == "Land") & (df["jaar"] == 2020) & (df["leeftijd"] == "65+")].iloc[0]
    return {k: float(nl[v]) for k, v in LONELINESS.items()}


def density(rows: pd.DataFrame) -> pd.DataFrame:
    """Per 2023 gemeente: ``aantal`` (initiatives and offers of help), ``hulpvragen`` (requests for
    help, a need signal counted apart), ``inwoners``, ``per_10k`` and the loneliness columns."""
    g = gemeenten().set_index("gemeente_code")
    request = rows["soort"].eq("hulpvraag") if "soort" in rows else pd.Series(False, index=rows.index)
    counts = rows.loc[~request, "gemeente_code"].dropna().value_counts().reindex(g.index, fill_value=0)
    requests = rows.loc[request, "gemeente_code"].dropna().value_counts().reindex(g.index, fill_value=0)
    out = pd.DataFrame({"gemeente_naam": g["gemeente_naam"], "aantal": counts.astype("Int64"),
                        "hulpvragen": requests.astype("Int64"),
                        "inwoners": indicators.base_values("inwoners", "2020").reindex(g.index).round().astype("Int64")})
    out["per_10k"] = indeling.rate(out["aantal"].astype(float), out["inwoners"].astype(float), per=10_000)
    out = out.join(loneliness())
    out["rang"] = out["per_10k"].rank(ascending=False, method="min").astype("Int64")
    return out


def counted(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows density counts: initiatives and offers of help, not requests for help."""
    return rows[~rows["soort"].eq("hulpvraag")] if "soort" in rows else rows


def national_density(rows: pd.DataFrame) -> float:
    """Initiatives and offers with a known gemeente per 10,000 inhabitants of the Netherlands."""
    return counted(rows)["gemeente_code"].notna().sum() / indicators.national_value("inwoners", "2020") * 10_000


def summary(rows: pd.DataFrame) -> dict:
    """The registry's headline counts: all rows, those density counts, requests, without gemeente,
    and the national density."""
    counted_rows = counted(rows)
    return {"totaal": len(rows), "geteld": len(counted_rows), "vragen": len(rows) - len(counted_rows),
            "onbekend": int(rows["gemeente_code"].isna().sum()), "nl_dichtheid": national_density(rows)}


def registry_view(rows: pd.DataFrame, code: str | None, themes: tuple = (), query: str = "") -> tuple:
    """The registry as the page shows it: ``(rows, table)``. Rows of gemeente ``code`` (all when
    None), of ``themes`` (all when empty) and with ``query`` in the name; the table has Dutch
    headings, gemeente names, only http(s) links, a dash for what is missing and no cell that a
    spreadsheet would run as a formula."""
    from lib.registry import neutralise_formulas
    shown = rows if code is None else rows[rows["gemeente_code"] == code]
    if themes:
        shown = shown[shown["thema"].isin(themes)]
    if query:
        shown = shown[shown["naam"].str.contains(query, case=False, regex=False, na=False)]
    names = gemeente_names()
    website = t("ini.kol.website")
    view = pd.DataFrame({
        t("ini.kol.naam"): shown["naam"], t("ini.kol.thema"): shown["thema"],
        t("ini.kol.gemeente"): shown["gemeente_code"].map(names).fillna(t("ini.toewijzing.onbekend")),
        website: shown["website"].where(shown["website"].fillna("").str.match(r"https?://"), None),
        t("ini.kol.start"): shown["startdatum"], t("ini.kol.bron"): shown["bron"],
        t("ini.kol.peildatum"): shown["peildatum"],
        t("ini.kol.toewijzing"): shown["toewijzing"].map(lambda v: t(f"ini.toewijzing.{v}")),
    })
    text_cols = [c for c in view.columns if c != website]
    view[text_cols] = view[text_cols].astype(object).where(view[text_cols].notna(), "–")  # not "None"
    return shown, neutralise_formulas(view)


def blind_spots(table: pd.DataFrame, rows: pd.DataFrame) -> pd.DataFrame:
    """High loneliness (above NL), few initiatives (below the national density)."""
    nl = national_loneliness()["eenzaam_65plus_pct"]
    sel = table[(table["eenzaam_65plus_pct"] > nl) & (table["per_10k"] < national_density(rows))]
    return sel.sort_values(["eenzaam_65plus_pct", "inwoners"], ascending=[False, False])


# --- export / overview provider (lib.indicators) -----------------------------------------------

def _rows() -> pd.DataFrame:
    url = registry_url()
    try:
        return open_registry(url).rows()
    except (SQLAlchemyError, OSError) as exc:
        _outage(url, exc)


def registry_period(rows: pd.DataFrame) -> str:
    """The period the registry's figures describe: the latest year among its rows' reference
    dates (the scrape date of seed rows, the entry date of rows added since). With only the
    seed that is 2020, the year its sources were scraped."""
    seed_year = pd.to_datetime(rows["peildatum"], errors="coerce").dt.year
    entry_year = pd.to_datetime(rows["aangemaakt"], errors="coerce", utc=True).dt.year
    years = seed_year.where(seed_year.notna(), entry_year)
    return str(int(years.max())) if years.notna().any() else str(date.today().year)


def indicator_rows() -> pd.DataFrame:
    """Loneliness and volunteering (65+, 2020) per 2023 gemeente: from the pack."""
    table = loneliness()
    parts = [pd.DataFrame({"gemeente_code": table.index, "indicator": ind, "periode": "2020",
                           "waarde": table[ind].to_numpy()}) for ind in LONELINESS]
    return pd.concat(parts, ignore_index=True).dropna(subset=["waarde"])


def live_indicator_rows() -> pd.DataFrame:
    """Initiatives in the registry per 2023 gemeente (count and per 10,000 inhabitants): live."""
    rows = _rows()
    table = density(rows)
    periode = registry_period(rows)
    parts = [pd.DataFrame({"gemeente_code": table.index, "indicator": "initiatieven_aantal", "periode": periode,
                           "waarde": table["aantal"].astype(float).to_numpy()}),
             pd.DataFrame({"gemeente_code": table.index, "indicator": "initiatieven_per_10k", "periode": periode,
                           "waarde": table["per_10k"].to_numpy()})]
    return pd.concat(parts, ignore_index=True).dropna(subset=["waarde"])


def region_values(indicator: str, level: str, periode: str) -> pd.Series:
    if level == "nederland":
        if indicator in LONELINESS:
            return pd.Series({"NL": national_loneliness()[indicator]}, name=indicator)
        rows = _rows()
        value = counted(rows)["gemeente_code"].notna().sum() if indicator == "initiatieven_aantal" else national_density(rows)
        return pd.Series({"NL": float(value)}, name=indicator)
    region = gemeenten().set_index("gemeente_code")[f"{level}_code"]
    if indicator in LONELINESS:
        df = loneliness()[[indicator]].join(_weights_65plus().set_index("gemeente_code")).reset_index()
        df["regio"] = df["gemeente_code"].map(region)
        num = (df[indicator] * df["inwoners_65plus"]).groupby(df["regio"]).sum(min_count=1)
        den = df["inwoners_65plus"].where(df[indicator].notna()).groupby(df["regio"]).sum(min_count=1)
        return (num / den).rename(indicator)
    table = density(_rows())
    sums = table[["aantal", "inwoners"]].astype(float).groupby(region.reindex(table.index)).sum(min_count=1)
    if indicator == "initiatieven_aantal":
        return sums["aantal"].rename(indicator)
    return indeling.rate(sums["aantal"], sums["inwoners"], per=10_000).rename(indicator)
