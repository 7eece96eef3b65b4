"""Refresh from CBS: parsing of cbsodata.download_data output (synthetic fixtures), offline stop."""
from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import ROOT
from lib import loaders, refresh

# --- synthetic fixtures in cbsodata.download_data's shape (keys padded as CBS pads them) ---


def kwb_raw(year: int, suffix: int) -> dict:
    """A tiny KWB table: NL, one gemeente, one wijk; measure suffixes differ per edition."""
    props = [{"Key": "WijkenEnBuurten", "Type": "Dimension"},
             {"Key": f"AantalInwoners_{5}", "Type": "Topic"},
             {"Key": f"HuishoudensTotaal_{28}", "Type": "Topic"},
             {"Key": f"PersonenPerSoortUitkeringBijstand_{suffix}", "Type": "Topic"},
             {"Key": f"PersonenPerSoortUitkeringAO_{suffix + 1}", "Type": "Topic"},
             {"Key": f"PersonenPerSoortUitkeringWW_{suffix + 2}", "Type": "Topic"},
             {"Key": f"PersonenPerSoortUitkeringAOW_{suffix + 3}", "Type": "Topic"},
             {"Key": "OppervlakteLand_112", "Type": "Topic"}]
    def row(key, inw, ww):
        return {"ID": 0, "WijkenEnBuurten": key, "AantalInwoners_5": inw, "HuishoudensTotaal_28": inw // 2,
                f"PersonenPerSoortUitkeringBijstand_{suffix}": 10, f"PersonenPerSoortUitkeringAO_{suffix + 1}": 20,
                f"PersonenPerSoortUitkeringWW_{suffix + 2}": ww, f"PersonenPerSoortUitkeringAOW_{suffix + 3}": 30,
                "OppervlakteLand_112": 1000}
    return {
        "DataProperties": props,
        "WijkenEnBuurten": [{"Key": "NL00      ", "Title": "Nederland"},
                            {"Key": "GM0363    ", "Title": "Amsterdam"},
                            {"Key": "WK036300  ", "Title": "Burgwallen-Oude Zijde"}],
        "TypedDataSet": [row("NL00      ", 17_000_000, 200_000), row("GM0363    ", 870_000 + year, 15_000),
                         row("WK036300  ", 9000, 100)],
    }


def monthly_raw() -> dict:
    props = [{"Key": "RegioS", "Type": "GeoDimension"}, {"Key": "Perioden", "Type": "TimeDimension"},
             {"Key": "UitkeringsontvangersTotaal_1", "Type": "Topic"},
             {"Key": "Werkloosheid_4", "Type": "Topic"}, {"Key": "BijstandTotDeAOWLeeftijd_7", "Type": "Topic"}]
    rows = []
    for region in ("NL01  ", "GM0363", "GM0003"):
        for period, ww in (("2020MM02", 100), ("2020MM03", 142), ("2020JJ00", 999)):
            rows.append({"RegioS": region, "Perioden": period, "UitkeringsontvangersTotaal_1": 1,
                         "Werkloosheid_4": ww, "BijstandTotDeAOWLeeftijd_7": 50})
    return {"DataProperties": props, "TypedDataSet": rows,
            "RegioS": [{"Key": "GM0363", "Title": "Amsterdam"}, {"Key": "GM0003", "Title": "Appingedam"}]}


def est_raw() -> dict:
    return {
        "DataProperties": [{"Key": "BedrijfstakkenBranchesSBI2008", "Type": "Dimension"},
                           {"Key": "Vestigingen_1", "Type": "Topic"}],
        "BedrijfstakkenBranchesSBI2008": [{"Key": "T001081", "Title": "A-U Alle economische activiteiten"},
                                          {"Key": "354200 ", "Title": "I Horeca"}],
        "TypedDataSet": [{"RegioS": "GM0363  ", "Perioden": "2020JJ00", "BedrijfstakkenBranchesSBI2008": "354200 ",
                          "Vestigingen_1": 7600},
                         {"RegioS": "NL01    ", "Perioden": "2020JJ00", "BedrijfstakkenBranchesSBI2008": "354200 ",
                          "Vestigingen_1": 68700}],
    }


def test_find_measure_distinguishes_ao_and_aow():
    props = kwb_raw(2022, 83)["DataProperties"]
    assert refresh.find_measure(props, "PersonenPerSoortUitkeringAO") == "PersonenPerSoortUitkeringAO_84"
    assert refresh.find_measure(props, "PersonenPerSoortUitkeringAOW") == "PersonenPerSoortUitkeringAOW_86"
    assert refresh.find_measure(props, "Bestaatniet") is None


