"""The export command: exact columns, national sums, merged gemeenten, CLI."""
from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

from conftest import ROOT
from lib import export, loaders
from lib.catalog import INDICATORS

REQUIRED = {"inwoners", "huishoudens", "ww_personen", "bijstand_personen", "ao_personen",
            "vestigingen_totaal", "vestigingen_a", "vestigingen_bf", "vestigingen_gi",
            "vestigingen_hj", "vestigingen_kl", "vestigingen_mn", "vestigingen_ru"}


@pytest.fixture(scope="module")
def table():
    return export.export_table()


def test_columns_exact(table):
    assert list(table.columns) == ["gemeente_code", "gemeente_naam", "indicator", "periode",
                                   "waarde", "eenheid", "bron"]


def test_required_indicators_and_catalog(table):
    ids = set(table["indicator"])
    assert REQUIRED <= ids
    assert ids <= set(INDICATORS)


def test_one_row_per_gemeente_indicator_period(table):
    assert not table.duplicated(["gemeente_code", "indicator", "periode"]).any()
    assert table["gemeente_code"].nunique() == 342
    assert table["periode"].str.fullmatch(r"\d{4}(-\d{2}|-Q[1-4])?").all()
    assert table["bron"].str.len().gt(10).all() and table["gemeente_naam"].notna().all()


def test_national_sums_2020_equal_pack(table):
    t2020 = table[table["periode"] == "2020"].groupby("indicator")["waarde"].sum()
    assert t2020["inwoners"] == pytest.approx(17_407_585)
    assert t2020["ww_personen"] == pytest.approx(238_780)
    assert t2020["bijstand_personen"] == pytest.approx(421_230)
    assert t2020["vestigingen_totaal"] == pytest.approx(1_720_545)
    pack = loaders.load_kwb().query("jaar == 2020")
    for col in ("huishoudens", "ao_personen"):
        assert t2020[col] == pytest.approx(pack[col].sum())


def test_eemsdelta_2020_equals_its_three_predecessors(table):
    pack = loaders.load_kwb().query("jaar == 2020").set_index("gemeente_code")
    est = loaders.load_establishments().set_index("gemeente_code")
    row = table[(table["gemeente_code"] == "GM1979") & (table["periode"] == "2020")].set_index("indicator")["waarde"]
    old = ["GM0003", "GM0010", "GM0024"]
    assert row["inwoners"] == pack.loc[old, "inwoners"].sum()
    assert row["bijstand_personen"] == pack.loc[old, "bijstand_personen"].sum()
    assert row["vestigingen_gi"] == est.loc[old, "vestigingen_gi"].sum()
    assert row["ww_per_1000"] == pytest.approx(pack.loc[old, "ww_personen"].sum() / pack.loc[old, "inwoners"].sum() * 1000)


def test_cli_writes_csv(tmp_path):
    out = tmp_path / "export.csv"
    proc = subprocess.run([sys.executable, "-m", "lib.export", "--out", str(out)], cwd=ROOT,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    df = pd.read_csv(out, dtype={"periode": str})
    assert df.loc[(df["indicator"] == "inwoners") & (df["periode"] == "2020"), "waarde"].sum() == 17_407_585
