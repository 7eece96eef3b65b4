"""Refresh the raw sources from CBS StatLine with ``cbsodata`` (online only), then build.

    python -m lib.refresh --out /path/to/new-raw [--force] [--build data/pack]

Writes a new raw directory for the build pipeline (``python -m lib.build --raw``): the
current raw sources are copied (boundaries, initiatives and other non-CBS files), then the
CBS tables are downloaded, each with a timeout and retries with backoff, and written in the
raw sources' own file formats (a report per table says how each fared):

* KWB 2019-2022 (84583NED, 84799NED, 85039NED, 85318NED) → ``kwb/kwb_gemeenten_panel_clean.csv``
* persons with benefits per gemeente per month (80794ned) → ``unemployment/uitkeringen_gemeente_maand_80794ned.csv``
* establishments per SBI section per gemeente (81575NED) → ``business/vestigingen_sbi_gemeente_81575ned.csv``

``cbsodata.get_data`` replaces dimension keys by titles (GM0363 → "Amsterdam");
this module uses ``cbsodata.download_data`` instead, whose raw ``TypedDataSet``
keeps the keys, and takes names from the dimension metadata. Column suffixes
differ per KWB edition (``..WW_76`` / ``..WW_85``), so columns are found by
prefix in ``DataProperties``.
"""
from __future__ import annotations

import argparse
import shutil
import socket
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from lib.config import raw_dir
from lib.loaders import MONTHLY_BENEFITS_FILE, SBI_ESTABLISHMENTS_FILE

CBS_HOST = "opendata.cbs.nl"
KWB_TABLES = {2019: "84583NED", 2020: "84799NED", 2021: "85039NED", 2022: "85318NED"}
MONTHLY_TABLE = "80794ned"
ESTABLISHMENTS_TABLE = "81575NED"
KWB_FILE = "kwb/kwb_gemeenten_panel_clean.csv"
SBI_FILE = SBI_ESTABLISHMENTS_FILE

# KWB measure prefixes → pack column names.
KWB_MEASURES = {
    "AantalInwoners": "inwoners",
    "HuishoudensTotaal": "huishoudens",
    "PersonenPerSoortUitkeringWW": "ww_personen",
    "PersonenPerSoortUitkeringBijstand": "bijstand_personen",
    "PersonenPerSoortUitkeringAOW": "aow_personen",
    "PersonenPerSoortUitkeringAO": "ao_personen",
    "OppervlakteLand": "opp_land_ha",
}
MONTHLY_MEASURES = {"Werkloosheid": "ww_personen", "BijstandTotDeAOWLeeftijd": "bijstand_personen"}


class OfflineError(RuntimeError):
    pass


def check_online(host: str = CBS_HOST, timeout: float = 3.0) -> None:
    """Fail at once, with a clear message, when CBS cannot be reached."""
    try:
        socket.create_connection((host, 443), timeout=timeout).close()
    except OSError as exc:
        raise OfflineError(
            f"CBS ({host}) is niet bereikbaar: {exc}. Verversen kan alleen met internet; "
            "de app werkt verder met het huidige datapakket."
        ) from None


def find_measure(properties: list[dict], prefix: str) -> str | None:
    """The measure key in DataProperties that is ``prefix`` plus a ``_NN`` suffix."""
    for prop in properties:
        key = prop.get("Key") or ""
        if prop.get("Type") in (None, "Topic") and key.rsplit("_", 1)[0] == prefix:
            return key
    return None


def _titles(raw: dict, dimension: str) -> dict[str, str]:
    return {r["Key"].strip(): r["Title"].strip() for r in raw.get(dimension, [])}