def test_parse_kwb_keeps_codes_and_names():
    df = refresh.parse_kwb(kwb_raw(2022, 83), 2022)
    assert df["gemeente_code"].tolist() == ["GM0363"]  # NL and wijk rows dropped
    row = df.iloc[0]
    assert row["gemeente_naam"] == "Amsterdam" and row["ww_personen"] == 15_000
    assert row["inwoners"] == 872_022 and row["ao_personen"] == 20 and row["aow_personen"] == 30


def test_parse_monthly_benefits():
    df = refresh.parse_monthly_benefits(monthly_raw())
    assert set(df["gemeente_code"]) == {"GM0363", "GM0003"}
    assert sorted(df["periode"].unique()) == ["2020-02", "2020-03"]  # year rows dropped
    assert df.set_index(["gemeente_code", "periode"]).loc[("GM0363", "2020-03"), "ww_personen"] == 142


def test_parse_establishments_sbi_letter():
    df = refresh.parse_establishments(est_raw())
    assert df.to_dict("records") == [{"gemeente_code": "GM0363", "periode": "2020", "sbi": "I",
                                      "sbi_naam": "I Horeca", "vestigingen": 7600}]


def test_refresh_writes_a_pack_the_loaders_read(tmp_path, monkeypatch):
    suffix = {"84583NED": 74, "84799NED": 74, "85039NED": 80, "85318NED": 83}
    raws = {**{t: kwb_raw(y, suffix[t]) for y, t in refresh.KWB_TABLES.items()},
            refresh.MONTHLY_TABLE: monthly_raw(), refresh.ESTABLISHMENTS_TABLE: est_raw()}
    out = tmp_path / "newpack"
    reports = refresh.refresh(out, download=lambda table, filters: raws[table])
    assert all(r.status == "ok" and r.attempts == 1 for r in reports)
    assert refresh.KWB_FILE in [r.file for r in reports]
    monkeypatch.setenv("GEMEENTEN_RAW_DIR", str(out))  # a refresh writes raw sources for the build
    kwb = loaders.load_kwb()
    assert sorted(kwb["jaar"].unique()) == [2019, 2020, 2021, 2022]
    monthly = loaders.load_monthly_benefits()
    assert monthly is not None and len(monthly) == 4
    assert (out / "geo" / "gemeente_2023.geojson").is_file()  # non-CBS files carried over


def test_partial_failure_replaces_nothing_and_reports_per_table(tmp_path):
    suffix = {"84583NED": 74, "84799NED": 74, "85039NED": 80, "85318NED": 83}
    raws = {**{t: kwb_raw(y, suffix[t]) for y, t in refresh.KWB_TABLES.items()},
            refresh.ESTABLISHMENTS_TABLE: est_raw()}
    calls, waits = [], []

    def flaky(table, filters):
        calls.append(table)
        if table == refresh.MONTHLY_TABLE:  # CBS's OData down for this table
            raise ConnectionError("503 Service Unavailable")
        if table == "84583NED" and calls.count(table) == 1:  # one hiccup, then fine
            raise TimeoutError("read timed out")
        return raws[table]

    out = tmp_path / "raw"
    out.mkdir()
    (out / "oud.txt").write_text("vorige verversing")
    with pytest.raises(refresh.RefreshError) as info:
        refresh.refresh(out, download=flaky, attempts=3, backoff=1.0, sleep=waits.append)
    assert (out / "oud.txt").read_text() == "vorige verversing" and len(list(out.iterdir())) == 1
    assert not (tmp_path / "raw.deels").exists()
    by_table = {r.table: r for r in info.value.reports}
    assert by_table[refresh.MONTHLY_TABLE].status == "mislukt" and by_table[refresh.MONTHLY_TABLE].attempts == 3
    assert "503" in by_table[refresh.MONTHLY_TABLE].line()
    assert by_table["84583NED"].status == "ok" and by_table["84583NED"].attempts == 2
    assert waits == [1.0, 1.0, 2.0]  # backoff doubles per table: 84583NED once, 80794ned twice
    assert "niets vervangen" in str(info.value)


def test_monthly_benefits_absent_in_offline_pack():
    assert loaders.load_monthly_benefits() is None


def test_cli_offline_stops_at_once(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "lib.refresh", "--out", str(tmp_path / "p")], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert "niet bereikbaar" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.live
def test_live_kwb_2020_from_cbs():
    raw = refresh._download("84799NED", "WijkenEnBuurten eq 'GM0363    '")
    df = refresh.parse_kwb(raw, 2020)
    assert df.loc[0, "gemeente_code"] == "GM0363" and df.loc[0, "inwoners"] > 800_000
