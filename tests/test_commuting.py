"""Woon-werk CO2: the model on real data, the arithmetic on a hand-computed case, the page."""
from __future__ import annotations

import pandas as pd
import pytest

import gzip

from apptest_helpers import run_app, texts
from conftest import REAL_PACK, needs_raw
from lib import commuting, export, indicators, loaders
from lib.gemeenten import gemeenten


def _scenario(**changes):
    base = dict(thuiswerk_aandeel=0.5, thuiswerkdagen=2, werkweken=46, auto_aandeel=0.6, ov_aandeel=0.2,
                kg_co2_auto=0.2, kg_co2_ov=0.05)
    return commuting.Scenario(**{**base, **changes})


def test_three_wijk_case_distance_and_co2():
    # synthetic fixture: three wijken on a line (RD metres), four home-work pairs
    wijken = pd.DataFrame({"wijk_code": ["WK000100", "WK000101", "WK000200"],
                           "x": [0.0, 3000.0, 0.0], "y": [0.0, 0.0, 4000.0]})
    matrix = pd.DataFrame({"wijk_woon": ["WK000100", "WK000100", "WK000101", "WK000200"],
                           "wijk_werk": ["WK000101", "WK000200", "WK000200", "WK000200"], "banen": [10, 5, 2, 4]})
    km = commuting.straight_km(matrix, wijken)
    # 3 km, 4 km, 5 km (3-4-5 triangle); within WK000200: half of 4 km to its nearest neighbour
    assert km.tolist() == pytest.approx([3.0, 4.0, 5.0, 2.0])
    b = commuting.savings(100.0, _scenario())
    # 100 km/day × 0.5 × 2 days × 46 weeks = 4,600 km; car 2,760 km × 0.2; pt 920 km × 0.05
    assert b.km_vermeden == pytest.approx(4600)
    assert (b.kg_auto, b.kg_ov) == pytest.approx((552.0, 46.0))
    assert b.ton == pytest.approx(0.598)
    staff = commuting.own_staff(10, 5, _scenario())  # 10 × 5 km × 2 = 100 km per day
    assert staff.ton == pytest.approx(0.598)


def test_zero_days_at_home_saves_nothing():
    assert commuting.savings(1e6, _scenario(thuiswerkdagen=0)).ton == 0
    assert commuting.residents(_scenario(thuiswerkdagen=0))["co2_ton"].fillna(0).eq(0).all()


@pytest.mark.parametrize("field, value, fragment", [
    ("thuiswerkdagen", 6, "0 tot en met 5"), ("thuiswerk_aandeel", 1.5, "100 %"), ("werkweken", 0, "1 tot en met 52"),
    ("kg_co2_auto", -0.1, "kg CO2 per autokilometer"), ("auto_aandeel", float("nan"), "buiten"),
])
def test_out_of_range_refused(field, value, fragment):
    with pytest.raises(commuting.ScenarioError, match=fragment):
        commuting.check(_scenario(**{field: value}))


def test_modal_shares_cannot_exceed_100_percent():
    with pytest.raises(commuting.ScenarioError, match="meer dan 100"):
        commuting.check(_scenario(auto_aandeel=0.9, ov_aandeel=0.2))


WITHHELD = {"GM0385": "GM0478", "GM1942": "GM0381, GM0424, GM0425", "GM1945": "GM0241"}


def test_model_preserves_jobs_and_calibrates_to_the_matrix_year():
    m = commuting.model()
    assert m.total_jobs == 7_650_364
    per = m.per_gemeente.set_index("gemeente_code")
    assert per["banen_in_matrix"].sum() == 7_650_364 and len(per) == 342
    assert m.target_km == 22.6  # CBS 2015, the year of the matrix's jobs
    national = per["km_per_werkdag_in_matrix"].sum() / 2 / per["banen_in_matrix"].sum()
    assert national == pytest.approx(22.6)
    assert 1.0 < m.detour_factor < 1.6