def parse_kwb(raw: dict, year: int) -> pd.DataFrame:
    """Gemeente rows of one KWB table (download_data output) → pack panel rows."""
    props = raw["DataProperties"]
    names = _titles(raw, "WijkenEnBuurten")
    rows = pd.DataFrame(raw["TypedDataSet"])
    rows["gemeente_code"] = rows["WijkenEnBuurten"].str.strip()
    rows = rows[rows["gemeente_code"].str.fullmatch(r"GM\d{4}")].copy()
    out = pd.DataFrame({"jaar": year, "gemeente_code": rows["gemeente_code"],
                        "gemeente_naam": rows["gemeente_code"].map(names)})
    for prefix, col in KWB_MEASURES.items():
        key = find_measure(props, prefix)
        out[col] = pd.to_numeric(rows[key], errors="coerce") if key in rows else pd.NA
    out["bron_tabel"] = f"KWB {year} ({KWB_TABLES.get(year, '?')}, CBS StatLine)"
    return out.reset_index(drop=True)


def parse_monthly_benefits(raw: dict) -> pd.DataFrame:
    """80794ned rows (download_data output) → gemeente_code, periode (YYYY-MM), WW, bijstand."""
    props = raw["DataProperties"]
    rows = pd.DataFrame(raw["TypedDataSet"])
    rows["gemeente_code"] = rows["RegioS"].str.strip()
    rows["perioden"] = rows["Perioden"].str.strip()
    rows = rows[rows["gemeente_code"].str.fullmatch(r"GM\d{4}") & rows["perioden"].str.contains("MM")]
    out = pd.DataFrame({"gemeente_code": rows["gemeente_code"],
                        "periode": rows["perioden"].str[:4] + "-" + rows["perioden"].str[-2:]})
    for prefix, col in MONTHLY_MEASURES.items():
        key = find_measure(props, prefix)
        if key is None:
            raise KeyError(f"{MONTHLY_TABLE}: no measure {prefix}_NN in DataProperties")
        out[col] = pd.to_numeric(rows[key], errors="coerce")
    return out.sort_values(["gemeente_code", "periode"]).reset_index(drop=True)


def parse_establishments(raw: dict) -> pd.DataFrame:
    """81575NED rows → gemeente_code, periode (year), sbi (section letter(s)), sbi_naam, vestigingen."""
    sbi_titles = _titles(raw, "BedrijfstakkenBranchesSBI2008")
    rows = pd.DataFrame(raw["TypedDataSet"])
    rows["gemeente_code"] = rows["RegioS"].str.strip()
    rows = rows[rows["gemeente_code"].str.fullmatch(r"GM\d{4}")]
    measure = next(p["Key"] for p in raw["DataProperties"] if p.get("Type") == "Topic")
    title = rows["BedrijfstakkenBranchesSBI2008"].str.strip().map(sbi_titles)
    return pd.DataFrame({
        "gemeente_code": rows["gemeente_code"], "periode": rows["Perioden"].str.strip().str[:4],
        "sbi": title.str.split(" ", n=1).str[0], "sbi_naam": title,
        "vestigingen": pd.to_numeric(rows[measure], errors="coerce"),
    }).reset_index(drop=True)


#: Per request: seconds before a silent CBS server counts as down; attempts; first backoff (doubles).
TIMEOUT_S, ATTEMPTS, BACKOFF_S = 60.0, 4, 5.0


def _download(table_id: str, filters: str | None = None) -> dict:  # pragma: no cover - network
    import cbsodata
    previous = socket.getdefaulttimeout()
    socket.setdefaulttimeout(TIMEOUT_S)  # cbsodata's requests (urllib3) honour the default socket timeout
    try:
        return cbsodata.download_data(table_id, typed=True, filters=filters)
    finally:
        socket.setdefaulttimeout(previous)


@dataclass
class TableReport:
    """How one CBS table fared: ``ok`` or ``mislukt``, rows written, attempts, the last error."""
    table: str
    file: str
    status: str = "mislukt"
    rows: int = 0
    attempts: int = 0
    error: str = ""

    def line(self) -> str:
        if self.status == "ok":
            return f"  ok       {self.table:<10} {self.rows:>7} rijen  → {self.file} ({self.attempts} poging(en))"
        return f"  MISLUKT  {self.table:<10} na {self.attempts} poging(en): {self.error}"


