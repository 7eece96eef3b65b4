"""Refresh the data pack from CBS StatLine with ``cbsodata`` (online only).

    python -m lib.refresh --out /path/to/new-pack [--force]

Builds a new pack directory the loaders can read: the current pack is copied
(boundaries, initiatives and other non-CBS files), then the CBS tables are
downloaded and written in the pack's own file formats:

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


def _download(table_id: str, filters: str | None = None) -> dict:  # pragma: no cover - network
    import cbsodata
    return cbsodata.download_data(table_id, typed=True, filters=filters)


def refresh(out: Path, download=_download) -> list[str]:
    """Copy the current pack to ``out`` and overwrite/add the CBS tables. Returns files written."""
    shutil.copytree(raw_dir(), out, dirs_exist_ok=True)
    written = []
    panel = [parse_kwb(download(t, "substringof('GM', WijkenEnBuurten)"), y) for y, t in KWB_TABLES.items()]
    pd.concat(panel, ignore_index=True).to_csv(out / KWB_FILE, index=False)
    written.append(KWB_FILE)
    monthly = parse_monthly_benefits(download(MONTHLY_TABLE, "substringof('GM', RegioS)"))
    monthly.to_csv(out / MONTHLY_BENEFITS_FILE, index=False)
    written.append(MONTHLY_BENEFITS_FILE)
    est = parse_establishments(download(ESTABLISHMENTS_TABLE, "substringof('GM', RegioS)"))
    est.to_csv(out / SBI_FILE, index=False)
    written.append(SBI_FILE)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lib.refresh", description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, type=Path, help="new pack directory")
    parser.add_argument("--force", action="store_true", help="write into a non-empty directory")
    args = parser.parse_args(argv)
    if args.out.exists() and any(args.out.iterdir()) and not args.force:
        print(f"Fout: {args.out} is niet leeg (gebruik --force).", file=sys.stderr)
        return 2
    try:
        check_online()
        written = refresh(args.out)
    except OfflineError as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # network or format change at CBS: say which, no traceback
        print(f"Fout bij het verversen: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    print("Geschreven:\n  " + "\n  ".join(written) + f"\nGebruik: GEMEENTEN_DATA_DIR={args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