def test_every_gemeente_has_its_residents_jobs_or_no_figures_with_the_reason():
    per = commuting.model().per_gemeente.set_index("gemeente_code")
    withheld = per[per["ontbrekende_woongemeenten_2015"] != ""]
    assert withheld["ontbrekende_woongemeenten_2015"].to_dict() == WITHHELD
    assert withheld["werknemersbanen"].isna().all() and withheld["woonwerk_afstand_km"].isna().all()
    shown = per.drop(withheld.index)
    inhabitants = indicators.values("inwoners", "2020").reindex(shown.index)
    assert (shown["werknemersbanen"] / inhabitants).gt(0.2).all()  # every other gemeente has its residents' jobs
    reason = commuting.missing_reason("GM1942")
    assert "Gooise Meren" in reason and "Bussum, Muiden en Naarden" in reason and "2016" in reason
    assert commuting.missing_reason("GM0363") is None


def test_figures_describe_residents_not_job_locations():
    """The pack's own evidence for the column direction (commuting/PROVENANCE.md)."""
    per = commuting.model().per_gemeente.set_index("gemeente_code")
    inhabitants = indicators.values("inwoners", "2020")
    ratio = (per["werknemersbanen"] / inhabitants).dropna()
    assert ratio.std() / ratio.mean() < 0.15  # jobs of residents: near-uniform per inhabitant
    assert ratio["GM0394"] < 0.55  # Haarlemmermeer: its residents, not Schiphol's 0.97 jobs per inhabitant
    assert per.loc["GM0384", "woonwerk_afstand_km"] < 25  # Diemen's residents do not commute 36 km
    assert 380_000 < per.loc["GM0363", "werknemersbanen"] < 400_000  # Amsterdam's residents (383,345 + Weesp)
    far = per["woonwerk_afstand_km"].nlargest(4).index
    assert {"GM0093", "GM0096"} <= set(far)  # Terschelling, Vlieland: on CBS's > 35 km list of 2015


@needs_raw
def test_loader_names_the_columns_by_meaning():
    raw_header = gzip.open(REAL_PACK / "commuting/wk_banen_edwindj_commute.csv.gz", "rt").readline().strip()
    assert raw_header.replace('"', "").split(",")[:2] == ["woon", "werk"]  # the raw names, the wrong way round
    matrix = loaders.load_commuting_matrix()
    assert list(matrix.columns) == ["wijk_woon", "wijk_werk", "banen"]
    homes, jobs = set(matrix["wijk_woon"].astype(str)), set(matrix["wijk_werk"].astype(str))
    for business_area in ("WK059922", "WK071808", "WK099578"):  # Vondelingenplaat, Sloegebied, Larserpoort
        assert business_area in jobs and business_area not in homes


def test_wijk_assignment_rules():
    w = commuting.wijk_gemeente().set_index("wijk_code")
    assert w.loc["WK052300", "gemeente_code"] == "GM0523"  # Hardinxveld-Giessendam keeps its own wijk
    assert w.loc["WK000300", "gemeente_code"] == "GM1979"  # Appingedam (dissolved) → Eemsdelta by polygon
    assert set(w["methode"]) <= {"code", "binnen", "dichtstbij"}


def test_defaults_come_from_the_pack_with_sources():
    d = commuting.defaults()
    assert d["kg_co2_auto"].value == 0.19 and d["kg_co2_ov"].value == 0.036
    # CBS 37774 (2003): car drivers 2,791k × 21.9 km of all 5,184k × 17.6 km
    assert d["auto_aandeel"].value == pytest.approx(round(2791 * 21.9 / (5184 * 17.6), 3))
    assert all(v.source for v in d.values())


def test_export_and_region_totals():
    table = export.export_table()
    for ind in ("werknemersbanen", "woonwerk_afstand_km", "woonwerk_km_per_werkdag", "co2_besparing_ton_per_jaar"):
        rows = table[table["indicator"] == ind]
        assert len(rows) == 339 and not set(WITHHELD) & set(rows["gemeente_code"])
        assert set(rows["periode"]) == {"2015"}
    co2 = table[table["indicator"] == "co2_besparing_ton_per_jaar"]["bron"].iloc[0]
    assert all(w in co2 for w in ("2015", "22,6 km", "37774", "2003", "CO2emissiefactoren", "2026", "KWB"))
    assert indicators.national_value("werknemersbanen") == 7_650_364
    assert indicators.national_value("woonwerk_afstand_km") == pytest.approx(22.6)
    prov = indicators.region_values("co2_besparing_ton_per_jaar", "provincie")
    assert prov[["PV27", "PV25"]].isna().all()  # Noord-Holland, Gelderland hold a gemeente without figures
    complete = prov.dropna()
    members = gemeenten().set_index("gemeente_code")["provincie_code"]
    values = indicators.values("co2_besparing_ton_per_jaar")
    assert complete.sum() == pytest.approx(values[members.reindex(values.index).isin(complete.index)].sum())