def with_retries(call, report: TableReport, attempts: int = ATTEMPTS, backoff: float = BACKOFF_S,
                 sleep=time.sleep):
    """``call()`` with up to ``attempts`` tries and exponential backoff; the report says how it went."""
    for attempt in range(1, attempts + 1):
        report.attempts = attempt
        try:
            return call()
        except Exception as exc:  # network errors, HTTP 5xx, a changed table: all retried, then reported
            report.error = f"{type(exc).__name__}: {str(exc)[:160]}"
            if attempt < attempts:
                sleep(backoff * 2 ** (attempt - 1))
    return None


def refresh(out: Path, download=_download, attempts: int = ATTEMPTS, backoff: float = BACKOFF_S,
            sleep=time.sleep) -> list[TableReport]:
    """Write a new raw directory ``out``: the current raw sources plus every CBS table downloaded anew.

    Everything is written to ``out`` only when every table arrived: the download goes to a staging
    directory first, so a partial failure (CBS's OData v3 has had outages of days) leaves ``out``
    and the pack as they were. Returns one report per table; raises RefreshError when one failed.
    """
    out = Path(out)
    staging = out.with_name(out.name + ".deels")
    shutil.rmtree(staging, ignore_errors=True)
    shutil.copytree(raw_dir(), staging)
    reports: list[TableReport] = []

    def fetch(table: str, filters: str, file: str, parse) -> pd.DataFrame | None:
        report = TableReport(table, file)
        reports.append(report)
        raw = with_retries(lambda: download(table, filters), report, attempts, backoff, sleep)
        if raw is None:
            return None
        try:
            df = parse(raw)
        except Exception as exc:  # the table's shape changed at CBS
            report.error = f"onverwachte vorm: {type(exc).__name__}: {str(exc)[:160]}"
            return None
        report.status, report.rows = "ok", len(df)
        return df

    try:
        panel = [fetch(t, "substringof('GM', WijkenEnBuurten)", KWB_FILE, lambda raw, y=y: parse_kwb(raw, y))
                 for y, t in KWB_TABLES.items()]
        monthly = fetch(MONTHLY_TABLE, "substringof('GM', RegioS)", MONTHLY_BENEFITS_FILE, parse_monthly_benefits)
        est = fetch(ESTABLISHMENTS_TABLE, "substringof('GM', RegioS)", SBI_FILE, parse_establishments)
        if any(r.status != "ok" for r in reports):
            raise RefreshError(reports)
        pd.concat(panel, ignore_index=True).to_csv(staging / KWB_FILE, index=False)
        monthly.to_csv(staging / MONTHLY_BENEFITS_FILE, index=False)
        est.to_csv(staging / SBI_FILE, index=False)
        if out.exists():
            shutil.rmtree(out)
        staging.rename(out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return reports


class RefreshError(RuntimeError):
    """One or more CBS tables could not be fetched; nothing was replaced."""

    def __init__(self, reports: list[TableReport]):
        self.reports = reports
        failed = [r.table for r in reports if r.status != "ok"]
        super().__init__(f"{len(failed)} van de {len(reports)} CBS-tabellen niet opgehaald ({', '.join(failed)}); "
                         "er is niets vervangen: de app werkt verder met het huidige datapakket.")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lib.refresh", description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, type=Path, help="new raw directory (the build's --raw)")
    parser.add_argument("--force", action="store_true", help="replace a non-empty directory")
    parser.add_argument("--build", type=Path, default=None, metavar="PACK",
                        help="then build the app-ready pack from it (e.g. data/pack)")
    args = parser.parse_args(argv)
    if args.out.exists() and any(args.out.iterdir()) and not args.force:
        print(f"Fout: {args.out} is niet leeg (gebruik --force).", file=sys.stderr)
        return 2
    try:
        check_online()
        reports = refresh(args.out)
    except OfflineError as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return 2
    except RefreshError as exc:
        print("Per tabel:\n" + "\n".join(r.line() for r in exc.reports), file=sys.stderr)
        print(f"Fout: {exc}", file=sys.stderr)
        return 1
    print("Per tabel:\n" + "\n".join(r.line() for r in reports))
    if args.build is None:
        print(f"Bouw het pakket: python -m lib.build --raw {args.out} --out data/pack")
        return 0
    from lib import build
    return build.main(["--raw", str(args.out), "--out", str(args.build)])


if __name__ == "__main__":
    sys.exit(main())
