"""Werkloosheid: rates after merging, region aggregation, change/index, monthly (fixture) mode, page."""
from __future__ import annotations

import html

import pandas as pd
import pytest

from apptest_helpers import run_app, texts
from lib import export, indicators, loaders, unemployment
from lib.gemeenten import gemeenten
from lib.loaders import MONTHLY_BENEFITS_FILE
from lib.texts_nl import fmt_number

MONTHS = ["2020-01", "2020-02", "2020-03", "2020-04"]
# Synthetic fixture (not CBS figures): 2020-indeling codes, so Eemsdelta's parts get merged.
FIXTURE_CODES = {"GM0363": 10000, "GM0003": 100, "GM0010": 200, "GM0024": 50, "GM0088": 10, "GM0014": 3000}


def monthly_fixture_csv() -> str:
    rows = ["gemeente_code,periode,ww_personen,bijstand_personen"]
    for code, base in FIXTURE_CODES.items():
        for i, month in enumerate(MONTHS):
            ww = base * (1.42 if month >= "2020-03" else 1.0) + i
            rows.append(f"{code},{month},{ww:.0f},{base * 2}")
    return "\n".join(rows) + "\n"


@pytest.fixture
def monthly_pack(built_pack):
    """An app-ready pack built from the raw sources plus the synthetic monthly file (as after a refresh)."""
    return built_pack("maanden", {MONTHLY_BENEFITS_FILE: monthly_fixture_csv()})


def test_rate_per_1000_recomputed_after_merge_eemsdelta():
    kwb = loaders.load_kwb().query("jaar == 2020").set_index("gemeente_code")
    parts = kwb.loc[["GM0003", "GM0010", "GM0024"]]
    expected = parts["bijstand_personen"].sum() / parts["inwoners"].sum() * 1000
    assert indicators.values("bijstand_per_1000", "2020")["GM1979"] == pytest.approx(expected)
    # not the mean of the three rates
    assert expected != pytest.approx((parts["bijstand_personen"] / parts["inwoners"] * 1000).mean())


def test_region_aggregation_equals_sum_of_its_gemeenten():
    g = gemeenten().set_index("gemeente_code")
    members = g.index[g["arbeidsmarktregio_code"] == "AM01"]
    ww = indicators.values("ww_personen", "2020").reindex(members)
    inw = indicators.values("inwoners", "2020").reindex(members)
    assert indicators.region_values("ww_personen", "arbeidsmarktregio", "2020")["AM01"] == ww.sum()
    assert indicators.region_values("ww_per_1000", "arbeidsmarktregio", "2020")["AM01"] == pytest.approx(
        ww.sum() / inw.sum() * 1000)
    total = indicators.region_values("inwoners", "provincie", "2020").sum()
    assert total == 17_407_585


def test_change_and_index_small_cases():
    assert unemployment.change(10.0, 12.5) == (2.5, 25.0)
    absolute, pct = unemployment.change(0.0, 3.0)
    assert absolute == 3.0 and pd.isna(pct)
    s = pd.Series([50.0, 100.0, 142.0], index=["2020-01", "2020-02", "2020-03"])
    assert unemployment.index_series(s, "2020-02").tolist() == [50.0, 100.0, 142.0]
    with pytest.raises(ValueError):
        unemployment.index_series(s, "2019-12")
    with pytest.raises(ValueError):
        unemployment.index_series(pd.Series([0.0], index=["x"]), "x")


def test_compare_ranks_and_region():
    cmp = unemployment.compare("GM0363", "ww_per_1000", "2020")
    assert cmp.total == 342 and 1 <= cmp.rank <= 342
    assert cmp.total_region == 8 and 1 <= cmp.rank_region <= 8  # Groot Amsterdam
    assert cmp.nederland == pytest.approx(238_780 / 17_407_585 * 1000)


def test_offline_pack_has_no_months():
    assert not unemployment.has_monthly()
    assert unemployment.measure_periods("ww_per_1000") == ["2019", "2020"]