def test_page_own_organisation_responds_to_inputs():
    at = run_app("GM0363", "pages/woonwerk_co2.py")
    assert not at.exception, at.exception
    # a result straight away, for a documented example organisation
    s = commuting.default_scenario()
    km = float(commuting.residents(s).set_index("gemeente_code").loc["GM0363", "woonwerk_afstand_km"])
    example = commuting.own_staff(commuting.EXAMPLE_STAFF, round(km, 1), s).ton
    assert at.metric[0].value == f"{example:.1f}".replace(".", ",") + " ton"
    assert "Voorbeeld: een organisatie met 500 medewerkers" in texts(at.caption)
    at.text_input(key="co2_medewerkers").set_value("").run()
    assert "Aantal medewerkers" in texts(at.error) and not at.metric  # emptied: it asks, it does not guess
    at.text_input(key="co2_medewerkers").set_value("1.000").run()  # Dutch: one thousand
    at.text_input(key="co2_afstand").set_value("20").run()
    s = commuting.default_scenario()
    expected = commuting.own_staff(1000, 20.0, s).ton
    assert at.metric[0].value == f"{expected:.1f}".replace(".", ",") + " ton"
    assert "1.000 medewerkers" in at.code[0].value
    at.text_input(key="co2_thuiswerkdagen").set_value("0").run()
    assert at.metric[0].value == "0,0 ton"
    at.text_input(key="co2_thuiswerkdagen").set_value("6").run()
    assert "0 tot en met 5" in texts(at.error)


def test_page_all_residents_mode():
    at = run_app("GM0088", "pages/woonwerk_co2.py")
    at.radio(key="co2_modus").set_value("inwoners").run()
    assert not at.exception, at.exception
    before = at.metric[3].value
    at.text_input(key="co2_thuiswerkdagen").set_value("4").run()
    assert at.metric[3].value != before
    assert "Landelijk totaal" in texts(at.caption)


@pytest.mark.parametrize("text, value", [("12,5", 12.5), ("1.500", 1500), ("1.500,25", 1500.25), (" 22 ", 22),
                                         ("-1,5", -1.5), ("75 %", 75), ("1.234.567", 1234567)])
def test_dutch_numbers_are_read_as_meant(text, value):
    from lib.texts_nl import parse_number
    assert parse_number(text) == value


@pytest.mark.parametrize("text, fragment", [("12.5", "dubbelzinnig"), ("1.50", "dubbelzinnig"), ("twaalf", "geen getal"),
                                            ("", "leeg"), ("1,2,3", "geen getal")])
def test_ambiguous_or_wrong_numbers_are_refused(text, fragment):
    from lib.texts_nl import NumberError, parse_number
    with pytest.raises(NumberError, match=fragment):
        parse_number(text, "veld")


def test_page_reads_dutch_input_and_reports_every_wrong_field():
    at = run_app("GM0363", "pages/woonwerk_co2.py")
    at.text_input(key="co2_medewerkers").set_value("1.500").run()
    at.text_input(key="co2_afstand").set_value("12,5").run()
    s = commuting.default_scenario()
    expected = commuting.own_staff(1500, 12.5, s).ton  # not 1,5 staff, not 125 km
    assert at.metric[0].value == f"{expected:.1f}".replace(".", ",") + " ton"
    assert "Begrepen als 1.500." in texts(at.caption) and "Begrepen als 12,5." in texts(at.caption)
    at.text_input(key="co2_afstand").set_value("12.5").run()
    assert "dubbelzinnig" in texts(at.error) and not at.metric  # refused, not guessed
    at.text_input(key="co2_afstand").set_value("12,5").run()
    at.text_input(key="co2_thuiswerkdagen").set_value("6").run()
    at.text_input(key="co2_werkweken").set_value("60").run()
    errors = texts(at.error)
    assert "Thuiswerkdagen" in errors and "Werkweken" in errors  # both at once
