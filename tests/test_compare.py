"""Vergelijken: 2–6 gemeenten side by side, selection in the URL, figures equal to the map's."""
from __future__ import annotations

import io

import pandas as pd
from streamlit.testing.v1 import AppTest

from apptest_helpers import texts
from conftest import ROOT
from lib import compare, downloads, indicators


def _page(query: dict) -> AppTest:
    """The comparison page opened from a link with ``query``."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    for k, v in query.items():
        at.query_params[k] = v
    return at.switch_page("pages/vergelijken.py").run()


def test_parse_keeps_known_distinct_codes_and_says_what_it_left_out():
    sel = compare.parse("GM0363, gm599,GM0363,GM9999,onzin")
    assert sel.codes == ["GM0363", "GM0599"]
    assert len(sel.notes) == 2 and "GM9999" in sel.notes[0] and "onzin" in sel.notes[1]
    many = compare.parse(",".join(["GM0363", "GM0599", "GM0518", "GM0344", "GM0014", "GM0034", "GM0080"]))
    assert len(many.codes) == compare.MAX and "hoogstens 6" in many.notes[0]


def test_table_values_are_the_map_values_and_nl():
    codes = ["GM0981", "GM0088", "GM0363"]
    tab = compare.table(codes)
    assert set(tab["thema"]) == {"werkloosheid", "mkb", "initiatieven", "co2"}
    for _, row in tab.iterrows():
        vals = indicators.values(row["indicator"], row["periode"])
        for c in codes:
            assert (pd.isna(row[c]) and pd.isna(vals.get(c))) or row[c] == vals[c]
        assert row["NL"] == indicators.national_value(row["indicator"], row["periode"])


def test_sets_similar_and_region():
    similar = compare.similar_set("GM0981")
    assert similar[0] == "GM0981" and len(similar) == compare.MAX and len(set(similar)) == compare.MAX
    region = compare.region_set("GM0981")  # Zuid-Limburg: Vaals and the largest others of its region
    g = compare.gemeenten().set_index("gemeente_code")
    assert region[0] == "GM0981" and len(region) <= compare.MAX
    assert set(g.loc[region, "arbeidsmarktregio_code"]) == {g.loc["GM0981", "arbeidsmarktregio_code"]}
    assert "GM0935" in region  # Maastricht, the largest gemeente of that region


def test_page_takes_the_selection_from_the_url_and_writes_it_back():
    at = _page({"gemeente": "GM0981", "vergelijk": "GM0981,GM0088,GM9999"})
    assert not at.exception
    assert at.multiselect(key="vgl_codes").value == ["GM0981", "GM0088"]
    assert "GM9999" in texts(at.warning)
    table = next(df.value for df in at.dataframe if "Vaals" in df.value.columns)
    assert list(table.columns) == ["Thema", "Cijfer (periode)", "Vaals", "Schiermonnikoog", "Nederland"]
    assert at.query_params["vergelijk"] == "GM0981,GM0088"
    at.multiselect(key="vgl_codes").select("GM0363").run()
    assert at.query_params["vergelijk"] == "GM0981,GM0088,GM0363"
    assert at.get("vega_lite_chart"), "one small chart per figure"


def test_one_gemeente_is_not_a_comparison():
    at = _page({"gemeente": "GM0981", "vergelijk": "GM0981"})
    assert not at.exception and "minstens 2" in texts(at.info)


def test_region_button_takes_the_arbeidsmarktregio():
    at = _page({"gemeente": "GM0981"})
    assert at.multiselect(key="vgl_codes").value == compare.similar_set("GM0981")  # the default set
    at.button(key="vgl_set_regio").click().run()
    assert at.multiselect(key="vgl_codes").value == compare.region_set("GM0981")


def test_excel_download_of_the_comparison():
    codes = ["GM0981", "GM0088"]
    data = downloads.excel_csv(compare.download(compare.table(codes), codes), {"Vaals (GM0981)": 2})
    assert data.startswith(b"\xef\xbb\xbf")
    df = pd.read_csv(io.BytesIO(data), sep=";", decimal=",", encoding="utf-8-sig")
    assert "Vaals (GM0981)" in df.columns and "Nederland" in df.columns


def test_excel_csv_is_dutch_and_the_plain_one_is_not():
    df = pd.DataFrame({"naam": ["Súdwest-Fryslân", "=HYPERLINK(\"x\")"], "waarde": [1234.56, -0.04],
                       "aantal": pd.array([3, None], dtype="Int64"), "klein": [True, False]})
    excel = downloads.excel_csv(df, {"waarde": 1})
    assert excel.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Excel reads the diacritics
    lines = excel.decode("utf-8-sig").splitlines()
    assert lines[0] == "naam;waarde;aantal;klein"
    assert lines[1] == "Súdwest-Fryslân;1234,6;3;ja"  # rounded as shown, decimal comma
    assert lines[2] == '"\'=HYPERLINK(""x"")";0,0;;nee'  # no formula, no "-0,0", empty for missing
    plain = downloads.plain_csv(df).decode()
    assert not plain.startswith("\ufeff") and plain.splitlines()[1] == "Súdwest-Fryslân,1234.56,3,True"
