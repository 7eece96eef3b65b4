"""Export every figure the app shows as one tidy CSV on the 2023 indeling.

    python -m lib.export --out gemeenten.csv

Columns (exactly): gemeente_code, gemeente_naam, indicator, periode, waarde,
eenheid, bron. ``periode`` is ``2020`` for a year, ``2020-03`` for a month and
``2020-Q1`` for a quarter. Indicator ids are listed in :data:`lib.catalog.INDICATORS`.
"""
from __future__ import annotations

import argparse
import sys

import pandas as pd

from lib.catalog import DATASETS, INDICATORS
from lib.errors import DataPackError
from lib.gemeenten import names
from lib import indicators
from lib.indicators import indicator_table, source_dataset

COLUMNS = ["gemeente_code", "gemeente_naam", "indicator", "periode", "waarde", "eenheid", "bron"]


def _bron(dataset_id: str) -> str:
    d = DATASETS[dataset_id]
    return f"{d.attribution} ({d.licence}); {d.reference_date}"


def export_table() -> pd.DataFrame:
    """The export as a DataFrame with :data:`COLUMNS`, one row per gemeente, indicator, period."""
    table = indicator_table()
    table["gemeente_naam"] = table["gemeente_code"].map(names())
    table["eenheid"] = table["indicator"].map(lambda i: INDICATORS[i].unit)
    pairs = table[["indicator", "periode"]].drop_duplicates()
    bron = {(i, p): _bron(source_dataset(i, p)) for i, p in pairs.itertuples(index=False)}
    table["bron"] = [bron[(i, p)] for i, p in zip(table["indicator"], table["periode"])]
    return table[COLUMNS].sort_values(["gemeente_code", "indicator", "periode"]).reset_index(drop=True)


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """CSV as written by the command: UTF-8, '.' decimals, up to 10 significant digits."""
    return df.to_csv(index=False, float_format="%.10g").encode("utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lib.export", description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, help="CSV file to write")
    args = parser.parse_args(argv)
    try:
        df = export_table()
    except DataPackError as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return 2
    for message in indicators.UNAVAILABLE.values():
        print(f"Let op: {message}", file=sys.stderr)
    with open(args.out, "wb") as fh:
        fh.write(to_csv_bytes(df))
    print(f"{len(df)} rijen, {df['indicator'].nunique()} indicatoren, "
          f"{df['gemeente_code'].nunique()} gemeenten geschreven naar {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
