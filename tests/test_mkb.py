"""MKB-kwetsbaarheid: the index on a hand-computed case, weight validation, merged gemeenten, page."""
from __future__ import annotations

import pandas as pd
import pytest

from apptest_helpers import run_app, texts
from lib import export, indicators, loaders, mkb


def test_index_hand_computed():
    # synthetic counts for two areas, three sectors
    counts = pd.DataFrame({"X": [50.0, 0.0], "Y": [30.0, 10.0], "Z": [20.0, 90.0]}, index=["a", "b"])
    out = mkb.exposure(counts, {"X": 1.0, "Y": 0.5, "Z": 0.0})
    # a: (50*1 + 30*0.5 + 20*0) / 100 = 65 %; b: (0 + 5 + 0) / 100 = 5 %
    assert out.loc["a", "index"] == pytest.approx(65.0)
    assert out.loc["b", "index"] == pytest.approx(5.0)
    assert out.loc["a", "blootgesteld"] == 80 and out.loc["b", "aandeel_blootgesteld"] == pytest.approx(10.0)
    assert out.loc["a", "totaal"] == 100


@pytest.mark.parametrize("weights, fragment", [
    ({"X": 0.0, "Y": 0.0}, "Alle gewichten zijn 0"),
    ({"X": -0.2, "Y": 1.0}, "negatief"),
    ({"X": 1.0, "Q": 1.0}, "Onbekende sector"),
])
def test_bad_weights_refused_with_message(weights, fragment):
    with pytest.raises(mkb.WeightError, match=fragment):
        mkb.check_weights(weights, ["X", "Y"])


def test_merged_gemeente_from_summed_counts():
    est = loaders.load_establishments().set_index("gemeente_code").loc[["GM0003", "GM0010", "GM0024"]]
    gi, ru = est["vestigingen_gi"].sum(), est["vestigingen_ru"].sum()
    total = est["vestigingen_totaal"].sum()  # the published totals: the index's stated denominator
    expected = (gi + ru) / total * 100
    assert indicators.values("mkb_blootstelling_eerste_golf")["GM1979"] == pytest.approx(expected)


def test_presets_name_the_seed_sectors_and_nl_value():
    sc = mkb.sector_counts()
    assert sc.scheme == "kwb" and list(sc.counts.columns) == ["A", "BF", "GI", "HJ", "KL", "MN", "RU"]
    w = mkb.preset_weights("tweede_golf", "kwb", list(sc.counts.columns))
    assert [s for s, v in w.items() if v] == ["BF", "GI", "HJ"]
    nl = indicators.national_value("mkb_blootstelling_eerste_golf")
    assert nl == pytest.approx((349_265 + 229_950) / 1_720_545 * 100)


def test_one_establishment_total_everywhere_the_published_one():
    """Vaals: its rounded sector groups add up to 675, CBS publishes 670; every place shows 670."""
    sc = mkb.sector_counts()
    assert sc.counts.loc["GM0981"].sum() == 675
    exp = mkb.gemeente_exposure(mkb.preset_weights("eerste_golf", "kwb", list(sc.counts.columns)))
    assert exp.set_index("gemeente_code").loc["GM0981", "totaal"] == 670
    assert indicators.values("vestigingen_totaal", "2020")["GM0981"] == 670
    table = export.export_table()
    assert table[(table["gemeente_code"] == "GM0981") & (table["indicator"] == "vestigingen_totaal")]["waarde"].item() == 670
    at = run_app("GM0981", "pages/mkb.py")
    assert not at.exception
    assert [m.value for m in at.metric if m.label == "Vestigingen (totaal)"] == ["670"]
    assert "Noemer van de index" in texts(at.caption)
    assert "horeca is landelijk maar 20 %" in texts(at.caption) and "68.700" in texts(at.caption)


def test_region_values_recomputed_from_counts():
    prov = indicators.region_values("mkb_blootstelling_eerste_golf", "provincie")
    assert len(prov) == 12 and prov.between(0, 100).all()


def test_evidence_reads_cited_figures():
    ev = mkb.evidence("GI")
    assert any("−33 %" in e and "CBS" in e for e in ev)


def test_export_has_mkb_indicators():
    table = export.export_table()
    for ind in ("mkb_blootstelling_eerste_golf", "mkb_blootstelling_tweede_golf", "vestigingen_per_1000"):
        part = table[table["indicator"] == ind]
        assert len(part) == 342 and part["bron"].str.contains("84799NED").all()


def _top_names(at):
    return at.dataframe[-1].value.iloc[:, 1].tolist()


def test_page_preset_switch_and_custom_weights_change_ranking():
    at = run_app("GM0363", "pages/mkb.py")
    assert not at.exception, at.exception
    first = _top_names(at)
    at.radio(key="mkb_scenario").set_value("tweede_golf").run()
    second = _top_names(at)
    assert second != first
    at.radio(key="mkb_scenario").set_value("eigen").run()
    for s in at.slider:
        s.set_value(100 if s.key == "mkb_w_A" else 0)
    at.run()
    custom = _top_names(at)
    assert custom not in (first, second)
    assert not at.exception
    for s in at.slider:
        s.set_value(0)
    at.run()
    assert "Alle gewichten zijn 0" in texts(at.error)


def test_page_renders_for_gemeente_with_missing_data(pack_without_gm0088_establishments):
    at = run_app("GM0088", "pages/mkb.py")
    assert not at.exception, at.exception
    assert "geen vestigingscijfers" in texts(at.warning)


def test_sbi_sections_used_after_refresh(built_pack):
    # synthetic fixture in lib.refresh's SBI file format; 2020 codes (GM0003 merges into Eemsdelta)
    rows = ["gemeente_code,periode,sbi,vestigingen"]
    for code in ("GM0363", "GM0003", "GM0010"):
        for sbi, n in (("G", 100), ("I", 50), ("R", 25), ("C", 25), ("G-I", 999)):
            rows.append(f"{code},2021,{sbi},{n}")
    built_pack("sbi", {loaders.SBI_ESTABLISHMENTS_FILE: "\n".join(rows) + "\n"})
    sc = mkb.sector_counts()
    assert sc.scheme == "sbi" and sc.periode == "2021" and "I" in sc.counts.columns
    assert "G-I" not in sc.counts.columns  # grouped rows dropped
    assert sc.counts.loc["GM1979", "I"] == 100  # two predecessors summed
    exp = mkb.exposure(sc.counts, mkb.preset_weights("eerste_golf", "sbi", list(sc.counts.columns)))
    assert exp.loc["GM0363", "index"] == pytest.approx(175 / 200 * 100)
    assert mkb.sector_label("I") == "Horeca (I)"
    at = run_app("GM0363", "pages/mkb.py")
    assert not at.exception and "81575NED" in texts(at.info)