def test_monthly_fixture_is_converted_and_divided_by_inhabitants_of_that_year(monthly_pack):
    assert unemployment.has_monthly()
    assert unemployment.measure_periods("ww_per_1000", monthly=True) == MONTHS
    march = indicators.values("ww_personen", "2020-03")
    assert march["GM1979"] == round(100 * 1.42 + 2) + round(200 * 1.42 + 2) + round(50 * 1.42 + 2)
    inw2020 = indicators.values("inwoners", "2020")["GM1979"]
    assert indicators.values("ww_per_1000", "2020-03")["GM1979"] == pytest.approx(march["GM1979"] / inw2020 * 1000)
    idx = unemployment.indexed_trend("GM0363", "ww_per_1000")
    assert idx.set_index("periode").loc["2020-02", "gemeente"] == pytest.approx(100)
    assert idx.set_index("periode").loc["2020-03", "gemeente"] == pytest.approx((14200 + 2) / (10000 + 1) * 100)
    table = export.export_table()
    rows = table[(table["indicator"] == "ww_per_1000") & (table["periode"] == "2020-03")]
    assert len(rows) == 4  # GM0363, GM1979 (three merged), GM0088, GM0014
    assert rows["bron"].str.contains("80794ned").all()


def test_export_has_rates():
    table = export.export_table()
    for ind in ("ww_per_1000", "bijstand_per_1000", "ao_per_1000"):
        part = table[(table["indicator"] == ind) & (table["periode"] == "2020")]
        assert len(part) == 342 and (part["eenheid"] == "per 1000 inwoners").all()


def test_quickscan_contents_and_sources():
    qs = unemployment.quickscan("GM1979")
    assert qs.regio_code == "AM01" and "Eemsdelta" in qs.gemeenten and len(qs.gemeenten) == 14
    assert qs.largest.iloc[0]["gemeente"] == "Groningen"
    md = unemployment.quickscan_markdown(qs)
    assert md.startswith("# Quickscan arbeidsmarktregio Groningen")
    assert "Bron: CBS" in md and "84799NED" in md and "G+I" in md
    assert sum(1 for lv in qs.levels) == 3


@pytest.mark.parametrize("code, name", [("GM0363", "Amsterdam"), ("GM1979", "Eemsdelta"),
                                        ("GM0088", "Schiermonnikoog")])
def test_page_offline_mode(code, name):
    at = run_app(code, "pages/werkloosheid.py")
    assert not at.exception, at.exception
    assert "vóór de coronaschok" in texts(at.info)
    assert at.metric[0].label == name and at.metric[2].label == "Nederland"
    assert at.metric[2].value == "13,7"  # NL WW per 1,000 in KWB 2020
    assert "Quickscan arbeidsmarktregio" in texts(at.subheader)
    assert {"wl_csv_excel", "wl_csv_plain", "wl_qs", "rapport_zijbalk"} <= {b.key for b in at.get("download_button")}
    at.selectbox(key="wl_maat").set_value("bijstand_per_1000").run()
    assert at.metric[2].value == "24,2" and not at.exception


@pytest.mark.parametrize("code", ["GM0363", "GM1979", "GM0088"])
def test_page_monthly_fixture_mode(monthly_pack, code):
    at = run_app(code, "pages/werkloosheid.py")
    assert not at.exception, at.exception
    assert "80794ned" in texts(at.info) and "2020-01" in texts(at.info)
    assert "februari 2020 = 100" in texts(at.markdown)
    assert at.selectbox(key="wl_periode").value == "2020-04"


def test_quickscan_as_a_printable_document():
    from lib import report
    qs = unemployment.quickscan("GM0981")
    doc = report.quickscan_html(qs).decode()
    assert doc.startswith("<!DOCTYPE html>") and "@page { size: A4" in doc
    assert qs.regio_naam in doc and all(name in doc for name in qs.gemeenten)
    md = unemployment.quickscan_markdown(qs)
    for lv in qs.levels:  # the same figures as the Markdown download and the page
        value = fmt_number(lv["regio"], 1)
        assert value in md and value in doc
    assert all(html.escape(s) in doc for s in qs.sources)
    at = run_app("GM0981", "pages/werkloosheid.py")
    assert "wl_qs_html" in {b.key for b in at.get("download_button")}
